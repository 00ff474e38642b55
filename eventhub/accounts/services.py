"""Rules about people, organisations and access. Plain arguments in, models or DomainError out."""
import functools
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .. import uploads
from ..contact import is_account_address, normalise_email, normalise_phone
from ..errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from ..extensions import db
from ..lookup import get_owned
from ..timeutil import utcnow
from .models import ApiToken, Membership, Organisation, OrganisationKind, PasswordReset, Role, TokenScope, User
from .signals import member_removed, organisation_saved

PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH = 10, 200
EVENT_MANAGER_ROLES = frozenset({Role.ADMIN, Role.ORGANISER})
ORGANISATION_ADMIN_ROLES = frozenset({Role.ADMIN})
API_TOKEN_PREFIX = "ehk_"
API_TOKEN_LIFETIME_DAYS = (30, 90, 180, 365)
PASSWORD_RESET_LIFETIME = timedelta(hours=1)


def _common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords (zxcvbn's list, vendored: no network at run time), lower case."""
    path = Path(__file__).with_name("vendor") / "common-passwords.txt"
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


COMMON_PASSWORDS = _common_passwords()
# Runs a person types without thinking: the keyboard's rows, the alphabet and the digits, both ways.
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc")


def is_trivial_password(password: str) -> bool:
    """Common (alone or with digits and signs around it: "password12"), one character or a short unit repeated
    ("aaaaaaaaaa", "abcabcabca"), or a run along the keyboard or the alphabet ("1234567890", "qwertyuiop")."""
    lowered = password.lower()
    core = lowered.strip("0123456789!@#$%^&*()_-+=.,;:?~ ")
    if lowered in COMMON_PASSWORDS or (len(core) >= 3 and core in COMMON_PASSWORDS):
        return True
    if len(set(lowered)) <= 3 or any(lowered == (lowered[:n] * len(lowered))[:len(lowered)] for n in range(1, 5)):
        return True
    return any(lowered in run or lowered in run[::-1] for run in _SEQUENCES for run in (run * 3,))


def password_problems(password: str, email: str | None = None) -> list:
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(_l("Mật khẩu cần ít nhất %(n)d ký tự.", n=PASSWORD_MIN_LENGTH))
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(_l("Mật khẩu không được dài quá %(n)d ký tự.", n=PASSWORD_MAX_LENGTH))
    if password.isdigit():
        problems.append(_l("Mật khẩu không được chỉ gồm chữ số."))
    elif is_trivial_password(password):
        problems.append(_l("Mật khẩu này quá phổ biến hoặc dễ đoán (lặp ký tự, dãy liên tiếp). "
                           "Hãy dùng một cụm từ dài hơn mà người khác khó đoán."))
    local_part = normalise_email(email).split("@")[0] if email else ""
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append(_l("Mật khẩu không được chứa tên đăng nhập."))
    return problems


def _hash(password: str, email: str, field: str) -> str:
    problems = password_problems(password, email)
    if problems:
        raise ValidationFailed({field: problems})
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked against when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong password."""
    return generate_password_hash("not-a-real-password", method=method)


def authenticate(email: str, password: str, now=None) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        raise DomainError("invalid_credentials", _l("E-mail hoặc mật khẩu không đúng."), status=401)
    if not check_password_hash(user.password_hash, password):
        raise DomainError("invalid_credentials", _l("E-mail hoặc mật khẩu không đúng."), status=401)
    if not user.is_active:
        raise DomainError("account_disabled", _l("Tài khoản đã bị khoá. Vui lòng liên hệ quản trị viên."), status=403)
    user.last_login_at = now or utcnow()
    db.session.commit()
    return user


def load_session_user(session_id: str) -> User | None:
    """Resolve the id Flask-Login keeps in the session; a stale session version means signed out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def change_password(user_id: int, current_password: str, new_password: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    if not check_password_hash(user.password_hash, current_password):
        raise ValidationFailed({"current_password": [_l("Mật khẩu hiện tại không đúng.")]})
    if current_password == new_password:
        raise ValidationFailed({"new_password": [_l("Mật khẩu mới phải khác mật khẩu hiện tại.")]})
    user.password_hash = _hash(new_password, user.email, "new_password")
    user.must_change_password = False
    user.session_version += 1
    _revoke_tokens_of(user.id)
    db.session.commit()
    return user


def sign_out(user_id: int) -> None:
    """End every session of the account, remember-me cookies included: they carry the session version."""
    db.session.execute(sa.update(User).where(User.id == user_id).values(session_version=User.session_version + 1))
    db.session.commit()


def set_active(user_id: int, active: bool) -> User:
    """A platform admin deactivates (or reactivates) an account: its sessions and tokens end at once."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    user.is_active = active
    if not active:
        user.session_version += 1
        _revoke_tokens_of(user.id)
    db.session.commit()
    return user


def _revoke_tokens_of(user_id: int, now=None) -> None:
    db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now or utcnow()))


def _reset_link_invalid() -> DomainError:
    return DomainError("reset_link_invalid", _l("Liên kết đặt lại mật khẩu không còn hiệu lực. "
                                                "Vui lòng yêu cầu liên kết mới."), status=410)


def request_password_reset(email: str, now=None) -> tuple[User, str] | None:
    """A single-use link for an active account, or None: the caller says the same thing either way, so the
    answer never tells whether an account exists. Earlier unused links of the account stop working."""
    now = now or utcnow()
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email or "")))
    if user is None or not user.is_active:
        return None
    db.session.execute(sa.update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                      PasswordReset.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_digest=_digest(token), created_at=now,
                                 expires_at=now + PASSWORD_RESET_LIFETIME))
    db.session.commit()
    return user, token


def password_reset_valid(token: str, now=None) -> bool:
    reset = db.session.scalar(sa.select(PasswordReset).where(PasswordReset.token_digest == _digest(token or "")))
    return reset is not None and reset.used_at is None and reset.expires_at > (now or utcnow())


def reset_password(token: str, new_password: str, now=None) -> User:
    """Set a new password through a forgotten-password link, once; sessions and tokens of the account end."""
    now = now or utcnow()
    digest = _digest(token or "")
    reset = db.session.scalar(sa.select(PasswordReset).where(PasswordReset.token_digest == digest))
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise _reset_link_invalid()
    user = db.session.get(User, reset.user_id)
    user.password_hash = _hash(new_password, user.email, "new_password")
    # Claimed by a conditional update, so two submissions of one link cannot both set a password.
    claimed = db.session.execute(sa.update(PasswordReset).where(PasswordReset.id == reset.id,
                                                                PasswordReset.used_at.is_(None)).values(used_at=now))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise _reset_link_invalid()
    user.must_change_password = False
    user.session_version += 1
    _revoke_tokens_of(user.id, now)
    db.session.commit()
    return user


def create_user(email: str, full_name: str, password: str, *, is_platform_admin: bool = False,
                must_change_password: bool = False) -> User:
    if not is_account_address(email):  # what the sign-in page accepts, so no account is created that cannot sign in
        raise ValidationFailed({"email": [_l("Địa chỉ e-mail không hợp lệ.")]})
    email = normalise_email(email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise ValidationFailed({"email": [_l("E-mail này đã có tài khoản.")]})
    user = User(email=email, full_name=full_name.strip(), password_hash=_hash(password, email, "password"),
                is_platform_admin=is_platform_admin, must_change_password=must_change_password)
    db.session.add(user)
    _commit_or_conflict({"email": [_l("E-mail này đã có tài khoản.")]})
    return user


def set_language(user_id: int, language: str) -> None:
    """The interface language the person chose; pages and their devices' scanners speak it."""
    user = db.session.get(User, user_id)
    if user is not None and user.language != language:
        user.language = language
        db.session.commit()


def _commit_or_conflict(fields: dict) -> None:
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ValidationFailed(fields) from error


# Organisations -------------------------------------------------------------------------------

def organisation_name_key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def _organisation_name_taken(name: str, exclude_id: int | None = None) -> bool:
    query = sa.select(Organisation.id).where(Organisation.name_key == organisation_name_key(name))
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    return db.session.scalar(query) is not None


@dataclass
class OrganisationDetails:
    name: str
    kind: OrganisationKind
    province: str
    short_name: str | None = None
    sub_unit: str | None = None
    parent_id: int | None = None
    is_active: bool = True
    contact_email: str | None = None
    contact_phone: str | None = None


def save_organisation(organisation_id: int | None, details: OrganisationDetails) -> Organisation:
    """Create (organisation_id None) or update an organisation."""
    name, parent_id = details.name, details.parent_id
    taken = {"name": [_l("Đã có đơn vị với tên này.")]}
    if _organisation_name_taken(name, organisation_id):
        raise ValidationFailed(taken)
    phone = (details.contact_phone or "").strip()
    if phone and normalise_phone(phone) is None:
        raise ValidationFailed({"contact_phone": [
            _l("Số điện thoại gồm 10 chữ số bắt đầu bằng 0, hoặc +84 và 9 chữ số.")]})
    if organisation_id is None:
        organisation = Organisation()
        db.session.add(organisation)
    else:
        organisation = get_organisation(organisation_id)
        if parent_id is not None and _is_descendant_or_self(parent_id, organisation_id):
            raise ValidationFailed({"parent_id": [
                _l("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị trực thuộc.")]})
    organisation.name = " ".join(name.split())
    organisation.name_key = organisation_name_key(name)
    organisation.short_name = (details.short_name or "").strip() or None
    organisation.kind = details.kind
    organisation.province = details.province.strip()
    organisation.sub_unit = (details.sub_unit or "").strip() or None
    organisation.parent_id = parent_id
    organisation.is_active = details.is_active
    organisation.contact_phone = normalise_phone(phone) if phone else None
    email = (details.contact_email or "").strip()
    organisation.contact_email = normalise_email(email) if email else None
    _commit_or_conflict(taken)
    organisation_saved.send(organisation, organisation_id=organisation.id)
    return organisation


def _is_descendant_or_self(candidate_id: int, organisation_id: int) -> bool:
    current = db.session.get(Organisation, candidate_id)
    while current is not None:
        if current.id == organisation_id:
            return True
        current = current.parent
    return False


def get_organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    return organisation


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


# Members and access ----------------------------------------------------------------------------

def roles_in(user: User, organisation_id: int) -> set[Role]:
    return {m.role for m in user.memberships if m.organisation_id == organisation_id}


def has_role(user: User, organisation_id: int, roles: frozenset[Role]) -> bool:
    return user.is_platform_admin or bool(roles_in(user, organisation_id) & roles)


def require_role(user: User, organisation_id: int, roles: frozenset[Role]) -> None:
    """Outsiders, and members of a deactivated organisation, learn nothing (404); members without the role
    are refused (403)."""
    if user.is_platform_admin:
        return
    held = roles_in(user, organisation_id)
    if not held:
        raise NotFound()
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not organisation.is_active:
        raise NotFound()
    if not held & roles:
        raise PermissionDenied()


def organisations_where(user: User, roles: frozenset[Role]) -> list[Organisation]:
    if user.is_platform_admin:
        return [o for o in list_organisations() if o.is_active]
    return sorted((m.organisation for m in user.memberships if m.role in roles and m.organisation.is_active),
                  key=lambda o: o.name)


def list_members(organisation_id: int) -> list[Membership]:
    return list(db.session.scalars(
        sa.select(Membership).join(User).where(Membership.organisation_id == organisation_id)
        .order_by(sa.func.coalesce(Membership.display_name, User.full_name))
    ))


@dataclass
class NewMember:
    """Who joins an organisation; the initial password is only for a person without an account."""

    email: str
    full_name: str
    role: Role
    initial_password: str | None = None


def add_member(organisation_id: int, member: NewMember) -> Membership:
    """Add a person to an organisation; a new account must change its initial password at first sign-in."""
    get_organisation(organisation_id)
    email, full_name, role, initial_password = (normalise_email(member.email), member.full_name, member.role,
                                                member.initial_password)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        if not initial_password:
            raise ValidationFailed({"initial_password": [_l("Tài khoản mới cần mật khẩu ban đầu.")]})
        user = User(email=email, full_name=full_name.strip(),
                    password_hash=_hash(initial_password, email, "initial_password"), must_change_password=True)
        db.session.add(user)
    elif any(m.organisation_id == organisation_id for m in user.memberships):
        raise ValidationFailed({"email": [_l("Người này đã là thành viên của đơn vị.")]})
    membership = Membership(user=user, organisation_id=organisation_id, role=role,
                            display_name=" ".join(full_name.split()) or None)
    db.session.add(membership)
    _commit_or_conflict({"email": [_l("Người này đã là thành viên của đơn vị.")]})
    return membership


def _membership(organisation_id: int, membership_id: int) -> Membership:
    return get_owned(Membership, membership_id, organisation_id=organisation_id)


def _ensure_admin_remains(membership: Membership) -> None:
    admins = db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.organisation_id == membership.organisation_id, Membership.role == Role.ADMIN))
    if membership.role == Role.ADMIN and admins <= 1:
        raise DomainError("last_admin", _l("Đơn vị phải còn ít nhất một quản trị viên."), status=409)


