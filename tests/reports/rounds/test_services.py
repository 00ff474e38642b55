"""Reporting rounds as services (no HTTP): opening, the child's pre-filled form, submitting (frozen and locked),
returning with a comment, the change log, the deadline, and the consolidation that counts an event once."""
from datetime import UTC, date, datetime

import pytest

from eventhub.accounts.models import Role
from eventhub.errors import DomainError, NotFound, ValidationFailed
from eventhub.events.models import EventType
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.reports import periods
from eventhub.reports.models import Indicator
from eventhub.reports.periods import report_to_json
from eventhub.reports.plan_tasks import services as plan_tasks
from eventhub.reports.rounds import services
from eventhub.reports.rounds.models import RoundPeriod, SubmissionChange, SubmissionStatus
from eventhub.reports.rounds.services import RoundDetails, SubmissionDetails, ValueDetails
from tests.reports import factories as reports

EVIDENCE = "https://huyen.example.vn/tin-bai/1"
JULY_3 = datetime(2026, 7, 3, 2, tzinfo=UTC)  # 09:00 on 03/07/2026 in Hồ Chí Minh
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def tree(factory):
    province = factory.organisation("Sở KH&CN tỉnh Đắk Lắk", short_name="SKHCN")
    districts = [factory.organisation(name, parent_id=province.id) for name in (
        "UBND huyện Cư M'gar", "UBND huyện Krông Pắc", "Tỉnh Đoàn Đắk Lắk")]
    admin = factory.user("so@example.vn", organisation=province, role=Role.ADMIN)
    organisers = [factory.user(f"huyen{n}@example.vn", organisation=d, role=Role.ORGANISER)
                  for n, d in enumerate(districts)]
    return {"province": province, "districts": districts, "admin": admin, "organisers": organisers,
            "stranger": factory.organisation("Sở KH&CN tỉnh khác")}


def _open(tree, *, deadline=date(2026, 7, 15), now=JULY_3, **extra):
    return services.open_round(RoundDetails(tree["province"].id, RoundPeriod.FIRST_HALF, deadline, year=2026,
                                            note="Gửi trước ngày 15/07", **extra),
                               opened_by_id=tree["admin"].id, now=now)


def _submission(reporting_round, organisation):
    return next(s for s in reporting_round.submissions if s.organisation_id == organisation.id)


def test_opening_a_round_makes_one_submission_per_child_and_tells_each_by_mail(tree):
    reporting_round = _open(tree)
    assert (reporting_round.starts_on, reporting_round.ends_on, reporting_round.year) == (
        date(2026, 1, 1), date(2026, 6, 30), 2026)
    assert sorted(s.organisation_id for s in reporting_round.submissions) == sorted(d.id for d in tree["districts"])
    assert {s.status for s in reporting_round.submissions} == {SubmissionStatus.NOT_STARTED}
    assert sorted(db.session.scalars(db.select(OutboxMessage.recipient))) == [
        "huyen0@example.vn", "huyen1@example.vn", "huyen2@example.vn"]
    with pytest.raises(ValidationFailed) as twice:
        _open(tree)
    assert list(twice.value.fields) == ["period"]


@pytest.mark.parametrize(("details", "field"), [
    ({"deadline": None}, "deadline"),
    ({"deadline": date(2026, 7, 2)}, "deadline"),  # before today
])
def test_a_round_needs_a_deadline_from_today(tree, details, field):
    with pytest.raises(ValidationFailed) as refused:
        _open(tree, **details)
    assert list(refused.value.fields) == [field]


def test_an_organisation_without_children_cannot_open_a_round(tree):
    with pytest.raises(ValidationFailed) as refused:
        services.open_round(RoundDetails(tree["stranger"].id, RoundPeriod.YEAR, date(2027, 1, 15), year=2026),
                            opened_by_id=None, now=JULY_3)
    assert list(refused.value.fields) == ["organisation_id"]


def test_a_custom_period_needs_both_ends(tree):
    with pytest.raises(ValidationFailed) as refused:
        services.open_round(RoundDetails(tree["province"].id, RoundPeriod.CUSTOM, date(2026, 7, 15),
                                         starts_on=date(2026, 1, 1)), opened_by_id=None, now=JULY_3)
    assert list(refused.value.fields) == ["ends_on"]


