"""Check-in at the gates: 20,000 scans from 16 concurrent scanners (one device token each) at an event with
20,000 confirmed tickets, on SQLite and on PostgreSQL, against the real application under gunicorn
(several worker processes). The mix: 70 % first scans of distinct tickets, 20 % repeats of tickets
already scanned (sent after the first scan was answered), 10 % invalid (half malformed strings, half
well-formed payloads with a wrong signature). The baseline, measured in the same run on the same server
with the same request count and concurrency, is a route doing one indexed SELECT and one UPDATE
(bench/checkin_baseline_app.py).

    .venv/bin/python bench/checkin.py [--db sqlite|postgresql] [--scans 20000] [--clients 16]

Prints one JSON object per database; exits non-zero unless, on every database, each first scan was
answered ok and admitted exactly once, no repeat and no invalid scan was accepted, and nothing failed."""
import argparse
import json
import os
import random
import secrets
import sys
import uuid
from collections import Counter, deque
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ["EVENTHUB_ENV"] = "production"
os.environ.setdefault("SECRET_KEY", "eventhub-bench-secret-of-32-characters")
os.environ.setdefault("RATELIMIT_ENABLED", "false")  # measured without limits (no Redis here), as the servers run

import sqlalchemy as sa  # noqa: E402

from bench.common import fire, fresh_database  # noqa: E402
from tests.support.server import gunicorn_server  # noqa: E402

SERVER_APP = "bench.checkin_baseline_app:app"
BASELINE_PATH = "/bench/checkin-baseline"
REPEAT_GAP = 64  # a repeat is scheduled at least this many places after the ticket's first scan


def prepare(database_url: str, tickets_count: int, devices: int) -> dict:
    """Migrate; an organisation, a published event with one category, its entrance list and the device
    tokens through the services; the confirmed registrations by one bulk INSERT; the scratch table;
    every ticket's genuine QR payload (signed with the server's key: same SECRET_KEY)."""
    from flask_migrate import upgrade

    from bench.checkin_baseline_app import create_scratch_table
    from eventhub import create_app
    from eventhub.checkin import services as checkin
    from eventhub.extensions import db
    from eventhub.registration import tickets
    from eventhub.registration.models import Registration, RegistrationSource, RegistrationStatus
    from eventhub.text import search_key
    from eventhub.timeutil import utcnow
    from tests.support import factories

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": os.environ["SECRET_KEY"]})
    with app.app_context():
        upgrade()
        event = factories.event(factories.organisation(), publish=True, capacity=tickets_count,
                                title="Ngày hội khởi nghiệp: đo tải check-in")
        category = factories.category(event)
        now = utcnow()
        rows = []
        for i in range(tickets_count):
            name = f"Nguyễn Văn Quét {i}"
            rows.append({"event_id": event.id, "category_id": category.id, "status": RegistrationStatus.CONFIRMED,
                         "source": RegistrationSource.IMPORT, "ticket_code": secrets.token_urlsafe(16),
                         "access_key": secrets.token_urlsafe(32), "full_name": name, "name_key": search_key(name),
                         "created_at": now, "status_changed_at": now})
        db.session.execute(sa.insert(Registration), rows)
        db.session.commit()
        registrations = db.session.execute(sa.select(Registration.id, Registration.ticket_code).where(
            Registration.event_id == event.id).order_by(Registration.id)).all()
        create_scratch_table([rid for rid, _ in registrations])
        entrance = checkin.entrance_for(event.id)
        # Scanned now, before the event's days: the entrance open at any time, as an organiser may set it.
        entrance = checkin.save_list(event.id, entrance.id, checkin.CheckInListDetails(
            name=entrance.name, allow_exit=entrance.allow_exit, category_ids=[]))
        tokens = [checkin.issue_device(entrance.id, f"Cổng {n + 1}", None)[0] for n in range(devices)]
        details = {"app": app, "event_id": event.id, "list_id": entrance.id, "tokens": tokens,
                   "tickets": [(rid, code, tickets.qr_payload(code)) for rid, code in registrations]}
        db.session.remove()
        db.engine.dispose()
    return details


