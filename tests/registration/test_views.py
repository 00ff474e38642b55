import re

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.mail.rendering import render
from eventhub.registration import services, setup
from eventhub.registration.models import QuestionKind, Registration, RegistrationMode, RegistrationStatus


@pytest.fixture
def open_event(factory):
    event = factory.event(factory.organisation("Sở KH&CN Đắk Lắk"), publish=True, capacity=2,
                          title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    factory.category(event, "Học sinh, sinh viên")
    return event


def form_data(event, **overrides):
    category = services.categories(event.id)[0]
    data = {"category_id": str(category.id), "full_name": "Lê Thị Thu Hà", "phone": "0912 345 678",
            "email": "thuha@example.vn", "gender": "female", "birth_year": "2005", "organisation_name":
            "Trường ĐH Tây Nguyên", "province": "Đắk Lắk", "sub_unit": "", "consent": "y"}
    data.update(overrides)
    return data


def test_portal_page_invites_registration_and_shows_seats(open_event, client):
    page = client.get(f"/events/{open_event.slug}").get_data(as_text=True)
    assert "Đăng ký ngay" in page and "Còn 2 chỗ." in page


def test_register_and_land_on_the_ticket_page_with_qr(open_event, browser):
    response = browser.post(f"/events/{open_event.slug}/register", form_data(open_event))
    assert response.status_code == 302
    ticket_url = response.headers["Location"]
    page = browser.get(ticket_url)
    text = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Lê Thị Thu Hà" in text and "Đã xác nhận" in text and "qr.png" in text
    registration = db.session.scalar(sa.select(Registration))
    assert registration.phone == "0912345678" and registration.consent is not None
    qr = browser.get(f"{ticket_url}/qr.png")
    assert qr.mimetype == "image/png" and qr.headers["Cache-Control"] == "no-store"
    assert browser.get(f"{ticket_url}/ticket.pdf").mimetype == "application/pdf"


def test_registration_form_explains_every_problem(open_event, browser):
    response = browser.post(f"/events/{open_event.slug}/register", form_data(
        open_event, full_name="", phone="123", email="khong-hop-le", consent="", birth_year="năm"))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("Trường này là bắt buộc.", "Vui lòng nhập một số nguyên."):
        assert message in text
    response = browser.post(f"/events/{open_event.slug}/register", form_data(
        open_event, phone="123", email="khong-hop-le", consent=""))
    text = response.get_data(as_text=True)
    for message in ("Số điện thoại không hợp lệ", "Địa chỉ e-mail không hợp lệ.",
                    "Vui lòng đọc và đồng ý với điều khoản xử lý dữ liệu cá nhân."):
        assert message in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_a_second_registration_offers_to_resend_the_ticket(open_event, browser):
    browser.post(f"/events/{open_event.slug}/register", form_data(open_event))
    response = browser.post(f"/events/{open_event.slug}/register", form_data(open_event, phone="+84912345678",
                                                                             email=""))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "đã đăng ký sự kiện" in text and "Gửi lại vé cho tôi" in text
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    response = browser.post(f"/events/{open_event.slug}/resend", {"contact": "0912345678"}, follow_redirects=True)
    assert "vé đã được gửi lại" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before + 1
    unknown = browser.post(f"/events/{open_event.slug}/resend", {"contact": "0999999999"}, follow_redirects=True)
    assert "vé đã được gửi lại" in unknown.get_data(as_text=True)  # same answer: nothing to probe
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before + 1


def test_full_event_puts_people_on_the_waiting_list_with_position(open_event, browser):
    for n in range(2):
        browser.post(f"/events/{open_event.slug}/register", form_data(open_event, phone=f"090000000{n}",
                                                                      email=f"p{n}@example.vn"))
    response = browser.post(f"/events/{open_event.slug}/register", form_data(open_event), follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Danh sách chờ" in text and "vị trí số 1" in text and "qr.png" not in text


def test_cancel_from_the_ticket_page_promotes_the_next_person(open_event, browser):
    keys = []
    for n in range(3):
        response = browser.post(f"/events/{open_event.slug}/register", form_data(
            open_event, phone=f"090000000{n}", email=f"p{n}@example.vn"))
        keys.append(response.headers["Location"].rsplit("/", 1)[1])
    browser.post(f"/tickets/{keys[0]}/cancel")
    assert "Đã huỷ" in browser.get(f"/tickets/{keys[0]}").get_data(as_text=True)
    assert "Đã xác nhận" in browser.get(f"/tickets/{keys[2]}").get_data(as_text=True)


def test_people_can_download_and_erase_their_data(open_event, browser):
    response = browser.post(f"/events/{open_event.slug}/register", form_data(open_event))
    key = response.headers["Location"].rsplit("/", 1)[1]
    data = browser.get(f"/tickets/{key}/my-data.json").get_json()
    assert data["full_name"] == "Lê Thị Thu Hà" and data["phone"] == "0912345678" and data["consent_version"]
    browser.post(f"/tickets/{key}/erase")
    registration = db.session.scalar(sa.select(Registration))
    assert registration.full_name == services.ANONYMISED_NAME and registration.phone is None
    assert registration.status == RegistrationStatus.CANCELLED


def test_unknown_ticket_links_are_404(client):
    assert client.get("/tickets/khong-co-ve-nay").status_code == 404
    assert client.get("/tickets/khong-co-ve-nay/qr.png").status_code == 404


def test_public_registration_is_rate_limited(app, open_event, browser):
    app.config["REGISTRATION_RATE_LIMIT"] = "2 per minute"
    try:
        codes = [browser.post(f"/events/{open_event.slug}/register",
                              form_data(open_event, phone=f"09100000{n:02d}", email=f"r{n}@example.vn")).status_code
                 for n in range(3)]
    finally:
        app.config["REGISTRATION_RATE_LIMIT"] = "10 per minute;100 per hour"
    assert codes == [302, 302, 429]


def test_closed_registration_is_explained(factory, browser):
    event = factory.event(factory.organisation(), title="Bản nháp 2027")
    factory.category(event)
    assert browser.get(f"/events/{event.slug}/register").status_code == 404  # drafts are not public
    from eventhub.events import services as events
    events.apply_transition(event.id, "publish")
    events.apply_transition(event.id, "close_registration")
    text = browser.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Sự kiện hiện không nhận đăng ký." in text


def test_custom_questions_appear_and_are_checked(open_event, browser):
    question = setup.save_question(open_event.id, None, setup.QuestionDetails(
        label="Bạn đã có ý tưởng khởi nghiệp?", kind=QuestionKind.YES_NO, options=[], required=True))
    page = browser.get(f"/events/{open_event.slug}/register").get_data(as_text=True)
    assert "Bạn đã có ý tưởng khởi nghiệp?" in page
    response = browser.post(f"/events/{open_event.slug}/register", form_data(open_event))
    assert "Câu hỏi này là bắt buộc." in response.get_data(as_text=True)
    response = browser.post(f"/events/{open_event.slug}/register", form_data(open_event, **{f"q_{question.id}": "yes"}))
    assert response.status_code == 302


# Organiser pages ------------------------------------------------------------------------------

@pytest.fixture
def organiser(factory, browser, open_event):
    factory.user("tochuc@skhcn.vn", organisation=open_event.organisation, role=Role.ORGANISER)
    browser.login("tochuc@skhcn.vn")
    return browser


def test_organiser_sees_searches_and_filters_attendees(open_event, organiser, factory):
    students = services.categories(open_event.id)[0]
    factory.registration(open_event, students, full_name="Nguyễn Văn Nam", phone="0911000001")
    factory.registration(open_event, students, full_name="Trần Thị Lan", phone="0911000002")
    factory.registration(open_event, students, full_name="Phạm Minh Quân", phone="0911000003")
    page = organiser.get(f"/manage/events/{open_event.id}/registrations").get_data(as_text=True)
    assert "Nguyễn Văn Nam" in page and "Phạm Minh Quân" in page
    page = organiser.get(f"/manage/events/{open_event.id}/registrations?q=tran+thi").get_data(as_text=True)
    assert "Trần Thị Lan" in page and "Nguyễn Văn Nam" not in page
    page = organiser.get(f"/manage/events/{open_event.id}/registrations?status=waitlisted").get_data(as_text=True)
    assert "Phạm Minh Quân" in page and "Trần Thị Lan" not in page


def test_organiser_adds_a_person_by_hand(open_event, organiser):
    data = form_data(open_event)
    del data["consent"]
    response = organiser.post(f"/manage/events/{open_event.id}/registrations/new", data)
    assert response.status_code == 302
    registration = db.session.scalar(sa.select(Registration))
    assert registration.source.value == "manual" and registration.status == RegistrationStatus.CONFIRMED


def test_organiser_reviews_applications(open_event, organiser, factory):
    setup.set_mode(open_event.id, RegistrationMode.REVIEWED)
    students = services.categories(open_event.id)[0]
    first = factory.registration(open_event, students)
    second = factory.registration(open_event, students)
    organiser.post(f"/manage/events/{open_event.id}/registrations/{first.id}/approve")
    response = organiser.post(f"/manage/events/{open_event.id}/registrations/{second.id}/reject", {"reason": ""},
                              follow_redirects=True)
    assert "Trường này là bắt buộc." in response.get_data(as_text=True)
    organiser.post(f"/manage/events/{open_event.id}/registrations/{second.id}/reject",
                   {"reason": "Chưa đúng đối tượng"})
    db.session.expire_all()
    assert db.session.get(Registration, first.id).status == RegistrationStatus.CONFIRMED
    rejected = db.session.get(Registration, second.id)
    assert rejected.status == RegistrationStatus.REJECTED and rejected.rejection_reason == "Chưa đúng đối tượng"
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == rejected.email)
                              .order_by(OutboxMessage.id)).all()
    assert "Chưa đúng đối tượng" in render(mail[-1]).text


