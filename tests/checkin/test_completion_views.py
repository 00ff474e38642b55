"""The completion page, the API and the statistics page: organisers set the rule and mark people, with a reason."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.checkin import completion, services
from eventhub.checkin.forms import CompletionDecisionForm, CompletionRuleForm
from eventhub.checkin.models import CompletionLog, CompletionOverride, CompletionRule, CompletionRuleKind
from eventhub.events.models import EventType
from eventhub.extensions import db
from eventhub.forms import form_schema

DAY_ONE = datetime(2027, 3, 8, 1, 0, tzinfo=UTC)


@pytest.fixture
def training(factory, browser):
    organisation = factory.organisation("Sở KH&CN tỉnh Đắk Lắk")
    user = factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER, full_name="Trần Thị Lan")
    event = factory.event(organisation, publish=True, event_type=EventType.TRAINING, starts_at=DAY_ONE,
                          ends_at=DAY_ONE + timedelta(hours=8), capacity=None, title="Tập huấn khởi nghiệp xanh")
    category = factory.category(event, "Phụ nữ")
    came = factory.registration(event, category, full_name="Lò Thị Hương")
    absent = factory.registration(event, category, full_name="Y Bhim Niê")
    services.scan(services.entrance_for(event.id).id, registration_id=came.id, scanner=services.Scanner(),
                  now=DAY_ONE)
    browser.login("tochuc@example.vn")
    token, _record = accounts.issue_api_token(user.id, "API")
    return {"event": event, "came": came, "absent": absent, "user": user, "browser": browser,
            "api": {"Authorization": f"Bearer {token}"}}


def page_of(training, **args):
    response = training["browser"].get(f"/manage/events/{training['event'].id}/completion", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_the_default_rule_and_who_completed(training):
    page = page_of(training)
    assert "Có check-in ít nhất một lần" in page and 'data-completers="1"' in page
    assert f'data-registration="{training["came"].id}" data-completed="yes"' in page
    assert f'data-registration="{training["absent"].id}" data-completed="no"' in page
    assert 'value=""' not in page.split('name="kind"', 1)[1].split("</select>", 1)[0]  # a training has a rule
    only = page_of(training, q="Hương")
    assert "Lò Thị Hương" in only and "Y Bhim Niê" not in only


def test_marking_needs_a_reason_then_is_logged_with_who(training):
    event, absent, browser = training["event"], training["absent"], training["browser"]
    url = f"/manage/events/{event.id}/completion/{absent.id}"
    refused = browser.post(url, {"decision": "completed", "reason": "  "})
    assert refused.status_code == 422 and "Trường này là bắt buộc." in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompletionLog)) == 0
    assert browser.post(url, {"decision": "completed", "reason": "Học bù"}).status_code == 302
    page = page_of(training)
    assert 'data-completers="2"' in page and "Học bù" in page and "Trần Thị Lan" in page
    assert browser.post(url, {"decision": "rule", "reason": "Nhầm"}).status_code == 302
    assert db.session.get(CompletionOverride, absent.id) is None
    assert browser.post(url, {"decision": "maybe", "reason": "x"}).status_code == 422


def test_the_rule_form_saves_and_refuses_a_bad_percentage(training):
    event, browser = training["event"], training["browser"]
    url = f"/manage/events/{event.id}/completion/rule"
    for data in ({"kind": "sessions"}, {"kind": "sessions", "min_percent": "0"}, {"kind": ""},
                 {"kind": "every_day", "min_percent": "50"}, {"kind": "whenever"}):
        assert browser.post(url, data).status_code == 422, data
    assert db.session.get(CompletionRule, event.id) is None
    assert browser.post(url, {"kind": "sessions", "min_percent": "75"}).status_code == 302
    rule = completion.rule_of(event)
    assert (rule.kind, rule.min_percent, rule.stored) == (CompletionRuleKind.SESSIONS, 75, True)
    assert "75 % số phiên" in page_of(training)


def test_the_api_reads_sets_the_rule_and_records_decisions(training, client):
    event, headers = training["event"], training["api"]
    body = client.get(f"/api/v1/events/{event.id}/completion", headers=headers).get_json()
    assert body["rule"] == {"kind": "checked_in", "min_percent": None, "label": "Có check-in ít nhất một lần",
                            "default": True}
    assert (body["confirmed"], body["completers"]) == (2, 1)
    url = f"/api/v1/events/{event.id}/completion/rule"
    bad = client.put(url, json={"kind": "sessions", "min_percent": "50"}, headers=headers)
    assert bad.status_code == 422 and "min_percent" in bad.get_json()["error"]["fields"]
    assert client.put(url, json={"kind": None}, headers=headers).status_code == 422  # a training keeps a rule
    saved = client.put(url, json={"kind": "every_day", "min_percent": None}, headers=headers).get_json()
    assert saved["rule"]["kind"] == "every_day" and saved["days"] == 1 and saved["completers"] == 1
    decide = f"/api/v1/events/{event.id}/completion/registrations/{training['came'].id}"
    assert client.post(decide, json={"decision": "not_completed"}, headers=headers).status_code == 422
    made = client.post(decide, json={"decision": "not_completed", "reason": "Về sớm"}, headers=headers)
    assert made.status_code == 201
    assert made.get_json()["completed"] is False and made.get_json()["user_id"] == training["user"].id
    assert client.get(f"/api/v1/events/{event.id}/completion", headers=headers).get_json()["completers"] == 0
    other = client.post(f"/api/v1/events/{event.id}/completion/registrations/999999",
                        json={"decision": "completed", "reason": "x"}, headers=headers)
    assert other.status_code == 404


def test_an_event_without_a_rule_answers_null_and_may_get_one(factory, training, client):
    workshop = factory.event(training["user"].memberships[0].organisation, publish=True)
    headers = training["api"]
    assert client.get(f"/api/v1/events/{workshop.id}/completion", headers=headers).get_json() == {"rule": None}
    assert client.put(f"/api/v1/events/{workshop.id}/completion/rule", json={"kind": "checked_in"},
                      headers=headers).get_json()["rule"]["kind"] == "checked_in"
    assert client.put(f"/api/v1/events/{workshop.id}/completion/rule", json={"kind": ""},
                      headers=headers).get_json() == {"rule": None}


def test_the_request_schemas_come_from_the_forms(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert schemas["CompletionRuleInput"] == form_schema(CompletionRuleForm)
    assert schemas["CompletionDecisionInput"]["required"] == ["decision", "reason"]
    assert schemas["CompletionDecisionInput"] == form_schema(CompletionDecisionForm)
    assert "/events/{event_id}/completion/registrations/{registration_id}" in document["paths"]


def test_the_statistics_page_and_json_show_the_rule_and_completers(factory, training, client):
    event = training["event"]
    page = training["browser"].get(f"/manage/events/{event.id}/statistics").get_data(as_text=True)
    assert 'data-stat="completion_rule">Có check-in ít nhất một lần' in page
    assert 'data-stat="completers">1<' in page
    stats = client.get(f"/api/v1/events/{event.id}/statistics", headers=training["api"]).get_json()
    assert stats["completion"]["completers"] == 1 and stats["completion"]["rule"]["kind"] == "checked_in"
    workshop = factory.event(training["user"].memberships[0].organisation, publish=True)
    page = training["browser"].get(f"/manage/events/{workshop.id}/statistics").get_data(as_text=True)
    assert 'id="completion"' not in page
    assert client.get(f"/api/v1/events/{workshop.id}/statistics", headers=training["api"]).get_json()[
        "completion"] is None


def test_the_attendee_export_files_carry_the_completion_column(training):
    from io import BytesIO

    from openpyxl import load_workbook

    event, browser = training["event"], training["browser"]
    csv = browser.get(f"/manage/events/{event.id}/registrations/export.csv").get_data().decode("utf-8-sig")
    header, *lines = csv.strip().split("\r\n")
    assert header.endswith(",Hoàn thành (Có check-in ít nhất một lần)")
    assert sorted(line.rsplit(",", 1)[1] for line in lines) == ["Có", "Không"]
    workbook = load_workbook(BytesIO(browser.get(f"/manage/events/{event.id}/registrations/export.xlsx").data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][-1] == "Hoàn thành (Có check-in ít nhất một lần)"
    assert sorted(r[-1] for r in rows[1:]) == ["Có", "Không"]


def test_an_event_that_is_not_a_training_offers_no_rule_until_one_is_chosen(factory, training):
    workshop = factory.event(training["user"].memberships[0].organisation, publish=True)
    browser = training["browser"]
    page = browser.get(f"/manage/events/{workshop.id}/completion").get_data(as_text=True)
    assert '<option selected value="">Không xét hoàn thành</option>' in page and "data-completers" not in page
    assert browser.post(f"/manage/events/{workshop.id}/completion/rule", {"kind": "every_day"}).status_code == 302
    assert "Có mặt tất cả các ngày của sự kiện" in browser.get(
        f"/manage/events/{workshop.id}/completion").get_data(as_text=True)
    assert browser.post(f"/manage/events/{workshop.id}/completion/rule", {"kind": ""}).status_code == 302
    assert db.session.get(CompletionRule, workshop.id) is None


def test_a_long_list_says_only_the_first_people_are_shown(training, monkeypatch):
    from eventhub.checkin import views

    assert "Chỉ hiện" not in page_of(training)
    monkeypatch.setattr(views, "COMPLETION_PAGE_LIMIT", 1)
    page = page_of(training)
    assert "Chỉ hiện 1 người đầu tiên" in page and page.count("data-registration=") == 1
