"""A demo yearly plan with the targets the seed plans set (seed 001: five forums a year, five startup projects
supported; the issue's one training class; district startup days and a competition), idempotent."""
import sqlalchemy as sa

from ..events.models import EventLevel, EventType
from ..extensions import db
from . import plans
from .models import Indicator, Plan

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


def load_demo_plan(organisation_id: int, year: int) -> bool:
    """The organisation's plan for the year with the demo targets; False when it already had one."""
    if db.session.scalar(sa.select(Plan.id).where(Plan.organisation_id == organisation_id, Plan.year == year)):
        return False
    plan = plans.save_plan(organisation_id, None, plans.PlanDetails(
        year=year, document_no=f"125/KH-SKHCN-{year}",
        title=f"Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo năm {year}"))
    for details in DEMO_TARGETS:
        plans.save_target(plan.id, None, details)
    return True
