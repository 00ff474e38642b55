import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation
from ..events.models import Event
from ..extensions import db
from ..models_base import enum_type
from ..timeutil import UTCDateTime, utcnow


class RegistrationMode(enum.Enum):
    OPEN = "open"
    REVIEWED = "reviewed"

    @property
    def label(self):
        return {RegistrationMode.OPEN: _l("Xác nhận ngay khi đăng ký"),
                RegistrationMode.REVIEWED: _l("Ban tổ chức duyệt từng hồ sơ")}[self]


class ParticipantGroup(db.Model):
    """A group reports count people by, configured by the platform admin. The code never changes once
    created: categories and plan targets hold it, and a retired group stays on them."""
    __tablename__ = "participant_groups"

    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    name_vi: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self) -> str:
        """The name in the interface language."""
        return self.name_en if str(get_locale() or "vi").startswith("en") else self.name_vi


class Gender(enum.Enum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"

    @property
    def label(self):
        return {Gender.FEMALE: _l("Nữ"), Gender.MALE: _l("Nam"), Gender.OTHER: _l("Khác")}[self]


class QuestionKind(enum.Enum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"

    @property
    def label(self):
        return {
            QuestionKind.SHORT_TEXT: _l("Câu trả lời ngắn"),
            QuestionKind.LONG_TEXT: _l("Đoạn văn"),
            QuestionKind.SINGLE_CHOICE: _l("Chọn một"),
            QuestionKind.MULTIPLE_CHOICE: _l("Chọn nhiều"),
            QuestionKind.NUMBER: _l("Số"),
            QuestionKind.DATE: _l("Ngày"),
            QuestionKind.YES_NO: _l("Có/Không"),
        }[self]

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class RegistrationStatus(enum.Enum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {
            RegistrationStatus.PENDING: _l("Chờ duyệt"),
            RegistrationStatus.CONFIRMED: _l("Đã xác nhận"),
            RegistrationStatus.WAITLISTED: _l("Danh sách chờ"),
            RegistrationStatus.REJECTED: _l("Không được duyệt"),
            RegistrationStatus.CANCELLED: _l("Đã huỷ"),
        }[self]


ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
ACTIVE_SQL = "status IN ('pending', 'confirmed', 'waitlisted')"


class RegistrationSource(enum.Enum):
    PUBLIC = "public"
    MANUAL = "manual"
    IMPORT = "import"
    WALK_IN = "walk_in"


class ConsentMethod(enum.Enum):
    """How the person's consent to process their data was obtained (Decree 13/2023/NĐ-CP)."""
    ONLINE = "online"              # the person ticked it themselves on the registration form
    DELEGATION_LEADER = "delegation_leader"  # their delegation's leader registered them and vouched for it
    STAFF = "staff"                # staff at the door (a walk-in) or an organiser typing it in
    PAPER = "paper"                # a signed paper form the organisers keep
    IMPORT = "import"              # a file an organiser uploaded

    @property
    def label(self):
        return {
            ConsentMethod.ONLINE: _l("Bạn tự đồng ý khi đăng ký trực tuyến"),
            ConsentMethod.DELEGATION_LEADER: _l("Trưởng đoàn đăng ký thay và xác nhận bạn đã đồng ý"),
            ConsentMethod.STAFF: _l("Cán bộ ban tổ chức ghi nhận sự đồng ý của bạn"),
            ConsentMethod.PAPER: _l("Bạn đồng ý trên phiếu giấy"),
            ConsentMethod.IMPORT: _l("Ban tổ chức nhập từ một tệp danh sách"),
        }[self]


class RegistrationSettings(db.Model):
    """Per-event registration settings. Its row is also the event's registration lock: every change
    to who holds a seat first bumps `lock_version`, which serialises them (row lock on PostgreSQL,
    the write lock on SQLite). The seat counters live in the same row, kept by the seat changes made under
    that lock, so taking a seat reads two numbers instead of counting the event's registrations."""

    __tablename__ = "registration_settings"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[RegistrationMode] = mapped_column(enum_type(RegistrationMode), default=RegistrationMode.OPEN)
    lock_version: Mapped[int] = mapped_column(default=0)
    confirmed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlisted_count: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()


class RegistrationCategory(db.Model):
    __tablename__ = "registration_categories"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "name", name="uq_registration_categories_event_name"),
        sa.CheckConstraint("quota IS NULL OR quota >= 0", name="quota_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    participant_group: Mapped[str] = mapped_column(sa.String(32), sa.ForeignKey("participant_groups.code"))
    quota: Mapped[int | None]
    confirmed_count: Mapped[int] = mapped_column(default=0, server_default="0")  # kept under the event's seat lock
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    # The accepted co-organiser that mobilises this category's people: its organisers see them.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))

    group: Mapped[ParticipantGroup] = relationship(lazy="joined")


class Delegation(db.Model):
    """A group sent by a school, cooperative, commune or union branch, registered by its leader through a
    secret link (no account). Its quota caps its confirmed people; the event's capacity still holds."""
    __tablename__ = "delegations"
    __table_args__ = (sa.CheckConstraint("quota > 0", name="quota_positive"),
                      sa.UniqueConstraint("event_id", "name", name="uq_delegations_event_name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # The organisation that mobilised it: the lead or an accepted co-organiser.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    quota: Mapped[int]
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("registration_categories.id", ondelete="RESTRICT"))
    leader_name: Mapped[str] = mapped_column(sa.String(150))
    leader_phone: Mapped[str | None] = mapped_column(sa.String(20))
    # The leader's link, like a ticket's: a path segment on a private (no-store, no-referrer) page.
    access_key: Mapped[str] = mapped_column(sa.String(48), unique=True)
    pending_rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Bumped by every upload and claimed by a confirmation, so one preview is confirmed at most once.
    lock_version: Mapped[int] = mapped_column(default=0)
    # While a confirmation registers the rows, no other may start (the quota is counted inside it).
    confirming_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    category: Mapped[RegistrationCategory] = relationship()
    organisation: Mapped[Organisation] = relationship()


class Question(db.Model):
    __tablename__ = "registration_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind))
    options: Mapped[list] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class ConsentText(db.Model):
    """A version of the personal-data consent (Decree 13/2023/NĐ-CP); never edited, only superseded."""

    __tablename__ = "consent_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(40), unique=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        sa.Index("uq_registrations_submission_key", "event_id", "submission_key", unique=True),
        sa.Index("uq_registrations_active_email", "event_id", "email_key", unique=True,
                 sqlite_where=sa.text(f"email_key IS NOT NULL AND {ACTIVE_SQL}"),
                 postgresql_where=sa.text(f"email_key IS NOT NULL AND {ACTIVE_SQL}")),
        sa.Index("uq_registrations_active_phone", "event_id", "phone_key", unique=True,
                 sqlite_where=sa.text(f"phone_key IS NOT NULL AND {ACTIVE_SQL}"),
                 postgresql_where=sa.text(f"phone_key IS NOT NULL AND {ACTIVE_SQL}")),
        sa.Index("ix_registrations_event_status", "event_id", "status"),
        sa.CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", name="birth_year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("registration_categories.id", ondelete="RESTRICT"),
                                             index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus))
    source: Mapped[RegistrationSource] = mapped_column(enum_type(RegistrationSource))
    # Two secrets: the ticket code goes into the QR code, the access key into the ticket page's link.
    ticket_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    access_key: Mapped[str] = mapped_column(sa.String(48), unique=True)
    # The client's own random key for one submission: sent again (a retry after a lost answer), it finds this row.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64))
    full_name: Mapped[str] = mapped_column(sa.String(150))
    name_key: Mapped[str] = mapped_column(sa.String(150), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email_key: Mapped[str | None] = mapped_column(sa.String(254))
    phone_key: Mapped[str | None] = mapped_column(sa.String(20))
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    birth_year: Mapped[int | None]
    organisation_name: Mapped[str | None] = mapped_column(sa.String(200))
    province: Mapped[str | None] = mapped_column(sa.String(100))
    sub_unit: Mapped[str | None] = mapped_column(sa.String(150))
    consent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consent_texts.id", ondelete="RESTRICT"))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    import_batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batches.id", ondelete="SET NULL"))
    consent_method: Mapped[ConsentMethod] = mapped_column(enum_type(ConsentMethod), default=ConsentMethod.ONLINE)
    # Who recorded the consent on the person's behalf: a user (staff, importer) or a delegation leader's name.
    consent_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    consent_recorded_by_name: Mapped[str | None] = mapped_column(sa.String(150))
    delegation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegations.id", ondelete="SET NULL"),
                                                      index=True)
    # A scanner's own key for a walk-in registered offline: the upload is applied once however often it comes.
    walk_in_key: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    category: Mapped[RegistrationCategory] = relationship()
    consent: Mapped[ConsentText | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
    import_batch: Mapped["ImportBatch | None"] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="registration", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Answer(db.Model):
    __tablename__ = "registration_answers"
    __table_args__ = (sa.UniqueConstraint("registration_id", "question_id", name="uq_registration_answers_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("registration_questions.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(sa.Text)

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class ImportBatch(db.Model):
    """An uploaded attendee file: parsed rows wait here between preview and confirmation."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    processed: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PersonalDataAction(enum.Enum):
    """What was done with people's personal data (Decree 13), for the platform admins' log."""

    DOWNLOAD = "download"  # a person downloaded their own data from the ticket page
    ERASURE = "erasure"  # a person's data was erased
    EXPORT = "export"  # an organiser exported an attendee list

    @property
    def label(self):
        return {PersonalDataAction.DOWNLOAD: _l("Tải dữ liệu của mình"), PersonalDataAction.ERASURE: _l("Xoá dữ liệu"),
                PersonalDataAction.EXPORT: _l("Xuất danh sách người tham dự")}[self]


class PersonalDataLog(db.Model):
    """Every export and erasure of personal data: who, which event, how many people, when. It names no one."""

    __tablename__ = "personal_data_log"
    __table_args__ = (sa.Index("ix_personal_data_log_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[PersonalDataAction] = mapped_column(enum_type(PersonalDataAction))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    people: Mapped[int] = mapped_column(default=1)
    detail: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
