"""Rate limits per client address and per account, and a limit that holds across two gunicorn workers because they
count it together in a real redis-server."""
import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.conftest import Browser
from tests.support.factories import PASSWORD
from tests.support.redis import redis_server
from tests.support.server import gunicorn_server


def _login(app, email, address, password="sai-mat-khau-roi"):
    browser = Browser(app.test_client())
    return browser.post("/login", {"email": email, "password": password},
                        environ_overrides={"REMOTE_ADDR": address}).status_code


def test_sign_in_attempts_on_one_account_are_limited_whatever_the_address(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_RATE_LIMIT", "3 per minute")
    factory.user("an@example.vn")
    answers = [_login(app, "AN@example.vn " if n % 2 else "an@example.vn", f"10.0.0.{n}") for n in range(5)]
    assert answers == [422, 422, 422, 429, 429]
    assert _login(app, "binh@example.vn", "10.0.0.9") == 422  # another account is not held back


def test_sign_in_attempts_from_one_address_are_limited_across_accounts(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    answers = [_login(app, f"nguoi{n}@example.vn", "10.0.0.1") for n in range(5)]
    assert answers == [422, 422, 422, 429, 429]


def test_the_current_password_check_is_limited_per_account(app, factory, browser, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_RATE_LIMIT", "2 per minute")
    factory.user("an@example.vn")
    browser.login("an@example.vn")
    form = {"current_password": "doan-mo-mat-khau", "new_password": "mot-mat-khau-moi-2027",
            "confirm_password": "mot-mat-khau-moi-2027"}
    answers = [browser.post("/account/password", form).status_code for _ in range(3)]
    assert answers == [422, 422, 429]
    assert browser.post("/account/password", {**form, "current_password": PASSWORD}).status_code == 429


def test_exhibitor_sign_up_and_password_reset_are_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_RATE_LIMIT", "2 per minute")
    browser = Browser(client)
    signups = [browser.post("/exhibitors/signup", {"email": "htx@example.vn"}).status_code for _ in range(3)]
    resets = [browser.post("/password/forgot", {"email": "htx@example.vn"}).status_code for _ in range(3)]
    assert (signups, resets) == ([422, 422, 429], [302, 302, 429])


def test_public_registrations_of_one_contact_are_limited(app, factory, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_RATE_LIMIT", "2 per minute")
    event = factory.event(factory.organisation(), publish=True)
    url = f"/api/v1/portal/events/{event.slug}/registrations"
    answers = [client.post(url, json={"phone": phone}, environ_overrides={"REMOTE_ADDR": f"10.0.1.{n}"}).status_code
               for n, phone in enumerate(["0905123456", "+84905123456", "0905 123 456"])]
    assert answers == [422, 422, 429]


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


def _post(base_url: str, path: str, body: dict) -> int:
    """One request on its own connection, so that the kernel hands connections to both workers."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json",
                                                                         "Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_limit_holds_across_two_gunicorn_workers_through_redis(app, database_url, redis_url, factory):
    event = factory.event(factory.organisation(), publish=True)
    env = {"SECRET_KEY": app.config["SECRET_KEY"], "RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": redis_url,
           "RATELIMIT_KEY_PREFIX": "test-two-workers", "REGISTRATION_RATE_LIMIT": "5 per minute"}
    with gunicorn_server(database_url, workers=2, threads=2, env=env) as base_url:
        path = f"/api/v1/portal/events/{event.slug}/registrations"
        answers = [_post(base_url, path, {"phone": f"09051234{n:02d}"}) for n in range(12)]
    assert sorted(answers) == [422] * 5 + [429] * 7, answers
