"""Bad input to the report pages, downloads and API, as outcome tables: odd dates and years, reversed and huge
ranges, organisations outside the user's tree, unknown formats, url_for's own names as query keys, long header
fields, and plan, target and supported-project input that reaches the rules of reports. Each row states the
statuses it gets, or what was stored; a refusal writes nothing. The JSON types are proven on the validator
(tests/test_form_json.py)."""
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports.models import Plan, PlanTarget, SupportedProject, SupportKind
from tests.reports import dataset
from tests.reports.factories import make_plan
from tests.support.sweep import Refused, Stored, invalid, outcome, send_json, snapshot

URL_FOR_NAMES = ["endpoint", "_method", "_external", "_anchor", "_scheme", "values", "fmt"]
PLAN_TABLES = ("plans", "plan_targets", "supported_projects")
PAGE_REFUSED = Refused(422, "")  # the page again, with the form's messages


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


def report_query(data, **overrides):
    values = {"organisation_ids": data["province"].id, "period": "custom", "starts_on": "01/01/2026",
              "ends_on": "31/12/2026", "year": 2026}
    values.update(overrides)
    return urlencode(values)


# Each row: query values -> statuses of (page, export page, CSV download, API); the export and the download send a
# refused query back to the page, which shows the form's messages.
SHOWN = (200, 200, 200, 200)
REFUSED = (422, 302, 302, 422)
OUTSIDE = (404, 404, 404, 404)
REPORT_QUERIES = {
    "whole_year": ({"period": "year"}, SHOWN),
    "first_half": ({"period": "first_half"}, SHOWN),
    "no_such_day": ({"starts_on": "31/02/2026"}, REFUSED),
    "iso_no_such_day": ({"ends_on": "2026-02-31"}, REFUSED),
    "year_0": ({"starts_on": "01/01/0000"}, REFUSED),
    "before_2000": ({"starts_on": "01/01/1999"}, REFUSED),
    "after_2100": ({"ends_on": "31/12/2101"}, REFUSED),
    "reversed_range": ({"starts_on": "31/12/2026", "ends_on": "01/01/2026"}, REFUSED),
    "range_of_a_century": ({"starts_on": "01/01/2000", "ends_on": "31/12/2100"}, REFUSED),
    "missing_dates": ({"starts_on": "", "ends_on": ""}, REFUSED),
    "long_date": ({"starts_on": "x" * 5000}, REFUSED),
    "year_beyond_bigint": ({"period": "year", "year": str(2**63)}, REFUSED),
    "year_as_float": ({"period": "year", "year": "1e308"}, REFUSED),
    "year_nan": ({"period": "year", "year": "NaN"}, REFUSED),
    "unknown_period": ({"period": "abc"}, REFUSED),
    "organisation_as_text": ({"organisation_ids": "abc"}, REFUSED),
    "organisation_beyond_bigint": ({"organisation_ids": str(2**63)}, OUTSIDE),
    "organisation_zero": ({"organisation_ids": "0"}, OUTSIDE),
    "organisation_with_diacritics": ({"organisation_ids": "Đắk Lắk"}, REFUSED),
}


def test_report_query_parameters(data, browser, client):
    actual = {}
    for label, (values, _) in REPORT_QUERIES.items():
        query = report_query(data, **values)
        pages = [browser.get(url).status_code for url in (
            f"/manage/reports?{query}", f"/manage/reports/export?{query}", f"/manage/reports/download?fmt=csv&{query}")]
        response = client.get(f"/api/v1/reports/period?{query}", headers=data["headers"])
        assert response.status_code == 200 or response.get_json()["error"]["code"], label
        actual[label] = (*pages, response.status_code)
    assert actual == {label: statuses for label, (_, statuses) in REPORT_QUERIES.items()}


def test_query_keys_named_like_url_for_arguments(data, browser):
    failures = []
    for key in URL_FOR_NAMES:
        query = report_query(data, period="year") + f"&{key}=x"
        urls = [f"/manage/reports?{query}", f"/manage/reports/export?{query}"]
        urls += [f"/manage/reports/download?{query}&fmt={fmt}" for fmt in (("csv", "xlsx") if key != "fmt" else ())]
        failures += [(key, url, status) for url in urls if (status := browser.get(url).status_code) != 200]
        bad_period = report_query(data, period="custom", starts_on="31/12/2026", ends_on="01/01/2026") + f"&{key}=x"
        for url in (f"/manage/reports/export?{bad_period}", f"/manage/reports/download?fmt=csv&{bad_period}"):
            response = browser.get(url)
            if response.status_code != 302 or not response.headers["Location"].startswith("/manage/reports?"):
                failures.append((key, url, response.status_code))
    assert failures == []


