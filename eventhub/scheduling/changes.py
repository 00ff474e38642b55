"""Schedule changes reach people: when a session moves, changes room or is cancelled, everyone it
concerns gets one notice (e-mail with the updated calendar entry, or SMS/Zalo). The notices join the transaction of the
change itself, and each is keyed by the session's new `sequence`, so a repeated signal sends nothing."""
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _

from ..events.ics import CALENDAR_FILE_TYPE
from ..events.models import EventStatus
from ..extensions import db
from ..i18n import format_datetime
from ..mail.rendering import Attachment, Gone, Rendered, renderer
from ..registration.models import Registration
from ..registration.notifications import queue, registration_of, ticket_url, zns_data
from ..timeutil import utcnow
from . import audience, ics
from .models import AgendaSession
from .signals import SessionChange, session_changed

# What a participant must act on; other edits (title, description) reach calendars through SEQUENCE only.
ANNOUNCED = frozenset({SessionChange.MOVED, SessionChange.ROOM_CHANGED, SessionChange.CANCELLED})


CHANGE_TEMPLATE = "session.changed"


def personal_agenda_url(registration: Registration) -> str:
    return f"{ticket_url(registration)}/agenda"


@session_changed.connect
def announce(session: AgendaSession, change: SessionChange, now: datetime | None = None, **_extra) -> int:
    """Queue the notices (never commits: the sender does); returns how many messages were queued."""
    now = now or utcnow()
    event = session.event
    if (change not in ANNOUNCED or session.ends_at <= now
            or event.status not in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)):
        return 0
    queued = 0
    for registration in audience.people_of(session):
        queued += queue(registration, CHANGE_TEMPLATE, {"session_id": session.id, "change": change.value}, now=now,
                        key=f"change:session:{session.id}:{session.sequence}:registration:{registration.id}",
                        event=event)
    return queued


@renderer(CHANGE_TEMPLATE)
def render_change(params: dict) -> Rendered:
    registration = registration_of(params)
    session = db.session.get(AgendaSession, params.get("session_id"))
    if session is None:
        raise Gone(f"session {params.get('session_id')}")
    change = SessionChange(params["change"])
    subject = {
        SessionChange.MOVED: _("Đổi giờ: %(title)s", title=session.title),
        SessionChange.ROOM_CHANGED: _("Đổi phòng: %(title)s", title=session.title),
        SessionChange.CANCELLED: _("Huỷ phiên: %(title)s", title=session.title),
    }[change]
    short = {
        SessionChange.MOVED: _("%(title)s đổi giờ: %(when)s.", title=session.title,
                               when=format_datetime(session.starts_at)),
        SessionChange.ROOM_CHANGED: _("%(title)s đổi phòng: %(room)s.", title=session.title,
                                      room=session.room.name if session.room else "—"),
        SessionChange.CANCELLED: _("%(title)s đã bị huỷ.", title=session.title),
    }[change]
    context = {"registration": registration, "session": session, "event": session.event, "change": change.value,
               "url": personal_agenda_url(registration)}
    return Rendered(subject, render_template("scheduling/email/session_changed.txt", **context),
                    render_template("scheduling/email/session_changed.html", **context),
                    [Attachment(f"phien-{session.id}.ics", CALENDAR_FILE_TYPE, ics.session_file(session))],
                    short=short, link=personal_agenda_url(registration),
                    zns=zns_data(registration, session.title, str(subject), format_datetime(session.starts_at)))
