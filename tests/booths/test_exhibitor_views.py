"""The exhibitor portal and the organiser's review pages over HTTP: sign-up and sign-in, applying, documents,
review, self-booking, badges, and who may see what."""
import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from eventhub.accounts.models import Role
from eventhub.booths.applications import documents, services
from eventhub.booths.applications.models import ApplicationStatus, BoothApplication, DocumentType, Exhibitor
from eventhub.booths.floorplan.models import BookingMode, BoothType
from eventhub.booths.selfbooking import services as selfbooking
from eventhub.errors import DomainError
from eventhub.extensions import db
from tests.booths import factories as booths
from tests.support.factories import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def fair(factory):
    organisation = factory.organisation()
    organiser = factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    event = factory.event(organisation, publish=True)
    plan = booths.make_plan(event, setup_instructions_md="Dàn dựng từ **06:00** ngày khai mạc.")
    zone = booths.make_zone(plan, "Khu OCOP")
    row = [booths.make_booth(plan, f"A{i}", x_m=3.0 * i, y_m=0, zone=zone) for i in range(1, 4)]
    return {"organisation": organisation, "organiser": organiser, "event": event, "plan": plan, "zone": zone,
            "row": row}


SIGN_UP = {"name": "HTX Cà phê Ea Tu", "kind": "cooperative", "contact_name": "Y Bhim Niê",
           "email": "eatu@example.vn", "phone": "0912 345 678", "province": "Đắk Lắk", "password": PASSWORD,
           "confirm_password": PASSWORD, "consent": "y"}


def test_sign_up_signs_in_and_lands_on_the_portal(browser):
    response = browser.post("/exhibitors/signup", SIGN_UP)
    assert response.status_code == 302 and response.headers["Location"].endswith("/exhibitors/")
    page = browser.get("/exhibitors/").get_data(as_text=True)
    assert "HTX Cà phê Ea Tu" in page
    browser.logout()

    login = browser.login("eatu@example.vn")
    assert login.headers["Location"].endswith("/manage/")
    landing = browser.get("/manage/")
    assert landing.status_code == 302 and landing.headers["Location"].endswith("/exhibitors/")


