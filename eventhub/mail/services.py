"""Queue and deliver e-mail. `enqueue` never commits: the message joins the caller's transaction."""
import base64
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..timeutil import utcnow
from .models import NotificationLog, OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 8
BATCH_SIZE = 50


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    inline_id: str | None = None  # set for images referenced from the HTML as cid:<inline_id>

    def as_json(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type,
                "data": base64.b64encode(self.data).decode("ascii"), "content_id": self.inline_id}


def enqueue(recipient: str, subject: str, text_body: str, html_body: str | None = None,
            attachments: list[Attachment] | None = None, reference: str | None = None,
            now: datetime | None = None) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, text_body=text_body, html_body=html_body,
                            attachments=[a.as_json() for a in attachments or []], reference=reference,
                            next_attempt_at=now or utcnow())
    db.session.add(message)
    return message


def enqueue_once(key: str, recipient: str, subject: str, text_body: str, html_body: str | None = None,
                 attachments: list[Attachment] | None = None, now: datetime | None = None) -> OutboxMessage | None:
    """Queue a notice unless one with this key was ever queued: the key is inserted first, in the
    caller's transaction, and a concurrent writer of the same key waits for it and then inserts
    nothing. Returns None when the notice had already gone out."""
    now = now or utcnow()
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    claimed = db.session.scalar(dialect.insert(NotificationLog).values(key=key, created_at=now)
                                .on_conflict_do_nothing(index_elements=["key"]).returning(NotificationLog.id))
    if claimed is None:
        return None
    return enqueue(recipient, subject, text_body, html_body, attachments=attachments, reference=key, now=now)


# Python 3.11's header folding drops the space between two encoded words ("khởi nghiệpĐắk Lắk"),
# so Vietnamese subjects are written unfolded.
_UNFOLDED = email_policy.SMTP.clone(max_line_length=998)


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage(policy=_UNFOLDED)
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or "eventhub.local")
    email.set_content(message.text_body)
    inline = [a for a in message.attachments if a.get("content_id")]
    files = [a for a in message.attachments if not a.get("content_id")]
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
        html_part = email.get_payload()[-1]
        for item in inline:
            maintype, subtype = item["content_type"].split("/", 1)
            html_part.add_related(base64.b64decode(item["data"]), maintype=maintype, subtype=subtype,
                                  cid=f"<{item['content_id']}>", filename=item["filename"])
    for item in files:
        maintype, subtype = item["content_type"].split("/", 1)
        email.add_attachment(base64.b64decode(item["data"]), maintype=maintype, subtype=subtype,
                             filename=item["filename"])
    return email


def _smtp_connection():
    config = current_app.config
    timeout = 20
    if config["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
        if config["MAIL_USE_TLS"]:
            connection.starttls(context=ssl.create_default_context())
    if config["MAIL_USERNAME"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return connection


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver_due(now: datetime | None = None) -> dict[str, int]:
    """Send what is due. Safe to run from several processes: each message is claimed by an atomic
    UPDATE before it is sent, so none goes out twice."""
    now = now or utcnow()
    if not current_app.config["MAIL_SERVER"]:
        return {"sent": 0, "failed": 0, "skipped": 0}
    due = list(db.session.scalars(
        sa.select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.PENDING,
                                          OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(BATCH_SIZE)))
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    if not due:
        return counts
    try:
        connection = _smtp_connection()
    except (OSError, smtplib.SMTPException) as error:
        _postpone(due, now, f"connect: {error}")
        counts["failed"] = len(due)
        return counts
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    try:
        for message_id in due:
            claimed = db.session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING,
                       OutboxMessage.next_attempt_at <= now)
                .values(next_attempt_at=now + timedelta(minutes=10), attempts=OutboxMessage.attempts + 1))
            db.session.commit()
            if claimed.rowcount != 1:
                counts["skipped"] += 1
                continue
            message = db.session.get(OutboxMessage, message_id)
            try:
                connection.send_message(build_email(message, sender))
            except (OSError, smtplib.SMTPException) as error:
                _record_failure(message, now, str(error))
                counts["failed"] += 1
            else:
                message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, None
                counts["sent"] += 1
            db.session.commit()
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return counts


def _record_failure(message: OutboxMessage, now: datetime, error: str) -> None:
    message.last_error = error[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)


def _postpone(message_ids: list[int], now: datetime, error: str) -> None:
    for message in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(message_ids))):
        message.attempts += 1
        _record_failure(message, now, error)
    db.session.commit()


def recent_messages(limit: int = 100) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)))


def _to_person(recipient: str | None, reference_prefix: str, secrets: tuple[str, ...]):
    """The messages of one person: to their address, with their reference, or holding one of their secrets."""
    matches = [OutboxMessage.reference.startswith(reference_prefix, autoescape=True)]
    if recipient:
        matches.append(sa.func.lower(OutboxMessage.recipient) == recipient.lower())
    for secret in secrets:
        matches += [column.contains(secret, autoescape=True)
                    for column in (OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body)]
    return sa.or_(*matches)


def messages_to(recipient: str | None, reference_prefix: str, secrets: tuple[str, ...] = ()) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(_to_person(recipient, reference_prefix, secrets))
                                   .order_by(OutboxMessage.id)))


def scrub_messages(*, recipient: str | None, reference_prefix: str, secrets: tuple[str, ...] = ()) -> int:
    """Erase a person from the outbox (Decree 13): every message to their address, with their reference, or holding
    one of their secrets (ticket code, ticket link) keeps only that it existed; one not yet sent never will be."""
    erased = db.session.execute(sa.update(OutboxMessage).where(_to_person(recipient, reference_prefix, secrets)).values(
        recipient="", subject="", text_body="", html_body=None, attachments=[], reference=None,
        status=sa.case((OutboxMessage.status == OutboxStatus.PENDING,
                        sa.literal(OutboxStatus.FAILED, OutboxMessage.status.type)), else_=OutboxMessage.status),
        last_error=sa.case((OutboxMessage.status == OutboxStatus.PENDING, "erased"), else_=None)),
        execution_options={"synchronize_session": False})
    return erased.rowcount
