"""Organiser agenda pages and the editor's JSON calls, through HTTP with CSRF as a browser sends it."""
from datetime import timedelta

import pytest

from eventhub.accounts.models import Role
from eventhub.checkin import services as checkin
from eventhub.extensions import db
from eventhub.scheduling import services
from eventhub.scheduling import signup as signup_services
from eventhub.scheduling.models import AgendaSession, SessionStatus
from eventhub.timeutil import to_local
from tests.conftest import CSRF_META
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track


@pytest.fixture
def organiser(factory):
    organisation = factory.organisation()
    user = factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    return organisation, user


@pytest.fixture
def event(factory, organiser):
    return factory.event(organiser[0], publish=True)


@pytest.fixture
def signed_in(browser, organiser):
    browser.login("tochuc@example.vn")
    return browser


def _local(moment):
    return to_local(moment).strftime("%d/%m/%Y %H:%M")


def _editor_token(browser, event):
    page = browser.get(f"/manage/events/{event.id}/agenda").get_data(as_text=True)
    return CSRF_META.search(page).group(1)


def test_editor_grid_shows_rooms_sessions_and_warnings(signed_in, event):
    hall = make_room(event, "Hội trường chính", capacity=10)
    track = make_track(event, "Gọi vốn", colour="#aa0000")
    make_session(event, "Vòng chung kết", room=hall, track=track, capacity=20)
    page = signed_in.get(f"/manage/events/{event.id}/agenda")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hội trường chính" in html and "Vòng chung kết" in html and "Chưa xếp phòng" in html
    assert 'data-colour="#aa0000"' in html and "has-warning" in html and "agenda.js" in html
    assert "Sức chứa của phiên (20)" in html


def test_editor_json_create_then_room_conflict_names_the_other_session(signed_in, event):
    hall = make_room(event, "Hội trường chính")
    token = _editor_token(signed_in, event)
    start = to_local(event.starts_at + timedelta(hours=1)).replace(tzinfo=None)
    body = {"title": "Khai mạc", "session_type": "ceremony", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "room_id": hall.id, "confirm_warnings": False}
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    created = signed_in.client.post(f"/manage/events/{event.id}/agenda/sessions.json", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["session"]["room"]["name"] == "Hội trường chính"

    clash = dict(body, title="Tọa đàm", session_type="panel")
    refused = signed_in.client.post(f"/manage/events/{event.id}/agenda/sessions.json", json=clash, headers=headers)
    assert refused.status_code == 409
    answer = refused.get_json()
    assert answer["error"]["code"] == "schedule_conflict"
    [conflict] = answer["conflicts"]
    assert conflict["code"] == "room_overlap" and conflict["blocking"] is True
    assert conflict["other_session"]["title"] == "Khai mạc" and "Khai mạc" in conflict["message"]
    assert services.sessions(event.id)[0].title == "Khai mạc" and len(services.sessions(event.id)) == 1


def test_editor_json_needs_csrf(signed_in, event):
    response = signed_in.client.post(f"/manage/events/{event.id}/agenda/sessions.json", json={"title": "X"},
                                     headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"


def test_editor_json_bad_input_is_a_field_error(signed_in, event):
    token = _editor_token(signed_in, event)
    response = signed_in.client.post(
        f"/manage/events/{event.id}/agenda/sessions.json", headers={"X-CSRFToken": token, "Accept": "application/json"},
        json={"title": "", "session_type": "dance", "starts_at": "31/02/2027 08:00", "ends_at": "x", "room_id": 999})
    assert response.status_code == 422
    assert {"title", "session_type", "starts_at", "ends_at", "room_id"} <= set(response.get_json()["error"]["fields"])


def test_editor_move_to_another_room_and_time(signed_in, event):
    hall, room_a = make_room(event, "Hội trường"), make_room(event, "Phòng A")
    session = make_session(event, room=hall)
    token = _editor_token(signed_in, event)
    start = to_local(session.starts_at + timedelta(hours=2)).replace(tzinfo=None)
    response = signed_in.client.post(
        f"/manage/events/{event.id}/agenda/sessions/{session.id}/move.json",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
              "room_id": room_a.id})
    assert response.status_code == 200, response.get_json()
    before = session.starts_at
    db.session.expire_all()
    moved = services.get_session(event.id, session.id)
    assert moved.room_id == room_a.id and moved.starts_at == before + timedelta(hours=2)
    assert moved.sequence == 1


def test_session_form_create_warn_confirm_and_edit(signed_in, event):
    room = make_room(event, "Phòng tập huấn A", capacity=30)
    speaker = make_speaker(event.organisation, "ThS. Lê Thị Hoa")
    start = event.starts_at + timedelta(hours=1)
    data = {"title": "Khởi nghiệp xanh", "session_type": "training", "starts_at": _local(start),
            "ends_at": _local(start + timedelta(hours=2)), "room_id": str(room.id), "track_id": "",
            "speaker_ids": [str(speaker.id)], "capacity": "40", "signup_required": "y", "description_md": ""}
    warned = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/new", data)
    assert warned.status_code == 422
    assert "lớn hơn sức chứa của phòng Phòng tập huấn A" in warned.get_data(as_text=True)
    saved = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/new", dict(data, confirm_warnings="y"))
    assert saved.status_code == 302
    [session] = services.sessions(event.id)
    assert session.capacity == 40 and [s.name for s in session.speakers] == ["ThS. Lê Thị Hoa"]
    page = signed_in.get(f"/manage/events/{event.id}/agenda/sessions/{session.id}")
    assert page.status_code == 200 and "Người đăng ký phiên" in page.get_data(as_text=True)
    edited = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/{session.id}",
                            dict(data, capacity="25", title="Khởi nghiệp xanh (buổi 1)"))
    assert edited.status_code == 302
    db.session.expire_all()
    assert services.get_session(event.id, session.id).title == "Khởi nghiệp xanh (buổi 1)"


