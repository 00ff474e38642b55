"""Reporting rounds through /api/v1: open a round, list rounds, read and answer a submission, return or accept
it, and read or issue the consolidation. Each route checks the round's or submission's organisation first."""
from flask import jsonify

from ...accounts.services import EVENT_MANAGER_ROLES, require_role
from ...api import current_api_user, route, schema
from ...forms import submit_json
from ...timeutil import utcnow
from ..api import PERIOD_REPORT
from ..issued.api import ISSUED, issued_json
from ..issued.forms import IssueSnapshotForm
from ..periods import report_to_json
from . import services
from .forms import ReportingRoundForm, ReturnForm, SubmissionForm, ValueForm
from .models import ReportingRound, RoundPeriod, RoundSubmission, SubmissionStatus

_STATUS = {"type": "string", "enum": [s.value for s in SubmissionStatus]}
SUBMISSION = schema("RoundSubmission", {"type": "object", "properties": {
    "id": {"type": "integer"}, "round_id": {"type": "integer"}, "organisation_id": {"type": "integer"},
    "organisation": {"type": "string"}, "status": _STATUS,
    "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
    "late": {"type": "boolean", "description": "Submitted after the deadline day"},
    "late_allowed": {"type": "boolean", "description": "Returned or reopened: may submit after the deadline"},
    "comment": {"type": "string", "nullable": True},
    "return_comment": {"type": "string", "nullable": True, "description": "The parent's reason for returning"}}})
ROUND = schema("ReportingRound", {"type": "object", "properties": {
    "id": {"type": "integer"}, "organisation_id": {"type": "integer"},
    "period": {"type": "string", "enum": [p.value for p in RoundPeriod]}, "year": {"type": "integer"},
    "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
    "deadline": {"type": "string", "format": "date"}, "note": {"type": "string", "nullable": True},
    "submissions": {"type": "array", "items": SUBMISSION}}})
_VALUE = {"type": "object", "properties": {
    "manual_indicator_id": {"type": "integer"}, "label": {"type": "string"}, "unit": {"type": "string"},
    "from_plan": {"type": "integer", "description": "The plan's entries in the period summed (the pre-fill)"},
    "value": {"type": "integer"}, "evidence_url": {"type": "string", "nullable": True},
    "has_evidence_file": {"type": "boolean"}}}
SUBMISSION_DETAIL = schema("RoundSubmissionDetail", {"type": "object", "properties": {
    "submission": SUBMISSION,
    "report": {**PERIOD_REPORT, "description": "As submitted (frozen), else the child's period report now"},
    "values": {"type": "array", "items": _VALUE},
    "changes": {"type": "array", "items": {"type": "object", "properties": {
        "changed_at": {"type": "string", "format": "date-time"}, "user_id": {"type": "integer", "nullable": True},
        "field": {"type": "string"}, "old_value": {"type": "string", "nullable": True},
        "new_value": {"type": "string", "nullable": True}}}}}})
_ROW = {"type": "object", "properties": {
    "label": {"type": "string"}, "unit": {"type": "string"}, "target": {"type": "integer", "nullable": True},
    "values": {"type": "array", "items": {"type": "integer", "nullable": True},
               "description": "Per column: the parent's own, then each accepted child (null: not reported)"},
    "total": {"type": "integer"}, "percent": {"type": "number", "nullable": True}}}
CONSOLIDATED = schema("RoundConsolidation", {"type": "object", "properties": {
    "columns": {"type": "array", "items": {"type": "string"}},
    "indicators": {"type": "array", "items": _ROW,
                   "description": "Totals counted over the distinct events: a co-organised event counts once"},
    "manual_indicators": {"type": "array", "items": _ROW},
    "event_count": {"type": "integer"}, "left_out": {"type": "array", "items": SUBMISSION}}})


