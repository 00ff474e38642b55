"""A participant registers on the portal and gets a QR ticket; the next one lands on the waiting list."""
import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from eventhub.registration import tickets

pytestmark = pytest.mark.e2e


def register(page, slug, name, phone, email):
    page.goto(f"/events/{slug}")
    page.get_by_role("link", name="Đăng ký ngay").click()
    page.get_by_label("Học sinh, sinh viên").check()
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("E-mail (để nhận vé)").fill(email)
    page.get_by_label("Giới tính").select_option("female")
    page.get_by_label("Năm sinh").fill("2005")
    page.get_by_label("Tôi đã đọc và đồng ý").check()
    page.get_by_role("button", name="Gửi đăng ký").click()


@pytest.mark.smoke
def test_participant_gets_a_qr_ticket_then_the_next_one_waits(factory, page):
    event = factory.event(factory.organisation(), publish=True, capacity=1,
                          title="Ngày hội khởi nghiệp học sinh sinh viên 2027")
    factory.category(event, "Học sinh, sinh viên")

    register(page, event.slug, "Lê Thị Thu Hà", "0912345678", "thuha@example.vn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lê Thị Thu Hà")
    expect(page.locator(".badge")).to_have_text("Đã xác nhận")
    qr = page.locator("img.ticket-qr")
    expect(qr).to_be_visible()
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert decoded.text.startswith("EH1.")

    other = page.context.browser.new_context(base_url=page.url.split("/tickets/")[0]).new_page()
    register(other, event.slug, "Trần Văn Bình", "0987654321", "binh@example.vn")
    expect(other.locator(".badge")).to_have_text("Danh sách chờ")
    expect(other.get_by_role("status")).to_contain_text("vị trí số 1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Huỷ đăng ký").click()
    expect(page.locator(".badge")).to_have_text("Đã huỷ")
    other.reload()
    expect(other.locator(".badge")).to_have_text("Đã xác nhận")
    other.context.close()
    assert tickets.verify_payload(decoded.text)
