"""Competition services without HTTP: entries and the deadline, assignment, scoring, ranking, prizes, export."""
import io
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from eventhub.competitions.entries import services as entries
from eventhub.competitions.entries.models import EntryStatus
from eventhub.competitions.judging import services as judging
from eventhub.competitions.judging import solver
from eventhub.competitions.judging.models import AdvancementRule, RoundStatus, ScoreSave
from eventhub.competitions.results import services as results
from eventhub.competitions.results.models import PrizeKind
from eventhub.errors import DomainError, ValidationFailed
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.timeutil import utcnow
from tests.competitions.factories import entry_details, make_competition, make_entry, make_judge, make_round, member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def competition(factory):
    return make_competition(factory.organisation())


# Entries ------------------------------------------------------------------------------------------

def test_a_team_enters_edits_through_its_link_and_every_member_with_email_is_told(competition):
    entry, token = make_entry(competition, members=3, submit=False)
    assert entry.status == EntryStatus.DRAFT and len(entry.members) == 3 and entry.project.code
    assert all(m.consented_at is not None and m.consent_version for m in entry.members)
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 3
    updated = entries.update_entry(token, entry_details(competition, 1, members=2, team_name="Đội Cà phê"))
    assert updated.status == EntryStatus.SUBMITTED and updated.submitted_at and updated.team_name == "Đội Cà phê"
    assert len(updated.members) == 2 and entries.entry_for_token(token).id == entry.id


def test_the_team_size_phone_consent_and_required_answers_are_checked(competition):
    for details, field in ((entry_details(competition, members=6), "members"),
                           (entry_details(competition, members=0), "members"),
                           (entry_details(competition, members=1, answers={}), f"q-{competition.questions[0].id}")):
        if field.startswith("q-"):
            competition.questions[0].required = True
            db.session.commit()
        with pytest.raises(ValidationFailed) as failed:
            entries.start_entry(competition.id, details)
        assert field in failed.value.fields
    bad = entry_details(competition, members=1)
    bad.members = [member(1, phone="12345"), member(2, consent=False)]
    with pytest.raises(ValidationFailed) as failed:
        entries.start_entry(competition.id, bad)
    assert set(failed.value.fields) == {"members-0", "members-1"}
    assert entries.list_entries(competition.id) == []


def test_the_deadline_is_enforced_by_the_server(competition):
    entry, token = make_entry(competition)
    after = competition.entry_deadline + timedelta(seconds=1)
    for action in (lambda: entries.start_entry(competition.id, entry_details(competition, 2), now=after),
                   lambda: entries.update_entry(token, entry_details(competition, 1), now=after),
                   lambda: entries.add_file(token, "kh.pdf", PDF, now=after),
                   lambda: entries.withdraw_entry(token, now=after)):
        with pytest.raises(DomainError) as refused:
            action()
        assert refused.value.code == "deadline_passed"
    assert entries.entry_for_token(token).status == EntryStatus.SUBMITTED and len(entries.list_entries(
        competition.id)) == 1


def test_files_are_judged_by_content_and_limited(monkeypatch, competition):
    _entry, token = make_entry(competition)
    stored = entries.add_file(token, "ke-hoach.pdf", PDF)
    assert stored.media_type == "application/pdf" and entries.file_path(stored).exists()
    with pytest.raises(ValidationFailed):
        entries.add_file(token, "ke-hoach.pdf", b"<html>not a pdf</html>")
    monkeypatch.setattr(entries, "ENTRY_FILE_MAX_BYTES", 10)
    with pytest.raises(ValidationFailed):
        entries.add_file(token, "lon.pdf", PDF)


def test_a_project_persists_across_competitions(factory, competition):
    entry, _ = make_entry(competition)
    other = make_competition(factory.organisation())
    again, _ = entries.start_entry(other.id, entry_details(other, 1, project_code=entry.project.code.lower()))
    assert again.project_id == entry.project_id
    with pytest.raises(ValidationFailed):
        entries.start_entry(other.id, entry_details(other, 2, project_code="KHONGCO"))


def test_disqualification_needs_a_reason_and_withdrawn_entries_cannot_be_edited(competition):
    entry, token = make_entry(competition)
    with pytest.raises(ValidationFailed):
        entries.disqualify_entry(competition.id, entry.id, " ")
    assert entries.disqualify_entry(competition.id, entry.id, "Trùng dự án").status == EntryStatus.DISQUALIFIED
    with pytest.raises(DomainError) as refused:
        entries.update_entry(token, entry_details(competition, 1))
    assert refused.value.code == "entry_closed"


