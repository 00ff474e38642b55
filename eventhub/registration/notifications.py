"""E-mails about a registration, queued in the outbox within the caller's transaction."""
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..events.ics import calendar_for
from ..events.models import Event
from ..extensions import db
from ..mail.services import Attachment, enqueue, made_when_sent
from . import tickets
from .models import Registration, RegistrationStatus

QR_CONTENT_ID = "ticket-qr@eventhub"


@made_when_sent("ticket_qr")
def _ticket_qr(ticket_code: str) -> bytes:
    return tickets.qr_png(tickets.qr_payload(ticket_code))


@made_when_sent("event_calendar")
def _event_calendar(event_id: int) -> bytes | None:
    event = db.session.get(Event, event_id)
    return calendar_for([event], event.title) if event is not None else None


def ticket_qr_attachment(registration: Registration) -> Attachment:
    """The ticket's QR image, inline in the HTML as cid:QR_CONTENT_ID, drawn when the e-mail is sent."""
    return Attachment("ve-qr.png", "image/png", inline_id=QR_CONTENT_ID, made_by="ticket_qr",
                      arguments={"ticket_code": registration.ticket_code})


def event_calendar_attachment(event: Event) -> Attachment:
    """The event as an .ics file, written when the e-mail is sent (so with the event's details of then)."""
    return Attachment("su-kien.ics", "text/calendar", made_by="event_calendar", arguments={"event_id": event.id})


def ticket_url(registration: Registration) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/tickets/{registration.access_key}"


def status_changed(registration: Registration, *, now: datetime, promoted: bool = False, resent: bool = False,
                   position: int | None = None) -> None:
    """Tell the person where they stand: ticket, waiting list (at `position` when the caller knows it),
    pending review, rejection, cancellation."""
    if not registration.email:
        return
    from .services import waitlist_position  # the services module calls into this one

    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        status = registration.status
        subjects = {
            RegistrationStatus.CONFIRMED: _("Vé tham dự: %(title)s", title=registration.event.title),
            RegistrationStatus.WAITLISTED: _("Bạn đang trong danh sách chờ: %(title)s", title=registration.event.title),
            RegistrationStatus.PENDING: _("Đã nhận đăng ký, chờ duyệt: %(title)s", title=registration.event.title),
            RegistrationStatus.REJECTED: _("Kết quả xét duyệt: %(title)s", title=registration.event.title),
            RegistrationStatus.CANCELLED: _("Đã huỷ đăng ký: %(title)s", title=registration.event.title),
        }
        context = {"registration": registration, "event": registration.event, "url": ticket_url(registration),
                   "promoted": promoted, "resent": resent, "position": position or waitlist_position(registration)}
        attachments = []
        if status == RegistrationStatus.CONFIRMED:
            attachments = [ticket_qr_attachment(registration), event_calendar_attachment(registration.event)]
            context["qr_cid"] = QR_CONTENT_ID
        enqueue(
            registration.email, subjects[status],
            render_template("registration/email/status.txt", **context),
            render_template("registration/email/status.html", **context),
            attachments=attachments, reference=f"registration:{registration.id}:{status.value}", now=now,
        )
