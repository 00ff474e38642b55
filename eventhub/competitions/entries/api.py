"""Competitions and entries through /api/v1 for the event's organisers; request schemas come from the forms."""
from flask import jsonify

from ...api import current_api_user, route, schema
from ...events.services import get_managed_event
from ...forms import submit_json
from ...timeutil import to_local
from . import services
from .forms import CompetitionForm, DisqualifyForm
from .models import Competition, Entry, EntryStatus

_STRING, _INTEGER = {"type": "string"}, {"type": "integer"}
COMPETITION = schema("Competition", {"type": "object", "properties": {
    "id": _INTEGER, "event_id": _INTEGER, "entry_deadline": {"type": "string", "format": "date-time"},
    "max_team_size": _INTEGER, "is_open": {"type": "boolean"},
    "fields": {"type": "array", "items": {"type": "object", "properties": {"id": _INTEGER, "name": _STRING}}},
    "questions": {"type": "array", "items": {"type": "object", "properties": {"id": _INTEGER, "label": _STRING}}},
    "results_published_at": {"type": "string", "format": "date-time", "nullable": True}}})
ENTRY = schema("CompetitionEntry", {"type": "object", "properties": {
    "id": _INTEGER, "team_name": _STRING, "project_code": _STRING, "field": {"type": "string", "nullable": True},
    "status": {"type": "string", "enum": [s.value for s in EntryStatus]},
    "disqualified_reason": {"type": "string", "nullable": True},
    "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
    "members": {"type": "array", "items": {"type": "object", "properties": {
        "full_name": _STRING, "phone": _STRING, "email": {"type": "string", "nullable": True},
        "group_code": {"type": "string", "nullable": True}, "gender": _STRING}}},
    "files": {"type": "array", "items": {"type": "object", "properties": {
        "id": _INTEGER, "name": _STRING, "media_type": _STRING, "size_bytes": _INTEGER}}}}})


def _iso(value):
    return to_local(value).isoformat() if value else None


def competition_json(competition: Competition) -> dict:
    return {"id": competition.id, "event_id": competition.event_id,
            "entry_deadline": _iso(competition.entry_deadline), "max_team_size": competition.max_team_size,
            "is_open": services.is_open(competition),
            "fields": [{"id": f.id, "name": f.name} for f in competition.fields],
            "questions": [{"id": q.id, "label": q.label} for q in competition.questions],
            "results_published_at": _iso(competition.results_published_at)}


def entry_json(entry: Entry) -> dict:
    return {"id": entry.id, "team_name": entry.team_name, "project_code": entry.project.code,
            "field": entry.field.name if entry.field else None, "status": entry.status.value,
            "disqualified_reason": entry.disqualified_reason, "submitted_at": _iso(entry.submitted_at),
            "members": [{"full_name": m.full_name, "phone": m.phone, "email": m.email, "group_code": m.group_code,
                         "gender": m.gender.value} for m in entry.members],
            "files": [{"id": f.id, "name": f.original_name, "media_type": f.media_type, "size_bytes": f.size_bytes}
                      for f in entry.files]}


def managed_competition(event_id: int) -> Competition:
    """The event's competition, for its organisers only (another organisation's: 404)."""
    return services.get_competition(get_managed_event(current_api_user(), event_id).id)


@route("/events/<int:event_id>/competition", "GET", summary="The event's competition", tags=["competitions"],
       response=COMPETITION)
def get_competition(event_id):
    return jsonify(competition_json(managed_competition(event_id)))


@route("/events/<int:event_id>/competition", "PUT", summary="Set up the competition of a competition event",
       tags=["competitions"], form=CompetitionForm, response=COMPETITION)
def put_competition(event_id):
    event = get_managed_event(current_api_user(), event_id)
    competition = submit_json(CompetitionForm, lambda form: services.save_competition(event.id, form.to_details()))
    return jsonify(competition_json(competition))


@route("/events/<int:event_id>/competition/entries", "GET", summary="The competition's entries",
       tags=["competitions"], response={"type": "array", "items": ENTRY})
def list_competition_entries(event_id):
    return jsonify([entry_json(e) for e in services.list_entries(managed_competition(event_id).id)])


@route("/events/<int:event_id>/competition/entries/<int:entry_id>/disqualify", "POST",
       summary="Disqualify an entry with a reason", tags=["competitions"], form=DisqualifyForm, response=ENTRY)
def disqualify_competition_entry(event_id, entry_id):
    competition = managed_competition(event_id)
    entry = submit_json(DisqualifyForm, lambda form: services.disqualify_entry(competition.id, entry_id,
                                                                             form.reason.data))
    return jsonify(entry_json(entry))
