"""Hostile input to the report pages, downloads and API: odd dates and years, reversed and huge ranges,
organisations outside the user's tree, unknown formats, url_for's own names as query keys, long header
fields, and plan, target and supported-project input of the wrong type. Never a 500, nothing half-written."""
import json
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports.models import Plan, PlanTarget, SupportedProject
from tests.reports import dataset
from tests.reports.factories import make_plan

ODD_VALUES = [None, "", "abc", 2**31, 2**63, -(2**63), 2**64, 1e308, -1, 0, 1.5, True, [], {}, [1], "NaN",
              "Infinity", "1e308", "\x00", "a\x00b", "x" * 100_000, "\ud800", float("nan"), float("inf"),
              "unknown"]
ODD_QUERY = ["", "abc", "31/02/2026", "2026-02-31", "00/00/0000", "01/01/0000", "0", "99999", "-1", str(2**63),
             str(2**70), "1e308", "NaN", "Infinity", "x" * 5000, "\u0110\u1eafk L\u1eafk", "01/01/1999",
             "31/12/2101"]
REPORT_KEYS = ["period", "year", "starts_on", "ends_on", "organisation_ids"]
URL_FOR_NAMES = ["endpoint", "_method", "_external", "_anchor", "_scheme", "values", "fmt"]


@pytest.fixture
def data(factory, browser):
    built = dataset.build()
    user = factory.user("vanphong@example.vn", organisation=built["province"], role=Role.ORGANISER)
    token, _ = accounts.issue_api_token(user.id, "bad input")
    browser.login("vanphong@example.vn")
    return {**built, "user": user, "headers": {"Authorization": f"Bearer {token}"}}


@pytest.fixture
def organiser(factory, browser):
    """One organisation and its organiser, for the plan and supported-project input (no report data needed)."""
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Nông")
    user = factory.user("kehoach@example.vn", organisation=organisation, role=Role.ORGANISER)
    token, _ = accounts.issue_api_token(user.id, "bad input")
    browser.login("kehoach@example.vn")
    return {"province": organisation, "event": factory.event(organisation, publish=True),
            "headers": {"Authorization": f"Bearer {token}"}}


def assert_not_a_crash(response):
    assert response.status_code < 500, response.get_data(as_text=True)[-3000:]


def assert_refused_as_json(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:2000])
    assert response.get_json()["error"]["code"]


def report_query(data, **overrides):
    values = {"organisation_ids": data["province"].id, "period": "custom", "starts_on": "01/01/2026",
              "ends_on": "31/12/2026", "year": 2026}
    values.update(overrides)
    return urlencode(values)


@pytest.mark.parametrize("key", REPORT_KEYS)
def test_report_query_parameters(data, browser, client, key):
    for value in ODD_QUERY:  # one dataset per key: building it per value would cost minutes
        query = report_query(data, **{key: value})
        for url in (f"/manage/reports?{query}", f"/manage/reports/export?{query}",
                    f"/manage/reports/download?fmt=csv&{query}"):
            assert_not_a_crash(browser.get(url))
        response = client.get(f"/api/v1/reports/period?{query}", headers=data["headers"])
        if response.status_code != 200:
            assert_refused_as_json(response)


@pytest.mark.parametrize("key", URL_FOR_NAMES)
def test_query_keys_named_like_url_for_arguments(data, browser, key):
    query = report_query(data, period="year") + f"&{key}=x"
    for url in (f"/manage/reports?{query}", f"/manage/reports/export?{query}"):
        response = browser.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)[-3000:]
    for fmt in ("csv", "xlsx") if key != "fmt" else ():
        response = browser.get(f"/manage/reports/download?{query}&fmt={fmt}")
        assert response.status_code == 200, response.get_data(as_text=True)[-3000:]
    bad_period = report_query(data, period="custom", starts_on="31/12/2026", ends_on="01/01/2026") + f"&{key}=x"
    for url in (f"/manage/reports/export?{bad_period}", f"/manage/reports/download?fmt=csv&{bad_period}"):
        assert_not_a_crash(browser.get(url))


@pytest.mark.parametrize("value", ["", "docx", "CSV", "x" * 5000, "csv\u0000"])
def test_unknown_export_format(data, browser, value):
    response = browser.get(f"/manage/reports/download?{report_query(data)}&{urlencode({'fmt': value})}")
    assert response.status_code in (400, 422)


