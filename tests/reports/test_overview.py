"""Issue 17 items 12 and 13: the organiser's event page leads with large figures and a set-up checklist that says
what is missing; a preview of the public page before publishing; check-in staff land on today's events."""
import re
from datetime import timedelta

from eventhub.accounts.models import Role
from eventhub.checkin import services as checkin
from eventhub.reports import overview
from eventhub.timeutil import utcnow
from tests.checkin.gates import open_entrance


def steps_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<li class="step (step-\w+)" data-step="(\w+)"', page)[i][::-1]
                for i in range(len(re.findall(r'data-step="', page))))


def figure(page: str, code: str) -> str:
    return re.search(rf'big-figure-{code}">\s*<span class="big-figure-value">([^<]+)', page).group(1).strip()


def test_a_new_draft_shows_what_is_missing_then_each_step_is_ticked(factory, browser, app):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("tochuc@skhcn.vn", organisation=organisation, role=Role.ORGANISER)
    event = factory.event(organisation, summary=None, capacity=None, description_md="")
    browser.login("tochuc@skhcn.vn")
    page = browser.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert steps_of(page) == {"details": "step-todo", "categories": "step-todo", "questions": "step-optional",
                              "agenda": "step-todo", "preview": "step-todo", "publish": "step-todo"}
    assert "Chuẩn bị sự kiện: còn 5 bước" in page
    assert "Còn thiếu: tóm tắt, mô tả, sức chứa" in page and "chưa có đối tượng nhận đăng ký" in page
    assert f'href="/manage/events/{event.id}/preview"' in page
    # the preview shows the public page to the organiser while the portal still answers 404
    preview = browser.get(f"/manage/events/{event.id}/preview")
    assert preview.status_code == 200 and event.title in preview.get_data(as_text=True)
    assert "Xem trước" in preview.get_data(as_text=True) and preview.headers["X-Robots-Tag"] == "noindex"
    assert browser.get(f"/events/{event.slug}").status_code == 404

    students = factory.category(event, "Học sinh, sinh viên")
    with app.test_request_context():
        steps = {s.code: s for s in overview.setup_steps(event)}
    assert steps["categories"].done and not steps["agenda"].done and steps["agenda"].missing == ["chưa có phiên nào"]
    assert students.id
    page = browser.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert steps_of(page)["categories"] == "step-done"
    assert figure(page, "registered") == "0" and figure(page, "confirmed") == "0"
    assert figure(page, "checked_in") == "0" and figure(page, "seats_left") == "Không giới hạn"
    assert "big-figure-booths_taken" not in page  # no floor plan, nothing to count


def test_figures_count_check_ins_and_seats_and_the_dashboard_leads_with_them(factory, browser):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("tochuc@skhcn.vn", organisation=organisation, role=Role.ORGANISER)
    event = factory.event(organisation, publish=True, capacity=10, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    students = factory.category(event, "Học sinh, sinh viên")
    people = [factory.registration(event, students, full_name=f"Người {n}") for n in range(3)]
    checkin.scan(open_entrance(event.id).id, registration_id=people[0].id, scanner=checkin.Scanner())
    browser.login("tochuc@skhcn.vn")
    page = browser.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert (figure(page, "registered"), figure(page, "checked_in"), figure(page, "seats_left")) == ("3", "1", "7")
    dashboard = browser.get("/manage/").get_data(as_text=True)
    assert 'class="upcoming-event"' in dashboard and figure(dashboard, "confirmed") == "3"


def test_check_in_staff_land_on_today_s_events_with_a_large_scanner_button(factory, browser):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("cong@skhcn.vn", organisation=organisation, role=Role.CHECKIN_STAFF)
    start = utcnow() - timedelta(hours=1)
    today = factory.event(organisation, publish=True, title="Tập huấn hôm nay 2026", starts_at=start,
                          ends_at=start + timedelta(hours=4))
    later = factory.event(organisation, publish=True, title="Diễn đàn tháng sau 2027")
    landing = browser.login("cong@skhcn.vn").headers["Location"]
    page = browser.get(landing).get_data(as_text=True)
    today_part = page.split('class="staff-event-today"')[1]
    assert "Tập huấn hôm nay 2026" in today_part.split("</article>")[0]
    assert f"/manage/events/{today.id}/checkin/lists/" in today_part and "Mở máy quét" in today_part
    assert "Diễn đàn tháng sau 2027" in page and f"/manage/events/{later.id}/checkin/scan" in page
    assert "Tạo sự kiện" not in page and "Việc của tôi hôm nay" in page
