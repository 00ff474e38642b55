from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...accounts.models import Organisation, User
from ...extensions import db
from ...timeutil import UTCDateTime, utcnow
from ..models import ReportSnapshot

# The organisations a report covers (with their descendants): who may read it is who may read that report.
issued_report_organisations = sa.Table(
    "issued_report_organisations",
    db.metadata,
    sa.Column("issued_report_id", sa.ForeignKey("issued_reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="RESTRICT"), primary_key=True,
              index=True),
)


class IssuedReport(db.Model):
    """A report as it was signed and sent up: its number, date and signer, the figures as JSON and the very PDF and
    XLSX bytes with their SHA-256. It is never changed (migration 0009 adds a trigger that refuses any UPDATE of
    these tables): a correction is a new issued report that names the one it replaces."""

    __tablename__ = "issued_reports"
    __table_args__ = (
        # Document numbers start again every year (Decree 30/2020/NĐ-CP), so a number is unique within a year.
        sa.UniqueConstraint("organisation_id", "issued_year", "number", name="uq_issued_reports_number"),
        sa.UniqueConstraint("replaces_id", name="uq_issued_reports_replaces"),  # a report is replaced once
        sa.CheckConstraint("ends_on >= starts_on", name="period_order"),
        sa.CheckConstraint("issued_year BETWEEN 2000 AND 2100", name="issued_year_range"),
        sa.CheckConstraint("length(pdf_sha256) = 64 AND length(xlsx_sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The issuing agency; the number's unique key starts with it, so it needs no index of its own.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"))
    number: Mapped[str] = mapped_column(sa.String(60))
    issued_on: Mapped[date] = mapped_column(sa.Date)
    issued_year: Mapped[int]
    signer_name: Mapped[str] = mapped_column(sa.String(100))
    signer_title: Mapped[str] = mapped_column(sa.String(150))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    snapshot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report_snapshots.id", ondelete="RESTRICT"),
                                                    index=True)
    # NO ACTION, checked at the end of a statement (RESTRICT is checked per row): a replaced report stays while
    # its correction exists.
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issued_reports.id"))
    figures: Mapped[dict] = mapped_column(sa.JSON, deferred=True)  # lists need neither the figures nor the files
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    xlsx: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    xlsx_sha256: Mapped[str] = mapped_column(sa.String(64))
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(secondary=issued_report_organisations,
                                                             order_by=Organisation.name, viewonly=True)
    issued_by: Mapped[User] = relationship()
    snapshot: Mapped[ReportSnapshot | None] = relationship()
    replaces: Mapped["IssuedReport | None"] = relationship(remote_side=[id], foreign_keys=[replaces_id],
                                                           viewonly=True)
    replaced_by: Mapped["IssuedReport | None"] = relationship(foreign_keys=[replaces_id], uselist=False,
                                                              viewonly=True)
