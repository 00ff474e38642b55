"""Every organiser, admin and API route refuses people from another organisation."""
import re

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Role
from eventhub.checkin import services as checkin_services
from eventhub.events.models import Event, EventStatus
from eventhub.extensions import db
from eventhub.registration import setup as registration_setup
from eventhub.registration.models import QuestionKind, Registration, RegistrationStatus
from tests.scheduling import factories as agenda

PROTECTED_PREFIXES = ("/manage", "/admin", "/api/v1/", "/account")
OWN_ACCOUNT_ROUTES = {"/account/password", "/account/tokens", "/api/v1/me", "/manage/", "/manage/events/new",
                      "/api/v1/events"}


def _public_api_operation(rule, method) -> bool:
    """API routes declared without token authentication (the portal, tickets, the OpenAPI document)."""
    if rule.endpoint == "api.openapi_document":
        return True
    path = re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
    operation = _operations()[path][method.lower()]
    return "security" not in operation


def _operations():
    from eventhub.api import _operations as operations
    return operations


def protected_rules(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PROTECTED_PREFIXES):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.rule.startswith("/api/") and _public_api_operation(rule, method):
                continue
            yield rule, method


@pytest.fixture
def two_organisations(factory):
    mine = factory.organisation("Sở KH&CN tỉnh A")
    theirs = factory.organisation("Sở KH&CN tỉnh B")
    owner_admin = factory.user("admin-a@example.vn", organisation=mine, role=Role.ADMIN)
    factory.user("tochuc-b@example.vn", organisation=theirs, role=Role.ADMIN)  # a co-organiser in some tests
    event = factory.event(mine, publish=True)
    category = factory.category(event)
    question = registration_setup.save_question(event.id, None, registration_setup.QuestionDetails(
        label="Trường", kind=QuestionKind.SHORT_TEXT))
    registration = factory.registration(event, category)
    entrance = checkin_services.entrance_for(event.id)
    room = agenda.make_room(event)
    agenda_session = agenda.make_session(event, room=room, track=agenda.make_track(event),
                                         speakers=[agenda.make_speaker(mine)])
    _token, record = accounts.issue_api_token(owner_admin.id, "A")
    other_token, _ = accounts.issue_api_token(
        db.session.scalar(db.select(db.Model.metadata.tables["users"].c.id).where(
            db.Model.metadata.tables["users"].c.email == "tochuc-b@example.vn")), "B")
    return {"event_id": event.id, "organisation_id": mine.id, "other_organisation_id": theirs.id,
            "membership_id": owner_admin.memberships[0].id, "user_id": owner_admin.id,
            "token_id": record.id, "other_token": other_token, "category_id": category.id,
            "question_id": question.id, "registration_id": registration.id, "batch_id": 1, "action": "approve",
            "fmt": "xlsx", "message_id": 1, "file_id": 1, "judge_id": 1, "round_id": 1, "prize_id": 1,
            "assignment_id": 1, "list_id": entrance.id, "device_id": 1, "code": "youth",
            **_booth_objects(event),
            "room_id": room.id, "track_id": agenda_session.track_id, "speaker_id": agenda_session.speakers[0].id,
            "session_id": agenda_session.id, **_report_objects(mine), **_certificate_objects(event, registration)}


def _certificate_objects(event, registration) -> dict:
    """A participation certificate of the event, for the certificate routes."""
    from eventhub.certificates import services as certificates
    from eventhub.certificates.models import CertificateKind
    from tests.checkin.gates import open_entrance

    checkin_services.scan(open_entrance(event.id).id, registration_id=registration.id,
                          scanner=checkin_services.Scanner())
    certificates.save_template(event.id, CertificateKind.PARTICIPATION, certificates.TemplateDetails(
        "Giấy chứng nhận", "Đã tham gia {event_title}.", "Nguyễn Văn An", "Giám đốc"))
    [certificate] = certificates.issue_batch(event.id, CertificateKind.PARTICIPATION, issued_by=None)
    return {"certificate_id": certificate.id, "kind": "participation", "check_ins": 1}


def _assert_certificates_untouched(values) -> None:
    from eventhub.certificates.models import Certificate, CertificateStatus, CertificateTemplate

    assert db.session.execute(db.select(Certificate.id, Certificate.status)).all() == [
        (values["certificate_id"], CertificateStatus.VALID)]
    assert db.session.scalars(db.select(CertificateTemplate.title)).all() == ["Giấy chứng nhận"]


