"""Sessions, remember-me cookies, API tokens and device links that end server-side; the password policy; the
forgotten-password flow that tells no one whether an account exists; deactivation; a short SECRET_KEY."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub import config
from eventhub.accounts import services as accounts
from eventhub.accounts.models import Membership, PasswordReset, Role, TokenScope
from eventhub.checkin import services as checkin
from eventhub.errors import DomainError, ValidationFailed
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.timeutil import utcnow
from tests.conftest import Browser
from tests.support.factories import PASSWORD

COMMON = "Mật khẩu này quá phổ biến hoặc dễ đoán (lặp ký tự, dãy liên tiếp). " \
         "Hãy dùng một cụm từ dài hơn mà người khác khó đoán."


def test_sign_out_ends_the_session_and_the_remember_me_cookie_everywhere(app, factory, browser):
    factory.user("nhung@example.vn")
    browser.post("/login", {"email": "nhung@example.vn", "password": PASSWORD, "remember": "y"})
    remember = browser.client.get_cookie("remember_token").value
    session_cookie = browser.client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("remember_token", remember)
    assert thief.get("/manage/").status_code == 200
    browser.logout()
    for name, value in (("remember_token", remember), ("session", session_cookie)):
        stolen = app.test_client()
        stolen.set_cookie(name, value)
        assert stolen.get("/manage/").status_code == 302, name


@pytest.mark.parametrize("password, refused", [
    ("aaaaaaaaaa", True), ("password12", True), ("1234567890", True), ("qwertyuiop", True), ("abcabcabca", True),
    ("Password123!", True), ("iloveyou2024", True), ("0987654321", True),
    ("mot-cau-rat-dai-2027", False), ("khoinghiep2025", False), ("Hôm nay trời đẹp", False),
])
def test_common_and_trivial_passwords_are_refused_with_a_clear_message(factory, password, refused):
    user = factory.user("an@example.vn")
    if refused:
        with pytest.raises(ValidationFailed) as error:
            accounts.change_password(user.id, PASSWORD, password)
        messages = [str(m) for m in error.value.fields["new_password"]]
        assert COMMON in messages or "Mật khẩu không được chỉ gồm chữ số." in messages
    else:
        accounts.change_password(user.id, PASSWORD, password)


def test_tokens_expire_have_a_scope_and_end_with_a_password_change(factory, client):
    organisation = factory.organisation()
    user = factory.user("an@example.vn", organisation=organisation)
    read, _ = accounts.issue_api_token(user.id, "Đọc", TokenScope.READ)
    manage, _ = accounts.issue_api_token(user.id, "Quản lý", TokenScope.MANAGE)
    short, record = accounts.issue_api_token(user.id, "Ngắn", TokenScope.MANAGE, 30)
    assert record.expires_at - record.created_at == timedelta(days=30)
    assert accounts.user_for_api_token(short, now=utcnow() + timedelta(days=31)) is None

    def status(token, method="GET", path="/api/v1/events"):
        return client.open(path, method=method, json={}, headers={"Authorization": f"Bearer {token}"}).status_code

    assert status(read) == 200 and status(manage) == 200
    response = client.post("/api/v1/events", json={}, headers={"Authorization": f"Bearer {read}"})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "token_scope"
    assert status(manage, "POST") == 422  # allowed, then the body's fields are checked
    accounts.change_password(user.id, PASSWORD, "mot-mat-khau-moi-2027")
    assert (status(read), status(manage)) == (401, 401)


def test_a_read_token_cannot_scan_but_a_checkin_token_can(factory, client):
    organisation = factory.organisation()
    user = factory.user("an@example.vn", organisation=organisation, role=Role.CHECKIN_STAFF)
    event = factory.event(organisation, publish=True)
    entrance = checkin.entrance_for(event.id)
    url = f"/api/v1/checkin/lists/{entrance.id}/scan"
    answers = {}
    for scope in TokenScope:
        token, _ = accounts.issue_api_token(user.id, scope.value, scope)
        answers[scope] = client.post(url, json={"code": "KHONGCO1"}, headers={"Authorization": f"Bearer {token}"})
    assert answers[TokenScope.READ].status_code == 403
    assert [answers[s].get_json()["result"] for s in (TokenScope.CHECKIN, TokenScope.MANAGE)] == ["unknown_ticket"] * 2


def test_leaving_the_organisation_revokes_every_token(factory):
    organisation = factory.organisation()
    factory.user("admin@example.vn", organisation=organisation, role=Role.ADMIN)
    user = factory.user("an@example.vn", organisation=organisation)
    token, _ = accounts.issue_api_token(user.id, "Máy quét")
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    accounts.remove_member(organisation.id, membership.id)
    assert accounts.user_for_api_token(token) is None


def test_device_links_expire(factory):
    event = factory.event(factory.organisation(), publish=True)
    entrance = checkin.entrance_for(event.id)
    token, device = checkin.issue_device(entrance.id, "Cổng 1", None)
    assert checkin.device_for_token(token) is not None
    assert device.expires_at - device.created_at == checkin.DEVICE_LIFETIME
    assert checkin.device_for_token(token, now=device.expires_at) is None


def _reset_link() -> str:
    message = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/password/reset#(\S+)", message.text_body).group(1)


def test_forgotten_password_answers_alike_and_the_link_works_once(factory, browser, client):
    factory.user("an@example.vn")
    known = browser.post("/password/forgot", {"email": "an@example.vn"}, follow_redirects=True)
    unknown = Browser(client).post("/password/forgot", {"email": "khong-co@example.vn"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    notice = "Nếu e-mail này có tài khoản đang hoạt động"
    assert notice in known.get_data(as_text=True) and notice in unknown.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    token = _reset_link()
    assert db.session.scalar(sa.select(PasswordReset.token_digest)) != token  # only a digest is kept
    form = {"token": token, "new_password": "mot-mat-khau-moi-2027", "confirm_password": "mot-mat-khau-moi-2027"}
    assert browser.post("/password/reset", form).status_code == 302
    again = browser.post("/password/reset", form)
    assert again.status_code == 410 and "không còn hiệu lực" in again.get_data(as_text=True)
    browser.login("an@example.vn", "mot-mat-khau-moi-2027")


def test_a_reset_link_expires_and_a_newer_one_replaces_it(factory):
    user = factory.user("an@example.vn")
    _, first = accounts.request_password_reset("an@example.vn")
    _, second = accounts.request_password_reset("AN@example.vn")
    with pytest.raises(DomainError):
        accounts.reset_password(first, "mot-mat-khau-moi-2027")
    with pytest.raises(DomainError):
        accounts.reset_password(second, "mot-mat-khau-moi-2027", now=utcnow() + timedelta(hours=2))
    assert accounts.reset_password(second, "mot-mat-khau-moi-2027").id == user.id
    assert accounts.request_password_reset("khong-co@example.vn") is None


def test_a_platform_admin_deactivates_an_account_and_its_sessions_and_tokens_end(app, factory, browser):
    factory.user("quantri@example.vn", platform_admin=True)
    user = factory.user("an@example.vn", organisation=factory.organisation())
    token, _ = accounts.issue_api_token(user.id, "Máy quét")
    victim = Browser(app.test_client())
    victim.login("an@example.vn")
    browser.login("quantri@example.vn")
    assert browser.post(f"/admin/users/{user.id}/active", {"active": "0"}).status_code == 302
    assert victim.get("/manage/").status_code == 302
    assert accounts.user_for_api_token(token) is None
    db.session.expire_all()
    with pytest.raises(DomainError) as error:
        accounts.authenticate("an@example.vn", PASSWORD)
    assert error.value.code == "account_disabled"
    browser.post(f"/admin/users/{user.id}/active", {"active": "1"})
    db.session.expire_all()
    assert accounts.authenticate("an@example.vn", PASSWORD).id == user.id


def test_only_platform_admins_deactivate_accounts(factory, browser):
    target = factory.user("an@example.vn")
    factory.user("tochuc@example.vn", organisation=factory.organisation(), role=Role.ADMIN)
    browser.login("tochuc@example.vn")
    assert browser.post(f"/admin/users/{target.id}/active", {"active": "0"}).status_code == 403


@pytest.mark.parametrize("key, refused", [("x", True), ("a" * 31, True), ("a" * 32, False)])
def test_a_short_secret_key_is_refused_in_production(tmp_path, key, refused):
    settings = config.from_environment(str(tmp_path), {"EVENTHUB_ENV": "production", "SECRET_KEY": key})
    if refused:
        with pytest.raises(config.ConfigError, match="at least 32"):
            config.ensure_secret_key(settings, str(tmp_path))
    else:
        config.ensure_secret_key(settings, str(tmp_path))


def test_an_admin_adding_an_existing_account_sees_only_the_name_they_typed(factory, browser):
    organisation = factory.organisation()
    factory.user("admin@example.vn", organisation=organisation, role=Role.ADMIN)
    factory.user("bi-mat@example.vn", full_name="Tên Thật Của Tài Khoản")
    browser.login("admin@example.vn")
    browser.post(f"/manage/organisations/{organisation.id}/members",
                 {"email": "bi-mat@example.vn", "full_name": "Chị Lan phòng KH", "role": "organiser",
                  "initial_password": "mot-cau-rat-dai-2027"})
    page = browser.get(f"/manage/organisations/{organisation.id}/members").get_data(as_text=True)
    assert "Chị Lan phòng KH" in page and "Tên Thật Của Tài Khoản" not in page
    assert accounts.authenticate("bi-mat@example.vn", PASSWORD)  # an existing account keeps its password