@pytest.mark.parametrize("key", ["agency", "number", "place", "issued_on"])
def test_document_header_fields(data, browser, key):
    for value in ODD_QUERY:
        response = browser.get(f"/manage/reports/download?fmt=pdf&{report_query(data)}&{urlencode({key: value})}")
        assert response.status_code in (200, 422), (value, response.get_data(as_text=True)[-3000:])


@pytest.mark.parametrize("organisation", ["association", "unknown", "district"])
def test_organisations_outside_the_users_tree(data, factory, browser, client, organisation):
    """The district is below the province (allowed); a sibling tree or an unknown id is a 404 everywhere."""
    outsider = {"association": lambda: data["association"].id, "unknown": lambda: 987_654,
                "district": lambda: data["district"].id}[organisation]()
    query = report_query(data, organisation_ids=outsider)
    expected = 200 if organisation == "district" else 404
    assert browser.get(f"/manage/reports?{query}").status_code == expected
    assert browser.get(f"/manage/reports/download?fmt=csv&{query}").status_code == expected
    assert client.get(f"/api/v1/reports/period?{query}", headers=data["headers"]).status_code == expected
    page = browser.get("/manage/reports").get_data(as_text=True)
    assert data["association"].name not in page


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("name", ["year", "title", "document_no"])
def test_plan_api_fields(organiser, client, name, value):
    body = {"year": 2027, "title": "Kế hoạch 2027", "document_no": "12/KH-SKHCN", name: value}
    response = client.post(f"/api/v1/organisations/{organiser['province'].id}/plans", data=json.dumps(body),
                           content_type="application/json", headers=organiser["headers"])
    if response.status_code != 201:
        assert_refused_as_json(response)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan).where(Plan.year == 2027)) == 0


@pytest.mark.parametrize("value", ODD_VALUES + [["talk", "nope"], ["x" * 100] * 30])
@pytest.mark.parametrize("name", ["indicator", "target_value", "label", "unit", "participant_group", "event_types",
                                  "levels", "tags"])
def test_target_api_fields(organiser, client, name, value):
    plan = make_plan(organiser["province"], 2027)
    body = {"indicator": "events", "target_value": 5, name: value}
    response = client.post(f"/api/v1/plans/{plan.id}/targets", data=json.dumps(body),
                           content_type="application/json", headers=organiser["headers"])
    if response.status_code != 201:
        assert_refused_as_json(response)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanTarget)
                                 .where(PlanTarget.plan_id == plan.id)) == 0


@pytest.mark.parametrize("value", ODD_QUERY)
@pytest.mark.parametrize("name", ["year", "title", "document_no"])
def test_plan_form_fields(organiser, browser, name, value):
    form = {"year": "2027", "title": "Kế hoạch 2027", "document_no": "", name: value}
    response = browser.post(f"/manage/organisations/{organiser['province'].id}/plans", form)
    assert response.status_code in (302, 422)


@pytest.mark.parametrize("value", ODD_QUERY)
@pytest.mark.parametrize("name", ["indicator", "target_value", "label", "unit", "participant_group", "event_types",
                                  "levels", "tags"])
def test_target_form_fields(organiser, browser, name, value):
    plan = make_plan(organiser["province"], 2027)
    form = {"indicator": "events", "target_value": "5", name: value}
    response = browser.post(f"/manage/plans/{plan.id}", form)
    assert response.status_code in (302, 422)


@pytest.mark.parametrize("value", ODD_QUERY)
@pytest.mark.parametrize("name", ["kind", "name", "supported_on", "event_id", "note"])
def test_supported_project_form_fields(organiser, browser, name, value):
    form = {"kind": "startup_project", "name": "Dự án cà phê sạch", "supported_on": "01/03/2026", "event_id": "",
            name: value}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(SupportedProject))
    response = browser.post(f"/manage/organisations/{organiser['province'].id}/supported", form)
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SupportedProject)) == before


def test_supported_project_at_an_event_of_another_organisation(data, browser):
    form = {"kind": "startup_project", "name": "Dự án cà phê sạch", "supported_on": "01/03/2026",
            "event_id": str(data["fair"].id)}
    assert browser.post(f"/manage/organisations/{data['association'].id}/supported", form).status_code in (403, 404)


@pytest.mark.parametrize("url", ["/manage/events/{event}/statistics", "/api/v1/events/{event}/statistics"])
def test_statistics_of_another_organisations_event(data, factory, browser, client, url):
    foreign = factory.event(data["association"], publish=True)
    target = url.format(event=foreign.id)
    response = client.get(target, headers=data["headers"]) if target.startswith("/api") else browser.get(target)
    assert response.status_code in (403, 404)
