"""Booth allocation as a mixed-integer programme (scipy's HiGHS). Pure: plain values in, plain values out.

Decision variables: x[r, B] = 1 when request r gets the block B (k mutually adjacent free booths of its
type: a straight run of k in a row or a column, or a 2x2 square for k = 4). Hard constraints: every
request takes at most one block, every booth at most one request; fixed (locked) booths are not
variables; blocked booths are simply not passed in. Objective, maximised:

- every assigned booth is worth `1 + competitor_weight` (so filling a booth always beats the largest
  competitor penalty it can cause), plus `priority_weight * priority * (1 + quality) / 2` (the best spots
  go to the highest priorities), plus `zone_weight` when the booth lies in the requested zone;
- `near_weight` once per pair of requests that asked to be near each other and share a row;
- minus `competitor_weight` per pair that asked to be kept apart and share a row;
- minus `competitor_weight / 4` per adjacency (two touching booths) held by two different exhibitors of
  the same product group (at most 4 per booth, hence the per-booth worth above).

Pair terms are linearised with auxiliary variables over adjacency edges × product group and over rows.
Large instances are solved by column generation: the LP relaxation starts from each request's best blocks,
prices every other block with the duals and adds the profitable ones; the duals give a Lagrangian upper
bound valid for the whole problem (every block), which is the bound reported. The MILP then runs on the
generated blocks. Small instances use every block from the start, and HiGHS's own dual bound is valid too.
"""
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

EPS = 1e-6
FULL_MODEL_COLUMNS = 20_000  # below this many blocks, no column generation: the MILP sees every block
START_COLUMNS = 12           # per request, the best blocks the column generation starts with
ADD_COLUMNS = 10             # per request and round, the most profitable blocks added
MAX_ROUNDS = 12


@dataclass(frozen=True)
class BoothSlot:
    id: int
    code: str
    booth_type: str
    zone_id: int | None
    x: float
    y: float
    width: float
    depth: float
    quality: float  # 0..1: premium and closeness to the entrance


@dataclass(frozen=True)
class Request:
    id: int
    booth_type: str
    count: int
    zone_id: int | None
    priority: float  # 0..1
    product_group: str | None = None
    near: frozenset[int] = frozenset()   # request ids
    avoid: frozenset[int] = frozenset()  # request ids


@dataclass(frozen=True)
class Rules:
    zone_weight: float = 1.0
    priority_weight: float = 1.0
    near_weight: float = 0.5
    competitor_weight: float = 0.5
    time_limit_seconds: float = 4.0


@dataclass
class AllocationResult:
    assignments: dict[int, tuple[int, ...]]
    objective: float
    upper_bound: float
    gap_percent: float
    proven_optimal: bool
    seconds: float
    unassigned: dict[int, str] = field(default_factory=dict)  # request id -> reason code
    details: dict[int, dict] = field(default_factory=dict)    # request id -> figures for the reason text


# Reason codes for an unassigned request, most specific first.
NO_BOOTH_TYPE = "no_booth_type"
NOT_ENOUGH_BOOTHS = "not_enough_booths"
NO_ADJACENT_BLOCK = "no_adjacent_block"
OUTBID = "outbid"
TIME_LIMIT = "time_limit"
PREFERENCES = "preferences"


def type_fits(request_type: str, booth_type: str) -> bool:
    """Which booth an exhibitor may take: strictly a booth of the type it asked for."""
    return request_type == booth_type


# ---------------------------------------------------------------------------------------------- geometry

def _touching_along(a0: float, a1: float, b0: float, b1: float) -> bool:
    return abs(a1 - b0) < EPS or abs(b1 - a0) < EPS


