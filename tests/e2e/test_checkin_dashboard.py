"""The check-in dashboard refreshes its numbers in the browser without a reload."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from eventhub.checkin import services
from tests.checkin.test_dashboard import GATE, qr, scenario  # noqa: F401  (the same known scenario)
from tests.support.factories import PASSWORD


@pytest.mark.e2e
def test_the_page_updates_itself_without_reloading(scenario, page):  # noqa: F811
    csp_errors = []
    page.on("console", lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.goto("/login")
    page.get_by_label("E-mail").fill("tochuc@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/manage/events/{scenario['event'].id}/checkin/dashboard")
    inside = page.locator(f'[data-stat="lists.{scenario["entrance"].id}.checked_in"]')
    expect(inside).to_have_text("4")
    expect(page.locator("#arrivals-chart rect")).to_have_count(4)
    page.evaluate("window.marker = 'same page'")

    late = scenario["people"][4]  # Đặng Quốc Việt, three hours after the others
    services.scan(scenario["entrance"].id, code=qr(late), scanner=GATE, now=scenario["start"] + timedelta(hours=3))
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # poll now rather than in 10 s
    expect(inside).to_have_text("5")
    expect(page.locator(f'[data-stat="categories.{scenario["categories"][1].id}.checked_in"]')).to_have_text("2")
    expect(page.locator('[data-stat="no_shows.count"]')).to_have_text("1")
    expect(page.locator("#arrivals-chart rect")).to_have_count(13)  # 08:00 … 11:00, empty slots included
    assert page.evaluate("window.marker") == "same page" and csp_errors == []