def test_the_form_is_prefilled_with_the_childs_own_period_report_and_plan(tree):
    district = tree["districts"][0]
    event = reports.held_event(district, date(2026, 5, 2), event_type=EventType.TRAINING)
    reports.people(event, "youth", 5, attended=3)
    plan = reports.make_plan(district, targets=[reports.target(Indicator.EVENTS, 4)])
    indicator = plan_tasks.save_manual_indicator(plan.id, None, plan_tasks.ManualIndicatorDetails(
        "Số tin bài tuyên truyền", "tin bài", 10))
    plan_tasks.add_entry(plan.id, indicator.id, plan_tasks.EntryDetails(date(2026, 3, 1), 6, EVIDENCE))
    plan_tasks.add_entry(plan.id, indicator.id, plan_tasks.EntryDetails(date(2026, 8, 1), 9, EVIDENCE))
    submission = _submission(_open(tree), district)
    report = services.child_report(submission, JULY_3)
    expected = periods.build_period_report([district.id], date(2026, 1, 1), date(2026, 6, 30), now=JULY_3,
                                           compare_with_snapshot=False)
    assert report_to_json(report) == report_to_json(expected)
    assert [(r.label, r.from_plan, r.value, r.saved) for r in services.value_rows(submission)] == [
        ("Số tin bài tuyên truyền", 6, 6, None)]
    # Submitting without typing the figure of an indicator with entries is refused, naming it.
    with pytest.raises(ValidationFailed) as refused:
        services.submit(submission.id, user_id=None, now=JULY_3)
    assert "Số tin bài tuyên truyền" in str(refused.value.fields["values"][0])
    assert submission.status == SubmissionStatus.NOT_STARTED


def _figures_of_one_child(tree):
    district = tree["districts"][0]
    event = reports.held_event(district, date(2026, 5, 2))
    reports.people(event, "youth", 4, attended=2)
    plan = reports.make_plan(district)
    indicator = plan_tasks.save_manual_indicator(plan.id, None, plan_tasks.ManualIndicatorDetails(
        "Số CLB khởi nghiệp thành lập", "CLB"))
    return district, event, indicator


def test_submitting_freezes_the_figures_and_locks_the_submission(tree):
    district, event, indicator = _figures_of_one_child(tree)
    submission = _submission(_open(tree), district)
    user = tree["organisers"][0].id
    with pytest.raises(ValidationFailed) as no_evidence:
        services.save_value(submission.id, indicator.id, ValueDetails(2), user_id=user, now=JULY_3)
    assert list(no_evidence.value.fields) == ["evidence_url"]
    services.save_value(submission.id, indicator.id, ValueDetails(2, evidence_data=PDF), user_id=user, now=JULY_3)
    services.save_draft(submission.id, SubmissionDetails(" Đã tổ chức 1 ngày hội "), user_id=user, now=JULY_3)
    assert submission.status == SubmissionStatus.DRAFT and submission.comment == "Đã tổ chức 1 ngày hội"
    services.submit(submission.id, user_id=user, now=JULY_3)
    assert (submission.status, submission.submitted_at) == (SubmissionStatus.SUBMITTED, JULY_3)
    frozen = submission.figures
    assert [e["event_id"] for e in frozen["report"]["events"]] == [event.id]
    assert frozen["values"][0]["value"] == 2 and frozen["values"][0]["evidence_file"]
    assert db.session.scalar(db.select(db.func.count(SubmissionChange.id))) == 0  # drafts are not logged
    # New registrations after submitting do not change what was sent, and nothing can be edited.
    reports.people(event, "youth", 3, first=50)
    assert services.submitted_report(submission).indicators == periods.report_from_json(frozen["report"]).indicators
    for edit in (lambda: services.save_draft(submission.id, SubmissionDetails("x"), user_id=user, now=JULY_3),
                 lambda: services.save_value(submission.id, indicator.id, ValueDetails(5, EVIDENCE), user_id=user,
                                             now=JULY_3),
                 lambda: services.submit(submission.id, user_id=user, now=JULY_3)):
        with pytest.raises(DomainError) as locked:
            edit()
        assert locked.value.code == "submission_locked"
    db.session.expire_all()
    assert (submission.comment, submission.values[0].value) == ("Đã tổ chức 1 ngày hội", 2)


