"""The agenda schema's own guarantees: constraints the database enforces whatever the caller."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eventhub.extensions import db
from eventhub.scheduling.models import AgendaSession, Room, SessionSignup, SessionType, SignupStatus
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True)


def test_session_with_room_track_and_speakers(event):
    room = make_room(event, "Hội trường chính", capacity=300)
    track = make_track(event, "Đào tạo")
    speaker = make_speaker(event.organisation, "ThS. Lê Thị Hoa")
    session = make_session(event, "Khởi nghiệp xanh", room=room, track=track, speakers=[speaker])
    assert session.seat_limit == 300
    assert session.speakers[0].name == "ThS. Lê Thị Hoa"
    assert session.sequence == 0 and session.seat_version == 0


def _insert(row):
    db.session.add(row)
    db.session.commit()


def test_room_name_unique_per_event(factory, event):
    make_room(event, "Phòng A")
    make_room(factory.event(event.organisation), "Phòng A")
    with pytest.raises(IntegrityError):
        _insert(Room(event_id=event.id, name="Phòng A", capacity=10))


@pytest.mark.parametrize("capacity", [0, -5])
def test_room_capacity_must_be_positive(event, capacity):
    with pytest.raises(IntegrityError):
        _insert(Room(event_id=event.id, name="Phòng B", capacity=capacity))


def test_session_must_end_after_start(event):
    with pytest.raises(IntegrityError):
        _insert(AgendaSession(event_id=event.id, title="Phiên lỗi", session_type=SessionType.TALK,
                              starts_at=event.starts_at, ends_at=event.starts_at))


def test_deleting_a_room_keeps_its_sessions(event):
    room = make_room(event)
    session = make_session(event, room=room)
    db.session.delete(db.session.get(Room, room.id))
    db.session.commit()
    assert db.session.get(AgendaSession, session.id).room_id is None


def test_one_active_signup_per_registration_and_session(factory, event):
    registration = factory.registration(event, factory.category(event))
    session = make_session(event, ends_at=event.starts_at + timedelta(hours=3))
    db.session.add(SessionSignup(session_id=session.id, registration_id=registration.id,
                                 status=SignupStatus.CANCELLED))
    db.session.add(SessionSignup(session_id=session.id, registration_id=registration.id,
                                 status=SignupStatus.CONFIRMED))
    db.session.commit()
    db.session.add(SessionSignup(session_id=session.id, registration_id=registration.id,
                                 status=SignupStatus.WAITLISTED, waitlist_position=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionSignup)) == 2


def test_demo_agenda_is_two_days_without_conflicts_and_loads_once(factory):
    from eventhub.scheduling import services
    from eventhub.scheduling.demo import load_demo_agenda

    start = factory.event_details().starts_at
    event = factory.event(factory.organisation(), publish=True, starts_at=start, ends_at=start + timedelta(days=1))
    load_demo_agenda(event.id)
    load_demo_agenda(event.id)
    sessions = services.sessions(event.id)
    assert len(services.rooms(event.id)) == 3 and len(sessions) == 9
    assert len(services.by_day(sessions)) == 2
    for session in sessions:
        check = services.check_session(event.id, services.SessionDetails.of(session), session.id)
        assert check.conflicts == [], (session.title, [c.message for c in check.conflicts])
