from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.checkin import services
from eventhub.checkin.models import CheckIn, Direction, ScanLog, ScanResult
from eventhub.errors import ValidationFailed
from eventhub.extensions import db
from eventhub.registration import services as registrations
from eventhub.registration import tickets
from eventhub.registration.models import RegistrationStatus
from eventhub.timeutil import utcnow
from tests.checkin.gates import open_entrance

GATE_1 = services.Scanner(gate="Cổng 1")
GATE_2 = services.Scanner(gate="Cổng 2")


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True, capacity=3)


@pytest.fixture
def students(factory, event):
    return factory.category(event, "Học sinh, sinh viên")


@pytest.fixture
def entrance(event):
    return open_entrance(event.id)


def qr(registration):
    return tickets.qr_payload(registration.ticket_code)


def test_first_scan_admits_the_second_says_when_and_where(factory, event, students, entrance):
    person = factory.registration(event, students)
    first = services.scan(entrance.id, code=qr(person), scanner=GATE_1)
    assert first.result == ScanResult.OK and first.registration.id == person.id
    second = services.scan(entrance.id, code=qr(person), scanner=GATE_2)
    assert second.result == ScanResult.ALREADY_CHECKED_IN and second.gate == "Cổng 1"
    assert second.message.startswith("Đã check-in lúc ") and second.message.endswith("tại Cổng 1")
    logs = db.session.scalars(sa.select(ScanLog).order_by(ScanLog.id)).all()
    assert [(log.result, log.gate) for log in logs] == [(ScanResult.OK, "Cổng 1"),
                                                        (ScanResult.ALREADY_CHECKED_IN, "Cổng 2")]


def test_the_hand_typed_ticket_code_works_too(factory, event, students, entrance):
    person = factory.registration(event, students)
    assert services.scan(entrance.id, code=person.ticket_code, scanner=GATE_1).result == ScanResult.OK


@pytest.mark.parametrize("code, result", [
    (lambda p: qr(p)[:-4] + "AAAA", ScanResult.FORGED),
    (lambda p: "EH1." + "x" * 22 + "." + qr(p).split(".")[2], ScanResult.FORGED),
    (lambda p: "https://example.vn/khuyen-mai", ScanResult.INVALID),
    (lambda p: "", ScanResult.INVALID),
    (lambda p: "khongcovenay", ScanResult.UNKNOWN_TICKET),
])
def test_bad_codes_are_refused_and_logged(factory, event, students, entrance, code, result):
    person = factory.registration(event, students)
    outcome = services.scan(entrance.id, code=code(person), scanner=GATE_1)
    assert outcome.result == result and not outcome.result.accepted
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0
    assert db.session.scalar(sa.select(ScanLog.result)) == result


def test_tickets_that_are_not_confirmed_say_why(factory, event, students, entrance):
    people = [factory.registration(event, students) for _ in range(4)]  # capacity 3: the last one waits
    registrations.cancel(people[0].id)
    db.session.expire_all()
    assert services.scan(entrance.id, code=qr(people[0]), scanner=GATE_1).result == ScanResult.CANCELLED
    waiting = factory.registration(event, students)
    assert services.scan(entrance.id, code=qr(waiting), scanner=GATE_1).result == ScanResult.WAITLISTED


def test_a_ticket_for_another_event_is_refused(factory, event, students, entrance):
    other = factory.event(factory.organisation(), publish=True)
    stranger = factory.registration(other, factory.category(other))
    assert services.scan(entrance.id, code=qr(stranger), scanner=GATE_1).result == ScanResult.WRONG_EVENT


def test_lists_limit_categories_and_hours(factory, event, students):
    officials = factory.category(event, "Cán bộ", "official")
    now = utcnow()
    room = services.save_list(event.id, None, services.CheckInListDetails(
        name="Phòng tập huấn A", opens_at=now, closes_at=now + timedelta(hours=2), category_ids=[officials.id]))
    student = factory.registration(event, students)
    official = factory.registration(event, officials)
    assert services.scan(room.id, code=qr(student), scanner=GATE_1).result == ScanResult.CATEGORY_NOT_ALLOWED
    early = services.scan(room.id, code=qr(official), scanner=GATE_1, now=now - timedelta(minutes=5))
    assert early.result == ScanResult.OUTSIDE_HOURS
    assert services.scan(room.id, code=qr(official), scanner=GATE_1, now=now + timedelta(minutes=5)).result == \
        ScanResult.OK
    with pytest.raises(ValidationFailed):
        services.save_list(event.id, None, services.CheckInListDetails(name="Sai giờ", opens_at=now, closes_at=now))


def test_exit_and_coming_back(factory, event, students):
    hall = services.save_list(event.id, None, services.CheckInListDetails(name="Hội trường", allow_exit=True))
    person = factory.registration(event, students)
    assert services.scan(hall.id, code=qr(person), direction=Direction.EXIT, scanner=GATE_1).result == \
        ScanResult.NOT_CHECKED_IN
    services.scan(hall.id, code=qr(person), scanner=GATE_1)
    assert services.checked_in_count(hall.id) == 1
    assert services.scan(hall.id, code=qr(person), direction=Direction.EXIT, scanner=GATE_1).result == \
        ScanResult.EXIT_OK
    assert services.checked_in_count(hall.id) == 0
    assert services.scan(hall.id, code=qr(person), scanner=GATE_2).result == ScanResult.OK


def test_a_wrong_check_in_can_be_undone_and_stays_in_the_log(factory, event, students, entrance):
    person = factory.registration(event, students)
    services.scan(entrance.id, code=qr(person), scanner=GATE_1)
    undone = services.scan(entrance.id, registration_id=person.id, direction=Direction.UNDO, scanner=GATE_1)
    assert undone.result == ScanResult.UNDONE and services.checked_in_count(entrance.id) == 0
    assert services.scan(entrance.id, code=qr(person), scanner=GATE_1).result == ScanResult.OK
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanLog)) == 3


