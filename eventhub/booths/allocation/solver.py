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

Pair terms are linearised with auxiliary variables: one per (adjacency, product group) where two
exhibitors of that group can meet, and one per (pair, row) both can reach. Blocks of one booth type and
size form a family whose values and adjacencies are numpy arrays, so every block can be priced at once.

Small fairs (up to FULL_MODEL_COLUMNS blocks): HiGHS solves the MILP over every block; its dual bound is
the upper bound and the optimum is proven when it finishes. Large fairs: column generation on the LP
relaxation starts from each request's best blocks and those ranked around the greedy's choice, prices
every block with the duals and adds the profitable ones. Any non-negative duals give a Lagrangian upper
bound over every block (each request adds at most its best reduced cost), which is the bound reported.
The LP solution is rounded, filled up greedily and polished by the MILP on the LP's blocks in the time left.
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
START_COLUMNS = 8           # per request, the best blocks the column generation starts with
ADD_COLUMNS = 5              # per request and round, the most profitable blocks added
MAX_ROUNDS = 30
LP_TOLERANCE = 0.004         # column generation stops once the LP is within 0.4 % of its bound


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

@dataclass
class _Family:
    """Every candidate block of one booth type and size, and the requests that want one."""
    blocks: np.ndarray      # blocks × k, booth positions
    requests: np.ndarray    # positions in _Model.variable
    touching: sparse.csr_matrix  # blocks × edges: the adjacencies each block touches
    values: np.ndarray      # requests × blocks


