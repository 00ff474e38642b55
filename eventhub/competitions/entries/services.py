"""Competitions and their entries: setting up a competition, a team entering online through its secret link
(no account), files by content, the deadline enforced here, withdrawal, disqualification and notices."""
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ...contact import normalise_email, normalise_phone
from ...errors import DomainError, NotFound, ValidationFailed
from ...events.models import Event, EventStatus, EventType
from ...extensions import db
from ...lookup import get_owned
from ...mail.services import enqueue
from ...timeutil import to_local, utcnow
from ...uploads import Accepts, commit_or_remove, inspect, store, uploads_dir
from .models import (
    Competition,
    CompetitionField,
    Entry,
    EntryAnswer,
    EntryFile,
    EntryMember,
    EntryQuestion,
    EntryStatus,
    MemberGender,
    StartupProject,
)

MAX_TEAM_SIZE, MAX_FILES = 5, 5
ENTRY_FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_FOLDER = "competition_entries"
ENTRY_FILE = Accepts(field="file", formats=frozenset({"PDF", "JPEG", "PNG"}),
                     too_big=_l("Tệp tối đa %(mb)d MB."), empty=_l("Tệp trống."),
                     unreadable=_l("Tệp phải là PDF, JPEG hoặc PNG."),
                     wrong_format=_l("Tệp phải là PDF, JPEG hoặc PNG, không phải %(format)s."))
EDITABLE = frozenset({EntryStatus.DRAFT, EntryStatus.SUBMITTED})


@dataclass
class CompetitionDetails:
    entry_deadline: datetime
    fields: list[str]
    questions: list[str] = field(default_factory=list)
    max_team_size: int = MAX_TEAM_SIZE
    rules_md: str = ""


@dataclass
class MemberDetails:
    full_name: str
    phone: str
    gender: MemberGender
    consent: bool
    email: str | None = None
    group_code: str | None = None


@dataclass
class EntryDetails:
    team_name: str
    members: list[MemberDetails]
    field_id: int | None = None
    summary: str = ""
    project_code: str | None = None
    answers: dict[int, str] = field(default_factory=dict)
    submit: bool = False


# Competitions ---------------------------------------------------------------------------------------

def competition_for_event(event_id: int) -> Competition | None:
    return db.session.scalar(sa.select(Competition).where(Competition.event_id == event_id))


def get_competition(event_id: int) -> Competition:
    competition = competition_for_event(event_id)
    if competition is None:
        raise NotFound()
    return competition


