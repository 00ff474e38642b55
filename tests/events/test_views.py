import io
from datetime import timedelta

import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.events.models import Event, EventStatus
from eventhub.extensions import db
from eventhub.timeutil import to_local
from tests.events.test_services import png_bytes


def form_for(details_start, **overrides):
    start = to_local(details_start)
    data = {
        "title": "Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh 2025", "summary": "Trưng bày, tọa đàm, gọi vốn",
        "event_type": "startup_day", "level": "province", "visibility": "public", "province": "Đắk Lắk",
        "sub_unit": "Phường Buôn Ma Thuột", "venue_name": "Trung tâm Hội nghị tỉnh", "venue_address": "01 Lê Duẩn",
        "starts_at": start.strftime("%d/%m/%Y %H:%M"),
        "ends_at": (start + timedelta(hours=9)).strftime("%d/%m/%Y %H:%M"),
        "registration_opens_at": "", "registration_closes_at": "", "capacity": "1200",
        "description_md": "## Chương trình\n\n- Khai mạc", "co_organiser_ids": [],
    }
    data.update(overrides)
    return data


def organiser_session(factory, browser, role=Role.ORGANISER):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Đắk Lắk")
    user = factory.user("tochuc@skhcn.vn", organisation=organisation, role=role)
    browser.login("tochuc@skhcn.vn")
    return organisation, user