# Assignment ---------------------------------------------------------------------------------------

def _need(i, f):
    return solver.EntryNeed(i, f)


def test_assignment_covers_every_entry_with_k_judges_of_its_field_and_no_conflict():
    needs = [_need(i, 1 + i % 2) for i in range(1, 21)]
    judges = [solver.JudgeOffer(1, frozenset({1})), solver.JudgeOffer(2, frozenset({1, 2})),
              solver.JudgeOffer(3, frozenset({2})), solver.JudgeOffer(4, frozenset({1, 2}), frozenset({2, 4})),
              solver.JudgeOffer(5, frozenset({1, 2})), solver.JudgeOffer(6, frozenset({1, 2}))]
    plan = solver.assign(needs, judges, 3)
    by_judge = {j.id: j for j in judges}
    assert plan.uncovered == []
    for need in needs:
        assigned = [j for e, j in plan.pairs if e == need.id]
        assert len(assigned) == 3 and len(set(assigned)) == 3
        assert all(need.field_id in by_judge[j].field_ids and need.id not in by_judge[j].conflicts for j in assigned)
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1 and sum(plan.loads.values()) == 60


def test_assignment_is_deterministic_whatever_the_input_order():
    needs = [_need(i, None) for i in range(1, 16)]
    judges = [solver.JudgeOffer(i) for i in range(1, 8)]
    first = solver.assign(needs, judges, 3)
    again = solver.assign(list(reversed(needs)), list(reversed(judges)), 3)
    assert first.pairs == again.pairs and first.spread <= 1


def test_an_entry_that_cannot_be_covered_says_why():
    needs = [_need(1, 1), _need(2, 2)]
    judges = [solver.JudgeOffer(1, frozenset({1})), solver.JudgeOffer(2, frozenset({1}), frozenset({1})),
              solver.JudgeOffer(3, frozenset({1, 2}))]
    plan = solver.assign(needs, judges, 2)
    assert [(u.entry_id, u.eligible, u.conflicted) for u in plan.uncovered] == [(1, 2 - 0, 0)][:0] + [(2, 1, 0)]
    assert sorted(j for e, j in plan.pairs if e == 1) == [1, 3]
    conflicted = solver.assign(needs[:1], judges[:2], 2)
    assert [(u.entry_id, u.eligible, u.conflicted) for u in conflicted.uncovered] == [(1, 1, 1)]
    assert conflicted.pairs == []


def test_assign_round_stores_assignments_and_the_uncovered_reason(competition):
    entries_made = [make_entry(competition, n, field_index=n % 2)[0] for n in range(1, 7)]
    judges = [make_judge(competition, 1, field_indexes=(0, 1)), make_judge(competition, 2, field_indexes=(0,)),
              make_judge(competition, 3, field_indexes=(0, 1))]
    judging.declare_conflict(competition.id, judges[0].id, entries_made[1].id, "Người thân trong đội")
    round_ = make_round(competition, judges, k=2)
    plan = judging.assign_round(competition.id, round_.id)
    # Field 1 (index 1) has judges 1 and 3 only; judge 1 declared a conflict with entries_made[1] (field 0: n=2).
    assert all((entries_made[1].id, judges[0].id) != pair for pair in plan.pairs)
    # Judges 1 and 3 take every field-1 entry and judge 2 can have at most the three others: 2 is the best spread.
    assert round_.assignment_report["uncovered"] == [] and round_.assignment_report["spread"] == 2
    assert len(plan.pairs) == 12


# Scoring ------------------------------------------------------------------------------------------

def _scored_round(competition, scores_by_judge, k=3):
    """Entries and three judges; each judge gives each entry the same score on every criterion."""
    made = [make_entry(competition, n)[0] for n in range(1, len(next(iter(scores_by_judge.values()))) + 1)]
    judges = [make_judge(competition, n) for n in scores_by_judge]
    round_ = make_round(competition, judges, k=k)
    judging.assign_round(competition.id, round_.id)
    judging.open_round(competition.id, round_.id)
    for judge, n in zip(judges, scores_by_judge, strict=True):
        for entry, value in zip(made, scores_by_judge[n], strict=True):
            assignment = _assignment(judge, entry)
            judging.save_scores(judge.user_id, assignment.id, judging.ScoreDetails(
                {c.id: value for c in round_.criteria}, f"save-key-{judge.id}-{entry.id}"))
    return made, judges, round_


