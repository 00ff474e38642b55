"""Automatic allocation and manual override of booths: load the plan and approved applications, run the
solver, write the assignments in one transaction under the plan lock, audit every change. Locked
assignments and the exhibitors' own picks (confirmed or live holds) are never touched; placements the
exhibitors were told (announced, or on the published map) are kept unless the organiser confirms moving
them, and every exhibitor told a booth that then changes is notified; blocked booths are never used."""
import enum
import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...accounts.models import User
from ...errors import DomainError, NotFound
from ...extensions import db
from ...params import is_db_id
from ...timeutil import utcnow
from ..applications.models import ApplicationStatus, BoothApplication, ExhibitorProduct
from ..floorplan.models import Booth, BoothStatus, BoothType, FloorPlan
from ..floorplan.services import adjacent_pairs, plan_lock, record, require_plan, spot_quality
from ..selfbooking.services import booths_connected
from . import solver as allocation
from .models import AllocationRun, AllocationSource, BoothAssignment
from .notices import tell_exhibitor
from .solver import AllocationResult, BoothSlot, Request, Rules, type_fits

MAX_WEIGHT = 10.0
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 0.5, 30.0


def slot_adjacency(slots: list[BoothSlot]) -> list[tuple[int, int]]:
    """The floor plan's adjacency rule applied to the solver's booths."""
    return adjacent_pairs([SimpleNamespace(id=s.id, x_m=s.x, y_m=s.y, width_m=s.width, depth_m=s.depth)
                           for s in slots])


class PriorityBasis(enum.Enum):
    """What the organiser ranks applications by; the manual priority bonus counts in both."""

    STARS = "stars"
    TIME = "time"

    @property
    def label(self):
        return {PriorityBasis.STARS: _l("Số sao OCOP (rồi ưu tiên của ban tổ chức, thời gian nộp hồ sơ)"),
                PriorityBasis.TIME: _l("Thời gian nộp hồ sơ: nộp trước được xếp trước (rồi ưu tiên của ban tổ "
                                       "chức)")}[self]


# Shares of OCOP stars, the manual bonus and earliness in the priority, per basis.
PRIORITY_SHARES = {PriorityBasis.STARS: (0.5, 0.3, 0.2), PriorityBasis.TIME: (0.0, 0.3, 0.7)}


def priority_of(best_stars: int | None, manual: int, earliness: float,
                basis: PriorityBasis = PriorityBasis.STARS) -> float:
    """0..1 from the best OCOP star rating of the products (3★ → 1/3 … 5★ → 1), the organiser's manual
    priority (0–10) and earliness (1 for the first application … 0 for the last), weighted per basis."""
    stars = (best_stars - 2) / 3 if best_stars else 0.0
    share_stars, share_manual, share_time = PRIORITY_SHARES[basis]
    return round(share_stars * stars + share_manual * min(max(manual, 0), 10) / 10 + share_time * earliness, 6)


def check_rules(rules: Rules) -> Rules:
    weights = (rules.zone_weight, rules.priority_weight, rules.near_weight, rules.competitor_weight)
    if any(not 0 <= w <= MAX_WEIGHT for w in weights) or \
            not MIN_TIME_LIMIT <= rules.time_limit_seconds <= MAX_TIME_LIMIT:
        raise DomainError("invalid_rules", _l("Trọng số phải từ 0 đến %(w)s, thời gian giải từ 0,5 đến %(t)s giây."),
                          w=int(MAX_WEIGHT), t=int(MAX_TIME_LIMIT))
    return rules


def _live_assignment(now: datetime):
    return sa.or_(BoothAssignment.held_until.is_(None), BoothAssignment.held_until > now)


def _plan_assignments(plan_id: int) -> sa.Select:
    return sa.select(BoothAssignment).join(Booth).where(Booth.plan_id == plan_id)


def told(assignment: BoothAssignment, plan: FloorPlan) -> bool:
    """Whether the exhibitor knows this booth: it was announced to them, or the map with it is public."""
    return assignment.held_until is None and (assignment.announced_at is not None or plan.is_published)


