"""Bad input to the agenda services: a specific message per field, and nothing written."""
from datetime import timedelta

import pytest

from eventhub.errors import DomainError, NotFound, ValidationFailed
from eventhub.events import services as events
from eventhub.scheduling import services
from eventhub.scheduling.models import SessionStatus
from eventhub.scheduling.services import RoomDetails, SpeakerDetails, TrackDetails
from eventhub.scheduling.signals import SessionChange, session_changed
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track, session_details


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True)


def fields_of(call):
    with pytest.raises(ValidationFailed) as raised:
        call()
    return raised.value.fields


@pytest.mark.parametrize("minutes", [0, -1])
def test_end_before_or_at_start(event, minutes):
    start = event.starts_at + timedelta(hours=2)
    details = session_details(event, starts_at=start, ends_at=start + timedelta(minutes=minutes))
    assert "ends_at" in fields_of(lambda: services.create_session(event.id, details))
    assert services.sessions(event.id) == []


@pytest.mark.parametrize("capacity", [0, -1, 10**9])
def test_bad_session_capacity(event, capacity):
    assert "capacity" in fields_of(lambda: services.create_session(event.id, session_details(event, capacity=capacity)))


def test_room_and_track_of_another_event_are_unknown(factory, event):
    other = factory.event(event.organisation)
    details = session_details(event, room=make_room(other), track=make_track(other))
    assert set(fields_of(lambda: services.create_session(event.id, details))) == {"room_id", "track_id"}
    details.room_id, details.track_id = 999_999, None
    assert set(fields_of(lambda: services.create_session(event.id, details))) == {"room_id"}


def test_blank_title(event):
    assert "title" in fields_of(lambda: services.create_session(event.id, session_details(event, title="   ")))


@pytest.mark.parametrize("capacity", [None, 0, -3])
def test_room_needs_a_positive_capacity(event, capacity):
    assert "capacity" in fields_of(lambda: services.save_room(event.id, None, RoomDetails("Phòng A", capacity)))


def test_room_and_track_names_are_unique_per_event(event):
    make_room(event, "Hội trường")
    make_track(event, "Đào tạo")
    assert "name" in fields_of(lambda: services.save_room(event.id, None, RoomDetails(" Hội  trường ", 10)))
    assert "name" in fields_of(lambda: services.save_track(event.id, None, TrackDetails("Đào tạo", "#000000")))


@pytest.mark.parametrize("colour", ["blue", "#12345", "#gggggg", ""])
def test_track_colour_is_hex(event, colour):
    assert "colour" in fields_of(lambda: services.save_track(event.id, None, TrackDetails("Gọi vốn", colour)))


def test_speaker_needs_a_name_and_a_valid_email(event):
    problems = fields_of(lambda: services.save_speaker(event.organisation_id, None,
                                                       SpeakerDetails(name=" ", email="khong-hop-le")))
    assert set(problems) == {"name", "email"}


def test_things_of_another_event_or_organisation_are_not_found(factory, event):
    other = factory.event(factory.organisation())
    room, track, session = make_room(other), make_track(other), make_session(other)
    speaker = make_speaker(other.organisation)
    with pytest.raises(NotFound):
        services.save_room(event.id, room.id, services.RoomDetails(name="X", capacity=5))
    with pytest.raises(NotFound):
        services.delete_track(event.id, track.id)
    with pytest.raises(NotFound):
        services.cancel_session(event.id, session.id)
    with pytest.raises(NotFound):
        services.save_speaker(event.organisation_id, speaker.id, services.SpeakerDetails(name="X"))


def test_cancelled_event_agenda_is_locked(event):
    events.apply_transition(event.id, "cancel", reason="Thời tiết xấu")
    with pytest.raises(DomainError) as raised:
        services.save_room(event.id, None, services.RoomDetails(name="Phòng A", capacity=5))
    assert raised.value.code == "event_locked"


def test_changes_a_calendar_sees_raise_sequence_and_signal_once(event):
    room_a, room_b = make_room(event), make_room(event)
    session = make_session(event, room=room_a)
    received = []

    def listener(sender, change, **_extra):
        received.append((sender.id, change, sender.sequence))

    session_changed.connect(listener)
    try:
        details = services.SessionDetails.of(session)
        services.update_session(event.id, session.id, details)  # nothing changed
        details.room_id = room_b.id
        services.update_session(event.id, session.id, details)
        details = details.moved(starts_at=session.starts_at + timedelta(hours=1),
                                ends_at=session.ends_at + timedelta(hours=1), room_id=room_a.id)
        services.update_session(event.id, session.id, details)
        details.title = "Tên mới"
        services.update_session(event.id, session.id, details)
        services.cancel_session(event.id, session.id, "Đổi kế hoạch")
    finally:
        session_changed.disconnect(listener)
    assert received == [(session.id, SessionChange.ROOM_CHANGED, 1), (session.id, SessionChange.MOVED, 2),
                        (session.id, SessionChange.DETAILS, 3), (session.id, SessionChange.CANCELLED, 4)]
    cancelled = services.get_session(event.id, session.id)
    assert cancelled.status == SessionStatus.CANCELLED and cancelled.cancellation_reason == "Đổi kế hoạch"
    with pytest.raises(DomainError):
        services.update_session(event.id, session.id, details)
