"""Exhibitors, their booth applications, products and documents."""
import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...accounts.models import User
from ...events.models import Event
from ...extensions import db
from ...models_base import enum_type
from ...timeutil import UTCDateTime, utcnow
from ..floorplan.models import BoothType, BoothZone

if TYPE_CHECKING:  # the assignment is allocation's, which builds on the applications
    from ..allocation.models import BoothAssignment


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
