"""The indicator catalogue and its SQL aggregates. Every number is counted by the database (COUNT, COUNT DISTINCT,
GROUP BY) over the events a scope counts; Python only picks which query to run."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from ..accounts.models import Organisation
from ..checkin.models import CheckIn
from ..events.models import Event, EventStatus, EventType, event_co_organisers
from ..extensions import db
from ..registration.models import ParticipantGroup, Registration, RegistrationCategory, RegistrationStatus
from ..timeutil import from_local
from .models import Indicator, SupportedProject, event_tags

# Drafts were never held and cancelled events did not happen: neither counts toward a plan.
COUNTED_STATUSES = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.FINISHED,
                    EventStatus.ARCHIVED)
# Registration-based indicators whose events are of one type unless the target names others.
DEFAULT_EVENT_TYPES = {Indicator.TRAINEES: (EventType.TRAINING,),
                       Indicator.COMPETITION_ENTRIES: (EventType.COMPETITION,)}
# Shown in every report even when no plan sets a target for them.
CATALOGUE = (Indicator.EVENTS, Indicator.TRAINEES, Indicator.PARTICIPANTS, Indicator.ATTENDEES,
             Indicator.UNIQUE_PARTICIPANTS, Indicator.COMPETITION_ENTRIES, Indicator.SUPPORTED_PROJECTS)
# Indicators a target may use: those with an aggregate below.
MEASURABLE = frozenset(CATALOGUE)
# Indicators counting people, which a target may restrict to one participant group.
PER_PERSON = frozenset({Indicator.TRAINEES, Indicator.PARTICIPANTS, Indicator.ATTENDEES,
                        Indicator.UNIQUE_PARTICIPANTS, Indicator.COMPETITION_ENTRIES})


@dataclass(frozen=True)
class Scope:
    """The organisations chosen (their child organisations are included in SQL) and a range of local dates."""

    organisation_ids: tuple[int, ...]
    starts_on: date
    ends_on: date

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start of the first day, start of the day after the last) in local time, as UTC."""
        return (from_local(datetime.combine(self.starts_on, time())),
                from_local(datetime.combine(self.ends_on + timedelta(days=1), time())))


@dataclass(frozen=True)
class EventFilter:
    """Which events a target counts; an empty list does not restrict."""

    event_types: tuple[EventType, ...] = ()
    levels: tuple = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Totals:
    registrations: int = 0
    attendees: int = 0
    unique_people: int = 0


@dataclass(frozen=True)
class Measure:
    """One indicator as a target defines it: the count, the participant group and the events it covers."""

    indicator: Indicator
    participant_group: ParticipantGroup | None = None
    event_filter: EventFilter = field(default_factory=EventFilter)

    def effective_filter(self) -> EventFilter:
        if self.event_filter.event_types or self.indicator not in DEFAULT_EVENT_TYPES:
            return self.event_filter
        return EventFilter(DEFAULT_EVENT_TYPES[self.indicator], self.event_filter.levels, self.event_filter.tags)


def organisation_tree(organisation_ids) -> sa.Select:
    """The ids of the organisations and all their descendants (UNION also stops on a cycle)."""
    tree = sa.select(Organisation.id).where(Organisation.id.in_(organisation_ids)).cte("organisation_tree",
                                                                                         recursive=True)
    tree = tree.union(sa.select(Organisation.id).where(Organisation.parent_id == tree.c.id))
    return sa.select(tree.c.id)


def counted_events(scope: Scope, event_filter: EventFilter = EventFilter()) -> sa.Select:
    """Ids of the events held in the period that an organisation of the tree organised or co-organised.
    It is a condition on `events`, so an event organised by several of them is still one row."""
    tree = organisation_tree(scope.organisation_ids)
    starts, ends = scope.utc_bounds()
    query = sa.select(Event.id).where(
        Event.starts_at >= starts, Event.starts_at < ends, Event.status.in_(COUNTED_STATUSES),
        sa.or_(Event.organisation_id.in_(tree),
               sa.exists().where(event_co_organisers.c.event_id == Event.id,
                                 event_co_organisers.c.organisation_id.in_(tree))))
    if event_filter.event_types:
        query = query.where(Event.event_type.in_(event_filter.event_types))
    if event_filter.levels:
        query = query.where(Event.level.in_(event_filter.levels))
    if event_filter.tags:
        query = query.where(sa.exists().where(event_tags.c.event_id == Event.id,
                                              event_tags.c.tag.in_(event_filter.tags)))
    return query


def person_key():
    """One person across events: the normalised phone, else the normalised e-mail, else the registration itself."""
    return sa.func.coalesce(Registration.phone_key, Registration.email_key,
                            sa.literal("#") + sa.cast(Registration.id, sa.String))


def _attended() -> sa.Subquery:
    """Registrations checked in on any list of their event (an exit later does not undo having come)."""
    return sa.select(CheckIn.registration_id).group_by(CheckIn.registration_id).subquery("attended")


