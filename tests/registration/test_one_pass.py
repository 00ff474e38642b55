"""Issue 17 item 2: the registration page shows every problem in one pass, marks what is required as the server
requires it, and the ticket page it ends on says so and tells how to come back."""
import re

import pytest

from eventhub.registration import setup
from eventhub.registration.models import QuestionKind


@pytest.fixture
def event(factory):
    event = factory.event(factory.organisation("Sở KH&CN Đắk Lắk"), publish=True, capacity=5,
                          title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    factory.category(event, "Học sinh, sinh viên")
    question = setup.save_question(event.id, None, setup.QuestionDetails(
        label="Bạn biết sự kiện qua đâu?", kind=QuestionKind.SHORT_TEXT, options=[], required=True))
    optional = setup.save_question(event.id, None, setup.QuestionDetails(
        label="Góp ý cho ban tổ chức", kind=QuestionKind.SHORT_TEXT, options=[], required=False))
    event.question_ids = (question.id, optional.id)
    return event


def errors_of(page: str) -> dict[str, list[str]]:
    return {name: re.findall(r"<li>([^<]+)</li>", items)
            for name, items in re.findall(r'<ul class="errors" id="([\w-]+)-errors">(.*?)</ul>', page, flags=re.S)}


def test_an_empty_registration_shows_every_problem_at_once(event, browser):
    required, optional = event.question_ids
    response = browser.post(f"/events/{event.slug}/register", {"full_name": "", "phone": "12"})
    assert response.status_code == 422
    errors = errors_of(response.get_data(as_text=True))
    # the form's own validators (category, name) and the service's rules (contact, question, consent) together
    assert set(errors) == {"category_id", "full_name", "phone", f"q_{required}", "consent"}, errors
    assert errors["full_name"] == ["Trường này là bắt buộc."]  # one message per field, not the form's and the service's
    assert "Số điện thoại không hợp lệ" in errors["phone"][0]
    # filled in once with everything the page asked for, it goes through
    fixed = browser.post(f"/events/{event.slug}/register", {
        "category_id": re.search(r'name="category_id"[^>]*value="(\d+)"', response.get_data(as_text=True)).group(1),
        "full_name": "H'Nhi Niê", "phone": "0912345678", f"q_{required}": "Zalo", "consent": "y"})
    assert fixed.status_code == 302


def test_required_fields_are_marked_as_the_server_requires_them(event, browser):
    required, optional = event.question_ids
    page = browser.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert page.count('class="hint required-legend"') == 1  # the "* Bắt buộc" legend, once
    # the marker is drawn by CSS on the label of a field marked required (.field.required > label::after)
    marked = set()
    for box in re.findall(r'<div class="field[^"]*\brequired\b[^"]*"[^>]*>(.*?)</div>', page, flags=re.S):
        marked.add(re.search(r'<label for="([\w-]+)"', box).group(1))
    assert marked == {"category_id", "full_name", f"q_{required}", "consent"}, marked
    for name in ("full_name", f"q_{required}", "consent"):
        control = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', page).group(0)
        assert " required" in control and 'aria-required="true"' in control, control
    for name in ("email", "phone", f"q_{optional}", "birth_year"):
        control = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', page).group(0)
        assert " required" not in control and "aria-required" not in control, control
    assert re.search(r'<input[^>]*id="category_id-0"[^>]*required', page)  # radios: one of them is required
    assert 'maxlength="150"' in re.search(r'<input[^>]*\bid="full_name"[^>]*>', page).group(0)


def test_the_ticket_page_greets_once_and_tells_how_to_come_back(event, browser):
    required, _optional = event.question_ids
    page = browser.get(f"/events/{event.slug}/register").get_data(as_text=True)
    category = re.search(r'name="category_id"[^>]*value="(\d+)"', page).group(1)
    response = browser.post(f"/events/{event.slug}/register", {
        "category_id": category, "full_name": "Y Bhin Niê", "email": "ybhin@example.vn", f"q_{required}": "Bạn bè",
        "consent": "y"})
    ticket = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đăng ký thành công, đây là vé của bạn." in ticket
    assert "đường liên kết bí mật" in ticket and "ybhin@example.vn" in ticket and "mất vé" in ticket
    again = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đăng ký thành công" not in again and "Mã QR vé" in again


def test_an_english_reader_reads_the_consent_in_english_and_accepts_the_recorded_vietnamese(event, browser):
    browser.get("/language/en")
    page = browser.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Consent to the processing of personal data" in page
    assert "Đồng ý xử lý dữ liệu cá nhân" in page.split('class="consent-original"')[1]  # the recorded text, kept


def test_the_event_form_shows_its_own_and_the_service_s_problems_together(factory, browser):
    from eventhub.accounts.models import Role
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("sukien@skhcn.vn", organisation=organisation, role=Role.ORGANISER)
    browser.login("sukien@skhcn.vn")
    response = browser.post("/manage/events/new", {
        "organisation_id": str(organisation.id), "title": "", "event_type": "training", "level": "province",
        "visibility": "public", "province": "Đắk Lắk", "venue_name": "Hội trường", "starts_at": "10/03/2027 08:00",
        "ends_at": "09/03/2027 17:00", "capacity": "0"})
    assert response.status_code == 422
    errors = errors_of(response.get_data(as_text=True))
    assert {"title", "ends_at", "capacity"} <= set(errors), errors
