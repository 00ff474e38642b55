"""Check-in through /api/v1: what a scanner app needs. Staff and organisers use their personal token;
a volunteer's phone uses a device token scoped to one list. Result codes are stable (`ScanResult`)."""
from datetime import datetime

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from ..accounts.services import user_for_api_token
from ..api import bearer_token, json_body, query_param, route, schema, unauthorized
from ..errors import NotFound, ValidationFailed
from ..params import is_db_id
from ..registration import tickets
from ..timeutil import from_local, to_local
from . import services
from .models import CheckInList, Direction, ScanResult

SCANNER_SECURITY = [{"bearerAuth": []}, {"deviceToken": []}]
_STRING = {"type": "string"}
SCAN_INPUT = schema("ScanInput", {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "What the QR code holds, or a ticket code typed by hand"},
        "registration_id": {"type": "integer", "description": "Instead of code: a person found by search"},
        "direction": {"type": "string", "enum": [d.value for d in Direction], "default": "entry"},
        "gate": {"type": "string"},
        "nonce": {"type": "string", "description": "The scanner's own id for this scan; a retry is harmless"},
    },
})
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
    "properties": {"scans": {"type": "array", "items": {
        "type": "object", "required": ["code", "nonce", "scanned_at"],
        "properties": {"code": _STRING, "nonce": _STRING, "gate": _STRING,
                       "direction": {"type": "string", "enum": [d.value for d in Direction]},
                       "scanned_at": {"type": "string", "format": "date-time"}}}}},
})


def scanner_for(list_id: int) -> tuple[CheckInList, services.Scanner]:
    """The list and who is scanning it: a device token for this list, or a personal token with a role."""
    token = bearer_token()
    if not token:
        raise unauthorized()
    gate = (request.headers.get("X-Gate") or "").strip()[:60] or None
    if token.startswith(services.DEVICE_TOKEN_PREFIX):
        device = services.device_for_token(token)
        if device is None:
            raise unauthorized()
        if device.check_in_list_id != list_id or not services.scanning_allowed(device.check_in_list):
            raise NotFound()
        return device.check_in_list, services.Scanner(device_id=device.id, gate=gate or device.name)
    user = user_for_api_token(token)
    if user is None:
        raise unauthorized()
    return services.list_for_scanner(user, list_id), services.Scanner(user_id=user.id, gate=gate)


def outcome_json(outcome: services.Outcome) -> dict:
    return {
        "result": outcome.result.value, "accepted": outcome.result.accepted, "message": outcome.message,
        "checked_in_at": to_local(outcome.checked_in_at).isoformat() if outcome.checked_in_at else None,
        "gate": outcome.gate, "attendee": outcome.attendee,
    }


def _direction(value) -> Direction:
    try:
        return Direction(value or "entry")
    except ValueError as error:
        raise ValidationFailed({"direction": [_l("Hướng quét không hợp lệ.")]}) from error


def _text(payload: dict, name: str, limit: int) -> str | None:
    value = payload.get(name)
    if value is not None and (not isinstance(value, str) or len(value) > limit):
        raise ValidationFailed({name: [_l("Giá trị không hợp lệ.")]})
    return value


@route("/checkin/lists/<int:list_id>/scan", "POST", summary="Scan a ticket: check in, out, or undo",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, body=SCAN_INPUT, response=SCAN_OUTCOME)
def scan(list_id):
    check_in_list, scanner = scanner_for(list_id)
    return _scan(check_in_list, scanner, json_body())


@route("/checkin/lists/<int:list_id>/undo", "POST", summary="Undo a wrong check-in (by code or registration_id)",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, body=SCAN_INPUT, response=SCAN_OUTCOME)
def undo(list_id):
    check_in_list, scanner = scanner_for(list_id)
    return _scan(check_in_list, scanner, {**json_body(), "direction": Direction.UNDO.value})


def _scan(check_in_list: CheckInList, scanner: services.Scanner, payload: dict):
    registration_id = payload.get("registration_id")
    if registration_id is not None and not is_db_id(registration_id):
        raise ValidationFailed({"registration_id": [_l("Giá trị không hợp lệ.")]})
    code = _text(payload, "code", 400)
    if code is None and registration_id is None:
        raise ValidationFailed({"code": [_l("Cần mã vé hoặc người đã tìm.")]})
    scanner.gate = _text(payload, "gate", 60) or scanner.gate
    outcome = services.scan(check_in_list.id, code=code, registration_id=registration_id,
                            direction=_direction(payload.get("direction")), scanner=scanner,
                            nonce=_text(payload, "nonce", 64))
    return jsonify(outcome_json(outcome))


