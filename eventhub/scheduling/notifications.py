"""Notices about a person's session seat, queued in the outbox within the caller's transaction."""
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _

from ..events.ics import CALENDAR_FILE_TYPE
from ..extensions import db
from ..i18n import format_datetime
from ..mail.rendering import Attachment, Gone, Rendered, renderer
from ..registration.notifications import queue, zns_data
from . import ics
from .changes import personal_agenda_url
from .models import SessionSignup

SEAT_TEMPLATE = "session.seat_given"


def seat_given(signup: SessionSignup, now: datetime) -> None:
    """Someone waiting got a seat: tell them once, with the session's calendar entry."""
    registration, session = signup.registration, signup.session
    queue(registration, SEAT_TEMPLATE, {"signup_id": signup.id}, now=now,
          key=f"seat:session:{session.id}:signup:{signup.id}", event=session.event)


@renderer(SEAT_TEMPLATE)
def render_seat_given(params: dict) -> Rendered:
    signup = db.session.get(SessionSignup, params.get("signup_id"))
    if signup is None:
        raise Gone(f"signup {params.get('signup_id')}")
    registration, session = signup.registration, signup.session
    context = {"registration": registration, "session": session, "event": session.event,
               "url": personal_agenda_url(registration)}
    subject = _("Đã có chỗ cho bạn: %(title)s", title=session.title)
    return Rendered(subject, render_template("scheduling/email/seat_given.txt", **context),
                    render_template("scheduling/email/seat_given.html", **context),
                    [Attachment(f"phien-{session.id}.ics", CALENDAR_FILE_TYPE, ics.session_file(session))],
                    short=_("%(title)s, %(when)s: đã có chỗ cho %(name)s.", title=session.title,
                            when=format_datetime(session.starts_at), name=registration.full_name),
                    link=personal_agenda_url(registration),
                    zns=zns_data(registration, session.title, str(subject), format_datetime(session.starts_at)))
