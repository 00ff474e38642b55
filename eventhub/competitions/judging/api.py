"""Rounds, the jury and assignment through /api/v1 (organisers), and scores (judges: their own entries only)."""
from flask import jsonify, request

from ...api import current_api_user, route, schema
from ...errors import ValidationFailed
from ...extensions import db
from ...forms import submit_json
from ...params import is_db_id
from ..entries.api import managed_competition
from . import services
from .forms import ConflictForm, JudgeForm, RoundForm
from .models import AdvancementRule, Assignment, Judge, Round, RoundStatus

_STRING, _INTEGER, _NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "number"}
ROUND = schema("CompetitionRound", {"type": "object", "properties": {
    "id": _INTEGER, "position": _INTEGER, "name": _STRING,
    "status": {"type": "string", "enum": [s.value for s in RoundStatus]},
    "judges_per_entry": _INTEGER, "scale_max": _INTEGER, "require_comment": {"type": "boolean"},
    "rule": {"type": "string", "enum": [r.value for r in AdvancementRule]},
    "advance_count": {"type": "integer", "nullable": True}, "threshold": {"type": "number", "nullable": True},
    "criteria": {"type": "array", "items": {"type": "object", "properties": {
        "id": _INTEGER, "name": _STRING, "weight": _INTEGER}}},
    "judge_ids": {"type": "array", "items": _INTEGER},
    "assignment_report": {"type": "object", "description": "loads per judge, spread, uncovered entries with why"}}})
JUDGE = schema("CompetitionJudge", {"type": "object", "properties": {
    "id": _INTEGER, "user_id": _INTEGER, "full_name": _STRING, "is_chair": {"type": "boolean"},
    "field_ids": {"type": "array", "items": _INTEGER}, "conflict_entry_ids": {"type": "array", "items": _INTEGER},
    "first_password": {"type": "string", "nullable": True,
                       "description": "Only when the account was created now: hand it over, it must be changed"}}})
ASSIGNMENT = schema("JudgeAssignment", {"type": "object", "properties": {
    "id": _INTEGER, "round_id": _INTEGER, "round_name": _STRING, "round_status": _STRING, "entry_id": _INTEGER,
    "team_name": _STRING, "scale_max": _INTEGER, "require_comment": {"type": "boolean"},
    "criteria": {"type": "array", "items": {"type": "object"}},
    "scores": {"type": "object", "additionalProperties": _NUMBER, "description": "criterion id → own score only"},
    "comment": _STRING, "completed": {"type": "boolean"}}})
SCORES_INPUT = schema("ScoresInput", {"type": "object", "required": ["idempotency_key", "scores"],
                                      "additionalProperties": False, "properties": {
    "idempotency_key": {"type": "string", "minLength": 8, "maxLength": 64,
                        "description": "One per save: a retry with the same key counts once"},
    "scores": {"type": "object", "additionalProperties": _NUMBER, "description": "criterion id → score"},
    "comment": _STRING}})
SAVED = schema("ScoresSaved", {"type": "object", "properties": {
    "assignment": ASSIGNMENT, "save_id": _INTEGER, "replayed": {"type": "boolean"}}})


def round_json(round_: Round) -> dict:
    return {"id": round_.id, "position": round_.position, "name": round_.name, "status": round_.status.value,
            "judges_per_entry": round_.judges_per_entry, "scale_max": round_.scale_max,
            "require_comment": round_.require_comment, "rule": round_.rule.value,
            "advance_count": round_.advance_count, "threshold": round_.threshold,
            "criteria": [{"id": c.id, "name": c.name, "weight": c.weight} for c in round_.criteria],
            "judge_ids": [j.id for j in round_.judges], "assignment_report": round_.assignment_report or {}}


def judge_json(judge: Judge, password: str | None = None) -> dict:
    return {"id": judge.id, "user_id": judge.user_id, "full_name": judge.user.full_name, "is_chair": judge.is_chair,
            "field_ids": [f.id for f in judge.fields], "conflict_entry_ids": [c.entry_id for c in judge.conflicts],
            "first_password": password}


def assignment_json(assignment: Assignment) -> dict:
    round_ = db.session.get(Round, assignment.round_id)
    return {"id": assignment.id, "round_id": round_.id, "round_name": round_.name,
            "round_status": round_.status.value, "entry_id": assignment.entry_id,
            "team_name": assignment.entry.team_name, "scale_max": round_.scale_max,
            "require_comment": round_.require_comment,
            "criteria": [{"id": c.id, "name": c.name, "weight": c.weight} for c in round_.criteria],
            "scores": {str(k): v for k, v in services.own_scores(assignment).items()},
            "comment": assignment.comment, "completed": assignment.completed_at is not None}


