"""Assigning judges to entries as a small integer programme (scipy's HiGHS, as the booth allocation does).
Pure: plain values in, plain values out.

Variables: x[e, j] = 1 when judge j scores entry e, only for eligible pairs (the judge knows the entry's field,
or either has no field, and declared no conflict with it). Hard constraints: every coverable entry gets exactly
k judges; every judge's load lies between `low` and `high`, two integer variables. Objective, minimised:
(high - low) first, so the loads are as even as the fields allow (within one when they can be), then a tiny
cost per pair derived from the ids so that among equal plans one is always the same one (deterministic).
An entry with fewer than k eligible judges cannot be covered by any plan: it is left out with its reason
before solving, so the programme is always feasible."""
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

TIME_LIMIT_SECONDS = 20


@dataclass(frozen=True)
class EntryNeed:
    id: int
    field_id: int | None


@dataclass(frozen=True)
class JudgeOffer:
    id: int
    field_ids: frozenset[int] = frozenset()
    conflicts: frozenset[int] = frozenset()  # entry ids


@dataclass
class Uncovered:
    entry_id: int
    eligible: int   # judges of the field without a conflict
    conflicted: int  # judges of the field who declared a conflict


@dataclass
class AssignmentPlan:
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (entry id, judge id), sorted
    uncovered: list[Uncovered] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)

    @property
    def spread(self) -> int:
        busy = [load for load in self.loads.values()]
        return max(busy) - min(busy) if busy else 0


def knows(judge: JudgeOffer, entry: EntryNeed) -> bool:
    return entry.field_id is None or not judge.field_ids or entry.field_id in judge.field_ids


def assign(entries: list[EntryNeed], judges: list[JudgeOffer], k: int) -> AssignmentPlan:
    entries = sorted(entries, key=lambda e: e.id)
    judges = sorted(judges, key=lambda j: j.id)
    plan = AssignmentPlan()
    pairs: list[tuple[int, int]] = []  # (entry index, judge index)
    covered: list[int] = []
    for e_index, entry in enumerate(entries):
        matching = [j for j, judge in enumerate(judges) if knows(judge, entry)]
        eligible = [j for j in matching if entry.id not in judges[j].conflicts]
        if len(eligible) < k:
            plan.uncovered.append(Uncovered(entry.id, len(eligible), len(matching) - len(eligible)))
            continue
        covered.append(e_index)
        pairs.extend((e_index, j) for j in eligible)
    reachable = sorted({j for _e, j in pairs})
    plan.loads = {judges[j].id: 0 for j in reachable}
    if not pairs:
        return plan
    chosen = _solve(pairs, covered, reachable, k, len(entries), len(judges))
    for e_index, j_index in chosen:
        plan.pairs.append((entries[e_index].id, judges[j_index].id))
        plan.loads[judges[j_index].id] += 1
    plan.pairs.sort()
    return plan


def _solve(pairs, covered, reachable, k, n_entries, n_judges) -> list[tuple[int, int]]:
    n = len(pairs)
    low, high = n, n + 1  # the two load-bound variables after the pair variables
    rows, cols, values, lower, upper = [], [], [], [], []
    entry_row = {e: r for r, e in enumerate(covered)}
    for column, (e, _j) in enumerate(pairs):
        rows.append(entry_row[e])
        cols.append(column)
        values.append(1.0)
    lower += [k] * len(covered)
    upper += [k] * len(covered)
    base = len(covered)
    judge_row = {j: base + 2 * r for r, j in enumerate(reachable)}
    for column, (_e, j) in enumerate(pairs):
        rows += [judge_row[j], judge_row[j] + 1]
        cols += [column, column]
        values += [1.0, 1.0]
    for j in reachable:
        rows += [judge_row[j], judge_row[j] + 1]  # load - high <= 0 and load - low >= 0
        cols += [high, low]
        values += [-1.0, -1.0]
        lower += [-np.inf, 0]
        upper += [0, np.inf]
    matrix = sparse.csr_array((values, (rows, cols)), shape=(base + 2 * len(reachable), n + 2))
    # Tie-break costs: distinct, tiny, from the indices, summing to far less than one unit of spread.
    tie = np.array([((e * 7919 + j * 104729) % 1009 + 1) for e, j in pairs], dtype=float)
    tie /= tie.sum() * 2 + 1
    cost = np.concatenate([tie, [-1.0, 1.0]])
    result = milp(cost, constraints=LinearConstraint(matrix, lower, upper), integrality=np.ones(n + 2),
                  bounds=Bounds(np.zeros(n + 2), np.concatenate([np.ones(n), [n_entries, n_entries]])),
                  options={"time_limit": TIME_LIMIT_SECONDS})
    if result.x is None:  # cannot happen: every covered entry has k eligible judges and loads are free
        raise RuntimeError(f"assignment programme failed: {result.message}")
    return [pairs[c] for c in range(n) if result.x[c] > 0.5]
