import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import enum_type
from ..timeutil import UTCDateTime, utcnow


class OrganisationKind(enum.Enum):
    AGENCY = "agency"
    UNION = "union"
    SCHOOL = "school"
    DISTRICT = "district"
    BUSINESS_ASSOCIATION = "business_association"
    OTHER = "other"

    @property
    def label(self):
        return ORGANISATION_KIND_LABELS[self]


ORGANISATION_KIND_LABELS = {
    OrganisationKind.AGENCY: _l("Cơ quan nhà nước"),
    OrganisationKind.UNION: _l("Đoàn thể, hội"),
    OrganisationKind.SCHOOL: _l("Trường học"),
    OrganisationKind.DISTRICT: _l("UBND cấp xã/huyện"),
    OrganisationKind.BUSINESS_ASSOCIATION: _l("Hiệp hội doanh nghiệp"),
    OrganisationKind.OTHER: _l("Khác"),
}


class Role(enum.Enum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    CHECKIN_STAFF = "checkin_staff"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Quản trị đơn vị"),
    Role.ORGANISER: _l("Người tổ chức"),
    Role.CHECKIN_STAFF: _l("Nhân viên check-in"),
}


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Case-folded name: SQLite's lower() ignores Vietnamese letters, so uniqueness is kept here.
    name_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(sa.String(60))
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind))
    province: Mapped[str] = mapped_column(sa.String(100))
    sub_unit: Mapped[str | None] = mapped_column(sa.String(150))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Shown to citizens on the organisation's public event pages.
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(20))
    # The logo on tickets, badges and certificates: a sniffed PNG/JPEG under the uploads folder (see uploads.py).
    logo_path: Mapped[str | None] = mapped_column(sa.String(255))

    parent: Mapped["Organisation | None"] = relationship(remote_side=[id])
    memberships: Mapped[list["Membership"]] = relationship(back_populates="organisation", cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(150))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(sa.String(5), default="vi")
    # Bumped on password change so that every other session of the account ends.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id", name="uq_memberships_user_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role))
    # The name the organisation's admin typed when adding the person: an account's own name is never shown to an
    # admin who only knew the e-mail (None for memberships made before this existed).
    display_name: Mapped[str | None] = mapped_column(sa.String(150))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")

    @property
    def name(self) -> str:
        return self.display_name or self.user.full_name
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class TokenScope(enum.Enum):
    """What a personal API token may do: each scope includes the ones before it."""

    READ = "read"
    CHECKIN = "checkin"
    MANAGE = "manage"

    @property
    def label(self):
        return {TokenScope.READ: _l("Chỉ đọc"), TokenScope.CHECKIN: _l("Đọc và check-in"),
                TokenScope.MANAGE: _l("Toàn quyền quản lý")}[self]

    def allows(self, needed: "TokenScope") -> bool:
        order = list(TokenScope)
        return order.index(self) >= order.index(needed)


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 digest is stored, the token is shown once. It expires, has a scope,
    and is revoked when its owner changes password or leaves an organisation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    scope: Mapped[TokenScope] = mapped_column(enum_type(TokenScope), default=TokenScope.MANAGE,
                                              server_default=TokenScope.MANAGE.value)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()


class PasswordReset(db.Model):
    """A forgotten-password link: only the SHA-256 digest of its secret is stored; it works once, until it expires."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
