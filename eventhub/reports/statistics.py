"""The event statistics page, for the organisers of that event: charts with the numbers beside them."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..events.services import get_managed_event
from . import charts, event_stats, figures, overview

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
    event = get_managed_event(current_user, event_id)
    stats = event_stats.event_statistics(event.id)
    page = render_template("reports/stats_event.html", event=event, stats=stats,
                           figures=figures.event_figures(stats))
    return page, 200, {"Cache-Control": "private, no-store"}
