"""The delivery run: batches, back-off through a long outage, the same Message-ID after a crash, and two
delivery processes at once."""
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail import delivery, services
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.timeutil import utcnow
from tests.support.smtp import free_port, smtp_server

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mail_config(app):
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "KANNEL_SENDSMS_URL", "ZNS_API_URL")}
    app.config.update(KANNEL_SENDSMS_URL="", ZNS_API_URL="")
    yield app.config
    app.config.update(saved)


def queue(count: int, now=None):
    for n in range(count):
        services.enqueue(f"nguoi{n}@example.vn", f"Thông báo số {n}", "Nội dung", now=now)
    db.session.commit()


def test_five_hundred_due_messages_go_out_in_one_run(mail_config):
    queue(500)
    with smtp_server() as (port, mailbox):
        mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        assert services.deliver_due()["sent"] == 500
    assert len(mailbox.messages) == 500
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == OutboxStatus.SENT)) == 500


def test_a_three_hour_smtp_outage_ends_with_every_message_delivered_once(mail_config):
    port = free_port()
    mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    start = utcnow()
    queue(20, now=start)
    clock = start
    while clock < start + timedelta(hours=3):  # the mail server is down; the scheduler runs every 5 minutes
        assert services.deliver_due(now=clock)["sent"] == 0
        clock += timedelta(minutes=5)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == OutboxStatus.FAILED)) == 0
    with smtp_server(port) as (_port, mailbox):
        while clock < start + timedelta(hours=4, minutes=5):
            services.deliver_due(now=clock)
            clock += timedelta(minutes=5)
    ids = Counter(message["Message-ID"] for message in mailbox.messages)
    assert len(ids) == 20 and set(ids.values()) == {1}
    statuses = Counter(db.session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT: 20}


class Crash(Exception):
    pass


def test_a_crash_between_sending_and_recording_resends_with_the_same_message_id(mail_config):
    queue(1)
    with smtp_server() as (port, mailbox):
        mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)

        def crash(_message):
            raise Crash()

        with pytest.raises(Crash):
            services.deliver_due(send_hook=crash)
        db.session.rollback()
        message = db.session.scalar(sa.select(OutboxMessage))
        assert message.status == OutboxStatus.PENDING
        assert services.deliver_due()["sent"] == 0  # still claimed by the crashed run
        assert services.deliver_due(now=utcnow() + delivery.LEASE + timedelta(seconds=1))["sent"] == 1
    first, second = mailbox.messages
    assert first["Message-ID"] == second["Message-ID"] == f"<{message.idempotency_key}@eventhub.local>"


def test_two_delivery_processes_at_once_send_nothing_twice(mail_config, database_url):
    queue(300)
    with smtp_server() as (port, mailbox):
        environment = {**os.environ, "EVENTHUB_ENV": "production",
                       "SECRET_KEY": "two-delivery-runs-share-this-32-char-key", "RATELIMIT_ENABLED": "false",
                       "DATABASE_URL": database_url, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port),
                       "KANNEL_SENDSMS_URL": "", "ZNS_API_URL": ""}
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "eventhub", "send-mail"]
        runs = [subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    ids = Counter(message["Message-ID"] for message in mailbox.messages)
    assert len(ids) == 300 and set(ids.values()) == {1}
    sent = [int(output.split("'sent': ")[1].split(",")[0]) for output in outputs]
    assert sum(sent) == 300


def test_a_message_that_cannot_be_rendered_does_not_stop_the_run(mail_config):
    from eventhub.mail.rendering import renderer

    @renderer("test.broken")
    def broken_template(params):
        raise KeyError("title")

    queue(2)
    broken = OutboxMessage(recipient="x@example.vn", subject="", text_body="", template="test.broken", params={},
                           attachments=[])
    db.session.add(broken)
    db.session.commit()
    with smtp_server() as (port, mailbox):
        mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        assert services.deliver_due() == {"sent": 2, "failed": 1, "skipped": 0}
    db.session.refresh(broken)
    assert broken.status == OutboxStatus.PENDING and broken.last_error.startswith("render:")
