"""The pure solver on tiny hand-made fairs whose optimum is known; no database."""
from eventhub.booths.allocation import solver as allocation
from eventhub.booths.allocation.services import slot_adjacency
from eventhub.booths.allocation.solver import BoothSlot, Request, Rules

RULES = Rules(time_limit_seconds=5)


def row(count, *, booth_type="ocop", start_id=1, y=0.0, zone=None, quality=None, x0=0.0):
    """`count` touching 3x3 m booths from left to right; quality falls from 1 at the left by default."""
    return [BoothSlot(id=start_id + i, code=f"{booth_type[:1].upper()}{start_id + i}", booth_type=booth_type,
                      zone_id=zone, x=x0 + 3.0 * i, y=y, width=3.0, depth=3.0,
                      quality=quality[i] if quality else round(1 - i / max(count, 1), 3))
            for i in range(count)]


def request(request_id, *, booth_type="ocop", count=1, zone=None, priority=0.5, group=None, near=(), avoid=()):
    return Request(id=request_id, booth_type=booth_type, count=count, zone_id=zone, priority=priority,
                   product_group=group, near=frozenset(near), avoid=frozenset(avoid))


def solve(booths, requests, rules=RULES, fixed=None):
    return allocation.allocate(booths, requests, rules, fixed, adjacent=slot_adjacency(booths))


def test_types_never_mix_and_missing_type_is_explained():
    booths = row(2, booth_type="ocop") + row(2, booth_type="startup", start_id=10, y=6.0)
    result = solve(booths, [request(1, booth_type="startup"), request(2, booth_type="food"),
                            request(3, booth_type="ocop")])
    assert set(result.assignments[1]) <= {10, 11}
    assert set(result.assignments[3]) <= {1, 2}
    assert result.unassigned == {2: allocation.NO_BOOTH_TYPE}
    assert result.proven_optimal and result.gap_percent == 0


def test_multi_booth_request_gets_adjacent_booths_in_a_row():
    # Booths 1-2 touch, 3 stands alone 1 m away, 4-5 touch in another row.
    booths = row(2) + row(1, start_id=3, x0=7.0) + row(2, start_id=4, y=6.0)
    result = solve(booths, [request(1, count=2, priority=1), request(2, count=2, priority=0.1)])
    blocks = {frozenset(result.assignments[1]), frozenset(result.assignments[2])}
    assert blocks == {frozenset({1, 2}), frozenset({4, 5})}


def test_four_booths_as_a_two_by_two_square():
    booths = row(2) + row(2, start_id=3, y=3.0)  # a 2x2 block, no run of 4
    result = solve(booths, [request(1, count=4)])
    assert result.assignments[1] == (1, 2, 3, 4)


def test_no_adjacent_block_and_not_enough_booths_are_explained():
    booths = row(1) + row(1, start_id=2, x0=10.0) + row(1, start_id=3, x0=20.0)
    result = solve(booths, [request(1, count=2), request(2, count=4)])
    assert result.unassigned == {1: allocation.NO_ADJACENT_BLOCK, 2: allocation.NOT_ENOUGH_BOOTHS}
    assert result.details[2]["free_of_type"] == 3


def test_higher_priority_takes_the_best_spot_and_the_loser_is_told_why():
    booths = row(2, quality=[1.0, 0.0])
    result = solve(booths, [request(1, priority=0.2), request(2, priority=0.9), request(3, priority=0.5)])
    assert result.assignments == {2: (1,), 3: (2,)}
    assert result.unassigned == {1: allocation.OUTBID}
    assert result.details[1]["rivals"] == 2 and result.details[1]["rivals_higher"] == 2


def test_zone_preference_wins_over_a_better_spot():
    booths = row(1, zone=7, quality=[0.0]) + row(1, start_id=2, x0=10.0, quality=[1.0])
    result = solve(booths, [request(1, zone=7)], Rules(zone_weight=2, priority_weight=1, time_limit_seconds=5))
    assert result.assignments == {1: (1,)}


def test_locked_booths_stay_and_blocked_booths_are_never_used():
    booths = row(3, quality=[1.0, 0.5, 0.0])
    # Booth 1 is locked to the low-priority request 1; booth 3 is "blocked": the service does not pass it.
    result = solve(booths[:2], [request(1, priority=0.0), request(2, priority=1.0)], fixed={1: 1})
    assert result.assignments == {1: (1,), 2: (2,)}
    assert 3 not in {b for block in result.assignments.values() for b in block}


