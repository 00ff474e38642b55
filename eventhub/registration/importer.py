"""Bulk import of attendees: read a CSV or XLSX file, match its headers, check every row without
writing anything, keep the rows in an ImportBatch for the preview, then register the valid rows
chunk by chunk through `services.register`, so capacity, quotas and duplicates rules still hold."""
import re
import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..contact import normalise_email, normalise_phone
from ..errors import ValidationFailed
from ..events.models import Event
from ..extensions import db
from ..lookup import get_owned
from ..text import search_key
from ..timeutil import utcnow
from . import services
from .exports import EXAMPLE_EMAIL, EXAMPLE_PHONE, FIELD_LABELS, FIELDS, ImportRefused, read_table_bounded
from .models import (
    ACTIVE_STATUSES,
    ConsentMethod,
    Gender,
    ImportBatch,
    Question,
    QuestionKind,
    Registration,
    RegistrationCategory,
    RegistrationSource,
)
from .provenance import Provenance

CHUNK_SIZE = 50
GENDER_WORDS = {Gender.FEMALE: "Nữ", Gender.MALE: "Nam", Gender.OTHER: "Khác"}
HEADER_ALIASES = {"hoten": "full_name", "sodienthoai": "phone", "sdt": "phone"}
TEXT_LENGTHS = {"full_name": 150, "email": 254, "organisation_name": 200, "province": 100, "sub_unit": 150}


@dataclass
class ParsedFile:
    rows: list[dict]
    unknown_columns: list[str] = field(default_factory=list)
    ignored_examples: int = 0


# Checking rows ---------------------------------------------------------------------------------

def _header_key(text: str) -> str:
    return search_key(text).replace(" ", "")


def match_headers(header: list[str], question_list: list[Question]) -> tuple[dict[str, int], list[str]]:
    """Column index of each known field ("q_<id>" for questions) and the unknown headers. Headers match
    whatever their case, accents and spacing ("HO VA TEN", "Email"), in Vietnamese or the page's language."""
    known: dict[str, str] = dict(HEADER_ALIASES)
    for key, label in FIELDS:
        known.setdefault(_header_key(label), key)
        known.setdefault(_header_key(_(label)), key)
    for question in question_list:
        known.setdefault(_header_key(question.label), f"q_{question.id}")
    columns: dict[str, int] = {}
    unknown = []
    for index, text in enumerate(header):
        if not text.strip():
            continue
        key = known.get(_header_key(text))
        if key is None:
            unknown.append(text)
        elif key in columns:
            raise ImportRefused(_l("Cột “%(name)s” xuất hiện hai lần.", name=text))
        else:
            columns[key] = index
    missing = [_(FIELD_LABELS[key]) for key in ("full_name", "category") if key not in columns]
    if "phone" not in columns and "email" not in columns:
        missing.append(f"{_(FIELD_LABELS['phone'])} / {_(FIELD_LABELS['email'])}")
    missing += [q.label for q in question_list if q.required and f"q_{q.id}" not in columns]
    if missing:
        raise ImportRefused(_l("Tệp thiếu cột: %(names)s. Hãy tải tệp mẫu và giữ nguyên dòng tiêu đề.",
                               names=", ".join(missing)))
    return columns, unknown


def parse_upload(event: Event, filename: str, data: bytes, *, now: datetime | None = None,
                 category: RegistrationCategory | None = None) -> ParsedFile:
    """Read and check a whole file; nothing is written. With `category` (a delegation's), the file needs no
    category column and every row takes that one."""
    now = now or utcnow()
    table = read_table_bounded(filename, data)
    question_list = services.questions(event.id)
    if category:
        table = _with_category(table, category.name)
    columns, unknown = match_headers(table[0][1], question_list)
    categories = {search_key(c.name): c for c in services.categories(event.id, active_only=True)}
    genders = {search_key(word): gender for gender in Gender
               for word in (gender.value, GENDER_WORDS[gender], str(gender.label))}
    registered = set()
    for email_key, phone_key in db.session.execute(sa.select(Registration.email_key, Registration.phone_key).where(
            Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))):
        registered.update(key for key in (email_key, phone_key) if key)
    seen: dict[str, int] = {}
    parsed = ParsedFile(rows=[], unknown_columns=unknown)
    for line, cells in table[1:]:
        values = {key: cells[index].strip() if index < len(cells) else "" for key, index in columns.items()}
        if values.get("phone") == EXAMPLE_PHONE and values.get("email") == EXAMPLE_EMAIL:
            parsed.ignored_examples += 1
            continue
        row = _check_row(event, line, values, question_list, categories, genders, now)
        keys = [k for k in (row.pop("email_key"), row.pop("phone_key")) if k]
        if any(k in registered for k in keys):
            row["errors"].append(_("Người này đã đăng ký sự kiện (trùng số điện thoại hoặc e-mail)."))
            row["duplicate"] = True
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            row["duplicate"] = True
            row["errors"].append(_("Trùng với dòng %(line)d trong tệp (cùng số điện thoại hoặc e-mail).",
                                   line=earlier))
        for key in keys:
            seen.setdefault(key, line)
        parsed.rows.append(row)
    return parsed


