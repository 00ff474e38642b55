"""The demo competition: 12 entries, two closed rounds, 5 judges with one conflict, scores and published prizes."""
from eventhub.competitions import demo
from eventhub.competitions.entries import services as entries
from eventhub.competitions.judging import services as judging
from eventhub.competitions.judging.models import Assignment, JudgeConflict, RoundStatus, ScoreSave
from eventhub.competitions.results import services as results
from eventhub.extensions import db


def test_the_demo_competition_is_complete_and_loads_once(factory):
    organisation = factory.organisation()
    event = demo.load_demo_competition(organisation.id, "khoinghiep2025")
    competition = entries.get_competition(event.id)
    assert len(entries.list_entries(competition.id)) == 12
    rounds = judging.list_rounds(competition.id)
    assert [r.status for r in rounds] == [RoundStatus.CLOSED, RoundStatus.CLOSED] and results.is_held(competition.id)
    assert len(judging.list_judges(competition.id)) == 5
    (conflict,) = db.session.scalars(db.select(JudgeConflict)).all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment).where(
        Assignment.judge_id == conflict.judge_id, Assignment.entry_id == conflict.entry_id)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ScoreSave)) > 0
    assert len(judging.round_entries(rounds[1])) == 6
    winners = results.prize_winners(competition.id)
    assert [w.rank for w in winners][:3] == [1, 2, 3] and competition.results_published_at is not None
    assert demo.load_demo_competition(organisation.id, "khoinghiep2025") is None
