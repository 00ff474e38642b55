"""Events through /api/v1: the organiser's events (token) and the public portal (no token)."""
from flask import jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from ..accounts.models import Organisation
from ..accounts.services import EVENT_MANAGER_ROLES, ORGANISATION_ADMIN_ROLES, organisations_where, require_role
from ..api import (
    PAGINATION_PARAMS,
    current_api_user,
    form_input,
    json_body,
    page_json,
    page_schema,
    query_param,
    route,
    schema,
)
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..forms import submit_json
from ..localities import PROVINCES
from ..pagination import paginate
from ..params import enum_arg, is_db_id
from ..text import render_markdown
from ..timeutil import to_local
from . import coorganisers, services
from .forms import CloneForm, EventForm, InvitationResponseForm, TransitionForm
from .models import CoOrganiserStatus, Event, EventLevel, EventStatus, EventType, Visibility
from .portal import read_portal_filters
from .services import EventDetails

_DATETIME = {"type": "string", "format": "date-time"}
_NULLABLE_DATETIME = {"type": "string", "format": "date-time", "nullable": True}
_ORGANISATION = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}

_NULLABLE_STRING = {"type": "string", "nullable": True}
EVENT_PROPERTIES = {
    "id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"},
    "summary": _NULLABLE_STRING,
    "event_type": {"type": "string", "enum": [t.value for t in EventType]},
    "level": {"type": "string", "enum": [lv.value for lv in EventLevel]},
    "status": {"type": "string", "enum": [s.value for s in EventStatus]},
    "visibility": {"type": "string", "enum": [v.value for v in Visibility]},
    "province": {"type": "string"}, "sub_unit": _NULLABLE_STRING,
    "venue_name": {"type": "string"}, "venue_address": _NULLABLE_STRING,
    "starts_at": _DATETIME, "ends_at": _DATETIME,
    "registration_opens_at": _NULLABLE_DATETIME, "registration_closes_at": _NULLABLE_DATETIME,
    "capacity": {"type": "integer", "nullable": True},
    "description_md": {"type": "string", "description": "Markdown"},
    "description_html": {"type": "string"},
    "cover_image_url": _NULLABLE_STRING,
    "cancellation_reason": _NULLABLE_STRING,
    "public_url": {"type": "string"},
    "organisation": _ORGANISATION,
    "co_organisers": {"type": "array", "items": _ORGANISATION, "description": "Accepted co-organisers only"},
    "co_organiser_invitations": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "status": {"type": "string", "enum": [s.value for s in CoOrganiserStatus]}}},
        "description": "Every organisation the lead invited, with the invitation's state (organisers only)"},
    "created_at": _DATETIME, "updated_at": _DATETIME, "published_at": _NULLABLE_DATETIME,
}
EVENT = schema("Event", {"type": "object", "properties": EVENT_PROPERTIES})
EVENT_PAGE = page_schema("EventPage", EVENT)
PUBLIC_EVENT_FIELDS = ("id", "slug", "title", "summary", "event_type", "level", "status", "province", "sub_unit",
                       "venue_name", "venue_address", "starts_at", "ends_at", "registration_opens_at",
                       "registration_closes_at", "capacity", "description_md", "description_html",
                       "cover_image_url", "cancellation_reason", "public_url", "organisation", "co_organisers")


def _iso(value):
    return to_local(value).isoformat() if value else None


def event_json(event: Event) -> dict:
    return {
        "id": event.id, "slug": event.slug, "title": event.title, "summary": event.summary,
        "event_type": event.event_type.value, "level": event.level.value, "status": event.status.value,
        "visibility": event.visibility.value, "province": event.province, "sub_unit": event.sub_unit,
        "venue_name": event.venue_name, "venue_address": event.venue_address,
        "starts_at": _iso(event.starts_at), "ends_at": _iso(event.ends_at),
        "registration_opens_at": _iso(event.registration_opens_at),
        "registration_closes_at": _iso(event.registration_closes_at),
        "capacity": event.capacity, "description_md": event.description_md,
        "description_html": str(render_markdown(event.description_md)),
        "cover_image_url": url_for("portal.cover_image", name=event.cover_image, _external=True)
        if event.cover_image else None,
        "cancellation_reason": event.cancellation_reason,
        "public_url": url_for("portal.event_page", slug=event.slug, _external=True),
        "organisation": {"id": event.organisation.id, "name": event.organisation.name},
        "co_organisers": [{"id": o.id, "name": o.name} for o in event.co_organisers],
        "co_organiser_invitations": [{"id": c.organisation_id, "name": c.organisation.name, "status": c.status.value}
                                     for c in event.co_organiser_invitations],
        "created_at": _iso(event.created_at), "updated_at": _iso(event.updated_at),
        "published_at": _iso(event.published_at),
    }