def _with_category(table: list, name: str) -> list:
    """The table with every row in the category `name`, whether the file had a category column or not."""
    header = table[0][1]
    index = next((i for i, text in enumerate(header) if _header_key(text) == _header_key(FIELD_LABELS["category"])),
                 None)
    if index is None:
        header, index = [*header, FIELD_LABELS["category"]], len(header)
    rows = [(line, [*cells[:index], *[""] * (index - len(cells)), name, *cells[index + 1:]])
            for line, cells in table[1:]]
    return [(table[0][0], header), *rows]


def _check_row(event, line, values, question_list, categories, genders, now) -> dict:
    """One row as the registration form would be filled; the registration rules themselves are the
    service's (`check_registrant`), the file-only ones (category by name, gender words) are here."""
    errors: list[str] = []

    def problem(key, message):
        label = _(FIELD_LABELS[key]) if key in FIELD_LABELS else key
        errors.append(f"{label}: {message}")

    data = {key: values.get(key, "") for key in TEXT_LENGTHS}
    data["full_name"] = " ".join(data["full_name"].split())
    for key, limit in TEXT_LENGTHS.items():
        if len(data[key]) > limit:
            problem(key, _("Quá dài (tối đa %(n)d ký tự).", n=limit))
    category_name = values.get("category", "")
    category = categories.get(search_key(category_name))
    data["category"], data["category_id"] = (category.name, category.id) if category else (category_name, None)
    if not category_name:
        problem("category", _("Vui lòng nhập đối tượng tham dự."))
    elif category is None:
        problem("category", _("Không có đối tượng “%(name)s” trong sự kiện.", name=category_name))
    phone = values.get("phone", "")
    if phone.isdigit() and len(phone) == 9 and phone[0] != "0":
        phone = "0" + phone  # Excel drops the leading zero of numbers typed as numbers
    phone_key = normalise_phone(phone) if phone else None
    data["phone"] = phone_key or phone
    gender_text = values.get("gender", "")
    gender = genders.get(search_key(gender_text)) if gender_text else None
    data["gender"] = gender.value if gender else None
    if gender_text and gender is None:
        problem("gender", _("Chỉ nhận Nữ, Nam hoặc Khác."))
    year = values.get("birth_year", "")
    data["birth_year"] = int(year) if re.fullmatch(r"[0-9]{4}", year) else None
    if year and data["birth_year"] is None:
        problem("birth_year", _("Năm sinh không hợp lệ (ví dụ 1995)."))
    data["answers"] = {str(q.id): _answer_value(q, values.get(f"q_{q.id}", "")) for q in question_list}
    registrant = services.Registrant(
        full_name=data["full_name"], category_id=data["category_id"], email=data["email"] or None,
        phone=data["phone"] or None, birth_year=data["birth_year"],
        answers={int(qid): value for qid, value in data["answers"].items()})
    labels = {f"q_{q.id}": q.label for q in question_list} | {"email": "email" if data["email"] else "phone"}
    found, _answers = services.check_registrant(event, registrant, require_consent=False, now=now)
    for field_name, messages in found.items():
        if field_name == "category_id":
            continue  # said above, by name
        for message in messages:
            problem(labels.get(field_name, field_name), str(message))
    email_key = normalise_email(data["email"]) if data["email"] and "email" not in found else None
    return {"line": line, "data": data, "errors": errors, "email_key": email_key,
            "phone_key": phone_key if "phone" not in found else None}


def _answer_value(question: Question, text: str):
    """Options match however they are typed (case, accents); a multiple choice is written "A; B"
    (or "A, B" when the whole text is not itself an option)."""
    if not question.kind.has_options or not text:
        return text
    options = {search_key(option): option for option in question.options}
    if question.kind == QuestionKind.SINGLE_CHOICE or search_key(text) in options:
        return options.get(search_key(text), text)
    separator = r"[;\n]" if re.search(r"[;\n]", text) else ","
    return [options.get(search_key(part), part.strip()) for part in re.split(separator, text) if part.strip()]


