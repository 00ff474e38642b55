"""Floor plans, booths, exhibitors, their applications and the booth assignments of an event."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..events.models import Event
from ..extensions import db
from ..models_base import enum_type
from ..timeutil import UTCDateTime, utcnow


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


class ExhibitorKind(enum.Enum):
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"
    STARTUP = "startup"
    HOUSEHOLD = "household"
    SCHOOL = "school"

    @property
    def label(self):
        return {
            ExhibitorKind.COOPERATIVE: _l("Hợp tác xã"),
            ExhibitorKind.ENTERPRISE: _l("Doanh nghiệp"),
            ExhibitorKind.STARTUP: _l("Dự án, doanh nghiệp khởi nghiệp"),
            ExhibitorKind.HOUSEHOLD: _l("Hộ kinh doanh"),
            ExhibitorKind.SCHOOL: _l("Trường học"),
        }[self]


class ApplicationStatus(enum.Enum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return {
            ApplicationStatus.SUBMITTED: _l("Chờ duyệt"),
            ApplicationStatus.APPROVED: _l("Đã duyệt"),
            ApplicationStatus.REJECTED: _l("Không được duyệt"),
            ApplicationStatus.WAITLISTED: _l("Danh sách chờ"),
            ApplicationStatus.WITHDRAWN: _l("Đã rút"),
        }[self]


class ProductGroup(enum.Enum):
    FOOD = "food"
    BEVERAGE = "beverage"
    HERBAL = "herbal"
    HANDICRAFT = "handicraft"
    TEXTILE = "textile"
    AGRICULTURE = "agriculture"
    TOURISM = "tourism"
    TECHNOLOGY = "technology"
    OTHER = "other"

    @property
    def label(self):
        return {
            ProductGroup.FOOD: _l("Thực phẩm"),
            ProductGroup.BEVERAGE: _l("Đồ uống"),
            ProductGroup.HERBAL: _l("Dược liệu"),
            ProductGroup.HANDICRAFT: _l("Thủ công mỹ nghệ"),
            ProductGroup.TEXTILE: _l("Dệt may"),
            ProductGroup.AGRICULTURE: _l("Nông sản tươi, sơ chế"),
            ProductGroup.TOURISM: _l("Du lịch, dịch vụ"),
            ProductGroup.TECHNOLOGY: _l("Công nghệ"),
            ProductGroup.OTHER: _l("Khác"),
        }[self]


class StartupStage(enum.Enum):
    IDEA = "idea"
    PROTOTYPE = "prototype"
    MVP = "mvp"
    GROWTH = "growth"

    @property
    def label(self):
        return {
            StartupStage.IDEA: _l("Ý tưởng"),
            StartupStage.PROTOTYPE: _l("Mẫu thử"),
            StartupStage.MVP: _l("Sản phẩm khả dụng tối thiểu (MVP)"),
            StartupStage.GROWTH: _l("Tăng trưởng"),
        }[self]


class DocumentType(enum.Enum):
    BUSINESS_REGISTRATION = "business_registration"
    OCOP_CERTIFICATE = "ocop_certificate"
    PRODUCT_PHOTO = "product_photo"
    OTHER = "other"

    @property
    def label(self):
        return {
            DocumentType.BUSINESS_REGISTRATION: _l("Giấy chứng nhận đăng ký kinh doanh"),
            DocumentType.OCOP_CERTIFICATE: _l("Giấy chứng nhận OCOP"),
            DocumentType.PRODUCT_PHOTO: _l("Ảnh sản phẩm"),
            DocumentType.OTHER: _l("Tài liệu khác"),
        }[self]


class AllocationSource(enum.Enum):
    AUTO = "auto"
    MANUAL = "manual"
    SELF = "self"

    @property
    def label(self):
        return {
            AllocationSource.AUTO: _l("Phân bổ tự động"),
            AllocationSource.MANUAL: _l("Ban tổ chức xếp"),
            AllocationSource.SELF: _l("Đơn vị tự chọn"),
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


class Exhibitor(db.Model):
    __tablename__ = "exhibitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_key: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[ExhibitorKind] = mapped_column(enum_type(ExhibitorKind))
    registration_no: Mapped[str | None] = mapped_column(sa.String(30))
    contact_name: Mapped[str] = mapped_column(sa.String(150))
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    province: Mapped[str | None] = mapped_column(sa.String(100))
    sub_unit: Mapped[str | None] = mapped_column(sa.String(150))
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the contact person agreed, at sign-up, to the processing of the data (Decree 13/2023).
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()


_LIVE_APPLICATION_SQL = "status <> 'withdrawn'"


class BoothApplication(db.Model):
    __tablename__ = "booth_applications"
    __table_args__ = (
        sa.Index("uq_booth_applications_live_exhibitor", "event_id", "exhibitor_id", unique=True,
                 sqlite_where=sa.text(_LIVE_APPLICATION_SQL), postgresql_where=sa.text(_LIVE_APPLICATION_SQL)),
        sa.Index("ix_booth_applications_event_status", "event_id", "status"),
        sa.CheckConstraint("booths_requested BETWEEN 1 AND 4", name="booths_requested_range"),
        sa.CheckConstraint("staff_count >= 0", name="staff_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(enum_type(ApplicationStatus),
                                                      default=ApplicationStatus.SUBMITTED)
    booth_type: Mapped[BoothType] = mapped_column(enum_type(BoothType))
    booths_requested: Mapped[int] = mapped_column(default=1)
    preferred_zone_id: Mapped[int | None] = mapped_column(sa.ForeignKey("booth_zones.id", ondelete="SET NULL"))
    near_exhibitor_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    avoid_exhibitor_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    staff_count: Mapped[int] = mapped_column(default=1)
    startup_stage: Mapped[StartupStage | None] = mapped_column(enum_type(StartupStage))
    priority: Mapped[int] = mapped_column(default=0)
    review_reason: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    exhibitor: Mapped[Exhibitor] = relationship()
    preferred_zone: Mapped[BoothZone | None] = relationship()
    products: Mapped[list["ExhibitorProduct"]] = relationship(back_populates="application",
                                                             cascade="all, delete-orphan",
                                                             order_by="ExhibitorProduct.id")
    documents: Mapped[list["ApplicationDocument"]] = relationship(back_populates="application",
                                                                 cascade="all, delete-orphan",
                                                                 order_by="ApplicationDocument.id")
    assignments: Mapped[list["BoothAssignment"]] = relationship(back_populates="application",
                                                               cascade="all, delete-orphan",
                                                               order_by="BoothAssignment.booth_id")


class ExhibitorProduct(db.Model):
    __tablename__ = "exhibitor_products"
    __table_args__ = (
        sa.CheckConstraint("ocop_stars IS NULL OR ocop_stars BETWEEN 3 AND 5", name="ocop_stars_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("booth_applications.id", ondelete="CASCADE"),
                                                index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    product_group: Mapped[ProductGroup] = mapped_column(enum_type(ProductGroup))
    ocop_stars: Mapped[int | None]
    ocop_certificate_no: Mapped[str | None] = mapped_column(sa.String(60))
    ocop_certificate_year: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(sa.Text)
    photo: Mapped[str | None] = mapped_column(sa.String(100))
    search_key: Mapped[str] = mapped_column(sa.String(600), default="")

    application: Mapped[BoothApplication] = relationship(back_populates="products")


class ApplicationDocument(db.Model):
    __tablename__ = "application_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("booth_applications.id", ondelete="CASCADE"),
                                                index=True)
    document_type: Mapped[DocumentType] = mapped_column(enum_type(DocumentType))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[BoothApplication] = relationship(back_populates="documents")


class BoothAssignment(db.Model):
    """Who holds a booth. The unique booth_id is what makes double-booking impossible."""

    __tablename__ = "booth_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(sa.ForeignKey("booths.id", ondelete="CASCADE"), unique=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("booth_applications.id", ondelete="CASCADE"),
                                                index=True)
    source: Mapped[AllocationSource] = mapped_column(enum_type(AllocationSource))
    locked: Mapped[bool] = mapped_column(default=False)
    # Non-null: a self-booking hold not yet confirmed; once past, the booth counts as free.
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    booth: Mapped[Booth] = relationship(back_populates="assignment")
    application: Mapped[BoothApplication] = relationship(back_populates="assignments")


class AllocationRun(db.Model):
    __tablename__ = "allocation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("floor_plans.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rules: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    objective: Mapped[float] = mapped_column(sa.Float, default=0)
    upper_bound: Mapped[float] = mapped_column(sa.Float, default=0)
    gap_percent: Mapped[float] = mapped_column(sa.Float, default=0)
    proven_optimal: Mapped[bool] = mapped_column(default=False)
    seconds: Mapped[float] = mapped_column(sa.Float, default=0)
    assigned: Mapped[int] = mapped_column(default=0)
    unassigned: Mapped[int] = mapped_column(default=0)
    explanations: Mapped[dict] = mapped_column(sa.JSON, default=dict)


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
