"""Public agenda pages, the personal agenda behind the ticket key, and the schedule exports (frab JSON and XML)."""
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from eventhub.events.models import Visibility
from eventhub.scheduling import services, signup
from eventhub.scheduling.models import SessionType, SignupStatus
from eventhub.timeutil import from_local, to_local
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track

H = timedelta(hours=1)


@pytest.fixture
def event(factory):
    """Two days: 08:00 on the first to 17:00 on the second, local time."""
    start = from_local(to_local(factory.event_details().starts_at).replace(hour=8, minute=0, tzinfo=None))
    return factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Quảng Nam 2027",
                         starts_at=start, ends_at=start + timedelta(hours=33))


@pytest.fixture
def agenda(event):
    hall, stage = make_room(event, "Hội trường chính", capacity=300), make_room(event, "Sân khấu pitching", position=1)
    pitching, training = make_track(event, "Gọi vốn", colour="#dc2626"), make_track(event, "Đào tạo")
    trainer = make_speaker(event.organisation, "ThS. Lê Thị Hoa", title="Giảng viên")
    opening = make_session(event, "Khai mạc", room=hall, session_type=SessionType.CEREMONY, starts_at=event.starts_at)
    workshop = make_session(event, "Workshop gọi vốn", room=stage, track=pitching, speakers=[trainer],
                            session_type=SessionType.WORKSHOP, capacity=2, signup_required=True,
                            starts_at=event.starts_at + 2 * H)
    day_two = make_session(event, "Lớp khởi nghiệp xanh", room=hall, track=training, starts_at=event.starts_at + 25 * H)
    cancelled = make_session(event, "Tọa đàm bị huỷ", room=stage, starts_at=event.starts_at + 26 * H)
    services.cancel_session(event.id, cancelled.id, "Diễn giả bận")
    return {"hall": hall, "stage": stage, "pitching": pitching, "opening": opening, "workshop": workshop,
            "day_two": day_two, "cancelled": cancelled}


def test_public_agenda_by_day_with_filters_and_print_css(client, event, agenda):
    html = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    for text in ("Khai mạc", "Workshop gọi vốn", "Lớp khởi nghiệp xanh", "Tọa đàm bị huỷ", "Ngày 1", "Ngày 2",
                 "ThS. Lê Thị Hoa", "còn 2/2 chỗ", "Đã huỷ"):
        assert text in html, text
    assert "app.css" in html and 'name="viewport"' in html
    by_room = client.get(f"/events/{event.slug}/agenda?room={agenda['stage'].id}").get_data(as_text=True)
    assert "Workshop gọi vốn" in by_room and "Khai mạc" not in by_room
    by_track = client.get(f"/events/{event.slug}/agenda?track={agenda['pitching'].id}").get_data(as_text=True)
    assert "Workshop gọi vốn" in by_track and "Lớp khởi nghiệp xanh" not in by_track
    day_two = to_local(agenda["day_two"].starts_at).date().isoformat()
    by_day = client.get(f"/events/{event.slug}/agenda?day={day_two}").get_data(as_text=True)
    assert "Lớp khởi nghiệp xanh" in by_day and "Khai mạc" not in by_day
    assert client.get(f"/events/{event.slug}/agenda?room=abc&track=999999&day=x").status_code == 200