class _Layout:
    """Adjacency split by direction, rows (booths linked side by side) and the candidate blocks."""

    def __init__(self, booths: list[BoothSlot], adjacent: Iterable[tuple[int, int]]):
        self.by_id = {b.id: b for b in booths}
        self.east: dict[int, int] = {}
        self.south: dict[int, int] = {}
        self.edges: list[tuple[int, int]] = []
        for a_id, b_id in sorted({tuple(sorted(p)) for p in adjacent}):
            if a_id not in self.by_id or b_id not in self.by_id:
                continue
            self.edges.append((a_id, b_id))
            a, b = self.by_id[a_id], self.by_id[b_id]
            if b.x < a.x or (abs(b.x - a.x) < EPS and b.y < a.y):
                a, b = b, a
            same_line_y = abs(a.y - b.y) < EPS and abs(a.depth - b.depth) < EPS
            same_line_x = abs(a.x - b.x) < EPS and abs(a.width - b.width) < EPS
            if same_line_y and _touching_along(a.x, a.x + a.width, b.x, b.x + b.width):
                self.east[a.id] = b.id
            elif same_line_x and _touching_along(a.y, a.y + a.depth, b.y, b.y + b.depth):
                self.south[a.id] = b.id
        self.row_of = self._rows(booths)

    def _rows(self, booths: list[BoothSlot]) -> dict[int, int]:
        row_of: dict[int, int] = {}
        west = {b: a for a, b in self.east.items()}
        for booth in sorted(booths, key=lambda b: b.id):
            if booth.id in row_of:
                continue
            start = booth.id
            while start in west:
                start = west[start]
            current = start
            while current is not None:
                row_of[current] = start
                current = self.east.get(current)
        return row_of

    def blocks(self, count: int, free: set[int]) -> list[tuple[int, ...]]:
        found: set[tuple[int, ...]] = set()
        for start in sorted(free):
            for step in (self.east, self.south):
                run = [start]
                while len(run) < count and run[-1] in step and step[run[-1]] in free:
                    run.append(step[run[-1]])
                if len(run) == count:
                    found.add(tuple(sorted(run)))
            if count == 4:
                right, below = self.east.get(start), self.south.get(start)
                corner = self.east.get(below) if below is not None else None
                square = (start, right, below, corner)
                if None not in square and self.south.get(right) == corner and set(square) <= free:
                    found.add(tuple(sorted(square)))
        return sorted(found)


# ---------------------------------------------------------------------------------------------- scoring

def _booth_value(request: Request, booth: BoothSlot, rules: Rules) -> float:
    value = 1 + rules.competitor_weight + rules.priority_weight * request.priority * (1 + booth.quality) / 2
    if request.zone_id is not None and booth.zone_id == request.zone_id:
        value += rules.zone_weight
    return value


def _pairs(requests: Iterable[Request], attribute: str) -> list[tuple[int, int]]:
    ids = {r.id for r in requests}
    found = {tuple(sorted((r.id, other))) for r in requests for other in getattr(r, attribute)
             if other in ids and other != r.id}
    return sorted(found)


def score(booths: list[BoothSlot], requests: list[Request], rules: Rules,
          assignments: Mapping[int, Iterable[int]], adjacent: Iterable[tuple[int, int]]) -> float:
    """The objective of a complete assignment (fixed booths included), computed independently of the MILP."""
    layout = _Layout(booths, adjacent)
    by_request = {r.id: r for r in requests}
    holder = {b: r for r, blocks in assignments.items() for b in blocks}
    total = sum(_booth_value(by_request[r], layout.by_id[b], rules) for b, r in holder.items())
    rows = {r: {layout.row_of[b] for b in blocks} for r, blocks in assignments.items()}
    for r, s in _pairs(requests, "near"):
        if rows.get(r, set()) & rows.get(s, set()):
            total += rules.near_weight
    for r, s in _pairs(requests, "avoid"):
        total -= rules.competitor_weight * len(rows.get(r, set()) & rows.get(s, set()))
    for a, b in layout.edges:
        r, s = holder.get(a), holder.get(b)
        if r is not None and s is not None and r != s:
            group = by_request[r].product_group
            if group is not None and group == by_request[s].product_group:
                total -= rules.competitor_weight / 4
    return total


# ---------------------------------------------------------------------------------------------- the model

