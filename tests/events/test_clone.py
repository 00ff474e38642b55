"""Cloning an event copies its set-up in every module, shifted to the new dates, and nothing personal."""
from datetime import timedelta

import sqlalchemy as sa

from eventhub.booths.allocation.models import BoothAssignment
from eventhub.booths.applications.models import BoothApplication
from eventhub.booths.floorplan.models import Booth, BoothStatus, BoothType, BoothZone, FloorPlan
from eventhub.checkin import completion
from eventhub.checkin import services as checkin
from eventhub.checkin.models import CheckIn, CheckInList, CompletionRule, CompletionRuleKind, Device
from eventhub.events import services
from eventhub.extensions import db
from eventhub.registration import setup
from eventhub.registration.models import (
    Question,
    QuestionKind,
    Registration,
    RegistrationCategory,
    RegistrationMode,
    RegistrationSettings,
)
from eventhub.scheduling import services as agenda
from eventhub.scheduling.models import AgendaSession, Room, SessionSignup, Track
from tests.booths.factories import make_application, make_assignment, make_booth, make_exhibitor, make_plan, make_zone
from tests.scheduling.factories import make_room, make_session, make_speaker, make_track


def _rows(model, **where):
    return list(db.session.scalars(sa.select(model).filter_by(**where)))


def _full_event(factory):
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    setup.set_mode(event.id, RegistrationMode.REVIEWED)
    students = factory.category(event, "Sinh viên", quota=120)
    factory.category(event, "Doanh nghiệp", group="enterprise", quota=None)
    registration = factory.registration(event, students)
    setup.save_question(event.id, None, setup.QuestionDetails(
        label="Bạn biết sự kiện qua đâu?", kind=QuestionKind.SINGLE_CHOICE, options=["Zalo", "Báo"], required=True))
    room, track = make_room(event, "Hội trường A", capacity=300), make_track(event, "Chuỗi OCOP", colour="#16a34a")
    talk = make_session(event, "Khai mạc", room=room, track=track, speakers=[make_speaker(organisation)])
    cancelled = make_session(event, "Phiên bị huỷ", room=room, starts_at=event.starts_at + timedelta(hours=4))
    agenda.cancel_session(event.id, cancelled.id, "Diễn giả ốm")
    gate = checkin.save_list(event.id, None, checkin.CheckInListDetails(
        name="Cổng chính", opens_at=event.starts_at - timedelta(hours=1), closes_at=event.ends_at,
        allow_exit=True, category_ids=[students.id]))
    plan = make_plan(event, is_published=True, hall_width_m=50.0)
    zone = make_zone(plan, "Khu OCOP", booth_type=BoothType.OCOP)
    make_booth(plan, "A01", zone=zone, price_vnd=1_500_000, has_power=True)
    taken = make_booth(plan, "A02", zone=zone, booth_type=BoothType.STARTUP)
    make_booth(plan, "A03", status=BoothStatus.BLOCKED, note="Cột điện")
    application = make_application(event, make_exhibitor())
    make_assignment(taken, application)
    completion.set_rule(event.id, completion.RuleDetails(CompletionRuleKind.SESSIONS, 60))
    checkin.issue_device(gate.id, "Máy cổng 1", None)
    checkin.scan(gate.id, registration_id=registration.id, scanner=checkin.Scanner(user_id=None))
    return event, talk, gate


