"""Issuing a report: the period report (or a snapshot) is rendered once, at the moment it is signed, and its
number, date, signer, figures and the exact PDF and XLSX bytes are kept with their SHA-256. Downloading it later
returns those bytes whatever happened to the data since; a correction is a new issued report naming the one it
replaces, never a change to it."""
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ... import document
from ...accounts.models import User
from ...accounts.services import get_organisation
from ...errors import NotFound, ValidationFailed
from ...extensions import db
from ...i18n import format_date
from ...params import is_db_id
from ...text import slugify
from ...timeutil import to_local, utcnow
from .. import exports
from ..models import ReportSnapshot
from ..periods import (
    PeriodReport,
    build_period_report,
    report_from_json,
    report_to_json,
    reportable_organisations,
    require_report_access,
)
from .models import IssuedReport, issued_report_organisations

MAX_NUMBER_LENGTH, MAX_SIGNER_NAME_LENGTH, MAX_SIGNER_TITLE_LENGTH = 60, 100, 150
# "57/BC-SKHCN": the year's running number, "BC" for a report, then the issuing agency's initials.
NUMBER_PATTERN = r"^[0-9]{1,6}/BC-\S+$"
NUMBER_MESSAGE = _l("Số báo cáo có dạng số thứ tự/BC-ký hiệu cơ quan, ví dụ 57/BC-SKHCN.")
FILE_FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class IssueDetails:
    number: str
    signer_name: str
    signer_title: str
    issued_on: date | None = None  # today
    replaces_id: int | None = None


def normalise_number(text: str | None) -> str | None:
    """"57 / bc-skhcn" → "57/BC-SKHCN": numbers compare without spaces and in capitals, as they are printed."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", "".join(text.split())).upper()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Issuing ------------------------------------------------------------------------------------------

def issue_period_report(organisation_ids, starts_on: date, ends_on: date, details: IssueDetails, *, issuer_id: int,
                        issued_by_id: int, now: datetime | None = None) -> IssuedReport:
    """Issue the report of the organisations for the period as it stands now, numbered and signed by the
    issuing organisation (one of them: the caller has checked who may report on them)."""
    now = now or utcnow()
    organisation_ids = sorted(set(organisation_ids))
    if issuer_id not in organisation_ids:
        raise NotFound()
    replaced = _check(issuer_id, starts_on, details, now)
    report = build_period_report(organisation_ids, starts_on, ends_on, now=now, compare_with_snapshot=False)
    return _store(report, organisation_ids, issuer_id, details, replaced, issued_by_id=issued_by_id, now=now)


def issue_snapshot(snapshot_id: int, details: IssueDetails, *, issued_by_id: int,
                   now: datetime | None = None) -> IssuedReport:
    """Issue a stored snapshot: its frozen figures, numbered and signed by the snapshot's organisation."""
    now = now or utcnow()
    snapshot = db.session.get(ReportSnapshot, snapshot_id) if is_db_id(snapshot_id) else None
    if snapshot is None:
        raise NotFound()
    replaced = _check(snapshot.organisation_id, snapshot.starts_on, details, now)
    return _store(report_from_json(snapshot.payload), [snapshot.organisation_id], snapshot.organisation_id, details,
                  replaced, issued_by_id=issued_by_id, now=now, snapshot_id=snapshot.id)


def issue_built_report(report: PeriodReport, organisation_ids, details: IssueDetails, *, issuer_id: int,
                       issued_by_id: int, now: datetime | None = None) -> IssuedReport:
    """Issue a report built elsewhere (a reporting round's consolidation) under the same rules and storage."""
    now = now or utcnow()
    replaced = _check(issuer_id, report.starts_on, details, now)
    return _store(report, sorted(set(organisation_ids)), issuer_id, details, replaced, issued_by_id=issued_by_id,
                  now=now)


def _check(issuer_id: int, starts_on: date, details: IssueDetails, now: datetime) -> IssuedReport | None:
    """Every rule an issue must keep, each on its field; returns the report it replaces, if any."""
    today = to_local(now).date()
    issued_on = details.issued_on or today
    number = normalise_number(details.number) or ""
    problems: dict[str, list] = {}
    if not re.fullmatch(NUMBER_PATTERN, number) or len(number) > MAX_NUMBER_LENGTH:
        problems["number"] = [NUMBER_MESSAGE]
    else:
        taken = _numbered(issuer_id, issued_on.year, number)
        if taken is not None:
            problems["number"] = [_l("Số %(number)s đã dùng cho báo cáo ban hành ngày %(day)s của đơn vị; mỗi số "
                                     "chỉ dùng một lần trong năm %(year)d.", number=number,
                                     day=format_date(taken.issued_on), year=issued_on.year)]
    for name, length in (("signer_name", MAX_SIGNER_NAME_LENGTH), ("signer_title", MAX_SIGNER_TITLE_LENGTH)):
        value = " ".join(getattr(details, name).split())
        if not value:
            problems[name] = [_l("Trường này là bắt buộc.")]
        elif len(value) > length:
            problems[name] = [_l("Không được dài quá %(max)d ký tự.", max=length)]
    if issued_on > today:
        problems["issued_on"] = [_l("Ngày ban hành không được sau hôm nay (%(today)s).", today=format_date(today))]
    elif issued_on < starts_on:
        problems["issued_on"] = [_l("Ngày ban hành không được trước ngày bắt đầu kỳ báo cáo (%(day)s).",
                                    day=format_date(starts_on))]
    replaced = None
    if details.replaces_id is not None:
        replaced = db.session.get(IssuedReport, details.replaces_id) if is_db_id(details.replaces_id) else None
        if replaced is None or replaced.organisation_id != issuer_id:
            problems["replaces_id"] = [_l("Đơn vị không có báo cáo đã ban hành nào như vậy để thay thế.")]
            replaced = None
        elif replaced.replaced_by is not None:
            problems["replaces_id"] = [_l("Báo cáo số %(number)s đã được thay thế bởi báo cáo số %(newer)s; hãy "
                                          "thay thế bản mới nhất.", number=replaced.number,
                                          newer=replaced.replaced_by.number)]
        elif issued_on < replaced.issued_on:
            problems.setdefault("issued_on", []).append(
                _l("Bản thay thế không được ban hành trước báo cáo mà nó thay thế (%(day)s).",
                   day=format_date(replaced.issued_on)))
    if problems:
        raise ValidationFailed(problems)
    return replaced


