"""The published booth map through /api/v1, for visitors (no token): zones, booths and the exhibitors in them,
with the booths of the exhibitors a search finds."""
from flask import jsonify, request

from ...api import query_param, route, schema
from ..applications.models import ProductGroup
from ..floorplan import services as floorplan
from ..floorplan.api import BOOTH, TAGS, ZONE, zone_json
from ..floorplan.models import BoothStatus
from . import services as directory
from .views import published_plan, search_query

_NUMBER, _STRING, _INT = {"type": "number"}, {"type": "string"}, {"type": "integer"}
PUBLIC_MAP = schema("PublicBoothMap", {"type": "object", "properties": {
    "event": _STRING, "hall_width_m": _NUMBER, "hall_depth_m": _NUMBER, "entrance_x_m": _NUMBER,
    "entrance_y_m": _NUMBER, "zones": {"type": "array", "items": ZONE},
    "booths": {"type": "array", "items": BOOTH},
    "exhibitors": {"type": "array", "items": {"type": "object", "properties": {
        "name": _STRING, "kind": _STRING, "locality": _STRING,
        "booth_codes": {"type": "array", "items": _STRING}, "booth_ids": {"type": "array", "items": _INT},
        "products": {"type": "array", "items": {"type": "object", "properties": {
            "name": _STRING, "product_group": {"type": "string", "enum": [g.value for g in ProductGroup]},
            "ocop_stars": {"type": "integer", "nullable": True}}}}}}},
    "found_booth_ids": {"type": "array", "items": _INT, "description": "Booths of the exhibitors matching q"}}})


def public_booth_json(booth, occupants) -> dict:
    """What visitors see: no prices, notes or unconfirmed holds."""
    occupant = occupants.get(booth.id)
    status = booth.status if occupant or booth.status == BoothStatus.BLOCKED else BoothStatus.AVAILABLE
    return {"id": booth.id, "code": booth.code, "booth_type": booth.booth_type.value, "zone_id": booth.zone_id,
            "x_m": booth.x_m, "y_m": booth.y_m, "width_m": booth.width_m, "depth_m": booth.depth_m,
            "status": status.value, "exhibitor": occupant.exhibitor_name if occupant else None}


@route("/portal/events/<slug>/floor-plan", "GET", summary="Published booth map with exhibitors; q searches them",
       tags=TAGS, auth=False, response=PUBLIC_MAP,
       query=[query_param("q", "Exhibitor, product or product group; diacritics optional")])
def floor_plan_public(slug):
    plan = published_plan(slug)
    q = search_query(request.args.get("q"))
    entries = directory.directory(plan.id, q or None)
    occupants = floorplan.occupants(plan.id, include_holds=False)
    return jsonify({
        "event": plan.event.title, "hall_width_m": plan.hall_width_m, "hall_depth_m": plan.hall_depth_m,
        "entrance_x_m": plan.entrance_x_m, "entrance_y_m": plan.entrance_y_m,
        "zones": [zone_json(z) for z in floorplan.zones(plan.id)],
        "booths": [public_booth_json(b, occupants) for b in floorplan.booths(plan.id)],
        "exhibitors": [{"name": e.exhibitor_name, "kind": e.kind_label, "locality": e.locality,
                        "booth_codes": e.booth_codes, "booth_ids": e.booth_ids,
                        "products": [{"name": p.name, "product_group": p.group.value, "ocop_stars": p.ocop_stars}
                                     for p in e.products]} for e in entries],
        "found_booth_ids": sorted(b for e in entries for b in e.booth_ids) if q else [],
    })
