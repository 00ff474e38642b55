"""Organiser pages for check-in lists and devices, the staff page and the scanner shell."""
import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.checkin import services, views
from eventhub.checkin.models import CheckInList, Device
from eventhub.extensions import db
from eventhub.registration import tickets
from tests.checkin.gates import open_entrance

STATIC = Path(__file__).resolve().parents[2] / "static"
LINK = re.compile(r'<code class="token device-url">([^<]+)</code>')


@pytest.fixture
def organisation(factory):
    return factory.organisation("Sở KH&CN tỉnh Đắk Lắk")


@pytest.fixture
def event(factory, organisation):
    return factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")


@pytest.fixture
def students(factory, event):
    return factory.category(event, "Học sinh, sinh viên")


@pytest.fixture
def organiser(factory, organisation, browser):
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER, full_name="Trần Thị Lan")
    browser.login("tochuc@example.vn")
    return browser


def base(event):
    return f"/manage/events/{event.id}/checkin"


def fragment(location):
    values = parse_qs(urlsplit(location).fragment)
    return values["token"][0], int(values["list"][0])


def api_scan(client, list_id, token, **payload):
    return client.post(f"/api/v1/checkin/lists/{list_id}/scan", json=payload,
                       headers={"Authorization": f"Bearer {token}"})


def test_the_lists_page_creates_the_entrance_and_links_from_the_event(organiser, event):
    page = organiser.get(base(event)).get_data(as_text=True)
    assert "Cổng chính" in page and "Mở máy quét" in page
    assert [c.name for c in services.lists_for_event(event.id)] == ["Cổng chính"]
    organiser.get(base(event))
    assert len(services.lists_for_event(event.id)) == 1


def test_organiser_creates_and_edits_a_list(organiser, event, students, factory):
    others = factory.category(event, "Doanh nghiệp")
    response = organiser.post(f"{base(event)}/lists/new", {
        "name": "  Hội trường   A ", "opens_at": "08/03/2027 07:30", "closes_at": "08/03/2027 11:30",
        "allow_exit": "y", "category_ids": [str(students.id)]})
    assert response.status_code == 302
    check_in_list = db.session.scalar(sa.select(CheckInList).where(CheckInList.name == "Hội trường A"))
    assert response.headers["Location"].endswith(f"{base(event)}/lists/{check_in_list.id}")
    assert check_in_list.allow_exit and [c.id for c in check_in_list.categories] == [students.id]
    assert check_in_list.opens_at.hour == 0 and check_in_list.opens_at.minute == 30  # 07:30 in Vietnam is 00:30 UTC
    page = organiser.get(f"{base(event)}/lists/{check_in_list.id}").get_data(as_text=True)
    assert 'value="08/03/2027 07:30"' in page and "Hội trường A" in page

    response = organiser.post(f"{base(event)}/lists/{check_in_list.id}", {
        "name": "Hội trường B", "opens_at": "", "closes_at": "", "category_ids": [str(students.id), str(others.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    check_in_list = db.session.get(CheckInList, check_in_list.id)
    assert check_in_list.name == "Hội trường B" and not check_in_list.allow_exit and check_in_list.opens_at is None
    assert sorted(c.id for c in check_in_list.categories) == sorted([students.id, others.id])
    assert "Hội trường B" in organiser.get(base(event)).get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"name": "  "}, "Trường này là bắt buộc."),
    ({"name": "Cổng 2", "opens_at": "ngày mai"}, "Thời gian không hợp lệ"),
    ({"name": "Cổng 2", "opens_at": "08/03/2027 12:00", "closes_at": "08/03/2027 08:00"}, "Giờ đóng phải sau giờ mở."),
    ({"name": "Cổng 2", "category_ids": ["999999"]}, "không phải là lựa chọn hợp lệ"),
])
def test_bad_list_input_gets_vietnamese_field_errors(organiser, event, students, data, message):
    response = organiser.post(f"{base(event)}/lists/new", data)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert message in page and 'class="errors"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckInList)) == 0

    entrance = open_entrance(event.id)
    response = organiser.post(f"{base(event)}/lists/{entrance.id}", data)
    assert response.status_code == 422 and message in html.unescape(response.get_data(as_text=True))


