"""Results, advancement and prizes through /api/v1 for the event's organisers."""
from flask import Response, jsonify

from ...api import route, schema
from ...forms import submit_json
from ..entries.api import managed_competition
from ..judging.api import round_json
from ..judging.services import get_round
from . import services
from .forms import AdvanceForm, PrizeForm
from .models import PrizeKind

_STRING, _INTEGER, _NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "number"}
_NULL_NUMBER = {"type": "number", "nullable": True}
RESULT = schema("CompetitionResult", {"type": "object", "properties": {
    "entry_id": _INTEGER, "team_name": _STRING, "rank": {"type": "integer", "nullable": True},
    "mean": _NULL_NUMBER, "spread": _NULL_NUMBER, "low": _NULL_NUMBER, "high": _NULL_NUMBER,
    "top_criterion": _NULL_NUMBER, "missing": _INTEGER, "tied_on": {"type": "string", "nullable": True},
    "judges": {"type": "array", "items": {"type": "object", "properties": {
        "judge_id": _INTEGER, "name": _STRING, "total": _NUMBER, "outlier": {"type": "boolean"}}}}}})
RESULTS = schema("CompetitionRoundResults", {"type": "object", "properties": {
    "round": {"type": "object"}, "tie_break": _STRING, "results": {"type": "array", "items": RESULT}}})
PRIZE = schema("CompetitionPrize", {"type": "object", "properties": {
    "id": _INTEGER, "entry_id": _INTEGER, "team_name": _STRING, "member_names": {"type": "array", "items": _STRING},
    "kind": {"type": "string", "enum": [k.value for k in PrizeKind]}, "title": _STRING, "rank": _INTEGER}})


def result_json(result: services.EntryResult) -> dict:
    return {"entry_id": result.entry.id, "team_name": result.entry.team_name, "rank": result.rank,
            "mean": result.mean, "spread": result.spread, "low": result.low, "high": result.high,
            "top_criterion": result.top_criterion, "missing": result.missing, "tied_on": result.tied_on,
            "judges": [{"judge_id": j.judge_id, "name": j.judge_name, "total": j.total, "outlier": j.outlier}
                       for j in result.judges]}


def prize_json(prize) -> dict:
    return {"id": prize.id, "entry_id": prize.entry_id, "team_name": prize.entry.team_name,
            "member_names": prize.entry.member_names, "kind": prize.kind.value, "title": str(prize.kind.label),
            "rank": prize.kind.rank}


@route("/events/<int:event_id>/competition/rounds/<int:round_id>/results", "GET",
       summary="A closed round's results: mean weighted score, spread, outliers, ranking with the tie-break",
       tags=["competitions"], response=RESULTS)
def competition_round_results(event_id, round_id):
    round_ = get_round(managed_competition(event_id).id, round_id)
    return jsonify({"round": round_json(round_), "tie_break": str(services.TIE_BREAK),
                    "results": [result_json(r) for r in services.round_results(round_)]})


@route("/events/<int:event_id>/competition/rounds/<int:round_id>/advance", "POST",
       summary="Decide which entries go on, by the round's rule (picks and reason for the organiser's pick)",
       tags=["competitions"], form=AdvanceForm, response={"type": "array", "items": _INTEGER})
def advance_competition_round(event_id, round_id):
    competition = managed_competition(event_id)
    chosen = submit_json(AdvanceForm, lambda f: services.advance(competition.id, round_id, list(f.picks.data or []),
                                                                 f.reason.data or ""))
    return jsonify(chosen)


@route("/events/<int:event_id>/competition/prizes", "GET", summary="The competition's prizes", tags=["competitions"],
       response={"type": "array", "items": PRIZE})
def list_competition_prizes(event_id):
    return jsonify([prize_json(p) for p in services.list_prizes(managed_competition(event_id).id)])


@route("/events/<int:event_id>/competition/prizes", "POST", summary="Award a prize to an entry",
       tags=["competitions"], form=PrizeForm, response=PRIZE, status=201)
def award_competition_prize(event_id):
    competition = managed_competition(event_id)
    prize = submit_json(PrizeForm, lambda f: services.award_prize(competition.id, f.entry_id.data, f.kind.data), [])
    return jsonify(prize_json(prize)), 201


@route("/events/<int:event_id>/competition/prizes/<int:prize_id>", "DELETE", summary="Remove a prize",
       tags=["competitions"], status=204)
def remove_competition_prize(event_id, prize_id):
    services.remove_prize(managed_competition(event_id).id, prize_id)
    return "", 204


@route("/events/<int:event_id>/competition/publish", "POST", summary="Publish the prizes on the public event page",
       tags=["competitions"], response={"type": "array", "items": PRIZE})
def publish_competition_results(event_id):
    competition = managed_competition(event_id)
    services.publish_results(competition.id)
    return jsonify([prize_json(p) for p in services.list_prizes(competition.id)])


@route("/events/<int:event_id>/competition/nomination.zip", "GET",
       summary="The nomination dossier: entries' files and an XLSX summary in one ZIP", tags=["competitions"])
def competition_nomination_zip(event_id):
    data = services.nomination_zip(managed_competition(event_id).id)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": "attachment; filename=ho-so-de-cu.zip"})
