"""The one rule for text in the spreadsheets the platform writes (attendee lists, import templates, reports):
text that came from people stays text. A spreadsheet runs a cell that starts with = + - @, a tab or a carriage
return as a formula (CSV injection), so in CSV such a text gets a leading apostrophe, and in XLSX every text is
written as a string cell, never a formula, marked to stay text when edited and cleaned of what XML cannot hold."""
import csv
import io
from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text a spreadsheet would run as a formula, prefixed with an apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvWriter:
    """csv.writer's writerow and writerows, every cell neutralised; `data()` is the file: UTF-8 with a BOM (so
    Excel reads the diacritics) and CRLF lines."""

    def __init__(self):
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)

    def data(self) -> bytes:
        return ("\ufeff" + self._buffer.getvalue()).encode("utf-8")


def put(sheet, row: int, column: int, value):
    """Write one XLSX cell: numbers, dates and None as they are, text always as a string cell."""
    if not isinstance(value, str):
        return sheet.cell(row, column, value)
    cell = sheet.cell(row, column, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # openpyxl would store "=…" as a formula and "#N/A" as an error
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # Excel's own mark of a text typed with an apostrophe: editing keeps it text
    return cell


def put_row(sheet, row: int, values: Iterable) -> None:
    """Write one row from column A, each cell through `put`."""
    for column, value in enumerate(values, 1):
        put(sheet, row, column, value)
