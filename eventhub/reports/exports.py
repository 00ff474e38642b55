"""A period report as files: XLSX to edit (formatted sheets), PDF to sign (the official Vietnamese document
header, the charts, the tables and a signature block) and CSV (UTF-8 with a BOM, so Excel reads the
diacritics). Every file is built from the same `PeriodReport`; nothing here queries the database."""
import csv
import io
import logging
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import Organisation
from ..i18n import format_date, format_datetime
from ..timeutil import to_local
from . import figures
from .charts import format_number, format_percent, percent
from .periods import QUICK_PERIODS, PeriodReport, quick_period

FORMATS = ("xlsx", "pdf", "csv")
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
LOCALITY_WORDS = {"tỉnh", "thành", "huyện", "quận", "thị", "xã", "phường"}
# The charts' <title> and <desc> serve screen readers; fpdf2 says it skips them on every chart.
logging.getLogger("fpdf.svg").addFilter(
    lambda record: "<title>" not in record.getMessage() and "<desc>" not in record.getMessage())


@dataclass(frozen=True)
class DocumentHeader:
    """What the top of an official report says (Decree 30/2020/NĐ-CP on administrative documents)."""

    agency: str  # the issuing agency, e.g. "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"
    number: str  # "…/BC-SKHCN": the number is written in when the report is signed
    place: str  # "Đắk Lắk"
    issued_on: date
    governing_body: str | None = None  # the agency above the issuer, printed over its name
    signer_title: str | None = None  # an issued report's signature block: "GIÁM ĐỐC", then the name
    signer_name: str | None = None

    @property
    def date_line(self) -> str:
        """"Đắk Lắk, ngày 05 tháng 7 năm 2026": days below 10 and months 1 and 2 take a leading zero."""
        day, month = self.issued_on.day, self.issued_on.month
        month_text = f"{month:02d}" if month < 3 else str(month)
        return str(_l("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s", place=self.place, day=f"{day:02d}",
                      month=month_text, year=self.issued_on.year))


def abbreviation(name: str) -> str:
    """The agency's initials as document numbers use them: "Sở Khoa học và Công nghệ tỉnh Đắk Lắk" → SKHCN.
    Words in capitals (UBND) stay whole; "và" and the locality after the agency's name are left out."""
    letters = []
    for word in name.replace("&", " ").split():
        if letters and word.lower() in LOCALITY_WORDS:
            break
        if word.lower() == "và":
            continue
        letters.append(word if word.isupper() and len(word) > 1 else word[0].upper())
    return unicodedata.normalize("NFC", "".join(letters))


def default_header(organisation: Organisation, today: date) -> DocumentHeader:
    return DocumentHeader(agency=organisation.name, number=f"…/BC-{abbreviation(organisation.name)}",
                          place=organisation.province, issued_on=today,
                          governing_body=organisation.parent.name if organisation.parent else None)


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
            _l("Tỉnh, thành"), _l("Lượt đăng ký"), _l("Lượt có mặt")]


# XLSX ----------------------------------------------------------------------------------------------

