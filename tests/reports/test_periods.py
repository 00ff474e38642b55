"""Period reports built from the services, no HTTP."""
from datetime import date

import pytest

from eventhub.errors import NotFound, ValidationFailed
from eventhub.events.models import EventType
from eventhub.reports import periods
from tests.reports import dataset
from tests.reports import factories as reports


def _rows(report):
    return {row.code: row for row in report.indicators}


@pytest.fixture
def data():
    return dataset.build()


def test_quick_periods_and_previous_period():
    assert periods.quick_period("first_half", 2026) == (date(2026, 1, 1), date(2026, 6, 30))
    assert periods.quick_period("second_half", 2026) == (date(2026, 7, 1), date(2026, 12, 31))
    assert periods.quick_period("year", 2026) == (date(2026, 1, 1), date(2026, 12, 31))
    assert periods.previous_period(date(2024, 2, 29), date(2024, 12, 31)) == (date(2023, 2, 28), date(2023, 12, 31))


def test_first_half_counts_the_tree_and_co_organised_events_once(data):
    report = periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 6, 30))
    assert [e.title for e in report.events] == ["Diễn đàn khởi nghiệp xanh", "Tập huấn lập kế hoạch kinh doanh",
                                               "Cuộc thi ý tưởng khởi nghiệp"]
    rows = _rows(report)
    assert rows["events"].achieved == 3 and rows["events"].target is None and rows["events"].percent is None
    assert rows["participants"].achieved == 14
    assert rows["attendees"].achieved == 6
    assert rows["unique_participants"].achieved == 10  # farmers #1–4 are students #1–4 again
    assert rows["competition_entries"].achieved == 3
    assert rows["supported_projects"].achieved == 1 and rows["supported_projects"].target == 5
    assert rows["supported_projects"].percent == 20.0
    assert (rows["exhibitors"].achieved, rows["ocop_products"].achieved) == (1, 3)
    by_type = {row.label: (row.value, row.previous) for row in report.events_by_type}
    assert by_type[str(EventType.WORKSHOP.label)] == (1, 1)
    assert by_type[str(EventType.FAIR.label)] == (0, 0)
    assert sum(v for v, _ in by_type.values()) == 3
    groups = {row.label: (row.registrations, row.attendees, row.unique_people) for row in report.participants_by_group}
    assert groups["Học sinh, sinh viên"] == (5, 3, 5)
    assert groups["Nông dân"] == (4, 1, 4)
    assert groups["Thanh niên"] == (0, 0, 0)
    assert report.organisations == ("Sở KH&CN Đắk Lắk",)
    competition = next(e for e in report.events if e.title.startswith("Cuộc thi"))
    assert competition.organisation == "Hội Doanh nhân trẻ tỉnh" and competition.registrations == 3


def test_targets_with_filters_and_percentages(data):
    rows = _rows(periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 6, 30)))
    assert rows["events:type=workshop"].label == "Diễn đàn khởi nghiệp"
    assert rows["events:type=workshop"].unit == "diễn đàn"
    assert (rows["events:type=workshop"].achieved, rows["events:type=workshop"].target) == (1, 5)
    assert rows["events:type=workshop"].percent == 20.0
    assert rows["events:type=workshop"].previous == 1
    assert (rows["trainees"].achieved, rows["trainees"].target, rows["trainees"].percent) == (2, 10, 20.0)
    assert (rows["participants:group=women"].achieved, rows["participants:group=women"].percent) == (2, 50.0)
    assert (rows["events:tag=khởi nghiệp xanh"].achieved, rows["events:tag=khởi nghiệp xanh"].target) == (1, 2)


def test_previous_period_is_the_same_dates_a_year_earlier(data):
    report = periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 6, 30))
    assert (report.previous_starts_on, report.previous_ends_on) == (date(2025, 1, 1), date(2025, 6, 30))
    rows = _rows(report)
    assert (rows["events"].previous, rows["participants"].previous, rows["attendees"].previous) == (1, 2, 1)


def test_the_district_alone_and_outside_organisation(data):
    district = _rows(periods.build_period_report([data["district"].id], date(2026, 1, 1), date(2026, 12, 31)))
    assert district["events"].achieved == 2  # its training and the competition it co-organised
    assert district["trainees"].target == 2 and district["trainees"].percent == 100.0
    assert district["supported_projects"].achieved == 1
    association = periods.build_period_report([data["association"].id], date(2026, 1, 1), date(2026, 12, 31))
    assert [e.title for e in association.events] == ["Hội chợ OCOP", "Cuộc thi ý tưởng khởi nghiệp"]


def test_several_organisations_sum_their_plans_and_count_events_once(data):
    both = periods.build_period_report([data["province"].id, data["district"].id, data["district"].id],
                                       date(2026, 1, 1), date(2026, 12, 31))
    rows = _rows(both)
    assert rows["events"].achieved == 4  # the talk in August joins the three of the first half
    assert rows["trainees"].target == 12 and rows["trainees"].achieved == 2
    assert rows["supported_projects"].achieved == 2
    assert len(both.organisations) == 2