def _kept(assignment: BoothAssignment, now: datetime, plan: FloorPlan | None = None) -> bool:
    """Locked assignments and the exhibitors' own picks (confirmed, or held and not expired) survive a run, and
    so do the placements exhibitors were told when a plan is given (moving those needs the organiser's word);
    the rest is replaced."""
    return assignment.locked or (assignment.source == AllocationSource.SELF
                                 and (assignment.held_until is None or assignment.held_until > now)) \
        or (plan is not None and told(assignment, plan))


def _approved(event_id: int) -> list[BoothApplication]:
    return list(db.session.scalars(sa.select(BoothApplication).where(
        BoothApplication.event_id == event_id, BoothApplication.status == ApplicationStatus.APPROVED)
        .order_by(BoothApplication.submitted_at, BoothApplication.id)))


def _problem(plan: FloorPlan, now: datetime, basis: PriorityBasis, keep_told: bool = True):
    """The solver's inputs from the database: slots, requests, fixed booths, adjacency."""
    applications = _approved(plan.event_id)
    ids = [a.id for a in applications]
    per_application = (sa.select(ExhibitorProduct.application_id, sa.func.max(ExhibitorProduct.ocop_stars),
                                 sa.func.min(ExhibitorProduct.product_group))
                       .where(ExhibitorProduct.application_id.in_(ids)).group_by(ExhibitorProduct.application_id))
    products = {a: (top_stars, group) for a, top_stars, group in db.session.execute(per_application)}
    stars = {a: top for a, (top, _group) in products.items()}
    groups = {a: group for a, (_top, group) in products.items()}
    by_exhibitor = {a.exhibitor_id: a.id for a in applications}
    last = max(len(applications) - 1, 1)
    requests = [Request(id=a.id, booth_type=a.booth_type.value, count=a.booths_requested, zone_id=a.preferred_zone_id,
                        priority=priority_of(stars.get(a.id), a.priority, 1 - i / last, basis),
                        product_group=_group_value(groups.get(a.id)),
                        near=frozenset(by_exhibitor[e] for e in a.near_exhibitor_ids or [] if e in by_exhibitor),
                        avoid=frozenset(by_exhibitor[e] for e in a.avoid_exhibitor_ids or [] if e in by_exhibitor))
                for i, a in enumerate(applications)]
    kept = [a for a in db.session.scalars(_plan_assignments(plan.id)) if _kept(a, now, plan if keep_told else None)]
    fixed = {a.booth_id: a.application_id for a in kept if a.application_id in set(ids)}
    occupied = {a.booth_id for a in kept} - set(fixed)
    booths = list(db.session.scalars(sa.select(Booth).where(Booth.plan_id == plan.id,
                                                            Booth.status != BoothStatus.BLOCKED).order_by(Booth.id)))
    slots = [BoothSlot(id=b.id, code=b.code, booth_type=b.booth_type.value, zone_id=b.zone_id, x=b.x_m, y=b.y_m,
                       width=b.width_m, depth=b.depth_m, quality=spot_quality(b, plan))
             for b in booths if b.id not in occupied]
    return slots, requests, fixed, adjacent_pairs([b for b in booths if b.id not in occupied])


def _group_value(group) -> str | None:
    return group.value if hasattr(group, "value") else group


def explain(code: str, details: dict) -> str:
    """The organiser's reading of a reason code."""
    booth_type = BoothType(details["booth_type"]).label
    messages = {
        allocation.NO_BOOTH_TYPE: _("Sơ đồ không có gian loại “%(type)s” nào đang sử dụng được."),
        allocation.NOT_ENOUGH_BOOTHS: _("Cần %(count)d gian loại “%(type)s” nhưng chỉ còn %(free)d gian loại này "
                                        "chưa bị khoá hay giữ chỗ."),
        allocation.NO_ADJACENT_BLOCK: _("Không còn %(count)d gian loại “%(type)s” liền kề nhau (cùng dãy, hoặc ô "
                                        "vuông 2x2 khi cần 4 gian)."),
        allocation.TIME_LIMIT: _("Bộ giải dừng vì hết thời gian trước khi xét xong đơn này; hãy tăng thời gian "
                                 "giải và chạy lại."),
        allocation.PREFERENCES: _("Xếp đơn này vào gian còn trống sẽ làm điểm tổng giảm (gần đối thủ cùng nhóm "
                                  "sản phẩm hoặc đơn vị đã yêu cầu tránh)."),
    }
    if code == allocation.OUTBID:
        messages[code] = (
            _("Hết gian loại “%(type)s”: cả %(free)d gian còn trống đã phân cho %(rivals)d đơn vị khác, đều có "
              "mức ưu tiên cao hơn.") if details["rivals_higher"] == details["rivals"] else
            _("Hết gian loại “%(type)s”: cả %(free)d gian còn trống đã phân cho %(rivals)d đơn vị khác, "
              "%(higher)d đơn vị trong số đó có mức ưu tiên cao hơn; các đơn vị còn lại được lợi hơn về khu "
              "vực, số gian hoặc vị trí liền kề."))
    return messages[code] % {"type": booth_type, "count": details["count"], "free": details["free_of_type"],
                             "rivals": details.get("rivals", 0), "higher": details.get("rivals_higher", 0)}


