"""Allocation through the service (database, one transaction, locks, manual override, audit) and the page."""
import re

import pytest
import sqlalchemy as sa

from eventhub.booths.allocation import services as service
from eventhub.booths.allocation.models import AllocationRun, AllocationSource, BoothAssignment
from eventhub.booths.allocation.solver import Rules
from eventhub.booths.applications.models import ApplicationStatus, ProductGroup
from eventhub.booths.floorplan.models import BoothAuditLog, BoothStatus, BoothType
from eventhub.errors import DomainError
from eventhub.extensions import db
from tests.booths import factories as booths

RULES = Rules(time_limit_seconds=5)


@pytest.fixture
def fair(factory):
    """OCOP row A1–A4 (A1 at the entrance), a lone startup booth S1, an organiser."""
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event, entrance_x_m=0, entrance_y_m=0)
    row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * (i - 1), y_m=0) for i in range(1, 5)]
    startup = booths.make_booth(plan, "S1", x_m=30, y_m=30, booth_type=BoothType.STARTUP)
    organiser = factory.user("tochuc@example.vn", organisation=organisation)
    return {"event": event, "plan": plan, "row": row, "startup": startup, "organiser": organiser}


def approved(fair, stars=4, **overrides):
    products = overrides.pop("products", [{"ocop_stars": stars}])
    return booths.make_application(fair["event"], status=ApplicationStatus.APPROVED, products=products, **overrides)


def held_by() -> dict[str, int]:
    rows = db.session.execute(sa.text("SELECT b.code, a.application_id FROM booth_assignments a "
                                      "JOIN booths b ON b.id = a.booth_id ORDER BY b.code"))
    return dict(rows.all())


def test_run_assigns_by_priority_writes_the_run_and_the_audit(fair):
    five = approved(fair, 5)
    three = approved(fair, 3)
    pair = approved(fair, 3, booths_requested=2)
    startup = approved(fair, None, booth_type=BoothType.STARTUP, booths_requested=2,
                       products=[{"ocop_stars": None, "product_group": ProductGroup.TECHNOLOGY}])
    booths.make_application(fair["event"], status=ApplicationStatus.SUBMITTED)  # not approved: ignored

    run = service.run(fair["event"].id, RULES, actor_user_id=fair["organiser"].id)

    placed = held_by()
    assert placed["A1"] == five.id  # 5 stars at the entrance
    assert sorted(code for code, a in placed.items() if a == pair.id) in (["A2", "A3"], ["A3", "A4"])
    assert three.id in placed.values()
    assert run.assigned == 3 and run.unassigned == 1 and run.proven_optimal
    assert run.explanations[str(startup.id)]["code"] == "not_enough_booths"
    assert "chỉ còn 1 gian" in run.explanations[str(startup.id)]["text"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AllocationRun)) == 1
    log = db.session.scalars(sa.select(BoothAuditLog)).all()
    assert [(e.action, e.actor_user_id) for e in log] == [("auto_allocate", fair["organiser"].id)]
    assert {b.status for b in fair["row"] if db.session.refresh(b) is None} == {BoothStatus.ASSIGNED}


def test_priority_by_application_time_puts_the_first_applicant_at_the_entrance(fair):
    early = approved(fair, 3)
    late = approved(fair, 5)
    late.submitted_at = early.submitted_at.replace(year=early.submitted_at.year + 1)
    db.session.commit()
    service.run(fair["event"].id, RULES, priority_basis=service.PriorityBasis.TIME)
    assert held_by()["A1"] == early.id
    service.run(fair["event"].id, RULES, priority_basis=service.PriorityBasis.STARS)
    assert held_by()["A1"] == late.id


def test_locked_stays_blocked_unused_and_rerun_replaces_the_rest(fair):
    low = approved(fair, 3)
    high = approved(fair, 5)
    a1, a2, a3, a4 = fair["row"]
    booths.make_assignment(a1, low, locked=True)
    a2.status = BoothStatus.BLOCKED
    db.session.commit()
    service.run(fair["event"].id, RULES)
    first = held_by()
    assert first["A1"] == low.id and "A2" not in first and first["A3"] == high.id

    service.run(fair["event"].id, RULES)  # again: same result, auto rows replaced, not duplicated
    assert held_by() == first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothAssignment)) == 2