def _booth_objects(event) -> dict:
    """A floor plan with a zone, a booth and an approved application with a document, for the booth routes."""
    from eventhub.booths.applications import documents
    from eventhub.booths.applications.models import ApplicationStatus, DocumentType
    from tests.booths import factories as booths

    plan = booths.make_plan(event)
    zone = booths.make_zone(plan)
    booth = booths.make_booth(plan, zone=zone)
    application = booths.make_application(event, status=ApplicationStatus.APPROVED)
    document = documents.add_document(application.id, application.exhibitor_id, DocumentType.OTHER, "a.pdf",
                                      b"%PDF-1.4\n%%EOF\n")
    return {"zone_id": zone.id, "booth_id": booth.id, "application_id": application.id, "document_id": document.id}


def _report_objects(organisation) -> dict:
    """A plan with a target, a supported project, a snapshot and an issued report of the organisation, for the report
    routes."""
    from datetime import UTC, date, datetime

    from eventhub.reports import plans, snapshots
    from eventhub.reports.issued import services as issued
    from eventhub.reports.models import Indicator, ReportSnapshot, SupportKind

    plan = plans.save_plan(organisation.id, None, plans.PlanDetails(year=2026, title="Kế hoạch năm 2026"))
    target = plans.save_target(plan.id, None, plans.TargetDetails(Indicator.EVENTS, 5))
    project = plans.mark_supported(organisation.id, plans.SupportedDetails(
        kind=SupportKind.STARTUP_PROJECT, name="Dự án", supported_on=date(2026, 3, 1)))
    snapshots.take_due_snapshots()
    snapshot_id = db.session.scalar(db.select(ReportSnapshot.id).where(
        ReportSnapshot.organisation_id == organisation.id).limit(1))
    report = issued.issue_period_report([organisation.id], date(2026, 1, 1), date(2026, 6, 30), issued.IssueDetails(
        number="1/BC-SKHCN", signer_name="Nguyễn Văn An", signer_title="Giám đốc"), issuer_id=organisation.id,
        issued_by_id=organisation.memberships[0].user_id, now=datetime(2026, 7, 3, tzinfo=UTC))
    return {"plan_id": plan.id, "target_id": target.id, "project_id": project.id, "snapshot_id": snapshot_id,
            "issued_id": report.id, **_plan_task_objects(plan), **_round_objects(organisation)}


def _round_objects(organisation) -> dict:
    """A reporting round the organisation opened, with its child's submission, for the round routes."""
    from datetime import UTC, date, datetime

    from eventhub.reports.rounds import services as rounds
    from eventhub.reports.rounds.models import RoundPeriod
    from tests.support import factories

    factories.organisation("UBND huyện trực thuộc A", parent_id=organisation.id)
    reporting_round = rounds.open_round(rounds.RoundDetails(organisation.id, RoundPeriod.FIRST_HALF, date(2026, 7, 15),
                                                            year=2026), opened_by_id=None,
                                        now=datetime(2026, 7, 3, tzinfo=UTC))
    return {"round_id": reporting_round.id, "submission_id": reporting_round.submissions[0].id, "value_id": 1}


def _assert_rounds_untouched(values) -> None:
    from eventhub.reports.rounds.models import ReportingRound, RoundSubmission, SubmissionStatus, SubmissionValue

    assert db.session.scalar(db.select(db.func.count(ReportingRound.id))) == 1
    assert db.session.execute(db.select(RoundSubmission.id, RoundSubmission.status, RoundSubmission.comment,
                                        RoundSubmission.late_allowed)).all() == [
        (values["submission_id"], SubmissionStatus.NOT_STARTED, None, False)]
    assert db.session.scalar(db.select(db.func.count(SubmissionValue.id))) == 0


def _plan_task_objects(plan) -> dict:
    """A task and a manual indicator with an entry in the plan, for the plan task routes."""
    from datetime import date

    from eventhub.reports.plan_tasks import services as tasks

    task = tasks.save_task(plan.id, None, tasks.TaskDetails("Nhiệm vụ A", plan.organisation_id, due_quarter=2))
    indicator = tasks.save_manual_indicator(plan.id, None, tasks.ManualIndicatorDetails("Số tin bài", "tin bài", 4))
    entry = tasks.add_entry(plan.id, indicator.id, tasks.EntryDetails(date(2026, 3, 1), 2, "https://a.vn/1",
                                                                      evidence_data=b"%PDF-1.4\n%%EOF\n"))
    return {"task_id": task.id, "indicator_id": indicator.id, "entry_id": entry.id}


