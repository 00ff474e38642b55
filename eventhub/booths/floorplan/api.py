"""Floor plans through /api/v1: the organiser's plan, zones and booths (token). Bodies are validated with the
editor's forms; the same services run."""
from flask import jsonify
from flask_babel import lazy_gettext as _l

from ...api import current_api_user, form_input, json_body, route, schema
from ...errors import ValidationFailed
from ...events.services import get_managed_event
from ...forms import submit_json
from . import services as floorplan
from .forms import BlockForm, BoothForm, PlanForm, PublicationForm, RowForm, ZoneForm
from .models import BoothStatus, BoothType

TAGS = ["booths"]
_NUMBER, _STRING, _BOOL, _INT = {"type": "number"}, {"type": "string"}, {"type": "boolean"}, {"type": "integer"}
_RECT = {"x_m": _NUMBER, "y_m": _NUMBER, "width_m": _NUMBER, "depth_m": _NUMBER}
_TYPE = {"type": "string", "enum": [t.value for t in BoothType]}

BOOTH = schema("Booth", {"type": "object", "properties": {
    "id": _INT, "code": _STRING, "booth_type": _TYPE, "zone_id": {"type": "integer", "nullable": True}, **_RECT,
    "price_vnd": _INT, "has_power": _BOOL, "has_water": _BOOL, "is_corner": _BOOL, "premium": _INT,
    "status": {"type": "string", "enum": [s.value for s in BoothStatus]}, "note": {"type": "string", "nullable": True},
    "exhibitor": {"type": "string", "nullable": True, "description": "Who is in the booth (confirmed or held)"}},
    # The public map shows these only (no price, services or note): what every booth answer holds.
    "required": ["id", "code", "booth_type", "zone_id", *_RECT, "status", "exhibitor"]})
ZONE = schema("BoothZone", {"type": "object", "properties": {
    "id": _INT, "name": _STRING, "booth_type": {**_TYPE, "nullable": True}, **_RECT, "colour": _STRING}})
PLAN = schema("FloorPlan", {"type": "object", "properties": {
    "id": _INT, "event_id": _INT, "hall_width_m": _NUMBER, "hall_depth_m": _NUMBER, "entrance_x_m": _NUMBER,
    "entrance_y_m": _NUMBER, "booking_mode": _STRING, "self_booking_open": _BOOL, "hold_minutes": _INT,
    "setup_instructions_md": _STRING, "is_published": _BOOL, "version": _INT,
    "zones": {"type": "array", "items": ZONE}, "booths": {"type": "array", "items": BOOTH}}})
BOOTH_LIST = schema("BoothList", {"type": "object", "properties": {"items": {"type": "array", "items": BOOTH}}})
PLAN_INPUT = form_input(PlanForm, name="FloorPlanInput")
ZONE_INPUT = form_input(ZoneForm, name="BoothZoneInput")
ROW_INPUT = form_input(RowForm, name="BoothRowInput")
PUBLICATION_INPUT = form_input(PublicationForm, name="FloorPlanPublicationInput")
BLOCK_INPUT = form_input(BlockForm, name="BoothBlockInput", extra={"blocked": _BOOL}, extra_required=("blocked",))


def booth_json(booth, exhibitor: str | None = None) -> dict:
    return {"id": booth.id, "code": booth.code, "booth_type": booth.booth_type.value, "zone_id": booth.zone_id,
            "x_m": booth.x_m, "y_m": booth.y_m, "width_m": booth.width_m, "depth_m": booth.depth_m,
            "price_vnd": booth.price_vnd, "has_power": booth.has_power, "has_water": booth.has_water,
            "is_corner": booth.is_corner, "premium": booth.premium, "status": booth.status.value, "note": booth.note,
            "exhibitor": exhibitor}


def zone_json(zone) -> dict:
    return {"id": zone.id, "name": zone.name, "booth_type": zone.booth_type.value if zone.booth_type else None,
            "x_m": zone.x_m, "y_m": zone.y_m, "width_m": zone.width_m, "depth_m": zone.depth_m, "colour": zone.colour}


def plan_json(plan) -> dict:
    occupants = floorplan.occupants(plan.id)
    return {
        "id": plan.id, "event_id": plan.event_id, "hall_width_m": plan.hall_width_m, "hall_depth_m": plan.hall_depth_m,
        "entrance_x_m": plan.entrance_x_m, "entrance_y_m": plan.entrance_y_m, "booking_mode": plan.booking_mode.value,
        "self_booking_open": plan.self_booking_open, "hold_minutes": plan.hold_minutes,
        "setup_instructions_md": plan.setup_instructions_md, "is_published": plan.is_published,
        "version": plan.version, "zones": [zone_json(z) for z in floorplan.zones(plan.id)],
        "booths": [booth_json(b, occupants[b.id].exhibitor_name if b.id in occupants else None)
                   for b in floorplan.booths(plan.id)],
    }


