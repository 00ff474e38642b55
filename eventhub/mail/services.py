"""Queue messages in the outbox. Nothing here commits: a message joins the transaction that caused it.
`enqueue` keeps a ready e-mail; `notify` keeps a template and its parameters for every channel the person's
contact and the organisation's policy allow, rendered when it is sent (see `delivery`)."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import URLSafeSerializer
from sqlalchemy.dialects import postgresql, sqlite

from ..contact import normalise_email, normalise_phone
from ..extensions import db
from ..timeutil import utcnow
from .delivery import deliver_due, retry_delay  # noqa: F401  (the outbox's one entry point for callers)
from .models import Channel, ChannelPolicy, MessageKind, NotificationLog, OptOut, OutboxMessage, OutboxStatus
from .rendering import Attachment


def enqueue(recipient: str, subject: str, text_body: str, html_body: str | None = None,
            attachments: list[Attachment] | None = None, reference: str | None = None,
            now: datetime | None = None, event_id: int | None = None,
            organisation_id: int | None = None) -> OutboxMessage:
    """A ready e-mail (shown on the outbox page of `event_id` to its organisers)."""
    message = OutboxMessage(recipient=recipient, subject=subject, text_body=text_body, html_body=html_body,
                            attachments=[a.as_json() for a in attachments or []], reference=reference,
                            params={}, next_attempt_at=now or utcnow(), event_id=event_id,
                            organisation_id=organisation_id)
    db.session.add(message)
    return message


def claim_key(key: str, now: datetime | None = None) -> bool:
    """Write a notice's key to the ledger in the caller's transaction; False when it was written before (a
    concurrent writer of the same key waits for the first and then writes nothing)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return db.session.scalar(dialect.insert(NotificationLog).values(key=key, created_at=now or utcnow())
                             .on_conflict_do_nothing(index_elements=["key"]).returning(NotificationLog.id)) is not None


def enqueue_once(key: str, recipient: str, subject: str, text_body: str, html_body: str | None = None,
                 attachments: list[Attachment] | None = None, now: datetime | None = None) -> OutboxMessage | None:
    """Queue a notice unless one with this key was ever queued. Returns None when it had already gone out."""
    now = now or utcnow()
    if not claim_key(key, now):
        return None
    return enqueue(recipient, subject, text_body, html_body, attachments=attachments, reference=key, now=now)


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    phone: str | None = None

    def keys(self) -> list[str]:
        return [k for k in (normalise_email(self.email) if self.email else None,
                            normalise_phone(self.phone) if self.phone else None) if k]


@dataclass(frozen=True)
class DefaultPolicy:
    """What an organisation without a ChannelPolicy row gets (a plain value: no mapper at import time)."""

    use_email: bool = True
    use_sms: bool = True
    use_zns: bool = False
    sms_unicode: bool = False
    paid_budget_per_event: int = 1000


DEFAULT_POLICY = DefaultPolicy()


def policy_for(organisation_id: int | None) -> ChannelPolicy | DefaultPolicy:
    return (db.session.get(ChannelPolicy, organisation_id) if organisation_id else None) or DEFAULT_POLICY


def channels_for(contact: Contact, policy: ChannelPolicy | DefaultPolicy) -> list[tuple[Channel, str]]:
    """E-mail where the person gave one; otherwise their phone, by ZNS first where the organisation uses it
    (undeliverable ZNS falls back to SMS when sent) or else SMS."""
    routes = []
    if contact.email and policy.use_email:
        routes.append((Channel.EMAIL, contact.email.strip()))
    phone = normalise_phone(contact.phone) if contact.phone else None
    if phone and not routes:
        if policy.use_zns:
            routes.append((Channel.ZNS, phone))
        elif policy.use_sms:
            routes.append((Channel.SMS, phone))
    return routes


def notify(contact: Contact, template: str, params: dict, *, organisation_id: int | None,
           event_id: int | None = None, key: str | None = None, kind: MessageKind = MessageKind.SERVICE,
           now: datetime | None = None) -> list[OutboxMessage]:
    """Queue a templated notice to one person on their channels; with a `key`, at most once ever. Cheap: one
    policy read (cached in the session) and one INSERT per channel, nothing rendered."""
    now = now or utcnow()
    routes = channels_for(contact, policy_for(organisation_id))
    if not routes or (key and not claim_key(key, now)):
        return []
    if kind == MessageKind.MARKETING and is_opted_out(contact):
        return []
    messages = [OutboxMessage(channel=channel, recipient=recipient, subject="", text_body="", template=template,
                              params=params, kind=kind, event_id=event_id, organisation_id=organisation_id,
                              reference=key, attachments=[], next_attempt_at=now)
                for channel, recipient in routes]
    db.session.add_all(messages)
    return messages


# People's choice ------------------------------------------------------------------------------

def is_opted_out(contact: Contact) -> bool:
    keys = contact.keys()
    return bool(keys) and db.session.scalar(sa.select(sa.func.count()).select_from(OptOut)
                                            .where(OptOut.contact.in_(keys))) > 0


