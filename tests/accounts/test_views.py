import re

from eventhub.accounts.models import Membership, Organisation, Role, User
from eventhub.extensions import db
from tests.support.factories import PASSWORD


def test_sign_in_and_out(factory, browser):
    factory.user("nhung@example.vn")
    assert browser.get("/manage/").status_code == 302
    response = browser.login("nhung@example.vn")
    assert response.headers["Location"].endswith("/manage/")
    assert browser.get("/manage/").status_code == 200
    browser.logout()
    assert browser.get("/manage/").status_code == 302


def test_wrong_password_shows_a_vietnamese_message_and_keeps_the_email(factory, browser):
    factory.user("nhung@example.vn")
    response = browser.post("/login", {"email": "nhung@example.vn", "password": "sai-roi-nhe"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "E-mail hoặc mật khẩu không đúng." in page and 'value="nhung@example.vn"' in page


def test_login_form_names_the_missing_fields(browser):
    response = browser.post("/login", {"email": "khong-phai-email", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Địa chỉ e-mail không hợp lệ." in page and "Trường này là bắt buộc." in page


def test_login_follows_only_local_next_urls(factory, browser):
    factory.user("nhung@example.vn")
    response = browser.post("/login?next=https://evil.example/phish",
                            {"email": "nhung@example.vn", "password": PASSWORD})
    assert response.headers["Location"] == "/manage/"
    browser.logout()
    response = browser.post("/login?next=/manage/events/new", {"email": "nhung@example.vn", "password": PASSWORD})
    assert response.headers["Location"] == "/manage/events/new"


def test_login_is_rate_limited_per_address(app, factory, browser):
    factory.user("nhung@example.vn")
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [browser.post("/login", {"email": "nhung@example.vn", "password": "sai-mat-khau"}).status_code
                    for _ in range(4)]
        blocked = browser.post("/login", {"email": "nhung@example.vn", "password": PASSWORD})
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
    assert statuses == [422, 422, 422, 429]
    assert blocked.status_code == 429
    assert "thử lại sau" in blocked.get_data(as_text=True)


def test_forms_without_csrf_token_are_refused(factory, client):
    factory.user("nhung@example.vn")
    response = client.post("/login", data={"email": "nhung@example.vn", "password": PASSWORD})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    response = client.post("/login", data={"email": "nhung@example.vn", "password": PASSWORD, "csrf_token": "gia-mao"})
    assert response.status_code == 400


def test_logout_needs_post_with_csrf(factory, browser):
    factory.user("nhung@example.vn")
    browser.login("nhung@example.vn")
    assert browser.get("/logout").status_code == 405
    assert browser.client.post("/logout").status_code == 400
    assert browser.get("/manage/").status_code == 200


def test_new_member_must_change_the_initial_password_first(factory, browser):
    organisation = factory.organisation()
    user = factory.user("moi@example.vn", organisation=organisation)
    user.must_change_password = True
    db.session.commit()
    browser.login("moi@example.vn")
    response = browser.get("/manage/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/password")
    response = browser.post("/account/password", {"current_password": PASSWORD, "new_password": "mat-khau-rieng-2026",
                                                   "confirm_password": "mat-khau-rieng-2026"})
    assert response.status_code == 302
    assert browser.get("/manage/").status_code == 200


def test_password_change_reports_each_problem(factory, browser):
    factory.user("lan@example.vn")
    browser.login("lan@example.vn")
    response = browser.post("/account/password", {"current_password": "sai", "new_password": "ngan",
                                                   "confirm_password": "khac"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mật khẩu nhập lại không khớp." in page
    response = browser.post("/account/password", {"current_password": "sai-hoan-toan", "new_password": "ngan",
                                                   "confirm_password": "ngan"})
    page = response.get_data(as_text=True)
    assert "Mật khẩu hiện tại không đúng." in page


def test_api_token_is_shown_once_and_can_be_revoked(factory, browser, client):
    factory.user("lan@example.vn")
    browser.login("lan@example.vn")
    page = browser.post("/account/tokens", {"name": "Máy quét cổng 1"}).get_data(as_text=True)
    token = re.search(r'id="new-token">([^<]+)<', page).group(1)
    assert browser.get("/account/tokens").get_data(as_text=True).count(token) == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    token_id = db.session.scalar(db.select(User).where(User.email == "lan@example.vn")).id
    from eventhub.accounts.models import ApiToken
    record = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == token_id))
    browser.post(f"/account/tokens/{record.id}/revoke")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_only_platform_admins_manage_organisations(factory, browser):
    organisation = factory.organisation()
    factory.user("admin-don-vi@example.vn", organisation=organisation, role=Role.ADMIN)
    browser.login("admin-don-vi@example.vn")
    assert browser.get("/admin/organisations").status_code == 403
    assert browser.post("/admin/organisations/new", {"name": "Đơn vị lạ", "kind": "agency",
                                                     "province": "Đắk Lắk"}).status_code == 403


def test_platform_admin_creates_an_organisation(factory, browser):
    factory.user("root@example.vn", platform_admin=True)
    browser.login("root@example.vn")
    response = browser.post("/admin/organisations/new", {
        "name": "Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk", "short_name": "Hội LHPN", "kind": "union",
        "province": "Đắk Lắk", "parent_id": "", "is_active": "y"})
    assert response.status_code == 302
    organisation = db.session.scalar(db.select(Organisation))
    assert organisation.name == "Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk"
    assert "Hội Liên hiệp Phụ nữ" in browser.get("/admin/organisations").get_data(as_text=True)
    duplicate = browser.post("/admin/organisations/new", {"name": "hội liên hiệp phụ nữ tỉnh đắk lắk",
                                                          "kind": "union", "province": "Đắk Lắk", "parent_id": ""})
    assert duplicate.status_code == 422
    assert "Đã có đơn vị với tên này." in duplicate.get_data(as_text=True)


def test_organisation_admin_adds_and_manages_members(factory, browser):
    organisation = factory.organisation()
    factory.user("admin@donvi.vn", organisation=organisation, role=Role.ADMIN)
    browser.login("admin@donvi.vn")
    response = browser.post(f"/manage/organisations/{organisation.id}/members", {
        "email": "staff@donvi.vn", "full_name": "Y Bhim Niê", "role": "checkin_staff",
        "initial_password": "tam-thoi-2026"})
    assert response.status_code == 302
    membership = db.session.scalar(db.select(Membership).join(User).where(User.email == "staff@donvi.vn"))
    membership_id = membership.id
    assert membership.role == Role.CHECKIN_STAFF
    browser.post(f"/manage/organisations/{organisation.id}/members/{membership_id}/role", {"role": "organiser"})
    db.session.expire_all()
    assert db.session.get(Membership, membership_id).role == Role.ORGANISER
    browser.post(f"/manage/organisations/{organisation.id}/members/{membership_id}/remove")
    db.session.expire_all()
    assert db.session.get(Membership, membership_id) is None


def test_removing_the_last_admin_is_explained(factory, browser):
    organisation = factory.organisation()
    admin = factory.user("admin@donvi.vn", organisation=organisation, role=Role.ADMIN)
    membership_id = admin.memberships[0].id
    browser.login("admin@donvi.vn")
    response = browser.post(f"/manage/organisations/{organisation.id}/members/{membership_id}/remove",
                            follow_redirects=True)
    assert "Đơn vị phải còn ít nhất một quản trị viên." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, membership_id) is not None


def test_organisers_cannot_manage_members(factory, browser):
    organisation = factory.organisation()
    factory.user("tochuc@donvi.vn", organisation=organisation, role=Role.ORGANISER)
    browser.login("tochuc@donvi.vn")
    assert browser.get(f"/manage/organisations/{organisation.id}/members").status_code == 403


def test_english_switch_translates_the_interface(factory, browser):
    assert "Đăng nhập" in browser.get("/").get_data(as_text=True)
    response = browser.get("/language/en?next=/login")
    assert response.headers["Location"] == "/login"
    page = browser.get("/login").get_data(as_text=True)
    assert "Sign in" in page and '<html lang="en">' in page
    assert browser.get("/language/fr").status_code == 404