def _numbered(issuer_id: int, year: int, number: str) -> IssuedReport | None:
    return db.session.scalar(sa.select(IssuedReport).where(
        IssuedReport.organisation_id == issuer_id, IssuedReport.issued_year == year, IssuedReport.number == number))


def _store(report: PeriodReport, organisation_ids, issuer_id: int, details: IssueDetails,
           replaced: IssuedReport | None, *, issued_by_id: int, now: datetime,
           snapshot_id: int | None = None) -> IssuedReport:
    issued_on = details.issued_on or to_local(now).date()
    number = normalise_number(details.number)
    signer_name, signer_title = " ".join(details.signer_name.split()), " ".join(details.signer_title.split())
    if replaced is not None:  # the report's note line says which report this one replaces
        report = replace(report, snapshot_note=str(_l(
            "Báo cáo này thay thế Báo cáo số %(number)s ngày %(day)s.", number=replaced.number,
            day=format_date(replaced.issued_on))))
    header = replace(document.default_header(get_organisation(issuer_id), issued_on), number=number,
                     signer_title=signer_title, signer_name=signer_name)
    pdf, xlsx = exports.render(report, header, "pdf"), exports.render(report, header, "xlsx")
    issued = IssuedReport(
        organisation_id=issuer_id, number=number, issued_on=issued_on, issued_year=issued_on.year,
        signer_name=signer_name, signer_title=signer_title, starts_on=report.starts_on, ends_on=report.ends_on,
        snapshot_id=snapshot_id, replaces_id=replaced.id if replaced else None, figures=report_to_json(report),
        pdf=pdf, pdf_sha256=sha256(pdf), xlsx=xlsx, xlsx_sha256=sha256(xlsx), issued_by_id=issued_by_id,
        issued_at=now)
    db.session.add(issued)
    try:
        db.session.flush()
        db.session.execute(sa.insert(issued_report_organisations),
                           [{"issued_report_id": issued.id, "organisation_id": i} for i in organisation_ids])
        db.session.commit()
    except IntegrityError:  # issued at the same moment with the same number, or replacing the same report
        db.session.rollback()
        _check(issuer_id, report.starts_on, details, now)
        raise
    return issued


# Reading ------------------------------------------------------------------------------------------

def _visible_to(user: User):
    """Issued reports none of whose organisations lies outside what the user may report on."""
    allowed = [o.id for o in reportable_organisations(user)]
    outside = sa.exists().where(issued_report_organisations.c.issued_report_id == IssuedReport.id,
                                issued_report_organisations.c.organisation_id.not_in(allowed))
    return sa.select(IssuedReport).where(~outside)


def list_issued(user: User, *, organisation_ids=None, starts_on: date | None = None,
                ends_on: date | None = None) -> list[IssuedReport]:
    """The issued reports the user may read, newest first; with a scope, those of exactly that scope."""
    query = _visible_to(user).order_by(IssuedReport.issued_on.desc(), IssuedReport.id.desc()).options(
        selectinload(IssuedReport.organisations), selectinload(IssuedReport.replaces),
        selectinload(IssuedReport.replaced_by))
    if starts_on is not None:
        query = query.where(IssuedReport.starts_on == starts_on, IssuedReport.ends_on == ends_on)
    issued = list(db.session.scalars(query))
    if organisation_ids is not None:
        wanted = set(organisation_ids)
        issued = [r for r in issued if {o.id for o in r.organisations} == wanted]
    return issued


def get_issued(user: User, issued_id: int) -> IssuedReport:
    """An issued report the user may read (the period report's rule); anyone else learns nothing (404)."""
    issued = db.session.get(IssuedReport, issued_id) if is_db_id(issued_id) else None
    if issued is None:
        raise NotFound()
    require_report_access(user, [o.id for o in issued.organisations])
    return issued


def figures_of(issued: IssuedReport) -> PeriodReport:
    return report_from_json(issued.figures)


@dataclass(frozen=True)
class IssuedFile:
    content: bytes
    sha256: str
    filename: str
    media_type: str


def issued_file(issued: IssuedReport, fmt: str) -> IssuedFile:
    """The bytes stored when the report was issued, never rendered again."""
    if fmt not in FILE_FORMATS:
        raise NotFound()
    content, digest = (issued.pdf, issued.pdf_sha256) if fmt == "pdf" else (issued.xlsx, issued.xlsx_sha256)
    return IssuedFile(content, digest, f"bao-cao-so-{slugify(issued.number)}-{issued.issued_on:%Y%m%d}.{fmt}",
                      exports.MEDIA_TYPES[fmt])