def submission_json(submission: RoundSubmission) -> dict:
    return {"id": submission.id, "round_id": submission.round_id, "organisation_id": submission.organisation_id,
            "organisation": submission.organisation.display_name, "status": submission.status.value,
            "submitted_at": submission.submitted_at.isoformat() if submission.submitted_at else None,
            "late": services.is_late(submission), "late_allowed": submission.late_allowed,
            "comment": submission.comment, "return_comment": submission.return_comment}


def round_json(reporting_round: ReportingRound) -> dict:
    return {"id": reporting_round.id, "organisation_id": reporting_round.organisation_id,
            "period": reporting_round.period.value, "year": reporting_round.year,
            "starts_on": reporting_round.starts_on.isoformat(), "ends_on": reporting_round.ends_on.isoformat(),
            "deadline": reporting_round.deadline.isoformat(), "note": reporting_round.note,
            "submissions": [submission_json(s) for s in reporting_round.submissions]}


def submission_detail_json(submission: RoundSubmission) -> dict:
    report = services.submitted_report(submission) or services.child_report(submission, utcnow())
    return {"submission": submission_json(submission), "report": report_to_json(report),
            "values": [{"manual_indicator_id": r.manual_indicator_id, "label": r.label, "unit": r.unit,
                        "from_plan": r.from_plan, "value": r.value,
                        "evidence_url": r.saved.evidence_url if r.saved else None,
                        "has_evidence_file": bool(r.saved and r.saved.evidence_file)}
                       for r in services.value_rows(submission)],
            "changes": [{"changed_at": c.changed_at.isoformat(), "user_id": c.user_id, "field": c.field,
                         "old_value": c.old_value, "new_value": c.new_value} for c in submission.changes]}


@route("/reports/rounds", "POST", summary="Open a reporting round for the child organisations", tags=["reports"],
       form=ReportingRoundForm, response=ROUND, status=201)
def open_reporting_round():
    user = current_api_user()

    def save(form):
        require_role(user, form.organisation_id.data, EVENT_MANAGER_ROLES)
        return services.open_round(form.to_details(), opened_by_id=user.id, now=utcnow())

    return jsonify(round_json(submit_json(ReportingRoundForm, save))), 201


@route("/reports/rounds", "GET", summary="The rounds your organisations opened and the submissions they owe",
       tags=["reports"], response={"type": "object", "properties": {
           "rounds": {"type": "array", "items": ROUND}, "submissions": {"type": "array", "items": SUBMISSION}}})
def list_reporting_rounds():
    rounds, owed = services.rounds_of(current_api_user())
    return jsonify({"rounds": [round_json(r) for r in rounds], "submissions": [submission_json(s) for s in owed]})


@route("/reports/rounds/<int:round_id>", "GET", summary="A round with each child's status (the parent's dashboard)",
       tags=["reports"], response=ROUND)
def get_reporting_round(round_id):
    return jsonify(round_json(services.managed_round(current_api_user(), round_id)))


@route("/reports/rounds/<int:round_id>/submissions/<int:submission_id>", "GET",
       summary="A submission with its figures (pre-filled, or frozen once submitted) and its change log",
       tags=["reports"], response=SUBMISSION_DETAIL)
def get_round_submission(round_id, submission_id):
    return jsonify(submission_detail_json(services.readable_submission(current_api_user(), round_id,
                                                                       submission_id)))


@route("/reports/rounds/<int:round_id>/submissions/<int:submission_id>", "PUT",
       summary="Save the child's comment on its submission (a draft)", tags=["reports"], form=SubmissionForm,
       response=SUBMISSION)
def save_round_submission(round_id, submission_id):
    user = current_api_user()
    own = services.own_submission(user, round_id, submission_id)
    saved = submit_json(SubmissionForm, lambda form: services.save_draft(own.id, form.to_details(), user_id=user.id,
                                                                         now=utcnow()))
    return jsonify(submission_json(saved))


@route("/reports/rounds/<int:round_id>/submissions/<int:submission_id>/values/<int:indicator_id>", "PUT",
       summary="Save the child's figure of a manual indicator with its evidence link", tags=["reports"],
       form=ValueForm, response=_VALUE)
