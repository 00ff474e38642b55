"""A real server on a loopback port and Debian's chromium driven by Playwright (never a downloaded browser)."""
import contextlib
import os
import shutil
import threading

import pytest
from flask import current_app
from werkzeug.serving import make_server

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def browser_page(chromium, live_server, viewport, timezone_id="Asia/Ho_Chi_Minh"):
    """A page in a fresh context of that size; any JavaScript error fails the test. The application's absolute
    links (PUBLIC_BASE_URL, never the request's host) point at the live server meanwhile."""
    saved = current_app.config["PUBLIC_BASE_URL"]
    current_app.config["PUBLIC_BASE_URL"] = live_server
    context = chromium.new_context(base_url=live_server, locale="vi-VN", timezone_id=timezone_id, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
        current_app.config["PUBLIC_BASE_URL"] = saved
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def page(chromium, live_server):
    with browser_page(chromium, live_server, {"width": 390, "height": 844}) as page:
        yield page
