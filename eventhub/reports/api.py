"""Reports through /api/v1: plans and targets, the period report, snapshots and an event's statistics."""
from flask import jsonify, request
from werkzeug.datastructures import MultiDict

from ..accounts.services import EVENT_MANAGER_ROLES, require_role
from ..api import current_api_user, form_input, query_param, route, schema
from ..errors import ValidationFailed
from ..events.services import get_managed_event
from ..forms import submit_json
from ..timeutil import to_local, utcnow
from . import event_stats, plans, snapshots
from .forms import PlanForm, ReportForm, TargetForm, report_for
from .models import Indicator, Plan, PlanTarget, TraineeBasis
from .periods import default_organisation_ids, report_to_json

TARGET = schema("PlanTarget", {"type": "object", "properties": {
    "id": {"type": "integer"}, "indicator": {"type": "string", "enum": [i.value for i in Indicator]},
    "target_value": {"type": "integer"}, "label": {"type": "string"}, "unit": {"type": "string"},
    "participant_group": {"type": "string", "nullable": True, "description": "A participant group's code"},
    "event_types": {"type": "array", "items": {"type": "string"}, "description": "Empty: every type"},
    "levels": {"type": "array", "items": {"type": "string"}, "description": "Empty: every level"},
    "tags": {"type": "array", "items": {"type": "string"}},
    "trainee_basis": {"type": "string", "nullable": True, "enum": [b.value for b in TraineeBasis],
                      "description": "Trainees targets: completers or attendees"}}})
PLAN = schema("Plan", {"type": "object", "properties": {
    "id": {"type": "integer"}, "organisation_id": {"type": "integer"}, "year": {"type": "integer"},
    "title": {"type": "string"}, "document_no": {"type": "string", "nullable": True},
    "targets": {"type": "array", "items": TARGET}}})
_INDICATOR_ROW = {"type": "object", "properties": {
    "code": {"type": "string"}, "label": {"type": "string"}, "unit": {"type": "string"},
    "target": {"type": "integer", "nullable": True}, "achieved": {"type": "integer"},
    "percent": {"type": "number", "nullable": True}, "previous": {"type": "integer"}}}
_EVENT_FIELDS = {
    "event_id": {"type": "integer"}, "title": {"type": "string"}, "event_type": {"type": "string"},
    "level": {"type": "string"}, "organisation": {"type": "string"},
    "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
    "province": {"type": "string"}, "registrations": {"type": "integer", "description": "Confirmed registrations"}}
_HELD_EVENT = {"type": "object", "description": "An event held in the period (ended by the report's time): counted",
               "properties": {**_EVENT_FIELDS, "attendees": {"type": "integer"},
                              "ends_at": {**_EVENT_FIELDS["ends_at"], "nullable": True,
                                          "description": "Null in snapshots taken before it was stored"}}}
_PENDING_EVENT = {"type": "object", "properties": _EVENT_FIELDS,
                  "description": "An event of the period not held by the report's time: not counted, no participants"}
PERIOD_REPORT = schema("PeriodReport", {"type": "object", "properties": {
    "organisations": {"type": "array", "items": {"type": "string"}},
    "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
    "previous_starts_on": {"type": "string", "format": "date"},
    "previous_ends_on": {"type": "string", "format": "date"},
    "generated_at": {"type": "string", "format": "date-time"},
    "indicators": {"type": "array", "items": _INDICATOR_ROW},
    "events_by_type": {"type": "array", "items": {"type": "object"}},
    "participants_by_group": {"type": "array", "items": {"type": "object"}},
    "events": {"type": "array", "items": _HELD_EVENT},
    "in_progress_events": {"type": "array", "items": _PENDING_EVENT,
                           "description": "Started but not ended by the report's time"},
    "planned_events": {"type": "array", "items": _PENDING_EVENT, "description": "Not started by the report's time"},
    "tasks": {"type": "array", "description": "The plans' tasks; empty in reports made before tasks were reported",
              "items": {"type": "object", "properties": {
                  "title": {"type": "string"}, "organisation": {"type": "string"}, "lead": {"type": "string"},
                  "co_operating": {"type": "string"}, "due_on": {"type": "string", "format": "date"},
                  "due": {"type": "string"}, "status": {"type": "string"}, "status_label": {"type": "string"},
                  "overdue": {"type": "boolean", "description": "Not done and due before the report's time"},
                  "events": {"type": "array", "items": {"type": "string"}}, "note": {"type": "string"}}}},
    "manual_indicators": {"type": "array", "description": "Typed figures: entries dated in the period, summed",
                          "items": {"type": "object", "properties": {
                              "label": {"type": "string"}, "unit": {"type": "string"},
                              "organisation": {"type": "string"}, "target": {"type": "integer", "nullable": True},
                              "achieved": {"type": "integer"}, "percent": {"type": "number", "nullable": True}}}},
    "snapshot_note": {"type": "string", "nullable": True}}})
