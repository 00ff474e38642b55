"""Downloading the period report: the same parameters as the report page, header fields with the organisation's
defaults, the numbers of the report in every file, and nothing for another organisation."""
import csv
import io
from datetime import date
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from eventhub.accounts.models import Role
from eventhub.reports import exports, periods
from eventhub.timeutil import to_local
from tests.reports import dataset

OFFICER = "canbo-baocao@example.vn"


@pytest.fixture
def data(factory):
    built = dataset.build()
    factory.user(OFFICER, organisation=built["province"], role=Role.ORGANISER)
    return built


def url(data, path="download", **extra):
    query = {"organisation_ids": data["province"].id, "period": "first_half", "year": 2026, **extra}
    return f"/manage/reports/{path}?{urlencode(query)}"


def expected(data):
    return periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 6, 30))


def test_xlsx_download_holds_the_report_numbers(data, browser):
    browser.login(OFFICER)
    response = browser.get(url(data, fmt="xlsx"))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="bao-cao-20260101-20260630.xlsx"'
    assert response.headers["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(response.data))
    report = expected(data)
    indicators = list(workbook["Chỉ tiêu"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[4], row[6]) for row in indicators] == [
        (row.label, row.target, row.achieved, row.previous) for row in report.indicators]
    supported = next(row for row in indicators if row[1] == "Số dự án khởi nghiệp được hỗ trợ")
    assert (supported[3], supported[4], supported[5]) == (5, 1, 0.2)
    events = list(workbook["Sự kiện"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in events[:-1]] == ["Diễn đàn khởi nghiệp xanh", "Tập huấn lập kế hoạch kinh doanh",
                                               "Cuộc thi ý tưởng khởi nghiệp"]
    assert events[-1][8:] == (14, 6)
    assert [row[6] for row in events[:-1]] == [to_local(e.ends_at).replace(tzinfo=None)
                                                 for e in report.events]
    assert workbook["Tổng hợp"]["B1"].value == "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"


def test_pdf_download_has_the_organisation_header_by_default(data, browser):
    browser.login(OFFICER)
    response = browser.get(url(data, fmt="pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "UBND TỈNH ĐẮK LẮK SỞ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA" in text and "Số: …/BC-SKHCN" in text
    assert "- UBND tỉnh Đắk Lắk (để báo cáo); - Lưu: VT." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Đắk Lắk, ngày" in text and "6 tháng đầu năm 2026" in text
    assert "Diễn đàn khởi nghiệp xanh" in text and "Cuộc thi ý tưởng khởi nghiệp" in text


def test_header_fields_replace_the_defaults(data, browser):
    browser.login(OFFICER)
    response = browser.get(url(data, fmt="pdf", agency="Ban Chỉ đạo Đề án 844 tỉnh", number="57/BC-BCĐ",
                               place="Buôn Ma Thuột", issued_on="02/07/2026"))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "BAN CHỈ ĐẠO ĐỀ ÁN 844 TỈNH" in text and "Số: 57/BC-BCĐ" in text
    assert "Buôn Ma Thuột, ngày 02 tháng 7 năm 2026" in text


def test_csv_download_is_utf8_with_bom(data, browser):
    browser.login(OFFICER)
    response = browser.get(url(data, fmt="csv"))
    assert response.mimetype == "text/csv" and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    events = rows.index(["Danh sách sự kiện đã tổ chức"])
    held = rows[events + 2:rows.index([], events)]
    assert [row[1] for row in held] == ["Diễn đàn khởi nghiệp xanh", "Tập huấn lập kế hoạch kinh doanh",
                                        "Cuộc thi ý tưởng khởi nghiệp"]
    assert sum(int(row[8]) for row in held) == 14
    pending = rows[rows.index([str(exports.PENDING_TITLE)]) + 2:rows.index([str(exports.MANUAL_TITLE)])]
    assert pending == [[]]  # the first half is over: nothing pending, then the empty line before the next section


def test_the_export_page_offers_the_defaults(data, browser):
    browser.login(OFFICER)
    page = browser.get(url(data, "export")).get_data(as_text=True)
    assert 'value="Sở Khoa học và Công nghệ tỉnh Đắk Lắk"' in page and 'value="…/BC-SKHCN"' in page
    assert f'name="organisation_ids" value="{data["province"].id}"' in page
    assert page.count('name="fmt"') == 3


def test_bad_input_gets_a_vietnamese_answer(data, browser):
    browser.login(OFFICER)
    unknown = browser.get(url(data, fmt="docx"))
    assert unknown.status_code == 400 and "Không có định dạng tải về “docx”" in unknown.get_data(as_text=True)
    too_long = browser.get(url(data, fmt="pdf", number="9" * 61))
    assert too_long.status_code == 422 and "Không được dài quá 60 ký tự." in too_long.get_data(as_text=True)
    bad_date = browser.get(url(data, fmt="pdf", issued_on="31/02/2026"))
    assert bad_date.status_code == 422
    no_period = browser.get(f"/manage/reports/download?fmt=xlsx&organisation_ids={data['province'].id}")
    assert no_period.status_code == 302 and "/manage/reports?" in no_period.headers["Location"]
    custom = browser.get(url(data, fmt="xlsx", period="custom", starts_on="01/07/2026", ends_on="01/01/2026"))
    assert custom.status_code == 302  # the report page explains the reversed dates


def test_another_organisation_and_anonymous_people_get_nothing(data, factory, browser, client):
    assert client.get(url(data, fmt="xlsx")).status_code == 302
    other = factory.organisation("Sở KH&CN tỉnh Gia Lai", province="Gia Lai")
    factory.user("giaolai@example.vn", organisation=other, role=Role.ADMIN)
    browser.login("giaolai@example.vn")
    for path in ("download", "export"):
        assert browser.get(url(data, path, fmt="xlsx")).status_code == 404
    # asking for one's own organisation together with another one is refused as a whole
    mixed = f"/manage/reports/download?fmt=csv&period=year&year=2026&organisation_ids={other.id}" \
            f"&organisation_ids={data['province'].id}"
    assert browser.get(mixed).status_code == 404