def _managed_plan(event_id: int):
    return floorplan.require_plan(get_managed_event(current_api_user(), event_id).id)


BASE = "/events/<int:event_id>/floor-plan"


@route(BASE, "GET", summary="Floor plan of one of your events, with zones and booths", tags=TAGS, response=PLAN)
def floor_plan_get(event_id):
    return jsonify(plan_json(_managed_plan(event_id)))


@route(BASE, "PUT", summary="Create the floor plan or change its hall settings", tags=TAGS, body=PLAN_INPUT,
       response=PLAN)
def floor_plan_put(event_id):
    event = get_managed_event(current_api_user(), event_id)
    return jsonify(plan_json(submit_json(PlanForm, lambda form: floorplan.save_plan(event.id, form.to_details()))))


@route(f"{BASE}/publication", "POST", summary="Publish or unpublish the floor plan on the public map", tags=TAGS,
       body=PUBLICATION_INPUT, response=PLAN)
def floor_plan_publication(event_id):
    plan = _managed_plan(event_id)
    return jsonify(plan_json(submit_json(PublicationForm,
                                         lambda form: floorplan.set_published(plan.id, form.published.data))))


@route(f"{BASE}/zones", "POST", summary="Add a zone", tags=TAGS, body=ZONE_INPUT, response=ZONE, status=201)
def floor_plan_zone_create(event_id):
    plan = _managed_plan(event_id)
    return jsonify(zone_json(submit_json(ZoneForm, lambda form: floorplan.save_zone(plan.id, None,
                                                                                      form.to_details())))), 201


@route(f"{BASE}/zones/<int:zone_id>", "PUT", summary="Change a zone", tags=TAGS, body=ZONE_INPUT, response=ZONE)
def floor_plan_zone_update(event_id, zone_id):
    plan = _managed_plan(event_id)
    floorplan.get_zone(plan.id, zone_id)
    return jsonify(zone_json(submit_json(ZoneForm, lambda form: floorplan.save_zone(plan.id, zone_id,
                                                                                      form.to_details()))))


@route(f"{BASE}/zones/<int:zone_id>", "DELETE", summary="Delete a zone (its booths stay)", tags=TAGS, status=204)
def floor_plan_zone_delete(event_id, zone_id):
    floorplan.delete_zone(_managed_plan(event_id).id, zone_id)
    return "", 204


@route(f"{BASE}/booths", "GET", summary="Booths of the floor plan", tags=TAGS, response=BOOTH_LIST)
def floor_plan_booth_list(event_id):
    return jsonify({"items": plan_json(_managed_plan(event_id))["booths"]})


@route(f"{BASE}/booths", "POST", summary="Add a booth", tags=TAGS, form=BoothForm, response=BOOTH, status=201)
def floor_plan_booth_create(event_id):
    plan = _managed_plan(event_id)
    return jsonify(booth_json(submit_json(BoothForm, lambda form: floorplan.save_booth(plan.id, None,
                                                                                        form.to_details()), plan))), 201


@route(f"{BASE}/booths/<int:booth_id>", "PUT", summary="Change, move or resize a booth", tags=TAGS, form=BoothForm,
       response=BOOTH)
def floor_plan_booth_update(event_id, booth_id):
    plan = _managed_plan(event_id)
    floorplan.get_booth(plan.id, booth_id)
    return jsonify(booth_json(submit_json(BoothForm, lambda form: floorplan.save_booth(plan.id, booth_id,
                                                                                        form.to_details()), plan)))


@route(f"{BASE}/booths/<int:booth_id>", "DELETE", summary="Delete a booth that nobody holds", tags=TAGS, status=204)
def floor_plan_booth_delete(event_id, booth_id):
    floorplan.delete_booth(_managed_plan(event_id).id, booth_id)
    return "", 204


@route(f"{BASE}/booths/<int:booth_id>/block", "POST", summary="Block a free booth or unblock it (audited)",
       tags=TAGS, body=BLOCK_INPUT, response=BOOTH)
def floor_plan_booth_block(event_id, booth_id):
    plan = _managed_plan(event_id)
    payload = json_body()
    blocked = payload.pop("blocked", None)
    if not isinstance(blocked, bool):
        raise ValidationFailed({"blocked": [_l("Giá trị phải là true hoặc false.")]})
    booth = submit_json(BlockForm, lambda form: floorplan.set_blocked(
        plan.id, booth_id, blocked, actor_user_id=current_api_user().id, reason=form.reason.data or ""),
        payload=payload)
    return jsonify(booth_json(booth))


@route(f"{BASE}/rows", "POST", summary="Generate a row of booths (all or nothing)", tags=TAGS, body=ROW_INPUT,
       response=BOOTH_LIST, status=201)
def floor_plan_row_create(event_id):
    plan = _managed_plan(event_id)
    created = submit_json(RowForm, lambda form: floorplan.generate_row(plan.id, form.to_details()), plan)
    return jsonify({"items": [booth_json(b) for b in created]}), 201
