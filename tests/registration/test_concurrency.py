"""Registration under real concurrency: the application under gunicorn with several worker processes
(each with its own database connections), many clients at once, on whichever database the run uses
(EVENTHUB_TEST_DB=sqlite or postgresql). Seats never exceed capacity, nobody told "confirmed" loses
the seat, the waiting list is one line, and one person gets one registration."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import Registration, RegistrationStatus
from tests.support.server import JsonClient

CLIENTS = 80
CAPACITY = 25
ALREADY_TAKEN = 20


def all_at_once(base_url: str, bodies: list[dict | None], path: str,
                headers: list[dict] | None = None) -> list[tuple[int, object]]:
    """POST every body (with its headers, if given) from its own client thread; the threads wait on a barrier,
    then fire together."""
    barrier = threading.Barrier(len(bodies))

    def send(body, sent_headers):
        client = JsonClient(base_url)
        client.request("GET", "/api/v1/ticket-signing-key")  # open the connection before the barrier
        barrier.wait(timeout=60)
        try:
            return client.request("POST", path, body, headers=sent_headers)
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies, headers or [None] * len(bodies)))


def registration_form(base_url: str, slug: str) -> tuple[int, str]:
    status, form = JsonClient(base_url).request("GET", f"/api/v1/portal/events/{slug}/registration-form")
    assert status == 200, form
    return form["categories"][0]["id"], form["consent"]["version"]


def test_a_rush_at_a_nearly_full_event_fills_exactly_the_free_seats(factory, server_url):
    event = factory.event(factory.organisation(), publish=True, capacity=CAPACITY)
    students = factory.category(event)
    for _ in range(ALREADY_TAKEN):
        assert factory.registration(event, students).status == RegistrationStatus.CONFIRMED
    category_id, consent_version = registration_form(server_url, event.slug)
    bodies = [{"category_id": category_id, "full_name": f"Trần Văn Nhanh {i}", "email": f"nhanh{i}@example.vn",
               "phone": f"0988{i:06d}", "consent_version": consent_version} for i in range(CLIENTS)]

    answers = all_at_once(server_url, bodies, f"/api/v1/portal/events/{event.slug}/registrations")

    assert not [a for a in answers if a[0] >= 500], answers
    assert [status for status, _ in answers] == [201] * CLIENTS, answers
    told = Counter(body["status"] for _, body in answers)
    assert told == {"confirmed": CAPACITY - ALREADY_TAKEN, "waitlisted": CLIENTS - CAPACITY + ALREADY_TAKEN}

    db.session.rollback()
    rows = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)).all()
    assert len(rows) == ALREADY_TAKEN + CLIENTS
    assert Counter(r.status for r in rows) == {RegistrationStatus.CONFIRMED: CAPACITY,
                                               RegistrationStatus.WAITLISTED: CLIENTS - CAPACITY + ALREADY_TAKEN}
    by_key = {r.access_key: r for r in rows}
    for _, body in answers:
        assert by_key[body["access_key"]].status.value == body["status"]

    reader = JsonClient(server_url)
    positions = []
    for _, body in answers:
        status, ticket = reader.request("GET", "/api/v1/ticket", headers={"X-Ticket-Key": body["access_key"]})
        assert status == 200, ticket
        assert ticket["status"] == body["status"]
        if ticket["status"] == "confirmed":
            assert ticket["waitlist_position"] is None and ticket["qr_payload"]
        else:
            positions.append(ticket["waitlist_position"])
    reader.close()
    assert sorted(positions) == list(range(1, CLIENTS - CAPACITY + ALREADY_TAKEN + 1))


def test_the_same_person_sent_at_once_is_registered_once(factory, server_url):
    # A fresh event: its registration settings row (the seat lock) does not exist yet, so the
    # concurrent requests also race to create it.
    event = factory.event(factory.organisation(), publish=True, capacity=10)
    factory.category(event)
    category_id, consent_version = registration_form(server_url, event.slug)
    body = {"category_id": category_id, "full_name": "Lê Thị Vội", "email": "voi@example.vn",
            "phone": "0977000111", "consent_version": consent_version}

    answers = all_at_once(server_url, [dict(body) for _ in range(20)],
                          f"/api/v1/portal/events/{event.slug}/registrations")

    assert sorted(status for status, _ in answers) == [201] + [409] * 19, answers
    assert {reply["error"]["code"] for status, reply in answers if status == 409} == {"duplicate"}
    created = next(reply for status, reply in answers if status == 201)
    assert created["status"] == "confirmed"
    db.session.rollback()
    rows = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)).all()
    assert [(r.access_key, r.status) for r in rows] == [(created["access_key"], RegistrationStatus.CONFIRMED)]


def test_the_waiting_list_positions_told_at_once_are_all_different(factory, server_url):
    event = factory.event(factory.organisation(), publish=True, capacity=1)
    factory.category(event)
    category_id, consent_version = registration_form(server_url, event.slug)
    bodies = [{"category_id": category_id, "full_name": f"Phạm Văn Chờ {i}", "email": f"cho{i}@example.vn",
               "phone": f"0966{i:06d}", "consent_version": consent_version} for i in range(40)]

    answers = all_at_once(server_url, bodies, f"/api/v1/portal/events/{event.slug}/registrations")

    assert [status for status, _ in answers] == [201] * 40, answers
    told = sorted(body["waitlist_position"] for _, body in answers if body["status"] == "waitlisted")
    assert told == list(range(1, 40))