def public_event_json(event: Event) -> dict:
    data = event_json(event)
    return {name: data[name] for name in PUBLIC_EVENT_FIELDS}


class EventApiForm(EventForm):
    """Co-organiser ids are checked by the service, which has the list of organisations."""

    # JSON null empties these; anywhere else it is refused rather than replaced by a default
    # (a null visibility must not make a private event public). Null co-organisers means none.
    NULLABLE_FIELDS = ("summary", "sub_unit", "venue_address", "registration_opens_at", "registration_closes_at",
                       "capacity", "description_md", "co_organiser_ids")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.co_organiser_ids.validate_choice = False

    def bind(self, event: Event | None = None) -> "EventApiForm":
        return self


EVENT_INPUT = form_input(EventApiForm, name="EventInput", extra={
    "organisation_id": {"type": "integer", "description": "Needed when you manage several"}})
EVENT_PATCH = form_input(EventApiForm, name="EventPatch", partial=True)


def _owner_for_new_event(payload: dict) -> int:
    user = current_api_user()
    requested = payload.get("organisation_id")
    if requested is not None:
        if not isinstance(requested, int) or isinstance(requested, bool):
            raise ValidationFailed({"organisation_id": [_l("Mã đơn vị phải là số nguyên.")]})
        if not is_db_id(requested):
            raise ValidationFailed({"organisation_id": [_l("Mã đơn vị không hợp lệ.")]})
        require_role(user, requested, EVENT_MANAGER_ROLES)
        if db.session.get(Organisation, requested) is None:  # platform admins pass require_role for any id
            raise NotFound()
        return requested
    managed = organisations_where(user, EVENT_MANAGER_ROLES)
    if len(managed) != 1:
        raise ValidationFailed({"organisation_id": [_l("Hãy chọn đơn vị chủ trì (organisation_id).")]})
    return managed[0].id


def _api_payload(event: Event) -> dict:
    """The event as the input form reads it, so a PATCH only changes the fields it names."""
    data = event_json(event)
    payload = {name: data[name] for name in EventDetails.__dataclass_fields__ if name != "co_organiser_ids"}
    payload["co_organiser_ids"] = coorganisers.named_ids(event)
    return payload


@route("/events", "GET", summary="Events of the organisations you manage", tags=["events"], response=EVENT_PAGE,
       query=[query_param("status", "Filter by status", enum=[s.value for s in EventStatus]),
              query_param("q", "Search in title, summary and venue")] + PAGINATION_PARAMS)
def list_events():
    status = enum_arg(request.args, "status", EventStatus, strict=True)
    query = services.managed_events_query(current_api_user(), status=status, q=request.args.get("q"))
    return jsonify(page_json(paginate(query, 20), event_json))


@route("/events", "POST", summary="Create an event as a draft", tags=["events"], body=EVENT_INPUT, response=EVENT,
       status=201)
def create_event():
    payload = json_body()
    organisation_id = _owner_for_new_event(payload)
    event = submit_json(EventApiForm, lambda form: services.create_event(
        organisation_id, current_api_user().id, form.to_details()), payload=payload, allowed_extra=("organisation_id",))
    return jsonify(event_json(event)), 201


@route("/events/<int:event_id>", "GET", summary="Read one of your events", tags=["events"], response=EVENT)
def get_event(event_id):
    return jsonify(event_json(services.get_managed_event(current_api_user(), event_id)))


@route("/events/<int:event_id>", "PATCH", summary="Change some details of an event", tags=["events"],
       body=EVENT_PATCH, response=EVENT)
def update_event(event_id):
    event = services.get_managed_event(current_api_user(), event_id)
    payload = {**_api_payload(event), **json_body()}
    return jsonify(event_json(submit_json(EventApiForm, lambda form: services.update_event(
        event.id, form.to_details()), event, payload=payload)))


@route("/events/<int:event_id>/transitions", "POST", summary="Publish, close registration, finish, cancel or archive",
       tags=["events"], form=TransitionForm, response=EVENT)
def transition_event(event_id):
    event = services.get_managed_event(current_api_user(), event_id)
    return jsonify(event_json(submit_json(TransitionForm, lambda form: services.apply_transition(
        event.id, form.action.data, reason=form.reason.data))))