class _Model:
    """Rows and columns of the LP/MILP over every candidate block (the column generation uses a subset)."""

    def __init__(self, booths, requests, rules, adjacent, fixed):
        self.rules = rules
        self.layout = layout = _Layout(booths, adjacent)
        self.requests = sorted(requests, key=lambda r: r.id)
        by_request = {r.id: r for r in self.requests}
        self.fixed_blocks: dict[int, tuple[int, ...]] = defaultdict(tuple)
        for booth_id, request_id in sorted(fixed.items()):
            self.fixed_blocks[request_id] += (booth_id,)
        self.fixed_blocks = dict(self.fixed_blocks)
        self.free = {b.id for b in booths if b.id not in fixed}
        self.variable = [r for r in self.requests if r.id not in self.fixed_blocks and r.count >= 1]

        # Columns: (request, block), in request then block order, so everything is deterministic.
        free_by_type: dict[str, set[int]] = defaultdict(set)
        for booth_id in self.free:
            free_by_type[layout.by_id[booth_id].booth_type].add(booth_id)
        self.col_request: list[int] = []
        self.col_block: list[tuple[int, ...]] = []
        self.candidates: dict[int, int] = {}
        block_cache: dict[tuple[str, int], list[tuple[int, ...]]] = {}
        for request in self.variable:
            key = (request.booth_type, request.count)
            if key not in block_cache:
                fitting = {b for t, ids in free_by_type.items() if type_fits(request.booth_type, t) for b in ids}
                block_cache[key] = layout.blocks(request.count, fitting)
            blocks = block_cache[key]
            self.candidates[request.id] = len(blocks)
            self.col_request += [request.id] * len(blocks)
            self.col_block += blocks
        self.n = len(self.col_block)
        self.value = np.array([sum(_booth_value(by_request[r], layout.by_id[b], rules) for b in block)
                               for r, block in zip(self.col_request, self.col_block, strict=True)])
        self.request_index = {r.id: i for i, r in enumerate(self.variable)}
        self._build_rows(by_request)

    def _build_rows(self, by_request):
        layout, rules = self.layout, self.rules
        rows_i: list[int] = []
        rows_j: list[int] = []
        rows_v: list[float] = []
        rhs: list[float] = []
        aux_cost: list[float] = []   # objective coefficient of each auxiliary column
        aux_upper: list[float] = []
        aux_entries: list[tuple[int, int, float]] = []  # (row, aux index, coefficient)

        def add_row(entries: Iterable[tuple[int, float]], bound: float) -> int:
            row = len(rhs)
            for column, coefficient in entries:
                rows_i.append(row)
                rows_j.append(column)
                rows_v.append(coefficient)
            rhs.append(bound)
            return row

        def new_aux(cost: float, upper: float) -> int:
            aux_cost.append(cost)
            aux_upper.append(upper)
            return len(aux_cost) - 1

        columns_of: dict[int, list[int]] = defaultdict(list)
        columns_at: dict[int, list[int]] = defaultdict(list)
        for j, (r, block) in enumerate(zip(self.col_request, self.col_block, strict=True)):
            columns_of[r].append(j)
            for b in block:
                columns_at[b].append(j)
        for request in self.variable:
            if columns_of[request.id]:
                add_row(((j, 1.0) for j in columns_of[request.id]), 1.0)
        for booth_id in sorted(columns_at):
            add_row(((j, 1.0) for j in columns_at[booth_id]), 1.0)

        # Competitors: at most one exhibitor of a group touches an adjacency, else pay competitor_weight / 4.
        fixed_holder = {b: r for r, block in self.fixed_blocks.items() for b in block}
        group_of = {r.id: r.product_group for r in self.requests}
        for a, b in layout.edges:
            touching: dict[str, set[int]] = defaultdict(set)
            for booth in (a, b):
                for j in columns_at.get(booth, ()):
                    group = group_of[self.col_request[j]]
                    if group is not None:
                        touching[group].add(j)
            for group in sorted(touching):
                held = {fixed_holder[x] for x in (a, b) if x in fixed_holder and group_of[fixed_holder[x]] == group}
                if len(held) >= 2:
                    continue
                row = add_row(((j, 1.0) for j in sorted(touching[group])), 1.0 - len(held))
                aux_entries.append((row, new_aux(-rules.competitor_weight / 4, 1.0), -1.0))

        # Pairs: u[r, row] = sum of r's columns touching that row (or 1/0 when r is fixed).
        def row_columns(request_id: int) -> dict[int, list[int]]:
            found: dict[int, list[int]] = defaultdict(list)
            if request_id in self.fixed_blocks:
                for row in {layout.row_of[b] for b in self.fixed_blocks[request_id]}:
                    found[row] = []  # a constant 1
            for j in columns_of.get(request_id, ()):
                for row in {layout.row_of[b] for b in self.col_block[j]}:
                    found[row].append(j)
            return found

        self.pair_requests: set[int] = set()
        fixed_pair = self.fixed_blocks.keys()
        for r, s in _pairs(self.requests, "near"):
            ur, us = row_columns(r), row_columns(s)
            shared = sorted(set(ur) & set(us))
            if not shared or (r in fixed_pair and s in fixed_pair):
                continue  # two fixed requests: part of the constant
            self.pair_requests |= {r, s}
            bonuses = []
            for row in shared:
                w = new_aux(rules.near_weight, 1.0)
                bonuses.append(w)
                for request_id, u in ((r, ur[row]), (s, us[row])):
                    if request_id not in fixed_pair:  # w <= u; a fixed request's u is the constant 1
                        aux_entries.append((add_row(((j, -1.0) for j in u), 0.0), w, 1.0))
            cap = add_row((), 1.0)
            aux_entries += [(cap, w, 1.0) for w in bonuses]
        for r, s in _pairs(self.requests, "avoid"):
            if r in fixed_pair and s in fixed_pair:
                continue
            ur, us = row_columns(r), row_columns(s)
            for row in sorted(set(ur) & set(us)):
                self.pair_requests |= {r, s}
                constant = (r in fixed_pair) + (s in fixed_pair)
                a = new_aux(-rules.competitor_weight, 1.0)
                aux_entries.append((add_row(((j, 1.0) for j in ur[row] + us[row]), 1.0 - constant), a, -1.0))

        self.n_aux = len(aux_cost)
        for row, aux, coefficient in aux_entries:
            rows_i.append(row)
            rows_j.append(self.n + aux)
            rows_v.append(coefficient)
        self.A = sparse.csc_matrix((rows_v, (rows_i, rows_j)), shape=(len(rhs), self.n + self.n_aux))
        self.rhs = np.array(rhs)
        self.aux_cost = np.array(aux_cost)
        self.aux_upper = np.array(aux_upper)
        self.columns_of = columns_of

    def cost(self) -> np.ndarray:
        return np.concatenate([self.value, self.aux_cost])

    def constant(self) -> float:
        """The objective of the fixed booths alone (their values and their pairs among themselves)."""
        fixed_requests = [r for r in self.requests if r.id in self.fixed_blocks]
        booths = [self.layout.by_id[b] for block in self.fixed_blocks.values() for b in block]
        edges = [(a, b) for a, b in self.layout.edges if a in self.layout.by_id and b in self.layout.by_id]
        return score(booths, fixed_requests, self.rules, self.fixed_blocks, edges) if fixed_requests else 0.0


