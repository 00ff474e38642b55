"""Event rules: details, lifecycle, cloning, cover images and what the portal may show."""
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import uploads
from ..accounts.models import Organisation, User
from ..accounts.services import EVENT_MANAGER_ROLES, require_role
from ..accounts.signals import organisation_saved
from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import db
from ..params import is_db_id
from ..text import search_key, slugify
from ..timeutil import from_local, to_local, utcnow
from . import coorganisers
from .models import Event, EventLevel, EventStatus, EventType, Visibility, listed_on_portal
from .signals import event_changing, event_cloned, event_cloned_dependants, event_updated

COVER = uploads.Accepts(field="cover_image", formats=frozenset({"JPEG", "PNG", "WEBP"}),
                        too_big=_l("Ảnh bìa tối đa %(mb)d MB."),
                        unreadable=_l("Tệp không phải ảnh hợp lệ (chấp nhận JPEG, PNG, WebP)."),
                        wrong_format=_l("Chỉ chấp nhận ảnh JPEG, PNG hoặc WebP."))
MIN_CAPACITY, MAX_CAPACITY = 1, 1_000_000


@dataclass
class EventDetails:
    """Everything an organiser types about an event; times are aware datetimes."""

    title: str
    event_type: EventType
    level: EventLevel
    province: str
    venue_name: str
    starts_at: datetime
    ends_at: datetime
    visibility: Visibility = Visibility.PUBLIC
    summary: str | None = None
    sub_unit: str | None = None
    venue_address: str | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    capacity: int | None = None
    description_md: str = ""
    co_organiser_ids: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, event: Event) -> "EventDetails":
        return cls(**{name: getattr(event, name) for name in cls.__dataclass_fields__ if name != "co_organiser_ids"},
                   co_organiser_ids=coorganisers.named_ids(event))


@dataclass(frozen=True)
class Transition:
    sources: frozenset[EventStatus]
    target: EventStatus
    label: object


TRANSITIONS = {
    "publish": Transition(frozenset({EventStatus.DRAFT}), EventStatus.PUBLISHED, _l("Công bố")),
    "close_registration": Transition(frozenset({EventStatus.PUBLISHED}), EventStatus.REGISTRATION_CLOSED,
                                     _l("Đóng đăng ký")),
    "reopen_registration": Transition(frozenset({EventStatus.REGISTRATION_CLOSED}), EventStatus.PUBLISHED,
                                      _l("Mở lại đăng ký")),
    "finish": Transition(frozenset({EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED}), EventStatus.FINISHED,
                         _l("Đánh dấu đã kết thúc")),
    "cancel": Transition(frozenset({EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED}),
                         EventStatus.CANCELLED, _l("Huỷ sự kiện")),
    "archive": Transition(frozenset({EventStatus.FINISHED, EventStatus.CANCELLED}), EventStatus.ARCHIVED,
                          _l("Lưu trữ")),
}
EDITABLE_STATUSES = frozenset({
    EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.FINISHED,
})


def available_actions(event: Event) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if event.status in t.sources]


# Validation ------------------------------------------------------------------------------------

def detail_problems(details: EventDetails, organisation_id: int) -> dict[str, list]:
    problems: dict[str, list] = {}

    def add(name, message):
        problems.setdefault(name, []).append(message)

    ends = details.ends_at  # None only when a page's own validators already refused it (see forms.submit's check)
    if ends and details.starts_at and ends <= details.starts_at:
        add("ends_at", _l("Thời gian kết thúc phải sau thời gian bắt đầu."))
    opens, closes = details.registration_opens_at, details.registration_closes_at
    if opens and closes and closes <= opens:
        add("registration_closes_at", _l("Hạn đóng đăng ký phải sau thời điểm mở đăng ký."))
    if ends and closes and closes > ends:
        add("registration_closes_at", _l("Hạn đóng đăng ký không được sau khi sự kiện kết thúc."))
    if ends and opens and opens >= ends:
        add("registration_opens_at", _l("Thời điểm mở đăng ký phải trước khi sự kiện kết thúc."))
    if details.capacity is not None and details.capacity < MIN_CAPACITY:
        add("capacity", _l("Sức chứa phải lớn hơn 0, hoặc để trống nếu không giới hạn."))
    if details.capacity is not None and details.capacity > MAX_CAPACITY:
        add("capacity", _l("Sức chứa quá lớn."))
    if organisation_id in details.co_organiser_ids:
        add("co_organiser_ids", _l("Đơn vị chủ trì không cần chọn lại làm đơn vị phối hợp."))
    if details.co_organiser_ids:
        # An id no database column can hold names no organisation: say so rather than let the query overflow.
        ids = {i for i in details.co_organiser_ids if is_db_id(i)}
        found = set(db.session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(ids)))) if ids else set()
        if found != set(details.co_organiser_ids):
            add("co_organiser_ids", _l("Có đơn vị phối hợp không tồn tại."))
    return problems


