import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..events.models import Event
from ..extensions import db
from ..models_base import enum_type
from ..registration.models import Registration, RegistrationCategory
from ..timeutil import UTCDateTime, utcnow


class Direction(enum.Enum):
    ENTRY = "entry"
    EXIT = "exit"
    UNDO = "undo"


class ScanResult(enum.Enum):
    """Stable codes a scanner app can rely on."""

    OK = "ok"
    EXIT_OK = "exit_ok"
    UNDONE = "undone"
    ALREADY_CHECKED_IN = "already_checked_in"
    NOT_CHECKED_IN = "not_checked_in"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"
    PENDING = "pending"
    REJECTED = "rejected"
    WRONG_EVENT = "wrong_event"
    CATEGORY_NOT_ALLOWED = "category_not_allowed"
    OUTSIDE_HOURS = "outside_hours"
    FORGED = "forged"
    INVALID = "invalid"
    UNKNOWN_TICKET = "unknown_ticket"
    SCAN_TOO_OLD = "scan_too_old"

    @property
    def accepted(self) -> bool:
        return self in (ScanResult.OK, ScanResult.EXIT_OK, ScanResult.UNDONE)

    @property
    def label(self):
        return {
            ScanResult.OK: _l("Hợp lệ"),
            ScanResult.EXIT_OK: _l("Đã ghi nhận ra"),
            ScanResult.UNDONE: _l("Đã huỷ check-in"),
            ScanResult.ALREADY_CHECKED_IN: _l("Đã check-in trước đó"),
            ScanResult.NOT_CHECKED_IN: _l("Chưa check-in"),
            ScanResult.CANCELLED: _l("Vé đã huỷ"),
            ScanResult.WAITLISTED: _l("Đang trong danh sách chờ"),
            ScanResult.PENDING: _l("Chưa được duyệt"),
            ScanResult.REJECTED: _l("Không được duyệt"),
            ScanResult.WRONG_EVENT: _l("Vé của sự kiện khác"),
            ScanResult.CATEGORY_NOT_ALLOWED: _l("Đối tượng không được vào điểm này"),
            ScanResult.OUTSIDE_HOURS: _l("Ngoài giờ check-in"),
            ScanResult.FORGED: _l("Vé giả hoặc bị sửa"),
            ScanResult.INVALID: _l("Không phải mã vé"),
            ScanResult.UNKNOWN_TICKET: _l("Không tìm thấy vé"),
            ScanResult.SCAN_TOO_OLD: _l("Lượt quét ngoại tuyến cũ hơn thời hạn của thiết bị"),
        }[self]


check_in_list_categories = sa.Table(
    "check_in_list_categories",
    db.metadata,
    sa.Column("check_in_list_id", sa.ForeignKey("check_in_lists.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category_id", sa.ForeignKey("registration_categories.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class CheckInList(db.Model):
    """A place where tickets are checked: the entrance, or one session's room."""

    __tablename__ = "check_in_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Set for a session's own list (attendance of one agenda session).
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    allow_exit: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    # Empty means every category may pass.
    categories: Mapped[list[RegistrationCategory]] = relationship(secondary=check_in_list_categories)


class Device(db.Model):
    """A phone allowed to scan one list without an account; only the token's digest is stored."""

    __tablename__ = "check_in_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_list_id: Mapped[int] = mapped_column(sa.ForeignKey("check_in_lists.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The interface language of whoever issued it: the API answers the device in it unless the page asks otherwise.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # Set when an accepted co-organiser opened the link: it stops working when that organisation leaves.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    # How far back the device may date a scan made offline (the period it was issued for).
    offline_hours: Mapped[int] = mapped_column(default=48, server_default="48")
    # A volunteer's link stops working by itself (see DEVICE_LIFETIME), revoked or not.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    check_in_list: Mapped[CheckInList] = relationship()


class CheckIn(db.Model):
    """Who is checked in on a list; the unique pair is what makes a ticket count once."""

    __tablename__ = "check_ins"
    __table_args__ = (sa.UniqueConstraint("check_in_list_id", "registration_id", name="uq_check_ins_list_registration"),
                      sa.Index("ix_check_ins_list_time", "check_in_list_id", "checked_in_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_list_id: Mapped[int] = mapped_column(sa.ForeignKey("check_in_lists.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    gate: Mapped[str | None] = mapped_column(sa.String(60))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("check_in_devices.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    exited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Entered afterwards from the signed paper sheet, not scanned: statistics show these apart.
    from_paper: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    registration: Mapped[Registration] = relationship()


class ScanLog(db.Model):
    """Every scan, accepted or not; rows are only ever added."""

    __tablename__ = "scan_logs"
    __table_args__ = (sa.Index("ix_scan_logs_list_time", "check_in_list_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_list_id: Mapped[int] = mapped_column(sa.ForeignKey("check_in_lists.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="SET NULL"))
    direction: Mapped[Direction] = mapped_column(enum_type(Direction))
    result: Mapped[ScanResult] = mapped_column(enum_type(ScanResult))
    code_excerpt: Mapped[str | None] = mapped_column(sa.String(40))
    gate: Mapped[str | None] = mapped_column(sa.String(60))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("check_in_devices.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A scanner's own id for the scan: a repeated upload (offline sync, retry) is recognised, not re-applied.
    nonce: Mapped[str | None] = mapped_column(sa.String(100), unique=True)  # "d<device>:<list>:<nonce>"
    offline: Mapped[bool] = mapped_column(default=False)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CompletionRuleKind(enum.Enum):
    """When a participant completed an event (a training's trainees are those who completed it)."""

    CHECKED_IN = "checked_in"
    SESSIONS = "sessions"
    EVERY_DAY = "every_day"

    @property
    def label(self):
        return {
            CompletionRuleKind.CHECKED_IN: _l("Có check-in ít nhất một lần"),
            CompletionRuleKind.SESSIONS: _l("Có mặt ở tối thiểu một tỉ lệ (%) số phiên có điểm check-in"),
            CompletionRuleKind.EVERY_DAY: _l("Có mặt tất cả các ngày của sự kiện"),
        }[self]


class CompletionRule(db.Model):
    """An event's completion rule; a training without a row has the rule "checked in at least once"."""

    __tablename__ = "completion_rules"
    __table_args__ = (
        sa.CheckConstraint("(kind = 'sessions' AND min_percent BETWEEN 1 AND 100) "
                           "OR (kind <> 'sessions' AND min_percent IS NULL)", name="percent_for_sessions"),
    )

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[CompletionRuleKind] = mapped_column(enum_type(CompletionRuleKind))
    min_percent: Mapped[int | None]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CompletionOverride(db.Model):
    """An organiser's decision that overrides the rule for one person: completed or not, and why."""

    __tablename__ = "completion_overrides"

    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    completed: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CompletionLog(db.Model):
    """Every mark, unmark and return to the rule, with who and when; rows are only ever added."""

    __tablename__ = "completion_log"
    __table_args__ = (sa.Index("ix_completion_log_registration", "registration_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    # True: marked completed, False: marked not completed, None: back to the rule.
    completed: Mapped[bool | None]
    reason: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    registration: Mapped[Registration] = relationship()
    user: Mapped[User | None] = relationship()
