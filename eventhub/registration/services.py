"""Who holds a seat. Every change of seat holders runs inside `_seat_lock`, so capacity and quotas
hold under any concurrency, on SQLite and on PostgreSQL alike."""
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import locking
from ..contact import normalise_email, normalise_phone
from ..errors import DomainError, NotFound, ValidationFailed
from ..events.models import Event, EventStatus
from ..events.signals import event_cloned, event_updated
from ..extensions import db
from ..mail.rendering import Gone as MessageGone
from ..mail.rendering import render as render_message
from ..mail.services import messages_to, scrub_messages
from ..models_base import copy_row
from ..text import search_key
from ..timeutil import this_year, utcnow
from . import notifications, tickets
from .models import (
    ACTIVE_SQL,
    ACTIVE_STATUSES,
    Answer,
    ConsentText,
    Delegation,
    Gender,
    ImportBatch,
    PersonalDataAction,
    PersonalDataLog,
    Question,
    QuestionKind,
    Registration,
    RegistrationCategory,
    RegistrationMode,
    RegistrationSettings,
    RegistrationSource,
    RegistrationStatus,
)
from .provenance import Provenance
from .provenance import describe as describe_consent
from .signals import personal_data as personal_data_signal
from .signals import registration_erased

CONSENT_DIRECTORY = Path(__file__).parent / "consent"
ANONYMISED_NAME = "(đã xoá theo yêu cầu)"
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 5000}
MIN_BIRTH_YEAR = 1900
YES_WORDS = {"yes", "y", "true", "1", "có", "co", "x"}
NO_WORDS = {"no", "n", "false", "0", "không", "khong"}


@dataclass
class Registrant:
    """What a person (or an organiser on their behalf) submits."""

    full_name: str
    category_id: int | None
    email: str | None = None
    phone: str | None = None
    gender: Gender | None = None
    birth_year: int | None = None
    organisation_name: str | None = None
    province: str | None = None
    sub_unit: str | None = None
    answers: dict[int, object] = field(default_factory=dict)
    consent_version: str | None = None
    submission_key: str | None = None  # see Registration.submission_key


# Settings and consent -------------------------------------------------------------------------

def settings_for(event_id: int) -> RegistrationSettings:
    """The event's settings row, created on first use (a concurrent creation is harmless)."""
    settings = db.session.get(RegistrationSettings, event_id)
    if settings is not None:
        return settings
    db.session.add(RegistrationSettings(event_id=event_id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return db.session.get(RegistrationSettings, event_id)


def current_consent() -> ConsentText:
    """The consent text people accept now; looked up once per request."""
    if "current_consent" in g:
        return g.current_consent
    version = current_app.config["CONSENT_VERSION"]
    consent = db.session.scalar(sa.select(ConsentText).where(ConsentText.version == version))
    if consent is not None:
        g.current_consent = consent
        return consent
    body = (CONSENT_DIRECTORY / f"{version}.md").read_text(encoding="utf-8")
    db.session.add(ConsentText(version=version, body=body))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return db.session.scalar(sa.select(ConsentText).where(ConsentText.version == version))


def consent_translation(version: str, language: str) -> str | None:
    """A translation of a consent text for reading (`<version>.<language>.md`), or None. What people accept and
    what is recorded stays the Vietnamese text of that version."""
    if not re.fullmatch(r"[a-z]{2}", language or "") or language == "vi":
        return None
    path = CONSENT_DIRECTORY / f"{version}.{language}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def categories(event_id: int, *, active_only: bool = False) -> list[RegistrationCategory]:
    query = sa.select(RegistrationCategory).where(RegistrationCategory.event_id == event_id)
    if active_only:
        query = query.where(RegistrationCategory.is_active.is_(True))
    return list(db.session.scalars(query.order_by(RegistrationCategory.position, RegistrationCategory.id)))


def questions(event_id: int) -> list[Question]:
    return list(db.session.scalars(
        sa.select(Question).where(Question.event_id == event_id).order_by(Question.position, Question.id)))


# Reading seats ---------------------------------------------------------------------------------

def confirmed_count(event_id: int, category_id: int | None = None) -> int:
    """Seats taken in the event (or one category), from the counters every seat change keeps under the lock."""
    if category_id is not None:
        category = db.session.get(RegistrationCategory, category_id)
        return category.confirmed_count if category is not None and category.event_id == event_id else 0
    return settings_for(event_id).confirmed_count


def status_counts(event_id: int) -> dict[RegistrationStatus, int]:
    rows = db.session.execute(sa.select(Registration.status, sa.func.count()).where(
        Registration.event_id == event_id).group_by(Registration.status))
    counts = {status: 0 for status in RegistrationStatus}
    counts.update(dict(rows.all()))
    return counts


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.event_id == registration.event_id, Registration.status == RegistrationStatus.WAITLISTED,
        sa.or_(Registration.waitlisted_at < registration.waitlisted_at,
               sa.and_(Registration.waitlisted_at == registration.waitlisted_at, Registration.id < registration.id))))
    return ahead + 1


