"""The agenda through /api/v1: the same rules and conflicts as the pages, as JSON; sign-up with the ticket key."""
from datetime import timedelta

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.scheduling import services, signup
from eventhub.timeutil import to_local
from tests.scheduling.factories import make_room, make_session, make_speaker


@pytest.fixture
def setup(factory):
    organisation = factory.organisation()
    user = factory.user("api@example.vn", organisation=organisation, role=Role.ORGANISER)
    token, _ = accounts.issue_api_token(user.id, "agenda")
    event = factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    return {"event": event, "organisation": organisation, "headers": {"Authorization": f"Bearer {token}"}}


def _iso(moment):
    return to_local(moment).isoformat()


def test_rooms_tracks_speakers_crud(client, setup):
    event, headers = setup["event"], setup["headers"]
    base = f"/api/v1/events/{event.id}"
    room = client.post(f"{base}/rooms", json={"name": "Hội trường", "capacity": 300}, headers=headers)
    assert room.status_code == 201 and room.get_json()["capacity"] == 300
    bad = client.post(f"{base}/rooms", json={"name": "Phòng B", "capacity": 0}, headers=headers)
    assert bad.status_code == 422 and "capacity" in bad.get_json()["error"]["fields"]
    duplicate = client.post(f"{base}/rooms", json={"name": "Hội trường", "capacity": 3}, headers=headers)
    assert duplicate.status_code == 422 and duplicate.get_json()["error"]["fields"]["name"]
    room_id = room.get_json()["id"]
    assert client.put(f"{base}/rooms/{room_id}", json={"name": "Hội trường A", "capacity": 250},
                      headers=headers).get_json()["name"] == "Hội trường A"
    assert [r["name"] for r in client.get(f"{base}/rooms", headers=headers).get_json()] == ["Hội trường A"]
    track = client.post(f"{base}/tracks", json={"name": "Gọi vốn", "colour": "#AA0000"}, headers=headers)
    assert track.status_code == 201 and track.get_json()["colour"] == "#aa0000"
    assert client.post(f"{base}/tracks", json={"name": "X", "colour": "red"}, headers=headers).status_code == 422
    speakers = f"/api/v1/organisations/{setup['organisation'].id}/speakers"
    speaker = client.post(speakers, json={"name": "TS. Hoàng Anh", "email": "anh@example.vn"}, headers=headers)
    assert speaker.status_code == 201
    assert client.delete(f"{speakers}/{speaker.get_json()['id']}", headers=headers).get_json() == {"deleted": True}
    assert client.delete(f"{base}/rooms/{room_id}", headers=headers).status_code == 200


