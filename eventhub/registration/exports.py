"""Spreadsheet files: uploaded CSV/XLSX read into rows (refused with a clear reason when unusable),
the attendee list written as CSV (UTF-8 with BOM, safe to open in Excel) or XLSX, and the import template."""
import csv
import io
import zipfile
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import selectinload

from .. import spreadsheets
from ..errors import DomainError
from ..events.models import Event
from ..extensions import db
from ..i18n import format_datetime
from ..sandbox import TooCostly, run_bounded
from . import services
from .models import Answer, Gender, Question, QuestionKind, Registration, RegistrationSource, RegistrationStatus
from .signals import attendee_columns

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 5000
MAX_SCANNED_ROWS = 4 * MAX_ROWS
# Reading a file runs in a child process bounded like this (eventhub.sandbox): never a web worker's whole timeout.
READ_SECONDS, READ_MEMORY_BYTES = 10, 768 * 1024 * 1024
MAX_COLUMNS = 100
ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx")
EXAMPLE_PHONE, EXAMPLE_EMAIL = "0900000000", "vi.du@example.com"  # the template's example row, never imported


def N_(message: str) -> str:
    """Mark a header for translation; it is translated where it is written out."""
    return message


FIELDS = (("full_name", N_("Họ và tên")), ("category", N_("Đối tượng")), ("phone", N_("Điện thoại")),
          ("email", N_("E-mail")), ("gender", N_("Giới tính")), ("birth_year", N_("Năm sinh")),
          ("organisation_name", N_("Đơn vị")), ("province", N_("Tỉnh/thành phố")), ("sub_unit", N_("Xã/phường")))
FIELD_LABELS = dict(FIELDS)


class ImportRefused(DomainError):
    """The file as a whole cannot be used (size, type, encoding, columns)."""

    def __init__(self, message, status: int = 422):
        super().__init__("import_refused", message, status=status)


CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADERS = (N_("Mã vé"), N_("Họ và tên"), N_("Đối tượng"), N_("Trạng thái"), N_("Điện thoại"), N_("E-mail"),
                  N_("Giới tính"), N_("Năm sinh"), N_("Đơn vị"), N_("Tỉnh/thành phố"), N_("Xã/phường"), N_("Nguồn"),
                  N_("Thời gian đăng ký"))
SOURCE_LABELS = {
    RegistrationSource.PUBLIC: _l("Tự đăng ký trực tuyến"),
    RegistrationSource.MANUAL: _l("Ban tổ chức thêm"),
    RegistrationSource.IMPORT: _l("Nhập từ tệp"),
    RegistrationSource.WALK_IN: _l("Đăng ký tại chỗ"),
}


# Reading the file -------------------------------------------------------------------------------

