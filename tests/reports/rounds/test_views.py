"""A reporting round through the pages: the parent opens it, the child fills and submits its form, the parent
returns it with a comment, then accepts it and sees, downloads and issues the consolidation."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports.issued.models import IssuedReport
from eventhub.reports.plan_tasks import services as plan_tasks
from eventhub.reports.rounds.models import ReportingRound, RoundSubmission, SubmissionStatus
from tests.reports import factories as reports

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def tree(factory):
    province = factory.organisation("Sở KH&CN tỉnh Đắk Lắk", short_name="SKHCN")
    district = factory.organisation("=UBND huyện Krông Pắc", parent_id=province.id)  # a name that looks like a formula
    factory.user("so@example.vn", organisation=province, role=Role.ADMIN)
    factory.user("huyen@example.vn", organisation=district, role=Role.ORGANISER)
    event = reports.held_event(district, date(2026, 4, 10), title="Ngày hội khởi nghiệp huyện")
    reports.people(event, "youth", 6, attended=4)
    plan = reports.make_plan(district)
    indicator = plan_tasks.save_manual_indicator(plan.id, None, plan_tasks.ManualIndicatorDetails(
        "Số CLB khởi nghiệp thành lập", "CLB"))
    return {"province": province, "district": district, "indicator": indicator, "event": event}


def _open(browser, tree):
    browser.login("so@example.vn")
    page = browser.get("/manage/reports/rounds/new")
    assert page.status_code == 200 and "Sở KH&amp;CN tỉnh Đắk Lắk" in page.get_data(as_text=True)
    bad = browser.post("/manage/reports/rounds/new", {"organisation_id": str(tree["province"].id),
                                                      "period": "first_half", "year": "2026", "deadline": ""})
    assert bad.status_code == 422 and "Trường này là bắt buộc." in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ReportingRound.id))) == 0
    response = browser.post("/manage/reports/rounds/new", {
        "organisation_id": str(tree["province"].id), "period": "first_half", "year": "2026",
        "deadline": "31/12/2099", "note": "Gửi trước hạn"})
    assert response.status_code == 302, response.get_data(as_text=True)
    browser.logout()
    return db.session.scalar(db.select(ReportingRound))


def test_the_whole_round_through_the_pages(tree, browser):
    reporting_round = _open(browser, tree)
    submission = reporting_round.submissions[0]
    base = f"/manage/reports/rounds/{reporting_round.id}"
    mine = f"{base}/submissions/{submission.id}"

    browser.login("huyen@example.vn")
    assert browser.get(base).status_code == 404  # the child does not see the parent's dashboard
    listed = browser.get("/manage/reports/rounds").get_data(as_text=True)
    assert mine in listed
    page = browser.get(mine).get_data(as_text=True)
    assert "Ngày hội khởi nghiệp huyện" in page and "Số CLB khởi nghiệp thành lập" in page
    value_url = f"{mine}/values/{tree['indicator'].id}"
    prefix = f"v{tree['indicator'].id}-"
    refused = browser.post(value_url, {f"{prefix}value": "2"})
    assert refused.status_code == 422 and "Vui lòng nhập đường dẫn minh chứng hoặc tải tệp minh chứng lên." in \
        refused.get_data(as_text=True)
    saved = browser.post(value_url, {f"{prefix}value": "2", f"{prefix}evidence_file": (io.BytesIO(PDF), "clb.pdf")},
                         content_type="multipart/form-data")
    assert saved.status_code == 302
    assert browser.post(mine, {"comment": "Đã thành lập 2 CLB"}).status_code == 302
    assert browser.post(f"{mine}/submit").status_code == 302
    db.session.expire_all()
    submission = db.session.get(RoundSubmission, submission.id)
    assert submission.status == SubmissionStatus.SUBMITTED and submission.figures["values"][0]["value"] == 2
    locked = browser.post(mine, {"comment": "đổi"})
    assert locked.status_code == 409
    evidence = browser.get(f"{mine}/values/{submission.values[0].id}/evidence")
    assert evidence.status_code == 200 and evidence.data == PDF
    browser.logout()

    browser.login("so@example.vn")
    dashboard = browser.get(base).get_data(as_text=True)
    row = dashboard[dashboard.index(f'data-submission="{submission.id}"'):]
    row = row[:row.index("</tr>")]
    assert "=UBND huyện Krông Pắc" in row and "Đã nộp" in row and "<td>Đúng hạn</td>" in row
    assert browser.get(f"{mine}/evidence").status_code == 404
    assert browser.get(f"{mine}/values/{submission.values[0].id}/evidence").status_code == 200
    no_comment = browser.post(f"{mine}/return", {"comment": "  "})
    assert no_comment.status_code == 422 and "Vui lòng nhập lý do trả lại báo cáo." in no_comment.get_data(
        as_text=True)
    assert browser.post(f"{mine}/return", {"comment": "Thiếu biên bản thành lập"}).status_code == 302
    browser.logout()

    browser.login("huyen@example.vn")
    returned = browser.get(mine).get_data(as_text=True)
    assert "Thiếu biên bản thành lập" in returned
    assert browser.post(value_url, {f"{prefix}value": "3", f"{prefix}evidence_url": "https://huyen.vn/clb"}
                        ).status_code == 302
    assert browser.post(f"{mine}/submit").status_code == 302
    log = browser.get(mine).get_data(as_text=True)
    assert "Nhật ký thay đổi sau khi gửi" in log and "Số CLB khởi nghiệp thành lập: giá trị" in log
    browser.logout()

    browser.login("so@example.vn")
    assert browser.post(f"{mine}/accept").status_code == 302
    consolidated = browser.get(f"{base}/consolidated")
    text = consolidated.get_data(as_text=True)
    assert consolidated.status_code == 200 and "Báo cáo tổng hợp" in text and "=UBND huyện Krông Pắc" in text
    sheet = load_workbook(io.BytesIO(browser.get(f"{base}/consolidated.xlsx").data)).active
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Chỉ tiêu")
    assert "=UBND huyện Krông Pắc" in header
    header_cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=UBND huyện Krông Pắc")
    assert header_cell.data_type == "s"  # text, never a formula
    clubs = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Số CLB khởi nghiệp thành lập")
    assert clubs[3:6] == ("—", 3, 3)
    bad_issue = browser.post(f"{base}/issue", {"number": "x", "signer_name": "A", "signer_title": "B"})
    assert bad_issue.status_code == 422 and db.session.scalar(db.select(db.func.count(IssuedReport.id))) == 0
    issued = browser.post(f"{base}/issue", {"number": "12/BC-SKHCN", "signer_name": "Nguyễn Văn An",
                                            "signer_title": "Giám đốc"})
    assert issued.status_code == 302
    report = db.session.scalar(db.select(IssuedReport))
    assert report.number == "12/BC-SKHCN" and report.pdf.startswith(b"%PDF")
    assert browser.get(f"/manage/reports/issued/{report.id}").status_code == 200
