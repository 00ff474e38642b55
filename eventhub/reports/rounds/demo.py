"""The demo's reporting round: the department asks its two communes for the last finished half-year; one answer
is accepted (with a manual figure and its evidence), the other submitted and waiting; the consolidation is issued.
Idempotent: nothing is written when the department already has a round for that half-year."""
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ...extensions import db
from ...timeutil import to_local
from .. import plans
from ..issued.services import IssueDetails
from ..models import Plan
from ..plan_tasks import services as plan_tasks
from . import services
from .models import ReportingRound, RoundPeriod

COMMUNE_FIGURES = ("Số tin bài tuyên truyền về khởi nghiệp đổi mới sáng tạo", "tin bài", 6)


def demo_period(today: date) -> tuple[RoundPeriod, int]:
    """The last half-year that is over by today."""
    return (RoundPeriod.FIRST_HALF, today.year) if today.month > 6 else (RoundPeriod.SECOND_HALF, today.year - 1)


def _commune_plan(organisation_id: int, year: int, day: date) -> int:
    """The commune's plan for the year with one manual indicator and an entry on `day`; the indicator's id."""
    plan_id = db.session.scalar(sa.select(Plan.id).where(Plan.organisation_id == organisation_id, Plan.year == year))
    if plan_id is None:
        plan_id = plans.save_plan(organisation_id, None, plans.PlanDetails(
            year=year, title=f"Kế hoạch hỗ trợ khởi nghiệp đổi mới sáng tạo năm {year}")).id
    plan = db.session.get(Plan, plan_id)
    label, unit, value = COMMUNE_FIGURES
    indicator = next((i for i in plan.manual_indicators if i.label == label), None)
    if indicator is None:
        indicator = plan_tasks.save_manual_indicator(plan.id, None, plan_tasks.ManualIndicatorDetails(label, unit, 10))
        plan_tasks.add_entry(plan.id, indicator.id, plan_tasks.EntryDetails(
            day, value, f"https://minhchung.eventhub.local/{year}/xa-{organisation_id}"))
    return indicator.id


def load_demo_round(parent_id: int, *, organiser_id: int | None, now: datetime) -> bool:
    """False when the round was already there (or the department has fewer than two child organisations)."""
    today = to_local(now).date()
    period, year = demo_period(today)
    children = services.child_organisations(parent_id)
    if len(children) < 2 or db.session.scalar(sa.select(ReportingRound.id).where(
            ReportingRound.organisation_id == parent_id, ReportingRound.period == period,
            ReportingRound.year == year)):
        return False
    reporting_round = services.open_round(services.RoundDetails(
        parent_id, period, today + timedelta(days=14), year=year,
        note="Đề nghị các đơn vị rà soát số liệu sự kiện và bổ sung minh chứng các chỉ tiêu nhập tay."),
        opened_by_id=organiser_id, now=now)
    accepted, waiting = reporting_round.submissions[:2]
    for submission in (accepted, waiting):
        indicator_id = _commune_plan(submission.organisation_id, year, reporting_round.starts_on + timedelta(days=40))
        services.save_value(submission.id, indicator_id, services.ValueDetails(
            COMMUNE_FIGURES[2], f"https://minhchung.eventhub.local/{year}/bao-cao-{submission.organisation_id}"),
            user_id=None, now=now)
        services.save_draft(submission.id, services.SubmissionDetails(
            "Đơn vị đã tổ chức tuyên truyền trên trang thông tin điện tử và loa truyền thanh."), user_id=None, now=now)
        services.submit(submission.id, user_id=None, now=now)
    services.accept_submission(accepted.id, user_id=organiser_id, now=now)
    if organiser_id is not None:
        services.issue_consolidated(reporting_round.id, IssueDetails(
            number=f"{today:%m}{today:%d}/BC-SKHCN", signer_name="Nguyễn Thị Hồng Nhung",
            signer_title="KT. Giám đốc - Phó Giám đốc"), issued_by_id=organiser_id, now=now)
    return True
