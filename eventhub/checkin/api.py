"""Check-in through /api/v1: what a scanner app needs. Staff and organisers use their personal token;
a volunteer's phone uses a device token scoped to one list. Result codes are stable (`ScanResult`)."""
from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from ..accounts.models import TokenScope
from ..accounts.services import user_for_api_token
from ..api import (
    bearer_token,
    current_api_user,
    form_input,
    json_body,
    query_param,
    route,
    schema,
    unauthorized,
)
from ..errors import NotFound, ValidationFailed
from ..events.services import get_managed_event
from ..forms import form_from_json, submit_json
from ..i18n import use_device_language
from ..jsonbody import reads_refused_body
from ..registration import tickets
from ..timeutil import to_local
from . import completion, services, walkins
from .forms import CompletionDecisionForm, CompletionRuleForm, OfflineScanForm, ScanForm, WalkInForm
from .models import CheckInList, Direction, ScanResult

MAX_SYNC_SCANS = 1000
SCANNER_SECURITY = [{"bearerAuth": []}, {"deviceToken": []}]
_STRING = {"type": "string"}
SCAN_OUTCOME = schema("ScanOutcome", {
    "type": "object",
    "required": ["result", "accepted", "message"],
    "properties": {
        "result": {"type": "string", "enum": [r.value for r in ScanResult]},
        "accepted": {"type": "boolean"}, "message": _STRING,
        "checked_in_at": {"type": "string", "format": "date-time", "nullable": True},
        "gate": {"type": "string", "nullable": True},
        "attendee": {"type": "object", "nullable": True, "properties": {
            "registration_id": {"type": "integer"}, "full_name": _STRING, "category": _STRING,
            "organisation_name": {"type": "string", "nullable": True}}},
    },
})
SYNC_INPUT = schema("SyncInput", {
    "type": "object", "required": ["scans"],
    "properties": {"scans": {"type": "array", "maxItems": MAX_SYNC_SCANS, "items": form_input(OfflineScanForm)}},
})


def scanner_for(list_id: int) -> tuple[CheckInList, services.Scanner]:
    """The list and who is scanning it: a device token for this list, or a personal token with a role."""
    token = bearer_token()
    if not token:
        raise unauthorized()
    gate = (request.headers.get("X-Gate") or "").strip() or None
    if gate is not None and len(gate) > services.GATE_MAX_LENGTH:  # as the document says: refused, not cut
        raise ValidationFailed({"X-Gate": [_l("Tên cổng tối đa %(n)d ký tự.", n=services.GATE_MAX_LENGTH)]})
    if token.startswith(services.DEVICE_TOKEN_PREFIX):
        device = services.device_for_token(token)
        if device is None:
            raise unauthorized()
        use_device_language(device.language)
        if device.check_in_list_id != list_id or not services.scanning_allowed(device.check_in_list):
            raise NotFound()
        return device.check_in_list, services.Scanner(device_id=device.id, gate=gate or device.name,
                                                      partner_id=device.organisation_id)
    user = user_for_api_token(token, TokenScope.CHECKIN)
    if user is None:
        raise unauthorized()
    check_in_list, partner_id = services.scanner_access(user, list_id)
    return check_in_list, services.Scanner(user_id=user.id, gate=gate, partner_id=partner_id)


def outcome_json(outcome: services.Outcome) -> dict:
    return {
        "result": outcome.result.value, "accepted": outcome.result.accepted, "message": outcome.message,
        "checked_in_at": to_local(outcome.checked_in_at).isoformat() if outcome.checked_in_at else None,
        "gate": outcome.gate, "attendee": outcome.attendee,
    }


@route("/checkin/lists/<int:list_id>/scan", "POST", summary="Scan a ticket: check in, out, or undo",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, form=ScanForm, response=SCAN_OUTCOME)
@reads_refused_body
def scan(list_id):
    check_in_list, scanner = scanner_for(list_id)
    return _scan(check_in_list, scanner, json_body)


@route("/checkin/lists/<int:list_id>/undo", "POST", summary="Undo a wrong check-in (by code or registration_id)",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, form=ScanForm, response=SCAN_OUTCOME)
@reads_refused_body
def undo(list_id):
    check_in_list, scanner = scanner_for(list_id)
    return _scan(check_in_list, scanner, lambda: {**json_body(), "direction": Direction.UNDO.value})


def _raw_code():
    """What a refused request said its code was, for the log (None when its body cannot be read at all)."""
    try:
        payload = request.get_json(silent=True)
    except ValidationFailed:
        return None
    return payload.get("code") if isinstance(payload, dict) else None