def test_requested_neighbours_share_a_row():
    # Two rows of two; 1 and 2 want to be near each other, 3 and 4 are indifferent.
    booths = row(2, quality=[1.0, 1.0]) + row(2, start_id=3, y=9.0, quality=[1.0, 1.0])
    requests = [request(1, near={2}), request(2), request(3), request(4)]
    result = solve(booths, requests)
    rows = {r: min(result.assignments[r]) <= 2 for r in (1, 2)}
    assert rows[1] == rows[2]
    # The same fair without the wish has the same value minus the bonus: the solver's objective is honest.
    plain = solve(booths, [request(1), request(2), request(3), request(4)])
    assert round(result.objective - plain.objective, 6) == RULES.near_weight


def test_competitors_of_one_product_group_are_kept_apart():
    # A row of four: two coffee makers and two weavers; the best is alternating groups (no touching pair).
    booths = row(4, quality=[0.5] * 4)
    requests = [request(1, group="beverage"), request(2, group="beverage"), request(3, group="handicraft"),
                request(4, group="handicraft")]
    result = solve(booths, requests)
    holder = {b: r for r, block in result.assignments.items() for b in block}
    groups = [requests[holder[b] - 1].product_group for b in (1, 2, 3, 4)]
    assert all(groups[i] != groups[i + 1] for i in range(3)), groups
    assert result.proven_optimal


def test_same_input_same_result():
    booths = row(6) + row(6, start_id=7, y=3.0)
    requests = [request(i, count=1 + i % 3, priority=(i % 4) / 4, group=["food", "herbal"][i % 2]) for i in range(1, 9)]
    first, second = solve(booths, requests), solve(booths, requests)
    assert first.assignments == second.assignments
    assert first.objective == second.objective and first.unassigned == second.unassigned


def test_objective_matches_the_independent_score_and_beats_the_greedy():
    booths = row(5) + row(5, start_id=6, y=3.0)
    requests = [request(1, count=2, priority=0.9), request(2, count=3, priority=0.8), request(3, priority=0.7),
                request(4, count=2, priority=0.6), request(5, count=2, priority=0.1)]
    adjacent = slot_adjacency(booths)
    result = solve(booths, requests)
    assert result.objective == round(allocation.score(booths, requests, RULES, result.assignments, adjacent), 6)
    assert result.objective >= allocation.greedy(booths, requests, RULES, adjacent=adjacent).objective
    assert result.upper_bound >= result.objective and result.proven_optimal


def test_a_large_fair_goes_through_column_generation_and_stays_valid_and_bounded():
    from bench.allocation import fair

    booths, requests = fair(300, seed=7)
    adjacent = slot_adjacency(booths)
    model = allocation._Model(booths, requests, RULES, adjacent, {})
    assert model.n > allocation.FULL_MODEL_COLUMNS  # the large path
    result = allocation.allocate(booths, requests, Rules(time_limit_seconds=20), adjacent=adjacent)

    by_id = {b.id: b for b in booths}
    wants = {r.id: r for r in requests}
    used = [b for block in result.assignments.values() for b in block]
    assert len(used) == len(set(used))
    pairs = {tuple(sorted(p)) for p in adjacent}
    for request_id, block in result.assignments.items():
        assert len(block) == wants[request_id].count
        assert {by_id[b].booth_type for b in block} == {wants[request_id].booth_type}
        if len(block) > 1:  # connected through adjacencies
            reached, frontier = {block[0]}, [block[0]]
            while frontier:
                here = frontier.pop()
                for other in block:
                    if other not in reached and tuple(sorted((here, other))) in pairs:
                        reached.add(other)
                        frontier.append(other)
            assert reached == set(block)
    assert set(result.assignments) | set(result.unassigned) == set(wants)
    assert result.objective == round(allocation.score(booths, requests, RULES, result.assignments, adjacent), 6)
    assert result.objective <= result.upper_bound and result.gap_percent <= 2
    assert result.objective > allocation.greedy(booths, requests, RULES, adjacent=adjacent).objective
