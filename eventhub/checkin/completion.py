"""Completion: who completed an event by its rule (checked in at least once, present at N % of its sessions, or
present every day), or by an organiser's decision with its reason. A training always has a rule ("checked in
at least once" until the organiser picks another); any other event has one when the organiser sets it.

Completion is computed in SQL (`completion_select`), one statement for any set of events, so that reports count
completers of a province-year without loading a row into Python. Presence on a day is an accepted entry scan
(or a repeated one, "already checked in") on any of the event's lists that day, unless undone later."""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ..errors import NotFound, ValidationFailed
from ..events.models import Event, EventType
from ..extensions import db
from ..registration import services as registrations
from ..registration.models import Registration, RegistrationStatus
from ..registration.signals import attendee_columns
from ..scheduling.models import AgendaSession, SessionStatus
from ..timeutil import to_local, utcnow
from .models import (
    CheckIn,
    CheckInList,
    CompletionLog,
    CompletionOverride,
    CompletionRule,
    CompletionRuleKind,
    Direction,
    ScanLog,
    ScanResult,
)
from .stats import epoch_seconds

DAY_SECONDS = 24 * 3600
MAX_REASON_LENGTH = 500
DEFAULT_RULE = CompletionRuleKind.CHECKED_IN  # a training's rule until its organiser picks another
PRESENT_RESULTS = (ScanResult.OK, ScanResult.ALREADY_CHECKED_IN)
_ONE_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Rule:
    """The rule an event has: stored, or a training's default (`stored` False)."""

    kind: CompletionRuleKind
    min_percent: int | None = None
    stored: bool = True

    @property
    def label(self) -> str:
        if self.kind == CompletionRuleKind.SESSIONS:
            return gettext("Có mặt ở tối thiểu %(n)d %% số phiên có điểm check-in", n=self.min_percent)
        return str(self.kind.label)


@dataclass
class RuleDetails:
    """None: no rule (not allowed for a training, which always has one)."""

    kind: CompletionRuleKind | None
    min_percent: int | None = None


@dataclass
class Decision:
    """An organiser's decision for one person: completed (True), not completed (False) or back to the rule (None)."""

    completed: bool | None
    reason: str


# The rule -------------------------------------------------------------------------------------------

def rule_of(event: Event) -> Rule | None:
    stored = db.session.get(CompletionRule, event.id)
    if stored is not None:
        return Rule(stored.kind, stored.min_percent)
    return Rule(DEFAULT_RULE, stored=False) if event.event_type == EventType.TRAINING else None


def set_rule(event_id: int, details: RuleDetails, *, user_id: int | None = None,
             now: datetime | None = None) -> Event:
    """Set (or, for an event that is not a training, remove) the event's completion rule; returns the event, whose
    rule is now `rule_of(event)`."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    problems = {}
    if details.kind is None and event.event_type == EventType.TRAINING:
        problems["kind"] = [_l("Lớp tập huấn luôn có điều kiện hoàn thành.")]
    if details.kind == CompletionRuleKind.SESSIONS:
        if details.min_percent is None or not 1 <= details.min_percent <= 100:
            problems["min_percent"] = [_l("Tỉ lệ phiên phải từ 1 đến 100 %.")]
    elif details.min_percent is not None:
        problems["min_percent"] = [_l("Tỉ lệ phiên chỉ dùng cho điều kiện theo phiên.")]
    if problems:
        raise ValidationFailed(problems)
    _store(CompletionRule, event_id, None if details.kind is None else {
        "kind": details.kind, "min_percent": details.min_percent, "updated_by_id": user_id,
        "updated_at": now or utcnow()})
    if not _committed():
        return set_rule(event_id, details, user_id=user_id, now=now)
    return event


def _committed() -> bool:
    """Commit; False when another organiser created the same row a moment ago (the caller then applies its change
    again, over theirs)."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _store(model, key: int, values: dict | None) -> None:
    """Give the row of `model` whose primary key is `key` these values (creating it), or delete it for None."""
    row = db.session.get(model, key)
    if values is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = model(**{sa.inspect(model).primary_key[0].name: key})
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)


# Organisers' decisions ------------------------------------------------------------------------------

def decide(event_id: int, registration_id: int, decision: Decision, *, user_id: int | None,
           now: datetime | None = None) -> CompletionLog:
    """Mark a confirmed participant completed or not, or return them to the rule; the reason is required and the
    decision logged with who and when, in one transaction."""
    event = db.session.get(Event, event_id)
    registration = db.session.get(Registration, registration_id)
    if event is None or registration is None or registration.event_id != event_id:
        raise NotFound()
    reason = " ".join((decision.reason or "").split())
    problems = {}
    if rule_of(event) is None:
        problems["decision"] = [_l("Sự kiện chưa có điều kiện hoàn thành.")]
    if registration.status != RegistrationStatus.CONFIRMED:
        problems["decision"] = [_l("Chỉ người đăng ký đã xác nhận mới được đánh giá hoàn thành.")]
    if not reason:
        problems["reason"] = [_l("Vui lòng nêu lý do.")]
    elif len(reason) > MAX_REASON_LENGTH:
        problems["reason"] = [_l("Lý do dài tối đa %(n)d ký tự.", n=MAX_REASON_LENGTH)]
    if problems:
        raise ValidationFailed(problems)
    now = now or utcnow()
    _store(CompletionOverride, registration_id, None if decision.completed is None else {
        "completed": decision.completed, "reason": reason, "decided_by_id": user_id, "decided_at": now})
    entry = CompletionLog(registration_id=registration_id, completed=decision.completed, reason=reason,
                          user_id=user_id, created_at=now)
    db.session.add(entry)
    if not _committed():
        return decide(event_id, registration_id, decision, user_id=user_id, now=now)
    return entry


