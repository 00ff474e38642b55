"""Registration rush: 3,000 public registrations from 64 concurrent clients at a published event with
1,000 seats, on SQLite and on PostgreSQL, against the real application under gunicorn (several worker
processes). The baseline, measured in the same run on the same server, is a route that inserts one
row in one transaction (bench/baseline_app.py).

    .venv/bin/python bench/registration_rush.py [--db sqlite|postgresql] [--workers 4] [--threads 4]

Prints one JSON object per database; exits non-zero unless every database confirmed exactly the
capacity with no error."""
import argparse
import json
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ["EVENTHUB_ENV"] = "production"
os.environ.setdefault("SECRET_KEY", "eventhub-bench-secret-of-32-characters")

import sqlalchemy as sa  # noqa: E402

from bench.common import fire, fresh_database  # noqa: E402
from tests.support.server import JsonClient, gunicorn_server  # noqa: E402

SERVER_APP = "bench.baseline_app:app"
BASELINE_PATH = "/bench/baseline"


def prepare(database_url: str, capacity: int) -> dict:
    """Migrate, create the scratch table, and an organisation with a published event and one
    category, all through the application's own code."""
    from flask_migrate import upgrade

    from bench.baseline_app import create_scratch_table
    from eventhub import create_app
    from eventhub.extensions import db
    from tests.support import factories

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": os.environ["SECRET_KEY"]})
    with app.app_context():
        upgrade()
        create_scratch_table()
        event = factories.event(factories.organisation(), publish=True, capacity=capacity,
                                title="Ngày hội khởi nghiệp: đo tải đăng ký")
        category = factories.category(event)
        details = {"app": app, "event_id": event.id, "slug": event.slug, "category_id": category.id}
        db.session.remove()
        db.engine.dispose()
    return details


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


def run(kind: str, args) -> dict:
    with fresh_database(kind) as database_url:
        setup = prepare(database_url, args.capacity)
        with gunicorn_server(database_url, app=args.app, workers=args.workers, threads=args.threads,
                             worker_class="gthread", log_file=args.log and f"{args.log}.{kind}") as base_url:
            status, form = JsonClient(base_url).request(
                "GET", f"/api/v1/portal/events/{setup['slug']}/registration-form")
            if status != 200:
                raise RuntimeError(f"registration form answered {status}: {form}")
            bodies = registration_bodies(args.requests, setup["category_id"], form["consent"]["version"])
            baseline = fire(base_url, [(BASELINE_PATH, body) for body in bodies], args.clients)
            baseline_errors = sum(1 for status, _, _ in baseline["results"] if status != 201)
            path = f"/api/v1/portal/events/{setup['slug']}/registrations"
            rush = fire(base_url, [(path, body) for body in bodies], args.clients)
        stored = database_counts(setup["app"], setup["event_id"])
    told = {"confirmed": 0, "waitlisted": 0}
    errors = []
    for status, body, _ in rush["results"]:
        if status == 201 and isinstance(body, dict) and body.get("status") in told:
            told[body["status"]] += 1
        else:
            errors.append((status, body))
    if errors:
        print(f"[{kind}] {len(errors)} errors, first: {errors[:3]}", file=sys.stderr)
    if baseline_errors:
        print(f"[{kind}] the baseline had {baseline_errors} non-201 answers", file=sys.stderr)
    if stored.get("confirmed", 0) != told["confirmed"] or stored.get("waitlisted", 0) != told["waitlisted"]:
        print(f"[{kind}] the database disagrees with the answers: {stored} vs {told}", file=sys.stderr)
        errors.append(("database", stored))
    return {
        "bench": "registration_rush", "db": kind,
        "confirmed": told["confirmed"], "waitlisted": told["waitlisted"], "errors": len(errors),
        "per_second": round(rush["per_second"], 1), "p50_ms": round(rush["p50_ms"], 1),
        "p95_ms": round(rush["p95_ms"], 1), "baseline_per_second": round(baseline["per_second"], 1),
        "ratio_to_baseline": round(rush["per_second"] / baseline["per_second"], 3),
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
    args = parser.parse_args()
    ok = True
    for kind in args.db or ["sqlite", "postgresql"]:
        line = run(kind, args)
        print(json.dumps(line), flush=True)
        ok = ok and line["confirmed"] == args.capacity and line["errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
