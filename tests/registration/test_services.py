import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.errors import DomainError, ValidationFailed
from eventhub.events import services as events
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.mail.rendering import render
from eventhub.registration import services, setup
from eventhub.registration.models import (
    Gender,
    QuestionKind,
    Registration,
    RegistrationMode,
    RegistrationSource,
    RegistrationStatus,
)
from eventhub.timeutil import utcnow


@pytest.fixture
def event(factory):
    return factory.event(factory.organisation(), publish=True, capacity=3)


@pytest.fixture
def students(factory, event):
    return factory.category(event)


def statuses(event):
    rows = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)
                              .order_by(Registration.id))
    return [r.status for r in rows]


def test_a_registration_is_confirmed_with_secret_codes_and_consent(factory, event, students):
    registration = factory.registration(event, students, gender=Gender.FEMALE, birth_year=2004)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert len(registration.ticket_code) >= 20 and len(registration.access_key) >= 40
    other = factory.registration(event, students)
    assert other.ticket_code[:8] != registration.ticket_code[:8] and other.access_key != registration.access_key
    assert registration.consent.version == services.current_consent().version
    assert "Nghị định 13/2023" in registration.consent.body and registration.consented_at is not None


def test_seats_run_out_then_the_waiting_list_fills_in_order(factory, event, students):
    people = [factory.registration(event, students) for _ in range(5)]
    assert [p.status for p in people] == [RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITLISTED] * 2
    assert [services.waitlist_position(p) for p in people[3:]] == [1, 2]


def test_the_seat_counters_follow_every_change_and_a_change_behind_their_back_is_caught(factory, event, students):
    """The counters that seat decisions read (kept under the lock) against the rows they stand for, after
    registering, waitlisting, cancelling, promoting and erasing; then an UPDATE that bypasses the services."""
    from tests.support.database import seat_counter_mismatches

    def counters():
        db.session.expire_all()
        settings = services.settings_for(event.id)
        category = db.session.get(type(students), students.id)
        return settings.confirmed_count, settings.waitlisted_count, category.confirmed_count

    people = [factory.registration(event, students) for _ in range(5)]
    assert counters() == (3, 2, 3)
    services.cancel(people[0].id)
    assert counters() == (3, 1, 3)
    services.anonymise(people[4].id)
    assert counters() == (3, 0, 3)
    services.cancel(people[1].id)
    assert counters() == (2, 0, 2)
    db.session.commit()
    with db.engine.connect() as connection:
        assert seat_counter_mismatches(connection) == []
        connection.execute(sa.update(Registration).where(Registration.id == people[2].id)
                           .values(status=RegistrationStatus.CANCELLED))
        assert [row[:2] for row in seat_counter_mismatches(connection)] == [("event", event.id),
                                                                            ("category", students.id)]
        connection.rollback()


def test_a_cancellation_promotes_the_first_in_line_and_emails_them(factory, event, students):
    people = [factory.registration(event, students) for _ in range(5)]
    services.cancel(people[1].id)
    db.session.expire_all()
    assert statuses(event) == [RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED,
                               RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
                               RegistrationStatus.WAITLISTED]
    assert services.waitlist_position(db.session.get(Registration, people[4].id)) == 1
    subjects = [render(m).subject for m in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == people[3].email).order_by(OutboxMessage.id))]
    assert subjects[0].startswith("Bạn đang trong danh sách chờ") and subjects[-1].startswith("Vé tham dự")


def test_raising_capacity_promotes_the_waiting_list(factory, event, students):
    people = [factory.registration(event, students) for _ in range(5)]
    details = events.EventDetails.of(event)
    details.capacity = 4
    events.update_event(event.id, details)
    db.session.expire_all()
    assert db.session.get(Registration, people[3].id).status == RegistrationStatus.CONFIRMED
    assert db.session.get(Registration, people[4].id).status == RegistrationStatus.WAITLISTED