def log_of(event_id: int, limit: int = 200) -> list[CompletionLog]:
    return list(db.session.scalars(
        sa.select(CompletionLog).join(Registration, Registration.id == CompletionLog.registration_id)
        .where(Registration.event_id == event_id)
        .order_by(CompletionLog.created_at.desc(), CompletionLog.id.desc()).limit(limit)))


# Completion in SQL ----------------------------------------------------------------------------------

def _local_day(column, offset: int):
    """The local day number of a UTC time (days since 1970-01-01 in local time)."""
    return (epoch_seconds(column) + offset) // DAY_SECONDS


def _offset() -> int:
    """Vietnam keeps one UTC offset all year, so one offset gives every local day."""
    return int(to_local(utcnow()).utcoffset().total_seconds())


def completion_select(event_ids) -> sa.Select:
    """One row per confirmed registration of the given events (a select of event ids) that have a rule:
    registration_id, event_id, category_id, completed (a boolean the database computed: the organiser's
    decision, else the rule)."""
    offset = _offset()
    kind = sa.func.coalesce(sa.cast(CompletionRule.kind, sa.String(32)), sa.case(
        (Event.event_type == EventType.TRAINING, DEFAULT_RULE.value)))
    rules = (sa.select(Event.id.label("event_id"), kind.label("kind"), CompletionRule.min_percent.label("percent"),
                       _local_day(Event.starts_at, offset).label("first_day"),
                       _local_day(Event.ends_at, offset - 1).label("last_day"))  # an end at 00:00 is the day before
             .outerjoin(CompletionRule, CompletionRule.event_id == Event.id)
             .where(Event.id.in_(event_ids), kind.is_not(None))).cte("event_rules")
    held = sa.and_(AgendaSession.id == CheckInList.session_id, AgendaSession.status != SessionStatus.CANCELLED)
    sessions = (sa.select(CheckInList.event_id, sa.func.count(sa.distinct(CheckInList.session_id)).label("n"))
                .join(AgendaSession, held)
                .where(CheckInList.event_id.in_(sa.select(rules.c.event_id).where(
                    rules.c.kind == CompletionRuleKind.SESSIONS.value)))
                .group_by(CheckInList.event_id)).cte("rule_sessions")
    attended = (sa.select(CheckIn.registration_id, sa.func.count(sa.distinct(CheckInList.session_id)).label("n"))
                .join(CheckInList, CheckInList.id == CheckIn.check_in_list_id).join(AgendaSession, held)
                .where(CheckInList.event_id.in_(sa.select(sessions.c.event_id)))
                .group_by(CheckIn.registration_id)).cte("sessions_attended")
    undo = aliased(ScanLog)
    day = _local_day(ScanLog.scanned_at, offset)
    days = (sa.select(ScanLog.registration_id,
                      sa.func.count(sa.distinct(day)).label("n"))
            .join(CheckInList, CheckInList.id == ScanLog.check_in_list_id)
            .join(rules, rules.c.event_id == CheckInList.event_id)
            .where(rules.c.kind == CompletionRuleKind.EVERY_DAY.value, ScanLog.registration_id.is_not(None),
                   ScanLog.direction == Direction.ENTRY, ScanLog.result.in_(PRESENT_RESULTS),
                   day.between(rules.c.first_day, rules.c.last_day),
                   ~sa.exists().where(undo.check_in_list_id == ScanLog.check_in_list_id,
                                      undo.registration_id == ScanLog.registration_id,
                                      undo.result == ScanResult.UNDONE, undo.id > ScanLog.id))
            .group_by(ScanLog.registration_id)).cte("days_present")
    by_rule = sa.or_(
        sa.and_(rules.c.kind == CompletionRuleKind.CHECKED_IN.value,
                sa.exists().where(CheckIn.registration_id == Registration.id)),
        sa.and_(rules.c.kind == CompletionRuleKind.SESSIONS.value, sessions.c.n > 0,
                sa.func.coalesce(attended.c.n, 0) * 100 >= rules.c.percent * sessions.c.n),
        sa.and_(rules.c.kind == CompletionRuleKind.EVERY_DAY.value,
                sa.func.coalesce(days.c.n, 0) >= rules.c.last_day - rules.c.first_day + 1))
    completed = sa.or_(CompletionOverride.completed.is_(True),
                       sa.and_(CompletionOverride.registration_id.is_(None), by_rule))
    return (sa.select(Registration.id.label("registration_id"), Registration.event_id.label("event_id"),
                      Registration.category_id.label("category_id"), sa.case((completed, True), else_=False)
                      .label("completed"))
            .join(rules, rules.c.event_id == Registration.event_id)
            .outerjoin(CompletionOverride, CompletionOverride.registration_id == Registration.id)
            .outerjoin(sessions, sessions.c.event_id == Registration.event_id)
            .outerjoin(attended, attended.c.registration_id == Registration.id)
            .outerjoin(days, days.c.registration_id == Registration.id)
            .where(Registration.status == RegistrationStatus.CONFIRMED))


