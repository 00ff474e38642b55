"""Reporting rounds (báo cáo gửi lên): a parent organisation opens a round for a period; each direct child
organisation answers with its period report's figures (computed by the period report itself) and its manual
indicators with evidence, by a deadline; the parent returns (with a comment) or accepts each answer and
consolidates the accepted ones into its own report, counting every event once.

A submission is frozen when submitted: its figures are stored as JSON and nobody edits it while it is submitted
or accepted. After a return, every change (value, evidence, comment, and the computed figures when it is
submitted again) is logged with who and when."""
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...accounts.models import Membership, Organisation, User
from ...accounts.services import EVENT_MANAGER_ROLES, organisations_where, require_role
from ...errors import DomainError, NotFound, ValidationFailed
from ...extensions import db
from ...i18n import format_date
from ...locking import lock_row
from ...lookup import get_owned
from ...mail.services import enqueue_once
from ...params import is_db_id
from ...timeutil import to_local, utcnow
from ...uploads import commit_or_remove, store, uploads_dir
from ..indicators import EventSetScope, OwnScope, Scope, measure_all
from ..models import ManualIndicator
from ..periods import (
    PeriodReport,
    build_period_report,
    check_period,
    measure_code,
    percent,
    planned_measures,
    previous_period,
    quick_period,
    report_from_json,
    report_to_json,
    scoped_report,
)
from ..plan_tasks.services import ManualIndicatorRow, check_evidence, manual_indicator_totals
from ..plans import MAX_TARGET_VALUE
from .models import ReportingRound, RoundPeriod, RoundSubmission, SubmissionChange, SubmissionStatus, SubmissionValue

