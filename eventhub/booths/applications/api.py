"""Booth applications through /api/v1: the organiser's list, detail and review (token, organisation-scoped)."""
from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from ...api import PAGINATION_PARAMS, current_api_user, json_body, page_json, page_schema, query_param, route, schema
from ...errors import ValidationFailed
from ...events.services import get_managed_event
from ...forms import form_from_json
from ...pagination import id_arg, paginate
from ...timeutil import to_local
from ..floorplan.models import BoothType
from . import review, services
from .forms import ReviewForm
from .models import ApplicationStatus, BoothApplication

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": "string", "nullable": True}
_INTEGER = {"type": "integer"}
_DATETIME = {"type": "string", "format": "date-time"}
PRODUCT = schema("ExhibitorProduct", {"type": "object", "properties": {
    "id": _INTEGER, "name": _STRING, "product_group": _STRING,
    "ocop_stars": {"type": "integer", "nullable": True, "minimum": 3, "maximum": 5},
    "ocop_certificate_no": _NULLABLE_STRING, "ocop_certificate_year": {"type": "integer", "nullable": True},
    "description": _NULLABLE_STRING}})
BOOTH_APPLICATION = schema("BoothApplication", {"type": "object", "properties": {
    "id": _INTEGER, "event_id": _INTEGER, "status": {"type": "string", "enum": [s.value for s in ApplicationStatus]},
    "exhibitor": {"type": "object", "properties": {
        "id": _INTEGER, "name": _STRING, "kind": _STRING, "registration_no": _NULLABLE_STRING,
        "contact_name": _STRING, "email": _STRING, "phone": _NULLABLE_STRING, "province": _NULLABLE_STRING,
        "sub_unit": _NULLABLE_STRING}},
    "booth_type": {"type": "string", "enum": [t.value for t in BoothType]},
    "booths_requested": _INTEGER, "preferred_zone_id": {"type": "integer", "nullable": True},
    "near_exhibitor_ids": {"type": "array", "items": _INTEGER},
    "avoid_exhibitor_ids": {"type": "array", "items": _INTEGER},
    "staff_count": _INTEGER, "startup_stage": _NULLABLE_STRING, "priority": _INTEGER,
    "review_reason": _NULLABLE_STRING, "submitted_at": _DATETIME,
    "booths": {"type": "array", "items": _STRING, "description": "Codes of the booths it holds"},
    "products": {"type": "array", "items": PRODUCT},
    "documents": {"type": "array", "items": {"type": "object", "properties": {
        "id": _INTEGER, "document_type": _STRING, "original_name": _STRING, "content_type": _STRING,
        "size_bytes": _INTEGER}}},
}})
BOOTH_APPLICATION_PAGE = page_schema("BoothApplicationPage", BOOTH_APPLICATION)
REVIEW_INPUT = schema("BoothApplicationReview", {"type": "object", "required": ["action"], "properties": {
    "action": {"type": "string", "enum": list(review.DECISIONS)},
    "reason": {"type": "string", "description": "Required to reject; sent to the exhibitor"}}})


def application_json(application: BoothApplication) -> dict:
    exhibitor = application.exhibitor
    return {
        "id": application.id, "event_id": application.event_id, "status": application.status.value,
        "exhibitor": {"id": exhibitor.id, "name": exhibitor.name, "kind": exhibitor.kind.value,
                      "registration_no": exhibitor.registration_no, "contact_name": exhibitor.contact_name,
                      "email": exhibitor.email, "phone": exhibitor.phone, "province": exhibitor.province,
                      "sub_unit": exhibitor.sub_unit},
        "booth_type": application.booth_type.value, "booths_requested": application.booths_requested,
        "preferred_zone_id": application.preferred_zone_id,
        "near_exhibitor_ids": application.near_exhibitor_ids, "avoid_exhibitor_ids": application.avoid_exhibitor_ids,
        "staff_count": application.staff_count,
        "startup_stage": application.startup_stage.value if application.startup_stage else None,
        "priority": application.priority, "review_reason": application.review_reason,
        "submitted_at": to_local(application.submitted_at).isoformat(),
        "booths": [a.booth.code for a in services.assignments_of(application.id, confirmed_only=True)],
        "products": [{"id": p.id, "name": p.name, "product_group": p.product_group.value, "ocop_stars": p.ocop_stars,
                      "ocop_certificate_no": p.ocop_certificate_no,
                      "ocop_certificate_year": p.ocop_certificate_year, "description": p.description}
                     for p in application.products],
        "documents": [{"id": d.id, "document_type": d.document_type.value, "original_name": d.original_name,
                       "content_type": d.content_type, "size_bytes": d.size_bytes} for d in application.documents],
    }


def _enum_query(enum_class, name):
    value = request.args.get(name)
    if not value:
        return None
    if value not in {member.value for member in enum_class}:
        raise ValidationFailed({name: [_l("Giá trị không hợp lệ.")]})
    return enum_class(value)


@route("/events/<int:event_id>/booth-applications", "GET", summary="Booth applications of one of your events",
       tags=["booths"], response=BOOTH_APPLICATION_PAGE, query=[
           query_param("status", "Application status", enum=[s.value for s in ApplicationStatus]),
           query_param("booth_type", "Booth type asked for", enum=[t.value for t in BoothType]),
           query_param("zone_id", "Preferred zone id", "integer"),
           query_param("q", "Exhibitor name"),
       ] + PAGINATION_PARAMS)
def list_booth_applications(event_id):
    event = get_managed_event(current_api_user(), event_id)
    filters = review.ReviewFilters(status=_enum_query(ApplicationStatus, "status"),
                                     booth_type=_enum_query(BoothType, "booth_type"), zone_id=id_arg("zone_id"),
                                     q=(request.args.get("q") or "").strip() or None)
    return jsonify(page_json(paginate(review.review_query(event.id, filters), 50), application_json))


@route("/events/<int:event_id>/booth-applications/<int:application_id>", "GET",
       summary="One booth application with its products and documents", tags=["booths"],
       response=BOOTH_APPLICATION)
def get_booth_application(event_id, application_id):
    event = get_managed_event(current_api_user(), event_id)
    return jsonify(application_json(services.get_application(application_id, event_id=event.id)))


@route("/events/<int:event_id>/booth-applications/<int:application_id>/review", "POST",
       summary="Approve, waitlist or reject (with a reason) a booth application; the exhibitor is e-mailed",
       tags=["booths"], body=REVIEW_INPUT, response=BOOTH_APPLICATION)
def review_booth_application(event_id, application_id):
    event = get_managed_event(current_api_user(), event_id)
    application = services.get_application(application_id, event_id=event.id)
    payload = json_body()
    action = payload.pop("action", None)
    if not isinstance(action, str) or action not in review.DECISIONS:
        raise ValidationFailed({"action": [_l("Thao tác phải là approve, waitlist hoặc reject.")]})
    form = form_from_json(ReviewForm, payload)
    review.review(application.id, event.id, action, current_api_user().id, reason=form.reason.data)
    return jsonify(application_json(application))
