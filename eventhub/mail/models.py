import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import enum_type
from ..timeutil import UTCDateTime, utcnow


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Channel(enum.Enum):
    EMAIL = "email"
    SMS = "sms"
    ZNS = "zns"


class MessageKind(enum.Enum):
    SERVICE = "service"  # about the person's own ticket: always delivered
    MARKETING = "marketing"  # organiser messages: the person may stop them


def new_idempotency_key() -> str:
    return secrets.token_hex(16)


class OutboxMessage(db.Model):
    """One message on one channel. Templated messages (`template` set) keep only their parameters and are
    rendered when sent; `idempotency_key` is the same for every attempt (the e-mail's Message-ID, the SMS's
    and the ZNS's tracking id), so a retry after a crash is recognisable as the same message."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), default=Channel.EMAIL, server_default="email")
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    # [{"filename", "content_type", "data" (base64), "content_id" (inline parts only)}]
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    template: Mapped[str | None] = mapped_column(sa.String(60))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    kind: Mapped[MessageKind] = mapped_column(enum_type(MessageKind), default=MessageKind.SERVICE,
                                              server_default="service")
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    idempotency_key: Mapped[str] = mapped_column(sa.String(100), unique=True, default=new_idempotency_key)
    reference: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_type(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    routed_from: Mapped[str | None] = mapped_column(sa.String(10))  # "zns" when ZNS could not deliver it
    provider_id: Mapped[str | None] = mapped_column(sa.String(100))
    parts: Mapped[int | None]  # SMS parts billed
    delivery_status: Mapped[str | None] = mapped_column(sa.String(30))  # from the provider's delivery report
    delivery_report: Mapped[dict | None] = mapped_column(sa.JSON)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    requeued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the retry window starts again
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationLog(db.Model):
    """One row per notice that must go out at most once (a reminder, a schedule change): its key is
    written in the same transaction as the queued e-mail, so a rerun or a concurrent run finds it."""

    __tablename__ = "notification_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChannelPolicy(db.Model):
    """An organisation's choice of channels; without a row: e-mail and SMS, unaccented SMS, no ZNS."""

    __tablename__ = "channel_policies"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    use_email: Mapped[bool] = mapped_column(default=True)
    use_sms: Mapped[bool] = mapped_column(default=True)
    use_zns: Mapped[bool] = mapped_column(default=False)
    sms_unicode: Mapped[bool] = mapped_column(default=False)  # UCS-2 with diacritics instead of GSM-7
    paid_budget_per_event: Mapped[int] = mapped_column(default=1000)  # SMS/ZNS from organiser messages


class OptOut(db.Model):
    """A contact (normalised e-mail or phone) that stopped marketing-type messages on every channel."""

    __tablename__ = "message_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact: Mapped[str] = mapped_column(sa.String(254), unique=True)
    via: Mapped[str] = mapped_column(sa.String(20))  # link, sms
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProviderToken(db.Model):
    """OAuth tokens of a provider (Zalo's refresh token is single-use: each refresh stores the new pair)."""

    __tablename__ = "provider_tokens"

    provider: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    access_token: Mapped[str] = mapped_column(sa.Text)
    refresh_token: Mapped[str] = mapped_column(sa.Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