def test_organiser_configures_categories_questions_and_mode(open_event, organiser):
    base = f"/manage/events/{open_event.id}/registrations"
    assert organiser.post(f"{base}/categories", {"name": "Nông dân", "participant_group": "farmer", "quota": "30",
                                                 "position": "2", "is_active": "y"}).status_code == 302
    duplicate = organiser.post(f"{base}/categories", {"name": "Nông dân", "participant_group": "farmer"})
    assert duplicate.status_code == 422 and "Sự kiện đã có đối tượng với tên này." in duplicate.get_data(as_text=True)
    bad = organiser.post(f"{base}/questions", {"label": "Cỡ áo", "kind": "single_choice", "options": "M"})
    assert bad.status_code == 422 and "ít nhất hai phương án" in bad.get_data(as_text=True)
    assert organiser.post(f"{base}/questions", {"label": "Cỡ áo", "kind": "single_choice",
                                                "options": "S\nM\nL", "required": "y"}).status_code == 302
    assert organiser.post(f"{base}/settings", {"mode": "reviewed"}).status_code == 302
    page = organiser.get(f"{base}/settings").get_data(as_text=True)
    assert "Nông dân" in page and "Cỡ áo" in page
    assert services.settings_for(open_event.id).mode == RegistrationMode.REVIEWED
    [_students, farmers] = services.categories(open_event.id)
    assert farmers.quota == 30


