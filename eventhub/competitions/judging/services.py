"""Rounds with their rubric, the jury, assignment (solver.py) and judges' scores. Scores are blind until the round
closes, change only while it is open, and every save is logged; a save retried with its key counts once."""
import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ...accounts.models import User
from ...accounts.services import create_user
from ...contact import normalise_email
from ...errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from ...extensions import db
from ...lookup import get_owned
from ...timeutil import utcnow
from ..entries.models import Competition, Entry, EntryStatus
from . import solver
from .models import (
    AdvancementRule,
    Assignment,
    Criterion,
    Judge,
    JudgeConflict,
    Round,
    RoundEntry,
    RoundStatus,
    Score,
    ScoreSave,
)

MAX_SCALE, MAX_JUDGES_PER_ENTRY = 100, 15


@dataclass
class CriterionDetails:
    name: str
    weight: int


@dataclass
class RoundDetails:
    name: str
    criteria: list[CriterionDetails]
    judges_per_entry: int = 3
    scale_max: int = 10
    require_comment: bool = False
    rule: AdvancementRule = AdvancementRule.TOP_N
    advance_count: int | None = None
    threshold: float | None = None
    judge_ids: list[int] = field(default_factory=list)


@dataclass
class JudgeDetails:
    email: str
    full_name: str
    is_chair: bool = False
    field_ids: list[int] = field(default_factory=list)


@dataclass
class ScoreDetails:
    values: dict[int, float]
    idempotency_key: str
    comment: str = ""


# Rounds ---------------------------------------------------------------------------------------------

def list_rounds(competition_id: int) -> list[Round]:
    return list(db.session.scalars(sa.select(Round).where(Round.competition_id == competition_id)
                                   .order_by(Round.position)))


def get_round(competition_id: int, round_id: int) -> Round:
    return get_owned(Round, round_id, competition_id=competition_id)


