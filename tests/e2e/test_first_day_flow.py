"""Issue 17 in chromium, on a desktop and on a 390×844 phone: registration in one pass ending on a ticket that says
how to come back; the organiser's checklist, figures and dd/mm/yyyy date picker; check-in staff landing on today's
event, opening the scanner twice on one phone with one device, in their language."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from eventhub.accounts.models import Role
from eventhub.checkin import services as checkin
from eventhub.registration import setup
from eventhub.registration.models import QuestionKind
from eventhub.timeutil import utcnow
from tests.e2e.conftest import browser_page

pytestmark = pytest.mark.e2e
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, chromium, live_server):
    # a phone set to another zone: what it shows still follows the event's zone
    with browser_page(chromium, live_server, VIEWPORTS[request.param], timezone_id="America/New_York") as page:
        yield page


def sign_in(page, email, password):
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_registration_shows_every_problem_at_once_then_greets(screen, factory):
    event = factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    factory.category(event, "Học sinh, sinh viên")
    setup.save_question(event.id, None, setup.QuestionDetails(
        label="Bạn biết sự kiện qua đâu?", kind=QuestionKind.SHORT_TEXT, options=[], required=True))
    page = screen
    page.goto(f"/events/{event.slug}/register")
    expect(page.locator(".required-legend")).to_have_text("* Bắt buộc")
    expect(page.locator(".field.required > label")).to_have_count(4)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("ul.errors")).to_have_count(5)  # category, name, contact, question, consent: one pass
    page.get_by_label("Học sinh, sinh viên").check()
    page.get_by_label("Họ và tên").fill("H'Nhi Niê")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Bạn biết sự kiện qua đâu?").fill("Đoàn trường")
    page.get_by_label("Tôi đã đọc và đồng ý").check()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator(".welcome")).to_contain_text("Đăng ký thành công, đây là vé của bạn.")
    expect(page.locator(".welcome")).to_contain_text("đường liên kết bí mật")
    expect(page.get_by_role("img", name="Mã QR vé")).to_be_visible()


def test_organiser_sees_the_checklist_and_figures_and_picks_dates_as_dd_mm_yyyy(screen, factory):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("sukien@skhcn.vn", organisation=organisation, role=Role.ORGANISER)
    event = factory.event(organisation, summary=None)
    page = screen
    sign_in(page, "sukien@skhcn.vn", factory.PASSWORD)
    page.goto(f"/manage/events/{event.id}")
    expect(page.locator(".setup-checklist h2")).to_contain_text("còn 5 bước")
    expect(page.locator('[data-step="details"]')).to_contain_text("Còn thiếu: tóm tắt")
    expect(page.locator(".big-figure-registered .big-figure-value")).to_have_text("0")
    page.locator('[data-step="preview"] a').click()
    expect(page.locator(".preview-banner")).to_be_visible()
    page.goto(f"/manage/events/{event.id}/edit")
    start = page.get_by_label("Bắt đầu")
    start.fill("08/03/2027 07:30")
    page.locator(".picker-button").first.click()
    native = page.locator(".picker-native").first
    assert native.input_value() == "2027-03-08"  # the picker reads the typed dd/mm/yyyy
    native.evaluate("(el) => { el.value = '2027-03-09'; el.dispatchEvent(new Event('change')); }")
    expect(start).to_have_value("09/03/2027 07:30")  # and writes dd/mm/yyyy, keeping the 24-hour time


def test_check_in_staff_land_on_today_and_open_one_device(screen, factory):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("cong@skhcn.vn", organisation=organisation, role=Role.CHECKIN_STAFF, full_name="Lê Văn Tâm")
    begins = utcnow() - timedelta(hours=1)
    event = factory.event(organisation, publish=True, title="Tập huấn hôm nay 2026", starts_at=begins,
                          ends_at=begins + timedelta(hours=5))
    page = screen
    sign_in(page, "cong@skhcn.vn", factory.PASSWORD)
    today = page.locator(".staff-event-today")
    expect(today).to_contain_text("Tập huấn hôm nay 2026")
    button = today.get_by_role("button", name="Mở máy quét")
    assert button.bounding_box()["height"] >= 52
    button.click()
    expect(page.locator("#sc-main")).to_be_visible()
    page.go_back()
    page.locator(".staff-event-today").get_by_role("button", name="Mở máy quét").click()
    expect(page.locator("#sc-main")).to_be_visible()
    entrance = checkin.entrance_for(event.id)
    assert len(checkin.devices(entrance.id)) == 1
