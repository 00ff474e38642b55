"""First come, first served: approved exhibitors pick free booths on the map, hold them for the plan's
`hold_minutes`, then confirm. Every change of booth holders runs under the plan lock, and the unique
booth_id of `booth_assignments` makes a double booking impossible whatever happens."""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ...errors import DomainError
from ...extensions import db
from ...lookup import get_owned
from ...timeutil import utcnow
from ..allocation.models import AllocationSource, BoothAssignment
from ..allocation.solver import type_fits
from ..applications.models import ApplicationStatus, BoothApplication
from ..floorplan.models import BookingMode, Booth, BoothStatus, BoothType, FloorPlan
from ..floorplan.services import adjacent_pairs, plan_lock, record, require_plan


class BoothTaken(DomainError):
    status = 409

    def __init__(self, codes: list[str]):
        super().__init__("booth_taken", _l("Gian hàng %(codes)s vừa có đơn vị khác chọn. Vui lòng chọn gian khác."),
                         codes=", ".join(codes))
        self.codes = codes


@dataclass(frozen=True)
class Selection:
    """What an exhibitor holds or has confirmed now."""

    booth_codes: tuple[str, ...]
    held_until: datetime | None  # None once confirmed

    @property
    def confirmed(self) -> bool:
        return self.held_until is None


def fitting_types(booth_type: BoothType) -> list[BoothType]:
    """The booth types an application of this type may take (the solver's rule)."""
    return [t for t in BoothType if type_fits(booth_type.value, t.value)]


def _plan(application: BoothApplication) -> FloorPlan:
    return require_plan(application.event_id)


def booking_problem(plan: FloorPlan, application: BoothApplication) -> str | None:
    """Why this exhibitor cannot pick booths now, or None when it can."""
    if plan.booking_mode != BookingMode.SELF_BOOKING:
        return str(_l("Sự kiện này do ban tổ chức phân bổ gian hàng, đơn vị không tự chọn."))
    if not plan.self_booking_open:
        return str(_l("Ban tổ chức chưa mở (hoặc đã đóng) việc tự chọn gian hàng."))
    if application.status != ApplicationStatus.APPROVED:
        return str(_l("Chỉ hồ sơ đã được duyệt mới được chọn gian hàng."))
    return None


def _live(now: datetime):
    """Assignments that hold their booth: confirmed ones, and holds not yet expired."""
    return sa.or_(BoothAssignment.held_until.is_(None), BoothAssignment.held_until > now)


def free_booth_ids(plan: FloorPlan, application: BoothApplication, now: datetime | None = None) -> set[int]:
    """Booths this application may pick now: its type, not blocked, not held by anyone else."""
    now = now or utcnow()
    taken = sa.select(BoothAssignment.booth_id).where(_live(now),
                                                      BoothAssignment.application_id != application.id)
    return set(db.session.scalars(sa.select(Booth.id).where(
        Booth.plan_id == plan.id, Booth.booth_type.in_(fitting_types(application.booth_type)),
        Booth.status != BoothStatus.BLOCKED, Booth.id.not_in(taken))))


def selection_of(application: BoothApplication, now: datetime | None = None) -> Selection | None:
    now = now or utcnow()
    rows = db.session.execute(sa.select(Booth.code, BoothAssignment.held_until).join(Booth).where(
        BoothAssignment.application_id == application.id, _live(now)).order_by(Booth.code)).all()
    if not rows:
        return None
    return Selection(tuple(code for code, _ in rows), rows[0].held_until)


def booths_connected(booths: list[Booth]) -> bool:
    if len(booths) < 2:
        return True
    neighbours: dict[int, set[int]] = {b.id: set() for b in booths}
    for one, other in adjacent_pairs(booths):
        neighbours[one].add(other)
        neighbours[other].add(one)
    seen, stack = {booths[0].id}, [booths[0].id]
    while stack:
        for nxt in neighbours[stack.pop()] - seen:
            seen.add(nxt)
            stack.append(nxt)
    return len(seen) == len(booths)


def _log(plan: FloorPlan, action: str, application: BoothApplication, booth: Booth | None, actor_user_id,
         detail: str = "") -> None:
    record(plan.id, action, detail, booth_id=booth.id if booth else None, application_id=application.id,
           actor_user_id=actor_user_id)


def _set_status(booth_ids, status: BoothStatus) -> None:
    if booth_ids:
        db.session.execute(sa.update(Booth).where(Booth.id.in_(booth_ids), Booth.status != BoothStatus.BLOCKED)
                           .values(status=status))


def _check_pick(application: BoothApplication, booths: list[Booth], booth_ids: list[int]) -> None:
    if len(booths) != len(booth_ids) or not booth_ids:
        raise DomainError("unknown_booth", _l("Gian hàng không có trong sơ đồ của sự kiện."), status=404)
    if len(booths) != application.booths_requested:
        raise DomainError("wrong_count", _l("Hồ sơ đăng ký %(n)d gian hàng: hãy chọn đúng %(n)d gian."),
                          n=application.booths_requested)
    wrong = [b.code for b in booths if b.booth_type not in fitting_types(application.booth_type)]
    if wrong:
        raise DomainError("wrong_type", _l("Gian %(codes)s không phải loại “%(type)s” mà hồ sơ đăng ký."),
                          codes=", ".join(wrong), type=application.booth_type.label)
    blocked = [b.code for b in booths if b.status == BoothStatus.BLOCKED]
    if blocked:
        raise DomainError("booth_blocked", _l("Gian %(codes)s đang bị khoá, không sử dụng."),
                          codes=", ".join(blocked))
    if not booths_connected(booths):
        raise DomainError("not_adjacent", _l("Các gian hàng chọn phải liền kề nhau."))


