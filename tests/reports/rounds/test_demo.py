"""The demo's reporting round: two submissions (one accepted, one waiting), the consolidation issued, the extra
participant groups; loading the demo again adds nothing."""
from datetime import UTC, date, datetime

import sqlalchemy as sa

from eventhub.accounts.models import Organisation
from eventhub.demo import load_demo_data
from eventhub.extensions import db
from eventhub.registration.models import ParticipantGroup
from eventhub.reports.issued.models import IssuedReport
from eventhub.reports.rounds import services
from eventhub.reports.rounds.demo import demo_period
from eventhub.reports.rounds.models import ReportingRound, RoundPeriod, RoundSubmission, SubmissionStatus

DEMO_DAY = datetime(2026, 12, 4, 2, tzinfo=UTC)  # 09:00 on 04/12/2026 in Hồ Chí Minh


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (ReportingRound, RoundSubmission, IssuedReport, ParticipantGroup, Organisation)]


def test_the_demo_round_is_loaded_once(app):
    load_demo_data(now=DEMO_DAY)
    first = _counts()
    load_demo_data(now=DEMO_DAY)
    assert _counts() == first
    reporting_round = db.session.scalar(sa.select(ReportingRound))
    assert (reporting_round.period, reporting_round.starts_on, reporting_round.ends_on) == (
        RoundPeriod.FIRST_HALF, date(2026, 1, 1), date(2026, 6, 30))
    assert reporting_round.organisation.name == "Sở Khoa học và Công nghệ tỉnh Đắk Lắk"
    assert sorted(s.status.value for s in reporting_round.submissions) == ["accepted", "submitted"]
    assert all(s.figures["values"][0]["value"] == 6 for s in reporting_round.submissions)
    issued = db.session.scalar(sa.select(IssuedReport))
    assert issued.number == "1204/BC-SKHCN" and issued.organisation_id == reporting_round.organisation_id
    result = services.consolidate(reporting_round.id, now=DEMO_DAY)
    accepted = next(s for s in reporting_round.submissions if s.status == SubmissionStatus.ACCEPTED)
    assert result.columns[1:] == (accepted.organisation.display_name,)
    assert {g.code for g in db.session.scalars(sa.select(ParticipantGroup))} >= {"worker", "athlete"}


def test_the_demo_reports_the_last_finished_half_year():
    assert demo_period(date(2026, 12, 4)) == (RoundPeriod.FIRST_HALF, 2026)
    assert demo_period(date(2027, 3, 1)) == (RoundPeriod.SECOND_HALF, 2026)
    assert demo_period(date(2026, 7, 1)) == (RoundPeriod.FIRST_HALF, 2026)
