"""Period reports: what an organisation (with its child organisations and co-organised events) achieved
between two dates, against its yearly plan and beside the same period a year earlier."""
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import Organisation, User
from ..accounts.services import EVENT_MANAGER_ROLES
from ..errors import NotFound, ValidationFailed
from ..events.models import EventLevel, EventType
from ..extensions import db
from ..registration.groups import participant_groups
from ..timeutil import utcnow
from .indicators import (
    CATALOGUE,
    EventFilter,
    Measure,
    Scope,
    events_by_type,
    measure_all,
    organisation_tree,
    pending_events,
    tune_for_aggregates,
)
from .models import Indicator, Plan, PlanTarget, TraineeBasis
from .plan_tasks.services import ManualIndicatorRow, TaskRow, manual_indicator_rows, task_rows

MAX_PERIOD_DAYS = 5 * 366


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    label: str
    unit: str
    target: int | None
    achieved: int
    percent: float | None
    previous: int


@dataclass(frozen=True)
class CountRow:
    label: str
    value: int
    previous: int


@dataclass(frozen=True)
class GroupRow:
    label: str
    registrations: int
    attendees: int
    unique_people: int


@dataclass(frozen=True)
class _Listed:
    event_id: int
    title: str
    event_type: str
    level: str
    organisation: str
    starts_at: datetime


@dataclass(frozen=True)
class EventRow(_Listed):
    """An event held in the period, which the report counts."""

    province: str
    registrations: int
    attendees: int
    ends_at: datetime | None = None  # snapshots taken before it was stored have none


@dataclass(frozen=True)
class PendingEventRow(_Listed):
    """An event of the period not held by the report's time (in progress or planned): listed apart and never
    counted, with its registrations as registrations, never as participants."""

    ends_at: datetime
    province: str
    registrations: int


@dataclass(frozen=True)
class PeriodReport:
    organisations: tuple[str, ...]
    starts_on: date
    ends_on: date
    previous_starts_on: date
    previous_ends_on: date
    generated_at: datetime
    indicators: tuple[IndicatorRow, ...]
    events_by_type: tuple[CountRow, ...]
    participants_by_group: tuple[GroupRow, ...]
    events: tuple[EventRow, ...]
    snapshot_note: str | None
    in_progress_events: tuple[PendingEventRow, ...] = ()
    planned_events: tuple[PendingEventRow, ...] = ()
    tasks: tuple[TaskRow, ...] = ()
    manual_indicators: tuple[ManualIndicatorRow, ...] = ()


QUICK_PERIODS = ("first_half", "second_half", "year")


def quick_period(pick: str, year: int) -> tuple[date, date]:
    """6 tháng đầu năm, 6 tháng cuối năm, cả năm."""
    return {"first_half": (date(year, 1, 1), date(year, 6, 30)),
            "second_half": (date(year, 7, 1), date(year, 12, 31)),
            "year": (date(year, 1, 1), date(year, 12, 31))}[pick]


def resolve_period(pick: str | None, year: int | None, starts_on: date | None, ends_on: date | None,
                   today: date) -> tuple[date, date]:
    """The dates of a quick pick in a year (this year by default), or of a custom range that names both ends."""
    if pick in QUICK_PERIODS:
        return quick_period(pick, year or today.year)
    problems = {}
    if starts_on is None:
        problems["starts_on"] = [_l("Vui lòng nhập ngày bắt đầu kỳ báo cáo (dd/mm/yyyy).")]
    if ends_on is None:
        problems["ends_on"] = [_l("Vui lòng nhập ngày kết thúc kỳ báo cáo (dd/mm/yyyy).")]
    if problems:
        raise ValidationFailed(problems)
    check_period(starts_on, ends_on)
    return starts_on, ends_on


def year_earlier(day: date) -> date:
    """The same day a year before; 29/02 becomes 28/02."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def previous_period(starts_on: date, ends_on: date) -> tuple[date, date]:
    """The same dates a year earlier, so a half-year sits beside last year's half-year."""
    return year_earlier(starts_on), year_earlier(ends_on)


# Who may report on what ---------------------------------------------------------------------------

def reportable_organisations(user: User) -> list[Organisation]:
    """The active organisations where the user organises events, and all their descendants."""
    query = sa.select(Organisation).where(Organisation.is_active).order_by(Organisation.name)
    if not user.is_platform_admin:
        roots = [m.organisation_id for m in user.memberships if m.role in EVENT_MANAGER_ROLES]
        query = query.where(Organisation.id.in_(organisation_tree(roots)))
    return list(db.session.scalars(query))


def default_organisation_ids(user: User) -> list[int]:
    """What a report is about when nobody chose: the first organisation the user organises events for."""
    own = [m.organisation for m in user.memberships if m.role in EVENT_MANAGER_ROLES and m.organisation.is_active]
    chosen = sorted(own, key=lambda o: o.name) or reportable_organisations(user)
    return [chosen[0].id] if chosen else []


