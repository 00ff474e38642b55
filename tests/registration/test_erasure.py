"""Erasure and access (Decree 13): after "Xoá dữ liệu" no table and no stored message holds the person's name,
phone, e-mail or ticket code; the ticket link and QR code are dead; counts stay; the data download holds
everything; the platform admins' log lists every download, export and erasure."""
import json

import pytest
import sqlalchemy as sa

from eventhub.checkin import services as checkin
from eventhub.extensions import db
from eventhub.registration import importer, setup, tickets
from eventhub.registration.models import PersonalDataAction, PersonalDataLog, QuestionKind, Registration
from eventhub.scheduling import signup
from tests.checkin.gates import open_entrance
from tests.scheduling.factories import make_session

NAME, PHONE, EMAIL = "Phan Thị Hồng Nhung", "0912345678", "nhung.phan@example.vn"
HEADER = "Họ và tên,Đối tượng,Điện thoại,E-mail,Lĩnh vực"


@pytest.fixture
def person(factory):
    organisation = factory.organisation("Sở KH&CN Đắk Lắk")
    factory.user("tochuc@example.vn", organisation=organisation)
    event = factory.event(organisation, publish=True, capacity=50)
    category = factory.category(event, "Học sinh, sinh viên")
    question = setup.save_question(event.id, None, setup.QuestionDetails(
        label="Ý tưởng khởi nghiệp", kind=QuestionKind.SHORT_TEXT))
    registration = factory.registration(event, category, full_name=NAME, phone=PHONE, email=EMAIL,
                                        answers={question.id: "Cà phê sạch của Nhung"})
    # The same person in an import file (refused there as a duplicate), a scan at the door, a refused scan of a
    # damaged code, a session sign-up.
    data = f"{HEADER}\r\n{NAME},Học sinh sinh viên,{PHONE},{EMAIL},x\r\n".encode()
    importer.create_batch(event.id, None, "ds.csv", importer.parse_upload(event, "ds.csv", data))
    entrance = open_entrance(event.id)  # scanned now, before the event's days
    scanner = checkin.Scanner(gate="Cổng 1")
    checkin.scan(entrance.id, code=tickets.qr_payload(registration.ticket_code), scanner=scanner)
    checkin.scan(entrance.id, code=tickets.qr_payload(registration.ticket_code)[:-3] + "AAA", scanner=scanner)
    session = make_session(event, "Gọi vốn cho startup", capacity=10, signup_required=True)
    signup.sign_up(session.id, registration.id)
    return {"event": event, "registration": registration, "entrance": entrance, "question": question}


def _everything_readable() -> list[tuple[str, str]]:
    """Every text and JSON value of every table, as (table, text)."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            found.extend((table.name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                                                      default=str))
                         for value in row if value is not None)
    return found


def test_after_erasure_no_table_and_no_message_holds_the_person(client, person, browser):
    registration = person["registration"]
    ticket_code, access_key = registration.ticket_code, registration.access_key
    secrets = (NAME, PHONE, EMAIL, ticket_code, access_key, "Cà phê sạch của Nhung")
    before = {secret: {table for table, text in _everything_readable() if secret in text} for secret in secrets}
    assert {"registrations", "outbox_messages", "import_batches", "scan_logs"} <= set().union(*before.values())
    assert browser.post(f"/tickets/{access_key}/erase").status_code == 302
    db.session.expire_all()
    left = [(table, secret) for table, text in _everything_readable() for secret in secrets if secret in text]
    assert left == []
    assert client.get(f"/tickets/{access_key}").status_code == 404
    outcome = checkin.scan(person["entrance"].id, code=tickets.qr_payload(ticket_code), scanner=checkin.Scanner())
    assert outcome.result.value == "unknown_ticket"
    assert checkin.counts(person["entrance"].id)["checked_in"] == 1  # the anonymous check-in still counts
    erased = db.session.get(Registration, registration.id)
    assert erased.anonymised_at is not None and erased.category_id is not None


def test_the_data_download_holds_messages_check_ins_sign_ups_and_consent(person, client):
    registration = person["registration"]
    response = client.get(f"/tickets/{registration.access_key}/my-data.json")
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["full_name"] == NAME and data["answers"] == {"Ý tưởng khởi nghiệp": "Cà phê sạch của Nhung"}
    assert data["messages"] and all(m["to"] == EMAIL for m in data["messages"])
    assert [c["list"] for c in data["check_ins"]["lists"]] == [person["entrance"].name]
    assert [s["result"] for s in data["check_ins"]["scans"]] == ["ok"]
    assert [s["session"] for s in data["session_signups"]] == ["Gọi vốn cho startup"]
    assert data["consent"]["version"] and "Nghị định 13/2023" in data["consent"]["text"]
    assert data["consent"]["source"] == "public" and data["consent"]["given_at"]


def test_platform_admins_see_every_download_export_and_erasure(factory, person, browser, client):
    registration, event = person["registration"], person["event"]
    client.get(f"/tickets/{registration.access_key}/my-data.json")
    browser.login("tochuc@example.vn")
    assert browser.get(f"/manage/events/{event.id}/registrations/export.csv").status_code == 200
    browser.post(f"/tickets/{registration.access_key}/erase")
    db.session.expire_all()
    log = db.session.execute(sa.select(PersonalDataLog.action, PersonalDataLog.people, PersonalDataLog.detail)
                             .order_by(PersonalDataLog.id)).all()
    assert log == [(PersonalDataAction.DOWNLOAD, 1, None), (PersonalDataAction.EXPORT, 1, "csv"),
                   (PersonalDataAction.ERASURE, 1, None)]
    assert browser.get("/admin/personal-data-log").status_code == 403
    browser.logout()
    factory.user("quantri@eventhub.vn", platform_admin=True)
    browser.login("quantri@eventhub.vn")
    page = browser.get("/admin/personal-data-log").get_data(as_text=True)
    assert "Xuất danh sách người tham dự" in page and "Xoá dữ liệu" in page and "tochuc@example.vn" in page
    assert NAME not in page