SNAPSHOT = schema("ReportSnapshot", {"type": "object", "properties": {
    "id": {"type": "integer"}, "organisation_id": {"type": "integer"}, "kind": {"type": "string"},
    "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
    "taken_at": {"type": "string", "format": "date-time"}, "report": PERIOD_REPORT}})
REPORT_QUERY = [
    query_param("organisation_ids", "Organisation id (repeat for several); default: your first", "integer"),
    query_param("period", "first_half, second_half, year (default) or custom",
                enum=["first_half", "second_half", "year", "custom"]),
    query_param("year", "Year of a quick pick (default: this year)", "integer"),
    query_param("starts_on", "First day of a custom period (dd/mm/yyyy or yyyy-mm-dd)"),
    query_param("ends_on", "Last day of a custom period (dd/mm/yyyy or yyyy-mm-dd)"),
]


def target_json(target: PlanTarget) -> dict:
    return {"id": target.id, "indicator": target.indicator.value, "target_value": target.target_value,
            "label": target.label, "unit": target.unit,
            "participant_group": target.participant_group,
            "event_types": target.event_types, "levels": target.levels, "tags": target.tags,
            "trainee_basis": target.trainee_basis.value if target.trainee_basis else None}


def plan_json(plan: Plan) -> dict:
    return {"id": plan.id, "organisation_id": plan.organisation_id, "year": plan.year, "title": plan.title,
            "document_no": plan.document_no, "targets": [target_json(t) for t in plan.targets]}


def _managed_plan(plan_id: int) -> Plan:
    plan = plans.get_plan(plan_id)
    require_role(current_api_user(), plan.organisation_id, EVENT_MANAGER_ROLES)
    return plan


@route("/organisations/<int:organisation_id>/plans", "GET", summary="The organisation's yearly plans",
       tags=["reports"], response={"type": "array", "items": PLAN})
def list_yearly_plans(organisation_id):
    require_role(current_api_user(), organisation_id, EVENT_MANAGER_ROLES)
    return jsonify([plan_json(p) for p in plans.list_plans(organisation_id)])


@route("/organisations/<int:organisation_id>/plans", "POST", summary="Create the organisation's plan for a year",
       tags=["reports"], form=PlanForm, response=PLAN, status=201)
def create_yearly_plan(organisation_id):
    require_role(current_api_user(), organisation_id, EVENT_MANAGER_ROLES)
    plan = submit_json(PlanForm, lambda form: plans.save_plan(organisation_id, None, form.to_details()))
    return jsonify(plan_json(plan)), 201


@route("/plans/<int:plan_id>", "GET", summary="One plan with its targets", tags=["reports"], response=PLAN)
def get_yearly_plan(plan_id):
    return jsonify(plan_json(_managed_plan(plan_id)))


@route("/plans/<int:plan_id>/targets", "POST", summary="Add a target to a plan", tags=["reports"],
       body=form_input(TargetForm, name="PlanTargetInput"), response=TARGET, status=201)
def add_plan_target(plan_id):
    plan = _managed_plan(plan_id)
    target = submit_json(TargetForm, lambda form: plans.save_target(plan.id, None, form.to_details()))
    return jsonify(target_json(target)), 201


@route("/plans/<int:plan_id>/targets/<int:target_id>", "DELETE", summary="Remove a target", tags=["reports"],
       status=204)
def remove_plan_target(plan_id, target_id):
    plan = _managed_plan(plan_id)
    plans.delete_target(plan.id, target_id)
    return "", 204


@route("/reports/period", "GET", summary="Period report: indicators against targets, events and participants",
       tags=["reports"], response=PERIOD_REPORT, query=REPORT_QUERY)
def period_report():
    user = current_api_user()
    args = MultiDict(request.args)
    if "organisation_ids" not in args:
        args.setlist("organisation_ids", [str(i) for i in default_organisation_ids(user)])
    form = ReportForm(formdata=args)
    if not form.validate():
        raise ValidationFailed(form.errors)
    return jsonify(report_to_json(report_for(user, form, to_local(utcnow()).date())))


def snapshot_json(snapshot, report) -> dict:
    return {"id": snapshot.id, "organisation_id": snapshot.organisation_id, "kind": snapshot.kind.value,
            "starts_on": snapshot.starts_on.isoformat(), "ends_on": snapshot.ends_on.isoformat(),
            "taken_at": snapshot.taken_at.isoformat(), "report": report_to_json(report)}


@route("/reports/snapshots/<int:snapshot_id>", "GET", summary="A stored report snapshot", tags=["reports"],
       response=SNAPSHOT)
def get_report_snapshot(snapshot_id):
    return jsonify(snapshot_json(*snapshots.get_snapshot(current_api_user(), snapshot_id)))


@route("/events/<int:event_id>/statistics", "GET", summary="Statistics of one of your events", tags=["reports"],
       response={"type": "object"})
def event_statistics(event_id):
    event = get_managed_event(current_api_user(), event_id)
    return jsonify(event_stats.event_statistics(event.id).to_json())
