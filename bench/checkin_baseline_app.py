"""The real application plus one benchmark-only route, `POST /bench/checkin-baseline` with JSON
{"code": <ticket code>}: one indexed SELECT (the registration by its unique ticket code) and one UPDATE
of that ticket's row in a scratch table, in one transaction. It is the floor a scan is compared with.
Serve with `gunicorn bench.checkin_baseline_app:app` (from the repository root); eventhub/ is untouched.
The application is built on first access to `app`, so importing the module for its table is free."""
import sqlalchemy as sa
from flask import jsonify, request

from eventhub import create_app
from eventhub.extensions import csrf, db
from eventhub.registration.models import Registration
from eventhub.timeutil import UTCDateTime, utcnow

scratch_metadata = sa.MetaData()  # not the application's metadata: migrations and tests never see it
scan_marks = sa.Table(
    "bench_checkin_marks", scratch_metadata,
    sa.Column("registration_id", sa.Integer, primary_key=True),
    sa.Column("scans", sa.Integer, nullable=False, default=0),
    sa.Column("last_scanned_at", UTCDateTime()),
)


def create_scratch_table(registration_ids: list[int]) -> None:
    """Create the scratch table with one row per registration (inside an application context)."""
    scratch_metadata.create_all(db.engine)
    db.session.execute(scan_marks.insert(), [{"registration_id": rid, "scans": 0} for rid in registration_ids])
    db.session.commit()


def add_baseline_route(flask_app) -> None:
    @flask_app.post("/bench/checkin-baseline")
    @csrf.exempt
    def bench_checkin_baseline():
        payload = request.get_json(force=True, silent=True) or {}
        registration_id = db.session.scalar(sa.select(Registration.id).where(
            Registration.ticket_code == str(payload.get("code") or "")))
        if registration_id is None:
            return jsonify({"result": "unknown_ticket"})
        db.session.execute(scan_marks.update().where(scan_marks.c.registration_id == registration_id).values(
            scans=scan_marks.c.scans + 1, last_scanned_at=utcnow()))
        db.session.commit()
        return jsonify({"result": "ok"})


def create_bench_app():
    flask_app = create_app()
    add_baseline_route(flask_app)
    return flask_app


def __getattr__(name):
    if name == "app":
        globals()["app"] = create_bench_app()
        return globals()["app"]
    raise AttributeError(name)
