"""Completion rules and organisers' decisions, through the services (no HTTP), on both databases."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventhub.checkin import completion, services
from eventhub.checkin.models import CompletionLog, CompletionOverride, CompletionRule, CompletionRuleKind, Direction
from eventhub.errors import NotFound, ValidationFailed
from eventhub.events.models import EventType
from eventhub.extensions import db
from eventhub.registration import exports
from eventhub.registration import services as registrations
from eventhub.timeutil import from_local
from tests.scheduling import factories as agenda

DAY_ONE = datetime(2027, 3, 8, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
SCANNER = services.Scanner(gate="Cổng chính")


@pytest.fixture
def training(factory):
    organiser = factory.user("tochuc@example.vn", organisation=factory.organisation())
    event = factory.event(organiser.memberships[0].organisation, publish=True, event_type=EventType.TRAINING,
                          starts_at=DAY_ONE, ends_at=DAY_ONE + timedelta(days=1, hours=8), capacity=None)
    return {"event": event, "category": factory.category(event, "Thanh niên"), "user": organiser}


def people(factory, training, count):
    return [factory.registration(training["event"], training["category"]) for _ in range(count)]


def enter(list_id, person, when, direction=Direction.ENTRY):
    return services.scan(list_id, registration_id=person.id, scanner=SCANNER, direction=direction, now=when)


def done(event):
    return completion.completed_ids(event.id)


def test_a_training_counts_by_default_those_checked_in_at_least_once(factory, training):
    came, stayed_home = people(factory, training, 2)
    gate = services.entrance_for(training["event"].id)
    enter(gate.id, came, DAY_ONE)
    assert completion.rule_of(training["event"]) == completion.Rule(CompletionRuleKind.CHECKED_IN, stored=False)
    assert done(training["event"]) == {came.id}
    assert stayed_home.id not in done(training["event"])


def test_other_events_have_no_rule_until_the_organiser_sets_one(factory):
    event = factory.event(factory.organisation(), publish=True)
    person = factory.registration(event, factory.category(event))
    enter(services.entrance_for(event.id).id, person, event.starts_at)
    assert completion.rule_of(event) is None and completion.summary(event.id) is None and done(event) == set()
    completion.set_rule(event.id, completion.RuleDetails(CompletionRuleKind.CHECKED_IN))
    assert done(event) == {person.id}
    completion.set_rule(event.id, completion.RuleDetails(None))
    assert completion.rule_of(event) is None and db.session.get(CompletionRule, event.id) is None


def test_every_day_needs_an_entry_on_each_local_day(factory, training):
    both, first_only, second_only, undone = people(factory, training, 4)
    event = training["event"]
    completion.set_rule(event.id, completion.RuleDetails(CompletionRuleKind.EVERY_DAY))
    gate = services.entrance_for(event.id)
    for person in (both, first_only, undone):
        enter(gate.id, person, DAY_ONE)
    # Day two: a second scan on a list without exits is "already checked in", and still presence that day.
    for person in (both, second_only, undone):
        enter(gate.id, person, DAY_ONE + timedelta(days=1))
    enter(gate.id, undone, DAY_ONE + timedelta(days=1, minutes=5), Direction.UNDO)  # a wrong check-in, undone
    assert done(event) == {both.id}


def test_every_day_uses_local_days_and_an_end_at_midnight_adds_no_day(factory):
    organisation = factory.organisation()
    # 08/03 07:00 to 09/03 00:00 local: one day; a scan at 06:30 local on 08/03 is 23:30 UTC on 07/03.
    event = factory.event(organisation, publish=True, event_type=EventType.TRAINING,
                          starts_at=from_local(datetime(2027, 3, 8, 7)), ends_at=from_local(datetime(2027, 3, 9)))
    category = factory.category(event)
    early, late = (factory.registration(event, category) for _ in range(2))
    completion.set_rule(event.id, completion.RuleDetails(CompletionRuleKind.EVERY_DAY))
    gate = services.entrance_for(event.id)
    enter(gate.id, early, from_local(datetime(2027, 3, 8, 6, 30)))
    enter(gate.id, late, from_local(datetime(2027, 3, 7, 23, 30)))  # the evening before: not a day of the event
    assert completion.summary(event.id).days == 1
    assert done(event) == {early.id}


@pytest.mark.parametrize("percent, expected", [(50, {"three", "two"}), (67, {"three"}), (100, {"three"}),
                                               (1, {"three", "two", "one"})])
def test_sessions_rule_compares_sessions_attended_with_the_percentage(factory, training, percent, expected):
    event = training["event"]
    room = agenda.make_room(event)
    sessions = [agenda.make_session(event, room=room, starts_at=DAY_ONE + timedelta(hours=h)) for h in (1, 3, 5)]
    lists = [services.session_list(event.id, s.id) for s in sessions]
    cancelled = agenda.make_session(event, room=room, starts_at=DAY_ONE + timedelta(hours=7))
    services.session_list(event.id, cancelled.id)
    agenda_services().cancel_session(event.id, cancelled.id)
    one, two, three, none = people(factory, training, 4)
    for person, attended in ((one, lists[:1]), (two, lists[:2]), (three, lists)):
        for check_in_list in attended:
            enter(check_in_list.id, person, check_in_list.opens_at + timedelta(minutes=1))
    completion.set_rule(event.id, completion.RuleDetails(CompletionRuleKind.SESSIONS, percent))
    names = {one.id: "one", two.id: "two", three.id: "three", none.id: "none"}
    assert {names[i] for i in done(event)} == expected
    assert completion.summary(event.id).sessions_with_lists == 3  # the cancelled session does not count


def agenda_services():
    from eventhub.scheduling import services as scheduling

    return scheduling


def test_sessions_rule_without_session_lists_completes_nobody(factory, training):
    person, = people(factory, training, 1)
    enter(services.entrance_for(training["event"].id).id, person, DAY_ONE)
    completion.set_rule(training["event"].id, completion.RuleDetails(CompletionRuleKind.SESSIONS, 50))
    assert done(training["event"]) == set() and completion.summary(training["event"].id).sessions_with_lists == 0


@pytest.mark.parametrize("details, field", [
    (completion.RuleDetails(CompletionRuleKind.SESSIONS, None), "min_percent"),
    (completion.RuleDetails(CompletionRuleKind.SESSIONS, 0), "min_percent"),
    (completion.RuleDetails(CompletionRuleKind.SESSIONS, 101), "min_percent"),
    (completion.RuleDetails(CompletionRuleKind.EVERY_DAY, 50), "min_percent"),
    (completion.RuleDetails(None), "kind"),  # a training always has a rule
])
def test_bad_rules_are_refused_and_nothing_is_saved(training, details, field):
    with pytest.raises(ValidationFailed) as error:
        completion.set_rule(training["event"].id, details)
    assert list(error.value.fields) == [field]
    assert db.session.get(CompletionRule, training["event"].id) is None


def test_organisers_mark_and_unmark_with_a_reason_logged_with_who_and_when(factory, training):
    came, absent = people(factory, training, 2)
    event, user = training["event"], training["user"]
    enter(services.entrance_for(event.id).id, came, DAY_ONE)
    at = DAY_ONE + timedelta(days=3)
    completion.decide(event.id, absent.id, completion.Decision(True, "  Học bù  buổi chiều "), user_id=user.id, now=at)
    completion.decide(event.id, came.id, completion.Decision(False, "Về sớm"), user_id=user.id, now=at)
    assert done(event) == {absent.id}
    summary = completion.summary(event.id)
    assert (summary.completers, summary.marked_completed, summary.marked_not_completed) == (1, 1, 1)
    completion.decide(event.id, came.id, completion.Decision(None, "Nhầm người"), user_id=user.id,
                      now=at + timedelta(minutes=1))
    assert done(event) == {absent.id, came.id}
    assert db.session.get(CompletionOverride, came.id) is None
    log = completion.log_of(event.id)
    assert [(e.registration_id, e.completed, e.reason, e.user_id) for e in log] == [
        (came.id, None, "Nhầm người", user.id), (came.id, False, "Về sớm", user.id),
        (absent.id, True, "Học bù buổi chiều", user.id)]
    assert log[-1].created_at == at


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_decision_needs_a_reason_and_writes_nothing_without_one(factory, training, reason):
    person, = people(factory, training, 1)
    with pytest.raises(ValidationFailed) as error:
        completion.decide(training["event"].id, person.id, completion.Decision(True, reason), user_id=None)
    assert "reason" in error.value.fields
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompletionLog)) == 0
    assert db.session.get(CompletionOverride, person.id) is None


def test_decisions_only_for_confirmed_people_of_the_event_with_a_rule(factory, training):
    person, = people(factory, training, 1)
    other = factory.event(factory.organisation(), publish=True)
    stranger = factory.registration(other, factory.category(other))
    with pytest.raises(NotFound):
        completion.decide(training["event"].id, stranger.id, completion.Decision(True, "x"), user_id=None)
    with pytest.raises(ValidationFailed) as error:  # the other event has no rule
        completion.decide(other.id, stranger.id, completion.Decision(True, "x"), user_id=None)
    assert "decision" in error.value.fields
    registrations.cancel(person.id)
    with pytest.raises(ValidationFailed):
        completion.decide(training["event"].id, person.id, completion.Decision(True, "x"), user_id=None)


def test_a_cancelled_registration_never_completes_even_when_marked(factory, training):
    person, = people(factory, training, 1)
    completion.decide(training["event"].id, person.id, completion.Decision(True, "Học bù"), user_id=None)
    registrations.cancel(person.id)
    assert done(training["event"]) == set()


def test_the_attendee_export_has_a_completion_column_only_with_a_rule(factory, training):
    came, absent = people(factory, training, 2)
    enter(services.entrance_for(training["event"].id).id, came, DAY_ONE)
    headers, rows = exports.attendee_table(training["event"].id)
    assert headers[-1] == "Hoàn thành (Có check-in ít nhất một lần)"
    by_code = {row[0]: row[-1] for row in rows}
    assert by_code == {came.ticket_code: "Có", absent.ticket_code: "Không"}
    event = factory.event(factory.organisation(), publish=True)
    factory.registration(event, factory.category(event))
    headers, rows = exports.attendee_table(event.id)
    assert not any(h.startswith("Hoàn thành") for h in headers) and len(rows[0]) == len(headers)


def test_a_decision_racing_another_organisers_is_applied_over_it(factory, training, monkeypatch):
    person_id, event_id = people(factory, training, 1)[0].id, training["event"].id
    completion.decide(event_id, person_id, completion.Decision(True, "Học bù"), user_id=None)
    db.session.expunge_all()
    real_get, stale = db.session.get, []

    def get_before_the_other_commit(model, key, *args, **kwargs):
        if model is CompletionOverride and not stale:  # as if read just before the other organiser's commit
            stale.append(key)
            return None
        return real_get(model, key, *args, **kwargs)

    monkeypatch.setattr(db.session, "get", get_before_the_other_commit)
    completion.decide(event_id, person_id, completion.Decision(False, "Về sớm"), user_id=None)
    monkeypatch.undo()
    assert stale == [person_id]
    override = db.session.get(CompletionOverride, person_id)
    assert (override.completed, override.reason) == (False, "Về sớm")
    assert [e.reason for e in completion.log_of(event_id)] == ["Về sớm", "Học bù"]
