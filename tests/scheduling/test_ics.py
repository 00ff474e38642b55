"""The agenda's iCalendar feeds, read back with an independent parser (vobject) and compared with the
database: times, stable UIDs, SEQUENCE, cancelled sessions, locations and who may read what."""
from datetime import timedelta

import pytest
import vobject

from eventhub.extensions import db
from eventhub.registration import services as registrations
from eventhub.scheduling import services, signup
from eventhub.scheduling.feeds import webcal_url
from eventhub.scheduling.models import AgendaSession, SessionType
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track

TZID = "Asia/Ho_Chi_Minh"


@pytest.fixture
def agenda(factory):
    """A two-day startup day: a keynote for all, a limited workshop, a cancelled talk, a ticket holder."""
    organisation = factory.organisation()
    start = factory.event_details().starts_at
    event = factory.event(organisation, publish=True, venue_name="Trung tâm Hội nghị tỉnh Đắk Lắk",
                          starts_at=start, ends_at=start + timedelta(days=1, hours=9))
    hall = make_room(event, "Hội trường chính", capacity=300)
    room_a = make_room(event, "Phòng tập huấn A", capacity=30)
    keynote = make_session(event, "Khai mạc và phát biểu chào mừng", room=hall, session_type=SessionType.CEREMONY,
                           starts_at=start, ends_at=start + timedelta(minutes=45))
    workshop = make_session(event, "Workshop: Khởi nghiệp xanh trong kinh tế tuần hoàn", room=room_a,
                            track=make_track(event, "Tập huấn"), session_type=SessionType.WORKSHOP,
                            speakers=[make_speaker(organisation, "TS. Lê Thị Thu Hà")], capacity=20,
                            signup_required=True, starts_at=start + timedelta(days=1, hours=1),
                            ends_at=start + timedelta(days=1, hours=3), description_md="Mang theo máy tính.")
    talk = make_session(event, "Tọa đàm gọi vốn", room=hall, starts_at=start + timedelta(hours=2))
    services.cancel_session(event.id, talk.id, "Diễn giả bận đột xuất")
    person = factory.registration(event, factory.category(event))
    return {"event": event, "hall": hall, "room_a": room_a, "keynote": keynote, "workshop": workshop, "talk": talk,
            "person": person}