def _scan(check_in_list: CheckInList, scanner: services.Scanner, read_payload):
    def save(form: ScanForm) -> services.Outcome:
        scanner.gate = form.gate.data or scanner.gate
        return services.scan(check_in_list.id, code=form.code.data, registration_id=form.registration_id.data,
                             direction=form.direction.data, scanner=scanner, nonce=form.nonce.data or None)

    try:
        return jsonify(outcome_json(submit_json(ScanForm, save, payload=read_payload())))
    except ValidationFailed:
        direction = Direction.UNDO if request.endpoint == "api.undo" else Direction.ENTRY
        services.record_refused_scan(check_in_list.id, scanner, code=_raw_code(), direction=direction)
        raise


def _offline_scan(index: int, item) -> dict:
    """One uploaded scan as the service takes it; any problem is the scan's, by its place in the list."""
    try:
        form = form_from_json(OfflineScanForm, item)
    except ValidationFailed as error:
        raise ValidationFailed({f"scans[{index}]": [_l("Lượt quét thiếu mã, nonce hoặc thời điểm hợp lệ.")]}) \
            from error
    return {"code": form.code.data, "nonce": form.nonce.data, "gate": form.gate.data or None,
            "direction": form.direction.data, "scanned_at": form.scanned_at.data}


@route("/checkin/lists/<int:list_id>/sync", "POST", summary="Upload scans made offline (idempotent by nonce)",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, body=SYNC_INPUT,
       response={"type": "object", "properties": {"results": {"type": "array", "items": SCAN_OUTCOME}}})
@reads_refused_body
def sync(list_id):
    check_in_list, scanner = scanner_for(list_id)
    try:
        scans = json_body().get("scans")
        if not isinstance(scans, list) or len(scans) > MAX_SYNC_SCANS:
            raise ValidationFailed({"scans": [_l("Cần một danh sách tối đa 1000 lượt quét.")]})
        cleaned = [_offline_scan(index, item) for index, item in enumerate(scans)]
    except ValidationFailed:
        services.record_refused_scan(check_in_list.id, scanner)
        raise
    outcomes = services.sync(check_in_list.id, cleaned, scanner)
    return jsonify({"results": [{"nonce": item["nonce"], **outcome_json(outcome)}
                                for item, outcome in zip(sorted(cleaned, key=lambda i: i["scanned_at"]), outcomes,
                                                         strict=True)]})