def save_round(competition_id: int, round_id: int | None, details: RoundDetails) -> Round:
    """A round and its rubric; the rubric and the jury change only before the round opens."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound()
    existing = get_round(competition_id, round_id) if round_id else None
    if existing is not None and existing.status != RoundStatus.DRAFT:
        raise DomainError("round_started", _l("Vòng thi đã mở chấm: không sửa được tiêu chí và giám khảo."),
                          status=409)
    problems: dict[str, list] = {}
    if not details.name.strip():
        problems["name"] = [_l("Vui lòng nhập tên vòng thi.")]
    criteria = [c for c in details.criteria if c.name.strip()]
    if not criteria:
        problems["criteria"] = [_l("Cần ít nhất một tiêu chí chấm.")]
    elif any(c.weight is None or c.weight <= 0 for c in criteria):
        problems["criteria"] = [_l("Trọng số của mỗi tiêu chí phải lớn hơn 0.")]
    if not 1 <= details.scale_max <= MAX_SCALE:
        problems["scale_max"] = [_l("Thang điểm từ 1 đến %(max)d.", max=MAX_SCALE)]
    if not 1 <= details.judges_per_entry <= MAX_JUDGES_PER_ENTRY:
        problems["judges_per_entry"] = [_l("Số giám khảo mỗi bài từ 1 đến %(max)d.", max=MAX_JUDGES_PER_ENTRY)]
    if details.rule == AdvancementRule.TOP_N and not (details.advance_count or 0) >= 1:
        problems["advance_count"] = [_l("Vui lòng nhập số bài vào vòng sau.")]
    if details.rule == AdvancementRule.THRESHOLD and (details.threshold is None
                                                      or not 0 <= details.threshold <= details.scale_max):
        problems["threshold"] = [_l("Ngưỡng điểm phải trong thang điểm.")]
    judges = {j.id: j for j in list_judges(competition_id)}
    if any(judge_id not in judges for judge_id in details.judge_ids):
        problems["judge_ids"] = [_l("Giám khảo không thuộc cuộc thi.")]
    if problems:
        raise ValidationFailed(problems)
    round_ = existing or Round(competition_id=competition_id, position=len(list_rounds(competition_id)) + 1)
    round_.name, round_.judges_per_entry, round_.scale_max = details.name.strip(), details.judges_per_entry, \
        details.scale_max
    round_.require_comment, round_.rule = details.require_comment, details.rule
    round_.advance_count, round_.threshold = details.advance_count, details.threshold
    round_.criteria = [Criterion(name=c.name.strip(), weight=c.weight, position=i) for i, c in enumerate(criteria)]
    round_.judges = [judges[i] for i in sorted(set(details.judge_ids))]
    db.session.add(round_)
    db.session.commit()
    return round_


def previous_round(round_: Round) -> Round | None:
    return db.session.scalar(sa.select(Round).where(Round.competition_id == round_.competition_id,
                                                    Round.position < round_.position)
                             .order_by(Round.position.desc()).limit(1))


def round_entries(round_: Round) -> list[Entry]:
    """The entries in a round: the first takes every submitted entry, a later one those the previous advanced.
    Fixed (as rows) when the round is assigned; a disqualified or withdrawn entry drops out."""
    rows = list(db.session.scalars(sa.select(RoundEntry).where(RoundEntry.round_id == round_.id)))
    if rows:
        entries = [r.entry for r in rows]
    else:
        before = previous_round(round_)
        query = sa.select(Entry).where(Entry.competition_id == round_.competition_id)
        if before is None:
            query = query.where(Entry.status == EntryStatus.SUBMITTED)
        else:
            query = query.join(RoundEntry, RoundEntry.entry_id == Entry.id).where(
                RoundEntry.round_id == before.id, RoundEntry.advanced.is_(True))
        entries = list(db.session.scalars(query))
    return sorted((e for e in entries if e.status == EntryStatus.SUBMITTED), key=lambda e: e.id)


def assign_round(competition_id: int, round_id: int) -> solver.AssignmentPlan:
    """Assign the round's judges to its entries (see solver.py), replacing an earlier assignment; only before
    the round opens. The entries the plan could not cover are kept with their reason in the round's report."""
    round_ = get_round(competition_id, round_id)
    if round_.status != RoundStatus.DRAFT:
        raise DomainError("round_started", _l("Vòng thi đã mở chấm: không phân công lại được."), status=409)
    if not round_.judges:
        raise DomainError("no_judges", _l("Vòng thi chưa có giám khảo."), status=409)
    entries = round_entries(round_)
    if not entries:
        raise DomainError("no_entries", _l("Vòng thi chưa có bài dự thi."), status=409)
    conflicts = {}
    for conflict in db.session.scalars(sa.select(JudgeConflict).where(
            JudgeConflict.judge_id.in_([j.id for j in round_.judges]))):
        conflicts.setdefault(conflict.judge_id, set()).add(conflict.entry_id)
    plan = solver.assign([solver.EntryNeed(e.id, e.field_id) for e in entries],
                         [solver.JudgeOffer(j.id, frozenset(f.id for f in j.fields),
                                            frozenset(conflicts.get(j.id, ()))) for j in round_.judges],
                         round_.judges_per_entry)
    db.session.execute(sa.delete(Assignment).where(Assignment.round_id == round_.id))
    db.session.execute(sa.delete(RoundEntry).where(RoundEntry.round_id == round_.id))
    db.session.add_all(RoundEntry(round_id=round_.id, entry_id=e.id) for e in entries)
    db.session.add_all(Assignment(round_id=round_.id, entry_id=e, judge_id=j) for e, j in plan.pairs)
    round_.assignment_report = {
        "loads": {str(j): n for j, n in plan.loads.items()}, "spread": plan.spread,
        "uncovered": [{"entry_id": u.entry_id, "eligible": u.eligible, "conflicted": u.conflicted}
                      for u in plan.uncovered]}
    db.session.commit()
    return plan


def uncovered_reason(item: dict, judges_per_entry: int) -> str:
    return str(_l("Chỉ có %(eligible)d giám khảo đúng lĩnh vực, không xung đột lợi ích (%(conflicted)d giám khảo "
                  "khai báo xung đột); cần %(k)d.", eligible=item["eligible"], conflicted=item["conflicted"],
                  k=judges_per_entry))