def inspect_cover_image(data: bytes) -> str:
    """Return the file extension for a valid cover image, judged by content, never by name."""
    _media_type, extension = uploads.inspect(data, COVER, current_app.config["COVER_IMAGE_MAX_BYTES"])
    return extension


def covers_dir() -> Path:
    return uploads.uploads_dir("covers")


# Saving ----------------------------------------------------------------------------------------

def search_text(details: EventDetails, organisation_name: str | None) -> str:
    """Title, venue, organiser and summary without diacritics ("đ" → "d"), so 'ngay hoi' finds 'Ngày hội'. Kept in
    a column (migration 0019 backfilled it) so that the portal's word search is a LIKE per word on SQLite and
    PostgreSQL alike, and pages through the database rather than through Python."""
    return search_key(" ".join(filter(None, [details.title, details.venue_name, organisation_name, details.summary])))


def search_words(q: str | None) -> list[str]:
    """The words of a search, without diacritics, each to be found somewhere (any order, part of a word)."""
    return list(dict.fromkeys(search_key(q or "", 200).split()))[:10]


def matching_words(q: str | None):
    """Every word of `q` must appear in the event's search text: one condition per word."""
    return [Event.search_text.contains(word, autoescape=True) for word in search_words(q)]


def _apply(event: Event, details: EventDetails, invited_by_id: int | None = None) -> list[int]:
    """Copy the details; the co-organisers named become invitations. Returns the co-organisers who left."""
    for name in EventDetails.__dataclass_fields__:
        if name != "co_organiser_ids":
            setattr(event, name, getattr(details, name))
    organisation = db.session.get(Organisation, event.organisation_id)
    event.search_text = search_text(details, organisation.name if organisation else None)
    return coorganisers.sync_invitations(event, details.co_organiser_ids, invited_by_id)


@organisation_saved.connect
def _search_by_the_new_name(_sender, organisation_id: int, **_extra) -> None:
    """A renamed organiser is found by its new name on the portal."""
    organisation = db.session.get(Organisation, organisation_id)
    events = list(db.session.scalars(sa.select(Event).where(Event.organisation_id == organisation_id)))
    for event in events:
        event.search_text = search_text(EventDetails.of(event), organisation.name)
    if events:
        db.session.commit()


