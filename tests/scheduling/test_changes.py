"""Schedule changes e-mail the people a session concerns, once per change, with the updated .ics,
in the transaction of the change."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
import vobject

from eventhub.extensions import db
from eventhub.mail.models import NotificationLog, OutboxMessage
from eventhub.mail.rendering import render
from eventhub.mail.services import deliver_due
from eventhub.registration import services as registrations
from eventhub.scheduling import changes, services, signup
from eventhub.scheduling.signals import SessionChange, session_changed
from tests.scheduling.factories import make_room, make_session
from tests.support.smtp import delivering_to_smtp


@pytest.fixture
def smtp(app):
    with delivering_to_smtp(app) as mailbox:
        yield mailbox


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")


@pytest.fixture
def people(factory, event):
    category = factory.category(event)
    return [factory.registration(event, category, full_name=f"Nguyễn Thị Mai {n}") for n in range(3)]


def change_mails(prefix: str = "") -> list[OutboxMessage]:
    db.session.expire_all()
    return [m for m in db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.reference.startswith("change:")).order_by(OutboxMessage.id))
        if render(m).subject.startswith(prefix)]


def moved(session, minutes=30, room=None):
    details = services.SessionDetails.of(session)
    return details.moved(starts_at=details.starts_at + timedelta(minutes=minutes),
                         ends_at=details.ends_at + timedelta(minutes=minutes),
                         room_id=room.id if room else details.room_id)


def test_a_moved_open_session_mails_every_confirmed_ticket_once_with_the_new_ics(event, people, smtp):
    registrations.cancel(people[2].id)
    hall = make_room(event, "Hội trường chính", capacity=300)
    keynote = make_session(event, "Phát biểu khai mạc", room=hall)
    deliver_due()
    smtp.messages.clear()

    new_times = moved(keynote, 45)
    services.update_session(event.id, keynote.id, new_times)
    mails = change_mails()
    assert sorted(m.recipient for m in mails) == sorted(p.email for p in people[:2])
    assert {render(m).subject for m in mails} == {"Đổi giờ: Phát biểu khai mạc"}

    assert deliver_due()["sent"] == 2
    message = smtp.messages[0]
    text = message.get_body(("plain",)).get_content()
    assert "Phiên dưới đây đã đổi thời gian" in text and "Hội trường chính" in text
    registration = next(p for p in people if p.email == message["To"])
    assert f"/tickets/{registration.access_key}/agenda" in text
    [attachment] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    calendar = vobject.readOne(attachment.get_content())
    assert calendar.method.value == "PUBLISH"
    vevent = calendar.vevent
    assert vevent.uid.value == f"session-{keynote.id}@eventhub.local"
    assert vevent.sequence.value == "1" and vevent.dtstart.value == new_times.starts_at


def test_the_same_change_signalled_again_sends_nothing(event, people):
    keynote = make_session(event, "Phát biểu khai mạc")
    services.update_session(event.id, keynote.id, moved(keynote))
    assert len(change_mails()) == 3
    db.session.refresh(keynote)
    assert changes.announce(keynote, SessionChange.MOVED) == 0
    session_changed.send(keynote, change=SessionChange.MOVED)
    db.session.commit()
    assert len(change_mails()) == 3
    services.update_session(event.id, keynote.id, moved(keynote))  # a second move is a new change
    assert len(change_mails()) == 6


def test_a_cancelled_workshop_tells_its_seat_holders_only(event, people):
    workshop = make_session(event, "Workshop gọi vốn", room=make_room(event, "Phòng A", capacity=30), capacity=1,
                            signup_required=True)
    signup.sign_up(workshop.id, people[0].id)
    signup.sign_up(workshop.id, people[1].id)  # waiting line: not in anyone's calendar yet

    services.cancel_session(event.id, workshop.id, "Diễn giả bận đột xuất")
    [mail] = change_mails()
    assert mail.recipient == people[0].email and render(mail).subject == "Huỷ phiên: Workshop gọi vốn"
    assert "Diễn giả bận đột xuất" in render(mail).text
    calendar = vobject.readOne(render(mail).attachments[0].data.decode())
    assert calendar.vevent.status.value == "CANCELLED" and calendar.vevent.sequence.value == "1"


def test_a_room_change_says_so_and_a_title_change_only_updates_calendars(event, people):
    keynote = make_session(event, "Phát biểu khai mạc", room=make_room(event, "Hội trường chính", capacity=300))
    other_room = make_room(event, "Hội trường phụ", capacity=300)
    services.update_session(event.id, keynote.id, moved(keynote, 0, other_room))
    assert {render(m).subject for m in change_mails()} == {"Đổi phòng: Phát biểu khai mạc"}
    details = services.SessionDetails.of(db.session.get(type(keynote), keynote.id))
    details.title = "Phát biểu khai mạc chương trình"
    renamed = services.update_session(event.id, keynote.id, details)
    assert renamed.sequence == 2 and len(change_mails()) == 3


def test_mail_and_ledger_go_with_the_change_when_it_is_rolled_back(event, people):
    keynote = make_session(event, "Phát biểu khai mạc")
    keynote.sequence += 1
    db.session.flush()
    assert changes.announce(keynote, SessionChange.MOVED) == 3
    db.session.rollback()
    assert change_mails() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationLog)) == 0


def test_nobody_is_told_about_drafts_or_sessions_already_over(factory, event, people):
    draft = factory.event(factory.organisation())
    draft_session = make_session(draft, "Phiên nháp")
    services.update_session(draft.id, draft_session.id, moved(draft_session))
    keynote = make_session(event, "Phát biểu khai mạc")
    assert changes.announce(keynote, SessionChange.MOVED, now=keynote.ends_at) == 0
    assert change_mails() == []
