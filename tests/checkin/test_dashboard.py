"""The check-in dashboard: numbers counted by the database for a known scenario (the same on SQLite and
PostgreSQL), and the page and its JSON for organisers only."""
import re
from datetime import timedelta

import pytest

from eventhub.accounts.models import Role
from eventhub.checkin import services, stats
from eventhub.registration import services as registrations
from eventhub.registration import tickets
from eventhub.timeutil import utcnow

GATE = services.Scanner(gate="Cổng 1")


def qr(registration):
    return tickets.qr_payload(registration.ticket_code)


@pytest.fixture
def scenario(factory):
    """Check-ins at known local times on an event starting at 08:00 (UTC+7), 30 days ahead."""
    organisation = factory.organisation("Sở KH&CN tỉnh Đắk Lắk")
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    start = (utcnow() + timedelta(days=30)).replace(hour=1, minute=0, second=0, microsecond=0)
    event = factory.event(organisation, publish=True, starts_at=start, ends_at=start + timedelta(hours=9))
    students = factory.category(event, "Học sinh, sinh viên")
    officials = factory.category(event, "Cán bộ, công chức", "official")
    enterprises = factory.category(event, "Doanh nghiệp", "enterprise")
    s1 = factory.registration(event, students, full_name="Trần Văn Bình")
    s2 = factory.registration(event, students, full_name="Lê Thị Cúc")
    s3 = factory.registration(event, students, full_name="Phạm Minh Đức")
    o1 = factory.registration(event, officials, full_name="Võ Thị Hồng")
    o2 = factory.registration(event, officials, full_name="Đặng Quốc Việt")
    e1 = factory.registration(event, enterprises, full_name="Nguyễn Thị Ánh Tuyết")
    gone = factory.registration(event, enterprises, full_name="Hoàng Văn Hải")
    registrations.cancel(gone.id)
    entrance = services.entrance_for(event.id)
    room = services.save_list(event.id, None,
                              services.CheckInListDetails(name="Phòng cán bộ", category_ids=[officials.id]))
    hall = services.save_list(event.id, None, services.CheckInListDetails(name="Hội trường", allow_exit=True))

    def at(minutes):
        return start + timedelta(minutes=minutes)

    for person, minutes in ((s1, 2), (s2, 14.999), (o1, 15), (s3, 47)):  # 08:14:59.94 is still in 08:00
        assert services.scan(entrance.id, code=qr(person), scanner=GATE, now=at(minutes)).result.accepted
    services.scan(entrance.id, code=qr(s1), scanner=GATE, now=at(50))  # already checked in
    services.scan(entrance.id, code=qr(gone), scanner=GATE, now=at(51))  # cancelled
    services.scan(entrance.id, code=qr(e1)[:-4] + "AAAA", scanner=GATE, now=at(52))  # forged
    services.scan(room.id, code=qr(s2), scanner=GATE, now=at(60))  # category not allowed
    services.scan(room.id, code=qr(o1), scanner=GATE, now=at(61))
    services.scan(hall.id, code=qr(s1), scanner=GATE, now=at(62))
    services.scan(hall.id, code=qr(s1), direction=services.Direction.EXIT, scanner=GATE, now=at(90))
    return {"event": event, "entrance": entrance, "room": room, "hall": hall, "start": start,
            "categories": (students, officials, enterprises), "people": (s1, s2, s3, o1, o2, e1, gone)}


def test_lists_count_people_inside_against_those_admitted(scenario):
    entrance, room, hall = scenario["entrance"], scenario["room"], scenario["hall"]
    assert stats.lists(scenario["event"].id) == [
        {"id": entrance.id, "name": "Cổng chính", "checked_in": 4, "admissible": 6, "from_paper": 0, "percent": 67},
        {"id": room.id, "name": "Phòng cán bộ", "checked_in": 1, "admissible": 2, "from_paper": 0, "percent": 50},
        {"id": hall.id, "name": "Hội trường", "checked_in": 0, "admissible": 6, "from_paper": 0, "percent": 0},
    ]


def test_categories_compare_confirmed_with_arrived_at_the_entrance(scenario):
    students, officials, enterprises = scenario["categories"]
    assert [(c["id"], c["name"], c["registered"], c["checked_in"]) for c in stats.categories(scenario["event"].id)] \
        == [(students.id, "Học sinh, sinh viên", 3, 3), (officials.id, "Cán bộ, công chức", 2, 1),
            (enterprises.id, "Doanh nghiệp", 1, 0)]