def _set_status(booth_ids, status: BoothStatus) -> None:
    if booth_ids:
        db.session.execute(sa.update(Booth).where(Booth.id.in_(booth_ids), Booth.status != BoothStatus.BLOCKED)
                           .values(status=status))


@dataclass
class Move:
    """One exhibitor whose booths a run changes (placed, moved or left without a booth)."""

    application: BoothApplication
    before: tuple[str, ...]
    after: tuple[str, ...]
    told: bool  # the exhibitor already knows `before`, and will be notified


@dataclass
class Preview:
    """What a run would do, before anything is written."""

    result: AllocationResult
    moves: list[Move]
    pinned: list[tuple[BoothApplication, tuple[str, ...]]]  # told placements kept because moving them is not confirmed
    digest: str  # names the moves, so that applying refuses a result other than the one the organiser saw


def _solve(plan: FloorPlan, rules: Rules, basis: PriorityBasis, move_told: bool, now: datetime) -> Preview:
    slots, requests, fixed, adjacent = _problem(plan, now, basis, keep_told=not move_told)
    result = allocation.allocate(slots, requests, rules, fixed, adjacent=adjacent)
    live = list(db.session.scalars(_plan_assignments(plan.id).where(_live_assignment(now)).order_by(Booth.code)))
    before: dict[int, list[BoothAssignment]] = {}
    for assignment in live:
        before.setdefault(assignment.application_id, []).append(assignment)
    codes = dict(db.session.execute(sa.select(Booth.id, Booth.code).where(Booth.plan_id == plan.id)).all())
    keep_plan = None if move_told else plan
    after = {a: tuple(sorted(codes[b] for b in booths)) for a, booths in result.assignments.items()}
    moves, pinned = [], []
    for application_id in sorted(set(before) | set(after)):
        held = before.get(application_id, [])
        was = tuple(sorted(a.booth.code for a in held))
        if held and all(_kept(a, now, keep_plan) for a in held) and application_id not in after:
            continue  # kept, and not an approved application the solver saw
        will = after.get(application_id, ())
        application = held[0].application if held else db.session.get(BoothApplication, application_id)
        if was != will:
            moves.append(Move(application, was, will, told=bool(held) and all(told(a, plan) for a in held)))
        elif held and not move_told and all(told(a, plan) and not _kept(a, now) for a in held):
            pinned.append((application, was))
    fingerprint = repr([(m.application.id, m.before, m.after) for m in moves])
    return Preview(result, moves, pinned, hashlib.sha256(fingerprint.encode()).hexdigest()[:16])


def preview(event_id: int, rules: Rules, *, priority_basis: PriorityBasis = PriorityBasis.STARS,
            move_told: bool = False, now: datetime | None = None) -> Preview:
    """The moves a run with these rules would make; nothing is written."""
    check_rules(rules)
    return _solve(require_plan(event_id), rules, priority_basis, move_told, now or utcnow())


