"""Plan tasks and manual indicators through /api/v1, with request schemas generated from the forms."""
from datetime import date

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports.models import IndicatorEntry, ManualIndicator, PlanTask
from tests.reports import factories as reports


def _headers(user):
    token, _ = accounts.issue_api_token(user.id, "kế hoạch")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def data(factory):
    province = factory.organisation("Sở KH&CN")
    district = factory.organisation("UBND huyện", parent_id=province.id)
    return {"province": province, "district": district, "plan": reports.make_plan(province),
            "headers": _headers(factory.user(organisation=province, role=Role.ORGANISER))}


def test_tasks_are_added_listed_and_removed(data, client):
    plan, headers = data["plan"], data["headers"]
    event = reports.held_event(data["district"], date(2026, 5, 2))
    created = client.post(f"/api/v1/plans/{plan.id}/tasks", headers=headers, json={
        "title": "Ngày hội khởi nghiệp cấp huyện", "lead_organisation_id": data["district"].id,
        "co_organisation_ids": [data["province"].id], "due_quarter": 2, "status": "in_progress",
        "event_ids": [event.id], "outside_agencies": "Tỉnh Đoàn"})
    assert created.status_code == 201, created.get_json()
    task = created.get_json()
    assert (task["due_on"], task["due"], task["event_ids"]) == ("2026-06-30", "Quý II năm 2026", [event.id])
    listed = client.get(f"/api/v1/plans/{plan.id}/tasks", headers=headers).get_json()
    assert [t["id"] for t in listed] == [task["id"]]
    assert client.delete(f"/api/v1/plans/{plan.id}/tasks/{task['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/plans/{plan.id}/tasks", headers=headers).get_json() == []