def wrong_signature(payload: str, other_payload: str) -> str:
    """A well-formed EH1 payload for a real ticket carrying another ticket's (valid) signature."""
    prefix, code, _signature = payload.split(".")
    return f"{prefix}.{code}.{other_payload.split('.')[2]}"


def schedule(tickets: list[tuple[int, str, str]], scans: int, seed: int) -> list[dict]:
    """The scans in sending order: {"kind": first|repeat|malformed|forged, "registration_id", "code",
    "ticket_code", "first": index of the ticket's first scan (repeats)}."""
    rng = random.Random(seed)
    first_count, repeat_count = round(scans * 0.7), round(scans * 0.2)
    invalid_count = scans - first_count - repeat_count
    if first_count > len(tickets):
        raise ValueError("more first scans than tickets")
    shuffled = tickets[:]
    rng.shuffle(shuffled)
    first_tickets, spare = shuffled[:first_count], shuffled[first_count:] or shuffled
    other_kinds = ["repeat"] * repeat_count + ["malformed"] * (invalid_count // 2) + \
                  ["forged"] * (invalid_count - invalid_count // 2)
    rng.shuffle(other_kinds)
    slots = sorted(rng.sample(range(min(4 * REPEAT_GAP, scans - len(other_kinds)), scans), len(other_kinds)))
    kind_at = dict(zip(slots, other_kinds, strict=True))
    plan: list[dict] = []
    firsts = iter(first_tickets)
    eligible: list[int] = []  # plan indexes of first scans at least REPEAT_GAP places back
    first_positions: deque[int] = deque()
    for position in range(scans):
        while first_positions and first_positions[0] <= position - REPEAT_GAP:
            eligible.append(first_positions.popleft())
        kind = kind_at.get(position, "first")
        if kind == "repeat" and not eligible:
            raise AssertionError("a repeat slot before any first scan")
        if kind == "first":
            rid, code, payload = next(firsts)
            plan.append({"kind": "first", "registration_id": rid, "code": payload, "ticket_code": code})
            first_positions.append(position)
        elif kind == "repeat":
            first = plan[rng.choice(eligible)]
            plan.append({**first, "kind": "repeat", "first": first["index"]})
        elif kind == "malformed":
            rid, code, _payload = rng.choice(spare)
            plan.append({"kind": "malformed", "registration_id": None, "ticket_code": code,
                         "code": rng.choice([f"https://example.vn/khuyen-mai/{secrets.token_hex(4)}",
                                             f"EH1.{code}", "EH2.abc.def", "{}", f"vé số {position}",
                                             secrets.token_urlsafe(40)])})
        else:
            (rid, code, payload), (_r, _c, other) = rng.sample(spare, 2)
            plan.append({"kind": "forged", "registration_id": rid, "ticket_code": code,
                         "code": wrong_signature(payload, other)})
        plan[-1]["index"] = position
    return plan


def database_state(app, list_id: int) -> dict:
    from eventhub.checkin.models import CheckIn, ScanLog
    from eventhub.extensions import db

    with app.app_context():
        admitted = Counter(db.session.scalars(sa.select(CheckIn.registration_id).where(
            CheckIn.check_in_list_id == list_id)))
        logged = db.session.scalar(sa.select(sa.func.count()).select_from(ScanLog).where(
            ScanLog.check_in_list_id == list_id))
        db.session.remove()
        db.engine.dispose()
    return {"admitted": admitted, "logged": logged}


def run(kind: str, args) -> tuple[dict, bool]:
    with fresh_database(kind) as database_url:
        setup = prepare(database_url, args.tickets, args.clients)
        plan = schedule(setup["tickets"], args.scans, args.seed)
        scan_path = f"/api/v1/checkin/lists/{setup['list_id']}/scan"
        scans = [(scan_path, {"code": item["code"], "nonce": uuid.uuid4().hex}) for item in plan]
        baseline_bodies = [(BASELINE_PATH, {"code": item["ticket_code"]}) for item in plan]
        wait_for = [item.get("first") for item in plan]
        with gunicorn_server(database_url, app=args.app, workers=args.workers, threads=args.threads,
                             worker_class="gthread", env={"SECRET_KEY": os.environ["SECRET_KEY"]},
                             log_file=args.log and f"{args.log}.{kind}") as base_url:
            baseline = fire(base_url, baseline_bodies, args.clients, setup["tokens"])
            measured = fire(base_url, scans, args.clients, setup["tokens"], wait_for)
        state = database_state(setup["app"], setup["list_id"])

    results: Counter = Counter()
    ok_by_kind: Counter = Counter()
    errors = []
    for item, (status, answer, _latency) in zip(plan, measured["results"], strict=True):
        if status == 200 and isinstance(answer, dict) and "result" in answer:
            results[answer["result"]] += 1
            if answer["result"] == "ok" and answer.get("accepted") is True:
                ok_by_kind[item["kind"]] += 1
        else:
            results[f"http_{status}"] += 1
            errors.append((item["kind"], status, answer))
    baseline_errors = [(status, answer) for status, answer, _ in baseline["results"]
                       if status != 200 or not isinstance(answer, dict) or answer.get("result") != "ok"]
    first_ids = Counter(item["registration_id"] for item in plan if item["kind"] == "first")
    first_scans = sum(first_ids.values())
    if errors:
        print(f"[{kind}] {len(errors)} failed scans, first: {errors[:3]}", file=sys.stderr)
    if baseline_errors:
        print(f"[{kind}] the baseline had {len(baseline_errors)} bad answers, first: {baseline_errors[:3]}",
              file=sys.stderr)
    database_agrees = state["admitted"] == first_ids and state["logged"] == len(plan)
    if not database_agrees:
        extra = state["admitted"] - first_ids
        print(f"[{kind}] the database disagrees: {sum(state['admitted'].values())} check-ins "
              f"(unexpected {dict(list(extra.items())[:5])}), {state['logged']} scan logs for {len(plan)} scans",
              file=sys.stderr)
    line = {
        "bench": "checkin", "db": kind, "scans": len(plan), "per_second": round(measured["per_second"], 1),
        "p50_ms": round(measured["p50_ms"], 1), "p95_ms": round(measured["p95_ms"], 1),
        "p99_ms": round(measured["p99_ms"], 1), "results": dict(sorted(results.items())),
        "first_scans": first_scans, "first_scans_ok": ok_by_kind["first"], "repeats_ok": ok_by_kind["repeat"],
        "forged_ok": ok_by_kind["malformed"] + ok_by_kind["forged"], "errors": len(errors) + len(baseline_errors),
        "database_agrees": database_agrees,
        "baseline_per_second": round(baseline["per_second"], 1), "baseline_p95_ms": round(baseline["p95_ms"], 1),
        "ratio_to_baseline": round(measured["per_second"] / baseline["per_second"], 3),
    }
    passed = (line["first_scans_ok"] == first_scans and line["repeats_ok"] == 0 and line["forged_ok"] == 0
              and database_agrees and not errors and not baseline_errors)
    return line, passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), action="append",
                        help="database to measure (repeatable; default both)")
    parser.add_argument("--tickets", type=int, default=20000, help="confirmed registrations at the event")
    parser.add_argument("--scans", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent scanners (one device token each)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (gthread)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--seed", type=int, default=20261126, help="seed of the scan schedule")
    parser.add_argument("--log", help="keep the gunicorn output in <LOG>.<db>")
    parser.add_argument("--app", default=SERVER_APP,
                        help="gunicorn app to measure (it must also serve POST /bench/checkin-baseline)")
    args = parser.parse_args()
    ok = True
    for kind in args.db or ["sqlite", "postgresql"]:
        line, passed = run(kind, args)
        print(json.dumps(line, ensure_ascii=False), flush=True)
        ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