def test_a_range_across_years_takes_the_plan_of_the_year_it_ends_in(data):
    rows = _rows(periods.build_period_report([data["province"].id], date(2025, 7, 1), date(2026, 6, 30)))
    assert rows["trainees"].target == 10
    rows = _rows(periods.build_period_report([data["province"].id], date(2025, 1, 1), date(2025, 12, 31)))
    assert rows["trainees"].target is None and rows["events"].achieved == 1


def test_bad_periods_and_unknown_organisations_are_refused(data):
    with pytest.raises(ValidationFailed) as error:
        periods.build_period_report([data["province"].id], date(2026, 6, 30), date(2026, 1, 1))
    assert "ends_on" in error.value.fields
    with pytest.raises(ValidationFailed):
        periods.build_period_report([data["province"].id], date(2020, 1, 1), date(2026, 1, 1))
    with pytest.raises(NotFound):
        periods.build_period_report([data["province"].id, 999_999], date(2026, 1, 1), date(2026, 6, 30))


def test_report_round_trips_through_json(data):
    report = periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 6, 30))
    assert periods.report_from_json(periods.report_to_json(report)) == report


def test_reportable_organisations_are_the_users_and_below(data, factory):
    from eventhub.accounts.models import Role

    officer = factory.user(organisation=data["province"], role=Role.ORGANISER)
    district_user = factory.user(organisation=data["district"], role=Role.ADMIN)
    staff = factory.user(organisation=data["province"], role=Role.CHECKIN_STAFF)
    assert {o.id for o in periods.reportable_organisations(officer)} == {data["province"].id, data["district"].id}
    assert [o.id for o in periods.reportable_organisations(district_user)] == [data["district"].id]
    assert periods.reportable_organisations(staff) == []
    periods.require_report_access(officer, [data["district"].id])
    with pytest.raises(NotFound):
        periods.require_report_access(district_user, [data["province"].id])
    with pytest.raises(ValidationFailed):
        periods.require_report_access(officer, [])


def test_trainees_count_completers_or_attendees_as_the_target_chooses_never_registrations(factory):
    from eventhub.checkin import completion
    from eventhub.checkin.models import CompletionRuleKind
    from eventhub.reports import plans
    from eventhub.reports.models import Indicator, TraineeBasis

    organisation = factory.organisation()
    training = reports.held_event(organisation, date(2026, 4, 15), event_type=EventType.TRAINING)
    women = reports.people(training, "women", 5, attended=3)
    reports.people(training, "farmer", 2, attended=2, first=50)
    completion.decide(training.id, women[0].id, completion.Decision(False, "Về sớm"), user_id=None)
    for woman in women[3:]:
        completion.decide(training.id, woman.id, completion.Decision(True, "Học bù"), user_id=None)
    workshop = reports.held_event(organisation, date(2026, 4, 16), event_type=EventType.WORKSHOP)
    reports.people(workshop, "women", 4, attended=4, first=80)
    reports.make_plan(organisation, 2026, targets=[
        reports.target(Indicator.TRAINEES, 10),
        reports.target(Indicator.TRAINEES, 10, trainee_basis=TraineeBasis.ATTENDEES),
        reports.target(Indicator.TRAINEES, 10, participant_group="women"),
        reports.target(Indicator.TRAINEES, 10, event_types=[EventType.TRAINING, EventType.WORKSHOP]),
    ])
    rows = _rows(periods.build_period_report([organisation.id], date(2026, 1, 1), date(2026, 12, 31)))
    # Completers: women 2, 3 (checked in), 4, 5 (marked) and both farmers; woman 1 came but was marked not completed.
    assert rows["trainees"].achieved == 6
    assert rows["trainees:basis=attendees"].achieved == 5  # everyone checked in: 3 women and 2 farmers
    assert rows["trainees:group=women"].achieved == 4
    # The workshop has no rule: nobody completes it until its organiser sets one.
    assert rows["trainees:type=training,workshop"].achieved == 6
    completion.set_rule(workshop.id, completion.RuleDetails(CompletionRuleKind.CHECKED_IN))
    rows = _rows(periods.build_period_report([organisation.id], date(2026, 1, 1), date(2026, 12, 31)))
    assert rows["trainees:type=training,workshop"].achieved == 10 and rows["trainees"].achieved == 6
    with pytest.raises(ValidationFailed) as error:
        plans.save_target(plans.list_plans(organisation.id)[0].id, None, plans.TargetDetails(
            Indicator.PARTICIPANTS, 5, trainee_basis=TraineeBasis.ATTENDEES))
    assert list(error.value.fields) == ["trainee_basis"]
