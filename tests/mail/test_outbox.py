from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail import services
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.registration import tickets
from eventhub.registration.models import RegistrationStatus
from eventhub.timeutil import utcnow
from tests.registration.test_tickets import decode_qr
from tests.support.smtp import free_port, smtp_server


@pytest.fixture
def mail_config(app):
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    yield app.config
    app.config.update(saved)


@pytest.fixture
def smtp(mail_config):
    with smtp_server() as (port, mailbox):
        mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield mailbox


def ticket_for(factory):
    event = factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    return factory.registration(event, factory.category(event), full_name="Nguyễn Thị Hồng Nhung",
                                email="nhung@example.vn")


def test_a_ticket_email_arrives_with_html_text_inline_qr_and_calendar(factory, smtp):
    registration = ticket_for(factory)
    assert services.deliver_due()["sent"] == 1
    [message] = smtp.messages
    assert message["To"] == "nhung@example.vn"
    assert message["Subject"] == "Vé tham dự: Ngày hội khởi nghiệp Đắk Lắk 2027"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Xin chào Nguyễn Thị Hồng Nhung" in text and registration.access_key in text
    assert 'src="cid:ticket-qr@eventhub"' in html
    parts = {part.get_content_type(): part for part in message.walk()}
    assert parts["image/png"]["Content-ID"] == "<ticket-qr@eventhub>"
    assert decode_qr(parts["image/png"].get_content()) == tickets.qr_payload(registration.ticket_code)
    calendar = parts["text/calendar"].get_content()
    assert "BEGIN:VCALENDAR" in (calendar if isinstance(calendar, str) else calendar.decode())
    assert db.session.scalar(sa.select(OutboxMessage)).status == OutboxStatus.SENT


def test_registration_succeeds_while_the_mail_server_is_down_and_mail_goes_out_later(factory, mail_config):
    port = free_port()
    mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    registration = ticket_for(factory)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert services.deliver_due()["failed"] == 1
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.status == OutboxStatus.PENDING and message.attempts == 1 and message.last_error
    assert services.deliver_due()["sent"] == 0  # not due again yet
    with smtp_server(port) as (_port, mailbox):
        assert services.deliver_due(now=utcnow() + timedelta(minutes=2))["sent"] == 1
    assert len(mailbox.messages) == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.SENT


def test_delivering_twice_sends_each_message_once(factory, smtp):
    ticket_for(factory)
    services.deliver_due()
    services.deliver_due(now=utcnow() + timedelta(hours=1))
    assert len(smtp.messages) == 1


def test_without_smtp_settings_mail_waits_in_the_outbox(factory, mail_config, browser):
    mail_config.update(MAIL_SERVER="")
    ticket_for(factory)
    assert services.deliver_due() == {"sent": 0, "failed": 0, "skipped": 0}
    assert db.session.scalar(sa.select(OutboxMessage)).status == OutboxStatus.PENDING
    factory.user("root@example.vn", platform_admin=True)
    browser.login("root@example.vn")
    page = browser.get("/admin/outbox").get_data(as_text=True)
    assert "Vé tham dự: Ngày hội khởi nghiệp Đắk Lắk 2027" in page and "Chưa cấu hình kênh gửi nào" in page


def test_a_message_is_marked_failed_only_after_the_retry_window_and_admins_are_alerted(factory, mail_config):
    mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    factory.user("root@example.vn", platform_admin=True)
    ticket_for(factory)
    moment = utcnow()
    window = timedelta(hours=mail_config["OUTBOX_RETRY_HOURS"])
    while moment < utcnow() + window - timedelta(hours=1):
        services.deliver_due(now=moment)
        moment += timedelta(hours=1)
    ticket = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.template.is_not(None)))
    assert ticket.status == OutboxStatus.PENDING and ticket.attempts > 8
    services.deliver_due(now=utcnow() + window + timedelta(minutes=1))
    db.session.refresh(ticket)
    assert ticket.status == OutboxStatus.FAILED and "Connection refused" in ticket.last_error
    [alert] = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "root@example.vn"))
    assert "email" in alert.subject and alert.status == OutboxStatus.PENDING
    assert services.requeue(services.failed_ids()) == 1
    db.session.refresh(ticket)
    assert ticket.status == OutboxStatus.PENDING and ticket.attempts == 0


def test_outbox_page_is_for_platform_admins_only(factory, browser):
    organisation = factory.organisation()
    factory.user("tochuc@example.vn", organisation=organisation)
    browser.login("tochuc@example.vn")
    assert browser.get("/admin/outbox").status_code == 403


def test_the_opt_out_link_asks_then_stops_organiser_messages_and_a_forged_link_is_404(browser):
    link = services.opt_out_url("Lan@Example.vn").split("127.0.0.1:5000", 1)[-1]
    page = browser.get(link).get_data(as_text=True)
    assert "lan@example.vn" in page and not services.is_opted_out(services.Contact(email="lan@example.vn"))
    browser.post(link, {})
    assert services.is_opted_out(services.Contact(email="LAN@example.vn", phone="0912345678"))
    assert browser.get(link[:-3] + "abc").status_code == 404


def test_admins_filter_the_outbox_page_and_requeue_one_message(factory, browser):
    services.enqueue("an@example.vn", "Thư một", "x")
    failed = services.enqueue("binh@example.vn", "Thư hai", "y")
    failed.status, failed.last_error = OutboxStatus.FAILED, "smtp: 550 mailbox unavailable"
    db.session.commit()
    factory.user("root@example.vn", platform_admin=True)
    browser.login("root@example.vn")
    page = browser.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "Thư hai" in page and "Thư một" not in page and "550 mailbox unavailable" in page
    browser.post("/admin/outbox/requeue", {"id": str(failed.id)})
    db.session.refresh(failed)
    assert failed.status == OutboxStatus.PENDING and failed.requeued_at is not None
