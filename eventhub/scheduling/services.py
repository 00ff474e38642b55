"""Agenda rules: rooms, tracks, speakers and sessions. Every session write validates the input, then takes
the locks its conflicts depend on (the session's seat row, its room's row, its speakers' rows), asks the
conflict service again inside them, and saves in one transaction."""
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import locking
from ..accounts.models import User
from ..accounts.services import EVENT_MANAGER_ROLES, require_role
from ..errors import DomainError, ValidationFailed
from ..events.models import Event
from ..events.services import EDITABLE_STATUSES, get_event
from ..events.signals import event_cloned
from ..extensions import db
from ..lookup import get_owned
from ..models_base import copy_row
from ..timeutil import to_local
from . import signup
from .conflicts import Check, Slot, find_conflicts
from .models import (
    ACTIVE_SIGNUP_STATUSES,
    AgendaSession,
    Room,
    SessionSignup,
    SessionStatus,
    SessionType,
    Speaker,
    Track,
)
from .signals import SessionChange, session_changed

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR_MESSAGE = _l("Màu phải có dạng #RRGGBB, ví dụ #2563eb.")
MIN_CAPACITY, MAX_CAPACITY = 1, 100_000


def _editable(event_id: int) -> Event:
    event = get_event(event_id)
    if event.status not in EDITABLE_STATUSES:
        raise DomainError("event_locked", _l("Sự kiện đã huỷ hoặc đã lưu trữ, không sửa chương trình được nữa."),
                          status=409)
    return event


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _capacity_problem(capacity: int | None, *, required: bool) -> object | None:
    if capacity is None:
        return _l("Vui lòng nhập sức chứa.") if required else None
    if capacity < MIN_CAPACITY:
        return _l("Sức chứa phải lớn hơn 0.")
    if capacity > MAX_CAPACITY:
        return _l("Sức chứa quá lớn.")
    return None


def _commit_unique(field_name: str, message) -> None:
    try:
        db.session.commit()
    except IntegrityError as error:  # the same name saved at the same moment by someone else
        db.session.rollback()
        raise ValidationFailed({field_name: [message]}) from error


# Rooms -------------------------------------------------------------------------------------------

def rooms(event_id: int) -> list[Room]:
    return list(db.session.scalars(sa.select(Room).where(Room.event_id == event_id).order_by(Room.position, Room.id)))


def get_room(event_id: int, room_id: int) -> Room:
    return get_owned(Room, room_id, event_id=event_id)


@dataclass
class RoomDetails:
    name: str
    capacity: int | None
    position: int = 0


def save_room(event_id: int, room_id: int | None, details: RoomDetails) -> Room:
    _editable(event_id)
    room = get_room(event_id, room_id) if room_id is not None else Room(event_id=event_id)
    name, capacity, position = _clean(details.name), details.capacity, details.position
    problems = {}
    if not name:
        problems["name"] = [_l("Vui lòng đặt tên phòng.")]
    elif db.session.scalar(sa.select(Room.id).where(Room.event_id == event_id, Room.name == name,
                                                    Room.id != (room_id or 0))):
        problems["name"] = [_l("Sự kiện đã có phòng tên này.")]
    if problem := _capacity_problem(capacity, required=True):
        problems["capacity"] = [problem]
    elif room_id is not None and capacity < (booked := signup.largest_booking_in_room(room_id)):
        problems["capacity"] = [_l("Đã có %(count)d người giữ chỗ trong một phiên ở phòng này.", count=booked)]
    if problems:
        raise ValidationFailed(problems)
    grew = room_id is not None and capacity > room.capacity
    room.name, room.capacity, room.position = name, capacity, position
    if room_id is None:
        db.session.add(room)
    _commit_unique("name", _l("Sự kiện đã có phòng tên này."))
    if grew:
        for session_id in db.session.scalars(sa.select(AgendaSession.id).where(
                AgendaSession.room_id == room.id, AgendaSession.capacity.is_(None))):
            signup.fill_from_waitlist(session_id)
    return room


def delete_room(event_id: int, room_id: int) -> None:
    """The room's sessions stay in the agenda without a room: their calendars learn of it, and a limited
    session keeps the room's capacity as its own, so nobody waiting is let in by the deletion."""
    _editable(event_id)
    room = get_room(event_id, room_id)
    homeless = list(db.session.scalars(sa.select(AgendaSession).where(AgendaSession.room_id == room.id)))
    for session in homeless:
        if session.signup_required and session.capacity is None:
            session.capacity = room.capacity
        session.room_id = None
        session.sequence += 1
    db.session.flush()
    for session in homeless:
        if not session.is_cancelled:
            session_changed.send(session, change=SessionChange.ROOM_CHANGED)
    db.session.delete(room)
    db.session.commit()