def run(event_id: int, rules: Rules, *, priority_basis: PriorityBasis = PriorityBasis.STARS,
        actor_user_id: int | None = None, move_told: bool = False, expected_digest: str | None = None,
        now: datetime | None = None) -> AllocationRun:
    """Solve, then under the plan lock replace every assignment that is neither locked, an exhibitor's pick nor
    (unless `move_told`) told to its exhibitor. The solver runs before the lock; if the plan changed meanwhile,
    or the moves differ from the preview the organiser confirmed (`expected_digest`), nothing is written.
    Exhibitors who were told a booth that changes are notified in the same transaction."""
    now = now or utcnow()
    check_rules(rules)
    plan = require_plan(event_id)
    version = plan.version
    planned = _solve(plan, rules, priority_basis, move_told, now)
    result = planned.result
    if expected_digest is not None and planned.digest != expected_digest:
        raise DomainError("preview_outdated", _l("Kết quả phân bổ đã khác bản xem trước (hồ sơ hoặc gian hàng vừa "
                                                 "thay đổi). Hãy xem lại trước khi áp dụng."), status=409)
    keep_plan = None if move_told else plan
    try:
        plan = plan_lock(plan.id)
        if plan.version != version + 1:
            raise DomainError("plan_changed", _l("Sơ đồ hoặc gian hàng vừa thay đổi trong lúc phân bổ. Vui lòng "
                                                 "chạy lại."), status=409)
        current = list(db.session.scalars(_plan_assignments(plan.id)))
        replaced = [a for a in current if not _kept(a, now, keep_plan)]
        kept = {(a.booth_id, a.application_id) for a in current if _kept(a, now, keep_plan)}
        told_before = {}
        for assignment in replaced:
            if told(assignment, plan):
                told_before.setdefault(assignment.application_id, []).append(assignment.booth)
        _set_status([a.booth_id for a in replaced], BoothStatus.AVAILABLE)
        for assignment in replaced:
            db.session.delete(assignment)
        db.session.flush()
        new_booths, created = [], {}
        for request_id, booth_ids in result.assignments.items():
            for booth_id in booth_ids:
                if (booth_id, request_id) in kept:
                    continue
                assignment = BoothAssignment(booth_id=booth_id, application_id=request_id,
                                             source=AllocationSource.AUTO, assigned_by_id=actor_user_id,
                                             assigned_at=now)
                db.session.add(assignment)
                created.setdefault(request_id, []).append(assignment)
                new_booths.append(booth_id)
        db.session.flush()
        _set_status(new_booths, BoothStatus.ASSIGNED)
        for application_id, old_booths in told_before.items():
            new = created.get(application_id, [])
            if sorted(b.id for b in old_booths) != sorted(a.booth_id for a in new):
                tell_exhibitor(db.session.get(BoothApplication, application_id), old_booths, new, now)
            else:
                for assignment in new:  # the same booths again: nothing to tell, still told
                    assignment.announced_at = now
        run_row = AllocationRun(
            plan_id=plan.id, created_by_id=actor_user_id, created_at=now,
            rules=asdict(rules) | {"priority_basis": priority_basis.value, "move_told": move_told},
            objective=result.objective, upper_bound=result.upper_bound, gap_percent=result.gap_percent,
            proven_optimal=result.proven_optimal, seconds=result.seconds, assigned=len(result.assignments),
            unassigned=len(result.unassigned),
            explanations={str(r): {"code": code, "text": explain(code, result.details[r])}
                          for r, code in result.unassigned.items()})
        db.session.add(run_row)
        record(plan.id, "auto_allocate", _("%(assigned)d đơn được xếp, %(unassigned)d chưa xếp; %(moved)d đơn vị "
                                           "đổi gian; đạt %(percent)s%% điểm tốt nhất có thể") % {
            "assigned": run_row.assigned, "unassigned": run_row.unassigned, "moved": len(planned.moves),
            "percent": quality_percent(result.objective, result.upper_bound)}, actor_user_id=actor_user_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return run_row


def quality_percent(objective: float, upper_bound: float) -> int:
    """How good a result is, in the officer's words: the share of the best score the rules could give."""
    if upper_bound <= 0:
        return 100
    return max(0, min(100, round(100 * objective / upper_bound)))


def announce(event_id: int, *, actor_user_id: int | None = None, now: datetime | None = None) -> int:
    """Tell every exhibitor placed but not yet told its booth (an e-mail each, with the reason); returns how many.
    From then on automatic runs keep those booths unless the organiser confirms moving them."""
    now = now or utcnow()
    plan = plan_lock(require_plan(event_id).id)
    pending: dict[int, list[BoothAssignment]] = {}
    query = _plan_assignments(plan.id).where(BoothAssignment.held_until.is_(None),
                                             BoothAssignment.announced_at.is_(None)).order_by(Booth.code)
    for assignment in db.session.scalars(query):
        pending.setdefault(assignment.application_id, []).append(assignment)
    for assignments in pending.values():
        tell_exhibitor(assignments[0].application, [], assignments, now)
    if pending:
        record(plan.id, "announce", _("%(n)d đơn vị được báo gian hàng") % {"n": len(pending)},
               actor_user_id=actor_user_id)
    db.session.commit()
    return len(pending)


def unannounced_count(plan_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(BoothAssignment.application_id)))
                             .select_from(BoothAssignment).join(Booth)
                             .where(Booth.plan_id == plan_id, BoothAssignment.held_until.is_(None),
                                    BoothAssignment.announced_at.is_(None))) or 0


