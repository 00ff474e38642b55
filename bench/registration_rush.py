"""Registration rush: 3,000 public registrations from 64 concurrent clients at a published event with
1,000 seats, on SQLite and on PostgreSQL, against the real application under gunicorn (several worker
processes). The baseline, measured in the same run on the same server, is a route that inserts one
row in one transaction (bench/baseline_app.py).

Configurations, one JSON object each: SQLite and PostgreSQL with one app instance at an empty event; the same at
an event that already holds 50,000 registrations (per-registration time must not grow with the event); and
PostgreSQL with two app instances (two gunicorns) on one database. Each line also gives `lock_hold_ms`, the
median time the event's seat lock is held by one registration (measured in-process, one at a time, from the
lock's UPDATE to the end of the commit), and the ceiling it implies for one event (`per_event_ceiling`).

    .venv/bin/python bench/registration_rush.py [--db sqlite|postgresql] [--workers 4] [--threads 4]
        [--skip-large] [--skip-instances]

Exits non-zero unless every configuration confirmed exactly the capacity with no error, told waiting
positions 1..N without a gap, and the database agrees with every answer."""
import argparse
import json
import os
import secrets
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ["EVENTHUB_ENV"] = "production"
os.environ.setdefault("SECRET_KEY", "eventhub-bench-secret-of-32-characters")
os.environ.setdefault("RATELIMIT_ENABLED", "false")  # measured without limits (no Redis here), as the servers run

import sqlalchemy as sa  # noqa: E402

from bench.common import fire, fresh_database  # noqa: E402
from tests.support.server import JsonClient, gunicorn_server  # noqa: E402

SERVER_APP = "bench.baseline_app:app"
BASELINE_PATH = "/bench/baseline"


def prepare(database_url: str, capacity: int, existing: int = 0) -> dict:
    """Migrate, create the scratch table, and an organisation with a published event and one
    category, all through the application's own code; `existing` confirmed registrations are already there
    (one bulk INSERT, the event's seat counters set to match) and `capacity` seats are left."""
    from flask_migrate import upgrade

    from bench.baseline_app import create_scratch_table
    from eventhub import create_app
    from eventhub.extensions import db
    from tests.support import factories

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": os.environ["SECRET_KEY"]})
    with app.app_context():
        upgrade()
        create_scratch_table()
        event = factories.event(factories.organisation(), publish=True, capacity=capacity + existing,
                                title="Ngày hội khởi nghiệp: đo tải đăng ký")
        category = factories.category(event)
        if existing:
            hold_existing(event, category, existing)
        details = {"app": app, "event_id": event.id, "slug": event.slug, "category_id": category.id}
        db.session.remove()
        db.engine.dispose()
    return details


def hold_existing(event, category, count: int) -> None:
    """`count` confirmed registrations of other people, as if registered earlier, with the counters to match."""
    from eventhub.extensions import db
    from eventhub.registration import services
    from eventhub.registration.models import Registration, RegistrationSource, RegistrationStatus
    from eventhub.timeutil import utcnow

    now = utcnow()
    rows = [{"event_id": event.id, "category_id": category.id, "status": RegistrationStatus.CONFIRMED,
             "source": RegistrationSource.IMPORT, "ticket_code": secrets.token_urlsafe(16),
             "access_key": secrets.token_urlsafe(32), "full_name": f"Người đăng ký trước {i}",
             "name_key": f"nguoi dang ky truoc {i}", "phone": f"08{i:08d}", "phone_key": f"08{i:08d}",
             "created_at": now, "status_changed_at": now} for i in range(count)]
    for start in range(0, count, 5000):
        db.session.execute(sa.insert(Registration), rows[start:start + 5000])
    settings = services.settings_for(event.id)
    settings.confirmed_count = category.confirmed_count = count
    db.session.commit()


def lock_hold(database_url: str, count: int = 200) -> float:
    """Median milliseconds one registration holds its event's seat lock: from the lock's UPDATE to the end of
    its commit, registrations made one at a time in-process (no waiting for the lock is counted)."""
    from eventhub import create_app
    from eventhub.extensions import db, limiter
    from eventhub.locking import LOCK_OPTION

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": os.environ["SECRET_KEY"],
                      "RATELIMIT_ENABLED": False})
    limiter.enabled = False
    held: list[float] = []
    taken: list[float] = []
    with app.app_context():
        from tests.support import factories

        event = factories.event(factories.organisation(), publish=True, capacity=count,
                                title="Đo thời gian giữ khoá chỗ")
        category_id, slug = factories.category(event).id, event.slug
        engine = db.engine

        def on_execute(_conn, _cursor, _statement, _parameters, context, _many):
            if context.execution_options.get(LOCK_OPTION):
                taken.append(time.perf_counter())

        def on_commit(_session):
            if len(taken) > len(held):
                held.append(time.perf_counter() - taken[-1])

        sa.event.listen(engine, "after_cursor_execute", on_execute)
        sa.event.listen(db.session, "after_commit", on_commit)
        db.session.remove()
    client = app.test_client()
    version = client.get(f"/api/v1/portal/events/{slug}/registration-form").get_json()["consent"]["version"]
    for number in range(count):
        answer = client.post(f"/api/v1/portal/events/{slug}/registrations", json={
            "category_id": category_id, "full_name": f"Người đo khoá {number}", "email": f"khoa{number}@example.vn",
            "phone": f"07{number:08d}", "consent_version": version})
        assert answer.status_code == 201, answer.get_json()
    with app.app_context():
        sa.event.remove(engine, "after_cursor_execute", on_execute)
        sa.event.remove(db.session, "after_commit", on_commit)
        db.engine.dispose()
    return statistics.median(held[10:]) * 1000  # the first few warm caches up


