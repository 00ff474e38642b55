import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation
from ..events.models import Event, EventLevel, EventType
from ..extensions import db
from ..models_base import enum_type
from ..registration.models import ParticipantGroup, Registration
from ..timeutil import UTCDateTime, utcnow


class Indicator(enum.Enum):
    """What a plan target counts; each has one SQL aggregate in `indicators.py`."""

    EVENTS = "events"
    TRAINEES = "trainees"
    PARTICIPANTS = "participants"
    ATTENDEES = "attendees"
    UNIQUE_PARTICIPANTS = "unique_participants"
    COMPETITION_ENTRIES = "competition_entries"
    SUPPORTED_PROJECTS = "supported_projects"
    EXHIBITORS = "exhibitors"
    OCOP_PRODUCTS = "ocop_products"
    CERTIFICATES_ISSUED = "certificates_issued"
    PRIZES_AWARDED = "prizes_awarded"

    @property
    def label(self):
        return {
            Indicator.EVENTS: _l("Số sự kiện tổ chức"),
            Indicator.TRAINEES: _l("Số học viên được tập huấn"),
            Indicator.PARTICIPANTS: _l("Số lượt người tham gia (đăng ký đã xác nhận)"),
            Indicator.ATTENDEES: _l("Số lượt người có mặt (đã check-in)"),
            Indicator.UNIQUE_PARTICIPANTS: _l("Số người tham gia (không trùng lặp)"),
            Indicator.COMPETITION_ENTRIES: _l("Số dự án dự thi"),
            Indicator.SUPPORTED_PROJECTS: _l("Số dự án khởi nghiệp được hỗ trợ"),
            Indicator.EXHIBITORS: _l("Số đơn vị trưng bày"),
            Indicator.OCOP_PRODUCTS: _l("Số sản phẩm OCOP trưng bày"),
            Indicator.CERTIFICATES_ISSUED: _l("Số giấy chứng nhận đã cấp"),
            Indicator.PRIZES_AWARDED: _l("Số giải thưởng cuộc thi đã trao"),
        }[self]

    @property
    def unit(self):
        return {
            Indicator.EVENTS: _l("sự kiện"),
            Indicator.TRAINEES: _l("người"),
            Indicator.PARTICIPANTS: _l("lượt"),
            Indicator.ATTENDEES: _l("lượt"),
            Indicator.UNIQUE_PARTICIPANTS: _l("người"),
            Indicator.COMPETITION_ENTRIES: _l("dự án"),
            Indicator.SUPPORTED_PROJECTS: _l("dự án"),
            Indicator.EXHIBITORS: _l("đơn vị"),
            Indicator.OCOP_PRODUCTS: _l("sản phẩm"),
            Indicator.CERTIFICATES_ISSUED: _l("giấy"),
            Indicator.PRIZES_AWARDED: _l("giải"),
        }[self]


class TraineeBasis(enum.Enum):
    """Who a trainees target counts: those who completed the training (its rule), or everyone who checked in."""

    COMPLETERS = "completers"
    ATTENDEES = "attendees"

    @property
    def label(self):
        return {TraineeBasis.COMPLETERS: _l("Người hoàn thành khoá học"),
                TraineeBasis.ATTENDEES: _l("Người có mặt (đã check-in)")}[self]


class SupportKind(enum.Enum):
    STARTUP_PROJECT = "startup_project"
    EXHIBITOR = "exhibitor"

    @property
    def label(self):
        return {SupportKind.STARTUP_PROJECT: _l("Dự án khởi nghiệp"),
                SupportKind.EXHIBITOR: _l("Đơn vị trưng bày")}[self]


