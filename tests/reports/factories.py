"""Report test data: plans with targets, tagged events with registrations and check-ins, supported projects."""
from datetime import date

from eventhub.extensions import db
from eventhub.reports.models import Indicator, Plan, PlanTarget


def make_plan(organisation, year=2026, *, title=None, targets=()):
    """A yearly plan; `targets` are dicts of PlanTarget fields (indicator and target_value at least)."""
    plan = Plan(organisation_id=organisation.id, year=year, title=title or f"Kế hoạch khởi nghiệp năm {year}")
    for position, values in enumerate(targets):
        indicator = values["indicator"]
        plan.targets.append(PlanTarget(**{"label": str(indicator.label), "unit": str(indicator.unit),
                                          "position": position, "event_types": [], "levels": [], "tags": [],
                                          **values}))
    db.session.add(plan)
    db.session.commit()
    return plan


def target(indicator: Indicator, value: int, **filters) -> dict:
    return {"indicator": indicator, "target_value": value, **filters}


def day(d: int, m: int, y: int = 2026) -> date:
    return date(y, m, d)
