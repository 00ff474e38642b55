"""Plan tasks and manual indicators as services (no HTTP), and how the period report shows them."""
from datetime import UTC, date, datetime

import pytest

from eventhub.errors import NotFound, ValidationFailed
from eventhub.extensions import db
from eventhub.reports import periods
from eventhub.reports.models import IndicatorEntry, PlanTask, TaskStatus
from eventhub.reports.plan_tasks import services
from eventhub.reports.plan_tasks.services import EntryDetails, ManualIndicatorDetails, TaskDetails
from tests.reports import factories as reports

EVIDENCE = "https://skhcn.example.vn/tin-bai/1"


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def tree(factory):
    province = factory.organisation("Sở KH&CN")
    district = factory.organisation("UBND huyện Cư M'gar", parent_id=province.id)
    return {"province": province, "district": district, "plan": reports.make_plan(province),
            "stranger": factory.organisation("Hội Doanh nhân trẻ")}


@pytest.mark.parametrize(("quarter", "due"), [(1, date(2026, 3, 31)), (2, date(2026, 6, 30)),
                                              (3, date(2026, 9, 30)), (4, date(2026, 12, 31))])
def test_a_quarter_is_due_on_its_last_day_in_the_plan_year(tree, quarter, due):
    task = services.save_task(tree["plan"].id, None, TaskDetails(
        "Tổ chức Ngày hội khởi nghiệp", tree["province"].id, due_quarter=quarter))
    assert (task.due_on, task.due_quarter) == (due, quarter)
    assert services.due_label(task) == f"Quý {services.QUARTER_NAMES[quarter]} năm 2026"


@pytest.mark.parametrize(("now", "status", "overdue"), [
    (_utc(2026, 6, 30, 16, 59), TaskStatus.NOT_STARTED, False),   # 23:59 on 30/06 in Hồ Chí Minh: still in time
    (_utc(2026, 6, 30, 17, 0), TaskStatus.NOT_STARTED, True),     # 00:00 on 01/07 local
    (_utc(2026, 6, 30, 17, 0), TaskStatus.IN_PROGRESS, True),
    (_utc(2026, 6, 30, 17, 0), TaskStatus.POSTPONED, True),
    (_utc(2026, 6, 30, 17, 0), TaskStatus.DONE, False),
    (_utc(2026, 1, 1), TaskStatus.NOT_STARTED, False),
])
def test_overdue_once_the_due_day_has_passed_in_vietnam_and_not_done(now, status, overdue):
    assert services.is_overdue(date(2026, 6, 30), status, now) is overdue


def test_task_organisations_and_events_come_from_the_plan_tree(tree):
    plan, province, district, stranger = tree["plan"], tree["province"], tree["district"], tree["stranger"]
    own_event = reports.held_event(district, date(2026, 4, 2))
    other_event = reports.held_event(stranger, date(2026, 4, 2))
    task = services.save_task(plan.id, None, TaskDetails(
        "  Hỗ trợ   CLB khởi nghiệp ", district.id, due_on=date(2026, 5, 15), status=TaskStatus.IN_PROGRESS,
        co_organisation_ids=[province.id, district.id], outside_agencies=" Trường Đại học Tây Nguyên ",
        event_ids=[own_event.id], note="Ghi chú"))
    assert task.title == "Hỗ trợ CLB khởi nghiệp"
    assert [o.id for o in task.co_organisations] == [province.id]  # the lead is not its own co-operator
    assert (task.outside_agencies, [e.id for e in task.events]) == ("Trường Đại học Tây Nguyên", [own_event.id])
    with pytest.raises(ValidationFailed) as error:
        services.save_task(plan.id, task.id, TaskDetails("", stranger.id, co_organisation_ids=[stranger.id],
                                                         event_ids=[other_event.id]))
    assert set(error.value.fields) == {"title", "due_on", "lead_organisation_id", "co_organisation_ids",
                                       "event_ids"}
    db.session.expire_all()
    assert db.session.get(PlanTask, task.id).title == "Hỗ trợ CLB khởi nghiệp"  # nothing half-written


@pytest.mark.parametrize(("due_on", "quarter", "field"), [(None, None, "due_on"), (date(2026, 5, 1), 2, "due_on"),
                                                          (None, 5, "due_quarter")])
def test_a_task_has_either_a_date_or_a_quarter(tree, due_on, quarter, field):
    with pytest.raises(ValidationFailed) as error:
        services.save_task(tree["plan"].id, None, TaskDetails("Nhiệm vụ", tree["province"].id, due_on=due_on,
                                                              due_quarter=quarter))
    assert list(error.value.fields) == [field]
    assert db.session.scalar(db.select(db.func.count(PlanTask.id))) == 0


def test_tasks_of_another_plan_are_not_found(tree, factory):
    task = services.save_task(tree["plan"].id, None, TaskDetails("N", tree["province"].id, due_quarter=1))
    other = reports.make_plan(factory.organisation())
    with pytest.raises(NotFound):
        services.get_task(other.id, task.id)
    with pytest.raises(NotFound):
        services.delete_task(other.id, task.id)


