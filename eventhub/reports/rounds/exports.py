"""The consolidation of a round as XLSX: one column per reporting organisation, then the total."""
import io

from flask_babel import gettext as _

from ... import spreadsheets
from ...i18n import format_date
from .services import Consolidation


def consolidation_xlsx(result: Consolidation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    reporting_round = result.reporting_round
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tổng hợp")
    spreadsheets.put_row(sheet, 1, [_("Tổng hợp báo cáo của %(name)s", name=reporting_round.organisation.name)])
    spreadsheets.put_row(sheet, 2, [_("Kỳ báo cáo: %(start)s – %(end)s", start=format_date(reporting_round.starts_on),
                                      end=format_date(reporting_round.ends_on))])
    spreadsheets.put_row(sheet, 3, [_("Sự kiện do nhiều đơn vị cùng tổ chức chỉ tính một lần trong cột Tổng cộng; "
                                      "— : đơn vị không báo cáo chỉ tiêu này.")])
    sheet["A1"].font = Font(bold=True, size=13)
    header = [_("Chỉ tiêu"), _("Đơn vị tính"), _("Kế hoạch"), *result.columns, _("Tổng cộng"), _("Tỉ lệ")]
    row_number = 5
    for title, rows in ((_("Chỉ tiêu tính từ sự kiện"), result.indicators),
                        (_("Chỉ tiêu nhập tay"), result.manual_indicators)):
        spreadsheets.put_row(sheet, row_number, [title])
        sheet.cell(row_number, 1).font = Font(bold=True)
        spreadsheets.put_row(sheet, row_number + 1, header)
        for cell in sheet[row_number + 1]:
            cell.font = Font(bold=True)
        row_number += 2
        for row in rows:
            spreadsheets.put_row(sheet, row_number, [
                row.label, row.unit, row.target, *(value if value is not None else "—" for value in row.values),
                row.total, row.percent / 100 if row.percent is not None else None])
            sheet.cell(row_number, len(header)).number_format = "0.0%"
            row_number += 1
        row_number += 1
    spreadsheets.put_row(sheet, row_number, [_("Đơn vị chưa được chấp nhận (không tổng hợp)")])
    sheet.cell(row_number, 1).font = Font(bold=True)
    for submission in result.left_out:
        row_number += 1
        spreadsheets.put_row(sheet, row_number, [submission.organisation.name, str(submission.status.label)])
    sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
