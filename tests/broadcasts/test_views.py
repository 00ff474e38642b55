"""The organiser's message page (preview, send) and the event's outbox page; the admins' API."""
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.broadcasts.models import OrganiserMessage
from eventhub.extensions import db
from eventhub.mail.models import Channel, OutboxMessage, OutboxStatus
from tests.broadcasts.test_services import fair  # noqa: F401  (the fixture)


def organiser_of(factory, event, browser):
    from eventhub.accounts.models import Organisation

    factory.user("tochuc@example.vn", organisation=db.session.get(Organisation, event.organisation_id))
    browser.login("tochuc@example.vn")


def audience_form(browser, action, **extra):
    return {"subject": "Đổi khu gian hàng", "body": "Gian hàng chuyển sang khu B.", "groups": "women",
            "statuses": "confirmed", "checked_in": "yes", "action": action, **extra}


def test_an_organiser_previews_women_checked_in_then_sends(fair, factory, browser):  # noqa: F811
    event, _people = fair
    organiser_of(factory, event, browser)
    page = browser.get(f"/manage/events/{event.id}/messages").get_data(as_text=True)
    assert "Phụ nữ" in page and "Đã check-in" in page
    preview = browser.post(f"/manage/events/{event.id}/messages", audience_form(browser, "preview"))
    text = preview.get_data(as_text=True)
    assert 'data-count="2"' in text and "2 người sẽ nhận" in text
    assert '<span data-channel="email">1</span>' in text and '<span data-channel="sms">1</span>' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganiserMessage)) == 0
    sent = browser.post(f"/manage/events/{event.id}/messages", audience_form(browser, "send"))
    assert sent.status_code == 302
    [message] = db.session.scalars(sa.select(OrganiserMessage))
    assert message.recipients == 2 and message.audience["groups"] == ["women"] and message.audience["checked_in"]
    outbox = browser.get(f"/manage/events/{event.id}/outbox").get_data(as_text=True)
    assert "Hội chợ khởi nghiệp Đắk Lắk 2027: Đổi khu gian hàng" in outbox and "0911000001" in outbox


def test_a_line_break_in_the_subject_is_refused(fair, factory, browser):  # noqa: F811
    event, _people = fair
    organiser_of(factory, event, browser)
    response = browser.post(f"/manage/events/{event.id}/messages",
                            audience_form(browser, "send", subject="Đổi khu\r\nBcc: x@example.vn"))
    assert "Chỉ được viết trên một dòng" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganiserMessage)) == 0


def test_an_organiser_requeues_the_failed_messages_of_their_event(fair, factory, browser):  # noqa: F811
    event, _people = fair
    organiser_of(factory, event, browser)
    browser.post(f"/manage/events/{event.id}/messages", audience_form(browser, "send"))
    db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.FAILED, last_error="kannel 503: down"))
    db.session.commit()
    page = browser.get(f"/manage/events/{event.id}/outbox").get_data(as_text=True)
    assert "kannel 503: down" in page and "Gửi lại tất cả tin lỗi" in page
    browser.post(f"/manage/events/{event.id}/outbox/requeue", {"all": "1"})
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(OutboxMessage.status))) == {OutboxStatus.PENDING}


def test_platform_admins_list_the_outbox_by_recipient_channel_and_status(fair, factory, client):  # noqa: F811
    event, people = fair
    admin = factory.user("root@example.vn", platform_admin=True)
    organiser = factory.user("khac@example.vn", organisation=factory.organisation())
    token, _ = accounts.issue_api_token(admin.id, "admin")
    other, _ = accounts.issue_api_token(organiser.id, "x")
    from eventhub.registration import services as registrations

    registrations.resend_ticket(people["hoa"].id)
    registrations.resend_ticket(people["lan"].id)
    headers = {"Authorization": f"Bearer {token}"}
    everything = client.get("/api/v1/outbox", headers=headers).get_json()
    assert everything["total"] == 2
    [sms] = client.get("/api/v1/outbox?channel=sms", headers=headers).get_json()["items"]
    assert sms["recipient"] == "0911000001" and sms["status"] == "pending" and sms["template"] == "registration.status"
    assert {"channel", "recipient", "status", "template", "attempts", "provider_id", "last_error"} <= set(sms)
    by_phone = client.get("/api/v1/outbox?recipient=%2B84911000001", headers=headers).get_json()
    assert [m["channel"] for m in by_phone["items"]] == [Channel.SMS.value]
    assert client.get("/api/v1/outbox?status=sent", headers=headers).get_json()["total"] == 0
    assert client.get("/api/v1/outbox?channel=fax", headers=headers).status_code == 422
    assert client.get("/api/v1/outbox", headers={"Authorization": f"Bearer {other}"}).status_code == 403
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/outbox" in document["paths"]
