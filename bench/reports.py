"""Annual report: a seeded province-year (a province with 10 districts, 300 events, 300,000 registrations,
200,000 check-ins, 3,000 exhibitors, 6,000 products; `tenth` is ten times smaller) on SQLite and on
PostgreSQL. `report_seconds` is building the whole annual report of the province (`build_period_report`, with
its previous period, targets and snapshot note); `baseline_seconds` is the very SQL statements it ran,
replayed alone on a raw DB-API cursor.

    .venv/bin/python bench/reports.py [--db sqlite|postgresql] [--scale full|tenth] [--runs 5]

Prints one JSON object per database and scale; exits non-zero if a report misses the targets
(under 1 second at full size, ratio_to_baseline <= 2) or counts something other than what was seeded."""
import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ["EVENTHUB_ENV"] = "production"
os.environ.setdefault("SECRET_KEY", "eventhub-bench-secret-of-32-characters")
os.environ.setdefault("RATELIMIT_ENABLED", "false")  # measured without limits (no Redis here), as the servers run

import sqlalchemy as sa  # noqa: E402

from bench.common import fresh_database  # noqa: E402

SCALES = {"full": 1, "tenth": 10}
# The annual report as made once the year is over, so that every seeded event has been held.
REPORTED_AT = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
EVENTS, REGISTRATIONS_PER_EVENT, CHECK_INS_PER_EVENT = 300, 1000, 667
EXHIBITORS, PRODUCTS_PER_EXHIBITOR = 3000, 2  # one approved-or-not application each, at a fair or startup day
PEOPLE = 150_000  # people come back: 300,000 registrations are about 150,000 distinct people
DISTRICTS = 10
EVENT_TYPES = ("startup_day", "training", "competition", "workshop", "talk", "fair")
GROUPS = ("student", "youth", "women", "farmer", "enterprise", "official", "lecturer", "other")
TARGET_SECONDS, TARGET_RATIO = 1.0, 2.0


def _stamp(kind: str, value: datetime):
    """Naive UTC, written the way SQLAlchemy writes it on each database (SQLite compares the text)."""
    value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if kind == "sqlite" else value


def bulk(raw, kind: str, table: str, columns: tuple[str, ...], rows) -> None:
    """executemany on SQLite, COPY on PostgreSQL: seeding must not dominate the run on two cores."""
    cursor = raw.cursor()
    if kind == "sqlite":
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                           rows)
    else:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    cursor.close()


