"""Notices about a registration, by e-mail, SMS or Zalo: queued in the caller's transaction as a template
and parameters (one INSERT, nothing drawn: this runs inside the registration's seat lock) and rendered by
the outbox when it sends them."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _

from ..events.ics import CALENDAR_FILE_TYPE, calendar_for, event_location
from ..events.models import Event
from ..events.signals import event_changing
from ..extensions import db
from ..i18n import format_datetime
from ..mail.models import MessageKind
from ..mail.rendering import Attachment, Gone, Rendered, renderer
from ..mail.services import Contact, notify
from ..timeutil import utcnow
from . import tickets
from .models import Registration, RegistrationStatus

QR_CONTENT_ID = "ticket-qr@eventhub"
STATUS_TEMPLATE = "registration.status"


def ticket_url(registration: Registration) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/tickets/{registration.access_key}"


def contact_of(registration: Registration) -> Contact:
    return Contact(registration.email, registration.phone)


def queue(registration: Registration, template: str, params: dict, *, now: datetime, key: str | None = None,
          kind: MessageKind = MessageKind.SERVICE, event: Event | None = None) -> int:
    """Queue one notice to a registrant on their channels; returns how many messages were queued."""
    event = event or registration.event
    return len(notify(contact_of(registration), template, {"registration_id": registration.id, **params},
                      organisation_id=event.organisation_id, event_id=event.id, key=key, kind=kind, now=now))


def status_changed(registration: Registration, *, now: datetime, promoted: bool = False, resent: bool = False) -> None:
    """Tell the person where they stand: ticket, waiting list, pending review, rejection, cancellation."""
    queue(registration, STATUS_TEMPLATE, {"status": registration.status.value, "promoted": promoted,
                                          "resent": resent}, now=now)


def registration_of(params: dict) -> Registration:
    registration = db.session.get(Registration, params.get("registration_id"))
    if registration is None or registration.anonymised_at:
        raise Gone(f"registration {params.get('registration_id')}")
    return registration


def ticket_attachments(registration: Registration) -> list[Attachment]:
    return [Attachment("ve-qr.png", "image/png", tickets.qr_png(tickets.qr_payload(registration.ticket_code)),
                       inline_id=QR_CONTENT_ID),
            Attachment("su-kien.ics", CALENDAR_FILE_TYPE,
                       calendar_for([registration.event], registration.event.title, method="PUBLISH"))]


def zns_data(registration: Registration, name: str, status: str, when: str) -> dict[str, str]:
    """The parameters every EventHub ZNS template takes (Zalo limits each to its template's length)."""
    return {"customer_name": registration.full_name, "event_name": name, "ticket_code": registration.ticket_code,
            "status": str(status), "event_time": when}


def short_when(event: Event) -> str:
    return format_datetime(event.starts_at)


@renderer(STATUS_TEMPLATE)
def render_status(params: dict) -> Rendered:
    from .services import waitlist_position  # the services module calls into this one

    registration = registration_of(params)
    event, status = registration.event, RegistrationStatus(params["status"])
    title = event.title
    subjects = {
        RegistrationStatus.CONFIRMED: _("Vé tham dự: %(title)s", title=title),
        RegistrationStatus.WAITLISTED: _("Bạn đang trong danh sách chờ: %(title)s", title=title),
        RegistrationStatus.PENDING: _("Đã nhận đăng ký, chờ duyệt: %(title)s", title=title),
        RegistrationStatus.REJECTED: _("Kết quả xét duyệt: %(title)s", title=title),
        RegistrationStatus.CANCELLED: _("Đã huỷ đăng ký: %(title)s", title=title),
    }
    position = waitlist_position(registration) if status == RegistrationStatus.WAITLISTED else None
    shorts = {
        RegistrationStatus.CONFIRMED: _("%(title)s, %(when)s: vé của %(name)s, mã %(code)s. Xuất trình mã QR khi "
                                        "check-in.", title=title, when=short_when(event), name=registration.full_name,
                                        code=registration.ticket_code),
        RegistrationStatus.WAITLISTED: _("%(title)s: đã đủ chỗ, bạn ở vị trí %(position)s danh sách chờ.",
                                         title=title, position=position),
        RegistrationStatus.PENDING: _("%(title)s: đã nhận đăng ký của %(name)s, đang chờ ban tổ chức duyệt.",
                                      title=title, name=registration.full_name),
        RegistrationStatus.REJECTED: _("%(title)s: đăng ký chưa được duyệt. %(reason)s", title=title,
                                       reason=registration.rejection_reason or ""),
        RegistrationStatus.CANCELLED: _("%(title)s: đã huỷ đăng ký của %(name)s.", title=title,
                                        name=registration.full_name),
    }
    context = {"registration": registration, "event": event, "url": ticket_url(registration),
               "promoted": params.get("promoted"), "resent": params.get("resent"), "position": position,
               "status_value": status.value}
    attachments = []
    if status == RegistrationStatus.CONFIRMED:
        attachments = ticket_attachments(registration)
        context["qr_cid"] = QR_CONTENT_ID
    return Rendered(subjects[status], render_template("registration/email/status.txt", **context),
                    render_template("registration/email/status.html", **context), attachments,
                    short=shorts[status], link=ticket_url(registration),
                    zns=zns_data(registration, title, str(status.label), short_when(event)))


def active_registrations(event_id: int) -> list[Registration]:
    """Everyone still expected: confirmed, waiting, or pending review."""
    return list(db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event_id, Registration.anonymised_at.is_(None),
        Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                 RegistrationStatus.PENDING))).order_by(Registration.id)))