def registration_window_problem(event: Event, now: datetime) -> str | None:
    """Why the public cannot register now, or None when they can."""
    if event.status != EventStatus.PUBLISHED:
        return str(_l("Sự kiện hiện không nhận đăng ký."))
    if event.registration_opens_at and now < event.registration_opens_at:
        return str(_l("Đăng ký chưa mở."))
    if (event.registration_closes_at and now >= event.registration_closes_at) or now >= event.ends_at:
        return str(_l("Đã hết hạn đăng ký."))
    return None


# Validation ------------------------------------------------------------------------------------

def _clean_answer(question: Question, raw) -> str | None:
    """The stored text of an answer, None when unanswered; ValueError with a message when invalid."""
    values = [str(v).strip() for v in (raw if isinstance(raw, list) else [raw]) if v is not None and str(v).strip()]
    if not values:
        return None
    kind = question.kind
    if kind in TEXT_LIMITS:
        if len(values[0]) > TEXT_LIMITS[kind]:
            raise ValueError(_l("Câu trả lời quá dài (tối đa %(n)d ký tự).", n=TEXT_LIMITS[kind]))
        return values[0]
    if kind == QuestionKind.SINGLE_CHOICE:
        if len(values) != 1 or values[0] not in question.options:
            raise ValueError(_l("Vui lòng chọn một trong các phương án."))
        return values[0]
    if kind == QuestionKind.MULTIPLE_CHOICE:
        if any(v not in question.options for v in values):
            raise ValueError(_l("Có lựa chọn không nằm trong danh sách."))
        return json.dumps(sorted(set(values), key=question.options.index), ensure_ascii=False)
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(values[0].replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(_l("Vui lòng nhập một số.")) from error
        if not number.is_finite():
            raise ValueError(_l("Vui lòng nhập một số."))
        return str(number)
    if kind == QuestionKind.DATE:
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(values[0], pattern).date().isoformat()
            except ValueError:
                continue
        raise ValueError(_l("Ngày không hợp lệ, hãy nhập dạng ngày/tháng/năm."))
    word = values[0].lower()
    if word in YES_WORDS:
        return "yes"
    if word in NO_WORDS:
        return "no"
    raise ValueError(_l("Vui lòng chọn Có hoặc Không."))


def check_registrant(event: Event, registrant: Registrant, *, require_consent: bool, now: datetime,
                     question_list: list[Question] | None = None) -> tuple[dict, dict[int, str]]:
    """Field problems and the cleaned answers. Field names match the registration form; `question_list` is
    the event's questions when the caller has them already."""
    problems: dict[str, list] = {}

    def add(name, message):
        problems.setdefault(name, []).append(message)

    if not (registrant.full_name or "").strip():
        add("full_name", _l("Vui lòng nhập họ và tên."))
    category = db.session.get(RegistrationCategory, registrant.category_id) if registrant.category_id else None
    if category is None or category.event_id != event.id or not category.is_active:
        add("category_id", _l("Vui lòng chọn đối tượng tham dự."))
    if not (registrant.email or "").strip() and not (registrant.phone or "").strip():
        add("email", _l("Cần ít nhất số điện thoại hoặc e-mail."))
    if (registrant.email or "").strip():
        try:
            validate_email(registrant.email.strip(), check_deliverability=False)
        except EmailNotValidError:
            add("email", _l("Địa chỉ e-mail không hợp lệ."))
    if (registrant.phone or "").strip() and normalise_phone(registrant.phone) is None:
        add("phone", _l("Số điện thoại không hợp lệ (10 số bắt đầu bằng 0, hoặc +84 và 9 số)."))
    if registrant.birth_year is not None and not MIN_BIRTH_YEAR <= registrant.birth_year <= this_year(now):
        add("birth_year", _l("Năm sinh không hợp lệ."))
    if require_consent and registrant.consent_version != current_consent().version:
        add("consent", _l("Vui lòng đọc và đồng ý với điều khoản xử lý dữ liệu cá nhân."))
    answers: dict[int, str] = {}
    for question in questions(event.id) if question_list is None else question_list:
        try:
            value = _clean_answer(question, registrant.answers.get(question.id))
        except ValueError as error:
            add(f"q_{question.id}", error.args[0])
            continue
        if value is None and question.required:
            add(f"q_{question.id}", _l("Câu hỏi này là bắt buộc."))
        elif value is not None:
            answers[question.id] = value
    return problems, answers


# Changing seat holders ------------------------------------------------------------------------

def _seat_lock(event_id: int) -> RegistrationSettings:
    """Serialise every seat change of one event on its settings row (see `locking`), which comes back
    reloaded with its seat counters; what callers loaded before must be refreshed afterwards."""
    try:
        return locking.lock_row(RegistrationSettings.lock_version, event_id)
    except NotFound:  # the event's first seat change: create the row (settings_for commits it), then lock it
        settings_for(event_id)
        return locking.lock_row(RegistrationSettings.lock_version, event_id)


def _has_seat(settings: RegistrationSettings, event: Event, category: RegistrationCategory) -> bool:
    """Read under the seat lock, from the counters the lock row and the (refreshed) category keep."""
    if event.capacity is not None and settings.confirmed_count >= event.capacity:
        return False
    return category.quota is None or category.confirmed_count < category.quota


def _count(settings: RegistrationSettings, category: RegistrationCategory, status: RegistrationStatus | None,
           change: int) -> None:
    """Keep the seat counters in step with one registration entering (+1) or leaving (-1) a status."""
    if status == RegistrationStatus.CONFIRMED:
        settings.confirmed_count += change
        category.confirmed_count += change
    elif status == RegistrationStatus.WAITLISTED:
        settings.waitlisted_count += change


def _duplicate_of(event_id: int, email_key: str | None, phone_key: str | None) -> Registration | None:
    """The active registration with this e-mail or phone. Each half repeats its unique index's own condition word
    for word, so the database reads that partial index instead of every active registration of the event."""
    matches = [sa.select(Registration.id).where(Registration.event_id == event_id, column == key, column.is_not(None),
                                                sa.text(ACTIVE_SQL))
               for column, key in ((Registration.email_key, email_key), (Registration.phone_key, phone_key)) if key]
    if not matches:
        return None
    return db.session.scalar(sa.select(Registration).where(
        Registration.id.in_(sa.union_all(*matches).scalar_subquery())).limit(1))


class DuplicateRegistration(DomainError):
    status = 409

    def __init__(self, existing: Registration):
        super().__init__("duplicate", _l("Số điện thoại hoặc e-mail này đã đăng ký sự kiện. Bạn có thể yêu cầu "
                                         "gửi lại vé thay vì đăng ký lần nữa."))
        self.existing = existing


@dataclass(frozen=True)
class Placed:
    registration: Registration
    waitlist_position: int | None  # decided under the seat lock, so the answer needs no query after the commit


def register(event_id: int, registrant: Registrant, **options) -> Registration:
    """Register one person: confirmed when a seat is free (open mode), pending (reviewed mode),
    otherwise on the waiting list. Public sign-ups must be inside the registration window. `provenance` says
    how consent was obtained (by default: as the source implies, recorded by nobody in particular)."""
    return register_placed(event_id, registrant, **options).registration


def register_placed(event_id: int, registrant: Registrant, *, source: RegistrationSource = RegistrationSource.PUBLIC,
                    import_batch_id: int | None = None, now: datetime | None = None,
                    question_list: list[Question] | None = None, provenance: Provenance | None = None) -> Placed:
    """`register`, also telling the waiting-list place (None unless waitlisted). Only the seat decision runs
    under the lock, from counters; the registration and its notice are written there, and the commit keeps
    them loaded."""
    now = now or utcnow()
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    if source == RegistrationSource.PUBLIC:
        problem = registration_window_problem(event, now)
        if problem:
            raise DomainError("registration_closed", problem, status=409)
    elif event.status in (EventStatus.CANCELLED, EventStatus.ARCHIVED):
        raise DomainError("event_closed", _l("Sự kiện đã huỷ hoặc đã lưu trữ."), status=409)
    problems, answers = check_registrant(event, registrant, require_consent=source == RegistrationSource.PUBLIC,
                                         now=now, question_list=question_list)
    if problems:
        raise ValidationFailed(problems)
    email_key = normalise_email(registrant.email) if (registrant.email or "").strip() else None
    phone_key = normalise_phone(registrant.phone) if (registrant.phone or "").strip() else None
    consent = current_consent()
    ticket_code = secrets.token_urlsafe(16)

    earlier = _earlier_submission(event_id, registrant, email_key, phone_key)
    if earlier is not None:
        return Placed(earlier, waitlist_position(earlier))
    _refuse_duplicate(event_id, email_key, phone_key)  # early; the unique indexes decide under the lock
    settings = _seat_lock(event_id)
    try:
        db.session.refresh(event, ["capacity", "status"])
        category = db.session.get(RegistrationCategory, registrant.category_id)
        db.session.refresh(category)
        if settings.mode == RegistrationMode.REVIEWED and source == RegistrationSource.PUBLIC:
            status = RegistrationStatus.PENDING
        elif _has_seat(settings, event, category):
            status = RegistrationStatus.CONFIRMED
        else:
            status = RegistrationStatus.WAITLISTED
        _count(settings, category, status, +1)
        registration = Registration(
            event=event, category=category, status=status, source=source,
            ticket_code=ticket_code, access_key=secrets.token_urlsafe(32),
            full_name=" ".join(registrant.full_name.split()), name_key=search_key(registrant.full_name),
            email=registrant.email.strip() if email_key else None,
            phone=phone_key, email_key=email_key, phone_key=phone_key, gender=registrant.gender,
            birth_year=registrant.birth_year, organisation_name=(registrant.organisation_name or "").strip() or None,
            province=(registrant.province or "").strip() or None, sub_unit=(registrant.sub_unit or "").strip() or None,
            consent_id=consent.id, consented_at=now, import_batch_id=import_batch_id, created_at=now,
            submission_key=registrant.submission_key,
            status_changed_at=now, waitlisted_at=_queue_time(now) if status == RegistrationStatus.WAITLISTED else None,
            answers=[Answer(question_id=qid, value=value) for qid, value in answers.items()],
        )
        (provenance or Provenance.for_source(source)).apply(registration)
        # Queued last (see _queue_time), so its place is the count.
        position = settings.waitlisted_count if status == RegistrationStatus.WAITLISTED else None
        db.session.add(registration)
        db.session.flush()
        notifications.status_changed(registration, now=now)
        locking.commit_keeping_loaded()
    except DomainError:
        db.session.rollback()
        raise
    except IntegrityError as error:  # the same person a moment earlier, the category vanished, or a code collided
        db.session.rollback()
        earlier = _earlier_submission(event_id, registrant, email_key, phone_key)
        if earlier is not None:  # the same submission, sent twice at once
            return Placed(earlier, waitlist_position(earlier))
        _refuse_duplicate(event_id, email_key, phone_key)
        raise DomainError("conflict", _l("Dữ liệu vừa thay đổi, vui lòng gửi lại."), status=409) from error
    return Placed(registration, position)


def _earlier_submission(event_id: int, registrant: Registrant, email_key: str | None,
                        phone_key: str | None) -> Registration | None:
    """The registration this same submission made before (its answer was lost): same key, same contact, so a
    key alone never opens someone else's ticket."""
    if not registrant.submission_key:
        return None
    earlier = db.session.scalar(sa.select(Registration).where(
        Registration.event_id == event_id, Registration.submission_key == registrant.submission_key))
    if earlier is None or (earlier.email_key, earlier.phone_key) != (email_key, phone_key):
        return None
    return earlier


def _refuse_duplicate(event_id: int, email_key: str | None, phone_key: str | None) -> None:
    existing = _duplicate_of(event_id, email_key, phone_key)
    if existing is not None:
        raise DuplicateRegistration(existing)


def _set_status(registration: Registration, status: RegistrationStatus, now: datetime) -> None:
    """Change a status under the seat lock: the lock row is in the session (see `_seat_lock`) and the
    registration's category has been refreshed under the lock, so their counters are current."""
    settings = db.session.get(RegistrationSettings, registration.event_id)
    _count(settings, registration.category, registration.status, -1)
    _count(settings, registration.category, status, +1)
    registration.status = status
    registration.status_changed_at = now
    if status == RegistrationStatus.WAITLISTED:
        registration.waitlisted_at = _queue_time(now)


def _queue_time(now: datetime) -> datetime:
    """A place in line is decided under the seat lock, so it is stamped with the clock read there: a
    request that arrived earlier but got the lock later must not jump ahead of people already told
    their position. (`now` is honoured when a caller sets it later, as tests do.)"""
    return max(now, utcnow())


def _fill_free_seats(event: Event, now: datetime) -> list[Registration]:
    """Confirm waiting people in order while seats (and their category's quota) allow; under the seat lock."""
    settings = db.session.get(RegistrationSettings, event.id)
    if settings.waitlisted_count == 0 or (event.capacity is not None and settings.confirmed_count >= event.capacity):
        return []
    list(db.session.scalars(sa.select(RegistrationCategory).where(RegistrationCategory.event_id == event.id)
                            .execution_options(populate_existing=True)))  # their counters, current
    waiting = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id))
    promoted = []
    for registration in waiting:
        if event.capacity is not None and settings.confirmed_count >= event.capacity:
            break
        if not _has_seat(settings, event, registration.category):
            continue
        _set_status(registration, RegistrationStatus.CONFIRMED, now)
        notifications.status_changed(registration, now=now, promoted=True)
        promoted.append(registration)
    return promoted