def test_session_crud_with_conflicts_as_json(client, setup):
    event, headers = setup["event"], setup["headers"]
    hall = make_room(event, "Hội trường", capacity=100)
    trainer = make_speaker(setup["organisation"], "ThS. Lê Thị Hoa")
    start = event.starts_at + timedelta(hours=1)
    body = {"title": "Khai mạc", "session_type": "ceremony", "starts_at": _iso(start),
            "ends_at": _iso(start + timedelta(hours=1)), "room_id": hall.id, "speaker_ids": [trainer.id]}
    url = f"/api/v1/events/{event.id}/sessions"
    created = client.post(url, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    session = created.get_json()
    assert session["room"]["name"] == "Hội trường" and session["speakers"][0]["name"] == "ThS. Lê Thị Hoa"
    assert session["starts_at"] == _iso(start)

    clash = client.post(url, json=dict(body, title="Tọa đàm", room_id=None), headers=headers)
    assert clash.status_code == 409
    [conflict] = clash.get_json()["conflicts"]
    assert conflict["code"] == "speaker_overlap" and conflict["other_session"]["id"] == session["id"]

    checked = client.post(f"{url}/conflicts", json=dict(body, title="Thử", speaker_ids=[]), headers=headers)
    assert checked.status_code == 200
    assert [c["code"] for c in checked.get_json()["conflicts"]] == ["room_overlap"]

    warning = client.post(url, json=dict(body, title="Workshop", room_id=hall.id, speaker_ids=[], capacity=150,
                                         starts_at=_iso(start + timedelta(hours=2)),
                                         ends_at=_iso(start + timedelta(hours=3))), headers=headers)
    assert warning.status_code == 409 and warning.get_json()["error"]["code"] == "schedule_warning"
    accepted = client.post(url, json=dict(body, title="Workshop", room_id=hall.id, speaker_ids=[], capacity=150,
                                          starts_at=_iso(start + timedelta(hours=2)),
                                          ends_at=_iso(start + timedelta(hours=3)), confirm_warnings=True),
                           headers=headers)
    assert accepted.status_code == 201

    moved = client.put(f"{url}/{session['id']}", json=dict(body, starts_at=_iso(start + timedelta(hours=4)),
                                                           ends_at=_iso(start + timedelta(hours=5))), headers=headers)
    assert moved.status_code == 200 and moved.get_json()["sequence"] == 1
    cancelled = client.post(f"{url}/{session['id']}/cancel", json={"reason": "Mưa bão"}, headers=headers)
    assert cancelled.get_json()["status"] == "cancelled"
    assert len(client.get(url, headers=headers).get_json()) == 2
    assert client.delete(f"{url}/{accepted.get_json()['id']}", headers=headers).status_code == 200


@pytest.mark.parametrize("change,field", [
    ({"ends_at": "2020-01-01T00:00:00+07:00"}, "ends_at"),
    ({"room_id": 999999}, "room_id"),
    ({"capacity": -5}, "capacity"),
    ({"session_type": "party"}, "session_type"),
    ({"starts_at": "hôm qua"}, "starts_at"),
    ({"title": None}, "title"),
])
def test_bad_session_input_is_a_json_field_error(client, setup, change, field):
    event = setup["event"]
    start = event.starts_at + timedelta(hours=1)
    body = {"title": "Phiên", "session_type": "talk", "starts_at": _iso(start),
            "ends_at": _iso(start + timedelta(hours=1)), **change}
    response = client.post(f"/api/v1/events/{event.id}/sessions", json=body, headers=setup["headers"])
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert services.sessions(event.id) == []


def test_another_organisation_gets_404(client, factory, setup):
    stranger = factory.user("la@example.vn", organisation=factory.organisation(), role=Role.ADMIN)
    token, _ = accounts.issue_api_token(stranger.id, "x")
    headers = {"Authorization": f"Bearer {token}"}
    event = setup["event"]
    session = make_session(event)
    assert client.get(f"/api/v1/events/{event.id}/sessions", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/events/{event.id}/sessions/{session.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/organisations/{event.organisation_id}/speakers", headers=headers).status_code == 404
    assert client.get(f"/api/v1/events/{event.id}/sessions").status_code == 401


def test_ticket_sign_up_waitlist_and_personal_agenda(client, factory, setup):
    event = setup["event"]
    category = factory.category(event)
    first, second = factory.registration(event, category), factory.registration(event, category)
    workshop = make_session(event, "Workshop gọi vốn", capacity=1, signup_required=True)
    url = f"/api/v1/ticket/sessions/{workshop.id}/signup"
    seat = client.post(url, headers={"X-Ticket-Key": first.access_key})
    assert seat.status_code == 201 and seat.get_json()["status"] == "confirmed"
    line = client.post(url, headers={"X-Ticket-Key": second.access_key}).get_json()
    assert line["status"] == "waitlisted" and line["waitlist_rank"] == 1
    again = client.post(url, headers={"X-Ticket-Key": first.access_key})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_signed_up"
    assert client.post(url).status_code == 401
    assert client.delete(url, headers={"X-Ticket-Key": first.access_key}).get_json()["status"] == "cancelled"
    agenda = client.get("/api/v1/ticket/agenda", headers={"X-Ticket-Key": second.access_key}).get_json()
    assert [(c["session"]["title"], c["status"]) for c in agenda["chosen"]] == [("Workshop gọi vốn", "confirmed")]
    assert signup.confirmed_count(workshop.id) == 1


def test_openapi_describes_the_agenda(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/events/{event_id}/rooms", "/events/{event_id}/sessions", "/events/{event_id}/sessions/conflicts",
                 "/organisations/{organisation_id}/speakers", "/portal/events/{slug}/schedule",
                 "/ticket/sessions/{session_id}/signup", "/ticket/agenda"):
        assert path in paths, path


def test_the_personal_agenda_is_never_cached(client, factory, setup):
    """Its key travels in a header, so a shared cache keyed by URL alone would hand it to the next ticket."""
    registration = factory.registration(setup["event"], factory.category(setup["event"]))
    response = client.get("/api/v1/ticket/agenda", headers={"X-Ticket-Key": registration.access_key})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Robots-Tag"] == "noindex"
