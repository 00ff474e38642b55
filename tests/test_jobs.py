"""Scheduled jobs with a controllable clock: every service takes `now`; nothing sleeps."""
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from eventhub import jobs
from eventhub.events import services as events
from eventhub.events.models import Event, EventStatus
from eventhub.extensions import db
from eventhub.jobs import housekeeping, reminders
from eventhub.jobs.models import apscheduler_jobs
from eventhub.mail.models import Channel, NotificationLog, OutboxMessage
from eventhub.mail.rendering import render
from eventhub.mail.services import deliver_due
from eventhub.registration import services as registration_services
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.scheduling import services as agenda
from eventhub.scheduling import signup
from eventhub.scheduling.models import SessionSignup, SessionType, SignupStatus
from eventhub.timeutil import utcnow
from tests.scheduling.factories import make_room, make_session
from tests.support.server import REPO_ROOT
from tests.support.smtp import delivering_to_smtp


@pytest.fixture
def smtp(app):
    with delivering_to_smtp(app) as mailbox:
        yield mailbox


def outbox(subject_start: str = "") -> list[OutboxMessage]:
    """Messages whose subject, as they will be sent, starts so (templated messages are rendered when sent)."""
    db.session.expire_all()
    return [m for m in db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
            if render(m).subject.startswith(subject_start)]


def startup_day(factory, **overrides):
    event = factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027",
                          **overrides)
    return event, factory.category(event)


# Day-before reminder ---------------------------------------------------------------------------

def test_the_day_before_each_confirmed_registrant_gets_one_reminder_with_the_ticket(factory, smtp):
    event, category = startup_day(factory)
    first = factory.registration(event, category, full_name="Nguyễn Thị Hồng Nhung", email="nhung@example.vn")
    factory.registration(event, category, email="an@example.vn")
    deliver_due()
    smtp.messages.clear()
    now = event.starts_at - timedelta(hours=20)

    assert reminders.remind_event_registrants(now) == 2
    assert reminders.remind_event_registrants(now) == 0
    assert reminders.remind_event_registrants(now + timedelta(hours=3)) == 0
    assert deliver_due(now)["sent"] == 2
    assert deliver_due(now + timedelta(hours=1))["sent"] == 0

    assert len(smtp.messages) == 2
    message = next(m for m in smtp.messages if m["To"] == "nhung@example.vn")
    assert message["Subject"] == "Nhắc lịch ngày mai: Ngày hội khởi nghiệp Đắk Lắk 2027"
    text = message.get_body(("plain",)).get_content()
    assert "Xin chào Nguyễn Thị Hồng Nhung" in text and first.ticket_code in text and first.access_key in text
    assert 'src="cid:ticket-qr@eventhub"' in message.get_body(("html",)).get_content()
    assert {part.get_content_type() for part in message.walk()} >= {"image/png", "text/calendar"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationLog)) == 2


def test_the_reminder_waits_for_the_day_before_and_skips_who_should_not_get_it(factory):
    event, category = startup_day(factory)
    confirmed = factory.registration(event, category)
    cancelled = factory.registration(event, category)
    registration_services.cancel(cancelled.id)
    phone_only = factory.registration(event, category, email=None)  # reminded by SMS
    late = factory.registration(event, category)
    db.session.execute(sa.update(Registration).where(Registration.id == late.id)
                       .values(status_changed_at=event.starts_at - timedelta(hours=2)))
    db.session.commit()
    before = len(outbox())

    assert reminders.remind_event_registrants(event.starts_at - timedelta(hours=25)) == 0
    assert reminders.remind_event_registrants(event.starts_at + timedelta(minutes=1)) == 0
    assert reminders.remind_event_registrants(event.starts_at - timedelta(hours=23)) == 2
    by_mail, by_sms = outbox("Nhắc lịch")
    assert by_mail.recipient == confirmed.email and len(outbox()) == before + 2
    assert by_sms.channel == Channel.SMS and by_sms.recipient == phone_only.phone


def test_a_rescheduled_event_is_reminded_again_for_its_new_date(factory):
    event, category = startup_day(factory)
    factory.registration(event, category)
    assert reminders.remind_event_registrants(event.starts_at - timedelta(hours=10)) == 1
    details = events.EventDetails.of(event)
    details.starts_at, details.ends_at = event.starts_at + timedelta(days=2), event.ends_at + timedelta(days=2)
    events.update_event(event.id, details)
    assert reminders.remind_event_registrants(details.starts_at - timedelta(hours=10)) == 1
    assert len(outbox("Nhắc lịch")) == 2