# Tracks ------------------------------------------------------------------------------------------

def tracks(event_id: int) -> list[Track]:
    return list(db.session.scalars(sa.select(Track).where(Track.event_id == event_id).order_by(Track.name)))


def get_track(event_id: int, track_id: int) -> Track:
    return get_owned(Track, track_id, event_id=event_id)


@dataclass
class TrackDetails:
    name: str
    colour: str


def save_track(event_id: int, track_id: int | None, details: TrackDetails) -> Track:
    _editable(event_id)
    track = get_track(event_id, track_id) if track_id is not None else Track(event_id=event_id)
    name, colour = _clean(details.name), (details.colour or "").strip().lower()
    problems = {}
    if not name:
        problems["name"] = [_l("Vui lòng đặt tên chuỗi chương trình.")]
    elif db.session.scalar(sa.select(Track.id).where(Track.event_id == event_id, Track.name == name,
                                                     Track.id != (track_id or 0))):
        problems["name"] = [_l("Sự kiện đã có chuỗi chương trình tên này.")]
    if not HEX_COLOUR.fullmatch(colour):
        problems["colour"] = [COLOUR_MESSAGE]
    if problems:
        raise ValidationFailed(problems)
    track.name, track.colour = name, colour
    if track_id is None:
        db.session.add(track)
    _commit_unique("name", _l("Sự kiện đã có chuỗi chương trình tên này."))
    return track


def delete_track(event_id: int, track_id: int) -> None:
    _editable(event_id)
    db.session.delete(get_track(event_id, track_id))
    db.session.commit()


# Speakers (shared by all the organisation's events) ----------------------------------------------

def managed_speakers_of(user: User, organisation_id: int) -> int:
    """The organisation whose speakers the user may manage (its organisers and admins); others get 404/403."""
    require_role(user, organisation_id, EVENT_MANAGER_ROLES)
    return organisation_id


def speakers(organisation_id: int) -> list[Speaker]:
    return list(db.session.scalars(sa.select(Speaker).where(Speaker.organisation_id == organisation_id)
                                   .order_by(Speaker.name, Speaker.id)))


def get_speaker(organisation_id: int, speaker_id: int) -> Speaker:
    return get_owned(Speaker, speaker_id, organisation_id=organisation_id)


@dataclass
class SpeakerDetails:
    name: str
    title: str | None = None
    organisation_name: str | None = None
    email: str | None = None
    bio: str = ""


def save_speaker(organisation_id: int, speaker_id: int | None, details: SpeakerDetails) -> Speaker:
    speaker = get_speaker(organisation_id, speaker_id) if speaker_id is not None else \
        Speaker(organisation_id=organisation_id)
    name, email = _clean(details.name), (details.email or "").strip() or None
    title, organisation_name, bio = details.title, details.organisation_name, details.bio
    problems = {}
    if not name:
        problems["name"] = [_l("Vui lòng nhập họ tên báo cáo viên.")]
    if email is not None:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            problems["email"] = [_l("Địa chỉ e-mail không hợp lệ.")]
    if problems:
        raise ValidationFailed(problems)
    speaker.name, speaker.title = name, _clean(title) or None
    speaker.organisation_name, speaker.email = _clean(organisation_name) or None, email
    speaker.bio = (bio or "").strip()
    if speaker_id is None:
        db.session.add(speaker)
    db.session.commit()
    return speaker


def delete_speaker(organisation_id: int, speaker_id: int) -> None:
    db.session.delete(get_speaker(organisation_id, speaker_id))
    db.session.commit()


# Sessions ----------------------------------------------------------------------------------------

@dataclass
class SessionDetails:
    """Everything an organiser types about a session; times are aware datetimes."""

    title: str
    session_type: SessionType
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    track_id: int | None = None
    speaker_ids: list[int] = field(default_factory=list)
    capacity: int | None = None
    signup_required: bool = False
    description_md: str = ""

    @classmethod
    def of(cls, session: AgendaSession) -> "SessionDetails":
        return cls(title=session.title, session_type=session.session_type, starts_at=session.starts_at,
                   ends_at=session.ends_at, room_id=session.room_id, track_id=session.track_id,
                   speaker_ids=[s.id for s in session.speakers], capacity=session.capacity,
                   signup_required=session.signup_required, description_md=session.description_md)

    def moved(self, *, starts_at: datetime, ends_at: datetime, room_id: int | None) -> "SessionDetails":
        return replace(self, starts_at=starts_at, ends_at=ends_at, room_id=room_id)

    @property
    def slot(self) -> Slot:
        return Slot(self.starts_at, self.ends_at, self.room_id, tuple(sorted(set(self.speaker_ids))), self.capacity)


