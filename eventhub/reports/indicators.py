"""The indicator catalogue and its SQL aggregates. Every number is counted by the database (COUNT, COUNT DISTINCT,
GROUP BY) over the events a scope counts; Python only picks which query to run."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

import sqlalchemy as sa

from ..accounts.models import Organisation
from ..booths.applications.models import ApplicationStatus, BoothApplication, ExhibitorProduct
from ..certificates.models import Certificate, CertificateStatus
from ..checkin.completion import completers_by_category
from ..checkin.models import CheckIn
from ..events.models import ACCEPTED_CO_ORGANISERS, Event, EventStatus, EventType
from ..extensions import db
from ..registration.models import Registration, RegistrationCategory, RegistrationStatus
from ..timeutil import from_local, to_local
from .models import Indicator, SupportedProject, TraineeBasis, event_tags

# Drafts were never held and cancelled events did not happen: neither counts toward a plan.
COUNTED_STATUSES = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.FINISHED,
                    EventStatus.ARCHIVED)
# Registration-based indicators whose events are of one type unless the target names others.
DEFAULT_EVENT_TYPES = {Indicator.TRAINEES: (EventType.TRAINING,),
                       Indicator.COMPETITION_ENTRIES: (EventType.COMPETITION,)}
# Shown in every report even when no plan sets a target for them.
CATALOGUE = (Indicator.EVENTS, Indicator.TRAINEES, Indicator.PARTICIPANTS, Indicator.ATTENDEES,
             Indicator.UNIQUE_PARTICIPANTS, Indicator.COMPETITION_ENTRIES, Indicator.SUPPORTED_PROJECTS,
             Indicator.EXHIBITORS, Indicator.OCOP_PRODUCTS)
# Indicators counting people, which a target may restrict to one participant group.
PER_PERSON = frozenset({Indicator.TRAINEES, Indicator.PARTICIPANTS, Indicator.ATTENDEES,
                        Indicator.UNIQUE_PARTICIPANTS, Indicator.COMPETITION_ENTRIES})


@dataclass(frozen=True)
class Scope:
    """The organisations chosen (their child organisations are included in SQL), a range of local dates and the
    report's own time. An event belongs to the period its end falls in; it is held, and counts, once it has
    ended by `now`; before that it is in progress (started) or planned."""

    organisation_ids: tuple[int, ...]
    starts_on: date
    ends_on: date
    now: datetime

    @cached_property
    def period_events(self) -> sa.Select:
        """Ids of the events ending in the period, neither drafts nor cancelled, that an organisation of the tree
        organised or co-organised, held or not. It is a condition on `events`, so an event organised by several
        of them is still one row. Built once per scope: every aggregate of a report shares it (and its
        organisation-tree CTE)."""
        tree = self.tree()
        starts, ends = self.utc_bounds()
        # An event ending at midnight ended on the day before; starts_at < ends follows from the end (CHECK
        # ends_after_start) and lets the index on starts_at narrow the rows.
        return sa.select(Event.id).where(
            Event.ends_at > starts, Event.ends_at <= ends, Event.starts_at < ends,
            Event.status.in_(COUNTED_STATUSES),
            sa.or_(Event.organisation_id.in_(tree),
                   sa.exists().where(ACCEPTED_CO_ORGANISERS.c.event_id == Event.id,
                                     ACCEPTED_CO_ORGANISERS.c.organisation_id.in_(tree))))

    def tree(self) -> sa.Select:
        """The ids of the organisations whose events and supported projects the scope counts."""
        return organisation_tree(self.organisation_ids)

    @cached_property
    def events(self) -> sa.Select:
        """Ids of the events the report counts: those of the period already held by the report's time."""
        return self.period_events.where(held_by(self.now))

    @property
    def last_day_so_far(self) -> date:
        """The period's last day, or the report's own day if the period is not over."""
        return min(self.ends_on, to_local(self.now).date())

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The start of the first day and of the day after the last, in local time, as UTC."""
        return (from_local(datetime.combine(self.starts_on, time())),
                from_local(datetime.combine(self.ends_on + timedelta(days=1), time())))


@dataclass(frozen=True)
class OwnScope(Scope):
    """The organisations themselves, without their child organisations: what a parent did on its own."""

    def tree(self) -> sa.Select:
        return sa.select(Organisation.id).where(Organisation.id.in_(self.organisation_ids))


@dataclass(frozen=True)
class EventSetScope(Scope):
    """Only the named events (still of the period, neither drafts nor cancelled) and no organisation: a
    consolidation counts the distinct events its reports froze, so an event several of them co-organised counts
    once. Supported projects belong to organisations, not events: it counts none."""

    event_ids: tuple[int, ...] = ()

    def tree(self) -> sa.Select:
        return sa.select(Organisation.id).where(sa.false())

    @cached_property
    def period_events(self) -> sa.Select:
        starts, ends = self.utc_bounds()
        return sa.select(Event.id).where(Event.id.in_(self.event_ids), Event.ends_at > starts, Event.ends_at <= ends,
                                         Event.status.in_(COUNTED_STATUSES))


def held_by(now: datetime):
    """An event has been held once it has ended; a competition with rounds, once its final round has closed."""
    from ..competitions.entries.models import Competition
    from ..competitions.judging.models import Round

    rounds = (sa.select(Round.closed_at).join(Competition, Competition.id == Round.competition_id)
              .where(Competition.event_id == Event.id))
    final_closed = rounds.order_by(Round.position.desc()).limit(1).scalar_subquery()
    return sa.case((sa.exists(rounds), sa.func.coalesce(final_closed <= now, False)), else_=Event.ends_at <= now)


def started_by(now: datetime):
    return Event.starts_at <= now


@dataclass(frozen=True)
class EventFilter:
    """Which events a target counts; an empty list does not restrict."""

    event_types: tuple[EventType, ...] = ()
    levels: tuple = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    """One indicator as a target defines it: the count, the participant group and the events it covers."""

    indicator: Indicator
    participant_group: str | None = None  # a participant group's code
    event_filter: EventFilter = field(default_factory=EventFilter)
    # Trainees: completers (the default) or attendees, never registrations.
    trainee_basis: TraineeBasis | None = None

    def __post_init__(self):
        if self.indicator == Indicator.TRAINEES and self.trainee_basis is None:
            object.__setattr__(self, "trainee_basis", TraineeBasis.COMPLETERS)

    @property
    def counts_completers(self) -> bool:
        return self.trainee_basis == TraineeBasis.COMPLETERS

    def effective_filter(self) -> EventFilter:
        if self.event_filter.event_types or self.indicator not in DEFAULT_EVENT_TYPES:
            return self.event_filter
        return EventFilter(DEFAULT_EVENT_TYPES[self.indicator], self.event_filter.levels, self.event_filter.tags)


def organisation_tree(organisation_ids) -> sa.Select:
    """The ids of the organisations and all their descendants (UNION also stops on a cycle)."""
    tree = sa.select(Organisation.id).where(Organisation.id.in_(organisation_ids)).cte(recursive=True)
    tree = tree.union(sa.select(Organisation.id).where(Organisation.parent_id == tree.c.id))
    return sa.select(tree.c.id)


def event_condition(event_filter: EventFilter):
    """The filter as a condition on `events` columns (always true when it restricts nothing)."""
    conditions = []
    if event_filter.event_types:
        conditions.append(Event.event_type.in_(event_filter.event_types))
    if event_filter.levels:
        conditions.append(Event.level.in_(event_filter.levels))
    if event_filter.tags:
        conditions.append(sa.exists().where(event_tags.c.event_id == Event.id, event_tags.c.tag.in_(event_filter.tags)))
    return sa.and_(sa.true(), *conditions)


def counted_events(scope: Scope, event_filter: EventFilter = EventFilter()) -> sa.Select:
    """The scope's events that the filter keeps."""
    return scope.events.where(event_condition(event_filter)) if event_filter != EventFilter() else scope.events