def form_rules(run: AllocationRun | None) -> dict | None:
    """The rules of a run as the rules form shows them again."""
    if run is None:
        return None
    return run.rules | {"priority_basis": PriorityBasis(run.rules.get("priority_basis", "stars"))}


def latest_run(plan_id: int) -> AllocationRun | None:
    return db.session.scalar(sa.select(AllocationRun).where(AllocationRun.plan_id == plan_id)
                             .order_by(AllocationRun.id.desc()).limit(1))


def unplaced_applications(event_id: int) -> list[BoothApplication]:
    """Approved applications with no booth at all."""
    placed = sa.select(BoothAssignment.application_id)
    return list(db.session.scalars(sa.select(BoothApplication).where(
        BoothApplication.event_id == event_id, BoothApplication.status == ApplicationStatus.APPROVED,
        BoothApplication.id.not_in(placed)).order_by(BoothApplication.id)))


# Manual override -----------------------------------------------------------------------------------------

def _application(plan: FloorPlan, application_id: int) -> BoothApplication:
    application = db.session.get(BoothApplication, application_id) if is_db_id(application_id) else None
    if application is None or application.event_id != plan.event_id:
        raise NotFound()
    return application


def _assignments_of(application_id: int) -> list[BoothAssignment]:
    return list(db.session.scalars(sa.select(BoothAssignment).where(BoothAssignment.application_id == application_id)
                                   .order_by(BoothAssignment.booth_id)))


def _codes(booths) -> str:
    return ", ".join(sorted(b.code for b in booths))


def _fail(code: str, message, **params) -> DomainError:
    db.session.rollback()
    return DomainError(code, message, status=409 if code in {"booth_taken", "booth_blocked"} else 400, **params)


def _check_target(plan: FloorPlan, application: BoothApplication, booths: list[Booth], now: datetime) -> None:
    if application.status != ApplicationStatus.APPROVED:
        raise _fail("not_approved", _l("Chỉ xếp gian cho hồ sơ đã được duyệt."))
    if len(booths) != application.booths_requested:
        raise _fail("wrong_count", _l("Hồ sơ đăng ký %(n)d gian hàng: hãy chọn đúng %(n)d gian."),
                    n=application.booths_requested)
    wrong = [b for b in booths if not type_fits(application.booth_type.value, b.booth_type.value)]
    if wrong:
        raise _fail("wrong_type", _l("Gian %(codes)s không phải loại “%(type)s” mà hồ sơ đăng ký."),
                    codes=_codes(wrong), type=application.booth_type.label)
    blocked = [b for b in booths if b.status == BoothStatus.BLOCKED]
    if blocked:
        raise _fail("booth_blocked", _l("Gian %(codes)s đang bị khoá, không xếp được."), codes=_codes(blocked))
    taken = [b for b in booths if b.assignment is not None and b.assignment.application_id != application.id
             and (b.assignment.held_until is None or b.assignment.held_until > now)]
    if taken:
        raise _fail("booth_taken", _l("Gian %(codes)s đã có đơn vị khác. Hãy bỏ xếp hoặc đổi chỗ trước."),
                    codes=_codes(taken))
    if len(booths) > 1 and not booths_connected(booths):
        raise _fail("not_adjacent", _l("Các gian %(codes)s không liền kề nhau."), codes=_codes(booths))


def _place(plan: FloorPlan, application: BoothApplication, booths: list[Booth], *, locked: bool,
           actor_user_id: int | None, now: datetime) -> list[BoothAssignment]:
    for booth in booths:
        if booth.assignment is not None:  # an expired hold, or this application's own booth
            db.session.delete(booth.assignment)
    db.session.flush()
    placed = [BoothAssignment(booth_id=booth.id, application_id=application.id, source=AllocationSource.MANUAL,
                              locked=locked, assigned_by_id=actor_user_id, assigned_at=now) for booth in booths]
    db.session.add_all(placed)
    db.session.flush()
    _set_status([b.id for b in booths], BoothStatus.ASSIGNED)
    return placed