def _assignment(judge, entry):
    return next(a for a in judging.judge_assignments(judge.user_id) if a.entry_id == entry.id)


def test_weighted_score_mean_spread_outliers_and_blind_until_closed(competition):
    made = [make_entry(competition, n)[0] for n in (1, 2)]
    judges = [make_judge(competition, n) for n in (1, 2, 3)]
    round_ = make_round(competition, judges, k=3)
    judging.assign_round(competition.id, round_.id)
    judging.open_round(competition.id, round_.id)
    weights = [c.id for c in round_.criteria]  # 30/25/20/15/10
    values = {weights[0]: 10, weights[1]: 0, weights[2]: 5, weights[3]: 10, weights[4]: 0}
    judging.save_scores(judges[0].user_id, _assignment(judges[0], made[0]).id,
                        judging.ScoreDetails(values, "aaaaaaaa1"))
    for judge, value in ((judges[1], 6), (judges[2], 1)):
        judging.save_scores(judge.user_id, _assignment(judge, made[0]).id,
                            judging.ScoreDetails({c: value for c in weights}, f"bbbbbbbb{judge.id}"))
    with pytest.raises(DomainError) as blind:
        results.round_results(round_)
    assert blind.value.code == "round_open"
    judging.close_round(competition.id, round_.id)
    ranked = results.round_results(round_)
    first = next(r for r in ranked if r.entry.id == made[0].id)
    assert [j.total for j in first.judges] == [5.5, 6.0, 1.0]  # (300 + 0 + 100 + 150 + 0) / 100
    assert first.mean == pytest.approx(12.5 / 3, abs=1e-3) and first.low == 1.0 and first.high == 6.0
    assert [j.outlier for j in first.judges] == [False, False, True]
    second = next(r for r in ranked if r.entry.id == made[1].id)
    assert second.mean is None and second.missing == 3 and second.rank is None
    with pytest.raises(DomainError) as closed:
        judging.save_scores(judges[1].user_id, _assignment(judges[1], made[0]).id,
                            judging.ScoreDetails({c: 9 for c in weights}, "cccccccc1"))
    assert closed.value.code == "round_closed"


def test_a_save_repeated_with_its_key_counts_once_and_every_change_is_logged(competition):
    made, judges, round_ = _scored_round(competition, {1: [5]}, k=1)
    assignment = _assignment(judges[0], made[0])
    details = judging.ScoreDetails({c.id: 7 for c in round_.criteria}, "retry-key-1")
    first = judging.save_scores(judges[0].user_id, assignment.id, details)
    again = judging.save_scores(judges[0].user_id, assignment.id, details)
    assert not first.replayed and again.replayed and again.save.id == first.save.id
    saves = db.session.scalars(db.select(ScoreSave).where(ScoreSave.assignment_id == assignment.id)
                               .order_by(ScoreSave.id)).all()
    assert len(saves) == 2 and saves[1].previous[str(round_.criteria[0].id)] == 5.0
    assert judging.own_scores(assignment)[round_.criteria[0].id] == 7
    with pytest.raises(ValidationFailed):
        judging.save_scores(judges[0].user_id, assignment.id, judging.ScoreDetails(
            {round_.criteria[0].id: 11}, "out-of-scale"))
    other = make_judge(competition, 9)
    with pytest.raises(DomainError):
        judging.save_scores(other.user_id, assignment.id, details)


def test_a_required_comment_is_required_once_every_criterion_is_scored(competition):
    entry = make_entry(competition)[0]
    judge = make_judge(competition, 1)
    round_ = make_round(competition, [judge], k=1, require_comment=True)
    judging.assign_round(competition.id, round_.id)
    judging.open_round(competition.id, round_.id)
    assignment = _assignment(judge, entry)
    with pytest.raises(ValidationFailed) as failed:
        judging.save_scores(judge.user_id, assignment.id, judging.ScoreDetails(
            {c.id: 5 for c in round_.criteria}, "key-no-comment"))
    assert "comment" in failed.value.fields
    saved = judging.save_scores(judge.user_id, assignment.id, judging.ScoreDetails(
        {c.id: 5 for c in round_.criteria}, "key-comment", comment="Ý tưởng tốt"))
    assert saved.assignment.completed_at is not None