@route("/events/<int:event_id>/clone", "POST", summary="Copy an event (everything but dates and people) as a draft",
       tags=["events"], form=CloneForm, response=EVENT, status=201)
def clone_event(event_id):
    event = services.get_managed_event(current_api_user(), event_id)
    clone = submit_json(CloneForm, lambda form: services.clone_event(event.id, form.to_details(),
                                                                     created_by_id=current_api_user().id))
    return jsonify(event_json(clone)), 201


INVITATION = schema("CoOrganiserInvitation", {"type": "object", "properties": {
    "event_id": {"type": "integer"}, "event_title": {"type": "string"}, "lead_organisation": _ORGANISATION,
    "organisation_id": {"type": "integer"},
    "status": {"type": "string", "enum": [s.value for s in CoOrganiserStatus]},
    "invited_at": _NULLABLE_DATETIME, "responded_at": _NULLABLE_DATETIME}})


def invitation_json(invitation) -> dict:
    return {"event_id": invitation.event_id, "event_title": invitation.event.title,
            "lead_organisation": {"id": invitation.event.organisation.id, "name": invitation.event.organisation.name},
            "organisation_id": invitation.organisation_id, "status": invitation.status.value,
            "invited_at": _iso(invitation.invited_at), "responded_at": _iso(invitation.responded_at)}


@route("/organisations/<int:organisation_id>/co-organiser-invitations", "GET", tags=["events"],
       summary="Invitations to co-organise that your organisation received (organisation admins)",
       response={"type": "array", "items": INVITATION})
def list_invitations(organisation_id):
    require_role(current_api_user(), organisation_id, ORGANISATION_ADMIN_ROLES)
    return jsonify([invitation_json(c) for c in coorganisers.invitations_for(organisation_id)])


@route("/organisations/<int:organisation_id>/co-organiser-invitations/<int:event_id>", "POST", tags=["events"],
       summary="Accept or decline an invitation to co-organise (organisation admins)", form=InvitationResponseForm,
       response=INVITATION)
def respond_to_invitation(organisation_id, event_id):
    user = current_api_user()
    require_role(user, organisation_id, ORGANISATION_ADMIN_ROLES)
    return jsonify(invitation_json(submit_json(InvitationResponseForm, lambda form: coorganisers.respond(
        user, organisation_id, event_id, form.action.data))))


@route("/events/<int:event_id>/co-organisers/<int:organisation_id>/withdraw", "POST", tags=["events"],
       summary="Withdraw an invitation to co-organise; an accepted co-organiser loses access at once",
       response=INVITATION)
def withdraw_invitation(event_id, organisation_id):
    event = services.get_managed_event(current_api_user(), event_id)
    return jsonify(invitation_json(coorganisers.withdraw(event.id, organisation_id)))


PUBLIC_EVENT = schema("PublicEvent", {"type": "object", "properties": {
    name: definition for name, definition in EVENT_PROPERTIES.items() if name in PUBLIC_EVENT_FIELDS}})
PUBLIC_EVENT_PAGE = page_schema("PublicEventPage", PUBLIC_EVENT)


LOCAL_DATE_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


@route("/portal/events", "GET", summary="Published public events, upcoming first", tags=["portal"], auth=False,
       response=PUBLIC_EVENT_PAGE, query=[
           query_param("q", "Search in title, summary and venue (diacritics optional)"),
           query_param("event_type", "Event type", enum=[t.value for t in EventType]),
           query_param("province", "Province name as shown on events", enum=list(PROVINCES)),
           query_param("date_from", "Events ending on or after this local date (years 2000–2100)", format="date",
                       pattern=LOCAL_DATE_PATTERN),
           query_param("date_to", "Events starting on or before this local date (years 2000–2100)", format="date",
                       pattern=LOCAL_DATE_PATTERN),
           query_param("include_past", "Include events that have ended", "boolean"),
       ] + PAGINATION_PARAMS)
def portal_events():
    form, filters = read_portal_filters()
    if form.errors:
        raise ValidationFailed(form.errors)
    page = paginate(services.portal_query(filters), 20)
    return jsonify(page_json(page, public_event_json))


@route("/portal/events/<slug>", "GET", summary="One published event", tags=["portal"], auth=False,
       response=PUBLIC_EVENT)
def portal_event(slug):
    return jsonify(public_event_json(services.get_portal_event(slug)))