def person_key():
    """One person across events: the normalised phone, else the normalised e-mail, else the registration itself."""
    return sa.func.coalesce(Registration.phone_key, Registration.email_key,
                            sa.literal("#") + sa.cast(Registration.id, sa.String))


def _confirmed_in(scope: Scope):
    return Registration.event_id.in_(counted_events(scope)), Registration.status == RegistrationStatus.CONFIRMED


def confirmed_cube(scope: Scope) -> sa.CTE:
    """Confirmed registrations and those checked in (on any list of the event: an exit later does not undo having
    come), per counted event and registration category: one pass over the registrations, in the order of the
    covering index `ix_registrations_report`, that the other aggregates then sum up."""
    attended = sa.case((sa.exists().where(CheckIn.registration_id == Registration.id), 1))
    return (sa.select(Registration.event_id.label("event_id"), Registration.category_id.label("category_id"),
                      sa.func.count().label("registrations"), sa.func.count(attended).label("attendees"))
            .where(*_confirmed_in(scope))
            .group_by(Registration.event_id, Registration.category_id)).cte()


def _sum_when(condition, value):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)


def _in_group(column, group: str | None):
    return sa.true() if group is None else column == group


def count_events(scope: Scope, filters: list[EventFilter]) -> list[int]:
    """How many counted events each filter matches, in one query."""
    query = sa.select(*[_sum_when(event_condition(f), 1) for f in filters]).where(Event.id.in_(counted_events(scope)))
    return list(db.session.execute(query).one())