def hold(application_id: int, exhibitor_id: int, booth_ids: list[int], *, actor_user_id: int | None = None,
         now: datetime | None = None) -> Selection:
    """Hold the picked booths (exactly as many as requested, adjacent, of the application's type) for the
    plan's hold time. A previous unconfirmed pick of the same exhibitor is released."""
    now = now or utcnow()
    application = get_owned(BoothApplication, application_id, exhibitor_id=exhibitor_id)
    plan = _plan(application)
    booth_ids = sorted(set(booth_ids))
    plan_lock(plan.id)
    try:
        db.session.refresh(application)
        db.session.refresh(plan)
        # Read under the lock: a booth blocked, retyped or moved meanwhile is judged as it is now.
        booths = list(db.session.scalars(sa.select(Booth).where(Booth.id.in_(booth_ids), Booth.plan_id == plan.id)
                                         .execution_options(populate_existing=True)))
        _check_pick(application, booths, booth_ids)
        problem = booking_problem(plan, application)
        if problem:
            raise DomainError("booking_closed", problem, status=409)
        mine = list(db.session.scalars(sa.select(BoothAssignment).where(
            BoothAssignment.application_id == application.id)))
        if any(a.held_until is None for a in mine):
            raise DomainError("already_confirmed", _l("Đơn vị đã xác nhận gian hàng; liên hệ ban tổ chức nếu cần "
                                                      "đổi."), status=409)
        # Expired holds on the picked booths, and this exhibitor's own earlier pick, make way.
        stale = list(db.session.scalars(sa.select(BoothAssignment).where(
            BoothAssignment.booth_id.in_(booth_ids), BoothAssignment.held_until <= now)))
        for assignment in {a.id: a for a in stale + mine}.values():
            _log(plan, "release", assignment.application, assignment.booth, actor_user_id,
                 "giữ chỗ đã hết hạn" if assignment.held_until <= now else "chọn lại")  # the log speaks Vietnamese
            db.session.delete(assignment)
        db.session.flush()
        _set_status([a.booth_id for a in stale + mine], BoothStatus.AVAILABLE)
        taken = list(db.session.scalars(sa.select(Booth.code).join(BoothAssignment).where(
            BoothAssignment.booth_id.in_(booth_ids)).order_by(Booth.code)))
        if taken:
            raise BoothTaken(taken)
        held_until = now + timedelta(minutes=plan.hold_minutes)
        for booth in booths:
            db.session.add(BoothAssignment(booth_id=booth.id, application_id=application.id,
                                           source=AllocationSource.SELF, held_until=held_until,
                                           assigned_by_id=actor_user_id, assigned_at=now))
            _log(plan, "hold", application, booth, actor_user_id)
        _set_status(booth_ids, BoothStatus.HELD)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    except IntegrityError as error:  # only reachable without the lock; the constraint still decides
        db.session.rollback()
        raise BoothTaken([b.code for b in booths]) from error
    return Selection(tuple(sorted(b.code for b in booths)), held_until)


def confirm(application_id: int, exhibitor_id: int, *, actor_user_id: int | None = None,
            now: datetime | None = None) -> Selection:
    """Make the held booths the exhibitor's; a hold that lapsed must be picked again."""
    now = now or utcnow()
    application = get_owned(BoothApplication, application_id, exhibitor_id=exhibitor_id)
    plan = _plan(application)
    plan_lock(plan.id)
    try:
        db.session.refresh(application)
        db.session.refresh(plan)
        problem = booking_problem(plan, application)
        if problem:
            raise DomainError("booking_closed", problem, status=409)
        holds = list(db.session.scalars(sa.select(BoothAssignment).where(
            BoothAssignment.application_id == application.id, BoothAssignment.held_until.is_not(None))))
        if not holds or any(a.held_until <= now for a in holds):
            raise DomainError("hold_expired", _l("Thời gian giữ chỗ đã hết. Vui lòng chọn lại gian hàng."),
                              status=409)
        for assignment in holds:
            assignment.held_until = None
            assignment.assigned_at = now
            _log(plan, "confirm", application, assignment.booth, actor_user_id)
        _set_status([a.booth_id for a in holds], BoothStatus.ASSIGNED)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return Selection(tuple(sorted(a.booth.code for a in holds)), None)


def cancel_hold(application_id: int, exhibitor_id: int, *, actor_user_id: int | None = None,
                now: datetime | None = None) -> None:
    """Give back booths picked but not confirmed."""
    now = now or utcnow()
    application = get_owned(BoothApplication, application_id, exhibitor_id=exhibitor_id)
    plan = _plan(application)
    plan_lock(plan.id)
    holds = list(db.session.scalars(sa.select(BoothAssignment).where(
        BoothAssignment.application_id == application.id, BoothAssignment.held_until.is_not(None))))
    for assignment in holds:
        _log(plan, "release", application, assignment.booth, actor_user_id, "cancelled by exhibitor")
        db.session.delete(assignment)
    _set_status([a.booth_id for a in holds], BoothStatus.AVAILABLE)
    db.session.commit()


def release_all(application: BoothApplication, *, actor_user_id: int | None) -> None:
    """Inside the caller's transaction (under the plan lock): an application that is no longer approved gives
    back every booth it held."""
    assignments = list(db.session.scalars(sa.select(BoothAssignment).where(
        BoothAssignment.application_id == application.id)))
    if not assignments:
        return
    plan = _plan(application)
    for assignment in assignments:
        _log(plan, "release", application, assignment.booth, actor_user_id,
             f"application {application.status.value}")
        db.session.delete(assignment)
    _set_status([a.booth_id for a in assignments], BoothStatus.AVAILABLE)