def promote_waitlist(event_id: int, now: datetime | None = None) -> list[Registration]:
    """Give freed or added seats to the waiting list (after a capacity or quota increase)."""
    now = now or utcnow()
    _seat_lock(event_id)
    promoted = _fill_free_seats(db.session.get(Event, event_id), now)
    db.session.commit()
    return promoted


def get_registration(registration_id: int, event_id: int | None = None) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or (event_id is not None and registration.event_id != event_id):
        raise NotFound()
    return registration


def by_access_key(access_key: str) -> Registration:
    registration = db.session.scalar(sa.select(Registration).where(Registration.access_key == access_key))
    if registration is None:
        raise NotFound(_l("Không tìm thấy vé. Hãy kiểm tra lại đường dẫn trong e-mail."))
    return registration


def _change(registration_id: int, allowed: tuple[RegistrationStatus, ...], change, now: datetime) -> Registration:
    registration = get_registration(registration_id)
    _seat_lock(registration.event_id)
    db.session.refresh(registration)
    db.session.refresh(registration.event)
    db.session.refresh(registration.category)
    if registration.status not in allowed:
        db.session.rollback()
        raise DomainError("illegal_status", _l("Không thể thực hiện khi đăng ký đang ở trạng thái “%(state)s”."),
                          status=409, state=registration.status.label)
    change(registration)
    _fill_free_seats(registration.event, now)
    db.session.commit()
    return registration