def test_return_needs_a_comment_and_later_changes_are_logged(tree):
    district, event, indicator = _figures_of_one_child(tree)
    reporting_round = _open(tree)
    submission = _submission(reporting_round, district)
    user, admin = tree["organisers"][0].id, tree["admin"].id
    services.save_value(submission.id, indicator.id, ValueDetails(2, EVIDENCE), user_id=user, now=JULY_3)
    services.submit(submission.id, user_id=user, now=JULY_3)
    for comment in ("", "   ", None):
        with pytest.raises(ValidationFailed) as refused:
            services.return_submission(submission.id, comment, user_id=admin, now=JULY_3)
        assert list(refused.value.fields) == ["comment"]
    assert submission.status == SubmissionStatus.SUBMITTED
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    services.return_submission(submission.id, "Thiếu minh chứng CLB", user_id=admin, now=JULY_3)
    assert (submission.status, submission.return_comment) == (SubmissionStatus.RETURNED, "Thiếu minh chứng CLB")
    assert [m.recipient for m in db.session.scalars(db.select(OutboxMessage))] == ["huyen0@example.vn"]
    later = datetime(2026, 7, 20, 3, tzinfo=UTC)  # past the deadline: allowed, since it was returned
    reports.people(event, "youth", 1, attended=1, first=90)
    services.save_value(submission.id, indicator.id, ValueDetails(3, "https://huyen.example.vn/clb"), user_id=user,
                        now=later)
    services.save_draft(submission.id, SubmissionDetails("Bổ sung CLB thứ ba"), user_id=user, now=later)
    assert submission.status == SubmissionStatus.RETURNED
    services.submit(submission.id, user_id=user, now=later)
    assert submission.status == SubmissionStatus.RESUBMITTED and services.is_late(submission)
    changes = {(c.field, c.old_value, c.new_value, c.user_id) for c in submission.changes}
    assert ("Số CLB khởi nghiệp thành lập: giá trị", "2", "3", user) in changes
    assert ("Số CLB khởi nghiệp thành lập: đường dẫn minh chứng", EVIDENCE, "https://huyen.example.vn/clb",
            user) in changes
    assert ("Ý kiến của đơn vị", None, "Bổ sung CLB thứ ba", user) in changes
    assert ("Trả lại", None, "Thiếu minh chứng CLB", admin) in changes
    participants = str(Indicator.PARTICIPANTS.label)
    assert (participants, "4", "5", user) in changes  # the computed figure that moved, on resubmitting
    assert all(c.changed_at in (JULY_3, later) for c in submission.changes)
    services.accept_submission(submission.id, user_id=admin, now=later)
    assert submission.status == SubmissionStatus.ACCEPTED
    with pytest.raises(DomainError):
        services.return_submission(submission.id, "muộn", user_id=admin, now=later)
    with pytest.raises(DomainError):
        services.accept_submission(submission.id, user_id=admin, now=later)


def test_the_deadline_is_enforced_unless_the_parent_reopens(tree):
    district = tree["districts"][1]
    reporting_round = _open(tree)
    submission = _submission(reporting_round, district)
    last_minute = datetime(2026, 7, 15, 16, 59, tzinfo=UTC)  # 23:59 on the deadline day in Hồ Chí Minh
    services.save_draft(submission.id, SubmissionDetails("Nháp"), user_id=None, now=last_minute)
    too_late = datetime(2026, 7, 15, 17, 0, tzinfo=UTC)
    for late in (lambda: services.submit(submission.id, user_id=None, now=too_late),
                 lambda: services.save_draft(submission.id, SubmissionDetails("x"), user_id=None, now=too_late)):
        with pytest.raises(DomainError) as refused:
            late()
        assert refused.value.code == "deadline_passed"
    with pytest.raises(DomainError):  # accepting what was never submitted
        services.accept_submission(submission.id, user_id=None, now=too_late)
    services.reopen_submission(submission.id, now=too_late)
    services.submit(submission.id, user_id=None, now=too_late)
    assert submission.status == SubmissionStatus.SUBMITTED and services.is_late(submission)
    with pytest.raises(DomainError):
        services.reopen_submission(submission.id, now=too_late)