def change_member_role(organisation_id: int, membership_id: int, role: Role) -> Membership:
    membership = _membership(organisation_id, membership_id)
    if role != Role.ADMIN:
        _ensure_admin_remains(membership)
    membership.role = role
    db.session.commit()
    return membership


def remove_member(organisation_id: int, membership_id: int) -> None:
    membership = _membership(organisation_id, membership_id)
    _ensure_admin_remains(membership)
    user_id = membership.user_id
    db.session.delete(membership)
    db.session.commit()
    member_removed.send(current_app._get_current_object(), user_id=user_id, organisation_id=organisation_id)


# API tokens ------------------------------------------------------------------------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user_id: int, name: str, scope: TokenScope = TokenScope.MANAGE, lifetime_days: int = 90,
                    now=None) -> tuple[str, ApiToken]:
    if lifetime_days not in API_TOKEN_LIFETIME_DAYS:
        raise ValidationFailed({"lifetime_days": [_l("Thời hạn không hợp lệ.")]})
    now = now or utcnow()
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user_id, name=name.strip(), prefix=token[:12], token_digest=_digest(token),
                      scope=scope, created_at=now, expires_at=now + timedelta(days=lifetime_days))
    db.session.add(record)
    db.session.commit()
    return token, record


def list_api_tokens(user_id: int) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc())))