@route("/checkin/lists/<int:list_id>/sync", "POST", summary="Upload scans made offline (idempotent by nonce)",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, body=SYNC_INPUT,
       response={"type": "object", "properties": {"results": {"type": "array", "items": SCAN_OUTCOME}}})
def sync(list_id):
    check_in_list, scanner = scanner_for(list_id)
    scans = json_body().get("scans")
    if not isinstance(scans, list) or len(scans) > 1000:
        raise ValidationFailed({"scans": [_l("Cần một danh sách tối đa 1000 lượt quét.")]})
    cleaned = []
    for index, item in enumerate(scans):
        try:
            scanned_at = from_local(datetime.fromisoformat(str(item["scanned_at"]).replace("Z", "+00:00")))
            cleaned.append({"code": _text(item, "code", 400), "nonce": _text(item, "nonce", 64) or None,
                            "gate": _text(item, "gate", 60), "direction": _direction(item.get("direction")),
                            "scanned_at": scanned_at})
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError, ValidationFailed) as error:
            raise ValidationFailed({f"scans[{index}]": [_l("Lượt quét thiếu mã, nonce hoặc thời điểm hợp lệ.")]}) \
                from error
        if not cleaned[-1]["nonce"] or not cleaned[-1]["code"]:
            raise ValidationFailed({f"scans[{index}]": [_l("Lượt quét thiếu mã, nonce hoặc thời điểm hợp lệ.")]})
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
              "status": r.status.value,
              "checked_in_at": to_local(c.checked_in_at).isoformat() if c and c.exited_at is None else None,
              "gate": c.gate if c else None}
             for r, c in services.search(check_in_list.id, request.args.get("q", "")[:100])]
    return jsonify({"items": items})


@route("/checkin/lists/<int:list_id>/offline-data", "GET",
       summary="What a scanner caches to keep working offline: admissible tickets and the public key",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY,
       response={"type": "object", "properties": {"public_key": _STRING, "tickets": {"type": "array"}}})
def offline_data(list_id):
    check_in_list, _scanner = scanner_for(list_id)
    return jsonify({
        "list": {"id": check_in_list.id, "name": check_in_list.name, "allow_exit": check_in_list.allow_exit},
        "public_key": tickets.public_key_text(), "key_id": tickets.key_id(),
        "categories": [{"id": c.id, "name": c.name} for c in services.walk_in_categories(check_in_list.id)],
        "tickets": services.offline_tickets(check_in_list.id),
    })


@route("/checkin/lists/<int:list_id>/counts", "GET", summary="Checked in and registered, live",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY,
       response={"type": "object", "properties": {"checked_in": {"type": "integer"},
                                                  "admissible": {"type": "integer"}}})
def counts(list_id):
    check_in_list, _scanner = scanner_for(list_id)
    return jsonify(services.counts(check_in_list.id))


WALK_IN_INPUT = schema("WalkInInput", {
    "type": "object", "required": ["category_id", "full_name"],
    "properties": {"category_id": {"type": "integer"}, "full_name": _STRING, "phone": _STRING, "email": _STRING,
                   "gender": {"type": "string"}, "birth_year": {"type": "integer"}, "organisation_name": _STRING,
                   "province": _STRING},
})


@route("/checkin/lists/<int:list_id>/walk-ins", "POST", summary="Register someone at the door and check them in",
       tags=["checkin"], auth=False, security=SCANNER_SECURITY, body=WALK_IN_INPUT, response=SCAN_OUTCOME,
       status=201)
def walk_in(list_id):
    from ..forms import choices, form_from_json
    from ..registration import services as registrations
    from ..registration.forms import RegistrationForm
    from ..registration.models import Gender

    check_in_list, scanner = scanner_for(list_id)

    def prepare(form):
        form.category_id.choices = choices((c.id, c.name) for c in registrations.categories(check_in_list.event_id,
                                                                                            active_only=True))
        form.gender.choices = choices([("", "")] + [(g.value, g.value) for g in Gender])

    form = form_from_json(RegistrationForm, json_body(), prepare=prepare)
    _registration, outcome = services.walk_in(check_in_list.id, form.to_registrant([], None), scanner)
    return jsonify(outcome_json(outcome)), 201