def _unique_slug(title: str, starts_at: datetime) -> str:
    base = slugify(title, 80)
    if not re.search(r"(^|-)(19|20)\d\d(-|$)", base):
        base = f"{base}-{to_local(starts_at).year}"  # the year people see: 31/12 19:00 UTC is already 1/1 here
    taken = set(db.session.scalars(sa.select(Event.slug).where(Event.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _save_with_cover(event: Event, cover: bytes | None, cover_extension: str | None) -> None:
    """Commit the event and its cover file together: a failed commit leaves no file behind."""
    new_file = old_file = None
    if cover is not None:
        new_file = uploads.store("covers", cover, cover_extension)
        old_file, event.cover_image = event.cover_image, new_file.name
    try:
        _commit_with_unique_slug(event)
    except BaseException:  # whatever failed (a conflict, a database error, an interrupt), nothing refers to the file
        if new_file:
            new_file.unlink(missing_ok=True)
        raise
    if old_file:
        (covers_dir() / old_file).unlink(missing_ok=True)


def _check(details: EventDetails, organisation_id: int, cover: bytes | None) -> str | None:
    """Every check before anything is written; returns the cover's file extension."""
    problems = detail_problems(details, organisation_id)
    if problems:
        raise ValidationFailed(problems)
    return inspect_cover_image(cover) if cover is not None else None


def _commit_with_unique_slug(event: Event) -> None:
    """A concurrent creation may take the same slug between our check and our insert: retry once."""
    try:
        db.session.commit()
        return
    except IntegrityError as error:
        db.session.rollback()
        if event.id is not None:
            raise _concurrent_change() from error
    event.slug = f"{_unique_slug(event.title, event.starts_at)}-{secrets.token_hex(2)}"
    db.session.add(event)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise _concurrent_change() from error


def _concurrent_change() -> DomainError:
    return DomainError("conflict", _l("Dữ liệu vừa bị thay đổi đồng thời. Vui lòng thử lại."), status=409)


def create_event(organisation_id: int, created_by_id: int | None, details: EventDetails,
                 cover: bytes | None = None, *, cloned_from_id: int | None = None) -> Event:
    cover_extension = _check(details, organisation_id, cover)
    event = Event(organisation_id=organisation_id, created_by_id=created_by_id, status=EventStatus.DRAFT,
                  slug=_unique_slug(details.title, details.starts_at), cloned_from_id=cloned_from_id)
    _apply(event, details, created_by_id)
    db.session.add(event)
    _save_with_cover(event, cover, cover_extension)
    return event


def update_event(event_id: int, details: EventDetails, cover: bytes | None = None) -> Event:
    event = get_event(event_id)
    if event.status not in EDITABLE_STATUSES:
        raise DomainError("event_locked", _l("Sự kiện đã huỷ hoặc đã lưu trữ nên không thể chỉnh sửa."), status=409)
    cover_extension = _check(details, event.organisation_id, cover)
    before = _announced_facts(event)
    ended = _apply(event, details)
    if before != _announced_facts(event) and event.status in ANNOUNCED_STATUSES:
        event.calendar_sequence = (event.calendar_sequence or 0) + 1
        event_changing.send(current_app._get_current_object(), event=event, change="moved",
                            sequence=event.calendar_sequence, reason=None, before=before)
    _save_with_cover(event, cover, cover_extension)
    coorganisers.left(event.id, ended)
    event_updated.send(current_app._get_current_object(), event_id=event.id)
    return event


# A change of these reaches every active registrant (events the public can see and register for).
ANNOUNCED_STATUSES = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)


def _announced_facts(event: Event) -> dict:
    return {"starts_at": event.starts_at.isoformat() if event.starts_at else None,
            "ends_at": event.ends_at.isoformat() if event.ends_at else None,
            "venue": ", ".join(filter(None, [event.venue_name, event.venue_address, event.province]))}


def apply_transition(event_id: int, action: str, reason: str | None = None, now: datetime | None = None) -> Event:
    """Move an event along its lifecycle; the status check and the change are one atomic UPDATE."""
    now = now or utcnow()
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError("unknown_action", _l("Thao tác không hợp lệ."))
    event = get_event(event_id)
    values = {"status": transition.target, "updated_at": now}
    if action == "cancel":
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed({"reason": [_l("Vui lòng nêu lý do huỷ để thông báo cho công chúng.")]})
        values["cancellation_reason"] = reason
    if action == "publish":
        if event.ends_at <= now:
            raise DomainError("event_in_past", _l("Sự kiện đã kết thúc nên không thể công bố."), status=409)
        values["published_at"] = now
    announced = action == "cancel" and event.status in ANNOUNCED_STATUSES
    if announced:
        values["calendar_sequence"] = Event.calendar_sequence + 1
    result = db.session.execute(
        sa.update(Event).where(Event.id == event_id, Event.status.in_(transition.sources)).values(**values)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(event)
        raise DomainError(
            "illegal_transition", _l("Không thể “%(action)s” khi sự kiện đang ở trạng thái “%(state)s”."),
            status=409, action=transition.label, state=event.status.label,
        )
    if announced:
        db.session.refresh(event)
        event_changing.send(current_app._get_current_object(), event=event, change="cancelled",
                            sequence=event.calendar_sequence, reason=reason, before=_announced_facts(event))
    db.session.commit()
    db.session.refresh(event)
    return event


@dataclass
class CloneDetails:
    """What a copy of an event changes: its title and its dates."""

    title: str
    starts_at: datetime
    ends_at: datetime


def clone_event(event_id: int, clone: CloneDetails, *, created_by_id: int | None) -> Event:
    """Copy everything but dates, people and status: the clone is a fresh draft with the source's categories,
    questions, agenda (shifted by the same offset as the event), check-in lists and floor plan, committed at once."""
    source = get_event(event_id)
    details = EventDetails.of(source)
    details.title = clone.title
    details.starts_at, details.ends_at = clone.starts_at, clone.ends_at
    details.registration_opens_at = details.registration_closes_at = None
    cover_path = covers_dir() / source.cover_image if source.cover_image else None
    cover = cover_path.read_bytes() if cover_path and cover_path.exists() else None
    cover_extension = _check(details, source.organisation_id, cover)
    event = Event(organisation_id=source.organisation_id, created_by_id=created_by_id, status=EventStatus.DRAFT,
                  slug=_unique_slug(details.title, details.starts_at), cloned_from_id=source.id)
    _apply(event, details)
    db.session.add(event)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent creation took the slug: the copies below need the id, so retry now
        db.session.rollback()
        event.slug = f"{_unique_slug(event.title, event.starts_at)}-{secrets.token_hex(2)}"
        db.session.add(event)
        db.session.flush()
    shift, copied = clone.starts_at - source.starts_at, {}
    app = current_app._get_current_object()
    try:
        for signal in (event_cloned, event_cloned_dependants):
            signal.send(app, source_id=source.id, clone_id=event.id, shift=shift, copied=copied)
    except BaseException:
        db.session.rollback()
        raise
    _save_with_cover(event, cover, cover_extension)
    return event


# Reading ---------------------------------------------------------------------------------------

def get_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    return event


def get_managed_event(user: User, event_id: int) -> Event:
    """The event, if the user may manage it; members of other organisations get 404."""
    event = get_event(event_id)
    require_role(user, event.organisation_id, EVENT_MANAGER_ROLES)
    return event


def upcoming_managed_events(user: User, limit: int) -> list[Event]:
    """The next events the user manages that are not over (drafts included), soonest first: the dashboard's lead."""
    query = managed_events_query(user).order_by(None).where(
        Event.ends_at >= utcnow(), Event.status.in_((EventStatus.DRAFT, EventStatus.PUBLISHED,
                                                     EventStatus.REGISTRATION_CLOSED)))
    return list(db.session.scalars(query.order_by(Event.starts_at).limit(limit)))


def managed_events_query(user: User, *, status: EventStatus | None = None, q: str | None = None) -> sa.Select:
    query = sa.select(Event).order_by(Event.starts_at.desc())
    if not user.is_platform_admin:
        organisation_ids = [m.organisation_id for m in user.memberships if m.role in EVENT_MANAGER_ROLES]
        query = query.where(Event.organisation_id.in_(organisation_ids))
    if status is not None:
        query = query.where(Event.status == status)
    if q:
        query = query.where(*matching_words(q))
    return query


@dataclass
class PortalFilters:
    q: str | None = None
    event_type: EventType | None = None
    province: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    include_past: bool = False


def portal_query(filters: PortalFilters, now: datetime | None = None) -> sa.Select:
    now = now or utcnow()
    query = sa.select(Event).where(listed_on_portal())
    if not filters.include_past:
        query = query.where(Event.ends_at >= now)
    if filters.q:
        query = query.where(*matching_words(filters.q))
    if filters.event_type:
        query = query.where(Event.event_type == filters.event_type)
    if filters.province:
        query = query.where(Event.province == filters.province)
    if filters.date_from:
        query = query.where(Event.ends_at >= from_local(datetime.combine(filters.date_from, time.min)))
    if filters.date_to:
        day_after = filters.date_to + timedelta(days=1)
        query = query.where(Event.starts_at < from_local(datetime.combine(day_after, time.min)))
    order = Event.starts_at.desc() if filters.include_past else Event.starts_at.asc()
    return query.order_by(order, Event.id)


def portal_provinces() -> list[str]:
    return list(db.session.scalars(
        sa.select(Event.province).distinct().where(listed_on_portal())
        .order_by(Event.province)))


def get_portal_event(slug: str) -> Event:
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None or not event.is_visible_on_portal:
        raise NotFound()
    return event
