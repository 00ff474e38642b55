"""Name badges read back with independent readers: pypdf for pages and text, zxing-cpp for the QR code."""
import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from eventhub.accounts.models import Role
from eventhub.badges import LAYOUTS
from eventhub.checkin import badges
from eventhub.registration import services as registrations
from eventhub.registration import tickets

NAME = "Nguyễn Thị Ánh Tuyết"


@pytest.fixture
def event(factory):
    organisation = factory.organisation("Sở KH&CN tỉnh Đắk Lắk")
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    return factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")


@pytest.fixture
def people(factory, event):
    """Nine confirmed people (six students, three officials) and one cancelled student."""
    students = factory.category(event, "Học sinh, sinh viên")
    officials = factory.category(event, "Cán bộ, công chức", "official")
    confirmed = [factory.registration(event, students, full_name=NAME, organisation_name="HTX Cà phê Buôn Ma Thuột")]
    confirmed += [factory.registration(event, students, full_name=f"Trần Văn Bình {n}") for n in range(5)]
    confirmed += [factory.registration(event, officials, full_name=f"Lê Thị Hồng Nhung {n}") for n in range(3)]
    gone = factory.registration(event, students, full_name="Hoàng Văn Hải")
    registrations.cancel(gone.id)
    return {"confirmed": confirmed, "cancelled": gone, "students": students, "officials": officials}


@pytest.fixture
def organiser(browser, event):
    browser.login("tochuc@example.vn")
    return browser


def read(response) -> PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def text_of(pages) -> str:
    """The pages' text with line breaks as spaces (a long name wraps onto two lines)."""
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def decoded_payloads(page) -> list[str]:
    return [result.text for image in page.images
            for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))]


@pytest.mark.parametrize("layout, pages", [("a6", 9), ("a4x8", 2)])
def test_confirmed_people_by_default_one_per_a6_page_or_eight_per_a4(organiser, event, people, layout, pages):
    reader = read(organiser.get(f"/manage/events/{event.id}/checkin/badges.pdf?layout={layout}"))
    assert len(reader.pages) == pages
    text = text_of(reader.pages)
    assert NAME in text and "HTX Cà phê Buôn Ma Thuột" in text and "Hoàng Văn Hải" not in text
    assert "Ngày hội khởi nghiệp Đắk Lắk 2027" in text and "Cán bộ, công chức" in text
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    expected = (105, 148) if layout == "a6" else (210, 297)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == expected
    payloads = [payload for page in reader.pages for payload in decoded_payloads(page)]
    assert sorted(tickets.verify_payload(p) for p in payloads) == sorted(r.ticket_code for r in people["confirmed"])


def test_the_attendee_filters_choose_who_is_printed(organiser, event, people):
    base = f"/manage/events/{event.id}/checkin/badges.pdf"
    assert len(read(organiser.get(f"{base}?category_id={people['officials'].id}")).pages) == 3
    assert len(read(organiser.get(f"{base}?status=all&layout=a6")).pages) == 10
    cancelled = read(organiser.get(f"{base}?status=cancelled"))
    assert len(cancelled.pages) == 1 and "Hoàng Văn Hải" in text_of(cancelled.pages)
    found = read(organiser.get(f"{base}?q=anh tuyet"))
    assert len(found.pages) == 1 and NAME in text_of(found.pages)


def test_one_person_badge_with_a_readable_qr(organiser, event, people):
    person = people["confirmed"][0]
    for layout in ("a6", "a4x8"):
        reader = read(organiser.get(f"/manage/events/{event.id}/checkin/badges/{person.id}.pdf?layout={layout}"))
        assert len(reader.pages) == 1 and NAME in text_of(reader.pages)
        [payload] = decoded_payloads(reader.pages[0])
        assert tickets.verify_payload(payload) == person.ticket_code


def test_unknown_layout_and_status_are_refused_in_vietnamese(organiser, event, people):
    response = organiser.get(f"/manage/events/{event.id}/checkin/badges.pdf?layout=letter")
    assert response.status_code == 400 and "Không có khổ thẻ “letter”" in response.get_data(as_text=True)
    single = organiser.get(f"/manage/events/{event.id}/checkin/badges/{people['confirmed'][0].id}.pdf?layout=a5")
    assert single.status_code == 400
    status = organiser.get(f"/manage/events/{event.id}/checkin/badges.pdf?status=vip")
    assert status.status_code == 400 and "Trạng thái “vip” không hợp lệ." in status.get_data(as_text=True)


def test_too_many_or_no_badges_get_a_clear_message(organiser, event, people, monkeypatch):
    monkeypatch.setattr(badges, "MAX_BADGES", 5)
    response = organiser.get(f"/manage/events/{event.id}/checkin/badges.pdf")
    assert response.status_code == 400
    assert "Bộ lọc chọn 9 người, vượt quá 5 thẻ cho một tệp PDF." in response.get_data(as_text=True)
    empty = organiser.get(f"/manage/events/{event.id}/checkin/badges.pdf?q=khong-co-ai")
    assert empty.status_code == 404 and "Không có người nào khớp bộ lọc để in thẻ." in empty.get_data(as_text=True)


def test_a_registration_of_another_event_is_not_found(organiser, factory, event, people):
    other = factory.event(factory.organisation(), publish=True)
    stranger = factory.registration(other, factory.category(other))
    assert organiser.get(f"/manage/events/{event.id}/checkin/badges/{stranger.id}.pdf").status_code == 404


def test_another_organisation_gets_no_badges(factory, event, people, browser):
    factory.user("khac@example.vn", organisation=factory.organisation("Sở KH&CN tỉnh Gia Lai"), role=Role.ADMIN)
    browser.login("khac@example.vn")
    assert browser.get(f"/manage/events/{event.id}/checkin/badges.pdf").status_code == 404
    assert browser.get(f"/manage/events/{event.id}/checkin/badges/{people['confirmed'][0].id}.pdf").status_code == 404


def test_a_long_name_shrinks_to_fit(factory, event, app):
    category = factory.category(event)
    person = factory.registration(event, category, full_name="Tôn Nữ Thị Phương Thảo Nguyễn Hoàng Bảo Ngọc Trâm Anh")
    for layout in LAYOUTS.values():
        reader = PdfReader(io.BytesIO(badges.badges_pdf([person], layout, event.title)))
        assert person.full_name in text_of(reader.pages)
