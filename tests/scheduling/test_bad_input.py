"""Hostile input to every agenda endpoint: wrong types, nulls, huge and odd numbers, NUL, long text, ids of
other events. Each answers a 4xx with a JSON field error (never a 500) and writes nothing."""
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.scheduling.models import AgendaSession, Room, Speaker, Track
from eventhub.timeutil import to_local
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track

ODD_VALUES = [None, "", "abc", 2**31, 2**63, -(2**63), 2**64, 1e308, -1, 0, 1.5, True, [], {}, [1], "NaN",
              "Infinity", "-Infinity", "1e308", "\x00", "a\x00b", "x" * 100_000, "\ud800", "31/02/2026 08:00",
              "0000-01-01T00:00", "99999-01-01T00:00", "2026-13-01T00:00",
              float("nan"), float("inf")]


@pytest.fixture
def setup(factory):
    organisation = factory.organisation()
    user = factory.user("bad-input@example.vn", organisation=organisation, role=Role.ORGANISER)
    token, _ = accounts.issue_api_token(user.id, "bad input")
    event = factory.event(organisation, publish=True)
    other = factory.event(factory.organisation(), publish=True)
    return {"event": event, "organisation": organisation, "other": other, "user": user,
            "headers": {"Authorization": f"Bearer {token}"}}


def _iso(moment):
    return to_local(moment).isoformat()


def session_body(event, room=None, **overrides):
    start = event.starts_at + timedelta(hours=1)
    body = {"title": "Phiên thử", "session_type": "talk", "starts_at": _iso(start),
            "ends_at": _iso(start + timedelta(hours=1)), "room_id": room.id if room else None}
    body.update(overrides)
    return body


def counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Room, Track, Speaker, AgendaSession))


def send(client, method, url, body, headers):
    """JSON as any client may write it: surrogates escaped, NaN and Infinity as Python's json writes them."""
    return client.open(url, method=method, data=json.dumps(body), content_type="application/json", headers=headers)


def assert_refused(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:2000])
    assert response.is_json and response.get_json()["error"]["code"]


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("name", ["name", "capacity", "position"])
def test_room_fields(client, setup, name, value):
    event = setup["event"]
    body = {"name": "Phòng thử", "capacity": 10, "position": 1, name: value}
    before = counts()
    response = send(client, "POST", f"/api/v1/events/{event.id}/rooms", body, setup["headers"])
    if response.status_code == 201:
        return
    assert_refused(response)
    assert counts() == before


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("name", ["name", "colour"])
def test_track_fields(client, setup, name, value):
    body = {"name": "Chuỗi", "colour": "#123456", name: value}
    before = counts()
    response = send(client, "POST", f"/api/v1/events/{setup['event'].id}/tracks", body, setup["headers"])
    if response.status_code == 201:
        return
    assert_refused(response)
    assert counts() == before


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("name", ["name", "title", "organisation_name", "email", "bio"])
def test_speaker_fields(client, setup, name, value):
    body = {"name": "TS. Lê Văn Tám", name: value}
    before = counts()
    speakers = f"/api/v1/organisations/{setup['organisation'].id}/speakers"
    response = send(client, "POST", speakers, body, setup["headers"])
    if response.status_code == 201:
        return
    assert_refused(response)
    assert counts() == before


SESSION_FIELDS = ["title", "session_type", "starts_at", "ends_at", "room_id", "track_id", "speaker_ids", "capacity",
                  "signup_required", "description_md", "confirm_warnings"]