def _solve_lp(model: _Model, columns: np.ndarray):
    """The LP relaxation on some block columns (and every auxiliary column): value, row duals, block values."""
    keep = np.concatenate([columns, model.n + np.arange(model.n_aux)])
    cost = model.cost()[keep]
    upper = np.concatenate([np.ones(len(columns)), model.aux_upper])
    result = linprog(-cost, A_ub=model.A[:, keep], b_ub=model.rhs, bounds=np.column_stack([np.zeros(len(keep)), upper]),
                     method="highs")
    if result.status != 0:
        raise RuntimeError(f"LP relaxation failed: {result.message}")
    return -result.fun, -result.ineqlin.marginals, result.x[:len(columns)]


def _lagrangian_bound(model: _Model, duals: np.ndarray) -> tuple[float, np.ndarray]:
    """An upper bound on the LP over every column from any non-negative row duals (weak duality)."""
    reduced = model.cost() - model.A.T @ duals
    upper = np.concatenate([np.ones(model.n), model.aux_upper])
    return float(model.rhs @ duals + np.maximum(reduced, 0) @ upper), reduced[:model.n]


def _columns_of_blocks(model: _Model, blocks: Mapping[int, tuple[int, ...]]) -> np.ndarray:
    wanted = {(r, tuple(sorted(b))) for r, b in blocks.items()}
    pairs = enumerate(zip(model.col_request, model.col_block, strict=True))
    return np.array([j for j, key in pairs if key in wanted], dtype=int)


def _start_columns(model: _Model, start: Mapping[int, tuple[int, ...]]) -> np.ndarray:
    """Every block of requests with pair terms; for the others their best blocks and the greedy's block."""
    chosen = _columns_of_blocks(model, start).tolist()
    for request in model.variable:
        columns = model.columns_of.get(request.id, [])
        if request.id in model.pair_requests or len(columns) <= START_COLUMNS:
            chosen += columns
        else:
            values = model.value[columns]
            best = np.lexsort((np.array(columns), -values))[:START_COLUMNS]
            chosen += [columns[i] for i in best]
    return np.array(sorted(chosen), dtype=int)