def _assert_plan_tasks_untouched(values) -> None:
    from eventhub.reports.models import IndicatorEntry, ManualIndicator, PlanTask

    assert db.session.execute(db.select(PlanTask.id, PlanTask.title)).all() == [(values["task_id"], "Nhiệm vụ A")]
    assert db.session.execute(db.select(ManualIndicator.id, ManualIndicator.label)).all() == [
        (values["indicator_id"], "Số tin bài")]
    assert db.session.execute(db.select(IndicatorEntry.id, IndicatorEntry.value)).all() == [(values["entry_id"], 2)]


def url_for_rule(rule, values):
    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def test_every_protected_route_is_listed(app):
    assert len(list(protected_rules(app))) >= 20


def _walk(app, values, browser, client, allowed=frozenset()) -> int:
    """Every protected route as the signed-in user of organisation B: 403/404, except the endpoints `allowed`
    (which must answer without a server error)."""
    api_headers = {"Authorization": f"Bearer {values['other_token']}"}
    checked = 0
    for rule, method in protected_rules(app):
        if rule.rule in OWN_ACCOUNT_ROUTES or "<" not in rule.rule and not rule.rule.startswith("/admin"):
            continue
        url = url_for_rule(rule, values)
        if rule.rule.startswith("/api/"):
            response = client.open(url, method=method, json={"action": "archive", "title": "x"}, headers=api_headers)
        elif method == "GET":
            response = browser.get(url)
        else:
            response = browser.post(url, {"action": "cancel", "reason": "x", "role": "admin", "title": "x"}) \
                if method == "POST" else browser.client.open(url, method=method)
        if (rule.endpoint, method) in allowed:
            assert response.status_code < 500, f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        checked += 1
    return checked


def test_another_organisation_gets_403_or_404_everywhere(app, two_organisations, browser, client):
    browser.login("tochuc-b@example.vn")
    checked = _walk(app, two_organisations, browser, client)
    assert checked >= 12
    _assert_untouched(two_organisations)


# What an accepted co-organiser's admin may reach on the lead's event: scanning, statistics, its own people.
CO_ORGANISER_ROUTES = frozenset({
    ("checkin.lists", "GET"), ("checkin.staff", "GET"), ("checkin.open_scanner", "POST"),
    ("checkin_dashboard.dashboard", "GET"), ("checkin_dashboard.dashboard_json", "GET"),
    ("registrations.attendees", "GET"), ("registrations.delegation_list", "GET"),
    ("registrations.delegation_list", "POST"),
    ("reports_stats.event_statistics", "GET"), ("reports_stats.signin_sheet", "GET"),
    ("broadcasts.compose", "GET"), ("broadcasts.compose", "POST"),  # to the people it mobilised only
    ("api.scan", "POST"), ("api.undo", "POST"), ("api.sync", "POST"), ("api.search", "GET"),
    ("api.offline_data", "GET"), ("api.counts", "GET"), ("api.walk_in", "POST"),
})


def _co_organise(values, accept=True) -> tuple[int, int]:
    """Organisation A invites organisation B to co-organise its event; B accepts unless told not to."""
    from eventhub.events import coorganisers

    event_id, partner_id = values["event_id"], values["other_organisation_id"]
    coorganisers.sync_invitations(db.session.get(Event, event_id), [partner_id])
    db.session.commit()
    if accept:
        coorganisers.answer(event_id, partner_id, "accept")
    return event_id, partner_id


@pytest.mark.parametrize("state", ["invited", "declined", "withdrawn"])
def test_a_co_organiser_that_has_not_accepted_gets_403_or_404_everywhere(app, two_organisations, browser, client,
                                                                         factory, state):
    from eventhub.events import coorganisers

    event_id, partner_id = _co_organise(two_organisations, accept=False)
    if state == "declined":
        coorganisers.answer(event_id, partner_id, "decline")
    if state == "withdrawn":
        coorganisers.answer(event_id, partner_id, "accept")
        coorganisers.withdraw(event_id, partner_id)
    browser.login("tochuc-b@example.vn")
    assert _walk(app, two_organisations, browser, client) >= 12
    _assert_untouched(two_organisations)


def test_an_accepted_co_organiser_scans_and_reads_but_cannot_change_the_event(app, two_organisations, browser, client):
    event_id, _partner_id = _co_organise(two_organisations)
    browser.login("tochuc-b@example.vn")
    assert browser.get(f"/manage/events/{event_id}/checkin/scan").status_code == 200
    assert browser.get(f"/manage/events/{event_id}/checkin/dashboard").status_code == 200
    attendees = browser.get(f"/manage/events/{event_id}/registrations")
    assert attendees.status_code == 200
    registration = db.session.get(Registration, two_organisations["registration_id"])
    assert registration.full_name not in attendees.get_data(as_text=True)  # not one of B's people
    assert _walk(app, two_organisations, browser, client, allowed=CO_ORGANISER_ROUTES) >= 12
    _assert_untouched(two_organisations, scanned=True)