def test_arrivals_are_counted_per_15_minutes_in_local_time(scenario):
    slots = stats.arrivals(scenario["entrance"].id)
    assert [(s["label"], s["count"]) for s in slots] == [("08:00", 2), ("08:15", 1), ("08:30", 0), ("08:45", 1)]
    assert slots[0]["start"] == scenario["start"].isoformat()
    assert [(s["label"], s["count"]) for s in stats.arrivals(scenario["room"].id)] == [("09:00", 1)]
    empty = services.save_list(scenario["event"].id, None, services.CheckInListDetails(name="Trống"))
    assert stats.arrivals(empty.id) == []


def test_no_shows_are_counted_and_named_once_the_event_has_ended(scenario):
    event = scenario["event"]
    during = stats.no_shows(event.id, now=event.starts_at + timedelta(hours=2))
    assert during == {"count": 2, "ended": False, "people": [], "more": 0}
    after = stats.no_shows(event.id, now=event.ends_at)
    assert after["ended"] and after["count"] == 2 and after["more"] == 0
    assert [p["full_name"] for p in after["people"]] == ["Đặng Quốc Việt", "Nguyễn Thị Ánh Tuyết"]
    assert after["people"][0]["category"] == "Cán bộ, công chức"
    assert stats.no_shows(event.id, now=event.ends_at, limit=1)["more"] == 1


def test_refused_scans_by_result_code(scenario):
    refused = stats.refused(scenario["event"].id)
    assert refused["total"] == 4
    assert sorted((r["code"], r["count"]) for r in refused["by_result"]) == [
        ("already_checked_in", 1), ("cancelled", 1), ("category_not_allowed", 1), ("forged", 1)]
    assert {r["code"]: r["label"] for r in refused["by_result"]}["cancelled"] == "Vé đã huỷ"


def test_an_event_without_lists_has_zero_everywhere(factory):
    event = factory.event(factory.organisation(), publish=True)
    category = factory.category(event)
    factory.registration(event, category)
    summary = stats.summary(event.id)
    assert summary["lists"] == [] and summary["arrivals"] == {"list_id": None, "slots": [], "max": 0}
    assert summary["categories"][0]["registered"] == 1 and summary["categories"][0]["checked_in"] == 0
    assert summary["no_shows"]["count"] == 1 and summary["refused"] == {"total": 0, "by_result": []}


def test_the_page_shows_the_numbers_without_inline_script_or_style(scenario, browser):
    browser.login("tochuc@example.vn")
    event = scenario["event"]
    response = browser.get(f"/manage/events/{event.id}/checkin/dashboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Check-in trực tiếp" in html and "Phòng cán bộ" in html and "Vé giả hoặc bị sửa" in html
    assert f'data-stat="lists.{scenario["entrance"].id}.checked_in">4<' in html
    assert html.count("<rect ") == 4 and "08:45" in html
    assert "/static/js/dashboard.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and " style=" not in html
    assert "Danh sách tên người chưa đến sẽ hiện sau khi sự kiện kết thúc." in html
    assert "<th>Có vé hợp lệ</th>" in html and "Được vào" not in html  # "allowed in", not "went in"
    room = browser.get(f"/manage/events/{event.id}/checkin/dashboard?list_id={scenario['room'].id}")
    assert room.status_code == 200 and room.get_data(as_text=True).count("<rect ") == 1


def test_the_json_refreshes_the_same_numbers(scenario, browser):
    browser.login("tochuc@example.vn")
    event = scenario["event"]
    response = browser.get(f"/manage/events/{event.id}/checkin/dashboard.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert [(item["name"], item["checked_in"], item["admissible"]) for item in data["lists"]] == [
        ("Cổng chính", 4, 6), ("Phòng cán bộ", 1, 2), ("Hội trường", 0, 6)]
    assert data["arrivals"]["list_id"] == scenario["entrance"].id and data["arrivals"]["max"] == 2
    assert data["no_shows"] == {"count": 2, "ended": False, "more": 0}
    assert data["refused"]["total"] == 4
    room = browser.get(f"/manage/events/{event.id}/checkin/dashboard.json?list_id={scenario['room'].id}").get_json()
    assert room["arrivals"]["list_id"] == scenario["room"].id


def test_a_list_of_another_event_is_not_found(scenario, factory, browser):
    browser.login("tochuc@example.vn")
    other = factory.event(factory.organisation(), publish=True)
    foreign = services.entrance_for(other.id)
    url = f"/manage/events/{scenario['event'].id}/checkin/dashboard.json?list_id={foreign.id}"
    assert browser.get(url).status_code == 404


def test_another_organisation_sees_nothing(scenario, factory, browser):
    factory.user("khac@example.vn", organisation=factory.organisation("Sở KH&CN tỉnh Gia Lai"), role=Role.ADMIN)
    browser.login("khac@example.vn")
    for path in ("dashboard", "dashboard.json"):
        assert browser.get(f"/manage/events/{scenario['event'].id}/checkin/{path}").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(scenario, client):
    response = client.get(f"/manage/events/{scenario['event'].id}/checkin/dashboard.json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
