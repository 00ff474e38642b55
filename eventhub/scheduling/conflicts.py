"""The one conflict service of the agenda: forms, the editor, the API and session sign-up all ask it.

Blocking (never saved): a session outside the event's days, two sessions in one room at once, a speaker in
two sessions at once (across every event of the organisation), and, at sign-up, a participant choosing two
sessions at once. Warnings (saved once the organiser confirms): a session capacity above its room's, and
people signed up for the session who chose another session at its new time. Intervals are half-open, so a
session ending at 10:00 and one starting at 10:00 do not conflict. Cancelled sessions never conflict."""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from ..errors import DomainError
from ..events.models import Event
from ..extensions import db
from ..i18n import format_date, format_time
from ..timeutil import from_local, to_local
from .models import (
    ACTIVE_SIGNUP_STATUSES,
    AgendaSession,
    Room,
    SessionSignup,
    SessionStatus,
    Speaker,
    session_speakers,
)

OUTSIDE_EVENT = "outside_event"
ROOM_OVERLAP = "room_overlap"
SPEAKER_OVERLAP = "speaker_overlap"
ROOM_CAPACITY = "room_capacity"
PARTICIPANT_OVERLAP = "participant_overlap"


@dataclass(frozen=True)
class Slot:
    """Where and when a session takes place, and who speaks: what the rules look at."""

    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    speaker_ids: tuple[int, ...] = ()
    capacity: int | None = None


@dataclass(frozen=True)
class Conflict:
    code: str
    blocking: bool
    message: str
    other: AgendaSession | None = None

    def as_json(self) -> dict:
        other = self.other
        return {"code": self.code, "blocking": self.blocking, "message": self.message,
                "other_session": None if other is None else {
                    "id": other.id, "title": other.title, "event_id": other.event_id,
                    "room": other.room.name if other.room else None,
                    "starts_at": to_local(other.starts_at).isoformat(),
                    "ends_at": to_local(other.ends_at).isoformat()}}


class ScheduleConflict(DomainError):
    """Raised instead of saving; `conflicts` holds every blocking conflict and every unconfirmed warning."""

    status = 409

    def __init__(self, conflicts: list[Conflict]):
        blocking = any(c.blocking for c in conflicts)
        super().__init__("schedule_conflict" if blocking else "schedule_warning",
                         _l("Lịch bị trùng, chưa lưu.") if blocking
                         else _l("Có cảnh báo về lịch; hãy xác nhận để lưu."),
                         fields={"conflicts": [c.message for c in conflicts]})
        self.conflicts = conflicts

    def as_json(self) -> dict:
        return {"error": {"code": self.code, "message": str(self), "fields": {"conflicts": [
            c.message for c in self.conflicts]}}, "conflicts": [c.as_json() for c in self.conflicts]}


def _when(session: AgendaSession) -> str:
    return f"{format_date(session.starts_at)} {format_time(session.starts_at)}–{format_time(session.ends_at)}"


def _describe(session: AgendaSession) -> dict:
    return {"title": session.title, "when": _when(session),
            "room": session.room.name if session.room else gettext("chưa xếp phòng")}


def _overlapping(slot: Slot, exclude_session_id: int | None):
    query = sa.select(AgendaSession).where(AgendaSession.status == SessionStatus.SCHEDULED,
                                           AgendaSession.starts_at < slot.ends_at,
                                           AgendaSession.ends_at > slot.starts_at)
    if exclude_session_id is not None:
        query = query.where(AgendaSession.id != exclude_session_id)
    return query.order_by(AgendaSession.starts_at, AgendaSession.id)


def event_days(event: Event) -> tuple[datetime, datetime]:
    """The event's local days as an interval: from the first day's midnight to the day after the last."""
    first = to_local(event.starts_at).date()
    last = to_local(event.ends_at).date()
    return (from_local(datetime.combine(first, time())), from_local(datetime.combine(last + timedelta(days=1), time())))


def _outside_event(event: Event, slot: Slot) -> list[Conflict]:
    opens, closes = event_days(event)
    if opens <= slot.starts_at and slot.ends_at <= closes:
        return []
    return [Conflict(OUTSIDE_EVENT, True, gettext(
        "Phiên nằm ngoài các ngày diễn ra sự kiện (%(first)s – %(last)s).",
        first=format_date(event.starts_at), last=format_date(event.ends_at)))]


def _room_overlap(slot: Slot, session_id: int | None) -> list[Conflict]:
    if slot.room_id is None:
        return []
    others = db.session.scalars(_overlapping(slot, session_id).where(AgendaSession.room_id == slot.room_id))
    return [Conflict(ROOM_OVERLAP, True, gettext("Phòng %(room)s đã có phiên “%(title)s” lúc %(when)s.",
                                                 **_describe(other)), other) for other in others]


