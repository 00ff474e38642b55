"""Participant groups the platform admin configures: offered to categories and targets, counted by reports,
retired without touching old data, codes never changed, admin-only, and the migration that made them a table."""
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from eventhub.errors import NotFound, ValidationFailed
from eventhub.extensions import db
from eventhub.forms import REQUIRED
from eventhub.registration import groups, services, setup
from eventhub.registration.forms import CategoryForm
from eventhub.registration.models import ParticipantGroup, Registration, RegistrationCategory
from eventhub.reports import periods, plans
from eventhub.reports.forms import TargetForm
from eventhub.reports.models import Indicator, PlanTarget
from tests.reports import dataset
from tests.reports import factories as reports
from tests.support import factories

SEEDED = ["student", "youth", "women", "farmer", "enterprise", "official", "lecturer", "other"]
WORKERS = groups.GroupDetails("Công nhân, người lao động", "Workers and labourers", position=75)


def _group_rows(report):
    return {row.label: (row.registrations, row.attendees, row.unique_people) for row in report.participants_by_group}


def _first_half(data):
    return periods.build_period_report([data["province"].id], date(2026, 1, 1), date(2026, 6, 30))


def _count_groups():
    return db.session.scalar(sa.select(sa.func.count()).select_from(ParticipantGroup))


def test_the_migration_seeds_todays_groups_in_their_order(app):
    assert [g.code for g in groups.participant_groups()] == SEEDED
    assert groups.get_group("farmer").name_vi == "Nông dân"
    with app.test_request_context(), force_locale("en"):
        assert groups.get_group("farmer").label == "Farmers"
    with app.test_request_context():
        assert groups.get_group("farmer").label == "Nông dân"


def test_an_added_group_is_offered_to_categories_and_targets_and_counted_in_the_report(app):
    data = dataset.build()
    groups.add_group("worker", WORKERS)
    with app.test_request_context():
        assert ("worker", "Công nhân, người lao động") in [
            (c.value, c.label) for c in CategoryForm(formdata=None).bind().participant_group.choices]
        assert "worker" in [c.value for c in TargetForm(formdata=None).bind().participant_group.choices]
    reports.people(data["workshop"], "worker", 3, attended=2, first=900)
    plan = db.session.scalar(sa.select(PlanTarget.plan_id))
    plans.save_target(plan, None, plans.TargetDetails(Indicator.PARTICIPANTS, 10, participant_group="worker"))
    report = _first_half(data)
    rows = _group_rows(report)
    assert rows["Công nhân, người lao động"] == (3, 2, 3)
    assert rows["Học sinh, sinh viên"] == (5, 3, 5)  # the others are unchanged
    assert [r.label for r in report.participants_by_group][-2:] == ["Công nhân, người lao động", "Cá nhân khác"]
    assert next(r for r in report.indicators if r.code == "participants:group=worker").achieved == 3


def test_a_retired_group_is_not_offered_but_old_data_still_reports_under_it(app):
    data = dataset.build()
    farmers = groups.get_group("farmer")
    groups.update_group("farmer", groups.GroupDetails(farmers.name_vi, farmers.name_en, farmers.position, False))
    groups.update_group("lecturer", groups.GroupDetails("Giảng viên, chuyên gia", "Lecturers and experts", 70, False))
    with app.test_request_context():
        offered = [c.value for c in CategoryForm(formdata=None).bind().participant_group.choices]
        kept = [c.value for c in CategoryForm(formdata=None).bind("farmer").participant_group.choices]
    assert "farmer" not in offered and "farmer" in kept
    rows = _group_rows(_first_half(data))
    assert rows["Nông dân"] == (4, 1, 4)  # the training's farmers still count
    assert "Giảng viên, chuyên gia" not in rows  # retired and without anyone in the period
    event = data["workshop"]
    with pytest.raises(ValidationFailed) as refused:
        setup.save_category(event.id, None, setup.CategoryDetails("Nông dân mới", "farmer"))
    assert "participant_group" in refused.value.fields
    training_farmers = next(c for c in services.categories(data["training"].id) if c.participant_group == "farmer")
    kept_category = setup.save_category(data["training"].id, training_farmers.id, setup.CategoryDetails(
        "Nông dân tham gia", "farmer"))  # renaming a category keeps its retired group
    assert kept_category.participant_group == "farmer"
    plan = db.session.scalar(sa.select(PlanTarget.plan_id))
    with pytest.raises(ValidationFailed) as refused:
        plans.save_target(plan, None, plans.TargetDetails(Indicator.PARTICIPANTS, 5, participant_group="farmer"))
    assert "participant_group" in refused.value.fields
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationCategory).where(
        RegistrationCategory.name == "Nông dân mới")) == 0


@pytest.mark.parametrize("code", ["", "w", "Worker", "công_nhân", "1worker", "worker-x", "w" * 33, " ", "youth"])
def test_bad_codes_are_refused_and_nothing_is_written(code):
    with pytest.raises(ValidationFailed) as refused:
        groups.add_group(code, WORKERS)
    assert list(refused.value.fields) == ["code"]
    assert _count_groups() == len(SEEDED)
    assert groups.get_group("youth").name_vi == "Thanh niên"


