"""An exhibitor signs up and applies for a booth, the organiser approves and presses "allocate" on the
allocation page, and the public map shows the exhibitor in its booth, in chromium."""
import re

import pytest
from playwright.sync_api import expect

from eventhub.accounts.models import Role
from tests.booths import factories as booths
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_exhibitor_applies_organiser_approves_and_allocates_public_map_shows_it(factory, page):
    organisation = factory.organisation()
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    event = factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp và OCOP Đắk Lắk 2027")
    plan = booths.make_plan(event, is_published=True)
    zone = booths.make_zone(plan, "Khu OCOP")
    for i in (1, 2):
        booths.make_booth(plan, f"A{i}", x_m=3.0 * i, y_m=3, zone=zone)

    # The exhibitor signs up and applies.
    page.goto("/exhibitors/signup")
    page.get_by_label("Tên đơn vị trưng bày").fill("HTX Cà phê Ea Tu")
    page.get_by_label("Loại hình").select_option("cooperative")
    page.get_by_label("Người liên hệ").fill("Y Bhim Niê")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Tỉnh/thành phố").fill("Đắk Lắk")
    page.get_by_label("E-mail (dùng để đăng nhập)").fill("eatu@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Tôi đồng ý").check()
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HTX Cà phê Ea Tu")

    page.get_by_role("link", name="Đăng ký gian hàng").click()
    page.get_by_label("Loại gian hàng").select_option("ocop")
    page.get_by_label("Số gian hàng cần").fill("1")
    page.get_by_label("Khu vực mong muốn").select_option(label="Khu OCOP")
    page.get_by_label("Số nhân sự đứng gian hàng").fill("2")
    page.locator('[name="products-0-name"]').fill("Cà phê rang xay Buôn Ma Thuột")
    page.locator('[name="products-0-product_group"]').select_option("beverage")
    page.locator('[name="products-0-ocop_stars"]').select_option("4")
    page.locator('[name="products-0-ocop_certificate_no"]').fill("OCOP-DL-2024-015")
    page.locator('[name="products-0-ocop_certificate_year"]').fill("2024")
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.locator(".badge")).to_have_text("Chờ duyệt")
    sign_out(page)

    # The organiser approves, then allocates.
    page.goto("/login")
    page.get_by_label("E-mail").fill("tochuc@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/manage/events/{event.id}/booth-applications")
    page.get_by_role("link", name="HTX Cà phê Ea Tu").click()
    expect(page.get_by_role("cell", name="Cà phê rang xay Buôn Ma Thuột")).to_be_visible()
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.locator(".badge").first).to_have_text("Đã duyệt")
    page.goto(f"/manage/events/{event.id}/allocation")
    page.get_by_role("button", name="Xem trước phân bổ tự động").click()
    expect(page.get_by_role("cell", name="HTX Cà phê Ea Tu")).to_be_visible()
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.get_by_role("status").first).to_be_visible()

    # Visitors see the exhibitor on the published map.
    page.goto(f"/events/{event.slug}/map")
    expect(page.locator("svg.floorplan")).to_contain_text("HTX Cà phê Ea Tu")

    # And the exhibitor sees its booth in the portal.
    sign_out(page)
    page.goto("/login")
    page.get_by_label("E-mail").fill("eatu@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/exhibitors/$"))
    page.get_by_role("link", name=event.title).click()
    expect(page.locator(".my-booths")).to_contain_text("Gian hàng: A")


def test_exhibitor_picks_adjacent_booths_on_the_map_holds_and_confirms(factory, page):
    from eventhub.booths.applications.models import ApplicationStatus
    from eventhub.booths.floorplan.models import BookingMode
    from eventhub.booths.selfbooking import services as selfbooking

    event = factory.event(factory.organisation(), publish=True)
    plan = booths.make_plan(event, hall_width_m=24, hall_depth_m=12, booking_mode=BookingMode.SELF_BOOKING,
                            self_booking_open=True, setup_instructions_md="Dàn dựng từ **06:00** đến 07:30.")
    row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * i, y_m=2) for i in range(1, 6)]
    exhibitor = booths.make_exhibitor("HTX Cà phê Ea Tu", email="eatu@example.vn")
    application = booths.make_application(event, exhibitor, status=ApplicationStatus.APPROVED, booths_requested=2,
                                          staff_count=2)
    rival = booths.make_application(event, status=ApplicationStatus.APPROVED)
    selfbooking.hold(rival.id, rival.exhibitor_id, [row[4].id])

    page.goto("/login")
    page.get_by_label("E-mail").fill("eatu@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_label("A5 · Sản phẩm OCOP")).to_have_count(0)  # held by another exhibitor
    page.locator(f'svg [data-booth-id="{row[1].id}"]').click()
    page.locator(f'svg [data-booth-id="{row[2].id}"]').click()
    expect(page.get_by_label("A2 · Sản phẩm OCOP")).to_be_checked()
    expect(page.get_by_label("A3 · Sản phẩm OCOP")).to_be_checked()
    page.get_by_role("button", name="Giữ gian đã chọn").click()
    expect(page.locator(".my-booths")).to_contain_text("Đang giữ gian A2, A3")
    page.get_by_role("button", name="Xác nhận gian hàng").click()
    expect(page.locator(".my-booths")).to_have_text("Gian hàng: A2, A3")
    expect(page.locator(".setup-instructions")).to_contain_text("Dàn dựng từ 06:00")
    page.get_by_label("Họ tên nhân sự").fill("Nguyễn Thị Hoa\nY Bhim Niê")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải thẻ PDF").click()
    assert download.value.suggested_filename == f"the-gian-hang-{application.id}.pdf"


def sign_out(page):
    """On a phone the header's links sit behind its menu button."""
    if page.locator(".nav-toggle").is_visible():
        page.locator(".nav-toggle").click()
    page.get_by_role("button", name="Đăng xuất").click()
