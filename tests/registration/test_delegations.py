"""Delegations: a quota, a leader's secret link, a preview per row, one confirmation, one PDF of tickets; two
delegations confirming at once through the real server never oversell the event or their quotas."""
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from eventhub.accounts.models import Role
from eventhub.errors import DomainError, ValidationFailed
from eventhub.events import coorganisers
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.mail.rendering import render
from eventhub.registration import delegations
from eventhub.registration.models import ConsentMethod, Delegation, Registration, RegistrationStatus
from tests.registration.test_concurrency import all_at_once
from tests.support.server import JsonClient


@pytest.fixture
def setup(factory):
    lead = factory.organisation("Sở KH&CN tỉnh Đắk Lắk")
    school = factory.organisation("Trường THPT Buôn Ma Thuột")
    factory.user("tochuc@example.vn", organisation=lead, role=Role.ORGANISER)
    factory.user("truong@example.vn", organisation=school, role=Role.ORGANISER)
    event = factory.event(lead, publish=True, capacity=100, co_organiser_ids=[school.id])
    coorganisers.answer(event.id, school.id, "accept")
    students = factory.category(event, "Học sinh, sinh viên")
    return {"lead": lead, "school": school, "event": event, "students": students}


def make(setup, quota=3, name="Lớp 12A1", organisation=None):
    organisation = organisation or setup["school"]
    return delegations.save_delegation(setup["event"].id, None, delegations.DelegationDetails(
        name=name, organisation_id=organisation.id, quota=quota, category_id=setup["students"].id,
        leader_name="Cô Nguyễn Thị Lan", leader_phone="0905111222"),
        [setup["lead"].id, setup["school"].id])


def person(n, **extra):
    return {"full_name": f"Học sinh {n}", "phone": f"0912{n:06d}", "email": f"hs{n}@example.vn", **extra}


def test_a_delegation_needs_a_mobiliser_that_may_mobilise(setup, factory):
    stranger = factory.organisation("Hội khác")
    with pytest.raises(ValidationFailed) as error:
        delegations.save_delegation(setup["event"].id, None, delegations.DelegationDetails(
            name=" ", organisation_id=stranger.id, quota=0, category_id=0, leader_name="", leader_phone="12"),
            [setup["lead"].id])
    assert set(error.value.fields) == {"name", "leader_name", "quota", "organisation_id", "category_id",
                                       "leader_phone"}


def test_preview_judges_every_row_and_confirm_registers_the_accepted_once(setup, factory):
    factory.registration(setup["event"], setup["students"], phone="0912000009", email="da-co@example.vn")
    delegation = make(setup, quota=3)
    delegations.preview_rows(delegation, [person(1), person(2), {"full_name": "Không liên lạc"},
                                          person(9, email="khac@example.vn"), person(1), person(3), person(4)])
    statuses = [row["status"] for row in delegation.pending_rows]
    assert statuses == ["accepted", "accepted", "invalid", "duplicate", "duplicate", "accepted", "over_quota"]
    result = delegations.confirm(delegation)
    assert (len(result.registered), result.over_quota, result.skipped) == (3, 1, 3)
    people = delegations.members(delegation.id)
    assert {p.full_name for p in people} == {"Học sinh 1", "Học sinh 2", "Học sinh 3"}
    assert {(p.consent_method, p.consent_recorded_by_name, p.status) for p in people} == {
        (ConsentMethod.DELEGATION_LEADER, "Cô Nguyễn Thị Lan", RegistrationStatus.CONFIRMED)}
    with pytest.raises(DomainError) as error:  # the preview was used: confirming again does nothing
        delegations.confirm(delegation)
    assert error.value.code == "nothing_to_confirm"
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "hs1@example.vn"))
    assert "Về dữ liệu cá nhân của bạn" in render(mail).text  # each person gets their own ticket and notice
    delegations.preview_rows(delegation, [person(5)])
    assert [row["status"] for row in delegation.pending_rows] == ["over_quota"]  # the quota is full


