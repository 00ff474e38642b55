"""Session sign-up and room booking under real concurrency: the app under gunicorn (several processes, each with its own
database connections), every ticket at once, on the run's database (EVENTHUB_TEST_DB=sqlite or postgresql)."""
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.scheduling.models import AgendaSession, SessionSignup, SignupStatus
from eventhub.timeutil import to_local
from tests.registration.test_concurrency import all_at_once
from tests.scheduling.factories import make_room, make_session

TICKETS = 30
SEATS = 3


def test_a_rush_for_a_three_seat_workshop_confirms_exactly_three(factory, server_url):
    event = factory.event(factory.organisation(), publish=True, capacity=200)
    students = factory.category(event)
    people = [factory.registration(event, students) for _ in range(TICKETS)]
    workshop = make_session(event, "Workshop gọi vốn", room=make_room(event, capacity=50), capacity=SEATS,
                            signup_required=True)

    answers = all_at_once(server_url, [None] * TICKETS, f"/api/v1/ticket/sessions/{workshop.id}/signup",
                          headers=[{"X-Ticket-Key": p.access_key} for p in people])

    assert [status for status, _ in answers] == [201] * TICKETS, answers
    told = Counter(body["status"] for _, body in answers)
    assert told == {"confirmed": SEATS, "waitlisted": TICKETS - SEATS}
    assert sorted(body["waitlist_rank"] for _, body in answers if body["status"] == "waitlisted") == \
        list(range(1, TICKETS - SEATS + 1))
    db.session.rollback()
    rows = db.session.scalars(sa.select(SessionSignup).where(SessionSignup.session_id == workshop.id)).all()
    assert Counter(r.status for r in rows) == {SignupStatus.CONFIRMED: SEATS, SignupStatus.WAITLISTED: TICKETS - SEATS}
    assert len({r.waitlist_position for r in rows if r.waitlist_position}) == TICKETS - SEATS


def test_one_ticket_signing_up_many_times_at_once_gets_one_sign_up(factory, server_url):
    event = factory.event(factory.organisation(), publish=True)
    person = factory.registration(event, factory.category(event))
    workshop = make_session(event, capacity=SEATS, signup_required=True)

    answers = all_at_once(server_url, [None] * 8, f"/api/v1/ticket/sessions/{workshop.id}/signup",
                          headers=[{"X-Ticket-Key": person.access_key}] * 8)

    assert sorted(status for status, _ in answers) == [201] + [409] * 7, answers
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionSignup)) == 1


def test_organisers_booking_one_room_at_once_get_exactly_one_session(factory, server_url):
    organisation = factory.organisation()
    user = factory.user(organisation=organisation, role=Role.ORGANISER)
    token, _ = accounts.issue_api_token(user.id, "agenda")
    event = factory.event(organisation, publish=True)
    hall = make_room(event, "Hội trường chính")
    start = to_local(event.starts_at + timedelta(hours=1))
    bodies = [{"title": f"Phiên {n}", "session_type": "talk", "starts_at": (start + timedelta(minutes=n)).isoformat(),
               "ends_at": (start + timedelta(minutes=60 + n)).isoformat(), "room_id": hall.id} for n in range(10)]

    answers = all_at_once(server_url, bodies, f"/api/v1/events/{event.id}/sessions",
                          headers=[{"Authorization": f"Bearer {token}"}] * len(bodies))

    assert sorted(status for status, _ in answers) == [201] + [409] * 9, answers
    assert {body["conflicts"][0]["code"] for status, body in answers if status == 409} == {"room_overlap"}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaSession)) == 1
