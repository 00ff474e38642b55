"""Control characters never reach a header, an SMS or a calendar property."""
import sqlalchemy as sa

from eventhub.events import services as events
from eventhub.extensions import db
from eventhub.mail import delivery
from eventhub.mail.models import OutboxMessage
from eventhub.text import normalise_pasted, one_line


def test_single_line_text_loses_every_line_breaker():
    assert one_line("Ngày hội\u2028khởi nghiệp\r\nĐắk\x00Lắk\u2029") == "Ngày hội khởi nghiệp Đắk Lắk"
    assert normalise_pasted("Dòng 1\r\nDòng 2\u2028Dòng 3\x00") == "Dòng 1\nDòng 2\nDòng 3"
    assert delivery.header_text("Vé\r\nBcc: x@example.vn") == "Vé Bcc: x@example.vn"


def test_a_title_with_a_line_separator_is_refused_with_a_clear_message(factory, browser):
    organisation = factory.organisation()
    factory.user("tochuc@example.vn", organisation=organisation)
    event = factory.event(organisation)
    browser.login("tochuc@example.vn")
    page = browser.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert page
    details = events.EventDetails.of(event)
    form = {name: value for name, value in _form_values(details).items()}
    form["title"] = "Ngày hội\u2028khởi nghiệp"
    response = browser.post(f"/manage/events/{event.id}/edit", form)
    assert response.status_code in (200, 422)
    assert "Chỉ được viết trên một dòng" in response.get_data(as_text=True)
    db.session.refresh(event)
    assert "\u2028" not in event.title


def _form_values(details):
    return {"title": details.title, "event_type": details.event_type.value, "level": details.level.value,
            "province": details.province, "venue_name": details.venue_name,
            "starts_at": details.starts_at.strftime("%d/%m/%Y %H:%M"),
            "ends_at": details.ends_at.strftime("%d/%m/%Y %H:%M"), "description_md": "Mô tả\r\ndòng hai"}


def test_an_event_title_with_a_separator_never_breaks_the_ticket_email(factory):
    event = factory.event(factory.organisation(), publish=True)
    db.session.execute(sa.update(type(event)).where(type(event).id == event.id)
                       .values(title="Ngày hội\u2028khởi nghiệp\r\n2027"))
    db.session.commit()
    factory.registration(event, factory.category(event), email="an@example.vn")
    message = db.session.scalar(sa.select(OutboxMessage))
    email = delivery.build_email(message, "EventHub <no-reply@eventhub.local>")
    assert email["Subject"] == "Vé tham dự: Ngày hội khởi nghiệp 2027"
    calendar = next(p for p in email.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_content_charset() == "utf-8" and calendar.get_param("method") == "PUBLISH"
    body = calendar.get_content()
    assert "SUMMARY:Ngày hội khởi nghiệp 2027" in body and "\u2028" not in body