def completers_by_category(event_ids) -> sa.CTE:
    """event_id, category_id, completers: the completers of the given events, grouped (for reports)."""
    rows = completion_select(event_ids).subquery("completion_rows")
    return (sa.select(rows.c.event_id, rows.c.category_id, sa.func.count().label("completers"))
            .where(rows.c.completed.is_(True))
            .group_by(rows.c.event_id, rows.c.category_id)).cte("completion_counts")


def completed_ids(event_id: int) -> set[int]:
    rows = completion_select(sa.select(sa.literal(event_id))).subquery()
    return set(db.session.scalars(sa.select(rows.c.registration_id).where(rows.c.completed.is_(True))))


# What the organiser sees ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryCompletion:
    category_id: int
    name: str
    confirmed: int
    completers: int


@dataclass(frozen=True)
class Summary:
    rule: Rule
    confirmed: int
    completers: int
    marked_completed: int
    marked_not_completed: int
    sessions_with_lists: int
    days: int
    by_category: tuple[CategoryCompletion, ...]

    def to_json(self) -> dict:
        return {"rule": {"kind": self.rule.kind.value, "min_percent": self.rule.min_percent, "label": self.rule.label,
                         "default": not self.rule.stored},
                "confirmed": self.confirmed, "completers": self.completers,
                "marked_completed": self.marked_completed, "marked_not_completed": self.marked_not_completed,
                "sessions_with_lists": self.sessions_with_lists, "days": self.days,
                "by_category": [{"category_id": c.category_id, "name": c.name, "confirmed": c.confirmed,
                                 "completers": c.completers} for c in self.by_category]}


def summary(event_id: int) -> Summary | None:
    """The event's rule and its completers, by category; None when the event has no rule."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    rule = rule_of(event)
    if rule is None:
        return None
    rows = completion_select(sa.select(sa.literal(event_id))).subquery()
    counted = {category_id: (confirmed, done) for category_id, confirmed, done in db.session.execute(
        sa.select(rows.c.category_id, sa.func.count(), sa.func.count(sa.case((rows.c.completed.is_(True), 1))))
        .group_by(rows.c.category_id))}
    marks = dict(db.session.execute(
        sa.select(CompletionOverride.completed, sa.func.count())
        .join(Registration, Registration.id == CompletionOverride.registration_id)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(CompletionOverride.completed)).all())
    sessions = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(CheckInList.session_id)))
        .join(AgendaSession, sa.and_(AgendaSession.id == CheckInList.session_id,
                                     AgendaSession.status != SessionStatus.CANCELLED))
        .where(CheckInList.event_id == event_id))
    days = ((to_local(event.ends_at - _ONE_SECOND).date() - to_local(event.starts_at).date()).days + 1)
    by_category = tuple(CategoryCompletion(c.id, c.name, *counted.get(c.id, (0, 0)))
                        for c in registrations.categories(event_id))
    return Summary(rule, sum(c.confirmed for c in by_category), sum(c.completers for c in by_category),
                   marks.get(True, 0), marks.get(False, 0), sessions, days, by_category)


@dataclass(frozen=True)
class Participant:
    registration: Registration
    completed: bool
    override: CompletionOverride | None


def participants(event_id: int, q: str | None = None, limit: int = 500) -> list[Participant]:
    """Confirmed participants (by name, at most `limit`) with their completion and the organiser's decision."""
    rows = completion_select(sa.select(sa.literal(event_id))).subquery()
    query = (registrations.attendee_query(event_id, q=q, status=RegistrationStatus.CONFIRMED)
             .add_columns(rows.c.completed, CompletionOverride)
             .join(rows, rows.c.registration_id == Registration.id)
             .outerjoin(CompletionOverride, CompletionOverride.registration_id == Registration.id).limit(limit))
    return [Participant(registration, bool(completed), override)
            for registration, completed, override in db.session.execute(query)]


# The attendee export's column -----------------------------------------------------------------------

@attendee_columns.connect
def _completion_column(event_id: int, **_extra):
    """"Hoàn thành (<the rule>)", Có or Không, in the attendee export of an event with a rule; empty for people not
    confirmed."""
    event = db.session.get(Event, event_id)
    rule = rule_of(event) if event is not None else None
    if rule is None:
        return None
    done = completed_ids(event_id)
    confirmed = db.session.scalars(sa.select(Registration.id).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED))
    yes, no = gettext("Có"), gettext("Không")
    return f"{gettext('Hoàn thành')} ({rule.label})", {registration_id: yes if registration_id in done else no
                                    for registration_id in confirmed}

