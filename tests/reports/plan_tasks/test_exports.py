"""Tasks and manual indicators in the report files, read back; the text people typed is never a formula."""
import csv
import io
import re
import zipfile
from datetime import date

import pytest
from flask import render_template
from openpyxl import load_workbook

from eventhub.reports import exports
from eventhub.reports.figures import period_figures
from eventhub.reports.plan_tasks.services import ManualIndicatorRow, TaskRow
from tests.reports.test_exports import HEADER, pdf_text, sample_report

TASKS = (TaskRow("=HYPERLINK(\"http://x\",\"Xem\")", "Sở KH&CN", "+UBND huyện Krông Pắc", "Tỉnh Đoàn, @Trường ĐH",
                 date(2026, 6, 30), "Quý II năm 2026", "in_progress", "Đang thực hiện", True,
                 ("Ngày hội khởi nghiệp",), "-ghi chú"),
         TaskRow("Hỗ trợ CLB khởi nghiệp", "Sở KH&CN", "Sở KH&CN", "", date(2026, 12, 31), "Quý IV năm 2026",
                 "not_started", "Chưa thực hiện", False, (), ""))
MANUAL = (ManualIndicatorRow("Số tin bài tuyên truyền", "tin bài", "Sở KH&CN", 40, 12, 30.0),
          ManualIndicatorRow("-Số CLB khởi nghiệp", "CLB", "Sở KH&CN", None, 3, None))


def test_xlsx_has_the_manual_indicators_and_the_tasks_as_text_never_formulas(app):
    data = exports.to_xlsx(sample_report(tasks=TASKS, manual_indicators=MANUAL), HEADER)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    workbook = load_workbook(io.BytesIO(data))
    manual, tasks = workbook["Chỉ tiêu nhập tay"], workbook["Nhiệm vụ"]
    assert [c.value for c in manual[2]] == [1, "Số tin bài tuyên truyền", "tin bài", "Sở KH&CN", 40, 12, 0.3]
    assert [c.value for c in manual[3]][1:7] == ["-Số CLB khởi nghiệp", "CLB", "Sở KH&CN", None, 3, None]
    assert manual["F2"].data_type == "n" and manual["B3"].quotePrefix
    assert [c.value for c in tasks[2]] == [1, '=HYPERLINK("http://x","Xem")', "+UBND huyện Krông Pắc",
                                           "Tỉnh Đoàn, @Trường ĐH", "Quý II năm 2026", "Đang thực hiện", "Quá hạn",
                                           "Ngày hội khởi nghiệp", "-ghi chú"]
    assert tasks["B2"].data_type == "s" and tasks["B2"].quotePrefix and tasks["G3"].value is None


def test_csv_has_both_sections_with_neutralised_text(app):
    text = exports.to_csv(sample_report(tasks=TASKS, manual_indicators=MANUAL), HEADER).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    manual = rows.index(["Chỉ tiêu nhập tay (tổng số liệu ghi nhận trong kỳ)"])
    assert rows[manual + 2] == ["1", "Số tin bài tuyên truyền", "tin bài", "Sở KH&CN", "40", "12", "30.0"]
    assert rows[manual + 3] == ["2", "'-Số CLB khởi nghiệp", "CLB", "Sở KH&CN", "", "3", ""]
    tasks = rows.index(["Nhiệm vụ theo kế hoạch"])
    assert rows[tasks + 2] == ["1", "'=HYPERLINK(\"http://x\",\"Xem\")", "'+UBND huyện Krông Pắc",
                               "Tỉnh Đoàn, @Trường ĐH", "Quý II năm 2026", "Đang thực hiện", "Quá hạn",
                               "Ngày hội khởi nghiệp", "'-ghi chú"]
    assert rows[tasks + 3][6] == ""


def test_pdf_lists_manual_indicators_and_tasks_with_overdue_marked(app):
    text = pdf_text(exports.to_pdf(sample_report(tasks=TASKS, manual_indicators=MANUAL), HEADER))
    _, rest = text.split("CHỈ TIÊU NHẬP TAY")
    manual, tasks = rest.split("NHIỆM VỤ THEO KẾ HOẠCH")
    for expected in ("Số tin bài tuyên truyền", "40", "12", "30,0%", "Số CLB khởi nghiệp"):
        assert expected in manual, expected
    for expected in ("Hỗ trợ CLB khởi nghiệp", "Quý II năm 2026", "Đang thực hiện", "Quá hạn", "Quý IV năm 2026"):
        assert expected in tasks, expected
    assert "NHIỆM VỤ THEO KẾ HOẠCH" not in pdf_text(exports.to_pdf(sample_report(), HEADER))


@pytest.mark.parametrize("changes", [
    {"tasks": TASKS, "manual_indicators": MANUAL},
    {"tasks": TASKS, "manual_indicators": MANUAL, "in_progress_events": (), "planned_events": ()},
    {"tasks": TASKS},
    {},
], ids=["everything", "nothing-pending", "tasks-only", "events-only"])
def test_the_page_and_the_pdf_number_their_sections_alike(app, changes):
    """I, II, III… in the same order on the page and in the PDF, whichever sections the report has."""
    report = sample_report(**changes)
    expected = list(exports.report_sections(report).values())
    numerals = ["I", "II", "III", "IV", "V", "VI"][:len(expected)]
    assert [heading.split(".")[0] for heading in expected] == numerals
    with app.test_request_context():
        page = render_template("reports/report_tables.html", report=report, figures=period_figures(report))
    assert re.findall(r"<h2[^>]*>([^<]+)</h2>", page) == expected
    text = pdf_text(exports.to_pdf(report, HEADER))
    positions = [text.index(heading) for heading in expected]
    assert positions == sorted(positions)
    assert ("CHỈ TIÊU NHẬP TAY" in text) == bool(report.manual_indicators)
    assert ("SỰ KIỆN TRONG KỲ CHƯA KẾT THÚC" in text) == bool(report.in_progress_events or report.planned_events)
