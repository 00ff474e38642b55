"""Test data built through the services, so tests start from states the application can reach."""
from datetime import timedelta
from itertools import count

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Membership, OrganisationKind, Role
from eventhub.events import services as events
from eventhub.events.models import EventLevel, EventType
from eventhub.extensions import db
from eventhub.timeutil import utcnow

PASSWORD = "mat-khau-an-toan-1"
_sequence = count(1)


def organisation(name=None, **overrides):
    n = next(_sequence)
    values = dict(name=name or f"Sở Khoa học và Công nghệ số {n}", short_name=None, kind=OrganisationKind.AGENCY,
                  province="Đắk Lắk", sub_unit=None, parent_id=None)
    values.update(overrides)
    return accounts.save_organisation(None, accounts.OrganisationDetails(**values))


def user(email=None, *, organisation=None, role=Role.ORGANISER, platform_admin=False, full_name="Nguyễn Văn An"):
    created = accounts.create_user(email or f"nguoi{next(_sequence)}@example.vn", full_name, PASSWORD,
                                   is_platform_admin=platform_admin)
    if organisation is not None:
        db.session.add(Membership(user_id=created.id, organisation_id=organisation.id, role=role))
        db.session.commit()
    return created


def api_headers(user, token_name="test") -> dict:
    """The Authorization header of a new personal API token of the user."""
    token, _ = accounts.issue_api_token(user.id, token_name)
    return {"Authorization": f"Bearer {token}"}


def event_details(**overrides) -> events.EventDetails:
    start = (utcnow() + timedelta(days=30)).replace(second=0, microsecond=0)
    values = dict(title="Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh 2027", event_type=EventType.STARTUP_DAY,
                  level=EventLevel.PROVINCE, province="Đắk Lắk", venue_name="Trung tâm Hội nghị tỉnh",
                  starts_at=start, ends_at=start + timedelta(hours=9), capacity=500,
                  description_md="Trưng bày **sản phẩm OCOP**.")
    values.update(overrides)
    return events.EventDetails(**values)


def event(organisation, *, publish=False, created_by=None, **overrides):
    created = events.create_event(organisation.id, created_by.id if created_by else None, event_details(**overrides))
    if publish:
        events.apply_transition(created.id, "publish")
    return created


def category(event, name="Học sinh, sinh viên", group=None, quota=None):
    from eventhub.registration import setup

    return setup.save_category(event.id, None, setup.CategoryDetails(
        name=name, participant_group=group or "student", quota=quota))


def registrant(category, n=None, **overrides):
    from eventhub.registration import services as registration

    n = n if n is not None else next(_sequence)
    values = dict(full_name=f"Nguyễn Thị Mai {n}", category_id=category.id, email=f"mai{n}@example.vn",
                  phone=f"09{n:08d}"[-10:], consent_version=registration.current_consent().version)
    values.update(overrides)
    return registration.Registrant(**values)


def registration(event, category, n=None, **overrides):
    from eventhub.registration import services as registration_services

    return registration_services.register(event.id, registrant(category, n, **overrides))
