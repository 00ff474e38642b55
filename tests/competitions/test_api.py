"""The competitions API and pages: set-up, entering by link, jury, rounds, judges' scores, results, prizes, access."""
import threading
from datetime import timedelta

import pytest

from eventhub.accounts.models import Role
from eventhub.competitions.entries import services as entries
from eventhub.competitions.judging import services as judging
from eventhub.competitions.judging.models import Score, ScoreSave
from eventhub.events.models import EventType
from eventhub.extensions import db
from eventhub.timeutil import to_local, utcnow
from tests.competitions.factories import make_competition, make_entry, make_judge, make_round
from tests.support import factories
from tests.support.server import JsonClient


@pytest.fixture
def organiser_setup(factory):
    organisation = factory.organisation()
    organiser = factory.user("tochuc@example.vn", organisation=organisation, role=Role.ORGANISER)
    competition = make_competition(organisation)
    return competition, factories.api_headers(organiser)


def _running_round(competition, judges_count=2, entries_count=2, k=2):
    made = [make_entry(competition, n)[0] for n in range(1, entries_count + 1)]
    judges = [make_judge(competition, n) for n in range(1, judges_count + 1)]
    round_ = make_round(competition, judges, k=k)
    judging.assign_round(competition.id, round_.id)
    judging.open_round(competition.id, round_.id)
    return made, judges, round_


def test_an_organiser_sets_up_a_competition_through_the_api(client, factory):
    organisation = factory.organisation()
    headers = factories.api_headers(factory.user(organisation=organisation))
    event = factory.event(organisation, event_type=EventType.COMPETITION)
    deadline = to_local(utcnow() + timedelta(days=5)).strftime("%d/%m/%Y %H:%M")
    response = client.put(f"/api/v1/events/{event.id}/competition", headers=headers, json={
        "entry_deadline": deadline, "field_names": "Nông nghiệp\nCông nghệ", "max_team_size": 5})
    assert response.status_code == 200, response.json
    assert [f["name"] for f in response.json["fields"]] == ["Nông nghiệp", "Công nghệ"]
    bad = client.put(f"/api/v1/events/{event.id}/competition", headers=headers, json={
        "entry_deadline": "31/02/2027", "field_names": "", "max_team_size": 9})
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) >= {"entry_deadline", "max_team_size"}
    training = factory.event(organisation, event_type=EventType.TRAINING)
    refused = client.put(f"/api/v1/events/{training.id}/competition", headers=headers, json={
        "entry_deadline": deadline, "field_names": "A", "max_team_size": 5})
    assert refused.status_code == 400 and refused.json["error"]["code"] == "not_a_competition"


def test_rounds_jury_assignment_results_and_prizes_through_the_api(client, organiser_setup):
    competition, headers = organiser_setup
    base = f"/api/v1/events/{competition.event_id}/competition"
    made = [make_entry(competition, n)[0] for n in (1, 2)]
    judge = client.post(f"{base}/judges", headers=headers, json={
        "email": "gk@example.vn", "full_name": "Lê Văn Cường", "is_chair": True,
        "field_ids": [competition.fields[0].id]})
    assert judge.status_code == 201 and judge.json["first_password"]
    assert client.post(f"{base}/judges/{judge.json['id']}/conflicts", headers=headers,
                       json={"entry_id": made[1].id, "reason": "Người thân"}).status_code == 201
    created = client.post(f"{base}/rounds", headers=headers, json={
        "name": "Vòng hồ sơ", "criteria": "Tính đổi mới: 60\nThị trường: 40", "scale_max": 10,
        "judges_per_entry": 1, "rule": "top_n", "advance_count": 1, "judge_ids": [judge.json["id"]]})
    assert created.status_code == 201, created.json
    round_id = created.json["id"]
    assigned = client.post(f"{base}/rounds/{round_id}/assign", headers=headers)
    report = assigned.json["assignment_report"]
    assert report["uncovered"] == [{"entry_id": made[1].id, "eligible": 0, "conflicted": 1}]
    assert client.get(f"{base}/rounds/{round_id}/results", headers=headers).status_code == 409
    assert client.post(f"{base}/rounds/{round_id}/open", headers=headers).json["status"] == "open"
    judge_headers = factories.api_headers(db.session.get(judging.Judge, judge.json["id"]).user)
    mine = client.get("/api/v1/judging/assignments", headers=judge_headers).json
    assert [a["entry_id"] for a in mine] == [made[0].id]
    criteria = created.json["criteria"]
    saved = client.put(f"/api/v1/judging/assignments/{mine[0]['id']}/scores", headers=judge_headers, json={
        "idempotency_key": "k-000000001", "scores": {str(criteria[0]["id"]): 8, str(criteria[1]["id"]): 6}})
    assert saved.status_code == 200 and saved.json["assignment"]["completed"] and not saved.json["replayed"]
    bad = client.put(f"/api/v1/judging/assignments/{mine[0]['id']}/scores", headers=judge_headers, json={
        "idempotency_key": "k-000000002", "scores": {str(criteria[0]["id"]): "mười"}})
    assert bad.status_code == 422
    assert client.put(f"/api/v1/judging/assignments/{mine[0]['id']}/scores", headers=headers, json={
        "idempotency_key": "k-000000003", "scores": {}}).status_code == 404
    client.post(f"{base}/rounds/{round_id}/close", headers=headers)
    results = client.get(f"{base}/rounds/{round_id}/results", headers=headers).json
    assert results["results"][0]["mean"] == 7.2 and results["results"][0]["rank"] == 1 and results["tie_break"]
    assert client.post(f"{base}/rounds/{round_id}/advance", headers=headers, json={}).json == [made[0].id]
    prize = client.post(f"{base}/prizes", headers=headers, json={"entry_id": made[0].id, "kind": "first"})
    assert prize.status_code == 201 and prize.json["title"] == "Giải Nhất"
    assert client.post(f"{base}/publish", headers=headers).status_code == 200
    page = client.get(f"/competitions/{competition.event_id}/results")
    assert page.status_code == 200 and "Đội 1" in page.get_data(as_text=True)
    archive = client.get(f"{base}/nomination.zip", headers=headers)
    assert archive.status_code == 200 and archive.data[:2] == b"PK"


