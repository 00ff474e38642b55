"""Check-in numbers for the organiser's dashboard. Every count is made by the database (COUNT ... GROUP BY),
never by loading rows into Python, so the dashboard stays fast for an event of thousands."""
from datetime import UTC, datetime

import sqlalchemy as sa

from ..events.models import Event
from ..extensions import db
from ..i18n import format_time
from ..registration.delegations import figures as delegation_figures
from ..registration.models import Registration, RegistrationCategory, RegistrationStatus
from ..timeutil import to_local, utcnow
from .models import CheckIn, CheckInList, ScanLog, ScanResult, check_in_list_categories
from .paper import paper_counts

SLOT_SECONDS = 15 * 60
# Gaps between the first and last arrival are filled with empty slots up to this many (two days).
MAX_FILLED_SLOTS = 192
NO_SHOW_NAME_LIMIT = 500
ACCEPTED_RESULTS = tuple(r for r in ScanResult if r.accepted)


def epoch_seconds(column):
    """Whole seconds since 1970-01-01 UTC of a UTCDateTime column (stored as naive UTC on both databases)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.floor(sa.extract("epoch", column)), sa.BigInteger)
    return sa.cast(sa.func.strftime("%s", column), sa.Integer)


def _slot(column):
    """The 15-minute slot number (epoch seconds // 900). Integer division of non-negative integers rounds
    down alike on SQLite and PostgreSQL. Every real time zone's offset is a multiple of 15 minutes, so
    UTC slots are local slots too."""
    return epoch_seconds(column) // SLOT_SECONDS


def entrance_list_id(event_id: int) -> int | None:
    """The event's first list (see services.entrance_for), without creating one."""
    return db.session.scalar(sa.select(sa.func.min(CheckInList.id)).where(CheckInList.event_id == event_id))


def _confirmed(event_id: int):
    return (Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def lists(event_id: int, now: datetime | None = None) -> list[dict]:
    """Per check-in list: people inside now (checked in, not exited) and the confirmed people it admits
    (every category when the list names none, else those of its categories)."""
    rows = db.session.execute(sa.select(CheckInList.id, CheckInList.name).where(
        CheckInList.event_id == event_id).order_by(CheckInList.id)).all()
    inside = dict(db.session.execute(
        sa.select(CheckIn.check_in_list_id, sa.func.count())
        .join(CheckInList, CheckInList.id == CheckIn.check_in_list_id)
        .where(CheckInList.event_id == event_id, CheckIn.exited_at.is_(None))
        .group_by(CheckIn.check_in_list_id)).all())
    restricted_lists = set(db.session.scalars(
        sa.select(check_in_list_categories.c.check_in_list_id).distinct()
        .join(CheckInList, CheckInList.id == check_in_list_categories.c.check_in_list_id)
        .where(CheckInList.event_id == event_id)))
    restricted = dict(db.session.execute(
        sa.select(check_in_list_categories.c.check_in_list_id, sa.func.count(Registration.id))
        .join(Registration, Registration.category_id == check_in_list_categories.c.category_id)
        .where(*_confirmed(event_id))
        .group_by(check_in_list_categories.c.check_in_list_id)).all())
    everyone = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(*_confirmed(event_id)))
    on_paper = paper_counts(event_id)
    result = []
    for list_id, name in rows:
        admissible = restricted.get(list_id, 0) if list_id in restricted_lists else everyone
        result.append({"id": list_id, "name": name, "checked_in": inside.get(list_id, 0), "admissible": admissible,
                       "from_paper": on_paper.get(list_id, 0),
                       "percent": _percent(inside.get(list_id, 0), admissible)})
    return result


def categories(event_id: int, now: datetime | None = None) -> list[dict]:
    """Per category: confirmed registrations, and people checked in on the entrance list (an exit
    later does not undo having come)."""
    rows = db.session.execute(sa.select(RegistrationCategory.id, RegistrationCategory.name).where(
        RegistrationCategory.event_id == event_id).order_by(RegistrationCategory.position,
                                                            RegistrationCategory.id)).all()
    registered = dict(db.session.execute(
        sa.select(Registration.category_id, sa.func.count()).where(*_confirmed(event_id))
        .group_by(Registration.category_id)).all())
    entrance = entrance_list_id(event_id)
    arrived = dict(db.session.execute(
        sa.select(Registration.category_id, sa.func.count())
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(CheckIn.check_in_list_id == entrance, *_confirmed(event_id))
        .group_by(Registration.category_id)).all()) if entrance else {}
    return [{"id": category_id, "name": name, "registered": registered.get(category_id, 0),
             "checked_in": arrived.get(category_id, 0),
             "percent": _percent(arrived.get(category_id, 0), registered.get(category_id, 0))}
            for category_id, name in rows]


def arrivals(list_id: int, now: datetime | None = None) -> list[dict]:
    """Check-ins on a list per 15 minutes, oldest first, labelled with the local start time (HH:MM).
    A person who left and came back counts once, at the latest entry."""
    slot = _slot(CheckIn.checked_in_at).label("slot")
    counted = dict(db.session.execute(
        sa.select(slot, sa.func.count()).where(CheckIn.check_in_list_id == list_id)
        .group_by(slot).order_by(slot)).all())
    if not counted:
        return []
    numbers = sorted(int(n) for n in counted)
    if numbers[-1] - numbers[0] < MAX_FILLED_SLOTS:
        numbers = list(range(numbers[0], numbers[-1] + 1))
    counts = {int(n): c for n, c in counted.items()}
    result = []
    for number in numbers:
        start = datetime.fromtimestamp(number * SLOT_SECONDS, UTC)
        result.append({"start": start.isoformat(), "label": format_time(start), "count": counts.get(number, 0)})
    return result


def _no_show_query(event_id: int, entrance: int | None):
    came = sa.select(CheckIn.id).where(CheckIn.registration_id == Registration.id,
                                       CheckIn.check_in_list_id == entrance)
    return sa.select(Registration).where(*_confirmed(event_id), ~came.exists())


def no_shows(event_id: int, now: datetime | None = None, limit: int = NO_SHOW_NAME_LIMIT) -> dict:
    """Confirmed people never checked in at the entrance. Names only once the event has ended (before,
    they may still be on their way): at most `limit` of them, by name."""
    now = now or utcnow()
    entrance = entrance_list_id(event_id)
    query = _no_show_query(event_id, entrance)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    ends_at = db.session.scalar(sa.select(Event.ends_at).where(Event.id == event_id))
    ended = ends_at is not None and now >= ends_at
    people = []
    if ended and count:
        rows = db.session.execute(
            sa.select(Registration.id, Registration.full_name, Registration.organisation_name,
                      RegistrationCategory.name)
            .join(RegistrationCategory, RegistrationCategory.id == Registration.category_id)
            .where(Registration.id.in_(query.with_only_columns(Registration.id)))
            .order_by(Registration.name_key, Registration.id).limit(limit)).all()
        people = [{"id": r[0], "full_name": r[1], "organisation_name": r[2], "category": r[3]} for r in rows]
    return {"count": count, "ended": ended, "people": people, "more": max(0, count - len(people)) if ended else 0}


def refused(event_id: int, now: datetime | None = None) -> dict:
    """Scans refused on the event's lists, by result code, most frequent first."""
    rows = db.session.execute(
        sa.select(ScanLog.result, sa.func.count().label("n"))
        .join(CheckInList, CheckInList.id == ScanLog.check_in_list_id)
        .where(CheckInList.event_id == event_id, ScanLog.result.not_in(ACCEPTED_RESULTS))
        .group_by(ScanLog.result)).all()
    by_result = sorted(({"code": result.value, "label": str(result.label), "count": n} for result, n in rows),
                       key=lambda item: (-item["count"], item["code"]))
    return {"total": sum(item["count"] for item in by_result), "by_result": by_result}


def by_delegation(event_id: int) -> dict:
    """Registered, confirmed and checked-in people (entrance) per delegation and per mobilising organisation."""
    figures = delegation_figures(event_id)
    entrance = entrance_list_id(event_id)
    came = dict(db.session.execute(
        sa.select(Registration.delegation_id, sa.func.count()).join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(CheckIn.check_in_list_id == entrance, Registration.delegation_id.is_not(None))
        .group_by(Registration.delegation_id)).all()) if entrance else {}
    totals = {o["organisation"]: {**o, "checked_in": 0} for o in figures["organisations"]}
    for row in figures["delegations"]:
        row["checked_in"] = came.get(row["id"], 0)
        totals[row["organisation"]]["checked_in"] += row["checked_in"]
    return {"delegations": figures["delegations"], "organisations": list(totals.values())}


def summary(event_id: int, list_id: int | None = None, now: datetime | None = None) -> dict:
    """Everything the dashboard shows, as JSON-ready data; arrivals for `list_id` (default: the entrance)."""
    now = now or utcnow()
    list_id = list_id or entrance_list_id(event_id)
    slots = arrivals(list_id, now) if list_id else []
    return {
        "generated_at": now.isoformat(),
        "generated_label": to_local(now).strftime("%H:%M:%S"),
        "lists": lists(event_id, now),
        "categories": categories(event_id, now),
        "arrivals": {"list_id": list_id, "slots": slots, "max": max((s["count"] for s in slots), default=0)},
        "no_shows": no_shows(event_id, now),
        "refused": refused(event_id, now),
        "by_delegation": by_delegation(event_id),
    }

