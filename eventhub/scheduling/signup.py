"""Session sign-up by ticket. Seats are counted under the session's own lock (`seat_version`), the same
pattern as event registration's `_seat_lock`, so a limited workshop is never overbooked; the rest wait in
line by position and move up when a seat frees. Only a confirmed ticket holds a seat."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import locking
from ..errors import DomainError, NotFound
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from ..registration.signals import personal_data
from ..timeutil import utcnow
from . import notifications
from .conflicts import Slot, find_conflicts
from .models import ACTIVE_SIGNUP_STATUSES, AgendaSession, SessionSignup, SessionStatus, SignupStatus


def seat_lock(session_id: int) -> AgendaSession:
    """Serialise every seat change of one session (see `locking`); the session is reloaded after."""
    return locking.lock_row(AgendaSession.seat_version, session_id)


def _holding(status: SignupStatus):
    """Sign-ups in `status` whose ticket is still confirmed: a cancelled ticket holds no seat."""
    return (sa.select(SessionSignup).join(Registration, Registration.id == SessionSignup.registration_id)
            .where(SessionSignup.status == status, Registration.status == RegistrationStatus.CONFIRMED))


def confirmed_count(session_id: int) -> int:
    query = _holding(SignupStatus.CONFIRMED).where(SessionSignup.session_id == session_id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def waitlist_count(session_id: int) -> int:
    query = _holding(SignupStatus.WAITLISTED).where(SessionSignup.session_id == session_id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def largest_booking_in_room(room_id: int) -> int:
    """The most seats taken in one session that borrows its capacity from this room."""
    taken = (_holding(SignupStatus.CONFIRMED).with_only_columns(sa.func.count().label("taken"))
             .join(AgendaSession, AgendaSession.id == SessionSignup.session_id)
             .where(AgendaSession.room_id == room_id, AgendaSession.capacity.is_(None))
             .group_by(SessionSignup.session_id).subquery())
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(taken.c.taken), 0)))


def waitlist_rank(signup: SessionSignup) -> int | None:
    """1 for the next person to get a seat."""
    if signup.status != SignupStatus.WAITLISTED:
        return None
    ahead = _holding(SignupStatus.WAITLISTED).where(SessionSignup.session_id == signup.session_id,
                                                    SessionSignup.waitlist_position < signup.waitlist_position)
    return db.session.scalar(sa.select(sa.func.count()).select_from(ahead.subquery())) + 1


def _has_seat(session: AgendaSession) -> bool:
    limit = session.seat_limit
    return limit is None or confirmed_count(session.id) < limit


def _next_position(session_id: int) -> int:
    last = db.session.scalar(sa.select(sa.func.max(SessionSignup.waitlist_position))
                             .where(SessionSignup.session_id == session_id))
    return (last or 0) + 1


def fill_seats(session: AgendaSession, now: datetime | None = None) -> list[SessionSignup]:
    """Give free seats to the first people waiting and tell them; the caller holds the seat lock and commits."""
    now = now or utcnow()
    limit = session.seat_limit
    free = None if limit is None else limit - confirmed_count(session.id)
    query = (_holding(SignupStatus.WAITLISTED).where(SessionSignup.session_id == session.id)
             .order_by(SessionSignup.waitlist_position))
    promoted = list(db.session.scalars(query if free is None else query.limit(max(free, 0))))
    for signup in promoted:
        signup.status, signup.waitlist_position = SignupStatus.CONFIRMED, None
        notifications.seat_given(signup, now)
    return promoted


def fill_from_waitlist(session_id: int, now: datetime | None = None) -> list[SessionSignup]:
    """Promote waiting people into seats freed by a cancelled ticket or a larger room (housekeeping)."""
    session = seat_lock(session_id)
    promoted = fill_seats(session, now)
    db.session.commit()
    return promoted


def get_signup(session_id: int, registration_id: int) -> SessionSignup | None:
    return db.session.scalar(sa.select(SessionSignup).where(
        SessionSignup.session_id == session_id, SessionSignup.registration_id == registration_id,
        SessionSignup.status.in_(ACTIVE_SIGNUP_STATUSES)))


def sign_up(session_id: int, registration_id: int, now: datetime | None = None) -> SessionSignup:
    """Sign a confirmed ticket up for a session that needs sign-up: a seat when one is free, else a place on
    the waiting list. Refused when the person already chose another session at the same time."""
    now = now or utcnow()
    registration = db.session.get(Registration, registration_id)
    session = db.session.get(AgendaSession, session_id)
    if registration is None or session is None or session.event_id != registration.event_id:
        raise NotFound()
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError("ticket_not_confirmed", _l("Chỉ vé đã xác nhận mới đăng ký được phiên."), status=409)
    if not session.signup_required:
        raise DomainError("signup_not_needed", _l("Phiên này không cần đăng ký, bạn cứ đến tham dự."), status=409)
    session = seat_lock(session_id)
    try:
        if session.status == SessionStatus.CANCELLED:
            raise DomainError("session_cancelled", _l("Phiên này đã huỷ."), status=409)
        if session.starts_at <= now:
            raise DomainError("session_started", _l("Phiên đã bắt đầu, không nhận đăng ký nữa."), status=409)
        if get_signup(session_id, registration_id) is not None:
            raise DomainError("already_signed_up", _l("Bạn đã đăng ký phiên này."), status=409)
        find_conflicts(session.event, Slot(session.starts_at, session.ends_at), session_id=session.id,
                       registration_id=registration_id).enforce()
        seat = _has_seat(session)
        signup = SessionSignup(session_id=session_id, registration_id=registration_id, created_at=now,
                               status=SignupStatus.CONFIRMED if seat else SignupStatus.WAITLISTED,
                               waitlist_position=None if seat else _next_position(session_id))
        db.session.add(signup)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    except IntegrityError as error:  # the same ticket signed up twice at once
        db.session.rollback()
        raise DomainError("already_signed_up", _l("Bạn đã đăng ký phiên này."), status=409) from error
    return signup


def cancel_signup(session_id: int, registration_id: int, now: datetime | None = None) -> SessionSignup:
    """Give the seat (or the place in line) back; the first person waiting takes a freed seat."""
    now = now or utcnow()
    session = seat_lock(session_id)
    signup = get_signup(session_id, registration_id)
    if signup is None:
        db.session.rollback()
        raise NotFound(_l("Bạn chưa đăng ký phiên này."))
    if session.starts_at <= now:
        db.session.rollback()
        raise DomainError("session_started", _l("Phiên đã bắt đầu, không huỷ đăng ký được nữa."), status=409)
    signup.status, signup.waitlist_position = SignupStatus.CANCELLED, None
    db.session.flush()
    fill_seats(session, now)
    db.session.commit()
    return signup


def signups_of(registration_id: int) -> list[SessionSignup]:
    """A ticket's chosen sessions, in time order: the personal agenda."""
    return list(db.session.scalars(
        sa.select(SessionSignup).join(AgendaSession, AgendaSession.id == SessionSignup.session_id)
        .where(SessionSignup.registration_id == registration_id, SessionSignup.status.in_(ACTIVE_SIGNUP_STATUSES))
        .order_by(AgendaSession.starts_at, AgendaSession.id)))


def signups_for_session(session_id: int) -> list[SessionSignup]:
    return list(db.session.scalars(
        sa.select(SessionSignup).where(SessionSignup.session_id == session_id,
                                       SessionSignup.status.in_(ACTIVE_SIGNUP_STATUSES))
        .order_by(SessionSignup.status, SessionSignup.waitlist_position, SessionSignup.id)))


@personal_data.connect
def _signups_in_personal_data(registration: Registration, **_extra):
    """The person's session sign-ups, for their data download."""
    signups = db.session.scalars(sa.select(SessionSignup).where(SessionSignup.registration_id == registration.id)
                                 .order_by(SessionSignup.id))
    return "session_signups", [{"session": s.session.title, "status": s.status.value,
                                "signed_up_at": s.created_at.isoformat()} for s in signups]
