"""Scheduled jobs. Each opens an application context and calls an idempotent service with the current
time; the scheduler runs in exactly one process (`flask eventhub scheduler`, or inside
`flask eventhub dev-server`) and keeps its jobs in the app database (`apscheduler_jobs`)."""
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from ..extensions import db
from ..timeutil import utcnow
from .models import JOB_TABLE, apscheduler_jobs

log = logging.getLogger(__name__)

# Stored jobs name their function by import path and carry no arguments (they are pickled into the
# database), so the functions find the application of this process's one scheduler here.
_app: Flask | None = None


def _run(name: str, service: Callable[..., object]) -> None:
    with _app.app_context():
        result = service(now=utcnow())
        if any(result.values()) if isinstance(result, dict) else result:
            log.info("%s: %s", name, result)


def deliver_outbox() -> None:
    from ..mail.services import deliver_due

    _run("outbox", deliver_due)


def remind_events() -> None:
    from .reminders import remind_event_registrants

    _run("event reminders", remind_event_registrants)


def remind_sessions() -> None:
    from .reminders import remind_session_signups

    _run("session reminders", remind_session_signups)


def close_registrations() -> None:
    from .housekeeping import close_due_registrations

    _run("registration closed", close_due_registrations)


def tidy_waiting_lists() -> None:
    from .housekeeping import promote_waiting_lists

    _run("waiting lists", promote_waiting_lists)


def take_report_snapshots() -> None:
    from ..reports.snapshots import take_due_snapshots

    _run("report snapshots", take_due_snapshots)


def schedule(config) -> dict[str, tuple[Callable[[], None], int]]:
    """Job id → (function, interval in seconds). Reminders look ahead over a window, so a run that
    comes late (or after downtime) still sends what is due."""
    return {
        "deliver-outbox": (deliver_outbox, config["OUTBOX_INTERVAL_SECONDS"]),
        "event-reminders": (remind_events, 10 * 60),
        "session-reminders": (remind_sessions, 5 * 60),
        "close-registrations": (close_registrations, 60),
        "waiting-lists": (tidy_waiting_lists, 10 * 60),
        "report-snapshots": (take_report_snapshots, 60 * 60),
    }


def build_scheduler(app: Flask, *, background: bool):
    """A scheduler over the persistent job store. Jobs keep their stored next run time across restarts
    (one that fell due while no scheduler ran runs at once, once); jobs no longer defined are dropped."""
    global _app
    _app = app
    jobs = schedule(app.config)
    with app.app_context():
        engine = db.engine
        with engine.begin() as connection:
            connection.execute(sa.delete(apscheduler_jobs).where(apscheduler_jobs.c.id.not_in(list(jobs))))
            stored = dict(connection.execute(sa.select(apscheduler_jobs.c.id, apscheduler_jobs.c.next_run_time)).all())
    scheduler_class = BackgroundScheduler if background else BlockingScheduler
    scheduler = scheduler_class(
        timezone=app.config["EVENTHUB_TIMEZONE"],
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
        # Late runs are still wanted (every job is idempotent); several missed runs collapse into one.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    for job_id, (function, seconds) in jobs.items():
        options = {}
        if stored.get(job_id) is not None:
            options["next_run_time"] = datetime.fromtimestamp(stored[job_id], UTC)
        scheduler.add_job(function, "interval", seconds=seconds, id=job_id, replace_existing=True, **options)
    return scheduler
