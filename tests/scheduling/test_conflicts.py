"""The conflict service as rules, without HTTP: each conflict names the other session."""
from datetime import timedelta

import pytest

from eventhub.scheduling import services, signup
from eventhub.scheduling.conflicts import (
    OUTSIDE_EVENT,
    PARTICIPANT_OVERLAP,
    ROOM_CAPACITY,
    ROOM_OVERLAP,
    SPEAKER_OVERLAP,
    ScheduleConflict,
    Slot,
    find_conflicts,
)
from eventhub.timeutil import from_local, to_local
from tests.scheduling.factories import make_room, make_session, make_speaker, session_details

H = timedelta(hours=1)


@pytest.fixture
def event(factory):
    """A two-day event: 08:00 on the first day to 17:00 on the second, local time."""
    start = from_local(to_local(factory.event_details().starts_at).replace(hour=8, minute=0, tzinfo=None))
    return factory.event(factory.organisation(), publish=True, starts_at=start, ends_at=start + timedelta(hours=33))


@pytest.fixture
def hall(event):
    return make_room(event, "Hội trường chính", capacity=200)


def codes(check):
    return [c.code for c in check.conflicts]


def test_room_overlap_blocks_and_names_the_other_session(event, hall):
    keynote = make_session(event, "Khai mạc", room=hall, starts_at=event.starts_at, ends_at=event.starts_at + 2 * H)
    details = session_details(event, "Tọa đàm", room=hall, starts_at=event.starts_at + H)
    with pytest.raises(ScheduleConflict) as raised:
        services.create_session(event.id, details)
    [conflict] = raised.value.conflicts
    assert conflict.code == ROOM_OVERLAP and conflict.blocking and conflict.other.id == keynote.id
    assert "Khai mạc" in conflict.message and "Hội trường chính" in conflict.message
    assert to_local(keynote.starts_at).strftime("%H:%M") in conflict.message
    assert conflict.as_json()["other_session"]["title"] == "Khai mạc"
    assert len(services.sessions(event.id)) == 1


@pytest.mark.parametrize("offset", [-H, 2 * H])
def test_touching_intervals_are_not_conflicts(event, hall, offset):
    make_session(event, room=hall, starts_at=event.starts_at + H, ends_at=event.starts_at + 2 * H)
    start = event.starts_at + H + offset
    services.create_session(event.id, session_details(event, room=hall, starts_at=start, ends_at=start + H))
    assert len(services.sessions(event.id)) == 2


@pytest.mark.parametrize("start,end", [(0, 4), (1.5, 1.75), (0.5, 1.5), (1.5, 3)])
def test_every_kind_of_overlap_is_found(event, hall, start, end):
    make_session(event, "Phiên A", room=hall, starts_at=event.starts_at + H, ends_at=event.starts_at + 2 * H)
    slot = Slot(event.starts_at + start * H, event.starts_at + end * H, hall.id)
    assert codes(find_conflicts(event, slot)) == [ROOM_OVERLAP]


def test_cancelled_sessions_and_other_rooms_do_not_conflict(event, hall):
    other_room = make_room(event, "Phòng A")
    cancelled = make_session(event, room=hall)
    services.cancel_session(event.id, cancelled.id, "Diễn giả ốm")
    make_session(event, room=other_room)
    assert codes(find_conflicts(event, session_details(event, room=hall).slot)) == []


def test_moving_a_session_does_not_conflict_with_itself(event, hall):
    session = make_session(event, room=hall, starts_at=event.starts_at, ends_at=event.starts_at + 2 * H)
    details = services.SessionDetails.of(session).moved(starts_at=event.starts_at + H, ends_at=event.starts_at + 3 * H,
                                                        room_id=hall.id)
    moved = services.update_session(event.id, session.id, details)
    assert moved.starts_at == event.starts_at + H and moved.sequence == 1


def test_speaker_overlap_across_the_organisations_events(factory, event, hall):
    trainer = make_speaker(event.organisation, "ThS. Lê Thị Hoa")
    other_event = factory.event(event.organisation, title="Tập huấn khởi nghiệp xanh", starts_at=event.starts_at,
                                ends_at=event.ends_at)
    elsewhere = make_session(other_event, "Kỹ năng thuyết trình", room=make_room(other_event, "Phòng B"),
                             speakers=[trainer])
    details = session_details(event, room=hall, speakers=[trainer], starts_at=elsewhere.starts_at + H / 2)
    with pytest.raises(ScheduleConflict) as raised:
        services.create_session(event.id, details)
    [conflict] = raised.value.conflicts
    assert conflict.code == SPEAKER_OVERLAP and conflict.other.id == elsewhere.id
    for part in ("ThS. Lê Thị Hoa", "Kỹ năng thuyết trình", "Phòng B", "Tập huấn khởi nghiệp xanh"):
        assert part in conflict.message


