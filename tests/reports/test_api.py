"""The reports API: plans and targets, the period report, snapshots and event statistics, all scoped."""
from datetime import datetime, timedelta, timezone

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports import snapshots
from eventhub.reports.models import Plan, PlanTarget, ReportSnapshot
from tests.reports import dataset


def _headers(user):
    token, _ = accounts.issue_api_token(user.id, "báo cáo")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def data(factory):
    built = dataset.build()
    built["officer"] = _headers(factory.user(organisation=built["province"], role=Role.ORGANISER))
    built["outsider"] = _headers(factory.user(organisation=built["association"], role=Role.ADMIN))
    return built


def test_period_report_json(data, client):
    province = data["province"].id
    response = client.get(f"/api/v1/reports/period?organisation_ids={province}&period=first_half&year=2026",
                          headers=data["officer"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["starts_on"] == "2026-01-01" and body["previous_ends_on"] == "2025-06-30"
    rows = {row["code"]: row for row in body["indicators"]}
    assert rows["trainees"] == {"code": "trainees", "label": "Số học viên được tập huấn", "unit": "người",
                                "target": 10, "achieved": 2, "percent": 20.0, "previous": 0}
    assert [e["title"] for e in body["events"]][-1] == "Cuộc thi ý tưởng khởi nghiệp"
    default = client.get("/api/v1/reports/period?period=custom&starts_on=2026-03-01&ends_on=31/03/2026",
                         headers=data["officer"]).get_json()
    assert default["organisations"] == ["Sở KH&CN Đắk Lắk"] and len(default["events"]) == 1


def test_period_report_errors(data, client):
    province = data["province"].id
    bad = client.get(f"/api/v1/reports/period?organisation_ids={province}&period=custom&starts_on=2026-06-30"
                     "&ends_on=2026-01-01", headers=data["officer"])
    assert bad.status_code == 422 and "ends_on" in bad.get_json()["error"]["fields"]
    assert client.get(f"/api/v1/reports/period?organisation_ids={province}&period=decade",
                      headers=data["officer"]).status_code == 422
    assert client.get("/api/v1/reports/period?organisation_ids=abc", headers=data["officer"]).status_code == 422
    assert client.get(f"/api/v1/reports/period?organisation_ids={province}",
                      headers=data["outsider"]).status_code == 404
    assert client.get(f"/api/v1/reports/period?organisation_ids={province}").status_code == 401


def test_plans_and_targets(data, client):
    association = data["association"].id
    headers = data["outsider"]
    created = client.post(f"/api/v1/organisations/{association}/plans", headers=headers,
                          json={"year": 2027, "title": "Kế hoạch 2027", "document_no": "12/KH-HDN"})
    assert created.status_code == 201
    plan_id = created.get_json()["id"]
    target = client.post(f"/api/v1/plans/{plan_id}/targets", headers=headers, json={
        "indicator": "participants", "target_value": 300, "participant_group": "women",
        "event_types": ["fair", "startup_day"], "tags": "OCOP, Nông sản"})
    assert target.status_code == 201
    assert target.get_json()["tags"] == ["nông sản", "ocop"]
    assert target.get_json()["event_types"] == ["fair", "startup_day"]
    refused = client.post(f"/api/v1/plans/{plan_id}/targets", headers=headers,
                          json={"indicator": "events", "target_value": -3})
    assert refused.status_code == 422 and "target_value" in refused.get_json()["error"]["fields"]
    assert client.post(f"/api/v1/plans/{plan_id}/targets", headers=headers,
                       json={"indicator": "nonsense", "target_value": 1}).status_code == 422
    duplicate = client.post(f"/api/v1/organisations/{association}/plans", headers=headers,
                            json={"year": 2027, "title": "Lặp"})
    assert duplicate.status_code == 422
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    assert len(plan["targets"]) == 1
    target_id = plan["targets"][0]["id"]
    assert client.delete(f"/api/v1/plans/{plan_id}/targets/{target_id}", headers=headers).status_code == 204
    assert [p["year"] for p in client.get(f"/api/v1/organisations/{association}/plans",
                                          headers=headers).get_json()] == [2027]


def test_another_organisation_gets_404_everywhere(data, client):
    plan = db.session.scalar(db.select(Plan).where(Plan.organisation_id == data["province"].id))
    target = db.session.scalar(db.select(PlanTarget).where(PlanTarget.plan_id == plan.id))
    snapshots.take_due_snapshots(datetime(2026, 7, 1, tzinfo=timezone(timedelta(hours=7))))
    snapshot = db.session.scalar(db.select(ReportSnapshot.id).where(
        ReportSnapshot.organisation_id == data["province"].id))
    headers = data["outsider"]
    province = data["province"].id
    for method, url in (("GET", f"/api/v1/organisations/{province}/plans"),
                        ("POST", f"/api/v1/organisations/{province}/plans"),
                        ("GET", f"/api/v1/plans/{plan.id}"), ("POST", f"/api/v1/plans/{plan.id}/targets"),
                        ("DELETE", f"/api/v1/plans/{plan.id}/targets/{target.id}"),
                        ("GET", f"/api/v1/reports/snapshots/{snapshot}"),
                        ("GET", f"/api/v1/events/{data['workshop'].id}/statistics")):
        response = client.open(url, method=method, headers=headers, json={"year": 2030, "title": "x",
                                                                          "indicator": "events", "target_value": 1})
        assert response.status_code == 404, (method, url)
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanTarget)) == 6


