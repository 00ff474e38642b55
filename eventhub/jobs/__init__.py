"""Scheduled jobs. Each opens an application context and calls an idempotent service; the scheduler
runs in exactly one process (`flask eventhub scheduler`, or inside `flask eventhub dev-server`)."""
import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

log = logging.getLogger(__name__)


def deliver_outbox(app: Flask) -> None:
    from .mail.services import deliver_due

    with app.app_context():
        counts = deliver_due()
        if counts["sent"] or counts["failed"]:
            log.info("outbox: %s", counts)


def build_scheduler(app: Flask, *, background: bool):
    scheduler_class = BackgroundScheduler if background else BlockingScheduler
    scheduler = scheduler_class(timezone=app.config["EVENTHUB_TIMEZONE"],
                                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    scheduler.add_job(deliver_outbox, "interval", seconds=app.config["OUTBOX_INTERVAL_SECONDS"], args=[app],
                      id="deliver-outbox", replace_existing=True)
    return scheduler