def open_round(competition_id: int, round_id: int, now: datetime | None = None) -> Round:
    round_ = get_round(competition_id, round_id)
    if round_.status != RoundStatus.DRAFT:
        raise DomainError("round_not_draft", _l("Vòng thi đã mở hoặc đã đóng."), status=409)
    before = previous_round(round_)
    if before is not None and before.advanced_at is None:
        raise DomainError("previous_round_open", _l("Vòng trước chưa chọn bài vào vòng này."), status=409)
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)
                             .where(Assignment.round_id == round_.id)):
        raise DomainError("not_assigned", _l("Vòng thi chưa phân công giám khảo."), status=409)
    round_.status, round_.opened_at = RoundStatus.OPEN, now or utcnow()
    db.session.commit()
    return round_


def close_round(competition_id: int, round_id: int, now: datetime | None = None) -> Round:
    round_ = get_round(competition_id, round_id)
    if round_.status != RoundStatus.OPEN:
        raise DomainError("round_not_open", _l("Vòng thi không đang mở chấm."), status=409)
    round_.status, round_.closed_at = RoundStatus.CLOSED, now or utcnow()
    db.session.commit()
    return round_


# The jury -------------------------------------------------------------------------------------------

def list_judges(competition_id: int) -> list[Judge]:
    return list(db.session.scalars(sa.select(Judge).where(Judge.competition_id == competition_id)
                                   .order_by(Judge.id)))


def get_judge(competition_id: int, judge_id: int) -> Judge:
    return get_owned(Judge, judge_id, competition_id=competition_id)


def add_judge(competition_id: int, details: JudgeDetails) -> tuple[Judge, str | None]:
    """Invite a judge by e-mail: an existing account, or a new one whose first password is returned (once) for
    the organiser to hand over; it must be changed at the first sign-in."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound()
    fields = {f.id: f for f in competition.fields}
    if any(i not in fields for i in details.field_ids):
        raise ValidationFailed({"field_ids": [_l("Lĩnh vực không thuộc cuộc thi.")]})
    email = normalise_email(details.email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    password = None
    if user is None:
        if not details.full_name.strip():
            raise ValidationFailed({"full_name": [_l("Vui lòng nhập họ tên giám khảo.")]})
        password = secrets.token_urlsafe(9)
        user = create_user(email, details.full_name, password, must_change_password=True)
    if db.session.scalar(sa.select(Judge.id).where(Judge.competition_id == competition_id,
                                                   Judge.user_id == user.id)) is not None:
        raise ValidationFailed({"email": [_l("Người này đã là giám khảo của cuộc thi.")]})
    judge = Judge(competition_id=competition_id, user_id=user.id, is_chair=details.is_chair,
                  fields=[fields[i] for i in sorted(set(details.field_ids))])
    db.session.add(judge)
    db.session.commit()
    return judge, password


def declare_conflict(competition_id: int, judge_id: int, entry_id: int, reason: str = "") -> JudgeConflict:
    judge = get_judge(competition_id, judge_id)
    get_owned(Entry, entry_id, competition_id=competition_id)
    conflict = db.session.get(JudgeConflict, (judge.id, entry_id)) or JudgeConflict(judge_id=judge.id,
                                                                                   entry_id=entry_id)
    conflict.reason = reason.strip()[:300]
    db.session.add(conflict)
    # A judge never scores an entry they declared a conflict with, even one already assigned in a draft round.
    db.session.execute(sa.delete(Assignment).where(
        Assignment.judge_id == judge.id, Assignment.entry_id == entry_id,
        Assignment.round_id.in_(sa.select(Round.id).where(Round.status == RoundStatus.DRAFT))))
    db.session.commit()
    return conflict


# Scoring --------------------------------------------------------------------------------------------

def judge_assignments(user_id: int, competition_id: int | None = None) -> list[Assignment]:
    """A judge's entries in the rounds that are open or closed, newest round first."""
    query = (sa.select(Assignment).join(Judge, Judge.id == Assignment.judge_id)
             .join(Round, Round.id == Assignment.round_id)
             .where(Judge.user_id == user_id, Round.status != RoundStatus.DRAFT)
             .order_by(Round.position.desc(), Assignment.entry_id))
    if competition_id is not None:
        query = query.where(Judge.competition_id == competition_id)
    return list(db.session.scalars(query))


