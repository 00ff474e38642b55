"""Deliver what is due, on every configured channel. A run claims due messages in batches (PostgreSQL:
`FOR UPDATE SKIP LOCKED` inside the claiming UPDATE; SQLite: the same single UPDATE, which SQLite runs under
its one writer lock), so two delivery processes never take the same message; a claim holds a message for
LEASE, after which a crashed run's messages are tried again with the same idempotency key (the same
Message-ID). Failures back off exponentially; a message still failing after RETRY_WINDOW is marked failed,
shown to its event's organisers and to admins with the reason, and the platform admins are alerted."""
import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..timeutil import utcnow
from .models import Channel, ChannelPolicy, OutboxMessage, OutboxStatus
from .rendering import Gone, Rendered, render
from .transport import PermanentFailure, Reroute, Sent, TemporaryFailure

log = logging.getLogger(__name__)

BATCH_SIZE = 100
LEASE = timedelta(minutes=10)
CONTROL = dict.fromkeys(map(ord, "\r\n\x00\u2028\u2029\x0b\x0c\x85"), " ")


def retry_window() -> timedelta:
    return timedelta(hours=current_app.config["OUTBOX_RETRY_HOURS"])


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


# E-mail ---------------------------------------------------------------------------------------

# Python 3.11's header folding drops the space between two encoded words ("khởi nghiệpĐắk Lắk"),
# so Vietnamese subjects are written unfolded.
_UNFOLDED = email_policy.SMTP.clone(max_line_length=998)


def header_text(value: str) -> str:
    """Line breaks, separators and NUL never reach a header: they become spaces."""
    return " ".join((value or "").translate(CONTROL).split())


def message_id(message: OutboxMessage, sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1].strip(">").strip() or "eventhub.local"
    return f"<{message.idempotency_key}@{domain}>"


def build_email(message: OutboxMessage, sender: str, rendered: Rendered | None = None) -> EmailMessage:
    rendered = rendered or render(message)
    email = EmailMessage(policy=_UNFOLDED)
    email["From"] = sender
    email["To"] = header_text(message.recipient)
    email["Subject"] = header_text(rendered.subject)
    email["Message-ID"] = message_id(message, sender)
    email.set_content(rendered.text)
    inline = [a for a in rendered.attachments if a.inline_id]
    files = [a for a in rendered.attachments if not a.inline_id]
    if rendered.html:
        email.add_alternative(rendered.html, subtype="html")
        html_part = email.get_payload()[-1]
        for item in inline:
            maintype, subtype = item.content_type.split("/", 1)
            html_part.add_related(item.data, maintype=maintype, subtype=subtype, cid=f"<{item.inline_id}>",
                                  filename=item.filename)
    for item in files:
        content_type, *options = [p.strip() for p in item.content_type.split(";")]
        maintype, subtype = content_type.split("/", 1)
        params = dict(o.split("=", 1) for o in options if "=" in o)
        if maintype == "text":
            email.add_attachment(item.data.decode("utf-8"), subtype=subtype, charset="utf-8",
                                 filename=item.filename, params={k: v for k, v in params.items() if k != "charset"})
        else:
            email.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    return email


class EmailTransport:
    """One SMTP connection for the run, opened at the first message; a refused connection fails the rest of
    the run's e-mails at once instead of retrying the connection for each."""

    def __init__(self, config):
        self.config, self.connection, self.broken = config, None, None

    def _connect(self):
        config = self.config
        if config["MAIL_USE_SSL"]:
            connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
            if config["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return connection

    def send(self, message, rendered, **_options) -> Sent:
        if self.broken:
            raise TemporaryFailure(self.broken)
        try:
            if self.connection is None:
                self.connection = self._connect()
            email = build_email(message, self.config["MAIL_DEFAULT_SENDER"], rendered)
            self.connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"smtp: {error}") from error
        except (OSError, smtplib.SMTPException) as error:
            if self.connection is None:
                self.broken = f"connect: {error}"
            self.close()
            raise TemporaryFailure(f"smtp: {error}") from error
        return Sent(provider_id=email["Message-ID"])

    def close(self):
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
        self.connection = None


def transports(config) -> dict[Channel, object]:
    """The channels configured here; messages of the others wait (readable on the outbox page)."""
    from .sms import KannelTransport
    from .zalo import ZnsTransport

    found = {}
    if config["MAIL_SERVER"]:
        found[Channel.EMAIL] = EmailTransport(config)
    if config["KANNEL_SENDSMS_URL"]:
        found[Channel.SMS] = KannelTransport(config)
    if config["ZNS_API_URL"]:
        found[Channel.ZNS] = ZnsTransport(config)
    return found


