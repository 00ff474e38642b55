"""Organiser messages: the audience of an event chosen by category, participant group, status, check-in and
session; an exact preview (people, channel mix, opted out, paid messages against the event's budget); and the
send, which queues one message per person (deduplicated by contact) in one transaction, spaced out so that
providers see at most THROTTLE_PER_MINUTE a minute, with at most MAX_PER_HOUR sends an hour per event."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..checkin.models import CheckIn
from ..errors import DomainError, ValidationFailed
from ..events.models import Event
from ..extensions import db
from ..locking import lock_rows
from ..mail.models import Channel, MessageKind, OutboxMessage
from ..mail.rendering import Gone, Rendered, renderer
from ..mail.services import channels_for, opt_out_url, opted_out_contacts, policy_for
from ..registration.models import Registration, RegistrationCategory, RegistrationStatus
from ..registration.notifications import contact_of, queue, registration_of, ticket_url, zns_data
from ..registration.services import mobilised_by
from ..scheduling.models import SessionSignup, SignupStatus
from ..text import one_line
from ..timeutil import utcnow
from .models import OrganiserMessage

TEMPLATE = "organiser.message"
THROTTLE_PER_MINUTE = 200
MAX_PER_HOUR = 5
PAID = (Channel.SMS, Channel.ZNS)


@dataclass
class Audience:
    category_ids: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # participant group codes ("women": Phụ nữ)
    statuses: list[RegistrationStatus] = field(default_factory=lambda: [RegistrationStatus.CONFIRMED])
    checked_in: bool | None = None
    session_id: int | None = None
    delegation_ids: list[int] = field(default_factory=list)
    partner_id: int | None = None  # an accepted co-organiser writing: only the people it mobilised

    def as_json(self) -> dict:
        return {"category_ids": self.category_ids, "groups": self.groups,
                "statuses": [s.value for s in self.statuses], "checked_in": self.checked_in,
                "session_id": self.session_id, "delegation_ids": self.delegation_ids, "partner_id": self.partner_id}


@dataclass
class MessageDetails:
    subject: str
    body: str
    audience: Audience


def audience_query(event_id: int, audience: Audience) -> sa.Select:
    query = sa.select(Registration).where(Registration.event_id == event_id, Registration.anonymised_at.is_(None),
                                          Registration.status.in_(audience.statuses or [RegistrationStatus.CONFIRMED]))
    if audience.category_ids:
        query = query.where(Registration.category_id.in_(audience.category_ids))
    if audience.groups:
        query = query.where(Registration.category_id.in_(
            sa.select(RegistrationCategory.id).where(RegistrationCategory.event_id == event_id,
                                                     RegistrationCategory.participant_group.in_(audience.groups))))
    if audience.checked_in is not None:
        came = sa.exists().where(CheckIn.registration_id == Registration.id)
        query = query.where(came if audience.checked_in else ~came)
    if audience.session_id is not None:
        query = query.where(sa.exists().where(SessionSignup.registration_id == Registration.id,
                                              SessionSignup.session_id == audience.session_id,
                                              SessionSignup.status == SignupStatus.CONFIRMED))
    if audience.delegation_ids:
        query = query.where(Registration.delegation_id.in_(audience.delegation_ids))
    if audience.partner_id is not None:
        query = query.where(mobilised_by(audience.partner_id))
    return query.order_by(Registration.id)


@dataclass
class Preview:
    people: int
    channels: dict[str, int]  # email, sms, zns, none (no usable contact)
    opted_out: int
    duplicates: int
    paid: int  # SMS/ZNS this message would queue
    budget_left: int  # paid messages the event may still send
    paid_over_budget: int  # people who would get nothing because the budget is spent

    @property
    def recipients(self) -> int:
        return sum(n for channel, n in self.channels.items() if channel != "none") - self.paid_over_budget


def paid_used(event_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.event_id == event_id, OutboxMessage.kind == MessageKind.MARKETING,
        OutboxMessage.channel.in_(PAID))) or 0


def _plan(event: Event, audience: Audience):
    """Who gets it on which channel: [(registration, channel)], and the preview's numbers."""
    policy = policy_for(event.organisation_id)
    people = list(db.session.scalars(audience_query(event.id, audience)))
    opted = opted_out_contacts([k for person in people for k in contact_of(person).keys()])
    budget_left = max(policy.paid_budget_per_event - paid_used(event.id), 0)
    seen, plan, mix = set(), [], Counter()
    opted_out = duplicates = over = paid = 0
    for person in people:
        keys = contact_of(person).keys()
        if any(k in opted for k in keys):
            opted_out += 1
            continue
        if any(k in seen for k in keys):
            duplicates += 1
            continue
        seen.update(keys)
        routes = channels_for(contact_of(person), policy)
        if not routes:
            mix["none"] += 1
            continue
        channel = routes[0][0]
        mix[channel.value] += 1
        if channel in PAID:
            if paid >= budget_left:
                over += 1
                continue
            paid += 1
        plan.append((person, channel))
    preview = Preview(people=len(people), channels={c: mix.get(c, 0) for c in ("email", "sms", "zns", "none")},
                      opted_out=opted_out, duplicates=duplicates, paid=paid, budget_left=budget_left,
                      paid_over_budget=over)
    return plan, preview


