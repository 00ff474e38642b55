"""Self-booking through the services: holds, confirmation, expiry, adjacency and the rules around them."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.booths.allocation.models import AllocationSource, BoothAssignment
from eventhub.booths.applications.models import ApplicationStatus
from eventhub.booths.floorplan.models import BookingMode, BoothAuditLog, BoothStatus, BoothType
from eventhub.booths.selfbooking import services as selfbooking
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.timeutil import utcnow
from tests.booths import factories as booths


@pytest.fixture
def hall(factory):
    """Self-booking open, hold 10 minutes: OCOP booths A1–A3 in a row, A9 far away, one startup booth."""
    event = factory.event(factory.organisation(), publish=True)
    plan = booths.make_plan(event, booking_mode=BookingMode.SELF_BOOKING, self_booking_open=True, hold_minutes=10)
    row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * i, y_m=0) for i in range(1, 4)]
    far = booths.make_booth(plan, "A9", x_m=40, y_m=30)
    startup = booths.make_booth(plan, "S1", x_m=20, y_m=20, booth_type=BoothType.STARTUP)
    return {"event": event, "plan": plan, "row": row, "far": far, "startup": startup}


def approved(hall, booths_requested=1):
    return booths.make_application(hall["event"], status=ApplicationStatus.APPROVED,
                                   booths_requested=booths_requested)


def assignments():
    return list(db.session.scalars(sa.select(BoothAssignment).order_by(BoothAssignment.booth_id)))


def test_hold_then_confirm(hall):
    application = approved(hall, 2)
    a1, a2 = hall["row"][:2]
    now = utcnow()

    held = selfbooking.hold(application.id, application.exhibitor_id, [a2.id, a1.id], now=now)

    assert held.booth_codes == ("A1", "A2") and held.held_until == now + timedelta(minutes=10)
    assert not held.confirmed
    assert [(a.booth_id, a.source, a.held_until) for a in assignments()] == \
        [(a1.id, AllocationSource.SELF, now + timedelta(minutes=10)), (a2.id, AllocationSource.SELF,
                                                                       now + timedelta(minutes=10))]
    db.session.refresh(a1)
    assert a1.status == BoothStatus.HELD
    assert selfbooking.free_booth_ids(hall["plan"], approved(hall), now) == {hall["row"][2].id, hall["far"].id}

    confirmed = selfbooking.confirm(application.id, application.exhibitor_id, now=now + timedelta(minutes=9))

    assert confirmed.confirmed and confirmed.booth_codes == ("A1", "A2")
    assert [a.held_until for a in assignments()] == [None, None]
    db.session.refresh(a1)
    assert a1.status == BoothStatus.ASSIGNED
    assert selfbooking.selection_of(application).booth_codes == ("A1", "A2")
    actions = db.session.scalars(sa.select(BoothAuditLog.action).order_by(BoothAuditLog.id)).all()
    assert actions == ["hold", "hold", "confirm", "confirm"]


def test_a_taken_booth_cannot_be_held_by_another(hall):
    first, second = approved(hall), approved(hall)
    a1 = hall["row"][0]
    selfbooking.hold(first.id, first.exhibitor_id, [a1.id])
    with pytest.raises(selfbooking.BoothTaken) as error:
        selfbooking.hold(second.id, second.exhibitor_id, [a1.id])
    assert error.value.code == "booth_taken" and "A1" in str(error.value) and error.value.status == 409
    assert [(a.application_id, a.booth_id) for a in assignments()] == [(first.id, a1.id)]


def test_an_expired_hold_is_taken_over_and_cannot_be_confirmed(hall):
    slow, quick = approved(hall), approved(hall)
    a1 = hall["row"][0]
    start = utcnow()
    selfbooking.hold(slow.id, slow.exhibitor_id, [a1.id], now=start)
    later = start + timedelta(minutes=11)
    assert a1.id in selfbooking.free_booth_ids(hall["plan"], quick, later)

    selfbooking.hold(quick.id, quick.exhibitor_id, [a1.id], now=later)

    assert [(a.application_id, a.booth_id) for a in assignments()] == [(quick.id, a1.id)]
    with pytest.raises(DomainError) as error:
        selfbooking.confirm(slow.id, slow.exhibitor_id, now=later)
    assert error.value.code == "hold_expired"
    with pytest.raises(DomainError) as error:
        selfbooking.confirm(quick.id, quick.exhibitor_id, now=later + timedelta(minutes=10))
    assert error.value.code == "hold_expired"
    released = db.session.scalars(sa.select(BoothAuditLog).where(BoothAuditLog.action == "release")).all()
    assert [(entry.application_id, entry.detail) for entry in released] == [(slow.id, "giữ chỗ đã hết hạn")]


def test_picking_again_replaces_the_previous_hold(hall):
    application = approved(hall)
    a1, a2 = hall["row"][:2]
    selfbooking.hold(application.id, application.exhibitor_id, [a1.id])
    selfbooking.hold(application.id, application.exhibitor_id, [a2.id])
    assert [a.booth_id for a in assignments()] == [a2.id]
    db.session.refresh(a1)
    assert a1.status == BoothStatus.AVAILABLE


def test_cancel_hold(hall):
    application = approved(hall)
    selfbooking.hold(application.id, application.exhibitor_id, [hall["row"][0].id])
    selfbooking.cancel_hold(application.id, application.exhibitor_id)
    assert assignments() == [] and selfbooking.selection_of(application) is None


def test_a_confirmed_exhibitor_cannot_pick_again(hall):
    application = approved(hall)
    selfbooking.hold(application.id, application.exhibitor_id, [hall["row"][0].id])
    selfbooking.confirm(application.id, application.exhibitor_id)
    with pytest.raises(DomainError) as error:
        selfbooking.hold(application.id, application.exhibitor_id, [hall["row"][1].id])
    assert error.value.code == "already_confirmed"


@pytest.mark.parametrize("pick, requested, code", [
    (lambda h: [h["row"][0].id, h["far"].id], 2, "not_adjacent"),
    (lambda h: [h["row"][0].id], 2, "wrong_count"),
    (lambda h: [h["startup"].id], 1, "wrong_type"),
    (lambda h: [999_999], 1, "unknown_booth"),
    (lambda h: [], 1, "unknown_booth"),
])
def test_wrong_picks_are_explained(hall, pick, requested, code):
    application = approved(hall, requested)
    with pytest.raises(DomainError) as error:
        selfbooking.hold(application.id, application.exhibitor_id, pick(hall))
    assert error.value.code == code
    assert assignments() == []


def test_blocked_booths_cannot_be_picked(hall):
    from eventhub.booths.floorplan import services as floorplan

    floorplan.set_blocked(hall["plan"].id, hall["row"][0].id, True)
    application = approved(hall)
    with pytest.raises(DomainError) as error:
        selfbooking.hold(application.id, application.exhibitor_id, [hall["row"][0].id])
    assert error.value.code == "booth_blocked"


def test_a_booth_blocked_after_the_exhibitor_loaded_it_cannot_be_held(hall):
    """The organiser blocks A1 (another connection) after the pick read it: the hold judges A1 under the lock."""
    application = approved(hall)
    a1 = hall["row"][0]
    assert db.session.get(type(a1), a1.id).status == BoothStatus.AVAILABLE  # loaded, as the pick had read it
    with db.engine.begin() as connection:
        connection.execute(sa.update(type(a1)).where(type(a1).id == a1.id).values(status="blocked"))
    with pytest.raises(DomainError) as error:
        selfbooking.hold(application.id, application.exhibitor_id, [a1.id])
    assert error.value.code == "booth_blocked"
    assert assignments() == []


def test_booking_needs_self_booking_open_and_an_approved_application(hall):
    application = approved(hall)
    submitted = booths.make_application(hall["event"])
    a1 = hall["row"][0]
    with pytest.raises(DomainError) as error:
        selfbooking.hold(submitted.id, submitted.exhibitor_id, [a1.id])
    assert error.value.code == "booking_closed" and "đã được duyệt" in str(error.value)
    hall["plan"].self_booking_open = False
    db.session.commit()
    with pytest.raises(DomainError) as error:
        selfbooking.hold(application.id, application.exhibitor_id, [a1.id])
    assert "chưa mở" in str(error.value)
    hall["plan"].booking_mode = BookingMode.ALLOCATION
    hall["plan"].self_booking_open = True
    db.session.commit()
    with pytest.raises(DomainError) as error:
        selfbooking.hold(application.id, application.exhibitor_id, [a1.id])
    assert "ban tổ chức phân bổ" in str(error.value)
    assert assignments() == []


def test_another_exhibitor_cannot_act_on_an_application(hall):
    application = approved(hall)
    stranger = booths.make_exhibitor()
    for action in (lambda: selfbooking.hold(application.id, stranger.id, [hall["row"][0].id]),
                   lambda: selfbooking.confirm(application.id, stranger.id),
                   lambda: selfbooking.cancel_hold(application.id, stranger.id)):
        with pytest.raises(DomainError) as error:
            action()
        assert error.value.status == 404


def test_the_lock_bumps_the_plan_version(hall):
    before = hall["plan"].version
    application = approved(hall)
    selfbooking.hold(application.id, application.exhibitor_id, [hall["row"][0].id])
    db.session.refresh(hall["plan"])
    assert hall["plan"].version == before + 1