def test_withdrawing_ends_a_co_organisers_scanner_link_at_once(app, two_organisations, browser, client):
    from eventhub.checkin.models import Device
    from eventhub.events import coorganisers

    event_id, partner_id = _co_organise(two_organisations)
    browser.login("tochuc-b@example.vn")
    opened = browser.post(f"/manage/events/{event_id}/checkin/lists/{two_organisations['list_id']}/open-scanner", {})
    assert opened.status_code == 302
    token = re.search(r"token=([^&]+)", opened.headers["Location"]).group(1)
    device = db.session.scalar(db.select(Device))
    assert device.organisation_id == partner_id
    url = f"/api/v1/checkin/lists/{two_organisations['list_id']}/counts"
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    lead_person = db.session.get(Registration, two_organisations["registration_id"])
    found = client.get(f"/api/v1/checkin/lists/{two_organisations['list_id']}/search?q={lead_person.phone}",
                       headers={"Authorization": f"Bearer {token}"})
    assert found.status_code == 200 and found.get_json()["items"] == []  # the lead's people are not B's to find
    offline = client.get(f"/api/v1/checkin/lists/{two_organisations['list_id']}/offline-data",
                         headers={"Authorization": f"Bearer {token}"}).get_json()
    [ticket] = [t for t in offline["tickets"] if t["registration_id"] == lead_person.id]
    assert ticket["ticket_code"] == lead_person.ticket_code  # admitted at the door, offline too
    assert ticket["full_name"] == "" and ticket["phone_end"] is None  # but not B's to know by name
    coorganisers.withdraw(event_id, partner_id)
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    db.session.expire_all()
    assert db.session.get(Device, device.id).revoked_at is not None
    assert browser.get(f"/manage/events/{event_id}/checkin/scan").status_code == 404


def _assert_untouched(two_organisations, scanned=False) -> None:
    db.session.expire_all()
    event = db.session.get(Event, two_organisations["event_id"])
    assert event.status == EventStatus.PUBLISHED and event.title != "x"
    registration = db.session.get(Registration, two_organisations["registration_id"])
    assert registration.status == RegistrationStatus.CONFIRMED
    assert scanned or db.session.scalar(db.select(db.func.count()).select_from(
        db.metadata.tables["check_ins"])) == two_organisations["check_ins"]  # the certificate's holder came
    _assert_booths_untouched(two_organisations)
    issued = db.metadata.tables["issued_reports"]
    assert db.session.execute(db.select(issued.c.id, issued.c.number)).all() == [(two_organisations["issued_id"],
                                                                                  "1/BC-SKHCN")]
    _assert_completion_untouched()
    _assert_plan_tasks_untouched(two_organisations)
    _assert_rounds_untouched(two_organisations)

    _assert_certificates_untouched(two_organisations)
    groups = db.metadata.tables["participant_groups"]
    assert db.session.execute(db.select(groups.c.code, groups.c.name_vi).where(groups.c.code == "youth")).all() == [
        ("youth", "Thanh niên")]
    assert db.session.scalar(db.select(db.func.count()).select_from(groups)) == 8


def _assert_completion_untouched() -> None:
    from eventhub.broadcasts.models import OrganiserMessage
    from eventhub.checkin.models import CompletionLog, CompletionOverride, CompletionRule

    for model in (CompletionRule, CompletionOverride, CompletionLog, OrganiserMessage):
        assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0, model.__name__


def _assert_booths_untouched(values) -> None:
    from eventhub.booths.applications.models import ApplicationStatus, BoothApplication
    from eventhub.booths.floorplan.models import Booth, BoothStatus, BoothZone, FloorPlan

    booth = db.session.get(Booth, values["booth_id"])
    application = db.session.get(BoothApplication, values["application_id"])
    assert booth.status == BoothStatus.AVAILABLE and booth.assignment is None
    assert db.session.get(BoothZone, values["zone_id"]) is not None
    assert application.status == ApplicationStatus.APPROVED and len(application.documents) == 1
    assert db.session.get(FloorPlan, booth.plan_id).version == 0


def test_anonymous_visitors_are_sent_to_sign_in(app, two_organisations, browser):
    """With a valid CSRF token and session, so that a POST route too must prove it needs sign-in."""
    headers = {"X-CSRFToken": browser.csrf_token()}
    for rule, method in protected_rules(app):
        url = url_for_rule(rule, two_organisations)
        response = browser.client.open(url, method=method, headers=headers)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, f"{method} {url}"
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], \
                f"{method} {url} answered {response.status_code}"


