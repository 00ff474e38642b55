"""A demo yearly plan with the targets the seed plans set (seed 001: five forums a year, five startup projects
supported; the issue's one training class; district startup days and a competition), the tasks of seeds 002 and
004 and two manual indicators with their entries, idempotent."""
from datetime import date

import sqlalchemy as sa

from ..events.models import Event, EventLevel, EventType
from ..extensions import db
from ..timeutil import to_local, utcnow
from . import plans
from .models import Indicator, Plan, TaskStatus
from .plan_tasks import services as tasks

DEMO_TARGETS = [
    plans.TargetDetails(Indicator.EVENTS, 5, "Diễn đàn, hội thảo khởi nghiệp chuyên sâu", "diễn đàn",
                        event_types=[EventType.WORKSHOP, EventType.TALK]),
    plans.TargetDetails(Indicator.EVENTS, 1, "Lớp tập huấn khởi nghiệp", "lớp", event_types=[EventType.TRAINING]),
    plans.TargetDetails(Indicator.EVENTS, 2, "Ngày hội khởi nghiệp cấp xã, liên xã", "ngày hội",
                        event_types=[EventType.STARTUP_DAY], levels=[EventLevel.LOCAL]),
    plans.TargetDetails(Indicator.EVENTS, 1, "Cuộc thi khởi nghiệp sáng tạo", "cuộc thi",
                        event_types=[EventType.COMPETITION]),
    plans.TargetDetails(Indicator.TRAINEES, 60),
    plans.TargetDetails(Indicator.PARTICIPANTS, 300, "Phụ nữ tham gia các hoạt động khởi nghiệp", "lượt",
                        participant_group="women"),
    plans.TargetDetails(Indicator.UNIQUE_PARTICIPANTS, 1500),
    plans.TargetDetails(Indicator.SUPPORTED_PROJECTS, 5),
]


# (title, quarter, status, outside agencies, linked event type): seed 002's training "thực hiện trong Quý II",
# seed 004's startup clubs in universities and colleges.
DEMO_TASKS = [
    ("Tổ chức 01 lớp đào tạo, huấn luyện về khởi nghiệp đổi mới sáng tạo cho các tổ chức, cá nhân trên địa bàn tỉnh",
     2, TaskStatus.DONE, "Sở Kế hoạch và Đầu tư", None),
    ("Xây dựng cơ sở dữ liệu về hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh", 3, TaskStatus.IN_PROGRESS,
     None, None),
    ("Hỗ trợ các trường đại học, cao đẳng hình thành và phát triển câu lạc bộ khởi nghiệp đổi mới sáng tạo", 4,
     TaskStatus.IN_PROGRESS, "Trường Đại học Tây Nguyên", None),
    ("Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh", 4, TaskStatus.NOT_STARTED, "Tỉnh Đoàn",
     EventType.STARTUP_DAY),
]
# (label, unit, target, entries as (month, day, value)); only the entries dated by the demo's day are written.
DEMO_MANUAL = [
    ("Số tin bài tuyên truyền về khởi nghiệp đổi mới sáng tạo", "tin bài", 24,
     [(2, 10, 4), (4, 22, 6), (7, 15, 5), (10, 5, 3)]),
    ("Số câu lạc bộ khởi nghiệp thành lập", "CLB", 3, [(3, 26, 1), (9, 5, 1)]),
]


def _load_plan_tasks(plan: Plan, today: date) -> None:
    for title, quarter, status, outside, event_type in DEMO_TASKS:
        event_ids = list(db.session.scalars(sa.select(Event.id).where(
            Event.organisation_id == plan.organisation_id, Event.event_type == event_type))) if event_type else []
        tasks.save_task(plan.id, None, tasks.TaskDetails(title, plan.organisation_id, due_quarter=quarter,
                                                         status=status, outside_agencies=outside,
                                                         event_ids=event_ids))
    for label, unit, target, entries in DEMO_MANUAL:
        indicator = tasks.save_manual_indicator(plan.id, None, tasks.ManualIndicatorDetails(label, unit, target))
        for month, day, value in entries:
            if date(plan.year, month, day) <= today:
                tasks.add_entry(plan.id, indicator.id, tasks.EntryDetails(
                    date(plan.year, month, day), value, f"https://minhchung.eventhub.local/{plan.year}/{month:02d}-{day:02d}"))


def load_demo_plan(organisation_id: int, year: int, today: date | None = None) -> bool:
    """The organisation's plan for the year with the demo targets, tasks and manual indicators (their entries
    dated by `today`); False when it already had one."""
    if db.session.scalar(sa.select(Plan.id).where(Plan.organisation_id == organisation_id, Plan.year == year)):
        return False
    plan = plans.save_plan(organisation_id, None, plans.PlanDetails(
        year=year, document_no=f"125/KH-SKHCN-{year}",
        title=f"Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo năm {year}"))
    for details in DEMO_TARGETS:
        plans.save_target(plan.id, None, details)
    _load_plan_tasks(plan, today or to_local(utcnow()).date())
    return True


# Groups the platform admin can add beside the eight of the seed plans (issue 12: "Công nhân, người lao động",
# "Vận động viên"); added once, never over a group of the same code.
DEMO_GROUPS = [("worker", "Công nhân, người lao động", "Workers and employees"),
               ("athlete", "Vận động viên", "Athletes")]


def load_demo_groups() -> int:
    """The extra participant groups that are missing (by code or Vietnamese name); how many were added."""
    from ..registration.groups import GroupDetails, add_group, participant_groups

    known = participant_groups()
    codes, names = {g.code for g in known}, {g.name_vi.casefold() for g in known}
    position = max((g.position for g in known), default=0)
    added = 0
    for code, name_vi, name_en in DEMO_GROUPS:
        if code not in codes and name_vi.casefold() not in names:
            position += 10
            add_group(code, GroupDetails(name_vi, name_en, position))
            added += 1
    return added