def test_speaker_of_another_organisation_is_unknown(factory, event):
    stranger = make_speaker(factory.organisation(), "Người ngoài")
    with pytest.raises(services.ValidationFailed) as raised:
        services.create_session(event.id, session_details(event, speakers=[stranger]))
    assert "speaker_ids" in raised.value.fields


def test_speaker_in_consecutive_sessions_is_fine(event, hall):
    trainer = make_speaker(event.organisation)
    make_session(event, room=hall, speakers=[trainer], starts_at=event.starts_at, ends_at=event.starts_at + H)
    make_session(event, room=make_room(event), speakers=[trainer], starts_at=event.starts_at + H)
    assert len(services.sessions(event.id)) == 2


@pytest.mark.parametrize("start,end", [(-9, -8), (-8.5, 1), (39.5, 40.5), (40, 41)])
def test_outside_the_event_days_blocks(event, start, end):
    """The event runs from 08:00 on day one (hour 0) to 17:00 on day two; its days end at hour 40."""
    details = session_details(event, starts_at=event.starts_at + start * H, ends_at=event.starts_at + end * H)
    with pytest.raises(ScheduleConflict) as raised:
        services.create_session(event.id, details)
    assert [c.code for c in raised.value.conflicts] == [OUTSIDE_EVENT]


def test_any_time_on_the_event_days_is_inside(event):
    """Multi-day: evening, overnight (23:00–02:00), early morning and up to midnight of the last day are inside."""
    day_one_evening = event.starts_at + 11 * H  # 19:00
    day_two_morning = event.starts_at + 23 * H  # 07:00 next day
    make_session(event, "Giao lưu buổi tối", starts_at=day_one_evening, ends_at=day_one_evening + 2 * H)
    make_session(event, "Cà phê khởi nghiệp", starts_at=day_two_morning, ends_at=day_two_morning + H)
    make_session(event, "Hackathon xuyên đêm", starts_at=event.starts_at + 15 * H, ends_at=event.starts_at + 18 * H)
    make_session(event, "Dọn gian hàng", starts_at=event.starts_at + 39 * H, ends_at=event.starts_at + 40 * H)
    assert len(services.sessions(event.id)) == 4


def test_capacity_above_the_room_is_a_warning_to_confirm(event):
    small = make_room(event, "Phòng tập huấn A", capacity=30)
    details = session_details(event, room=small, capacity=40, signup_required=True)
    with pytest.raises(ScheduleConflict) as raised:
        services.create_session(event.id, details)
    [warning] = raised.value.conflicts
    assert warning.code == ROOM_CAPACITY and not warning.blocking and raised.value.code == "schedule_warning"
    assert "40" in warning.message and "30" in warning.message
    saved = services.create_session(event.id, details, confirm_warnings=True)
    assert saved.capacity == 40


def test_confirming_warnings_never_lets_a_blocking_conflict_through(event, hall):
    make_session(event, room=hall)
    with pytest.raises(ScheduleConflict) as raised:
        services.create_session(event.id, session_details(event, room=hall, capacity=500), confirm_warnings=True)
    assert [c.code for c in raised.value.conflicts] == [ROOM_OVERLAP]


def test_all_conflicts_are_reported_together(event, hall):
    trainer = make_speaker(event.organisation)
    make_session(event, "Phiên A", room=hall, speakers=[trainer])
    details = session_details(event, room=hall, speakers=[trainer], capacity=999)
    assert sorted(codes(find_conflicts(event, details.slot))) == sorted([ROOM_OVERLAP, SPEAKER_OVERLAP,
                                                                         ROOM_CAPACITY])


def test_moving_a_session_warns_about_participants_with_other_sessions_then(factory, event, hall):
    category = factory.category(event)
    person = factory.registration(event, category)
    workshop = make_session(event, "Workshop gọi vốn", room=hall, signup_required=True)
    later = make_session(event, "Lập kế hoạch kinh doanh", room=make_room(event, "Phòng C"), signup_required=True,
                         starts_at=workshop.ends_at)
    signup.sign_up(workshop.id, person.id)
    signup.sign_up(later.id, person.id)
    details = services.SessionDetails.of(workshop).moved(starts_at=later.starts_at, ends_at=later.ends_at,
                                                         room_id=hall.id)
    with pytest.raises(ScheduleConflict) as raised:
        services.update_session(event.id, workshop.id, details)
    [warning] = raised.value.conflicts
    assert warning.code == PARTICIPANT_OVERLAP and not warning.blocking and "Lập kế hoạch kinh doanh" in warning.message
    assert services.update_session(event.id, workshop.id, details, confirm_warnings=True).starts_at == later.starts_at
