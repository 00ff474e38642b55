"""Issue 17 items 3 and 4: a scanner fit for a gate. One device per staff member and phone, in the issuer's
language unless the page asks otherwise; check-in staff follow their event's live figures; the search forgives
apostrophes and tells namesakes apart."""
import pytest

from eventhub.accounts.models import Role
from eventhub.checkin import services
from eventhub.extensions import db
from eventhub.registration import tickets
from tests.checkin.gates import open_entrance
from tests.conftest import Browser

PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/126 Mobile"}


@pytest.fixture
def gate(factory):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    event = factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    students = factory.category(event, "Học sinh, sinh viên")
    factory.user("cong@skhcn.vn", organisation=organisation, role=Role.CHECKIN_STAFF, full_name="Lê Văn Tâm")
    return event, students, open_entrance(event.id)  # the scans below happen now, before the event's days


def open_scanner(browser, event, entrance, **headers):
    response = browser.post(f"/manage/events/{event.id}/checkin/lists/{entrance.id}/open-scanner",
                            headers=headers or PHONE)
    assert response.status_code == 302
    return response.headers["Location"]


def test_open_scanner_reuses_the_phone_s_device_and_names_it(gate, browser, app):
    event, _students, entrance = gate
    browser.login("cong@skhcn.vn")
    first = open_scanner(browser, event, entrance)
    for _ in range(6):
        assert open_scanner(browser, event, entrance) == first  # 7 presses, one device
    [device] = services.devices(entrance.id)
    assert device.name == "Lê Văn Tâm · Android" and device.language == "vi"
    # revoked, the next press makes a new one; another phone (no cookie) gets its own
    services.revoke_device(entrance.id, device.id)
    renewed = open_scanner(browser, event, entrance)
    assert renewed != first
    second = Browser(app.test_client())
    second.login("cong@skhcn.vn")
    assert open_scanner(second, event, entrance) not in (first, renewed)
    assert len([d for d in services.devices(entrance.id) if d.revoked_at is None]) == 2


def test_the_device_answers_in_its_issuer_s_language_unless_the_page_asks(gate, factory, browser, client):
    event, students, entrance = gate
    person = factory.registration(event, students, full_name="H'Nhi Niê", phone="0912345678")
    browser.login("cong@skhcn.vn")
    browser.get("/language/en")
    location = open_scanner(browser, event, entrance)
    assert "lang=en" in location
    token = location.split("token=")[1].split("&")[0]
    [device] = services.devices(entrance.id)
    assert device.language == "en"
    auth = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/checkin/lists/{entrance.id}/scan"
    code = tickets.qr_payload(person.ticket_code)
    first = client.post(url, json={"code": code, "nonce": "n-1"}, headers={**auth, "Accept-Language": "vi"})
    again = client.post(url, json={"code": code, "nonce": "n-2"}, headers={**auth, "Accept-Language": "vi"})
    assert first.get_json()["result"] == "ok"
    assert again.get_json()["message"].startswith("Checked in at")
    asked = client.post(url, json={"code": code, "nonce": "n-3"}, headers={**auth, "X-Language": "vi"})
    assert not asked.get_json()["message"].startswith("Checked"), asked.get_json()
    # the scanner page itself, opened on a phone nobody signed in on, speaks the link's language
    page = client.get(location.split("#")[0]).get_data(as_text=True)
    assert '<html lang="en">' in page and 'data-timezone="Asia/Ho_Chi_Minh"' in page


def test_check_in_staff_reach_the_live_dashboard_without_manager_links(gate, browser):
    event, _students, _entrance = gate
    browser.login("cong@skhcn.vn")
    page = browser.get(f"/manage/events/{event.id}/checkin/dashboard")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"/manage/events/{event.id}/checkin/badges" not in text and f'href="/manage/events/{event.id}"' not in text
    assert browser.get(f"/manage/events/{event.id}/checkin/dashboard.json").status_code == 200
    assert "dashboard" in browser.get(f"/manage/events/{event.id}/checkin/scan").get_data(as_text=True)
    assert browser.get(f"/manage/events/{event.id}/checkin/badges.pdf").status_code == 403


def test_search_forgives_apostrophes_and_tells_namesakes_apart(gate, factory, browser, client):
    event, students, entrance = gate
    pupils = factory.category(event, "Giáo viên")
    factory.registration(event, students, full_name="H'Nhi Niê", phone="0912345678")
    factory.registration(event, pupils, full_name="H’Nhi Niê", phone="0987654321")
    factory.registration(event, students, full_name="Nguyễn Văn Hùng", phone="0911111111")
    browser.login("cong@skhcn.vn")
    token = open_scanner(browser, event, entrance).split("token=")[1].split("&")[0]
    auth = {"Authorization": f"Bearer {token}"}
    for q in ("hnhi", "H'Nhi", "hnhi nie", "h nhi"):
        items = client.get(f"/api/v1/checkin/lists/{entrance.id}/search", query_string={"q": q},
                           headers=auth).get_json()["items"]
        assert sorted((i["category"], i["phone_end"], i["phone"]) for i in items) == [
            ("Giáo viên", "321", None), ("Học sinh, sinh viên", "678", None)], q
    db.session.expire_all()


def test_the_language_chosen_is_the_person_s_everywhere(gate, browser, app):
    event, _students, entrance = gate
    browser.get("/language/en")
    browser.login("cong@skhcn.vn")  # chosen before signing in: kept, and saved as theirs
    assert 'lang="en"' in browser.get("/manage/").get_data(as_text=True)
    other_device = Browser(app.test_client())
    other_device.login("cong@skhcn.vn")
    assert 'lang="en"' in other_device.get("/manage/").get_data(as_text=True)
    assert "lang=en" in open_scanner(other_device, event, entrance)
    browser.logout()
    assert 'lang="en"' in browser.get("/").get_data(as_text=True)  # this device keeps it after signing out
