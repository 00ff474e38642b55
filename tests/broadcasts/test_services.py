"""Organiser messages: audience, preview, budget, throttle, opt-outs, once per person."""
import pytest
import sqlalchemy as sa

from eventhub.broadcasts import services
from eventhub.checkin import services as checkin
from eventhub.checkin.models import CheckIn
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.mail import services as outbox
from eventhub.mail.models import Channel, ChannelPolicy, MessageKind, OutboxMessage, OutboxStatus
from eventhub.mail.rendering import render
from eventhub.registration.models import RegistrationStatus
from eventhub.timeutil import utcnow


@pytest.fixture
def fair(factory):
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True, title="Hội chợ khởi nghiệp Đắk Lắk 2027")
    women = factory.category(event, name="Hội viên phụ nữ", group="women")
    students = factory.category(event, name="Sinh viên", group="student")
    people = {
        "lan": factory.registration(event, women, full_name="Trần Thị Lan", email="lan@example.vn"),
        "hoa": factory.registration(event, women, full_name="Lê Thị Hoa", email=None, phone="0911000001"),
        "mai": factory.registration(event, women, full_name="Phạm Thị Mai", email=None, phone="0911000002"),
        "nam": factory.registration(event, students, full_name="Võ Văn Nam", email="nam@example.vn"),
    }
    entrance = checkin.entrance_for(event.id)
    for key in ("lan", "hoa", "nam"):
        db.session.add(CheckIn(check_in_list_id=entrance.id, registration_id=people[key].id, checked_in_at=utcnow()))
    db.session.commit()
    db.session.execute(sa.delete(OutboxMessage))  # the tickets are not what these tests count
    db.session.commit()
    return event, people


def women_checked_in():
    return services.Audience(groups=["women"], checked_in=True)


def details(audience=None):
    return services.MessageDetails("Đổi khu gian hàng", "Gian hàng phụ nữ chuyển sang khu B.",
                                   audience or women_checked_in())


def test_the_preview_counts_exactly_who_gets_it_and_on_which_channel(fair):
    event, _people = fair
    preview = services.preview(event, women_checked_in())
    assert preview.people == 2 and preview.recipients == 2
    assert preview.channels == {"email": 1, "sms": 1, "zns": 0, "none": 0}
    assert preview.paid == 1 and preview.budget_left == 1000
    not_yet = services.preview(event, services.Audience(groups=["women"], checked_in=False))
    assert not_yet.people == 1 and not_yet.channels["sms"] == 1
    everyone = services.preview(event, services.Audience(statuses=[RegistrationStatus.CONFIRMED]))
    assert everyone.recipients == 4


def test_sending_queues_one_marketing_message_per_person_with_an_opt_out(fair):
    event, people = fair
    message, summary = services.send(event, details(), user_id=None)
    assert message.recipients == 2 and message.paid == 1 and summary.recipients == 2
    queued = list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(m.channel, m.kind) for m in queued] == [(Channel.EMAIL, MessageKind.MARKETING),
                                                     (Channel.SMS, MessageKind.MARKETING)]
    email, sms = (render(m) for m in queued)
    assert "Gian hàng phụ nữ chuyển sang khu B." in email.text and "/messages/stop/" in email.text
    assert "STOP" in sms.short and sms.link.endswith(people["hoa"].access_key)


def test_people_who_opted_out_get_no_organiser_message_but_still_their_ticket_notices(fair, client):
    event, people = fair
    link = outbox.opt_out_url(people["lan"].email)
    assert client.get(link.split("127.0.0.1:5000", 1)[-1]).status_code == 200
    outbox.opt_out("lan@example.vn", "link")
    preview = services.preview(event, women_checked_in())
    assert preview.opted_out == 1 and preview.recipients == 1
    services.send(event, details(), user_id=None)
    assert [m.recipient for m in db.session.scalars(sa.select(OutboxMessage))] == [people["hoa"].phone]
    from eventhub.registration import services as registrations

    registrations.resend_ticket(people["lan"].id)
    assert db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "lan@example.vn")
                             ).kind == MessageKind.SERVICE


def test_the_paid_budget_stops_at_the_cap_and_says_how_many_are_left(fair):
    event, _people = fair
    db.session.add(ChannelPolicy(organisation_id=event.organisation_id, paid_budget_per_event=1))
    db.session.commit()
    everyone_women = services.Audience(groups=["women"])
    preview = services.preview(event, everyone_women)
    assert preview.paid == 1 and preview.paid_over_budget == 1 and preview.budget_left == 1
    message, summary = services.send(event, details(everyone_women), user_id=None)
    assert message.paid == 1 and summary.paid_over_budget == 1 and message.recipients == 2
    assert services.preview(event, everyone_women).budget_left == 0


def test_sending_is_throttled_per_event(fair):
    event, _people = fair
    for _ in range(services.MAX_PER_HOUR):
        services.send(event, details(), user_id=None)
    with pytest.raises(DomainError) as refused:
        services.send(event, details(), user_id=None)
    assert refused.value.code == "throttled"


def test_a_large_audience_is_spread_over_minutes(factory):
    event = factory.event(factory.organisation(), publish=True, capacity=1000)
    category = factory.category(event)
    for n in range(services.THROTTLE_PER_MINUTE + 5):
        factory.registration(event, category, n=n + 100)
    db.session.execute(sa.delete(OutboxMessage))
    db.session.commit()
    now = utcnow()
    services.send(event, details(services.Audience()), user_id=None, now=now)
    times = sorted(db.session.scalars(sa.select(OutboxMessage.next_attempt_at)))
    assert times[0] == now and (times[-1] - now).total_seconds() == 60


def test_a_failed_organiser_message_is_requeued_within_its_event_only(fair, factory):
    event, _people = fair
    services.send(event, details(), user_id=None)
    db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.FAILED, last_error="ZNS -115"))
    db.session.commit()
    other = factory.event(factory.organisation(), publish=True)
    assert outbox.requeue(outbox.failed_ids(event.id), event_id=other.id) == 0
    assert outbox.requeue(outbox.failed_ids(event.id), event_id=event.id) == 2
