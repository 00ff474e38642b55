"""Event statistics counted by the database, checked against a known scenario and against what the organiser's
attendee list and the check-in dashboard show."""
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventhub.checkin import services as checkin
from eventhub.checkin import stats as checkin_stats
from eventhub.checkin.models import CheckIn
from eventhub.extensions import db
from eventhub.registration import services as registrations
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.reports import event_stats
from tests.reports import event_scenario


@pytest.fixture
def scenario(factory):
    return event_scenario.build(factory)


def rows(breakdowns):
    return [(b.code, b.label, b.registered, b.checked_in, b.no_shows, b.percent) for b in breakdowns]


def test_breakdowns_of_the_scenario(scenario):
    stats = event_stats.event_statistics(scenario["event"].id)
    students, officials, enterprises = scenario["categories"]
    assert rows([stats.total]) == [("total", "Tổng cộng", 5, 3, 2, 60.0)]
    assert rows(stats.by_category) == [
        (str(students.id), "Sinh viên", 3, 2, 1, 66.7),
        (str(officials.id), "Cán bộ", 2, 1, 1, 50.0),
        (str(enterprises.id), "Doanh nghiệp", 0, 0, 0, None),  # Khánh came, then cancelled
    ]
    assert rows(stats.by_group) == [("student", "Học sinh, sinh viên", 3, 2, 1, 66.7),
                                    ("official", "Cán bộ, công chức, viên chức", 2, 1, 1, 50.0)]
    assert rows(stats.by_gender) == [("female", "Nữ", 2, 1, 1, 50.0), ("male", "Nam", 2, 2, 0, 100.0),
                                     ("unknown", "Không rõ", 1, 0, 1, 0.0)]  # Hà came only to the side room
    assert rows(stats.by_age) == [("18_24", "18–24 tuổi", 1, 1, 0, 100.0), ("25_34", "25–34 tuổi", 1, 1, 0, 100.0),
                                  ("45_59", "45–59 tuổi", 1, 1, 0, 100.0), ("60_plus", "Từ 60 tuổi", 1, 0, 1, 0.0),
                                  ("unknown", "Không rõ", 1, 0, 1, 0.0)]
    assert rows(stats.by_province) == [("Đắk Lắk", "Đắk Lắk", 3, 3, 0, 100.0), ("Hà Nội", "Hà Nội", 1, 0, 1, 0.0),
                                       ("unknown", "Không rõ", 1, 0, 1, 0.0)]
    assert {(s.code, s.count) for s in stats.statuses} >= {("confirmed", 5), ("cancelled", 2), ("pending", 0)}


def test_arrivals_per_quarter_hour_in_local_time(scenario):
    stats = event_stats.event_statistics(scenario["event"].id)
    # An 08:02 and Dũng 08:14 share the 08:00 slot; Bình 08:20; Khánh's 09:40 check-in stays on the list.
    assert [(s.label, s.count) for s in stats.arrivals] == [
        ("08:00", 2), ("08:15", 1), ("08:30", 0), ("08:45", 0), ("09:00", 0), ("09:15", 0), ("09:30", 1)]
    assert stats.arrivals[0].starts_at == scenario["start"]


def test_numbers_equal_the_attendee_list_and_the_check_in_counts(scenario):
    """What the organiser sees: the attendee list filtered on confirmed people (and by category), the people's
    own facts in it, and the entrance's check-in count on the dashboard."""
    event = scenario["event"]
    stats = event_stats.event_statistics(event.id)
    confirmed = list(db.session.scalars(registrations.attendee_query(event.id, status=RegistrationStatus.CONFIRMED)))
    assert stats.total.registered == len(confirmed) == registrations.status_counts(event.id)[
        RegistrationStatus.CONFIRMED]
    for breakdown, category in zip(stats.by_category, scenario["categories"], strict=True):
        listed = db.session.scalars(registrations.attendee_query(
            event.id, category_id=category.id, status=RegistrationStatus.CONFIRMED)).all()
        assert breakdown.registered == len(listed)
    assert {b.code: b.registered for b in stats.by_gender} == {
        (g.value if g else "unknown"): n for g, n in Counter(r.gender for r in confirmed).items()}
    assert {b.code: b.registered for b in stats.by_province} == {
        (p or "unknown"): n for p, n in Counter(r.province for r in confirmed).items()}
    entrance = scenario["entrance"]
    came = {c.registration_id for c in db.session.scalars(
        sa.select(CheckIn).where(CheckIn.check_in_list_id == entrance.id))}
    assert stats.total.checked_in == len([r for r in confirmed if r.id in came])
    assert stats.total.no_shows == checkin_stats.no_shows(event.id)["count"]
    dashboard = checkin_stats.categories(event.id)
    assert [(b.registered, b.checked_in) for b in stats.by_category] == [
        (c["registered"], c["checked_in"]) for c in dashboard]
    # Khánh's check-in is still on the list (the gate's own count) but she no longer holds a seat.
    assert checkin.counts(entrance.id)["checked_in"] == stats.total.checked_in + 1


def test_registrations_per_local_day_with_empty_days_filled(scenario):
    people = scenario["people"]

    def made_at(person, when):
        db.session.execute(sa.update(Registration).where(Registration.id == person.id).values(created_at=when))

    made_at(people["an"], datetime(2026, 3, 1, 16, 59, tzinfo=UTC))  # 23:59 on 01/03 in Việt Nam
    made_at(people["binh"], datetime(2026, 3, 1, 17, 0, tzinfo=UTC))  # 00:00 on 02/03
    made_at(people["cuc"], datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    for name in ("dung", "ha", "khanh", "long"):
        made_at(people[name], datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    db.session.commit()
    days = event_stats.registrations_by_day(scenario["event"])
    assert [(d.day, d.registrations, d.confirmed) for d in days] == [
        (date(2026, 3, 1), 1, 1), (date(2026, 3, 2), 1, 1), (date(2026, 3, 3), 1, 1), (date(2026, 3, 4), 0, 0),
        (date(2026, 3, 5), 4, 2)]


def test_long_gaps_are_not_filled(scenario):
    people = scenario["people"]
    db.session.execute(sa.update(Registration).where(Registration.event_id == scenario["event"].id)
                       .values(created_at=datetime(2026, 1, 1, 3, tzinfo=UTC)))
    db.session.execute(sa.update(Registration).where(Registration.id == people["an"].id)
                       .values(created_at=datetime(2026, 1, 1, 3, tzinfo=UTC) + timedelta(days=500)))
    db.session.commit()
    days = event_stats.registrations_by_day(scenario["event"])
    assert [(d.day, d.registrations) for d in days] == [(date(2026, 1, 1), 6), (date(2027, 5, 16), 1)]


def test_an_event_without_registrations(factory):
    organisation = factory.organisation()
    event = factory.event(organisation)
    stats = event_stats.event_statistics(event.id)
    assert (stats.total.registered, stats.total.checked_in, stats.total.percent) == (0, 0, None)
    assert stats.by_category == stats.by_group == stats.by_gender == stats.by_province == ()
    assert stats.registrations_by_day == stats.arrivals == ()


def test_json_is_serialisable_and_spells_out_rates(scenario):
    data = json.loads(json.dumps(event_stats.event_statistics(scenario["event"].id).to_json()))
    assert data["total"] == {"code": "total", "label": "Tổng cộng", "registered": 5, "checked_in": 3, "no_shows": 2,
                             "percent": 60.0}
    assert data["arrivals"][0]["label"] == "08:00"
    assert sum(d["registrations"] for d in data["registrations_by_day"]) == 7