def test_clone_copies_every_part_of_the_set_up_and_nothing_personal(factory):
    source, talk, gate = _full_event(factory)
    start = source.starts_at + timedelta(days=365, hours=2)
    clone = services.clone_event(source.id, services.CloneDetails(
        title="Ngày hội 2028", starts_at=start, ends_at=start + (source.ends_at - source.starts_at)),
        created_by_id=None)
    shift = timedelta(days=365, hours=2)

    assert db.session.get(RegistrationSettings, clone.id).mode == RegistrationMode.REVIEWED
    categories = {c.name: c for c in _rows(RegistrationCategory, event_id=clone.id)}
    assert {n: (c.quota, c.participant_group) for n, c in categories.items()} == \
        {"Sinh viên": (120, "student"), "Doanh nghiệp": (None, "enterprise")}
    [question] = _rows(Question, event_id=clone.id)
    assert (question.label, question.kind, question.options, question.required) == \
        ("Bạn biết sự kiện qua đâu?", QuestionKind.SINGLE_CHOICE, ["Zalo", "Báo"], True)

    [room] = _rows(Room, event_id=clone.id)
    [track] = _rows(Track, event_id=clone.id)
    assert (room.name, room.capacity, track.name, track.colour) == ("Hội trường A", 300, "Chuỗi OCOP", "#16a34a")
    [session] = _rows(AgendaSession, event_id=clone.id)  # the cancelled session is not carried over
    assert (session.title, session.room_id, session.track_id) == ("Khai mạc", room.id, track.id)
    assert (session.starts_at, session.ends_at) == (talk.starts_at + shift, talk.ends_at + shift)
    assert session.speakers == []  # people are confirmed again for the new edition

    lists = _rows(CheckInList, event_id=clone.id)
    copied_gate = next(c for c in lists if c.name == "Cổng chính")
    assert (copied_gate.opens_at, copied_gate.closes_at, copied_gate.allow_exit) == \
        (gate.opens_at + shift, gate.closes_at + shift, True)
    assert [c.id for c in copied_gate.categories] == [categories["Sinh viên"].id]
    source_lists = _rows(CheckInList, event_id=source.id)
    kept = [c for c in source_lists if c.session_id in (None, talk.id)]  # not the cancelled session's own list
    assert sorted(c.name for c in lists) == sorted(c.name for c in kept)
    assert {c.session_id for c in lists} == {s and session.id for s in {c.session_id for c in kept}}

    plan = db.session.scalar(sa.select(FloorPlan).filter_by(event_id=clone.id))
    assert (plan.hall_width_m, plan.is_published, plan.version) == (50.0, False, 0)
    [zone] = _rows(BoothZone, plan_id=plan.id)
    booths = {b.code: b for b in _rows(Booth, plan_id=plan.id)}
    assert {c: (b.booth_type, b.status, b.zone_id) for c, b in booths.items()} == {
        "A01": (BoothType.OCOP, BoothStatus.AVAILABLE, zone.id),
        "A02": (BoothType.STARTUP, BoothStatus.AVAILABLE, zone.id),
        "A03": (BoothType.OCOP, BoothStatus.BLOCKED, None)}
    assert (booths["A01"].price_vnd, booths["A01"].has_power, booths["A03"].note) == (1_500_000, True, "Cột điện")

    rule = db.session.get(CompletionRule, clone.id)
    assert (rule.kind, rule.min_percent, rule.updated_by_id) == (CompletionRuleKind.SESSIONS, 60, None)

    clone_lists = [c.id for c in lists]
    assert _rows(Registration, event_id=clone.id) == []
    assert _rows(BoothApplication, event_id=clone.id) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoothAssignment).join(Booth)
                             .where(Booth.plan_id == plan.id)) == 0
    for model in (Device, CheckIn):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                 .where(model.check_in_list_id.in_(clone_lists))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionSignup)
                             .where(SessionSignup.session_id == session.id)) == 0


def test_the_source_is_untouched_by_its_clone(factory):
    source, talk, gate = _full_event(factory)
    before = (len(_rows(RegistrationCategory, event_id=source.id)), len(_rows(AgendaSession, event_id=source.id)),
              len(_rows(CheckInList, event_id=source.id)), talk.starts_at)
    start = source.starts_at + timedelta(days=7)
    services.clone_event(source.id, services.CloneDetails(title="Lần 2", starts_at=start,
                                                          ends_at=start + timedelta(hours=9)), created_by_id=None)
    db.session.expire_all()
    assert (len(_rows(RegistrationCategory, event_id=source.id)), len(_rows(AgendaSession, event_id=source.id)),
            len(_rows(CheckInList, event_id=source.id)), db.session.get(AgendaSession, talk.id).starts_at) == before
    assert len(_rows(Registration, event_id=source.id)) == 1


def test_a_clone_of_an_event_without_set_up_is_a_bare_draft(factory):
    source = factory.event(factory.organisation())
    start = source.starts_at + timedelta(days=1)
    clone = services.clone_event(source.id, services.CloneDetails(title="Bản sao", starts_at=start,
                                                                  ends_at=start + timedelta(hours=2)),
                                 created_by_id=None)
    assert _rows(RegistrationCategory, event_id=clone.id) == [] and _rows(AgendaSession, event_id=clone.id) == []
    assert db.session.scalar(sa.select(FloorPlan).filter_by(event_id=clone.id)) is None
