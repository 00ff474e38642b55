"""Reminders: the day before an event (with the ticket) and an hour before a signed-up session. Every
notice is keyed in the notification ledger with the start time it announces, so a rerun, a restart or
a concurrent run sends nothing twice, while an event or session moved to another time is announced again."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from ..events.models import Event, EventStatus
from ..extensions import db
from ..i18n import format_datetime, format_time
from ..mail.models import NotificationLog
from ..mail.rendering import Gone, Rendered, renderer
from ..registration.models import Registration, RegistrationStatus
from ..registration.notifications import QR_CONTENT_ID, queue, registration_of, ticket_attachments, ticket_url, zns_data
from ..scheduling.changes import personal_agenda_url
from ..scheduling.models import AgendaSession, SessionSignup, SessionStatus, SignupStatus

EVENT_TEMPLATE, SESSION_TEMPLATE = "reminder.event", "reminder.session"
EVENT_LEAD = timedelta(days=1)
SESSION_LEAD = timedelta(hours=1)
# Events still taking place; a draft has nobody to remind, a cancelled one was announced as such.
TAKING_PLACE = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)


def _key_prefix(kind: str, item_id: int, starts_at: datetime) -> str:
    return f"reminder:{kind}:{item_id}:{int(starts_at.timestamp())}:registration:"


def _key(kind: str, item_id: int, starts_at: datetime, registration_id: int) -> str:
    return f"{_key_prefix(kind, item_id, starts_at)}{registration_id}"


def remind_event_registrants(now: datetime) -> int:
    """Mail every confirmed registrant of an event starting within a day their ticket once. People
    confirmed inside that day are left out: their ticket e-mail has just reached them."""
    events = list(db.session.scalars(sa.select(Event).where(
        Event.status.in_(TAKING_PLACE), Event.starts_at > now, Event.starts_at <= now + EVENT_LEAD)
        .order_by(Event.starts_at, Event.id)))
    queued = 0
    for event in events:
        registrations = list(db.session.scalars(sa.select(Registration).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
            sa.or_(Registration.email.is_not(None), Registration.phone.is_not(None)),
            Registration.status_changed_at <= event.starts_at - EVENT_LEAD)
            .order_by(Registration.id)))
        # Most runs find everyone reminded already: skip them here (the ledger still decides).
        reminded = set(db.session.scalars(sa.select(NotificationLog.key).where(
            NotificationLog.key.startswith(_key_prefix("event", event.id, event.starts_at), autoescape=True))))
        for registration in registrations:
            if _key("event", event.id, event.starts_at, registration.id) not in reminded:
                queued += queue(registration, EVENT_TEMPLATE, {}, now=now, event=event,
                                key=_key("event", event.id, event.starts_at, registration.id))
        db.session.commit()
    return queued


@renderer(EVENT_TEMPLATE)
def render_event_reminder(params: dict) -> Rendered:
    registration = registration_of(params)
    event = registration.event
    context = {"registration": registration, "event": event, "url": ticket_url(registration),
               "qr_cid": QR_CONTENT_ID}
    subject = _("Nhắc lịch ngày mai: %(title)s", title=event.title)
    return Rendered(subject, render_template("jobs/event_reminder.txt", **context),
                    render_template("jobs/event_reminder.html", **context), ticket_attachments(registration),
                    short=_("Nhắc lịch: %(title)s lúc %(when)s tại %(place)s. Mã vé %(code)s.", title=event.title,
                            when=format_datetime(event.starts_at), place=event.venue_name,
                            code=registration.ticket_code),
                    link=ticket_url(registration),
                    zns=zns_data(registration, event.title, str(subject), format_datetime(event.starts_at)))


def remind_session_signups(now: datetime) -> int:
    """Mail the confirmed sign-ups of every session starting within the hour, once."""
    rows = db.session.execute(
        sa.select(Registration, AgendaSession).select_from(SessionSignup)
        .join(AgendaSession, SessionSignup.session_id == AgendaSession.id)
        .join(Event, AgendaSession.event_id == Event.id)
        .join(Registration, SessionSignup.registration_id == Registration.id)
        .where(AgendaSession.status == SessionStatus.SCHEDULED, AgendaSession.starts_at > now,
               AgendaSession.starts_at <= now + SESSION_LEAD, Event.status.in_(TAKING_PLACE),
               SessionSignup.status == SignupStatus.CONFIRMED, Registration.status == RegistrationStatus.CONFIRMED,
               sa.or_(Registration.email.is_not(None), Registration.phone.is_not(None)))
        .order_by(AgendaSession.starts_at, AgendaSession.id, SessionSignup.id)).all()
    queued = 0
    for registration, session in rows:
        queued += queue(registration, SESSION_TEMPLATE, {"session_id": session.id}, now=now, event=session.event,
                        key=_key("session", session.id, session.starts_at, registration.id))
    db.session.commit()
    return queued


@renderer(SESSION_TEMPLATE)
def render_session_reminder(params: dict) -> Rendered:
    registration = registration_of(params)
    session = db.session.get(AgendaSession, params.get("session_id"))
    if session is None:
        raise Gone(f"session {params.get('session_id')}")
    context = {"registration": registration, "session": session, "event": session.event,
               "url": personal_agenda_url(registration)}
    subject = _("Sắp bắt đầu lúc %(time)s: %(title)s", time=format_time(session.starts_at), title=session.title)
    return Rendered(subject, render_template("jobs/session_reminder.txt", **context),
                    render_template("jobs/session_reminder.html", **context), short=str(subject),
                    link=personal_agenda_url(registration),
                    zns=zns_data(registration, session.title, str(subject), format_datetime(session.starts_at)))
