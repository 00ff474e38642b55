"""Exhibitors and their booth applications: sign-up, applying to an event's fair, products and documents,
the organiser's review (approve, reject with a reason, waiting list) with e-mails through the outbox."""
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ...accounts import services as accounts
from ...accounts.models import User
from ...contact import normalise_email, normalise_phone
from ...errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from ...events.models import Event, EventStatus, Visibility
from ...extensions import db
from ...text import search_key
from ...timeutil import this_year, utcnow
from ...uploads import commit_or_remove, store, uploads_dir
from ..allocation.models import BoothAssignment
from ..floorplan.models import Booth, BoothStatus, BoothType, BoothZone, FloorPlan
from ..floorplan.services import adjacent_pairs, get_plan, plan_lock
from ..selfbooking.services import fitting_types, release_all
from .models import (
    ApplicationStatus,
    BoothApplication,
    Exhibitor,
    ExhibitorKind,
    ExhibitorProduct,
    ProductGroup,
    StartupStage,
)
from .uploads import inspect_upload

MAX_BOOTHS_PER_APPLICATION = 4
MAX_STAFF = 50
MAX_PRODUCTS = 10
OCOP_STARS = range(3, 6)
OCOP_FIRST_YEAR = 2018  # the OCOP programme's first ratings
OPEN_STATUSES = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, ApplicationStatus.WAITLISTED})


# Exhibitors and their accounts ----------------------------------------------------------------

@dataclass
class ExhibitorDetails:
    """Who the exhibitor is; `email` is also the sign-in of its account."""

    name: str
    kind: ExhibitorKind
    contact_name: str
    email: str
    phone: str
    province: str
    registration_no: str | None = None
    sub_unit: str | None = None
    description: str | None = None


