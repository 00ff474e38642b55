from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.checkin import services
from eventhub.checkin.forms import OfflineScanForm, ScanForm
from eventhub.checkin.models import CheckIn
from eventhub.extensions import db
from eventhub.forms import form_schema
from eventhub.registration import tickets
from eventhub.timeutil import to_local, utcnow
from tests.checkin.gates import open_entrance


@pytest.fixture
def setup(factory):
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True, capacity=10)
    students = factory.category(event, "Học sinh, sinh viên")
    entrance = open_entrance(event.id)
    token, device = services.issue_device(entrance.id, "Điện thoại cổng 1", None)
    return {"event": event, "students": students, "entrance": entrance,
            "headers": {"Authorization": f"Bearer {token}", "X-Gate": "Cổng 1"}, "device": device,
            "organisation": organisation}


def scan_url(setup, action="scan"):
    return f"/api/v1/checkin/lists/{setup['entrance'].id}/{action}"


def test_device_scans_a_ticket_once(factory, setup, client):
    person = factory.registration(setup["event"], setup["students"], full_name="Lò Thị Hương")
    code = tickets.qr_payload(person.ticket_code)
    first = client.post(scan_url(setup), json={"code": code}, headers=setup["headers"]).get_json()
    assert first["result"] == "ok" and first["accepted"] is True and first["message"] == "Hợp lệ"
    assert first["attendee"]["full_name"] == "Lò Thị Hương" and first["attendee"]["category"] == "Học sinh, sinh viên"
    again = client.post(scan_url(setup), json={"code": code}, headers=setup["headers"]).get_json()
    assert again["result"] == "already_checked_in" and again["accepted"] is False
    assert "tại Cổng 1" in again["message"]