def test_category_quotas_hold_and_skip_to_the_next_fitting_person(factory, event):
    farmers = factory.category(event, "Nông dân", "farmer", quota=1)
    youth = factory.category(event, "Thanh niên", "youth")
    first = factory.registration(event, farmers)
    second_farmer = factory.registration(event, farmers)
    assert (first.status, second_farmer.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    young = [factory.registration(event, youth) for _ in range(3)]
    assert [y.status for y in young] == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
                                        RegistrationStatus.WAITLISTED]
    services.cancel(young[0].id)  # a seat frees, the farmer ahead in line does not fit the quota
    db.session.expire_all()
    assert db.session.get(Registration, second_farmer.id).status == RegistrationStatus.WAITLISTED
    assert db.session.get(Registration, young[2].id).status == RegistrationStatus.CONFIRMED
    setup.save_category(event.id, farmers.id, setup.CategoryDetails(name="Nông dân",
                                                                    participant_group="farmer", quota=2))
    db.session.expire_all()
    assert db.session.get(Registration, second_farmer.id).status == RegistrationStatus.WAITLISTED  # still full
    services.cancel(first.id)
    db.session.expire_all()
    assert db.session.get(Registration, second_farmer.id).status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("first, second", [
    ({"email": "Mai@Example.vn"}, {"email": " mai@example.VN ", "phone": "0911111111"}),
    ({"phone": "0912 345 678", "email": None}, {"phone": "+84912345678", "email": "khac@example.vn"}),
])
def test_the_same_person_cannot_take_two_seats(factory, event, students, first, second):
    factory.registration(event, students, **first)
    with pytest.raises(services.DuplicateRegistration) as error:
        factory.registration(event, students, **second)
    assert error.value.code == "duplicate"
    assert len(statuses(event)) == 1


def test_after_cancelling_a_person_may_register_again(factory, event, students):
    registration = factory.registration(event, students, email="lai@example.vn")
    services.cancel(registration.id)
    again = factory.registration(event, students, email="lai@example.vn")
    assert again.status == RegistrationStatus.CONFIRMED


def test_resend_goes_only_to_the_address_on_file(factory, event, students):
    registration = factory.registration(event, students, email="that@example.vn", phone="0987654321")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    assert services.resend_for_contact(event.id, "+84 987 654 321") is True
    assert services.resend_for_contact(event.id, "nguoi-la@example.vn") is False
    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(messages) == before + 1 and messages[-1].recipient == registration.email


@pytest.mark.parametrize("overrides, field", [
    ({"full_name": "  "}, "full_name"),
    ({"email": None, "phone": None}, "email"),
    ({"email": "khong-phai-email"}, "email"),
    ({"phone": "12345"}, "phone"),
    ({"birth_year": 1850}, "birth_year"),
    ({"consent_version": None}, "consent"),
    ({"consent_version": "2019-01-01"}, "consent"),
    ({"category_id": 999999}, "category_id"),
])
def test_bad_registrations_are_refused_by_field(factory, event, students, overrides, field):
    with pytest.raises(ValidationFailed) as error:
        factory.registration(event, students, **overrides)
    assert field in error.value.fields
    assert statuses(event) == []


def test_registration_window_and_event_state_are_enforced(factory, event, students):
    now = utcnow()
    details = events.EventDetails.of(event)
    details.registration_opens_at = now + timedelta(days=1)
    details.registration_closes_at = now + timedelta(days=2)
    events.update_event(event.id, details)
    for moment, expected in ((now, "chưa mở"), (now + timedelta(days=3), "hết hạn")):
        with pytest.raises(DomainError) as error:
            services.register(event.id, factory.registrant(students), now=moment)
        assert error.value.code == "registration_closed" and expected in str(error.value)
    assert services.register(event.id, factory.registrant(students), now=now + timedelta(days=1, hours=1))
    draft = factory.event(factory.organisation())
    draft_students = factory.category(draft)
    with pytest.raises(DomainError):
        services.register(draft.id, factory.registrant(draft_students))


def test_organisers_may_add_people_outside_the_window_without_online_consent(factory, event, students):
    events.apply_transition(event.id, "close_registration")
    registration = services.register(event.id, factory.registrant(students, consent_version=None),
                                     source=RegistrationSource.MANUAL)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_reviewed_mode_waits_for_approval(factory, event, students):
    setup.set_mode(event.id, RegistrationMode.REVIEWED)
    people = [factory.registration(event, students) for _ in range(4)]
    assert {p.status for p in people} == {RegistrationStatus.PENDING}
    for person in people[:3]:
        assert services.approve(person.id).status == RegistrationStatus.CONFIRMED
    assert services.approve(people[3].id).status == RegistrationStatus.WAITLISTED
    with pytest.raises(ValidationFailed):
        services.reject(people[3].id, " ")
    rejected = services.reject(people[3].id, "Hồ sơ chưa đủ điều kiện")
    assert rejected.status == RegistrationStatus.REJECTED
    with pytest.raises(DomainError) as error:
        services.approve(people[0].id)
    assert error.value.code == "illegal_status"


