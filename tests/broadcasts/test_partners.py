"""Organiser messages by delegation, and an accepted co-organiser writing to the people it mobilised (its own
delegations and categories), never to the lead's or anyone else's."""
import sqlalchemy as sa

from eventhub.broadcasts import services
from eventhub.broadcasts.models import OrganiserMessage
from eventhub.events import coorganisers
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.registration import delegations
from tests.registration.test_delegations import make, person, setup  # noqa: F401  (setup is the fixture)


def _people(setup):  # noqa: F811
    """Two people in the lead's delegation, three in the school's, one who registered alone."""
    lead = make(setup, name="Đoàn của Sở", organisation=setup["lead"])
    school = make(setup, name="Lớp 11B", organisation=setup["school"])
    delegations.preview_rows(lead, [person(1), person(2)])
    delegations.confirm(lead)
    delegations.preview_rows(school, [person(3), person(4), person(5)])
    delegations.confirm(school)
    setup["alone"] = setup["factory"].registration(setup["event"], setup["students"], email="le@example.vn")
    db.session.execute(sa.delete(OutboxMessage))  # the tickets are not what these tests count
    db.session.commit()
    return lead, school


def test_the_audience_narrows_to_chosen_delegations_and_to_a_co_organisers_own_people(setup, factory):  # noqa: F811
    setup["factory"] = factory
    lead, school = _people(setup)
    event = setup["event"]
    assert services.preview(event, services.Audience()).people == 6
    assert services.preview(event, services.Audience(delegation_ids=[school.id])).people == 3
    assert services.preview(event, services.Audience(delegation_ids=[lead.id, school.id])).people == 5
    assert services.preview(event, services.Audience(partner_id=setup["school"].id)).people == 3
    # A co-organiser naming the lead's delegation still reaches none of the lead's people.
    assert services.preview(event, services.Audience(delegation_ids=[lead.id],
                                                     partner_id=setup["school"].id)).people == 0


def test_an_accepted_co_organiser_writes_to_its_own_people_only(setup, factory, browser):  # noqa: F811
    setup["factory"] = factory
    _lead, school = _people(setup)
    event = setup["event"]
    browser.login("truong@example.vn")
    dashboard = browser.get("/manage/").get_data(as_text=True)
    assert f"/manage/events/{event.id}/messages" in dashboard  # the co-organised event, with its links
    url = f"/manage/events/{event.id}/messages"
    page = browser.get(url).get_data(as_text=True)
    assert "Lớp 11B" in page and "Đoàn của Sở" not in page and "Hộp thư đi" not in page
    preview = browser.post(url, {"statuses": "confirmed", "action": "preview"}).get_data(as_text=True)
    assert 'data-count="3"' in preview
    sent = browser.post(url, {"subject": "Lịch xe đưa đón", "body": "Xe đón lớp 11B lúc 6 giờ 30.",
                              "statuses": "confirmed", "action": "send"})
    assert sent.status_code == 302
    recipients = set(db.session.scalars(sa.select(OutboxMessage.recipient)))
    assert recipients == {f"hs{n}@example.vn" for n in (3, 4, 5)}
    [message] = db.session.scalars(sa.select(OrganiserMessage))
    assert message.audience["partner_id"] == setup["school"].id
    browser.logout()
    browser.login("tochuc@example.vn")  # the lead sees what was sent about its event
    assert "Lịch xe đưa đón" in browser.get(url).get_data(as_text=True)
    browser.logout()
    coorganisers.withdraw(event.id, setup["school"].id)
    browser.login("truong@example.vn")
    assert browser.get(url).status_code == 404