def test_print_stylesheet_hides_navigation(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "@media print" in css and ".agenda-public-day" in css


def test_session_page_and_hidden_events(client, factory, event, agenda):
    page = client.get(f"/events/{event.slug}/agenda/sessions/{agenda['workshop'].id}")
    assert page.status_code == 200 and "ThS. Lê Thị Hoa" in page.get_data(as_text=True)
    draft = factory.event(event.organisation, title="Bản nháp")
    assert client.get(f"/events/{draft.slug}/agenda").status_code == 404
    other = factory.event(event.organisation, publish=True, visibility=Visibility.PRIVATE)
    assert client.get(f"/events/{other.slug}/agenda/schedule.json").status_code == 404
    assert client.get(f"/events/{other.slug}/agenda/sessions/{agenda['workshop'].id}").status_code == 404


def test_personal_agenda_sign_up_clash_and_cancel(client, factory, event, agenda):
    category = factory.category(event)
    person = factory.registration(event, category)
    clash = make_session(event, "Lập kế hoạch kinh doanh", room=agenda["hall"], signup_required=True,
                         starts_at=agenda["workshop"].starts_at)
    page = client.get(f"/tickets/{person.access_key}/agenda")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Workshop gọi vốn" in page.get_data(as_text=True) and "agenda.ics" in page.get_data(as_text=True)
    token = _csrf(client, person)
    done = client.post(f"/tickets/{person.access_key}/agenda/sessions/{agenda['workshop'].id}/signup",
                       data={"csrf_token": token}, follow_redirects=True)
    assert "Đã giữ chỗ cho bạn" in done.get_data(as_text=True)
    refused = client.post(f"/tickets/{person.access_key}/agenda/sessions/{clash.id}/signup",
                          data={"csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "Workshop gọi vốn" in refused and "trùng giờ" in refused
    assert signup.get_signup(clash.id, person.id) is None
    client.post(f"/tickets/{person.access_key}/agenda/sessions/{agenda['workshop'].id}/cancel",
                data={"csrf_token": token})
    assert signup.get_signup(agenda["workshop"].id, person.id) is None
    assert client.get("/tickets/sai-ma/agenda").status_code == 404


def test_personal_agenda_shows_the_waiting_rank(client, factory, event, agenda):
    category = factory.category(event)
    people = [factory.registration(event, category) for _ in range(3)]
    outcomes = [signup.sign_up(agenda["workshop"].id, p.id) for p in people]
    assert outcomes[2].status == SignupStatus.WAITLISTED
    html = client.get(f"/tickets/{people[2].access_key}/agenda").get_data(as_text=True)
    assert "Danh sách chờ, vị trí 1" in html


def _csrf(client, person):
    from tests.conftest import CSRF_META

    return CSRF_META.search(client.get(f"/tickets/{person.access_key}/agenda").get_data(as_text=True)).group(1)


def test_schedule_json_is_frab_shaped(client, event, agenda):
    body = client.get(f"/events/{event.slug}/agenda/schedule.json").get_json()
    conference = body["schedule"]["conference"]
    assert conference["acronym"] == event.slug and conference["daysCount"] == 2
    assert conference["time_zone_name"] == "Asia/Ho_Chi_Minh"
    day_one, day_two = conference["days"]
    assert list(day_one["rooms"]) == ["Hội trường chính", "Sân khấu pitching"]
    [workshop] = day_one["rooms"]["Sân khấu pitching"]
    assert workshop["title"] == "Workshop gọi vốn" and workshop["duration"] == "01:00"
    assert workshop["start"] == to_local(agenda["workshop"].starts_at).strftime("%H:%M")
    assert workshop["date"] == to_local(agenda["workshop"].starts_at).isoformat()
    assert workshop["persons"] == [{"id": agenda["workshop"].speakers[0].id, "public_name": "ThS. Lê Thị Hoa"}]
    assert day_two["rooms"]["Sân khấu pitching"] == []  # the cancelled session is left out
    again = client.get(f"/api/v1/portal/events/{event.slug}/schedule").get_json()
    assert again["schedule"]["conference"]["days"][0]["rooms"]["Sân khấu pitching"][0]["guid"] == workshop["guid"]


def test_schedule_xml_has_conference_day_room_event(client, event, agenda):
    response = client.get(f"/events/{event.slug}/agenda/schedule.xml")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "schedule" and root.findtext("conference/title") == event.title
    assert root.findtext("conference/days") == "2"
    days = root.findall("day")
    assert [d.get("index") for d in days] == ["1", "2"]
    rooms = days[0].findall("room")
    assert [r.get("name") for r in rooms] == ["Hội trường chính", "Sân khấu pitching"]
    workshop = rooms[1].find("event")
    assert workshop.get("id") == str(agenda["workshop"].id) and workshop.get("guid")
    assert workshop.findtext("title") == "Workshop gọi vốn" and workshop.findtext("track") == "Gọi vốn"
    assert workshop.findtext("room") == "Sân khấu pitching" and workshop.findtext("type") == "workshop"
    assert workshop.find("persons/person").text == "ThS. Lê Thị Hoa"
    titles = [e.findtext("title") for e in root.iter("event")]
    assert "Tọa đàm bị huỷ" not in titles and len(titles) == 3


def test_sessions_without_room_are_under_the_venue(client, event):
    make_session(event, "Tham quan gian hàng")
    body = client.get(f"/events/{event.slug}/agenda/schedule.json").get_json()
    assert event.venue_name in body["schedule"]["conference"]["days"][0]["rooms"]


def test_ticket_and_event_pages_link_to_the_agenda(client, factory, event):
    person = factory.registration(event, factory.category(event))
    assert f"/tickets/{person.access_key}/agenda" in client.get(f"/tickets/{person.access_key}").get_data(as_text=True)
    assert f"/events/{event.slug}/agenda" in client.get(f"/events/{event.slug}").get_data(as_text=True)