def issuing_organisation_id(user: User, organisation_ids) -> int:
    """Who issues a report on these organisations: the first of them the user belongs to (a province reporting
    with its districts issues the report itself), else the first."""
    own = {m.organisation_id for m in user.memberships}
    return next((i for i in organisation_ids if i in own), organisation_ids[0])


def require_report_access(user: User, organisation_ids) -> None:
    """Every organisation asked for must be the user's or below one of theirs; others learn nothing (404)."""
    if not organisation_ids:
        raise ValidationFailed({"organisation_ids": [_l("Vui lòng chọn ít nhất một đơn vị.")]})
    allowed = {organisation.id for organisation in reportable_organisations(user)}
    if not set(organisation_ids) <= allowed:
        raise NotFound()


# Building a report --------------------------------------------------------------------------------

def check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed({"ends_on": [_l("Ngày kết thúc kỳ báo cáo phải sau hoặc bằng ngày bắt đầu.")]})
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise ValidationFailed({"ends_on": [_l("Kỳ báo cáo dài tối đa 5 năm.")]})


def measure_of(target: PlanTarget) -> Measure:
    return Measure(target.indicator, target.participant_group, EventFilter(
        tuple(sorted((EventType(v) for v in target.event_types), key=lambda t: t.value)),
        tuple(sorted((EventLevel(v) for v in target.levels), key=lambda lv: lv.value)),
        tuple(sorted(target.tags))), target.trainee_basis)


def measure_code(measure: Measure) -> str:
    """A stable code such as `participants:group=women`, `events:type=talk,workshop:tag=khoi-nghiep-xanh` or
    `trainees:basis=attendees` (trainees who completed, the default, need no suffix)."""
    parts = [measure.indicator.value]
    if measure.trainee_basis == TraineeBasis.ATTENDEES:
        parts.append(f"basis={measure.trainee_basis.value}")
    if measure.participant_group:
        parts.append(f"group={measure.participant_group}")
    for name, values in (("type", [t.value for t in measure.event_filter.event_types]),
                         ("level", [lv.value for lv in measure.event_filter.levels]),
                         ("tag", list(measure.event_filter.tags))):
        if values:
            parts.append(f"{name}={','.join(values)}")
    return ":".join(parts)


@dataclass(frozen=True)
class PlannedMeasure:
    measure: Measure
    label: str
    unit: str
    target: int | None


def planned_measures(organisation_ids, year: int) -> list[PlannedMeasure]:
    """The targets of the chosen organisations' plans for the year, the same target of several plans summed,
    then every catalogue indicator no target covers as is (no target)."""
    targets = db.session.scalars(
        sa.select(PlanTarget).join(Plan).where(Plan.organisation_id.in_(organisation_ids), Plan.year == year)
        .order_by(Plan.organisation_id, PlanTarget.position, PlanTarget.id))
    planned: dict[Measure, PlannedMeasure] = {}
    for target in targets:  # a plan's handful of target definitions, not data rows
        measure = measure_of(target)
        earlier = planned.get(measure)
        planned[measure] = PlannedMeasure(measure, earlier.label if earlier else target.label,
                                          earlier.unit if earlier else target.unit,
                                          (earlier.target if earlier else 0) + target.target_value)
    for indicator in CATALOGUE:
        planned.setdefault(Measure(indicator), PlannedMeasure(Measure(indicator), str(indicator.label),
                                                              str(indicator.unit), None))
    return list(planned.values())


def percent(achieved: int, target: int | None) -> float | None:
    return round(100 * achieved / target, 1) if target else None


def build_period_report(organisation_ids, starts_on: date, ends_on: date, *, now: datetime | None = None,
                        compare_with_snapshot: bool = True, scope: type[Scope] = Scope) -> PeriodReport:
    """The report of the organisations (with their descendants) for the period, as it stands at `now`: only the
    events held by then count; those of the period still running or to come are listed apart. Targets are those
    of the plans for the year the period ends in: a half-year is set against the whole year's plan, as the
    6-month report does, and a range across a new year against the newer plan. `scope` OwnScope leaves the
    child organisations out."""
    check_period(starts_on, ends_on)
    now = now or utcnow()
    organisation_ids = tuple(sorted(set(organisation_ids)))
    report = scoped_report(organisation_names(organisation_ids), scope(organisation_ids, starts_on, ends_on, now),
                           organisation_ids)
    if compare_with_snapshot and len(organisation_ids) == 1:
        from .snapshots import difference_note  # snapshots build reports: imported here to avoid a cycle

        report = replace(report, snapshot_note=difference_note(organisation_ids[0], report))
    return report


def organisation_names(organisation_ids) -> tuple[str, ...]:
    """Their short names (else names) by name; NotFound when one does not exist."""
    names = tuple(db.session.scalars(sa.select(sa.func.coalesce(Organisation.short_name, Organisation.name))
                                     .where(Organisation.id.in_(organisation_ids)).order_by(Organisation.name)))
    if len(names) != len(set(organisation_ids)):
        raise NotFound()
    return names


