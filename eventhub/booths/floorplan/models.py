"""Floor plans of an event: the hall, its zones and booths, and the audit log of every booth change."""
import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...events.models import Event
from ...extensions import db
from ...models_base import enum_type
from ...timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:  # the assignment is allocation's, which builds on the floor plan
    from ..allocation.models import BoothAssignment


class BoothType(enum.Enum):
    OCOP = "ocop"
    STARTUP = "startup"
    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"
    SPONSOR = "sponsor"
    FOOD = "food"

    @property
    def label(self):
        return {
            BoothType.OCOP: _l("Sản phẩm OCOP"),
            BoothType.STARTUP: _l("Khởi nghiệp"),
            BoothType.ENTERPRISE: _l("Doanh nghiệp"),
            BoothType.INSTITUTION: _l("Cơ quan, trường học"),
            BoothType.SPONSOR: _l("Nhà tài trợ"),
            BoothType.FOOD: _l("Ẩm thực"),
        }[self]

class BoothStatus(enum.Enum):
    AVAILABLE = "available"
    HELD = "held"
    ASSIGNED = "assigned"
    BLOCKED = "blocked"

    @property
    def label(self):
        return {
            BoothStatus.AVAILABLE: _l("Còn trống"),
            BoothStatus.HELD: _l("Đang giữ chỗ"),
            BoothStatus.ASSIGNED: _l("Đã phân"),
            BoothStatus.BLOCKED: _l("Khoá, không sử dụng"),
        }[self]

class BookingMode(enum.Enum):
    ALLOCATION = "allocation"
    SELF_BOOKING = "self_booking"

    @property
    def label(self):
        return {
            BookingMode.ALLOCATION: _l("Ban tổ chức phân bổ gian hàng"),
            BookingMode.SELF_BOOKING: _l("Đơn vị tự chọn gian hàng (ai đến trước chọn trước)"),
        }[self]

class FloorPlan(db.Model):
    """The hall of one event. Its row is also the event's booth lock: every change to who holds a booth
    first bumps `version`, which serialises them (row lock on PostgreSQL, the write lock on SQLite)."""

    __tablename__ = "floor_plans"
    __table_args__ = (
        sa.CheckConstraint("hall_width_m > 0 AND hall_depth_m > 0", name="hall_size_positive"),
        sa.CheckConstraint("hold_minutes > 0", name="hold_minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    hall_width_m: Mapped[float] = mapped_column(sa.Float)
    hall_depth_m: Mapped[float] = mapped_column(sa.Float)
    entrance_x_m: Mapped[float] = mapped_column(sa.Float, default=0)
    entrance_y_m: Mapped[float] = mapped_column(sa.Float, default=0)
    booking_mode: Mapped[BookingMode] = mapped_column(enum_type(BookingMode), default=BookingMode.ALLOCATION)
    self_booking_open: Mapped[bool] = mapped_column(default=False)
    hold_minutes: Mapped[int] = mapped_column(default=10)
    setup_instructions_md: Mapped[str] = mapped_column(sa.Text, default="")
    is_published: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    zones: Mapped[list["BoothZone"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                    order_by="BoothZone.name")
    booths: Mapped[list["Booth"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                 order_by="Booth.code")


class BoothZone(db.Model):
    __tablename__ = "booth_zones"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "name", name="uq_booth_zones_plan_name"),
        sa.CheckConstraint("width_m > 0 AND depth_m > 0", name="zone_size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("floor_plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    booth_type: Mapped[BoothType | None] = mapped_column(enum_type(BoothType))
    x_m: Mapped[float] = mapped_column(sa.Float)
    y_m: Mapped[float] = mapped_column(sa.Float)
    width_m: Mapped[float] = mapped_column(sa.Float)
    depth_m: Mapped[float] = mapped_column(sa.Float)
    colour: Mapped[str] = mapped_column(sa.String(7), default="#e8f0fe")

    plan: Mapped[FloorPlan] = relationship(back_populates="zones")


class Booth(db.Model):
    __tablename__ = "booths"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "code", name="uq_booths_plan_code"),
        sa.CheckConstraint("width_m > 0 AND depth_m > 0", name="booth_size_positive"),
        sa.CheckConstraint("price_vnd >= 0", name="price_not_negative"),
        sa.CheckConstraint("premium BETWEEN 0 AND 3", name="premium_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("floor_plans.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int | None] = mapped_column(sa.ForeignKey("booth_zones.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    booth_type: Mapped[BoothType] = mapped_column(enum_type(BoothType))
    x_m: Mapped[float] = mapped_column(sa.Float)
    y_m: Mapped[float] = mapped_column(sa.Float)
    width_m: Mapped[float] = mapped_column(sa.Float)
    depth_m: Mapped[float] = mapped_column(sa.Float)
    price_vnd: Mapped[int] = mapped_column(default=0)
    has_power: Mapped[bool] = mapped_column(default=False)
    has_water: Mapped[bool] = mapped_column(default=False)
    is_corner: Mapped[bool] = mapped_column(default=False)
    status: Mapped[BoothStatus] = mapped_column(enum_type(BoothStatus), default=BoothStatus.AVAILABLE)
    premium: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(sa.String(300))

    plan: Mapped[FloorPlan] = relationship(back_populates="booths")
    zone: Mapped["BoothZone | None"] = relationship()
    assignment: Mapped["BoothAssignment | None"] = relationship(back_populates="booth", uselist=False,
                                                                viewonly=True)

class BoothAuditLog(db.Model):
    __tablename__ = "booth_audit_log"
    __table_args__ = (sa.Index("ix_booth_audit_log_plan_time", "plan_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("floor_plans.id", ondelete="CASCADE"))
    booth_id: Mapped[int | None]
    application_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(sa.String(20))
    detail: Mapped[str] = mapped_column(sa.Text, default="")
    actor_user_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
