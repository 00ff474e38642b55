"""Certificates through /api/v1, for the event's organisers: list, issue one or the missing ones, revoke, PDF."""
from flask import jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from ..api import current_api_user, json_body, query_param, route, schema
from ..errors import ValidationFailed
from ..events.services import get_managed_event
from ..forms import submit_json
from ..params import enum_arg, is_db_id
from . import pdf, services
from .forms import MAX_PRIZE_LINES, IssueBatchForm, IssueOneForm, RevokeForm
from .models import Certificate, CertificateKind, CertificateStatus
from .views import pdf_response

CERTIFICATE = schema("Certificate", {"type": "object", "required": ["id", "code", "holder_name", "kind", "status"],
                                     "properties": {
    "id": {"type": "integer"}, "code": {"type": "string", "description": "The verification code (not the number)"},
    "number": {"type": "string", "example": "12/GCN-SKHCN"}, "holder_name": {"type": "string"},
    "kind": {"type": "string", "enum": [k.value for k in CertificateKind]},
    "status": {"type": "string", "enum": [s.value for s in CertificateStatus]},
    "prize_title": {"type": "string", "nullable": True},
    "registration_id": {"type": "integer", "nullable": True},
    "source_kind": {"type": "string", "nullable": True}, "source_id": {"type": "integer", "nullable": True},
    "issued_on": {"type": "string", "format": "date"},
    "revoked_at": {"type": "string", "format": "date-time", "nullable": True},
    "revocation_reason": {"type": "string", "nullable": True},
    "verify_url": {"type": "string"}, "pdf_url": {"type": "string"}}})
BATCH_RESULT = schema("CertificateBatch", {"type": "object", "properties": {
    "issued": {"type": "integer", "description": "How many were issued now (0 when everyone has one)"},
    "certificates": {"type": "array", "items": CERTIFICATE}}})


PRIZE_WINNERS = schema("PrizeWinnersInput", {"type": "object", "required": ["winners"], "properties": {
    "winners": {"type": "array", "minItems": 1, "maxItems": MAX_PRIZE_LINES, "items": {
        "type": "object", "required": ["holder_name", "prize_title"], "properties": {
            "holder_name": {"type": "string", "maxLength": services.MAX_HOLDER_LENGTH},
            "prize_title": {"type": "string", "maxLength": services.MAX_TITLE_LENGTH},
            "source_kind": {"type": "string", "nullable": True, "maxLength": 40,
                            "description": "What the holder won in, e.g. competition_entry"},
            "source_id": {"type": "integer", "nullable": True, "description": "Its id there (no foreign key)"}}}}}})


def certificate_json(certificate: Certificate) -> dict:
    return {"id": certificate.id, "code": certificate.code, "number": certificate.number,
            "holder_name": certificate.holder_name, "kind": certificate.kind.value,
            "status": certificate.status.value, "prize_title": certificate.prize_title,
            "registration_id": certificate.registration_id, "source_kind": certificate.source_kind,
            "source_id": certificate.source_id, "issued_on": certificate.issued_on.isoformat(),
            "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
            "revocation_reason": certificate.revocation_reason, "verify_url": services.verify_url(certificate.code),
            "pdf_url": url_for("api.event_certificate_pdf", event_id=certificate.event_id,
                               certificate_id=certificate.id)}


@route("/events/<int:event_id>/certificates", "GET", summary="The event's certificates", tags=["certificates"],
       response={"type": "array", "items": CERTIFICATE},
       query=[query_param("kind", "Only this kind", enum=[k.value for k in CertificateKind]),
              query_param("status", "Only this status", enum=[s.value for s in CertificateStatus])])
def list_event_certificates(event_id):
    event = get_managed_event(current_api_user(), event_id)
    kind = enum_arg(request.args, "kind", CertificateKind, strict=True)
    status = enum_arg(request.args, "status", CertificateStatus, strict=True)
    return jsonify([certificate_json(c) for c in services.list_certificates(event.id, kind, status)])