def revoke_api_token(user_id: int, token_id: int, now=None) -> None:
    record = get_owned(ApiToken, token_id, user_id=user_id)
    if record.revoked_at is None:
        record.revoked_at = now or utcnow()
        db.session.commit()


def user_for_api_token(token: str, scope: TokenScope = TokenScope.READ, now=None) -> User | None:
    """The owner of a live token (not revoked, not expired, account active), or None; a live token whose scope
    does not cover `scope` is a 403 saying so."""
    now = now or utcnow()
    record = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_digest == _digest(token)))
    if record is None or record.revoked_at is not None or record.expires_at <= now or not record.user.is_active:
        return None
    if not record.scope.allows(scope):
        raise DomainError("token_scope", _l("Mã truy cập này không có quyền cho thao tác này (phạm vi: %(scope)s).",
                                            scope=record.scope.value), status=403)
    record.last_used_at = now
    db.session.commit()
    return record.user


# The organisation's logo -------------------------------------------------------------------------

LOGO = uploads.Accepts(field="logo", formats=frozenset({"PNG", "JPEG"}), too_big=_l("Logo tối đa %(mb)d MB."),
                       unreadable=_l("Tệp không phải ảnh hợp lệ (chấp nhận PNG, JPEG)."),
                       wrong_format=_l("Chỉ chấp nhận logo PNG hoặc JPEG."),
                       empty=_l("Vui lòng chọn tệp logo."))
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FOLDER = "logos"