def test_session_form_end_before_start_shows_message(signed_in, event):
    start = event.starts_at + timedelta(hours=3)
    response = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/new", {
        "title": "Sai giờ", "session_type": "talk", "starts_at": _local(start),
        "ends_at": _local(start - timedelta(hours=1)), "room_id": "", "track_id": ""})
    assert response.status_code == 422
    assert "Giờ kết thúc phải sau giờ bắt đầu." in response.get_data(as_text=True)
    assert services.sessions(event.id) == []


def test_new_session_form_prefills_the_clicked_slot(signed_in, event):
    room = make_room(event, "Sân khấu pitching")
    day = to_local(event.starts_at).date().isoformat()
    page = signed_in.get(f"/manage/events/{event.id}/agenda/sessions/new?date={day}&time=14:30&room={room.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "14:30" in html and f'<option selected value="{room.id}">' in html


def test_cancel_delete_and_check_in_list(signed_in, event):
    session = make_session(event, "Tọa đàm")
    page_url = f"/manage/events/{event.id}/agenda/sessions/{session.id}"
    assert f'action="{page_url}/check-in-list"' in signed_in.get(page_url).get_data(as_text=True)
    created = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/{session.id}/check-in-list")
    assert created.status_code == 302 and "/checkin/" in created.location
    page = signed_in.get(page_url).get_data(as_text=True)  # the page now links to the list instead
    assert f'href="{created.location}">Tọa đàm</a>' in page and "/check-in-list" not in page
    again = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/{session.id}/check-in-list")
    assert again.location == created.location
    lists = checkin.lists_for_event(event.id)
    assert [item.session_id for item in lists] == [None, session.id]
    assert lists[1].opens_at == session.starts_at - timedelta(minutes=30) and lists[1].closes_at == session.ends_at
    later = services.SessionDetails.of(session).moved(starts_at=session.starts_at + timedelta(hours=2),
                                                      ends_at=session.ends_at + timedelta(hours=2), room_id=None)
    services.update_session(event.id, session.id, later)
    db.session.expire_all()
    assert checkin.get_list(lists[1].id).closes_at == later.ends_at

    cancelled = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/{session.id}/cancel",
                               {"reason": "Diễn giả ốm"})
    assert cancelled.status_code == 302
    db.session.expire_all()
    assert services.get_session(event.id, session.id).status == SessionStatus.CANCELLED
    other_id = make_session(event).id
    assert signed_in.post(f"/manage/events/{event.id}/agenda/sessions/{other_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(AgendaSession, other_id) is None


def test_rooms_tracks_and_speakers_pages(signed_in, event, organiser):
    base = f"/manage/events/{event.id}/agenda/rooms"
    assert signed_in.get(base).status_code == 200
    assert signed_in.post(base, {"name": "Hội trường", "capacity": "300", "position": "0"}).status_code == 302
    bad = signed_in.post(base, {"name": "Phòng B", "capacity": "-4", "position": "0"})
    assert bad.status_code == 422 and "Giá trị phải từ 1 đến 100000." in bad.get_data(as_text=True)
    duplicate = signed_in.post(base, {"name": "Hội trường", "capacity": "10", "position": "0"})
    assert duplicate.status_code == 422 and "Sự kiện đã có phòng tên này." in duplicate.get_data(as_text=True)
    [room] = services.rooms(event.id)
    assert signed_in.post(f"{base}/{room.id}", {"name": "Hội trường lớn", "capacity": "350"}).status_code == 302
    db.session.expire_all()
    assert services.rooms(event.id)[0].name == "Hội trường lớn"
    tracks = f"/manage/events/{event.id}/agenda/tracks"
    assert signed_in.post(tracks, {"name": "Đào tạo", "colour": "#16a34a"}).status_code == 302
    assert signed_in.post(tracks, {"name": "Sai màu", "colour": "xanh"}).status_code == 422
    speakers = f"/manage/organisations/{organiser[0].id}/speakers"
    assert signed_in.post(speakers, {"name": "TS. Nguyễn Văn Hùng", "email": "hung@example.vn"}).status_code == 302
    assert signed_in.get(speakers).status_code == 200
    [speaker] = services.speakers(organiser[0].id)
    assert signed_in.post(f"{speakers}/{speaker.id}", {"name": "PGS.TS. Nguyễn Văn Hùng"}).status_code == 302
    assert signed_in.post(f"{speakers}/{speaker.id}/delete").status_code == 302
    assert services.speakers(organiser[0].id) == []


def test_event_page_links_to_the_agenda(signed_in, event):
    html = signed_in.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert f"/manage/events/{event.id}/agenda" in html


def test_another_organisation_cannot_see_or_change_the_agenda(factory, browser, event):
    session = make_session(event, room=make_room(event))
    outsider_organisation = factory.organisation()
    factory.user("khac@example.vn", organisation=outsider_organisation, role=Role.ADMIN)
    browser.login("khac@example.vn")
    assert browser.get(f"/manage/events/{event.id}/agenda").status_code == 404
    assert browser.get(f"/manage/events/{event.id}/agenda/sessions/{session.id}").status_code == 404
    assert browser.get(f"/manage/organisations/{event.organisation_id}/speakers").status_code == 404
    assert browser.post(f"/manage/events/{event.id}/agenda/sessions/{session.id}/cancel").status_code == 404
    assert services.get_session(event.id, session.id).status == SessionStatus.SCHEDULED


def test_check_in_staff_are_refused(factory, browser, event):
    factory.user("quet@example.vn", organisation=event.organisation, role=Role.CHECKIN_STAFF)
    browser.login("quet@example.vn")
    assert browser.get(f"/manage/events/{event.id}/agenda").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, event):
    response = client.get(f"/manage/events/{event.id}/agenda")
    assert response.status_code == 302 and "/login" in response.location