MAX_NOTE_LENGTH = MAX_COMMENT_LENGTH = 2000
EDITABLE = (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
WAITING = (SubmissionStatus.SUBMITTED, SubmissionStatus.RESUBMITTED)


def _text(value: str | None) -> str:
    return (value or "").strip()


def today_of(now: datetime) -> date:
    return to_local(now).date()


# Opening a round ----------------------------------------------------------------------------------

@dataclass
class RoundDetails:
    organisation_id: int
    period: RoundPeriod
    deadline: date | None
    year: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    note: str | None = None


def child_organisations(organisation_id: int) -> list[Organisation]:
    """The active organisations directly below it: each answers a round it opens."""
    return list(db.session.scalars(sa.select(Organisation).where(
        Organisation.parent_id == organisation_id, Organisation.is_active).order_by(Organisation.name)))


def round_period(details: RoundDetails, today: date) -> tuple[date, date]:
    if details.period != RoundPeriod.CUSTOM:
        return quick_period(details.period.value, details.year or today.year)
    problems = {}
    if details.starts_on is None:
        problems["starts_on"] = [_l("Vui lòng nhập ngày bắt đầu kỳ báo cáo (dd/mm/yyyy).")]
    if details.ends_on is None:
        problems["ends_on"] = [_l("Vui lòng nhập ngày kết thúc kỳ báo cáo (dd/mm/yyyy).")]
    if problems:
        raise ValidationFailed(problems)
    check_period(details.starts_on, details.ends_on)
    return details.starts_on, details.ends_on


def open_round(details: RoundDetails, *, opened_by_id: int | None, now: datetime | None = None) -> ReportingRound:
    """Open a round of the organisation for a period: one submission for each direct child organisation, each told
    by e-mail. The caller has checked that the user manages the organisation."""
    now = now or utcnow()
    today = today_of(now)
    starts_on, ends_on = round_period(details, today)
    problems: dict[str, list] = {}
    children = child_organisations(details.organisation_id)
    if not children:
        problems["organisation_id"] = [_l("Đơn vị chưa có đơn vị trực thuộc nào để gửi báo cáo lên.")]
    if details.deadline is None:
        problems["deadline"] = [_l("Vui lòng nhập hạn nộp báo cáo (dd/mm/yyyy).")]
    elif details.deadline < today:
        problems["deadline"] = [_l("Hạn nộp không được trước hôm nay (%(today)s).", today=format_date(today))]
    if len(_text(details.note)) > MAX_NOTE_LENGTH:
        problems["note"] = [_l("Không được dài quá %(max)d ký tự.", max=MAX_NOTE_LENGTH)]
    if _existing(details.organisation_id, starts_on, ends_on) is not None:
        problems["period"] = [_l("Đơn vị đã mở một đợt báo cáo cho kỳ %(start)s–%(end)s.",
                                 start=format_date(starts_on), end=format_date(ends_on))]
    if problems:
        raise ValidationFailed(problems)
    reporting_round = ReportingRound(
        organisation_id=details.organisation_id, period=details.period, year=ends_on.year, starts_on=starts_on,
        ends_on=ends_on, deadline=details.deadline, note=_text(details.note) or None, opened_by_id=opened_by_id,
        opened_at=now, submissions=[RoundSubmission(organisation_id=child.id) for child in children])
    db.session.add(reporting_round)
    try:
        db.session.flush()
    except IntegrityError:  # the same period opened at the same moment
        db.session.rollback()
        raise ValidationFailed({"period": [_l("Đơn vị đã mở một đợt báo cáo cho kỳ %(start)s–%(end)s.",
                                              start=format_date(starts_on), end=format_date(ends_on))]}) from None
    for submission in reporting_round.submissions:
        _notify(submission, "open", now)
    db.session.commit()
    return reporting_round


def _existing(organisation_id: int, starts_on: date, ends_on: date) -> ReportingRound | None:
    return db.session.scalar(sa.select(ReportingRound).where(
        ReportingRound.organisation_id == organisation_id, ReportingRound.starts_on == starts_on,
        ReportingRound.ends_on == ends_on))


def _notify(submission: RoundSubmission, kind: str, now: datetime) -> None:
    """An e-mail to the child organisation's admins and organisers through the outbox, once per event and person."""
    reporting_round = submission.round
    parent = reporting_round.organisation.display_name
    period = f"{format_date(reporting_round.starts_on)}–{format_date(reporting_round.ends_on)}"
    if kind == "open":
        subject = str(_l("%(parent)s đề nghị gửi báo cáo kỳ %(period)s", parent=parent, period=period))
        body = str(_l("%(parent)s đã mở đợt báo cáo kỳ %(period)s. Hạn nộp: %(deadline)s.\n%(note)s",
                      parent=parent, period=period, deadline=format_date(reporting_round.deadline),
                      note=reporting_round.note or ""))
    else:
        subject = str(_l("Báo cáo kỳ %(period)s bị trả lại", period=period))
        body = str(_l("%(parent)s đã trả lại báo cáo kỳ %(period)s của đơn vị với ý kiến:\n%(comment)s",
                      parent=parent, period=period, comment=submission.return_comment or ""))
    recipients = db.session.execute(sa.select(User.id, User.email).join(Membership).where(
        Membership.organisation_id == submission.organisation_id, Membership.role.in_(EVENT_MANAGER_ROLES),
        User.is_active))
    for user_id, email in recipients:
        enqueue_once(f"round:{reporting_round.id}:{submission.id}:{kind}:{submission.version}:{user_id}", email,
                     subject, body, now=now)


# Who sees what --------------------------------------------------------------------------------------

def get_round(round_id: int) -> ReportingRound:
    reporting_round = db.session.get(ReportingRound, round_id) if is_db_id(round_id) else None
    if reporting_round is None:
        raise NotFound()
    return reporting_round


def managed_round(user: User, round_id: int) -> ReportingRound:
    """A round the user manages: an admin or organiser of the parent organisation; others 403/404."""
    reporting_round = get_round(round_id)
    require_role(user, reporting_round.organisation_id, EVENT_MANAGER_ROLES)
    return reporting_round


def _submission(round_id: int, submission_id: int) -> RoundSubmission:
    return get_owned(RoundSubmission, submission_id, round_id=round_id)


def own_submission(user: User, round_id: int, submission_id: int) -> RoundSubmission:
    """A submission of an organisation the user manages (the child): only they edit and submit it."""
    submission = _submission(round_id, submission_id)
    require_role(user, submission.organisation_id, EVENT_MANAGER_ROLES)
    return submission


def readable_submission(user: User, round_id: int, submission_id: int) -> RoundSubmission:
    """The child's managers and the parent's managers read a submission; anyone else learns nothing (404)."""
    submission = _submission(round_id, submission_id)
    if not _managed_ids(user) & {submission.organisation_id, submission.round.organisation_id}:
        require_role(user, submission.organisation_id, EVENT_MANAGER_ROLES)  # 403 for a member without the role
        raise NotFound()
    return submission


def parent_submission(user: User, round_id: int, submission_id: int) -> RoundSubmission:
    """A submission of a round the user manages, for returning, accepting or reopening it."""
    managed_round(user, round_id)
    return _submission(round_id, submission_id)


def _managed_ids(user: User) -> set[int]:
    return {o.id for o in organisations_where(user, EVENT_MANAGER_ROLES)}


def manages(user: User, reporting_round: ReportingRound) -> bool:
    return reporting_round.organisation_id in _managed_ids(user)


def may_edit(user: User, submission: RoundSubmission) -> bool:
    """The child's managers, while it is not sent (the deadline is the service's to enforce)."""
    return submission.status in EDITABLE and submission.organisation_id in _managed_ids(user)


def rounds_of(user: User) -> tuple[list[ReportingRound], list[RoundSubmission]]:
    """The rounds the user's organisations opened and the submissions they owe, newest first."""
    managed = [o.id for o in organisations_where(user, EVENT_MANAGER_ROLES)]
    rounds = list(db.session.scalars(
        sa.select(ReportingRound).where(ReportingRound.organisation_id.in_(managed))
        .options(selectinload(ReportingRound.submissions)).order_by(ReportingRound.ends_on.desc(),
                                                                      ReportingRound.id.desc())))
    owed = list(db.session.scalars(
        sa.select(RoundSubmission).join(ReportingRound).where(RoundSubmission.organisation_id.in_(managed))
        .order_by(ReportingRound.deadline.desc(), RoundSubmission.id.desc())))
    return rounds, owed


# The child's form -------------------------------------------------------------------------------

def past_deadline(reporting_round: ReportingRound, now: datetime) -> bool:
    """The deadline day (Asia/Ho_Chi_Minh) is still in time."""
    return today_of(now) > reporting_round.deadline


def is_late(submission: RoundSubmission) -> bool:
    """Submitted after the deadline day (only possible once the parent returned or reopened it)."""
    return submission.submitted_at is not None and today_of(submission.submitted_at) > submission.round.deadline


def _require_editable(submission: RoundSubmission, now: datetime) -> None:
    if submission.status not in EDITABLE:
        raise DomainError("submission_locked", _l("Báo cáo đã gửi (%(status)s): không sửa được cho đến khi đơn vị "
                                                  "cấp trên trả lại.", status=submission.status.label), status=409)
    if past_deadline(submission.round, now) and not submission.late_allowed:
        raise DomainError("deadline_passed", _l("Đã quá hạn nộp báo cáo (%(day)s); chỉ nộp được khi đơn vị cấp "
                                                "trên trả lại hoặc mở lại.",
                                                day=format_date(submission.round.deadline)), status=409)


def child_report(submission: RoundSubmission, now: datetime) -> PeriodReport:
    """The child's own period report for the round's period: the figures a submission carries."""
    reporting_round = submission.round
    return build_period_report([submission.organisation_id], reporting_round.starts_on, reporting_round.ends_on,
                               now=now, compare_with_snapshot=False)


def child_manual_indicators(submission: RoundSubmission) -> list[tuple[ManualIndicator, int]]:
    """The child's plan's manual indicators for the round's year, with their entries in the period summed."""
    reporting_round = submission.round
    return manual_indicator_totals([submission.organisation_id], reporting_round.year, reporting_round.starts_on,
                                   reporting_round.ends_on)


@dataclass(frozen=True)
class ValueRow:
    """A manual indicator as the form shows it: the saved value, else the plan's entries summed (pre-filled)."""

    manual_indicator_id: int
    label: str
    unit: str
    from_plan: int
    value: int
    saved: SubmissionValue | None


def value_rows(submission: RoundSubmission) -> list[ValueRow]:
    saved = {v.manual_indicator_id: v for v in submission.values}
    return [ValueRow(indicator.id, indicator.label, indicator.unit, total,
                     saved[indicator.id].value if indicator.id in saved else total, saved.get(indicator.id))
            for indicator, total in child_manual_indicators(submission)]


def _log(submission: RoundSubmission, user_id: int | None, now: datetime, field: str, old, new) -> None:
    """Changes are logged once the submission has been submitted (after a return); drafts are free."""
    if submission.submitted_at is None or str(old or "") == str(new or ""):
        return
    db.session.add(SubmissionChange(submission=submission, user_id=user_id, changed_at=now, field=field[:250],
                                    old_value=None if old is None else str(old),
                                    new_value=None if new is None else str(new)))


def _started(submission: RoundSubmission) -> None:
    if submission.status == SubmissionStatus.NOT_STARTED:
        submission.status = SubmissionStatus.DRAFT


@dataclass
class SubmissionDetails:
    comment: str | None = None


def save_draft(submission_id: int, details: SubmissionDetails, *, user_id: int | None,
               now: datetime | None = None) -> RoundSubmission:
    """Save the child's comment (the computed figures are the period report's, never typed)."""
    now = now or utcnow()
    submission = lock_row(RoundSubmission.version, submission_id)
    _require_editable(submission, now)
    comment = _text(details.comment)
    if len(comment) > MAX_COMMENT_LENGTH:
        db.session.rollback()
        raise ValidationFailed({"comment": [_l("Không được dài quá %(max)d ký tự.", max=MAX_COMMENT_LENGTH)]})
    _log(submission, user_id, now, str(_l("Ý kiến của đơn vị")), submission.comment, comment or None)
    submission.comment = comment or None
    _started(submission)
    db.session.commit()
    return submission


@dataclass
class ValueDetails:
    value: int
    evidence_url: str | None = None
    evidence_data: bytes | None = None


def save_value(submission_id: int, manual_indicator_id: int, details: ValueDetails, *, user_id: int | None,
               now: datetime | None = None) -> SubmissionValue:
    """The child's figure of one of its manual indicators, with a link or a file as evidence (a file already given
    stays unless a new one replaces it); a figure above zero needs evidence."""
    now = now or utcnow()
    submission = lock_row(RoundSubmission.version, submission_id)
    try:
        _require_editable(submission, now)
        indicator = next((i for i, _total in child_manual_indicators(submission) if i.id == manual_indicator_id), None)
        if indicator is None:
            raise NotFound()
        saved = next((v for v in submission.values if v.manual_indicator_id == indicator.id), None)
        url = _text(details.evidence_url)
        problems: dict[str, list] = {}
        if not 0 <= details.value <= MAX_TARGET_VALUE:
            problems["value"] = [_l("Giá trị phải từ %(min)s đến %(max)s.", min=0, max=MAX_TARGET_VALUE)]
        kept_file = saved is not None and saved.evidence_file is not None
        evidence, media_type, extension = check_evidence(url, details.evidence_data,
                                                         required=details.value > 0 and not kept_file)
        problems.update(evidence)
        if problems:
            raise ValidationFailed(problems)
    except DomainError:
        db.session.rollback()
        raise
    path = store("evidence", details.evidence_data, extension) if details.evidence_data is not None else None
    replaced_file = saved.evidence_file if saved is not None and path is not None else None
    value = saved or SubmissionValue(submission=submission, manual_indicator_id=indicator.id)
    _log(submission, user_id, now, str(_l("%(label)s: giá trị", label=indicator.label)), saved.value if saved else None,
         details.value)
    _log(submission, user_id, now, str(_l("%(label)s: đường dẫn minh chứng", label=indicator.label)),
         saved.evidence_url if saved else None, url or None)
    if path is not None:
        _log(submission, user_id, now, str(_l("%(label)s: tệp minh chứng", label=indicator.label)),
             saved.evidence_file if saved else None, path.name)
    value.label, value.unit, value.value, value.evidence_url = indicator.label, indicator.unit, details.value, \
        url or None
    if path is not None:
        value.evidence_file, value.evidence_media_type = path.name, media_type
    db.session.add(value)
    _started(submission)
    commit_or_remove(path)
    if replaced_file:
        (uploads_dir("evidence") / replaced_file).unlink(missing_ok=True)
    return value


def value_evidence_path(value: SubmissionValue) -> Path:
    if value.evidence_file is None:
        raise NotFound()
    return uploads_dir("evidence") / value.evidence_file


def get_value(submission: RoundSubmission, value_id: int) -> SubmissionValue:
    return get_owned(SubmissionValue, value_id, submission_id=submission.id)


# Submitting, returning, accepting --------------------------------------------------------------------

def frozen_figures(submission: RoundSubmission, now: datetime) -> dict:
    """What a submission carries when sent: the child's period report, its figures of the parent's own targets
    (so the consolidation shows them per child), its manual values with their evidence, and its comment."""
    reporting_round = submission.round
    report = child_report(submission, now)
    parent_measures = [p.measure for p in planned_measures([reporting_round.organisation_id], reporting_round.year)]
    scope = Scope((submission.organisation_id,), reporting_round.starts_on, reporting_round.ends_on, now)
    totals = measure_all(scope, parent_measures).totals
    return {"report": report_to_json(report),
            "parent_indicators": {measure_code(m): totals[m] for m in parent_measures},
            "values": [{"manual_indicator_id": row.manual_indicator_id, "label": row.label, "unit": row.unit,
                        "value": row.value,
                        "evidence_url": row.saved.evidence_url if row.saved else None,
                        "evidence_file": row.saved.evidence_file if row.saved else None}
                       for row in value_rows(submission)],
            "comment": submission.comment}


def submit(submission_id: int, *, user_id: int | None, now: datetime | None = None) -> RoundSubmission:
    """Send the submission up: its figures are frozen and it is locked until the parent returns it. Every manual
    indicator above zero must carry evidence; one never saved counts as the plan's entries only when they sum to
    zero."""
    now = now or utcnow()
    submission = lock_row(RoundSubmission.version, submission_id)
    try:
        _require_editable(submission, now)
        missing = [row.label for row in value_rows(submission) if row.saved is None and row.from_plan > 0]
        if missing:
            raise ValidationFailed({"values": [_l("Nhập số liệu kèm minh chứng cho: %(labels)s.",
                                                  labels="; ".join(missing))]})
    except DomainError:
        db.session.rollback()
        raise
    figures = frozen_figures(submission, now)
    if submission.figures is not None:  # submitted again after a return: the computed figures that moved
        before = {row["code"]: row for row in submission.figures["report"]["indicators"]}
        for row in figures["report"]["indicators"]:
            old = before.get(row["code"], {}).get("achieved")
            _log(submission, user_id, now, row["label"], old, row["achieved"])
    resubmitted = submission.status == SubmissionStatus.RETURNED
    submission.figures = figures
    submission.status = SubmissionStatus.RESUBMITTED if resubmitted else SubmissionStatus.SUBMITTED
    submission.submitted_at, submission.submitted_by_id = now, user_id
    db.session.commit()
    return submission


def return_submission(submission_id: int, comment: str | None, *, user_id: int | None,
                      now: datetime | None = None) -> RoundSubmission:
    """The parent sends a submission back with a comment saying why; the child may then change and resubmit it,
    even after the deadline."""
    now = now or utcnow()
    submission = lock_row(RoundSubmission.version, submission_id)
    comment = _text(comment)
    problems = {}
    if not comment:
        problems["comment"] = [_l("Vui lòng nhập lý do trả lại báo cáo.")]
    elif len(comment) > MAX_COMMENT_LENGTH:
        problems["comment"] = [_l("Không được dài quá %(max)d ký tự.", max=MAX_COMMENT_LENGTH)]
    if submission.status not in WAITING:
        db.session.rollback()
        raise DomainError("not_submitted", _l("Chỉ trả lại được báo cáo đã gửi."), status=409)
    if problems:
        db.session.rollback()
        raise ValidationFailed(problems)
    submission.status, submission.return_comment, submission.late_allowed = SubmissionStatus.RETURNED, comment, True
    submission.decided_at, submission.decided_by_id = now, user_id
    _log(submission, user_id, now, str(_l("Trả lại")), None, comment)
    _notify(submission, "return", now)
    db.session.commit()
    return submission


def accept_submission(submission_id: int, *, user_id: int | None, now: datetime | None = None) -> RoundSubmission:
    now = now or utcnow()
    submission = lock_row(RoundSubmission.version, submission_id)
    if submission.status not in WAITING:
        db.session.rollback()
        raise DomainError("not_submitted", _l("Chỉ chấp nhận được báo cáo đã gửi."), status=409)
    submission.status, submission.decided_at, submission.decided_by_id = SubmissionStatus.ACCEPTED, now, user_id
    db.session.commit()
    return submission


def reopen_submission(submission_id: int, *, now: datetime | None = None) -> RoundSubmission:
    """Let a child that has not submitted do so after the deadline."""
    submission = lock_row(RoundSubmission.version, submission_id)
    if submission.status not in EDITABLE:
        db.session.rollback()
        raise DomainError("submission_locked", _l("Báo cáo đã gửi; chỉ mở lại được báo cáo chưa gửi."), status=409)
    submission.late_allowed = True
    db.session.commit()
    return submission


# Consolidation ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConsolidatedRow:
    label: str
    unit: str
    target: int | None
    values: tuple[int | None, ...]  # the parent's own, then each accepted child's (None: not reported)
    total: int
    percent: float | None


@dataclass(frozen=True)
class Consolidation:
    reporting_round: ReportingRound
    columns: tuple[str, ...]
    indicators: tuple[ConsolidatedRow, ...]
    manual_indicators: tuple[ConsolidatedRow, ...]
    accepted: tuple[RoundSubmission, ...]
    left_out: tuple[RoundSubmission, ...]
    report: PeriodReport  # the consolidated period report, for the PDF/XLSX and issuing
    event_count: int


def _indicator_value(figures: dict, code: str) -> int | None:
    if code in figures.get("parent_indicators", {}):
        return figures["parent_indicators"][code]
    return next((row["achieved"] for row in figures["report"]["indicators"] if row["code"] == code), None)


def _manual_key(label: str, unit: str) -> tuple[str, str]:
    return " ".join(label.split()).casefold(), " ".join(unit.split()).casefold()


def consolidate(round_id: int, *, now: datetime | None = None) -> Consolidation:
    """The parent's own figures (its own events, without its children's) beside each accepted child's frozen
    figures. Event-counted totals are counted again over the distinct events of them all, so an event two
    reporting organisations co-organised counts once; supported projects and manual indicators belong to one
    organisation each and are summed."""
    now = now or utcnow()
    reporting_round = get_round(round_id)
    parent_id, starts_on, ends_on = reporting_round.organisation_id, reporting_round.starts_on, reporting_round.ends_on
    own = build_period_report([parent_id], starts_on, ends_on, now=now, compare_with_snapshot=False, scope=OwnScope)
    accepted = tuple(s for s in reporting_round.submissions if s.status == SubmissionStatus.ACCEPTED)
    left_out = tuple(s for s in reporting_round.submissions if s.status != SubmissionStatus.ACCEPTED)
    event_ids = {e.event_id for e in own.events} | {
        e["event_id"] for s in accepted for e in s.figures["report"]["events"]}
    names = tuple(dict.fromkeys([reporting_round.organisation.display_name,
                                 *(s.organisation.display_name for s in accepted)]))
    total = scoped_report(names, EventSetScope((), starts_on, ends_on, now, tuple(sorted(event_ids))), [parent_id],
                          previous=Scope((parent_id,), *previous_period(starts_on, ends_on), now))
    own_by_code = {row.code: row.achieved for row in own.indicators}
    indicators, rows = [], []
    for row in total.indicators:
        values = (own_by_code.get(row.code), *(_indicator_value(s.figures, row.code) for s in accepted))
        achieved = row.achieved
        if row.code.startswith("supported_projects"):
            achieved = sum(v or 0 for v in values)
            row = replace(row, achieved=achieved, percent=percent(achieved, row.target))
        indicators.append(row)
        rows.append(ConsolidatedRow(row.label, row.unit, row.target, values, achieved, row.percent))
    manual = _consolidated_manual(own, accepted)
    report = PeriodReport(**{
        **{f: getattr(total, f) for f in PeriodReport.__dataclass_fields__},
        "indicators": tuple(indicators),
        "manual_indicators": tuple(ManualIndicatorRow(r.label, r.unit, names[0], r.target, r.total, r.percent)
                                   for r in manual),
        "snapshot_note": str(_l("Báo cáo tổng hợp số liệu của %(parent)s và các đơn vị trực thuộc đã được chấp nhận "
                                "(%(children)s). Sự kiện do nhiều đơn vị cùng tổ chức chỉ tính một lần.",
                                parent=names[0], children=", ".join(names[1:]) or "—"))})
    return Consolidation(reporting_round, (str(_l("%(name)s (tự thực hiện)", name=names[0])),
                                           *(s.organisation.display_name for s in accepted)),
                         tuple(rows), manual, accepted, left_out, report, len(total.events))


def _consolidated_manual(own: PeriodReport, accepted) -> tuple[ConsolidatedRow, ...]:
    """Manual indicators matched by name and unit: the parent's own entries, then each child's reported value."""
    rows: dict[tuple[str, str], dict] = {}
    columns = 1 + len(accepted)

    def add(label, unit, column, value, target=None):
        row = rows.setdefault(_manual_key(label, unit), {"label": label, "unit": unit, "target": target,
                                                           "values": [None] * columns})
        row["values"][column] = (row["values"][column] or 0) + value
        if target is not None:  # the parent's own plan sets the targets
            row["target"] = (row["target"] or 0) + target

    for indicator in own.manual_indicators:
        add(indicator.label, indicator.unit, 0, indicator.achieved, indicator.target)
    for column, submission in enumerate(accepted, start=1):
        for value in submission.figures["values"]:
            add(value["label"], value["unit"], column, value["value"])
    result = []
    for row in rows.values():
        total = sum(v or 0 for v in row["values"])
        result.append(ConsolidatedRow(row["label"], row["unit"], row["target"], tuple(row["values"]), total,
                                      percent(total, row["target"])))
    return tuple(result)


def submitted_report(submission: RoundSubmission) -> PeriodReport | None:
    """The period report as it was submitted (frozen), if it was."""
    return report_from_json(submission.figures["report"]) if submission.figures else None



def issue_consolidated(round_id: int, details, *, issued_by_id: int, now: datetime | None = None):
    """Issue the round's consolidation as the parent's report (number, signer, frozen PDF and XLSX), covering the
    parent and the accepted children."""
    from ..issued.services import issue_built_report  # issued reports sit beside rounds, not below them

    now = now or utcnow()
    consolidation = consolidate(round_id, now=now)
    reporting_round = consolidation.reporting_round
    return issue_built_report(consolidation.report, [reporting_round.organisation_id, *(
        s.organisation_id for s in consolidation.accepted)], details, issuer_id=reporting_round.organisation_id,
        issued_by_id=issued_by_id, now=now)
