"""A ticket holder opens their personal agenda, signs up for a workshop and downloads the personal .ics."""
from datetime import timedelta
from pathlib import Path

import pytest
import vobject
from playwright.sync_api import expect

from eventhub.scheduling.models import SessionType
from tests.scheduling.factories import make_room, make_session

pytestmark = pytest.mark.e2e


def test_participant_signs_up_for_a_workshop_and_downloads_the_personal_calendar(factory, page, tmp_path):
    event = factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    person = factory.registration(event, factory.category(event), full_name="Lê Thị Thu Hà")
    keynote = make_session(event, "Khai mạc", room=make_room(event, "Hội trường chính", capacity=300),
                           session_type=SessionType.CEREMONY, starts_at=event.starts_at)
    workshop = make_session(event, "Workshop: Khởi nghiệp xanh", room=make_room(event, "Phòng tập huấn A", capacity=30),
                            session_type=SessionType.WORKSHOP, capacity=20, signup_required=True,
                            starts_at=event.starts_at + timedelta(hours=2))

    page.goto(f"/tickets/{person.access_key}/agenda")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chương trình của tôi")
    expect(page.get_by_text("Bạn chưa đăng ký phiên nào.")).to_be_visible()
    page.locator(".agenda-choice", has_text="Workshop: Khởi nghiệp xanh") \
        .get_by_role("button", name="Đăng ký phiên này").click()
    expect(page.get_by_text("Đã giữ chỗ cho bạn ở phiên “Workshop: Khởi nghiệp xanh”.")).to_be_visible()
    expect(page.get_by_text("Bạn chưa đăng ký phiên nào.")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải lịch cá nhân (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    calendar = vobject.readOne(Path(path).read_text(encoding="utf-8"))
    sessions = {vevent.uid.value: vevent for vevent in calendar.vevent_list}
    assert set(sessions) == {f"session-{keynote.id}@eventhub.local", f"session-{workshop.id}@eventhub.local"}
    entry = sessions[f"session-{workshop.id}@eventhub.local"]
    assert entry.summary.value == "Workshop: Khởi nghiệp xanh"
    assert entry.dtstart.value == workshop.starts_at and entry.dtend.value == workshop.ends_at
    assert entry.location.value.startswith("Phòng tập huấn A, ")
    subscribe = page.get_by_role("link", name="Theo dõi trong ứng dụng lịch")
    expect(subscribe).to_have_attribute("href", f"webcal://{page.url.split('://', 1)[1].split('/')[0]}"
                                                f"/tickets/{person.access_key}/agenda.ics")
