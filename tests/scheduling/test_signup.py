"""Session sign-up as rules, without HTTP: seats, the waiting line, overlaps and who may sign up."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.errors import DomainError, NotFound
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.mail.rendering import render
from eventhub.registration import services as registrations
from eventhub.registration.models import RegistrationStatus
from eventhub.scheduling import services, signup
from eventhub.scheduling.conflicts import PARTICIPANT_OVERLAP, ScheduleConflict
from eventhub.scheduling.models import SignupStatus
from tests.scheduling.factories import make_room, make_session


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True, capacity=100)


@pytest.fixture
def people(factory, event):
    students = factory.category(event)
    return [factory.registration(event, students) for _ in range(5)]


@pytest.fixture
def workshop(event):
    return make_session(event, "Workshop gọi vốn", room=make_room(event, "Phòng tập huấn A", capacity=30),
                        capacity=2, signup_required=True)


def test_seats_then_waiting_line_in_order(workshop, people):
    outcomes = [signup.sign_up(workshop.id, person.id) for person in people[:4]]
    assert [o.status for o in outcomes] == [SignupStatus.CONFIRMED] * 2 + [SignupStatus.WAITLISTED] * 2
    assert [signup.waitlist_rank(o) for o in outcomes] == [None, None, 1, 2]
    assert signup.confirmed_count(workshop.id) == 2 and signup.waitlist_count(workshop.id) == 2


def test_cancelling_a_seat_promotes_the_first_in_line(workshop, people):
    first, second, third, fourth = (signup.sign_up(workshop.id, p.id) for p in people[:4])
    signup.cancel_signup(workshop.id, people[0].id)
    assert signup.get_signup(workshop.id, people[2].id).status == SignupStatus.CONFIRMED
    assert signup.waitlist_rank(signup.get_signup(workshop.id, people[3].id)) == 1
    assert signup.confirmed_count(workshop.id) == 2


def test_the_person_moved_up_is_told_once_with_the_calendar_entry(workshop, people):
    for person in people[:3]:
        signup.sign_up(workshop.id, person.id)
    signup.cancel_signup(workshop.id, people[0].id)
    signup.fill_from_waitlist(workshop.id)
    [message] = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.reference.like("seat:%"))).all()
    assert message.recipient == people[2].email and "Workshop gọi vốn" in render(message).subject
    assert f"/tickets/{people[2].access_key}/agenda" in render(message).text
    assert [a.filename for a in render(message).attachments] == [f"phien-{workshop.id}.ics"]


def test_leaving_the_line_moves_the_others_up_without_touching_seats(workshop, people):
    for person in people[:4]:
        signup.sign_up(workshop.id, person.id)
    signup.cancel_signup(workshop.id, people[2].id)
    assert signup.waitlist_rank(signup.get_signup(workshop.id, people[3].id)) == 1
    assert signup.confirmed_count(workshop.id) == 2


def test_room_capacity_is_the_limit_without_a_session_capacity(event, people):
    tiny = make_room(event, "Phòng họp nhỏ", capacity=1)
    session = make_session(event, room=tiny, signup_required=True)
    assert signup.sign_up(session.id, people[0].id).status == SignupStatus.CONFIRMED
    assert signup.sign_up(session.id, people[1].id).status == SignupStatus.WAITLISTED
    services.save_room(event.id, tiny.id, services.RoomDetails(name="Phòng họp nhỏ", capacity=2))
    assert signup.get_signup(session.id, people[1].id).status == SignupStatus.CONFIRMED


def test_without_room_or_capacity_there_is_no_limit(event, people):
    session = make_session(event, signup_required=True)
    assert {signup.sign_up(session.id, p.id).status for p in people} == {SignupStatus.CONFIRMED}


def test_raising_the_session_capacity_fills_seats_from_the_line(event, workshop, people):
    for person in people[:4]:
        signup.sign_up(workshop.id, person.id)
    details = services.SessionDetails.of(workshop)
    details.capacity = 3
    services.update_session(event.id, workshop.id, details)
    assert signup.confirmed_count(workshop.id) == 3 and signup.waitlist_count(workshop.id) == 1


def test_capacity_cannot_drop_below_seats_taken(event, workshop, people):
    for person in people[:2]:
        signup.sign_up(workshop.id, person.id)
    details = services.SessionDetails.of(workshop)
    details.capacity = 1
    with pytest.raises(services.ValidationFailed) as raised:
        services.update_session(event.id, workshop.id, details)
    assert "capacity" in raised.value.fields


def test_room_capacity_cannot_drop_below_seats_taken_in_it(event, people):
    room = make_room(event, "Phòng họp", capacity=5)
    session = make_session(event, room=room, signup_required=True)
    for person in people[:3]:
        signup.sign_up(session.id, person.id)
    with pytest.raises(services.ValidationFailed) as raised:
        services.save_room(event.id, room.id, services.RoomDetails(name="Phòng họp", capacity=2))
    assert "capacity" in raised.value.fields
    assert services.save_room(event.id, room.id, services.RoomDetails(name="Phòng họp", capacity=3)).capacity == 3


def test_sign_up_is_refused_when_it_clashes_with_another_chosen_session(event, workshop, people):
    clash = make_session(event, "Lập kế hoạch kinh doanh", room=make_room(event, "Phòng B"), signup_required=True,
                         starts_at=workshop.starts_at + timedelta(minutes=30))
    signup.sign_up(workshop.id, people[0].id)
    with pytest.raises(ScheduleConflict) as raised:
        signup.sign_up(clash.id, people[0].id)
    [conflict] = raised.value.conflicts
    assert conflict.code == PARTICIPANT_OVERLAP and conflict.other.id == workshop.id
    assert "Workshop gọi vốn" in conflict.message and "Phòng tập huấn A" in conflict.message
    assert signup.get_signup(clash.id, people[0].id) is None
    assert signup.sign_up(clash.id, people[1].id).status == SignupStatus.CONFIRMED


def test_back_to_back_sessions_can_both_be_chosen(event, workshop, people):
    after = make_session(event, room=make_room(event), signup_required=True, starts_at=workshop.ends_at)
    signup.sign_up(workshop.id, people[0].id)
    assert signup.sign_up(after.id, people[0].id).status == SignupStatus.CONFIRMED
    assert [s.session_id for s in signup.signups_of(people[0].id)] == [workshop.id, after.id]


def test_one_sign_up_per_ticket_and_session(workshop, people):
    signup.sign_up(workshop.id, people[0].id)
    with pytest.raises(DomainError) as raised:
        signup.sign_up(workshop.id, people[0].id)
    assert raised.value.code == "already_signed_up"


def test_cancelled_ticket_frees_its_seat(event, workshop, people):
    for person in people[:3]:
        signup.sign_up(workshop.id, person.id)
    registrations.cancel(people[0].id)
    assert signup.confirmed_count(workshop.id) == 1
    signup.fill_from_waitlist(workshop.id)
    assert signup.get_signup(workshop.id, people[2].id).status == SignupStatus.CONFIRMED


def test_only_confirmed_tickets_of_the_same_event_sign_up(factory, event, workshop):
    full = factory.event(factory.organisation(), publish=True, capacity=1)
    category = factory.category(full)
    factory.registration(full, category)
    waiting = factory.registration(full, category)
    assert waiting.status == RegistrationStatus.WAITLISTED
    with pytest.raises(NotFound):
        signup.sign_up(workshop.id, waiting.id)
    own = factory.registration(event, factory.category(event, name="Doanh nghiệp"))
    registrations.cancel(own.id)
    with pytest.raises(DomainError) as raised:
        signup.sign_up(workshop.id, own.id)
    assert raised.value.code == "ticket_not_confirmed"


def test_sessions_without_sign_up_cancelled_or_started_refuse(event, workshop, people):
    open_talk = make_session(event, signup_required=False)
    with pytest.raises(DomainError) as raised:
        signup.sign_up(open_talk.id, people[0].id)
    assert raised.value.code == "signup_not_needed"
    with pytest.raises(DomainError) as raised:
        signup.sign_up(workshop.id, people[0].id, now=workshop.starts_at)
    assert raised.value.code == "session_started"
    services.cancel_session(event.id, workshop.id)
    with pytest.raises(DomainError) as raised:
        signup.sign_up(workshop.id, people[0].id)
    assert raised.value.code == "session_cancelled"


def test_a_session_with_sign_ups_is_cancelled_not_deleted(event, workshop, people):
    signup.sign_up(workshop.id, people[0].id)
    with pytest.raises(DomainError) as raised:
        services.delete_session(event.id, workshop.id)
    assert raised.value.code == "has_signups"
    cancelled = services.cancel_session(event.id, workshop.id, "Diễn giả bận đột xuất")
    assert cancelled.is_cancelled and cancelled.sequence == 1


def test_deleting_the_room_keeps_the_seat_limit_and_tells_calendars(event, people):
    room = make_room(event, "Phòng họp nhỏ", capacity=1)
    session = make_session(event, room=room, signup_required=True)
    signup.sign_up(session.id, people[0].id)
    signup.sign_up(session.id, people[1].id)
    services.delete_room(event.id, room.id)
    db.session.expire_all()
    session = services.get_session(event.id, session.id)
    assert session.room_id is None and session.capacity == 1 and session.sequence == 1
    assert signup.get_signup(session.id, people[1].id).status == SignupStatus.WAITLISTED