def count_people(scope: Scope, measure: Measure) -> int:
    """Distinct people the measure counts: COUNT(*) over SELECT DISTINCT, which PostgreSQL hashes (its
    COUNT(DISTINCT ...) always sorts)."""
    people = (sa.select(person_key()).distinct()
              .join(Event, Event.id == Registration.event_id)
              .join(RegistrationCategory, RegistrationCategory.id == Registration.category_id)
              .where(*_confirmed_in(scope), event_condition(measure.effective_filter()),
                     _in_group(RegistrationCategory.participant_group, measure.participant_group)))
    return db.session.scalar(sa.select(sa.func.count()).select_from(people.subquery("people")))


def people_by_group(scope: Scope) -> dict[str | None, int]:
    """Distinct people in each participant group (one person may be in several), and under None in all: one
    statement, whose distinct (group, person) pairs are hashed once for both."""
    pairs = (sa.select(RegistrationCategory.participant_group.label("participant_group"),
                       person_key().label("person")).distinct()
             .join(RegistrationCategory, RegistrationCategory.id == Registration.category_id)
             .where(*_confirmed_in(scope)).cte("pairs"))
    per_group = sa.select(pairs.c.participant_group, sa.func.count()).group_by(pairs.c.participant_group)
    everyone = sa.select(sa.null(), sa.func.count()).select_from(
        sa.select(pairs.c.person).distinct().subquery("people"))
    return dict(db.session.execute(sa.union_all(per_group, everyone)).all())


