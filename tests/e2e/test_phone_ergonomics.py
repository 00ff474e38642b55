"""Issue 17 item 11: on a 390×844 phone every public page and the scanner fit the width (no sideways scrolling) and
every tap target (header links, buttons, fields, checkbox and radio labels) is at least 44 px; the header is one
line with a menu button that opens the links."""
import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from eventhub.checkin import services as checkin
from eventhub.events.models import Event, EventStatus
from eventhub.extensions import db
from eventhub.registration.models import Registration

pytestmark = pytest.mark.e2e
DOWNLOADS = re.compile(r"\.(pdf|ics|xml|json|png|jpe?g|webp|svg|csv|xlsx)$|/static/|/language/|webcal:|mailto:|tel:")
MEASURE = """() => {
  const small = [];
  const seen = new Set();
  const targets = ".site-header a, .site-header button, main a.button, button, input:not([type=hidden]), select, "
    + "textarea, summary";
  for (const el of document.querySelectorAll(targets)) {
    let box = el.getBoundingClientRect();
    // hidden, or visually hidden behind its label (the scanner's photo input): the label is the target
    if (box.width <= 2 || box.height <= 2 || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest("[aria-hidden=true]")) continue;  // the bots' honeypot, off screen: nobody taps it
    if (el.type === "checkbox" || el.type === "radio") {
      const label = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`))
        || el.closest("li");
      if (label) box = label.getBoundingClientRect();
    }
    if (box.height < 43.5 || box.width < 43.5) {
      const name = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.name ? "[" + el.name + "]" : ""}`
        + ` "${(el.textContent || el.value || "").trim().slice(0, 30)}"`
        + ` ${Math.round(box.width)}×${Math.round(box.height)}`;
      if (!seen.has(name)) { seen.add(name); small.push(name); }
    }
  }
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, small};
}"""


@pytest.fixture
def site(app):
    assert app.test_cli_runner().invoke(args=["eventhub", "demo"]).exit_code == 0
    fair = db.session.scalar(sa.select(Event).where(Event.status == EventStatus.PUBLISHED, Event.title.startswith(
        "Ngày hội")))
    someone = db.session.scalar(sa.select(Registration).where(Registration.event_id == fair.id).limit(1))
    token, _device = checkin.issue_device(checkin.entrance_for(fair.id).id, "Điện thoại cổng 1", None)
    return {"ticket": f"/tickets/{someone.access_key}",
            "scanner": f"/scanner#token={token}&list={checkin.entrance_for(fair.id).id}"}


def public_pages(page, limit=40) -> list[str]:
    """The public site as a visitor reaches it from the portal, two clicks deep."""
    seen, queue = ["/"], ["/"]
    while queue and len(seen) < limit:
        page.goto(queue.pop(0))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.netloc or DOWNLOADS.search(href) or href.startswith("#") or href.startswith(("/manage", "/admin")):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path and path not in seen and len(seen) < limit:
                seen.append(path)
                queue.append(path)
    return seen


def check(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = page.evaluate(MEASURE)
    problems = []
    if found["overflow"] > 1:
        problems.append(f"{url}: {found['overflow']} px wider than the phone")
    problems += [f"{url}: {item}" for item in found["small"]]
    toggle = page.locator(".nav-toggle")
    if toggle.count() and toggle.is_visible():
        toggle.click()
        expect(page.locator("#nav-links")).to_be_visible()
        opened = page.evaluate(MEASURE)
        problems += [f"{url} (menu open): {item}" for item in opened["small"]]
    return problems


def test_every_public_page_and_the_scanner_fit_a_phone(page, site):
    pages = public_pages(page)
    assert len(pages) >= 8 and any("/register" in p for p in pages), pages
    problems = []
    for url in pages + [site["ticket"], "/login", "/exhibitors/signup"]:
        problems += check(page, url)
    page.goto(site["scanner"])
    expect(page.locator("#sc-main")).to_be_visible()
    found = page.evaluate(MEASURE)
    problems += [f"scanner: {item}" for item in found["small"]]
    if found["overflow"] > 1:
        problems.append(f"scanner: {found['overflow']} px wider than the phone")
    assert not problems, "\n".join(problems)


def test_the_phone_header_is_one_line_with_a_menu(page, site):
    page.goto("/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 80  # brand and menu button on one line, not 2–3 lines of links
    expect(page.locator("#nav-links")).to_be_hidden()
    page.click(".nav-toggle")
    expect(page.locator("#nav-links a", has_text="Đăng nhập")).to_be_visible()
    assert page.get_attribute(".nav-toggle", "aria-expanded") == "true"


def test_the_desktop_header_shows_its_links_without_a_menu(chromium, live_server, site):
    context = chromium.new_context(base_url=live_server, locale="vi-VN", viewport={"width": 1280, "height": 800})
    desktop = context.new_page()
    desktop.goto("/")
    expect(desktop.locator(".nav-toggle")).to_be_hidden()
    expect(desktop.locator("#nav-links a", has_text="Đăng nhập")).to_be_visible()
    context.close()