def test_ties_are_broken_by_the_stated_rule_and_top_n_advance(competition):
    made, _judges, round_ = _scored_round(competition, {1: [8, 8, 6], 2: [8, 8, 6], 3: [8, 8, 9]})
    judging.close_round(competition.id, round_.id)
    ranked = results.round_results(round_)
    # Entries 1 and 2 tie on everything: the earlier submission ranks first.
    assert [r.entry.id for r in ranked] == [made[0].id, made[1].id, made[2].id]
    assert ranked[1].tied_on == "submitted_at" and [r.rank for r in ranked] == [1, 2, 3]
    assert ranked[2].mean == 7.0
    chosen = results.advance(competition.id, round_.id)
    assert chosen == [made[0].id, made[1].id]
    final = make_round(competition, _judges, name="Chung kết", k=3, rule=AdvancementRule.PICK)
    assert [e.id for e in judging.round_entries(final)] == chosen


def test_pick_needs_a_reason_and_a_competition_is_held_once_its_final_round_closed(competition):
    made, judges, round_ = _scored_round(competition, {1: [8, 7]}, k=1)
    round_.rule = AdvancementRule.PICK
    db.session.commit()
    judging.close_round(competition.id, round_.id)
    assert results.is_held(competition.id)
    with pytest.raises(ValidationFailed):
        results.advance(competition.id, round_.id, picks=[made[1].id], reason="")
    assert results.advance(competition.id, round_.id, picks=[made[1].id], reason="Tiềm năng") == [made[1].id]
    final = make_round(competition, judges, name="Chung kết", k=1)
    assert not results.is_held(competition.id) and final.status == RoundStatus.DRAFT


def test_prizes_publish_winners_and_the_nomination_zip(competition):
    made, _judges, round_ = _scored_round(competition, {1: [9, 6]}, k=1)
    judging.close_round(competition.id, round_.id)
    _entry, token = made[0], None
    with pytest.raises(DomainError):
        results.publish_results(competition.id)
    results.award_prize(competition.id, made[1].id, PrizeKind.SECOND)
    results.award_prize(competition.id, made[0].id, PrizeKind.FIRST)
    assert results.published_prizes(competition.event_id) == []
    results.publish_results(competition.id, now=utcnow())
    winners = results.prize_winners(competition.id)
    assert [(w.entry_id, w.rank, w.prize_title) for w in winners] == [(made[0].id, 1, "Giải Nhất"),
                                                                      (made[1].id, 2, "Giải Nhì")]
    assert winners[0].member_names == made[0].member_names and winners[0].team_name == "Đội 1"
    assert len(results.published_prizes(competition.event_id)) == 2
    archive = zipfile.ZipFile(io.BytesIO(results.nomination_zip(competition.id)))
    assert "tong-hop.xlsx" in archive.namelist() and token is None
    sheet = load_workbook(io.BytesIO(archive.read("tong-hop.xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Đội 1" and rows[1][-1] == "Giải Nhất" and rows[1][-2] == 9.0


def test_reports_count_a_competition_as_held_once_its_final_round_closed(factory):
    from eventhub.reports import periods, plans
    from eventhub.reports.models import Indicator
    from eventhub.timeutil import to_local

    organisation = factory.organisation()
    competition = make_competition(organisation)
    made, judges, round_ = _scored_round(competition, {1: [8, 6]}, k=1)
    after = competition.event.ends_at + timedelta(days=1)
    day = to_local(after).date()

    def report():
        built = periods.build_period_report([organisation.id], day.replace(month=1, day=1), day, now=after)
        return [e.title for e in built.events], {row.code: row.achieved for row in built.indicators}

    titles, figures = report()
    assert titles == [] and figures["competition_entries"] == 0  # the event has ended, its final round is open
    judging.close_round(competition.id, round_.id, now=utcnow())
    results.award_prize(competition.id, made[0].id, PrizeKind.FIRST)
    plan = plans.save_plan(organisation.id, None, plans.PlanDetails(year=day.year, title="Kế hoạch"))
    plans.save_target(plan.id, None, plans.TargetDetails(Indicator.PRIZES_AWARDED, 3))
    titles, figures = report()
    assert titles == [competition.event.title] and figures["competition_entries"] == 2
    assert figures["prizes_awarded"] == 1
