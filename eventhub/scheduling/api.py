"""The agenda through /api/v1: rooms, tracks, speakers and sessions (organiser token), the schedule export,
and session sign-up with the ticket's key. Conflicts answer 409 with every conflict as JSON."""
from flask import Response, jsonify

from ..api import current_api_user, form_input, route, schema
from ..events.services import get_managed_event, get_portal_event
from ..forms import submit_json
from ..registration.api import ticket_from_header
from ..registration.views import private
from . import export, services, signup
from .forms import CancelSessionForm, RoomForm, SessionForm, SpeakerForm, TrackForm
from .models import Room, SessionStatus, SessionType, SignupStatus, Speaker, Track

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": "string", "nullable": True}
_INTEGER = {"type": "integer"}
_DATETIME = {"type": "string", "format": "date-time", "description": "ISO 8601; without an offset, local time"}
_DELETED = {"type": "object", "properties": {"deleted": {"type": "boolean"}}}

ROOM = schema("Room", {"type": "object", "properties": {
    "id": _INTEGER, "name": _STRING, "capacity": _INTEGER, "position": _INTEGER}})
TRACK = schema("Track", {"type": "object", "properties": {"id": _INTEGER, "name": _STRING, "colour": _STRING}})
SPEAKER = schema("Speaker", {"type": "object", "properties": {
    "id": _INTEGER, "name": _STRING, "title": _NULLABLE_STRING, "organisation_name": _NULLABLE_STRING,
    "email": _NULLABLE_STRING, "bio": _STRING}})
SESSION_INPUT = form_input(SessionForm, name="AgendaSessionInput")
SESSION = schema("AgendaSession", {"type": "object", "properties": {
    "id": _INTEGER, "event_id": _INTEGER, "title": _STRING,
    "session_type": {"type": "string", "enum": [t.value for t in SessionType]}, "description_md": _STRING,
    "starts_at": _DATETIME, "ends_at": _DATETIME, "room": {"type": "object", "nullable": True},
    "track": {"type": "object", "nullable": True}, "speakers": {"type": "array", "items": {"type": "object"}},
    "capacity": {"type": "integer", "nullable": True}, "signup_required": {"type": "boolean"},
    "seat_limit": {"type": "integer", "nullable": True}, "seats_taken": {"type": "integer", "nullable": True},
    "status": {"type": "string", "enum": [s.value for s in SessionStatus]},
    "cancellation_reason": _NULLABLE_STRING, "sequence": _INTEGER}})
CONFLICT = schema("ScheduleConflict", {"type": "object", "properties": {
    "code": {"type": "string", "enum": ["outside_event", "room_overlap", "speaker_overlap", "room_capacity",
                                        "participant_overlap"]},
    "blocking": {"type": "boolean", "description": "False for a warning that confirm_warnings accepts"},
    "message": _STRING, "other_session": {"type": "object", "nullable": True, "description": "The session it clashes "
                                          "with: id, title, event_id, room, starts_at, ends_at"}}})
CONFLICTS = schema("ScheduleCheck", {"type": "object", "properties": {
    "conflicts": {"type": "array", "items": CONFLICT}}})
SCHEDULE = schema("Schedule", {"type": "object", "description": "frab-compatible schedule (JSON flavour)",
                               "properties": {"schedule": {"type": "object"}}})
SIGNUP = schema("SessionSignup", {"type": "object", "properties": {
    "session": SESSION, "status": {"type": "string", "enum": [s.value for s in SignupStatus]},
    "waitlist_rank": {"type": "integer", "nullable": True}}})
PERSONAL_AGENDA = schema("PersonalAgenda", {"type": "object", "properties": {
    "chosen": {"type": "array", "items": SIGNUP}, "open": {"type": "array", "items": SESSION}}})


def room_json(room: Room) -> dict:
    return {"id": room.id, "name": room.name, "capacity": room.capacity, "position": room.position}


def track_json(track: Track) -> dict:
    return {"id": track.id, "name": track.name, "colour": track.colour}


def speaker_json(speaker: Speaker) -> dict:
    return {"id": speaker.id, "name": speaker.name, "title": speaker.title,
            "organisation_name": speaker.organisation_name, "email": speaker.email, "bio": speaker.bio}


def signup_json(item) -> dict:
    return {"session": export.session_json(item.session), "status": item.status.value,
            "waitlist_rank": signup.waitlist_rank(item)}


def _event(event_id):
    return get_managed_event(current_api_user(), event_id)


# Rooms and tracks --------------------------------------------------------------------------------

