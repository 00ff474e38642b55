"""The "Báo cáo" page: quick picks, custom range, organisation picker, scoping and the snapshot pages."""
from datetime import datetime, timedelta, timezone

import pytest

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.reports import snapshots
from eventhub.reports.models import ReportSnapshot
from tests.reports import dataset


@pytest.fixture
def data(factory, browser):
    built = dataset.build()
    factory.user("vanphong@example.vn", organisation=built["province"], role=Role.ORGANISER)
    factory.user("huyen@example.vn", organisation=built["district"], role=Role.ADMIN)
    browser.login("vanphong@example.vn")
    return built


def test_the_page_offers_the_users_organisations_and_below(data, browser):
    page = browser.get("/manage/reports").get_data(as_text=True)
    assert "6 tháng đầu năm" in page and "6 tháng cuối năm" in page and "Cả năm" in page
    assert "UBND huyện Krông Pắc" in page and "Hội Doanh nhân trẻ" not in page
    assert 'id="report"' not in page


def test_first_half_report_with_targets_previous_period_and_exports(data, browser):
    province = data["province"].id
    response = browser.get(f"/manage/reports?organisation_ids={province}&period=first_half&year=2026")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "01/01/2026 – 30/06/2026" in page and "01/01/2025 – 30/06/2025" in page
    trainees = page.split('data-row="trainees"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">10</td><td class="num">2</td>' in trainees  # 2 completers, not 4 registrations
    assert "20,0%" in trainees
    assert "Cuộc thi ý tưởng khởi nghiệp" in page and "Hội chợ OCOP" not in page
    assert "<svg" in page
    query = f"organisation_ids={province}&amp;period=first_half&amp;year=2026"
    for fmt in ("xlsx", "pdf", "csv"):
        assert f"/manage/reports/download?fmt={fmt}&amp;{query}" in page


def test_custom_range_in_dd_mm_yyyy(data, browser):
    response = browser.get(f"/manage/reports?organisation_ids={data['province'].id}&period=custom"
                           "&starts_on=01/03/2026&ends_on=31/03/2026")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "01/03/2026 – 31/03/2026" in page
    assert "Diễn đàn khởi nghiệp xanh" in page and "Tập huấn lập kế hoạch" not in page


def test_bad_ranges_get_a_vietnamese_message_not_an_error_page(data, browser):
    province = data["province"].id
    reversed_range = browser.get(f"/manage/reports?organisation_ids={province}&period=custom"
                                 "&starts_on=30/06/2026&ends_on=01/01/2026")
    assert reversed_range.status_code == 422
    assert "Ngày kết thúc kỳ báo cáo phải sau hoặc bằng ngày bắt đầu." in reversed_range.get_data(as_text=True)
    missing = browser.get(f"/manage/reports?organisation_ids={province}&period=custom&starts_on=01/01/2026")
    assert missing.status_code == 422 and "Vui lòng nhập ngày kết thúc" in missing.get_data(as_text=True)
    garbage = browser.get(f"/manage/reports?organisation_ids={province}&period=custom&starts_on=32/13/2026"
                          "&ends_on=x")
    assert garbage.status_code == 422
    bad_year = browser.get(f"/manage/reports?organisation_ids={province}&period=year&year=99999")
    assert bad_year.status_code == 422


def test_another_organisation_is_not_found(data, browser):
    association = data["association"].id
    assert browser.get(f"/manage/reports?organisation_ids={association}&period=year&year=2026").status_code == 404
    assert browser.get(f"/manage/reports?organisation_ids={data['province'].id}&organisation_ids={association}"
                       "&period=year&year=2026").status_code == 404
    assert browser.get(f"/manage/reports/download?fmt=csv&organisation_ids={association}&period=year"
                       "&year=2026").status_code == 404


def test_a_district_cannot_report_on_its_province(data, browser):
    browser.logout()
    browser.login("huyen@example.vn")
    assert browser.get(f"/manage/reports?organisation_ids={data['province'].id}&period=year&year=2026"
                       ).status_code == 404
    page = browser.get(f"/manage/reports?organisation_ids={data['district'].id}&period=year&year=2026")
    assert page.status_code == 200 and "Tập huấn lập kế hoạch kinh doanh" in page.get_data(as_text=True)


def test_snapshot_pages_and_the_difference_note(data, browser):
    snapshots.take_due_snapshots(datetime(2026, 7, 1, 1, 0, tzinfo=timezone(timedelta(hours=7))))
    listing = browser.get("/manage/reports/snapshots").get_data(as_text=True)
    assert "01/01/2026 – 30/06/2026" in listing and "Hội Doanh nhân trẻ" not in listing
    province_snapshot = db.session.scalar(db.select(ReportSnapshot.id).where(
        ReportSnapshot.organisation_id == data["province"].id, ReportSnapshot.ends_on == datetime(2026, 6, 30).date()))
    page = browser.get(f"/manage/reports/snapshots/{province_snapshot}")
    assert page.status_code == 200 and "Diễn đàn khởi nghiệp xanh" in page.get_data(as_text=True)
    live = browser.get(f"/manage/reports?organisation_ids={data['province'].id}&period=first_half&year=2026")
    assert "Khớp với bản lưu ngày 01/07/2026 01:00." in live.get_data(as_text=True)
    association_snapshot = db.session.scalar(db.select(ReportSnapshot.id).where(
        ReportSnapshot.organisation_id == data["association"].id))
    assert browser.get(f"/manage/reports/snapshots/{association_snapshot}").status_code == 404
