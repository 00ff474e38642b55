import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation
from ..events.models import Event
from ..extensions import db
from ..models_base import enum_type
from ..timeutil import UTCDateTime, utcnow


class CertificateKind(enum.Enum):
    COMPLETION = "completion"  # a training's completers (checkin.completion)
    PARTICIPATION = "participation"  # people who were checked in
    PRIZE = "prize"  # prize winners, from plain holder rows (a competition's results)

    @property
    def label(self):
        return {CertificateKind.COMPLETION: _l("Hoàn thành khoá học"),
                CertificateKind.PARTICIPATION: _l("Tham gia sự kiện"),
                CertificateKind.PRIZE: _l("Đạt giải")}[self]


class CertificateStatus(enum.Enum):
    VALID = "valid"
    REVOKED = "revoked"

    @property
    def label(self):
        return {CertificateStatus.VALID: _l("còn hiệu lực"), CertificateStatus.REVOKED: _l("đã thu hồi")}[self]


class CertificateTemplate(db.Model):
    """The wording and signer of one kind of certificate, for one event or (event_id NULL) as the organisation's
    default for its events."""

    __tablename__ = "certificate_templates"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "kind", name="uq_certificate_templates_event_kind"),
        # NULLs are distinct in a unique constraint, so the one default per kind needs its own partial index.
        sa.Index("uq_certificate_templates_default", "organisation_id", "kind", unique=True,
                 sqlite_where=sa.text("event_id IS NULL"), postgresql_where=sa.text("event_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[CertificateKind] = mapped_column(enum_type(CertificateKind))
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    signer_name: Mapped[str] = mapped_column(sa.String(100))
    signer_title: Mapped[str] = mapped_column(sa.String(150))
    # Completers may take their own completion certificate from the ticket page.
    self_service: Mapped[bool] = mapped_column(default=False)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CertificateSequence(db.Model):
    """The last number an organisation gave a certificate in a year. Issuing bumps it through `locking.lock_row`,
    so two issuers at once wait for each other and never take the same number."""

    __tablename__ = "certificate_sequences"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "year", name="uq_certificate_sequences_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """One issued certificate, with the words, agency and signer it was printed with (a later change of the template
    never changes it), its yearly number and an unguessable verification code. Revoked once, with a reason."""

    __tablename__ = "certificates"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "issued_year", "serial", name="uq_certificates_number"),
        # One certificate of a kind per holder of an event: re-running a batch issues only the missing ones.
        sa.UniqueConstraint("event_id", "kind", "holder_key", name="uq_certificates_holder"),
        sa.CheckConstraint("serial > 0", name="serial_positive"),
        sa.CheckConstraint("(status = 'revoked') = (revoked_at IS NOT NULL AND revocation_reason IS NOT NULL)",
                           name="revocation_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_type(CertificateKind))
    status: Mapped[CertificateStatus] = mapped_column(enum_type(CertificateStatus), default=CertificateStatus.VALID)
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    holder_key: Mapped[str] = mapped_column(sa.String(300))
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="SET NULL"),
                                                        index=True)
    prize_title: Mapped[str | None] = mapped_column(sa.String(120))
    # Where a prize came from (e.g. "competition_entry", 12), without a foreign key to that module's tables.
    source_kind: Mapped[str | None] = mapped_column(sa.String(40))
    source_id: Mapped[int | None]
    serial: Mapped[int]
    issued_year: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(60))
    issued_on: Mapped[date] = mapped_column(sa.Date)
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    agency: Mapped[str] = mapped_column(sa.String(200))
    governing_body: Mapped[str | None] = mapped_column(sa.String(200))
    place: Mapped[str] = mapped_column(sa.String(100))
    signer_name: Mapped[str] = mapped_column(sa.String(100))
    signer_title: Mapped[str] = mapped_column(sa.String(150))
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str | None] = mapped_column(sa.String(500))

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation] = relationship()
