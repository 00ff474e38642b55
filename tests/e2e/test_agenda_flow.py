"""An organiser builds the agenda in the editor grid: adds a session by clicking a slot, sees the room conflict
naming the other session when adding a second one in the same room and time, and moves a session by dragging."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from eventhub.scheduling import services
from eventhub.timeutil import from_local, to_local, utcnow
from tests.scheduling.factories import make_room

pytestmark = pytest.mark.e2e


def test_organiser_adds_sessions_and_sees_the_room_conflict(factory, page):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    factory.user("nhung@skhcn.vn", organisation=organisation, full_name="Nguyễn Thị Hồng Nhung")
    start = from_local(to_local(utcnow() + timedelta(days=20)).replace(hour=7, minute=30, tzinfo=None))
    event = factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp tỉnh 2027", starts_at=start,
                          ends_at=start + timedelta(hours=10))
    make_room(event, "Hội trường chính", capacity=500, position=0)
    make_room(event, "Phòng tập huấn A", capacity=40, position=1)

    page.goto("/login")
    page.get_by_label("E-mail").fill("nhung@skhcn.vn")
    page.get_by_label("Mật khẩu").fill(factory.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/manage/events/{event.id}")
    page.get_by_role("link", name="Chương trình", exact=True).click()
    expect(page.get_by_role("heading", name="Chương trình sự kiện")).to_be_visible()

    page.get_by_role("button", name="Thêm phiên lúc 09:00 · Hội trường chính").click()
    dialog = page.locator("#agenda-add")
    expect(dialog).to_contain_text("Hội trường chính")
    dialog.get_by_label("Tên phiên").fill("Khai mạc Ngày hội")
    dialog.get_by_label("Hình thức").select_option("ceremony")
    dialog.get_by_label("Thời lượng").select_option("60")
    dialog.get_by_role("button", name="Lưu").click()
    opening = page.locator(".agenda-session", has_text="Khai mạc Ngày hội")
    expect(opening).to_contain_text("09:00–10:00")

    page.get_by_role("button", name="Thêm phiên lúc 08:30 · Hội trường chính").click()
    dialog.get_by_label("Tên phiên").fill("Tọa đàm thanh niên khởi nghiệp")
    dialog.get_by_label("Hình thức").select_option("panel")
    dialog.get_by_label("Thời lượng").select_option("90")
    dialog.get_by_role("button", name="Lưu").click()
    conflicts = dialog.locator(".agenda-conflicts")
    expect(conflicts).to_be_visible()
    expect(conflicts).to_contain_text("Lịch bị trùng")
    expect(conflicts).to_contain_text("Phòng Hội trường chính đã có phiên “Khai mạc Ngày hội” lúc")
    expect(conflicts).to_contain_text("09:00–10:00")
    expect(opening).to_have_class("agenda-session is-conflict")
    expect(dialog.get_by_role("button", name="Vẫn lưu dù có cảnh báo")).to_be_hidden()  # a clash never saves
    full_form = dialog.get_by_role("link", name="Mở biểu mẫu đầy đủ (báo cáo viên, số chỗ, đăng ký trước…)")
    assert "time=08%3A30" in full_form.get_attribute("href")
    dialog.get_by_role("button", name="Đóng").click()
    assert [s.title for s in services.sessions(event.id)] == ["Khai mạc Ngày hội"]

    page.get_by_role("button", name="Thêm phiên lúc 08:30 · Phòng tập huấn A").click()
    dialog.get_by_label("Tên phiên").fill("Tọa đàm thanh niên khởi nghiệp")
    dialog.get_by_label("Hình thức").select_option("panel")
    dialog.get_by_label("Thời lượng").select_option("90")
    dialog.get_by_role("button", name="Lưu").click()
    panel = page.locator(".agenda-session", has_text="Tọa đàm thanh niên khởi nghiệp")
    expect(panel).to_contain_text("08:30–10:00")

    panel.drag_to(page.get_by_role("button", name="Thêm phiên lúc 08:00 · Hội trường chính"))
    page_conflicts = page.locator("#agenda-conflicts")
    expect(page_conflicts).to_contain_text("Khai mạc Ngày hội")
    panel.drag_to(page.get_by_role("button", name="Thêm phiên lúc 13:30 · Hội trường chính"))
    expect(page.locator(".agenda-session", has_text="Tọa đàm thanh niên khởi nghiệp")).to_contain_text("13:30–15:00")
