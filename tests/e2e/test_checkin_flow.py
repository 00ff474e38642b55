"""A volunteer's phone scans tickets at the door: online, then offline with the scans synced afterwards."""
import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from eventhub.checkin import services
from eventhub.checkin.models import CheckIn, ScanLog
from eventhub.extensions import db
from eventhub.registration import tickets
from tests.checkin.gates import open_entrance

pytestmark = pytest.mark.e2e
NAME = "Hoàng Thị Thu Trang"


@pytest.fixture
def door(factory, tmp_path):
    event = factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    person = factory.registration(event, factory.category(event, "Học sinh, sinh viên"), full_name=NAME)
    entrance = open_entrance(event.id)  # the event is next month: a list open now, as an organiser may set it
    token, _device = services.issue_device(entrance.id, "Điện thoại cổng 1", None)
    genuine = tmp_path / "ve.png"
    genuine.write_bytes(tickets.qr_png(tickets.qr_payload(person.ticket_code)))
    # A well-formed payload whose signature belongs to another code.
    forged = tmp_path / "ve-gia.png"
    forged.write_bytes(tickets.qr_png(f"EH1.{person.ticket_code}.{tickets.qr_payload('KHAC12345').split('.')[2]}"))
    return {"list_id": entrance.id, "token": token, "genuine": str(genuine), "forged": str(forged),
            "registration_id": person.id, "category": {"id": person.category_id, "name": "Học sinh, sinh viên"}}


def open_scanner(page, door, loaded="1 vé"):
    page.goto(f"/scanner#token={door['token']}&list={door['list_id']}")
    expect(page.locator("#sc-main")).to_be_visible()
    expect(page.locator("#sc-offline-info")).to_contain_text(loaded)
    assert "#" not in page.url and door["token"] not in page.url


def check_ins(door):
    db.session.rollback()
    return db.session.scalars(sa.select(CheckIn).where(CheckIn.check_in_list_id == door["list_id"])).all()


def test_a_ticket_is_admitted_once_and_a_forged_one_refused(page, door):
    open_scanner(page, door)
    result = page.locator("#sc-result")

    page.set_input_files("#sc-photo", door["genuine"])
    expect(result).to_have_class(re.compile("sc-ok"))
    expect(page.locator("#sc-result-title")).to_have_text("Hợp lệ")
    expect(page.locator("#sc-result-name")).to_have_text(NAME)
    expect(page.locator("#sc-result-offline")).to_be_hidden()
    expect(page.locator("#sc-count")).to_have_text("1/1")

    page.set_input_files("#sc-photo", door["genuine"])
    expect(result).to_have_class(re.compile("sc-already"))
    expect(page.locator("#sc-result-detail")).to_contain_text("Đã check-in lúc")
    expect(page.locator("#sc-result-detail")).to_contain_text("Điện thoại cổng 1")

    page.set_input_files("#sc-photo", door["forged"])
    expect(result).to_have_class(re.compile("sc-refused"))
    expect(page.locator("#sc-result-title")).to_have_text("Vé giả hoặc bị sửa")
    assert [c.registration_id for c in check_ins(door)] == [door["registration_id"]]


def test_offline_scans_are_verified_locally_queued_and_synced(page, door):
    open_scanner(page, door)
    result = page.locator("#sc-result")
    page.context.set_offline(True)
    expect(page.locator("#sc-network")).to_have_text("Ngoại tuyến")

    page.set_input_files("#sc-photo", door["forged"])
    expect(result).to_have_class(re.compile("sc-refused"))
    expect(page.locator("#sc-result-title")).to_have_text("Vé giả hoặc bị sửa")

    page.set_input_files("#sc-photo", door["genuine"])
    expect(result).to_have_class(re.compile("sc-ok"))
    expect(page.locator("#sc-result-name")).to_have_text(NAME)
    expect(page.locator("#sc-result-offline")).to_be_visible()
    expect(page.locator("#sc-queue")).to_have_text("Chờ đồng bộ: 1")

    page.set_input_files("#sc-photo", door["genuine"])
    expect(result).to_have_class(re.compile("sc-already"))
    assert check_ins(door) == []

    page.context.set_offline(False)
    expect(page.locator("#sc-queue")).to_be_hidden()
    expect(page.locator("#sc-network")).to_have_text("Trực tuyến")
    deadline = time.monotonic() + 10
    while not check_ins(door) and time.monotonic() < deadline:
        time.sleep(0.1)
    [check_in] = check_ins(door)
    assert check_in.registration_id == door["registration_id"]
    log = db.session.scalar(sa.select(ScanLog).where(ScanLog.offline.is_(True)))
    assert log is not None and log.result.value == "ok"


