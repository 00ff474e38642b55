"""Issued reports through /api/v1: issue, list, read, the stored bytes with their SHA-256 as ETag, the OpenAPI
document, and an outcome table of bad input where every refusal writes nothing."""
import hashlib
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports import snapshots
from eventhub.reports.models import ReportSnapshot, SnapshotKind
from eventhub.timeutil import to_local, utcnow
from tests.reports import dataset
from tests.reports import factories as reports
from tests.support.sweep import NOT_FOUND, Stored, invalid, outcome, send_json, snapshot

TABLES = ("issued_reports", "issued_report_organisations")
SIGNED = {"number": "57/BC-SKHCN", "signer_name": "Nguyễn Văn An", "signer_title": "Giám đốc"}


@pytest.fixture
def data(factory):
    built = dataset.build()
    built.update(officer=factory.api_headers(factory.user(organisation=built["province"], role=Role.ORGANISER)),
                 outsider=factory.api_headers(factory.user(organisation=built["association"], role=Role.ADMIN)))
    built["body"] = {"organisation_ids": [built["province"].id], "period": "first_half", "year": 2026, **SIGNED}
    return built


def test_issue_list_read_and_download_the_same_bytes(data, client):
    created = client.post("/api/v1/reports/issued", json={**data["body"], "issued_on": "2026-07-02"},
                          headers=data["officer"])
    assert created.status_code == 201
    body = created.get_json()
    issued_id = body["id"]
    assert {key: body[key] for key in ("number", "issued_on", "signer_name", "signer_title", "organisation_id",
                                       "organisation_ids", "starts_on", "ends_on", "replaces_id", "replaced_by_id",
                                       "snapshot_id")} == {
        "number": "57/BC-SKHCN", "issued_on": "2026-07-02", "signer_name": "Nguyễn Văn An", "signer_title": "Giám đốc",
        "organisation_id": data["province"].id, "organisation_ids": [data["province"].id],
        "starts_on": "2026-01-01", "ends_on": "2026-06-30", "replaces_id": None, "replaced_by_id": None,
        "snapshot_id": None}
    assert body["pdf_url"] == f"/api/v1/reports/issued/{issued_id}/pdf"
    files = {fmt: client.get(f"/api/v1/reports/issued/{issued_id}/{fmt}", headers=data["officer"])
             for fmt in ("pdf", "xlsx")}
    reports.people(data["workshop"], "youth", 3, first=700)
    for fmt, first in files.items():
        again = client.get(f"/api/v1/reports/issued/{issued_id}/{fmt}", headers=data["officer"])
        assert again.status_code == 200 and again.data == first.data
        assert hashlib.sha256(again.data).hexdigest() == body[f"{fmt}_sha256"]
        assert again.headers["ETag"] == f'"{body[f"{fmt}_sha256"]}"'
    assert files["xlsx"].mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    detail = client.get(f"/api/v1/reports/issued/{issued_id}", headers=data["officer"]).get_json()
    assert {row["code"]: row["achieved"] for row in detail["figures"]["indicators"]}["participants"] == 14
    assert [r["id"] for r in client.get("/api/v1/reports/issued", headers=data["officer"]).get_json()] == [issued_id]


def test_a_correction_chain_through_the_api(data, client):
    first = client.post("/api/v1/reports/issued", json=data["body"], headers=data["officer"]).get_json()
    second = client.post("/api/v1/reports/issued", json={**data["body"], "number": "58/BC-SKHCN",
                                                         "replaces_id": first["id"]}, headers=data["officer"])
    assert second.status_code == 201 and second.get_json()["replaces_id"] == first["id"]
    again = client.post("/api/v1/reports/issued", json={**data["body"], "number": "59/BC-SKHCN",
                                                        "replaces_id": str(first["id"])}, headers=data["officer"])
    assert again.status_code == 422
    assert again.get_json()["error"]["fields"]["replaces_id"] == [
        "Báo cáo số 57/BC-SKHCN đã được thay thế bởi báo cáo số 58/BC-SKHCN; hãy thay thế bản mới nhất."]
    old = client.get(f"/api/v1/reports/issued/{first['id']}", headers=data["officer"]).get_json()
    assert old["replaced_by_id"] == second.get_json()["id"]


def test_issuing_a_snapshot_through_the_api(data, client):
    snapshots.take_due_snapshots(datetime(2026, 7, 1, 1, 0, tzinfo=timezone(timedelta(hours=7))))
    snapshot_id = db.session.scalar(sa.select(ReportSnapshot.id).where(
        ReportSnapshot.organisation_id == data["province"].id, ReportSnapshot.kind == SnapshotKind.MONTHLY))
    created = client.post(f"/api/v1/reports/snapshots/{snapshot_id}/issue", json=SIGNED, headers=data["officer"])
    assert created.status_code == 201 and created.get_json()["snapshot_id"] == snapshot_id
    outsider = client.post(f"/api/v1/reports/snapshots/{snapshot_id}/issue", json={**SIGNED, "number": "1/BC-HDN"},
                           headers=data["outsider"])
    assert outsider.status_code == 404


