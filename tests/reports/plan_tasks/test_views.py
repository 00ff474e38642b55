"""Plan tasks and manual indicators through the organiser's pages, and on the report page."""
from datetime import date

import pytest

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports.models import IndicatorEntry, ManualIndicator, PlanTask, TaskStatus
from tests.reports import factories as reports


@pytest.fixture
def officer(factory, browser):
    organisation = factory.organisation("Sở KH&CN tỉnh Đắk Lắk")
    district = factory.organisation("UBND huyện Krông Pắc", parent_id=organisation.id)
    factory.user("canbo@example.vn", organisation=organisation, role=Role.ORGANISER)
    browser.login("canbo@example.vn")
    return {"organisation": organisation, "district": district, "plan": reports.make_plan(organisation)}


def test_add_and_edit_a_task_by_quarter(officer, browser):
    plan, district = officer["plan"], officer["district"]
    page = browser.get(f"/manage/plans/{plan.id}/tasks/new")
    assert page.status_code == 200 and "UBND huyện Krông Pắc" in page.get_data(as_text=True)
    response = browser.post(f"/manage/plans/{plan.id}/tasks/new", {
        "title": "Tổ chức Ngày hội khởi nghiệp cấp huyện", "lead_organisation_id": str(district.id),
        "co_organisation_ids": [str(officer["organisation"].id)], "due_quarter": "2", "status": "in_progress",
        "outside_agencies": "Trường Đại học Tây Nguyên"})
    assert response.status_code == 302
    task = db.session.scalar(db.select(PlanTask))
    assert (task.due_on, task.status, task.lead_organisation_id) == (date(2026, 6, 30), TaskStatus.IN_PROGRESS,
                                                                     district.id)
    detail = browser.get(f"/manage/plans/{plan.id}").get_data(as_text=True)
    assert "Tổ chức Ngày hội khởi nghiệp cấp huyện" in detail and "Quý II năm 2026" in detail
    edit = browser.get(f"/manage/plans/{plan.id}/tasks/{task.id}").get_data(as_text=True)
    assert "Trường Đại học Tây Nguyên" in edit
    assert browser.post(f"/manage/plans/{plan.id}/tasks/{task.id}", {
        "title": "Đã đổi", "lead_organisation_id": str(district.id), "due_on": "15/05/2026",
        "status": "done"}).status_code == 302
    db.session.expire_all()
    assert (task.title, task.due_on, task.due_quarter, task.co_organisations) == ("Đã đổi", date(2026, 5, 15), None,
                                                                                    [])
    assert browser.post(f"/manage/plans/{plan.id}/tasks/{task.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(PlanTask.id))) == 0


@pytest.mark.parametrize(("values", "message"), [
    ({"title": "", "due_quarter": "2"}, "Trường này là bắt buộc."),
    ({"title": "N", "due_on": "01/05/2026", "due_quarter": "2"}, "một ngày hoặc một quý"),
    ({"title": "N", "due_on": "31/02/2026"}, "Ngày không hợp lệ"),
    ({"title": "N", "due_quarter": "2", "lead_organisation_id": "999999"}, "Đơn vị chủ trì phải là"),
])
def test_bad_task_input_is_refused_with_a_message_and_nothing_written(officer, browser, values, message):
    plan = officer["plan"]
    response = browser.post(f"/manage/plans/{plan.id}/tasks/new",
                            {"lead_organisation_id": str(officer["organisation"].id), **values})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PlanTask.id))) == 0