class _Model:
    """The candidate blocks of every request, vectorised, and the LP/MILP over any subset of them."""

    def __init__(self, booths, requests, rules, adjacent, fixed):
        self.rules = rules
        self.layout = layout = _Layout(booths, adjacent)
        self.requests = sorted(requests, key=lambda r: r.id)
        blocks_of: dict[int, tuple[int, ...]] = defaultdict(tuple)
        for booth_id, request_id in sorted(fixed.items()):
            blocks_of[request_id] += (booth_id,)
        self.fixed_blocks = dict(blocks_of)
        self.variable = [r for r in self.requests if r.id not in self.fixed_blocks and r.count >= 1]
        self.booth_ids = np.array(sorted(b.id for b in booths if b.id not in fixed), dtype=int)
        self.position = {b: i for i, b in enumerate(self.booth_ids.tolist())}
        slots = [layout.by_id[b] for b in self.booth_ids.tolist()]
        quality = np.array([s.quality for s in slots])
        zones = sorted({s.zone_id for s in slots if s.zone_id is not None})
        zone_code = {z: i for i, z in enumerate(zones)}
        booth_zone = np.array([zone_code.get(s.zone_id, -1) for s in slots], dtype=int)
        groups = sorted({r.product_group for r in self.requests if r.product_group is not None})
        self.group_code = {g: i for i, g in enumerate(groups)}
        self.n_groups = max(len(groups), 1)
        self.request_group = np.array([self.group_code.get(r.product_group, -1) for r in self.variable], dtype=int)
        request_zone = np.array([zone_code.get(r.zone_id, -2) if r.zone_id is not None else -2
                                 for r in self.variable], dtype=int)
        slope = np.array([rules.priority_weight * r.priority / 2 for r in self.variable])
        base = 1 + rules.competitor_weight

        # Adjacencies; a fixed holder of a group at an end counts as that group being there already.
        self.edges = layout.edges
        ends = [(self.position.get(a, -1), self.position.get(b, -1)) for a, b in self.edges]
        rows, cols = [], []
        for e, (a, b) in enumerate(ends):
            for end in (a, b):
                if end >= 0:
                    rows.append(end)
                    cols.append(e)
        incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(slots), len(self.edges)))
        fixed_holder = {b: r for r, block in self.fixed_blocks.items() for b in block}
        group_of = {r.id: r.product_group for r in self.requests}
        self.fixed_touching: dict[tuple[int, int], int] = {}
        for e, (a, b) in enumerate(self.edges):
            for group in {group_of[fixed_holder[x]] for x in (a, b) if x in fixed_holder} - {None}:
                holders = {fixed_holder[x] for x in (a, b) if x in fixed_holder and group_of[fixed_holder[x]] == group}
                self.fixed_touching[(e, self.group_code[group])] = len(holders)

        wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, r in enumerate(self.variable):
            wanted[(r.booth_type, r.count)].append(i)
        self.families: list[_Family] = []
        self.family_of: dict[int, tuple[int, int]] = {}  # variable position -> (family, row in family)
        for (booth_type, count), members in sorted(wanted.items()):
            free = {b for b in self.position if type_fits(booth_type, layout.by_id[b].booth_type)}
            found = layout.blocks(count, free)
            blocks = np.array([[self.position[b] for b in block] for block in found], dtype=int).reshape(-1, count)
            members_array = np.array(members, dtype=int)
            membership = sparse.csr_matrix((np.ones(blocks.size), (np.repeat(np.arange(len(blocks)), count),
                                                                    blocks.ravel())), shape=(len(blocks), len(slots)))
            touching = ((membership @ incidence) > 0).astype(float).tocsr()
            in_zone = (booth_zone[blocks][None, :, :] == request_zone[members_array][:, None, None]).sum(axis=2)
            values = (count * (base + slope[members_array]))[:, None] + slope[members_array][:, None] * \
                quality[blocks].sum(axis=1)[None, :] + rules.zone_weight * in_zone
            for row, member in enumerate(members):
                self.family_of[member] = (len(self.families), row)
            self.families.append(_Family(blocks, members_array, touching, values))
        self.n = sum(f.values.size for f in self.families)
        row_ids = sorted(set(layout.row_of.values()))
        self.row_index = {r: i for i, r in enumerate(row_ids)}
        self.row_of_position = np.array([self.row_index[layout.row_of[b]] for b in self.booth_ids.tolist()], dtype=int)
        self.block_rows = [sparse.csr_matrix((np.ones(f.blocks.size), (np.repeat(np.arange(len(f.blocks)),
                                                                                 f.blocks.shape[1]),
                                                                       self.row_of_position[f.blocks].ravel())),
                                             shape=(len(f.blocks), len(row_ids))).minimum(1).tocsr()
                           for f in self.families]
        self.pair_requests = self._pair_requests()

    def rows_reachable(self, request_id: int) -> set[int]:
        """The rows (compact indices) a request can touch: its fixed booths' rows, or any of its blocks'."""
        if request_id in self.fixed_blocks:
            return {self.row_index[self.layout.row_of[b]] for b in self.fixed_blocks[request_id]}
        position = next((i for i, r in enumerate(self.variable) if r.id == request_id), None)
        if position is None:
            return set()
        f, _row = self.family_of[position]
        return set(self.row_of_position[self.families[f].blocks].ravel().tolist())

    def _pair_requests(self) -> set[int]:
        """Variable positions of requests with a near or avoid partner."""
        index = {r.id: i for i, r in enumerate(self.variable)}
        return {index[x] for attribute in ("near", "avoid") for pair in _pairs(self.requests, attribute)
                for x in pair if x in index}

    def block_ids(self, family: int, block: int) -> tuple[int, ...]:
        return tuple(int(self.booth_ids[p]) for p in self.families[family].blocks[block])

    def constant(self) -> float:
        """The objective of the fixed booths alone (their values and their pairs among themselves)."""
        fixed_requests = [r for r in self.requests if r.id in self.fixed_blocks]
        booths = [self.layout.by_id[b] for block in self.fixed_blocks.values() for b in block]
        return score(booths, fixed_requests, self.rules, self.fixed_blocks, self.edges) if fixed_requests else 0.0