def tune_for_aggregates() -> None:
    """On PostgreSQL, for the rest of the transaction: no JIT (on the planner's estimates it would spend longer
    compiling than these aggregates take to run) and room for their DISTINCT hashes in memory."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))
        db.session.execute(sa.text("SET LOCAL work_mem = '32MB'"))


def count_exhibition(scope: Scope, measures: list[Measure]) -> list[int]:
    """Exhibitors (distinct, with an approved application) and OCOP products (star-rated, of approved
    applications) each measure counts, in one query over the applications of the counted events."""
    ocop = (sa.select(ExhibitorProduct.application_id, sa.func.count().label("products"))
            .where(ExhibitorProduct.ocop_stars.is_not(None))
            .group_by(ExhibitorProduct.application_id).subquery("ocop"))

    def total(m: Measure):
        condition = event_condition(m.effective_filter())
        if m.indicator == Indicator.EXHIBITORS:
            return sa.func.count(sa.distinct(sa.case((condition, BoothApplication.exhibitor_id))))
        return _sum_when(condition, sa.func.coalesce(ocop.c.products, 0))

    query = (sa.select(*[total(m) for m in measures]).select_from(BoothApplication)
             .join(Event, Event.id == BoothApplication.event_id)
             .outerjoin(ocop, ocop.c.application_id == BoothApplication.id)
             .where(BoothApplication.event_id.in_(counted_events(scope)),
                    BoothApplication.status == ApplicationStatus.APPROVED))
    return [int(value) for value in db.session.execute(query).one()]  # PostgreSQL sums bigints as numeric


def count_competition_entries(scope: Scope, measures: list[Measure]) -> list[int]:
    """Submitted entries (not registrations) and the prizes among them, of the counted competitions, each measure's
    events; a group restriction counts the entries with a member of that group."""
    from ..competitions.entries.models import Competition, Entry, EntryMember, EntryStatus
    from ..competitions.results.models import Prize

    def total(m: Measure):
        condition = event_condition(m.effective_filter())
        if m.participant_group:
            condition = sa.and_(condition, sa.exists().where(EntryMember.entry_id == Entry.id,
                                                             EntryMember.group_code == m.participant_group))
        counted = Prize.id if m.indicator == Indicator.PRIZES_AWARDED else Entry.id
        return sa.func.count(sa.case((condition, counted)))

    query = (sa.select(*[total(m) for m in measures]).select_from(Entry)
             .join(Competition, Competition.id == Entry.competition_id).join(Event, Event.id == Competition.event_id)
             .outerjoin(Prize, Prize.entry_id == Entry.id)
             .where(Event.id.in_(counted_events(scope)), Entry.status == EntryStatus.SUBMITTED))
    return [int(value) for value in db.session.execute(query).one()]


def events_by_type(scope: Scope) -> dict[EventType, int]:
    query = (sa.select(Event.event_type, sa.func.count()).where(Event.id.in_(counted_events(scope)))
             .group_by(Event.event_type))
    return dict(db.session.execute(query).all())


def supported_project_count(scope: Scope, event_filter: EventFilter = EventFilter()) -> int:
    """Projects the organisations of the tree marked as supported within the period, up to the report's own day;
    a target restricted to some events counts only projects linked to one of them that has been held."""
    query = sa.select(sa.func.count(SupportedProject.id)).where(
        SupportedProject.organisation_id.in_(scope.tree()),
        SupportedProject.supported_on.between(scope.starts_on, scope.last_day_so_far))
    if event_filter != EventFilter():
        query = query.where(SupportedProject.event_id.in_(counted_events(scope, event_filter)))
    return db.session.scalar(query)


def certificates_issued_count(scope: Scope, event_filter: EventFilter = EventFilter()) -> int:
    """Certificates (of any kind, not revoked) of the events the scope counts."""
    return db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.event_id.in_(counted_events(scope, event_filter)), Certificate.status == CertificateStatus.VALID))


@dataclass(frozen=True)
class ListedEvent:
    """What a report lists of an event: `event_columns()` in this order, then its confirmed registrations."""

    event_id: int
    title: str
    event_type: EventType
    level: object
    organisation: str
    starts_at: datetime
    ends_at: datetime
    province: str
    registrations: int


def event_columns() -> tuple:
    """The columns of `ListedEvent` read from `events` joined to the organising organisation."""
    return (Event.id, Event.title, Event.event_type, Event.level,
            sa.func.coalesce(Organisation.short_name, Organisation.name), Event.starts_at, Event.ends_at,
            Event.province)


@dataclass(frozen=True)
class EventFigures(ListedEvent):
    """A counted event."""

    attendees: int


@dataclass(frozen=True)
class RegistrationPass:
    events: list[EventFigures]
    totals: dict[Measure, int]


def registration_pass(scope: Scope, measures: list[Measure]) -> RegistrationPass:
    """One pass over the confirmed registrations for everything they add up to: each counted event (oldest first)
    with its registrations and attendees, and, beside every row, the total each measure asks for, summed over
    the grouped rows by a window (SUM(...) OVER ()). Measures: participants, trainees, competition entries,
    attendees, each possibly restricted to a participant group and to some events. Trainees are the completers of
    the events (their rule, `checkin.completion`, joined per event and category only when a measure needs them)
    or their attendees."""
    cube = confirmed_cube(scope)
    completers = completers_by_category(counted_events(scope)) if any(m.counts_completers for m in measures) \
        else None

    def total(m: Measure):
        if m.counts_completers:
            value = sa.func.coalesce(completers.c.completers, 0)
        elif m.indicator == Indicator.ATTENDEES or m.trainee_basis == TraineeBasis.ATTENDEES:
            value = cube.c.attendees
        else:
            value = cube.c.registrations
        condition = sa.and_(event_condition(m.effective_filter()),
                            _in_group(RegistrationCategory.participant_group, m.participant_group))
        return sa.func.sum(_sum_when(condition, value)).over()

    query = (sa.select(*event_columns(), sa.func.coalesce(sa.func.sum(cube.c.registrations), 0),
                       sa.func.coalesce(sa.func.sum(cube.c.attendees), 0), *[total(m) for m in measures])
             .join(Organisation, Organisation.id == Event.organisation_id)
             .outerjoin(cube, cube.c.event_id == Event.id)
             .outerjoin(RegistrationCategory, RegistrationCategory.id == cube.c.category_id)
             .where(Event.id.in_(counted_events(scope)))
             .group_by(Event.id, Organisation.id)
             .order_by(Event.starts_at, Event.id))
    if completers is not None:
        query = query.outerjoin(completers, sa.and_(completers.c.event_id == cube.c.event_id,
                                                    completers.c.category_id == cube.c.category_id))
    rows = db.session.execute(query).all()
    totals = rows[0][10:] if rows else [0] * len(measures)
    return RegistrationPass([EventFigures(*row[:8], int(row[8]), int(row[9])) for row in rows],
                            {m: int(value) for m, value in zip(measures, totals, strict=True)})


@dataclass(frozen=True)
class PendingEventFigures(ListedEvent):
    """An event of the period not held by the report's time: its confirmed registrations, never participants."""

    in_progress: bool