def _exhibitor_problems(details: ExhibitorDetails) -> dict[str, list]:
    problems: dict[str, list] = {}
    for name, message in (("name", _l("Vui lòng nhập tên đơn vị trưng bày.")),
                          ("contact_name", _l("Vui lòng nhập tên người liên hệ.")),
                          ("province", _l("Vui lòng nhập tỉnh/thành phố.")),
                          ("phone", _l("Vui lòng nhập số điện thoại."))):
        if not (getattr(details, name) or "").strip():
            problems.setdefault(name, []).append(message)
    if (details.phone or "").strip() and normalise_phone(details.phone) is None:
        problems.setdefault("phone", []).append(
            _l("Số điện thoại không hợp lệ (10 số bắt đầu bằng 0, hoặc +84 và 9 số)."))
    try:
        validate_email((details.email or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        problems.setdefault("email", []).append(_l("Địa chỉ e-mail không hợp lệ."))
    return problems


def sign_up(details: ExhibitorDetails, password: str, now: datetime | None = None) -> Exhibitor:
    """An exhibitor's own account: an ordinary user with no organisation membership, and its exhibitor. The
    caller has the contact person's consent to the processing of the data; it is recorded with the time."""
    problems = _exhibitor_problems(details)
    email = normalise_email(details.email or "")
    password_problems = accounts.password_problems(password or "", email)
    if password_problems:
        problems.setdefault("password", []).extend(password_problems)
    if "email" not in problems and db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        problems.setdefault("email", []).append(_l("E-mail này đã có tài khoản. Hãy đăng nhập."))
    if problems:
        raise ValidationFailed(problems)
    now = now or utcnow()
    user = accounts.create_user(email, details.contact_name, password)
    exhibitor = Exhibitor(user_id=user.id, created_at=now, consented_at=now)
    _apply_exhibitor(exhibitor, details)
    db.session.add(exhibitor)
    db.session.commit()
    return exhibitor


def _apply_exhibitor(exhibitor: Exhibitor, details: ExhibitorDetails) -> None:
    exhibitor.name = " ".join(details.name.split())
    exhibitor.name_key = search_key(details.name)
    exhibitor.kind = details.kind
    exhibitor.registration_no = (details.registration_no or "").strip() or None
    exhibitor.contact_name = " ".join(details.contact_name.split())
    exhibitor.email = normalise_email(details.email)
    exhibitor.phone = normalise_phone(details.phone)
    exhibitor.province = details.province.strip()
    exhibitor.sub_unit = (details.sub_unit or "").strip() or None
    exhibitor.description = (details.description or "").strip() or None


def get_exhibitor(exhibitor_id: int) -> Exhibitor:
    exhibitor = db.session.get(Exhibitor, exhibitor_id)
    if exhibitor is None:
        raise NotFound()
    return exhibitor


def exhibitor_of(user) -> Exhibitor | None:
    """The exhibitor a signed-in account speaks for, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(sa.select(Exhibitor).where(Exhibitor.user_id == user.id))


def is_exhibitor_account(user) -> bool:
    """An exhibitor's own account: it belongs to no organisation and may use no staff page."""
    return (getattr(user, "is_authenticated", False) and not user.is_platform_admin and not user.memberships
            and exhibitor_of(user) is not None)


def require_exhibitor(user) -> Exhibitor:
    exhibitor = exhibitor_of(user)
    if exhibitor is None:
        raise PermissionDenied(_l("Trang này dành cho đơn vị trưng bày. Hãy đăng ký tài khoản đơn vị trưng bày."))
    return exhibitor


# Applications ---------------------------------------------------------------------------------

@dataclass
class ProductDetails:
    name: str
    product_group: ProductGroup | None
    ocop_stars: int | None = None
    ocop_certificate_no: str | None = None
    ocop_certificate_year: int | None = None
    description: str | None = None
    photo: bytes | None = None  # a new photo; None keeps the existing one (see `product_id`)
    product_id: int | None = None  # the product being edited, when editing


@dataclass
class ApplicationDetails:
    booth_type: BoothType | None
    booths_requested: int | None
    staff_count: int | None
    products: list[ProductDetails]
    preferred_zone_id: int | None = None
    near_exhibitor_ids: list[int] = field(default_factory=list)
    avoid_exhibitor_ids: list[int] = field(default_factory=list)
    startup_stage: StartupStage | None = None


def fair_problem(event: Event) -> str | None:
    """Why exhibitors cannot apply to this event now, or None when they can. An event internal to its
    organisation takes no outside exhibitors."""
    if event.status != EventStatus.PUBLISHED or event.visibility == Visibility.PRIVATE:
        return str(_l("Sự kiện hiện không nhận hồ sơ đăng ký gian hàng."))
    if get_plan(event.id) is None:
        return str(_l("Sự kiện chưa có sơ đồ gian hàng nên chưa nhận hồ sơ."))
    return None


def open_fairs() -> list[Event]:
    """Published events with a floor plan, listed on the portal: where an exhibitor may apply (an unlisted
    event takes applications through its link, and is not shown to every exhibitor)."""
    return list(db.session.scalars(
        sa.select(Event).join(FloorPlan, FloorPlan.event_id == Event.id)
        .where(Event.status == EventStatus.PUBLISHED, Event.visibility == Visibility.PUBLIC)
        .order_by(Event.starts_at)))


def fellow_applicants(event_id: int, exclude_exhibitor_id: int | None = None) -> list[Exhibitor]:
    """The exhibitors with an open application to the event: whom one may ask to be near or away from."""
    query = (sa.select(Exhibitor).join(BoothApplication, BoothApplication.exhibitor_id == Exhibitor.id)
             .where(BoothApplication.event_id == event_id, BoothApplication.status.in_(OPEN_STATUSES))
             .order_by(Exhibitor.name_key, Exhibitor.id))
    if exclude_exhibitor_id is not None:
        query = query.where(Exhibitor.id != exclude_exhibitor_id)
    return list(db.session.scalars(query))


def _booth_groups(plan: FloorPlan, booth_type: BoothType) -> tuple[int, int]:
    """How many usable booths of the type the plan has, and the size of the largest group of adjacent ones."""
    booths = list(db.session.scalars(sa.select(Booth).where(
        Booth.plan_id == plan.id, Booth.booth_type.in_(fitting_types(booth_type)),
        Booth.status != BoothStatus.BLOCKED)))
    neighbours: dict[int, set[int]] = {booth.id: set() for booth in booths}
    for one, other in adjacent_pairs(booths):
        neighbours[one].add(other)
        neighbours[other].add(one)
    largest, seen = 0, set()
    for start in neighbours:
        if start in seen:
            continue
        group, stack = 0, [start]
        seen.add(start)
        while stack:
            group += 1
            for nxt in neighbours[stack.pop()] - seen:
                seen.add(nxt)
                stack.append(nxt)
        largest = max(largest, group)
    return len(booths), largest


def _product_problems(products: list[ProductDetails], ocop: bool, now: datetime) -> list:
    problems = []
    if not products:
        return [_l("Vui lòng khai báo ít nhất một sản phẩm.")]
    if len(products) > MAX_PRODUCTS:
        return [_l("Tối đa %(n)d sản phẩm cho một hồ sơ.", n=MAX_PRODUCTS)]
    for number, product in enumerate(products, start=1):
        def add(message, number=number):
            problems.append(_l("Sản phẩm %(n)d: %(message)s", n=number, message=message))

        if not (product.name or "").strip():
            add(_l("chưa có tên."))
        if product.product_group is None:
            add(_l("chưa chọn nhóm sản phẩm."))
        if product.ocop_stars is not None and product.ocop_stars not in OCOP_STARS:
            add(_l("hạng sao OCOP phải từ 3 đến 5."))
        if ocop or product.ocop_stars is not None:
            if product.ocop_stars is None:
                add(_l("gian hàng OCOP cần hạng sao OCOP (3–5 sao)."))
            if not (product.ocop_certificate_no or "").strip():
                add(_l("cần số giấy chứng nhận OCOP."))
            year = product.ocop_certificate_year
            if year is None:
                add(_l("cần năm cấp giấy chứng nhận OCOP."))
            elif not OCOP_FIRST_YEAR <= year <= this_year(now):
                add(_l("năm cấp giấy chứng nhận phải từ %(first)d đến %(last)d.", first=OCOP_FIRST_YEAR,
                       last=this_year(now)))
        if product.photo is not None:
            try:
                inspect_upload(product.photo, images_only=True)
            except ValidationFailed as error:
                add(error.explanation())
    return problems


def preference_problems(event_id: int, exhibitor_id: int, near: list[int], avoid: list[int]) -> dict[str, list]:
    problems: dict[str, list] = {}
    allowed = {e.id for e in fellow_applicants(event_id, exhibitor_id)}
    if set(near) - allowed:
        problems["near_exhibitor_ids"] = [_l("Chỉ chọn được đơn vị khác đã đăng ký gian hàng tại sự kiện này.")]
    if set(avoid) - allowed:
        problems["avoid_exhibitor_ids"] = [_l("Chỉ chọn được đơn vị khác đã đăng ký gian hàng tại sự kiện này.")]
    if set(near) & set(avoid):
        problems.setdefault("avoid_exhibitor_ids", []).append(
            _l("Một đơn vị không thể vừa ở gần vừa tránh xa."))
    return problems


def check_application(event: Event, exhibitor: Exhibitor, details: ApplicationDetails,
                      now: datetime) -> dict[str, list]:
    """Every field problem, including requests the floor plan cannot meet. Field names match the form."""
    problems: dict[str, list] = {}

    def add(name, message):
        problems.setdefault(name, []).append(message)

    plan = get_plan(event.id)
    count = details.booths_requested
    if details.booth_type is None:
        add("booth_type", _l("Vui lòng chọn loại gian hàng."))
    if count is None or not 1 <= count <= MAX_BOOTHS_PER_APPLICATION:
        add("booths_requested", _l("Số gian hàng đăng ký phải từ 1 đến %(n)d.", n=MAX_BOOTHS_PER_APPLICATION))
    if details.staff_count is None or not 1 <= details.staff_count <= MAX_STAFF:
        add("staff_count", _l("Số nhân sự đứng gian hàng phải từ 1 đến %(n)d.", n=MAX_STAFF))
    startup = details.booth_type == BoothType.STARTUP or exhibitor.kind == ExhibitorKind.STARTUP
    if startup and details.startup_stage is None:
        add("startup_stage", _l("Vui lòng chọn giai đoạn phát triển của startup."))
    if plan is not None and details.booth_type is not None:
        available, largest_group = _booth_groups(plan, details.booth_type)
        if available == 0:
            add("booth_type", _l("Sơ đồ của sự kiện không có gian hàng loại “%(type)s”.",
                                 type=details.booth_type.label))
        elif count is not None and count > available:
            add("booths_requested", _l("Sơ đồ chỉ có %(n)d gian hàng loại “%(type)s”, không đủ %(count)d gian.",
                                       n=available, type=details.booth_type.label, count=count))
        elif count is not None and count > largest_group:
            add("booths_requested", _l("Sơ đồ không có %(count)d gian hàng loại “%(type)s” liền kề nhau "
                                       "(nhiều nhất %(n)d gian liền kề).",
                                       count=count, type=details.booth_type.label, n=largest_group))
    if details.preferred_zone_id is not None:
        zone = db.session.get(BoothZone, details.preferred_zone_id)
        if zone is None or plan is None or zone.plan_id != plan.id:
            add("preferred_zone_id", _l("Khu vực không thuộc sơ đồ của sự kiện."))
    for name, messages in preference_problems(event.id, exhibitor.id, details.near_exhibitor_ids,
                                               details.avoid_exhibitor_ids).items():
        problems.setdefault(name, []).extend(messages)
    product_problems = _product_problems(details.products, details.booth_type == BoothType.OCOP, now)
    if product_problems:
        problems["products"] = product_problems
    return problems


def _open_application_of(event_id: int, exhibitor_id: int) -> BoothApplication | None:
    return db.session.scalar(sa.select(BoothApplication).where(
        BoothApplication.event_id == event_id, BoothApplication.exhibitor_id == exhibitor_id,
        BoothApplication.status != ApplicationStatus.WITHDRAWN))


def apply(event_id: int, exhibitor_id: int, details: ApplicationDetails,
          now: datetime | None = None) -> BoothApplication:
    """Submit an application to an event's fair; one open application per exhibitor and event."""
    now = now or utcnow()
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    exhibitor = get_exhibitor(exhibitor_id)
    problem = fair_problem(event)
    if problem:
        raise DomainError("fair_closed", problem, status=409)
    if _open_application_of(event_id, exhibitor_id) is not None:
        raise _duplicate()
    problems = check_application(event, exhibitor, details, now)
    if problems:
        raise ValidationFailed(problems)
    application = BoothApplication(event_id=event_id, exhibitor_id=exhibitor_id, status=ApplicationStatus.SUBMITTED,
                                   submitted_at=now, updated_at=now, priority=0)
    db.session.add(application)
    _save_application(application, exhibitor, details, now, conflict=_duplicate)
    return application


def _duplicate() -> DomainError:
    return DomainError("duplicate_application", _l("Đơn vị đã có hồ sơ đăng ký gian hàng tại sự kiện này."),
                       status=409)


def _apply_details(application: BoothApplication, details: ApplicationDetails, exhibitor: Exhibitor) -> None:
    application.booth_type = details.booth_type
    application.booths_requested = details.booths_requested
    application.staff_count = details.staff_count
    application.preferred_zone_id = details.preferred_zone_id
    application.near_exhibitor_ids = sorted(set(details.near_exhibitor_ids))
    application.avoid_exhibitor_ids = sorted(set(details.avoid_exhibitor_ids))
    startup = details.booth_type == BoothType.STARTUP or exhibitor.kind == ExhibitorKind.STARTUP
    application.startup_stage = details.startup_stage if startup else None


def _save_application(application: BoothApplication, exhibitor: Exhibitor, details: ApplicationDetails,
                      now: datetime, conflict) -> None:
    """Write the application and its products, and the new photo files with them: a failed commit leaves no
    file behind, and replaced photos are removed only once the commit succeeded."""
    _apply_details(application, details, exhibitor)
    kept = {p.product_id for p in details.products if p.product_id is not None}
    existing = {p.id: p for p in application.products}
    old_files = [p.photo for pid, p in existing.items() if pid not in kept and p.photo]
    new_files: list[Path] = []
    products = []
    for details_product in details.products:
        product = existing.get(details_product.product_id) or ExhibitorProduct()
        product.name = " ".join(details_product.name.split())
        product.product_group = details_product.product_group
        product.ocop_stars = details_product.ocop_stars
        product.ocop_certificate_no = (details_product.ocop_certificate_no or "").strip() or None
        product.ocop_certificate_year = details_product.ocop_certificate_year
        product.description = (details_product.description or "").strip() or None
        product.search_key = search_key(" ".join(filter(None, [product.name, product.description])))
        if details_product.photo is not None:
            _content_type, extension = inspect_upload(details_product.photo, images_only=True)
            path = store("booth-products", details_product.photo, extension)
            new_files.append(path)
            if product.photo:
                old_files.append(product.photo)
            product.photo = path.name
        products.append(product)
    application.products = products
    application.updated_at = now
    try:
        commit_or_remove(*new_files)
    except IntegrityError as error:
        raise conflict() from error
    for name in old_files:
        (uploads_dir("booth-products") / name).unlink(missing_ok=True)


def get_application(application_id: int, *, event_id: int | None = None,
                    exhibitor_id: int | None = None) -> BoothApplication:
    """An application, if it belongs to the event (organisers) or to the exhibitor (the exhibitor's portal)."""
    application = db.session.get(BoothApplication, application_id)
    if (application is None or (event_id is not None and application.event_id != event_id)
            or (exhibitor_id is not None and application.exhibitor_id != exhibitor_id)):
        raise NotFound()
    return application


def update_application(application_id: int, exhibitor_id: int, details: ApplicationDetails,
                       now: datetime | None = None) -> BoothApplication:
    """The exhibitor edits its application while it waits for review."""
    now = now or utcnow()
    application = get_application(application_id, exhibitor_id=exhibitor_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError("not_editable", _l("Hồ sơ đã được xét nên không thể sửa (trạng thái: %(state)s)."),
                          status=409, state=application.status.label)
    foreign = {p.product_id for p in details.products if p.product_id is not None} - \
        {p.id for p in application.products}
    if foreign:
        raise NotFound()
    problems = check_application(application.event, application.exhibitor, details, now)
    if problems:
        raise ValidationFailed(problems)
    # The status is checked again by the database at commit: a review in between wins.
    result = db.session.execute(sa.update(BoothApplication).where(
        BoothApplication.id == application.id, BoothApplication.status == ApplicationStatus.SUBMITTED)
        .values(updated_at=now))
    if result.rowcount != 1:
        db.session.rollback()
        raise DomainError("not_editable", _l("Hồ sơ vừa được xét nên không thể sửa."), status=409)
    _save_application(application, application.exhibitor, details, now, conflict=_concurrent_change)
    return application


def _concurrent_change() -> DomainError:
    return DomainError("conflict", _l("Dữ liệu vừa bị thay đổi đồng thời. Vui lòng thử lại."), status=409)


def booth_codes_of(exhibitor_id: int) -> dict[int, list[str]]:
    """Application id → codes of the booths it holds for good (confirmed or allocated), for one exhibitor."""
    rows = db.session.execute(
        sa.select(BoothAssignment.application_id, Booth.code).join(Booth, Booth.id == BoothAssignment.booth_id)
        .join(BoothApplication, BoothApplication.id == BoothAssignment.application_id)
        .where(BoothApplication.exhibitor_id == exhibitor_id, BoothAssignment.held_until.is_(None))
        .order_by(Booth.code))
    codes: dict[int, list[str]] = {}
    for application_id, code in rows:
        codes.setdefault(application_id, []).append(code)
    return codes


def list_for_exhibitor(exhibitor_id: int) -> list[BoothApplication]:
    return list(db.session.scalars(sa.select(BoothApplication).where(BoothApplication.exhibitor_id == exhibitor_id)
                                   .order_by(BoothApplication.submitted_at.desc(), BoothApplication.id.desc())))


# Status changes -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    sources: frozenset[ApplicationStatus]
    target: ApplicationStatus
    label: object


def change_status(application: BoothApplication, decision: Decision, values: dict, now: datetime,
                  actor_user_id: int | None = None) -> None:
    """Move the application under the plan lock (allocation and self-booking read approvals under it) with one
    conditional UPDATE, so a concurrent change cannot be overwritten; leaving 'approved' gives the booths back."""
    plan = get_plan(application.event_id)
    if plan is not None:
        plan_lock(plan.id)
    db.session.refresh(application)
    leaving_approval = application.status == ApplicationStatus.APPROVED
    result = db.session.execute(sa.update(BoothApplication).where(
        BoothApplication.id == application.id, BoothApplication.status.in_(decision.sources))
        .values(status=decision.target, updated_at=now, **values))
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(application)
        raise DomainError("illegal_status", _l("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”."),
                          status=409, action=decision.label, state=application.status.label)
    db.session.refresh(application)
    if leaving_approval:
        release_all(application, actor_user_id=actor_user_id)


def withdraw(application_id: int, exhibitor_id: int, *, actor_user_id: int | None = None,
             now: datetime | None = None) -> BoothApplication:
    now = now or utcnow()
    application = get_application(application_id, exhibitor_id=exhibitor_id)
    change_status(application, Decision(OPEN_STATUSES, ApplicationStatus.WITHDRAWN, _l("Rút hồ sơ")), {}, now,
                  actor_user_id)
    db.session.commit()
    return application


def assignments_of(application_id: int, *, confirmed_only: bool = False) -> list[BoothAssignment]:
    query = sa.select(BoothAssignment).where(BoothAssignment.application_id == application_id)
    if confirmed_only:
        query = query.where(BoothAssignment.held_until.is_(None))
    return list(db.session.scalars(query.order_by(BoothAssignment.booth_id)))