@pytest.mark.parametrize(("body", "field"), [
    ({"title": "N", "lead_organisation_id": "x", "due_quarter": 2}, "lead_organisation_id"),
    ({"title": "N", "due_quarter": 2}, "lead_organisation_id"),
    ({"title": "N", "lead_organisation_id": 1, "due_quarter": 7}, "due_quarter"),
    ({"title": "N", "lead_organisation_id": 1, "due_on": "2026-13-01"}, "due_on"),
    ({"title": "N", "lead_organisation_id": 1}, "due_on"),
    ({"title": "N", "lead_organisation_id": 1, "due_quarter": 2, "status": "finished"}, "status"),
])
def test_bad_task_bodies_are_422_naming_the_field_and_write_nothing(data, client, body, field):
    body = {**body, **({"lead_organisation_id": data["province"].id} if body.get("lead_organisation_id") == 1
                       else {})}
    response = client.post(f"/api/v1/plans/{data['plan'].id}/tasks", headers=data["headers"], json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()
    assert db.session.scalar(db.select(db.func.count(PlanTask.id))) == 0


def test_manual_indicators_and_entries_feed_the_period_report(data, client):
    plan, headers = data["plan"], data["headers"]
    indicator = client.post(f"/api/v1/plans/{plan.id}/manual-indicators", headers=headers, json={
        "label": "Số tin bài tuyên truyền", "unit": "tin bài", "target_value": 40})
    assert indicator.status_code == 201
    url = f"/api/v1/plans/{plan.id}/manual-indicators/{indicator.get_json()['id']}/entries"
    for day, value in (("2026-03-01", 10), ("2026-08-01", 5)):
        assert client.post(url, headers=headers, json={"entry_on": day, "value": value,
                                                       "evidence_url": "https://a.vn/1"}).status_code == 201
    for body, field in (({"value": -1, "evidence_url": "https://a.vn/1"}, "value"),
                        ({"value": 1, "evidence_url": "x"}, "evidence_url"),
                        ({"value": 1, "evidence_url": "https://a.vn/1", "entry_on": "2025-12-31"}, "entry_on")):
        refused = client.post(url, headers=headers, json={"entry_on": "2026-03-01", **body})
        assert refused.status_code == 422 and list(refused.get_json()["error"]["fields"]) == [field]
    assert db.session.scalar(db.select(db.func.count(IndicatorEntry.id))) == 2
    report = client.get(f"/api/v1/reports/period?organisation_ids={data['province'].id}&period=first_half"
                        "&year=2026", headers=headers).get_json()
    assert [(m["label"], m["target"], m["achieved"], m["percent"]) for m in report["manual_indicators"]] == [
        ("Số tin bài tuyên truyền", 40, 10, 25.0)]
    assert report["tasks"] == []
    listed = client.get(f"/api/v1/plans/{plan.id}/manual-indicators", headers=headers).get_json()
    entry_id = listed[0]["entries"][0]["id"]
    assert client.delete(f"{url}/{entry_id}", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/plans/{plan.id}/manual-indicators/{listed[0]['id']}",
                         headers=headers).status_code == 204
    assert db.session.scalar(db.select(db.func.count(ManualIndicator.id))) == 0


def test_request_schemas_come_from_the_forms(client):
    document = client.get("/api/v1/openapi.json").get_json()
    task = document["paths"]["/plans/{plan_id}/tasks"]["post"]["requestBody"]["content"]["application/json"]
    schema = task["schema"]
    schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
    assert {"title", "lead_organisation_id", "due_on", "due_quarter", "status", "event_ids"} <= set(
        schema["properties"])
    assert "title" in schema["required"]
    for path in ("/plans/{plan_id}/manual-indicators", "/plans/{plan_id}/manual-indicators/{indicator_id}/entries"):
        assert "requestBody" in document["paths"][path]["post"]
    period = document["components"]["schemas"]["PeriodReport"]["properties"]
    assert "tasks" in period and "manual_indicators" in period


def test_tasks_and_manual_indicators_are_changed_with_put(data, client):
    plan, headers, province = data["plan"], data["headers"], data["province"]
    task = client.post(f"/api/v1/plans/{plan.id}/tasks", headers=headers, json={
        "title": "Xây dựng cơ sở dữ liệu", "lead_organisation_id": province.id, "due_quarter": 3}).get_json()
    url = f"/api/v1/plans/{plan.id}/tasks/{task['id']}"
    changed = client.put(url, headers=headers, json={"title": "Xây dựng CSDL khởi nghiệp",
                                                     "lead_organisation_id": data["district"].id,
                                                     "due_on": "2026-10-15", "status": "postponed"})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert (body["title"], body["due_on"], body["status"], body["lead_organisation_id"]) == (
        "Xây dựng CSDL khởi nghiệp", "2026-10-15", "postponed", data["district"].id)
    refused = client.put(url, headers=headers, json={"title": "", "lead_organisation_id": province.id,
                                                     "due_quarter": 3})
    assert refused.status_code == 422 and "title" in refused.get_json()["error"]["fields"]
    assert db.session.get(PlanTask, task["id"]).title == "Xây dựng CSDL khởi nghiệp"
    assert client.put(f"/api/v1/plans/{plan.id}/tasks/{task['id'] + 99}", headers=headers, json={
        "title": "x", "lead_organisation_id": province.id, "due_quarter": 1}).status_code == 404
    other_plan = reports.make_plan(data["district"])
    assert client.put(f"/api/v1/plans/{other_plan.id}/tasks/{task['id']}", headers=headers, json={
        "title": "x", "lead_organisation_id": province.id, "due_quarter": 1}).status_code == 404

    indicator = client.post(f"/api/v1/plans/{plan.id}/manual-indicators", headers=headers, json={
        "label": "Số tin bài", "unit": "tin"}).get_json()
    url = f"/api/v1/plans/{plan.id}/manual-indicators/{indicator['id']}"
    changed = client.put(url, headers=headers, json={"label": "Số tin bài tuyên truyền", "unit": "tin bài",
                                                     "target_value": 30})
    assert changed.status_code == 200 and (changed.get_json()["label"], changed.get_json()["target_value"]) == (
        "Số tin bài tuyên truyền", 30)
    assert client.put(url, headers=headers, json={"label": "x", "unit": "y", "target_value": -1}).status_code == 422
    assert db.session.get(ManualIndicator, indicator["id"]).target_value == 30
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "put" in paths["/plans/{plan_id}/tasks/{task_id}"]
    assert "put" in paths["/plans/{plan_id}/manual-indicators/{indicator_id}"]
