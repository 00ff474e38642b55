"""Schedule changes reach people: when a session moves, changes room or is cancelled, everyone it
concerns gets one e-mail with the updated calendar entry. The e-mails join the transaction of the
change itself, and each is keyed by the session's new `sequence`, so a repeated signal sends nothing."""
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..events.models import EventStatus
from ..mail.services import Attachment, enqueue_once
from ..registration.models import Registration
from ..registration.notifications import ticket_url
from ..timeutil import utcnow
from . import audience, ics
from .models import AgendaSession
from .signals import SessionChange, session_changed

# What a participant must act on; other edits (title, description) reach calendars through SEQUENCE only.
ANNOUNCED = frozenset({SessionChange.MOVED, SessionChange.ROOM_CHANGED, SessionChange.CANCELLED})


def personal_agenda_url(registration: Registration) -> str:
    return f"{ticket_url(registration)}/agenda"


@session_changed.connect
def announce(session: AgendaSession, change: SessionChange, now: datetime | None = None, **_extra) -> int:
    """Queue the e-mails (never commits: the sender does); returns how many were queued."""
    now = now or utcnow()
    event = session.event
    if (change not in ANNOUNCED or session.ends_at <= now
            or event.status not in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)):
        return 0
    calendar = Attachment(f"phien-{session.id}.ics", "text/calendar", ics.session_file(session))
    queued = 0
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = {
            SessionChange.MOVED: _("Đổi giờ: %(title)s", title=session.title),
            SessionChange.ROOM_CHANGED: _("Đổi phòng: %(title)s", title=session.title),
            SessionChange.CANCELLED: _("Huỷ phiên: %(title)s", title=session.title),
        }[change]
        for registration in audience.people_of(session):
            if not registration.email:
                continue
            context = {"registration": registration, "session": session, "event": event, "change": change.value,
                       "url": personal_agenda_url(registration)}
            queued += enqueue_once(
                f"change:session:{session.id}:{session.sequence}:registration:{registration.id}",
                registration.email, subject,
                render_template("scheduling/email/session_changed.txt", **context),
                render_template("scheduling/email/session_changed.html", **context),
                attachments=[calendar], now=now) is not None
    return queued
