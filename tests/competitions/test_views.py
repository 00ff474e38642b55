"""The organiser's competition pages through the browser client: set-up, jury, rounds, results, prizes, export."""
import io
import zipfile
from datetime import timedelta

import pytest

from eventhub.accounts.models import Role
from eventhub.competitions.entries import services as entries
from eventhub.competitions.judging import services as judging
from eventhub.competitions.judging.models import JudgeConflict, RoundStatus
from eventhub.competitions.results import services as results
from eventhub.events.models import EventType
from eventhub.extensions import db
from eventhub.timeutil import to_local, utcnow
from tests.competitions.factories import make_competition, make_entry


@pytest.fixture
def organiser(factory, browser):
    organisation = factory.organisation()
    factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    browser.login("tochuc@example.vn")
    return organisation


def test_an_organiser_sets_up_a_competition_on_its_page(factory, browser, organiser):
    event = factory.event(organiser, publish=True, event_type=EventType.COMPETITION)
    page = f"/manage/events/{event.id}/competition"
    assert browser.get(page).status_code == 200
    deadline = to_local(utcnow() + timedelta(days=9)).strftime("%d/%m/%Y %H:%M")
    bad = browser.post(page, {"entry_deadline": "hôm qua", "field_names": "", "max_team_size": "6"})
    assert bad.status_code == 422 and entries.competition_for_event(event.id) is None
    saved = browser.post(page, {"entry_deadline": deadline, "field_names": "Nông nghiệp\nCông nghệ",
                                "questions": "Đã có khách hàng?", "max_team_size": "4"})
    assert saved.status_code == 302
    competition = entries.competition_for_event(event.id)
    assert [f.name for f in competition.fields] == ["Nông nghiệp", "Công nghệ"] and competition.max_team_size == 4
    assert "Cuộc thi" in browser.get(page).get_data(as_text=True)


def test_jury_rounds_results_prizes_and_export_pages(browser, organiser):
    competition = make_competition(organiser)
    made = [make_entry(competition, n)[0] for n in (1, 2, 3)]
    base = f"/manage/events/{competition.event_id}/competition"
    assert browser.get(f"{base}/judges/new").status_code == 200
    assert browser.post(f"{base}/judges/new", {"email": "moi@example.vn", "full_name": "",
                                               "field_ids": str(competition.fields[0].id)}).status_code == 422
    added = browser.post(f"{base}/judges/new", {"email": "moi@example.vn", "full_name": "Đỗ Thị Mai",
                                                "is_chair": "y", "field_ids": str(competition.fields[0].id)})
    assert added.status_code == 302
    judge = judging.list_judges(competition.id)[0]
    assert judge.is_chair and judge.user.must_change_password
    assert browser.get(f"{base}/judges/{judge.id}/conflicts").status_code == 200
    assert browser.post(f"{base}/judges/{judge.id}/conflicts", {"entry_id": str(made[2].id),
                                                                "reason": "Người thân"}).status_code == 302
    assert db.session.get(JudgeConflict, (judge.id, made[2].id)).reason == "Người thân"
    assert browser.get(f"{base}/rounds/new").status_code == 200
    bad = browser.post(f"{base}/rounds/new", {"name": "Vòng 1", "criteria": "Đổi mới 30", "scale_max": "10",
                                              "judges_per_entry": "1", "rule": "top_n", "advance_count": "2"})
    assert bad.status_code == 422 and judging.list_rounds(competition.id) == []
    assert browser.post(f"{base}/rounds/new", {
        "name": "Vòng 1", "criteria": "Đổi mới: 60\nThị trường: 40", "scale_max": "10", "judges_per_entry": "1",
        "rule": "top_n", "advance_count": "2", "judge_ids": str(judge.id)}).status_code == 302
    (round_,) = judging.list_rounds(competition.id)
    assert browser.post(f"{base}/rounds/{round_.id}/assign", {}).status_code == 302
    page = browser.get(base).get_data(as_text=True)
    assert f"Bài #{made[2].id} chưa đủ giám khảo" in page
    assert browser.post(f"{base}/rounds/{round_.id}/open", {}).status_code == 302
    assert browser.post(f"{base}/rounds/{round_.id}/nonsense", {}).status_code == 404
    assert browser.get(f"{base}/rounds/{round_.id}").status_code == 200
    assert browser.post(f"{base}/rounds/{round_.id}", {"name": "x", "criteria": "A: 1", "scale_max": "10",
                                                       "judges_per_entry": "1", "rule": "top_n",
                                                       "advance_count": "1"}).status_code == 409
    db.session.expire_all()  # the pages changed the round in their own requests
    for assignment in judging.judge_assignments(judge.user_id):
        judging.save_scores(judge.user_id, assignment.id, judging.ScoreDetails(
            {c.id: 5 + assignment.entry_id % 3 for c in round_.criteria}, f"view-key-{assignment.id}"))
    assert browser.get(f"{base}/rounds/{round_.id}/results").status_code == 409
    assert browser.post(f"{base}/rounds/{round_.id}/close", {}).status_code == 302
    db.session.expire_all()
    assert judging.get_round(competition.id, round_.id).status == RoundStatus.CLOSED
    shown = browser.get(f"{base}/rounds/{round_.id}/results")
    assert shown.status_code == 200 and "Bằng điểm trung bình" in shown.get_data(as_text=True)
    assert browser.post(f"{base}/rounds/{round_.id}/results", {}).status_code == 302
    assert browser.post(f"{base}/prizes", {"entry_id": str(made[0].id), "kind": "first"}).status_code == 302
    assert browser.post(f"{base}/publish", {}).status_code == 302
    db.session.expire_all()
    assert results.published_prizes(competition.event_id)[0].entry_id == made[0].id
    archive = browser.get(f"{base}/nomination.zip")
    assert archive.status_code == 200 and "tong-hop.xlsx" in zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert browser.post(f"{base}/unpublish", {}).status_code == 302
    db.session.expire_all()
    assert results.published_prizes(competition.event_id) == []
    prize = results.list_prizes(competition.id)[0]
    assert browser.post(f"{base}/prizes/{prize.id}/delete", {}).status_code == 302
    db.session.expire_all()
    assert results.list_prizes(competition.id) == []
    assert browser.post(f"{base}/entries/{made[1].id}/disqualify", {"reason": ""}).status_code == 302
    assert browser.post(f"{base}/entries/{made[1].id}/disqualify", {"reason": "Sao chép"}).status_code == 302
    db.session.expire_all()
    assert entries.get_entry(competition.id, made[1].id).disqualified_reason == "Sao chép"