def cancel(registration_id: int, now: datetime | None = None) -> Registration:
    now = now or utcnow()

    def apply(registration):
        if registration.event.status in (EventStatus.FINISHED, EventStatus.ARCHIVED):
            raise DomainError("event_finished", _l("Sự kiện đã kết thúc."), status=409)
        _set_status(registration, RegistrationStatus.CANCELLED, now)
        notifications.status_changed(registration, now=now)

    return _change(registration_id, ACTIVE_STATUSES, apply, now)


def approve(registration_id: int, now: datetime | None = None) -> Registration:
    now = now or utcnow()

    def apply(registration):
        seat = _has_seat(db.session.get(RegistrationSettings, registration.event_id), registration.event,
                         registration.category)
        _set_status(registration, RegistrationStatus.CONFIRMED if seat else RegistrationStatus.WAITLISTED, now)
        notifications.status_changed(registration, now=now)

    return _change(registration_id, (RegistrationStatus.PENDING,), apply, now)


def reject(registration_id: int, reason: str, now: datetime | None = None) -> Registration:
    now = now or utcnow()
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Vui lòng nêu lý do để thông báo cho người đăng ký.")]})

    def apply(registration):
        _set_status(registration, RegistrationStatus.REJECTED, now)
        registration.rejection_reason = reason.strip()
        notifications.status_changed(registration, now=now)

    return _change(registration_id, (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED), apply, now)