@pytest.mark.parametrize("value", ODD_VALUES + ["unknown", [2**63], ["x"], [None]])
@pytest.mark.parametrize("name", SESSION_FIELDS)
def test_session_fields(browser, setup, name, value):
    """The API, its conflict check and the editor's JSON calls (signed in, with the page's CSRF token)."""
    event = setup["event"]
    room = make_room(event, capacity=50)
    session = make_session(event, "Giữ nguyên", room=room, starts_at=event.starts_at + timedelta(hours=3))
    before = counts()
    browser.login(setup["user"].email)
    editor = {**setup["headers"], "X-CSRFToken": browser.csrf_token(), "Accept": "application/json"}
    agenda = f"/manage/events/{event.id}/agenda"
    for method, url in (("POST", f"/api/v1/events/{event.id}/sessions"),
                        ("POST", f"/api/v1/events/{event.id}/sessions/conflicts"),
                        ("PUT", f"/api/v1/events/{event.id}/sessions/{session.id}"),
                        ("POST", f"{agenda}/sessions.json"), ("POST", f"{agenda}/sessions/{session.id}/move.json")):
        body = session_body(event, room, **{name: value})
        if url.endswith("move.json"):
            body = {k: v for k, v in body.items() if k in ("starts_at", "ends_at", "room_id", "confirm_warnings")}
        response = send(browser.client, method, url, body, editor)
        if response.status_code in (200, 201):
            continue
        assert_refused(response)
    assert counts()[3] in (before[3], before[3] + 1, before[3] + 2)


@pytest.mark.parametrize("body", [None, [], "x", 1, {"title": None}, {"x": 1}])
def test_bodies_that_are_not_objects(client, setup, body):
    event = setup["event"]
    for url in (f"/api/v1/events/{event.id}/sessions", f"/api/v1/events/{event.id}/rooms",
                f"/api/v1/events/{event.id}/tracks", f"/api/v1/organisations/{setup['organisation'].id}/speakers"):
        assert_refused(send(client, "POST", url, body, setup["headers"]))


def test_ids_of_another_event(client, setup):
    event, other = setup["event"], setup["other"]
    foreign_room, foreign_track = make_room(other), make_track(other)
    foreign_speaker = make_speaker(other.organisation)
    foreign_session = make_session(other)
    for name, value in (("room_id", foreign_room.id), ("track_id", foreign_track.id),
                        ("speaker_ids", [foreign_speaker.id])):
        response = send(client, "POST", f"/api/v1/events/{event.id}/sessions", session_body(event, **{name: value}),
                        setup["headers"])
        assert response.status_code == 422 and name in response.get_json()["error"]["fields"]
    assert client.get(f"/api/v1/events/{event.id}/sessions/{foreign_session.id}",
                      headers=setup["headers"]).status_code == 404
    assert client.get(f"/api/v1/events/{other.id}/sessions", headers=setup["headers"]).status_code in (403, 404)


@pytest.mark.parametrize("key", ["", "x", "\x00", "a" * 10_000, "\u00e9" * 50, "null"])
def test_ticket_keys(client, setup, key):
    session = make_session(setup["event"], signup_required=True, capacity=3)
    for method, url in (("get", "/api/v1/ticket/agenda"), ("post", f"/api/v1/ticket/sessions/{session.id}/signup"),
                        ("delete", f"/api/v1/ticket/sessions/{session.id}/signup")):
        try:
            response = getattr(client, method)(url, headers={"X-Ticket-Key": key})
        except ValueError:  # the test client refuses to send a header with NUL
            continue
        assert_refused(response)
    for url in (f"/tickets/{key or 'x'}/agenda.ics",):
        if "\x00" in key:
            continue
        response = client.get(url)
        assert response.status_code == 404


@pytest.mark.parametrize("path", ["/events/{slug}/agenda.ics", "/events/{slug}/agenda/sessions/{big}.ics",
                                  "/events/{slug}/agenda/rooms/{big}.ics", "/events/nope/agenda.ics",
                                  "/api/v1/portal/events/nope/schedule", "/api/v1/portal/events/{slug}/schedule.xml",
                                  "/events/{slug}/agenda/sessions/{other_session}.ics",
                                  "/events/{slug}/agenda/rooms/{other_room}.ics"])
def test_feeds_with_bad_ids(client, setup, path):
    other = setup["other"]
    url = path.format(slug=setup["event"].slug, big=2**40, other_session=make_session(other).id,
                      other_room=make_room(other).id)
    response = client.get(url)
    assert response.status_code in (200, 404), response.status_code
    if "{slug}" in path and ("other" in path or "big" in path):
        assert response.status_code == 404