def test_staff_scan_with_their_personal_token(factory, setup, client):
    staff = factory.user(organisation=setup["organisation"], role=Role.CHECKIN_STAFF)
    token, _ = accounts.issue_api_token(staff.id, "Máy quét")
    person = factory.registration(setup["event"], setup["students"])
    body = client.post(scan_url(setup), json={"code": person.ticket_code},
                       headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["result"] == "ok"
    outsider = factory.user(organisation=factory.organisation(), role=Role.ADMIN)
    other_token, _ = accounts.issue_api_token(outsider.id, "x")
    assert client.post(scan_url(setup), json={"code": person.ticket_code},
                       headers={"Authorization": f"Bearer {other_token}"}).status_code == 404


def test_a_revoked_or_foreign_device_is_refused_at_once(factory, setup, client):
    person = factory.registration(setup["event"], setup["students"])
    other_list = services.save_list(setup["event"].id, None, services.CheckInListDetails(name="Phòng A"))
    assert client.post(f"/api/v1/checkin/lists/{other_list.id}/scan", json={"code": person.ticket_code},
                       headers=setup["headers"]).status_code == 404
    services.revoke_device(setup["entrance"].id, setup["device"].id)
    response = client.post(scan_url(setup), json={"code": person.ticket_code}, headers=setup["headers"])
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_search_manual_check_in_and_undo(factory, setup, client):
    person = factory.registration(setup["event"], setup["students"], full_name="Đinh Văn Khang",
                                  phone="0977000111")
    [found] = client.get(scan_url(setup, "search") + "?q=dinh+van", headers=setup["headers"]).get_json()["items"]
    assert found["registration_id"] == person.id and found["checked_in_at"] is None
    body = client.post(scan_url(setup), json={"registration_id": person.id}, headers=setup["headers"]).get_json()
    assert body["result"] == "ok"
    undo = client.post(scan_url(setup, "undo"), json={"registration_id": person.id},
                       headers=setup["headers"]).get_json()
    assert undo["result"] == "undone"
    again = client.post(scan_url(setup, "undo"), json={"registration_id": person.id},
                        headers=setup["headers"]).get_json()
    assert again["result"] == "not_checked_in"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_offline_data_and_sync(factory, setup, client):
    people = [factory.registration(setup["event"], setup["students"]) for _ in range(3)]
    data = client.get(scan_url(setup, "offline-data"), headers=setup["headers"]).get_json()
    assert data["public_key"] == tickets.public_key_text()
    assert {t["ticket_code"] for t in data["tickets"]} == {p.ticket_code for p in people}
    earlier = to_local(utcnow() - timedelta(minutes=5)).isoformat()
    scans = [{"code": tickets.qr_payload(p.ticket_code), "nonce": f"offline-{i}", "scanned_at": earlier}
             for i, p in enumerate(people)]
    body = client.post(scan_url(setup, "sync"), json={"scans": scans}, headers=setup["headers"]).get_json()
    assert [r["result"] for r in body["results"]] == ["ok", "ok", "ok"]
    again = client.post(scan_url(setup, "sync"), json={"scans": scans}, headers=setup["headers"]).get_json()
    assert [r["result"] for r in again["results"]] == ["ok", "ok", "ok"]  # same nonces: same answers
    assert client.get(scan_url(setup, "counts"), headers=setup["headers"]).get_json() == \
        {"checked_in": 3, "admissible": 3}
    bad = client.post(scan_url(setup, "sync"), json={"scans": [{"code": "x"}]}, headers=setup["headers"])
    assert bad.status_code == 422


def test_walk_in_through_the_api(factory, setup, client):
    body = client.post(scan_url(setup, "walk-ins"), json={
        "category_id": setup["students"].id, "full_name": "Người đến trực tiếp", "phone": "0966123456"},
        headers=setup["headers"])
    assert body.status_code == 201 and body.get_json()["result"] == "ok"
    bad = client.post(scan_url(setup, "walk-ins"), json={"category_id": setup["students"].id, "full_name": ""},
                      headers=setup["headers"])
    assert bad.status_code == 422


@pytest.mark.parametrize("payload", [{}, {"code": 12}, {"registration_id": "1"}, {"code": "x", "direction": "up"}])
def test_bad_scan_requests_get_field_errors(setup, client, payload):
    response = client.post(scan_url(setup), json=payload, headers=setup["headers"])
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "validation_error"


def test_scanners_learn_nothing_about_other_events_people(factory, setup, client):
    other = factory.event(factory.organisation(), publish=True)
    stranger = factory.registration(other, factory.category(other), full_name="Người Sự Kiện Khác")
    by_id = client.post(scan_url(setup), json={"registration_id": stranger.id}, headers=setup["headers"]).get_json()
    assert by_id["result"] == "unknown_ticket" and by_id["attendee"] is None
    by_code = client.post(scan_url(setup), json={"code": tickets.qr_payload(stranger.ticket_code)},
                          headers=setup["headers"]).get_json()
    assert by_code["result"] == "wrong_event" and by_code["attendee"] is None
    undo = client.post(scan_url(setup, "undo"), json={"registration_id": stranger.id},
                       headers=setup["headers"]).get_json()
    assert undo["attendee"] is None and "Người Sự Kiện Khác" not in str(undo)


def test_device_search_finds_by_phone_without_showing_it(factory, setup, client):
    factory.registration(setup["event"], setup["students"], phone="0912777888")
    [item] = client.get(scan_url(setup, "search") + "?q=0912777888", headers=setup["headers"]).get_json()["items"]
    assert item["phone"] is None


def test_device_links_stop_when_the_event_is_cancelled(factory, setup, client):
    from eventhub.events import services as events

    events.apply_transition(setup["event"].id, "cancel", reason="Mưa bão")
    assert client.get(scan_url(setup, "counts"), headers=setup["headers"]).status_code == 404


def test_offline_times_are_kept_within_reason(factory, setup, client):
    person = factory.registration(setup["event"], setup["students"])
    future = to_local(utcnow() + timedelta(days=3)).isoformat()
    body = client.post(scan_url(setup, "sync"), json={"scans": [
        {"code": person.ticket_code, "nonce": "tuong-lai", "scanned_at": future}]}, headers=setup["headers"]).get_json()
    assert body["results"][0]["result"] == "ok"
    check_in = db.session.scalar(sa.select(CheckIn))
    assert check_in.checked_in_at <= utcnow()
    ancient_scan = {"code": person.ticket_code, "nonce": "co-dai", "scanned_at": "0001-01-01T00:00:00"}
    ancient = client.post(scan_url(setup, "sync"), json={"scans": [ancient_scan]}, headers=setup["headers"])
    assert ancient.status_code == 422
    huge = client.post(scan_url(setup), json={"registration_id": 10**30}, headers=setup["headers"])
    assert huge.status_code == 422


@pytest.mark.parametrize("field, limit", [("code", services.CODE_MAX_LENGTH), ("gate", services.GATE_MAX_LENGTH),
                                          ("nonce", services.NONCE_MAX_LENGTH)])
def test_scan_texts_are_bounded_by_the_service_and_described_so(app, factory, setup, client, field, limit):
    person = factory.registration(setup["event"], setup["students"])
    payload = {"code": tickets.qr_payload(person.ticket_code)}
    too_long = client.post(scan_url(setup), json={**payload, field: "x" * (limit + 1)}, headers=setup["headers"])
    assert too_long.status_code == 422 and field in too_long.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0
    with app.test_request_context():
        assert form_schema(ScanForm)["properties"][field]["maxLength"] == limit
        assert form_schema(OfflineScanForm)["properties"][field]["maxLength"] == limit


def test_an_offline_scan_needs_its_code_nonce_and_time(factory, setup, client):
    person = factory.registration(setup["event"], setup["students"])
    scan = {"code": tickets.qr_payload(person.ticket_code), "nonce": "n-1",
            "scanned_at": to_local(utcnow()).isoformat()}
    for missing in ("code", "nonce", "scanned_at"):
        item = {k: v for k, v in scan.items() if k != missing}
        response = client.post(scan_url(setup, "sync"), json={"scans": [scan, item]}, headers=setup["headers"])
        assert response.status_code == 422 and list(response.get_json()["error"]["fields"]) == ["scans[1]"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0
    accepted = client.post(scan_url(setup, "sync"), json={"scans": [scan]}, headers=setup["headers"])
    assert accepted.status_code == 200 and accepted.get_json()["results"][0]["result"] == "ok"


def test_a_device_cannot_recover_a_hidden_phone_or_e_mail_digit_by_digit(factory, setup, client):
    factory.registration(setup["event"], setup["students"], full_name="Y Bhim Niê", phone="0912777888",
                         email="lienhe.buon@example.vn")
    url = scan_url(setup, "search")

    def found(q, headers):
        return [i["full_name"] for i in client.get(f"{url}?q={q}", headers=headers).get_json()["items"]]

    partial = ["09", "0912", "091277788", "lienhe", "lienhe.buon@example"]  # (a name is found by its letters)
    assert {q: found(q, setup["headers"]) for q in partial} == dict.fromkeys(partial, [])
    assert found("0912777888", setup["headers"]) == found("lienhe.buon@example.vn", setup["headers"]) == ["Y Bhim Niê"]
    staff = factory.user(organisation=setup["organisation"], role=Role.CHECKIN_STAFF)
    assert found("0912", factory.api_headers(staff)) == ["Y Bhim Niê"]  # staff see phones anyway