def save_competition(event_id: int, details: CompetitionDetails) -> Competition:
    """Set up (or change) the competition of an event of type competition: deadline, team size, fields and
    questions. A field or question keeps its id while its name stays, so entries and judges keep theirs."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    if event.event_type != EventType.COMPETITION:
        raise DomainError("not_a_competition", _l("Chỉ sự kiện loại Cuộc thi khởi nghiệp mới có bài dự thi."))
    names = [n.strip() for n in details.fields if n.strip()]
    problems = {}
    if not names:
        problems["fields"] = [_l("Cần ít nhất một lĩnh vực dự thi.")]
    elif len({n.casefold() for n in names}) != len(names):
        problems["fields"] = [_l("Tên lĩnh vực bị trùng.")]
    if not 1 <= details.max_team_size <= MAX_TEAM_SIZE:
        problems["max_team_size"] = [_l("Mỗi đội có từ 1 đến %(max)d thành viên.", max=MAX_TEAM_SIZE)]
    if problems:
        raise ValidationFailed(problems)
    competition = competition_for_event(event_id) or Competition(event_id=event_id)
    competition.entry_deadline = details.entry_deadline
    competition.max_team_size = details.max_team_size
    competition.rules_md = details.rules_md
    existing = {f.name: f for f in competition.fields}
    competition.fields = [existing.get(name) or CompetitionField(name=name) for name in names]
    for position, item in enumerate(competition.fields):
        item.position = position
    labels = [q.strip() for q in details.questions if q.strip()]
    asked = {q.label: q for q in competition.questions}
    competition.questions = [asked.get(label) or EntryQuestion(label=label) for label in labels]
    for position, question in enumerate(competition.questions):
        question.position = position
    db.session.add(competition)
    db.session.commit()
    return competition


def is_open(competition: Competition, now: datetime | None = None) -> bool:
    return competition.event.status == EventStatus.PUBLISHED and (now or utcnow()) < competition.entry_deadline


def _require_open(competition: Competition, now: datetime | None) -> None:
    if (now or utcnow()) >= competition.entry_deadline:
        raise DomainError("deadline_passed", _l("Đã hết hạn nhận bài dự thi (%(deadline)s)."), status=409,
                          deadline=f"{to_local(competition.entry_deadline):%H:%M %d/%m/%Y}")
    if competition.event.status != EventStatus.PUBLISHED:
        raise DomainError("not_open", _l("Cuộc thi chưa mở nhận bài."), status=409)


# Entries --------------------------------------------------------------------------------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def entry_for_token(token: str) -> Entry:
    entry = db.session.scalar(sa.select(Entry).where(Entry.token_hash == _digest(token or "")))
    if entry is None:
        raise NotFound()
    return entry


def get_entry(competition_id: int, entry_id: int) -> Entry:
    return get_owned(Entry, entry_id, competition_id=competition_id)


def list_entries(competition_id: int, status: EntryStatus | None = None) -> list[Entry]:
    query = sa.select(Entry).where(Entry.competition_id == competition_id).order_by(Entry.id)
    if status is not None:
        query = query.where(Entry.status == status)
    return list(db.session.scalars(query))


def _group_codes() -> set[str]:
    # The participant groups are configured by the platform admin; only their codes are read here.
    groups = db.metadata.tables["participant_groups"]
    return set(db.session.scalars(sa.select(groups.c.code).where(groups.c.is_active.is_(True))))


def _check(competition: Competition, details: EntryDetails) -> dict:
    problems: dict[str, list] = {}
    if not details.team_name.strip():
        problems["team_name"] = [_l("Vui lòng nhập tên đội hoặc dự án.")]
    if not 1 <= len(details.members) <= competition.max_team_size:
        problems["members"] = [_l("Mỗi đội có từ 1 đến %(max)d thành viên.", max=competition.max_team_size)]
    codes = _group_codes()
    for index, member in enumerate(details.members):
        key = f"members-{index}"
        if not member.full_name.strip():
            problems.setdefault(key, []).append(_l("Vui lòng nhập họ tên thành viên."))
        if normalise_phone(member.phone or "") is None:
            problems.setdefault(key, []).append(_l("Số điện thoại của %(name)s không hợp lệ.",
                                                   name=member.full_name or index + 1))
        if member.group_code and member.group_code not in codes:
            problems.setdefault(key, []).append(_l("Đối tượng không hợp lệ."))
        if not member.consent:
            problems.setdefault(key, []).append(_l("Mỗi thành viên cần đồng ý cho xử lý dữ liệu cá nhân."))
    if details.field_id is not None and details.field_id not in {f.id for f in competition.fields}:
        problems["field_id"] = [_l("Lĩnh vực không thuộc cuộc thi.")]
    if details.submit and details.field_id is None:
        problems["field_id"] = [_l("Vui lòng chọn lĩnh vực dự thi.")]
    questions = {q.id: q for q in competition.questions}
    for question_id in details.answers:
        if question_id not in questions:
            problems["answers"] = [_l("Câu hỏi không thuộc cuộc thi.")]
    if details.submit:
        for question in competition.questions:
            if question.required and not (details.answers.get(question.id) or "").strip():
                problems[f"q-{question.id}"] = [_l("Vui lòng trả lời câu hỏi này.")]
    return problems


def _project(code: str | None, name: str) -> StartupProject:
    if code:
        project = db.session.scalar(sa.select(StartupProject).where(StartupProject.code == code.strip().upper()))
        if project is None:
            raise ValidationFailed({"project_code": [_l("Không tìm thấy dự án với mã này.")]})
        return project
    return StartupProject(code=secrets.token_hex(4).upper(), name=name)


def _apply(entry: Entry, details: EntryDetails, now: datetime) -> None:
    entry.team_name = details.team_name.strip()
    entry.summary = details.summary.strip()
    entry.field_id = details.field_id
    version = current_app.config["CONSENT_VERSION"]
    kept = {m.phone: m for m in entry.members}
    members = []
    for position, member in enumerate(details.members):
        phone = normalise_phone(member.phone)
        row = kept.get(phone) or EntryMember(consented_at=now, consent_version=version)
        row.position, row.full_name, row.phone = position, member.full_name.strip(), phone
        row.email = normalise_email(member.email) if member.email else None
        row.group_code, row.gender = member.group_code or None, member.gender
        members.append(row)
    entry.members = members
    answers = {a.question_id: a for a in entry.answers}
    for question_id, value in details.answers.items():
        answer = answers.get(question_id) or EntryAnswer(question_id=question_id)
        answer.value = value.strip()
        answers[question_id] = answer
    entry.answers = list(answers.values())
    if details.submit and entry.status == EntryStatus.DRAFT:
        entry.status, entry.submitted_at = EntryStatus.SUBMITTED, now


def start_entry(competition_id: int, details: EntryDetails, now: datetime | None = None) -> tuple[Entry, str]:
    """A team's new entry; returns it with the secret token of its edit link (mailed to the members too)."""
    now = now or utcnow()
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound()
    _require_open(competition, now)
    problems = _check(competition, details)
    if problems:
        raise ValidationFailed(problems)
    token = secrets.token_urlsafe(24)
    entry = Entry(competition_id=competition.id, token_hash=_digest(token), status=EntryStatus.DRAFT,
                  project=_project(details.project_code, details.team_name.strip()))
    _apply(entry, details, now)
    db.session.add(entry)
    db.session.flush()
    notify(entry, "started", token=token)
    db.session.commit()
    return entry, token