def _generate_columns(model: _Model, start: Mapping[int, tuple[int, ...]],
                      deadline: float) -> tuple[np.ndarray, float, np.ndarray]:
    """Column generation on the LP relaxation: the chosen columns, an upper bound valid for all columns, and
    the LP solution on the chosen columns."""
    columns = _start_columns(model, start)
    bound = float("inf")
    for _ in range(MAX_ROUNDS):
        value, duals, x = _solve_lp(model, columns)
        lagrangian, reduced = _lagrangian_bound(model, np.maximum(duals, 0))
        bound = min(bound, lagrangian)
        inside = np.zeros(model.n, dtype=bool)
        inside[columns] = True
        profitable = np.flatnonzero((reduced > 1e-7) & ~inside)
        if len(profitable) == 0 or time.perf_counter() > deadline:
            return columns, min(bound, value), x
        added = []
        by_request: dict[int, list[int]] = defaultdict(list)
        for j in profitable[np.lexsort((profitable, -reduced[profitable]))]:
            request = model.col_request[j]
            if len(by_request[request]) < ADD_COLUMNS:
                by_request[request].append(j)
                added.append(j)
        columns = np.array(sorted(set(columns.tolist()) | set(added)), dtype=int)
    value, duals, x = _solve_lp(model, columns)
    return columns, min(bound, _lagrangian_bound(model, np.maximum(duals, 0))[0]), x


# ---------------------------------------------------------------------------------------------- public API

def allocate(booths: list[BoothSlot], requests: list[Request], rules: Rules,
             fixed: Mapping[int, int] | None = None, *,
             adjacent: Iterable[tuple[int, int]]) -> AllocationResult:
    """Assign blocks of booths to requests. `fixed` maps a locked booth to its request; `adjacent` lists the
    pairs of booth ids that touch (floorplan.adjacent_pairs)."""
    started = time.perf_counter()
    deadline = started + max(rules.time_limit_seconds, 0.1)
    fixed = dict(fixed or {})
    adjacent = list(adjacent)
    model = _Model(booths, requests, rules, adjacent, fixed)
    constant = model.constant()

    assignments: dict[int, tuple[int, ...]] = dict(model.fixed_blocks)
    finished = True
    if model.n:
        complete = model.n <= FULL_MODEL_COLUMNS
        start = greedy(booths, requests, rules, fixed, adjacent=adjacent).assignments
        if complete:
            result = _solve_milp(model, np.arange(model.n), deadline, 1e-6)
            finished = result.status == 0
            chosen = np.flatnonzero(result.x[:model.n] > 0.5) if result.x is not None else None
            bound = -result.mip_dual_bound if result.mip_dual_bound is not None else float("inf")
        else:
            # Large: round the LP relaxation (nearly integral here) and fill up greedily; the bound stays the
            # LP's over every block.
            columns, bound, x = _generate_columns(model, start, deadline)
            finished = False
            chosen = _round(model, columns, x)
        if chosen is None:
            assignments.update(start)
        else:
            taken = {b for block in assignments.values() for b in block}
            for j in chosen:
                assignments[model.col_request[j]] = model.col_block[j]
                taken |= set(model.col_block[j])
            if not complete:
                _fill(model, assignments, taken)
            if not complete and score(booths, requests, rules, assignments, adjacent) < \
                    score(booths, requests, rules, start, adjacent):
                assignments = dict(start)
        bound += constant
    objective = score(booths, requests, rules, assignments, adjacent)
    if not model.n:
        bound = objective
    bound = max(bound, objective)
    gap = 100 * (bound - objective) / max(abs(bound), EPS)
    proven = gap <= 1e-4 or (finished and model.n <= FULL_MODEL_COLUMNS)
    unassigned, details = _explain(model, assignments, finished)
    return AllocationResult(assignments={r: tuple(sorted(b)) for r, b in sorted(assignments.items())},
                            objective=round(objective, 6), upper_bound=round(bound, 6),
                            gap_percent=round(gap, 4), proven_optimal=proven,
                            seconds=round(time.perf_counter() - started, 3), unassigned=unassigned, details=details)


def _round(model: _Model, columns: np.ndarray, x: np.ndarray) -> list[int]:
    """Blocks in decreasing LP value (then block value, then order), each kept when its request and booths
    are still free."""
    order = np.lexsort((columns, -model.value[columns], -np.round(x, 6)))
    chosen, requests, booths = [], set(), set()
    for position in order:
        if x[position] < 1e-6:
            break
        j = columns[position]
        block = model.col_block[j]
        if model.col_request[j] not in requests and not booths & set(block):
            chosen.append(j)
            requests.add(model.col_request[j])
            booths |= set(block)
    return chosen


