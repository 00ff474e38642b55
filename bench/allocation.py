"""Automatic booth allocation: seeded fairs of 50, 300 and 1,000 booths with 1.2 approved applications per
booth (mixed booth types, requests for 1–4 adjacent booths, zone, near and avoid preferences, product
groups), solved by the MILP of eventhub/booths/allocation.py with the default rules. The baseline,
measured in the same run, is the greedy loop (highest priority first takes its best block). For the
50-booth fair the optimum is also proved independently: the same instance solved with no time limit and
no tolerance, by HiGHS on the MILP over every block.

    .venv/bin/python bench/allocation.py [--sizes 50,300,1000] [--seed 2026]

Prints one JSON object per size; exits non-zero unless the 1,000-booth fair solves in under 5 s with
gap_percent <= 2 and the 50-booth fair matches the proven optimum."""
import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from eventhub.booths.allocation import solver as allocation  # noqa: E402
from eventhub.booths.allocation.services import slot_adjacency  # noqa: E402

BOOTH_TYPES = [("ocop", 0.35), ("startup", 0.30), ("enterprise", 0.15), ("food", 0.10), ("institution", 0.07),
               ("sponsor", 0.03)]
PRODUCT_GROUPS = ["food", "beverage", "herbal", "handicraft", "textile", "agriculture", "tourism", "technology",
                  "other"]
ROW_LENGTH = 10


def fair(booth_count: int, seed: int) -> tuple[list, list]:
    """Back-to-back rows of 3x3 m booths, 3 m aisles, each pair of rows one type and one zone; the entrance
    at the hall's corner (0, 0)."""
    rng = random.Random(seed)
    types = [t for t, share in BOOTH_TYPES for _ in range(max(1, round(share * booth_count)))]
    types = (types + ["ocop"] * booth_count)[:booth_count]
    booths = []
    hall = (ROW_LENGTH * 3, (booth_count // ROW_LENGTH + 1) * 4.5)
    for index, booth_type in enumerate(types):
        row, column = divmod(index, ROW_LENGTH)
        x, y = column * 3.0, (row // 2) * 9.0 + (row % 2) * 3.0
        zone = 1000 + row // 2  # one zone per pair of rows
        premium = rng.choice([0, 0, 0, 1, 2, 3])
        nearness = 1 - ((x + 1.5) ** 2 + (y + 1.5) ** 2) ** 0.5 / (hall[0] ** 2 + hall[1] ** 2) ** 0.5
        booths.append(allocation.BoothSlot(id=index + 1, code=f"B{index + 1:04d}", booth_type=booth_type,
                                           zone_id=zone, x=x, y=y, width=3.0, depth=3.0,
                                           quality=round(0.5 * premium / 3 + 0.5 * max(nearness, 0), 4)))
    zones_of_type: dict[str, list[int]] = {}
    for booth in booths:
        zones_of_type.setdefault(booth.booth_type, [])
        if booth.zone_id not in zones_of_type[booth.booth_type]:
            zones_of_type[booth.booth_type].append(booth.zone_id)

    count = round(1.2 * booth_count)
    drafts = []
    for request_id in range(1, count + 1):
        booth_type = rng.choice(types)
        drafts.append({
            "id": request_id, "booth_type": booth_type,
            "count": rng.choices([1, 2, 3, 4], weights=[80, 12, 5, 3])[0],
            "zone_id": rng.choice(zones_of_type[booth_type]) if rng.random() < 0.5 else None,
            "priority": round(rng.random(), 3), "product_group": rng.choice(PRODUCT_GROUPS)})
    same_type: dict[str, list[int]] = {}
    for draft in drafts:
        same_type.setdefault(draft["booth_type"], []).append(draft["id"])
    requests = []
    for draft in drafts:
        others = [r for r in same_type[draft["booth_type"]] if r != draft["id"]]
        near = {rng.choice(others)} if others and rng.random() < 0.08 else set()
        avoid = {rng.choice(others)} if others and rng.random() < 0.05 else set()
        requests.append(allocation.Request(**draft, near=frozenset(near), avoid=frozenset(avoid - near)))
    return booths, requests


def run(size: int, seed: int) -> dict:
    booths, requests = fair(size, seed)
    adjacent = slot_adjacency(booths)
    rules = allocation.Rules()
    cpu_started = time.process_time()
    result = allocation.allocate(booths, requests, rules, adjacent=adjacent)
    cpu_seconds = time.process_time() - cpu_started
    baseline = allocation.greedy(booths, requests, rules, adjacent=adjacent)
    line = {"bench": "allocation", "booths": len(booths), "applications": len(requests), "seconds": result.seconds,
            "objective": result.objective, "upper_bound": result.upper_bound, "gap_percent": result.gap_percent,
            "assigned": len(result.assignments), "unassigned": len(result.unassigned),
            "proven_optimal": result.proven_optimal, "cpu_seconds": round(cpu_seconds, 3),
            "baseline_objective": baseline.objective,
            "baseline_assigned": len(baseline.assignments),
            "reasons": dict(sorted(Counter(result.unassigned.values()).items()))}
    if size <= 50:
        line["proven_optimum"] = proven_optimum(booths, requests, rules, adjacent)
        line["matches_optimum"] = abs(line["proven_optimum"] - result.objective) <= 1e-6 * max(1, abs(result.objective))
    return line


def proven_optimum(booths, requests, rules, adjacent) -> float:
    """The optimum proved by HiGHS with no time limit and no gap tolerance over every block."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    model = allocation._Model(booths, requests, rules, adjacent, {})
    programme = allocation._Programme(model, allocation._all_columns(model))
    n = len(programme.columns)
    result = milp(-programme.cost, integrality=np.concatenate([np.ones(n), np.zeros(programme.n_aux)]),
                  bounds=Bounds(np.zeros(len(programme.cost)), programme.upper),
                  constraints=LinearConstraint(programme.A, -np.inf, programme.rhs), options={"mip_rel_gap": 0})
    assert result.status == 0, result.message
    return round(-result.fun + model.constant(), 6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,300,1000")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    ok = True
    for size in (int(s) for s in args.sizes.split(",")):
        line = run(size, args.seed)
        print(json.dumps(line, ensure_ascii=False), flush=True)
        if size >= 1000:
            ok &= line["seconds"] < 5 and line["gap_percent"] <= 2
        if "matches_optimum" in line:
            ok &= line["matches_optimum"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
