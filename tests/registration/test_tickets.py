"""Tickets checked with independent readers: zxing-cpp decodes the QR, pypdf reads the PDF,
vobject parses the calendar."""
import io

import pytest
import vobject
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from eventhub.errors import DomainError
from eventhub.registration import tickets
from eventhub.timeutil import to_local


@pytest.fixture
def registration(factory):
    event = factory.event(factory.organisation(), publish=True, title="Tập huấn khởi nghiệp xanh Đắk Lắk 2027",
                          venue_name="Hội trường Sở Khoa học và Công nghệ")
    return factory.registration(event, factory.category(event, "Phụ nữ"), full_name="H'Hen Niê",
                                organisation_name="HTX Cà phê Buôn Ma Thuột")


def decode_qr(png: bytes) -> str:
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result.text


def test_qr_encodes_a_signed_payload_that_verifies(registration):
    payload = decode_qr(tickets.qr_png(tickets.qr_payload(registration.ticket_code)))
    assert payload.startswith("EH1.") and registration.ticket_code in payload
    assert tickets.verify_payload(payload) == registration.ticket_code


@pytest.mark.parametrize("tamper", [
    lambda p: p.replace(p.split(".")[1], "A" * len(p.split(".")[1])),
    lambda p: p[:-3] + ("AAA" if not p.endswith("AAA") else "BBB"),
    lambda p: "EH1.abc.def",
])
def test_altered_or_forged_payloads_are_refused(registration, tamper):
    with pytest.raises(DomainError) as error:
        tickets.verify_payload(tamper(tickets.qr_payload(registration.ticket_code)))
    assert error.value.code == "forged_ticket"


def test_other_codes_are_not_tickets():
    for payload in ("", "https://example.vn", "EH2.a.b"):
        with pytest.raises(DomainError) as error:
            tickets.verify_payload(payload)
        assert error.value.code == "invalid_ticket"


def test_a_payload_signed_by_another_key_is_forged(app, registration):
    payload = tickets.qr_payload(registration.ticket_code)
    cache = app.extensions["eventhub_ticket_key"]
    saved_keys, saved_secret = dict(cache), app.config["SECRET_KEY"]
    cache.clear()
    app.config["SECRET_KEY"] = "another-installation"
    try:
        with pytest.raises(DomainError):
            tickets.verify_payload(payload)
    finally:
        app.config["SECRET_KEY"] = saved_secret
        cache.update(saved_keys)


def test_ticket_pdf_shows_the_person_and_a_readable_qr(registration):
    pdf = tickets.ticket_pdf(registration)
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    for expected in ("H'Hen Niê", "Phụ nữ", "HTX Cà phê Buôn Ma Thuột", "Tập huấn khởi nghiệp xanh Đắk Lắk 2027",
                     to_local(registration.event.starts_at).strftime("%d/%m/%Y %H:%M")):
        assert expected in text
    [image] = reader.pages[0].images
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    assert tickets.verify_payload(result.text) == registration.ticket_code


def test_event_calendar_parses_with_an_independent_reader(client, registration):
    event = registration.event
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response.mimetype == "text/calendar"
    calendar = vobject.readOne(response.get_data(as_text=True))
    vevent = calendar.vevent
    assert vevent.summary.value == event.title
    assert vevent.uid.value == f"event-{event.id}@eventhub.local"
    assert vevent.dtstart.value == to_local(event.starts_at)
    assert vevent.dtstart.value.utcoffset().total_seconds() == 7 * 3600
    assert vevent.dtend.value == to_local(event.ends_at)
    assert "Hội trường Sở Khoa học và Công nghệ" in vevent.location.value