def database_counts(app, event_id: int) -> dict:
    from eventhub.extensions import db
    from eventhub.registration.models import Registration

    with app.app_context():
        rows = db.session.execute(sa.select(Registration.status, sa.func.count()).where(
            Registration.event_id == event_id).group_by(Registration.status)).all()
        counts = {status.value: number for status, number in rows}
        db.session.remove()
        db.engine.dispose()
    return counts


def registration_bodies(count: int, category_id: int, consent_version: str) -> list[dict]:
    return [{"category_id": category_id, "full_name": f"Nguyễn Văn Đo Tải {i}", "email": f"dotai{i}@example.vn",
             "phone": f"09{i:08d}", "consent_version": consent_version} for i in range(count)]


def run(kind: str, args, *, existing: int = 0, instances: int = 1) -> dict:
    with fresh_database(kind) as database_url:
        setup = prepare(database_url, args.capacity, existing)
        with ExitStack() as servers:
            base_urls = [servers.enter_context(gunicorn_server(
                database_url, app=args.app, workers=args.workers, threads=args.threads, worker_class="gthread",
                log_file=args.log and f"{args.log}.{kind}.{number}")) for number in range(instances)]
            status, form = JsonClient(base_urls[0]).request(
                "GET", f"/api/v1/portal/events/{setup['slug']}/registration-form")
            if status != 200:
                raise RuntimeError(f"registration form answered {status}: {form}")
            bodies = registration_bodies(args.requests, setup["category_id"], form["consent"]["version"])
            baseline = fire(base_urls, [(BASELINE_PATH, body) for body in bodies], args.clients)
            baseline_errors = sum(1 for status, _, _ in baseline["results"] if status != 201)
            path = f"/api/v1/portal/events/{setup['slug']}/registrations"
            rush = fire(base_urls, [(path, body) for body in bodies], args.clients)
        stored = database_counts(setup["app"], setup["event_id"])
        hold_ms = lock_hold(database_url)
    told = {"confirmed": 0, "waitlisted": 0}
    positions = []
    errors = []
    for status, body, _ in rush["results"]:
        if status == 201 and isinstance(body, dict) and body.get("status") in told:
            told[body["status"]] += 1
            if body["status"] == "waitlisted":
                positions.append(body["waitlist_position"])
        else:
            errors.append((status, body))
    label = f"{kind}, {instances} instance(s), {existing} registrations before"
    if errors:
        print(f"[{label}] {len(errors)} errors, first: {errors[:3]}", file=sys.stderr)
    if baseline_errors:
        print(f"[{label}] the baseline had {baseline_errors} non-201 answers", file=sys.stderr)
    if sorted(positions) != list(range(1, len(positions) + 1)):
        print(f"[{label}] waiting positions are not 1..{len(positions)} without gaps", file=sys.stderr)
        errors.append(("positions", len(positions)))
    if stored.get("confirmed", 0) != told["confirmed"] + existing or stored.get("waitlisted", 0) != told["waitlisted"]:
        print(f"[{label}] the database disagrees with the answers: {stored} vs {told}", file=sys.stderr)
        errors.append(("database", stored))
    return {
        "bench": "registration_rush", "db": kind, "instances": instances, "existing_registrations": existing,
        "confirmed": told["confirmed"], "waitlisted": told["waitlisted"], "errors": len(errors),
        "per_second": round(rush["per_second"], 1), "p50_ms": round(rush["p50_ms"], 1),
        "p95_ms": round(rush["p95_ms"], 1), "baseline_per_second": round(baseline["per_second"], 1),
        "ratio_to_baseline": round(rush["per_second"] / baseline["per_second"], 3),
        "lock_hold_ms": round(hold_ms, 2), "per_event_ceiling": round(1000 / hold_ms),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), action="append",
                        help="database to measure (repeatable; default both)")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--capacity", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (gthread)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--log", help="keep the gunicorn output in <LOG>.<db>")
    parser.add_argument("--app", default=SERVER_APP,
                        help="gunicorn app to measure (it must also serve POST /bench/baseline)")
    parser.add_argument("--existing", type=int, default=50000,
                        help="registrations the event already holds in the large-event run")
    parser.add_argument("--skip-large", action="store_true", help="leave out the large-event runs")
    parser.add_argument("--skip-instances", action="store_true", help="leave out the two-instance run")
    args = parser.parse_args()
    configurations = []
    for kind in args.db or ["sqlite", "postgresql"]:
        configurations.append((kind, 0, 1))
        if not args.skip_large:
            configurations.append((kind, args.existing, 1))
        if kind == "postgresql" and not args.skip_instances:
            configurations.append((kind, 0, 2))
    ok = True
    for kind, existing, instances in configurations:
        line = run(kind, args, existing=existing, instances=instances)
        print(json.dumps(line), flush=True)
        ok = ok and line["confirmed"] == args.capacity and line["errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
