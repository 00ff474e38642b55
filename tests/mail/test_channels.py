"""SMS through a real Kannel (bearerbox + smsbox + fakesmsc) and Zalo ZNS against a local server that follows
Zalo's documented contract; the same outbox and delivery run as e-mail."""
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail import services
from eventhub.mail.models import Channel, ChannelPolicy, OutboxMessage, OutboxStatus, ProviderToken
from eventhub.mail.sms import compose, parts_of
from eventhub.registration import services as registration
from eventhub.registration import setup
from eventhub.registration.models import RegistrationMode, RegistrationStatus
from tests.support import kannel as kannel_support
from tests.support import zalo as zalo_support

CHANNEL_KEYS = ("MAIL_SERVER", "KANNEL_SENDSMS_URL", "KANNEL_USERNAME", "KANNEL_PASSWORD", "PUBLIC_BASE_URL",
                "SMS_HOOK_TOKEN", "ZNS_API_URL", "ZALO_OAUTH_URL", "ZALO_APP_ID", "ZALO_SECRET_KEY",
                "ZALO_ACCESS_TOKEN", "ZALO_REFRESH_TOKEN", "ZNS_TEMPLATES", "ZNS_TIMEOUT")


@pytest.fixture(scope="module")
def gateway():
    if not kannel_support.available():
        pytest.fail("Kannel is not installed: apt-get install kannel kannel-extras (make test-prereqs)")
    with kannel_support.kannel(mo_token="hook-secret") as running:
        yield running


@pytest.fixture
def channels(app):
    saved = {key: app.config[key] for key in CHANNEL_KEYS}
    yield app.config
    app.config.update(saved)


@pytest.fixture
def sms(gateway, channels):
    channels.update(MAIL_SERVER="", KANNEL_SENDSMS_URL=gateway.sendsms_url, KANNEL_USERNAME=kannel_support.USERNAME,
                    KANNEL_PASSWORD=kannel_support.PASSWORD, PUBLIC_BASE_URL=gateway.callback_base,
                    SMS_HOOK_TOKEN="hook-secret")
    start = len(gateway.received())
    gateway.callbacks.requests.clear()
    gateway.start = start
    return gateway


@pytest.fixture
def zns(channels):
    with zalo_support.zalo_server() as (url, state):
        channels.update(ZNS_API_URL=url, ZALO_OAUTH_URL=url, ZALO_APP_ID=zalo_support.APP_ID,
                        ZALO_SECRET_KEY=zalo_support.SECRET_KEY, ZALO_ACCESS_TOKEN="access-1",
                        ZALO_REFRESH_TOKEN="refresh-1", ZNS_TIMEOUT=2,
                        ZNS_TEMPLATES={"registration.status": "7895417a7d3f9461cd2e"})
        yield state


def reviewed_event(factory, **policy):
    organisation = factory.organisation()
    if policy:
        db.session.add(ChannelPolicy(organisation_id=organisation.id, **policy))
        db.session.commit()
    event = factory.event(organisation, publish=True, title="Ngày hội khởi nghiệp Đắk Lắk 2027")
    setup.set_mode(event.id, RegistrationMode.REVIEWED)
    return event, factory.category(event)


def replay_callbacks(client, gateway, count):
    for path in gateway.callbacks.wait_for(count):
        assert client.get(path).status_code in (200, 204)


def test_a_phone_only_registrant_gets_pending_then_approved_by_sms_with_the_ticket_link(factory, sms, client):
    event, category = reviewed_event(factory)
    person = factory.registration(event, category, full_name="Nguyễn Thị Hồng Nhung", email=None, phone="0912345678")
    assert person.status == RegistrationStatus.PENDING
    assert services.deliver_due()["sent"] == 1
    registration.approve(person.id)
    assert services.deliver_due()["sent"] == 1
    received = sms.wait_received(sms.start + 2)[sms.start:]
    pending, approved = received
    assert pending["to"] == approved["to"] == "84912345678"
    assert "cho ban to chuc duyet" in pending["text"] and "Dak Lak" in pending["text"]
    assert f"/tickets/{person.access_key}" in approved["text"] and person.ticket_code in approved["text"]
    for text in (pending["text"], approved["text"]):
        assert text.isascii() and parts_of(text, unicode=False) <= 2
    replay_callbacks(client, sms, 4)  # accepted by the SMSC, then delivered, for each
    messages = list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [m.channel for m in messages] == [Channel.SMS, Channel.SMS]
    for message in messages:
        db.session.refresh(message)
        assert message.status == OutboxStatus.SENT and message.delivery_status == "delivered"
        assert message.provider_id and not message.provider_id.startswith("kannel:")
        assert sorted(r["state"] for r in message.delivery_report["reports"]) == ["accepted", "delivered"]


def test_an_organisation_that_prefers_diacritics_sends_ucs2_counted_in_parts(factory, sms):
    event, category = reviewed_event(factory, sms_unicode=True)
    factory.registration(event, category, full_name="Trần Văn Đức", email=None, phone="0987654321")
    services.deliver_due()
    [received] = sms.wait_received(sms.start + 1)[sms.start:]
    assert received["type"] == "ucs-2" and "Đắk Lắk" in received["text"] and "Trần Văn Đức" in received["text"]
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.parts == parts_of(received["text"], unicode=True) >= 2


def test_a_reply_stop_through_kannel_reaches_the_app_and_a_forged_callback_is_refused(client, sms):
    assert client.get("/hooks/sms/incoming?token=wrong&from=0912345678&text=STOP").status_code == 403
    assert client.get("/hooks/sms/dlr?token=wrong&key=x&type=1").status_code == 403
    assert client.get("/hooks/sms/incoming?token=hook-secret&from=%2B84912345678&text=stop").status_code == 200
    assert services.is_opted_out(services.Contact(phone="0912345678"))


