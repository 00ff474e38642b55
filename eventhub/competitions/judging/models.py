"""Rounds and their rubric, the jury with fields and conflicts, assignments and scores with every save logged."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...accounts.models import User
from ...extensions import db
from ...models_base import enum_type
from ...timeutil import UTCDateTime, utcnow
from ..entries.models import CompetitionField, Entry


class RoundStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self):
        return {RoundStatus.DRAFT: _l("Chuẩn bị"), RoundStatus.OPEN: _l("Đang chấm"),
                RoundStatus.CLOSED: _l("Đã đóng")}[self]


class AdvancementRule(enum.Enum):
    TOP_N = "top_n"
    THRESHOLD = "threshold"
    PICK = "pick"

    @property
    def label(self):
        return {AdvancementRule.TOP_N: _l("N bài điểm cao nhất"),
                AdvancementRule.THRESHOLD: _l("Điểm từ ngưỡng trở lên"),
                AdvancementRule.PICK: _l("Ban tổ chức chọn (có lý do)")}[self]


judge_fields = sa.Table(
    "competition_judge_fields", db.metadata,
    sa.Column("judge_id", sa.ForeignKey("competition_judges.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("field_id", sa.ForeignKey("competition_fields.id", ondelete="CASCADE"), primary_key=True, index=True),
)

round_judges = sa.Table(
    "competition_round_judges", db.metadata,
    sa.Column("round_id", sa.ForeignKey("competition_rounds.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("judge_id", sa.ForeignKey("competition_judges.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Judge(db.Model):
    """A member of the competition's jury: an account the organiser invited, chair or member, with fields."""
    __tablename__ = "competition_judges"
    __table_args__ = (sa.UniqueConstraint("competition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()
    fields: Mapped[list[CompetitionField]] = relationship(secondary=judge_fields, order_by=CompetitionField.position)
    conflicts: Mapped[list["JudgeConflict"]] = relationship(cascade="all, delete-orphan")


class JudgeConflict(db.Model):
    """A conflict of interest a judge declared with an entry: they are never assigned to it."""
    __tablename__ = "competition_judge_conflicts"

    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_judges.id", ondelete="CASCADE"),
                                          primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    reason: Mapped[str] = mapped_column(sa.String(300), default="")


class Round(db.Model):
    __tablename__ = "competition_rounds"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "position"),
        sa.CheckConstraint("judges_per_entry >= 1", name="judges_per_entry_positive"),
        sa.CheckConstraint("scale_max >= 1", name="scale_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(sa.String(150))
    status: Mapped[RoundStatus] = mapped_column(enum_type(RoundStatus), default=RoundStatus.DRAFT)
    judges_per_entry: Mapped[int] = mapped_column(default=3)
    scale_max: Mapped[int] = mapped_column(default=10)
    require_comment: Mapped[bool] = mapped_column(default=False)
    rule: Mapped[AdvancementRule] = mapped_column(enum_type(AdvancementRule), default=AdvancementRule.TOP_N)
    advance_count: Mapped[int | None]
    threshold: Mapped[float | None] = mapped_column(sa.Float)
    # What the last assignment run said: entries it could not cover and why, the judges' loads.
    assignment_report: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    advanced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    criteria: Mapped[list["Criterion"]] = relationship(order_by="Criterion.position", cascade="all, delete-orphan")
    judges: Mapped[list[Judge]] = relationship(secondary=round_judges, order_by=Judge.id)


class Criterion(db.Model):
    __tablename__ = "competition_criteria"
    __table_args__ = (sa.CheckConstraint("weight > 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    weight: Mapped[int]


class RoundEntry(db.Model):
    """An entry taking part in a round, and whether it advanced from it (with the organiser's reason for a pick)."""
    __tablename__ = "competition_round_entries"

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    advanced: Mapped[bool | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)

    entry: Mapped[Entry] = relationship()


class Assignment(db.Model):
    """One judge scoring one entry in one round."""
    __tablename__ = "competition_assignments"
    __table_args__ = (sa.UniqueConstraint("round_id", "entry_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_judges.id", ondelete="CASCADE"), index=True)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    entry: Mapped[Entry] = relationship()
    judge: Mapped[Judge] = relationship()
    scores: Mapped[list["Score"]] = relationship(cascade="all, delete-orphan")


class Score(db.Model):
    __tablename__ = "competition_scores"

    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_assignments.id", ondelete="CASCADE"),
                                               primary_key=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_criteria.id", ondelete="CASCADE"),
                                              primary_key=True, index=True)
    value: Mapped[float] = mapped_column(sa.Float)


class ScoreSave(db.Model):
    """Every save of a judge's scores, with the key the phone sent: a retried save is found by its key and
    counts once; the rows are the change log."""
    __tablename__ = "competition_score_saves"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_assignments.id", ondelete="CASCADE"),
                                               index=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(64))
    values: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    previous: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    saved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
