"""Bad input to the agenda endpoints, as outcome tables: each row is a value that reaches the endpoint's own rules
(bounds, lengths, ids of other events, ids no database holds, the ticket header, feed ids) and states the outcome,
stored with the value read back or refused with nothing written. The JSON types are proven on the validator
(tests/test_form_json.py)."""
from datetime import timedelta

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.scheduling.models import AgendaSession, Room, Speaker, Track
from eventhub.timeutil import to_local
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track
from tests.support.sweep import NOT_FOUND, Refused, Stored, invalid, outcome, send_json, snapshot

AGENDA_TABLES = ("rooms", "tracks", "speakers", "agenda_sessions", "session_speakers", "session_signups")
BIG = 2**63  # beyond a PostgreSQL bigint: once a 500 there


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


def run_table(client, method, url, base, rows, headers, read_back):
    """Send base updated with each row's values; the outcome of each row, by label."""
    actual = {}
    for label, values in rows.items():
        before = snapshot(*AGENDA_TABLES)
        response = send_json(client, method, url, {**base, **values}, headers)
        actual[label] = outcome(response, before, read_back)
    return actual


ROOM_ROWS = {
    # label: (values sent, expected)
    "spaces_around_the_name": ({"name": "  Hội trường B  "}, Stored(("Hội trường B", 10, 1))),
    "longest_name": ({"name": "x" * 120}, Stored(("x" * 120, 10, 1))),
    "name_too_long": ({"name": "x" * 121}, invalid("name")),
    "name_of_spaces": ({"name": "   "}, invalid("name")),
    "name_taken": ({"name": "Giữ nguyên"}, invalid("name")),
    "nul_in_name": ({"name": "Phòng\x00A"}, invalid("name")),
    "name_true": ({"name": True}, invalid("name")),  # was stored as "y"
    "capacity_one": ({"name": "Phòng một chỗ", "capacity": 1}, Stored(("Phòng một chỗ", 1, 1))),
    "largest_capacity": ({"name": "Sân vận động", "capacity": 100_000}, Stored(("Sân vận động", 100_000, 1))),
    "capacity_too_large": ({"capacity": 100_001}, invalid("capacity")),
    "capacity_beyond_integer": ({"capacity": 2**31}, invalid("capacity")),
    "capacity_beyond_bigint": ({"capacity": BIG}, invalid("capacity")),
    "capacity_zero": ({"capacity": 0}, invalid("capacity")),
    "capacity_as_text": ({"capacity": "10"}, invalid("capacity")),
    "capacity_null": ({"capacity": None}, invalid("capacity")),
    "last_position": ({"name": "Phòng cuối", "position": 999}, Stored(("Phòng cuối", 10, 999))),
    "position_too_large": ({"position": 1000}, invalid("position")),
    "position_negative": ({"position": -1}, invalid("position")),
    "position_null": ({"position": None}, invalid("position")),
}


def test_room_input(client, setup):
    event = setup["event"]
    make_room(event, "Giữ nguyên")

    def room(response):
        stored = db.session.get(Room, response.get_json()["id"])
        return stored.name, stored.capacity, stored.position

    actual = run_table(client, "POST", f"/api/v1/events/{event.id}/rooms", {"name": "Phòng thử", "capacity": 10,
                                                                            "position": 1},
                       {label: values for label, (values, _) in ROOM_ROWS.items()}, setup["headers"], room)
    assert actual == {label: expected for label, (_, expected) in ROOM_ROWS.items()}


def test_room_update_beyond_the_database(client, setup):
    room = make_room(setup["event"], "Phòng cũ", capacity=20)
    url = f"/api/v1/events/{setup['event'].id}/rooms/{room.id}"
    before = snapshot(*AGENDA_TABLES)
    response = send_json(client, "PUT", url, {"name": "Phòng cũ", "capacity": BIG}, setup["headers"])
    assert outcome(response, before, None) == invalid("capacity")
    response = send_json(client, "PUT", f"/api/v1/events/{setup['event'].id}/rooms/{2**31}",
                         {"name": "Phòng cũ", "capacity": 5}, setup["headers"])
    assert outcome(response, before, None) == NOT_FOUND


