"""The event statistics page, for the organisers of that event: charts with the numbers beside them."""
from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required

from ..checkin import paper
from ..checkin.services import get_list, session_lists
from ..errors import NotFound, PermissionDenied
from ..events.coorganisers import get_partner_event
from ..params import id_arg
from ..registration.delegations import delegations_of
from . import charts, event_stats, figures, overview, signin

bp = Blueprint("reports_stats", __name__)
bp.add_app_template_filter(charts.format_number, "number")
bp.add_app_template_filter(charts.format_percent, "percent")


@bp.app_context_processor
def event_overview():
    """The figures and set-up checklist the organisers' event page and dashboard lead with."""
    return {"event_figures": overview.event_figures, "setup_steps": overview.setup_steps}


@bp.before_request
@login_required
def require_sign_in():
    """The route then checks that the user manages this event's organisation."""


@bp.get("/manage/events/<int:event_id>/statistics")
def event_statistics(event_id):
    event, _partner_id = get_partner_event(current_user, event_id)  # co-organisers see the statistics too
    stats = event_stats.event_statistics(event.id)
    page = render_template("reports/stats_event.html", event=event, stats=stats,
                           figures=figures.event_figures(stats))
    return page, 200, {"Cache-Control": "private, no-store"}


@bp.get("/manage/events/<int:event_id>/checkin/lists/<int:list_id>/signin-sheet.pdf")
def signin_sheet(event_id, list_id):
    """The sign-in sheet of a check-in list, or of one category, session (its list) or delegation on it."""
    event, partner_id = get_partner_event(current_user, event_id)
    check_in_list = get_list(list_id)
    session_id = id_arg(request.args, "session_id")
    if session_id is not None:
        lists = session_lists(session_id)
        check_in_list = lists[0] if lists else None
    if check_in_list is None or check_in_list.event_id != event.id:
        raise NotFound()
    scope = paper.SheetScope(check_in_list.id, category_id=id_arg(request.args, "category_id"),
                             delegation_id=id_arg(request.args, "delegation_id"))
    if partner_id is not None and scope.delegation_id not in {d.id for d in delegations_of(event.id, partner_id)}:
        raise PermissionDenied()  # a co-organiser prints its own delegations' sheets
    blank = min(max(id_arg(request.args, "blank") or signin.BLANK_ROWS, 0), signin.MAX_BLANK_ROWS)
    response = Response(signin.sheet_pdf(scope, blank), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="danh-sach-ky-{check_in_list.id}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
