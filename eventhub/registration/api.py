"""Registration through /api/v1: public sign-up and ticket lookup, the organiser's attendee list,
and the key scanners use to verify tickets."""
from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l

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
from ..errors import DomainError, NotFound, ValidationFailed
from ..events.services import get_managed_event, get_portal_event
from ..extensions import limiter
from ..forms import has_invalid_characters, submit_json
from ..pagination import paginate
from ..params import enum_arg, id_arg
from ..ratelimits import account_limit, submitted_account
from ..timeutil import to_local
from . import delegations, services, tickets
from .forms import RegistrantFields, registration_form_class
from .models import Registration, RegistrationStatus
from .notifications import ticket_url

_STRING = {"type": "string"}
# The person's fields come from the form; the questions' answers and the consent travel beside them.
REGISTRATION_INPUT = form_input(RegistrantFields, name="RegistrationInput", extra_required=("consent_version",), extra={
    "answers": {"type": "object", "description": "Question id → answer (a list for multiple choice)",
                "additionalProperties": {}},
    "consent_version": {"type": "string", "description": "The consent version the person accepted"},
})
TICKET = schema("Ticket", {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": [s.value for s in RegistrationStatus]},
        "full_name": _STRING, "category": _STRING, "event": _STRING, "event_slug": _STRING,
        "waitlist_position": {"type": "integer", "nullable": True},
        "access_key": {"type": "string", "description": "Secret for the ticket page; send as X-Ticket-Key"},
        "ticket_url": _STRING,
        "qr_payload": {"type": "string", "nullable": True, "description": "What the QR code encodes"},
    },
})
REGISTRATION_FORM = schema("RegistrationForm", {
    "type": "object",
    "properties": {
        "open": {"type": "boolean"}, "reason": {"type": "string", "nullable": True},
        "categories": {"type": "array", "items": {"type": "object"}},
        "questions": {"type": "array", "items": {"type": "object"}},
        "consent": {"type": "object", "properties": {"version": _STRING, "text": _STRING}},
    },
})
ATTENDEE = schema("Attendee", {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "status": {"type": "string", "enum": [s.value for s in RegistrationStatus]},
        "full_name": _STRING, "email": {"type": "string", "nullable": True},
        "phone": {"type": "string", "nullable": True}, "category_id": {"type": "integer"}, "category": _STRING,
        "gender": {"type": "string", "nullable": True}, "birth_year": {"type": "integer", "nullable": True},
        "organisation_name": {"type": "string", "nullable": True},
        "province": {"type": "string", "nullable": True}, "ticket_code": _STRING,
        "source": _STRING, "created_at": {"type": "string", "format": "date-time"},
        "answers": {"type": "object", "additionalProperties": _STRING},
    },
})
ATTENDEE_PAGE = page_schema("AttendeePage", ATTENDEE)


def ticket_json(registration: Registration, waitlist_position: int | None = None) -> dict:
    """The ticket as its holder sees it; `waitlist_position` when the caller knows it already."""
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return {
        "status": registration.status.value, "full_name": registration.full_name,
        "category": registration.category.name, "event": registration.event.title,
        "event_slug": registration.event.slug,
        "waitlist_position": waitlist_position or services.waitlist_position(registration),
        "access_key": registration.access_key, "ticket_url": ticket_url(registration),
        "qr_payload": tickets.qr_payload(registration.ticket_code) if confirmed else None,
    }


def attendee_json(registration: Registration) -> dict:
    return {
        "id": registration.id, "status": registration.status.value, "full_name": registration.full_name,
        "email": registration.email, "phone": registration.phone, "category_id": registration.category_id,
        "category": registration.category.name,
        "gender": registration.gender.value if registration.gender else None,
        "birth_year": registration.birth_year, "organisation_name": registration.organisation_name,
        "province": registration.province, "ticket_code": registration.ticket_code,
        "source": registration.source.value, "created_at": to_local(registration.created_at).isoformat(),
        "answers": {str(qid): value for qid, value in services.answers_by_question(registration).items()},
    }


@route("/portal/events/<slug>/registration-form", "GET", summary="Categories, questions and consent to register",
       tags=["registration"], auth=False, response=REGISTRATION_FORM)
def registration_form(slug):
    from .views import summary_for_portal

    event = get_portal_event(slug)
    summary = summary_for_portal(event)
    consent = services.current_consent()
    return jsonify({
        "open": summary["open"], "reason": summary["reason"],
        "categories": [{"id": c.id, "name": c.name, "group": c.participant_group}
                       for c in services.categories(event.id, active_only=True)],
        "questions": [{"id": q.id, "label": q.label, "kind": q.kind.value, "options": q.options,
                       "required": q.required} for q in services.questions(event.id)],
        "consent": {"version": consent.version, "text": consent.body},
    })


@route("/portal/events/<slug>/registrations", "POST", summary="Register for a published event", tags=["registration"],
       auth=False, body=REGISTRATION_INPUT, response=TICKET, status=201)
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"])
@limiter.limit(account_limit, key_func=submitted_account("phone", "email"))
def create_registration(slug):
    event = get_portal_event(slug)
    payload = json_body()
    answers = payload.pop("answers", None)
    answers = {} if answers is None else answers  # absent or null: no answers; [] is a wrong type, said so
    if not isinstance(answers, dict):
        raise ValidationFailed({"answers": [_l("Câu trả lời phải là một đối tượng JSON {mã câu hỏi: trả lời}.")]})
    consent_version = payload.pop("consent_version", None)
    payload.pop("consent", None)  # the page's checkbox, which consent_version stands for here
    question_list = services.questions(event.id)
    payload.update({f"q_{key}": value for key, value in answers.items()})
    placed = submit_json(
        registration_form_class(question_list, RegistrantFields),
        lambda form: services.register_placed(event.id, form.to_registrant(question_list, consent_version),
                                              question_list=question_list),
        services.categories(event.id, active_only=True), payload=payload)
    return jsonify(ticket_json(placed.registration, placed.waitlist_position)), 201


