"""Issued reports through /api/v1: issue a period report or a snapshot, list them, read one and its files."""
from flask import jsonify, url_for

from ...api import current_api_user, route, schema
from ...forms import submit_json
from ...timeutil import utcnow
from .. import snapshots
from ..api import PERIOD_REPORT
from ..periods import report_to_json
from . import services
from .forms import IssueReportForm, IssueSnapshotForm, issue_for
from .models import IssuedReport
from .views import file_response

_ISSUED_PROPERTIES = {
    "id": {"type": "integer"}, "number": {"type": "string", "example": "57/BC-SKHCN"},
    "issued_on": {"type": "string", "format": "date"}, "signer_name": {"type": "string"},
    "signer_title": {"type": "string"},
    "organisation_id": {"type": "integer", "description": "The issuing organisation"},
    "organisation_ids": {"type": "array", "items": {"type": "integer"},
                         "description": "The organisations the report covers, with their descendants"},
    "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
    "snapshot_id": {"type": "integer", "nullable": True, "description": "The snapshot it was issued from"},
    "replaces_id": {"type": "integer", "nullable": True, "description": "The issued report it corrects"},
    "replaced_by_id": {"type": "integer", "nullable": True, "description": "The issued report that corrects it"},
    "pdf_sha256": {"type": "string"}, "xlsx_sha256": {"type": "string"},
    "pdf_url": {"type": "string"}, "xlsx_url": {"type": "string"},
    "issued_at": {"type": "string", "format": "date-time"},
}
ISSUED = schema("IssuedReport", {"type": "object", "properties": _ISSUED_PROPERTIES})
ISSUED_DETAIL = schema("IssuedReportDetail", {"type": "object", "properties": {
    **_ISSUED_PROPERTIES, "figures": {**PERIOD_REPORT, "description": "The figures as issued"}}})


def issued_json(issued: IssuedReport, *, figures: bool = False) -> dict:
    body = {
        "id": issued.id, "number": issued.number, "issued_on": issued.issued_on.isoformat(),
        "signer_name": issued.signer_name, "signer_title": issued.signer_title,
        "organisation_id": issued.organisation_id, "organisation_ids": sorted(o.id for o in issued.organisations),
        "starts_on": issued.starts_on.isoformat(), "ends_on": issued.ends_on.isoformat(),
        "snapshot_id": issued.snapshot_id, "replaces_id": issued.replaces_id,
        "replaced_by_id": issued.replaced_by.id if issued.replaced_by else None,
        "pdf_sha256": issued.pdf_sha256, "xlsx_sha256": issued.xlsx_sha256,
        "pdf_url": url_for("api.issued_report_pdf", issued_id=issued.id),
        "xlsx_url": url_for("api.issued_report_xlsx", issued_id=issued.id),
        "issued_at": issued.issued_at.isoformat()}
    if figures:
        body["figures"] = report_to_json(services.figures_of(issued))
    return body


@route("/reports/issued", "POST", summary="Issue the period report of a scope with its number and signer",
       tags=["reports"], form=IssueReportForm, response=ISSUED, status=201)
def issue_report():
    user = current_api_user()
    issued = submit_json(IssueReportForm, lambda form: issue_for(user, form))
    return jsonify(issued_json(issued)), 201


@route("/reports/snapshots/<int:snapshot_id>/issue", "POST", summary="Issue a stored snapshot",
       tags=["reports"], form=IssueSnapshotForm, response=ISSUED, status=201)
def issue_report_snapshot(snapshot_id):
    user = current_api_user()
    snapshots.get_snapshot(user, snapshot_id)  # the user's snapshot, or 404 before the body is read
    issued = submit_json(IssueSnapshotForm, lambda form: services.issue_snapshot(
        snapshot_id, form.to_details(), issued_by_id=user.id, now=utcnow()))
    return jsonify(issued_json(issued)), 201


@route("/reports/issued", "GET", summary="The issued reports you may read, newest first", tags=["reports"],
       response={"type": "array", "items": ISSUED})
def list_issued_reports():
    return jsonify([issued_json(r) for r in services.list_issued(current_api_user())])


@route("/reports/issued/<int:issued_id>", "GET", summary="One issued report with its figures", tags=["reports"],
       response=ISSUED_DETAIL)
def get_issued_report(issued_id):
    return jsonify(issued_json(services.get_issued(current_api_user(), issued_id), figures=True))


@route("/reports/issued/<int:issued_id>/pdf", "GET", summary="The issued PDF, byte for byte", tags=["reports"])
def issued_report_pdf(issued_id):
    return file_response(services.issued_file(services.get_issued(current_api_user(), issued_id), "pdf"))


@route("/reports/issued/<int:issued_id>/xlsx", "GET", summary="The issued XLSX, byte for byte", tags=["reports"])
def issued_report_xlsx(issued_id):
    return file_response(services.issued_file(services.get_issued(current_api_user(), issued_id), "xlsx"))