@route("/events/<int:event_id>/rooms", "GET", summary="Rooms of one of your events", tags=["scheduling"],
       response={"type": "array", "items": ROOM})
def list_rooms(event_id):
    return jsonify([room_json(r) for r in services.rooms(_event(event_id).id)])


def _save_room(event_id, room_id):
    return room_json(submit_json(RoomForm, lambda form: services.save_room(event_id, room_id, form.to_details())))


@route("/events/<int:event_id>/rooms", "POST", summary="Add a room", tags=["scheduling"], form=RoomForm,
       response=ROOM, status=201)
def create_room(event_id):
    return jsonify(_save_room(_event(event_id).id, None)), 201


@route("/events/<int:event_id>/rooms/<int:room_id>", "PUT", summary="Change a room", tags=["scheduling"],
       form=RoomForm, response=ROOM)
def update_room(event_id, room_id):
    return jsonify(_save_room(_event(event_id).id, room_id))


@route("/events/<int:event_id>/rooms/<int:room_id>", "DELETE", summary="Delete a room (its sessions keep no room)",
       tags=["scheduling"], response=_DELETED)
def delete_room(event_id, room_id):
    services.delete_room(_event(event_id).id, room_id)
    return jsonify({"deleted": True})


@route("/events/<int:event_id>/tracks", "GET", summary="Tracks of one of your events", tags=["scheduling"],
       response={"type": "array", "items": TRACK})
def list_tracks(event_id):
    return jsonify([track_json(t) for t in services.tracks(_event(event_id).id)])


def _save_track(event_id, track_id):
    return track_json(submit_json(TrackForm, lambda form: services.save_track(event_id, track_id, form.to_details())))


@route("/events/<int:event_id>/tracks", "POST", summary="Add a track", tags=["scheduling"], form=TrackForm,
       response=TRACK, status=201)
def create_track(event_id):
    return jsonify(_save_track(_event(event_id).id, None)), 201


@route("/events/<int:event_id>/tracks/<int:track_id>", "PUT", summary="Change a track", tags=["scheduling"],
       form=TrackForm, response=TRACK)
def update_track(event_id, track_id):
    return jsonify(_save_track(_event(event_id).id, track_id))


@route("/events/<int:event_id>/tracks/<int:track_id>", "DELETE", summary="Delete a track", tags=["scheduling"],
       response=_DELETED)
def delete_track(event_id, track_id):
    services.delete_track(_event(event_id).id, track_id)
    return jsonify({"deleted": True})


# Speakers ----------------------------------------------------------------------------------------

def _organisation(organisation_id):
    return services.managed_speakers_of(current_api_user(), organisation_id)


def _save_speaker(organisation_id, speaker_id):
    return speaker_json(submit_json(SpeakerForm, lambda form: services.save_speaker(
        organisation_id, speaker_id, form.to_details())))


@route("/organisations/<int:organisation_id>/speakers", "GET", summary="Speakers and trainers of an organisation",
       tags=["scheduling"], response={"type": "array", "items": SPEAKER})
def list_speakers(organisation_id):
    return jsonify([speaker_json(s) for s in services.speakers(_organisation(organisation_id))])


@route("/organisations/<int:organisation_id>/speakers", "POST", summary="Add a speaker or trainer",
       tags=["scheduling"], form=SpeakerForm, response=SPEAKER, status=201)
def create_speaker(organisation_id):
    return jsonify(_save_speaker(_organisation(organisation_id), None)), 201


@route("/organisations/<int:organisation_id>/speakers/<int:speaker_id>", "PUT", summary="Change a speaker",
       tags=["scheduling"], form=SpeakerForm, response=SPEAKER)
def update_speaker(organisation_id, speaker_id):
    return jsonify(_save_speaker(_organisation(organisation_id), speaker_id))


@route("/organisations/<int:organisation_id>/speakers/<int:speaker_id>", "DELETE", summary="Delete a speaker",
       tags=["scheduling"], response=_DELETED)
def delete_speaker(organisation_id, speaker_id):
    services.delete_speaker(_organisation(organisation_id), speaker_id)
    return jsonify({"deleted": True})


# Sessions ----------------------------------------------------------------------------------------

@route("/events/<int:event_id>/sessions", "GET", summary="The agenda of one of your events", tags=["scheduling"],
       response={"type": "array", "items": SESSION})
def list_sessions(event_id):
    return jsonify([export.session_json(s) for s in services.sessions(_event(event_id).id)])


@route("/events/<int:event_id>/sessions", "POST", summary="Add a session; 409 lists the conflicts",
       tags=["scheduling"], body=SESSION_INPUT, response=SESSION, status=201)