@route("/ticket", "GET", summary="Your ticket; send its access key in the X-Ticket-Key header",
       tags=["registration"], auth=False, response=TICKET)
def get_ticket():
    return jsonify(ticket_json(ticket_from_header()))


def ticket_from_header() -> Registration:
    """The registration whose secret access key came in the X-Ticket-Key header."""
    key = request.headers.get("X-Ticket-Key", "").strip()
    if not key:
        raise DomainError("unauthorized", _l("Thiếu mã vé (tiêu đề X-Ticket-Key)."), status=401)
    if has_invalid_characters(key):  # no key holds NUL, and PostgreSQL refuses to compare text with one
        raise NotFound(_l("Không tìm thấy vé. Hãy kiểm tra lại đường dẫn trong e-mail."))
    return services.by_access_key(key)


@route("/ticket-signing-key", "GET", summary="Ed25519 public key that verifies ticket QR codes",
       tags=["registration"], auth=False,
       response={"type": "object", "properties": {"algorithm": _STRING, "key_id": _STRING, "public_key": _STRING}})
def ticket_signing_key():
    return jsonify({"algorithm": "Ed25519", "key_id": tickets.key_id(), "public_key": tickets.public_key_text(),
                    "format": "EH1.<ticket code>.<base64url signature of 'EH1.<ticket code>'>"})


@route("/events/<int:event_id>/registrations", "GET", summary="Attendee list of one of your events",
       tags=["registration"], response=ATTENDEE_PAGE, query=[
           query_param("q", "Name, phone, e-mail or ticket code"),
           query_param("status", "Registration status", enum=[s.value for s in RegistrationStatus]),
           query_param("category_id", "Category id", "integer"),
       ] + PAGINATION_PARAMS)
def list_registrations(event_id):
    event = get_managed_event(current_api_user(), event_id)
    query = services.attendee_query(event.id, q=request.args.get("q"),
                                    category_id=id_arg(request.args, "category_id"),
                                    status=enum_arg(request.args, "status", RegistrationStatus, strict=True))
    return jsonify(page_json(paginate(query, 50), attendee_json))


# A delegation leader: the delegation's secret key travels in the X-Delegation-Key header. ---------------------

_ROW = {"type": "object", "properties": {key: _STRING for key in delegations.ROW_FIELDS}}
DELEGATION = schema("Delegation", {"type": "object", "properties": {
    "name": _STRING, "event": _STRING, "quota": {"type": "integer"}, "used": {"type": "integer"},
    "preview": {"type": "array", "items": {"type": "object", "properties": {
        "line": {"type": "integer"}, "full_name": _STRING,
        "status": {"type": "string", "enum": list(delegations.RowStatus.LABELS)},
        "errors": {"type": "array", "items": _STRING}}}},
    "members": {"type": "array", "items": {"type": "object", "properties": {
        "full_name": _STRING, "status": {"type": "string", "enum": [s.value for s in RegistrationStatus]}}}}}})
CONFIRMATION = schema("DelegationConfirmation", {"type": "object", "properties": {
    name: {"type": "integer"} for name in ("registered", "waitlisted", "over_quota", "skipped", "used")}})


def delegation_from_header():
    key = request.headers.get("X-Delegation-Key", "").strip()
    if not key:
        raise DomainError("unauthorized", _l("Thiếu mã đoàn (tiêu đề X-Delegation-Key)."), status=401)
    if has_invalid_characters(key):
        raise NotFound()
    return delegations.by_access_key(key)


def delegation_json(delegation) -> dict:
    return {"name": delegation.name, "event": delegation.event.title, "quota": delegation.quota,
            "used": delegations.used(delegation.id),
            "preview": [{"line": r["line"], "full_name": r["data"]["full_name"], "status": r["status"],
                         "errors": r["errors"]} for r in delegation.pending_rows],
            "members": [{"full_name": r.full_name, "status": r.status.value}
                        for r in delegations.members(delegation.id)]}


@route("/delegation", "GET", summary="Your delegation, its preview and members (X-Delegation-Key)",
       tags=["registration"], auth=False, response=DELEGATION)
def get_delegation():
    return jsonify(delegation_json(delegation_from_header()))


@route("/delegation/rows", "POST", summary="Send the delegation's people for a preview (X-Delegation-Key)",
       tags=["registration"], auth=False, response=DELEGATION, body=schema("DelegationRows", {
           "type": "object", "required": ["rows"], "properties": {
               "rows": {"type": "array", "maxItems": delegations.MAX_QUOTA, "items": _ROW}}}))
def delegation_rows():
    delegation = delegation_from_header()
    rows = json_body().get("rows")
    if not isinstance(rows, list) or len(rows) > delegations.MAX_QUOTA or not all(
            isinstance(row, dict) and all(isinstance(v, str | int | None) for v in row.values()) for row in rows):
        raise ValidationFailed({"rows": [_l("Danh sách phải là các dòng với họ tên, điện thoại…")]})
    return jsonify(delegation_json(delegations.preview_rows(delegation, rows)))


@route("/delegation/confirm", "POST", summary="Register the previewed people who are accepted (X-Delegation-Key)",
       tags=["registration"], auth=False, response=CONFIRMATION)
def delegation_confirm():
    delegation = delegation_from_header()
    result = delegations.confirm(delegation)
    return jsonify({"registered": len(result.registered), "waitlisted": result.waitlisted,
                    "over_quota": result.over_quota, "skipped": result.skipped,
                    "used": delegations.used(delegation.id)})