def test_check_in_staff_cannot_use_organiser_routes(app, factory, browser):
    organisation = factory.organisation()
    factory.user("staff@example.vn", organisation=organisation, role=Role.CHECKIN_STAFF)
    event = factory.event(organisation)
    browser.login("staff@example.vn")
    for path in (f"/manage/events/{event.id}", f"/manage/events/{event.id}/edit", f"/manage/events/{event.id}/clone",
                 f"/manage/events/{event.id}/cancel", f"/manage/organisations/{organisation.id}/members"):
        assert browser.get(path).status_code == 403, path
    assert browser.post(f"/manage/events/{event.id}/transition", {"action": "publish"}).status_code == 403


def test_another_organisation_gets_404_on_every_competition_route(app, factory, browser, client):
    """The competition routes walked with a real competition's ids (the shared walk uses an event of another
    type), as another organisation's admin in the browser and with their token; nothing changes."""
    from eventhub.competitions.entries.models import Entry, EntryStatus
    from eventhub.competitions.judging.models import RoundStatus
    from eventhub.competitions.results import services as results
    from eventhub.competitions.results.models import PrizeKind
    from tests.competitions.factories import make_competition, make_entry, make_judge, make_round

    mine = factory.organisation("Sở KH&CN tỉnh A")
    factory.user("tochuc-b@example.vn", organisation=factory.organisation("Sở KH&CN tỉnh B"), role=Role.ADMIN)
    competition = make_competition(mine)
    entry, token = make_entry(competition)
    from eventhub.competitions.entries import services as entries
    stored = entries.add_file(token, "kh.pdf", b"%PDF-1.4\n%%EOF\n")
    judge = make_judge(competition, 1)
    round_ = make_round(competition, [judge], k=1)
    prize = results.award_prize(competition.id, entry.id, PrizeKind.FIRST)
    values = {"event_id": competition.event_id, "entry_id": entry.id, "file_id": stored.id, "judge_id": judge.id,
              "round_id": round_.id, "prize_id": prize.id}
    other_token, _ = accounts.issue_api_token(db.session.scalar(db.select(db.Model.metadata.tables["users"].c.id)
                                                                .where(db.Model.metadata.tables["users"].c.email
                                                                       == "tochuc-b@example.vn")), "B")
    browser.login("tochuc-b@example.vn")
    checked = 0
    for rule, method in protected_rules(app):
        if "/competition" not in rule.rule:
            continue
        actions = {"/rounds/<int:round_id>/<action>": ("assign", "open", "close"),
                   "/competition/<action>": ("publish", "unpublish")}
        for action in next((a for end, a in actions.items() if rule.rule.endswith(end)), [None]):
            url = url_for_rule(rule, {**values, "action": action})
            if rule.rule.startswith("/api/"):
                response = client.open(url, method=method, json={"reason": "x", "name": "x"},
                                       headers={"Authorization": f"Bearer {other_token}"})
            elif method == "GET":
                response = browser.get(url)
            else:
                response = browser.post(url, {"reason": "x", "name": "x", "entry_id": entry.id, "kind": "third"})
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 25
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).status == EntryStatus.SUBMITTED
    assert round_.status == RoundStatus.DRAFT and [p.kind for p in results.list_prizes(competition.id)] == [
        PrizeKind.FIRST]
    assert competition.results_published_at is None


def test_a_judge_opens_only_their_own_assignments(factory, browser):
    from eventhub.competitions.judging import services as judging
    from tests.competitions.factories import make_competition, make_entry, make_judge, make_round

    competition = make_competition(factory.organisation())
    entry, _token = make_entry(competition)
    judges = [make_judge(competition, n) for n in (1, 2)]
    round_ = make_round(competition, judges, k=1)
    judging.assign_round(competition.id, round_.id)
    judging.open_round(competition.id, round_.id)
    (assignment,) = [a for j in judges for a in judging.judge_assignments(j.user_id)]
    other = next(j for j in judges if j.id != assignment.judge_id)
    browser.login(other.user.email)
    assert browser.get(f"/judging/assignments/{assignment.id}").status_code == 404
    assert browser.get(f"/judging/assignments/{assignment.id}/files/1").status_code == 404
    headers = {"X-CSRFToken": browser.csrf_token()}
    response = browser.client.put(f"/judging/assignments/{assignment.id}/scores", headers=headers,
                                  json={"idempotency_key": "k-00000001", "scores": {}})
    assert response.status_code == 404 and entry.team_name not in browser.get("/judging/").get_data(as_text=True)