def assignment_for(user_id: int, assignment_id: int) -> Assignment:
    """The assignment if it is this judge's and its round has opened; else NotFound (as for another's)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.judge.user_id != user_id:
        raise NotFound()
    if db.session.get(Round, assignment.round_id).status == RoundStatus.DRAFT:
        raise NotFound()
    return assignment


def judge_is_on(user_id: int, entry_id: int) -> bool:
    """Whether the user judges this entry in a round that has opened (so may open its files)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Assignment).join(Judge, Judge.id == Assignment.judge_id)
        .join(Round, Round.id == Assignment.round_id)
        .where(Judge.user_id == user_id, Assignment.entry_id == entry_id, Round.status != RoundStatus.DRAFT)) > 0


@dataclass
class SaveResult:
    assignment: Assignment
    save: ScoreSave
    replayed: bool  # the key had been saved before: nothing changed


def save_scores(user_id: int, assignment_id: int, details: ScoreDetails, now: datetime | None = None) -> SaveResult:
    """Save a judge's scores of one entry. Only the judge's own row changes, so two judges saving the same entry
    at once never touch each other's; a save repeated with its idempotency key is found and counts once."""
    now = now or utcnow()
    assignment = assignment_for(user_id, assignment_id)
    round_ = db.session.get(Round, assignment.round_id)
    key = (details.idempotency_key or "").strip()
    if not 8 <= len(key) <= 64:
        raise ValidationFailed({"idempotency_key": [_l("Thiếu mã lần lưu (8–64 ký tự).")]})
    earlier = _save_with_key(assignment.id, key)
    if earlier is not None:
        return SaveResult(assignment, earlier, True)
    if round_.status != RoundStatus.OPEN:
        raise DomainError("round_closed", _l("Vòng thi đã đóng: không sửa được điểm."), status=409)
    criteria = {c.id: c for c in round_.criteria}
    problems: dict[str, list] = {}
    for criterion_id, value in details.values.items():
        if criterion_id not in criteria:
            problems["values"] = [_l("Tiêu chí không thuộc vòng thi.")]
        elif value is None or not isinstance(value, int | float) or math.isnan(value) \
                or not 0 <= value <= round_.scale_max:
            problems[f"c-{criterion_id}"] = [_l("Điểm từ 0 đến %(max)d.", max=round_.scale_max)]
    comment = (details.comment or "").strip()
    complete = set(details.values) == set(criteria)
    if round_.require_comment and complete and not comment:
        problems["comment"] = [_l("Vòng thi này cần nhận xét của giám khảo.")]
    if problems:
        raise ValidationFailed(problems)
    save = ScoreSave(assignment_id=assignment.id, idempotency_key=key, comment=comment, saved_by_id=user_id,
                     saved_at=now, values={str(c): float(v) for c, v in sorted(details.values.items())})
    db.session.add(save)
    try:
        db.session.flush()  # the first write: SQLite's write lock, PostgreSQL's unique key
    except IntegrityError:
        db.session.rollback()
        return SaveResult(assignment_for(user_id, assignment_id), _save_with_key(assignment_id, key), True)
    db.session.execute(sa.select(Assignment.id).where(Assignment.id == assignment.id).with_for_update())
    current = {s.criterion_id: s for s in db.session.scalars(sa.select(Score).where(
        Score.assignment_id == assignment.id))}
    save.previous = {str(c): s.value for c, s in sorted(current.items())} | {"comment": assignment.comment}
    for criterion_id, value in details.values.items():
        row = current.get(criterion_id)
        if row is None:
            db.session.add(Score(assignment_id=assignment.id, criterion_id=criterion_id, value=float(value)))
        else:
            row.value = float(value)
    assignment.comment = comment
    scored = set(current) | set(details.values)
    assignment.completed_at = now if scored >= set(criteria) else None
    db.session.commit()
    return SaveResult(assignment, save, False)


def _save_with_key(assignment_id: int, key: str) -> ScoreSave | None:
    return db.session.scalar(sa.select(ScoreSave).where(ScoreSave.assignment_id == assignment_id,
                                                        ScoreSave.idempotency_key == key))


def own_scores(assignment: Assignment) -> dict[int, float]:
    return {s.criterion_id: s.value for s in assignment.scores}


def require_judge(user_id: int, competition_id: int) -> Judge:
    judge = db.session.scalar(sa.select(Judge).where(Judge.competition_id == competition_id,
                                                     Judge.user_id == user_id))
    if judge is None:
        raise PermissionDenied()
    return judge