def test_a_reply_stop_sent_from_a_phone_through_kannel_opts_the_person_out(client, channels):
    channels.update(SMS_HOOK_TOKEN="reply-secret")
    with kannel_support.kannel(mo_token="reply-secret", replies=["84912345678 8088 text STOP"]) as gateway:
        [path] = gateway.callbacks.wait_for(1)
    query = parse_qs(urlsplit(path).query)
    assert urlsplit(path).path == "/hooks/sms/incoming" and query["text"] == ["STOP"]
    assert query["from"][0].lstrip("+") == "84912345678"
    assert client.get(path).status_code == 200
    assert services.is_opted_out(services.Contact(phone="0912345678"))


def test_zns_out_of_quota_falls_back_to_sms(factory, sms, zns):
    event, category = reviewed_event(factory, use_zns=True)
    factory.registration(event, category, email=None, phone="0955555555")
    zns.out_of_quota = True
    assert services.deliver_due()["sent"] == 1
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.channel == Channel.SMS and "-144" in message.last_error and zns.sent == []


def test_zns_goes_first_and_a_person_without_zalo_gets_the_sms_in_the_same_run(factory, sms, zns):
    event, category = reviewed_event(factory, use_zns=True)
    on_zalo = factory.registration(event, category, full_name="Lê Thị Mai", email=None, phone="0911111111")
    not_on_zalo = factory.registration(event, category, full_name="Phạm Văn Nam", email=None, phone="0922222222")
    zns.not_zalo_users.add("84922222222")
    assert services.deliver_due() == {"sent": 2, "failed": 0, "skipped": 0}
    [sent] = zns.sent
    assert sent["phone"] == "84911111111" and sent["template_id"] == "7895417a7d3f9461cd2e"
    assert sent["template_data"]["customer_name"] == "Lê Thị Mai"
    by_person = {m.params["registration_id"]: m for m in db.session.scalars(sa.select(OutboxMessage))}
    assert by_person[on_zalo.id].channel == Channel.ZNS and by_person[on_zalo.id].provider_id == sent["msg_id"]
    assert sent["tracking_id"] == by_person[on_zalo.id].idempotency_key
    fallback = by_person[not_on_zalo.id]
    assert fallback.channel == Channel.SMS and fallback.routed_from == "zns" and "-118" in fallback.last_error
    [received] = sms.wait_received(sms.start + 1)[sms.start:]
    assert received["to"] == "84922222222" and "Pham Van Nam" in received["text"]


def test_zns_parameters_fit_the_approved_template_or_zalo_would_refuse_them(factory, sms, zns, channels):
    """The template as approved: four parameters, the name at most 12 characters. Zalo answers -112 to anything
    longer or undeclared; EventHub sends only the declared ones, each cut to its length."""
    limits = {"customer_name": 12, "event_name": 30, "ticket_code": 32, "status": 40}
    zns.templates["tpl-approved"] = limits
    channels.update(ZNS_TEMPLATES={"registration.status": {"id": "tpl-approved", "params": limits}})
    event, category = reviewed_event(factory, use_zns=True)
    factory.registration(event, category, full_name="Nguyễn Thị Hồng Nhung Khánh", email=None, phone="0911111111")
    assert services.deliver_due()["sent"] == 1
    [sent] = zns.sent
    assert set(sent["template_data"]) == set(limits)  # event_time is not this template's
    name = sent["template_data"]["customer_name"]
    assert name == "Nguyễn Thị…" and len(name) <= 12
    assert all(len(value) <= limits[name] for name, value in sent["template_data"].items())
    assert db.session.scalar(sa.select(OutboxMessage)).channel == Channel.ZNS


def test_an_expired_zalo_token_is_refreshed_and_the_message_retried(factory, zns, channels):
    channels.update(KANNEL_SENDSMS_URL="")
    event, category = reviewed_event(factory, use_zns=True)
    factory.registration(event, category, email=None, phone="0933333333")
    zns.expire_token()
    assert services.deliver_due()["sent"] == 1
    assert zns.refreshes == 1 and len(zns.sent) == 1
    tokens = db.session.get(ProviderToken, "zalo")
    assert tokens.access_token == zns.access_token and tokens.refresh_token == zns.refresh_token != "refresh-1"


@pytest.mark.parametrize("trouble", ["rate_limited", "timeout"])
def test_zalo_rate_limits_and_timeouts_are_retried_later(factory, zns, channels, trouble):
    channels.update(KANNEL_SENDSMS_URL="", ZNS_TIMEOUT=0.5)
    event, category = reviewed_event(factory, use_zns=True)
    factory.registration(event, category, email=None, phone="0944444444")
    if trouble == "rate_limited":
        zns.rate_limited = True
    else:
        zns.stall_seconds = 1.5
    assert services.deliver_due()["failed"] == 1
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.status == OutboxStatus.PENDING and message.channel == Channel.ZNS and message.last_error
    zns.rate_limited, zns.stall_seconds = False, 0
    assert services.deliver_due(now=message.next_attempt_at)["sent"] == 1


def test_sms_text_is_cut_to_its_parts_but_keeps_the_whole_link():
    link = "https://eventhub.vn/tickets/" + "a" * 40
    text = compose("Ngày hội khởi nghiệp đổi mới sáng tạo " * 20, link, unicode=False)
    assert text.text.endswith(link) and text.parts == 2 and text.text.isascii()
    short = compose("Xin chào\u2028Đắk Lắk\r\n", link, unicode=False)
    assert short.text == f"Xin chao Dak Lak {link}" and short.parts == 1
    assert compose("Đắk Lắk", None, unicode=True).text == "Đắk Lắk"
