"""Report test data built through the services: plans with targets, events held on given days with
registrations and check-ins, supported projects."""
from datetime import date, datetime, time, timedelta

from eventhub.checkin import services as checkin
from eventhub.events import coorganisers
from eventhub.events import services as events
from eventhub.events.models import EventLevel, EventType
from eventhub.registration import services as registration
from eventhub.registration import setup
from eventhub.registration.groups import get_group
from eventhub.registration.models import RegistrationSource
from eventhub.reports import plans
from eventhub.reports.models import Indicator
from eventhub.timeutil import from_local
from tests.support import factories


def make_plan(organisation, year=2026, *, title=None, targets=()):
    """A yearly plan; `targets` are dicts of TargetDetails fields (indicator and target_value at least)."""
    plan = plans.save_plan(organisation.id, None, plans.PlanDetails(
        year=year, title=title or f"Kế hoạch khởi nghiệp năm {year}"))
    for values in targets:
        plans.save_target(plan.id, None, plans.TargetDetails(**values))
    return plan


def target(indicator: Indicator, value: int, **filters) -> dict:
    return {"indicator": indicator, "target_value": value, **filters}


def held_event(organisation, day: date, *, event_type=EventType.STARTUP_DAY, level=EventLevel.PROVINCE,
               co_organisers=(), tags=(), finish=True, title=None, at=time(8), hours: float = 8):
    """An event held on a local day for `hours` from `at`, published beforehand and, by default, finished."""
    starts_at = from_local(datetime.combine(day, at))
    event = events.create_event(organisation.id, None, factories.event_details(
        title=title or f"{event_type.label} {day:%d/%m/%Y}", event_type=event_type, level=level,
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
        co_organiser_ids=[o.id for o in co_organisers], capacity=None))
    for co_organiser in co_organisers:  # the reports count accepted co-organisers only
        coorganisers.answer(event.id, co_organiser.id, "accept")
    events.apply_transition(event.id, "publish", now=starts_at - timedelta(days=30))
    if finish:
        events.apply_transition(event.id, "finish", now=starts_at + timedelta(hours=9))
    if tags:
        plans.set_event_tags(event.id, list(tags))
    return event


def people(event, group: str, count: int, *, attended: int = 0, first: int = 1):
    """`count` confirmed registrations in a category of the group, people numbered from `first` (the same number
    is the same person: same phone and e-mail); the first `attended` are checked in at the entrance."""
    category = next((c for c in registration.categories(event.id) if c.participant_group == group), None) \
        or setup.save_category(event.id, None, setup.CategoryDetails(name=get_group(group).name_vi,
                                                                      participant_group=group))
    entrance = checkin.entrance_for(event.id)
    created = []
    for n in range(first, first + count):
        created.append(registration.register(event.id, factories.registrant(category, n),
                                             source=RegistrationSource.MANUAL, now=event.starts_at))
    for person in created[:attended]:
        checkin.scan(entrance.id, registration_id=person.id, scanner=checkin.Scanner(), now=event.starts_at)
    return created


def supported(organisation, name="Dự án cà phê sạch", day=date(2026, 3, 1), **extra):
    from eventhub.reports.models import SupportKind

    created_by_id = extra.pop("created_by_id", None)
    return plans.mark_supported(organisation.id, plans.SupportedDetails(
        kind=extra.pop("kind", SupportKind.STARTUP_PROJECT), name=name, supported_on=day, **extra),
        created_by_id=created_by_id)
