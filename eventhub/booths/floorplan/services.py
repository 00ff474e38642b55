"""The floor plan of an event: hall settings, zones and booths on a metre grid, with the layout rules
(inside the hall, no overlaps, unique codes) checked in full before anything is written. Every change
runs under `plan_lock`, which bumps `floor_plans.version`."""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from math import hypot

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ... import locking
from ...errors import DomainError, NotFound, ValidationFailed
from ...events.signals import event_cloned
from ...extensions import db
from ...lookup import get_owned
from ...models_base import copy_row
from ...timeutil import utcnow
from ..allocation.models import BoothAssignment
from ..applications.models import BoothApplication, Exhibitor
from .models import BookingMode, Booth, BoothAuditLog, BoothStatus, BoothType, BoothZone, FloorPlan

EPSILON = 1e-6  # metres; positions are rounded to centimetres, so this only absorbs float noise
MAX_HALL_M = 1000.0
MAX_ROW_COUNT = 100
MIN_HOLD_MINUTES, MAX_HOLD_MINUTES = 1, 120
MAX_PREMIUM = 3
MAX_PRICE_VND = 2_000_000_000
MAX_CODE_LENGTH = 20
MAX_FIRST_NUMBER, MAX_DIGITS = 9999, 4


class LayoutRuleBroken(ValidationFailed):
    """A layout rule broken by one input field: 422 with the rule's stable code and the message beside the field,
    so a page's form shows it where the field is (`eventhub.forms.submit`)."""

    def __init__(self, code: str, field: str, message, **params):
        super().__init__({}, message)
        self.code, self.params = code, params
        self.fields = {field: [str(self)]}


_invalid = LayoutRuleBroken


def _metres(value: float) -> float:
    return round(float(value), 2)


# Geometry ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    depth: float

    @classmethod
    def of(cls, item) -> "Rect":
        return cls(item.x_m, item.y_m, item.width_m, item.depth_m)

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.depth

    def overlaps(self, other: "Rect") -> bool:
        """Sharing an area; touching edges do not count."""
        return (self.x < other.right - EPSILON and other.x < self.right - EPSILON
                and self.y < other.bottom - EPSILON and other.y < self.bottom - EPSILON)

    def contains(self, other: "Rect") -> bool:
        return (other.x >= self.x - EPSILON and other.y >= self.y - EPSILON
                and other.right <= self.right + EPSILON and other.bottom <= self.bottom + EPSILON)