TRACK_ROWS = {
    "colour_lower_case": ({"name": "Chuỗi A", "colour": "#abcdef"}, Stored(("Chuỗi A", "#abcdef"))),
    "colour_with_spaces": ({"name": "Chuỗi B", "colour": " #123456 "}, Stored(("Chuỗi B", "#123456"))),
    "colour_by_name": ({"colour": "red"}, invalid("colour")),
    "colour_too_short": ({"colour": "#12345"}, invalid("colour")),
    "colour_empty": ({"colour": ""}, invalid("colour")),
    "colour_number": ({"colour": 123456}, invalid("colour")),
    "name_too_long": ({"name": "x" * 121}, invalid("name")),
    "name_taken": ({"name": "Giữ nguyên"}, invalid("name")),
    "nul_in_name": ({"name": "a\x00b"}, invalid("name")),
    "surrogate_in_name": ({"name": "\ud800"}, invalid("name")),
}


def test_track_input(client, setup):
    event = setup["event"]
    make_track(event, "Giữ nguyên")

    def track(response):
        stored = db.session.get(Track, response.get_json()["id"])
        return stored.name, stored.colour

    actual = run_table(client, "POST", f"/api/v1/events/{event.id}/tracks", {"name": "Chuỗi", "colour": "#123456"},
                       {label: values for label, (values, _) in TRACK_ROWS.items()}, setup["headers"], track)
    assert actual == {label: expected for label, (_, expected) in TRACK_ROWS.items()}


SPEAKER_ROWS = {
    "every_field": ({"title": " PGS.TS ", "organisation_name": "Trường ĐH Tây Nguyên", "email": " an@ttn.edu.vn ",
                     "bio": "Giảng viên khởi nghiệp"},
                    Stored(("PGS.TS", "Trường ĐH Tây Nguyên", "an@ttn.edu.vn", "Giảng viên khởi nghiệp"))),
    "empty_optional_fields": ({"title": "", "organisation_name": "", "email": "", "bio": ""},
                              Stored((None, None, None, ""))),
    "null_optional_fields": ({"title": None, "organisation_name": None, "email": None, "bio": None},
                             Stored((None, None, None, ""))),
    "longest_bio": ({"bio": "x" * 5000}, Stored((None, None, None, "x" * 5000))),
    "bio_too_long": ({"bio": "x" * 5001}, invalid("bio")),
    "title_too_long": ({"title": "x" * 151}, invalid("title")),
    "organisation_too_long": ({"organisation_name": "x" * 201}, invalid("organisation_name")),
    "email_without_at": ({"email": "khong-phai-email"}, invalid("email")),
    "email_too_long": ({"email": "a" * 250 + "@b.vn"}, invalid("email")),
    "name_missing": ({"name": ""}, invalid("name")),
    "nul_in_bio": ({"bio": "a\x00b"}, invalid("bio")),
    "email_list": ({"email": ["an@ttn.edu.vn"]}, invalid("email")),
}


def test_speaker_input(client, setup):
    def speaker(response):
        stored = db.session.get(Speaker, response.get_json()["id"])
        return stored.title, stored.organisation_name, stored.email, stored.bio

    url = f"/api/v1/organisations/{setup['organisation'].id}/speakers"
    actual = run_table(client, "POST", url, {"name": "TS. Lê Văn Tám"},
                       {label: values for label, (values, _) in SPEAKER_ROWS.items()}, setup["headers"], speaker)
    assert actual == {label: expected for label, (_, expected) in SPEAKER_ROWS.items()}


