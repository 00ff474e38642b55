"""Scanning. A ticket counts once per list: the unique (list, registration) pair decides between two
gates scanning at the same moment, and every scan is logged, accepted or not."""
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..accounts.models import Role, User
from ..accounts.signals import member_removed
from ..errors import DomainError, NotFound, ValidationFailed
from ..events import coorganisers
from ..events.models import Event, EventStatus
from ..events.signals import co_organiser_left, event_cloned_dependants
from ..extensions import db
from ..i18n import format_time
from ..lookup import get_owned
from ..models_base import copy_row
from ..registration import services as registrations
from ..registration import tickets
from ..registration.models import (
    ConsentMethod,
    Registration,
    RegistrationCategory,
    RegistrationSource,
    RegistrationStatus,
)
from ..registration.provenance import Provenance
from ..registration.signals import personal_data, registration_erased
from ..scheduling import services as agenda
from ..scheduling.signals import SessionChange, session_changed
from ..timeutil import from_local, to_local, utcnow
from .models import (
    CheckIn,
    CheckInList,
    CompletionLog,
    CompletionOverride,
    CompletionRule,
    Device,
    Direction,
    ScanLog,
    ScanResult,
)

SCANNER_ROLES = frozenset({Role.ADMIN, Role.ORGANISER, Role.CHECKIN_STAFF})
STATUS_RESULTS = {
    RegistrationStatus.CANCELLED: ScanResult.CANCELLED,
    RegistrationStatus.WAITLISTED: ScanResult.WAITLISTED,
    RegistrationStatus.PENDING: ScanResult.PENDING,
    RegistrationStatus.REJECTED: ScanResult.REJECTED,
}
DEVICE_TOKEN_PREFIX = "ehd_"
CODE_MAX_LENGTH, GATE_MAX_LENGTH, NONCE_MAX_LENGTH = 400, 60, 64
LAST_SEEN_PRECISION = timedelta(minutes=1)
DEVICE_LIFETIME = timedelta(days=14)  # a volunteer's link outlives an event's days, not the season
OFFLINE_WINDOW = timedelta(days=2)
MAX_OFFLINE_HOURS = 24 * 14
SESSION_LIST_EARLY = timedelta(minutes=30)


@dataclass
class Scanner:
    """Who scans: a signed-in user or a device, at a named gate."""

    user_id: int | None = None
    device_id: int | None = None
    gate: str | None = None
    # For a co-organiser's member or device: its organisation, whose people alone its searches find.
    partner_id: int | None = None


@dataclass
class Outcome:
    result: ScanResult
    registration: Registration | None = None
    checked_in_at: datetime | None = None
    gate: str | None = None
    # Who was scanned, read before the commit so that answering needs no second trip to the database.
    attendee: dict | None = None

    def __post_init__(self):
        if self.attendee is None and self.registration is not None:
            with db.session.no_autoflush:  # a pending check-in row must reach the database only at commit
                self.attendee = {"registration_id": self.registration.id, "full_name": self.registration.full_name,
                                 "category": self.registration.category.name,
                                 "organisation_name": self.registration.organisation_name}

    @property
    def message(self) -> str:
        if self.result == ScanResult.ALREADY_CHECKED_IN and self.checked_in_at:
            if self.gate:
                return str(_l("Đã check-in lúc %(time)s tại %(gate)s", time=format_time(self.checked_in_at),
                              gate=self.gate))
            return str(_l("Đã check-in lúc %(time)s", time=format_time(self.checked_in_at)))
        return str(self.result.label)


# Lists and devices ----------------------------------------------------------------------------

def get_list(list_id: int) -> CheckInList:
    check_in_list = db.session.get(CheckInList, list_id)
    if check_in_list is None:
        raise NotFound()
    return check_in_list


def scanning_allowed(check_in_list: CheckInList) -> bool:
    """Device links work only while the event is live and its organisation active."""
    event = db.session.get(Event, check_in_list.event_id)
    return event.organisation.is_active and event.status not in (EventStatus.CANCELLED, EventStatus.ARCHIVED)


def list_for_scanner(user: User, list_id: int) -> CheckInList:
    """The list, if the user may scan it (check-in staff, organisers and admins of the event's owner, or of an
    accepted co-organiser)."""
    return scanner_access(user, list_id)[0]


