"""Snapshots: taken once per scope and period, unchanged by later data, and compared with the live report."""
from datetime import date, datetime, timedelta, timezone

import pytest

from eventhub.extensions import db
from eventhub.reports import periods, snapshots
from eventhub.reports.models import ReportSnapshot, SnapshotKind
from tests.reports import dataset
from tests.reports import factories as reports

VIETNAM = timezone(timedelta(hours=7))
JULY_FIRST = datetime(2026, 7, 1, 1, 0, tzinfo=VIETNAM)


@pytest.fixture
def data():
    return dataset.build()


def test_due_periods_are_the_year_to_date_and_last_year():
    assert snapshots.due_periods(JULY_FIRST) == [
        (SnapshotKind.MONTHLY, date(2026, 1, 1), date(2026, 6, 30)),
        (SnapshotKind.YEAR_END, date(2025, 1, 1), date(2025, 12, 31))]
    january = datetime(2027, 1, 5, 9, 0, tzinfo=VIETNAM)
    assert snapshots.due_periods(january) == [
        (SnapshotKind.MONTHLY, date(2026, 1, 1), date(2026, 12, 31)),
        (SnapshotKind.YEAR_END, date(2026, 1, 1), date(2026, 12, 31))]


def test_taking_snapshots_is_idempotent(data):
    assert snapshots.take_due_snapshots(JULY_FIRST) == 6  # three organisations, two periods each
    assert snapshots.take_due_snapshots(JULY_FIRST) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportSnapshot)) == 6


def test_a_snapshot_keeps_its_numbers_and_the_live_report_says_what_changed(data):
    province = data["province"].id
    snapshots.take_due_snapshots(JULY_FIRST)
    live = periods.build_period_report([province], date(2026, 1, 1), date(2026, 6, 30))
    assert live.snapshot_note.startswith("Khớp với bản lưu ngày 01/07/2026 01:00")
    reports.people(data["workshop"], "youth", 2, first=500)
    live = periods.build_period_report([province], date(2026, 1, 1), date(2026, 6, 30))
    assert "Khác bản lưu ngày 01/07/2026 01:00" in live.snapshot_note
    assert "14 → 16" in live.snapshot_note
    stored = db.session.scalar(db.select(ReportSnapshot).where(ReportSnapshot.organisation_id == province,
                                                               ReportSnapshot.kind == SnapshotKind.MONTHLY))
    frozen = periods.report_from_json(stored.payload)
    assert {r.code: r.achieved for r in frozen.indicators}["participants"] == 14
    assert frozen.generated_at == JULY_FIRST


def test_no_note_without_a_snapshot_of_that_period_or_for_several_organisations(data):
    snapshots.take_due_snapshots(JULY_FIRST)
    assert periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 3, 31)).snapshot_note \
        is None
    assert periods.build_period_report([data["province"].id, data["district"].id], date(2026, 1, 1),
                                       date(2026, 6, 30)).snapshot_note is None


def test_snapshots_are_listed_only_within_the_users_organisations(data, factory):
    from eventhub.accounts.models import Role
    from eventhub.errors import NotFound

    snapshots.take_due_snapshots(JULY_FIRST)
    officer = factory.user(organisation=data["district"], role=Role.ORGANISER)
    listed = snapshots.list_snapshots(officer)
    assert {s.organisation_id for s in listed} == {data["district"].id} and len(listed) == 2
    province_snapshot = db.session.scalar(db.select(ReportSnapshot.id).where(
        ReportSnapshot.organisation_id == data["province"].id))
    with pytest.raises(NotFound):
        snapshots.get_snapshot(officer, province_snapshot)
    snapshot, report = snapshots.get_snapshot(officer, listed[0].id)
    assert report.starts_on == snapshot.starts_on