@route("/checkin/lists/<int:list_id>/search", "GET", summary="Find people by name, phone, e-mail or ticket code",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY,
       query=[query_param("q", "Name, phone, e-mail or ticket code")],
       response={"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}})
def search(list_id):
    check_in_list, scanner = scanner_for(list_id)
    # A volunteer's phone (device token) finds people by phone number but is not shown the numbers.
    show_phone = scanner.device_id is None
    items = [{"registration_id": r.id, "full_name": r.full_name, "category": r.category.name,
              "organisation_name": r.organisation_name, "phone": r.phone if show_phone else None,
              "phone_end": r.phone[-3:] if r.phone else None,
              "status": r.status.value,
              "checked_in_at": to_local(c.checked_in_at).isoformat() if c and c.exited_at is None else None,
              "gate": c.gate if c else None}
             for r, c in services.search(check_in_list.id, request.args.get("q", "")[:100],
                                         partner_id=scanner.partner_id, exact_contacts=not show_phone)]
    return jsonify({"items": items})


@route("/checkin/lists/<int:list_id>/offline-data", "GET",
       summary="What a scanner caches to keep working offline: admissible tickets and the public key",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY,
       response={"type": "object", "properties": {"public_key": _STRING, "tickets": {"type": "array"}}})
def offline_data(list_id):
    check_in_list, scanner = scanner_for(list_id)
    return jsonify({
        "list": {"id": check_in_list.id, "name": check_in_list.name, "allow_exit": check_in_list.allow_exit},
        "public_key": tickets.public_key_text(), "key_id": tickets.key_id(),
        "categories": [{"id": c.id, "name": c.name} for c in services.walk_in_categories(check_in_list.id)],
        "tickets": services.offline_tickets(check_in_list.id, scanner.partner_id),
    })


@route("/checkin/lists/<int:list_id>/counts", "GET", summary="Checked in and registered, live",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY,
       response={"type": "object", "properties": {"checked_in": {"type": "integer"},
                                                  "admissible": {"type": "integer"}}})
def counts(list_id):
    check_in_list, _scanner = scanner_for(list_id)
    return jsonify(services.counts(check_in_list.id))


WALK_IN_OUTCOME = schema("WalkInOutcome", {"allOf": [SCAN_OUTCOME, {"type": "object", "properties": {
    "registration_id": {"type": "integer"},
    "merged": {"type": "boolean", "description": "The phone or e-mail had registered: that registration was used"},
    "overflow": {"type": "boolean", "description": "Over capacity: on the waiting list, flagged for the organiser"},
    "walk_in_key": {"type": "string", "nullable": True}}}]})


def _walk_in(check_in_list, scanner, form) -> walkins.WalkIn:
    registrant = form.to_registrant([], None)
    if form.walk_in_key.data:  # registered offline on the device: applied once however often it is uploaded
        return walkins.offline_walk_in(check_in_list.id, registrant, scanner, key=form.walk_in_key.data,
                                       scanned_at=form.scanned_at.data)
    return walkins.WalkIn(*services.walk_in(check_in_list.id, registrant, scanner))


@route("/checkin/lists/<int:list_id>/walk-ins", "POST", summary="Register someone at the door and check them in",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, form=WalkInForm, response=WALK_IN_OUTCOME,
       status=201)
def walk_in(list_id):
    check_in_list, scanner = scanner_for(list_id)
    result = submit_json(WalkInForm, lambda form: _walk_in(check_in_list, scanner, form), check_in_list)
    return jsonify({**outcome_json(result.outcome), "registration_id": result.registration.id,
                    "merged": result.merged, "overflow": result.overflow,
                    "walk_in_key": result.key}), 201


# Completion ---------------------------------------------------------------------------------------

_COUNT = {"type": "integer"}
COMPLETION = schema("Completion", {
    "type": "object", "required": ["rule"],
    "properties": {
        "rule": {"type": "object", "nullable": True, "description": "null: the event has no completion rule",
                 "properties": {"kind": {"type": "string", "enum": [k.value for k in completion.CompletionRuleKind]},
                                "min_percent": {"type": "integer", "nullable": True}, "label": _STRING,
                                "default": {"type": "boolean", "description": "a training's default rule"}}},
        "confirmed": _COUNT, "completers": _COUNT, "marked_completed": _COUNT, "marked_not_completed": _COUNT,
        "sessions_with_lists": _COUNT, "days": _COUNT,
        "by_category": {"type": "array", "items": {"type": "object", "properties": {
            "category_id": _COUNT, "name": _STRING, "confirmed": _COUNT, "completers": _COUNT}}},
    },
})
COMPLETION_DECISION = schema("CompletionDecision", {"type": "object", "properties": {
    "id": _COUNT, "registration_id": _COUNT, "completed": {"type": "boolean", "nullable": True,
                                                           "description": "null: back to the rule"},
    "reason": _STRING, "user_id": {"type": "integer", "nullable": True},
    "created_at": {"type": "string", "format": "date-time"}}})


def _completion_json(event_id: int) -> dict:
    summary = completion.summary(event_id)
    return summary.to_json() if summary else {"rule": None}


@route("/events/<int:event_id>/completion", "GET", summary="The event's completion rule and its completers",
       tags=["checkin"], response=COMPLETION)
def event_completion(event_id):
    event = get_managed_event(current_api_user(), event_id)
    return jsonify(_completion_json(event.id))


@route("/events/<int:event_id>/completion/rule", "PUT", summary="Set the completion rule (empty kind: none)",
       tags=["checkin"], form=CompletionRuleForm, response=COMPLETION)
def set_completion_rule(event_id):
    event = get_managed_event(current_api_user(), event_id)
    submit_json(CompletionRuleForm, lambda form: completion.set_rule(event.id, form.to_details(),
                                                                     user_id=current_api_user().id), event)
    return jsonify(_completion_json(event.id))


@route("/events/<int:event_id>/completion/registrations/<int:registration_id>", "POST",
       summary="Mark a participant completed or not, or back to the rule, with a reason (logged)",
       tags=["checkin"], form=CompletionDecisionForm, response=COMPLETION_DECISION, status=201)
def decide_completion(event_id, registration_id):
    event = get_managed_event(current_api_user(), event_id)
    entry = submit_json(CompletionDecisionForm, lambda form: completion.decide(
        event.id, registration_id, form.to_decision(), user_id=current_api_user().id))
    return jsonify({"id": entry.id, "registration_id": entry.registration_id, "completed": entry.completed,
                    "reason": entry.reason, "user_id": entry.user_id,
                    "created_at": to_local(entry.created_at).isoformat()}), 201