def opted_out_contacts(keys: list[str]) -> set[str]:
    return set(db.session.scalars(sa.select(OptOut.contact).where(OptOut.contact.in_(keys)))) if keys else set()


def opt_out_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="opt-out")


def opt_out_url(contact: str) -> str:
    """The personal link that stops organiser messages to this e-mail address or phone number."""
    key = normalise_phone(contact) or normalise_email(contact)
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/messages/stop/{opt_out_signer().dumps(key)}"


def opt_out(contact_key: str, via: str, now: datetime | None = None) -> None:
    """Stop marketing-type messages to this contact on every channel (idempotent); commits."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(OptOut).values(contact=contact_key, via=via, created_at=now or utcnow())
                       .on_conflict_do_nothing(index_elements=["contact"]))
    # Marketing messages still waiting to this contact are withdrawn too.
    db.session.execute(sa.update(OutboxMessage).where(
        OutboxMessage.kind == MessageKind.MARKETING, OutboxMessage.status == OutboxStatus.PENDING,
        sa.func.lower(OutboxMessage.recipient) == contact_key)
        .values(status=OutboxStatus.FAILED, last_error="opted out"))
    db.session.commit()


# Reading and requeueing -----------------------------------------------------------------------

def outbox_query(*, event_id: int | None = None, status: OutboxStatus | None = None,
                 channel: Channel | None = None, recipient: str | None = None) -> sa.Select:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    if channel is not None:
        query = query.where(OutboxMessage.channel == channel)
    if recipient:
        wanted = recipient.strip()
        phone = normalise_phone(wanted)
        wanted_keys = [normalise_email(wanted)] + ([phone] if phone else [])
        query = query.where(sa.func.lower(OutboxMessage.recipient).in_(wanted_keys))
    return query


def recent_messages(limit: int = 100) -> list[OutboxMessage]:
    return list(db.session.scalars(outbox_query().limit(limit)))


def status_counts(event_id: int | None = None) -> dict[OutboxStatus, int]:
    query = sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    return dict(db.session.execute(query).all())


def requeue(message_ids: list[int], *, event_id: int | None = None, now: datetime | None = None) -> int:
    """Give failed messages a fresh retry window (within one event when `event_id` is given); commits."""
    now = now or utcnow()
    query = sa.update(OutboxMessage).where(OutboxMessage.id.in_(message_ids),
                                           OutboxMessage.status == OutboxStatus.FAILED,
                                           sa.or_(OutboxMessage.last_error.is_(None),
                                                  OutboxMessage.last_error != "opted out"))
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    count = db.session.execute(query.values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now,
                                            requeued_at=now)).rowcount
    db.session.commit()
    return count


def failed_ids(event_id: int | None = None) -> list[int]:
    query = sa.select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.FAILED)
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    return list(db.session.scalars(query))


def _to_person(recipients: tuple[str | None, ...], reference_prefix: str, secrets: tuple[str, ...],
               registration_id: int | None = None):
    """The messages of one person: to one of their addresses (e-mail, phone), with their reference, about their
    registration (a template's parameters), or holding one of their secrets."""
    matches = [OutboxMessage.reference.startswith(reference_prefix, autoescape=True)]
    addresses = [r.strip().lower() for r in recipients if r and r.strip()]
    if addresses:
        matches.append(sa.func.lower(OutboxMessage.recipient).in_(addresses))
    if registration_id is not None:
        matches.append(OutboxMessage.params["registration_id"].as_integer() == registration_id)
    for secret in secrets:
        matches += [column.contains(secret, autoescape=True)
                    for column in (OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body)]
    return sa.or_(*matches)


def messages_to(recipients: tuple[str | None, ...], reference_prefix: str, secrets: tuple[str, ...] = (),
                registration_id: int | None = None) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(
        _to_person(recipients, reference_prefix, secrets, registration_id)).order_by(OutboxMessage.id)))


def scrub_messages(*, recipients: tuple[str | None, ...], reference_prefix: str, secrets: tuple[str, ...] = (),
                   registration_id: int | None = None) -> int:
    """Erase a person from the outbox (Decree 13): every message to their address, with their reference, or holding
    one of their secrets (ticket code, ticket link) keeps only that it existed; one not yet sent never will be."""
    erased = db.session.execute(sa.update(OutboxMessage).where(
        _to_person(recipients, reference_prefix, secrets, registration_id)).values(
        recipient="", subject="", text_body="", html_body=None, attachments=[], reference=None, template=None,
        params={},
        status=sa.case((OutboxMessage.status == OutboxStatus.PENDING,
                        sa.literal(OutboxStatus.FAILED, OutboxMessage.status.type)), else_=OutboxMessage.status),
        last_error=sa.case((OutboxMessage.status == OutboxStatus.PENDING, "erased"), else_=None)),
        execution_options={"synchronize_session": False})
    return erased.rowcount
