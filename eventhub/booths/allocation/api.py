"""Booth allocation through /api/v1: run the solver, read the latest result and the assignments, move and lock."""
from dataclasses import asdict

from flask import jsonify
from flask_babel import lazy_gettext as _l

from ...api import current_api_user, form_input, json_body, route, schema
from ...errors import DomainError
from ...events.services import get_managed_event
from ...forms import submit_json
from ..floorplan.services import require_plan
from . import services as service
from .forms import DropForm, RunPageForm
from .solver import Rules

_NUMBER = {"type": "number"}
# Every rule is optional in the API: a missing one takes its default.
RULES_INPUT = form_input(RunPageForm, name="AllocationRules", partial=True)
PREVIEW = schema("AllocationPreview", {
    "type": "object",
    "properties": {
        "digest": {"type": "string", "description": "pass it to /run to apply exactly these moves"},
        "quality_percent": {"type": "integer", "description": "share of the best score the rules could give"},
        "moves": {"type": "array", "items": {"type": "object", "properties": {
            "application_id": {"type": "integer"}, "exhibitor": {"type": "string"},
            "before": {"type": "array", "items": {"type": "string"}},
            "after": {"type": "array", "items": {"type": "string"}},
            "told": {"type": "boolean", "description": "the exhibitor knows `before` and will be notified"}}}},
        "pinned": {"type": "array", "items": {"type": "object", "properties": {
            "application_id": {"type": "integer"}, "exhibitor": {"type": "string"},
            "booths": {"type": "array", "items": {"type": "string"}}}}},
    },
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
MOVE_INPUT = form_input(DropForm, name="AllocationMove", extra={
    "booth_ids": {"type": "array", "items": {"type": "integer"}}}, extra_required=("booth_ids",))
LOCK_INPUT = form_input(DropForm, name="AllocationLock", extra={"locked": {"type": "boolean"}},
                        extra_required=("locked",))


def booth_ids_beside(payload: dict) -> list[int]:
    """The dropped booths, which come beside the form's fields as a JSON list of ids."""
    booth_ids = payload.pop("booth_ids", None)
    if not isinstance(booth_ids, list) or not all(isinstance(b, int) and not isinstance(b, bool) for b in booth_ids):
        raise DomainError("invalid_booths", _l("booth_ids phải là danh sách mã số gian hàng."), status=422)
    return booth_ids


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


def _rules_payload() -> dict:
    """Every rule is optional: a missing one takes its default."""
    return {**asdict(Rules()), "priority_basis": "stars", **json_body()}


@route("/events/<int:event_id>/allocation/preview", "POST", summary="What an automatic allocation with these "
       "rules would move, without writing anything", tags=["booths"], body=RULES_INPUT, response=PREVIEW)
def preview_allocation(event_id):
    event = get_managed_event(current_api_user(), event_id)
    planned = submit_json(RunPageForm, lambda form: service.preview(
        event.id, form.to_details(), priority_basis=form.priority_basis.data, move_told=form.move_told.data),
        payload=_rules_payload())
    return jsonify({
        "digest": planned.digest,
        "quality_percent": service.quality_percent(planned.result.objective, planned.result.upper_bound),
        "moves": [{"application_id": m.application.id, "exhibitor": m.application.exhibitor.name,
                   "before": list(m.before), "after": list(m.after), "told": m.told} for m in planned.moves],
        "pinned": [{"application_id": a.id, "exhibitor": a.exhibitor.name, "booths": list(codes)}
                   for a, codes in planned.pinned],
    })


@route("/events/<int:event_id>/allocation/run", "POST", summary="Allocate booths automatically with these rules; "
       "placements told to exhibitors stay unless move_told, and a digest from /preview must still match",
       tags=["booths"], body=RULES_INPUT, response=ALLOCATION)
def run_allocation(event_id):
    user = current_api_user()
    event = get_managed_event(user, event_id)
    submit_json(RunPageForm, lambda form: service.run(
        event.id, form.to_details(), priority_basis=form.priority_basis.data, actor_user_id=user.id,
        move_told=form.move_told.data, expected_digest=form.digest.data or None), payload=_rules_payload())
    return _allocation_json(event.id)


@route("/events/<int:event_id>/allocation/move", "POST", summary="Move an application to these booths",
       tags=["booths"], body=MOVE_INPUT, response=ALLOCATION)
def move_application(event_id):
    user = current_api_user()
    event = get_managed_event(user, event_id)
    payload = json_body()
    booth_ids = booth_ids_beside(payload)
    submit_json(DropForm, lambda form: service.move(event.id, form.application_id.data, booth_ids,
                                                     actor_user_id=user.id), payload=payload)
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
    submit_json(DropForm, lambda form: service.set_locked(event.id, form.application_id.data, locked,
                                                           actor_user_id=user.id), payload=payload)
    return _allocation_json(event.id)