def anonymise(registration_id: int, now: datetime | None = None) -> Registration:
    """Erase personal data on the person's request (Decree 13), everywhere it was copied: the registration, its
    messages in the outbox, the rows of import files, the scan log (through `registration_erased`). The ticket code
    and link are replaced, so the old QR code and link are dead. Category, gender, birth year, province, check-ins
    and sign-ups stay, so anonymous statistics still add up."""
    now = now or utcnow()

    def apply(registration):
        if registration.is_active:
            _set_status(registration, RegistrationStatus.CANCELLED, now)
        old_secrets = (registration.ticket_code, registration.access_key)
        keys = {key for key in (registration.email_key, registration.phone_key) if key}
        _scrub_import_rows(registration.event_id, keys, registration.full_name)
        scrub_messages(recipients=(registration.email, registration.phone),
                       reference_prefix=f"registration:{registration.id}:", secrets=old_secrets,
                       registration_id=registration.id)
        registration.full_name, registration.name_key = ANONYMISED_NAME, ""
        registration.email = registration.phone = registration.email_key = registration.phone_key = None
        registration.organisation_name = registration.sub_unit = registration.rejection_reason = None
        registration.answers = []
        registration.ticket_code, registration.access_key = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
        registration.anonymised_at = now
        db.session.add(PersonalDataLog(action=PersonalDataAction.ERASURE, event_id=registration.event_id,
                                       registration_id=registration.id, created_at=now))
        registration_erased.send(registration, secrets=old_secrets)
        tickets.qr_png.cache_clear()  # the drawn QR codes held the old payload

    return _change(registration_id, tuple(RegistrationStatus), apply, now)