def test_manual_indicator_with_entries(officer, browser):
    plan = officer["plan"]
    assert browser.post(f"/manage/plans/{plan.id}/indicators/new", {
        "label": "Số tin bài tuyên truyền", "unit": "tin bài", "target_value": "40"}).status_code == 302
    indicator = db.session.scalar(db.select(ManualIndicator))
    url = f"/manage/plans/{plan.id}/indicators/{indicator.id}"
    assert browser.post(f"{url}/entries", {"entry_on": "10/03/2026", "value": "12",
                                           "evidence_url": "https://baodaklak.vn/tin-1"}).status_code == 302
    bad = browser.post(f"{url}/entries", {"entry_on": "10/03/2026", "value": "-3",
                                          "evidence_url": "javascript:alert(1)"})
    assert bad.status_code == 422 and "Giá trị phải từ 0" in bad.get_data(as_text=True)
    bad = browser.post(f"{url}/entries", {"entry_on": "10/03/2026", "value": "3", "evidence_url": "javascript:x"})
    assert bad.status_code == 422 and "http:// hoặc https://" in bad.get_data(as_text=True)
    page = browser.get(url).get_data(as_text=True)
    assert "https://baodaklak.vn/tin-1" in page and "10/03/2026" in page
    entry = db.session.scalar(db.select(IndicatorEntry))
    assert entry.value == 12 and db.session.scalar(db.select(db.func.count(IndicatorEntry.id))) == 1
    report = browser.get(f"/manage/reports?period=first_half&year=2026&organisation_ids={plan.organisation_id}")
    text = report.get_data(as_text=True)
    assert report.status_code == 200 and "Số tin bài tuyên truyền" in text and "30,0" in text
    assert browser.post(f"{url}/entries/{entry.id}/delete").status_code == 302
    assert browser.post(f"{url}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(ManualIndicator.id))) == 0


def test_the_report_page_marks_overdue_tasks(officer, browser):
    from eventhub.reports.plan_tasks import services

    plan = officer["plan"]
    services.save_task(plan.id, None, services.TaskDetails("Việc đã quá hạn", plan.organisation_id,
                                                           due_on=date(2026, 1, 15)))
    text = browser.get(f"/manage/reports?period=year&year=2026&organisation_ids={plan.organisation_id}"
                       ).get_data(as_text=True)
    assert "Việc đã quá hạn" in text and "Quá hạn" in text and 'class="overdue"' in text


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_files_are_sniffed_and_served_only_to_the_plan_organisers(officer, browser, factory, app):
    import io
    from pathlib import Path

    plan = officer["plan"]
    browser.post(f"/manage/plans/{plan.id}/indicators/new", {"label": "Số CLB khởi nghiệp", "unit": "CLB"})
    indicator = db.session.scalar(db.select(ManualIndicator))
    url = f"/manage/plans/{plan.id}/indicators/{indicator.id}"
    evidence_dir = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    fake = browser.post(f"{url}/entries", {"entry_on": "05/09/2026", "value": "1",
                                           "evidence_file": (io.BytesIO(b"<html>%PDF-</html>"), "qd.pdf")})
    assert fake.status_code == 422 and "PDF, JPEG hoặc PNG" in fake.get_data(as_text=True)
    nothing = browser.post(f"{url}/entries", {"entry_on": "05/09/2026", "value": "1"})
    assert nothing.status_code == 422 and "tải tệp minh chứng lên" in nothing.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(IndicatorEntry.id))) == 0
    assert not evidence_dir.exists() or not any(evidence_dir.iterdir())
    assert browser.post(f"{url}/entries", {"entry_on": "05/09/2026", "value": "1",
                                           "evidence_file": (io.BytesIO(PDF), "quyet-dinh.pdf")}).status_code == 302
    entry = db.session.scalar(db.select(IndicatorEntry))
    assert entry.evidence_url is None and entry.evidence_media_type == "application/pdf"
    download = browser.get(f"{url}/entries/{entry.id}/evidence")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    browser.logout()
    assert browser.get(f"{url}/entries/{entry.id}/evidence").status_code in (302, 401)  # sign in first
    factory.user("khac@example.vn", organisation=factory.organisation("Sở khác"), role=Role.ADMIN)
    browser.login("khac@example.vn")
    assert browser.get(f"{url}/entries/{entry.id}/evidence").status_code == 404
    browser.logout()
    browser.login("canbo@example.vn")
    assert browser.post(f"{url}/entries/{entry.id}/delete").status_code == 302
    assert not any(evidence_dir.iterdir())  # the file goes with its entry