def score_details(payload) -> services.ScoreDetails:
    """The judge's JSON body (API and the phone page alike) as the service's input."""
    if not isinstance(payload, dict) or set(payload) - {"idempotency_key", "scores", "comment"}:
        raise ValidationFailed({"_body": ["idempotency_key, scores, comment"]})
    scores, key, comment = payload.get("scores"), payload.get("idempotency_key"), payload.get("comment", "")
    if not isinstance(scores, dict) or not all(k.isdigit() and is_db_id(int(k)) for k in scores) \
            or not isinstance(key, str) or not isinstance(comment, str) \
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in scores.values()):
        raise ValidationFailed({"scores": ["criterion id → number"]})
    return services.ScoreDetails({int(k): v for k, v in scores.items()}, key, comment[:5000])


@route("/events/<int:event_id>/competition/rounds", "GET", summary="The competition's rounds",
       tags=["competitions"], response={"type": "array", "items": ROUND})
def list_competition_rounds(event_id):
    return jsonify([round_json(r) for r in services.list_rounds(managed_competition(event_id).id)])


@route("/events/<int:event_id>/competition/rounds", "POST", summary="Add a round with its rubric and judges",
       tags=["competitions"], form=RoundForm, response=ROUND, status=201)
def add_competition_round(event_id):
    competition = managed_competition(event_id)
    round_ = submit_json(RoundForm, lambda f: services.save_round(competition.id, None, f.to_details()),
                         services.list_judges(competition.id))
    return jsonify(round_json(round_)), 201


@route("/events/<int:event_id>/competition/rounds/<int:round_id>/assign", "POST",
       summary="Assign the round's judges to its entries (deterministic; uncovered entries say why)",
       tags=["competitions"], response=ROUND)
def assign_competition_round(event_id, round_id):
    competition = managed_competition(event_id)
    services.assign_round(competition.id, round_id)
    return jsonify(round_json(services.get_round(competition.id, round_id)))


@route("/events/<int:event_id>/competition/rounds/<int:round_id>/open", "POST", summary="Open a round for scoring",
       tags=["competitions"], response=ROUND)
def open_competition_round(event_id, round_id):
    return jsonify(round_json(services.open_round(managed_competition(event_id).id, round_id)))


@route("/events/<int:event_id>/competition/rounds/<int:round_id>/close", "POST",
       summary="Close a round: scores are final and results visible", tags=["competitions"], response=ROUND)
def close_competition_round(event_id, round_id):
    return jsonify(round_json(services.close_round(managed_competition(event_id).id, round_id)))


@route("/events/<int:event_id>/competition/judges", "GET", summary="The jury", tags=["competitions"],
       response={"type": "array", "items": JUDGE})
def list_competition_judges(event_id):
    return jsonify([judge_json(j) for j in services.list_judges(managed_competition(event_id).id)])


@route("/events/<int:event_id>/competition/judges", "POST", summary="Invite a judge by e-mail",
       tags=["competitions"], form=JudgeForm, response=JUDGE, status=201)
def add_competition_judge(event_id):
    competition = managed_competition(event_id)
    judge, password = submit_json(JudgeForm, lambda f: services.add_judge(competition.id, f.to_details()),
                                  competition)
    return jsonify(judge_json(judge, password)), 201


@route("/events/<int:event_id>/competition/judges/<int:judge_id>/conflicts", "POST",
       summary="Record a judge's declared conflict of interest with an entry", tags=["competitions"],
       form=ConflictForm, response=JUDGE, status=201)
def add_judge_conflict(event_id, judge_id):
    competition = managed_competition(event_id)
    submit_json(ConflictForm, lambda f: services.declare_conflict(competition.id, judge_id, f.entry_id.data,
                                                                  f.reason.data or ""), [])
    return jsonify(judge_json(services.get_judge(competition.id, judge_id))), 201


@route("/judging/assignments", "GET", summary="The signed-in judge's entries in opened rounds", tags=["judging"],
       response={"type": "array", "items": ASSIGNMENT})
def list_my_assignments():
    return jsonify([assignment_json(a) for a in services.judge_assignments(current_api_user().id)])


@route("/judging/assignments/<int:assignment_id>/scores", "PUT",
       summary="Save the judge's scores of one entry (idempotent by key; only while the round is open)",
       tags=["judging"], body=SCORES_INPUT, response=SAVED)
def save_my_scores(assignment_id):
    return save_from_json(current_api_user().id, assignment_id)


def save_from_json(user_id: int, assignment_id: int):
    """The API's and the phone page's save: another judge's assignment is a 404 before the body is read."""
    services.assignment_for(user_id, assignment_id)
    result = services.save_scores(user_id, assignment_id, score_details(request.get_json(silent=True)))
    return jsonify({"assignment": assignment_json(result.assignment), "save_id": result.save.id,
                    "replayed": result.replayed})