def scoped_report(names: tuple[str, ...], current: Scope, plan_organisation_ids, *,
                  previous: Scope | None = None) -> PeriodReport:
    """The report of a scope against the plans (targets, tasks, manual indicators) of `plan_organisation_ids` for
    the year the period ends in, beside `previous` (by default the same scope a year earlier)."""
    tune_for_aggregates()
    starts_on, ends_on, now = current.starts_on, current.ends_on, current.now
    previous_starts_on, previous_ends_on = previous_period(starts_on, ends_on)
    previous = previous or replace(current, starts_on=previous_starts_on, ends_on=previous_ends_on)
    planned = planned_measures(plan_organisation_ids, ends_on.year)
    groups = participant_groups()
    by_group = {g.code: (Measure(Indicator.PARTICIPANTS, g.code), Measure(Indicator.ATTENDEES, g.code)) for g in groups}
    now_measured = measure_all(current, [p.measure for p in planned] + [m for pair in by_group.values() for m in pair])
    achieved, before = now_measured.totals, measure_all(previous, [p.measure for p in planned]).totals
    indicators = tuple(
        IndicatorRow(measure_code(p.measure), p.label, p.unit, p.target, achieved[p.measure],
                     percent(achieved[p.measure], p.target), before[p.measure])
        for p in planned)
    by_type, previous_by_type = events_by_type(current), events_by_type(previous)
    people = now_measured.people_by_group
    pending = [(f.in_progress, PendingEventRow(f.event_id, f.title, str(f.event_type.label), str(f.level.label),
                                               f.organisation, f.starts_at, f.ends_at, f.province, f.registrations))
               for f in pending_events(current)]
    return PeriodReport(
        organisations=names, starts_on=starts_on, ends_on=ends_on,
        previous_starts_on=previous.starts_on, previous_ends_on=previous.ends_on,
        generated_at=now, indicators=indicators,
        events_by_type=tuple(CountRow(str(t.label), by_type.get(t, 0), previous_by_type.get(t, 0))
                             for t in EventType),
        # A retired group is still listed while the period holds people in it.
        participants_by_group=tuple(
            GroupRow(g.label, achieved[registered], achieved[attended], people.get(g.code, 0))
            for g in groups for registered, attended in (by_group[g.code],)
            if g.is_active or achieved[registered]),
        events=tuple(EventRow(f.event_id, f.title, str(f.event_type.label), str(f.level.label), f.organisation,
                              f.starts_at, f.province, f.registrations, f.attendees, f.ends_at)
                     for f in now_measured.events),
        snapshot_note=None,
        in_progress_events=tuple(row for running, row in pending if running),
        planned_events=tuple(row for running, row in pending if not running),
        tasks=task_rows(plan_organisation_ids, ends_on.year, now),
        manual_indicators=manual_indicator_rows(plan_organisation_ids, ends_on.year, starts_on, ends_on))


# JSON, for the API and for snapshots ----------------------------------------------------------------

def report_to_json(report: PeriodReport) -> dict:
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, date | datetime):
            return value.isoformat()
        return value

    return plain(asdict(report))


def report_from_json(payload: dict) -> PeriodReport:
    return PeriodReport(
        organisations=tuple(payload["organisations"]),
        starts_on=date.fromisoformat(payload["starts_on"]), ends_on=date.fromisoformat(payload["ends_on"]),
        previous_starts_on=date.fromisoformat(payload["previous_starts_on"]),
        previous_ends_on=date.fromisoformat(payload["previous_ends_on"]),
        generated_at=datetime.fromisoformat(payload["generated_at"]),
        indicators=tuple(IndicatorRow(**row) for row in payload["indicators"]),
        events_by_type=tuple(CountRow(**row) for row in payload["events_by_type"]),
        participants_by_group=tuple(GroupRow(**row) for row in payload["participants_by_group"]),
        events=tuple(EventRow(**_times(row)) for row in payload["events"]),
        snapshot_note=payload.get("snapshot_note"),
        # Snapshots taken before events were told apart hold neither list.
        in_progress_events=tuple(PendingEventRow(**_times(row)) for row in payload.get("in_progress_events", ())),
        planned_events=tuple(PendingEventRow(**_times(row)) for row in payload.get("planned_events", ())),
        # Nor did reports before the whole plan was reported hold tasks or manual indicators.
        tasks=tuple(TaskRow(**{**row, "due_on": date.fromisoformat(row["due_on"]), "events": tuple(row["events"])})
                    for row in payload.get("tasks", ())),
        manual_indicators=tuple(ManualIndicatorRow(**row) for row in payload.get("manual_indicators", ())))


def _times(row: dict) -> dict:
    """An event row with its times read back; rows of old snapshots have no end."""
    return {**row, **{key: datetime.fromisoformat(row[key]) for key in ("starts_at", "ends_at") if row.get(key)}}
