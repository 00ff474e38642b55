"""Visitors' pages: the published floor plan with exhibitor names, a search that highlights booths,
and the printable exhibitor directory (PDF). Unpublished plans and hidden events are 404."""
from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from ...errors import NotFound
from ...events.services import get_portal_event
from ...text import search_key
from ..applications import services as applications
from ..floorplan import services as floorplan
from ..floorplan.models import FloorPlan
from ..floorplan.svg import render_plan_svg
from . import services as directory

bp = Blueprint("booths_public", __name__)
MAX_QUERY = 100


@bp.app_context_processor
def booths_public_context():
    return {"booth_map_published": published_plan_exists, "booth_applications_open": applications_open}


def applications_open(event) -> bool:
    return applications.fair_problem(event) is None


def published_plan_exists(event) -> bool:
    plan = floorplan.get_plan(event.id)
    return plan is not None and plan.is_published


def published_plan(slug: str) -> FloorPlan:
    """The plan of a portal event, if the organiser has published it."""
    event = get_portal_event(slug)
    plan = floorplan.get_plan(event.id)
    if plan is None or not plan.is_published:
        raise NotFound(_("Ban tổ chức chưa công bố sơ đồ gian hàng của sự kiện này."))
    return plan


def search_query(raw: str | None) -> str:
    """The visitor's query, or "" when it holds nothing to search for (e.g. punctuation alone)."""
    q = (raw or "").strip()[:MAX_QUERY]
    return q if search_key(q) else ""


def public_svg(plan: FloorPlan, *, highlight=frozenset(), for_pdf=False):
    return render_plan_svg(plan, floorplan.booths(plan.id), floorplan.zones(plan.id),
                           occupants=floorplan.occupants(plan.id, include_holds=False), highlight=highlight,
                           css_class="floorplan floorplan--public", for_pdf=for_pdf)


@bp.get("/events/<slug>/map")
def map_page(slug):
    plan = published_plan(slug)
    q = search_query(request.args.get("q"))
    entries = directory.directory(plan.id, q or None)
    found = frozenset(booth_id for entry in entries for booth_id in entry.booth_ids) if q else frozenset()
    return render_template("booths/public_map.html", event=plan.event, plan=plan, q=q, entries=entries,
                           svg=public_svg(plan, highlight=found), stars=directory.stars)


@bp.get("/events/<slug>/map/directory.pdf")
def directory_pdf(slug):
    plan = published_plan(slug)
    pdf = directory.directory_pdf(plan, directory.directory(plan.id), str(public_svg(plan, for_pdf=True)))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="danh-ba-gian-hang-{plan.event.slug}.pdf"'
    return response