@dataclass
class _Columns:
    """A subset of blocks: for each column its family, row in the family (the request) and block."""
    family: np.ndarray
    row: np.ndarray
    block: np.ndarray

    @classmethod
    def of(cls, parts: list[tuple[int, np.ndarray, np.ndarray]]) -> "_Columns":
        if not parts:
            return cls(np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0, dtype=int))
        return cls(np.concatenate([np.full(len(r), f, dtype=int) for f, r, _ in parts]),
                   np.concatenate([r for _, r, _ in parts]).astype(int),
                   np.concatenate([b for _, _, b in parts]).astype(int))

    def __len__(self) -> int:
        return len(self.family)


class _Programme:
    """The LP/MILP over some columns: request, booth, competitor and pair rows, auxiliary columns after the
    blocks."""

    def __init__(self, model: _Model, columns: _Columns, *, competitors: bool = True):
        self.model, self.columns = model, columns
        rules, n_requests, n_booths = model.rules, len(model.variable), len(model.booth_ids)
        n = len(columns)
        request = np.array([model.families[f].requests[r] for f, r in zip(columns.family, columns.row, strict=True)],
                           dtype=int).reshape(-1)
        self.request = request
        self.value = np.array([model.families[f].values[r, b]
                               for f, r, b in zip(columns.family, columns.row, columns.block, strict=True)])
        entries_row, entries_col, entries_val = [request], [np.arange(n)], [np.ones(n)]
        competitor_keys, competitor_cols = [], []
        for f, family in enumerate(model.families):
            mine = np.flatnonzero(columns.family == f)
            if not len(mine):
                continue
            blocks = family.blocks[columns.block[mine]]
            entries_row.append(n_requests + blocks.ravel())
            entries_col.append(np.repeat(mine, blocks.shape[1]))
            entries_val.append(np.ones(blocks.size))
            grouped = mine[model.request_group[request[mine]] >= 0] if competitors else mine[:0]
            touched = family.touching[columns.block[grouped]].tocoo()
            competitor_keys.append(touched.col * model.n_groups + model.request_group[request[grouped[touched.row]]])
            competitor_cols.append(grouped[touched.row])
        rhs = [np.ones(n_requests), np.ones(n_booths)]
        aux_cost, aux_upper = [], []
        next_row = n_requests + n_booths
        if competitor_keys:
            keys, cols = np.concatenate(competitor_keys), np.concatenate(competitor_cols)
            unique, inverse = np.unique(keys, return_inverse=True)
            already = np.array([model.fixed_touching.get((int(k) // model.n_groups, int(k) % model.n_groups), 0)
                                for k in unique], dtype=int)
            # A row matters only where two exhibitors can meet: two requests, or one and a fixed holder.
            requests_at = np.bincount(np.unique(np.column_stack([inverse, request[cols]]), axis=0)[:, 0],
                                      minlength=len(unique))
            keep_rows = (already < 2) & (requests_at + already >= 2)
            new_index = np.cumsum(keep_rows) - 1
            keep = keep_rows[inverse]
            entries_row.append(next_row + new_index[inverse[keep]])
            entries_col.append(cols[keep])
            entries_val.append(np.ones(keep.sum()))
            n_competitor = int(keep_rows.sum())
            self.competitor_keys = unique[keep_rows]
            entries_row.append(next_row + np.arange(n_competitor))
            entries_col.append(n + np.arange(n_competitor))
            entries_val.append(-np.ones(n_competitor))
            rhs.append(1.0 - already[keep_rows])
            aux_cost += [-rules.competitor_weight / 4] * n_competitor
            aux_upper += [1.0] * n_competitor
            next_row += n_competitor
        else:
            self.competitor_keys = np.zeros(0, dtype=int)
        self.competitor_rows = (n_requests + n_booths, next_row)
        pair_rows, pair_cols, pair_vals, pair_rhs = self._pair_rows(next_row, aux_cost, aux_upper)
        entries_row.append(np.array(pair_rows, dtype=int))
        entries_col.append(np.array(pair_cols, dtype=int))
        entries_val.append(np.array(pair_vals, dtype=float))
        rhs.append(np.array(pair_rhs, dtype=float))
        self.rhs = np.concatenate(rhs)
        self.cost = np.concatenate([self.value, np.array(aux_cost)])
        self.upper = np.concatenate([np.ones(n), np.array(aux_upper)])
        self.n_aux = len(aux_cost)
        self.A = sparse.csr_matrix((np.concatenate(entries_val), (np.concatenate(entries_row),
                                                                   np.concatenate(entries_col))),
                                   shape=(len(self.rhs), n + self.n_aux))

    def _pair_rows(self, first_row: int, aux_cost: list, aux_upper: list):
        """Near: w[pair, row] <= u[r, row], u[s, row], sum of w <= 1. Avoid: u[r, row] + u[s, row] - a <= 1.
        Rows exist for every row both can reach, so the pricing sees them all; `self.pair_prices` lists
        (LP row, request position, floor row, sign of the dual in a block's reduced cost)."""
        model, rules = self.model, self.model.rules
        index = {r.id: i for i, r in enumerate(model.variable)}
        fixed = model.fixed_blocks
        touches: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for j in np.flatnonzero(np.isin(self.request, list(model.pair_requests))):
            f, b = self.columns.family[j], self.columns.block[j]
            for row in set(model.row_of_position[model.families[f].blocks[b]].tolist()):
                touches[int(self.request[j])][row].append(int(j))
        out_rows, out_cols, out_vals, rhs = [], [], [], []
        self.pair_prices: list[tuple[int, int, int, float]] = []
        row_number = first_row

        def add(entries, bound):
            nonlocal row_number
            for col, val in entries:
                out_rows.append(row_number)
                out_cols.append(col)
                out_vals.append(val)
            rhs.append(bound)
            row_number += 1
            return row_number - 1

        def new_aux(cost):
            aux_cost.append(cost)
            aux_upper.append(1.0)
            return self.value.size + len(aux_cost) - 1

        for r, s in _pairs(model.requests, "near"):
            if r in fixed and s in fixed:
                continue
            bonuses = []
            for row in sorted(model.rows_reachable(r) & model.rows_reachable(s)):
                w = new_aux(rules.near_weight)
                bonuses.append(w)
                for request_id in (r, s):
                    if request_id not in fixed:  # a fixed request's u is the constant 1
                        position = index[request_id]
                        lp_row = add([(w, 1.0)] + [(j, -1.0) for j in touches[position].get(row, [])], 0.0)
                        self.pair_prices.append((lp_row, position, row, 1.0))
            if bonuses:
                add([(w, 1.0) for w in bonuses], 1.0)
        for r, s in _pairs(model.requests, "avoid"):
            if r in fixed and s in fixed:
                continue
            for row in sorted(model.rows_reachable(r) & model.rows_reachable(s)):
                a = new_aux(-rules.competitor_weight)
                constant = (r in fixed) + (s in fixed)
                variable = [index[x] for x in (r, s) if x not in fixed]
                lp_row = add([(a, -1.0)] + [(j, 1.0) for p in variable for j in touches[p].get(row, [])],
                             1.0 - constant)
                self.pair_prices += [(lp_row, p, row, -1.0) for p in variable]
        return out_rows, out_cols, out_vals, rhs

    def placement(self, chosen) -> dict[int, tuple[int, int]]:
        """Chosen columns as request position → (family, block)."""
        return {int(self.request[j]): (int(self.columns.family[j]), int(self.columns.block[j])) for j in chosen}

    def solve_lp(self):
        result = linprog(-self.cost, A_ub=self.A, b_ub=self.rhs, bounds=np.column_stack([np.zeros(len(self.cost)),
                                                                                          self.upper]),
                         method="highs")
        if result.status != 0:
            raise RuntimeError(f"LP relaxation failed: {result.message}")
        return -result.fun, np.maximum(-result.ineqlin.marginals, 0), result.x

    def solve_milp(self, deadline: float, gap: float):
        n = len(self.columns)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # threads/random_seed go to HiGHS verbatim
            return milp(-self.cost, integrality=np.concatenate([np.ones(n), np.zeros(self.n_aux)]),
                        bounds=Bounds(np.zeros(len(self.cost)), self.upper),
                        constraints=LinearConstraint(self.A, -np.inf, self.rhs),
                        options={"time_limit": max(deadline - time.perf_counter(), 0.2), "mip_rel_gap": gap,
                                 "presolve": True, "threads": 1, "random_seed": 0})

    def price(self, duals: np.ndarray):
        """Weak duality over every block: the Lagrangian upper bound (any non-negative duals give one; rows
        not in this LP have dual 0), and every block's reduced cost, family by family."""
        model = self.model
        n_requests, n_booths = len(model.variable), len(model.booth_ids)
        y, booth_price = duals[:n_requests], duals[n_requests:n_requests + n_booths]
        lam = np.zeros((len(model.edges), model.n_groups))
        start, end = self.competitor_rows
        keys = self.competitor_keys
        lam[keys // model.n_groups, keys % model.n_groups] = duals[start:end]
        reduced_aux = (self.cost - self.A.T @ duals)[len(self.columns):]
        # Each request takes at most one block, so it adds at most its best reduced cost before its own dual
        # (a Lagrangian relaxation that keeps the request rows): much tighter than summing every block.
        bound = float(self.rhs[n_requests:] @ duals[n_requests:]) + \
            float(np.maximum(reduced_aux, 0) @ self.upper[len(self.columns):])
        pair_dual: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(len(model.row_index)))
        for lp_row, position, row, sign in self.pair_prices:
            pair_dual[position][row] += sign * duals[lp_row]
        reduced = []
        for f, family in enumerate(model.families):
            groups = model.request_group[family.requests]
            competitor = np.asarray(family.touching @ lam)  # blocks × groups
            rc = family.values - y[family.requests][:, None] - booth_price[family.blocks].sum(axis=1)[None, :]
            rc -= np.where(groups[:, None] >= 0, competitor[:, np.maximum(groups, 0)].T, 0)
            for row, position in enumerate(family.requests):
                if position in pair_dual:
                    rc[row] += model.block_rows[f] @ pair_dual[position]
            if rc.shape[1]:
                bound += float(np.maximum(rc.max(axis=1) + y[family.requests], 0).sum())
            reduced.append(rc)
        return bound, reduced


def _start_columns(model: _Model, start: Mapping[int, tuple[int, int]]) -> _Columns:
    """Each request's best blocks, and the blocks ranked around the one the greedy gave it (the greedy
    matches priorities to spots roughly as the LP does, so this starts the LP close to its optimum); a
    request the greedy left out gets its least valuable blocks, where the last places are contested."""
    parts = []
    for f, family in enumerate(model.families):
        order = np.argsort(-family.values, axis=1, kind="stable")
        width = order.shape[1]
        for row, position in enumerate(family.requests):
            if position in start:
                at = int(np.flatnonzero(order[row] == start[position][1])[0])
                window = order[row, max(0, at - START_COLUMNS // 2):at + START_COLUMNS // 2 + 1]
            else:
                window = order[row, max(0, width - START_COLUMNS):]
            blocks = np.unique(np.concatenate([order[row, :START_COLUMNS // 2], window]))
            parts.append((f, np.full(len(blocks), row), blocks))
    return _Columns.of(parts)


def _all_columns(model: _Model) -> _Columns:
    return _Columns.of([(f, np.repeat(np.arange(fam.values.shape[0]), fam.values.shape[1]),
                         np.tile(np.arange(fam.values.shape[1]), fam.values.shape[0]))
                        for f, fam in enumerate(model.families)])


def _generate_columns(model: _Model, start: Mapping[int, tuple[int, int]], deadline: float):
    """Column generation on the LP relaxation without competitor penalties: the last programme, its LP
    solution, and the best Lagrangian upper bound (valid for every block)."""
    columns = _start_columns(model, start)
    bound = float("inf")
    for _ in range(MAX_ROUNDS):
        began = time.perf_counter()
        # Without the competitor rows: dropping penalties only raises the optimum, so the bound stays valid,
        # and the LP is several times faster (its relaxation of those rows is weak anyway).
        programme = _Programme(model, columns, competitors=False)
        value, duals, x = programme.solve_lp()
        lagrangian, reduced = programme.price(duals)
        bound = min(bound, lagrangian)
        next_round_ends = time.perf_counter() + 1.3 * (time.perf_counter() - began)
        if bound - value <= LP_TOLERANCE * max(abs(bound), 1) or next_round_ends > deadline:
            break
        # Add each request's most profitable blocks not yet in.
        parts, added = [], 0
        for f, rc in enumerate(reduced):
            mine = np.flatnonzero(columns.family == f)
            rows, blocks = columns.row[mine], columns.block[mine]
            parts.append((f, rows, blocks))
            rc = rc.copy()
            rc[rows, blocks] = -np.inf
            best = np.argsort(-rc, axis=1, kind="stable")[:, :ADD_COLUMNS]
            rows = np.repeat(np.arange(rc.shape[0]), best.shape[1])
            blocks = best.ravel()
            profitable = rc[rows, blocks] > 1e-7
            parts.append((f, rows[profitable], blocks[profitable]))
            added += int(profitable.sum())
        if not added:
            break
        columns = _Columns.of(parts)
    return programme, x[:len(programme.columns)], bound


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
    finished, complete, bound = True, model.n <= FULL_MODEL_COLUMNS, float("inf")
    if model.n:
        start = _fill(model, {})
        if complete:
            programme = _Programme(model, _all_columns(model))
            result = programme.solve_milp(deadline, 1e-6)
            finished = result.status == 0
            if result.mip_dual_bound is not None:
                bound = -result.mip_dual_bound
            placed = start if result.x is None else \
                _fill(model, programme.placement(np.flatnonzero(result.x[:len(programme.columns)] > 0.5)))
        else:
            # Large: round the LP relaxation (nearly integral here), fill up, polish with the MILP on the LP's
            # blocks; the bound is the Lagrangian one over every block.
            programme, x, bound = _generate_columns(model, start, deadline - 0.15 * rules.time_limit_seconds)
            finished = False
            rounded = _fill(model, programme.placement(_round(programme, x)))
            placed = max((_polish(model, programme, x, rounded, deadline), start), key=lambda p: _value(model, p))
        for position, (f, b) in placed.items():
            assignments[model.variable[position].id] = model.block_ids(f, b)
        bound += constant
    objective = score(booths, requests, rules, assignments, adjacent)
    bound = objective if not model.n else max(bound, objective)
    gap = 100 * (bound - objective) / max(abs(bound), EPS)
    proven = gap <= 1e-4 or (finished and complete)
    unassigned, details = _explain(model, assignments, finished)
    return AllocationResult(assignments={r: tuple(sorted(b)) for r, b in sorted(assignments.items())},
                            objective=round(objective, 6), upper_bound=round(bound, 6),
                            gap_percent=round(gap, 4), proven_optimal=proven,
                            seconds=round(time.perf_counter() - started, 3), unassigned=unassigned, details=details)


def _value(model: _Model, placed: Mapping[int, tuple[int, int]]) -> float:
    assignments = dict(model.fixed_blocks)
    for position, (f, b) in placed.items():
        assignments[model.variable[position].id] = model.block_ids(f, b)
    return score(list(model.layout.by_id.values()), model.requests, model.rules, assignments, model.edges)


def _round(programme: _Programme, x: np.ndarray) -> list[int]:
    """Blocks in decreasing LP value (then block value, then order), each kept when its request and booths
    are still free."""
    model = programme.model
    order = np.lexsort((np.arange(len(x)), -programme.value, -np.round(x, 6)))
    chosen, requests, booths = [], set(), set()
    for j in order:
        if x[j] < 1e-6:
            break
        block = set(model.families[programme.columns.family[j]].blocks[programme.columns.block[j]].tolist())
        if programme.request[j] not in requests and not booths & block:
            chosen.append(int(j))
            requests.add(programme.request[j])
            booths |= block
    return chosen


def _polish(model: _Model, programme: _Programme, x: np.ndarray, rounded: dict[int, tuple[int, int]],
            deadline: float) -> dict[int, tuple[int, int]]:
    """The MILP on the blocks the LP uses plus the rounded solution's, in the time left; the better of the
    two (after filling up) wins."""
    support = np.flatnonzero(x > 1e-6)
    rounded_columns = _Columns.of([(f, np.array([model.family_of[p][1]]), np.array([b]))
                                   for p, (f, b) in sorted(rounded.items())])
    columns = _Columns(np.concatenate([programme.columns.family[support], rounded_columns.family]),
                       np.concatenate([programme.columns.row[support], rounded_columns.row]),
                       np.concatenate([programme.columns.block[support], rounded_columns.block]))
    small = _Programme(model, columns)
    result = small.solve_milp(deadline, 1e-3)
    if result.x is None:
        return rounded
    polished = _fill(model, small.placement(np.flatnonzero(result.x[:len(columns)] > 0.5)))
    return polished if _value(model, polished) > _value(model, rounded) else rounded


def _fill(model: _Model, placed: dict[int, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """Requests not yet placed take their most valuable still-free block, highest priority first."""
    placed = dict(placed)
    taken = np.zeros(len(model.booth_ids), dtype=bool)
    for f, b in placed.values():
        taken[model.families[f].blocks[b]] = True
    for position in sorted(range(len(model.variable)), key=lambda p: (-model.variable[p].priority,
                                                                      model.variable[p].id)):
        if position in placed:
            continue
        f, row = model.family_of[position]
        family = model.families[f]
        if not family.values.shape[1]:
            continue
        values = np.where(taken[family.blocks].any(axis=1), -np.inf, family.values[row])
        best = int(np.argmax(values))
        if values[best] > -np.inf:
            placed[position] = (f, best)
            taken[family.blocks[best]] = True
    return placed


def greedy(booths: list[BoothSlot], requests: list[Request], rules: Rules, fixed: Mapping[int, int] | None = None,
           *, adjacent: Iterable[tuple[int, int]]) -> AllocationResult:
    """The obvious loop: highest priority first, each takes its most valuable free block. The baseline the
    benchmark compares against, and the fallback should the MILP stop before finding any solution."""
    started = time.perf_counter()
    adjacent = list(adjacent)
    model = _Model(booths, requests, rules, adjacent, dict(fixed or {}))
    assignments = dict(model.fixed_blocks)
    for position, (f, b) in _fill(model, {}).items():
        assignments[model.variable[position].id] = model.block_ids(f, b)
    objective = score(booths, requests, rules, assignments, adjacent)
    return AllocationResult(assignments=assignments, objective=round(objective, 6), upper_bound=float("nan"),
                            gap_percent=float("nan"), proven_optimal=False,
                            seconds=round(time.perf_counter() - started, 3))


def _explain(model: _Model, assignments: Mapping[int, tuple[int, ...]], finished: bool):
    """A reason code, and the figures the message needs, for every request left without a booth."""
    layout = model.layout
    taken = np.zeros(len(model.booth_ids), dtype=bool)
    for block in assignments.values():
        taken[[model.position[b] for b in block if b in model.position]] = True
    unassigned: dict[int, str] = {}
    details: dict[int, dict] = {}
    index = {r.id: i for i, r in enumerate(model.variable)}
    for request in model.requests:
        if request.id in assignments:
            continue
        fitting = [b for b in layout.by_id.values() if type_fits(request.booth_type, b.booth_type)]
        free = [b for b in fitting if b.id in model.position]
        info = {"booth_type": request.booth_type, "count": request.count, "booths_of_type": len(fitting),
                "free_of_type": len(free)}
        family = model.families[model.family_of[index[request.id]][0]] if request.id in index else None
        if not fitting:
            code = NO_BOOTH_TYPE
        elif len(free) < request.count:
            code = NOT_ENOUGH_BOOTHS
        elif family is None or not family.values.shape[1]:
            code = NO_ADJACENT_BLOCK
        elif not taken[family.blocks].any(axis=1).all():
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