ERASED_ROW = {"full_name": ANONYMISED_NAME, "erased": True}


def _scrub_import_rows(event_id: int, keys: set[str], full_name: str) -> None:
    """Rows of the event's import files that were this person (by phone or e-mail, or by name where the row had no
    contact) keep their place and their count, not their data."""
    for batch in db.session.scalars(sa.select(ImportBatch).where(ImportBatch.event_id == event_id)):
        rows, changed = [], False
        for row in batch.rows:
            data = row.get("data") or {}
            contact = {normalise_email(data["email"]) if data.get("email") else None,
                       normalise_phone(data["phone"]) if data.get("phone") else None} - {None}
            if (contact & keys) or (not contact and data.get("full_name") == full_name):
                row, changed = {**row, "data": dict(ERASED_ROW)}, True
            rows.append(row)
        if changed:
            batch.rows = rows


def log_personal_data(action: PersonalDataAction, *, event_id: int | None, registration_id: int | None = None,
                      user_id: int | None = None, people: int = 1, detail: str | None = None) -> None:
    """Record an export or download of personal data for the platform admins' log (committed by the caller)."""
    db.session.add(PersonalDataLog(action=action, event_id=event_id, registration_id=registration_id,
                                   user_id=user_id, people=people, detail=detail))


def _import_filename(batch_id: int | None) -> str | None:
    return db.session.scalar(sa.select(ImportBatch.filename).where(ImportBatch.id == batch_id)) if batch_id else None


