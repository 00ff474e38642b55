"""A period report as files: XLSX to edit (formatted sheets), PDF to sign (the official Vietnamese document
header, the charts, the tables and a signature block) and CSV (UTF-8 with a BOM, so Excel reads the
diacritics). Every file is built from the same `PeriodReport`; nothing here queries the database."""
import io
import logging
from datetime import date

from flask_babel import lazy_gettext as _l

from .. import spreadsheets
from ..document import FONT, DocumentHeader, OfficialDocument
from ..i18n import format_date, format_datetime
from ..timeutil import to_local
from . import figures
from .charts import format_number, format_percent, percent
from .periods import QUICK_PERIODS, PeriodReport, quick_period

FORMATS = ("xlsx", "pdf", "csv")
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
# The charts' <title> and <desc> serve screen readers; fpdf2 says it skips them on every chart.
logging.getLogger("fpdf.svg").addFilter(
    lambda record: "<title>" not in record.getMessage() and "<desc>" not in record.getMessage())


def period_name(starts_on: date, ends_on: date) -> str:
    """"6 tháng đầu năm 2026", "năm 2026", or the dates of any other range."""
    year = ends_on.year
    names = {"first_half": _l("6 tháng đầu năm %(year)s", year=year),
             "second_half": _l("6 tháng cuối năm %(year)s", year=year), "year": _l("năm %(year)s", year=year)}
    for pick in QUICK_PERIODS:
        if quick_period(pick, year) == (starts_on, ends_on):
            return str(names[pick])
    return str(_l("từ ngày %(start)s đến ngày %(end)s", start=format_date(starts_on), end=format_date(ends_on)))


def report_title(report: PeriodReport) -> str:
    return str(_l("Kết quả tổ chức các hoạt động hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo %(period)s",
                  period=period_name(report.starts_on, report.ends_on)))


def filename(report: PeriodReport, fmt: str) -> str:
    return f"bao-cao-{report.starts_on:%Y%m%d}-{report.ends_on:%Y%m%d}.{fmt}"


def _period_range(starts_on: date, ends_on: date) -> str:
    return f"{format_date(starts_on)} – {format_date(ends_on)}"


def _local(value):
    """An aware UTC time as the local wall-clock time spreadsheets show (they know no time zones)."""
    return to_local(value).replace(tzinfo=None)


# Columns of each table, shared by the three formats ----------------------------------------------

def _indicator_columns():
    return [_l("STT"), _l("Chỉ tiêu"), _l("Đơn vị tính"), _l("Kế hoạch"), _l("Thực hiện"), _l("Tỉ lệ đạt"),
            _l("Cùng kỳ năm trước")]


def _type_columns():
    return [_l("Loại sự kiện"), _l("Kỳ này"), _l("Cùng kỳ năm trước")]


def _group_columns():
    return [_l("Nhóm đối tượng"), _l("Lượt đăng ký"), _l("Lượt có mặt"), _l("Số người (không trùng lặp)"),
            _l("Tỉ lệ có mặt")]


def _event_columns():
    return [_l("STT"), _l("Tên sự kiện"), _l("Loại"), _l("Cấp"), _l("Đơn vị tổ chức"), _l("Bắt đầu"),
            _l("Kết thúc"), _l("Tỉnh, thành"), _l("Lượt đăng ký"), _l("Lượt có mặt")]


def _pending_columns():
    return [_l("STT"), _l("Tên sự kiện"), _l("Tình trạng"), _l("Loại"), _l("Cấp"), _l("Đơn vị tổ chức"),
            _l("Bắt đầu"), _l("Kết thúc"), _l("Tỉnh, thành"), _l("Lượt đăng ký")]


def _pending_events(report: PeriodReport) -> list:
    """The period's events not held by the report's time, each with what it is: running, then still to come."""
    return [*((str(_l("Đang diễn ra")), row) for row in report.in_progress_events),
            *((str(_l("Chưa tổ chức")), row) for row in report.planned_events)]


def _manual_columns():
    return [_l("STT"), _l("Chỉ tiêu"), _l("Đơn vị tính"), _l("Đơn vị"), _l("Kế hoạch"), _l("Thực hiện"),
            _l("Tỉ lệ đạt")]


def _task_columns():
    return [_l("STT"), _l("Nhiệm vụ"), _l("Đơn vị chủ trì"), _l("Đơn vị phối hợp"), _l("Thời hạn"),
            _l("Tình trạng"), _l("Quá hạn"), _l("Sự kiện"), _l("Ghi chú")]


def _task_values(report: PeriodReport) -> list:
    overdue = str(_l("Quá hạn"))
    return [(n, row.title, row.lead, row.co_operating, row.due, row.status_label, overdue if row.overdue else "",
             "; ".join(row.events), row.note) for n, row in enumerate(report.tasks, 1)]


