"""Co-organisers by invitation: the services, the invited organisation's page and API, and the reports."""
from datetime import date

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.errors import DomainError, PermissionDenied
from eventhub.events import coorganisers
from eventhub.events import services as events
from eventhub.events.models import CoOrganiser, CoOrganiserStatus, Event
from eventhub.extensions import db
from eventhub.reports import periods
from tests.reports import factories as reports


@pytest.fixture
def invited(factory):
    lead, partner = factory.organisation("Sở KH&CN tỉnh Đắk Lắk"), factory.organisation("Tỉnh Đoàn Đắk Lắk")
    admin = factory.user("admin-doan@example.vn", organisation=partner, role=Role.ADMIN)
    organiser = factory.user("tochuc-doan@example.vn", organisation=partner, role=Role.ORGANISER)
    event = factory.event(lead, publish=True, co_organiser_ids=[partner.id])
    return {"lead": lead, "partner": partner, "admin": admin, "organiser": organiser, "event": event}


def _status(event_id, organisation_id):
    db.session.expire_all()
    return db.session.get(CoOrganiser, (event_id, organisation_id)).status


def test_naming_a_co_organiser_invites_it_and_only_its_admin_answers(invited):
    event, partner = invited["event"], invited["partner"]
    assert event.co_organisers == [] and _status(event.id, partner.id) == CoOrganiserStatus.INVITED
    with pytest.raises(PermissionDenied):
        coorganisers.respond(invited["organiser"], partner.id, event.id, "accept")
    with pytest.raises(DomainError) as error:
        coorganisers.respond(invited["admin"], partner.id, event.id, "maybe")
    assert error.value.code == "unknown_action"
    coorganisers.respond(invited["admin"], partner.id, event.id, "accept")
    assert _status(event.id, partner.id) == CoOrganiserStatus.ACCEPTED
    assert [o.id for o in db.session.get(Event, event.id).co_organisers] == [partner.id]
    with pytest.raises(DomainError) as error:  # accepted once: accepting again is refused, not repeated
        coorganisers.respond(invited["admin"], partner.id, event.id, "accept")
    assert error.value.code == "illegal_transition"
    coorganisers.respond(invited["admin"], partner.id, event.id, "decline")  # leaving later is allowed
    assert _status(event.id, partner.id) == CoOrganiserStatus.DECLINED
    assert db.session.get(Event, event.id).co_organisers == []


def test_unticking_withdraws_and_ticking_again_invites_again(invited):
    event, partner = invited["event"], invited["partner"]
    coorganisers.answer(event.id, partner.id, "accept")
    details = events.EventDetails.of(db.session.get(Event, event.id))
    assert details.co_organiser_ids == [partner.id]
    details.co_organiser_ids = []
    events.update_event(event.id, details)
    assert _status(event.id, partner.id) == CoOrganiserStatus.WITHDRAWN
    with pytest.raises(DomainError):
        coorganisers.respond(invited["admin"], partner.id, event.id, "accept")  # a withdrawn invitation is closed
    details.co_organiser_ids = [partner.id]
    events.update_event(event.id, details)
    assert _status(event.id, partner.id) == CoOrganiserStatus.INVITED