def test_the_leader_uploads_previews_confirms_and_prints_everyones_tickets(setup, browser):
    delegation = make(setup, quota=5)
    client = browser.client
    page = client.get(f"/delegations/{delegation.access_key}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    csv = "Họ và tên,Điện thoại,E-mail\r\nY Nguyên Mlô,0912345601,\r\nH'Hen Niê,0912345602,\r\n,,\r\n".encode()
    uploaded = browser.post(f"/delegations/{delegation.access_key}/upload", {"file": (io.BytesIO(csv), "doan.csv")},
                            content_type="multipart/form-data")
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)
    preview = client.get(f"/delegations/{delegation.access_key}").get_data(as_text=True)
    assert preview.count('data-status="accepted"') == 2
    assert browser.post(f"/delegations/{delegation.access_key}/confirm", {}).status_code == 302
    pdf = client.get(f"/delegations/{delegation.access_key}/tickets.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Y Nguyên Mlô" in text and "H'Hen Niê" in text
    assert client.get("/delegations/not-a-key").status_code == 404
    assert client.get("/delegations/bad%00key").status_code in (400, 404)  # never a 500


def test_organisers_and_co_organisers_create_delegations_and_see_their_own(setup, browser):
    make(setup, name="Đoàn của Sở", organisation=setup["lead"])
    browser.login("truong@example.vn")
    url = f"/manage/events/{setup['event'].id}/registrations/delegations"
    created = browser.post(url, {"name": "Lớp 11B", "organisation_id": str(setup["lead"].id), "quota": "5",
                                 "category_id": str(setup["students"].id), "leader_name": "Thầy Hùng"})
    assert created.status_code == 422  # a co-organiser mobilises for itself only
    created = browser.post(url, {"name": "Lớp 11B", "organisation_id": str(setup["school"].id), "quota": "5",
                                 "category_id": str(setup["students"].id), "leader_name": "Thầy Hùng"})
    assert created.status_code == 302
    page = browser.get(url).get_data(as_text=True)
    assert "Lớp 11B" in page and "Đoàn của Sở" not in page
    delegation = db.session.scalar(sa.select(Delegation).where(Delegation.name == "Lớp 11B"))
    delegations.preview_rows(delegation, [person(7)])
    delegations.confirm(delegation)
    attendees = browser.get(f"/manage/events/{setup['event'].id}/registrations").get_data(as_text=True)
    assert "Học sinh 7" in attendees
    coorganisers.withdraw(setup["event"].id, setup["school"].id)
    assert browser.get(url).status_code == 404


def test_two_delegations_confirming_at_once_never_oversell(factory, server_url):
    lead = factory.organisation("Sở KH&CN")
    event = factory.event(lead, publish=True, capacity=30)
    students = factory.category(event)
    first, second = (delegations.save_delegation(event.id, None, delegations.DelegationDetails(
        name=name, organisation_id=lead.id, quota=20, category_id=students.id, leader_name="Trưởng đoàn"),
        [lead.id]) for name in ("Trường A", "Trường B"))
    for offset, delegation in ((0, first), (100, second)):
        client = JsonClient(server_url)
        status, body = client.request("POST", "/api/v1/delegation/rows",
                                      {"rows": [person(offset + n) for n in range(25)]},
                                      headers={"X-Delegation-Key": delegation.access_key})
        assert status == 200, body
        assert [r["status"] for r in body["preview"]].count("accepted") == 20
        client.close()
    keys = [first.access_key, second.access_key, first.access_key, second.access_key]
    answers = all_at_once(server_url, [{}] * 4, "/api/v1/delegation/confirm",
                          headers=[{"X-Delegation-Key": key} for key in keys])
    assert not [a for a in answers if a[0] >= 500], answers
    assert sorted(status for status, _ in answers) == [200, 200, 409, 409], answers
    db.session.rollback()
    rows = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)).all()
    confirmed = [r for r in rows if r.status == RegistrationStatus.CONFIRMED]
    assert len(confirmed) == 30 and len(rows) == 40  # the event's 30 seats, then its waiting list
    for delegation in (first, second):
        assert sum(r.delegation_id == delegation.id for r in rows) == 20  # each quota exactly


def test_statistics_break_figures_down_by_delegation_and_mobilising_organisation(setup, browser):
    from eventhub.checkin import services as checkin
    from eventhub.checkin import stats

    school_group, own = make(setup, quota=5), make(setup, quota=5, name="Đoàn của Sở", organisation=setup["lead"])
    for delegation, people in ((school_group, [person(1), person(2)]), (own, [person(3)])):
        delegations.preview_rows(delegation, people)
        delegations.confirm(delegation)
    entrance = checkin.entrance_for(setup["event"].id)
    checkin.save_list(setup["event"].id, entrance.id, checkin.CheckInListDetails(name="Cổng chính"))  # always open
    first = delegations.members(school_group.id)[0]
    checkin.scan(entrance.id, registration_id=first.id, scanner=checkin.Scanner(gate="Cổng 1"))
    figures = stats.by_delegation(setup["event"].id)
    assert [(d["name"], d["confirmed"], d["checked_in"]) for d in figures["delegations"]] == [
        ("Đoàn của Sở", 1, 0), ("Lớp 12A1", 2, 1)]
    assert [(o["organisation"], o["delegations"], o["confirmed"], o["checked_in"]) for o in figures["organisations"]] \
        == [("Sở KH&CN tỉnh Đắk Lắk", 1, 1, 0), ("Trường THPT Buôn Ma Thuột", 1, 2, 1)]
    browser.login("truong@example.vn")  # the co-organiser reads the event's statistics page too
    page = browser.get(f"/manage/events/{setup['event'].id}/statistics").get_data(as_text=True)
    assert "Theo đoàn và đơn vị vận động" in page and "Lớp 12A1" in page and "Trường THPT Buôn Ma Thuột" in page
