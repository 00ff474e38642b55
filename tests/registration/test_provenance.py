"""How consent was obtained is recorded with every registration, told on the person's data page, and told with
the ticket to a person someone else registered."""
import pytest
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.checkin import services as checkin
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.mail.rendering import render
from eventhub.registration import importer, provenance
from eventhub.registration import services as registrations
from eventhub.registration.models import ConsentMethod, Registration
from tests.registration.test_import_export import HEADER, PEOPLE, csv_bytes

NOTICE = "Về dữ liệu cá nhân của bạn"


@pytest.fixture
def event(factory):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    staff = factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER,
                         full_name="Trần Thị Thu")
    event = factory.event(organisation, publish=True, capacity=50)
    factory.category(event, "Học sinh, sinh viên")
    factory.category(event, "Doanh nghiệp", group="enterprise")
    return {"event": event, "staff": staff, "category": registrations.categories(event.id)[0]}


def _mail_to(address):
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == address))


def test_online_registration_says_the_person_consented_and_gets_no_notice(event, client, factory):
    registration = registrations.register(event["event"].id, factory.registrant(event["category"],
                                                                                email="tu@example.vn"))
    assert registration.consent_method == ConsentMethod.ONLINE and registration.consent_recorded_by_id is None
    assert provenance.describe(registration).startswith("Bạn tự đồng ý trên mẫu đăng ký trực tuyến")
    assert NOTICE not in render(_mail_to("tu@example.vn")).text
    data = client.get(f"/tickets/{registration.access_key}/my-data.json").get_json()
    assert data["consent"]["method"] == "online" and "trực tuyến" in data["consent"]["obtained"]


def test_an_organiser_typing_in_a_paper_form_records_who_and_how(event, browser):
    browser.login("tochuc@example.vn")
    response = browser.post(f"/manage/events/{event['event'].id}/registrations/new", {
        "category_id": str(event["category"].id), "full_name": "Y Bhin Niê", "phone": "0905123456",
        "email": "bhin@example.vn", "consent_method": "paper"})
    assert response.status_code == 302, response.get_data(as_text=True)
    registration = db.session.scalar(sa.select(Registration))
    assert (registration.consent_method, registration.consent_recorded_by_id) == (ConsentMethod.PAPER,
                                                                                event["staff"].id)
    page = browser.get(f"/tickets/{registration.access_key}").get_data(as_text=True)
    assert "Bạn đồng ý trên phiếu giấy; ban tổ chức (Trần Thị Thu) nhập lúc" in page
    mail = render(_mail_to("bhin@example.vn"))
    assert NOTICE in mail.text and "Bạn đồng ý trên phiếu giấy" in mail.text
    assert f"/tickets/{registration.access_key}" in mail.text and NOTICE in mail.html
    refused = browser.post(f"/manage/events/{event['event'].id}/registrations/new", {
        "category_id": str(event["category"].id), "full_name": "A", "phone": "0905123457", "consent_method": "online"})
    assert refused.status_code == 422  # an organiser cannot claim the person consented online


def test_an_import_records_its_batch_and_uploader(event):
    parsed = importer.parse_upload(event["event"], "ds.csv", csv_bytes([HEADER] + PEOPLE[:1]))
    batch = importer.create_batch(event["event"].id, event["staff"].id, "ds.csv", parsed)
    importer.run_all(batch.id)
    registration = db.session.scalar(sa.select(Registration))
    assert (registration.consent_method, registration.import_batch_id, registration.consent_recorded_by_id) == (
        ConsentMethod.IMPORT, batch.id, event["staff"].id)
    assert provenance.describe(registration).startswith("Ban tổ chức nhập bạn từ tệp “ds.csv” (người tải lên: "
                                                        "Trần Thị Thu)")
    assert NOTICE in render(_mail_to("nhung@example.vn")).text


def test_a_walk_in_records_the_staff_member_at_the_door(event, factory):
    entrance = checkin.entrance_for(event["event"].id)
    registration, _outcome = checkin.walk_in(entrance.id, factory.registrant(event["category"], consent_version=None),
                                             checkin.Scanner(user_id=event["staff"].id, gate="Cổng 1"))
    assert (registration.consent_method, registration.consent_recorded_by_id) == (ConsentMethod.STAFF,
                                                                                event["staff"].id)
    assert "Cán bộ Trần Thị Thu của ban tổ chức ghi nhận" in provenance.describe(registration)