def test_unknown_export_format(data, browser):
    values = ["", "docx", "CSV", "x" * 5000, "csv\u0000"]
    statuses = {value: browser.get(f"/manage/reports/download?{report_query(data)}&{urlencode({'fmt': value})}")
                .status_code for value in values}
    assert statuses == dict.fromkeys(values, 400)


def test_document_header_fields(data, browser):
    """The PDF's agency, number, place and issue date: long or odd text is refused, never a 500."""
    rows = {
        ("agency", "Sở KH&CN tỉnh Đắk Lắk"): 200,
        ("agency", "x" * 5000): 422,
        ("number", "12/BC-SKHCN"): 200,
        ("number", "x" * 5000): 422,
        ("place", "Đắk Lắk"): 200,
        ("issued_on", "15/07/2026"): 200,
        ("issued_on", "31/02/2026"): 422,
        ("issued_on", "01/01/0000"): 422,
    }
    actual = {(key, value): browser.get(f"/manage/reports/download?fmt=pdf&{report_query(data)}&"
                                        f"{urlencode({key: value})}").status_code for key, value in rows}
    assert actual == rows


def test_organisations_outside_the_users_tree(data, browser, client):
    """The district is below the province (allowed); a sibling tree or an unknown id is a 404 everywhere."""
    expected = {data["district"].id: 200, data["association"].id: 404, 987_654: 404}
    actual = {}
    for organisation_id in expected:
        query = report_query(data, organisation_ids=organisation_id)
        statuses = {browser.get(f"/manage/reports?{query}").status_code,
                    browser.get(f"/manage/reports/download?fmt=csv&{query}").status_code,
                    client.get(f"/api/v1/reports/period?{query}", headers=data["headers"]).status_code}
        actual[organisation_id] = statuses.pop() if len(statuses) == 1 else statuses
    assert actual == expected
    page = browser.get("/manage/reports").get_data(as_text=True)
    assert data["association"].name not in page


# Plans and targets ----------------------------------------------------------------------------------------------

PLAN_ROWS = {
    "first_year": ({"year": 2000}, Stored((2000, "Kế hoạch 2027", "12/KH-SKHCN"))),
    "last_year": ({"year": 2100}, Stored((2100, "Kế hoạch 2027", "12/KH-SKHCN"))),
    "spaces_in_the_title": ({"year": 2030, "title": "  Kế hoạch   năm  "}, Stored((2030, "Kế hoạch năm",
                                                                                 "12/KH-SKHCN"))),
    "no_document_number": ({"year": 2031, "document_no": ""}, Stored((2031, "Kế hoạch 2027", None))),
    "year_taken": ({"year": 2026}, invalid("year")),
    "year_1999": ({"year": 1999}, invalid("year")),
    "year_2101": ({"year": 2101}, invalid("year")),
    "year_beyond_bigint": ({"year": 2**63}, invalid("year")),
    "year_as_text": ({"year": "2027"}, invalid("year")),
    "title_missing": ({"title": "  "}, invalid("title")),
    "title_too_long": ({"title": "x" * 301}, invalid("title")),
    "nul_in_title": ({"title": "a\x00b"}, invalid("title")),
    "document_number_too_long": ({"document_no": "x" * 61}, invalid("document_no")),
}


def _newest(model):
    return db.session.scalar(sa.select(model).order_by(model.id.desc()).limit(1))


def _plan(_response):
    stored = _newest(Plan)
    return stored.year, stored.title, stored.document_no


def test_plan_api_input(organiser, client):
    make_plan(organiser["province"], 2026)
    url = f"/api/v1/organisations/{organiser['province'].id}/plans"
    base = {"year": 2027, "title": "Kế hoạch 2027", "document_no": "12/KH-SKHCN"}

    actual = {}
    for label, (values, _) in PLAN_ROWS.items():
        before = snapshot(*PLAN_TABLES)
        actual[label] = outcome(send_json(client, "POST", url, {**base, **values}, organiser["headers"]), before,
                                _plan)
    assert actual == {label: expected for label, (_, expected) in PLAN_ROWS.items()}