def _overlap_length(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    return min(a_end, b_end) - max(a_start, b_start)


def adjacent_pairs(booths) -> list[tuple[int, int]]:
    """Pairs (smaller id, larger id) of booths that share an edge segment of positive length.
    Booths are bucketed by the coordinate of their edges, so large halls stay fast."""
    pairs = set()
    for axis in ("x", "y"):
        starts: dict[float, list] = {}
        for booth in booths:
            rect = Rect.of(booth)
            start = rect.x if axis == "x" else rect.y
            starts.setdefault(round(start, 2), []).append((booth.id, rect))
        for booth in booths:
            rect = Rect.of(booth)
            end = rect.right if axis == "x" else rect.bottom
            for other_id, other in starts.get(round(end, 2), ()):
                shared = (_overlap_length(rect.y, rect.bottom, other.y, other.bottom) if axis == "x"
                          else _overlap_length(rect.x, rect.right, other.x, other.right))
                if shared > EPSILON:
                    pairs.add((min(booth.id, other_id), max(booth.id, other_id)))
    return sorted(pairs)


def spot_quality(booth, plan) -> float:
    """0..1: half the organiser's premium (0–3), half nearness of the booth's centre to the entrance."""
    rect = Rect.of(booth)
    distance = hypot(rect.x + rect.width / 2 - plan.entrance_x_m, rect.y + rect.depth / 2 - plan.entrance_y_m)
    nearness = 1 - min(distance / hypot(plan.hall_width_m, plan.hall_depth_m), 1)
    return round(0.5 * booth.premium / 3 + 0.5 * nearness, 4)


# Reading -----------------------------------------------------------------------------------------

def get_plan(event_id: int) -> FloorPlan | None:
    return db.session.scalar(sa.select(FloorPlan).where(FloorPlan.event_id == event_id))


def require_plan(event_id: int) -> FloorPlan:
    plan = get_plan(event_id)
    if plan is None:
        raise NotFound(_l("Sự kiện chưa có sơ đồ gian hàng."))
    return plan


def get_booth(plan_id: int, booth_id: int) -> Booth:
    return get_owned(Booth, booth_id, plan_id=plan_id)


def get_zone(plan_id: int, zone_id: int) -> BoothZone:
    return get_owned(BoothZone, zone_id, plan_id=plan_id)


def booths(plan_id: int, *, fresh: bool = False) -> list[Booth]:
    """`fresh` re-reads rows already in the session, as the layout checks under the lock must."""
    return list(db.session.scalars(sa.select(Booth).where(Booth.plan_id == plan_id).order_by(Booth.code)
                                   .execution_options(populate_existing=fresh)))


def zones(plan_id: int, *, fresh: bool = False) -> list[BoothZone]:
    return list(db.session.scalars(sa.select(BoothZone).where(BoothZone.plan_id == plan_id)
                                   .order_by(BoothZone.name).execution_options(populate_existing=fresh)))


@dataclass(frozen=True)
class Occupant:
    application_id: int | None  # None, with no name, where the viewer may only know the booth is taken
    exhibitor_name: str
    held: bool = False


def occupants(plan_id: int, *, include_holds: bool = True, now: datetime | None = None) -> dict[int, Occupant]:
    """Who is in each booth: booth id → occupant. Expired self-booking holds count as free."""
    now = now or utcnow()
    live_hold = sa.and_(BoothAssignment.held_until.is_not(None), BoothAssignment.held_until > now)
    query = (sa.select(BoothAssignment.booth_id, BoothApplication.id, Exhibitor.name, live_hold)
             .join(Booth, Booth.id == BoothAssignment.booth_id)
             .join(BoothApplication, BoothApplication.id == BoothAssignment.application_id)
             .join(Exhibitor, Exhibitor.id == BoothApplication.exhibitor_id)
             .where(Booth.plan_id == plan_id))
    held_condition = BoothAssignment.held_until.is_(None)
    if include_holds:
        held_condition = sa.or_(held_condition, live_hold)
    rows = db.session.execute(query.where(held_condition))
    return {booth_id: Occupant(application_id, name, bool(held)) for booth_id, application_id, name, held in rows}


def status_counts(plan_id: int) -> dict[BoothStatus, int]:
    rows = db.session.execute(sa.select(Booth.status, sa.func.count()).where(Booth.plan_id == plan_id)
                              .group_by(Booth.status))
    counts = dict.fromkeys(BoothStatus, 0)
    counts.update(dict(rows.all()))
    return counts


def audit_log(plan_id: int, limit: int = 200) -> list[BoothAuditLog]:
    return list(db.session.scalars(sa.select(BoothAuditLog).where(BoothAuditLog.plan_id == plan_id)
                                   .order_by(BoothAuditLog.created_at.desc(), BoothAuditLog.id.desc()).limit(limit)))


# Locking and audit -------------------------------------------------------------------------------

def plan_lock(plan_id: int) -> FloorPlan:
    """Serialise every change of one plan (layout, assignments, holds) on its version (see `locking`); what
    callers loaded before must be refreshed afterwards."""
    return locking.lock_row(FloorPlan.version, plan_id)


AUDIT_ACTIONS = {
    "assign": _l("Xếp gian"), "move": _l("Chuyển gian"), "swap": _l("Đổi gian"), "unassign": _l("Gỡ khỏi gian"),
    "lock": _l("Giữ cố định"), "unlock": _l("Bỏ giữ cố định"), "hold": _l("Giữ chỗ"),
    "confirm": _l("Xác nhận chọn gian"), "release": _l("Trả gian"), "auto_allocate": _l("Phân bổ tự động"),
    "announce": _l("Báo gian cho đơn vị"),
    "block": _l("Khoá gian"), "unblock": _l("Mở lại gian"),
}


def record(plan_id: int, action: str, detail: str = "", *, booth_id: int | None = None,
           application_id: int | None = None, actor_user_id: int | None = None) -> None:
    """Add an audit entry to the current transaction (the caller commits)."""
    db.session.add(BoothAuditLog(plan_id=plan_id, action=action, detail=detail, booth_id=booth_id,
                                 application_id=application_id, actor_user_id=actor_user_id))


@contextmanager
def _changing(plan_id: int) -> Iterator[FloorPlan]:
    """The plan under `plan_lock`; a broken rule rolls back the whole change, version bump included."""
    plan = plan_lock(plan_id)
    try:
        yield plan
    except Exception:
        db.session.rollback()
        raise


def _commit(conflict_field: str, conflict) -> None:
    try:
        db.session.commit()
    except IntegrityError as error:  # a concurrent writer took the same code or name
        db.session.rollback()
        raise _invalid("duplicate", conflict_field, conflict) from error


# Hall --------------------------------------------------------------------------------------------

@dataclass
class PlanSettings:
    hall_width_m: float
    hall_depth_m: float
    entrance_x_m: float
    entrance_y_m: float
    booking_mode: BookingMode = BookingMode.ALLOCATION
    self_booking_open: bool = False
    hold_minutes: int = 10
    setup_instructions_md: str = ""


def _check_hall(settings: PlanSettings, plan: FloorPlan | None) -> None:
    for name in ("hall_width_m", "hall_depth_m"):
        if not 0 < getattr(settings, name) <= MAX_HALL_M:
            raise _invalid("hall_size", name, _l("Kích thước hội trường phải lớn hơn 0 và không quá %(max)d m."),
                           max=int(MAX_HALL_M))
    hall = Rect(0, 0, settings.hall_width_m, settings.hall_depth_m)
    if not hall.contains(Rect(settings.entrance_x_m, settings.entrance_y_m, 0, 0)):
        raise _invalid("entrance_outside", "entrance_x_m", _l("Lối vào phải nằm trong hoặc trên cạnh hội trường."))
    if not MIN_HOLD_MINUTES <= settings.hold_minutes <= MAX_HOLD_MINUTES:
        raise _invalid("hold_minutes", "hold_minutes", _l("Thời gian giữ chỗ phải từ %(min)d đến %(max)d phút."),
                       min=MIN_HOLD_MINUTES, max=MAX_HOLD_MINUTES)
    if plan is None:
        return
    for item in [*zones(plan.id, fresh=True), *booths(plan.id, fresh=True)]:
        if not hall.contains(Rect.of(item)):
            raise _invalid("hall_too_small", "hall_width_m",
                           _l("Hội trường mới quá nhỏ: “%(name)s” sẽ nằm ngoài hội trường."),
                           name=getattr(item, "code", None) or item.name)


def save_plan(event_id: int, settings: PlanSettings) -> FloorPlan:
    """Create the event's plan or change its hall settings."""
    for name in ("hall_width_m", "hall_depth_m", "entrance_x_m", "entrance_y_m"):
        setattr(settings, name, _metres(getattr(settings, name)))
    settings.setup_instructions_md = (settings.setup_instructions_md or "").strip()
    existing = get_plan(event_id)
    if existing is None:
        _check_hall(settings, None)
        plan = FloorPlan(event_id=event_id, **{f.name: getattr(settings, f.name) for f in fields(settings)})
        db.session.add(plan)
        try:
            db.session.commit()
        except IntegrityError:  # created meanwhile by another request: update that one
            db.session.rollback()
            return save_plan(event_id, settings)
        return plan
    with _changing(existing.id) as plan:
        _check_hall(settings, plan)
        for f in fields(settings):
            setattr(plan, f.name, getattr(settings, f.name))
        db.session.commit()
    return plan


def set_published(plan_id: int, published: bool) -> FloorPlan:
    with _changing(plan_id) as plan:
        plan.is_published = published
        db.session.commit()
    return plan


# Zones -------------------------------------------------------------------------------------------

@dataclass
class ZoneSpec:
    name: str
    x_m: float
    y_m: float
    width_m: float
    depth_m: float
    booth_type: BoothType | None = None
    colour: str = "#e8f0fe"


def _check_size(width: float, depth: float) -> None:
    if width <= 0 or depth <= 0:
        raise _invalid("size_not_positive", "width_m", _l("Chiều rộng và chiều sâu phải lớn hơn 0."))


def _check_zone(plan: FloorPlan, zone_id: int | None, spec: ZoneSpec) -> None:
    if not spec.name:
        raise _invalid("name_required", "name", _l("Vui lòng nhập tên khu."))
    _check_size(spec.width_m, spec.depth_m)
    rect = Rect.of(spec)
    if not Rect(0, 0, plan.hall_width_m, plan.hall_depth_m).contains(rect):
        raise _invalid("zone_outside_hall", "x_m", _l("Khu “%(name)s” nằm ngoài hội trường (%(width)s × %(depth)s m)."),
                       name=spec.name, width=f"{plan.hall_width_m:g}", depth=f"{plan.hall_depth_m:g}")
    for other in zones(plan.id, fresh=True):
        if other.id == zone_id:
            continue
        if other.name == spec.name:
            raise _invalid("duplicate_zone", "name", _l("Sơ đồ đã có khu tên “%(name)s”."), name=spec.name)
        if Rect.of(other).overlaps(rect):
            raise _invalid("zone_overlap", "x_m", _l("Khu “%(name)s” chồng lấn khu “%(other)s”."),
                           name=spec.name, other=other.name)
    if zone_id is not None:
        for booth in booths(plan.id, fresh=True):
            if booth.zone_id == zone_id and not rect.contains(Rect.of(booth)):
                raise _invalid("zone_leaves_booth", "width_m",
                               _l("Gian hàng %(booth)s sẽ nằm ngoài khu “%(name)s”; hãy chuyển gian hàng trước."),
                               booth=booth.code, name=spec.name)


def save_zone(plan_id: int, zone_id: int | None, spec: ZoneSpec) -> BoothZone:
    spec.name = " ".join((spec.name or "").split())
    for name in ("x_m", "y_m", "width_m", "depth_m"):
        setattr(spec, name, _metres(getattr(spec, name)))
    with _changing(plan_id) as plan:
        zone = get_zone(plan.id, zone_id) if zone_id is not None else BoothZone(plan_id=plan.id)
        _check_zone(plan, zone_id, spec)
        for f in fields(spec):
            setattr(zone, f.name, getattr(spec, f.name))
        db.session.add(zone)
        _commit("name", _l("Sơ đồ đã có khu tên “%(name)s”.", name=spec.name))
    return zone


def delete_zone(plan_id: int, zone_id: int) -> None:
    """Its booths stay, without a zone."""
    with _changing(plan_id) as plan:
        db.session.delete(get_zone(plan.id, zone_id))
        db.session.commit()


# Booths ------------------------------------------------------------------------------------------

@dataclass
class BoothSpec:
    code: str
    booth_type: BoothType
    x_m: float
    y_m: float
    width_m: float = 3.0
    depth_m: float = 3.0
    price_vnd: int = 0
    zone_id: int | None = None
    has_power: bool = False
    has_water: bool = False
    is_corner: bool = False
    premium: int = 0
    note: str | None = None


def _normalise(spec: BoothSpec) -> BoothSpec:
    spec.code = "".join((spec.code or "").split()).upper()
    for name in ("x_m", "y_m", "width_m", "depth_m"):
        setattr(spec, name, _metres(getattr(spec, name)))
    spec.note = (spec.note or "").strip() or None
    return spec


def _check_booths(plan: FloorPlan, specs: list[tuple[int | None, BoothSpec]]) -> None:
    """Check new or changed booths against the hall, their zones, each other and the rest of the plan."""
    hall = Rect(0, 0, plan.hall_width_m, plan.hall_depth_m)
    changed_ids = {booth_id for booth_id, _ in specs if booth_id is not None}
    others = [b for b in booths(plan.id, fresh=True) if b.id not in changed_ids]
    placed = [(b.code, Rect.of(b)) for b in others]
    codes = {b.code for b in others}
    zones_by_id = {z.id: z for z in zones(plan.id, fresh=True)}
    for _, spec in specs:
        if not spec.code:
            raise _invalid("code_required", "code", _l("Vui lòng nhập mã gian hàng."))
        if len(spec.code) > MAX_CODE_LENGTH:
            raise _invalid("code_too_long", "code", _l("Mã gian hàng không được dài quá %(max)d ký tự."),
                           max=MAX_CODE_LENGTH)
        if spec.code in codes:
            raise _invalid("duplicate_code", "code", _l("Mã gian hàng %(booth)s đã có trong sơ đồ."), booth=spec.code)
        _check_size(spec.width_m, spec.depth_m)
        if spec.price_vnd < 0:
            raise _invalid("negative_price", "price_vnd", _l("Giá gian hàng không được âm."))
        if spec.price_vnd > MAX_PRICE_VND:
            raise _invalid("price_too_high", "price_vnd", _l("Giá gian hàng quá lớn."))
        if not 0 <= spec.premium <= MAX_PREMIUM:
            raise _invalid("premium_range", "premium", _l("Mức ưu tiên vị trí phải từ 0 đến %(max)d."), max=MAX_PREMIUM)
        rect = Rect.of(spec)
        if not hall.contains(rect):
            raise _invalid("outside_hall", "x_m",
                           _l("Gian hàng %(booth)s nằm ngoài hội trường (rộng %(width)s m, sâu %(depth)s m)."),
                           booth=spec.code, width=f"{plan.hall_width_m:g}", depth=f"{plan.hall_depth_m:g}")
        if spec.zone_id is not None:
            zone = zones_by_id.get(spec.zone_id)
            if zone is None:
                raise _invalid("unknown_zone", "zone_id", _l("Khu đã chọn không thuộc sơ đồ này."))
            if not Rect.of(zone).contains(rect):
                raise _invalid("outside_zone", "zone_id", _l("Gian hàng %(booth)s nằm ngoài khu “%(zone)s”."),
                               booth=spec.code, zone=zone.name)
        for code, other in placed:
            if rect.overlaps(other):
                raise _invalid("booth_overlap", "x_m", _l("Gian hàng %(booth)s chồng lấn gian hàng %(other)s."),
                               booth=spec.code, other=code)
        placed.append((spec.code, rect))
        codes.add(spec.code)


def _apply(booth: Booth, spec: BoothSpec) -> None:
    for f in fields(spec):
        setattr(booth, f.name, getattr(spec, f.name))


def save_booth(plan_id: int, booth_id: int | None, spec: BoothSpec) -> Booth:
    spec = _normalise(spec)
    with _changing(plan_id) as plan:
        booth = get_booth(plan.id, booth_id) if booth_id is not None else Booth(plan_id=plan.id)
        _check_booths(plan, [(booth_id, spec)])
        _apply(booth, spec)
        db.session.add(booth)
        _commit("code", _l("Mã gian hàng %(booth)s đã có trong sơ đồ.", booth=spec.code))
    return booth


def place_booth(plan_id: int, booth_id: int, *, x_m: float, y_m: float, width_m: float, depth_m: float) -> Booth:
    """Move or resize a booth (the editor's drag and handle): it belongs to the zone it lands in, if any;
    everything else stays."""
    booth = get_booth(plan_id, booth_id)
    spec = BoothSpec(**{f.name: getattr(booth, f.name) for f in fields(BoothSpec)})
    spec.x_m, spec.y_m, spec.width_m, spec.depth_m = x_m, y_m, width_m, depth_m
    landing = Rect(_metres(x_m), _metres(y_m), _metres(width_m), _metres(depth_m))
    spec.zone_id = next((z.id for z in zones(plan_id) if Rect.of(z).contains(landing)), None)
    return save_booth(plan_id, booth_id, spec)


def delete_booth(plan_id: int, booth_id: int) -> None:
    with _changing(plan_id) as plan:
        booth = get_booth(plan.id, booth_id)
        taken = db.session.scalar(sa.select(sa.func.count()).select_from(BoothAssignment)
                                  .where(BoothAssignment.booth_id == booth.id))
        if taken:
            raise DomainError("booth_taken", _l("Gian hàng %(booth)s đã có đơn vị; hãy gỡ phân bổ trước khi xoá."),
                              status=409, booth=booth.code)
        db.session.delete(booth)
        db.session.commit()


class RowDirection:
    RIGHT = "right"
    DOWN = "down"
    ALL = (RIGHT, DOWN)


@dataclass
class RowSpec:
    """A row of identical booths from a start point, numbered prefix + first_number, first_number + 1, …"""
    x_m: float
    y_m: float
    direction: str
    count: int
    width_m: float
    depth_m: float
    booth_type: BoothType
    prefix: str
    first_number: int = 1
    digits: int = 2
    price_vnd: int = 0
    zone_id: int | None = None
    has_power: bool = False
    has_water: bool = False


def row_booths(row: RowSpec) -> list[BoothSpec]:
    if not 1 <= row.count <= MAX_ROW_COUNT:
        raise _invalid("row_count", "count", _l("Số gian trong một dãy phải từ 1 đến %(max)d."), max=MAX_ROW_COUNT)
    if row.direction not in RowDirection.ALL:
        raise _invalid("row_direction", "direction", _l("Hướng của dãy không hợp lệ."))
    if not 0 <= row.first_number <= MAX_FIRST_NUMBER or not 1 <= row.digits <= MAX_DIGITS:
        raise _invalid("row_numbering", "first_number", _l("Cách đánh số không hợp lệ."))
    step_x, step_y = (row.width_m, 0) if row.direction == RowDirection.RIGHT else (0, row.depth_m)
    specs = []
    for i in range(row.count):
        specs.append(_normalise(BoothSpec(
            code=f"{row.prefix}{row.first_number + i:0{row.digits}d}", booth_type=row.booth_type,
            x_m=row.x_m + i * step_x, y_m=row.y_m + i * step_y, width_m=row.width_m, depth_m=row.depth_m,
            price_vnd=row.price_vnd, zone_id=row.zone_id, has_power=row.has_power, has_water=row.has_water,
            # The two ends of a row are open on a second side.
            is_corner=row.count > 1 and i in (0, row.count - 1))))
    return specs


def generate_row(plan_id: int, row: RowSpec) -> list[Booth]:
    """All of the row or nothing: one booth that breaks a rule rejects the whole row."""
    specs = row_booths(row)
    with _changing(plan_id) as plan:
        _check_booths(plan, [(None, spec) for spec in specs])
        created = []
        for spec in specs:
            booth = Booth(plan_id=plan.id)
            _apply(booth, spec)
            created.append(booth)
        db.session.add_all(created)
        _commit("prefix", _l("Mã gian hàng trong dãy đã có trong sơ đồ."))
    return created


# Booth status ------------------------------------------------------------------------------------

def _drop_expired_hold(plan: FloorPlan, booth: Booth, now: datetime, actor_user_id: int | None) -> None:
    """An expired self-booking hold counts as free; whoever next claims the booth deletes it."""
    expired = db.session.scalar(sa.select(BoothAssignment).where(
        BoothAssignment.booth_id == booth.id, BoothAssignment.held_until <= now))
    if expired is not None:
        record(plan.id, "release", "giữ chỗ đã hết hạn", booth_id=booth.id,  # the log's words are Vietnamese
               application_id=expired.application_id, actor_user_id=actor_user_id)
        db.session.delete(expired)
        booth.status = BoothStatus.AVAILABLE


def set_blocked(plan_id: int, booth_id: int, blocked: bool, *, actor_user_id: int | None = None,
                reason: str = "", now: datetime | None = None) -> Booth:
    """Take a free booth out of use (a pillar, the organiser's own stand) or give it back; audited."""
    with _changing(plan_id) as plan:
        booth = get_booth(plan.id, booth_id)
        if blocked:
            _drop_expired_hold(plan, booth, now or utcnow(), actor_user_id)
            if booth.status != BoothStatus.AVAILABLE:
                raise DomainError("booth_not_free", _l("Chỉ khoá được gian hàng đang trống; gian %(booth)s đang ở "
                                                       "trạng thái “%(label)s”."), status=409, booth=booth.code,
                                  label=booth.status.label)
        elif booth.status != BoothStatus.BLOCKED:
            raise DomainError("booth_not_blocked", _l("Gian hàng %(booth)s không bị khoá."), status=409,
                              booth=booth.code)
        booth.status = BoothStatus.BLOCKED if blocked else BoothStatus.AVAILABLE
        record(plan.id, "block" if blocked else "unblock", (reason or "").strip()[:500], booth_id=booth.id,
               actor_user_id=actor_user_id)
        db.session.commit()
    return booth


@event_cloned.connect
def _copy_floor_plan(_sender, source_id: int, clone_id: int, copied: dict, **_extra) -> None:
    """A cloned event keeps its hall, zones and booths (types, sizes, prices, blocked booths) as an unpublished
    plan with every other booth free: applications, holds and allocations belong to the source."""
    plan = db.session.scalar(sa.select(FloorPlan).where(FloorPlan.event_id == source_id))
    if plan is None:
        return
    copy = copy_row(plan, event_id=clone_id, is_published=False, self_booking_open=False, version=0)
    db.session.add(copy)
    db.session.flush()
    zones = copied.setdefault("booth_zones", {})
    for zone in plan.zones:
        zone_copy = copy_row(zone, plan_id=copy.id)
        db.session.add(zone_copy)
        db.session.flush()
        zones[zone.id] = zone_copy.id
    for booth in plan.booths:
        status = BoothStatus.BLOCKED if booth.status == BoothStatus.BLOCKED else BoothStatus.AVAILABLE
        db.session.add(copy_row(booth, plan_id=copy.id, zone_id=zones.get(booth.zone_id), status=status))
    db.session.flush()