def sessions(event_id: int, *, include_cancelled: bool = True) -> list[AgendaSession]:
    query = sa.select(AgendaSession).where(AgendaSession.event_id == event_id)
    if not include_cancelled:
        query = query.where(AgendaSession.status == SessionStatus.SCHEDULED)
    return list(db.session.scalars(query.order_by(AgendaSession.starts_at, AgendaSession.id)))


def get_session(event_id: int, session_id: int) -> AgendaSession:
    return get_owned(AgendaSession, session_id, event_id=event_id)


def _detail_problems(event: Event, details: SessionDetails) -> dict[str, list]:
    problems: dict[str, list] = {}
    if not _clean(details.title):
        problems["title"] = [_l("Vui lòng nhập tên phiên.")]
    elif len(_clean(details.title)) > 200:
        problems["title"] = [_l("Tên phiên không được dài quá 200 ký tự.")]
    if details.ends_at <= details.starts_at:
        problems["ends_at"] = [_l("Giờ kết thúc phải sau giờ bắt đầu.")]
    if problem := _capacity_problem(details.capacity, required=False):
        problems["capacity"] = [problem]
    if details.room_id is not None and db.session.scalar(sa.select(Room.event_id).where(
            Room.id == details.room_id)) != event.id:
        problems["room_id"] = [_l("Phòng không thuộc sự kiện này.")]
    if details.track_id is not None and db.session.scalar(sa.select(Track.event_id).where(
            Track.id == details.track_id)) != event.id:
        problems["track_id"] = [_l("Chuỗi chương trình không thuộc sự kiện này.")]
    wanted = set(details.speaker_ids)
    if wanted and db.session.scalar(sa.select(sa.func.count()).select_from(Speaker).where(
            Speaker.id.in_(wanted), Speaker.organisation_id == event.organisation_id)) != len(wanted):
        problems["speaker_ids"] = [_l("Có báo cáo viên không thuộc đơn vị tổ chức sự kiện.")]
    return problems


def check_session(event_id: int, details: SessionDetails, session_id: int | None = None) -> Check:
    """What saving these details would run into, without saving: field problems raise, conflicts return."""
    event = get_event(event_id)
    if session_id is not None:
        get_session(event_id, session_id)
    problems = _detail_problems(event, details)
    if problems:
        raise ValidationFailed(problems)
    return find_conflicts(event, details.slot, session_id=session_id)


def _lock(session_id: int | None, details: SessionDetails) -> None:
    """Lock what the session's conflicts and seats depend on, in a fixed order (session, room, speakers), as the
    transaction's first writes; see `signup.seat_lock`."""
    if session_id is not None:
        signup.seat_lock(session_id)
    locking.lock_rows(Room.position, [details.room_id] if details.room_id is not None else [])
    locking.lock_rows(Speaker.name, details.speaker_ids)


def _change_of(session: AgendaSession, details: SessionDetails) -> SessionChange | None:
    if (session.starts_at, session.ends_at) != (details.starts_at, details.ends_at):
        return SessionChange.MOVED
    if session.room_id != details.room_id:
        return SessionChange.ROOM_CHANGED
    if (session.title, session.description_md) != (_clean(details.title), details.description_md.strip()):
        return SessionChange.DETAILS
    return None


def _seat_problems(session: AgendaSession, details: SessionDetails) -> dict[str, list]:
    """A saved session's seats: its new limit must still hold everyone who has one."""
    taken = signup.confirmed_count(session.id)
    if details.signup_required:
        room = db.session.get(Room, details.room_id) if details.room_id is not None else None
        limit = details.capacity if details.capacity is not None else (room.capacity if room else None)
        if limit is not None and taken > limit:
            return {"capacity": [_l("Đã có %(count)d người giữ chỗ, sức chứa không thể nhỏ hơn.", count=taken)]}
    elif db.session.scalar(sa.select(SessionSignup.id).where(
            SessionSignup.session_id == session.id, SessionSignup.status.in_(ACTIVE_SIGNUP_STATUSES)).limit(1)):
        return {"signup_required": [_l("Đã có người đăng ký phiên này; hãy giữ yêu cầu đăng ký.")]}
    return {}


def _apply(session: AgendaSession, details: SessionDetails) -> None:
    session.title, session.session_type = _clean(details.title), details.session_type
    session.description_md = details.description_md.strip()
    session.starts_at, session.ends_at = details.starts_at, details.ends_at
    session.room_id, session.track_id = details.room_id, details.track_id
    session.capacity, session.signup_required = details.capacity, details.signup_required
    session.speakers = list(db.session.scalars(sa.select(Speaker).where(Speaker.id.in_(set(details.speaker_ids)))))


