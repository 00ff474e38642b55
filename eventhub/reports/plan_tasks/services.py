"""The rest of a yearly plan beside its event-counted targets: tasks (nhiệm vụ) with a lead organisation and a
deadline, and manual indicators (chỉ tiêu nhập tay) summed from entries that each carry their evidence."""
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...accounts.models import Organisation
from ...errors import NotFound, ValidationFailed
from ...events.models import ACCEPTED_CO_ORGANISERS, Event
from ...extensions import db
from ...lookup import get_owned
from ...timeutil import to_local, utcnow
from ...uploads import Accepts, commit_or_remove, inspect, store, uploads_dir
from ..indicators import organisation_tree
from ..models import IndicatorEntry, ManualIndicator, Plan, PlanTask, TaskStatus
from ..plans import MAX_LABEL_LENGTH, MAX_TARGET_VALUE, MAX_UNIT_LENGTH, get_plan

MAX_TASK_TITLE_LENGTH, MAX_OUTSIDE_LENGTH, MAX_URL_LENGTH, MAX_ENTRY_NOTE_LENGTH = 300, 500, 500, 500
QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE = Accepts(field="evidence_file", formats=frozenset({"PDF", "JPEG", "PNG"}),
                   too_big=_l("Tệp minh chứng tối đa %(mb)d MB."), empty=_l("Tệp minh chứng trống."),
                   unreadable=_l("Tệp minh chứng phải là PDF, JPEG hoặc PNG."),
                   wrong_format=_l("Tệp minh chứng phải là PDF, JPEG hoặc PNG, không phải %(format)s."))


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter: a task "thực hiện trong Quý II năm 2026" is due on 30/06/2026."""
    return {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30), 4: date(year, 12, 31)}[quarter]


def due_label(task) -> str:
    """"Quý II năm 2026" for a quarter, else the date (dd/mm/yyyy)."""
    if task.due_quarter:
        return str(_l("Quý %(quarter)s năm %(year)d", quarter=QUARTER_NAMES[task.due_quarter], year=task.due_on.year))
    return f"{task.due_on:%d/%m/%Y}"


def is_overdue(due_on: date, status: TaskStatus, now: datetime) -> bool:
    """Not done and its due day (in Asia/Ho_Chi_Minh) has passed by `now`; the due day itself is still in time."""
    return status != TaskStatus.DONE and to_local(now).date() > due_on


def _in_tree(plan: Plan) -> sa.Select:
    return organisation_tree([plan.organisation_id])


def task_organisations(plan: Plan) -> list[Organisation]:
    """Who may lead or co-operate on a task: the plan's organisation and those below it."""
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(_in_tree(plan)))
                                   .order_by(Organisation.name)))


def task_events(plan: Plan) -> sa.Select:
    """Events a task may link: organised or co-organised by the plan's organisation or one below it."""
    tree = _in_tree(plan)
    return sa.select(Event).where(sa.or_(
        Event.organisation_id.in_(tree),
        Event.id.in_(sa.select(ACCEPTED_CO_ORGANISERS.c.event_id).where(
            ACCEPTED_CO_ORGANISERS.c.organisation_id.in_(tree)))
    )).order_by(Event.starts_at.desc())


# Tasks --------------------------------------------------------------------------------------------

@dataclass
class TaskDetails:
    title: str
    lead_organisation_id: int
    due_on: date | None = None
    due_quarter: int | None = None
    status: TaskStatus = TaskStatus.NOT_STARTED
    co_organisation_ids: list[int] = field(default_factory=list)
    outside_agencies: str | None = None
    event_ids: list[int] = field(default_factory=list)
    note: str | None = None


