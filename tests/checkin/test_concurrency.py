"""Check-in under real concurrency: the application under gunicorn with several worker processes (each
with its own database connections), on whichever database the run uses (EVENTHUB_TEST_DB=sqlite or
postgresql). Two gates scanning one ticket at the same moment admit it once; one scan uploaded twice
at once (same nonce) is applied and logged once, and both uploads get the same answer."""
import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from eventhub.checkin import services
from eventhub.checkin.models import CheckIn, Direction, ScanLog, ScanResult
from eventhub.extensions import db
from eventhub.registration import tickets
from eventhub.registration.models import RegistrationStatus
from tests.checkin.gates import open_entrance
from tests.support.server import JsonClient

TICKETS = 30


@pytest.fixture
def gate_setup(factory):
    """An event with TICKETS confirmed people, its entrance list and two device tokens (two gates)."""
    event = factory.event(factory.organisation(), publish=True, capacity=TICKETS)
    students = factory.category(event)
    people = [factory.registration(event, students) for _ in range(TICKETS)]
    assert all(person.status == RegistrationStatus.CONFIRMED for person in people)
    entrance = open_entrance(event.id)
    tokens = [services.issue_device(entrance.id, f"Cổng {n}", None)[0] for n in (1, 2)]
    payloads = {person.id: tickets.qr_payload(person.ticket_code) for person in people}
    return entrance.id, tokens, payloads


def in_lockstep(base_url: str, list_id: int, lanes: list[tuple[str, list[dict]]]) -> list[list[tuple[int, object]]]:
    """One thread per lane (a device token and its scan bodies), one keep-alive connection each; before
    every round all lanes wait on a barrier, then send their i-th scan at the same moment."""
    rounds = len(lanes[0][1])
    barrier = threading.Barrier(len(lanes))
    answers: list[list] = [[None] * rounds for _ in lanes]
    failures: list[BaseException] = []

    def lane(index: int, token: str, bodies: list[dict]) -> None:
        client = JsonClient(base_url)
        headers = {"Authorization": f"Bearer {token}"}
        try:
            client.request("GET", "/api/v1/ticket-signing-key")  # connect before the first barrier
            for number, body in enumerate(bodies):
                barrier.wait(timeout=60)
                answers[index][number] = client.request("POST", f"/api/v1/checkin/lists/{list_id}/scan", body,
                                                        headers)
        except BaseException as error:  # noqa: BLE001  (re-raised in the main thread)
            failures.append(error)
            barrier.abort()
        finally:
            client.close()

    threads = [threading.Thread(target=lane, args=(i, token, bodies)) for i, (token, bodies) in enumerate(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if failures:
        raise failures[0]
    return answers


def test_one_ticket_at_two_gates_at_once_is_admitted_once(gate_setup, server_url):
    list_id, (gate_1, gate_2), payloads = gate_setup
    order = list(payloads)
    bodies = [{"code": payloads[registration_id]} for registration_id in order]

    first_gate, second_gate = in_lockstep(server_url, list_id, [(gate_1, bodies), (gate_2, bodies)])

    everything = first_gate + second_gate
    assert not [a for a in everything if a[0] >= 500], everything
    assert [status for status, _ in everything] == [200] * (2 * TICKETS), everything
    for registration_id, one, other in zip(order, first_gate, second_gate, strict=True):
        told = sorted([one[1], other[1]], key=lambda answer: answer["result"] != "ok")
        assert [answer["result"] for answer in told] == ["ok", "already_checked_in"], (registration_id, told)
        assert [answer["accepted"] for answer in told] == [True, False]
        assert {answer["attendee"]["registration_id"] for answer in told} == {registration_id}
        # The refused gate is told where the ticket went in (the other gate's device name).
        assert told[1]["gate"] == told[0]["gate"] and told[0]["gate"] in {"Cổng 1", "Cổng 2"}

    db.session.rollback()
    check_ins = db.session.scalars(sa.select(CheckIn).where(CheckIn.check_in_list_id == list_id)).all()
    assert Counter(c.registration_id for c in check_ins) == Counter(order)  # exactly one row per ticket
    logs = db.session.scalars(sa.select(ScanLog).where(ScanLog.check_in_list_id == list_id)).all()
    assert Counter(log.registration_id for log in logs) == {registration_id: 2 for registration_id in order}
    by_ticket: dict[int, list[ScanResult]] = {}
    for log in logs:
        by_ticket.setdefault(log.registration_id, []).append(log.result)
    assert all(sorted(results, key=lambda r: r.value) == [ScanResult.ALREADY_CHECKED_IN, ScanResult.OK]
               for results in by_ticket.values()), by_ticket
    ok_gates = {log.registration_id: log.gate for log in logs if log.result == ScanResult.OK}
    assert {c.registration_id: c.gate for c in check_ins} == ok_gates


def test_one_scan_uploaded_twice_at_once_is_applied_once_with_one_answer(gate_setup, server_url):
    list_id, (gate_1, _gate_2), payloads = gate_setup
    order = list(payloads)
    bodies = [{"code": payloads[registration_id], "nonce": f"cong1-lan-{n:04d}-{registration_id}"}
              for n, registration_id in enumerate(order)]

    # The same device (a retry after a dropped answer), on two connections at once.
    first_upload, second_upload = in_lockstep(server_url, list_id, [(gate_1, bodies), (gate_1, bodies)])

    everything = first_upload + second_upload
    assert not [a for a in everything if a[0] >= 500], everything
    assert [status for status, _ in everything] == [200] * (2 * TICKETS), everything
    for body, one, other in zip(bodies, first_upload, second_upload, strict=True):
        assert one[1] == other[1], body  # the same answer, word for word
        assert one[1]["result"] == "ok" and one[1]["accepted"] is True

    db.session.rollback()
    logs = db.session.scalars(sa.select(ScanLog).where(ScanLog.check_in_list_id == list_id)).all()
    # one row per nonce, stored under the device that sent it
    assert sorted(log.nonce.split(":", 2)[2] for log in logs) == sorted(body["nonce"] for body in bodies)
    assert {log.result for log in logs} == {ScanResult.OK}
    check_ins = db.session.scalars(sa.select(CheckIn).where(CheckIn.check_in_list_id == list_id)).all()
    assert Counter(c.registration_id for c in check_ins) == Counter(order)


def test_coming_back_in_at_two_gates_at_once_is_admitted_once(gate_setup, server_url):
    list_id, tokens, payloads = gate_setup
    entrance = services.get_list(list_id)
    services.save_list(entrance.event_id, list_id, services.CheckInListDetails(name=entrance.name, allow_exit=True))
    codes = list(payloads.values())[:15]
    for code in codes:  # everyone went in, then out
        services.scan(list_id, code=code, scanner=services.Scanner(gate="Cổng 1"))
        services.scan(list_id, code=code, direction=Direction.EXIT, scanner=services.Scanner(gate="Cổng 1"))
    gate_1, gate_2 = in_lockstep(server_url, list_id, [(token, [{"code": code} for code in codes]) for token in tokens])
    for (status_1, body_1), (status_2, body_2) in zip(gate_1, gate_2, strict=True):
        assert status_1 == status_2 == 200
        assert sorted([body_1["result"], body_2["result"]]) == ["already_checked_in", "ok"]