def _save(event_id: int, session_id: int | None, details: SessionDetails, confirm_warnings: bool) -> AgendaSession:
    event = _editable(event_id)
    session = get_session(event_id, session_id) if session_id is not None else None
    if session is not None and session.is_cancelled:
        raise DomainError("session_cancelled", _l("Phiên đã huỷ, không sửa được nữa."), status=409)
    problems = _detail_problems(event, details)
    if problems:
        raise ValidationFailed(problems)
    _lock(session_id, details)
    try:
        if session is not None:
            db.session.refresh(session)
            if problems := _seat_problems(session, details):
                raise ValidationFailed(problems)
        find_conflicts(event, details.slot, session_id=session_id).enforce(confirm_warnings=confirm_warnings)
        change = _change_of(session, details) if session is not None else None
        if session is None:
            session = AgendaSession(event_id=event_id)
            db.session.add(session)
        _apply(session, details)
        if change is not None:
            session.sequence += 1
        db.session.flush()
        if session_id is not None:
            signup.fill_seats(session)
        if change is not None:
            session_changed.send(session, change=change)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return session


def create_session(event_id: int, details: SessionDetails, *, confirm_warnings: bool = False) -> AgendaSession:
    return _save(event_id, None, details, confirm_warnings)


def update_session(event_id: int, session_id: int, details: SessionDetails, *,
                   confirm_warnings: bool = False) -> AgendaSession:
    """Edit or move a session (the editor's drag is an update with a new time and room)."""
    return _save(event_id, session_id, details, confirm_warnings)


def cancel_session(event_id: int, session_id: int, reason: str | None = None) -> AgendaSession:
    """The session stays in the agenda, marked cancelled, so that calendars and sign-ups learn of it."""
    _editable(event_id)
    get_session(event_id, session_id)
    session = signup.seat_lock(session_id)
    if session.is_cancelled:
        db.session.rollback()
        raise DomainError("session_cancelled", _l("Phiên đã huỷ trước đó."), status=409)
    session.status, session.cancellation_reason = SessionStatus.CANCELLED, (reason or "").strip() or None
    session.sequence += 1
    db.session.flush()
    session_changed.send(session, change=SessionChange.CANCELLED)
    db.session.commit()
    return session


def delete_session(event_id: int, session_id: int) -> None:
    """Only a session nobody signed up for disappears; otherwise cancel it so that they are told."""
    _editable(event_id)
    session = get_session(event_id, session_id)
    if signup.signups_for_session(session_id):
        raise DomainError("has_signups", _l("Đã có người đăng ký phiên này; hãy huỷ phiên thay vì xoá."), status=409)
    db.session.delete(session)
    db.session.commit()


def days_of(event: Event) -> list[date]:
    """The event's local days, first to last."""
    first, last = to_local(event.starts_at).date(), to_local(event.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def by_day(sessions_list: list[AgendaSession]) -> dict[date, list[AgendaSession]]:
    days: dict[date, list[AgendaSession]] = {}
    for session in sessions_list:
        days.setdefault(to_local(session.starts_at).date(), []).append(session)
    return days


@event_cloned.connect
def _copy_agenda(_sender, source_id: int, clone_id: int, shift: timedelta, copied: dict, **_extra) -> None:
    """A cloned event keeps its rooms, tracks and agenda, moved by the event's own shift; the speakers are not
    copied (people are confirmed again for each edition) nor are cancelled sessions."""
    for name, model in (("rooms", Room), ("tracks", Track)):
        ids = copied.setdefault(name, {})
        for row in db.session.scalars(sa.select(model).where(model.event_id == source_id).order_by(model.id)):
            copy = copy_row(row, event_id=clone_id)
            db.session.add(copy)
            db.session.flush()
            ids[row.id] = copy.id
    sessions = copied.setdefault("sessions", {})
    query = sa.select(AgendaSession).where(AgendaSession.event_id == source_id,
                                           AgendaSession.status != SessionStatus.CANCELLED).order_by(AgendaSession.id)
    for session in db.session.scalars(query):
        copy = copy_row(session, event_id=clone_id, starts_at=session.starts_at + shift,
                        ends_at=session.ends_at + shift, room_id=copied["rooms"].get(session.room_id),
                        track_id=copied["tracks"].get(session.track_id), status=SessionStatus.SCHEDULED,
                        sequence=0, seat_version=0, cancellation_reason=None)
        db.session.add(copy)
        db.session.flush()
        sessions[session.id] = copy.id