def create_session(event_id):
    event = _event(event_id)
    session = submit_json(SessionForm, lambda form: services.create_session(
        event.id, form.to_details(), confirm_warnings=form.confirm_warnings.data), event)
    return jsonify(export.session_json(session)), 201


@route("/events/<int:event_id>/sessions/conflicts", "POST", summary="Check a session without saving it",
       tags=["scheduling"], body=SESSION_INPUT, response=CONFLICTS)
def check_session(event_id):
    event = _event(event_id)
    check = submit_json(SessionForm, lambda form: services.check_session(event.id, form.to_details()), event)
    return jsonify({"conflicts": [c.as_json() for c in check.conflicts]})


@route("/events/<int:event_id>/sessions/<int:session_id>", "GET", summary="One session", tags=["scheduling"],
       response=SESSION)
def get_session(event_id, session_id):
    return jsonify(export.session_json(services.get_session(_event(event_id).id, session_id)))


@route("/events/<int:event_id>/sessions/<int:session_id>", "PUT", summary="Change or move a session; 409 lists "
       "the conflicts", tags=["scheduling"], body=SESSION_INPUT, response=SESSION)
def update_session(event_id, session_id):
    event = _event(event_id)
    services.get_session(event.id, session_id)
    session = submit_json(SessionForm, lambda form: services.update_session(
        event.id, session_id, form.to_details(), confirm_warnings=form.confirm_warnings.data), event)
    return jsonify(export.session_json(session))


@route("/events/<int:event_id>/sessions/<int:session_id>/cancel", "POST", summary="Cancel a session (kept, marked "
       "cancelled)", tags=["scheduling"], form=CancelSessionForm, response=SESSION)
def cancel_session(event_id, session_id):
    event = _event(event_id)
    return jsonify(export.session_json(submit_json(CancelSessionForm, lambda form: services.cancel_session(
        event.id, session_id, form.reason.data))))


@route("/events/<int:event_id>/sessions/<int:session_id>", "DELETE", summary="Delete a session nobody signed up "
       "for", tags=["scheduling"], response=_DELETED)
def delete_session(event_id, session_id):
    services.delete_session(_event(event_id).id, session_id)
    return jsonify({"deleted": True})


# Schedule export ---------------------------------------------------------------------------------

@route("/events/<int:event_id>/schedule", "GET", summary="Schedule of one of your events (frab JSON)",
       tags=["scheduling"], response=SCHEDULE)
def event_schedule(event_id):
    return jsonify(export.schedule_json(_event(event_id)))


@route("/portal/events/<slug>/schedule", "GET", summary="Public schedule of a published event (frab JSON)",
       tags=["portal"], auth=False, response=SCHEDULE)
def portal_schedule(slug):
    return jsonify(export.schedule_json(get_portal_event(slug)))


@route("/portal/events/<slug>/schedule.xml", "GET", summary="Public schedule in frab XML", tags=["portal"],
       auth=False)
def portal_schedule_xml(slug):
    return Response(export.schedule_xml(get_portal_event(slug)), mimetype="application/xml")


# Sign-up with the ticket's key -------------------------------------------------------------------

@route("/ticket/agenda", "GET", summary="Your chosen sessions and those open for sign-up (X-Ticket-Key header)",
       tags=["scheduling"], auth=False, response=PERSONAL_AGENDA)
def personal_agenda():
    registration = ticket_from_header()
    chosen = signup.signups_of(registration.id)
    taken = {s.session_id for s in chosen}
    return private(jsonify({"chosen": [signup_json(s) for s in chosen],
                            "open": [export.session_json(s) for s in services.sessions(registration.event_id,
                                                                                         include_cancelled=False)
                                     if s.signup_required and s.id not in taken]}))


@route("/ticket/sessions/<int:session_id>/signup", "POST",
       summary="Sign up for a session (X-Ticket-Key header): a seat, or a place on the waiting list when it is "
       "full; 409 when it clashes with a session you chose", tags=["scheduling"], auth=False, response=SIGNUP,
       status=201)
def sign_up(session_id):
    return jsonify(signup_json(signup.sign_up(session_id, ticket_from_header().id))), 201


@route("/ticket/sessions/<int:session_id>/signup", "DELETE", summary="Cancel your sign-up (X-Ticket-Key header)",
       tags=["scheduling"], auth=False, response=SIGNUP)
def cancel_signup(session_id):
    return jsonify(signup_json(signup.cancel_signup(session_id, ticket_from_header().id)))
