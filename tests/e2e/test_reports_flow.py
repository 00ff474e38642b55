"""The officer who leads the provincial plan opens the annual report, sees its charts and downloads the XLSX."""
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from eventhub.accounts.models import Role
from eventhub.reports import periods
from tests.reports import dataset
from tests.support.factories import PASSWORD

OFFICER = "canbo-kehoach@example.vn"


@pytest.mark.e2e
def test_the_officer_downloads_the_annual_report(factory, page, tmp_path):
    data = dataset.build()
    factory.user(OFFICER, organisation=data["province"], role=Role.ORGANISER)
    report = periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 12, 31))
    participants = next(row for row in report.indicators if row.code == "participants")

    page.goto("/login")
    page.get_by_label("E-mail").fill(OFFICER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/manage/reports")
    page.get_by_label("Cả năm").check()
    page.get_by_label("Năm", exact=True).fill("2026")
    page.get_by_role("button", name="Xem báo cáo").click()

    charts = page.locator("#report svg.chart[role=img]")
    expect(charts).to_have_count(3)
    expect(charts.first).to_be_visible()
    expect(page.locator("#report svg.chart title").first).to_have_text("Kết quả so với chỉ tiêu kế hoạch")
    expect(page.locator("#report svg.chart rect").first).to_be_visible()
    expect(page.locator('tr[data-row="participants"] td').nth(2)).to_have_text(str(participants.achieved))

    with page.expect_download() as download_info:
        page.locator("#exports").get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename == "bao-cao-20260101-20261231.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path)["Chỉ tiêu"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == participants.label)
    assert row[4] == participants.achieved == 14