def test_answers_are_checked_by_kind(factory, event, students):
    ask = lambda label, kind, options=(), required=False: setup.save_question(  # noqa: E731
        event.id, None, setup.QuestionDetails(label=label, kind=kind, options=list(options), required=required))
    school = ask("Trường", QuestionKind.SHORT_TEXT, required=True)
    topic = ask("Chủ đề quan tâm", QuestionKind.MULTIPLE_CHOICE, ["Nông nghiệp", "Công nghệ", "Du lịch"])
    shirt = ask("Cỡ áo", QuestionKind.SINGLE_CHOICE, ["S", "M", "L"])
    team = ask("Số thành viên", QuestionKind.NUMBER)
    founded = ask("Ngày thành lập", QuestionKind.DATE)
    has_product = ask("Đã có sản phẩm?", QuestionKind.YES_NO)
    with pytest.raises(ValidationFailed) as error:
        factory.registration(event, students, answers={topic.id: ["Vũ trụ"], shirt.id: "XXL", team.id: "năm",
                                                       founded.id: "31/02/2020", has_product.id: "có lẽ"})
    assert set(error.value.fields) == {f"q_{q.id}" for q in (school, topic, shirt, team, founded, has_product)}
    registration = factory.registration(event, students, answers={
        school.id: "THPT Chuyên Nguyễn Du", topic.id: ["Du lịch", "Nông nghiệp"], shirt.id: "M", team.id: "3",
        founded.id: "08/03/2024", has_product.id: "Có"})
    readable = services.answers_by_question(registration)
    assert readable[topic.id] == "Nông nghiệp, Du lịch"
    assert readable[founded.id] == "08/03/2024" and readable[has_product.id] == "Có"
    stored = {a.question_id: a.value for a in registration.answers}
    assert json.loads(stored[topic.id]) == ["Nông nghiệp", "Du lịch"] and stored[founded.id] == "2024-03-08"


def test_choice_questions_need_distinct_options(event):
    with pytest.raises(ValidationFailed):
        setup.save_question(event.id, None, setup.QuestionDetails(label="Cỡ áo", kind=QuestionKind.SINGLE_CHOICE,
                                                                  options=["M"], required=False))
    with pytest.raises(ValidationFailed):
        setup.save_question(event.id, None, setup.QuestionDetails(label="Cỡ áo", kind=QuestionKind.SINGLE_CHOICE,
                                                                  options=["M", "M"], required=False))


def test_deleting_personal_data_keeps_anonymous_counts_and_frees_the_seat(factory, event, students):
    people = [factory.registration(event, students, gender=Gender.MALE, birth_year=1999, province="Gia Lai")
              for _ in range(4)]
    erased = services.anonymise(people[0].id)
    assert erased.full_name == services.ANONYMISED_NAME and erased.email is None and erased.phone is None
    assert (erased.gender, erased.birth_year, erased.province, erased.category_id) == \
           (Gender.MALE, 1999, "Gia Lai", students.id)
    assert erased.status == RegistrationStatus.CANCELLED and erased.anonymised_at is not None
    db.session.expire_all()
    assert db.session.get(Registration, people[3].id).status == RegistrationStatus.CONFIRMED


def test_a_used_category_cannot_be_deleted(factory, event, students):
    factory.registration(event, students)
    with pytest.raises(DomainError) as error:
        setup.delete_category(event.id, students.id)
    assert error.value.code == "category_in_use"


def test_attendee_search_by_name_phone_email_and_code(factory, event, students):
    mai = factory.registration(event, students, full_name="Nguyễn Thị Mai", email="mai@example.vn",
                               phone="0912345678")
    factory.registration(event, students, full_name="Trần Văn Bình", email="binh@example.vn", phone="0987000111")

    def names(q):
        return [r.full_name for r in db.session.scalars(services.attendee_query(event.id, q=q))]
    assert names("nguyen thi") == ["Nguyễn Thị Mai"]
    assert names("+84 912 345 678") == ["Nguyễn Thị Mai"]
    assert names("BINH@") == ["Trần Văn Bình"]
    assert names(mai.ticket_code) == ["Nguyễn Thị Mai"]
    assert names("0987") == ["Trần Văn Bình"]
