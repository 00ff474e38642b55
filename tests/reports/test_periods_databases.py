"""The same dataset gives the same report on SQLite and on PostgreSQL: each run is compared with one checked-in
expectation (run the file with EVENTHUB_TEST_DB=sqlite and =postgresql). Regenerate it, after a deliberate change,
with EVENTHUB_WRITE_EXPECTED=1."""
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

from eventhub.reports import periods
from tests.reports import dataset

EXPECTED = Path(__file__).with_name("expected_report.json")
GENERATED_AT = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def _reports() -> dict:
    data = dataset.build()
    scopes = {
        "province_first_half": ([data["province"].id], date(2026, 1, 1), date(2026, 6, 30)),
        "province_and_district_year": ([data["province"].id, data["district"].id], date(2026, 1, 1),
                                       date(2026, 12, 31)),
        "association_across_years": ([data["association"].id], date(2025, 7, 1), date(2026, 6, 30)),
    }
    return {name: periods.report_to_json(periods.build_period_report(ids, starts, ends, now=GENERATED_AT))
            for name, (ids, starts, ends) in scopes.items()}


def test_report_matches_the_checked_in_expectation():
    reports = _reports()
    if os.environ.get("EVENTHUB_WRITE_EXPECTED"):
        EXPECTED.write_text(json.dumps(reports, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert reports == json.loads(EXPECTED.read_text(encoding="utf-8"))