def task_problems(plan: Plan, details: TaskDetails) -> dict[str, list]:
    problems: dict[str, list] = {}
    title = " ".join(details.title.split())
    if not title:
        problems["title"] = [_l("Vui lòng nhập tên nhiệm vụ.")]
    elif len(title) > MAX_TASK_TITLE_LENGTH:
        problems["title"] = [_l("Tên nhiệm vụ dài tối đa %(n)d ký tự.", n=MAX_TASK_TITLE_LENGTH)]
    if (details.due_on is None) == (details.due_quarter is None):
        problems["due_on"] = [_l("Nhập hạn hoàn thành: một ngày hoặc một quý (không cả hai).")]
    elif details.due_quarter is not None and details.due_quarter not in QUARTER_NAMES:
        problems["due_quarter"] = [_l("Quý phải từ I đến IV.")]
    allowed = set(db.session.scalars(_in_tree(plan)))
    if details.lead_organisation_id not in allowed:
        problems["lead_organisation_id"] = [_l("Đơn vị chủ trì phải là đơn vị của kế hoạch hoặc đơn vị trực thuộc.")]
    if not set(details.co_organisation_ids) <= allowed:
        problems["co_organisation_ids"] = [_l("Đơn vị phối hợp phải là đơn vị của kế hoạch hoặc đơn vị trực thuộc.")]
    if len(details.outside_agencies or "") > MAX_OUTSIDE_LENGTH:
        problems["outside_agencies"] = [_l("Không được dài quá %(max)d ký tự.", max=MAX_OUTSIDE_LENGTH)]
    if details.event_ids:
        found = set(db.session.scalars(task_events(plan).where(Event.id.in_(details.event_ids))
                                       .with_only_columns(Event.id)))
        if found != set(details.event_ids):
            problems["event_ids"] = [_l("Sự kiện không thuộc đơn vị của kế hoạch.")]
    return problems


def save_task(plan_id: int, task_id: int | None, details: TaskDetails) -> PlanTask:
    """Add (task_id None) or change a task; a quarter sets the due date to its last day in the plan's year."""
    plan = get_plan(plan_id)
    task = None if task_id is None else get_task(plan_id, task_id)
    problems = task_problems(plan, details)
    if problems:
        raise ValidationFailed(problems)
    task = task or PlanTask(plan_id=plan.id)
    task.title = " ".join(details.title.split())
    task.lead_organisation_id = details.lead_organisation_id
    task.due_quarter = details.due_quarter
    task.due_on = quarter_end(plan.year, details.due_quarter) if details.due_quarter else details.due_on
    task.status = details.status
    task.co_organisations = list(db.session.scalars(sa.select(Organisation).where(
        Organisation.id.in_(set(details.co_organisation_ids) - {details.lead_organisation_id}))))
    task.outside_agencies = " ".join((details.outside_agencies or "").split()) or None
    task.events = list(db.session.scalars(sa.select(Event).where(Event.id.in_(details.event_ids))))
    task.note = (details.note or "").strip() or None
    db.session.add(task)
    db.session.commit()
    return task


def get_task(plan_id: int, task_id: int) -> PlanTask:
    return get_owned(PlanTask, task_id, plan_id=plan_id)


def delete_task(plan_id: int, task_id: int) -> None:
    db.session.delete(get_task(plan_id, task_id))
    db.session.commit()


# Manual indicators and their entries --------------------------------------------------------------

@dataclass
class ManualIndicatorDetails:
    label: str
    unit: str
    target_value: int | None = None


