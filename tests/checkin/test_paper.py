"""Paper both ways: the sign-in sheet PDF read back, and attendance entered from it (ranges or ticks), marked as
from paper and counted apart."""
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from eventhub.accounts.models import Role
from eventhub.checkin import paper, services, stats
from eventhub.checkin.models import CheckIn
from eventhub.errors import ValidationFailed
from eventhub.extensions import db
from eventhub.registration import delegations
from tests.checkin.gates import open_entrance


@pytest.fixture
def sheet(factory):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    event = factory.event(organisation, publish=True, capacity=100, title="Tập huấn khởi nghiệp xanh 2027")
    students = factory.category(event, "Học sinh, sinh viên")
    farmers = factory.category(event, "Nông dân", group="farmer")
    people = [factory.registration(event, students, full_name=f"Nguyễn Văn Học {n:02d}", phone=f"09120000{n:02d}",
                                   organisation_name="Trường THPT Chu Văn An") for n in range(1, 31)]
    farmer = factory.registration(event, farmers, full_name="Y Bhin Niê", phone="0987654321")
    return {"event": event, "entrance": open_entrance(event.id), "people": people, "farmer": farmer,
            "students": students, "organisation": organisation}


def test_ranges_are_read_like_people_write_them():
    assert paper.parse_ranges("1-3, 5;7 9", 10) == [1, 2, 3, 5, 7, 9]
    assert paper.parse_ranges(" 4 - 2 ", 10) == [2, 3, 4]
    for bad in ("", "1-", "a", "0", "11", "1-12"):
        with pytest.raises(ValidationFailed):
            paper.parse_ranges(bad, 10)
    assert paper.mask_phone("0912345678") == "0912 *** 678" and paper.mask_phone(None) == ""


def test_the_sign_in_sheet_reads_back_with_header_numbers_masked_phones_and_blank_rows(sheet, browser):
    browser.login("tochuc@example.vn")
    url = f"/manage/events/{sheet['event'].id}/checkin/lists/{sheet['entrance'].id}/signin-sheet.pdf"
    response = browser.get(url + "?blank=5")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0] and "DANH SÁCH KÝ NHẬN THAM DỰ" in pages[0]
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in pages[0]
    assert len(pages) >= 2 and f"Trang 2/{len(pages)}" in pages[1]
    assert "Nguyễn Văn Học 01" in text and "Y Bhin Niê" in text and "0987 *** 321" in text
    assert "0987654321" not in text and "Ký tên" in text
    assert "36" in text and "37" not in text.split("In lúc")[0].split("Y Bhin Niê")[-1]  # 31 people + 5 blank
    farmers = browser.get(url + f"?category_id={sheet['farmer'].category_id}")
    farmers_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(farmers.data)).pages)
    assert "Y Bhin Niê" in farmers_text and "Nguyễn Văn Học" not in farmers_text
    browser.logout()
    assert browser.get(url).status_code in (302, 401)


def test_a_delegations_sheet_and_another_organisation(sheet, factory, browser):
    delegation = delegations.save_delegation(sheet["event"].id, None, delegations.DelegationDetails(
        name="Lớp 10A", organisation_id=sheet["organisation"].id, quota=5, category_id=sheet["students"].id,
        leader_name="Cô Hoa"), [sheet["organisation"].id])
    delegations.preview_rows(delegation, [{"full_name": "Lê Thị Đoàn", "phone": "0933000111"}])
    delegations.confirm(delegation)
    browser.login("tochuc@example.vn")
    url = f"/manage/events/{sheet['event'].id}/checkin/lists/{sheet['entrance'].id}/signin-sheet.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        browser.get(url + f"?delegation_id={delegation.id}").data)).pages)
    assert "Lê Thị Đoàn" in text and "Nguyễn Văn Học" not in text and "Đoàn Lớp 10A" in text
    factory.user("khac@example.vn", organisation=factory.organisation("Sở khác"), role=Role.ADMIN)
    browser.logout()
    browser.login("khac@example.vn")
    assert browser.get(url).status_code == 404
    assert browser.get(f"/manage/events/{sheet['event'].id}/checkin/lists/{sheet['entrance'].id}/paper"
                       ).status_code == 404


def test_attendance_from_paper_by_ranges_and_ticks_is_marked_and_counted_apart(sheet, browser):
    entrance = sheet["entrance"]
    scanned = sheet["people"][1]  # number 2 on the sheet came through the gate too
    services.scan(entrance.id, registration_id=scanned.id, scanner=services.Scanner(gate="Cổng 1"))
    browser.login("tochuc@example.vn")
    url = f"/manage/events/{sheet['event'].id}/checkin/lists/{entrance.id}/paper"
    page = browser.get(url)
    assert page.status_code == 200 and "Nguyễn Văn Học 30" in page.get_data(as_text=True)
    entered = browser.post(url, {"ranges": "1-3, 30"})
    assert entered.status_code == 302
    rows = db.session.execute(sa.select(CheckIn.registration_id, CheckIn.from_paper)).all()
    people = sheet["people"]
    assert dict(rows) == {scanned.id: False, people[0].id: True, people[2].id: True, people[29].id: True}
    ticked = browser.post(url, {"registration_ids": [str(sheet["farmer"].id)]})
    assert ticked.status_code == 302
    bad = browser.post(url, {"ranges": "1-99"})
    assert bad.status_code == 422 and "Số thứ tự phải từ 1 đến 31." in bad.get_data(as_text=True)
    assert browser.post(url, {}).status_code == 422
    entrance_stats = next(item for item in stats.lists(sheet["event"].id) if item["id"] == entrance.id)
    assert (entrance_stats["checked_in"], entrance_stats["from_paper"]) == (5, 4)
    assert paper.enter_from_paper(paper.SheetScope(entrance.id), numbers=[1, 2]).already == 2  # entered once
