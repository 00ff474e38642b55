"""A user's file is parsed in a child process with a time and a memory limit: a hostile file fails with a message,
the web worker only waits."""
import io
import time

import pytest
from openpyxl import Workbook

from eventhub.errors import ValidationFailed
from eventhub.registration import exports
from eventhub.sandbox import TooCostly, run_bounded


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _allocate(megabytes):
    return len(bytearray(megabytes * 1024 * 1024))


def _refuse():
    raise ValidationFailed({"file": ["Không được."]})


def test_a_result_comes_back_and_a_refusal_is_raised_again():
    assert run_bounded(_sleep, 0, seconds=10, memory_bytes=512 * 1024 * 1024) == "woke"
    with pytest.raises(ValidationFailed) as error:
        run_bounded(_refuse, seconds=10, memory_bytes=512 * 1024 * 1024)
    assert error.value.status == 422


def test_work_past_its_time_or_memory_is_stopped():
    started = time.monotonic()
    with pytest.raises(TooCostly):
        run_bounded(_sleep, 30, seconds=0.5, memory_bytes=512 * 1024 * 1024)
    assert time.monotonic() - started < 5
    with pytest.raises(TooCostly):
        run_bounded(_allocate, 2048, seconds=20, memory_bytes=512 * 1024 * 1024)


def test_a_sheet_of_a_million_formatted_empty_rows_is_refused_quickly():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Đối tượng", "Điện thoại"])
    sheet.cell(row=exports.MAX_SCANNED_ROWS + 10, column=1, value="cuối")
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.monotonic()
    with pytest.raises(exports.ImportRefused) as error:
        exports.read_table_bounded("ds.xlsx", buffer.getvalue())
    assert "quá nhiều dòng" in str(error.value) and time.monotonic() - started < exports.READ_SECONDS


def test_a_file_that_takes_too_long_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(exports, "READ_SECONDS", 0.3)
    monkeypatch.setattr(exports, "read_table", lambda filename, data: _sleep(30))
    with pytest.raises(exports.ImportRefused) as error:
        exports.read_table_bounded("ds.csv", b"x")
    assert "quá phức tạp" in str(error.value)