@pytest.mark.parametrize(("details", "field"), [
    (groups.GroupDetails("", "Workers"), "name_vi"),
    (groups.GroupDetails("Công nhân", "   "), "name_en"),
    (groups.GroupDetails("C" * 121, "Workers"), "name_vi"),
    (groups.GroupDetails("Công nhân", "Workers", position=-1), "position"),
    (groups.GroupDetails("Công nhân", "Workers", position=1001), "position"),
])
def test_bad_names_and_positions_are_refused(details, field):
    with pytest.raises(ValidationFailed) as refused:
        groups.add_group("worker", details)
    assert field in refused.value.fields
    with pytest.raises(ValidationFailed):
        groups.update_group("youth", details)
    db.session.expire_all()
    assert _count_groups() == len(SEEDED) and groups.get_group("youth").name_vi == "Thanh niên"


def test_unknown_groups_are_refused_by_the_services_and_the_database(app):
    event = factories.event(factories.organisation())
    with pytest.raises(ValidationFailed):
        setup.save_category(event.id, None, setup.CategoryDetails("Ai đó", "nobody"))
    with pytest.raises(NotFound):
        groups.update_group("nobody", WORKERS)
    db.session.add(RegistrationCategory(event_id=event.id, name="Trực tiếp", participant_group="nobody"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_admin_lists_adds_renames_reorders_and_retires_groups(factory, browser):
    organisation = factory.organisation()
    factory.user("admin@example.vn", platform_admin=True)
    organiser = factory.user("tochuc@example.vn", organisation=organisation)
    event = factory.event(organisation, created_by=organiser)
    browser.login("admin@example.vn")
    page = browser.get("/admin/participant-groups")
    assert page.status_code == 200 and "Cán bộ, công chức, viên chức" in page.get_data(as_text=True)
    assert browser.post("/admin/participant-groups", {"code": "athlete", "name_vi": "Vận động viên",
                                                      "name_en": "Athletes", "position": "5",
                                                      "is_active": "y"}).status_code == 302
    bad = browser.post("/admin/participant-groups", {"code": "athlete", "name_vi": "Trùng", "name_en": "Twice"})
    assert bad.status_code == 422 and "Đã có nhóm đối tượng với mã này." in bad.get_data(as_text=True)
    assert browser.post("/admin/participant-groups/athlete", {
        "code": "sportsman", "name_vi": "Vận động viên thể thao", "name_en": "Sportspeople", "position": "90"
    }).status_code == 302  # no is_active: retired; the code sent is ignored
    db.session.expire_all()
    athletes = groups.get_group("athlete")
    assert (athletes.name_vi, athletes.name_en, athletes.position, athletes.is_active) == (
        "Vận động viên thể thao", "Sportspeople", 90, False)
    assert db.session.get(ParticipantGroup, "sportsman") is None
    refused = browser.post("/admin/participant-groups/youth", {"name_vi": "", "name_en": "Youth"},
                           follow_redirects=True)
    assert str(REQUIRED) in refused.get_data(as_text=True)
    assert groups.get_group("youth").name_vi == "Thanh niên"
    assert browser.post("/admin/participant-groups/nobody", {"name_vi": "A", "name_en": "B"}).status_code == 404
    browser.logout()
    browser.login("tochuc@example.vn")
    settings = browser.get(f"/manage/events/{event.id}/registrations/settings").get_data(as_text=True)
    assert 'value="athlete"' not in settings and 'value="women"' in settings


def test_group_pages_are_for_platform_admins_only(factory, browser, client):
    organisation = factory.organisation()
    factory.user("tochuc@example.vn", organisation=organisation)
    assert client.get("/admin/participant-groups").status_code == 302  # to the login page
    browser.login("tochuc@example.vn")
    assert browser.get("/admin/participant-groups").status_code == 403
    assert browser.post("/admin/participant-groups", {"code": "athlete", "name_vi": "Vận động viên",
                                                      "name_en": "Athletes"}).status_code == 403
    assert browser.post("/admin/participant-groups/youth", {"name_vi": "X", "name_en": "X"}).status_code == 403
    assert _count_groups() == len(SEEDED) and groups.get_group("youth").name_vi == "Thanh niên"


def test_the_admin_form_needs_its_csrf_token(factory, browser):
    factory.user("admin@example.vn", platform_admin=True)
    browser.login("admin@example.vn")
    response = browser.client.post("/admin/participant-groups", data={"code": "athlete", "name_vi": "Vận động viên",
                                                                      "name_en": "Athletes"})
    assert response.status_code == 400 and db.session.get(ParticipantGroup, "athlete") is None


def test_the_migration_keeps_existing_codes_and_rows(app):
    """Down to the enum and up again with categories, registrations and targets: codes and rows stay."""
    data = dataset.build()
    province_id = data["province"].id
    before = db.session.execute(sa.select(RegistrationCategory.id, RegistrationCategory.participant_group)
                                .order_by(RegistrationCategory.id)).all()
    targets = db.session.execute(sa.select(PlanTarget.id, PlanTarget.participant_group)
                                 .order_by(PlanTarget.id)).all()
    registrations = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
    db.session.remove()
    try:
        downgrade(revision="-1")
    finally:
        upgrade()
    assert db.session.execute(sa.select(RegistrationCategory.id, RegistrationCategory.participant_group)
                              .order_by(RegistrationCategory.id)).all() == before
    assert db.session.execute(sa.select(PlanTarget.id, PlanTarget.participant_group)
                              .order_by(PlanTarget.id)).all() == targets
    assert "women" in [code for _, code in targets]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == registrations > 0
    report = periods.build_period_report([province_id], date(2026, 1, 1), date(2026, 6, 30))
    assert _group_rows(report)["Nông dân"] == (4, 1, 4)
    assert [g.code for g in groups.participant_groups()] == SEEDED