def _fill(model: _Model, assignments: dict[int, tuple[int, ...]], taken: set[int]) -> None:
    """Requests the rounding left out take their most valuable still-free block, highest priority first."""
    for request in sorted(model.variable, key=lambda r: (-r.priority, r.id)):
        if request.id in assignments:
            continue
        free = [j for j in model.columns_of.get(request.id, ()) if not taken & set(model.col_block[j])]
        if free:
            j = max(free, key=lambda c: (model.value[c], -c))
            assignments[request.id] = model.col_block[j]
            taken |= set(model.col_block[j])


def _solve_milp(model: _Model, columns: np.ndarray, deadline: float, gap: float):
    keep = np.concatenate([columns, model.n + np.arange(model.n_aux)])
    upper = np.concatenate([np.ones(len(columns)), model.aux_upper])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # threads/random_seed go to HiGHS verbatim
        return milp(-model.cost()[keep], integrality=np.concatenate([np.ones(len(columns)), np.zeros(model.n_aux)]),
                    bounds=Bounds(np.zeros(len(keep)), upper),
                    constraints=LinearConstraint(model.A[:, keep], -np.inf, model.rhs),
                    options={"time_limit": max(deadline - time.perf_counter(), 0.2), "mip_rel_gap": gap,
                             "presolve": True, "threads": 1, "random_seed": 0})


def greedy(booths: list[BoothSlot], requests: list[Request], rules: Rules, fixed: Mapping[int, int] | None = None,
           *, adjacent: Iterable[tuple[int, int]]) -> AllocationResult:
    """The obvious loop: highest priority first, each takes its most valuable free block. The baseline the
    benchmark compares against, and the fallback should the MILP stop before finding any solution."""
    started = time.perf_counter()
    fixed = dict(fixed or {})
    adjacent = list(adjacent)
    layout = _Layout(booths, adjacent)
    assignments: dict[int, tuple[int, ...]] = defaultdict(tuple)
    for booth_id, request_id in sorted(fixed.items()):
        assignments[request_id] += (booth_id,)
    taken = set(fixed)
    for request in sorted(requests, key=lambda r: (-r.priority, r.id)):
        if request.id in assignments:
            continue
        free = {b.id for b in booths if b.id not in taken and type_fits(request.booth_type, b.booth_type)}
        blocks = layout.blocks(request.count, free)
        if blocks:
            best = max(blocks, key=lambda block: (sum(_booth_value(request, layout.by_id[b], rules) for b in block),
                                                  [-b for b in block]))
            assignments[request.id] = best
            taken |= set(best)
    objective = score(booths, requests, rules, assignments, adjacent)
    return AllocationResult(assignments=dict(assignments), objective=round(objective, 6), upper_bound=float("nan"),
                            gap_percent=float("nan"), proven_optimal=False,
                            seconds=round(time.perf_counter() - started, 3))


def _explain(model: _Model, assignments: Mapping[int, tuple[int, ...]], finished: bool):
    """A reason code, and the figures the message needs, for every request left without a booth."""
    layout = model.layout
    taken = {b for block in assignments.values() for b in block}
    unassigned: dict[int, str] = {}
    details: dict[int, dict] = {}
    for request in model.requests:
        if request.id in assignments:
            continue
        fitting = [b for b in layout.by_id.values() if type_fits(request.booth_type, b.booth_type)]
        free = [b for b in fitting if b.id in model.free]
        info = {"booth_type": request.booth_type, "count": request.count, "booths_of_type": len(fitting),
                "free_of_type": len(free)}
        if not fitting:
            code = NO_BOOTH_TYPE
        elif len(free) < request.count:
            code = NOT_ENOUGH_BOOTHS
        elif not model.candidates.get(request.id):
            code = NO_ADJACENT_BLOCK
        elif any(not set(model.col_block[j]) & taken for j in model.columns_of.get(request.id, ())):
            code = PREFERENCES if finished else TIME_LIMIT
        else:
            rivals = [r for r in model.requests if r.id in assignments and r.id not in model.fixed_blocks
                      and any(layout.by_id[b].booth_type == request.booth_type for b in assignments[r.id])]
            code = OUTBID
            info |= {"rivals": len(rivals),
                     "rivals_higher": sum(r.priority > request.priority for r in rivals),
                     "booths_to_rivals": sum(len(assignments[r.id]) for r in rivals)}
        unassigned[request.id] = code
        details[request.id] = info
    return unassigned, details
