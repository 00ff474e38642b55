"""Issue 17 item 6: nobody is shown a link that answers 403 or 404 for them. Each role of the demo (platform
admin, organisation admin, organiser, check-in staff, exhibitor, anonymous) walks its menus and buttons from its
landing page two clicks deep, and every link it is shown is requested."""
import re
from urllib.parse import urljoin, urlsplit

import pytest

from eventhub.demo import DEMO_PASSWORD

LINK = re.compile(r'<a\b[^>]*\bhref="([^"#]+)"', re.I)
SKIP = ("/static/", "/logout", "/language/", "mailto:", "tel:", "webcal:")
ROLES = {
    "platform admin": "admin@eventhub.local",
    "organisation admin": "tochuc@skhcn.daklak.gov.vn",
    "organiser": "sukien@skhcn.daklak.gov.vn",
    "check-in staff": "checkin@skhcn.daklak.gov.vn",
    "exhibitor": "gianhang1@example.vn",
    "anonymous": None,
}
PAGES_PER_ROLE = 160


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["eventhub", "demo"]).exit_code == 0


def links_of(page: str, base: str) -> list[str]:
    found = []
    for href in LINK.findall(page):
        href = href.replace("&amp;", "&")
        if href.startswith(SKIP) or any(s in href for s in SKIP):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost", "127.0.0.1:5000"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_every_link_a_role_is_shown_opens_for_it(role, demo, browser):
    email = ROLES[role]
    start = "/"
    if email:
        start = browser.login(email, DEMO_PASSWORD).headers["Location"]
    seen, queue, broken = {start: "(landing)"}, [(start, 0)], []
    while queue and len(seen) < PAGES_PER_ROLE:
        url, depth = queue.pop(0)
        response = browser.get(url)
        if response.status_code in (403, 404):
            broken.append((url, response.status_code, seen[url]))
            continue
        if depth >= 2 or response.status_code != 200 or not response.mimetype == "text/html":
            continue
        for link in links_of(response.get_data(as_text=True), url):
            if link not in seen:
                seen[link] = url
                queue.append((link, depth + 1))
    assert not broken, f"{role}: links answering 403/404 (url, status, shown on): {broken}"