def test_walk_in_undo_and_check_in_by_search(page, door):
    open_scanner(page, door)
    page.locator("#sc-walkin-panel summary").click()
    page.get_by_role("button", name="Đăng ký và check-in").click()
    expect(page.locator("#sc-walkin-errors")).to_have_text("Vui lòng nhập họ và tên.")
    page.get_by_label("Họ và tên", exact=True).fill("Y Khoa Niê")
    page.get_by_label("Số điện thoại", exact=True).fill("0966123456")
    page.get_by_role("button", name="Đăng ký và check-in").click()
    expect(page.locator("#sc-result-title")).to_have_text("Hợp lệ")
    expect(page.locator("#sc-result-name")).to_have_text("Y Khoa Niê")
    page.locator("#sc-result-close").click()

    page.get_by_role("button", name="Hoàn tác: Y Khoa Niê").click()
    expect(page.locator("#sc-result-title")).to_have_text("Đã huỷ check-in")
    page.locator("#sc-result-close").click()
    expect(page.locator("#sc-undo")).to_be_hidden()

    page.locator("#sc-search-panel summary").click()
    page.locator("#sc-q").fill("Khoa")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.locator("#sc-results").get_by_role("button", name="Check-in").click()
    expect(page.locator("#sc-result-title")).to_have_text("Hợp lệ")
    expect(page.locator("#sc-count")).to_have_text("1/2")
    [check_in] = check_ins(door)
    assert check_in.registration.full_name == "Y Khoa Niê"


def test_in_english_the_scanner_and_the_scan_results_are_english(page, door):
    page.goto("/language/en")
    open_scanner(page, door, loaded="Tickets in the offline data: 1,")
    expect(page.locator("#sc-network")).to_have_text("Online")
    expect(page.locator("#sc-camera-toggle")).to_have_text("Turn on camera")

    page.set_input_files("#sc-photo", door["genuine"])
    expect(page.locator("#sc-result-title")).to_have_text("Valid")
    expect(page.locator("#sc-undo")).to_have_text(f"Undo: {NAME}")
    page.set_input_files("#sc-photo", door["genuine"])
    expect(page.locator("#sc-result-title")).to_have_text("Already checked in")
    # The server's own message, in the page's language.
    detail = re.compile(r"^Checked in at \d\d:\d\d at Điện thoại cổng 1$")
    expect(page.locator("#sc-result-detail")).to_have_text(detail)

    page.context.set_offline(True)
    expect(page.locator("#sc-network")).to_have_text("Offline")
    page.set_input_files("#sc-photo", door["forged"])
    expect(page.locator("#sc-result-title")).to_have_text("Forged or tampered ticket")
    expect(page.locator("#sc-result-offline")).to_have_text("Offline — will sync when the network is back")


@pytest.mark.smoke  # asked for on both databases: the walk-in's key must hold on PostgreSQL too
def test_an_offline_walk_in_gets_a_provisional_ticket_and_is_registered_once_back_online(page, door):
    from eventhub.registration.models import Registration

    open_scanner(page, door)
    page.locator("#sc-walkin-panel summary").click()
    page.context.set_offline(True)
    page.locator("#sc-walkin-cccd").fill("066095001234|241234567|Nguyễn Thị Hồng Nhung|14031995|Nữ|"
                                         "Thôn 3, Xã Ea Tu, Tỉnh Đắk Lắk|20042021")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Nguyễn Thị Hồng Nhung")
    expect(page.locator("#sc-walkin-province")).to_have_value("Đắk Lắk")
    expect(page.locator("#sc-walkin-birth-year")).to_have_value("1995")
    expect(page.locator("#sc-walkin-cccd")).to_have_value("")  # the ID number and address are gone from the page
    page.get_by_label("Số điện thoại", exact=True).fill("0966123999")
    page.get_by_role("button", name="Đăng ký và check-in").click()
    expect(page.locator("#sc-walkin-provisional")).to_contain_text("Vé tạm TAM-")
    expect(page.locator("#sc-walkin-pending")).to_contain_text("1 khách")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1  # only the ticket holder

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#sc-walkin-outcomes")).to_contain_text("Nguyễn Thị Hồng Nhung: đã đăng ký và check-in.")
    expect(page.locator("#sc-walkin-pending")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second reconnection sends nothing again
    time.sleep(1)
    db.session.rollback()
    walk_ins = db.session.scalars(sa.select(Registration).where(Registration.phone == "0966123999")).all()
    assert [(r.full_name, r.birth_year, r.province, r.gender.value) for r in walk_ins] == [
        ("Nguyễn Thị Hồng Nhung", 1995, "Đắk Lắk", "female")]
    assert [c.registration.full_name for c in check_ins(door)] == ["Nguyễn Thị Hồng Nhung"]
