"""A competition (one per event of type competition), its fields and questions, and the teams' entries."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...events.models import Event
from ...extensions import db
from ...models_base import enum_type
from ...timeutil import UTCDateTime, utcnow


class Competition(db.Model):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    entry_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    max_team_size: Mapped[int] = mapped_column(default=5)
    rules_md: Mapped[str] = mapped_column(sa.Text, default="")
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    fields: Mapped[list["CompetitionField"]] = relationship(order_by="CompetitionField.position",
                                                            cascade="all, delete-orphan")
    questions: Mapped[list["EntryQuestion"]] = relationship(order_by="EntryQuestion.position",
                                                            cascade="all, delete-orphan")


class CompetitionField(db.Model):
    """A field entries compete in and judges know (agriculture, technology, social impact…)."""
    __tablename__ = "competition_fields"
    __table_args__ = (sa.UniqueConstraint("competition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)


class EntryQuestion(db.Model):
    __tablename__ = "competition_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(300))
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class StartupProject(db.Model):
    """A startup project, kept across years and competitions: a team enters again with its code, and later
    support, mentoring and booth applications can point to it."""
    __tablename__ = "startup_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EntryStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    DISQUALIFIED = "disqualified"

    @property
    def label(self):
        return {EntryStatus.DRAFT: _l("Bản nháp"), EntryStatus.SUBMITTED: _l("Đã nộp"),
                EntryStatus.WITHDRAWN: _l("Đã rút"), EntryStatus.DISQUALIFIED: _l("Bị loại")}[self]


class Entry(db.Model):
    __tablename__ = "competition_entries"
    __table_args__ = (
        sa.CheckConstraint("status != 'disqualified' OR disqualified_reason IS NOT NULL",
                           name="disqualified_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("startup_projects.id", ondelete="RESTRICT"), index=True)
    field_id: Mapped[int | None] = mapped_column(sa.ForeignKey("competition_fields.id", ondelete="SET NULL"))
    team_name: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[EntryStatus] = mapped_column(enum_type(EntryStatus), default=EntryStatus.DRAFT)
    disqualified_reason: Mapped[str | None] = mapped_column(sa.Text)
    # SHA-256 of the team's secret link; the link itself is shown once and mailed, never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    competition: Mapped[Competition] = relationship()
    project: Mapped[StartupProject] = relationship()
    field: Mapped[CompetitionField | None] = relationship()
    members: Mapped[list["EntryMember"]] = relationship(order_by="EntryMember.position",
                                                        cascade="all, delete-orphan")
    answers: Mapped[list["EntryAnswer"]] = relationship(cascade="all, delete-orphan")
    files: Mapped[list["EntryFile"]] = relationship(order_by="EntryFile.id", cascade="all, delete-orphan")

    @property
    def member_names(self) -> list[str]:
        return [m.full_name for m in self.members]


class MemberGender(enum.Enum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"

    @property
    def label(self):
        return {MemberGender.FEMALE: _l("Nữ"), MemberGender.MALE: _l("Nam"), MemberGender.OTHER: _l("Khác")}[self]


class EntryMember(db.Model):
    __tablename__ = "competition_entry_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    full_name: Mapped[str] = mapped_column(sa.String(150))
    phone: Mapped[str] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    group_code: Mapped[str | None] = mapped_column(sa.ForeignKey("participant_groups.code", ondelete="RESTRICT"))
    gender: Mapped[MemberGender] = mapped_column(enum_type(MemberGender))
    consent_version: Mapped[str] = mapped_column(sa.String(32))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EntryAnswer(db.Model):
    __tablename__ = "competition_entry_answers"

    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"),
                                          primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_questions.id", ondelete="CASCADE"),
                                             primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text, default="")


class EntryFile(db.Model):
    __tablename__ = "competition_entry_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(200))
    stored_name: Mapped[str] = mapped_column(sa.String(100))
    media_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
