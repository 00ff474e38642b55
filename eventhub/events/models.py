import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation, User
from ..extensions import db
from ..models_base import enum_type
from ..timeutil import UTCDateTime, utcnow


class EventType(enum.Enum):
    STARTUP_DAY = "startup_day"
    TRAINING = "training"
    COMPETITION = "competition"
    WORKSHOP = "workshop"
    TALK = "talk"
    FAIR = "fair"

    @property
    def label(self):
        return {
            EventType.STARTUP_DAY: _l("Ngày hội khởi nghiệp"),
            EventType.TRAINING: _l("Tập huấn, đào tạo"),
            EventType.COMPETITION: _l("Cuộc thi khởi nghiệp"),
            EventType.WORKSHOP: _l("Hội thảo, diễn đàn"),
            EventType.TALK: _l("Tọa đàm, nói chuyện chuyên đề"),
            EventType.FAIR: _l("Hội chợ, triển lãm"),
        }[self]


class EventLevel(enum.Enum):
    LOCAL = "local"
    PROVINCE = "province"
    REGION = "region"
    NATIONAL = "national"

    @property
    def label(self):
        return {
            EventLevel.LOCAL: _l("Cấp xã/huyện"),
            EventLevel.PROVINCE: _l("Cấp tỉnh"),
            EventLevel.REGION: _l("Cấp vùng"),
            EventLevel.NATIONAL: _l("Cấp quốc gia"),
        }[self]


class EventStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REGISTRATION_CLOSED = "registration_closed"
    FINISHED = "finished"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {
            EventStatus.DRAFT: _l("Bản nháp"),
            EventStatus.PUBLISHED: _l("Đã công bố"),
            EventStatus.REGISTRATION_CLOSED: _l("Đã đóng đăng ký"),
            EventStatus.FINISHED: _l("Đã kết thúc"),
            EventStatus.ARCHIVED: _l("Đã lưu trữ"),
            EventStatus.CANCELLED: _l("Đã huỷ"),
        }[self]

    @property
    def public_label(self):
        """What citizens are told of the status: only what changes their plans (never "published" or "draft")."""
        return {
            EventStatus.REGISTRATION_CLOSED: _l("Đã hết hạn đăng ký"),
            EventStatus.FINISHED: _l("Đã diễn ra"),
            EventStatus.CANCELLED: _l("Đã huỷ"),
        }.get(self)


class Visibility(enum.Enum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"

    @property
    def label(self):
        return {
            Visibility.PUBLIC: _l("Công khai trên cổng thông tin"),
            Visibility.UNLISTED: _l("Chỉ ai có đường dẫn"),
            Visibility.PRIVATE: _l("Nội bộ đơn vị"),
        }[self]


class CoOrganiserStatus(enum.Enum):
    """An organisation named as co-organiser counts only once its admins accepted."""
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return {
            CoOrganiserStatus.INVITED: _l("Đã mời, chờ trả lời"),
            CoOrganiserStatus.ACCEPTED: _l("Đã nhận lời"),
            CoOrganiserStatus.DECLINED: _l("Đã từ chối"),
            CoOrganiserStatus.WITHDRAWN: _l("Đã rút lời mời"),
        }[self]


class CoOrganiser(db.Model):
    """The lead organisation's invitation to another organisation to co-organise an event: one row per pair,
    re-inviting after a refusal or a withdrawal reuses it."""
    __tablename__ = "event_co_organisers"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)
    status: Mapped[CoOrganiserStatus] = mapped_column(enum_type(CoOrganiserStatus), default=CoOrganiserStatus.INVITED)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    event: Mapped["Event"] = relationship(back_populates="co_organiser_invitations")


event_co_organisers = CoOrganiser.__table__
ACCEPTED_CO_ORGANISERS = sa.select(CoOrganiser.event_id, CoOrganiser.organisation_id).where(
    CoOrganiser.status == CoOrganiserStatus.ACCEPTED).subquery("accepted_co_organisers")
"""The only co-organisers that count anywhere (reports, indicators, the event page, access)."""


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL "
            "OR registration_closes_at > registration_opens_at",
            name="registration_window_ordered",
        ),
        sa.Index("ix_events_portal", "status", "visibility", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str | None] = mapped_column(sa.String(300))
    event_type: Mapped[EventType] = mapped_column(enum_type(EventType), index=True)
    level: Mapped[EventLevel] = mapped_column(enum_type(EventLevel))
    status: Mapped[EventStatus] = mapped_column(enum_type(EventStatus), default=EventStatus.DRAFT)
    visibility: Mapped[Visibility] = mapped_column(enum_type(Visibility), default=Visibility.PUBLIC)
    province: Mapped[str] = mapped_column(sa.String(100), index=True)
    sub_unit: Mapped[str | None] = mapped_column(sa.String(150))
    venue_name: Mapped[str] = mapped_column(sa.String(200))
    venue_address: Mapped[str | None] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    capacity: Mapped[int | None]
    description_md: Mapped[str] = mapped_column(sa.Text, default="")
    search_text: Mapped[str] = mapped_column(sa.String(600), default="")
    cover_image: Mapped[str | None] = mapped_column(sa.String(100))
    cancellation_reason: Mapped[str | None] = mapped_column(sa.Text)
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")  # raised by each announced change
    cloned_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    co_organiser_invitations: Mapped[list[CoOrganiser]] = relationship(back_populates="event",
                                                                       cascade="all, delete-orphan")
    # Accepted co-organisers only: an invitation counts nowhere until the invited organisation says yes.
    co_organisers: Mapped[list[Organisation]] = relationship(
        secondary=event_co_organisers, order_by=Organisation.name, viewonly=True,
        secondaryjoin=lambda: sa.and_(Organisation.id == CoOrganiser.organisation_id,
                                      CoOrganiser.status == CoOrganiserStatus.ACCEPTED))

    @property
    def is_visible_on_portal(self) -> bool:
        return self.status in PORTAL_STATUSES and self.visibility != Visibility.PRIVATE and not self.cancelled_unseen

    @property
    def cancelled_unseen(self) -> bool:
        """A draft cancelled before it was ever published: the public never knew it, so it stays private."""
        return self.status == EventStatus.CANCELLED and self.published_at is None


PORTAL_STATUSES = frozenset({
    EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.FINISHED, EventStatus.CANCELLED,
})


def listed_on_portal():
    """The SQL twin of is_visible_on_portal for the public list (which leaves unlisted events out too)."""
    return sa.and_(Event.status.in_(PORTAL_STATUSES), Event.visibility == Visibility.PUBLIC,
                   sa.or_(Event.status != EventStatus.CANCELLED, Event.published_at.is_not(None)))
