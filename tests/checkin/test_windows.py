"""Windows that hold: a new event's entrance opens on its first day and closes at its end; offline scans are judged
by their own time; a scan dated before the device's offline period is refused, not moved into the window."""
from datetime import datetime, time, timedelta

import pytest

from eventhub.checkin import services
from eventhub.checkin.models import ScanLog, ScanResult
from eventhub.extensions import db
from eventhub.timeutil import from_local, to_local, utcnow


@pytest.fixture
def held(factory):
    """An event that started yesterday at 08:00 local time and ends tomorrow at 17:00."""
    today = to_local(utcnow()).date()
    starts = from_local(datetime.combine(today - timedelta(days=1), time(8)))
    event = factory.event(factory.organisation(), publish=False, starts_at=starts,
                          ends_at=from_local(datetime.combine(today + timedelta(days=1), time(17))))
    from eventhub.events import services as events
    events.apply_transition(event.id, "publish", now=starts - timedelta(days=10))
    students = factory.category(event)
    return {"event": event, "person": factory.registration(event, students), "starts": starts}


def test_a_new_events_entrance_opens_on_its_first_day_and_closes_at_its_end(held):
    entrance = services.entrance_for(held["event"].id)
    first_day = from_local(datetime.combine(to_local(held["starts"]).date(), time()))
    assert (entrance.opens_at, entrance.closes_at) == (first_day, held["event"].ends_at)
    early = services.scan(entrance.id, registration_id=held["person"].id, scanner=services.Scanner(),
                          now=first_day - timedelta(days=21))
    assert early.result == ScanResult.OUTSIDE_HOURS  # three weeks early is not attendance
    services.save_list(held["event"].id, entrance.id, services.CheckInListDetails(
        name="Cổng chính", opens_at=first_day - timedelta(days=30)))  # organisers can change it
    assert services.scan(entrance.id, registration_id=held["person"].id, scanner=services.Scanner(),
                         now=first_day - timedelta(days=21)).result == ScanResult.OK


def test_offline_scans_are_judged_by_their_own_time_and_too_old_ones_are_refused(held):
    entrance = services.entrance_for(held["event"].id)
    token, device = services.issue_device(entrance.id, "Điện thoại cổng 2", None, offline_hours=12)
    scanner = services.Scanner(device_id=device.id, gate="Cổng 2")
    now = utcnow()
    _token, long_lived = services.issue_device(entrance.id, "Máy dự phòng", None, offline_hours=72)
    made_before_opening = services.scan(entrance.id, code=held["person"].ticket_code, nonce="1",
                                        scanner=services.Scanner(device_id=long_lived.id), offline=True, now=now,
                                        scanned_at=entrance.opens_at - timedelta(hours=1))
    assert made_before_opening.result == ScanResult.OUTSIDE_HOURS  # judged by its own time, uploaded later
    stale = services.scan(entrance.id, code=held["person"].ticket_code, scanner=scanner, nonce="2",
                          scanned_at=now - timedelta(hours=13), offline=True, now=now)
    assert stale.result == ScanResult.SCAN_TOO_OLD  # not moved to "12 hours ago", which is inside the window
    log = db.session.scalar(db.select(ScanLog).where(ScanLog.nonce.like("%:2")))
    assert log.result == ScanResult.SCAN_TOO_OLD and log.scanned_at == now - timedelta(hours=13)
    fresh = services.scan(entrance.id, code=held["person"].ticket_code, scanner=scanner, nonce="3",
                          scanned_at=now - timedelta(hours=11), offline=True, now=now)
    assert fresh.result == ScanResult.OK and fresh.checked_in_at == now - timedelta(hours=11)


def test_a_device_without_a_period_has_the_default_and_a_bad_period_is_refused(held):
    from eventhub.errors import ValidationFailed

    entrance = services.entrance_for(held["event"].id)
    _token, device = services.issue_device(entrance.id, "Máy 1", None)
    assert services.offline_window(services.Scanner(device_id=device.id)) == services.OFFLINE_WINDOW
    with pytest.raises(ValidationFailed):
        services.issue_device(entrance.id, "Máy 2", None, offline_hours=10_000)
