"""A citizen on a 390×844 phone searches the portal without diacritics, sees the count, opens the folded filters
and clears them, in chromium."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_portal_search_on_a_phone(factory, page):
    krong = factory.organisation("UBND huyện Krông Pắc")
    factory.event(krong, publish=True, title="Ngày hội khởi nghiệp huyện Krông Pắc 2027")
    factory.event(factory.organisation("Tỉnh Đoàn Đắk Lắk"), publish=True, title="Tập huấn khởi nghiệp xanh")

    page.goto("/")
    expect(page.get_by_role("status")).to_have_text("2 sự kiện sắp diễn ra.")
    panel = page.locator("details.filter-panel")
    assert panel.get_attribute("open") is None  # folded on a phone: the events come first
    first_card = page.locator(".event-card").first
    assert first_card.bounding_box()["y"] < 844  # a card is on the first screen
    expect(page.locator(".event-card .generated-cover").first).to_be_visible()

    page.get_by_label("Tìm theo tên, địa điểm hoặc đơn vị tổ chức").fill("khoi nghiep krong")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 1 sự kiện.")
    expect(page.locator(".event-card h2")).to_have_text(["Ngày hội khởi nghiệp huyện Krông Pắc 2027"])

    page.locator("details.filter-panel > summary").click()
    expect(page.get_by_label("Loại sự kiện")).to_be_visible()
    page.get_by_label("Loại sự kiện").select_option("training")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 0 sự kiện.")
    assert page.locator("details.filter-panel").get_attribute("open") is not None  # an active filter stays in view

    page.get_by_role("link", name="Xoá bộ lọc").click()
    expect(page.get_by_role("status")).to_have_text("2 sự kiện sắp diễn ra.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_filter_panel_is_open_on_a_desktop(factory, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_label("Loại sự kiện")).to_be_visible()