def personal_data(registration: Registration) -> dict:
    """Everything stored about the person (Decree 13: the right of access): their details and answers, the consent
    and where it came from, the messages sent to them, and what other modules hold (check-ins, session sign-ups)."""
    answers = answers_by_question(registration)
    consent = registration.consent
    data = {
        "event": registration.event.title, "status": registration.status.value,
        "category": registration.category.name, "full_name": registration.full_name, "email": registration.email,
        "phone": registration.phone, "gender": registration.gender.value if registration.gender else None,
        "birth_year": registration.birth_year, "organisation": registration.organisation_name,
        "province": registration.province, "sub_unit": registration.sub_unit,
        "answers": {q.label: answers[q.id] for q in questions(registration.event_id) if q.id in answers},
        "consent_version": consent.version if consent else None,
        "consented_at": registration.consented_at.isoformat() if registration.consented_at else None,
        "consent": {"version": consent.version if consent else None, "text": consent.body if consent else None,
                    "given_at": registration.consented_at.isoformat() if registration.consented_at else None,
                    "source": registration.source.value, "method": registration.consent_method.value,
                    "obtained": describe_consent(registration),
                    "import_file": _import_filename(registration.import_batch_id)},
        "registered_at": registration.created_at.isoformat(),
        "messages": [_message_data(m) for m in messages_to(
            (registration.email, registration.phone), f"registration:{registration.id}:",
            (registration.ticket_code, registration.access_key), registration_id=registration.id)],
    }
    for _receiver, part in personal_data_signal.send(registration):
        if part is not None:
            data[part[0]] = part[1]
    return data


def _message_data(message) -> dict:
    """A message as its recipient reads it (a templated one rendered now, as it is when sent)."""
    try:
        rendered = render_message(message)
        subject, body = rendered.subject, rendered.text
    except MessageGone:
        subject, body = message.subject, message.text_body
    return {"to": message.recipient, "channel": message.channel.value, "subject": subject, "body": body,
            "status": message.status.value, "queued_at": message.created_at.isoformat(),
            "sent_at": message.sent_at.isoformat() if message.sent_at else None}


def personal_data_log(limit: int = 500) -> list[tuple[PersonalDataLog, str | None, str | None]]:
    """The newest entries with their event's title and the e-mail of the user who exported."""
    from ..accounts.models import User

    return list(db.session.execute(
        sa.select(PersonalDataLog, Event.title, User.email).outerjoin(Event, Event.id == PersonalDataLog.event_id)
        .outerjoin(User, User.id == PersonalDataLog.user_id).order_by(PersonalDataLog.id.desc()).limit(limit)))


def resend_ticket(registration_id: int, now: datetime | None = None) -> bool:
    """Send the current ticket or status again by e-mail, SMS or Zalo; False without any contact."""
    registration = get_registration(registration_id)
    if not (registration.email or registration.phone) or registration.anonymised_at:
        return False
    notifications.status_changed(registration, now=now or utcnow(), resent=True)
    db.session.commit()
    return True


def resend_for_contact(event_id: int, contact: str) -> bool:
    """A person who lost the ticket types the phone or e-mail used; mail goes only to the address on
    file, so nobody learns anything about someone else's registration."""
    contact = (contact or "").strip()
    email_key = normalise_email(contact) if "@" in contact else None
    phone_key = None if email_key else normalise_phone(contact)
    existing = _duplicate_of(event_id, email_key, phone_key)
    return resend_ticket(existing.id) if existing else False