def set_organisation_logo(organisation_id: int, data: bytes | None) -> Organisation:
    """Replace (or, with None, remove) the logo shown on the organisation's tickets, badges and certificates; the
    file is judged by its content (PNG or JPEG) and kept under a random name, removed with the row's change."""
    organisation = get_organisation(organisation_id)
    new_file = None
    if data is not None:
        _media_type, extension = uploads.inspect(data, LOGO, LOGO_MAX_BYTES)
        new_file = uploads.store(LOGO_FOLDER, data, extension)
    old_file, organisation.logo_path = organisation.logo_path, new_file.name if new_file else None
    uploads.commit_or_remove(new_file)
    if old_file:
        (uploads.uploads_dir(LOGO_FOLDER) / old_file).unlink(missing_ok=True)
    return organisation


def organisation_logo_path(organisation: Organisation | None) -> Path | None:
    """The file of the organisation's logo (PNG or JPEG), or None: what tickets, badges and certificates draw."""
    if organisation is None or not organisation.logo_path:
        return None
    path = uploads.uploads_dir(LOGO_FOLDER) / organisation.logo_path
    return path if path.is_file() else None


@member_removed.connect
def _revoke_tokens_of_former_member(_sender, user_id: int, organisation_id: int, **_extra) -> None:
    """A person's personal tokens carry their rights in every organisation: leaving one ends them all."""
    _revoke_tokens_of(user_id)
    db.session.commit()
