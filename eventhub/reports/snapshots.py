"""Report snapshots: each organisation's year-to-date report frozen at every month end, and its whole year at
year end, so that a report signed in January reads the same in March; a live report says how it differs."""
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Organisation, User
from ..errors import NotFound
from ..extensions import db
from ..i18n import format_datetime
from ..timeutil import to_local, utcnow
from .models import ReportSnapshot, SnapshotKind
from .periods import PeriodReport, build_period_report, report_from_json, report_to_json, reportable_organisations


def due_periods(now: datetime) -> list[tuple[SnapshotKind, date, date]]:
    """The year to date at the end of the last finished month, and the whole of last year."""
    month_start = to_local(now).date().replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    last_year = month_start.year - 1
    return [(SnapshotKind.MONTHLY, last_month_end.replace(month=1, day=1), last_month_end),
            (SnapshotKind.YEAR_END, date(last_year, 1, 1), date(last_year, 12, 31))]


def take_due_snapshots(now: datetime | None = None) -> int:
    """Store every due snapshot that is missing, for every active organisation. Running it again (or twice at
    once) adds nothing: the unique scope (organisation, kind, period) refuses the duplicate."""
    now = now or utcnow()
    taken = 0
    organisation_ids = db.session.scalars(sa.select(Organisation.id).where(Organisation.is_active)
                                          .order_by(Organisation.id)).all()
    existing = set(db.session.execute(sa.select(ReportSnapshot.organisation_id, ReportSnapshot.kind,
                                                ReportSnapshot.starts_on, ReportSnapshot.ends_on)).all())
    for organisation_id in organisation_ids:
        for kind, starts_on, ends_on in due_periods(now):
            if (organisation_id, kind, starts_on, ends_on) in existing:
                continue
            report = build_period_report([organisation_id], starts_on, ends_on, now=now, compare_with_snapshot=False)
            db.session.add(ReportSnapshot(organisation_id=organisation_id, kind=kind, starts_on=starts_on,
                                          ends_on=ends_on, taken_at=now, payload=report_to_json(report)))
            try:
                db.session.commit()
                taken += 1
            except IntegrityError:  # another run stored it first
                db.session.rollback()
    return taken


def latest_snapshot(organisation_id: int, starts_on: date, ends_on: date) -> ReportSnapshot | None:
    return db.session.scalar(
        sa.select(ReportSnapshot).where(ReportSnapshot.organisation_id == organisation_id,
                                        ReportSnapshot.starts_on == starts_on, ReportSnapshot.ends_on == ends_on)
        .order_by(ReportSnapshot.taken_at.desc(), ReportSnapshot.id.desc()).limit(1))


def difference_note(organisation_id: int, report: PeriodReport) -> str | None:
    """How the live report differs from the latest snapshot of the same organisation and period, if any."""
    snapshot = latest_snapshot(organisation_id, report.starts_on, report.ends_on)
    if snapshot is None:
        return None
    stored = report_from_json(snapshot.payload)
    before = {row.code: row for row in stored.indicators}
    changes = [f"{row.label}: {before[row.code].achieved} → {row.achieved}" for row in report.indicators
               if row.code in before and before[row.code].achieved != row.achieved]
    if len(stored.events) != len(report.events):
        changes.append(_("Số sự kiện được tính: %(old)d → %(new)d", old=len(stored.events), new=len(report.events)))
    taken = format_datetime(snapshot.taken_at)
    if not changes:
        return _("Khớp với bản lưu ngày %(taken)s.", taken=taken)
    return _("Khác bản lưu ngày %(taken)s: %(changes)s.", taken=taken, changes="; ".join(changes))


def list_snapshots(user: User) -> list[ReportSnapshot]:
    allowed = [o.id for o in reportable_organisations(user)]
    return list(db.session.scalars(
        sa.select(ReportSnapshot).where(ReportSnapshot.organisation_id.in_(allowed))
        .order_by(ReportSnapshot.ends_on.desc(), ReportSnapshot.organisation_id, ReportSnapshot.kind)))


def get_snapshot(user: User, snapshot_id: int) -> tuple[ReportSnapshot, PeriodReport]:
    snapshot = db.session.get(ReportSnapshot, snapshot_id)
    if snapshot is None or snapshot.organisation_id not in {o.id for o in reportable_organisations(user)}:
        raise NotFound()
    return snapshot, report_from_json(snapshot.payload)