def read_table_bounded(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """`read_table` in a child process within READ_SECONDS and READ_MEMORY_BYTES: a hostile file is refused with a
    message, and the worker serving the upload waits at most that long."""
    try:
        return run_bounded(read_table, filename, data, seconds=READ_SECONDS, memory_bytes=READ_MEMORY_BYTES)
    except TooCostly:
        raise ImportRefused(_l("Không đọc được tệp trong %(seconds)d giây: tệp quá phức tạp hoặc bị hỏng. Hãy lưu "
                               "lại danh sách thành tệp CSV UTF-8 hoặc .xlsx mới.", seconds=READ_SECONDS)) from None


def read_table(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the first sheet as (row number, cell texts); the first one is the header."""
    name = (filename or "").lower()
    if len(data) > MAX_BYTES:
        raise ImportRefused(_l("Tệp lớn hơn %(mb)d MB. Hãy chia danh sách thành nhiều tệp nhỏ hơn.",
                               mb=MAX_BYTES // (1024 * 1024)), status=413)
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise ImportRefused(_l("Tệp Excel 97-2003 (.xls) không được hỗ trợ. Hãy lưu lại dạng .xlsx hoặc CSV UTF-8."))
    if "." in name and not name.endswith(ALLOWED_EXTENSIONS):
        raise ImportRefused(_l("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."), status=415)
    if not data.strip():
        raise ImportRefused(_l("Tệp không có dữ liệu."))
    rows = _read_xlsx(data) if data.startswith(b"PK\x03\x04") else _read_csv(data, name)
    if not rows:
        raise ImportRefused(_l("Tệp không có dữ liệu."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused(_l("Tệp có hơn %(n)d dòng. Hãy chia danh sách thành nhiều tệp.", n=MAX_ROWS))
    return rows


def _read_csv(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    if name.endswith(".xlsx"):
        raise ImportRefused(_l("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx."))
    try:
        text = data.decode("utf-8-sig")
        if "\x00" in text:
            raise ValueError("binary content")
    except ValueError as error:  # UnicodeDecodeError included
        raise ImportRefused(_l("Không đọc được tệp: tệp CSV phải lưu với mã UTF-8 (trong Excel chọn “CSV UTF-8”), "
                               "hoặc dùng tệp Excel .xlsx.")) from error
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return _collect(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportRefused(_l("Không đọc được tệp CSV: nội dung không đúng định dạng.")) from error


def _collect(records) -> list[tuple[int, list[str]]]:
    """Numbered non-empty rows, stopping as soon as there are too many."""
    rows = []
    for number, values in enumerate(records, start=1):
        if number > MAX_SCANNED_ROWS:  # a sheet of a million formatted empty rows is no list of people
            raise ImportRefused(_l("Tệp có quá nhiều dòng (kể cả dòng trống). Hãy chép danh sách sang tệp mới."))
        cells = [_cell_text(value) for value in values[:MAX_COLUMNS]]
        if any(cells):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    unreadable = _l("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ValueError("unpacks too large")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any malformed archive or XML: the file is unreadable, never a 500
        raise ImportRefused(unreadable) from error
    try:
        return _collect(workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(unreadable) from error
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


# The attendee list -----------------------------------------------------------------------------

def attendee_table(event_id: int, *, q: str | None = None, category_id: int | None = None,
                   status: RegistrationStatus | None = None) -> tuple[list[str], list[list]]:
    """Header and rows of the attendee list, with the attendee page's filters, then the columns other modules add
    (`signals.attendee_columns`: completion of a training)."""
    question_list = services.questions(event_id)
    query = services.attendee_query(event_id, q=q, category_id=category_id, status=status).options(
        selectinload(Registration.category), selectinload(Registration.answers).selectinload(Answer.question))
    extra = [column for _receiver, column in attendee_columns.send(event_id) if column is not None]
    headers = [_(header) for header in EXPORT_HEADERS] + [question.label for question in question_list] + \
        [header for header, _values in extra]
    rows = []
    for registration in db.session.scalars(query):
        answers = services.answers_by_question(registration)
        rows.append([
            registration.ticket_code, registration.full_name, registration.category.name,
            str(registration.status.label), registration.phone or "", registration.email or "",
            str(registration.gender.label) if registration.gender else "", registration.birth_year or "",
            registration.organisation_name or "", registration.province or "", registration.sub_unit or "",
            str(SOURCE_LABELS[registration.source]), format_datetime(registration.created_at),
        ] + [answers.get(question.id, "") for question in question_list]
            + [values.get(registration.id, "") for _header, values in extra])
    return headers, rows


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    writer = spreadsheets.CsvWriter()
    writer.writerows([headers, *rows])
    return writer.data()


def _sheet_title(text: str) -> str:
    return "".join(c for c in text if c not in "[]:*?/\\")[:31] or "Sheet"


def _fill_sheet(sheet, headers: list[str], rows: list[list]) -> None:
    """Bold frozen header, autofilter and widths from the content; every text stays text, never a formula."""
    for number, values in enumerate([headers, *rows], 1):
        spreadsheets.put_row(sheet, number, values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 2)}"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(row[index - 1])) for row in rows[:500] if index <= len(row)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 50)


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    _fill_sheet(sheet, headers, rows)
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The import template ---------------------------------------------------------------------------

def template_headers(question_list: list[Question]) -> list[str]:
    return [_(label) for _key, label in FIELDS] + [question.label for question in question_list]


def template_csv(event_id: int) -> bytes:
    return to_csv(template_headers(services.questions(event_id)), [])


def _example_answer(question: Question) -> str:
    if question.kind.has_options:
        return question.options[0]
    return {QuestionKind.NUMBER: "1", QuestionKind.DATE: "01/01/2027", QuestionKind.YES_NO: str(_l("Có"))}.get(
        question.kind, "")


def template_xlsx(event: Event) -> bytes:
    """A sheet to fill (header and one example row, ignored on import) and a sheet of valid values,
    used as drop-down lists for the category and gender columns."""
    question_list = services.questions(event.id)
    category_names = [c.name for c in services.categories(event.id, active_only=True)]
    genders = [str(gender.label) for gender in Gender]
    example = [_("Nguyễn Văn A (dòng ví dụ, sẽ được bỏ qua)"), category_names[0] if category_names else "",
               EXAMPLE_PHONE, EXAMPLE_EMAIL, genders[1], 1995, _("Công ty TNHH ABC"), event.province, ""]
    example += [_example_answer(question) for question in question_list]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Danh sách"))
    _fill_sheet(sheet, template_headers(question_list), [example])
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    lists = workbook.create_sheet(_sheet_title(_("Giá trị hợp lệ")))
    _fill_sheet(lists, [_("Đối tượng"), _("Giới tính")], [])
    for index in range(max(len(category_names), len(genders))):
        spreadsheets.put_row(lists, index + 2, [category_names[index] if index < len(category_names) else None,
                                                genders[index] if index < len(genders) else None])
    lists.auto_filter.ref = None
    keys = [key for key, _label in FIELDS]
    for column, values, key in (("A", category_names, "category"), ("B", genders, "gender")):
        target = get_column_letter(keys.index(key) + 1)
        if values:
            validation = DataValidation(
                type="list", formula1=f"{quote_sheetname(lists.title)}!${column}$2:${column}${len(values) + 1}",
                allow_blank=True, showErrorMessage=True, errorTitle=_("Giá trị không hợp lệ"),
                error=_("Hãy chọn một giá trị trong danh sách."))
            validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    return _save(workbook)