def test_a_run_keeps_the_booths_exhibitors_picked_and_confirmed(fair):
    from eventhub.booths.floorplan.models import BookingMode
    from eventhub.booths.selfbooking import services as selfbooking

    fair["plan"].booking_mode, fair["plan"].self_booking_open = BookingMode.SELF_BOOKING, True
    db.session.commit()
    picker, other = approved(fair, 5), approved(fair, 3)
    far = fair["row"][3]
    selfbooking.hold(picker.id, picker.exhibitor_id, [far.id])
    selfbooking.confirm(picker.id, picker.exhibitor_id)

    service.run(fair["event"].id, RULES)

    placed = held_by()
    assert placed["A4"] == picker.id and list(placed.values()).count(picker.id) == 1
    assert placed["A1"] == other.id
    assert db.session.scalar(sa.select(BoothAssignment.source).where(BoothAssignment.booth_id == far.id)) == \
        AllocationSource.SELF


def test_nothing_is_half_written_when_the_plan_changed_during_the_solve(fair, monkeypatch):
    application = approved(fair)
    real_allocate = service.allocation.allocate

    def allocate_while_someone_edits(*args, **kwargs):
        result = real_allocate(*args, **kwargs)
        booths.make_assignment(fair["row"][3], approved(fair), locked=True)
        db.session.execute(sa.text("UPDATE floor_plans SET version = version + 1"))
        db.session.commit()
        return result

    monkeypatch.setattr(service.allocation, "allocate", allocate_while_someone_edits)
    with pytest.raises(DomainError) as error:
        service.run(fair["event"].id, RULES)
    assert error.value.code == "plan_changed"
    assert application.id not in held_by().values()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AllocationRun)) == 0


def test_a_run_is_refused_when_the_organiser_changed_a_priority_during_the_solve(fair, monkeypatch):
    from eventhub.booths.applications import review

    application = approved(fair, 3)
    real_allocate = service.allocation.allocate

    def allocate_while_the_organiser_reprioritises(*args, **kwargs):
        result = real_allocate(*args, **kwargs)
        review.update_organiser_fields(application.id, fair["event"].id, priority=100, near_exhibitor_ids=[],
                                       avoid_exhibitor_ids=[])
        return result

    monkeypatch.setattr(service.allocation, "allocate", allocate_while_the_organiser_reprioritises)
    with pytest.raises(DomainError) as error:
        service.run(fair["event"].id, RULES)
    assert error.value.code == "plan_changed"
    assert held_by() == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AllocationRun)) == 0


def test_manual_move_swap_lock_unassign_are_validated_and_audited(fair):
    organiser = fair["organiser"].id
    first, second = approved(fair), approved(fair)
    wide = approved(fair, booths_requested=2)
    a1, a2, a3, a4 = fair["row"]
    service.move(fair["event"].id, first.id, [a1.id], actor_user_id=organiser)
    service.move(fair["event"].id, second.id, [a2.id], actor_user_id=organiser)

    with pytest.raises(DomainError) as taken:
        service.move(fair["event"].id, second.id, [a1.id])
    assert taken.value.code == "booth_taken" and "A1" in str(taken.value)
    with pytest.raises(DomainError) as wrong_type:
        service.move(fair["event"].id, first.id, [fair["startup"].id])
    assert wrong_type.value.code == "wrong_type"
    with pytest.raises(DomainError) as apart:
        service.move(fair["event"].id, wide.id, [a3.id, a1.id])
    assert apart.value.code in {"booth_taken", "not_adjacent"}
    a4.status = BoothStatus.BLOCKED
    db.session.commit()
    with pytest.raises(DomainError) as blocked:
        service.move(fair["event"].id, wide.id, [a3.id, a4.id])
    assert blocked.value.code == "booth_blocked"

    assert service.swap(fair["event"].id, first.id, second.id, actor_user_id=organiser) == (first, second)
    assert held_by() == {"A1": second.id, "A2": first.id}
    service.set_locked(fair["event"].id, second.id, True, actor_user_id=organiser)
    assert db.session.scalar(sa.select(BoothAssignment.locked).where(BoothAssignment.booth_id == a1.id))
    service.unassign(fair["event"].id, first.id, actor_user_id=organiser)
    assert held_by() == {"A1": second.id}
    db.session.refresh(a2)
    assert a2.status == BoothStatus.AVAILABLE
    actions = db.session.execute(sa.select(BoothAuditLog.action, BoothAuditLog.actor_user_id)
                                 .order_by(BoothAuditLog.id)).all()
    assert [a for a, _ in actions] == ["assign", "assign", "swap", "lock", "unassign"]
    assert {actor for _, actor in actions} == {organiser}
    assert db.session.scalar(sa.select(BoothAssignment.source).where(BoothAssignment.booth_id == a1.id)) == \
        AllocationSource.MANUAL


def test_invalid_rules_are_refused():
    with pytest.raises(DomainError) as error:
        service.check_rules(Rules(zone_weight=-1))
    assert error.value.code == "invalid_rules"


