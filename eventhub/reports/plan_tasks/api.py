"""Plan tasks, manual indicators and their entries through /api/v1; request schemas come from the forms."""
from flask import jsonify

from ...accounts.services import EVENT_MANAGER_ROLES, require_role
from ...api import current_api_user, route, schema
from ...forms import submit_json
from ..models import IndicatorEntry, ManualIndicator, Plan, PlanTask, TaskStatus
from ..plans import get_plan
from . import services
from .forms import EntryForm, ManualIndicatorForm, TaskForm

TASK = schema("PlanTask", {"type": "object", "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "lead_organisation_id": {"type": "integer"},
    "co_organisation_ids": {"type": "array", "items": {"type": "integer"}},
    "outside_agencies": {"type": "string", "nullable": True},
    "due_on": {"type": "string", "format": "date"},
    "due_quarter": {"type": "integer", "nullable": True, "minimum": 1, "maximum": 4},
    "due": {"type": "string", "example": "Quý II năm 2026"},
    "status": {"type": "string", "enum": [s.value for s in TaskStatus]},
    "event_ids": {"type": "array", "items": {"type": "integer"}}, "note": {"type": "string", "nullable": True}}})
ENTRY = schema("ManualIndicatorEntry", {"type": "object", "properties": {
    "id": {"type": "integer"}, "entry_on": {"type": "string", "format": "date"}, "value": {"type": "integer"},
    "evidence_url": {"type": "string", "nullable": True},
    "has_evidence_file": {"type": "boolean", "description": "A file uploaded on the page (served to organisers)"},
    "note": {"type": "string", "nullable": True}}})
MANUAL_INDICATOR = schema("ManualIndicator", {"type": "object", "properties": {
    "id": {"type": "integer"}, "label": {"type": "string"}, "unit": {"type": "string"},
    "target_value": {"type": "integer", "nullable": True}, "entries": {"type": "array", "items": ENTRY}}})


def task_json(task: PlanTask) -> dict:
    return {"id": task.id, "title": task.title, "lead_organisation_id": task.lead_organisation_id,
            "co_organisation_ids": [o.id for o in task.co_organisations], "outside_agencies": task.outside_agencies,
            "due_on": task.due_on.isoformat(), "due_quarter": task.due_quarter, "due": services.due_label(task),
            "status": task.status.value, "event_ids": [e.id for e in task.events], "note": task.note}


def entry_json(entry: IndicatorEntry) -> dict:
    return {"id": entry.id, "entry_on": entry.entry_on.isoformat(), "value": entry.value,
            "evidence_url": entry.evidence_url, "has_evidence_file": entry.evidence_file is not None,
            "note": entry.note}


def manual_indicator_json(indicator: ManualIndicator) -> dict:
    return {"id": indicator.id, "label": indicator.label, "unit": indicator.unit,
            "target_value": indicator.target_value, "entries": [entry_json(e) for e in indicator.entries]}


def _managed_plan(plan_id: int) -> Plan:
    plan = get_plan(plan_id)
    require_role(current_api_user(), plan.organisation_id, EVENT_MANAGER_ROLES)
    return plan


@route("/plans/<int:plan_id>/tasks", "GET", summary="The plan's tasks", tags=["reports"],
       response={"type": "array", "items": TASK})
def list_plan_tasks(plan_id):
    return jsonify([task_json(t) for t in _managed_plan(plan_id).tasks])


@route("/plans/<int:plan_id>/tasks", "POST", summary="Add a task to a plan", tags=["reports"], form=TaskForm,
       response=TASK, status=201)
def add_plan_task(plan_id):
    plan = _managed_plan(plan_id)
    task = submit_json(TaskForm, lambda form: services.save_task(plan.id, None, form.to_details()), plan)
    return jsonify(task_json(task)), 201


@route("/plans/<int:plan_id>/tasks/<int:task_id>", "PUT", summary="Change a task (every field, as when adding)",
       tags=["reports"], form=TaskForm, response=TASK)
def update_plan_task(plan_id, task_id):
    plan = _managed_plan(plan_id)
    services.get_task(plan.id, task_id)  # another plan's task: 404 before the body is read
    task = submit_json(TaskForm, lambda form: services.save_task(plan.id, task_id, form.to_details()), plan)
    return jsonify(task_json(task))


@route("/plans/<int:plan_id>/tasks/<int:task_id>", "DELETE", summary="Remove a task", tags=["reports"], status=204)
def remove_plan_task(plan_id, task_id):
    services.delete_task(_managed_plan(plan_id).id, task_id)
    return "", 204


@route("/plans/<int:plan_id>/manual-indicators", "GET", summary="The plan's manual indicators with their entries",
       tags=["reports"], response={"type": "array", "items": MANUAL_INDICATOR})
def list_manual_indicators(plan_id):
    return jsonify([manual_indicator_json(i) for i in _managed_plan(plan_id).manual_indicators])


@route("/plans/<int:plan_id>/manual-indicators", "POST", summary="Add a manual indicator to a plan",
       tags=["reports"], form=ManualIndicatorForm, response=MANUAL_INDICATOR, status=201)
def add_manual_indicator(plan_id):
    plan = _managed_plan(plan_id)
    indicator = submit_json(ManualIndicatorForm,
                            lambda form: services.save_manual_indicator(plan.id, None, form.to_details()))
    return jsonify(manual_indicator_json(indicator)), 201


@route("/plans/<int:plan_id>/manual-indicators/<int:indicator_id>", "PUT",
       summary="Change a manual indicator's name, unit or target (its entries stay)", tags=["reports"],
       form=ManualIndicatorForm, response=MANUAL_INDICATOR)
def update_manual_indicator(plan_id, indicator_id):
    plan = _managed_plan(plan_id)
    services.get_manual_indicator(plan.id, indicator_id)
    indicator = submit_json(ManualIndicatorForm,
                            lambda form: services.save_manual_indicator(plan.id, indicator_id, form.to_details()))
    return jsonify(manual_indicator_json(indicator))


@route("/plans/<int:plan_id>/manual-indicators/<int:indicator_id>", "DELETE", summary="Remove a manual indicator",
       tags=["reports"], status=204)
def remove_manual_indicator(plan_id, indicator_id):
    services.delete_manual_indicator(_managed_plan(plan_id).id, indicator_id)
    return "", 204


@route("/plans/<int:plan_id>/manual-indicators/<int:indicator_id>/entries", "POST",
       summary="Record a figure of a manual indicator with its evidence", tags=["reports"], form=EntryForm,
       response=ENTRY, status=201)
def add_manual_indicator_entry(plan_id, indicator_id):
    plan = _managed_plan(plan_id)
    entry = submit_json(EntryForm, lambda form: services.add_entry(plan.id, indicator_id, form.to_details(),
                                                                  created_by_id=current_api_user().id))
    return jsonify(entry_json(entry)), 201


@route("/plans/<int:plan_id>/manual-indicators/<int:indicator_id>/entries/<int:entry_id>", "DELETE",
       summary="Remove a figure of a manual indicator", tags=["reports"], status=204)
def remove_manual_indicator_entry(plan_id, indicator_id, entry_id):
    services.delete_entry(_managed_plan(plan_id).id, indicator_id, entry_id)
    return "", 204