def pending_events(scope: Scope) -> list[PendingEventFigures]:
    """The events of the period that have not ended by the report's time, oldest first, each in progress (started)
    or planned, with its confirmed registrations."""
    registrations = (sa.select(sa.func.count()).select_from(Registration)
                     .where(Registration.event_id == Event.id, Registration.status == RegistrationStatus.CONFIRMED)
                     .scalar_subquery())
    query = (sa.select(*event_columns(), registrations, sa.case((started_by(scope.now), 1), else_=0))
             .join(Organisation, Organisation.id == Event.organisation_id)
             .where(Event.id.in_(scope.period_events), sa.not_(held_by(scope.now)))
             .order_by(Event.starts_at, Event.id))
    return [PendingEventFigures(*row[:8], int(row[8]), bool(row[9])) for row in db.session.execute(query)]


EXHIBITION_FAMILY = frozenset({Indicator.EXHIBITORS, Indicator.OCOP_PRODUCTS})
COMPETITION_FAMILY = frozenset({Indicator.COMPETITION_ENTRIES, Indicator.PRIZES_AWARDED})
REGISTRATION_FAMILY = frozenset({Indicator.PARTICIPANTS, Indicator.TRAINEES, Indicator.ATTENDEES})


@dataclass(frozen=True)
class Measurements:
    totals: dict[Measure, int]
    events: list[EventFigures]
    people_by_group: dict[str | None, int]


def measure_all(scope: Scope, measures: list[Measure]) -> Measurements:
    """Every measure of a report, the events counted and the distinct people per group: one query for each of
    the registration, event and people families, and one per supported-projects target or distinct-people
    target restricted to some events."""
    measures = list(dict.fromkeys(measures))
    registrations = registration_pass(scope, [m for m in measures if m.indicator in REGISTRATION_FAMILY])
    totals = dict(registrations.totals)
    events = [m for m in measures if m.indicator == Indicator.EVENTS]
    if events:
        totals.update(zip(events, count_events(scope, [m.effective_filter() for m in events]), strict=True))
    people = people_by_group(scope)
    entries = [m for m in measures if m.indicator in COMPETITION_FAMILY]
    if entries:
        totals.update(zip(entries, count_competition_entries(scope, entries), strict=True))
    exhibition = [m for m in measures if m.indicator in EXHIBITION_FAMILY]
    if exhibition:
        totals.update(zip(exhibition, count_exhibition(scope, exhibition), strict=True))
    for m in measures:
        if m.indicator == Indicator.UNIQUE_PARTICIPANTS:
            unfiltered = m.event_filter == EventFilter()
            totals[m] = people.get(m.participant_group, 0) if unfiltered else count_people(scope, m)
        elif m.indicator == Indicator.SUPPORTED_PROJECTS:
            totals[m] = supported_project_count(scope, m.effective_filter())
        elif m.indicator == Indicator.CERTIFICATES_ISSUED:
            totals[m] = certificates_issued_count(scope, m.effective_filter())
    missing = [m for m in measures if m not in totals]
    if missing:
        raise ValueError(f"no aggregate for {missing}")
    return Measurements(totals, registrations.events, people)