TARGET_ROWS = {
    "largest_value": ({"target_value": 100_000_000}, Stored(("events", 100_000_000, None, [], [], []))),
    "per_group": ({"indicator": "participants", "participant_group": "student"},
                  Stored(("participants", 5, "student", [], [], []))),
    "filters": ({"event_types": ["workshop", "training"], "levels": ["province"], "tags": "Xanh, xanh ,Số"},
                Stored(("events", 5, None, ["training", "workshop"], ["province"], ["số", "xanh"]))),
    "value_too_large": ({"target_value": 100_000_001}, invalid("target_value")),
    "value_negative": ({"target_value": -1}, invalid("target_value")),
    "value_beyond_bigint": ({"target_value": 2**63}, invalid("target_value")),
    "unknown_indicator": ({"indicator": "unknown"}, invalid("indicator")),
    "group_for_a_count_of_events": ({"participant_group": "student"}, invalid("participant_group")),
    "unknown_group": ({"indicator": "participants", "participant_group": "nope"}, invalid("participant_group")),
    "unknown_event_type": ({"event_types": ["talk", "nope"]}, invalid("event_types")),
    "event_types_as_text": ({"event_types": "talk"}, invalid("event_types")),
    "unknown_level": ({"levels": ["x"]}, invalid("levels")),
    "too_many_tags": ({"tags": ",".join(f"the{n}" for n in range(31))}, invalid("tags")),
    "tag_too_long": ({"tags": "x" * 61}, invalid("tags")),
    "tags_as_a_list": ({"tags": ["x" * 100] * 30}, invalid("tags")),
    "label_too_long": ({"label": "x" * 201}, invalid("label")),
    "unit_too_long": ({"unit": "x" * 41}, invalid("unit")),
    "nul_in_unit": ({"unit": "a\x00b"}, invalid("unit")),
}


def _target(_response):
    stored = _newest(PlanTarget)
    return (stored.indicator.value, stored.target_value,
            stored.participant_group,
            list(stored.event_types), list(stored.levels), list(stored.tags))


def test_target_api_input(organiser, client):
    plan = make_plan(organiser["province"], 2027)
    url = f"/api/v1/plans/{plan.id}/targets"
    actual = {}
    for label, (values, _) in TARGET_ROWS.items():
        before = snapshot(*PLAN_TABLES)
        actual[label] = outcome(send_json(client, "POST", url, {"indicator": "events", "target_value": 5, **values},
                                          organiser["headers"]), before, _target)
    assert actual == {label: expected for label, (_, expected) in TARGET_ROWS.items()}


# The same rules through the HTML forms, where every value is text.
PLAN_FORM_ROWS = {
    "plan": ({"year": "2032"}, Stored((2032, "Kế hoạch 2027", None))),
    "year_with_spaces": ({"year": " 2033 "}, Stored((2033, "Kế hoạch 2027", None))),
    "year_taken": ({"year": "2026"}, PAGE_REFUSED),
    "year_0": ({"year": "0"}, PAGE_REFUSED),
    "year_beyond_bigint": ({"year": str(2**63)}, PAGE_REFUSED),
    "year_as_float": ({"year": "1e308"}, PAGE_REFUSED),
    "year_of_a_date": ({"year": "31/02/2026"}, PAGE_REFUSED),
    "title_too_long": ({"title": "x" * 5000}, PAGE_REFUSED),
    "document_number_too_long": ({"document_no": "x" * 61}, PAGE_REFUSED),
}


def test_plan_form_input(organiser, browser):
    make_plan(organiser["province"], 2026)
    url = f"/manage/organisations/{organiser['province'].id}/plans"

    actual = {}
    for label, (values, _) in PLAN_FORM_ROWS.items():
        before = snapshot(*PLAN_TABLES)
        response = browser.post(url, {"year": "2027", "title": "Kế hoạch 2027", "document_no": "", **values})
        actual[label] = outcome(response, before, _plan)
    assert actual == {label: expected for label, (_, expected) in PLAN_FORM_ROWS.items()}