def test_another_organisation_and_judges_get_404(client, factory, organiser_setup):
    competition, _headers = organiser_setup
    made, judges, round_ = _running_round(competition)
    other = factories.api_headers(factory.user(organisation=factory.organisation(), role=Role.ADMIN))
    base = f"/api/v1/events/{competition.event_id}/competition"
    for path in ("", "/entries", "/rounds", "/judges", "/prizes", f"/rounds/{round_.id}/results"):
        assert client.get(base + path, headers=other).status_code == 404, path
    judge_headers = factories.api_headers(judges[0].user)
    assert client.get(base, headers=judge_headers).status_code == 404
    outsider = make_judge(competition, 9)
    assignment = judging.judge_assignments(judges[0].user_id)[0]
    assert client.put(f"/api/v1/judging/assignments/{assignment.id}/scores",
                      headers=factories.api_headers(outsider.user),
                      json={"idempotency_key": "k-000000009", "scores": {}}).status_code == 404


def test_a_team_enters_on_the_public_page_and_edits_through_its_link(browser, organiser_setup):
    competition, _headers = organiser_setup
    page = browser.get(f"/competitions/{competition.event_id}/enter")
    assert page.status_code == 200 and "Thành viên 5" in page.get_data(as_text=True)
    form = {"team_name": "Đội Cà phê", "field_id": str(competition.fields[0].id), "summary": "Cà phê",
            f"q-{competition.questions[0].id}": "Có", "submit_entry": "y",
            "m0-full_name": "Nguyễn Thị Hoa", "m0-phone": "0905123456", "m0-gender": "female",
            "m0-group_code": "student", "m0-consent": "y"}
    missing_consent = browser.post(f"/competitions/{competition.event_id}/enter", {**form, "m0-consent": ""})
    assert missing_consent.status_code == 422 and entries.list_entries(competition.id) == []
    created = browser.post(f"/competitions/{competition.event_id}/enter", form)
    assert created.status_code == 302
    link = created.headers["Location"]
    (entry,) = entries.list_entries(competition.id)
    assert entry.status.value == "submitted" and entry.members[0].phone == "0905123456"
    edited = browser.post(link, {**form, "team_name": "Đội Cà phê sạch"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert entries.list_entries(competition.id)[0].team_name == "Đội Cà phê sạch"
    competition.entry_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = browser.post(link, {**form, "team_name": "Quá hạn"})
    assert late.status_code == 409
    assert browser.get("/competitions/entry/khong-co-ma").status_code == 404


def test_a_judge_sees_only_their_entries_on_the_phone_page(browser, organiser_setup):
    competition, _headers = organiser_setup
    made, judges, round_ = _running_round(competition, judges_count=3, entries_count=2, k=1)
    judge = judges[0]
    mine = judging.judge_assignments(judge.user_id)
    theirs = [a for j in judges[1:] for a in judging.judge_assignments(j.user_id)]
    browser.login(judge.user.email)
    home = browser.get("/judging/").get_data(as_text=True)
    assert all(a.entry.team_name in home for a in mine)
    for assignment in theirs:
        assert browser.get(f"/judging/assignments/{assignment.id}").status_code == 404
    if mine:
        assert browser.get(f"/judging/assignments/{mine[0].id}").status_code == 200
    assert browser.get(f"/manage/events/{competition.event_id}/competition").status_code in (403, 404)


def test_two_judges_saving_the_same_entry_at_once_lose_nothing(server_url, organiser_setup):
    """Through the real server: two judges save the same entry at the same moment, each twice with one key."""
    competition, _headers = organiser_setup
    made, judges, round_ = _running_round(competition, judges_count=2, entries_count=1, k=2)
    tokens = [factories.api_headers(j.user) for j in judges]
    assignments = [judging.judge_assignments(j.user_id)[0].id for j in judges]
    criteria = [c.id for c in round_.criteria]
    barrier = threading.Barrier(4)
    answers, failures = [], []

    def save(index, value):
        client = JsonClient(server_url)
        try:
            client.request("GET", "/api/v1/ticket-signing-key")
            barrier.wait(timeout=60)
            answers.append((index, client.request(
                "PUT", f"/api/v1/judging/assignments/{assignments[index]}/scores",
                {"idempotency_key": f"same-key-{index}", "scores": {str(c): value for c in criteria}},
                tokens[index])))
        except BaseException as error:  # noqa: BLE001
            failures.append(error)
            barrier.abort()
        finally:
            client.close()

    threads = [threading.Thread(target=save, args=(i, v)) for i, v in ((0, 7), (0, 7), (1, 4), (1, 4))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(status for _i, (status, _body) in answers) == [200, 200, 200, 200]
    assert sorted(body["replayed"] for _i, (_s, body) in answers) == [False, False, True, True]
    db.session.expire_all()
    for index, value in ((0, 7), (1, 4)):
        scores = db.session.scalars(db.select(Score.value).where(Score.assignment_id == assignments[index])).all()
        assert scores == [value] * len(criteria)
        assert db.session.scalar(db.select(db.func.count()).select_from(ScoreSave).where(
            ScoreSave.assignment_id == assignments[index])) == 1
