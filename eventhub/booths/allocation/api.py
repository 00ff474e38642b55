"""Booth allocation through /api/v1: run the solver, read the latest result and the assignments, move and lock."""
from dataclasses import asdict

from flask import jsonify
from flask_babel import lazy_gettext as _l

from ...api import current_api_user, json_body, route, schema
from ...errors import DomainError
from ...events.services import get_managed_event
from ...forms import form_from_json
from ..floorplan.services import require_plan
from . import services as service
from .forms import DropForm, RulesForm
from .solver import Rules

_NUMBER = {"type": "number"}
RULES_INPUT = schema("AllocationRules", {
    "type": "object", "description": "Every weight is optional (0–10); missing ones take the defaults.",
    "properties": {"priority_basis": {"type": "string", "enum": ["stars", "time"]},
                   "zone_weight": _NUMBER, "priority_weight": _NUMBER, "near_weight": _NUMBER,
                   "competitor_weight": _NUMBER, "time_limit_seconds": _NUMBER},
})
ALLOCATION = schema("Allocation", {
    "type": "object",
    "properties": {
        "run": {"type": "object", "nullable": True, "properties": {
            "objective": _NUMBER, "upper_bound": _NUMBER, "gap_percent": _NUMBER, "proven_optimal": {"type": "boolean"},
            "seconds": _NUMBER, "assigned": {"type": "integer"}, "unassigned": {"type": "integer"},
            "explanations": {"type": "object", "description": "application id → {code, text}"}}},
        "assignments": {"type": "array", "items": {"type": "object", "properties": {
            "application_id": {"type": "integer"}, "exhibitor": {"type": "string"},
            "booths": {"type": "array", "items": {"type": "string"}}, "locked": {"type": "boolean"}}}},
    },
})
MOVE_INPUT = schema("AllocationMove", {
    "type": "object", "required": ["application_id", "booth_ids"],
    "properties": {"application_id": {"type": "integer"},
                   "booth_ids": {"type": "array", "items": {"type": "integer"}}},
})
LOCK_INPUT = schema("AllocationLock", {
    "type": "object", "required": ["application_id", "locked"],
    "properties": {"application_id": {"type": "integer"}, "locked": {"type": "boolean"}},
})


def _allocation_json(event_id: int):
    plan = require_plan(event_id)
    run = service.latest_run(plan.id)
    return jsonify({
        "run": None if run is None else {
            "objective": run.objective, "upper_bound": run.upper_bound, "gap_percent": run.gap_percent,
            "proven_optimal": run.proven_optimal, "seconds": run.seconds, "assigned": run.assigned,
            "unassigned": run.unassigned, "explanations": run.explanations},
        "assignments": [{"application_id": application.id, "exhibitor": application.exhibitor.name,
                         "booths": [b.code for b in booths], "locked": locked}
                        for application, booths, locked in service.assignment_rows(plan.id)],
    })


@route("/events/<int:event_id>/allocation", "GET", summary="The latest allocation run and the current assignments",
       tags=["booths"], response=ALLOCATION)
def get_allocation(event_id):
    event = get_managed_event(current_api_user(), event_id)
    return _allocation_json(event.id)


@route("/events/<int:event_id>/allocation/run", "POST", summary="Allocate booths automatically with these rules",
       tags=["booths"], body=RULES_INPUT, response=ALLOCATION)
def run_allocation(event_id):
    user = current_api_user()
    event = get_managed_event(user, event_id)
    form = form_from_json(RulesForm, {**asdict(Rules()), "priority_basis": "stars", **json_body()})
    service.run(event.id, form.rules(), priority_basis=form.priority_basis.data, actor_user_id=user.id)
    return _allocation_json(event.id)


@route("/events/<int:event_id>/allocation/move", "POST", summary="Move an application to these booths",
       tags=["booths"], body=MOVE_INPUT, response=ALLOCATION)
def move_application(event_id):
    user = current_api_user()
    event = get_managed_event(user, event_id)
    payload = json_body()
    booth_ids = payload.pop("booth_ids", None)
    if not isinstance(booth_ids, list) or not all(isinstance(b, int) and not isinstance(b, bool) for b in booth_ids):
        raise DomainError("invalid_booths", _l("booth_ids phải là danh sách mã số gian hàng."), status=422)
    form = form_from_json(DropForm, payload)
    service.move(event.id, form.application_id.data, booth_ids, actor_user_id=user.id)
    return _allocation_json(event.id)


@route("/events/<int:event_id>/allocation/lock", "POST", summary="Lock or unlock an application's booths",
       tags=["booths"], body=LOCK_INPUT, response=ALLOCATION)
def lock_application(event_id):
    user = current_api_user()
    event = get_managed_event(user, event_id)
    payload = json_body()
    locked = payload.pop("locked", None)
    if not isinstance(locked, bool):
        raise DomainError("invalid_locked", _l("locked phải là true hoặc false."), status=422)
    form = form_from_json(DropForm, payload)
    service.set_locked(event.id, form.application_id.data, locked, actor_user_id=user.id)
    return _allocation_json(event.id)