def test_snapshot_and_event_statistics(data, client, factory):
    snapshots.take_due_snapshots(datetime(2026, 7, 1, tzinfo=timezone(timedelta(hours=7))))
    snapshot = db.session.scalar(db.select(ReportSnapshot).where(
        ReportSnapshot.organisation_id == data["province"].id, ReportSnapshot.kind == "monthly"))
    body = client.get(f"/api/v1/reports/snapshots/{snapshot.id}", headers=data["officer"]).get_json()
    assert body["kind"] == "monthly" and body["report"]["ends_on"] == "2026-06-30"
    workshop_owner = _headers(factory.user(organisation=data["province"], role=Role.ADMIN))
    stats = client.get(f"/api/v1/events/{data['workshop'].id}/statistics", headers=workshop_owner).get_json()
    assert stats["total"]["registered"] == 7 and stats["total"]["checked_in"] == 5


def test_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/reports/period", "/organisations/{organisation_id}/plans", "/plans/{plan_id}/targets",
                 "/plans/{plan_id}/targets/{target_id}", "/reports/snapshots/{snapshot_id}",
                 "/events/{event_id}/statistics"):
        assert path in paths, path


def test_a_trainees_target_counts_completers_unless_it_chooses_attendees(data, client):
    headers = data["outsider"]
    plan_id = client.post(f"/api/v1/organisations/{data['association'].id}/plans", headers=headers,
                          json={"year": 2027, "title": "Kế hoạch 2027"}).get_json()["id"]
    url = f"/api/v1/plans/{plan_id}/targets"
    default = client.post(url, headers=headers, json={"indicator": "trainees", "target_value": 40})
    assert default.status_code == 201 and default.get_json()["trainee_basis"] == "completers"
    attendees = client.post(url, headers=headers, json={"indicator": "trainees", "target_value": 40,
                                                         "trainee_basis": "attendees"})
    assert attendees.get_json()["trainee_basis"] == "attendees"
    for body, field in (({"indicator": "trainees", "target_value": 1, "trainee_basis": "registrations"},
                         "trainee_basis"),
                        ({"indicator": "events", "target_value": 1, "trainee_basis": "attendees"}, "trainee_basis")):
        refused = client.post(url, headers=headers, json=body)
        assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"], body
    events = client.post(url, headers=headers, json={"indicator": "events", "target_value": 1})
    assert events.get_json()["trainee_basis"] is None
