"""Live check-in counts and printable badges, for the event's organisers."""
from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..accounts.services import organisation_logo_path
from ..badges import layout_for
from ..errors import DomainError
from ..events.coorganisers import get_partner_event
from ..events.services import get_managed_event
from ..extensions import db
from ..params import enum_arg, id_arg
from ..registration import services as registrations
from ..registration.models import RegistrationStatus
from . import badges, services, stats, walkins
from .models import CheckInList

bp = Blueprint("checkin_dashboard", __name__)
PREFIX = "/manage/events/<int:event_id>/checkin"
POLL_SECONDS = 10


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks that the user manages this event's organisation."""


def _list_id(event_id: int) -> int | None:
    """The list chosen with ?list_id= (it must belong to the event), else the entrance."""
    list_id = id_arg(request.args, "list_id")
    if list_id is None:
        return None
    check_in_list = db.session.get(CheckInList, list_id)
    if check_in_list is None or check_in_list.event_id != event_id:
        abort(404)
    return list_id


def _stats_event(event_id: int) -> tuple:
    """The event's live figures are for its organisers and check-in staff (who follow the gates of their events),
    and an accepted co-organiser's (without the names)."""
    return get_partner_event(current_user, event_id, roles=services.SCANNER_ROLES)


@bp.get(f"{PREFIX}/dashboard")
def dashboard(event_id):
    event, partner_id = _stats_event(event_id)
    summary = stats.summary(event.id, _list_id(event.id))
    if partner_id is not None:
        summary["no_shows"]["people"] = []  # other organisations' people are not a co-organiser's to see
    page = render_template("checkin/dashboard.html", event=event, summary=summary, poll_seconds=POLL_SECONDS,
                           can_manage=services.may_manage(current_user, event),
                           categories=registrations.categories(event.id), statuses=list(RegistrationStatus),
                           max_badges=badges.MAX_BADGES,
                           flagged=walkins.flagged(event.id) if partner_id is None else [])
    return page, 200, {"Cache-Control": "no-store"}  # names of people who did not come


@bp.get(f"{PREFIX}/dashboard.json")
def dashboard_json(event_id):
    event, _partner_id = _stats_event(event_id)
    summary = stats.summary(event.id, _list_id(event.id))
    summary["no_shows"].pop("people")  # the names are on the page once the event has ended; polling needs none
    response = jsonify(summary)
    response.headers["Cache-Control"] = "no-store"
    return response


def _status_filter() -> RegistrationStatus | None:
    """Missing: confirmed people; "all" or empty: every status; otherwise one status."""
    value = request.args.get("status")
    if value is None:
        return RegistrationStatus.CONFIRMED
    if value in ("", "all"):
        return None
    status = enum_arg(request.args, "status", RegistrationStatus)
    if status is None:
        raise DomainError("unknown_status", _l("Trạng thái “%(value)s” không hợp lệ."), status=400, value=value)
    return status


def _pdf(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get(f"{PREFIX}/badges.pdf")
def badges_pdf(event_id):
    event = get_managed_event(current_user, event_id)
    layout = layout_for(request.args.get("layout"))
    people = badges.people_for(event.id, q=(request.args.get("q") or "").strip() or None,
                               category_id=id_arg(request.args, "category_id"), status=_status_filter())
    return _pdf(badges.badges_pdf(people, layout, event.title, organisation_logo_path(event.organisation)),
                f"the-deo-{event.id}-{layout.code}.pdf")


@bp.get(f"{PREFIX}/badges/<int:registration_id>.pdf")
def badge_pdf(event_id, registration_id):
    event = get_managed_event(current_user, event_id)
    layout = layout_for(request.args.get("layout"))
    registration = registrations.get_registration(registration_id, event.id)
    if registration.anonymised_at is not None:
        abort(404)
    return _pdf(badges.badges_pdf([registration], layout, event.title, organisation_logo_path(event.organisation)),
                f"the-deo-{event.id}-{registration.id}-{layout.code}.pdf")