def save_manual_indicator(plan_id: int, indicator_id: int | None, details: ManualIndicatorDetails) -> ManualIndicator:
    plan = get_plan(plan_id)
    label, unit = " ".join(details.label.split()), " ".join(details.unit.split())
    problems: dict[str, list] = {}
    if not label:
        problems["label"] = [_l("Vui lòng nhập tên chỉ tiêu.")]
    elif len(label) > MAX_LABEL_LENGTH:
        problems["label"] = [_l("Tên chỉ tiêu dài tối đa %(n)d ký tự.", n=MAX_LABEL_LENGTH)]
    if not unit:
        problems["unit"] = [_l("Vui lòng nhập đơn vị tính.")]
    elif len(unit) > MAX_UNIT_LENGTH:
        problems["unit"] = [_l("Đơn vị tính dài tối đa %(n)d ký tự.", n=MAX_UNIT_LENGTH)]
    if details.target_value is not None and not 0 <= details.target_value <= MAX_TARGET_VALUE:
        problems["target_value"] = [_l("Giá trị phải từ %(min)s đến %(max)s.", min=0, max=MAX_TARGET_VALUE)]
    if problems:
        raise ValidationFailed(problems)
    indicator = ManualIndicator(plan_id=plan.id) if indicator_id is None else get_manual_indicator(plan_id,
                                                                                                   indicator_id)
    indicator.label, indicator.unit, indicator.target_value = label, unit, details.target_value
    db.session.add(indicator)
    db.session.commit()
    return indicator


def get_manual_indicator(plan_id: int, indicator_id: int) -> ManualIndicator:
    return get_owned(ManualIndicator, indicator_id, plan_id=plan_id)


def delete_manual_indicator(plan_id: int, indicator_id: int) -> None:
    db.session.delete(get_manual_indicator(plan_id, indicator_id))
    db.session.commit()


@dataclass
class EntryDetails:
    entry_on: date
    value: int
    evidence_url: str | None = None
    note: str | None = None
    evidence_data: bytes | None = None  # a PDF, JPEG or PNG, instead of (or beside) the link


def is_web_address(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in text)


def check_evidence(url: str, data: bytes | None, *, required: bool) -> tuple[dict[str, list], str | None, str | None]:
    """What is wrong with an evidence link (a web address) and file (a sniffed PDF, JPEG or PNG), if anything, and
    the file's media type and extension; `required`: one of the two must be given."""
    problems: dict[str, list] = {}
    if required and not url and data is None:
        problems["evidence_url"] = [_l("Vui lòng nhập đường dẫn minh chứng hoặc tải tệp minh chứng lên.")]
    elif url and (len(url) > MAX_URL_LENGTH or not is_web_address(url)):
        problems["evidence_url"] = [_l("Đường dẫn minh chứng phải là địa chỉ http:// hoặc https://.")]
    media_type = extension = None
    if data is not None:
        try:
            media_type, extension = inspect(data, EVIDENCE, EVIDENCE_MAX_BYTES)
        except ValidationFailed as error:
            problems.update(error.fields)
    return problems, media_type, extension


def add_entry(plan_id: int, indicator_id: int, details: EntryDetails, *,
              created_by_id: int | None = None) -> IndicatorEntry:
    """A figure of the indicator on a day of the plan's year, with its evidence: a web address, a file, or both."""
    indicator = get_manual_indicator(plan_id, indicator_id)
    year = indicator.plan.year
    problems: dict[str, list] = {}
    if details.entry_on.year != year:
        problems["entry_on"] = [_l("Ngày phải thuộc năm kế hoạch %(year)d.", year=year)]
    if not 0 <= details.value <= MAX_TARGET_VALUE:
        problems["value"] = [_l("Giá trị phải từ %(min)s đến %(max)s.", min=0, max=MAX_TARGET_VALUE)]
    url = (details.evidence_url or "").strip()
    evidence, media_type, extension = check_evidence(url, details.evidence_data, required=True)
    problems.update(evidence)
    if len(details.note or "") > MAX_ENTRY_NOTE_LENGTH:
        problems["note"] = [_l("Không được dài quá %(max)d ký tự.", max=MAX_ENTRY_NOTE_LENGTH)]
    if problems:
        raise ValidationFailed(problems)
    path = None
    if details.evidence_data is not None:
        path = store("evidence", details.evidence_data, extension)
    entry = IndicatorEntry(indicator_id=indicator.id, entry_on=details.entry_on, value=details.value,
                           evidence_url=url or None, evidence_file=path.name if path else None,
                           evidence_media_type=media_type, note=(details.note or "").strip() or None,
                           created_by_id=created_by_id)
    db.session.add(entry)
    commit_or_remove(path)
    return entry


