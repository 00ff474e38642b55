"""Held, in progress, planned: an event counts in the period its end falls in, once it has ended by the report's
own time, unless cancelled; the period's other events are listed apart with their registrations only. No HTTP."""
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventhub.booths.applications.models import ApplicationStatus
from eventhub.events import services as events
from eventhub.events.models import EventType
from eventhub.extensions import db
from eventhub.reports import periods, snapshots
from eventhub.reports.models import Indicator, ReportSnapshot
from tests.booths import factories as booths
from tests.reports import factories as reports

VIETNAM = timezone(timedelta(hours=7))
FIRST_HALF = (date(2026, 1, 1), date(2026, 6, 30))
SECOND_HALF = (date(2026, 7, 1), date(2026, 12, 31))


def local(month, day, hour=0, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def report(organisation, period, now, **kwargs):
    return periods.build_period_report([organisation.id], *period, now=now, **kwargs)


def achieved(built) -> dict[str, int]:
    return {row.code: row.achieved for row in built.indicators}


def ids(rows) -> list[int]:
    return [row.event_id for row in rows]


def test_an_event_ending_at_23_59_on_30_06_counts_in_the_first_half(factory):
    organisation = factory.organisation()
    late = reports.held_event(organisation, date(2026, 6, 30), at=time(15, 59), hours=8)  # ends 16:59 UTC
    first = report(organisation, FIRST_HALF, local(7, 1, 0, 5))
    assert ids(first.events) == [late.id] and achieved(first)["events"] == 1
    assert first.events[0].ends_at == datetime(2026, 6, 30, 16, 59, tzinfo=UTC)
    second = report(organisation, SECOND_HALF, local(7, 1, 0, 5))
    assert (second.events, second.in_progress_events, second.planned_events) == ((), (), ())
    assert achieved(second)["events"] == 0


def test_an_event_ending_on_01_07_belongs_to_the_second_half(factory):
    organisation = factory.organisation()
    night = reports.held_event(organisation, date(2026, 6, 30), at=time(20), hours=4.5)  # ends 00:30 on 01/07
    after = local(7, 2)
    first = report(organisation, FIRST_HALF, after)
    assert (first.events, first.in_progress_events, first.planned_events) == ((), (), ())
    assert achieved(first)["events"] == 0
    assert ids(report(organisation, SECOND_HALF, after).events) == [night.id]
    running = report(organisation, SECOND_HALF, local(6, 30, 22))
    assert ids(running.in_progress_events) == [night.id] and running.events == ()


def test_an_event_ending_at_midnight_ended_on_the_day_before(factory):
    organisation = factory.organisation()
    evening = reports.held_event(organisation, date(2026, 6, 30), at=time(18), hours=6)  # ends 00:00 on 01/07
    assert ids(report(organisation, FIRST_HALF, local(7, 1, 0, 0)).events) == [evening.id]
    assert report(organisation, SECOND_HALF, local(7, 2)).events == ()
    # One second before its end it is still running, and not counted.
    running = report(organisation, FIRST_HALF, local(6, 30, 23, 59))
    assert running.events == () and ids(running.in_progress_events) == [evening.id]


@pytest.fixture
def june(factory):
    """A province's June: a workshop held on 20/06, a training running on 25/06 (08:00–17:00), a startup day on
    26/06 and a workshop on 30/06 ending 23:59; an exhibitor approved at the startup day, a project supported on
    24/06 at the startup day and another on 27/06."""
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", short_name="Sở KH&CN")
    held = reports.held_event(organisation, date(2026, 6, 20), event_type=EventType.WORKSHOP, title="Diễn đàn 20/06")
    reports.people(held, "student", 3, attended=2, first=1)
    running = reports.held_event(organisation, date(2026, 6, 25), event_type=EventType.TRAINING, hours=9,
                                 finish=False, title="Tập huấn 25/06")
    reports.people(running, "women", 5, attended=2, first=10)
    fair = reports.held_event(organisation, date(2026, 6, 26), event_type=EventType.STARTUP_DAY, finish=False,
                              title="Ngày hội 26/06")
    reports.people(fair, "youth", 4, first=20)
    booths.make_application(fair, booths.make_exhibitor(with_account=False), status=ApplicationStatus.APPROVED,
                            products=[{"ocop_stars": 4}])
    last = reports.held_event(organisation, date(2026, 6, 30), event_type=EventType.WORKSHOP, at=time(15, 59),
                              finish=False, title="Diễn đàn 30/06")
    reports.people(last, "student", 2, first=1)  # students #1–2 came to the first workshop too
    reports.supported(organisation, "Dự án cà phê", date(2026, 6, 24), event_id=fair.id)
    reports.supported(organisation, "Dự án mật ong", date(2026, 6, 27))
    reports.make_plan(organisation, 2026, targets=[
        reports.target(Indicator.EVENTS, 4, event_types=[EventType.WORKSHOP], label="Diễn đàn"),
        reports.target(Indicator.SUPPORTED_PROJECTS, 2, event_types=[EventType.STARTUP_DAY],
                       label="Dự án được hỗ trợ tại ngày hội")])
    return {"organisation": organisation, "held": held, "running": running, "fair": fair, "last": last}


def test_a_report_made_on_25_06_counts_only_what_was_held_by_then(june):
    built = report(june["organisation"], FIRST_HALF, local(6, 25, 10))
    assert ids(built.events) == [june["held"].id]
    assert ids(built.in_progress_events) == [june["running"].id]
    assert ids(built.planned_events) == [june["fair"].id, june["last"].id]
    assert [row.registrations for row in (*built.in_progress_events, *built.planned_events)] == [5, 4, 2]
    fair = built.planned_events[0]
    assert (fair.title, fair.organisation, fair.starts_at, fair.ends_at) == (
        "Ngày hội 26/06", "Sở KH&CN", june["fair"].starts_at, june["fair"].ends_at)
    rows = achieved(built)
    assert rows["events"] == 1 and rows["events:type=workshop"] == 1
    assert (rows["participants"], rows["attendees"], rows["unique_participants"]) == (3, 2, 3)
    assert (rows["trainees"], rows["exhibitors"], rows["ocop_products"]) == (0, 0, 0)
    assert rows["supported_projects"] == 1  # the one of 27/06 is after the report's day
    assert rows["supported_projects:type=startup_day"] == 0  # its startup day is still to come
    by_type = {row.label: row.value for row in built.events_by_type}
    assert by_type[str(EventType.WORKSHOP.label)] == 1 and sum(by_type.values()) == 1
    groups = {row.label: (row.registrations, row.attendees, row.unique_people) for row in built.participants_by_group}
    assert groups["Phụ nữ"] == (0, 0, 0)  # the running training's 2 arrivals wait
    assert groups["Thanh niên"] == (0, 0, 0)  # the planned fair's 4 are registrations only
    assert groups["Học sinh, sinh viên"] == (3, 2, 3)
    assert built.generated_at == local(6, 25, 10)


def test_once_the_half_is_over_every_event_of_june_counts(june):
    built = report(june["organisation"], FIRST_HALF, local(7, 1, 0, 30))
    assert ids(built.events) == [june[k].id for k in ("held", "running", "fair", "last")]
    assert (built.in_progress_events, built.planned_events) == ((), ())
    rows = achieved(built)
    assert (rows["events"], rows["events:type=workshop"]) == (4, 2)
    assert (rows["participants"], rows["attendees"], rows["unique_participants"]) == (14, 4, 12)
    assert (rows["exhibitors"], rows["ocop_products"]) == (1, 1)
    assert (rows["supported_projects"], rows["supported_projects:type=startup_day"]) == (2, 1)


def test_a_report_before_the_period_lists_everything_as_planned(june):
    built = report(june["organisation"], FIRST_HALF, local(6, 1))
    assert built.events == () and built.in_progress_events == ()
    assert len(built.planned_events) == 4 and sum(achieved(built).values()) == 0


def test_a_cancelled_event_never_counts_nor_is_listed(factory):
    organisation = factory.organisation()
    past = reports.held_event(organisation, date(2026, 3, 2), finish=False, title="Huỷ tháng 3")
    reports.people(past, "youth", 3, attended=3)
    events.apply_transition(past.id, "cancel", reason="Thời tiết xấu", now=local(3, 1))
    coming = reports.held_event(organisation, date(2026, 6, 28), finish=False, title="Huỷ cuối tháng 6")
    events.apply_transition(coming.id, "cancel", reason="Đổi kế hoạch", now=local(6, 1))
    events.create_event(organisation.id, None, factory.event_details(  # a draft is not planned yet
        title="Bản nháp", starts_at=coming.starts_at, ends_at=coming.ends_at))
    for now in (local(6, 20), local(7, 5)):
        built = report(organisation, FIRST_HALF, now)
        assert (built.events, built.in_progress_events, built.planned_events) == ((), (), ())
        assert achieved(built)["events"] == 0 and achieved(built)["participants"] == 0


def test_the_same_dates_a_year_earlier_follow_the_rule(factory):
    organisation = factory.organisation()
    reports.held_event(organisation, date(2025, 6, 30), at=time(15, 59))  # ends 23:59 on 30/06/2025
    reports.held_event(organisation, date(2025, 6, 30), at=time(20), hours=5, title="Qua đêm")  # ends on 01/07
    rows = {row.code: row for row in report(organisation, FIRST_HALF, local(6, 25)).indicators}
    assert rows["events"].previous == 1


def test_the_lists_round_trip_through_json_and_old_snapshots_still_read(june):
    built = report(june["organisation"], FIRST_HALF, local(6, 25, 10))
    payload = periods.report_to_json(built)
    assert payload["planned_events"][0]["starts_at"] == june["fair"].starts_at.isoformat()
    assert payload["planned_events"][0]["ends_at"] == june["fair"].ends_at.isoformat()
    assert "attendees" not in payload["planned_events"][0]  # registrations, never participants
    assert payload["events"][0]["ends_at"] == june["held"].ends_at.isoformat()
    assert periods.report_from_json(payload) == built
    # A snapshot stored before events were told apart: no end, no lists.
    old = {key: value for key, value in payload.items() if key not in ("in_progress_events", "planned_events")}
    old["events"] = [{k: v for k, v in row.items() if k != "ends_at"} for row in payload["events"]]
    read = periods.report_from_json(old)
    assert read.events[0].ends_at is None and read.events[0].starts_at == june["held"].starts_at
    assert (read.in_progress_events, read.planned_events) == ((), ())


def test_snapshots_store_the_lists(june):
    snapshots.take_due_snapshots(local(6, 1, 1))  # January to May: nothing of June yet
    snapshots.take_due_snapshots(local(7, 1, 1))
    stored = db.session.scalars(sa.select(ReportSnapshot).where(
        ReportSnapshot.organisation_id == june["organisation"].id, ReportSnapshot.ends_on == date(2026, 6, 30))).one()
    assert [row["title"] for row in stored.payload["events"]] == ["Diễn đàn 20/06", "Tập huấn 25/06",
                                                                  "Ngày hội 26/06", "Diễn đàn 30/06"]
    assert stored.payload["planned_events"] == [] and stored.payload["in_progress_events"] == []
    assert all(row["ends_at"] for row in stored.payload["events"])


def test_the_demo_on_04_12_2026_shows_its_december_events_as_planned(app):
    from eventhub.accounts.models import Organisation
    from eventhub.demo import load_demo_data
    from eventhub.registration.models import Registration

    today = local(12, 4, 9)
    load_demo_data(now=today)
    department = db.session.scalar(sa.select(Organisation).where(
        Organisation.name == "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"))
    built = periods.build_period_report([department.id], date(2026, 1, 1), date(2026, 12, 31), now=today)
    assert [e.title for e in built.events] == ["Tập huấn khởi nghiệp cho phụ nữ và hợp tác xã (đợt 1) 2026",
                                              "Cuộc thi Khởi nghiệp, khởi sự kinh doanh tỉnh Đắk Lắk 2026"]
    assert [(e.title, e.starts_at.astimezone(VIETNAM).strftime("%d/%m"), e.registrations)
            for e in built.planned_events] == [
        ("Tập huấn “Khởi nghiệp xanh trong nền kinh tế tuần hoàn” 2026", "14/12", 0),
        ("Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh Đắk Lắk năm 2026", "25/12", 80)]
    assert built.in_progress_events == ()
    rows = {row.code: row for row in built.indicators}
    training = rows["events:type=training"]
    assert (training.target, training.achieved, training.percent) == (1, 1, 100.0)
    assert rows["events"].achieved == 2
    assert rows["competition_entries"].achieved == 12  # the demo competition's submitted entries
    # The startup day's 80 registrations are not participants; the held training's 42 are, 34 came.
    assert (rows["participants"].achieved, rows["attendees"].achieved) == (42, 34)
    assert {row.label: row.value for row in built.events_by_type}[str(EventType.STARTUP_DAY.label)] == 0
    # Nobody registered in the demo after the day it was loaded.
    assert db.session.scalar(sa.select(sa.func.max(Registration.created_at))) <= today
