"""iCalendar for the agenda: one VEVENT per session with a stable UID, SEQUENCE from the session's
`sequence` (raised on every visible change) and cancelled sessions kept as STATUS:CANCELLED, so a
subscribed calendar updates or strikes them instead of losing track. Built on the events module's
calendar (local time zone with its VTIMEZONE)."""
from flask import current_app
from icalendar import Event as CalendarEvent

from ..events.ics import build_calendar, event_location
from ..events.models import Event, EventStatus
from ..registration.models import Registration
from ..timeutil import to_local, utcnow
from .models import AgendaSession, Room


def session_uid(session: AgendaSession) -> str:
    return f"session-{session.id}@{current_app.config['ICS_UID_DOMAIN']}"


def _vevent(session: AgendaSession) -> CalendarEvent:
    event = session.event
    cancelled = session.is_cancelled or event.status == EventStatus.CANCELLED
    vevent = CalendarEvent()
    vevent.add("uid", session_uid(session))
    vevent.add("sequence", session.sequence)
    vevent.add("dtstamp", utcnow())
    vevent.add("dtstart", to_local(session.starts_at))
    vevent.add("dtend", to_local(session.ends_at))
    vevent.add("summary", session.title)
    vevent.add("location", ", ".join(filter(None, [session.room.name if session.room else None,
                                                   event_location(event)])))
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    vevent.add("url", f"{base}/events/{event.slug}/agenda/sessions/{session.id}")
    description = [", ".join(speaker.name for speaker in session.speakers), session.description_md,
                   session.cancellation_reason if session.is_cancelled else None]
    if any(description):
        vevent.add("description", "\n\n".join(filter(None, description)))
    if session.track:
        vevent.add("categories", [session.track.name])
    vevent.add("last-modified", session.updated_at)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return vevent


def calendar_of(name: str, sessions: list[AgendaSession], *, method: str | None = None) -> bytes:
    return build_calendar(name, [_vevent(session) for session in sessions], method=method)


def event_calendar(event: Event, sessions: list[AgendaSession]) -> bytes:
    return calendar_of(event.title, sessions)


def room_calendar(room: Room, sessions: list[AgendaSession]) -> bytes:
    return calendar_of(f"{room.name} – {room.event.title}", sessions)


def personal_calendar(registration: Registration, sessions: list[AgendaSession]) -> bytes:
    return calendar_of(f"{registration.event.title} – {registration.full_name}", sessions)


def session_file(session: AgendaSession) -> bytes:
    """The single session as a file to import, attached to e-mails (METHOD:PUBLISH, same UID)."""
    return calendar_of(session.title, [session], method="PUBLISH")
