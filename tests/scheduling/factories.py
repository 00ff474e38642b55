"""Agenda test data: rooms, tracks, speakers and sessions."""
from datetime import timedelta
from itertools import count

from eventhub.extensions import db
from eventhub.scheduling.models import AgendaSession, Room, SessionType, Speaker, Track

_sequence = count(1)


def make_room(event, name=None, *, capacity=100, position=0):
    room = Room(event_id=event.id, name=name or f"Phòng {next(_sequence)}", capacity=capacity, position=position)
    db.session.add(room)
    db.session.commit()
    return room


def make_track(event, name=None, *, colour="#2563eb"):
    track = Track(event_id=event.id, name=name or f"Chuỗi {next(_sequence)}", colour=colour)
    db.session.add(track)
    db.session.commit()
    return track


def make_speaker(organisation, name=None, **overrides):
    values = dict(name=name or f"TS. Trần Văn Bình {next(_sequence)}", title="Giảng viên",
                  organisation_name="Trường Đại học Tây Nguyên", bio="", email=None)
    values.update(overrides)
    speaker = Speaker(organisation_id=organisation.id, **values)
    db.session.add(speaker)
    db.session.commit()
    return speaker


def make_session(event, title=None, *, starts_at=None, ends_at=None, room=None, track=None, speakers=(),
                 session_type=SessionType.TALK, capacity=None, signup_required=False, description_md=""):
    """A session inside the event; by default it starts an hour after the event and lasts an hour."""
    starts_at = starts_at or event.starts_at + timedelta(hours=1)
    session = AgendaSession(
        event_id=event.id, title=title or f"Phiên {next(_sequence)}", session_type=session_type,
        description_md=description_md, starts_at=starts_at, ends_at=ends_at or starts_at + timedelta(hours=1),
        room_id=room.id if room else None, track_id=track.id if track else None, capacity=capacity,
        signup_required=signup_required, speakers=list(speakers))
    db.session.add(session)
    db.session.commit()
    return session