def get_entry(plan_id: int, indicator_id: int, entry_id: int) -> IndicatorEntry:
    indicator = get_manual_indicator(plan_id, indicator_id)
    return get_owned(IndicatorEntry, entry_id, indicator_id=indicator.id)


def evidence_path(entry: IndicatorEntry) -> Path:
    """Where an entry's evidence file lies; NotFound when it has only a link."""
    if entry.evidence_file is None:
        raise NotFound()
    return uploads_dir("evidence") / entry.evidence_file


def delete_entry(plan_id: int, indicator_id: int, entry_id: int) -> None:
    entry = get_entry(plan_id, indicator_id, entry_id)
    stored = entry.evidence_file
    db.session.delete(entry)
    db.session.commit()
    if stored:
        (uploads_dir("evidence") / stored).unlink(missing_ok=True)


# What the period report shows ---------------------------------------------------------------------

@dataclass(frozen=True)
class TaskRow:
    title: str
    organisation: str
    lead: str
    co_operating: str
    due_on: date
    due: str
    status: str
    status_label: str
    overdue: bool
    events: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ManualIndicatorRow:
    label: str
    unit: str
    organisation: str
    target: int | None
    achieved: int
    percent: float | None


def _plans(organisation_ids, year: int):
    return sa.select(Plan.id).where(Plan.organisation_id.in_(organisation_ids), Plan.year == year)


def _name(organisation: Organisation) -> str:
    return organisation.short_name or organisation.name


def task_rows(organisation_ids, year: int, now: datetime | None = None) -> tuple[TaskRow, ...]:
    """The tasks of the organisations' plans for the year, by due date; overdue ones marked as at `now`."""
    now = now or utcnow()
    tasks = db.session.scalars(sa.select(PlanTask).where(PlanTask.plan_id.in_(_plans(organisation_ids, year)))
                               .order_by(PlanTask.due_on, PlanTask.id))
    return tuple(TaskRow(
        task.title, _name(task.plan.organisation), _name(task.lead_organisation),
        ", ".join([*(_name(o) for o in task.co_organisations), *([task.outside_agencies] if task.outside_agencies
                                                                 else [])]),
        task.due_on, due_label(task), task.status.value, str(task.status.label),
        is_overdue(task.due_on, task.status, now), tuple(e.title for e in task.events), task.note or "")
        for task in tasks)


def manual_indicator_totals(organisation_ids, year: int, starts_on: date, ends_on: date
                            ) -> list[tuple[ManualIndicator, int]]:
    """Each manual indicator of the organisations' plans for the year with its entries dated inside the period
    summed."""
    achieved = sa.func.coalesce(sa.func.sum(IndicatorEntry.value), 0)
    return [(indicator, int(total)) for indicator, total in db.session.execute(
        sa.select(ManualIndicator, achieved).outerjoin(IndicatorEntry, sa.and_(
            IndicatorEntry.indicator_id == ManualIndicator.id, IndicatorEntry.entry_on >= starts_on,
            IndicatorEntry.entry_on <= ends_on))
        .where(ManualIndicator.plan_id.in_(_plans(organisation_ids, year)))
        .group_by(ManualIndicator.id).order_by(ManualIndicator.plan_id, ManualIndicator.id))]


def manual_indicator_rows(organisation_ids, year: int, starts_on: date, ends_on: date
                          ) -> tuple[ManualIndicatorRow, ...]:
    """Each manual indicator of the organisations' plans for the year: its entries dated inside the period summed."""
    rows = manual_indicator_totals(organisation_ids, year, starts_on, ends_on)
    return tuple(ManualIndicatorRow(
        indicator.label, indicator.unit, _name(indicator.plan.organisation), indicator.target_value, int(total),
        round(100 * int(total) / indicator.target_value, 1) if indicator.target_value else None)
        for indicator, total in rows)