def test_organiser_creates_a_draft_with_cover_and_times_in_local_time(factory, browser):
    organisation, user = organiser_session(factory, browser)
    partner = factory.organisation("Tỉnh Đoàn Đắk Lắk")
    start = factory.event_details().starts_at
    data = form_for(start, organisation_id=str(organisation.id), co_organiser_ids=[str(partner.id)])
    data["cover_image"] = (io.BytesIO(png_bytes()), "anh-bia.png")
    response = browser.post("/manage/events/new", data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(sa.select(Event))
    assert event.status == EventStatus.DRAFT and event.created_by_id == user.id
    assert event.starts_at == start and event.cover_image.endswith(".png")
    assert [c.organisation.name for c in event.co_organiser_invitations] == ["Tỉnh Đoàn Đắk Lắk"]
    assert event.co_organisers == []  # it counts once Tỉnh Đoàn accepts
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert to_local(start).strftime("%d/%m/%Y %H:%M") in page and "Bản nháp" in page


def test_bad_event_form_shows_each_problem_and_saves_nothing(factory, browser):
    organisation, _ = organiser_session(factory, browser)
    start = factory.event_details().starts_at
    data = form_for(start, organisation_id=str(organisation.id), title="", capacity="-5",
                    ends_at=to_local(start - timedelta(hours=1)).strftime("%d/%m/%Y %H:%M"),
                    starts_at="31/02/2027 25:00")
    data["cover_image"] = (io.BytesIO(b"not an image"), "virus.png")
    response = browser.post("/manage/events/new", data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Trường này là bắt buộc." in page
    assert "Thời gian không hợp lệ" in page
    assert "Giá trị phải từ 1 đến 1000000." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_business_rules_are_shown_beside_the_fields(factory, browser):
    organisation, _ = organiser_session(factory, browser)
    start = factory.event_details().starts_at
    data = form_for(start, organisation_id=str(organisation.id),
                    ends_at=to_local(start - timedelta(hours=1)).strftime("%d/%m/%Y %H:%M"))
    data["cover_image"] = (io.BytesIO(b"GIF89a fake"), "a.gif")
    response = browser.post("/manage/events/new", data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Thời gian kết thúc phải sau thời gian bắt đầu." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_cannot_create_for_an_organisation_you_do_not_manage(factory, browser):
    organisation_setup = organiser_session(factory, browser)
    other = factory.organisation("Hội Nông dân tỉnh")
    start = factory.event_details().starts_at
    response = browser.post("/manage/events/new", form_for(start, organisation_id=str(other.id)))
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    assert organisation_setup


def test_check_in_staff_cannot_create_events(factory, browser):
    organiser_session(factory, browser, role=Role.CHECKIN_STAFF)
    assert browser.get("/manage/events/new").status_code == 403


def test_edit_publish_and_see_it_on_the_portal(factory, browser, client):
    organisation, _ = organiser_session(factory, browser)
    event = factory.event(organisation, title="Tọa đàm khởi nghiệp 4.0 năm 2027")
    assert client.get(f"/events/{event.slug}").status_code == 404
    data = form_for(event.starts_at, title="Tọa đàm học sinh, sinh viên khởi nghiệp 2027")
    assert browser.post(f"/manage/events/{event.id}/edit", data).status_code == 302
    browser.post(f"/manage/events/{event.id}/transition", {"action": "publish"})
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Tọa đàm học sinh, sinh viên khởi nghiệp 2027" in page
    assert "Tọa đàm học sinh, sinh viên khởi nghiệp 2027" in client.get("/").get_data(as_text=True)


def test_cancel_needs_a_reason_which_the_public_then_sees(factory, browser, client):
    organisation, _ = organiser_session(factory, browser)
    event = factory.event(organisation, publish=True)
    page = browser.post(f"/manage/events/{event.id}/transition", {"action": "cancel", "reason": "", "confirmed": "y"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Vui lòng nêu lý do huỷ" in page
    browser.post(f"/manage/events/{event.id}/transition",
                 {"action": "cancel", "reason": "Ảnh hưởng của bão số 9", "confirmed": "y"})
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Sự kiện đã bị huỷ." in page and "Ảnh hưởng của bão số 9" in page


def test_cancelling_goes_through_a_confirmation_page(factory, browser):
    organisation, _ = organiser_session(factory, browser)
    event = factory.event(organisation, publish=True)
    detail = browser.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert f'href="/manage/events/{event.id}/cancel"' in detail and 'value="cancel"' not in detail
    # "Công bố"-like actions are buttons; cancelling is a plain link, never a button beside them
    assert 'class="danger"' not in detail
    unconfirmed = browser.post(f"/manage/events/{event.id}/transition",
                               {"action": "cancel", "reason": "Bão"})
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(f"/events/{event.id}/cancel")
    assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED
    page = browser.get(f"/manage/events/{event.id}/cancel").get_data(as_text=True)
    assert "trang công khai sẽ hiện thông báo huỷ" in page and 'name="confirmed"' in page
    assert "Lý do huỷ (hiển thị công khai)" in page


def test_a_cancelled_draft_stays_private_with_its_reason(factory, browser, client):
    organisation, _ = organiser_session(factory, browser)
    event = factory.event(organisation, title="Tập huấn nội bộ chưa công bố 2027")
    detail = browser.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert '<button type="submit">Công bố</button>' in detail
    page = browser.get(f"/manage/events/{event.id}/cancel").get_data(as_text=True)
    assert "vẫn chỉ ban tổ chức thấy" in page and "Lý do huỷ (chỉ lưu nội bộ)" in page
    browser.post(f"/manage/events/{event.id}/transition",
                 {"action": "cancel", "reason": "Trùng lịch họp HĐND", "confirmed": "y"})
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.CANCELLED
    assert client.get(f"/events/{event.slug}").status_code == 404
    assert client.get(f"/api/v1/portal/events/{event.slug}").status_code == 404
    listing = client.get("/?include_past=1").get_data(as_text=True) + client.get("/").get_data(as_text=True)
    assert "Tập huấn nội bộ chưa công bố" not in listing and "Trùng lịch họp" not in listing
    assert "Trùng lịch họp HĐND" in browser.get(f"/manage/events/{event.id}").get_data(as_text=True)


def test_the_cancellation_page_of_an_event_that_cannot_be_cancelled_explains(factory, browser):
    organisation, _ = organiser_session(factory, browser)
    event = factory.event(organisation)
    browser.post(f"/manage/events/{event.id}/transition", {"action": "cancel", "reason": "X", "confirmed": "y"})
    page = browser.get(f"/manage/events/{event.id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "không thể huỷ" in page


def test_an_illegal_transition_is_explained(factory, browser):
    organisation, _ = organiser_session(factory, browser)
    event = factory.event(organisation)
    page = browser.post(f"/manage/events/{event.id}/transition", {"action": "archive"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Không thể “Lưu trữ” khi sự kiện đang ở trạng thái “Bản nháp”." in page
    page = browser.post(f"/manage/events/{event.id}/transition", {"action": "bay-mau"}).get_data(as_text=True)
    assert "Thao tác không hợp lệ." in page


def test_clone_through_the_page(factory, browser):
    organisation, _ = organiser_session(factory, browser)
    event = factory.event(organisation, publish=True)
    start = to_local(event.starts_at + timedelta(days=365))
    response = browser.post(f"/manage/events/{event.id}/clone", {
        "title": "Ngày hội khởi nghiệp 2028", "starts_at": start.strftime("%d/%m/%Y %H:%M"),
        "ends_at": (start + timedelta(hours=8)).strftime("%d/%m/%Y %H:%M")})
    assert response.status_code == 302
    clone = db.session.scalar(sa.select(Event).where(Event.title == "Ngày hội khởi nghiệp 2028"))
    assert clone.status == EventStatus.DRAFT and clone.cloned_from_id == event.id
    bad = browser.post(f"/manage/events/{event.id}/clone", {"title": "X", "starts_at": "", "ends_at": ""})
    assert bad.status_code == 422


def test_dashboard_lists_only_own_events_with_filters(factory, browser):
    organisation, _ = organiser_session(factory, browser)
    factory.event(organisation, title="Tập huấn khởi nghiệp xanh 2027")
    factory.event(organisation, title="Ngày hội khởi nghiệp 2027", publish=True)
    factory.event(factory.organisation(), title="Sự kiện của đơn vị khác 2027")
    page = browser.get("/manage/").get_data(as_text=True)
    assert "Tập huấn khởi nghiệp xanh 2027" in page and "Sự kiện của đơn vị khác" not in page
    page = browser.get("/manage/?status=published").get_data(as_text=True)
    assert "Ngày hội khởi nghiệp 2027" in page and "Tập huấn khởi nghiệp xanh" not in page
    page = browser.get("/manage/?q=tap+huan").get_data(as_text=True)
    assert "Tập huấn khởi nghiệp xanh 2027" in page and "Ngày hội khởi nghiệp 2027" not in page


def test_portal_filters_and_ignores_nonsense_parameters(factory, client):
    organisation = factory.organisation()
    factory.event(organisation, title="Ngày hội khởi nghiệp tỉnh 2027", publish=True)
    for query in ("?event_type=khong-co", "?date_from=hom-qua", "?page=-3", "?province=Sao+Hỏa", "?page=abc"):
        response = client.get("/" + query)
        assert response.status_code == 200, query
    assert "Ngày hội khởi nghiệp tỉnh 2027" in client.get("/?q=ngay+hoi").get_data(as_text=True)
    assert "Ngày hội khởi nghiệp tỉnh 2027" not in client.get("/?event_type=training").get_data(as_text=True)


def test_portal_paginates(app, factory, client):
    organisation = factory.organisation()
    for n in range(app.config["EVENTS_PER_PAGE"] + 2):
        factory.event(organisation, title=f"Tập huấn số {n + 1} năm 2027", publish=True)
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert first.count('class="event-card"') == app.config["EVENTS_PER_PAGE"]
    assert second.count('class="event-card"') == 2 and 'rel="prev"' in second


def test_portal_escapes_whatever_organisers_type(factory, client):
    organisation = factory.organisation()
    event = factory.event(organisation, title="<script>alert('x')</script> 2027", publish=True,
                          description_md="<img src=x onerror=alert(1)>")
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page


def test_cover_images_are_served(factory, client):
    from eventhub.events import services
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    services.update_event(event.id, services.EventDetails.of(event), cover=png_bytes())
    response = client.get(f"/media/covers/{event.cover_image}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert client.get("/media/covers/../../etc/passwd").status_code == 404


def test_portal_date_filters_read_day_month_year(factory, client):
    from datetime import datetime

    from eventhub.timeutil import from_local
    organisation = factory.organisation()
    start = from_local(datetime(2027, 5, 10, 8, 0))
    factory.event(organisation, title="Hội chợ OCOP tháng 5 năm 2027", publish=True, starts_at=start,
                  ends_at=start + timedelta(hours=8))
    assert "Hội chợ OCOP tháng 5" in client.get("/?date_from=10/05/2027&date_to=10/05/2027").get_data(as_text=True)
    assert "Hội chợ OCOP tháng 5" not in client.get("/?date_from=11/05/2027").get_data(as_text=True)
    page = client.get("/?date_from=32/13/2027").get_data(as_text=True)
    assert "Hội chợ OCOP tháng 5" in page
