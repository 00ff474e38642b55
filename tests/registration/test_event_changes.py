"""Cancelling or moving an event reaches every active registrant once per change, on their channel."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
import vobject

from eventhub.events import services as events
from eventhub.extensions import db
from eventhub.mail.models import Channel, OutboxMessage
from eventhub.mail.rendering import render
from eventhub.registration import services as registrations


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")


def change_notices(event_id):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == "event.changed",
                                                                  OutboxMessage.event_id == event_id)
                                   .order_by(OutboxMessage.id)))


def test_moving_an_event_tells_every_active_registrant_once_with_a_raised_sequence(factory, event):
    category = factory.category(event)
    by_mail = factory.registration(event, category, email="an@example.vn")
    by_phone = factory.registration(event, category, email=None, phone="0912345678")
    gone = factory.registration(event, category, email="gone@example.vn")
    registrations.cancel(gone.id)
    details = events.EventDetails.of(event)
    details.starts_at += timedelta(days=1)
    details.ends_at += timedelta(days=1)
    events.update_event(event.id, details)
    notices = change_notices(event.id)
    assert [(m.channel, m.recipient) for m in notices] == [(Channel.EMAIL, by_mail.email),
                                                         (Channel.SMS, by_phone.phone)]
    email = render(notices[0])
    assert email.subject.startswith("Sự kiện thay đổi thời gian/địa điểm")
    [calendar] = email.attachments
    assert calendar.content_type == "text/calendar; charset=utf-8; method=PUBLISH"
    vevent = vobject.readOne(calendar.data.decode()).vevent
    assert vevent.sequence.value == "1"
    assert render(notices[1]).link.endswith(by_phone.access_key)

    events.update_event(event.id, details)  # saved again without a change: nobody is told again
    details.venue_name = "Nhà văn hoá Thanh niên"
    events.update_event(event.id, details)
    assert len(change_notices(event.id)) == 4
    db.session.refresh(event)
    assert event.calendar_sequence == 2


def test_cancelling_an_event_gives_the_reason_to_every_active_registrant(factory, event):
    category = factory.category(event)
    person = factory.registration(event, category, email=None, phone="0987654321")
    events.apply_transition(event.id, "cancel", reason="Bão số 5 đổ bộ")
    [notice] = change_notices(event.id)
    rendered = render(notice)
    assert notice.channel == Channel.SMS and "Bão số 5 đổ bộ" in rendered.short
    assert rendered.link.endswith(person.access_key)
    vevent = vobject.readOne(rendered.attachments[0].data.decode()).vevent
    assert vevent.status.value == "CANCELLED" and vevent.sequence.value == "1"


def test_a_draft_event_changes_quietly(factory):
    draft = factory.event(factory.organisation())
    details = events.EventDetails.of(draft)
    details.starts_at += timedelta(days=1)
    details.ends_at += timedelta(days=1)
    events.update_event(draft.id, details)
    assert change_notices(draft.id) == []
