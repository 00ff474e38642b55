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
    factory.user("tochuc-b@example.vn", organisation=theirs, role=Role.ADMIN)
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
    return {"event_id": event.id, "organisation_id": mine.id, "membership_id": owner_admin.memberships[0].id,
            "user_id": owner_admin.id,
            "token_id": record.id, "other_token": other_token, "category_id": category.id,
            "question_id": question.id, "registration_id": registration.id, "batch_id": 1, "action": "approve",
            "fmt": "xlsx", "message_id": 1, "list_id": entrance.id, "device_id": 1, "code": "youth",
            **_booth_objects(event),
            "room_id": room.id, "track_id": agenda_session.track_id, "speaker_id": agenda_session.speakers[0].id,
            "session_id": agenda_session.id, **_report_objects(mine)}


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
            "issued_id": report.id, **_plan_task_objects(plan)}


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


def test_another_organisation_gets_403_or_404_everywhere(app, two_organisations, browser, client):
    browser.login("tochuc-b@example.vn")
    api_headers = {"Authorization": f"Bearer {two_organisations['other_token']}"}
    checked = 0
    for rule, method in protected_rules(app):
        if rule.rule in OWN_ACCOUNT_ROUTES or "<" not in rule.rule and not rule.rule.startswith("/admin"):
            continue
        url = url_for_rule(rule, two_organisations)
        if rule.rule.startswith("/api/"):
            response = client.open(url, method=method, json={"action": "archive", "title": "x"}, headers=api_headers)
        elif method == "GET":
            response = browser.get(url)
        else:
            response = browser.post(url, {"action": "cancel", "reason": "x", "role": "admin", "title": "x"}) \
                if method == "POST" else browser.client.open(url, method=method)
        assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        checked += 1
    assert checked >= 12
    db.session.expire_all()
    event = db.session.get(Event, two_organisations["event_id"])
    assert event.status == EventStatus.PUBLISHED and event.title != "x"
    registration = db.session.get(Registration, two_organisations["registration_id"])
    assert registration.status == RegistrationStatus.CONFIRMED
    _assert_booths_untouched(two_organisations)
    issued = db.metadata.tables["issued_reports"]
    assert db.session.execute(db.select(issued.c.id, issued.c.number)).all() == [(two_organisations["issued_id"],
                                                                                  "1/BC-SKHCN")]
    _assert_completion_untouched()
    _assert_plan_tasks_untouched(two_organisations)
    groups = db.metadata.tables["participant_groups"]
    assert db.session.execute(db.select(groups.c.code, groups.c.name_vi).where(groups.c.code == "youth")).all() == [
        ("youth", "Thanh niên")]
    assert db.session.scalar(db.select(db.func.count()).select_from(groups)) == 8


def _assert_completion_untouched() -> None:
    from eventhub.checkin.models import CompletionLog, CompletionOverride, CompletionRule

    for model in (CompletionRule, CompletionOverride, CompletionLog):
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
                 f"/manage/organisations/{organisation.id}/members"):
        assert browser.get(path).status_code == 403, path
    assert browser.post(f"/manage/events/{event.id}/transition", {"action": "publish"}).status_code == 403