TARGET_FORM_ROWS = {
    "target": ({}, Stored(("events", 5, None, [], [], []))),
    "tags": ({"tags": "Khởi nghiệp  xanh"}, Stored(("events", 5, None, [], [], ["khởi nghiệp xanh"]))),
    "value_of_digits_elsewhere": ({"target_value": "١٢"}, Stored(("events", 12, None, [], [], []))),
    "value_beyond_bigint": ({"target_value": str(2**63)}, PAGE_REFUSED),
    "value_nan": ({"target_value": "NaN"}, PAGE_REFUSED),
    "unknown_indicator": ({"indicator": "abc"}, PAGE_REFUSED),
    "unknown_event_type": ({"event_types": "abc"}, PAGE_REFUSED),
    "unknown_level": ({"levels": "0"}, PAGE_REFUSED),
    "unknown_group": ({"participant_group": "Đắk Lắk"}, PAGE_REFUSED),
    "label_too_long": ({"label": "x" * 5000}, PAGE_REFUSED),
}


def test_target_form_input(organiser, browser):
    plan = make_plan(organiser["province"], 2027)
    actual = {}
    for label, (values, _) in TARGET_FORM_ROWS.items():
        before = snapshot(*PLAN_TABLES)
        response = browser.post(f"/manage/plans/{plan.id}", {"indicator": "events", "target_value": "5", **values})
        actual[label] = outcome(response, before, _target)
    assert actual == {label: expected for label, (_, expected) in TARGET_FORM_ROWS.items()}


def test_supported_project_form_input(organiser, factory, browser):
    own_event = organiser["event"]
    foreign_event = factory.event(factory.organisation("Hội Doanh nhân trẻ tỉnh"), publish=True)
    rows = {
        "project": ({}, Stored(("startup_project", "Dự án cà phê sạch", None))),
        "at_an_own_event": ({"event_id": str(own_event.id)}, Stored(("startup_project", "Dự án cà phê sạch",
                                                                     own_event.id))),
        "event_of_another_organisation": ({"event_id": str(foreign_event.id)}, PAGE_REFUSED),
        "event_beyond_bigint": ({"event_id": str(2**63)}, PAGE_REFUSED),
        "event_as_text": ({"event_id": "abc"}, PAGE_REFUSED),
        "unknown_kind": ({"kind": "abc"}, PAGE_REFUSED),
        "name_too_long": ({"name": "x" * 201}, PAGE_REFUSED),
        "no_such_day": ({"supported_on": "31/02/2026"}, PAGE_REFUSED),
        "year_0": ({"supported_on": "01/01/0000"}, PAGE_REFUSED),
        "note_too_long": ({"note": "x" * 2001}, PAGE_REFUSED),
    }

    def project(_response):
        stored = _newest(SupportedProject)
        return stored.kind.value, stored.name, stored.event_id

    actual = {}
    for label, (values, _) in rows.items():
        before = snapshot(*PLAN_TABLES)
        response = browser.post(f"/manage/organisations/{organiser['province'].id}/supported", {
            "kind": SupportKind.STARTUP_PROJECT.value, "name": "Dự án cà phê sạch", "supported_on": "01/03/2026",
            "event_id": "", **values})
        actual[label] = outcome(response, before, project)
    assert actual == {label: expected for label, (_, expected) in rows.items()}


def test_supported_project_at_an_event_of_another_organisation(data, browser):
    form = {"kind": "startup_project", "name": "Dự án cà phê sạch", "supported_on": "01/03/2026",
            "event_id": str(data["fair"].id)}
    before = snapshot(*PLAN_TABLES)
    response = browser.post(f"/manage/organisations/{data['association'].id}/supported", form)
    assert response.status_code in (403, 404) and snapshot(*PLAN_TABLES) == before


@pytest.mark.parametrize("url", ["/manage/events/{event}/statistics", "/api/v1/events/{event}/statistics"])
def test_statistics_of_another_organisations_event(data, factory, browser, client, url):
    foreign = factory.event(data["association"], publish=True)
    target = url.format(event=foreign.id)
    response = client.get(target, headers=data["headers"]) if target.startswith("/api") else browser.get(target)
    assert response.status_code in (403, 404)

