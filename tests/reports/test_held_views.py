"""Held, in progress and planned events on the report page, in the API (and its OpenAPI document), in a download and
on an old snapshot's page. The pages report as of now: the events are placed around the real clock."""
import csv
import io
from datetime import date, timedelta

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.events import services as events
from eventhub.events.models import EventType
from eventhub.extensions import db
from eventhub.reports import exports
from eventhub.reports.models import ReportSnapshot, SnapshotKind
from eventhub.timeutil import to_local, utcnow
from tests.reports import factories as reports

OFFICER = "baocao@example.vn"


def _event(factory, organisation, title, starts_in: timedelta, hours: float, event_type=EventType.WORKSHOP):
    starts_at = utcnow() + starts_in
    event = events.create_event(organisation.id, None, factory.event_details(
        title=title, event_type=event_type, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
        capacity=None))
    events.apply_transition(event.id, "publish", now=starts_at - timedelta(days=30))
    return event


@pytest.fixture
def data(factory, browser):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    held = _event(factory, organisation, "Diễn đàn đã tổ chức", -timedelta(days=3), 4)
    reports.people(held, "student", 4, attended=2, first=1)
    running = _event(factory, organisation, "Tập huấn đang diễn ra", -timedelta(hours=1), 3, EventType.TRAINING)
    reports.people(running, "women", 2, attended=1, first=10)
    planned = _event(factory, organisation, "Ngày hội sắp tới", timedelta(days=2), 8, EventType.STARTUP_DAY)
    reports.people(planned, "youth", 3, first=20)
    officer = factory.user(OFFICER, organisation=organisation, role=Role.ORGANISER)
    token, _ = accounts.issue_api_token(officer.id, "báo cáo")
    today = to_local(utcnow()).date()
    period = {"starts_on": today - timedelta(days=10), "ends_on": today + timedelta(days=10)}
    return {"organisation": organisation, "held": held, "running": running, "planned": planned, "period": period,
            "headers": {"Authorization": f"Bearer {token}"}}


def _query(data, dates="%d/%m/%Y") -> str:
    period = data["period"]
    return (f"organisation_ids={data['organisation'].id}&period=custom"
            f"&starts_on={period['starts_on']:{dates}}&ends_on={period['ends_on']:{dates}}")


def _between(page: str, start: str, end: str | None = None) -> str:
    tail = page[page.index(start):]
    return tail[:tail.index(end)] if end else tail


