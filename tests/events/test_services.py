import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from eventhub.accounts.models import Role
from eventhub.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from eventhub.events import services
from eventhub.events.api import EventApiForm
from eventhub.events.models import CoOrganiserStatus, Event, EventStatus, EventType, Visibility
from eventhub.extensions import db
from eventhub.forms import form_schema
from eventhub.text import render_markdown, slugify
from eventhub.timeutil import from_local, utcnow


def png_bytes(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_new_event_is_a_draft_with_a_readable_unique_slug(factory):
    organisation = factory.organisation()
    first = factory.event(organisation, title="Ngày hội Khởi nghiệp Đổi mới Sáng tạo tỉnh 2027")
    second = factory.event(organisation, title="Ngày hội Khởi nghiệp Đổi mới Sáng tạo tỉnh 2027")
    assert first.status == EventStatus.DRAFT
    assert first.slug == "ngay-hoi-khoi-nghiep-doi-moi-sang-tao-tinh-2027"
    assert second.slug == "ngay-hoi-khoi-nghiep-doi-moi-sang-tao-tinh-2027-2"


def test_slug_gets_the_year_when_the_title_has_none(factory):
    start = from_local(__import__("datetime").datetime(2027, 3, 8, 8, 0))
    event = factory.event(factory.organisation(), title="Tập huấn khởi nghiệp xanh", starts_at=start,
                          ends_at=start + timedelta(hours=8))
    assert event.slug == "tap-huan-khoi-nghiep-xanh-2027"


@pytest.mark.parametrize("overrides, field", [
    ({"ends_at_offset": timedelta(hours=-1)}, "ends_at"),
    ({"ends_at_offset": timedelta(0)}, "ends_at"),
    ({"registration": (timedelta(days=-2), timedelta(days=-3))}, "registration_closes_at"),
    ({"registration": (None, timedelta(days=2))}, "registration_closes_at"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": services.MAX_CAPACITY + 1}, "capacity"),
])
def test_inconsistent_details_are_refused_field_by_field(factory, overrides, field):
    organisation = factory.organisation()
    details = factory.event_details()
    if "ends_at_offset" in overrides:
        details.ends_at = details.starts_at + overrides["ends_at_offset"]
    if "registration" in overrides:
        opens, closes = overrides["registration"]
        details.registration_opens_at = details.starts_at + opens if opens is not None else None
        details.registration_closes_at = details.ends_at + closes
    if "capacity" in overrides:
        details.capacity = overrides["capacity"]
    with pytest.raises(ValidationFailed) as error:
        services.create_event(organisation.id, None, details)
    assert field in error.value.fields
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_the_event_form_and_the_service_share_the_capacity_bounds(app, factory):
    organisation = factory.organisation()
    assert factory.event(organisation, capacity=services.MAX_CAPACITY).capacity == services.MAX_CAPACITY
    with app.test_request_context():
        capacity = form_schema(EventApiForm)["properties"]["capacity"]
    assert (capacity["minimum"], capacity["maximum"]) == (services.MIN_CAPACITY, services.MAX_CAPACITY)


def test_co_organisers_must_exist_and_differ_from_the_owner(factory):
    owner, partner = factory.organisation(), factory.organisation()
    event = factory.event(owner, co_organiser_ids=[partner.id])
    assert event.co_organisers == []  # invited, not yet accepted
    assert [(c.organisation_id, c.status) for c in event.co_organiser_invitations] == [
        (partner.id, CoOrganiserStatus.INVITED)]
    for bad in ([owner.id], [partner.id, 99999]):
        with pytest.raises(ValidationFailed) as error:
            factory.event(owner, co_organiser_ids=bad)
        assert "co_organiser_ids" in error.value.fields


LIFECYCLE = [
    ("publish", EventStatus.PUBLISHED),
    ("close_registration", EventStatus.REGISTRATION_CLOSED),
    ("reopen_registration", EventStatus.PUBLISHED),
    ("close_registration", EventStatus.REGISTRATION_CLOSED),
    ("finish", EventStatus.FINISHED),
    ("archive", EventStatus.ARCHIVED),
]


def test_the_whole_lifecycle(factory):
    event = factory.event(factory.organisation())
    for action, status in LIFECYCLE:
        assert services.apply_transition(event.id, action).status == status
    assert event.published_at is not None


@pytest.mark.parametrize("status, action", [
    (EventStatus.DRAFT, "close_registration"),
    (EventStatus.DRAFT, "finish"),
    (EventStatus.DRAFT, "archive"),
    (EventStatus.PUBLISHED, "publish"),
    (EventStatus.PUBLISHED, "archive"),
    (EventStatus.CANCELLED, "publish"),
    (EventStatus.ARCHIVED, "publish"),
    (EventStatus.ARCHIVED, "cancel"),
    (EventStatus.FINISHED, "cancel"),
])
def test_illegal_transitions_are_refused_with_a_clear_message(factory, status, action):
    event = factory.event(factory.organisation())
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(status=status))
    db.session.commit()
    with pytest.raises(DomainError) as error:
        services.apply_transition(event.id, action, reason="Lý do")
    assert error.value.code == "illegal_transition"
    assert str(status.label) in str(error.value)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == status


def test_cancelling_needs_a_public_reason(factory):
    event = factory.event(factory.organisation(), publish=True)
    with pytest.raises(ValidationFailed) as error:
        services.apply_transition(event.id, "cancel", reason="   ")
    assert "reason" in error.value.fields
    cancelled = services.apply_transition(event.id, "cancel", reason="Mưa bão số 9")
    assert cancelled.status == EventStatus.CANCELLED and cancelled.cancellation_reason == "Mưa bão số 9"


def test_an_event_that_has_ended_cannot_be_published(factory):
    event = factory.event(factory.organisation())
    with pytest.raises(DomainError) as error:
        services.apply_transition(event.id, "publish", now=event.ends_at + timedelta(minutes=1))
    assert error.value.code == "event_in_past"


def test_unknown_action_is_refused(factory):
    event = factory.event(factory.organisation())
    with pytest.raises(DomainError) as error:
        services.apply_transition(event.id, "explode")
    assert error.value.code == "unknown_action"


def test_cancelled_and_archived_events_cannot_be_edited(factory):
    event = factory.event(factory.organisation())
    services.apply_transition(event.id, "cancel", reason="Trùng lịch")
    with pytest.raises(DomainError) as error:
        services.update_event(event.id, factory.event_details(title="Đổi tên"))
    assert error.value.code == "event_locked"


def test_clone_copies_everything_but_dates_and_status(factory):
    owner, partner = factory.organisation(), factory.organisation()
    source = factory.event(owner, publish=True, co_organiser_ids=[partner.id], summary="Năm thứ 5",
                           registration_opens_at=utcnow(), registration_closes_at=utcnow() + timedelta(days=20))
    services.update_event(source.id, services.EventDetails.of(source), cover=png_bytes())
    start = source.starts_at + timedelta(days=365)
    clone = services.clone_event(source.id, services.CloneDetails(
        title="Ngày hội khởi nghiệp tỉnh 2028", starts_at=start, ends_at=start + timedelta(hours=9)),
        created_by_id=None)
    assert clone.status == EventStatus.DRAFT and clone.cloned_from_id == source.id
    assert clone.title == "Ngày hội khởi nghiệp tỉnh 2028" and clone.slug != source.slug
    assert (clone.summary, clone.venue_name, clone.capacity, clone.description_md, clone.event_type) == \
           (source.summary, source.venue_name, source.capacity, source.description_md, source.event_type)
    assert [(c.organisation_id, c.status) for c in clone.co_organiser_invitations] == [
        (partner.id, CoOrganiserStatus.INVITED)]  # the copy invites again: an acceptance was for the source only
    assert clone.registration_opens_at is None and clone.registration_closes_at is None
    assert clone.starts_at == start
    assert clone.cover_image and clone.cover_image != source.cover_image
    assert (services.covers_dir() / clone.cover_image).read_bytes() == \
           (services.covers_dir() / source.cover_image).read_bytes()


def test_cover_image_is_checked_by_content_and_size(app, factory):
    organisation = factory.organisation()
    with pytest.raises(ValidationFailed) as error:
        services.create_event(organisation.id, None, factory.event_details(), cover=b"<script>alert(1)</script>")
    assert "cover_image" in error.value.fields
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(ValidationFailed):
        services.create_event(organisation.id, None, factory.event_details(), cover=gif.getvalue())
    limit = app.config["COVER_IMAGE_MAX_BYTES"]
    app.config["COVER_IMAGE_MAX_BYTES"] = 100
    try:
        with pytest.raises(ValidationFailed):
            services.create_event(organisation.id, None, factory.event_details(), cover=png_bytes((400, 400)))
    finally:
        app.config["COVER_IMAGE_MAX_BYTES"] = limit
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    assert list(services.covers_dir().iterdir()) == []


def test_replacing_a_cover_removes_the_old_file(factory):
    event = factory.event(factory.organisation())
    services.update_event(event.id, services.EventDetails.of(event), cover=png_bytes())
    first = event.cover_image
    services.update_event(event.id, services.EventDetails.of(event), cover=png_bytes((10, 10)))
    assert event.cover_image != first
    assert not (services.covers_dir() / first).exists()


def test_portal_shows_only_public_events_that_are_published_or_later(factory):
    organisation = factory.organisation()
    draft = factory.event(organisation, title="Bản nháp")
    factory.event(organisation, title="Công khai", publish=True)
    unlisted = factory.event(organisation, title="Không liệt kê", publish=True, visibility=Visibility.UNLISTED)
    private = factory.event(organisation, title="Nội bộ", publish=True, visibility=Visibility.PRIVATE)
    cancelled = factory.event(organisation, title="Đã huỷ", publish=True)
    services.apply_transition(cancelled.id, "cancel", reason="Thời tiết")
    listed = db.session.scalars(services.portal_query(services.PortalFilters())).all()
    assert {e.title for e in listed} == {"Công khai", "Đã huỷ"}
    assert services.get_portal_event(unlisted.slug) == unlisted
    for hidden in (draft, private):
        with pytest.raises(NotFound):
            services.get_portal_event(hidden.slug)


def test_portal_filters_by_type_province_dates_and_words_without_diacritics(factory):
    organisation = factory.organisation()
    base = from_local(__import__("datetime").datetime(2027, 5, 10, 8, 0))
    factory.event(organisation, title="Ngày hội khởi nghiệp Đắk Lắk", publish=True, starts_at=base,
                  ends_at=base + timedelta(hours=8))
    factory.event(organisation, title="Tập huấn khởi nghiệp xanh", event_type=EventType.TRAINING, province="Gia Lai",
                  publish=True, starts_at=base + timedelta(days=20), ends_at=base + timedelta(days=20, hours=8))
    def titles(**filters):
        query = services.portal_query(services.PortalFilters(**filters), now=base - timedelta(days=1))
        return sorted(e.title for e in db.session.scalars(query))
    assert titles(event_type=EventType.TRAINING) == ["Tập huấn khởi nghiệp xanh"]
    assert titles(province="Gia Lai") == ["Tập huấn khởi nghiệp xanh"]
    assert titles(q="NGAY HOI") == ["Ngày hội khởi nghiệp Đắk Lắk"]
    assert titles(q="khởi nghiệp xanh") == ["Tập huấn khởi nghiệp xanh"]
    assert titles(q="100%") == []
    assert titles(date_from=date(2027, 5, 10), date_to=date(2027, 5, 10)) == ["Ngày hội khởi nghiệp Đắk Lắk"]
    assert titles(date_from=date(2027, 5, 11)) == ["Tập huấn khởi nghiệp xanh"]


def test_portal_hides_past_events_unless_asked(factory):
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    later = event.ends_at + timedelta(days=1)
    assert db.session.scalars(services.portal_query(services.PortalFilters(), now=later)).all() == []
    with_past = services.portal_query(services.PortalFilters(include_past=True), now=later)
    assert db.session.scalars(with_past).all() == [event]


def test_managers_are_scoped_to_their_organisation(factory):
    mine, theirs = factory.organisation(), factory.organisation()
    organiser = factory.user(organisation=mine)
    staff = factory.user(organisation=mine, role=Role.CHECKIN_STAFF)
    own, other = factory.event(mine), factory.event(theirs)
    assert services.get_managed_event(organiser, own.id) == own
    with pytest.raises(NotFound):
        services.get_managed_event(organiser, other.id)
    with pytest.raises(PermissionDenied):
        services.get_managed_event(staff, own.id)
    assert db.session.scalars(services.managed_events_query(organiser)).all() == [own]


def test_markdown_is_rendered_without_scripts():
    html = str(render_markdown('**Đậm** <script>alert(1)</script> [x](javascript:alert(1)) '
                               '<img src=x onerror=alert(1)>\n\n[Cổng](https://example.vn)'))
    assert "<strong>Đậm</strong>" in html
    assert '<a href="https://example.vn" rel="noopener noreferrer">Cổng</a>' in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_slugify_handles_vietnamese():
    assert slugify("Đắk Lắk – Hội chợ OCOP 2025!") == "dak-lak-hoi-cho-ocop-2025"
    assert slugify("!!!") == "su-kien"
