"""E-mails about a person's session seat, queued in the outbox within the caller's transaction."""
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail.services import Attachment, enqueue_once
from . import ics
from .changes import personal_agenda_url
from .models import SessionSignup


def seat_given(signup: SessionSignup, now: datetime) -> None:
    """Someone waiting got a seat: tell them once, with the session's calendar entry."""
    registration, session = signup.registration, signup.session
    if not registration.email:
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        context = {"registration": registration, "session": session, "event": session.event,
                   "url": personal_agenda_url(registration)}
        enqueue_once(f"seat:session:{session.id}:signup:{signup.id}", registration.email,
                     _("Đã có chỗ cho bạn: %(title)s", title=session.title),
                     render_template("scheduling/email/seat_given.txt", **context),
                     render_template("scheduling/email/seat_given.html", **context),
                     attachments=[Attachment(f"phien-{session.id}.ics", "text/calendar", ics.session_file(session))],
                     now=now)