def _session_rows(event, room, foreign):
    """Values that reach the session rules, sent to each session endpoint."""
    start = event.starts_at + timedelta(hours=1)
    return {
        "ends_before_it_starts": {"ends_at": _iso(start - timedelta(minutes=30))},
        "year_2101": {"starts_at": "2101-01-01T08:00", "ends_at": "2101-01-01T09:00"},
        "year_0": {"starts_at": "0000-01-01T00:00"},
        "no_such_day": {"starts_at": "31/02/2026 08:00"},
        "room_of_another_event": {"room_id": foreign["room"].id},
        "room_no_database_holds": {"room_id": BIG},
        "room_true": {"room_id": True},
        "track_of_another_event": {"track_id": foreign["track"].id},
        "speaker_of_another_organisation": {"speaker_ids": [foreign["speaker"].id]},
        "speaker_no_database_holds": {"speaker_ids": [BIG]},
        "capacity_zero": {"capacity": 0},
        "capacity_beyond_integer": {"capacity": 2**31},
        "capacity_above_the_room": {"capacity": room.capacity + 1},
        "capacity_above_the_room_confirmed": {"capacity": room.capacity + 1, "confirm_warnings": True},
        "unknown_type": {"session_type": "unknown"},
        "nul_in_title": {"title": "a\x00b"},
        "title_too_long": {"title": "x" * 201},
        "description_too_long": {"description_md": "x" * 20_001},
        "signup_as_text": {"signup_required": "true"},
    }


SESSION_EXPECTED = {
    "ends_before_it_starts": invalid("ends_at"),
    "year_2101": invalid("ends_at", "starts_at"),
    "year_0": invalid("starts_at"),
    "no_such_day": invalid("starts_at"),
    "room_of_another_event": invalid("room_id"),
    "room_no_database_holds": invalid("room_id"),
    "room_true": invalid("room_id"),
    "track_of_another_event": invalid("track_id"),
    "speaker_of_another_organisation": invalid("speaker_ids"),
    "speaker_no_database_holds": invalid("speaker_ids"),
    "capacity_zero": invalid("capacity"),
    "capacity_beyond_integer": invalid("capacity"),
    "capacity_above_the_room": Refused(409, "schedule_warning", ("conflicts",)),
    "capacity_above_the_room_confirmed": Stored(51),
    "unknown_type": invalid("session_type"),
    "nul_in_title": invalid("title"),
    "title_too_long": invalid("title"),
    "description_too_long": invalid("description_md"),
    "signup_as_text": invalid("signup_required"),
}
SLOT_ROWS = ("ends_before_it_starts", "year_2101", "year_0", "no_such_day", "room_of_another_event",
             "room_no_database_holds", "room_true")


@pytest.fixture
def agenda(browser, setup):
    """A room of 50, a session to change, the other event's room, track and speaker; the browser signed in."""
    event, other = setup["event"], setup["other"]
    room = make_room(event, capacity=50)
    session = make_session(event, "Giữ nguyên", room=room, starts_at=event.starts_at + timedelta(hours=3))
    foreign = {"room": make_room(other), "track": make_track(other), "speaker": make_speaker(other.organisation)}
    browser.login(setup["user"].email)
    headers = {**setup["headers"], "X-CSRFToken": browser.csrf_token(), "Accept": "application/json"}
    return {"room": room, "session": session, "foreign": foreign, "headers": headers}


def _capacity(response):
    body = response.get_json()
    return db.session.get(AgendaSession, (body.get("session") or body)["id"]).capacity


@pytest.mark.parametrize("endpoint", ["api_create", "api_update", "editor_create", "editor_move"])
def test_session_input(browser, setup, agenda, endpoint):
    """The API and the editor's JSON calls (signed in, with the page's CSRF token) apply the same rules."""
    event, room, session = setup["event"], agenda["room"], agenda["session"]
    method, url = {
        "api_create": ("POST", f"/api/v1/events/{event.id}/sessions"),
        "api_update": ("PUT", f"/api/v1/events/{event.id}/sessions/{session.id}"),
        "editor_create": ("POST", f"/manage/events/{event.id}/agenda/sessions.json"),
        "editor_move": ("POST", f"/manage/events/{event.id}/agenda/sessions/{session.id}/move.json"),
    }[endpoint]
    rows = _session_rows(event, room, agenda["foreign"])
    base = session_body(event, room)
    if endpoint == "editor_move":
        rows = {label: rows[label] for label in SLOT_ROWS}
        base = {k: v for k, v in base.items() if k in ("starts_at", "ends_at", "room_id")}
    actual = run_table(browser.client, method, url, base, rows, agenda["headers"], _capacity)
    assert actual == {label: SESSION_EXPECTED[label] for label in rows}