def seed(app, kind: str, divisor: int) -> dict:
    """The organisations and the plan through the services; the volume through bulk inserts."""
    from eventhub.events.models import EventType
    from eventhub.extensions import db
    from eventhub.reports.models import Indicator
    from tests.reports import factories as reports
    from tests.support import factories

    events = EVENTS // divisor
    province = factories.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk", short_name="Sở KH&CN Đắk Lắk")
    districts = [factories.organisation(f"UBND huyện số {n}", parent_id=province.id, province="Đắk Lắk")
                 for n in range(1, DISTRICTS + 1)]
    reports.make_plan(province, 2026, targets=[
        reports.target(Indicator.EVENTS, 5, event_types=[EventType.WORKSHOP, EventType.TALK]),
        reports.target(Indicator.TRAINEES, 5000),
        reports.target(Indicator.PARTICIPANTS, 30000, participant_group="women"),
        reports.target(Indicator.UNIQUE_PARTICIPANTS, 100000),
        reports.target(Indicator.COMPETITION_ENTRIES, 2000),
        reports.target(Indicator.EVENTS, 20, tags=["khởi nghiệp xanh"]),
        reports.target(Indicator.SUPPORTED_PROJECTS, 5),
    ])
    organisers = [province.id] + [d.id for d in districts]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    raw = db.engine.raw_connection()
    try:
        event_rows, co_rows, tag_rows, category_rows, list_rows = [], [], [], [], []
        registration_rows, check_in_rows = [], []
        registration_id = check_in_id = 0
        for e in range(1, events + 1):
            starts = datetime(2026, 1, 1, 1, tzinfo=UTC) + timedelta(days=(e * 364) // (events + 1))
            event_type = EVENT_TYPES[e % len(EVENT_TYPES)]
            event_rows.append((e, organisers[e % len(organisers)], f"su-kien-{e}", f"Sự kiện {e}", event_type,
                               "province" if e % 3 else "local", "finished", "public", "Đắk Lắk", "Hội trường",
                               _stamp(kind, starts), _stamp(kind, starts + timedelta(hours=8)), "", "",
                               _stamp(kind, now), _stamp(kind, now)))
            if e % 5 == 0:  # co-organised by two districts: still one event
                co_rows += [(e, organisers[(e + 1) % len(organisers)] or organisers[1]),
                            (e, organisers[(e + 2) % len(organisers)] or organisers[2])]
            if e % 10 == 0:
                tag_rows.append((e, "khởi nghiệp xanh"))
            categories = [(e - 1) * 4 + c for c in range(1, 5)]
            category_rows += [(cid, e, f"Đối tượng {c}", GROUPS[(e + c) % len(GROUPS)], c, True)
                              for c, cid in enumerate(categories)]
            list_rows.append((e, e, "Cổng chính", False, _stamp(kind, now)))
            checked = 0
            for i in range(REGISTRATIONS_PER_EVENT):
                registration_id += 1
                person = (e * 397 + i) % PEOPLE
                status = "confirmed" if i % 20 < 18 else ("cancelled" if i % 20 == 18 else "waitlisted")
                phone = f"09{person:08d}" if i % 10 else None
                registration_rows.append((
                    registration_id, e, categories[i % 4], status, "public", f"t{registration_id}",
                    f"a{registration_id}", f"Người {person}", f"nguoi {person}", f"p{person}@example.vn", phone,
                    f"p{person}@example.vn", phone, _stamp(kind, starts - timedelta(days=3)),
                    _stamp(kind, starts - timedelta(days=3))))
                if status == "confirmed" and checked < CHECK_INS_PER_EVENT:
                    checked += 1
                    check_in_id += 1
                    check_in_rows.append((check_in_id, e, registration_id,
                                          _stamp(kind, starts + timedelta(minutes=i % 120))))
        bulk(raw, kind, "events", ("id", "organisation_id", "slug", "title", "event_type", "level", "status",
                                   "visibility", "province", "venue_name", "starts_at", "ends_at", "description_md",
                                   "search_text", "created_at", "updated_at"), event_rows)
        bulk(raw, kind, "event_co_organisers", ("event_id", "organisation_id"), sorted(set(co_rows)))
        bulk(raw, kind, "event_tags", ("event_id", "tag"), tag_rows)
        bulk(raw, kind, "registration_categories", ("id", "event_id", "name", "participant_group", "position",
                                                    "is_active"), category_rows)
        bulk(raw, kind, "check_in_lists", ("id", "event_id", "name", "allow_exit", "created_at"), list_rows)
        bulk(raw, kind, "registrations", ("id", "event_id", "category_id", "status", "source", "ticket_code",
                                          "access_key", "full_name", "name_key", "email", "phone", "email_key",
                                          "phone_key", "created_at", "status_changed_at"), registration_rows)
        bulk(raw, kind, "check_ins", ("id", "check_in_list_id", "registration_id", "checked_in_at"), check_in_rows)
        exhibition_events = [row[0] for row in event_rows if row[4] in ("fair", "startup_day")]
        exhibitors = EXHIBITORS // divisor
        bulk(raw, kind, "exhibitors", ("id", "name", "name_key", "kind", "contact_name", "email", "created_at"),
             [(x, f"Hợp tác xã {x}", f"hop tac xa {x}", "cooperative", "Chủ nhiệm", f"htx{x}@example.vn",
               _stamp(kind, now)) for x in range(1, exhibitors + 1)])
        bulk(raw, kind, "booth_applications", (
            "id", "event_id", "exhibitor_id", "status", "booth_type", "booths_requested", "near_exhibitor_ids",
            "avoid_exhibitor_ids", "staff_count", "priority", "submitted_at", "updated_at"),
            [(x, exhibition_events[x % len(exhibition_events)], x, "approved" if x % 10 else "rejected", "ocop", 1,
              "[]", "[]", 2, 0, _stamp(kind, now), _stamp(kind, now)) for x in range(1, exhibitors + 1)])
        bulk(raw, kind, "exhibitor_products", ("id", "application_id", "name", "product_group", "ocop_stars",
                                               "search_key"),
             [((x - 1) * PRODUCTS_PER_EXHIBITOR + p + 1, x, f"Sản phẩm {x}-{p}", "food",
               3 + x % 3 if p == 0 else None, "") for x in range(1, exhibitors + 1)
              for p in range(PRODUCTS_PER_EXHIBITOR)])
        raw.commit()
        cursor = raw.cursor()
        if kind == "postgresql":  # the sequences must follow the ids written by hand
            for table in ("events", "registration_categories", "check_in_lists", "registrations", "check_ins",
                          "exhibitors", "booth_applications", "exhibitor_products"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            raw.commit()
            # VACUUM is what autovacuum does to a table that has settled: index-only scans become possible.
            raw.driver_connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
            raw.driver_connection.autocommit = False
        else:
            cursor.execute("ANALYZE")
            raw.commit()
        cursor.close()
    finally:
        raw.close()
    for n in range(5):
        reports.supported(province, f"Dự án {n}", date(2026, 3, 1 + n))
    return {"province_id": province.id, "events": events, "registrations": len(registration_rows),
            "exhibitors": exhibitors,
            "confirmed": sum(1 for r in registration_rows if r[3] == "confirmed"), "check_ins": len(check_in_rows)}


def measure(app, seeded: dict, runs: int) -> dict:
    """Median seconds of the whole report, and of replaying the statements it sent, raw."""
    from eventhub.extensions import db
    from eventhub.reports.periods import build_period_report

    statements: list = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    def report():
        return build_period_report([seeded["province_id"]], date(2026, 1, 1), date(2026, 12, 31), now=REPORTED_AT)

    report()  # warm caches and compiled-statement cache alike for both timings
    sa.event.listen(db.engine, "before_cursor_execute", record)
    built = report()
    sa.event.remove(db.engine, "before_cursor_execute", record)
    db.session.remove()
    # Interleaved, so that load from elsewhere on the machine weighs on both timings alike.
    report_times, baseline_times = [], []
    raw = db.engine.raw_connection()
    try:
        for _ in range(runs):
            began = time.perf_counter()
            report()
            report_times.append(time.perf_counter() - began)
            db.session.remove()
            cursor = raw.cursor()
            began = time.perf_counter()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if cursor.description:  # SET LOCAL returns no rows
                    cursor.fetchall()
            baseline_times.append(time.perf_counter() - began)
            cursor.close()
            raw.rollback()
    finally:
        raw.close()
    return {"report": built, "report_seconds": statistics.median(report_times),
            "baseline_seconds": statistics.median(baseline_times), "statements": len(statements)}


def run(kind: str, scale: str, runs: int) -> dict:
    from flask_migrate import upgrade

    from eventhub import create_app
    from eventhub.extensions import db

    with fresh_database(kind) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": os.environ["SECRET_KEY"]})
        with app.app_context():
            upgrade()
            began = time.perf_counter()
            seeded = seed(app, kind, SCALES[scale])
            seed_seconds = time.perf_counter() - began
            result = measure(app, seeded, runs)
            db.session.remove()
            db.engine.dispose()
    rows = {row.code: row.achieved for row in result["report"].indicators}
    counted_right = (len(result["report"].events) == seeded["events"] and rows["participants"] == seeded["confirmed"]
                     and rows["supported_projects"] == 5 and rows["exhibitors"] == seeded["exhibitors"] * 9 // 10)
    return {"bench": "reports", "db": kind, "scale": scale, "events": seeded["events"],
            "registrations": seeded["registrations"], "check_ins": seeded["check_ins"],
            "exhibitors": seeded["exhibitors"], "ocop_products": rows["ocop_products"],
            "report_seconds": round(result["report_seconds"], 4),
            "baseline_seconds": round(result["baseline_seconds"], 4),
            "ratio_to_baseline": round(result["report_seconds"] / result["baseline_seconds"], 2),
            "statements": result["statements"], "seed_seconds": round(seed_seconds, 1),
            "unique_participants": rows["unique_participants"], "attendees": rows["attendees"],
            "counted_right": counted_right}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), action="append",
                        help="database to measure (repeatable; default both)")
    parser.add_argument("--scale", choices=tuple(SCALES), action="append", help="default: full and tenth")
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the median is reported")
    args = parser.parse_args()
    ok = True
    for kind in args.db or ("sqlite", "postgresql"):
        for scale in args.scale or ("full", "tenth"):
            result = run(kind, scale, args.runs)
            print(json.dumps(result), flush=True)
            ok &= result["counted_right"] and result["ratio_to_baseline"] <= TARGET_RATIO
            ok &= scale != "full" or result["report_seconds"] < TARGET_SECONDS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
