"""The real application plus one benchmark-only route, `POST /bench/baseline`, that inserts one row
into a scratch table in one transaction: the floor any write endpoint is compared with.
Serve with `gunicorn bench.baseline_app:app` (from the repository root); eventhub/ is untouched.
The application is built on first access to `app`, so importing the module for its table is free."""
import sqlalchemy as sa
from flask import jsonify, request

from eventhub import create_app
from eventhub.extensions import csrf, db
from eventhub.timeutil import UTCDateTime, utcnow

scratch_metadata = sa.MetaData()  # not the application's metadata: migrations and tests never see it
baseline_rows = sa.Table(
    "bench_baseline_rows", scratch_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("full_name", sa.String(150), nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)


def create_scratch_table() -> None:
    """Create the scratch table (inside an application context), before any server starts."""
    scratch_metadata.create_all(db.engine)


def add_baseline_route(flask_app) -> None:
    @flask_app.post("/bench/baseline")
    @csrf.exempt
    def bench_baseline():
        payload = request.get_json(force=True, silent=True) or {}
        db.session.execute(baseline_rows.insert().values(
            full_name=str(payload.get("full_name") or "?"), email=payload.get("email"), created_at=utcnow()))
        db.session.commit()
        return jsonify({"status": "inserted"}), 201


def create_bench_app():
    flask_app = create_app()
    add_baseline_route(flask_app)
    return flask_app


def __getattr__(name):
    if name == "app":
        globals()["app"] = create_bench_app()
        return globals()["app"]
    raise AttributeError(name)