def test_organiser_frees_a_seat_and_the_next_person_moves_up(signed_in, factory, event):
    category = factory.category(event)
    first, second = factory.registration(event, category), factory.registration(event, category)
    workshop = make_session(event, "Workshop gọi vốn", capacity=1, signup_required=True)
    signup_services.sign_up(workshop.id, first.id)
    signup_services.sign_up(workshop.id, second.id)
    page = signed_in.get(f"/manage/events/{event.id}/agenda/sessions/{workshop.id}").get_data(as_text=True)
    assert first.full_name in page and second.full_name in page
    freed = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/{workshop.id}/signups/{first.id}/cancel")
    assert freed.status_code == 302
    db.session.expire_all()
    assert signup_services.get_signup(workshop.id, first.id) is None
    assert signup_services.get_signup(workshop.id, second.id).status.value == "confirmed"
    missing = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/{workshop.id}/signups/{first.id}/cancel")
    assert missing.status_code == 404


def test_save_anyway_is_offered_for_warnings_only_never_for_a_room_clash(signed_in, event):
    room = make_room(event, "Phòng tập huấn A", capacity=30)
    start = event.starts_at + timedelta(hours=1)
    make_session(event, "Khai mạc", room=room, starts_at=start)
    data = {"title": "Khởi nghiệp xanh", "session_type": "training", "starts_at": _local(start),
            "ends_at": _local(start + timedelta(hours=1)), "room_id": str(room.id), "track_id": "",
            "capacity": "40", "description_md": ""}
    blank = signed_in.get(f"/manage/events/{event.id}/agenda/sessions/new").get_data(as_text=True)
    assert 'name="confirm_warnings"' not in blank
    clash = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/new", data)  # room clash and capacity warning
    html = clash.get_data(as_text=True)
    assert clash.status_code == 422 and "đã có phiên “Khai mạc”" in html
    assert 'name="confirm_warnings"' not in html and "nếu bạn chắc chắn" not in html
    refused = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/new", dict(data, confirm_warnings="y"))
    assert refused.status_code == 422 and len(services.sessions(event.id)) == 1
    later = dict(data, starts_at=_local(start + timedelta(hours=2)), ends_at=_local(start + timedelta(hours=3)))
    warned = signed_in.post(f"/manage/events/{event.id}/agenda/sessions/new", later).get_data(as_text=True)
    assert 'name="confirm_warnings"' in warned and "lớn hơn sức chứa của phòng" in warned
    assert signed_in.post(f"/manage/events/{event.id}/agenda/sessions/new",
                          dict(later, confirm_warnings="y")).status_code == 302
