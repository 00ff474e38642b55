"""A reporting round through /api/v1, with request schemas generated from the forms."""
from datetime import date

import pytest

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports.plan_tasks import services as plan_tasks
from eventhub.reports.rounds.models import ReportingRound, SubmissionValue
from tests.reports import factories as reports
from tests.support.factories import api_headers


@pytest.fixture
def tree(factory):
    province = factory.organisation("Sở KH&CN tỉnh Đắk Lắk", short_name="SKHCN")
    first = factory.organisation("UBND huyện Cư M'gar", parent_id=province.id)
    second = factory.organisation("UBND huyện Krông Pắc", parent_id=province.id)
    shared = reports.held_event(first, date(2026, 4, 10), co_organisers=[second])
    reports.people(shared, "youth", 5, attended=5)
    plan = reports.make_plan(first)
    indicator = plan_tasks.save_manual_indicator(plan.id, None, plan_tasks.ManualIndicatorDetails(
        "Số tin bài tuyên truyền", "tin bài"))
    return {"province": province, "first": first, "second": second, "indicator": indicator,
            "parent": api_headers(factory.user(organisation=province, role=Role.ADMIN)),
            "child": api_headers(factory.user(organisation=first, role=Role.ORGANISER)),
            "other_child": api_headers(factory.user(organisation=second, role=Role.ORGANISER))}


def test_a_round_through_the_api(tree, client):
    body = {"organisation_id": tree["province"].id, "period": "first_half", "year": 2026, "deadline": "2099-12-31"}
    for bad, field in (({"deadline": None}, "deadline"), ({"period": "quarter"}, "period"),
                       ({"deadline": "2020-01-01"}, "deadline")):
        refused = client.post("/api/v1/reports/rounds", headers=tree["parent"], json={**body, **bad})
        assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"], refused.get_json()
    assert client.post("/api/v1/reports/rounds", headers=tree["child"], json=body).status_code == 404
    assert db.session.scalar(db.select(db.func.count(ReportingRound.id))) == 0
    opened = client.post("/api/v1/reports/rounds", headers=tree["parent"], json=body)
    assert opened.status_code == 201, opened.get_json()
    reporting_round = opened.get_json()
    assert (reporting_round["starts_on"], reporting_round["ends_on"]) == ("2026-01-01", "2026-06-30")
    by_org = {s["organisation_id"]: s for s in reporting_round["submissions"]}
    base = f"/api/v1/reports/rounds/{reporting_round['id']}"
    first, second = by_org[tree["first"].id], by_org[tree["second"].id]
    url = f"{base}/submissions/{first['id']}"

    owed = client.get("/api/v1/reports/rounds", headers=tree["child"]).get_json()
    assert owed["rounds"] == [] and [s["id"] for s in owed["submissions"]] == [first["id"]]
    assert client.get(base, headers=tree["child"]).status_code == 404
    assert client.get(url, headers=tree["other_child"]).status_code == 404
    detail = client.get(url, headers=tree["child"]).get_json()
    assert [e["event_id"] for e in detail["report"]["events"]] and detail["values"][0]["from_plan"] == 0
    value_url = f"{url}/values/{tree['indicator'].id}"
    refused = client.put(value_url, headers=tree["child"], json={"value": 4})
    assert refused.status_code == 422 and list(refused.get_json()["error"]["fields"]) == ["evidence_url"]
    assert client.put(value_url, headers=tree["parent"], json={"value": 4, "evidence_url": "https://a.vn"}
                      ).status_code == 404
    assert db.session.scalar(db.select(db.func.count(SubmissionValue.id))) == 0
    saved = client.put(value_url, headers=tree["child"], json={"value": 4, "evidence_url": "https://a.vn/1"})
    assert saved.status_code == 200 and saved.get_json()["value"] == 4
    assert client.put(url, headers=tree["child"], json={"comment": "Nháp"}).get_json()["status"] == "draft"
    assert client.post(f"{url}/submit", headers=tree["child"]).get_json()["status"] == "submitted"
    assert client.put(url, headers=tree["child"], json={"comment": "Sửa"}).status_code == 409
    assert client.post(f"{base}/submissions/{second['id']}/submit", headers=tree["other_child"]).status_code == 200

    assert client.post(f"{url}/return", headers=tree["parent"], json={"comment": " "}).status_code == 422
    returned = client.post(f"{url}/return", headers=tree["parent"], json={"comment": "Bổ sung minh chứng"})
    assert returned.get_json()["status"] == "returned" and returned.get_json()["return_comment"] == \
        "Bổ sung minh chứng"
    assert client.put(value_url, headers=tree["child"], json={"value": 5, "evidence_url": "https://a.vn/2"}
                      ).status_code == 200
    assert client.post(f"{url}/submit", headers=tree["child"]).get_json()["status"] == "resubmitted"
    changes = client.get(url, headers=tree["parent"]).get_json()["changes"]
    assert {"Số tin bài tuyên truyền: giá trị"} <= {c["field"] for c in changes}
    for submission in (first, second):
        accepted = client.post(f"{base}/submissions/{submission['id']}/accept", headers=tree["parent"])
        assert accepted.get_json()["status"] == "accepted"

    consolidated = client.get(f"{base}/consolidated", headers=tree["parent"]).get_json()
    assert consolidated["event_count"] == 1  # co-organised by both districts: counted once
    events = next(r for r in consolidated["indicators"] if r["label"] == "Số sự kiện tổ chức")
    assert events["values"] == [0, 1, 1] and events["total"] == 1
    assert consolidated["manual_indicators"] == [{"label": "Số tin bài tuyên truyền", "unit": "tin bài",
                                                  "target": None, "values": [None, 5, None], "total": 5,
                                                  "percent": None}]
    assert client.get(f"{base}/consolidated", headers=tree["child"]).status_code == 404
    issued = client.post(f"{base}/issue", headers=tree["parent"], json={
        "number": "3/BC-SKHCN", "signer_name": "Nguyễn Văn An", "signer_title": "Giám đốc"})
    assert issued.status_code == 201, issued.get_json()
    pdf = client.get(issued.get_json()["pdf_url"], headers=tree["parent"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_round_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, methods in (("/reports/rounds", {"get", "post"}), ("/reports/rounds/{round_id}", {"get"}),
                          ("/reports/rounds/{round_id}/submissions/{submission_id}", {"get", "put"}),
                          ("/reports/rounds/{round_id}/submissions/{submission_id}/submit", {"post"}),
                          ("/reports/rounds/{round_id}/submissions/{submission_id}/return", {"post"}),
                          ("/reports/rounds/{round_id}/submissions/{submission_id}/accept", {"post"}),
                          ("/reports/rounds/{round_id}/consolidated", {"get"})):
        assert methods <= set(paths[path]), path
    body = paths["/reports/rounds"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"organisation_id", "period", "deadline"} <= set(body.get("properties", {})) or "$ref" in body
