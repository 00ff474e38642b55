"""Period reports: what an organisation (with its child organisations and co-organised events) achieved
between two dates, against its yearly plan and beside the same period a year earlier."""
from dataclasses import dataclass
from datetime import date, datetime


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
class EventRow:
    event_id: int
    title: str
    event_type: str
    level: str
    organisation: str
    starts_at: datetime
    province: str
    registrations: int
    attendees: int


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