def _tell_if_told(knew: bool, application: BoothApplication, old_booths: list[Booth],
                  placed: list[BoothAssignment], now: datetime) -> None:
    """An exhibitor who knew its booth hears of the change; one who did not is told with everyone else later."""
    if knew and sorted(b.id for b in old_booths) != sorted(a.booth_id for a in placed):
        tell_exhibitor(application, old_booths, placed, now)


def move(event_id: int, application_id: int, booth_ids: list[int], *, actor_user_id: int | None = None,
         now: datetime | None = None) -> list[Booth]:
    """Put an application in these booths (its old ones are freed); the lock flag is kept."""
    now = now or utcnow()
    plan = plan_lock(require_plan(event_id).id)
    application = _application(plan, application_id)
    if not all(is_db_id(booth_id) for booth_id in booth_ids):
        raise _fail("unknown_booth", _l("Gian hàng không có trong sơ đồ của sự kiện."))
    booths = list(db.session.scalars(sa.select(Booth).where(Booth.plan_id == plan.id, Booth.id.in_(set(booth_ids)))
                                     .order_by(Booth.code)))
    if not booths or len(booths) != len(set(booth_ids)):
        raise _fail("unknown_booth", _l("Gian hàng không có trong sơ đồ của sự kiện."))
    _check_target(plan, application, booths, now)
    before = _assignments_of(application.id)
    knew = bool(before) and all(told(a, plan) for a in before)
    locked = any(a.locked for a in before)
    old_booths = [a.booth for a in before]
    _set_status([b.id for b in old_booths if b not in booths], BoothStatus.AVAILABLE)
    for assignment in before:
        db.session.delete(assignment)
    db.session.flush()
    for booth in booths:
        db.session.refresh(booth)
    placed = _place(plan, application, booths, locked=locked, actor_user_id=actor_user_id, now=now)
    _tell_if_told(knew, application, old_booths, placed, now)
    detail = (_("%(name)s: %(old)s → %(new)s") if old_booths else _("%(name)s → %(new)s")) % {
        "name": application.exhibitor.name, "old": _codes(old_booths), "new": _codes(booths)}
    record(plan.id, "move" if old_booths else "assign", detail, booth_id=booths[0].id, application_id=application.id,
           actor_user_id=actor_user_id)
    db.session.commit()
    return booths


def swap(event_id: int, first_id: int, second_id: int, *, actor_user_id: int | None = None,
         now: datetime | None = None) -> tuple[BoothApplication, BoothApplication]:
    """Exchange the booths of two applications (same number of booths, each type fitting the other's)."""
    now = now or utcnow()
    plan = plan_lock(require_plan(event_id).id)
    first, second = _application(plan, first_id), _application(plan, second_id)
    mine, theirs = _assignments_of(first.id), _assignments_of(second.id)
    if first.id == second.id or not mine or not theirs:
        raise _fail("swap_needs_two", _l("Chỉ đổi chỗ được giữa hai đơn vị khác nhau đều đã có gian."))
    if any(a.held_until is not None for a in mine + theirs):
        raise _fail("swap_hold", _l("Không đổi chỗ gian đang được giữ chỗ khi đơn vị tự chọn."))
    first_booths, second_booths = [a.booth for a in mine], [a.booth for a in theirs]
    for application, booths in ((first, second_booths), (second, first_booths)):
        if len(booths) != application.booths_requested or \
                not all(type_fits(application.booth_type.value, b.booth_type.value) for b in booths):
            raise _fail("swap_mismatch", _l("Không đổi chỗ được: %(name)s cần %(n)d gian loại “%(type)s”."),
                        name=application.exhibitor.name, n=application.booths_requested,
                        type=application.booth_type.label)
    locks = {first.id: any(a.locked for a in mine), second.id: any(a.locked for a in theirs)}
    knew = {first.id: all(told(a, plan) for a in mine), second.id: all(told(a, plan) for a in theirs)}
    for assignment in mine + theirs:
        db.session.delete(assignment)
    db.session.flush()
    for booth in first_booths + second_booths:
        db.session.refresh(booth)
    placed_first = _place(plan, first, second_booths, locked=locks[first.id], actor_user_id=actor_user_id, now=now)
    placed_second = _place(plan, second, first_booths, locked=locks[second.id], actor_user_id=actor_user_id, now=now)
    _tell_if_told(knew[first.id], first, first_booths, placed_first, now)
    _tell_if_told(knew[second.id], second, second_booths, placed_second, now)
    record(plan.id, "swap", _("%(a)s (%(a_booths)s) ⇄ %(b)s (%(b_booths)s)") % {
        "a": first.exhibitor.name, "a_booths": _codes(first_booths), "b": second.exhibitor.name,
        "b_booths": _codes(second_booths)}, booth_id=first_booths[0].id, application_id=first.id,
        actor_user_id=actor_user_id)
    db.session.commit()
    return first, second