def _speaker_overlap(event: Event, slot: Slot, session_id: int | None) -> list[Conflict]:
    if not slot.speaker_ids:
        return []
    rows = db.session.execute(
        _overlapping(slot, session_id).add_columns(Speaker.name)
        .join(session_speakers, session_speakers.c.session_id == AgendaSession.id)
        .join(Speaker, Speaker.id == session_speakers.c.speaker_id)
        .join(Event, Event.id == AgendaSession.event_id)
        .where(session_speakers.c.speaker_id.in_(slot.speaker_ids), Event.organisation_id == event.organisation_id))
    conflicts = []
    for other, speaker_name in rows:
        text = gettext("%(speaker)s đã có phiên “%(title)s” tại %(room)s lúc %(when)s.", speaker=speaker_name,
                       **_describe(other))
        if other.event_id != event.id:
            text += " " + gettext("(sự kiện “%(event)s”)", event=other.event.title)
        conflicts.append(Conflict(SPEAKER_OVERLAP, True, text, other))
    return conflicts


def _room_capacity(slot: Slot) -> list[Conflict]:
    if slot.room_id is None or slot.capacity is None:
        return []
    room = db.session.get(Room, slot.room_id)
    if room is None or slot.capacity <= room.capacity:
        return []
    return [Conflict(ROOM_CAPACITY, False, gettext(
        "Sức chứa của phiên (%(capacity)d) lớn hơn sức chứa của phòng %(room)s (%(room_capacity)d).",
        capacity=slot.capacity, room=room.name, room_capacity=room.capacity))]


def _signed_up_elsewhere(slot: Slot, session_id: int | None) -> list[Conflict]:
    """People signed up for this session who also chose another session at the (new) time."""
    if session_id is None:
        return []
    mine, theirs = aliased(SessionSignup), aliased(SessionSignup)
    rows = db.session.execute(
        _overlapping(slot, session_id).add_columns(sa.func.count(sa.distinct(mine.registration_id)))
        .join(theirs, theirs.session_id == AgendaSession.id)
        .join(mine, mine.registration_id == theirs.registration_id)
        .where(mine.session_id == session_id, mine.status.in_(ACTIVE_SIGNUP_STATUSES),
               theirs.status.in_(ACTIVE_SIGNUP_STATUSES))
        .group_by(AgendaSession.id))
    return [Conflict(PARTICIPANT_OVERLAP, False, gettext(
        "%(count)d người đã đăng ký phiên này cũng đăng ký phiên “%(title)s” tại %(room)s lúc %(when)s.",
        count=count, **_describe(other)), other) for other, count in rows]


def _participant_overlap(slot: Slot, session_id: int | None, registration_id: int) -> list[Conflict]:
    others = db.session.scalars(_overlapping(slot, session_id).join(
        SessionSignup, SessionSignup.session_id == AgendaSession.id).where(
        SessionSignup.registration_id == registration_id, SessionSignup.status.in_(ACTIVE_SIGNUP_STATUSES)))
    return [Conflict(PARTICIPANT_OVERLAP, True, gettext(
        "Bạn đã đăng ký phiên “%(title)s” tại %(room)s lúc %(when)s, trùng giờ với phiên này.",
        **_describe(other)), other) for other in others]


@dataclass
class Check:
    """The outcome for one slot: blocking conflicts, then warnings."""

    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def blocking(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.blocking]

    @property
    def warnings(self) -> list[Conflict]:
        return [c for c in self.conflicts if not c.blocking]

    def enforce(self, *, confirm_warnings: bool = False) -> None:
        """Refuse to save when anything blocks, or when warnings were not confirmed."""
        if self.blocking or (self.warnings and not confirm_warnings):
            raise ScheduleConflict(self.blocking + ([] if confirm_warnings else self.warnings))


def find_conflicts(event: Event, slot: Slot, *, session_id: int | None = None,
                   registration_id: int | None = None) -> Check:
    """Every conflict of `slot` in `event`, for the session `session_id` (None while it is new).
    With `registration_id`, the question is the participant's instead: does this session clash with the
    sessions that person already chose?"""
    if registration_id is not None:
        return Check(_participant_overlap(slot, session_id, registration_id))
    return Check(_outside_event(event, slot) + _room_overlap(slot, session_id)
                 + _speaker_overlap(event, slot, session_id) + _room_capacity(slot)
                 + _signed_up_elsewhere(slot, session_id))
