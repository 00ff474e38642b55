"""An organiser signs in, creates and publishes an event; a visitor finds it on the portal."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from eventhub.timeutil import to_local, utcnow

pytestmark = pytest.mark.e2e


def test_organiser_publishes_and_visitor_finds_the_event(factory, page, chromium, live_server):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    factory.user("nhung@skhcn.vn", organisation=organisation, full_name="Nguyễn Thị Hồng Nhung")
    start = to_local(utcnow() + timedelta(days=40)).replace(hour=7, minute=30)

    page.goto("/login")
    page.get_by_label("E-mail").fill("nhung@skhcn.vn")
    page.get_by_label("Mật khẩu").fill(factory.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Sự kiện của đơn vị")).to_be_visible()

    page.get_by_role("link", name="Tạo sự kiện").click()
    page.get_by_label("Tên sự kiện").fill("Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh 2025")
    page.get_by_label("Loại sự kiện").select_option("startup_day")
    page.get_by_label("Cấp tổ chức").select_option("province")
    page.get_by_label("Tỉnh/thành phố").fill("Đắk Lắk")
    page.get_by_label("Địa điểm").fill("Trung tâm Hội nghị tỉnh Đắk Lắk")
    page.get_by_label("Bắt đầu").fill(start.strftime("%d/%m/%Y %H:%M"))
    page.get_by_label("Kết thúc").fill((start + timedelta(hours=9)).strftime("%d/%m/%Y %H:%M"))
    page.get_by_label("Sức chứa (người)").fill("1200")
    page.get_by_label("Mô tả (Markdown)").fill("## Chương trình\n\n- Trưng bày **100 gian hàng** OCOP")
    page.get_by_role("button", name="Lưu").click()

    expect(page.locator(".flash-success")).to_contain_text("Đã lưu bản nháp")
    expect(page.locator(".badge")).to_have_text("Bản nháp")
    page.get_by_role("button", name="Công bố").click()
    expect(page.locator(".badge")).to_have_text("Đã công bố")

    visitor = chromium.new_context(base_url=live_server, viewport={"width": 390, "height": 844}).new_page()
    visitor.goto("/")
    visitor.get_by_label("Tìm theo tên").fill("ngay hoi khoi nghiep")
    visitor.get_by_role("button", name="Tìm", exact=True).click()
    visitor.get_by_role("link", name="Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh 2025").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh 2025")
    expect(visitor.locator(".facts")).to_contain_text(start.strftime("%d/%m/%Y %H:%M"))
    expect(visitor.locator(".description strong")).to_have_text("100 gian hàng")
    assert re.search(r"/events/ngay-hoi-khoi-nghiep-doi-moi-sang-tao-tinh-2025$", visitor.url)
    visitor.context.close()


def test_wrong_password_shows_a_message_in_the_browser(factory, page):
    factory.user("nhung@skhcn.vn")
    page.goto("/login")
    page.get_by_label("E-mail").fill("nhung@skhcn.vn")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau-roi")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mail hoặc mật khẩu không đúng.")
