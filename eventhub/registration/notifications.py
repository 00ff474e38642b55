"""E-mails about a registration, queued in the outbox within the caller's transaction."""
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..events.ics import calendar_for
from ..mail.services import Attachment, enqueue
from . import tickets
from .models import Registration, RegistrationStatus

QR_CONTENT_ID = "ticket-qr@eventhub"


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
            attachments = [
                Attachment("ve-qr.png", "image/png", tickets.qr_png(tickets.qr_payload(registration.ticket_code)),
                           inline_id=QR_CONTENT_ID),
                Attachment("su-kien.ics", "text/calendar",
                           calendar_for([registration.event], registration.event.title)),
            ]
            context["qr_cid"] = QR_CONTENT_ID
        enqueue(
            registration.email, subjects[status],
            render_template("registration/email/status.txt", **context),
            render_template("registration/email/status.html", **context),
            attachments=attachments, reference=f"registration:{registration.id}:{status.value}", now=now,
        )
