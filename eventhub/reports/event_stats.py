"""Statistics of one event for its organisers: registrations per day, and who came — check-in rate and
no-shows by category, participant group, gender, age band and province — arrivals per 15 minutes, attendance
per agenda session, booths occupied, OCOP products shown by star rating and product group, and the completion
rule with its completers (`checkin/completion.py`).
The counting rules are the check-in dashboard's (`checkin/stats.py`, reused here): a person counts as
registered when their registration is confirmed, and as having come when checked in on the entrance list;
so the totals equal the attendee list filtered on "Đã xác nhận" and the dashboard. Every number is counted by
the database (GROUP BY), never by looping over rows."""
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..checkin import completion as checkin_completion
from ..checkin import stats as checkin_stats
from ..checkin.models import CheckIn
from ..events.models import Event
from ..events.services import get_event
from ..extensions import db
from ..registration import services as registrations
from ..registration.groups import participant_groups
from ..registration.models import (
    Gender,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from ..timeutil import to_local, utcnow
from .charts import percent
from .programme_stats import BoothUse, OcopCount, SessionAttendance, booths, ocop_products, sessions

UNKNOWN = "unknown"
DAY_SECONDS = 24 * 3600
MAX_FILLED_DAYS = 400  # days without registrations are shown as zero within this span
# (code, label, first age past the band); ages are counted in the event's year from the birth year.
AGE_BANDS = (
    ("under_18", _l("Dưới 18 tuổi"), 18),
    ("18_24", _l("18–24 tuổi"), 25),
    ("25_34", _l("25–34 tuổi"), 35),
    ("35_44", _l("35–44 tuổi"), 45),
    ("45_59", _l("45–59 tuổi"), 60),
    ("60_plus", _l("Từ 60 tuổi"), None),
)
UNKNOWN_LABEL = _l("Không rõ")


@dataclass(frozen=True)
class Breakdown:
    """Confirmed registrations of one part of the audience and how many of them came."""

    code: str
    label: str
    registered: int
    checked_in: int

    @property
    def no_shows(self) -> int:
        return self.registered - self.checked_in

    @property
    def percent(self) -> float | None:
        return percent(self.checked_in, self.registered)


@dataclass(frozen=True)
class DayCount:
    day: date
    registrations: int  # made that day (local date), whatever their status now
    confirmed: int  # of those, confirmed now


@dataclass(frozen=True)
class StatusCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class SlotCount:
    starts_at: datetime
    label: str  # local HH:MM
    count: int


@dataclass(frozen=True)
class EventStatistics:
    event_id: int
    generated_at: datetime
    total: Breakdown
    statuses: tuple[StatusCount, ...]
    registrations_by_day: tuple[DayCount, ...]
    by_category: tuple[Breakdown, ...]
    by_group: tuple[Breakdown, ...]
    by_gender: tuple[Breakdown, ...]
    by_age: tuple[Breakdown, ...]
    by_province: tuple[Breakdown, ...]
    arrivals: tuple[SlotCount, ...]  # entrance check-ins per 15 minutes, local time
    sessions: tuple[SessionAttendance, ...]
    booths: tuple[BoothUse, ...]
    ocop_products: tuple[OcopCount, ...]
    completion: checkin_completion.Summary | None = None  # the rule and its completers, for an event that has one
    by_delegation: tuple[Breakdown, ...] = ()  # confirmed people and those who came, per delegation
    by_mobiliser: tuple[Breakdown, ...] = ()  # the same per organisation that mobilised the delegations

    def to_json(self) -> dict:
        """JSON-ready data, with each breakdown's no-shows and percentage spelled out."""
        data = asdict(self)
        for name in ("by_category", "by_group", "by_gender", "by_age", "by_province", "by_delegation",
                     "by_mobiliser"):
            data[name] = [_breakdown_json(b) for b in getattr(self, name)]
        data["total"] = _breakdown_json(self.total)
        data["generated_at"] = self.generated_at.isoformat()
        data["registrations_by_day"] = [{**asdict(d), "day": d.day.isoformat()} for d in self.registrations_by_day]
        data["arrivals"] = [{**asdict(s), "starts_at": s.starts_at.isoformat()} for s in self.arrivals]
        data["sessions"] = [{**asdict(s), "starts_at": s.starts_at.isoformat(), "percent": s.percent}
                            for s in self.sessions]
        data["booths"] = [{**asdict(b), "percent": b.percent} for b in self.booths]
        data["ocop_products"] = [{**asdict(o), "total": o.total} for o in self.ocop_products]
        data["completion"] = self.completion.to_json() if self.completion else None
        return data


def _breakdown_json(breakdown: Breakdown) -> dict:
    return {**asdict(breakdown), "no_shows": breakdown.no_shows, "percent": breakdown.percent}


def event_statistics(event_id: int, now: datetime | None = None) -> EventStatistics:
    """Every statistic of the event's page (the caller has checked the user may manage it)."""
    event = get_event(event_id)
    entrance = checkin_stats.entrance_list_id(event.id)
    by_category = tuple(Breakdown(str(c["id"]), c["name"], c["registered"], c["checked_in"])
                        for c in checkin_stats.categories(event.id))
    return EventStatistics(
        event_id=event.id,
        generated_at=now or utcnow(),
        total=Breakdown("total", str(_l("Tổng cộng")), sum(b.registered for b in by_category),
                        sum(b.checked_in for b in by_category)),
        statuses=tuple(StatusCount(status.value, str(status.label), count)
                       for status, count in registrations.status_counts(event.id).items()),
        registrations_by_day=registrations_by_day(event),
        by_category=by_category,
        by_group=by_group(event.id, entrance),
        by_gender=by_gender(event.id, entrance),
        by_age=by_age(event, entrance),
        by_province=by_province(event.id, entrance),
        arrivals=tuple(SlotCount(datetime.fromisoformat(s["start"]), s["label"], s["count"])
                       for s in (checkin_stats.arrivals(entrance) if entrance else [])),
        sessions=sessions(event.id),
        booths=booths(event.id),
        ocop_products=ocop_products(event.id),
        completion=checkin_completion.summary(event.id),
        **_by_delegation(event.id),
    )


def _by_delegation(event_id: int) -> dict:
    figures = checkin_stats.by_delegation(event_id)
    return {"by_delegation": tuple(Breakdown(str(d["id"]), d["name"], d["confirmed"], d["checked_in"])
                                   for d in figures["delegations"]),
            "by_mobiliser": tuple(Breakdown(o["organisation"], o["organisation"], o["confirmed"], o["checked_in"])
                                  for o in figures["organisations"])}


def _counts(event_id: int, entrance: int | None, key, *joins) -> dict:
    """{key: (confirmed registrations, of them checked in at the entrance)} in one GROUP BY. A person has at
    most one check-in per list (unique constraint), so the outer join never counts anyone twice."""
    came = sa.and_(CheckIn.registration_id == Registration.id, CheckIn.check_in_list_id == entrance) \
        if entrance else sa.false()
    query = sa.select(key.label("key"), sa.func.count(Registration.id), sa.func.count(CheckIn.id)) \
        .select_from(Registration)
    for target, condition in joins:
        query = query.join(target, condition)
    query = query.outerjoin(CheckIn, came).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED).group_by(key)
    return {row[0]: (row[1], row[2]) for row in db.session.execute(query)}