EVENT_CHANGE_TEMPLATE = "event.changed"


@event_changing.connect
def announce_event_change(_sender, event: Event, change: str, sequence: int, reason: str | None = None,
                          before: dict | None = None, now: datetime | None = None, **_extra) -> int:
    """Every active registrant hears of a cancelled or moved event once per change (keyed by the event's
    raised SEQUENCE), in the transaction of the change."""
    now = now or utcnow()
    queued = 0
    for registration in active_registrations(event.id):
        queued += queue(registration, EVENT_CHANGE_TEMPLATE,
                        {"change": change, "sequence": sequence, "reason": reason, "before": before or {}},
                        now=now, key=f"event-change:{event.id}:{sequence}:registration:{registration.id}",
                        event=event)
    return queued


@renderer(EVENT_CHANGE_TEMPLATE)
def render_event_change(params: dict) -> Rendered:
    registration = registration_of(params)
    event, cancelled = registration.event, params.get("change") == "cancelled"
    when = f"{format_datetime(event.starts_at)} – {format_datetime(event.ends_at)}"
    place = event_location(event)
    if cancelled:
        subject = _("Sự kiện bị huỷ: %(title)s", title=event.title)
        short = _("%(title)s đã bị huỷ. Lý do: %(reason)s", title=event.title, reason=params.get("reason") or "")
    else:
        subject = _("Sự kiện thay đổi thời gian/địa điểm: %(title)s", title=event.title)
        short = _("%(title)s đổi sang %(when)s tại %(place)s.", title=event.title,
                  when=format_datetime(event.starts_at), place=event.venue_name)
    context = {"registration": registration, "event": event, "cancelled": cancelled, "when": when, "place": place,
               "reason": params.get("reason"), "url": ticket_url(registration)}
    calendar = Attachment("su-kien.ics", CALENDAR_FILE_TYPE, calendar_for([event], event.title, method="PUBLISH"))
    return Rendered(subject, render_template("registration/email/event_changed.txt", **context),
                    render_template("registration/email/event_changed.html", **context), [calendar],
                    short=short, link=ticket_url(registration),
                    zns=zns_data(registration, event.title, str(subject), when))