def test_the_invitations_page_and_api(invited, browser, client):
    event, partner = invited["event"], invited["partner"]
    browser.login("admin-doan@example.vn")
    page = browser.get(f"/manage/organisations/{partner.id}/invitations")
    assert page.status_code == 200 and event.title in page.get_data(as_text=True)
    answered = browser.post(f"/manage/organisations/{partner.id}/invitations/{event.id}", {"action": "accept"})
    assert answered.status_code == 302 and _status(event.id, partner.id) == CoOrganiserStatus.ACCEPTED
    token, _ = accounts.issue_api_token(invited["admin"].id, "Đoàn")
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get(f"/api/v1/organisations/{partner.id}/co-organiser-invitations", headers=headers)
    assert [(i["event_id"], i["status"]) for i in listed.get_json()] == [(event.id, "accepted")]
    declined = client.post(f"/api/v1/organisations/{partner.id}/co-organiser-invitations/{event.id}",
                           json={"action": "decline"}, headers=headers)
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    bad = client.post(f"/api/v1/organisations/{partner.id}/co-organiser-invitations/{event.id}",
                      json={"action": "nope"}, headers=headers)
    assert bad.status_code == 422
    organiser_token, _ = accounts.issue_api_token(invited["organiser"].id, "Tổ chức")
    refused = client.get(f"/api/v1/organisations/{partner.id}/co-organiser-invitations",
                         headers={"Authorization": f"Bearer {organiser_token}"})
    assert refused.status_code == 403


def test_the_public_page_names_accepted_co_organisers_only(invited, client):
    event, partner = invited["event"], invited["partner"]
    assert partner.name not in client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert client.get(f"/api/v1/portal/events/{event.slug}").get_json()["co_organisers"] == []
    coorganisers.answer(event.id, partner.id, "accept")
    assert partner.name in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_an_organisation_named_without_accepting_keeps_its_report_unchanged(factory):
    a = factory.organisation("Hội Liên hiệp Phụ nữ tỉnh")
    b = factory.organisation("Sở Kế hoạch và Đầu tư")
    own = reports.held_event(a, date(2026, 3, 10), title="Tập huấn của Hội")

    def events_of(*organisations):
        report = periods.build_period_report([o.id for o in organisations], date(2026, 1, 1), date(2026, 6, 30))
        return [e.title for e in report.events], {r.code: r.achieved for r in report.indicators}

    before = events_of(a)
    named = reports.held_event(b, date(2026, 4, 2), title="Ngày hội của Sở")
    coorganisers.sync_invitations(db.session.get(Event, named.id), [a.id])  # B names A; A has not answered
    db.session.commit()
    assert events_of(a) == before == (["Tập huấn của Hội"], before[1])
    coorganisers.answer(named.id, a.id, "decline")
    assert events_of(a) == before
    db.session.execute(sa.update(CoOrganiser).values(status=CoOrganiserStatus.INVITED))
    db.session.commit()
    coorganisers.answer(named.id, a.id, "accept")
    titles, figures = events_of(a)
    assert titles == ["Tập huấn của Hội", "Ngày hội của Sở"] and figures["events"] == before[1]["events"] + 1
    together = events_of(a, b)  # the lead and its accepted co-organiser report together: the event once
    assert together[0].count("Ngày hội của Sở") == 1 and together[1]["events"] == 2
    assert own.id != named.id


def test_a_co_organiser_sees_the_people_of_the_categories_it_mobilises_only(invited, factory, browser):
    from eventhub.errors import ValidationFailed
    from eventhub.registration import setup

    event, partner = invited["event"], invited["partner"]
    youth = factory.category(event, "Đoàn viên thanh niên", group="youth")
    others = factory.category(event, "Khách mời", group="other")
    details = setup.CategoryDetails(name="Đoàn viên thanh niên", participant_group="youth", organisation_id=partner.id)
    with pytest.raises(ValidationFailed):  # not before the partner accepted
        setup.save_category(event.id, youth.id, details)
    coorganisers.answer(event.id, partner.id, "accept")
    setup.save_category(event.id, youth.id, details)
    factory.registration(event, youth, full_name="Đoàn viên Ksor Nhung")
    factory.registration(event, others, full_name="Khách mời Trần Văn Bảy")
    browser.login("tochuc-doan@example.vn")
    page = browser.get(f"/manage/events/{event.id}/registrations").get_data(as_text=True)
    assert "Đoàn viên Ksor Nhung" in page and "Khách mời Trần Văn Bảy" not in page
    assert browser.get(f"/manage/events/{event.id}/registrations/settings").status_code == 404  # not the lead's