def scanner_access(user: User, list_id: int) -> tuple[CheckInList, int | None]:
    """The list and, for a co-organiser's member, that organisation (device links it opens carry it)."""
    check_in_list = get_list(list_id)
    _event, partner_id = coorganisers.get_partner_event(user, check_in_list.event_id, SCANNER_ROLES, SCANNER_ROLES)
    return check_in_list, partner_id


def may_manage(user: User, event: Event) -> bool:
    return user.is_platform_admin or any(m.organisation_id == event.organisation_id and m.role in
                                         (Role.ADMIN, Role.ORGANISER) for m in user.memberships)


def events_to_scan(user: User) -> list[Event]:
    """Open events of the organisations where the user is check-in staff (organisers reach the
    scanner from the event page)."""
    organisation_ids = [m.organisation_id for m in user.memberships if m.role == Role.CHECKIN_STAFF]
    if not organisation_ids:
        return []
    return list(db.session.scalars(sa.select(Event).where(
        Event.organisation_id.in_(organisation_ids),
        Event.status.in_((EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)),
        Event.ends_at >= utcnow()).order_by(Event.starts_at).limit(20)))


def lists_for_event(event_id: int) -> list[CheckInList]:
    return list(db.session.scalars(
        sa.select(CheckInList).where(CheckInList.event_id == event_id).order_by(CheckInList.id)))


def entrance_for(event_id: int) -> CheckInList:
    """The event's first list, created as "Cổng chính" when there is none yet: open from the start of the event's
    first local day to its end (organisers may change both), so a scan weeks early is not attendance."""
    existing = lists_for_event(event_id)
    if existing:
        return existing[0]
    event = db.session.get(Event, event_id)
    first_day = from_local(datetime.combine(to_local(event.starts_at).date(), time()))
    return save_list(event_id, None, CheckInListDetails(name=str(_l("Cổng chính")), opens_at=first_day,
                                                        closes_at=event.ends_at))


@dataclass
class CheckInListDetails:
    """What an organiser sets on a check-in list; no categories means every category may enter."""

    name: str
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    allow_exit: bool = False
    category_ids: list[int] = field(default_factory=list)


def save_list(event_id: int, list_id: int | None, details: CheckInListDetails, *,
              session_id: int | None = None) -> CheckInList:
    name = " ".join((details.name or "").split())
    opens_at, closes_at, category_ids = details.opens_at, details.closes_at, details.category_ids
    if not name:
        raise ValidationFailed({"name": [_l("Vui lòng đặt tên điểm check-in.")]})
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationFailed({"closes_at": [_l("Giờ đóng phải sau giờ mở.")]})
    categories = list(db.session.scalars(sa.select(RegistrationCategory).where(
        RegistrationCategory.id.in_(category_ids), RegistrationCategory.event_id == event_id))) if category_ids else []
    if len(categories) != len(set(category_ids)):
        raise ValidationFailed({"category_ids": [_l("Có đối tượng không thuộc sự kiện này.")]})
    if list_id is None:
        check_in_list = CheckInList(event_id=event_id, session_id=session_id)
        db.session.add(check_in_list)
    else:
        check_in_list = get_list(list_id)
        if check_in_list.event_id != event_id:
            raise NotFound()
    check_in_list.name, check_in_list.opens_at, check_in_list.closes_at = name, opens_at, closes_at
    check_in_list.allow_exit, check_in_list.categories = details.allow_exit, categories
    db.session.commit()
    return check_in_list


def session_lists(session_id: int) -> list[CheckInList]:
    return list(db.session.scalars(
        sa.select(CheckInList).where(CheckInList.session_id == session_id).order_by(CheckInList.id)))