def preview(event: Event, audience: Audience) -> Preview:
    return _plan(event, audience)[1]


def _check(details: MessageDetails) -> None:
    problems = {}
    if not one_line(details.subject):
        problems["subject"] = [_l("Hãy nhập tiêu đề.")]
    if not (details.body or "").strip():
        problems["body"] = [_l("Hãy nhập nội dung tin nhắn.")]
    if problems:
        raise ValidationFailed(problems)


def send(event: Event, details: MessageDetails, *, user_id: int | None, now: datetime | None = None):
    """Queue the message to its audience (one transaction; commits) and log it. Returns (message, preview)."""
    now = now or utcnow()
    _check(details)
    lock_rows(Event.id, [event.id])  # two sends of one event count the hour's sends and the budget one after the other
    recent = db.session.scalar(sa.select(sa.func.count()).select_from(OrganiserMessage).where(
        OrganiserMessage.event_id == event.id, OrganiserMessage.created_at > now - timedelta(hours=1)))
    if recent >= MAX_PER_HOUR:
        db.session.rollback()
        raise DomainError("throttled", _l("Sự kiện này đã gửi %(count)s tin nhắn trong một giờ qua; hãy thử lại "
                                          "sau.", count=MAX_PER_HOUR), status=429)
    plan, summary = _plan(event, details.audience)
    message = OrganiserMessage(event_id=event.id, created_by_id=user_id, subject=one_line(details.subject)[:150],
                               body=details.body.strip(), audience=details.audience.as_json(),
                               recipients=len(plan), paid=summary.paid, created_at=now)
    db.session.add(message)
    db.session.flush()
    for index, (person, _channel) in enumerate(plan):
        queue(person, TEMPLATE, {"organiser_message_id": message.id},
              now=now + timedelta(minutes=index // THROTTLE_PER_MINUTE), kind=MessageKind.MARKETING,
              key=f"organiser-message:{message.id}:registration:{person.id}", event=event)
    db.session.commit()
    return message, summary


def sent_messages(event_id: int, partner_id: int | None = None) -> list[OrganiserMessage]:
    """The event's organiser messages, newest first; a co-organiser sees the ones it sent to its own people."""
    messages = db.session.scalars(sa.select(OrganiserMessage).where(OrganiserMessage.event_id == event_id)
                                  .order_by(OrganiserMessage.id.desc()))
    return [m for m in messages if partner_id is None or (m.audience or {}).get("partner_id") == partner_id]


@renderer(TEMPLATE)
def render_message(params: dict) -> Rendered:
    registration = registration_of(params)
    message = db.session.get(OrganiserMessage, params.get("organiser_message_id"))
    if message is None:
        raise Gone(f"organiser message {params.get('organiser_message_id')}")
    event = registration.event
    stop = opt_out_url(registration.email or registration.phone or "")
    context = {"registration": registration, "event": event, "message": message, "url": ticket_url(registration),
               "stop_url": stop}
    return Rendered(f"{event.title}: {message.subject}", render_template("broadcasts/email/message.txt", **context),
                    render_template("broadcasts/email/message.html", **context),
                    short=_("%(subject)s: %(body)s (Soạn STOP để từ chối)", subject=message.subject,
                            body=one_line(message.body)),
                    link=ticket_url(registration),
                    zns=zns_data(registration, event.title, message.subject, one_line(message.body)[:100]))