MANUAL_TITLE = _l("Chỉ tiêu nhập tay (tổng số liệu ghi nhận trong kỳ)")
TASKS_TITLE = _l("Nhiệm vụ theo kế hoạch")
PENDING_TITLE = _l("Sự kiện trong kỳ chưa kết thúc (không tính vào kết quả; số đăng ký chưa phải số người tham gia)")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def report_sections(report: PeriodReport) -> dict[str, str]:
    """The headings of the report's sections that it has, in order, numbered I, II, III…: the page and the PDF
    take them from here, so their numbers always agree."""
    present = [("indicators", _l("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")), ("held", _l("SỰ KIỆN ĐÃ TỔ CHỨC")),
               ("groups", _l("NGƯỜI THAM GIA THEO NHÓM ĐỐI TƯỢNG"))]
    if report.in_progress_events or report.planned_events:
        present.append(("pending", _l("SỰ KIỆN TRONG KỲ CHƯA KẾT THÚC")))
    if report.manual_indicators:
        present.append(("manual", _l("CHỈ TIÊU NHẬP TAY (TỔNG SỐ LIỆU GHI NHẬN TRONG KỲ)")))
    if report.tasks:
        present.append(("tasks", _l("NHIỆM VỤ THEO KẾ HOẠCH")))
    return {key: f"{ROMAN[n]}. {title}" for n, (key, title) in enumerate(present)}


# XLSX ----------------------------------------------------------------------------------------------

def to_xlsx(report: PeriodReport, header: DocumentHeader) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E4ECE7")
    workbook = Workbook()

    def table(sheet, columns, rows, *, widths, formats, start_row=1, total=None):
        """A header row in bold on a tint, then the rows; numbers and percentages get Excel formats."""
        for column, title in enumerate(columns, 1):
            cell = spreadsheets.put(sheet, start_row, column, str(title))
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for offset, values in enumerate([*rows, *([total] if total else [])], 1):
            for column, value in enumerate(values, 1):
                cell = spreadsheets.put(sheet, start_row + offset, column, value)
                cell.number_format = formats.get(column, "General")
                if total and offset == len(rows) + 1:
                    cell.font = bold
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[sheet.cell(1, column).column_letter].width = width
        sheet.freeze_panes = sheet.cell(start_row + 1, 1)

    count, share, when = "#,##0", "0.0%", "dd/mm/yyyy hh:mm"
    summary = workbook.active
    summary.title = str(_l("Tổng hợp"))
    facts = [(_l("Cơ quan ban hành"), header.agency), (_l("Số"), header.number),
             (_l("Báo cáo"), report_title(report)), (_l("Đơn vị"), ", ".join(report.organisations)),
             (_l("Kỳ báo cáo"), _period_range(report.starts_on, report.ends_on)),
             (_l("Cùng kỳ năm trước"), _period_range(report.previous_starts_on, report.previous_ends_on)),
             (_l("Số liệu lúc"), format_datetime(report.generated_at)), (_l("Ghi chú"), report.snapshot_note or ""),
             *([(_l("Ngày ban hành"), format_date(header.issued_on)), (_l("Người ký"), header.signer_name),
                (_l("Chức vụ"), header.signer_title)] if header.signer_name else [])]
    for row, (label, value) in enumerate(facts, 1):
        spreadsheets.put(summary, row, 1, str(label)).font = bold
        spreadsheets.put(summary, row, 2, value)
    by_type = [(row.label, row.value, row.previous) for row in report.events_by_type]
    table(summary, _type_columns(), by_type, widths=(34, 14, 20), formats={2: count, 3: count},
          start_row=len(facts) + 2, total=(str(_l("Tổng số sự kiện")), sum(r[1] for r in by_type),
                                           sum(r[2] for r in by_type)))
    summary.column_dimensions["B"].width = 60  # the facts above the table are long

    table(workbook.create_sheet(str(_l("Chỉ tiêu"))), _indicator_columns(),
          [(n, row.label, row.unit, row.target, row.achieved, None if row.percent is None else row.percent / 100,
            row.previous) for n, row in enumerate(report.indicators, 1)],
          widths=(6, 50, 14, 12, 12, 12, 18), formats={4: count, 5: count, 6: share, 7: count})

    events = [(n, row.title, row.event_type, row.level, row.organisation, _local(row.starts_at),
               row.ends_at and _local(row.ends_at), row.province, row.registrations, row.attendees)
              for n, row in enumerate(report.events, 1)]
    table(workbook.create_sheet(str(_l("Sự kiện"))), _event_columns(), events,
          widths=(6, 48, 26, 16, 34, 17, 17, 18, 14, 14), formats={6: when, 7: when, 9: count, 10: count},
          total=(None, str(_l("Tổng cộng")), None, None, None, None, None, None, sum(r[8] for r in events),
                 sum(r[9] for r in events)))

    groups = [(row.label, row.registrations, row.attendees, row.unique_people,
               None if not row.registrations else row.attendees / row.registrations)
              for row in report.participants_by_group]
    table(workbook.create_sheet(str(_l("Đối tượng"))), _group_columns(), groups, widths=(32, 14, 14, 18, 14),
          formats={2: count, 3: count, 4: count, 5: share},
          total=(str(_l("Tổng cộng")), sum(r[1] for r in groups), sum(r[2] for r in groups), None, None))

    table(workbook.create_sheet(str(_l("Chưa kết thúc"))), _pending_columns(),
          [(n, row.title, stage, row.event_type, row.level, row.organisation, _local(row.starts_at),
            _local(row.ends_at), row.province, row.registrations)
           for n, (stage, row) in enumerate(_pending_events(report), 1)],
          widths=(6, 48, 16, 26, 16, 34, 17, 17, 18, 14), formats={7: when, 8: when, 10: count})

    table(workbook.create_sheet(str(_l("Chỉ tiêu nhập tay"))), _manual_columns(),
          [(n, row.label, row.unit, row.organisation, row.target, row.achieved,
            None if row.percent is None else row.percent / 100) for n, row in enumerate(report.manual_indicators, 1)],
          widths=(6, 50, 14, 24, 12, 12, 12), formats={5: count, 6: count, 7: share})
    table(workbook.create_sheet(str(_l("Nhiệm vụ"))), _task_columns(), _task_values(report),
          widths=(6, 50, 28, 34, 18, 18, 10, 40, 30), formats={})
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# CSV -----------------------------------------------------------------------------------------------