def to_xlsx(report: PeriodReport, header: DocumentHeader) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E4ECE7")
    workbook = Workbook()

    def table(sheet, columns, rows, *, widths, formats, start_row=1, total=None):
        """A header row in bold on a tint, then the rows; numbers and percentages get Excel formats."""
        for column, title in enumerate(columns, 1):
            cell = sheet.cell(start_row, column, str(title))
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for offset, values in enumerate([*rows, *([total] if total else [])], 1):
            for column, value in enumerate(values, 1):
                cell = sheet.cell(start_row + offset, column, value)
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
        summary.cell(row, 1, str(label)).font = bold
        summary.cell(row, 2, value)
    by_type = [(row.label, row.value, row.previous) for row in report.events_by_type]
    table(summary, _type_columns(), by_type, widths=(34, 14, 20), formats={2: count, 3: count},
          start_row=len(facts) + 2, total=(str(_l("Tổng số sự kiện")), sum(r[1] for r in by_type),
                                           sum(r[2] for r in by_type)))
    summary.column_dimensions["B"].width = 60  # the facts above the table are long

    table(workbook.create_sheet(str(_l("Chỉ tiêu"))), _indicator_columns(),
          [(n, row.label, row.unit, row.target, row.achieved, None if row.percent is None else row.percent / 100,
            row.previous) for n, row in enumerate(report.indicators, 1)],
          widths=(6, 50, 14, 12, 12, 12, 18), formats={4: count, 5: count, 6: share, 7: count})

    events = [(n, row.title, row.event_type, row.level, row.organisation, _local(row.starts_at), row.province,
               row.registrations, row.attendees) for n, row in enumerate(report.events, 1)]
    table(workbook.create_sheet(str(_l("Sự kiện"))), _event_columns(), events,
          widths=(6, 48, 26, 16, 34, 17, 18, 14, 14), formats={6: when, 8: count, 9: count},
          total=(None, str(_l("Tổng cộng")), None, None, None, None, None, sum(r[7] for r in events),
                 sum(r[8] for r in events)))

    groups = [(row.label, row.registrations, row.attendees, row.unique_people,
               None if not row.registrations else row.attendees / row.registrations)
              for row in report.participants_by_group]
    table(workbook.create_sheet(str(_l("Đối tượng"))), _group_columns(), groups, widths=(32, 14, 14, 18, 14),
          formats={2: count, 3: count, 4: count, 5: share},
          total=(str(_l("Tổng cộng")), sum(r[1] for r in groups), sum(r[2] for r in groups), None, None))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# CSV -----------------------------------------------------------------------------------------------