def test_ticket_links_in_email_point_to_the_public_site(open_event, browser, app):
    browser.post(f"/events/{open_event.slug}/register", form_data(open_event))
    message = db.session.scalar(sa.select(OutboxMessage))
    assert re.search(re.escape(app.config["PUBLIC_BASE_URL"]) + r"/tickets/[\w-]{40,}", render(message).text)


# Bot protection without a third party ---------------------------------------------------------------

def _bot_form(app, factory, **overrides):
    event = factory.event(factory.organisation(), publish=True, capacity=10)
    category = factory.category(event)
    from eventhub.registration import services as registration_services

    data = {"category_id": category.id, "full_name": "Võ Minh Tuấn", "phone": "0905123456", "consent": "y",
            "consent_version": registration_services.current_consent().version}
    data.update(overrides)
    return event, data


def test_a_bot_filling_the_hidden_field_or_posting_without_the_page_is_refused(app, factory, browser):
    from eventhub.registration.models import Registration

    event, data = _bot_form(app, factory)
    url = f"/events/{event.slug}/register"
    answers = {name: browser.post(url, {**data, **extra}) for name, extra in {
        "honeypot": {"website": "http://spam.example"}, "no_token": {"form_token": ""},
        "forged_token": {"form_token": "eyJzaG93biI6MX0.forged"}}.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 422)
    assert "tải lại trang" in answers["honeypot"].get_data(as_text=True)
    assert "hết hạn hoặc không hợp lệ" in answers["no_token"].get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    assert browser.post(url, data).status_code == 302  # the page's own token: a person gets through


def test_a_form_sent_faster_than_a_person_can_is_refused_but_a_slow_phone_is_not(app, factory, browser, monkeypatch):
    import time

    from eventhub.security import form_token

    monkeypatch.setitem(app.config, "PUBLIC_FORM_MIN_SECONDS", 3)
    event, data = _bot_form(app, factory)
    url = f"/events/{event.slug}/register"
    page = browser.get(url).get_data(as_text=True)
    assert 'name="form_token"' in page and 'name="website"' in page
    fast = browser.post(url, {**data, "form_token": form_token(time.time() - 1)})
    assert fast.status_code == 422 and "quá nhanh" in fast.get_data(as_text=True)
    slow = browser.post(url, {**data, "form_token": form_token(time.time() - 6 * 3600)})  # six hours on a phone
    assert slow.status_code == 302