def test_a_repeated_nonce_changes_nothing(factory, event, students, entrance):
    person = factory.registration(event, students)
    first = services.scan(entrance.id, code=qr(person), scanner=GATE_1, nonce="may-1-000001")
    again = services.scan(entrance.id, code=qr(person), scanner=GATE_1, nonce="may-1-000001")
    assert first.result == again.result == ScanResult.OK
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanLog)) == 1


def test_offline_scans_from_two_gates_keep_one_admission_and_report_the_conflict(factory, event, students, entrance):
    person = factory.registration(event, students)
    moment = utcnow() - timedelta(minutes=10)
    gate_2 = services.sync(entrance.id, [{"code": qr(person), "nonce": "g2-1", "scanned_at": moment + timedelta(
        seconds=30)}], GATE_2)
    gate_1 = services.sync(entrance.id, [{"code": qr(person), "nonce": "g1-1", "scanned_at": moment}], GATE_1)
    assert gate_2[0].result == ScanResult.OK and gate_1[0].result == ScanResult.ALREADY_CHECKED_IN
    logs = db.session.scalars(sa.select(ScanLog).order_by(ScanLog.id)).all()
    assert all(log.offline for log in logs) and len(logs) == 2
    assert services.sync(entrance.id, [{"code": qr(person), "nonce": "g1-1", "scanned_at": moment}], GATE_1)[0] \
        .result == ScanResult.ALREADY_CHECKED_IN
    assert len(db.session.scalars(sa.select(ScanLog)).all()) == 2


def test_walk_ins_are_registered_and_admitted_while_seats_last(factory, event, students, entrance):
    for _ in range(2):
        factory.registration(event, students)
    registration, outcome = services.walk_in(entrance.id, factory.registrant(students, consent_version=None), GATE_1)
    assert registration.source.value == "walk_in" and outcome.result == ScanResult.OK
    late, refused = services.walk_in(entrance.id, factory.registrant(students, consent_version=None), GATE_1)
    assert late.status == RegistrationStatus.WAITLISTED and refused.result == ScanResult.WAITLISTED


def test_search_finds_people_with_their_check_in(factory, event, students, entrance):
    person = factory.registration(event, students, full_name="Nguyễn Thị Hoa", phone="0912000111")
    services.scan(entrance.id, code=qr(person), scanner=GATE_1)
    [(found, check_in)] = services.search(entrance.id, "nguyen thi hoa")
    assert found.id == person.id and check_in.gate == "Cổng 1"
    assert services.search(entrance.id, "0912000111")[0][0].id == person.id
    assert services.search(entrance.id, "  ") == []


def test_devices_are_revocable_at_once(event, entrance):
    token, device = services.issue_device(entrance.id, "Điện thoại cổng 2", None)
    assert services.device_for_token(token).id == device.id
    services.revoke_device(entrance.id, device.id)
    assert services.device_for_token(token) is None
    assert services.device_for_token("ehd_sai") is None


def test_nonces_belong_to_the_scanner_that_made_them(factory, event, students, entrance):
    first, second = factory.registration(event, students), factory.registration(event, students)
    phone_1 = services.Scanner(device_id=services.issue_device(entrance.id, "Máy 1", None)[1].id, gate="Cổng 1")
    phone_2 = services.Scanner(device_id=services.issue_device(entrance.id, "Máy 2", None)[1].id, gate="Cổng 2")
    assert services.scan(entrance.id, code=qr(first), scanner=phone_1, nonce="1").registration.id == first.id
    other = services.scan(entrance.id, code=qr(second), scanner=phone_2, nonce="1")
    assert other.result == ScanResult.OK and other.registration.id == second.id
    assert services.checked_in_count(entrance.id) == 2


def test_exit_and_undo_act_once_on_the_current_row(factory, event, students):
    hall = services.save_list(event.id, None, services.CheckInListDetails(name="Hội trường", allow_exit=True))
    person = factory.registration(event, students)
    services.scan(hall.id, code=qr(person), scanner=GATE_1)
    services.scan(hall.id, code=qr(person), direction=Direction.EXIT, scanner=GATE_1)
    assert services.scan(hall.id, code=qr(person), direction=Direction.EXIT, scanner=GATE_2).result == \
        ScanResult.NOT_CHECKED_IN
    assert services.scan(hall.id, code=qr(person), scanner=GATE_2).result == ScanResult.OK
    assert services.scan(hall.id, code=qr(person), scanner=GATE_1).result == ScanResult.ALREADY_CHECKED_IN
    assert services.scan(hall.id, registration_id=person.id, direction=Direction.UNDO, scanner=GATE_1).result == \
        ScanResult.UNDONE
    assert services.scan(hall.id, registration_id=person.id, direction=Direction.UNDO, scanner=GATE_1).result == \
        ScanResult.NOT_CHECKED_IN


def test_scanner_links_of_someone_who_leaves_the_organisation_stop_working(factory, event, entrance):
    from eventhub.accounts import services as accounts
    from eventhub.accounts.models import Role

    organisation = event.organisation
    factory.user(organisation=organisation, role=Role.ADMIN)
    volunteer = factory.user(organisation=organisation, role=Role.CHECKIN_STAFF)
    own_token, _ = services.issue_device(entrance.id, "Máy của tình nguyện viên", volunteer.id)
    shared_token, _ = services.issue_device(entrance.id, "Máy cổng 2", None)
    accounts.remove_member(organisation.id, volunteer.memberships[0].id)
    assert services.device_for_token(own_token) is None
    assert services.device_for_token(shared_token) is not None