def test_entries_need_a_day_of_the_plan_year_a_non_negative_value_and_a_web_address(tree):
    indicator = services.save_manual_indicator(tree["plan"].id, None, ManualIndicatorDetails(
        " Số tin bài  tuyên truyền ", "tin bài", 40))
    assert indicator.label == "Số tin bài tuyên truyền"
    for details, field in ((EntryDetails(date(2025, 12, 31), 3, EVIDENCE), "entry_on"),
                           (EntryDetails(date(2026, 3, 1), -1, EVIDENCE), "value"),
                           (EntryDetails(date(2026, 3, 1), 1, "javascript:alert(1)"), "evidence_url"),
                           (EntryDetails(date(2026, 3, 1), 1, "ftp://x.vn/a"), "evidence_url"),
                           (EntryDetails(date(2026, 3, 1), 1, "   "), "evidence_url")):
        with pytest.raises(ValidationFailed) as error:
            services.add_entry(tree["plan"].id, indicator.id, details)
        assert list(error.value.fields) == [field]
    assert db.session.scalar(db.select(db.func.count(IndicatorEntry.id))) == 0
    with pytest.raises(ValidationFailed) as error:
        services.save_manual_indicator(tree["plan"].id, None, ManualIndicatorDetails("", "", -1))
    assert set(error.value.fields) == {"label", "unit", "target_value"}


def test_the_period_report_sums_entries_inside_the_period_and_marks_overdue_tasks(tree):
    plan, province = tree["plan"], tree["province"]
    articles = services.save_manual_indicator(plan.id, None, ManualIndicatorDetails("Số tin bài", "tin bài", 40))
    services.save_manual_indicator(plan.id, None, ManualIndicatorDetails("Số CLB khởi nghiệp", "CLB"))
    for day, value in ((date(2026, 1, 1), 5), (date(2026, 6, 30), 7), (date(2026, 7, 1), 100)):
        services.add_entry(plan.id, articles.id, EntryDetails(day, value, EVIDENCE))
    services.save_task(plan.id, None, TaskDetails("Quý II", province.id, due_quarter=2))
    services.save_task(plan.id, None, TaskDetails("Xong", province.id, due_quarter=1, status=TaskStatus.DONE))
    services.save_task(plan.id, None, TaskDetails("Cuối năm", province.id, due_on=date(2026, 12, 20)))
    reports.make_plan(province, 2025)  # another year's plan shows nothing here

    report = periods.build_period_report([province.id], date(2026, 1, 1), date(2026, 6, 30),
                                         now=_utc(2026, 7, 2))
    assert [(r.label, r.target, r.achieved, r.percent) for r in report.manual_indicators] == [
        ("Số tin bài", 40, 12, 30.0), ("Số CLB khởi nghiệp", None, 0, None)]
    assert [(t.title, t.due, t.overdue) for t in report.tasks] == [
        ("Xong", "Quý I năm 2026", False), ("Quý II", "Quý II năm 2026", True), ("Cuối năm", "20/12/2026", False)]
    year = periods.build_period_report([province.id], date(2026, 1, 1), date(2026, 12, 31), now=_utc(2026, 6, 1))
    assert year.manual_indicators[0].achieved == 112
    assert [t.overdue for t in year.tasks] == [False, False, False]


def test_report_json_round_trips_and_older_json_without_the_plan_still_reads(tree):
    plan, province = tree["plan"], tree["province"]
    services.save_task(plan.id, None, TaskDetails("Quý II", province.id, due_quarter=2,
                                                  event_ids=[reports.held_event(province, date(2026, 2, 2)).id]))
    indicator = services.save_manual_indicator(plan.id, None, ManualIndicatorDetails("Số tin bài", "tin bài", 4))
    services.add_entry(plan.id, indicator.id, EntryDetails(date(2026, 2, 2), 3, EVIDENCE))
    report = periods.build_period_report([province.id], date(2026, 1, 1), date(2026, 6, 30), now=_utc(2026, 7, 2))
    payload = periods.report_to_json(report)
    assert payload["tasks"][0]["due_on"] == "2026-06-30" and payload["tasks"][0]["overdue"] is True
    assert periods.report_from_json(payload) == report
    older = {k: v for k, v in payload.items() if k not in ("tasks", "manual_indicators")}
    assert periods.report_from_json(older).tasks == () and periods.report_from_json(older).manual_indicators == ()


def test_the_demo_plan_has_the_seed_tasks_and_two_manual_indicators_with_entries_by_its_day(factory):
    from eventhub.reports.demo import DEMO_TASKS, load_demo_plan

    organisation = factory.organisation()
    assert load_demo_plan(organisation.id, 2026, today=date(2026, 12, 4)) is True
    report = periods.build_period_report([organisation.id], date(2026, 1, 1), date(2026, 12, 31),
                                         now=_utc(2026, 12, 4, 3))
    assert len(report.tasks) == len(DEMO_TASKS)
    training = report.tasks[0]
    assert (training.due, training.status, training.overdue) == ("Quý II năm 2026", "done", False)
    assert "Sở Kế hoạch và Đầu tư" in training.co_operating
    assert [t.overdue for t in report.tasks] == [False, True, False, False]  # Quý III not done by 04/12
    assert [(m.achieved, m.target) for m in report.manual_indicators] == [(18, 24), (2, 3)]
    early = factory.organisation()
    load_demo_plan(early.id, 2026, today=date(2026, 3, 1))
    early_report = periods.build_period_report([early.id], date(2026, 1, 1), date(2026, 12, 31),
                                               now=_utc(2026, 3, 1))
    assert [m.achieved for m in early_report.manual_indicators] == [4, 0]  # only 10/02 is dated by 01/03