def test_device_link_is_shown_once_works_and_revoking_stops_it_at_once(organiser, event, students, factory, client):
    person = factory.registration(event, students, full_name="Phạm Minh Tuấn")
    entrance = open_entrance(event.id)
    response = organiser.post(f"{base(event)}/lists/{entrance.id}/devices", {"name": "Điện thoại cổng 2"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    link = html.unescape(LINK.search(page).group(1))
    assert link.startswith("http://127.0.0.1:5000/scanner?lang=vi#token=ehd_")
    assert 'src="data:image/png;base64,' in page
    token, list_id = fragment(link)
    assert list_id == entrance.id

    again = organiser.get(f"{base(event)}/lists/{entrance.id}").get_data(as_text=True)
    assert token not in again and "Điện thoại cổng 2" in again

    answer = api_scan(client, entrance.id, token, code=tickets.qr_payload(person.ticket_code))
    assert answer.status_code == 200 and answer.get_json()["result"] == "ok"
    assert answer.get_json()["attendee"]["full_name"] == "Phạm Minh Tuấn"

    device = db.session.scalar(sa.select(Device).where(Device.name == "Điện thoại cổng 2"))
    response = organiser.post(f"{base(event)}/lists/{entrance.id}/devices/{device.id}/revoke")
    assert response.status_code == 302
    assert api_scan(client, entrance.id, token, code=person.ticket_code).status_code == 401
    assert client.get(f"/api/v1/checkin/lists/{entrance.id}/offline-data",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "Đã thu hồi" in organiser.get(f"{base(event)}/lists/{entrance.id}").get_data(as_text=True)


def test_a_device_needs_a_name(organiser, event):
    entrance = open_entrance(event.id)
    response = organiser.post(f"{base(event)}/lists/{entrance.id}/devices", {"name": " "})
    assert response.status_code == 422
    assert "Trường này là bắt buộc." in response.get_data(as_text=True)
    assert services.devices(entrance.id) == []


def test_open_scanner_makes_a_device_for_the_user_and_redirects_with_the_token_in_the_fragment(organiser, event,
                                                                                                 client):
    entrance = open_entrance(event.id)
    response = organiser.post(f"{base(event)}/lists/{entrance.id}/open-scanner")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert urlsplit(location).path == "/scanner" and urlsplit(location).query == "lang=vi"  # the token: fragment only
    token, list_id = fragment(location)
    assert list_id == entrance.id and token.startswith("ehd_")
    [device] = services.devices(entrance.id)
    assert device.name == "Trần Thị Lan · Thiết bị"
    counts = client.get(f"/api/v1/checkin/lists/{entrance.id}/counts", headers={"Authorization": f"Bearer {token}"})
    assert counts.get_json() == {"checked_in": 0, "admissible": 0}


def test_check_in_staff_open_the_scanner_but_cannot_edit_lists(factory, organisation, event, browser):
    factory.user("tinhnguyen@example.vn", organisation=organisation, role=Role.CHECKIN_STAFF, full_name="Lê Văn Tâm")
    browser.login("tinhnguyen@example.vn")
    response = browser.get(base(event))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base(event)}/scan")
    page = browser.get(f"{base(event)}/scan").get_data(as_text=True)
    entrance = open_entrance(event.id)
    assert "Cổng chính" in page and "Mở máy quét" in page and "Thêm điểm check-in" not in page
    response = browser.post(f"{base(event)}/lists/{entrance.id}/open-scanner")
    assert response.status_code == 302 and response.headers["Location"].startswith("/scanner?lang=vi#token=ehd_")
    assert [d.name for d in services.devices(entrance.id)] == ["Lê Văn Tâm · Thiết bị"]

    assert browser.get(f"{base(event)}/lists/new").status_code == 403
    assert browser.post(f"{base(event)}/lists/new", {"name": "Cổng phụ"}).status_code == 403
    assert browser.get(f"{base(event)}/lists/{entrance.id}").status_code == 403
    assert browser.post(f"{base(event)}/lists/{entrance.id}", {"name": "Đổi tên"}).status_code == 403
    assert browser.post(f"{base(event)}/lists/{entrance.id}/devices", {"name": "Máy riêng"}).status_code == 403
    device = services.devices(entrance.id)[0]
    assert browser.post(f"{base(event)}/lists/{entrance.id}/devices/{device.id}/revoke").status_code == 403
    db.session.expire_all()
    assert db.session.get(CheckInList, entrance.id).name == "Cổng chính"
    assert db.session.get(Device, device.id).revoked_at is None


def test_another_organisations_organiser_gets_404_on_every_route(factory, organisation, event, browser):
    entrance = open_entrance(event.id)
    _token, device = services.issue_device(entrance.id, "Điện thoại", None)
    other = factory.organisation("Sở KH&CN tỉnh khác")
    factory.user("nguoingoai@example.vn", organisation=other, role=Role.ADMIN)
    factory.user("staff-ngoai@example.vn", organisation=other, role=Role.CHECKIN_STAFF)
    lists_url = f"{base(event)}/lists/{entrance.id}"
    for email in ("nguoingoai@example.vn", "staff-ngoai@example.vn"):
        browser.login(email)
        for url in (base(event), f"{base(event)}/scan", f"{base(event)}/lists/new", lists_url):
            assert browser.get(url).status_code == 404, url
        for url in (f"{base(event)}/lists/new", lists_url, f"{lists_url}/devices", f"{lists_url}/open-scanner",
                    f"{lists_url}/devices/{device.id}/revoke"):
            assert browser.post(url, {"name": "x"}).status_code == 404, url
        browser.logout()
    assert [d.name for d in services.devices(entrance.id)] == ["Điện thoại"]
    assert services.devices(entrance.id)[0].revoked_at is None


def test_a_list_of_another_event_is_not_found_through_this_event(organiser, organisation, event, factory):
    other_event = factory.event(organisation, title="Sự kiện khác")
    foreign = services.entrance_for(other_event.id)
    assert organiser.get(f"{base(event)}/lists/{foreign.id}").status_code == 404
    assert organiser.post(f"{base(event)}/lists/{foreign.id}/open-scanner").status_code == 404


def test_the_scanner_is_a_public_shell_and_its_worker_may_control_it(client):
    response = client.get("/scanner")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "jsQR.js" in page and 'type="module"' in page and 'capture="environment"' in page
    assert "<script>" not in page and "style=" not in page
    worker = client.get("/scanner-sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/scanner"
    assert worker.mimetype == "text/javascript"
    assert client.get("/static/vendor/noble-ed25519/index.js").status_code == 200


def test_check_in_staff_find_their_events_on_the_dashboard(factory, browser):
    from eventhub.accounts.models import Role

    organisation = factory.organisation()
    event = factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp có cổng 2027")
    factory.event(factory.organisation(), publish=True, title="Sự kiện đơn vị khác 2027")
    factory.user("cong2@example.vn", organisation=organisation, role=Role.CHECKIN_STAFF)
    browser.login("cong2@example.vn")
    page = browser.get("/manage/").get_data(as_text=True)
    assert "Ngày hội khởi nghiệp có cổng 2027" in page and f"/manage/events/{event.id}/checkin/scan" in page
    assert "Sự kiện đơn vị khác 2027" not in page


def scanner_texts(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="scanner-texts">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def test_the_scanner_shows_its_texts_in_the_interface_language(client):
    vietnamese = client.get("/scanner").get_data(as_text=True)
    assert '<html lang="vi">' in vietnamese
    assert scanner_texts(vietnamese)["offline"] == "Ngoại tuyến"
    assert scanner_texts(vietnamese)["queued"] == "Chờ đồng bộ: %(count)s"
    client.get("/language/en")
    english = client.get("/scanner").get_data(as_text=True)
    assert '<html lang="en">' in english
    texts = scanner_texts(english)
    assert texts["offline"] == "Offline" and texts["queued"] == "Waiting to sync: %(count)s"
    assert set(texts) == set(views.SCANNER_TEXTS)


def test_the_scanner_script_uses_exactly_the_texts_the_page_renders():
    modules = sorted((STATIC / "js/scanner").glob("*.js"))
    source = "\n".join(module.read_text() for module in modules)
    used = set(re.findall(r'\bt\(\s*"(\w+)"', source))
    assert used and used <= set(views.SCANNER_TEXTS)
    unused = [key for key in views.SCANNER_TEXTS if f'"{key}"' not in source]
    assert unused == []


def test_the_service_worker_keeps_every_scanner_module_offline():
    worker = (STATIC / "js/scanner-sw.js").read_text()
    shell = set(re.findall(r'"(/static/[^"]+)"', worker))
    modules = {f"/static/js/scanner/{module.name}" for module in (STATIC / "js/scanner").glob("*.js")}
    assert "/static/js/scanner/main.js" in modules and modules <= shell
    assert all((STATIC / path.removeprefix("/static/")).is_file() for path in shell)