def update_entry(token: str, details: EntryDetails, now: datetime | None = None) -> Entry:
    now = now or utcnow()
    entry = entry_for_token(token)
    _require_editable(entry, now)
    problems = _check(entry.competition, details)
    if problems:
        raise ValidationFailed(problems)
    was = entry.status
    if details.project_code and details.project_code.strip().upper() != entry.project.code:
        entry.project = _project(details.project_code, entry.team_name)
    _apply(entry, details, now)
    if was != entry.status:
        notify(entry, "submitted")
    db.session.commit()
    return entry


def _require_editable(entry: Entry, now: datetime) -> None:
    if entry.status not in EDITABLE:
        raise DomainError("entry_closed", _l("Bài dự thi đã rút hoặc bị loại, không sửa được nữa."), status=409)
    _require_open(entry.competition, now)


def withdraw_entry(token: str, now: datetime | None = None) -> Entry:
    now = now or utcnow()
    entry = entry_for_token(token)
    _require_editable(entry, now)
    entry.status = EntryStatus.WITHDRAWN
    notify(entry, "withdrawn")
    db.session.commit()
    return entry


def disqualify_entry(competition_id: int, entry_id: int, reason: str) -> Entry:
    entry = get_entry(competition_id, entry_id)
    if not reason.strip():
        raise ValidationFailed({"reason": [_l("Vui lòng nêu lý do loại bài.")]})
    if entry.status == EntryStatus.WITHDRAWN:
        raise DomainError("entry_withdrawn", _l("Bài dự thi đã rút."), status=409)
    entry.status, entry.disqualified_reason = EntryStatus.DISQUALIFIED, reason.strip()
    notify(entry, "disqualified")
    db.session.commit()
    return entry


def add_file(token: str, filename: str, data: bytes, now: datetime | None = None) -> EntryFile:
    now = now or utcnow()
    entry = entry_for_token(token)
    _require_editable(entry, now)
    if len(entry.files) >= MAX_FILES:
        raise ValidationFailed({"file": [_l("Mỗi bài dự thi có tối đa %(max)d tệp.", max=MAX_FILES)]})
    media_type, extension = inspect(data, ENTRY_FILE, ENTRY_FILE_MAX_BYTES)
    path = store(FILE_FOLDER, data, extension)
    row = EntryFile(entry_id=entry.id, original_name=(Path(filename or "").name or f"tep.{extension}")[:200],
                    stored_name=path.name, media_type=media_type, size_bytes=len(data), uploaded_at=now)
    db.session.add(row)
    commit_or_remove(path)
    return row


def remove_file(token: str, file_id: int, now: datetime | None = None) -> None:
    entry = entry_for_token(token)
    _require_editable(entry, now or utcnow())
    row = get_owned(EntryFile, file_id, entry_id=entry.id)
    stored = row.stored_name
    db.session.delete(row)
    db.session.commit()
    (uploads_dir(FILE_FOLDER) / stored).unlink(missing_ok=True)


def file_path(row: EntryFile) -> Path:
    return uploads_dir(FILE_FOLDER) / row.stored_name


# Notices --------------------------------------------------------------------------------------------

NOTICES = {
    "started": _l("Đã nhận đăng ký dự thi của đội %(team)s"),
    "submitted": _l("Bài dự thi của đội %(team)s đã được nộp"),
    "withdrawn": _l("Bài dự thi của đội %(team)s đã được rút"),
    "disqualified": _l("Bài dự thi của đội %(team)s không đủ điều kiện"),
    "advanced": _l("Đội %(team)s được vào vòng tiếp theo"),
    "prize": _l("Đội %(team)s đạt giải"),
}


def notify(entry: Entry, kind: str, token: str | None = None, detail: str = "") -> None:
    """Queue a notice to every member with an e-mail (the outbox delivers on each person's channel)."""
    event = entry.competition.event
    subject = str(NOTICES[kind]) % {"team": entry.team_name}
    lines = [subject + ".", str(_l("Cuộc thi: %(title)s", title=event.title))]
    if detail:
        lines.append(detail)
    if entry.status == EntryStatus.DISQUALIFIED and entry.disqualified_reason:
        lines.append(str(_l("Lý do: %(reason)s", reason=entry.disqualified_reason)))
    if token:
        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        lines.append(str(_l("Sửa bài dự thi đến hạn chót tại: %(url)s", url=f"{base}/competitions/entry/{token}")))
        lines.append(str(_l("Mã dự án (dùng khi dự thi lần sau): %(code)s", code=entry.project.code)))
    for member in entry.members:
        if member.email:
            enqueue(member.email, subject, "\n".join(lines), reference=f"competition-entry:{entry.id}:{kind}")