def _ordered(counts: dict, keys_and_labels) -> tuple[Breakdown, ...]:
    """The rows that have people, in the given order, then those of unknown value."""
    rows = [Breakdown(code, str(label), *counts[key]) for key, code, label in keys_and_labels if key in counts]
    if None in counts:
        rows.append(Breakdown(UNKNOWN, str(UNKNOWN_LABEL), *counts[None]))
    return tuple(rows)


def by_group(event_id: int, entrance: int | None) -> tuple[Breakdown, ...]:
    counts = _counts(event_id, entrance, RegistrationCategory.participant_group,
                     (RegistrationCategory, RegistrationCategory.id == Registration.category_id))
    return _ordered(counts, ((g.code, g.code, g.label) for g in participant_groups()))


def by_gender(event_id: int, entrance: int | None) -> tuple[Breakdown, ...]:
    counts = _counts(event_id, entrance, Registration.gender)
    return _ordered(counts, ((g, g.value, g.label) for g in Gender))


def age_band(event_year: int):
    """SQL: the age band code of a registration in the event's year, NULL without a birth year."""
    age = event_year - Registration.birth_year
    bands = [(age < upper, code) for code, _label, upper in AGE_BANDS if upper is not None]
    return sa.case((Registration.birth_year.is_(None), sa.null()), *bands, else_=AGE_BANDS[-1][0])


def by_age(event: Event, entrance: int | None) -> tuple[Breakdown, ...]:
    counts = _counts(event.id, entrance, age_band(to_local(event.starts_at).year))
    return _ordered(counts, ((code, code, label) for code, label, _upper in AGE_BANDS))


def by_province(event_id: int, entrance: int | None) -> tuple[Breakdown, ...]:
    """Most registrations first, then by name; people who gave no province last."""
    counts = _counts(event_id, entrance, Registration.province)
    provinces = sorted((p for p in counts if p is not None), key=lambda p: (-counts[p][0], p))
    return _ordered(counts, ((p, p, p) for p in provinces))


def registrations_by_day(event: Event) -> tuple[DayCount, ...]:
    """Registrations made per local day, oldest first, days without any shown as zero (within
    MAX_FILLED_DAYS). Day numbers are computed in SQL from epoch seconds shifted to local time."""
    offset = int(to_local(event.starts_at).utcoffset().total_seconds())
    day = ((checkin_stats.epoch_seconds(Registration.created_at) + offset) // DAY_SECONDS).label("day")
    confirmed = sa.func.sum(sa.case((Registration.status == RegistrationStatus.CONFIRMED, 1), else_=0))
    rows = {int(number): (made, int(kept)) for number, made, kept in db.session.execute(
        sa.select(day, sa.func.count(), confirmed).where(Registration.event_id == event.id)
        .group_by(day).order_by(day))}
    if not rows:
        return ()
    numbers = sorted(rows)
    if numbers[-1] - numbers[0] < MAX_FILLED_DAYS:
        numbers = list(range(numbers[0], numbers[-1] + 1))
    epoch = date(1970, 1, 1)
    return tuple(DayCount(epoch + timedelta(days=n), *rows.get(n, (0, 0))) for n in numbers)