def test_sign_up_errors_are_shown_beside_the_fields(browser, factory):
    factory.user("eatu@example.vn")
    response = browser.post("/exhibitors/signup", {**SIGN_UP, "phone": "123", "consent": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vui lòng đồng ý" in page
    response = browser.post("/exhibitors/signup", {**SIGN_UP, "phone": "123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Số điện thoại không hợp lệ" in page and "đã có tài khoản" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Exhibitor)) == 0


def test_exhibitors_are_refused_on_staff_pages(browser, fair):
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    browser.login(exhibitor.email)
    event_id = fair["event"].id
    for path in (f"/manage/events/{event_id}", "/manage/events/new", f"/manage/events/{event_id}/booth-applications",
                 f"/manage/events/{event_id}/registrations"):
        assert browser.get(path).status_code == 403, path
    assert browser.post(f"/manage/events/{event_id}/transition", {"action": "cancel"}).status_code == 403


def test_organisers_and_anonymous_visitors_have_no_portal(browser, client, fair):
    assert client.get("/exhibitors/").status_code == 302
    assert "/login" in client.get("/exhibitors/").headers["Location"]
    browser.login("tochuc@example.vn")
    assert browser.get("/exhibitors/").status_code == 403


def apply_form(**overrides):
    data = {"booth_type": "ocop", "booths_requested": "2", "staff_count": "3", "preferred_zone_id": "",
            "products-0-name": "Cà phê rang xay Buôn Ma Thuột", "products-0-product_group": "beverage",
            "products-0-ocop_stars": "4", "products-0-ocop_certificate_no": "OCOP-DL-2024-015",
            "products-0-ocop_certificate_year": "2024"}
    data.update(overrides)
    return data


def test_apply_edit_and_withdraw_through_the_portal(browser, fair):
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    other = booths.make_application(fair["event"]).exhibitor
    browser.login(exhibitor.email)
    home = browser.get("/exhibitors/").get_data(as_text=True)
    assert fair["event"].title in home
    form_page = browser.get(f"/exhibitors/events/{fair['event'].id}/apply").get_data(as_text=True)
    assert other.name in form_page and "Khu OCOP" in form_page

    photo = io.BytesIO()
    Image.new("RGB", (4, 4)).save(photo, "PNG")
    response = browser.post(f"/exhibitors/events/{fair['event'].id}/apply", apply_form(**{
        "preferred_zone_id": str(fair["zone"].id), "near_exhibitor_ids": str(other.id),
        "products-0-photo": (io.BytesIO(photo.getvalue()), "ca-phe.png")}), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    application = db.session.scalar(sa.select(BoothApplication).where(BoothApplication.exhibitor_id == exhibitor.id))
    assert application.near_exhibitor_ids == [other.id] and application.products[0].photo

    page = browser.get(f"/exhibitors/applications/{application.id}").get_data(as_text=True)
    assert "Chờ duyệt" in page and "Cà phê rang xay" in page and "Dàn dựng từ <strong>06:00</strong>" in page
    assert browser.get(f"/exhibitors/media/products/{application.products[0].photo}").status_code == 200

    edit = browser.get(f"/exhibitors/applications/{application.id}/edit").get_data(as_text=True)
    assert 'value="Cà phê rang xay Buôn Ma Thuột"' in edit
    product_id = application.products[0].id
    response = browser.post(f"/exhibitors/applications/{application.id}/edit", apply_form(**{
        "booths_requested": "1", "products-0-product_id": str(product_id),
        "products-0-name": "Cà phê Robusta"}))
    assert response.status_code == 302
    db.session.expire_all()
    application = db.session.get(BoothApplication, application.id)
    assert application.booths_requested == 1 and application.products[0].name == "Cà phê Robusta"
    assert application.products[0].photo  # kept

    assert browser.post(f"/exhibitors/applications/{application.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(BoothApplication, application.id).status == ApplicationStatus.WITHDRAWN


def test_impossible_requests_are_explained_on_the_form(browser, fair):
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    browser.login(exhibitor.email)
    url = f"/exhibitors/events/{fair['event'].id}/apply"
    response = browser.post(url, apply_form(booth_type="food"))
    assert response.status_code == 422
    assert "không có gian hàng loại “Ẩm thực”" in response.get_data(as_text=True)
    response = browser.post(url, apply_form(booths_requested="4"))
    assert "chỉ có 3 gian hàng loại" in response.get_data(as_text=True).replace("Sơ đồ chỉ", "chỉ")
    response = browser.post(url, apply_form(**{"products-0-ocop_stars": ""}))
    assert response.status_code == 422 and "hạng sao OCOP" in response.get_data(as_text=True)
    assert services.list_for_exhibitor(exhibitor.id) == []


def test_apply_to_a_closed_fair_goes_back_to_the_portal(browser, factory, fair):
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    draft = factory.event(fair["organisation"])
    browser.login(exhibitor.email)
    response = browser.get(f"/exhibitors/events/{draft.id}/apply")
    assert response.status_code == 302
    assert browser.get("/exhibitors/events/999999/apply").status_code == 404


def test_internal_and_unlisted_fairs_are_not_shown_to_every_exhibitor(browser, factory, fair):
    from eventhub.events.models import Visibility

    internal = factory.event(fair["organisation"], title="Hội chợ nội bộ Sở KH&CN", publish=True,
                             visibility=Visibility.PRIVATE)
    unlisted = factory.event(fair["organisation"], title="Phiên chợ theo thư mời", publish=True,
                             visibility=Visibility.UNLISTED)
    for event in (internal, unlisted):
        booths.make_plan(event)
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    browser.login(exhibitor.email)

    home = browser.get("/exhibitors/").get_data(as_text=True)
    assert fair["event"].title in home and "nội bộ" not in home and "thư mời" not in home
    refused = browser.get(f"/exhibitors/events/{internal.id}/apply")
    assert refused.status_code == 302 and "nội bộ" not in browser.get("/exhibitors/").get_data(as_text=True)
    with pytest.raises(DomainError) as error:
        services.apply(internal.id, exhibitor.id, services.ApplicationDetails(BoothType.OCOP, 1, 1, []))
    assert error.value.code == "fair_closed"
    assert "thư mời" in browser.get(f"/exhibitors/events/{unlisted.id}/apply").get_data(as_text=True)


def test_documents_upload_and_download_for_owner_and_organisers_only(browser, client, factory, fair):
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    application = booths.make_application(fair["event"], exhibitor)
    browser.login(exhibitor.email)
    url = f"/exhibitors/applications/{application.id}/documents"
    bad = browser.post(url, {"document_type": "ocop_certificate", "file": (io.BytesIO(b"MZ..."), "virus.pdf")},
                       content_type="multipart/form-data")
    assert bad.status_code == 422 and "Chỉ chấp nhận tệp PDF, JPEG hoặc PNG" in bad.get_data(as_text=True)
    good = browser.post(url, {"document_type": "ocop_certificate", "file": (io.BytesIO(PDF), "chung-nhan.pdf")},
                        content_type="multipart/form-data")
    assert good.status_code == 302
    db.session.expire_all()
    document = db.session.get(BoothApplication, application.id).documents[0]
    assert document.document_type == DocumentType.OCOP_CERTIFICATE

    own = browser.get(f"/exhibitors/applications/{application.id}/documents/{document.id}")
    assert own.status_code == 200 and own.data == PDF and "attachment" in own.headers["Content-Disposition"]
    browser.logout()

    stranger = booths.make_exhibitor(email="khac@example.vn")
    browser.login(stranger.email)
    assert browser.get(f"/exhibitors/applications/{application.id}/documents/{document.id}").status_code == 404
    assert browser.get(f"/exhibitors/applications/{application.id}").status_code == 404
    browser.logout()

    organiser_url = (f"/manage/events/{fair['event'].id}/booth-applications/{application.id}/documents/"
                     f"{document.id}")
    browser.login("tochuc@example.vn")
    assert browser.get(organiser_url).data == PDF
    browser.logout()
    outsider_organisation = factory.organisation()
    factory.user("khac-donvi@example.vn", organisation=outsider_organisation, role=Role.ADMIN)
    browser.login("khac-donvi@example.vn")
    assert browser.get(organiser_url).status_code == 404
    browser.logout()
    assert client.get(organiser_url).status_code == 302


def test_review_pages(browser, fair):
    exhibitor = booths.make_exhibitor("HTX Mắc ca Krông Năng", email="macca@example.vn")
    application = booths.make_application(fair["event"], exhibitor, preferred_zone_id=fair["zone"].id)
    booths.make_application(fair["event"], booth_type=BoothType.STARTUP)
    browser.login("tochuc@example.vn")
    base = f"/manage/events/{fair['event'].id}/booth-applications"

    listing = browser.get(base + "?booth_type=ocop&status=submitted&zone_id=" + str(fair["zone"].id))
    page = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "HTX Mắc ca Krông Năng" in page and page.count("<tr>") == 2
    assert browser.get(base + "?booth_type=nonsense&zone_id=abc").status_code == 200

    detail = browser.get(f"{base}/{application.id}").get_data(as_text=True)
    assert "Cà phê rang xay Buôn Ma Thuột" in detail and "4 sao" in detail

    refused = browser.post(f"{base}/{application.id}/reject", {"reason": " "})
    assert refused.status_code == 422 and "Vui lòng nêu lý do" in refused.get_data(as_text=True)
    assert browser.post(f"{base}/{application.id}/approve", {"reason": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(BoothApplication, application.id).status == ApplicationStatus.APPROVED
    again = browser.post(f"{base}/{application.id}/approve", {"reason": ""}, follow_redirects=True)
    assert "Không thể “Duyệt”" in again.get_data(as_text=True)

    saved = browser.post(f"{base}/{application.id}/organiser-fields", {"priority": "40"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(BoothApplication, application.id).priority == 40
    assert browser.post(f"{base}/{application.id}/organiser-fields", {"priority": "500"}).status_code == 422


def test_review_pages_refuse_other_organisations(browser, factory, fair):
    application = booths.make_application(fair["event"])
    factory.user("khac@example.vn", organisation=factory.organisation(), role=Role.ADMIN)
    browser.login("khac@example.vn")
    base = f"/manage/events/{fair['event'].id}/booth-applications"
    assert browser.get(base).status_code == 404
    assert browser.get(f"{base}/{application.id}").status_code == 404
    assert browser.post(f"{base}/{application.id}/approve", {"reason": ""}).status_code == 404
    db.session.expire_all()
    assert db.session.get(BoothApplication, application.id).status == ApplicationStatus.SUBMITTED


def test_an_application_of_another_event_is_not_found(browser, factory, fair):
    other_event = factory.event(fair["organisation"], publish=True)
    application = booths.make_application(other_event)
    browser.login("tochuc@example.vn")
    assert browser.get(f"/manage/events/{fair['event'].id}/booth-applications/{application.id}").status_code == 404


def test_self_booking_through_the_portal_and_badges(browser, fair):
    fair["plan"].booking_mode = BookingMode.SELF_BOOKING
    fair["plan"].self_booking_open = True
    db.session.commit()
    exhibitor = booths.make_exhibitor("HTX Cà phê Ea Tu", email="htx@example.vn")
    application = booths.make_application(fair["event"], exhibitor, status=ApplicationStatus.APPROVED,
                                          booths_requested=2, staff_count=2)
    rival = booths.make_application(fair["event"], status=ApplicationStatus.APPROVED)
    selfbooking.hold(rival.id, rival.exhibitor_id, [fair["row"][2].id])
    browser.login(exhibitor.email)
    url = f"/exhibitors/applications/{application.id}"
    page = browser.get(url).get_data(as_text=True)
    assert "selfbooking.js" in page and f'data-booth-id="{fair["row"][0].id}"' in page
    assert re.search(rf'name="booth_ids"[^>]*value="{fair["row"][0].id}"', page)
    assert not re.search(rf'name="booth_ids"[^>]*value="{fair["row"][2].id}"', page)  # held by the rival

    taken = browser.post(url + "/booths/hold", {"booth_ids": [str(fair["row"][2].id)]})
    assert taken.status_code == 422  # not offered: the form refuses it
    wrong = browser.post(url + "/booths/hold", {"booth_ids": [str(fair["row"][0].id)]}, follow_redirects=True)
    assert "chọn đúng 2 gian" in wrong.get_data(as_text=True)
    held = browser.post(url + "/booths/hold", {"booth_ids": [str(b.id) for b in fair["row"][:2]]},
                        follow_redirects=True)
    assert "Đang giữ gian A1, A2" in held.get_data(as_text=True)
    confirmed = browser.post(url + "/booths/confirm", follow_redirects=True).get_data(as_text=True)
    assert "Đã xác nhận gian hàng A1, A2" in confirmed and "Gian hàng: A1, A2" in confirmed
    assert "<td>A1, A2</td>" in browser.get("/exhibitors/").get_data(as_text=True)

    too_many = browser.post(url + "/badges.pdf", {"names": "Một\nHai\nBa"})
    assert too_many.status_code == 422 and "2 nhân sự" in too_many.get_data(as_text=True)
    pdf = browser.post(url + "/badges.pdf", {"names": "Nguyễn Thị Hoa\n\nY Bhim Niê\n"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.data.count(b"/Type /Page\n") == 2


def test_the_map_shows_other_exhibitors_booths_as_taken_but_never_by_whom(browser, fair):
    fair["plan"].booking_mode = BookingMode.SELF_BOOKING
    fair["plan"].self_booking_open = True
    db.session.commit()
    holder = booths.make_application(fair["event"], booths.make_exhibitor("HTX Mật ong Krông Bông"),
                                     status=ApplicationStatus.APPROVED)
    selfbooking.hold(holder.id, holder.exhibitor_id, [fair["row"][0].id])
    confirmed = booths.make_application(fair["event"], booths.make_exhibitor("Công ty Sầu riêng Ea Súp"),
                                        status=ApplicationStatus.APPROVED)
    selfbooking.hold(confirmed.id, confirmed.exhibitor_id, [fair["row"][1].id])
    selfbooking.confirm(confirmed.id, confirmed.exhibitor_id)
    exhibitor = booths.make_exhibitor("HTX Cà phê Ea Tu", email="htx@example.vn")
    application = booths.make_application(fair["event"], exhibitor, status=ApplicationStatus.APPROVED)
    selfbooking.hold(application.id, exhibitor.id, [fair["row"][2].id])
    browser.login(exhibitor.email)

    page = browser.get(f"/exhibitors/applications/{application.id}").get_data(as_text=True)

    assert "Krông Bông" not in page and "Sầu riêng" not in page
    assert f'data-application-id="{holder.id}"' not in page and f'data-application-id="{confirmed.id}"' not in page
    assert re.search(rf'data-booth-id="{fair["row"][0].id}"[^>]*data-status="held"', page)
    assert re.search(rf'data-booth-id="{fair["row"][1].id}"[^>]*data-status="assigned"', page)
    assert f'data-application-id="{application.id}"' in page and "HTX Cà phê Ea Tu" in page


def test_badges_need_a_booth(browser, fair):
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    application = booths.make_application(fair["event"], exhibitor, status=ApplicationStatus.APPROVED)
    browser.login(exhibitor.email)
    response = browser.post(f"/exhibitors/applications/{application.id}/badges.pdf", {"names": "Hoa"},
                            follow_redirects=True)
    assert "chưa được xếp gian hàng" in response.get_data(as_text=True)


def test_self_booking_is_closed_in_allocation_mode(browser, fair):
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    application = booths.make_application(fair["event"], exhibitor, status=ApplicationStatus.APPROVED)
    browser.login(exhibitor.email)
    page = browser.get(f"/exhibitors/applications/{application.id}").get_data(as_text=True)
    assert "selfbooking.js" not in page and "Ban tổ chức sẽ xếp gian hàng" in page
    response = browser.post(f"/exhibitors/applications/{application.id}/booths/hold",
                            {"booth_ids": [str(fair["row"][0].id)]}, follow_redirects=True)
    assert "ban tổ chức phân bổ gian hàng" in response.get_data(as_text=True)


def exhibitor_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("exhibitors.") and rule.endpoint not in {"exhibitors.sign_up",
                                                                              "exhibitors.product_photo"}:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_portal_route_needs_the_exhibitor_who_owns_the_application(app, browser, client, fair):
    from tests.test_access import url_for_rule

    owner = booths.make_exhibitor(email="htx@example.vn")
    application = booths.make_application(fair["event"], owner, status=ApplicationStatus.APPROVED)
    document = documents.add_document(application.id, owner.id, DocumentType.OTHER, "a.pdf", PDF)
    values = {"application_id": application.id, "document_id": document.id, "event_id": fair["event"].id,
              "action": "hold"}
    routes = list(exhibitor_routes(app))
    assert len(routes) >= 10

    for rule, method in routes:
        response = client.open(url_for_rule(rule, values), method=method)
        assert response.status_code in (302, 400), f"anonymous {method} {rule.rule}"
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]

    stranger = booths.make_exhibitor(email="khac@example.vn")
    browser.login(stranger.email)
    for rule, method in routes:
        if "<int:application_id>" not in rule.rule:
            continue
        url = url_for_rule(rule, values)
        response = browser.get(url) if method == "GET" else browser.post(url, {"reason": "x", "names": "A"})
        assert response.status_code == 404, f"stranger {method} {url} answered {response.status_code}"
    db.session.expire_all()
    application = db.session.get(BoothApplication, application.id)
    assert application.status == ApplicationStatus.APPROVED and len(application.documents) == 1