# Organiser lists -------------------------------------------------------------------------------

def mobilised_by(organisation_id: int):
    """A condition on registrations: the people an organisation mobilised (its delegations, its categories).
    A co-organiser's organisers see these and no one else."""
    return sa.or_(
        Registration.delegation_id.in_(sa.select(Delegation.id).where(Delegation.organisation_id == organisation_id)),
        Registration.category_id.in_(sa.select(RegistrationCategory.id).where(
            RegistrationCategory.organisation_id == organisation_id)))


def attendee_query(event_id: int, *, q: str | None = None, category_id: int | None = None,
                   status: RegistrationStatus | None = None, partner_id: int | None = None,
                   exact_contacts: bool = False) -> sa.Select:
    """`exact_contacts`: a phone or e-mail finds a person only when given whole, so someone who is not shown
    contacts (a volunteer's phone) cannot recover them digit by digit."""
    query = sa.select(Registration).where(Registration.event_id == event_id)
    if partner_id is not None:
        query = query.where(mobilised_by(partner_id))
    if q:
        term = q.strip()
        phone = normalise_phone(term)
        squeezed = search_key(term).replace(" ", "") or term  # "hnhi" finds "H'Nhi Niê" (key "h nhi nie")
        email = (Registration.email_key == term.lower()) if exact_contacts else \
            Registration.email_key.contains(term.lower(), autoescape=True)
        conditions = [Registration.name_key.contains(search_key(term), autoescape=True),
                      sa.func.replace(Registration.name_key, " ", "").contains(squeezed, autoescape=True), email,
                      Registration.ticket_code == term]
        if phone:
            conditions.append(Registration.phone_key == phone)
        elif term.isdigit() and not exact_contacts:
            conditions.append(Registration.phone_key.contains(term, autoescape=True))
        query = query.where(sa.or_(*conditions))
    if category_id:
        query = query.where(Registration.category_id == category_id)
    if status:
        query = query.where(Registration.status == status)
    return query.order_by(Registration.created_at.desc(), Registration.id.desc())


def answers_by_question(registration: Registration) -> dict[int, str]:
    """Answers as people read them (a multiple choice joined with commas)."""
    readable = {}
    for answer in registration.answers:
        if answer.question.kind == QuestionKind.MULTIPLE_CHOICE:
            readable[answer.question_id] = ", ".join(json.loads(answer.value))
        elif answer.question.kind == QuestionKind.YES_NO:
            readable[answer.question_id] = str(_l("Có")) if answer.value == "yes" else str(_l("Không"))
        elif answer.question.kind == QuestionKind.DATE:
            readable[answer.question_id] = date.fromisoformat(answer.value).strftime("%d/%m/%Y")
        else:
            readable[answer.question_id] = answer.value
    return readable


@event_updated.connect
def _offer_new_seats(_sender, event_id: int, **_extra) -> None:
    """A capacity raised on the event page goes to the waiting list at once."""
    promote_waitlist(event_id)


@event_cloned.connect
def _copy_registration_setup(_sender, source_id: int, clone_id: int, copied: dict, **_extra) -> None:
    """A cloned event keeps its settings (mode), categories with their quotas and its questions; no registration."""
    settings = db.session.get(RegistrationSettings, source_id)
    if settings is not None:
        db.session.add(copy_row(settings, event_id=clone_id, lock_version=0, confirmed_count=0, waitlisted_count=0))
    categories = copied.setdefault("categories", {})
    query = sa.select(RegistrationCategory).where(RegistrationCategory.event_id == source_id)
    for category in db.session.scalars(query.order_by(RegistrationCategory.id)):
        copy = copy_row(category, event_id=clone_id, confirmed_count=0)  # the seats are the source's people's
        db.session.add(copy)
        db.session.flush()
        categories[category.id] = copy.id
    for question in db.session.scalars(sa.select(Question).where(Question.event_id == source_id)):
        db.session.add(copy_row(question, event_id=clone_id))
    db.session.flush()