def _registration_aggregates(scope: Scope, event_filter: EventFilter) -> sa.Select:
    attended = _attended()
    return (sa.select(sa.func.count(Registration.id), sa.func.count(attended.c.registration_id),
                      sa.func.count(sa.distinct(person_key())))
            .select_from(Registration)
            .outerjoin(attended, attended.c.registration_id == Registration.id)
            .where(Registration.event_id.in_(counted_events(scope, event_filter)),
                   Registration.status == RegistrationStatus.CONFIRMED))


def registration_totals(scope: Scope, event_filter: EventFilter = EventFilter(),
                        participant_group: ParticipantGroup | None = None) -> Totals:
    """Confirmed registrations, those checked in, and distinct people, in one query."""
    query = _registration_aggregates(scope, event_filter)
    if participant_group is not None:
        query = query.join(RegistrationCategory, RegistrationCategory.id == Registration.category_id).where(
            RegistrationCategory.participant_group == participant_group)
    return Totals(*db.session.execute(query).one())


def totals_by_group(scope: Scope) -> dict[ParticipantGroup, Totals]:
    query = (_registration_aggregates(scope, EventFilter())
             .add_columns(RegistrationCategory.participant_group)
             .join(RegistrationCategory, RegistrationCategory.id == Registration.category_id)
             .group_by(RegistrationCategory.participant_group))
    return {group: Totals(registrations, attendees, people)
            for registrations, attendees, people, group in db.session.execute(query)}


def event_count(scope: Scope, event_filter: EventFilter = EventFilter()) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted_events(scope, event_filter).subquery()))


def events_by_type(scope: Scope) -> dict[EventType, int]:
    query = (sa.select(Event.event_type, sa.func.count()).where(Event.id.in_(counted_events(scope)))
             .group_by(Event.event_type))
    return dict(db.session.execute(query).all())


def supported_project_count(scope: Scope, event_filter: EventFilter = EventFilter()) -> int:
    """Projects the organisations of the tree marked as supported within the period; a target restricted to
    some events counts only projects linked to one of them."""
    query = sa.select(sa.func.count(SupportedProject.id)).where(
        SupportedProject.organisation_id.in_(organisation_tree(scope.organisation_ids)),
        SupportedProject.supported_on.between(scope.starts_on, scope.ends_on))
    if event_filter != EventFilter():
        query = query.where(SupportedProject.event_id.in_(counted_events(scope, event_filter)))
    return db.session.scalar(query)


@dataclass(frozen=True)
class EventFigures:
    event_id: int
    title: str
    event_type: EventType
    level: object
    organisation: str
    starts_at: datetime
    province: str
    registrations: int
    attendees: int


def event_figures(scope: Scope) -> list[EventFigures]:
    """Each counted event with its confirmed registrations and people checked in, oldest first."""
    attended, counted = _attended(), counted_events(scope)
    per_event = (sa.select(Registration.event_id.label("event_id"),
                           sa.func.count(Registration.id).label("registrations"),
                           sa.func.count(attended.c.registration_id).label("attendees"))
                 .outerjoin(attended, attended.c.registration_id == Registration.id)
                 .where(Registration.status == RegistrationStatus.CONFIRMED,
                        Registration.event_id.in_(counted))
                 .group_by(Registration.event_id).subquery("per_event"))
    query = (sa.select(Event.id, Event.title, Event.event_type, Event.level,
                       sa.func.coalesce(Organisation.short_name, Organisation.name), Event.starts_at, Event.province,
                       sa.func.coalesce(per_event.c.registrations, 0), sa.func.coalesce(per_event.c.attendees, 0))
             .join(Organisation, Organisation.id == Event.organisation_id)
             .outerjoin(per_event, per_event.c.event_id == Event.id)
             .where(Event.id.in_(counted))
             .order_by(Event.starts_at, Event.id))
    return [EventFigures(*row) for row in db.session.execute(query)]


class Calculator:
    """Measures one scope, running each distinct aggregate once even when several targets need it."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self._totals: dict[tuple, Totals] = {}

    def totals(self, event_filter: EventFilter, group: ParticipantGroup | None) -> Totals:
        key = (event_filter, group)
        if key not in self._totals:
            self._totals[key] = registration_totals(self.scope, event_filter, group)
        return self._totals[key]

    def measure(self, measure: Measure) -> int:
        indicator, event_filter = measure.indicator, measure.effective_filter()
        if indicator == Indicator.EVENTS:
            return event_count(self.scope, event_filter)
        if indicator == Indicator.SUPPORTED_PROJECTS:
            return supported_project_count(self.scope, event_filter)
        totals = self.totals(event_filter, measure.participant_group)
        if indicator == Indicator.ATTENDEES:
            return totals.attendees
        if indicator == Indicator.UNIQUE_PARTICIPANTS:
            return totals.unique_people
        if indicator in (Indicator.PARTICIPANTS, Indicator.TRAINEES, Indicator.COMPETITION_ENTRIES):
            return totals.registrations
        raise ValueError(f"no aggregate for {indicator}")
