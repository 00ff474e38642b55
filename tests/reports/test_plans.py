"""Plans, targets, tags and supported projects as services (no HTTP)."""
from datetime import date

import pytest

from eventhub.errors import NotFound, ValidationFailed
from eventhub.events.models import EventType
from eventhub.forms import form_schema
from eventhub.reports import periods, plans
from eventhub.reports.demo import DEMO_TARGETS, load_demo_plan
from eventhub.reports.forms import PlanForm, TargetForm
from eventhub.reports.models import Indicator, SupportKind
from tests.reports import factories as reports


def test_tags_are_normalised_and_replaced_in_one_go(factory):
    event = reports.held_event(factory.organisation(), date(2026, 3, 10))
    assert plans.parse_tags(" Khởi  nghiệp XANH ,, OCOP, ocop") == ["khởi nghiệp xanh", "ocop"]
    plans.set_event_tags(event.id, ["OCOP", "Nông nghiệp"])
    assert plans.tags_of(event.id) == ["nông nghiệp", "ocop"]
    with pytest.raises(ValidationFailed):
        plans.set_event_tags(event.id, [f"thẻ {n}" for n in range(21)])
    assert plans.tags_of(event.id) == ["nông nghiệp", "ocop"]
    plans.set_event_tags(event.id, [])
    assert plans.tags_of(event.id) == []


def test_one_plan_per_organisation_and_year(factory):
    organisation = factory.organisation()
    plan = plans.save_plan(organisation.id, None, plans.PlanDetails(year=2026, title="  Kế hoạch   2026 "))
    assert plan.title == "Kế hoạch 2026"
    with pytest.raises(ValidationFailed) as error:
        plans.save_plan(organisation.id, None, plans.PlanDetails(year=2026, title="Lặp"))
    assert "year" in error.value.fields
    with pytest.raises(ValidationFailed):
        plans.save_plan(organisation.id, None, plans.PlanDetails(year=1999, title="Cũ"))
    with pytest.raises(NotFound):
        plans.save_plan(factory.organisation().id, plan.id, plans.PlanDetails(year=2027, title="Của đơn vị khác"))
    assert plans.list_plans(organisation.id) == [plan]


def test_target_defaults_and_checks(factory):
    plan = reports.make_plan(factory.organisation())
    target = plans.save_target(plan.id, None, plans.TargetDetails(
        Indicator.EVENTS, 5, event_types=[EventType.WORKSHOP, EventType.TALK], tags=["Xanh"]))
    assert (target.label, target.unit, target.event_types, target.tags) == (
        "Số sự kiện tổ chức", "sự kiện", ["talk", "workshop"], ["xanh"])
    with pytest.raises(ValidationFailed) as error:
        plans.save_target(plan.id, None, plans.TargetDetails(Indicator.EVENTS, -1, label="x" * 201))
    assert set(error.value.fields) == {"target_value", "label"}
    with pytest.raises(NotFound):
        plans.get_target(reports.make_plan(factory.organisation()).id, target.id)


def test_supported_projects_count_in_their_period_and_organisation_tree(factory):
    province = factory.organisation()
    district = factory.organisation(parent_id=province.id)
    event = reports.held_event(district, date(2026, 4, 1))
    plans.mark_supported(district.id, plans.SupportedDetails(SupportKind.EXHIBITOR, "HTX cà phê", date(2026, 4, 1),
                                                             event_id=event.id))
    plans.mark_supported(province.id, plans.SupportedDetails(SupportKind.STARTUP_PROJECT, "Dự án", date(2025, 12, 31)))
    with pytest.raises(ValidationFailed):
        plans.mark_supported(province.id, plans.SupportedDetails(SupportKind.STARTUP_PROJECT, " ", date(2026, 1, 1)))
    report = periods.build_period_report([province.id], date(2026, 1, 1), date(2026, 12, 31))
    rows = {row.code: row for row in report.indicators}
    assert (rows["supported_projects"].achieved, rows["supported_projects"].previous) == (1, 1)


def test_demo_plan_is_loaded_once(factory):
    organisation = factory.organisation()
    assert load_demo_plan(organisation.id, 2026) is True
    assert load_demo_plan(organisation.id, 2026) is False
    report = periods.build_period_report([organisation.id], date(2026, 1, 1), date(2026, 12, 31))
    targeted = [row for row in report.indicators if row.target is not None]
    assert len(targeted) == len(DEMO_TARGETS)
    assert {row.label: row.target for row in targeted}["Diễn đàn, hội thảo khởi nghiệp chuyên sâu"] == 5


def test_plan_and_target_bounds_are_the_service_s_and_the_form_s(app, factory):
    organisation = factory.organisation()
    for year in (plans.MIN_PLAN_YEAR - 1, plans.MAX_PLAN_YEAR + 1):
        with pytest.raises(ValidationFailed) as error:
            plans.save_plan(organisation.id, None, plans.PlanDetails(year=year, title="Ngoài khoảng"))
        assert "year" in error.value.fields
    plan = plans.save_plan(organisation.id, None, plans.PlanDetails(year=plans.MAX_PLAN_YEAR, title="Xa"))
    with pytest.raises(ValidationFailed) as error:
        plans.save_target(plan.id, None, plans.TargetDetails(Indicator.EVENTS, plans.MAX_TARGET_VALUE + 1))
    assert "target_value" in error.value.fields
    assert plans.save_target(plan.id, None, plans.TargetDetails(Indicator.EVENTS, plans.MAX_TARGET_VALUE)) \
        .target_value == plans.MAX_TARGET_VALUE
    with app.test_request_context():
        plan_schema, target_schema = form_schema(PlanForm)["properties"], form_schema(TargetForm)["properties"]
    assert (plan_schema["year"]["minimum"], plan_schema["year"]["maximum"]) == (plans.MIN_PLAN_YEAR,
                                                                                plans.MAX_PLAN_YEAR)
    assert target_schema["target_value"]["maximum"] == plans.MAX_TARGET_VALUE
    assert (target_schema["label"]["maxLength"], target_schema["unit"]["maxLength"]) == (plans.MAX_LABEL_LENGTH,
                                                                                         plans.MAX_UNIT_LENGTH)