def save_round_submission_value(round_id, submission_id, indicator_id):
    user = current_api_user()
    own = services.own_submission(user, round_id, submission_id)
    value = submit_json(ValueForm, lambda form: services.save_value(own.id, indicator_id, form.to_details(),
                                                                    user_id=user.id, now=utcnow()))
    return jsonify({"manual_indicator_id": value.manual_indicator_id, "label": value.label, "unit": value.unit,
                    "from_plan": next(r.from_plan for r in services.value_rows(own)
                                      if r.manual_indicator_id == value.manual_indicator_id),
                    "value": value.value, "evidence_url": value.evidence_url,
                    "has_evidence_file": value.evidence_file is not None})


@route("/reports/rounds/<int:round_id>/submissions/<int:submission_id>/submit", "POST",
       summary="Submit (freezes the figures; refused after the deadline unless returned or reopened)",
       tags=["reports"], response=SUBMISSION)
def submit_round_submission(round_id, submission_id):
    user = current_api_user()
    own = services.own_submission(user, round_id, submission_id)
    return jsonify(submission_json(services.submit(own.id, user_id=user.id, now=utcnow())))


@route("/reports/rounds/<int:round_id>/submissions/<int:submission_id>/return", "POST",
       summary="Return a submission to its organisation with a comment", tags=["reports"], form=ReturnForm,
       response=SUBMISSION)
def return_round_submission(round_id, submission_id):
    user = current_api_user()
    sent = services.parent_submission(user, round_id, submission_id)
    returned = submit_json(ReturnForm, lambda form: services.return_submission(
        sent.id, form.comment.data, user_id=user.id, now=utcnow()))
    return jsonify(submission_json(returned))


@route("/reports/rounds/<int:round_id>/submissions/<int:submission_id>/accept", "POST",
       summary="Accept a submission into the consolidation", tags=["reports"], response=SUBMISSION)
def accept_round_submission(round_id, submission_id):
    user = current_api_user()
    sent = services.parent_submission(user, round_id, submission_id)
    return jsonify(submission_json(services.accept_submission(sent.id, user_id=user.id, now=utcnow())))


@route("/reports/rounds/<int:round_id>/submissions/<int:submission_id>/reopen", "POST",
       summary="Let an organisation that has not submitted do so after the deadline", tags=["reports"],
       response=SUBMISSION)
def reopen_round_submission(round_id, submission_id):
    sent = services.parent_submission(current_api_user(), round_id, submission_id)
    return jsonify(submission_json(services.reopen_submission(sent.id, now=utcnow())))


def consolidation_json(result: services.Consolidation) -> dict:
    def rows(items):
        return [{"label": r.label, "unit": r.unit, "target": r.target, "values": list(r.values), "total": r.total,
                 "percent": r.percent} for r in items]

    return {"columns": list(result.columns), "indicators": rows(result.indicators),
            "manual_indicators": rows(result.manual_indicators), "event_count": result.event_count,
            "left_out": [submission_json(s) for s in result.left_out]}


@route("/reports/rounds/<int:round_id>/consolidated", "GET",
       summary="The parent's own figures and each accepted child's, with totals counting every event once",
       tags=["reports"], response=CONSOLIDATED)
def consolidated_round(round_id):
    reporting_round = services.managed_round(current_api_user(), round_id)
    return jsonify(consolidation_json(services.consolidate(reporting_round.id, now=utcnow())))


@route("/reports/rounds/<int:round_id>/issue", "POST", summary="Issue the round's consolidation as a report",
       tags=["reports"], form=IssueSnapshotForm, response=ISSUED, status=201)
def issue_consolidated_round(round_id):
    user = current_api_user()
    reporting_round = services.managed_round(user, round_id)
    issued = submit_json(IssueSnapshotForm, lambda form: services.issue_consolidated(
        reporting_round.id, form.to_details(), issued_by_id=user.id, now=utcnow()))
    return jsonify(issued_json(issued)), 201