def test_another_organisation_gets_404(data, client):
    issued_id = client.post("/api/v1/reports/issued", json=data["body"], headers=data["officer"]).get_json()["id"]
    for path in ("", "/pdf", "/xlsx"):
        assert client.get(f"/api/v1/reports/issued/{issued_id}{path}", headers=data["outsider"]).status_code == 404
    assert client.get("/api/v1/reports/issued", headers=data["outsider"]).get_json() == []
    assert client.post("/api/v1/reports/issued", json={**data["body"], "number": "1/BC-HDN"},
                       headers=data["outsider"]).status_code == 404
    assert client.get("/api/v1/reports/issued").status_code == 401


def test_the_openapi_document_describes_the_issue_input(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/reports/issued", "/reports/issued/{issued_id}", "/reports/issued/{issued_id}/pdf",
                 "/reports/issued/{issued_id}/xlsx", "/reports/snapshots/{snapshot_id}/issue"):
        assert path in document["paths"], path
    assert set(document["paths"]["/reports/issued"]) == {"get", "post"}
    schema = document["components"]["schemas"]["IssueReportInput"]
    assert set(schema["properties"]) == {"period", "year", "starts_on", "ends_on", "organisation_ids", "number",
                                         "issued_on", "signer_name", "signer_title", "replaces_id"}
    assert set(schema["required"]) == {"number", "signer_name", "signer_title"}
    assert schema["properties"]["number"]["pattern"] == "^[0-9]{1,6}/BC-\\S+$"
    assert schema["properties"]["replaces_id"] == {"type": "integer", "nullable": True,
                                                   "description": "The issued report this one corrects"}
    assert set(document["components"]["schemas"]["IssueSnapshotInput"]["properties"]) == {
        "number", "issued_on", "signer_name", "signer_title", "replaces_id"}


def _stored(response):
    body = response.get_json()
    return body["number"], body["issued_on"], body["signer_name"], body["replaces_id"]


TODAY = "today"
ROWS = {
    "number_in_small_letters": ({"number": " 12/bc-skhcn "}, Stored(("12/BC-SKHCN", TODAY, "Nguyễn Văn An", None))),
    "signer_with_spaces": ({"number": "13/BC-SKHCN", "signer_name": "  Nguyễn  Văn An "},
                           Stored(("13/BC-SKHCN", TODAY, "Nguyễn Văn An", None))),
    "date_as_dd_mm_yyyy": ({"number": "14/BC-SKHCN", "issued_on": "02/07/2026"},
                           Stored(("14/BC-SKHCN", "2026-07-02", "Nguyễn Văn An", None))),
    "null_date": ({"number": "15/BC-SKHCN", "issued_on": None}, Stored(("15/BC-SKHCN", TODAY, "Nguyễn Văn An", None))),
    "number_taken": ({}, invalid("number")),
    "number_placeholder": ({"number": "…/BC-SKHCN"}, invalid("number")),
    "number_of_a_plan": ({"number": "12/KH-SKHCN"}, invalid("number")),
    "number_too_long": ({"number": "1/BC-" + "X" * 60}, invalid("number")),
    "number_missing": ({"number": None}, invalid("number")),
    "number_as_integer": ({"number": 57}, invalid("number")),
    "nul_in_number": ({"number": "57/BC-S\x00"}, invalid("number")),
    "signer_missing": ({"signer_name": ""}, invalid("signer_name")),
    "title_too_long": ({"signer_title": "x" * 151}, invalid("signer_title")),
    "date_in_the_future": ({"number": "16/BC-SKHCN", "issued_on": "2099-01-01"}, invalid("issued_on")),
    "date_before_the_period": ({"number": "16/BC-SKHCN", "issued_on": "2025-12-31"}, invalid("issued_on")),
    "no_such_date": ({"issued_on": "2026-02-30"}, invalid("issued_on")),
    "replaces_text": ({"number": "16/BC-SKHCN", "replaces_id": "abc"}, invalid("replaces_id")),
    "replaces_unknown": ({"number": "16/BC-SKHCN", "replaces_id": 987_654}, invalid("replaces_id")),
    "replaces_beyond_int": ({"number": "16/BC-SKHCN", "replaces_id": 2**63}, invalid("replaces_id")),
    "replaces_boolean": ({"number": "16/BC-SKHCN", "replaces_id": True}, invalid("replaces_id")),
    "no_organisations": ({"number": "16/BC-SKHCN", "organisation_ids": []}, invalid("organisation_ids")),
    "organisation_outside": ({"number": "16/BC-SKHCN", "organisation_ids": [3]}, NOT_FOUND),
    "custom_period_without_dates": ({"number": "16/BC-SKHCN", "period": "custom"},
                                    invalid("starts_on", "ends_on")),
    "unknown_period": ({"number": "16/BC-SKHCN", "period": "decade"}, invalid("period")),
    "unknown_field": ({"number": "16/BC-SKHCN", "pdf_sha256": "0" * 64}, invalid("pdf_sha256")),
}


def test_bad_input_is_refused_and_writes_nothing(data, client):
    assert data["association"].id == 3  # "organisation_outside" names it
    client.post("/api/v1/reports/issued", json=data["body"], headers=data["officer"])
    today = to_local(utcnow()).date().isoformat()
    actual = {}
    for label, (values, _) in ROWS.items():
        before = snapshot(*TABLES)
        response = send_json(client, "POST", "/api/v1/reports/issued", {**data["body"], **values}, data["officer"])
        actual[label] = outcome(response, before, _stored)
    expected = {label: Stored(tuple(today if v == TODAY else v for v in row.value)) if isinstance(row, Stored)
                else row for label, (_, row) in ROWS.items()}
    assert actual == expected