def to_csv(report: PeriodReport, header: DocumentHeader) -> bytes:
    """Sections one after another, each a title line, a header row and its rows, separated by an empty line.
    Counts are plain integers and percentages have one decimal, so a spreadsheet reads them as numbers."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")

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
    section(_l("Danh sách sự kiện"), _event_columns(),
            [(n, row.title, row.event_type, row.level, row.organisation, format_datetime(row.starts_at),
              row.province, row.registrations, row.attendees) for n, row in enumerate(report.events, 1)])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


# PDF -----------------------------------------------------------------------------------------------

def to_pdf(report: PeriodReport, header: DocumentHeader) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    fonts = current_app.static_folder + "/vendor/dejavu"
    pdf.add_font("DejaVu", "", f"{fonts}/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", f"{fonts}/DejaVuSans-Bold.ttf")
    pdf.set_margins(25, 15, 15)  # the binding edge on the left, as official documents have
    pdf.set_auto_page_break(True, 18)
    pdf.set_title(report_title(report))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    _official_header(pdf, header, width)

    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(width, 7, str(_l("BÁO CÁO")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(width, 6, report_title(report), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 10)
    for line in (_l("Đơn vị: %(names)s", names=", ".join(report.organisations)),
                 _l("Kỳ báo cáo: %(range)s; so sánh với cùng kỳ năm trước: %(previous)s.",
                    range=_period_range(report.starts_on, report.ends_on),
                    previous=_period_range(report.previous_starts_on, report.previous_ends_on)),
                 _l("Số liệu tổng hợp lúc %(time)s.", time=format_datetime(report.generated_at)),
                 *([report.snapshot_note] if report.snapshot_note else [])):
        pdf.multi_cell(width, 5, str(line), align="L", new_x="LMARGIN", new_y="NEXT")
    charts = figures.period_figures(report)
    heading = FontFace(emphasis="BOLD", fill_color=(228, 236, 231))

    def section(title):
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(width, 6, str(title), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)

    def table(columns, rows, col_widths, align):
        with pdf.table(col_widths=col_widths, text_align=align, headings_style=heading, line_height=5,
                       width=width, align="LEFT") as grid:
            grid.row([str(c) for c in columns])
            for values in rows:
                grid.row([str(v) for v in values])

    def chart(key):
        pdf.ln(2)
        pdf.image(io.BytesIO(str(charts[key].svg).encode()), x=pdf.l_margin, w=width)

    section(_l("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"))
    table(_indicator_columns(),
          [(n, row.label, row.unit, format_number(row.target), format_number(row.achieved),
            format_percent(row.percent), format_number(row.previous)) for n, row in enumerate(report.indicators, 1)],
          (10, 62, 22, 19, 19, 17, 21), ("CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))
    chart("indicators")
    section(_l("II. SỰ KIỆN ĐÃ TỔ CHỨC THEO LOẠI"))
    table(_type_columns(), [(row.label, format_number(row.value), format_number(row.previous))
                            for row in report.events_by_type], (90, 40, 40), ("LEFT", "RIGHT", "RIGHT"))
    chart("events_by_type")
    section(_l("III. NGƯỜI THAM GIA THEO NHÓM ĐỐI TƯỢNG"))
    table(_group_columns(), [(row.label, format_number(row.registrations), format_number(row.attendees),
                              format_number(row.unique_people),
                              format_percent(percent(row.attendees, row.registrations)))
                             for row in report.participants_by_group],
          (58, 26, 26, 34, 26), ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))
    chart("participants_by_group")
    section(_l("IV. DANH SÁCH SỰ KIỆN ĐƯỢC TÍNH"))
    if report.events:
        table([c for i, c in enumerate(_event_columns()) if i not in (3, 6)],
              [(n, row.title, row.event_type, row.organisation, format_date(row.starts_at),
                format_number(row.registrations), format_number(row.attendees))
               for n, row in enumerate(report.events, 1)],
              (10, 46, 26, 33, 23, 16, 16), ("CENTER", "LEFT", "LEFT", "LEFT", "CENTER", "RIGHT", "RIGHT"))
    else:
        pdf.multi_cell(width, 5, str(_l("Không có sự kiện nào trong kỳ.")), align="L", new_x="LMARGIN",
                       new_y="NEXT")
    _signature_block(pdf, header, width)
    return bytes(pdf.output())


def _official_header(pdf, header: DocumentHeader, width: float) -> None:
    """Issuing agency and number on the left; the national name and motto, then place and date, on the right."""
    left, right = width * 0.42, width * 0.58
    top = pdf.get_y()
    pdf.set_font("DejaVu", "", 10)
    if header.governing_body:
        pdf.multi_cell(left, 5, header.governing_body.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(left, 5, header.agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    _rule(pdf, pdf.l_margin + left / 2, pdf.get_y() + 1, 18)
    pdf.set_y(pdf.get_y() + 3)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(left, 5, str(_l("Số: %(number)s", number=header.number)), align="C", new_x="LMARGIN",
                   new_y="NEXT")
    left_bottom = pdf.get_y()
    x = pdf.l_margin + left
    pdf.set_xy(x, top)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(right, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
    motto = "Độc lập - Tự do - Hạnh phúc"
    pdf.multi_cell(right, 5, motto, align="C", new_x="LEFT", new_y="NEXT")
    _rule(pdf, x + right / 2, pdf.get_y() + 0.5, pdf.get_string_width(motto) / 2)
    pdf.set_xy(x, pdf.get_y() + 4)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(right, 5, header.date_line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)


def _rule(pdf, centre: float, y: float, half: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(centre - half, y, centre + half, y)


def _signature_block(pdf, header: DocumentHeader, width: float) -> None:
    if pdf.get_y() + 45 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(8)
    top = pdf.get_y()
    half = width / 2
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(half, 5, str(_l("Nơi nhận:")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for line in (_l("- UBND tỉnh (để báo cáo);"), _l("- Các đơn vị phối hợp;"), _l("- Lưu: VT.")):
        pdf.cell(half, 4.5, str(line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(half, 5, (header.signer_title or str(_l("THỦ TRƯỞNG ĐƠN VỊ"))).upper(), align="C", new_x="LEFT",
                   new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(half, 5, str(_l("(Ký, ghi rõ họ tên và đóng dấu)")), align="C", new_x="LEFT", new_y="NEXT")
    if header.signer_name:
        pdf.set_xy(pdf.l_margin + half, pdf.get_y() + 18)  # room for the signature and the seal
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(half, 5, header.signer_name, align="C", new_x="LMARGIN", new_y="NEXT")


def render(report: PeriodReport, header: DocumentHeader, fmt: str) -> bytes:
    return {"xlsx": to_xlsx, "pdf": to_pdf, "csv": to_csv}[fmt](report, header)