# Batches ---------------------------------------------------------------------------------------

def create_batch(event_id: int, user_id: int | None, filename: str, parsed: ParsedFile) -> ImportBatch:
    batch = ImportBatch(event_id=event_id, created_by_id=user_id, filename=(filename or "")[-255:] or "-",
                        rows=parsed.rows)
    db.session.add(batch)
    db.session.commit()
    return batch


def get_batch(event_id: int, batch_id: int) -> ImportBatch:
    return get_owned(ImportBatch, batch_id, event_id=event_id)


def valid_rows(batch: ImportBatch) -> list[dict]:
    return [row for row in batch.rows if not row["errors"]]


def progress(batch: ImportBatch) -> dict:
    return {"processed": batch.processed, "total": len(valid_rows(batch)), "created": batch.created_count,
            "skipped": batch.skipped_count, "done": batch.finished_at is not None}


def to_registrant(data: dict) -> services.Registrant:
    return services.Registrant(
        full_name=data["full_name"], category_id=data["category_id"], email=data["email"] or None,
        phone=data["phone"] or None, gender=Gender(data["gender"]) if data["gender"] else None,
        birth_year=data["birth_year"], organisation_name=data["organisation_name"], province=data["province"],
        sub_unit=data["sub_unit"], answers={int(qid): value for qid, value in data["answers"].items()})


def run_step(batch_id: int, limit: int | None = None) -> dict:
    """Register the next chunk of valid rows. The chunk is claimed first, so a double click or two tabs
    never process it twice; people already registered (even by an earlier import) are skipped."""
    batch = db.session.get(ImportBatch, batch_id)
    valid = valid_rows(batch)
    start = batch.processed
    chunk = valid[start:start + (limit or CHUNK_SIZE)]
    claimed = db.session.execute(sa.update(ImportBatch).where(
        ImportBatch.id == batch_id, ImportBatch.processed == start, ImportBatch.finished_at.is_(None))
        .values(processed=start + len(chunk))).rowcount
    db.session.commit()
    if claimed:
        created = skipped = 0
        try:
            for row in chunk:
                try:
                    services.register(batch.event_id, to_registrant(row["data"]), source=RegistrationSource.IMPORT,
                                      import_batch_id=batch_id, provenance=Provenance(
                                          ConsentMethod.IMPORT, recorded_by_id=batch.created_by_id))
                    created += 1
                except (services.DuplicateRegistration, ValidationFailed, IntegrityError):
                    skipped += 1
        finally:
            done, end = start + created + skipped, start + len(chunk)
            values = {"created_count": ImportBatch.created_count + created,
                      "skipped_count": ImportBatch.skipped_count + skipped}
            if done >= len(valid):
                values["finished_at"] = utcnow()
            db.session.rollback()
            db.session.execute(sa.update(ImportBatch).where(ImportBatch.id == batch_id).values(**values))
            if done < end:  # refused for the whole event (cancelled, archived): the rest waits for a retry
                db.session.execute(sa.update(ImportBatch).where(
                    ImportBatch.id == batch_id, ImportBatch.processed == end).values(processed=done))
            db.session.commit()
    db.session.expire_all()
    return progress(db.session.get(ImportBatch, batch_id))


def run_all(batch_id: int, time_budget: float | None = None) -> dict:
    """The remaining chunks, until done or `time_budget` seconds are spent (a request must not run for
    minutes); stops early too if another request is processing this batch at the same time."""
    deadline = None if time_budget is None else time.monotonic() + time_budget
    previous = None
    while not (result := run_step(batch_id))["done"] and result != previous:
        if deadline is not None and time.monotonic() >= deadline:
            break
        previous = result
    return result


def summary_message(batch: ImportBatch) -> str:
    counts = dict(db.session.execute(sa.select(Registration.status, sa.func.count()).where(
        Registration.import_batch_id == batch.id).group_by(Registration.status)).all())
    parts = ", ".join(f"{counts[status]} {str(status.label).lower()}" for status in ACTIVE_STATUSES
                      if counts.get(status))
    message = _("Đã nhập %(created)d người", created=batch.created_count)
    message += f" ({parts})" if parts else ""
    if batch.skipped_count:
        message += "; " + _("bỏ qua %(n)d người đã đăng ký từ trước hoặc không còn hợp lệ", n=batch.skipped_count)
    return message + "."
