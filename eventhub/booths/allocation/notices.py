"""What exhibitors are told about their booth: the plain reason for it, and the e-mail when it is announced or
changes. Notices are queued in the caller's transaction (the mail outbox's queue), in the site's language."""
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ...mail.services import enqueue
from ..applications.models import BoothApplication
from ..floorplan.models import Booth
from .models import AllocationSource, BoothAssignment


def booth_reason(application: BoothApplication, assignments: list[BoothAssignment]) -> str:
    """Why this exhibitor has these booths, in words an exhibitor (and an officer) reads without the solver."""
    if not assignments:
        return ""
    source, booths = assignments[0].source, [a.booth for a in assignments]
    if source == AllocationSource.SELF:
        return _("Đơn vị đã tự chọn gian này trên cổng đơn vị trưng bày.")
    parts = []
    if source == AllocationSource.MANUAL:
        parts.append(_("Ban tổ chức xếp trực tiếp gian này cho đơn vị"))
    else:
        parts.append(_("Gian được xếp tự động theo loại gian “%(type)s” đơn vị đã đăng ký",
                       type=application.booth_type.label))
    zone = application.preferred_zone
    if zone is not None:
        if all(b.zone_id == zone.id for b in booths):
            parts.append(_("trong khu “%(zone)s” đơn vị mong muốn", zone=zone.name))
        else:
            parts.append(_("khu “%(zone)s” đơn vị mong muốn không còn gian phù hợp", zone=zone.name))
    if len(booths) > 1:
        parts.append(_("%(n)d gian liền kề nhau như đã đăng ký", n=len(booths)))
    if source == AllocationSource.AUTO:
        parts.append(_("gian gần cửa vào và gian ưu tiên dành trước cho đơn vị có mức ưu tiên cao hơn (số sao OCOP, "
                       "ưu tiên của ban tổ chức, thời gian nộp hồ sơ)"))
    if any(a.locked for a in assignments):
        parts.append(_("ban tổ chức đã giữ cố định gian này"))
    return "; ".join(str(p) for p in parts) + "."


def _codes(booths: list[Booth]) -> str:
    return ", ".join(sorted(b.code for b in booths))


def tell_exhibitor(application: BoothApplication, before: list[Booth], after: list[BoothAssignment],
                   now: datetime) -> None:
    """Queue the notice of a booth announced (no `before`) or changed, and mark the new booths as told."""
    exhibitor, event = application.exhibitor, application.event
    for assignment in after:
        assignment.announced_at = now
    if not exhibitor.email:  # it reads its booth on the exhibitor portal
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        booths = [a.booth for a in after]
        if not before:
            subject = _("Gian hàng của bạn tại %(title)s: %(codes)s", title=event.title, codes=_codes(booths))
        elif after:
            subject = _("Gian hàng của bạn tại %(title)s đã đổi: %(old)s → %(new)s", title=event.title,
                        old=_codes(before), new=_codes(booths))
        else:
            subject = _("Gian hàng của bạn tại %(title)s đã bị gỡ", title=event.title)
        portal_url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/exhibitors/"
        body = render_template("booths/exhibitor_email_booth.txt", exhibitor=exhibitor, event=event,
                               before=_codes(before), after=_codes(booths), reason=booth_reason(application, after),
                               portal_url=portal_url)
    enqueue(exhibitor.email, subject, body, reference=f"booth_notice:{application.id}", now=now)