def test_two_runs_at_once_queue_each_reminder_once(app, factory):
    event, category = startup_day(factory)
    for n in range(6):
        factory.registration(event, category, n=900 + n)
    now = event.starts_at - timedelta(hours=12)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                results.append(reminders.remind_event_registrants(now))
            except Exception as error:  # surfaced by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == 6
    recipients = [m.recipient for m in outbox("Nhắc lịch")]
    assert len(recipients) == 6 == len(set(recipients))


# Registration deadline and waiting lists -------------------------------------------------------

def test_registration_closes_by_itself_at_the_deadline(factory):
    organisation = factory.organisation()
    start = factory.event_details().starts_at
    event = factory.event(organisation, publish=True, registration_closes_at=start - timedelta(days=2))
    other = factory.event(organisation, publish=True)
    deadline = event.registration_closes_at

    assert housekeeping.close_due_registrations(deadline - timedelta(minutes=1)) == []
    assert housekeeping.close_due_registrations(deadline) == [event.id]
    assert housekeeping.close_due_registrations(deadline + timedelta(minutes=1)) == []
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.REGISTRATION_CLOSED
    assert db.session.get(Event, other.id).status == EventStatus.PUBLISHED


NOBODY = {"registrations": [], "session_signups": []}


def test_free_seats_go_to_the_waiting_list_in_order(factory):
    event, category = startup_day(factory, capacity=1)
    factory.registration(event, category)
    first_waiting = factory.registration(event, category)
    second_waiting = factory.registration(event, category)
    assert first_waiting.status == RegistrationStatus.WAITLISTED
    now = event.starts_at - timedelta(days=3)
    assert housekeeping.promote_waiting_lists(now) == NOBODY
    # Seats freed behind the services' back (a capacity raised straight in the database).
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(capacity=2))
    db.session.commit()

    assert housekeeping.promote_waiting_lists(now) == {"registrations": [first_waiting.id], "session_signups": []}
    assert housekeeping.promote_waiting_lists(now) == NOBODY
    db.session.expire_all()
    assert db.session.get(Registration, first_waiting.id).status == RegistrationStatus.CONFIRMED
    assert db.session.get(Registration, second_waiting.id).status == RegistrationStatus.WAITLISTED
    assert housekeeping.promote_waiting_lists(event.ends_at) == NOBODY  # over: nobody is promoted any more


# The scheduler ---------------------------------------------------------------------------------

def stored_jobs() -> dict[str, float]:
    with db.engine.connect() as connection:
        return dict(connection.execute(sa.select(apscheduler_jobs.c.id, apscheduler_jobs.c.next_run_time)).all())


def test_jobs_are_stored_in_the_database_and_survive_a_restart(app):
    with db.engine.begin() as connection:  # a job an older version defined
        connection.execute(apscheduler_jobs.insert().values(id="retired-job", next_run_time=1.0, job_state=b"x"))
    first = jobs.build_scheduler(app, background=True)
    first.start(paused=True)
    first.shutdown()
    expected = set(jobs.schedule(app.config))
    assert set(stored_jobs()) == expected == {
        "deliver-outbox", "event-reminders", "session-reminders", "close-registrations", "waiting-lists",
        "report-snapshots"}

    missed = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
    with db.engine.begin() as connection:  # the process was down while a run fell due
        connection.execute(sa.update(apscheduler_jobs).where(apscheduler_jobs.c.id == "event-reminders")
                           .values(next_run_time=missed.timestamp()))
    second = jobs.build_scheduler(app, background=True)
    second.start(paused=True)
    try:
        assert {job.id for job in second.get_jobs()} == expected
        assert second.get_job("event-reminders").next_run_time == missed
        assert second.get_job("session-reminders").trigger.interval == timedelta(minutes=5)
    finally:
        second.shutdown()
    assert set(stored_jobs()) == expected