def test_page_runs_moves_by_form_and_drag(fair, browser):
    application = approved(fair)
    browser.login("tochuc@example.vn")
    base = f"/manage/events/{fair['event'].id}/allocation"
    page = browser.get(base)
    assert page.status_code == 200 and "Xem trước phân bổ tự động" in page.get_data(as_text=True)

    rules = {"priority_basis": "time", "zone_weight": "1", "priority_weight": "1", "near_weight": "0.5",
             "competitor_weight": "0.5", "time_limit_seconds": "2"}
    preview = browser.post(f"{base}/run", data=rules).get_data(as_text=True)
    assert "Xem trước phân bổ tự động" in preview and held_by() == {}
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview).group(1)
    answer = browser.post(f"{base}/run/apply", data=dict(rules, digest=digest), follow_redirects=True)
    assert "1 đơn vị có gian" in answer.get_data(as_text=True)
    assert held_by() == {"A1": application.id}
    assert service.latest_run(fair["plan"].id).rules["priority_basis"] == "time"
    assert '<option selected value="time">' in browser.get(base).get_data(as_text=True)

    answer = browser.post(f"{base}/move", data={"application_id": application.id, "booth_codes": "a3"},
                          follow_redirects=True)
    assert held_by() == {"A3": application.id}
    answer = browser.post(f"{base}/move", data={"application_id": application.id, "booth_codes": "Z9"},
                          follow_redirects=True)
    assert "Không có gian mã Z9" in answer.get_data(as_text=True)

    dropped = browser.client.post(f"{base}/move.json", json={"application_id": application.id,
                                                             "booth_ids": [fair["row"][1].id]},
                                  headers={"X-CSRFToken": browser.csrf_token(), "Accept": "application/json"})
    assert dropped.status_code == 200 and dropped.get_json()["booths"] == ["A2"]
    refused = browser.client.post(f"{base}/move.json", json={"application_id": application.id,
                                                             "booth_ids": [fair["startup"].id]},
                                  headers={"X-CSRFToken": browser.csrf_token(), "Accept": "application/json"})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "wrong_type"
    no_csrf = browser.client.post(f"{base}/move.json", json={"application_id": application.id, "booth_ids": [1]},
                                  headers={"Accept": "application/json"})
    assert no_csrf.status_code == 400 and held_by() == {"A2": application.id}


def test_other_organisation_cannot_reach_the_page(fair, factory, browser):
    factory.user("khac@example.vn", organisation=factory.organisation())
    browser.login("khac@example.vn")
    assert browser.get(f"/manage/events/{fair['event'].id}/allocation").status_code in (403, 404)
    answer = browser.post(f"/manage/events/{fair['event'].id}/allocation/run", data={})
    assert answer.status_code in (403, 404)


def test_every_reason_reads_as_a_sentence_with_its_figures():
    base = {"booth_type": "ocop", "count": 2, "booths_of_type": 6, "free_of_type": 6}
    outbid = service.explain("outbid", base | {"rivals": 4, "rivals_higher": 4, "booths_to_rivals": 6})
    assert outbid == "Hết gian loại “Sản phẩm OCOP”: cả 6 gian còn trống đã phân cho 4 đơn vị khác, đều có mức " \
                     "ưu tiên cao hơn."
    mixed = service.explain("outbid", base | {"rivals": 4, "rivals_higher": 1, "booths_to_rivals": 6})
    assert "1 đơn vị trong số đó có mức ưu tiên cao hơn" in mixed
    for code in ("no_booth_type", "not_enough_booths", "no_adjacent_block", "time_limit", "preferences"):
        assert "%(" not in service.explain(code, base)


def test_page_swaps_two_exhibitors_and_explains_a_refusal(fair, browser):
    first, second = approved(fair), approved(fair)
    a1, a2 = fair["row"][:2]
    service.move(fair["event"].id, first.id, [a1.id])
    service.move(fair["event"].id, second.id, [a2.id])
    browser.login("tochuc@example.vn")
    base = f"/manage/events/{fair['event'].id}/allocation"

    missing = browser.post(f"{base}/swap", data={"application_id": first.id}, follow_redirects=True)
    assert "Đơn vị thứ hai: Trường này là bắt buộc." in missing.get_data(as_text=True)
    same = browser.post(f"{base}/swap", data={"application_id": first.id, "other_application_id": first.id},
                        follow_redirects=True)
    assert "Chỉ đổi chỗ được giữa hai đơn vị khác nhau" in same.get_data(as_text=True)
    swapped = browser.post(f"{base}/swap", data={"application_id": first.id, "other_application_id": second.id},
                           follow_redirects=True)
    assert "Đã đổi chỗ hai đơn vị." in swapped.get_data(as_text=True)
    assert held_by() == {"A1": second.id, "A2": first.id}
