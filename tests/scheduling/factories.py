"""Agenda test data, built through the agenda services like the rest of the factories."""
from datetime import timedelta
from itertools import count

from eventhub.scheduling import services
from eventhub.scheduling.models import SessionType

_sequence = count(1)


def make_room(event, name=None, *, capacity=100, position=0):
    return services.save_room(event.id, None, services.RoomDetails(
        name=name or f"Phòng {next(_sequence)}", capacity=capacity, position=position))


def make_track(event, name=None, *, colour="#2563eb"):
    return services.save_track(event.id, None, services.TrackDetails(name=name or f"Chuỗi {next(_sequence)}",
                                                                      colour=colour))


def make_speaker(organisation, name=None, **overrides):
    values = dict(name=name or f"TS. Trần Văn Bình {next(_sequence)}", title="Giảng viên",
                  organisation_name="Trường Đại học Tây Nguyên", bio="", email=None)
    values.update(overrides)
    return services.save_speaker(organisation.id, None, services.SpeakerDetails(**values))


def session_details(event, title=None, *, starts_at=None, ends_at=None, room=None, track=None, speakers=(),
                    session_type=SessionType.TALK, capacity=None, signup_required=False, description_md=""):
    """By default the session starts an hour after the event and lasts an hour."""
    starts_at = starts_at or event.starts_at + timedelta(hours=1)
    return services.SessionDetails(
        title=title or f"Phiên {next(_sequence)}", session_type=session_type, starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(hours=1), room_id=room.id if room else None,
        track_id=track.id if track else None, speaker_ids=[s.id for s in speakers], capacity=capacity,
        signup_required=signup_required, description_md=description_md)


def make_session(event, title=None, **kwargs):
    """A saved session (warnings such as a capacity above the room's are accepted)."""
    return services.create_session(event.id, session_details(event, title, **kwargs), confirm_warnings=True)