# The run --------------------------------------------------------------------------------------

def claim(now: datetime, channels: list[Channel], limit: int) -> list[int]:
    """Take up to `limit` due messages for this run in one statement and commit the claim."""
    due = (sa.select(OutboxMessage.id)
           .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now,
                  OutboxMessage.channel.in_(channels))
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
           .with_for_update(skip_locked=True))
    ids = list(db.session.scalars(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(due), OutboxMessage.status == OutboxStatus.PENDING,
               OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id).execution_options(synchronize_session=False)))
    db.session.commit()
    return sorted(ids)


def deliver_due(now: datetime | None = None, batch_size: int = BATCH_SIZE,
                send_hook=None) -> dict[str, int]:
    """Send everything due, batch after batch, until nothing due is left. `send_hook(message)` runs after a
    provider accepted a message and before it is recorded (tests crash there)."""
    now = now or utcnow()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    available = transports(current_app.config)
    if not available:
        return counts
    abandoned: set[Channel] = set()
    try:
        while ids := claim(now, list(available), batch_size):
            for message_id in ids:
                message = db.session.get(OutboxMessage, message_id)
                outcome = _deliver(message, available, now, send_hook)
                counts["failed" if outcome == "abandoned" else outcome] += 1
                if outcome == "abandoned":
                    abandoned.add(message.channel)
                db.session.commit()
    finally:
        for transport in available.values():
            getattr(transport, "close", lambda: None)()
    if abandoned:
        from .alerts import alert_admins

        alert_admins(sorted(c.value for c in abandoned), now)
    return counts


def _deliver(message: OutboxMessage, available: dict, now: datetime, send_hook) -> str:
    try:
        rendered = render(message)
    except Gone as error:
        message.status, message.last_error = OutboxStatus.FAILED, f"gone: {error}"[:2000]
        return "failed"
    except Exception as error:  # a broken template must not stop the run: retried, then failed visibly
        log.exception("outbox: message %s cannot be rendered", message.id)
        return "abandoned" if _record_failure(message, now, f"render: {error!r}") else "failed"
    policy = db.session.get(ChannelPolicy, message.organisation_id) if message.organisation_id else None
    options = {"unicode": bool(policy and policy.sms_unicode)}
    try:
        try:
            sent = available[message.channel].send(message, rendered, **options)
        except Reroute as reason:
            # Same message, same tracking id, now by SMS, in this run when SMS is configured here.
            message.channel, message.routed_from, message.last_error = Channel.SMS, "zns", str(reason)[:2000]
            if Channel.SMS not in available:
                message.next_attempt_at = now
                return "skipped"
            sent = available[Channel.SMS].send(message, rendered, **options)
    except TemporaryFailure as error:
        return "abandoned" if _record_failure(message, now, str(error)) else "failed"
    except PermanentFailure as error:
        message.status, message.last_error = OutboxStatus.FAILED, str(error)[:2000]
        return "failed"
    except Exception as error:  # an unexpected transport error is treated as temporary, and logged
        log.exception("outbox: message %s failed on %s", message.id, message.channel.value)
        return "abandoned" if _record_failure(message, now, f"{message.channel.value}: {error!r}") else "failed"
    if send_hook:
        send_hook(message)
    message.status, message.sent_at = OutboxStatus.SENT, now
    message.provider_id, message.parts = (sent.provider_id or None), sent.parts
    if message.routed_from is None:
        message.last_error = None
    return "sent"


def _record_failure(message: OutboxMessage, now: datetime, error: str) -> bool:
    """Retry later with back-off; past the retry window the message is failed (True: the provider is out)."""
    message.last_error = error[:2000]
    started = message.requeued_at or message.created_at
    if now - started >= retry_window():
        message.status = OutboxStatus.FAILED
        return True
    message.next_attempt_at = now + retry_delay(message.attempts)
    return False


def record_report(idempotency_key: str, state: str, report: dict, *, provider_id: str | None = None,
                  now: datetime | None = None) -> bool:
    """A provider's delivery report for the message with this key; commits. False for an unknown key."""
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key))
    if message is None:
        return False
    reports = list((message.delivery_report or {}).get("reports", []))
    reports.append({**report, "state": state})
    message.delivery_report = {"reports": reports}
    if state in ("delivered", "failed", "rejected") or message.delivery_status in (None, "accepted", "buffered"):
        message.delivery_status = state
    if state == "delivered":
        message.delivered_at = now or utcnow()
    if provider_id and (message.provider_id or "").startswith("kannel:"):
        message.provider_id = provider_id[:100]
    db.session.commit()
    return True