def read(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status != 200:
        return response, None
    assert response.content_type == "text/calendar; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.count(f"DTSTART;TZID={TZID}:") == text.count(f"DTEND;TZID={TZID}:") == text.count("BEGIN:VEVENT")
    return response, vobject.readOne(text)


def events_of(calendar) -> dict[str, object]:
    return {vevent.uid.value: vevent for vevent in getattr(calendar, "vevent_list", [])}


def assert_matches_database(calendar, app):
    """Every VEVENT is a session exactly as stored; times carry the local TZID with its VTIMEZONE."""
    assert calendar.vtimezone.tzid.value == TZID
    for uid, vevent in events_of(calendar).items():
        session_id = int(uid.removeprefix("session-").split("@")[0])
        assert uid == f"session-{session_id}@{app.config['ICS_UID_DOMAIN']}"
        session = db.session.get(AgendaSession, session_id)
        assert vevent.dtstart.value == session.starts_at and vevent.dtend.value == session.ends_at
        assert vevent.dtstart.value.utcoffset() == timedelta(hours=7)
        assert vevent.summary.value == session.title
        assert int(vevent.sequence.value) == session.sequence
        assert vevent.status.value == ("CANCELLED" if session.is_cancelled else "CONFIRMED")
        assert vevent.location.value.startswith(f"{session.room.name}, {session.event.venue_name}")


def test_every_feed_parses_and_matches_the_database(app, client, agenda):
    event, slug = agenda["event"], agenda["event"].slug
    signup.sign_up(agenda["workshop"].id, agenda["person"].id)
    feeds = {
        f"/events/{slug}/agenda.ics": {"keynote", "workshop", "talk"},
        f"/events/{slug}/agenda/sessions/{agenda['workshop'].id}.ics": {"workshop"},
        f"/events/{slug}/agenda/rooms/{agenda['hall'].id}.ics": {"keynote", "talk"},
        f"/events/{slug}/agenda/rooms/{agenda['room_a'].id}.ics": {"workshop"},
        f"/tickets/{agenda['person'].access_key}/agenda.ics": {"keynote", "workshop", "talk"},
    }
    for url, expected in feeds.items():
        _response, calendar = read(client, url)
        assert set(events_of(calendar)) == {f"session-{agenda[name].id}@eventhub.local" for name in expected}, url
        assert_matches_database(calendar, app)
    _response, calendar = read(client, f"/events/{slug}/agenda.ics")
    assert calendar.x_wr_calname.value == event.title
    workshop = events_of(calendar)[f"session-{agenda['workshop'].id}@eventhub.local"]
    assert workshop.categories.value == ["Tập huấn"]
    assert workshop.url.value.endswith(f"/events/{slug}/agenda/sessions/{agenda['workshop'].id}")
    assert "TS. Lê Thị Thu Hà" in workshop.description.value and "Mang theo máy tính." in workshop.description.value
    talk = events_of(calendar)[f"session-{agenda['talk'].id}@eventhub.local"]
    assert talk.status.value == "CANCELLED" and "Diễn giả bận đột xuất" in talk.description.value
    assert not hasattr(calendar, "method")  # a subscription, not an iTIP message


def test_a_moved_session_keeps_its_uid_and_raises_its_sequence(app, client, agenda):
    url = f"/events/{agenda['event'].slug}/agenda.ics"
    uid = f"session-{agenda['keynote'].id}@eventhub.local"
    _response, before = read(client, url)
    assert events_of(before)[uid].sequence.value == "0"
    details = services.SessionDetails.of(agenda["keynote"])
    moved = details.moved(starts_at=details.starts_at + timedelta(minutes=30),
                          ends_at=details.ends_at + timedelta(minutes=30), room_id=agenda["room_a"].id)
    services.update_session(agenda["event"].id, agenda["keynote"].id, moved, confirm_warnings=True)
    _response, after = read(client, url)
    vevent = events_of(after)[uid]
    assert vevent.sequence.value == "1"
    assert vevent.dtstart.value == moved.starts_at
    assert vevent.location.value.startswith("Phòng tập huấn A, ")
    assert_matches_database(after, app)


def test_the_personal_feed_holds_what_the_ticket_attends_and_is_never_cached(app, client, agenda):
    url = f"/tickets/{agenda['person'].access_key}/agenda.ics"
    response, calendar = read(client, url)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    workshop_uid = f"session-{agenda['workshop'].id}@eventhub.local"
    assert workshop_uid not in events_of(calendar)  # limited: only with a seat
    signup.sign_up(agenda["workshop"].id, agenda["person"].id)
    _response, calendar = read(client, url)
    assert workshop_uid in events_of(calendar)
    registrations.cancel(agenda["person"].id)
    _response, calendar = read(client, url)
    assert events_of(calendar) == {}  # a cancelled ticket attends nothing; the calendar empties
    read(client, "/tickets/khong-co-ve-nay/agenda.ics", status=404)


def test_public_feeds_answer_only_for_visible_events_and_their_own_rooms_and_sessions(client, factory, agenda):
    draft = factory.event(factory.organisation())
    other_room = make_room(draft, "Phòng khác")
    other_session = make_session(draft, "Phiên khác")
    slug = agenda["event"].slug
    read(client, f"/events/{draft.slug}/agenda.ics", status=404)
    read(client, f"/events/{slug}/agenda/rooms/{other_room.id}.ics", status=404)
    read(client, f"/events/{slug}/agenda/sessions/{other_session.id}.ics", status=404)
    read(client, f"/events/{slug}/agenda/sessions/2147483647.ics", status=404)
    response, _calendar = read(client, f"/events/{slug}/agenda.ics")
    assert response.headers["Cache-Control"] == "no-cache"


def test_an_empty_agenda_is_still_a_valid_calendar(client, factory):
    event = factory.event(factory.organisation(), publish=True)
    _response, calendar = read(client, f"/events/{event.slug}/agenda.ics")
    assert events_of(calendar) == {} and calendar.vtimezone.tzid.value == TZID


def test_subscribe_links_use_webcal(app, agenda, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://eventhub.daklak.gov.vn")
    with app.test_request_context(base_url="https://host-header.example"):  # the request's host never decides
        link = webcal_url("agenda_feeds.personal_feed", access_key=agenda["person"].access_key)
    assert link == f"webcal://eventhub.daklak.gov.vn/tickets/{agenda['person'].access_key}/agenda.ics"