def session_list(event_id: int, session_id: int) -> CheckInList:
    """The attendance list of one agenda session, created on first use: open from half an hour before the
    session to its end. The event's entrance is made first, so that it stays the event's first list."""
    session = agenda.get_session(event_id, session_id)
    existing = session_lists(session.id)
    if existing:
        return existing[0]
    entrance_for(event_id)
    return save_list(event_id, None, CheckInListDetails(name=session.title[:120], opens_at=session.starts_at -
                                                        SESSION_LIST_EARLY, closes_at=session.ends_at),
                     session_id=session.id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_device(list_id: int, name: str, created_by_id: int | None, language: str | None = None,
                 organisation_id: int | None = None, offline_hours: int | None = None,
                 now: datetime | None = None) -> tuple[str, Device]:
    """A device link for one list, answering in `language`; `offline_hours`: how long the device may work offline
    (scans dated earlier are refused on upload)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed({"name": [_l("Vui lòng đặt tên thiết bị, ví dụ: Điện thoại cổng 2.")]})
    now = now or utcnow()
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    hours = offline_hours or int(OFFLINE_WINDOW.total_seconds() // 3600)
    if not 1 <= hours <= MAX_OFFLINE_HOURS:
        raise ValidationFailed({"offline_hours": [_l("Thời gian dùng ngoại tuyến từ 1 đến %(n)d giờ.",
                                                     n=MAX_OFFLINE_HOURS)]})
    device = Device(check_in_list_id=list_id, name=name[:100], token_digest=_digest(token), created_by_id=created_by_id,
                    language=language, organisation_id=organisation_id, offline_hours=hours, created_at=now,
                    expires_at=now + DEVICE_LIFETIME)
    db.session.add(device)
    db.session.commit()
    return token, device


def revoke_device(list_id: int, device_id: int, now: datetime | None = None) -> Device:
    device = get_owned(Device, device_id, check_in_list_id=list_id)
    device.revoked_at = device.revoked_at or now or utcnow()
    db.session.commit()
    return device


def device_for_token(token: str, now: datetime | None = None) -> Device | None:
    """The live device of a token, read with its list (and the list's categories), event and organisation in one
    query: every scan starts here."""
    in_list = joinedload(Device.check_in_list)
    device = db.session.scalars(sa.select(Device).where(Device.token_digest == _digest(token or "")).options(
        in_list.joinedload(CheckInList.event).joinedload(Event.organisation),
        in_list.joinedload(CheckInList.categories))).unique().first()
    now = now or utcnow()
    if device is None or device.revoked_at is not None or device.expires_at <= now:
        return None
    if device.organisation_id is not None and not coorganisers.is_accepted(device.check_in_list.event_id,
                                                                           device.organisation_id):
        return None  # its co-organiser left: the link ends at once, even before the revocation is written
    if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_PRECISION:
        device.last_seen_at = now  # at most once a minute: not a write per scan
        db.session.commit()
    return device


def reusable_device(token: str | None, list_id: int, user_id: int, organisation_id: int | None = None) -> Device | None:
    """The live device this phone already holds for the list (its token kept by the phone), if the same staff
    member issued it for the same organisation (the lead's, or an accepted co-organiser's): "Mở máy quét" then
    reuses it instead of adding one more device per press."""
    device = device_for_token(token) if token else None
    if device is None or device.check_in_list_id != list_id or device.created_by_id != user_id or \
            device.organisation_id != organisation_id:
        return None
    return device


def devices(list_id: int) -> list[Device]:
    return list(db.session.scalars(sa.select(Device).where(Device.check_in_list_id == list_id).order_by(Device.id)))


# Scanning --------------------------------------------------------------------------------------

def _refusal(check_in_list: CheckInList, registration: Registration, when: datetime) -> ScanResult | None:
    if registration.event_id != check_in_list.event_id:
        return ScanResult.WRONG_EVENT
    if registration.status in STATUS_RESULTS:
        return STATUS_RESULTS[registration.status]
    if check_in_list.categories and registration.category_id not in {c.id for c in check_in_list.categories}:
        return ScanResult.CATEGORY_NOT_ALLOWED
    if (check_in_list.opens_at and when < check_in_list.opens_at) or \
            (check_in_list.closes_at and when >= check_in_list.closes_at):
        return ScanResult.OUTSIDE_HOURS
    return None


def _resolve(code: str, list_id: int) -> tuple[ScanResult | None, Registration | None, CheckIn | None]:
    """Read a scanned QR payload; a bare ticket code (typed by hand) is accepted too."""
    code = (code or "").strip()
    if code.startswith(f"{tickets.PAYLOAD_PREFIX}."):
        try:
            ticket_code = tickets.verify_payload(code)
        except DomainError as error:
            return (ScanResult.FORGED if error.code == "forged_ticket" else ScanResult.INVALID), None, None
    elif code and len(code) <= 32 and all(c.isalnum() or c in "-_" for c in code):
        ticket_code = code
    else:
        return ScanResult.INVALID, None, None
    registration, existing = _ticket(list_id, Registration.ticket_code == ticket_code)
    return (None if registration else ScanResult.UNKNOWN_TICKET), registration, existing


def _ticket(list_id: int, which) -> tuple[Registration | None, CheckIn | None]:
    """The registration (with its category) and its check-in on the list, in one query: a scan's only read."""
    row = db.session.execute(
        sa.select(Registration, CheckIn).options(joinedload(Registration.category))
        .outerjoin(CheckIn, sa.and_(CheckIn.registration_id == Registration.id, CheckIn.check_in_list_id == list_id))
        .where(which)).first()
    return (row[0], row[1]) if row else (None, None)


def _current(list_id: int, registration_id: int) -> CheckIn | None:
    return db.session.scalar(sa.select(CheckIn).where(CheckIn.check_in_list_id == list_id,
                                                      CheckIn.registration_id == registration_id))


def _apply(check_in_list: CheckInList, registration: Registration, existing: CheckIn | None, direction: Direction,
           scanner: Scanner, when: datetime) -> Outcome:
    """Change who is inside, given the person's check-in on the list as read. Every change of an existing row is a
    conditional statement, so two gates acting on one person at the same moment cannot both succeed (a new row is
    guarded by its unique pair)."""
    if direction == Direction.UNDO:
        if existing is None or not _changed(sa.delete(CheckIn).where(CheckIn.id == existing.id)):
            return Outcome(ScanResult.NOT_CHECKED_IN, registration)
        return Outcome(ScanResult.UNDONE, registration)
    if direction == Direction.EXIT:
        going_out = sa.update(CheckIn).where(CheckIn.id == (existing.id if existing else None),
                                             CheckIn.exited_at.is_(None)).values(exited_at=when)
        if existing is None or not check_in_list.allow_exit or not _changed(going_out):
            return Outcome(ScanResult.NOT_CHECKED_IN, registration)
        return Outcome(ScanResult.EXIT_OK, registration, existing.checked_in_at, existing.gate)
    if existing is None:
        db.session.add(CheckIn(check_in_list_id=check_in_list.id, registration_id=registration.id, checked_in_at=when,
                               gate=scanner.gate, device_id=scanner.device_id, user_id=scanner.user_id))
        return Outcome(ScanResult.OK, registration, when, scanner.gate)
    back_in = sa.update(CheckIn).where(CheckIn.id == existing.id, CheckIn.exited_at.is_not(None)).values(
        exited_at=None, checked_in_at=when, gate=scanner.gate, device_id=scanner.device_id, user_id=scanner.user_id)
    if _changed(back_in):  # coming back in after an exit
        return Outcome(ScanResult.OK, registration, when, scanner.gate)
    db.session.refresh(existing)
    return Outcome(ScanResult.ALREADY_CHECKED_IN, registration, existing.checked_in_at, existing.gate)


def _changed(statement) -> bool:
    return db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount == 1


def _log(check_in_list: CheckInList, outcome: Outcome, direction: Direction, scanner: Scanner, *, code: str | None,
         nonce: str | None, scanned_at: datetime, offline: bool, now: datetime) -> None:
    db.session.add(ScanLog(
        check_in_list_id=check_in_list.id, registration_id=outcome.registration.id if outcome.registration else None,
        direction=direction, result=outcome.result, code_excerpt=(code or "")[:40] or None, gate=scanner.gate,
        device_id=scanner.device_id, user_id=scanner.user_id, nonce=nonce, offline=offline, scanned_at=scanned_at,
        recorded_at=now))


def offline_window(scanner: Scanner) -> timedelta:
    """How far back a scanner may date an offline scan: its device's period, else OFFLINE_WINDOW."""
    hours = db.session.scalar(sa.select(Device.offline_hours).where(Device.id == scanner.device_id)) \
        if scanner.device_id else None
    return timedelta(hours=hours) if hours else OFFLINE_WINDOW


def _scoped(nonce: str | None, scanner: Scanner, list_id: int) -> str | None:
    """A nonce is the scanner's own numbering, per list: two devices (or two lists) may both see "1"."""
    if not nonce:
        return None
    who = f"d{scanner.device_id}" if scanner.device_id else f"u{scanner.user_id}"
    return f"{who}:{list_id}:{nonce}"


def _replayed(nonce: str | None) -> Outcome | None:
    if not nonce:
        return None
    log = db.session.scalar(sa.select(ScanLog).where(ScanLog.nonce == nonce))
    if log is None:
        return None
    registration = db.session.get(Registration, log.registration_id) if log.registration_id else None
    current = _current(log.check_in_list_id, log.registration_id) if registration else None
    return Outcome(log.result, registration, current.checked_in_at if current else None,
                   current.gate if current else None)


def scan(list_id: int, *, code: str | None = None, registration_id: int | None = None,
         direction: Direction = Direction.ENTRY, scanner: Scanner, nonce: str | None = None,
         scanned_at: datetime | None = None, offline: bool = False, now: datetime | None = None) -> Outcome:
    """Check a ticket in (or out, or undo) on a list. Give the scanned `code`, or the `registration_id`
    found by a manual search. Repeating a `nonce` returns the first answer and changes nothing."""
    now = now or utcnow()
    # A device's clock decides when an offline scan happened (opening hours are judged at that time), never in
    # the future; a scan dated before the offline period the device was issued for is refused, not moved.
    when = min(scanned_at, now) if scanned_at else now
    too_old = scanned_at is not None and scanned_at < now - offline_window(scanner)
    # A repeated nonce is not looked up first: its log row fails the unique constraint at commit,
    # everything is rolled back and the first answer is returned (see below).
    nonce = _scoped(nonce, scanner, list_id)
    check_in_list = get_list(list_id)
    if registration_id is not None:
        registration, existing = _ticket(list_id, Registration.id == registration_id)
        failure = None if registration and registration.event_id == check_in_list.event_id \
            else ScanResult.UNKNOWN_TICKET
    else:
        failure, registration, existing = _resolve(code, list_id)
    if registration is not None and registration.event_id != check_in_list.event_id:
        # Say it is another event's ticket, but nothing about the person: scanners see only their event.
        failure = failure if failure == ScanResult.UNKNOWN_TICKET else ScanResult.WRONG_EVENT
        registration = None
    if failure is None and too_old:
        failure = ScanResult.SCAN_TOO_OLD
    if failure is None:
        failure = _refusal(check_in_list, registration, when) if direction != Direction.UNDO else None
    outcome = Outcome(failure, registration) if failure else _apply(check_in_list, registration, existing,
                                                                    direction, scanner, when)
    _log(check_in_list, outcome, direction, scanner, code=code, nonce=nonce, scanned_at=when, offline=offline, now=now)
    try:
        db.session.commit()
    except IntegrityError:
        # Another gate admitted the same ticket a moment ago, or this very scan was uploaded twice.
        db.session.rollback()
        replay = _replayed(nonce)
        if replay is not None:
            return replay
        existing = _current(check_in_list.id, registration.id)
        outcome = Outcome(ScanResult.ALREADY_CHECKED_IN, registration, existing.checked_in_at if existing else None,
                          existing.gate if existing else None)
        _log(check_in_list, outcome, direction, scanner, code=code, nonce=nonce, scanned_at=when, offline=offline,
             now=now)
        db.session.commit()
    return outcome


def _storable(value, length: int) -> str | None:
    """Any JSON value as text a column stores: NUL and lone surrogates dropped, cut to the column."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:length * 2]
    text = "".join(c for c in text if c != "\x00" and not "\ud800" <= c <= "\udfff")
    return text[:length] or None


def record_refused_scan(list_id: int, scanner: Scanner, *, code=None, direction: Direction = Direction.ENTRY,
                        now: datetime | None = None) -> None:
    """A scan refused before it could be judged (a body that cannot be read, wrong types, characters no column
    stores) is logged as INVALID too, with what can be kept of its code and gate."""
    now = now or utcnow()
    db.session.rollback()
    db.session.add(ScanLog(check_in_list_id=list_id, direction=direction, result=ScanResult.INVALID,
                           code_excerpt=_storable(code, 40), gate=_storable(scanner.gate, GATE_MAX_LENGTH),
                           device_id=scanner.device_id, user_id=scanner.user_id, scanned_at=now, recorded_at=now))
    db.session.commit()


def sync(list_id: int, scans: list[dict], scanner: Scanner, now: datetime | None = None) -> list[Outcome]:
    """Apply scans made offline, oldest first; each carries its nonce, so uploading twice is harmless.
    Two offline gates admitting one ticket: the later scan is logged as already checked in."""
    ordered = sorted(scans, key=lambda item: item["scanned_at"])
    return [scan(list_id, code=item.get("code"), direction=item.get("direction", Direction.ENTRY),
                 scanner=Scanner(scanner.user_id, scanner.device_id, item.get("gate") or scanner.gate),
                 nonce=item["nonce"], scanned_at=item["scanned_at"], offline=True, now=now)
            for item in ordered]


def walk_in(list_id: int, registrant: registrations.Registrant, scanner: Scanner,
            now: datetime | None = None) -> tuple[Registration, Outcome]:
    """Register someone at the door (capacity rules apply) and check them in when a seat is theirs."""
    check_in_list = get_list(list_id)
    registration = registrations.register(check_in_list.event_id, registrant, source=RegistrationSource.WALK_IN,
                                          now=now, provenance=Provenance(ConsentMethod.STAFF,
                                                                         recorded_by_id=_staff_of(scanner)))
    return registration, scan(list_id, registration_id=registration.id, scanner=scanner, now=now)


def _staff_of(scanner: Scanner) -> int | None:
    """The person answering for a scan: the signed-in user, or whoever opened the device's link."""
    if scanner.user_id or not scanner.device_id:
        return scanner.user_id
    return db.session.scalar(sa.select(Device.created_by_id).where(Device.id == scanner.device_id))


def walk_in_categories(list_id: int) -> list[RegistrationCategory]:
    """Categories someone may register in at this list's door: the list's own, else the event's open ones."""
    check_in_list = get_list(list_id)
    allowed = {c.id for c in check_in_list.categories}
    return [c for c in registrations.categories(check_in_list.event_id, active_only=True)
            if not allowed or c.id in allowed]


def search(list_id: int, q: str, limit: int = 20, partner_id: int | None = None, *,
           exact_contacts: bool = False) -> list[tuple[Registration, CheckIn | None]]:
    """People of the list's event by name, phone, e-mail or code; a co-organiser finds only its own people, and a
    device (`exact_contacts`) finds a phone or e-mail only when given whole."""
    check_in_list = get_list(list_id)
    if not (q or "").strip():
        return []
    query = registrations.attendee_query(check_in_list.event_id, q=q, partner_id=partner_id,
                                         exact_contacts=exact_contacts).limit(limit)
    found = list(db.session.scalars(query))
    current = {c.registration_id: c for c in db.session.scalars(sa.select(CheckIn).where(
        CheckIn.check_in_list_id == list_id, CheckIn.registration_id.in_([r.id for r in found])))} if found else {}
    return [(registration, current.get(registration.id)) for registration in found]


def checked_in_ids(list_id: int) -> set[int]:
    """Who is checked in on a list now (for a page of one list's people)."""
    return set(db.session.scalars(sa.select(CheckIn.registration_id).where(
        CheckIn.check_in_list_id == list_id, CheckIn.exited_at.is_(None))))


def checked_in_count(list_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(
        CheckIn.check_in_list_id == list_id, CheckIn.exited_at.is_(None)))


def _admissible_query(check_in_list: CheckInList):
    query = sa.select(Registration).where(Registration.event_id == check_in_list.event_id,
                                          Registration.status == RegistrationStatus.CONFIRMED)
    if check_in_list.categories:
        query = query.where(Registration.category_id.in_([c.id for c in check_in_list.categories]))
    return query


def offline_tickets(list_id: int, partner_id: int | None = None) -> list[dict]:
    """Confirmed tickets this list admits, for a scanner to check without the network. A co-organiser's device
    (`partner_id`) admits every ticket but is told the names only of the people its organisation mobilised."""
    check_in_list = get_list(list_id)
    checked = checked_in_ids(list_id)
    own = None if partner_id is None else set(db.session.scalars(
        sa.select(Registration.id).where(Registration.event_id == check_in_list.event_id,
                                         registrations.mobilised_by(partner_id))))
    tickets = []
    for r in db.session.scalars(_admissible_query(check_in_list).order_by(Registration.id)):
        shown = own is None or r.id in own
        tickets.append({"ticket_code": r.ticket_code, "registration_id": r.id,
                        "full_name": r.full_name if shown else "", "category": r.category.name,
                        "checked_in": r.id in checked, "phone_end": r.phone[-3:] if r.phone and shown else None})
    return tickets


def counts(list_id: int) -> dict:
    check_in_list = get_list(list_id)
    admissible = db.session.scalar(sa.select(sa.func.count()).select_from(
        _admissible_query(check_in_list).subquery()))
    return {"checked_in": checked_in_count(list_id), "admissible": admissible}


@member_removed.connect
def _revoke_devices_of_former_member(_sender, user_id: int, organisation_id: int, **_extra) -> None:
    """Scanner links a person opened for an organisation stop working when they leave it."""
    event_ids = sa.select(Event.id).where(Event.organisation_id == organisation_id)
    list_ids = sa.select(CheckInList.id).where(CheckInList.event_id.in_(event_ids))
    db.session.execute(sa.update(Device).where(
        Device.created_by_id == user_id, Device.revoked_at.is_(None), Device.check_in_list_id.in_(list_ids))
        .values(revoked_at=utcnow()))
    db.session.commit()


@co_organiser_left.connect
def _revoke_devices_of_former_co_organiser(_sender, event_id: int, organisation_id: int, **_extra) -> None:
    """Scanner links a co-organiser opened stop working when it leaves the event (committed by the sender)."""
    list_ids = sa.select(CheckInList.id).where(CheckInList.event_id == event_id)
    db.session.execute(sa.update(Device).where(
        Device.organisation_id == organisation_id, Device.revoked_at.is_(None), Device.check_in_list_id.in_(list_ids))
        .values(revoked_at=utcnow()))


@registration_erased.connect
def _scrub_scan_log(registration: Registration, secrets: tuple[str, ...], **_extra) -> None:
    """An erased person's scans keep their result and time (the counts), not the code read from the ticket; an
    organiser's reasons about them go too, since they may name them."""
    ticket_code = secrets[0]
    db.session.execute(sa.update(ScanLog).where(sa.or_(
        ScanLog.registration_id == registration.id, ScanLog.code_excerpt.contains(ticket_code, autoescape=True)))
        .values(code_excerpt=None), execution_options={"synchronize_session": False})
    for model in (CompletionOverride, CompletionLog):
        db.session.execute(sa.update(model).where(model.registration_id == registration.id).values(reason=""),
                           execution_options={"synchronize_session": False})


@personal_data.connect
def _check_ins_in_personal_data(registration: Registration, **_extra):
    """Where and when the person was checked in, and every scan of their ticket, for their data download."""
    rows = db.session.execute(sa.select(CheckIn, CheckInList.name).join(CheckInList).where(
        CheckIn.registration_id == registration.id).order_by(CheckIn.id)).all()
    scans = db.session.execute(sa.select(ScanLog, CheckInList.name).join(CheckInList).where(
        ScanLog.registration_id == registration.id).order_by(ScanLog.id)).all()
    return "check_ins", {
        "lists": [{"list": name, "checked_in_at": c.checked_in_at.isoformat(), "gate": c.gate,
                   "exited_at": c.exited_at.isoformat() if c.exited_at else None} for c, name in rows],
        "scans": [{"list": name, "result": log.result.value, "direction": log.direction.value, "gate": log.gate,
                   "scanned_at": log.scanned_at.isoformat()} for log, name in scans]}


@session_changed.connect
def _session_list_follows_its_session(session, change: SessionChange, **_extra) -> None:
    """A session's own list opens and closes with the session when it moves (inside the move's transaction)."""
    if change == SessionChange.MOVED:
        db.session.execute(sa.update(CheckInList).where(CheckInList.session_id == session.id).values(
            opens_at=session.starts_at - SESSION_LIST_EARLY, closes_at=session.ends_at))


@event_cloned_dependants.connect
def _copy_check_in_lists(_sender, source_id: int, clone_id: int, shift: timedelta, copied: dict, **_extra) -> None:
    """A cloned event keeps its check-in lists (categories and sessions mapped to their copies, hours shifted with
    the event) and its training's completion rule; no device, scan or check-in."""
    sessions, categories = copied.get("sessions", {}), copied.get("categories", {})
    for check_in_list in lists_for_event(source_id):
        if check_in_list.session_id is not None and check_in_list.session_id not in sessions:
            continue  # its session (cancelled) was not copied
        copy = copy_row(check_in_list, event_id=clone_id, session_id=sessions.get(check_in_list.session_id),
                        opens_at=check_in_list.opens_at and check_in_list.opens_at + shift,
                        closes_at=check_in_list.closes_at and check_in_list.closes_at + shift)
        copy.categories = [db.session.get(RegistrationCategory, categories[c.id])
                           for c in check_in_list.categories if c.id in categories]
        db.session.add(copy)
    rule = db.session.get(CompletionRule, source_id)
    if rule is not None:
        db.session.add(copy_row(rule, event_id=clone_id, updated_by_id=None))
    db.session.flush()
