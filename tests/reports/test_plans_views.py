"""Plans, targets, event tags and supported projects through the organiser's pages."""
from datetime import date

import pytest

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports import plans
from eventhub.reports.models import Indicator, Plan, PlanTarget, SupportedProject
from tests.reports import factories as reports


@pytest.fixture
def officer(factory, browser):
    organisation = factory.organisation("Sở KH&CN tỉnh Quảng Nam")
    user = factory.user("canbo@example.vn", organisation=organisation, role=Role.ORGANISER)
    browser.login("canbo@example.vn")
    return {"organisation": organisation, "user": user}


def test_create_a_plan_and_add_targets(officer, browser):
    organisation = officer["organisation"]
    page = browser.get(f"/manage/organisations/{organisation.id}/plans")
    assert page.status_code == 200 and "Thêm kế hoạch năm" in page.get_data(as_text=True)
    response = browser.post(f"/manage/organisations/{organisation.id}/plans",
                            {"year": "2026", "title": "Kế hoạch hỗ trợ khởi nghiệp năm 2026",
                             "document_no": "125/KH-SKHCN"})
    assert response.status_code == 302
    plan = db.session.scalar(db.select(Plan))
    response = browser.post(f"/manage/plans/{plan.id}", {
        "indicator": "events", "target_value": "5", "label": "Diễn đàn khởi nghiệp", "unit": "diễn đàn",
        "event_types": ["workshop", "talk"], "tags": "Khởi nghiệp xanh, nông nghiệp"})
    assert response.status_code == 302
    target = db.session.scalar(db.select(PlanTarget))
    assert (target.indicator, target.target_value, target.event_types) == (Indicator.EVENTS, 5, ["talk", "workshop"])
    assert target.tags == ["khởi nghiệp xanh", "nông nghiệp"]
    page = browser.get(f"/manage/plans/{plan.id}").get_data(as_text=True)
    assert "Diễn đàn khởi nghiệp" in page
    # which events count, in words: the types' labels, never their codes
    assert "<td>Tọa đàm, nói chuyện chuyên đề, Hội thảo, diễn đàn, khởi nghiệp xanh, nông nghiệp</td>" in page
    assert "talk, workshop" not in page
    edit = browser.post(f"/manage/plans/{plan.id}/targets/{target.id}",
                        {"indicator": "trainees", "target_value": "40", "participant_group": "women"})
    assert edit.status_code == 302
    db.session.refresh(target)
    assert (target.indicator, target.label, target.unit) == (Indicator.TRAINEES, "Số học viên được tập huấn", "người")
    assert browser.post(f"/manage/plans/{plan.id}/targets/{target.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanTarget)) == 0


def test_bad_targets_and_duplicate_years_get_vietnamese_messages(officer, browser):
    organisation = officer["organisation"]
    plan = reports.make_plan(organisation, 2026)
    response = browser.post(f"/manage/plans/{plan.id}", {"indicator": "events", "target_value": "-1"})
    assert response.status_code == 422
    assert "Giá trị phải từ 0 đến 100000000." in response.get_data(as_text=True)
    response = browser.post(f"/manage/plans/{plan.id}", {"indicator": "events", "target_value": "3",
                                                         "participant_group": "women"})
    assert response.status_code == 422
    assert "không tính theo đối tượng tham gia" in response.get_data(as_text=True)
    response = browser.post(f"/manage/organisations/{organisation.id}/plans", {"year": "2026", "title": "Trùng"})
    assert response.status_code == 422 and "đã có kế hoạch cho năm 2026" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanTarget)) == 0


def test_event_tags_page(officer, browser):
    event = reports.held_event(officer["organisation"], date(2026, 3, 10))
    response = browser.post(f"/manage/events/{event.id}/tags", {"tags": "Khởi nghiệp  Xanh, khởi nghiệp xanh, OCOP"})
    assert response.status_code == 302
    assert plans.tags_of(event.id) == ["khởi nghiệp xanh", "ocop"]
    too_long = browser.post(f"/manage/events/{event.id}/tags", {"tags": "x" * 61})
    assert too_long.status_code == 422 and "tối đa 60 ký tự" in too_long.get_data(as_text=True)
    assert plans.tags_of(event.id) == ["khởi nghiệp xanh", "ocop"]


def test_mark_a_project_as_supported(officer, browser, factory):
    organisation = officer["organisation"]
    event = reports.held_event(organisation, date(2026, 3, 10))
    foreign = reports.held_event(factory.organisation(), date(2026, 3, 10))
    url = f"/manage/organisations/{organisation.id}/supported"
    response = browser.post(url, {"kind": "startup_project", "name": "Dự án nấm linh chi",
                                  "supported_on": "15/03/2026", "event_id": str(event.id)})
    assert response.status_code == 302
    project = db.session.scalar(db.select(SupportedProject))
    assert (project.supported_on, project.event_id) == (date(2026, 3, 15), event.id)
    refused = browser.post(url, {"kind": "startup_project", "name": "Khác", "supported_on": "15/03/2026",
                                 "event_id": str(foreign.id)})
    assert refused.status_code == 422
    bad_date = browser.post(url, {"kind": "exhibitor", "name": "HTX", "supported_on": "31/02/2026"})
    assert bad_date.status_code == 422
    assert browser.post(f"{url}/{project.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(SupportedProject)) == 0


def test_another_organisation_cannot_see_or_change_plans(officer, browser, factory):
    other = factory.organisation("Sở KH&CN tỉnh khác")
    plan = reports.make_plan(other, 2026, targets=[reports.target(Indicator.EVENTS, 3)])
    project = reports.supported(other)
    event = reports.held_event(other, date(2026, 3, 10))
    target_id = plan.targets[0].id
    for url in (f"/manage/organisations/{other.id}/plans", f"/manage/plans/{plan.id}",
                f"/manage/plans/{plan.id}/targets/{target_id}", f"/manage/events/{event.id}/tags",
                f"/manage/organisations/{other.id}/supported"):
        assert browser.get(url).status_code == 404, url
    for url in (f"/manage/plans/{plan.id}/delete", f"/manage/plans/{plan.id}/targets/{target_id}/delete",
                f"/manage/plans/{plan.id}/edit", f"/manage/organisations/{other.id}/supported/{project.id}/delete"):
        assert browser.post(url, {"year": "2027", "title": "x"}).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).year == 2026 and len(db.session.get(Plan, plan.id).targets) == 1
    assert db.session.get(SupportedProject, project.id) is not None


def test_check_in_staff_cannot_manage_plans(factory, browser):
    organisation = factory.organisation()
    factory.user("staff@example.vn", organisation=organisation, role=Role.CHECKIN_STAFF)
    browser.login("staff@example.vn")
    assert browser.get(f"/manage/organisations/{organisation.id}/plans").status_code == 403
    assert browser.get("/manage/reports").status_code == 404