def test_consolidation_of_three_children_one_returned_counts_a_co_organised_event_once(tree):
    """Two districts co-organise one startup day; each also holds its own training; the third child's submission is
    returned and stays out. The province holds one event of its own."""
    province, (first, second, third) = tree["province"], tree["districts"]
    shared = reports.held_event(first, date(2026, 4, 10), co_organisers=[second], title="Ngày hội liên huyện")
    reports.people(shared, "youth", 10, attended=8)
    own_first = reports.held_event(first, date(2026, 5, 5), event_type=EventType.TRAINING)
    reports.people(own_first, "farmer", 4, attended=4)
    own_second = reports.held_event(second, date(2026, 5, 6), event_type=EventType.TRAINING)
    reports.people(own_second, "women", 6, attended=5)
    third_event = reports.held_event(third, date(2026, 5, 7))
    reports.people(third_event, "student", 20, attended=20)
    province_event = reports.held_event(province, date(2026, 6, 1), event_type=EventType.WORKSHOP)
    reports.people(province_event, "official", 3, attended=3)
    reports.make_plan(province, targets=[reports.target(Indicator.EVENTS, 10)])
    plans = {o.id: reports.make_plan(o) for o in (first, second)}
    reporting_round = _open(tree)
    for organisation, value in ((first, 3), (second, 4)):
        indicator = plan_tasks.save_manual_indicator(plans[organisation.id].id, None,
                                                     plan_tasks.ManualIndicatorDetails("Số tin bài tuyên truyền",
                                                                                       "tin bài"))
        services.save_value(_submission(reporting_round, organisation).id, indicator.id, ValueDetails(value, EVIDENCE),
                            user_id=None, now=JULY_3)
    for organisation in (first, second, third):
        services.submit(_submission(reporting_round, organisation).id, user_id=None, now=JULY_3)
    services.accept_submission(_submission(reporting_round, first).id, user_id=None, now=JULY_3)
    services.accept_submission(_submission(reporting_round, second).id, user_id=None, now=JULY_3)
    services.return_submission(_submission(reporting_round, third).id, "Số liệu chưa khớp", user_id=None,
                               now=JULY_3)

    result = services.consolidate(reporting_round.id, now=JULY_3)
    rows = {row.label: row for row in result.indicators}
    events = next(r for r in result.indicators if r.target == 10)
    # Province 1 + first 2 (shared, training) + second 2 (shared, training) = 5 by summing; 4 distinct events.
    assert events.values == (1, 2, 2) and events.total == 4 and result.event_count == 4
    participants = rows[str(Indicator.PARTICIPANTS.label)]
    assert participants.values == (3, 14, 16) and participants.total == 3 + 10 + 4 + 6
    unique = rows[str(Indicator.UNIQUE_PARTICIPANTS.label)]
    assert unique.total <= participants.total
    assert [(r.label, r.values, r.total) for r in result.manual_indicators] == [
        ("Số tin bài tuyên truyền", (None, 3, 4), 7)]
    assert [s.organisation_id for s in result.left_out] == [third.id]
    assert result.columns[1:] == tuple(o.display_name for o in (first, second))
    assert {e.event_id for e in result.report.events} == {shared.id, own_first.id, own_second.id, province_event.id}
    assert third_event.id not in {e.event_id for e in result.report.events}
    assert next(r for r in result.report.indicators if r.target == 10).achieved == 4


def test_consolidation_can_be_issued_and_reads_back(tree):
    from eventhub.reports.issued import services as issued

    district = tree["districts"][0]
    reports.held_event(district, date(2026, 5, 2))
    reporting_round = _open(tree)
    submission = _submission(reporting_round, district)
    services.submit(submission.id, user_id=None, now=JULY_3)
    services.accept_submission(submission.id, user_id=None, now=JULY_3)
    report = services.issue_consolidated(reporting_round.id, issued.IssueDetails(
        number="12/BC-SKHCN", signer_name="Nguyễn Văn An", signer_title="Giám đốc"), issued_by_id=tree["admin"].id,
        now=JULY_3)
    assert report.pdf.startswith(b"%PDF") and report.organisation_id == tree["province"].id
    assert sorted(o.id for o in report.organisations) == sorted([tree["province"].id, district.id])
    figures = issued.figures_of(report)
    assert len(figures.events) == 1 and "tổng hợp" in figures.snapshot_note


def test_access_the_parent_manages_the_child_reads_its_own_only(tree, factory):
    reporting_round = _open(tree)
    first, second = tree["districts"][:2]
    mine = _submission(reporting_round, first)
    assert services.own_submission(tree["organisers"][0], reporting_round.id, mine.id) is mine
    assert services.readable_submission(tree["admin"], reporting_round.id, mine.id) is mine
    with pytest.raises(NotFound):
        services.own_submission(tree["organisers"][1], reporting_round.id, mine.id)
    with pytest.raises(NotFound):
        services.readable_submission(tree["organisers"][1], reporting_round.id, mine.id)
    with pytest.raises(NotFound):
        services.managed_round(tree["organisers"][0], reporting_round.id)
    with pytest.raises(NotFound):
        services.own_submission(tree["organisers"][0], reporting_round.id + 1, mine.id)
    outsider = factory.user("ngoai@example.vn", organisation=tree["stranger"], role=Role.ADMIN)
    with pytest.raises(NotFound):
        services.readable_submission(outsider, reporting_round.id, mine.id)
    rounds, owed = services.rounds_of(tree["organisers"][0])
    assert rounds == [] and [s.id for s in owed] == [mine.id]
    rounds, owed = services.rounds_of(tree["admin"])
    assert [r.id for r in rounds] == [reporting_round.id] and owed == []
    assert second  # the second child's own submission is not the first's