def to_csv(report: PeriodReport, header: DocumentHeader) -> bytes:
    """Sections one after another, each a title line, a header row and its rows, separated by an empty line.
    Counts are plain integers and percentages have one decimal, so a spreadsheet reads them as numbers."""
    writer = spreadsheets.CsvWriter()

    def section(title, columns, rows):
        writer.writerows([[], [str(title)], [str(c) for c in columns], *rows])

    def share(value):
        return "" if value is None else f"{value:.1f}"

    writer.writerow([str(_l("Báo cáo")), report_title(report)])
    writer.writerow([str(_l("Cơ quan ban hành")), header.agency])
    writer.writerow([str(_l("Đơn vị")), ", ".join(report.organisations)])
    writer.writerow([str(_l("Kỳ báo cáo")), report.starts_on.isoformat(), report.ends_on.isoformat()])
    section(_l("Chỉ tiêu"), _indicator_columns(),
            [(n, row.label, row.unit, "" if row.target is None else row.target, row.achieved, share(row.percent),
              row.previous) for n, row in enumerate(report.indicators, 1)])
    section(_l("Sự kiện theo loại"), _type_columns(),
            [(row.label, row.value, row.previous) for row in report.events_by_type])
    section(_l("Người tham gia theo nhóm đối tượng"), _group_columns(),
            [(row.label, row.registrations, row.attendees, row.unique_people,
              share(percent(row.attendees, row.registrations))) for row in report.participants_by_group])
    section(_l("Danh sách sự kiện đã tổ chức"), _event_columns(),
            [(n, row.title, row.event_type, row.level, row.organisation, format_datetime(row.starts_at),
              format_datetime(row.ends_at) if row.ends_at else "", row.province, row.registrations, row.attendees)
             for n, row in enumerate(report.events, 1)])
    section(PENDING_TITLE, _pending_columns(),
            [(n, row.title, stage, row.event_type, row.level, row.organisation, format_datetime(row.starts_at),
              format_datetime(row.ends_at), row.province, row.registrations)
             for n, (stage, row) in enumerate(_pending_events(report), 1)])
    section(MANUAL_TITLE, _manual_columns(),
            [(n, row.label, row.unit, row.organisation, "" if row.target is None else row.target, row.achieved,
              share(row.percent)) for n, row in enumerate(report.manual_indicators, 1)])
    section(TASKS_TITLE, _task_columns(), _task_values(report))
    return writer.data()


# PDF -----------------------------------------------------------------------------------------------

