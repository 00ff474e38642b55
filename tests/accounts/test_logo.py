"""Issue 17 item 13: the organisation's admin uploads a logo (PNG or JPEG judged by content) that tickets (page and
PDF) and badges (attendees' and exhibitors' staff) carry; `organisation_logo_path` is what PDFs draw."""
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from eventhub.accounts import services
from eventhub.accounts.models import Role
from eventhub.extensions import db


def png(colour="red", size=(120, 60), kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def images_in(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def organisation(factory):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("quantri@skhcn.vn", organisation=organisation, role=Role.ADMIN)
    factory.user("sukien@skhcn.vn", organisation=organisation, role=Role.ORGANISER)
    return organisation


def upload(browser, organisation, data: bytes, name="logo.png"):
    return browser.client.post(f"/manage/organisations/{organisation.id}/logo", data={
        "csrf_token": browser.csrf_token(), "logo": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_admin_uploads_a_logo_that_tickets_and_badges_carry(organisation, factory, browser):
    event = factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    person = factory.registration(event, factory.category(event, "Học sinh, sinh viên"), full_name="Lê Thị Hoa")
    browser.login("quantri@skhcn.vn")
    before_ticket = browser.get(f"/tickets/{person.access_key}/ticket.pdf").data
    assert upload(browser, organisation, png()).status_code == 302
    db.session.refresh(organisation)
    path = services.organisation_logo_path(organisation)
    assert path is not None and path.read_bytes() == png() and path.suffix == ".png"
    ticket = browser.get(f"/tickets/{person.access_key}").get_data(as_text=True)
    assert f'/media/logos/{organisation.logo_path}' in ticket
    assert browser.get(f"/media/logos/{organisation.logo_path}").data == png()
    after_ticket = browser.get(f"/tickets/{person.access_key}/ticket.pdf").data
    assert images_in(after_ticket) == images_in(before_ticket) + 1
    badges = browser.get(f"/manage/events/{event.id}/checkin/badges.pdf?layout=a4x8").data
    assert images_in(badges) == 2  # the QR code and the logo
    # a JPEG replaces it and the old file goes
    assert upload(browser, organisation, png("blue", kind="JPEG"), "logo.jpg").status_code == 302
    db.session.refresh(organisation)
    assert not path.exists() and services.organisation_logo_path(organisation).suffix == ".jpg"


def test_only_png_or_jpeg_by_content_and_only_the_admin(organisation, browser):
    browser.login("sukien@skhcn.vn")
    assert upload(browser, organisation, png()).status_code == 403
    browser.logout()
    browser.login("quantri@skhcn.vn")
    for data, name in ((b"<html>not an image</html>", "logo.png"), (png(kind="GIF"), "logo.png"), (b"", "logo.png")):
        response = upload(browser, organisation, data, name)
        assert response.status_code == 302
        db.session.refresh(organisation)
        assert organisation.logo_path is None and services.organisation_logo_path(organisation) is None
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
        assert "logo" in page.lower() and "flash-error" in page