def test_the_page_shows_held_events_apart_from_running_and_planned_ones(data, browser):
    browser.login(OFFICER)
    response = browser.get(f"/manage/reports?{_query(data)}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    held = _between(page, "II. SỰ KIỆN ĐÃ TỔ CHỨC", "III. NGƯỜI THAM GIA")
    assert "Danh sách sự kiện đã tổ chức (1)" in held and "Diễn đàn đã tổ chức" in held
    assert "Tập huấn đang diễn ra" not in held and "Ngày hội sắp tới" not in held
    pending = _between(page, "IV. SỰ KIỆN TRONG KỲ CHƯA KẾT THÚC")
    running = _between(pending, 'id="in-progress-events"', 'id="planned-events"')
    assert "Đang diễn ra (1)" in running and "Tập huấn đang diễn ra" in running
    planned = _between(pending, 'id="planned-events"')
    assert "Chưa tổ chức, theo kế hoạch (1)" in planned and "Ngày hội sắp tới" in planned
    assert f'data-event="{data["planned"].id}"' in planned and '<td class="num">3</td>' in planned
    assert "Có mặt" not in pending  # registrations only, no attendance column
    indicators = _between(page, 'id="indicator-table"', "</table>")
    participants = _between(indicators, 'data-row="participants"', "</tr>")
    assert '<td class="num">4</td>' in participants  # the held forum's 4, not the 2 + 3 of the others


def test_a_period_with_nothing_pending_has_no_pending_section(data, browser):
    browser.login(OFFICER)
    ended = data["period"]["starts_on"] - timedelta(days=1)
    page = browser.get(f"/manage/reports?organisation_ids={data['organisation'].id}&period=custom"
                       f"&starts_on=01/01/{ended.year}&ends_on={ended:%d/%m/%Y}").get_data(as_text=True)
    assert "II. SỰ KIỆN ĐÃ TỔ CHỨC" in page and "CHƯA KẾT THÚC" not in page


def test_the_api_returns_events_planned_events_and_in_progress_events(data, client):
    response = client.get(f"/api/v1/reports/period?{_query(data, '%Y-%m-%d')}", headers=data["headers"])
    assert response.status_code == 200
    body = response.get_json()
    assert [e["title"] for e in body["events"]] == ["Diễn đàn đã tổ chức"]
    assert body["events"][0]["ends_at"] == data["held"].ends_at.isoformat()
    assert body["events"][0]["attendees"] == 2
    assert [e["title"] for e in body["in_progress_events"]] == ["Tập huấn đang diễn ra"]
    planned = body["planned_events"]
    assert [e["event_id"] for e in planned] == [data["planned"].id]
    assert (planned[0]["starts_at"], planned[0]["ends_at"]) == (data["planned"].starts_at.isoformat(),
                                                                data["planned"].ends_at.isoformat())
    assert planned[0]["registrations"] == 3 and "attendees" not in planned[0]
    rows = {row["code"]: row["achieved"] for row in body["indicators"]}
    assert (rows["events"], rows["participants"], rows["trainees"]) == (1, 4, 0)


def test_the_openapi_document_describes_the_three_lists(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    report = schemas["PeriodReport"]["properties"]
    for name in ("events", "in_progress_events", "planned_events"):
        properties = report[name]["items"]["properties"]
        assert {"starts_at", "ends_at", "registrations"} <= set(properties), name
    assert "attendees" in report["events"]["items"]["properties"]
    assert "attendees" not in report["planned_events"]["items"]["properties"]


def test_the_csv_download_lists_the_pending_events_apart(data, browser):
    browser.login(OFFICER)
    response = browser.get(f"/manage/reports/download?fmt=csv&{_query(data)}")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    held = rows.index(["Danh sách sự kiện đã tổ chức"])
    assert [row[1] for row in rows[held + 2:rows.index([], held)]] == ["Diễn đàn đã tổ chức"]
    pending = rows.index([str(exports.PENDING_TITLE)])
    assert [(row[1], row[2], row[-1]) for row in rows[pending + 2:rows.index([], pending)]] == [
        ("Tập huấn đang diễn ra", "Đang diễn ra", "2"), ("Ngày hội sắp tới", "Chưa tổ chức", "3")]


def test_a_snapshot_stored_before_the_lists_existed_still_shows(data, browser):
    old_payload = {
        "organisations": ["Sở KH&CN"], "starts_on": "2026-01-01", "ends_on": "2026-06-30",
        "previous_starts_on": "2025-01-01", "previous_ends_on": "2025-06-30",
        "generated_at": "2026-07-01T02:00:00+00:00", "indicators": [], "events_by_type": [],
        "participants_by_group": [], "snapshot_note": None,
        "events": [{"event_id": 1, "title": "Diễn đàn lưu cũ", "event_type": "Hội thảo", "level": "Cấp tỉnh",
                    "organisation": "Sở KH&CN", "starts_at": "2026-03-10T01:00:00+00:00", "province": "Đắk Lắk",
                    "registrations": 7, "attendees": 5}]}
    snapshot = ReportSnapshot(organisation_id=data["organisation"].id, kind=SnapshotKind.MONTHLY,
                              starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30),
                              taken_at=utcnow(), payload=old_payload)
    db.session.add(snapshot)
    db.session.commit()
    browser.login(OFFICER)
    response = browser.get(f"/manage/reports/snapshots/{snapshot.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Diễn đàn lưu cũ" in page and "10/03/2026" in page and "CHƯA KẾT THÚC" not in page
