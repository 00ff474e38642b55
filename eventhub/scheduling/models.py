import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation
from ..events.models import Event
from ..extensions import db
from ..models_base import enum_type
from ..registration.models import Registration
from ..timeutil import UTCDateTime, utcnow


class SessionType(enum.Enum):
    TALK = "talk"
    TRAINING = "training"
    WORKSHOP = "workshop"
    PANEL = "panel"
    PITCHING = "pitching"
    COMPETITION_ROUND = "competition_round"
    CEREMONY = "ceremony"

    @property
    def label(self):
        return {
            SessionType.TALK: _l("Bài nói chuyên đề"),
            SessionType.TRAINING: _l("Tập huấn"),
            SessionType.WORKSHOP: _l("Hội thảo thực hành"),
            SessionType.PANEL: _l("Tọa đàm"),
            SessionType.PITCHING: _l("Gọi vốn (pitching)"),
            SessionType.COMPETITION_ROUND: _l("Vòng thi"),
            SessionType.CEREMONY: _l("Lễ khai mạc, trao giải"),
        }[self]


class SessionStatus(enum.Enum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {SessionStatus.SCHEDULED: _l("Theo lịch"), SessionStatus.CANCELLED: _l("Đã huỷ")}[self]


class SignupStatus(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {
            SignupStatus.CONFIRMED: _l("Đã giữ chỗ"),
            SignupStatus.WAITLISTED: _l("Danh sách chờ"),
            SignupStatus.CANCELLED: _l("Đã huỷ"),
        }[self]


ACTIVE_SIGNUP_STATUSES = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)
_ACTIVE_SIGNUP_SQL = "status IN ('confirmed', 'waitlisted')"


class Room(db.Model):
    __tablename__ = "rooms"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "name", name="uq_rooms_event_name"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    capacity: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()


class Track(db.Model):
    __tablename__ = "tracks"
    __table_args__ = (sa.UniqueConstraint("event_id", "name", name="uq_tracks_event_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    colour: Mapped[str] = mapped_column(sa.String(7), default="#3b82f6")

    event: Mapped[Event] = relationship()


session_speakers = sa.Table(
    "session_speakers",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("speaker_id", sa.ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Speaker(db.Model):
    """A speaker or trainer, shared by all the organisation's events."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(150))
    title: Mapped[str | None] = mapped_column(sa.String(150))  # chức danh
    organisation_name: Mapped[str | None] = mapped_column(sa.String(200))  # đơn vị công tác
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class AgendaSession(db.Model):
    """One slot of an event's agenda. Its row is also the session's seat lock (`seat_version`)."""

    __tablename__ = "agenda_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.Index("ix_agenda_sessions_event_starts", "event_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    session_type: Mapped[SessionType] = mapped_column(enum_type(SessionType))
    description_md: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    track_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tracks.id", ondelete="SET NULL"), index=True)
    # None: the room's capacity, or unlimited without a room.
    capacity: Mapped[int | None]
    signup_required: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SessionStatus] = mapped_column(enum_type(SessionStatus), default=SessionStatus.SCHEDULED)
    # Raised on every change a calendar shows (time, room, status): the iCalendar SEQUENCE.
    sequence: Mapped[int] = mapped_column(default=0)
    seat_version: Mapped[int] = mapped_column(default=0)
    cancellation_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    room: Mapped[Room | None] = relationship()
    track: Mapped[Track | None] = relationship()
    speakers: Mapped[list[Speaker]] = relationship(secondary=session_speakers, order_by=Speaker.name)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def seat_limit(self) -> int | None:
        """How many people can sign up: the session's own capacity, else its room's, else no limit."""
        if self.capacity is not None:
            return self.capacity
        return self.room.capacity if self.room is not None else None


class SessionSignup(db.Model):
    __tablename__ = "session_signups"
    __table_args__ = (
        sa.Index("uq_session_signups_active", "session_id", "registration_id", unique=True,
                 sqlite_where=sa.text(_ACTIVE_SIGNUP_SQL), postgresql_where=sa.text(_ACTIVE_SIGNUP_SQL)),
        sa.Index("ix_session_signups_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    status: Mapped[SignupStatus] = mapped_column(enum_type(SignupStatus))
    waitlist_position: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    session: Mapped[AgendaSession] = relationship()
    registration: Mapped[Registration] = relationship()