class TaskStatus(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"

    @property
    def label(self):
        return {TaskStatus.NOT_STARTED: _l("Chưa thực hiện"), TaskStatus.IN_PROGRESS: _l("Đang thực hiện"),
                TaskStatus.DONE: _l("Hoàn thành"), TaskStatus.POSTPONED: _l("Hoãn")}[self]


class SnapshotKind(enum.Enum):
    MONTHLY = "monthly"
    YEAR_END = "year_end"

    @property
    def label(self):
        return {SnapshotKind.MONTHLY: _l("Hằng tháng"), SnapshotKind.YEAR_END: _l("Cuối năm")}[self]


# Free labels an organiser puts on events ("khởi nghiệp xanh", "nông nghiệp") so that a target can count them.
event_tags = sa.Table(
    "event_tags",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag", sa.String(60), primary_key=True, index=True),
)


# The report's pass over confirmed registrations reads only this index (event, status, category, contact keys),
# never the wide table rows, in an order that groups by event and category without sorting.
sa.Index("ix_registrations_report", Registration.event_id, Registration.status, Registration.category_id,
         Registration.phone_key, Registration.email_key)


class Plan(db.Model):
    """An organisation's yearly plan (kế hoạch năm) with its countable targets (chỉ tiêu)."""

    __tablename__ = "plans"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "year", name="uq_plans_organisation_year"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    document_no: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    targets: Mapped[list["PlanTarget"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                       order_by="PlanTarget.position, PlanTarget.id")
    tasks: Mapped[list["PlanTask"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                   order_by="PlanTask.due_on, PlanTask.id")
    manual_indicators: Mapped[list["ManualIndicator"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="ManualIndicator.id")


class PlanTarget(db.Model):
    """One countable target: which indicator, how many, and which events count toward it (every event of the
    organisations when the type, level and tag lists are empty)."""

    __tablename__ = "plan_targets"
    __table_args__ = (
        sa.CheckConstraint("target_value >= 0", name="target_not_negative"),
        sa.CheckConstraint("(indicator = 'trainees' AND trainee_basis IS NOT NULL) "
                           "OR (indicator <> 'trainees' AND trainee_basis IS NULL)", name="basis_for_trainees"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[Indicator] = mapped_column(enum_type(Indicator))
    label: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(40))
    target_value: Mapped[int]
    participant_group: Mapped[str | None] = mapped_column(sa.String(32), sa.ForeignKey("participant_groups.code"))
    # Trainees targets only (never registrations): completers, or attendees.
    trainee_basis: Mapped[TraineeBasis | None] = mapped_column(enum_type(TraineeBasis))
    event_types: Mapped[list] = mapped_column(sa.JSON, default=list)
    levels: Mapped[list] = mapped_column(sa.JSON, default=list)
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    group: Mapped[ParticipantGroup | None] = relationship()

    plan: Mapped[Plan] = relationship(back_populates="targets")

    @property
    def scope_labels(self) -> list[str]:
        """Which events count, as people read it ("Ngày hội khởi nghiệp", "Cấp xã/huyện"), never the stored codes."""
        def label(kind, code):
            try:
                return str(kind(code).label)
            except ValueError:  # a code no longer offered: show it rather than hide it
                return code
        return [label(EventType, c) for c in self.event_types] + [label(EventLevel, c) for c in self.levels] \
            + list(self.tags)


plan_task_organisations = sa.Table(
    "plan_task_organisations",
    db.metadata,
    sa.Column("task_id", sa.ForeignKey("plan_tasks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)

plan_task_events = sa.Table(
    "plan_task_events",
    db.metadata,
    sa.Column("task_id", sa.ForeignKey("plan_tasks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PlanTask(db.Model):
    """A task (nhiệm vụ) of the plan: who leads it, who co-operates, by when (a date, or the end of a quarter of
    the plan's year) and how far it is."""

    __tablename__ = "plan_tasks"
    __table_args__ = (sa.CheckConstraint("due_quarter IS NULL OR due_quarter BETWEEN 1 AND 4", name="quarter_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    lead_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"),
                                                      index=True)
    outside_agencies: Mapped[str | None] = mapped_column(sa.String(500))
    due_on: Mapped[date] = mapped_column(sa.Date)
    # Set when the plan gives a quarter ("Quý II"): due_on is then the quarter's last day.
    due_quarter: Mapped[int | None]
    status: Mapped[TaskStatus] = mapped_column(enum_type(TaskStatus), default=TaskStatus.NOT_STARTED)
    note: Mapped[str | None] = mapped_column(sa.Text)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    lead_organisation: Mapped[Organisation] = relationship()
    co_organisations: Mapped[list[Organisation]] = relationship(secondary=plan_task_organisations,
                                                                order_by=Organisation.name)
    events: Mapped[list[Event]] = relationship(secondary=plan_task_events, order_by=Event.starts_at)


class ManualIndicator(db.Model):
    """A figure no event produces ("Số tin bài tuyên truyền"), summed from entries typed with their evidence."""

    __tablename__ = "manual_indicators"
    __table_args__ = (sa.CheckConstraint("target_value IS NULL OR target_value >= 0", name="target_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(40))
    target_value: Mapped[int | None]

    plan: Mapped[Plan] = relationship(back_populates="manual_indicators")
    entries: Mapped[list["IndicatorEntry"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan",
        order_by="IndicatorEntry.entry_on.desc(), IndicatorEntry.id.desc()")


class IndicatorEntry(db.Model):
    """One figure of a manual indicator on a date, with the link that proves it."""

    __tablename__ = "indicator_entries"
    __table_args__ = (sa.CheckConstraint("value >= 0", name="value_not_negative"),
                      sa.CheckConstraint("evidence_url IS NOT NULL OR evidence_file IS NOT NULL",
                                         name="evidence_given"))

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("manual_indicators.id", ondelete="CASCADE"), index=True)
    entry_on: Mapped[date] = mapped_column(sa.Date)
    value: Mapped[int]
    evidence_url: Mapped[str | None] = mapped_column(sa.String(500))
    # A PDF or image in the uploads folder ("evidence/"), served only to the plan organisation's organisers.
    evidence_file: Mapped[str | None] = mapped_column(sa.String(100))
    evidence_media_type: Mapped[str | None] = mapped_column(sa.String(40))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    indicator: Mapped[ManualIndicator] = relationship(back_populates="entries")


class SupportedProject(db.Model):
    """A startup project or exhibitor an organisation marked as supported (counted by `supported_on`)."""

    __tablename__ = "supported_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SupportKind] = mapped_column(enum_type(SupportKind))
    name: Mapped[str] = mapped_column(sa.String(200))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    supported_on: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event | None] = relationship()


class ReportSnapshot(db.Model):
    """A period report of one organisation (and its tree) frozen as JSON, so a signed report reads the same later."""

    __tablename__ = "report_snapshots"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "kind", "starts_on", "ends_on", name="uq_report_snapshots_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[SnapshotKind] = mapped_column(enum_type(SnapshotKind))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    payload: Mapped[dict] = mapped_column(sa.JSON)

    organisation: Mapped[Organisation] = relationship()