def to_pdf(report: PeriodReport, header: DocumentHeader) -> bytes:
    from fpdf.fonts import FontFace

    pdf = OfficialDocument(header, report_title(report))
    pdf.add_page()
    width = pdf.text_width
    pdf.masthead(str(_l("BÁO CÁO")), report_title(report))
    for line in (_l("Đơn vị: %(names)s", names=", ".join(report.organisations)),
                 _l("Kỳ báo cáo: %(range)s; so sánh với cùng kỳ năm trước: %(previous)s.",
                    range=_period_range(report.starts_on, report.ends_on),
                    previous=_period_range(report.previous_starts_on, report.previous_ends_on)),
                 _l("Số liệu tổng hợp lúc %(time)s.", time=format_datetime(report.generated_at)),
                 *([report.snapshot_note] if report.snapshot_note else [])):
        pdf.multi_cell(width, 6.5, str(line), align="J", new_x="LMARGIN", new_y="NEXT")
    charts = figures.period_figures(report)
    heading = FontFace(emphasis="BOLD", fill_color=(228, 236, 231))

    def section(title):
        pdf.ln(4)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(width, 6.5, str(title), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font(FONT, "", 11)

    def table(columns, rows, col_widths, align):
        with pdf.table(col_widths=col_widths, text_align=align, headings_style=heading, line_height=5.5,
                       width=width, align="LEFT") as grid:
            grid.row([str(c) for c in columns])
            for values in rows:
                grid.row([str(v) for v in values])

    def chart(key):
        pdf.ln(2)
        pdf.image(io.BytesIO(str(charts[key].svg).encode()), x=pdf.l_margin, w=width)

    sections = report_sections(report)
    section(sections["indicators"])
    table(_indicator_columns(),
          [(n, row.label, row.unit, format_number(row.target), format_number(row.achieved),
            format_percent(row.percent), format_number(row.previous)) for n, row in enumerate(report.indicators, 1)],
          (10, 62, 22, 19, 19, 17, 21), ("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))
    chart("indicators")
    section(sections["held"])
    table(_type_columns(), [(row.label, format_number(row.value), format_number(row.previous))
                            for row in report.events_by_type], (90, 40, 40), ("LEFT", "RIGHT", "RIGHT"))
    chart("events_by_type")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(width, 6.5, str(_l("Danh sách sự kiện đã tổ chức (%(n)d)", n=len(report.events))), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    if report.events:
        table([c for i, c in enumerate(_event_columns()) if i not in (3, 6, 7)],
              [(n, row.title, row.event_type, row.organisation, format_date(row.starts_at),
                format_number(row.registrations), format_number(row.attendees))
               for n, row in enumerate(report.events, 1)],
              (10, 46, 26, 33, 23, 16, 16), ("CENTER", "LEFT", "LEFT", "LEFT", "CENTER", "RIGHT", "RIGHT"))
    else:
        pdf.multi_cell(width, 6.5, str(_l("Không có sự kiện nào đã tổ chức trong kỳ.")), align="L", new_x="LMARGIN",
                       new_y="NEXT")
    section(sections["groups"])
    table(_group_columns(), [(row.label, format_number(row.registrations), format_number(row.attendees),
                              format_number(row.unique_people),
                              format_percent(percent(row.attendees, row.registrations)))
                             for row in report.participants_by_group],
          (58, 26, 26, 34, 26), ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))
    chart("participants_by_group")
    pending = _pending_events(report)
    if pending:
        section(sections["pending"])
        pdf.multi_cell(width, 6.5, str(_l("Không tính vào kết quả thực hiện: số đăng ký chưa phải là số người tham "
                                        "gia.")), align="L", new_x="LMARGIN", new_y="NEXT")
        table([c for i, c in enumerate(_pending_columns()) if i in (0, 1, 2, 5, 6, 7, 9)],
              [(n, row.title, stage, row.organisation, format_date(row.starts_at), format_date(row.ends_at),
                format_number(row.registrations)) for n, (stage, row) in enumerate(pending, 1)],
              (10, 40, 22, 30, 23, 23, 22), ("CENTER", "LEFT", "LEFT", "LEFT", "CENTER", "CENTER", "RIGHT"))
    if report.manual_indicators:
        section(sections["manual"])
        table([c for i, c in enumerate(_manual_columns()) if i != 3],
              [(n, row.label, row.unit, format_number(row.target), format_number(row.achieved),
                format_percent(row.percent)) for n, row in enumerate(report.manual_indicators, 1)],
              (10, 78, 24, 20, 20, 18), ("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"))
    if report.tasks:
        section(sections["tasks"])
        table([c for i, c in enumerate(_task_columns()) if i in (0, 1, 2, 4, 5, 6)],
              [(n, title, lead, due, status, overdue) for n, title, lead, _co, due, status, overdue, _e, _note
               in _task_values(report)],
              (10, 62, 34, 26, 22, 16), ("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "CENTER"))
    pdf.closing()
    return bytes(pdf.output())


def render(report: PeriodReport, header: DocumentHeader, fmt: str) -> bytes:
    return {"xlsx": to_xlsx, "pdf": to_pdf, "csv": to_csv}[fmt](report, header)
