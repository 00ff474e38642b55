"""Exhibitors and OCOP products in period reports (booths' tables): approved applications of counted events."""
from datetime import date

from eventhub.booths.applications.models import ApplicationStatus, ProductGroup
from eventhub.events.models import EventType
from eventhub.reports import periods
from eventhub.reports.models import Indicator
from tests.booths import factories as booths
from tests.reports import factories as reports


def _rows(report):
    return {row.code: row for row in report.indicators}


def test_exhibitors_once_and_ocop_products_of_approved_applications(factory):
    province = factory.organisation()
    district = factory.organisation(parent_id=province.id)
    fair = reports.held_event(province, date(2026, 3, 1), event_type=EventType.FAIR)
    startup_day = reports.held_event(district, date(2026, 5, 1), event_type=EventType.STARTUP_DAY)
    elsewhere = reports.held_event(factory.organisation(), date(2026, 5, 1), event_type=EventType.FAIR)
    cooperative = booths.make_exhibitor(with_account=False)
    booths.make_application(fair, cooperative, status=ApplicationStatus.APPROVED, products=[
        {"ocop_stars": 4}, {"ocop_stars": 3, "name": "Mật ong"},
        {"ocop_stars": None, "name": "Bánh", "product_group": ProductGroup.FOOD}])
    booths.make_application(startup_day, cooperative, status=ApplicationStatus.APPROVED,
                            products=[{"ocop_stars": 5}])
    booths.make_application(startup_day, booths.make_exhibitor(with_account=False),
                            status=ApplicationStatus.APPROVED, products=[])
    booths.make_application(fair, booths.make_exhibitor(with_account=False), status=ApplicationStatus.REJECTED)
    booths.make_application(elsewhere, booths.make_exhibitor(with_account=False),
                            status=ApplicationStatus.APPROVED)
    reports.make_plan(province, 2026, targets=[reports.target(Indicator.OCOP_PRODUCTS, 10),
                                               reports.target(Indicator.EXHIBITORS, 1, event_types=[EventType.FAIR])])
    rows = _rows(periods.build_period_report([province.id], date(2026, 1, 1), date(2026, 12, 31)))
    assert rows["exhibitors"].achieved == 2  # the cooperative came twice: one exhibitor
    assert (rows["ocop_products"].achieved, rows["ocop_products"].target, rows["ocop_products"].percent) == \
        (3, 10, 30.0)
    assert rows["exhibitors:type=fair"].achieved == 1
    first_half = _rows(periods.build_period_report([province.id], date(2026, 1, 1), date(2026, 3, 31)))
    assert (first_half["exhibitors"].achieved, first_half["ocop_products"].achieved) == (1, 2)