def test_a_stored_job_runs_its_service_in_the_schedulers_app(app, factory):
    event, category = startup_day(factory)
    registration = factory.registration(event, category)
    # It starts in two hours by the real clock; the ticket went out long before.
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(starts_at=utcnow() + timedelta(hours=2)))
    db.session.execute(sa.update(Registration).where(Registration.id == registration.id)
                       .values(status_changed_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    scheduler = jobs.build_scheduler(app, background=True)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("event-reminders")
        job.func(*job.args)
        job.func(*job.args)
    finally:
        scheduler.shutdown()
    assert [m.recipient for m in outbox("Nhắc lịch")] == [registration.email]


def test_the_report_snapshot_job_stores_each_due_snapshot_once(app, factory):
    from eventhub.reports.models import ReportSnapshot

    factory.organisation()
    scheduler = jobs.build_scheduler(app, background=True)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("report-snapshots")
        job.func(*job.args)
        job.func(*job.args)
    finally:
        scheduler.shutdown()
    kinds = db.session.scalars(sa.select(ReportSnapshot.kind)).all()
    assert sorted(kind.value for kind in kinds) == ["monthly", "year_end"]


def test_creating_the_app_starts_no_scheduler(app):
    from eventhub import create_app

    before = {thread.name for thread in threading.enumerate()}
    create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert {thread.name for thread in threading.enumerate()} == before


# Hour-before session reminder and session waiting lists ----------------------------------------

def workshop_with_people(factory, *, seats=2, people=3):
    event, category = startup_day(factory)
    workshop = make_session(event, "Workshop lập kế hoạch kinh doanh", session_type=SessionType.WORKSHOP,
                            room=make_room(event, "Phòng tập huấn A", capacity=30), capacity=seats,
                            signup_required=True)
    registrations = [factory.registration(event, category) for _ in range(people)]
    signups = [signup.sign_up(workshop.id, registration.id) for registration in registrations]
    return event, workshop, registrations, signups


def test_an_hour_before_a_workshop_its_seat_holders_get_one_reminder(factory, smtp):
    event, workshop, registrations, _signups = workshop_with_people(factory)
    deliver_due()
    smtp.messages.clear()

    assert reminders.remind_session_signups(workshop.starts_at - timedelta(minutes=61)) == 0
    assert reminders.remind_session_signups(workshop.starts_at - timedelta(minutes=55)) == 2
    assert reminders.remind_session_signups(workshop.starts_at - timedelta(minutes=50)) == 0
    assert reminders.remind_session_signups(workshop.starts_at) == 0
    assert deliver_due(workshop.starts_at)["sent"] == 2
    assert sorted(m["To"] for m in smtp.messages) == sorted(r.email for r in registrations[:2])  # not the waiting one
    message = smtp.messages[0]
    local_start = workshop.starts_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert message["Subject"] == f"Sắp bắt đầu lúc {local_start:%H:%M}: Workshop lập kế hoạch kinh doanh"
    assert "Phòng tập huấn A" in message.get_body(("plain",)).get_content()


def test_a_cancelled_session_sends_no_reminder(factory):
    event, workshop, _registrations, _signups = workshop_with_people(factory)
    agenda.cancel_session(event.id, workshop.id, "Giảng viên ốm")
    assert reminders.remind_session_signups(workshop.starts_at - timedelta(minutes=30)) == 0


def test_seats_freed_by_a_cancelled_ticket_go_to_the_workshops_waiting_line(factory):

    event, workshop, registrations, signups = workshop_with_people(factory)
    assert signups[2].status == SignupStatus.WAITLISTED
    # The ticket is cancelled: its seat is free, but the session's own line only moves on the next tidy-up.
    registration_services.cancel(registrations[0].id)
    now = workshop.starts_at - timedelta(days=1)
    assert housekeeping.promote_waiting_lists(now) == {"registrations": [], "session_signups": [signups[2].id]}
    assert housekeeping.promote_waiting_lists(now) == NOBODY
    db.session.expire_all()
    assert db.session.get(SessionSignup, signups[2].id).status == SignupStatus.CONFIRMED


def test_the_production_scheduler_is_its_own_process_and_stops_cleanly(app, database_url):
    """`flask --app wsgi eventhub scheduler` stores its jobs in the app database and stops on SIGTERM."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"EVENTHUB_TEST_DB", "TEST_DATABASE_URL"}}
    environment.update(EVENTHUB_ENV="production", SECRET_KEY="x" * 32, DATABASE_URL=database_url, PYTHONUNBUFFERED="1",
                       RATELIMIT_ENABLED="false")
    process = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "eventhub", "scheduler"],
                               cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        deadline = time.monotonic() + 30
        while len(stored_jobs()) < len(jobs.schedule(app.config)) and process.poll() is None:
            assert time.monotonic() < deadline, "the scheduler did not store its jobs"
            time.sleep(0.1)  # waiting for another process to start, not for a job's time
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "Scheduler started" in output and "Traceback" not in output
    assert set(stored_jobs()) == set(jobs.schedule(app.config))