@route("/events/<int:event_id>/certificates", "POST", summary="Issue one person's certificate (or return theirs)",
       tags=["certificates"], form=IssueOneForm, response=CERTIFICATE, status=201)
def issue_event_certificate(event_id):
    event = get_managed_event(current_api_user(), event_id)
    certificate = submit_json(IssueOneForm, lambda form: services.issue_certificate(
        event.id, form.kind.data, form.registration_id.data, issued_by=current_api_user().id))
    return jsonify(certificate_json(certificate)), 201


@route("/events/<int:event_id>/certificates/batch", "POST",
       summary="Issue the missing certificates of a kind to everyone eligible (idempotent)", tags=["certificates"],
       form=IssueBatchForm, response=BATCH_RESULT)
def issue_event_certificates(event_id):
    event = get_managed_event(current_api_user(), event_id)
    issued = submit_json(IssueBatchForm, lambda form: services.issue_batch(event.id, form.to_kind(),
                                                                           issued_by=current_api_user().id))
    return jsonify({"issued": len(issued), "certificates": [certificate_json(c) for c in issued]})


def _winners(payload: dict) -> list[services.PrizeHolder]:
    """The body's winners, each with the declared types; anything else is a 422 on `winners`."""
    winners = payload.get("winners")
    wrong = ValidationFailed({"winners": [_l("Danh sách người đạt giải (1 đến %(n)d), mỗi người có holder_name và "
                                             "prize_title là chuỗi, source_kind là chuỗi (tối đa 40 ký tự) hoặc null, "
                                             "source_id là số id hoặc null.", n=MAX_PRIZE_LINES)]})
    if not isinstance(winners, list) or not 1 <= len(winners) <= MAX_PRIZE_LINES:
        raise wrong
    holders = []
    for winner in winners:
        if not isinstance(winner, dict) or set(winner) - {"holder_name", "prize_title", "source_kind", "source_id"}:
            raise wrong
        name, prize = winner.get("holder_name"), winner.get("prize_title")
        kind, source_id = winner.get("source_kind"), winner.get("source_id")
        if not isinstance(name, str) or not isinstance(prize, str) or not (
                kind is None or (isinstance(kind, str) and 0 < len(kind) <= 40)) or not (
                source_id is None or is_db_id(source_id)):
            raise wrong
        holders.append(services.PrizeHolder(name, prize, kind, source_id))
    return holders


@route("/events/<int:event_id>/certificates/prizes", "POST",
       summary="Issue prize certificates to holder rows (a holder already certified for the prize is left as is)",
       tags=["certificates"], body=PRIZE_WINNERS, response=BATCH_RESULT)
def issue_prize_certificates(event_id):
    event = get_managed_event(current_api_user(), event_id)
    issued = services.issue_prize_certificates(event.id, _winners(json_body()), current_api_user().id)
    return jsonify({"issued": len(issued), "certificates": [certificate_json(c) for c in issued]})


@route("/events/<int:event_id>/certificates/<int:certificate_id>/revoke", "POST",
       summary="Revoke a certificate with a reason (who and when are recorded)", tags=["certificates"],
       form=RevokeForm, response=CERTIFICATE)
def revoke_event_certificate(event_id, certificate_id):
    event = get_managed_event(current_api_user(), event_id)
    services.get_certificate(event.id, certificate_id)  # 404 before the body is read
    certificate = submit_json(RevokeForm, lambda form: services.revoke(event.id, certificate_id, form.reason.data,
                                                                       user_id=current_api_user().id))
    return jsonify(certificate_json(certificate))


@route("/events/<int:event_id>/certificates/<int:certificate_id>/pdf", "GET", summary="One certificate as PDF",
       tags=["certificates"])
def event_certificate_pdf(event_id, certificate_id):
    event = get_managed_event(current_api_user(), event_id)
    certificate = services.get_certificate(event.id, certificate_id)
    return pdf_response(pdf.render([certificate]), f"giay-chung-nhan-{certificate.id}.pdf")
