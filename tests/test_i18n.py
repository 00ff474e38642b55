"""Vietnamese first, English complete; Vietnamese formats for dates and money."""
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.pofile import read_po

from eventhub.i18n import format_date, format_datetime, format_time, format_vnd

ROOT = Path(__file__).resolve().parent.parent


def test_every_interface_string_has_an_english_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-o", str(template), "--no-location", "--omit-header", "."],
                   cwd=ROOT, check=True, capture_output=True)
    extracted = {m.id for m in read_po(template.open("rb")) if m.id}
    with (ROOT / "eventhub/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = {m.id: m for m in read_po(handle) if m.id}
    missing = sorted(str(i) for i in extracted if i not in catalog or not catalog[i].string or catalog[i].fuzzy)
    assert missing == [], "run `make extract-messages` and translate: " + "; ".join(missing[:10])


def test_dates_are_day_month_year_in_vietnam_time(app):
    moment = datetime(2025, 12, 31, 18, 30, tzinfo=UTC)
    assert format_datetime(moment) == "01/01/2026 01:30"
    assert format_date(moment) == "01/01/2026"
    assert format_time(moment) == "01:30"
    assert format_date(date(2025, 7, 1)) == "01/07/2025"
    assert format_datetime(None) == ""


def test_money_is_whole_dong_with_dot_separators():
    assert format_vnd(1_500_000) == "1.500.000 ₫"
    assert format_vnd(0) == "0 ₫"
    assert format_vnd(None) == ""
