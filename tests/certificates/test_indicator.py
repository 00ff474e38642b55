"""Certificates issued as an indicator a plan can target: counted by the database for the events a report counts,
revoked ones left out."""
from datetime import date

from eventhub.certificates import services
from eventhub.certificates.models import CertificateKind
from eventhub.reports import plans
from eventhub.reports.models import Indicator
from eventhub.reports.periods import build_period_report

from .factories import AFTER, make_training, template


def test_a_plan_targets_certificates_issued_and_the_report_counts_valid_ones(factory):
    event, people = make_training(factory, completers=3, once=1, absent=1)
    template(event)
    template(event, CertificateKind.PARTICIPATION)
    completed = services.issue_batch(event.id, CertificateKind.COMPLETION, issued_by=None, now=AFTER)
    services.issue_batch(event.id, CertificateKind.PARTICIPATION, issued_by=None, now=AFTER)
    services.revoke(event.id, completed[0].id, "Cấp nhầm", user_id=None, now=AFTER)
    plan = plans.save_plan(event.organisation_id, None, plans.PlanDetails(year=2027, title="Kế hoạch năm 2027"))
    plans.save_target(plan.id, None, plans.TargetDetails(Indicator.CERTIFICATES_ISSUED, 20))
    report = build_period_report([event.organisation_id], date(2027, 1, 1), date(2027, 6, 30), now=AFTER)
    [row] = [r for r in report.indicators if r.code == Indicator.CERTIFICATES_ISSUED.value]
    assert (row.target, row.achieved, row.label) == (20, 3 + 4 - 1, "Số giấy chứng nhận đã cấp")
    # Another period counts none of them.
    assert [r.achieved for r in build_period_report([event.organisation_id], date(2027, 7, 1), date(2027, 12, 31),
                                                    now=AFTER).indicators
            if r.code == Indicator.CERTIFICATES_ISSUED.value] == [0]
