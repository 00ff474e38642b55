import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...accounts.models import Organisation, User
from ...extensions import db
from ...models_base import enum_type
from ...timeutil import UTCDateTime, utcnow


class RoundPeriod(enum.Enum):
    """The period a report covers: a round's, and the period report's own choice (reports/forms.py)."""
    FIRST_HALF = "first_half"
    SECOND_HALF = "second_half"
    YEAR = "year"
    CUSTOM = "custom"

    @property
    def label(self):
        return {RoundPeriod.FIRST_HALF: _l("6 tháng đầu năm"), RoundPeriod.SECOND_HALF: _l("6 tháng cuối năm"),
                RoundPeriod.YEAR: _l("Cả năm"), RoundPeriod.CUSTOM: _l("Khoảng thời gian khác")}[self]


class SubmissionStatus(enum.Enum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"

    @property
    def label(self):
        return {SubmissionStatus.NOT_STARTED: _l("Chưa thực hiện"), SubmissionStatus.DRAFT: _l("Đang soạn"),
                SubmissionStatus.SUBMITTED: _l("Đã nộp"), SubmissionStatus.RETURNED: _l("Bị trả lại"),
                SubmissionStatus.RESUBMITTED: _l("Đã nộp lại"), SubmissionStatus.ACCEPTED: _l("Đã chấp nhận")}[self]

    @property
    def locked(self) -> bool:
        """Sent and waiting for the parent, or accepted: nobody edits it."""
        return self in (SubmissionStatus.SUBMITTED, SubmissionStatus.RESUBMITTED, SubmissionStatus.ACCEPTED)


class ReportingRound(db.Model):
    """A parent organisation's call for its direct child organisations' figures of a period, by a deadline."""

    __tablename__ = "reporting_rounds"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "starts_on", "ends_on", name="uq_reporting_rounds_period"),
        sa.CheckConstraint("ends_on >= starts_on", name="period_order"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    period: Mapped[RoundPeriod] = mapped_column(enum_type(RoundPeriod))
    year: Mapped[int]
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    # The last local day (Asia/Ho_Chi_Minh) a child may submit on.
    deadline: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str | None] = mapped_column(sa.Text)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    submissions: Mapped[list["RoundSubmission"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundSubmission.id")


class RoundSubmission(db.Model):
    """One child organisation's answer to a round. `figures` holds its period report and manual values as they
    were submitted (frozen); `version` is bumped by every change of status so that two of them never cross."""

    __tablename__ = "round_submissions"
    __table_args__ = (sa.UniqueConstraint("round_id", "organisation_id", name="uq_round_submissions_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("reporting_rounds.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    status: Mapped[SubmissionStatus] = mapped_column(enum_type(SubmissionStatus),
                                                     default=SubmissionStatus.NOT_STARTED)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    return_comment: Mapped[str | None] = mapped_column(sa.Text)
    # Set when the parent returns or reopens it: the child may then save and submit after the deadline.
    late_allowed: Mapped[bool] = mapped_column(default=False)
    figures: Mapped[dict | None] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    round: Mapped[ReportingRound] = relationship(back_populates="submissions")
    organisation: Mapped[Organisation] = relationship()
    values: Mapped[list["SubmissionValue"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="SubmissionValue.id")
    changes: Mapped[list["SubmissionChange"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan",
        order_by="SubmissionChange.changed_at.desc(), SubmissionChange.id.desc()")


class SubmissionValue(db.Model):
    """A manual indicator's figure as the child reports it, with its evidence (a link, a file or both)."""

    __tablename__ = "submission_values"
    __table_args__ = (
        sa.UniqueConstraint("submission_id", "manual_indicator_id", name="uq_submission_values_indicator"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("round_submissions.id", ondelete="CASCADE"))
    manual_indicator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("manual_indicators.id", ondelete="SET NULL"), index=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[int]
    evidence_url: Mapped[str | None] = mapped_column(sa.String(500))
    evidence_file: Mapped[str | None] = mapped_column(sa.String(100))  # under uploads/evidence
    evidence_media_type: Mapped[str | None] = mapped_column(sa.String(40))

    submission: Mapped[RoundSubmission] = relationship(back_populates="values")


class SubmissionChange(db.Model):
    """A change made to a submission after it was first submitted: who, when, which field, old and new value."""

    __tablename__ = "submission_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("round_submissions.id", ondelete="CASCADE"),
                                               index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    field: Mapped[str] = mapped_column(sa.String(250))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)

    submission: Mapped[RoundSubmission] = relationship(back_populates="changes")
    user: Mapped[User | None] = relationship()