def test_conflict_check_writes_nothing_and_names_the_fields(client, setup, agenda):
    event, room = setup["event"], agenda["room"]
    rows = _session_rows(event, room, agenda["foreign"])
    before = snapshot(*AGENDA_TABLES)
    url = f"/api/v1/events/{event.id}/sessions/conflicts"
    actual = {}
    for label, values in rows.items():
        response = send_json(client, "POST", url, {**session_body(event, room), **values}, setup["headers"])
        actual[label] = outcome(response, before, lambda r: sorted(c["code"] for c in r.get_json()["conflicts"]))
    expected = {**SESSION_EXPECTED, "capacity_above_the_room": Stored(["room_capacity"]),
                "capacity_above_the_room_confirmed": Stored(["room_capacity"])}
    assert actual == expected
    assert snapshot(*AGENDA_TABLES) == before


def test_bodies_that_are_not_objects(client, setup):
    event = setup["event"]
    not_an_object = invalid("_body")
    expected = {
        "null": not_an_object, "list": not_an_object, "text": not_an_object, "number": not_an_object,
        "unknown_field": invalid("x"),
    }
    bodies = {"null": None, "list": [], "text": "x", "number": 1, "unknown_field": {"x": 1}}
    for url in (f"/api/v1/events/{event.id}/sessions", f"/api/v1/events/{event.id}/rooms",
                f"/api/v1/events/{event.id}/tracks", f"/api/v1/organisations/{setup['organisation'].id}/speakers"):
        before = snapshot(*AGENDA_TABLES)
        actual = {label: outcome(send_json(client, "POST", url, body, setup["headers"]), before, None)
                  for label, body in bodies.items()}
        assert actual == expected, url
    before = snapshot(*AGENDA_TABLES)
    response = send_json(client, "POST", f"/api/v1/events/{event.id}/sessions", {"title": None}, setup["headers"])
    assert outcome(response, before, None) == invalid("title")


def test_ids_of_another_event(client, setup):
    event, other = setup["event"], setup["other"]
    foreign_session = make_session(other)
    assert client.get(f"/api/v1/events/{event.id}/sessions/{foreign_session.id}",
                      headers=setup["headers"]).status_code == 404
    assert client.get(f"/api/v1/events/{other.id}/sessions", headers=setup["headers"]).status_code == 404


def test_ticket_keys(client, setup):
    """No key holds NUL, and PostgreSQL refuses to compare text with one: a 404, never a 500."""
    session = make_session(setup["event"], signup_required=True, capacity=3)
    expected = {  # key: (status of the three ticket API calls, status of the ticket's agenda feed)
        "": (401, 404), "x": (404, 404), "\x00": (404, 400), "a\x00b": (404, 400), "a" * 10_000: (404, 404),
        "\u00e9" * 50: (404, 404), "null": (404, 404),
    }
    actual = {}
    for key in expected:
        statuses = set()
        for method, url in (("get", "/api/v1/ticket/agenda"),
                            ("post", f"/api/v1/ticket/sessions/{session.id}/signup"),
                            ("delete", f"/api/v1/ticket/sessions/{session.id}/signup")):
            response = getattr(client, method)(url, headers={"X-Ticket-Key": key})
            assert response.get_json()["error"]["code"], (key, method)
            statuses.add(response.status_code)
        [status] = statuses
        actual[key] = (status, client.get(f"/tickets/{key or 'x'}/agenda.ics").status_code)
    assert actual == expected


def test_feeds_with_bad_ids(client, setup):
    slug, other = setup["event"].slug, setup["other"]
    expected = {
        f"/events/{slug}/agenda.ics": 200,
        f"/events/{slug}/agenda/sessions/{2**40}.ics": 404,
        f"/events/{slug}/agenda/rooms/{2**40}.ics": 404,
        "/events/nope/agenda.ics": 404,
        "/api/v1/portal/events/nope/schedule": 404,
        f"/api/v1/portal/events/{slug}/schedule.xml": 200,
        f"/events/{slug}/agenda/sessions/{make_session(other).id}.ics": 404,
        f"/events/{slug}/agenda/rooms/{make_room(other).id}.ics": 404,
    }
    assert {url: client.get(url).status_code for url in expected} == expected