def unassign(event_id: int, application_id: int, *, actor_user_id: int | None = None,
             now: datetime | None = None) -> None:
    plan = plan_lock(require_plan(event_id).id)
    application = _application(plan, application_id)
    before = _assignments_of(application.id)
    if not before:
        raise _fail("not_assigned", _l("Đơn vị này chưa có gian hàng."))
    booths = [a.booth for a in before]
    if all(told(a, plan) for a in before):
        tell_exhibitor(application, booths, [], now or utcnow())
    _set_status([b.id for b in booths], BoothStatus.AVAILABLE)
    for assignment in before:
        db.session.delete(assignment)
    record(plan.id, "unassign", _("%(name)s: bỏ %(booths)s") % {"name": application.exhibitor.name,
                                                               "booths": _codes(booths)},
           booth_id=booths[0].id, application_id=application.id, actor_user_id=actor_user_id)
    db.session.commit()


def set_locked(event_id: int, application_id: int, locked: bool, *, actor_user_id: int | None = None) -> None:
    """A locked application keeps its booths through every automatic run."""
    plan = plan_lock(require_plan(event_id).id)
    application = _application(plan, application_id)
    before = _assignments_of(application.id)
    if not before:
        raise _fail("not_assigned", _l("Đơn vị này chưa có gian hàng."))
    if any(a.held_until is not None for a in before):
        raise _fail("lock_hold", _l("Gian đang được giữ chỗ chưa xác nhận, chưa khoá được."))
    for assignment in before:
        assignment.locked = locked
    record(plan.id, "lock" if locked else "unlock", _("%(name)s: %(booths)s") % {
        "name": application.exhibitor.name, "booths": _codes(a.booth for a in before)},
        booth_id=before[0].booth_id, application_id=application.id, actor_user_id=actor_user_id)
    db.session.commit()


def booth_ids_for_codes(event_id: int, text: str) -> list[int]:
    """Booth codes typed by the organiser ("A01, A02") → ids; an unknown code is named in the message."""
    plan = require_plan(event_id)
    codes = sorted({c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()})
    found = dict(db.session.execute(sa.select(sa.func.upper(Booth.code), Booth.id).where(
        Booth.plan_id == plan.id, sa.func.upper(Booth.code).in_(codes))).all())
    missing = [c for c in codes if c not in found]
    if missing or not codes:
        raise DomainError("unknown_booth", _l("Không có gian mã %(codes)s trong sơ đồ."),
                          codes=", ".join(missing) or "—")
    return [found[c] for c in codes]


def assignment_rows(plan_id: int, now: datetime | None = None) -> list[tuple[BoothApplication, list[Booth], bool]]:
    """Each application holding booths (holds included), its booths and whether it is locked."""
    now = now or utcnow()
    rows: dict[int, tuple[BoothApplication, list[Booth], bool]] = {}
    query = _plan_assignments(plan_id).where(_live_assignment(now)).order_by(Booth.code)
    for assignment in db.session.scalars(query):
        application, booths, locked = rows.get(assignment.application_id, (assignment.application, [], False))
        rows[assignment.application_id] = (application, booths + [assignment.booth], locked or assignment.locked)
    return sorted(rows.values(), key=lambda row: row[1][0].code)


def actor_names(entries) -> dict[int, str]:
    """Who made each audited change: user id → name."""
    ids = {e.actor_user_id for e in entries if e.actor_user_id}
    return dict(db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
