"""Offline walk-ins uploaded on reconnection: once however often, merged with an earlier registration of the same
phone, flagged (never dropped) past capacity."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.checkin import services, walkins
from eventhub.checkin.models import CheckIn, ScanResult
from eventhub.extensions import db
from eventhub.registration.models import ConsentMethod, Registration, RegistrationStatus
from eventhub.timeutil import to_local, utcnow
from tests.checkin.gates import open_entrance


@pytest.fixture
def door(factory):
    event = factory.event(factory.organisation(), publish=True, capacity=2)
    students = factory.category(event)
    entrance = open_entrance(event.id)
    _token, device = services.issue_device(entrance.id, "Máy cổng 1", None)
    return {"event": event, "students": students, "entrance": entrance,
            "scanner": services.Scanner(device_id=device.id, gate="Cổng 1")}


def walk_in(door, factory, key, **person):
    registrant = factory.registrant(door["students"], consent_version=None, **person)
    return walkins.offline_walk_in(door["entrance"].id, registrant, door["scanner"], key=key,
                                   scanned_at=utcnow() - timedelta(minutes=20))


def test_an_offline_walk_in_uploaded_twice_is_registered_and_checked_in_once(door, factory):
    first = walk_in(door, factory, "w-1", full_name="Y Moan Êban", phone="0905000111", email=None)
    again = walk_in(door, factory, "w-1", full_name="Y Moan Êban", phone="0905000111", email=None)
    assert first.registration.id == again.registration.id and not first.merged and not again.merged
    assert first.outcome.result == again.outcome.result == ScanResult.OK
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
    check_in = db.session.scalar(sa.select(CheckIn))
    assert check_in.checked_in_at < utcnow() - timedelta(minutes=19)  # at the time of the scan on the device
    assert first.registration.consent_method == ConsentMethod.STAFF


def test_a_phone_already_registered_is_merged_into_its_registration(door, factory):
    earlier = factory.registration(door["event"], door["students"], full_name="Nguyễn Thị Mai", phone="0905000222")
    merged = walk_in(door, factory, "w-2", full_name="Mai", phone="0905000222", email=None)
    assert merged.merged and merged.registration.id == earlier.id and merged.outcome.result == ScanResult.OK
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


def test_a_walk_in_over_capacity_is_flagged_not_dropped(door, factory):
    for _ in range(2):
        factory.registration(door["event"], door["students"])
    late = walk_in(door, factory, "w-3", full_name="Người đến muộn", phone="0905000333", email=None)
    assert late.overflow and late.registration.status == RegistrationStatus.WAITLISTED
    assert late.outcome.result == ScanResult.WAITLISTED
    assert [r.id for r in walkins.flagged(door["event"].id)] == [late.registration.id]


def test_the_api_answers_with_the_key_and_repeats_harmlessly(door, factory, client):
    token, _device = services.issue_device(door["entrance"].id, "Máy 2", None)
    body = {"category_id": door["students"].id, "full_name": "Lê Văn Tới", "phone": "0905000444",
            "walk_in_key": "k-9", "scanned_at": to_local(utcnow() - timedelta(minutes=5)).isoformat()}
    url = f"/api/v1/checkin/lists/{door['entrance'].id}/walk-ins"
    answers = [client.post(url, json=body, headers={"Authorization": f"Bearer {token}"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert [a.get_json()["result"] for a in answers] == ["ok", "ok"]
    assert answers[0].get_json()["walk_in_key"] == "k-9" and answers[0].get_json()["overflow"] is False
    assert answers[0].get_json()["registration_id"] == answers[1].get_json()["registration_id"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
