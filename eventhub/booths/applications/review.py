"""The organiser's review of booth applications: approve, waitlist or reject with a reason (the exhibitor is
told by e-mail through the outbox), priority and neighbour wishes, and the filtered list."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...errors import DomainError, ValidationFailed
from ...extensions import db
from ...mail.services import enqueue
from ...text import search_key
from ...timeutil import utcnow
from ..floorplan.models import BookingMode, BoothType
from ..floorplan.services import get_plan, plan_lock
from .models import ApplicationStatus, BoothApplication, Exhibitor
from .services import Decision, change_status, get_application, preference_problems

MAX_PRIORITY = 100
DECISIONS = {
    "approve": Decision(frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED}),
                        ApplicationStatus.APPROVED, _l("Duyệt")),
    "waitlist": Decision(frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED}),
                         ApplicationStatus.WAITLISTED, _l("Đưa vào danh sách chờ")),
    "reject": Decision(frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED,
                                  ApplicationStatus.APPROVED}), ApplicationStatus.REJECTED, _l("Từ chối")),
}


def review(application_id: int, event_id: int, action: str, reviewer_id: int | None, reason: str | None = None,
           now: datetime | None = None) -> BoothApplication:
    """Approve, waitlist or reject (with a reason) an application, and tell the exhibitor by e-mail."""
    now = now or utcnow()
    decision = DECISIONS.get(action)
    if decision is None:
        raise DomainError("unknown_action", _l("Thao tác không hợp lệ."))
    reason = (reason or "").strip()
    if action == "reject" and not reason:
        raise ValidationFailed({"reason": [_l("Vui lòng nêu lý do từ chối để thông báo cho đơn vị.")]})
    application = get_application(application_id, event_id=event_id)
    change_status(application, decision,
                  {"review_reason": reason or None, "reviewed_by_id": reviewer_id, "reviewed_at": now}, now,
                  reviewer_id)
    _tell_exhibitor(application, now)
    db.session.commit()
    return application


def update_organiser_fields(application_id: int, event_id: int, *, priority: int, near_exhibitor_ids: list[int],
                            avoid_exhibitor_ids: list[int], now: datetime | None = None) -> BoothApplication:
    """What the organiser may adjust before allocating: a priority bonus and the neighbour wishes."""
    application = get_application(application_id, event_id=event_id)
    problems = preference_problems(event_id, application.exhibitor_id, near_exhibitor_ids, avoid_exhibitor_ids)
    if priority is None or not 0 <= priority <= MAX_PRIORITY:
        problems["priority"] = [_l("Điểm ưu tiên phải từ 0 đến %(max)d.", max=MAX_PRIORITY)]
    if problems:
        raise ValidationFailed(problems)
    plan = get_plan(event_id)
    if plan is not None:  # the allocation solves with these: a run that read the old ones is refused
        plan_lock(plan.id)
    application.priority = priority
    application.near_exhibitor_ids = sorted(set(near_exhibitor_ids))
    application.avoid_exhibitor_ids = sorted(set(avoid_exhibitor_ids))
    application.updated_at = now or utcnow()
    db.session.commit()
    return application


def _tell_exhibitor(application: BoothApplication, now: datetime) -> None:
    """Queue the review e-mail in the caller's transaction."""
    exhibitor, event = application.exhibitor, application.event
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subjects = {
            ApplicationStatus.APPROVED: _("Hồ sơ gian hàng được duyệt: %(title)s", title=event.title),
            ApplicationStatus.WAITLISTED: _("Hồ sơ gian hàng trong danh sách chờ: %(title)s", title=event.title),
            ApplicationStatus.REJECTED: _("Kết quả xét hồ sơ gian hàng: %(title)s", title=event.title),
        }
        portal_url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/exhibitors/"
        plan = get_plan(event.id)
        body = render_template("booths/exhibitor_email_review.txt", application=application, exhibitor=exhibitor,
                               event=event, portal_url=portal_url,
                               self_booking=plan is not None and plan.booking_mode == BookingMode.SELF_BOOKING)
    enqueue(exhibitor.email, subjects[application.status], body,
            reference=f"booth_application:{application.id}:{application.status.value}", now=now,
            event_id=event.id, organisation_id=event.organisation_id)


# Organiser lists ------------------------------------------------------------------------------

@dataclass
class ReviewFilters:
    status: ApplicationStatus | None = None
    booth_type: BoothType | None = None
    zone_id: int | None = None
    q: str | None = None


def review_query(event_id: int, filters: ReviewFilters) -> sa.Select:
    query = (sa.select(BoothApplication).join(Exhibitor, Exhibitor.id == BoothApplication.exhibitor_id)
             .where(BoothApplication.event_id == event_id))
    if filters.status is not None:
        query = query.where(BoothApplication.status == filters.status)
    if filters.booth_type is not None:
        query = query.where(BoothApplication.booth_type == filters.booth_type)
    if filters.zone_id is not None:
        query = query.where(BoothApplication.preferred_zone_id == filters.zone_id)
    if filters.q:
        query = query.where(Exhibitor.name_key.contains(search_key(filters.q), autoescape=True))
    return query.order_by(BoothApplication.submitted_at, BoothApplication.id)


def status_counts(event_id: int) -> dict[ApplicationStatus, int]:
    rows = db.session.execute(sa.select(BoothApplication.status, sa.func.count())
                              .where(BoothApplication.event_id == event_id).group_by(BoothApplication.status))
    counts = {status: 0 for status in ApplicationStatus}
    counts.update(dict(rows.all()))
    return counts


