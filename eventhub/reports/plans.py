"""Yearly plans and their countable targets, the tags events are counted by, and supported projects."""
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..errors import NotFound, ValidationFailed
from ..events.models import ACCEPTED_CO_ORGANISERS, Event, EventLevel, EventType
from ..extensions import db
from ..lookup import get_owned
from ..registration.groups import check_offered
from .indicators import PER_PERSON
from .models import Indicator, Plan, PlanTarget, SupportedProject, SupportKind, TraineeBasis, event_tags

MAX_TAG_LENGTH = 60
MAX_TAGS = 20
MIN_PLAN_YEAR, MAX_PLAN_YEAR = 2000, 2100  # the plans table's year_range constraint
MAX_TARGET_VALUE = 100_000_000
MAX_LABEL_LENGTH, MAX_UNIT_LENGTH, MAX_SUPPORTED_NAME_LENGTH = 200, 40, 200


# Event tags ---------------------------------------------------------------------------------------

def normalise_tag(text: str) -> str:
    """Tags compare case-insensitively and ignore spacing, and keep their Vietnamese letters."""
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def parse_tags(text: str | list | None) -> list[str]:
    """Comma-separated text (or a list) to distinct normalised tags, in the order given."""
    items = text.split(",") if isinstance(text, str) else list(text or [])
    tags = [normalise_tag(str(item)) for item in items]
    return list(dict.fromkeys(tag for tag in tags if tag))


def tag_problems(tags: list[str]) -> list:
    problems = []
    if len(tags) > MAX_TAGS:
        problems.append(_l("Tối đa %(n)d thẻ.", n=MAX_TAGS))
    if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        problems.append(_l("Mỗi thẻ dài tối đa %(n)d ký tự.", n=MAX_TAG_LENGTH))
    return problems


def tags_of(event_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(event_tags.c.tag).where(event_tags.c.event_id == event_id)
                                   .order_by(event_tags.c.tag)))


def set_event_tags(event_id: int, tags: list[str]) -> list[str]:
    """Replace the event's tags in one transaction."""
    tags = parse_tags(tags)
    problems = tag_problems(tags)
    if problems:
        raise ValidationFailed({"tags": problems})
    db.session.execute(sa.delete(event_tags).where(event_tags.c.event_id == event_id))
    if tags:
        db.session.execute(sa.insert(event_tags), [{"event_id": event_id, "tag": tag} for tag in tags])
    db.session.commit()
    return tags


def known_tags(organisation_id: int) -> list[str]:
    """Tags already used on the organisation's events, offered when a target is restricted by tag."""
    return list(db.session.scalars(
        sa.select(event_tags.c.tag).distinct().join(Event, Event.id == event_tags.c.event_id)
        .where(Event.organisation_id == organisation_id).order_by(event_tags.c.tag)))


# Plans and targets --------------------------------------------------------------------------------

def list_plans(organisation_id: int) -> list[Plan]:
    return list(db.session.scalars(sa.select(Plan).where(Plan.organisation_id == organisation_id)
                                   .order_by(Plan.year.desc())))


def get_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound()
    return plan


@dataclass
class PlanDetails:
    year: int
    title: str
    document_no: str | None = None


def save_plan(organisation_id: int, plan_id: int | None, details: PlanDetails) -> Plan:
    """Create (plan_id None) or update the organisation's plan for a year; one plan per organisation and year."""
    year, title, document_no = details.year, details.title, details.document_no
    problems = {}
    if not MIN_PLAN_YEAR <= year <= MAX_PLAN_YEAR:
        problems["year"] = [_l("Năm kế hoạch phải từ %(min)d đến %(max)d.", min=MIN_PLAN_YEAR, max=MAX_PLAN_YEAR)]
    if not title.strip():
        problems["title"] = [_l("Vui lòng nhập tên kế hoạch.")]
    if problems:
        raise ValidationFailed(problems)
    plan = Plan(organisation_id=organisation_id) if plan_id is None else get_plan(plan_id)
    if plan.organisation_id != organisation_id:
        raise NotFound()
    plan.year, plan.title = year, " ".join(title.split())
    plan.document_no = (document_no or "").strip() or None
    db.session.add(plan)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ValidationFailed({"year": [_l("Đơn vị đã có kế hoạch cho năm %(year)d.", year=year)]}) from error
    return plan


def delete_plan(plan_id: int) -> None:
    db.session.delete(get_plan(plan_id))
    db.session.commit()


@dataclass
class TargetDetails:
    indicator: Indicator
    target_value: int
    label: str = ""
    unit: str = ""
    participant_group: str | None = None  # a participant group's code
    event_types: list[EventType] = field(default_factory=list)
    levels: list[EventLevel] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    trainee_basis: TraineeBasis | None = None  # trainees only; None there means completers

    @classmethod
    def of(cls, target: PlanTarget) -> "TargetDetails":
        return cls(target.indicator, target.target_value, target.label, target.unit, target.participant_group,
                   [EventType(v) for v in target.event_types], [EventLevel(v) for v in target.levels],
                   list(target.tags), target.trainee_basis)


def target_problems(details: TargetDetails) -> dict[str, list]:
    problems: dict[str, list] = {}
    if details.target_value < 0:
        problems["target_value"] = [_l("Giá trị chỉ tiêu không được âm.")]
    elif details.target_value > MAX_TARGET_VALUE:
        problems["target_value"] = [_l("Giá trị phải không quá %(max)s.", max=MAX_TARGET_VALUE)]
    if details.participant_group is not None and details.indicator not in PER_PERSON:
        problems["participant_group"] = [_l("Chỉ tiêu này không tính theo đối tượng tham gia.")]
    if details.trainee_basis is not None and details.indicator != Indicator.TRAINEES:
        problems["trainee_basis"] = [_l("Chỉ chỉ tiêu học viên mới chọn cách tính học viên.")]
    if len(details.label) > MAX_LABEL_LENGTH:
        problems["label"] = [_l("Tên chỉ tiêu dài tối đa %(n)d ký tự.", n=MAX_LABEL_LENGTH)]
    if len(details.unit) > MAX_UNIT_LENGTH:
        problems["unit"] = [_l("Đơn vị tính dài tối đa %(n)d ký tự.", n=MAX_UNIT_LENGTH)]
    tag_issues = tag_problems(parse_tags(details.tags))
    if tag_issues:
        problems["tags"] = tag_issues
    return problems


def save_target(plan_id: int, target_id: int | None, details: TargetDetails) -> PlanTarget:
    """Add (target_id None) or change a target of the plan; label and unit default to the indicator's."""
    plan = get_plan(plan_id)
    problems = target_problems(details)
    if problems:
        raise ValidationFailed(problems)
    existing = get_target(plan_id, target_id) if target_id is not None else None
    check_offered("participant_group", details.participant_group, existing.participant_group if existing else None)
    if existing is None:
        target = PlanTarget(position=len(plan.targets))
        plan.targets.append(target)
    else:
        target = existing
    target.indicator = details.indicator
    target.target_value = details.target_value
    target.label = " ".join(details.label.split()) or str(details.indicator.label)
    target.unit = details.unit.strip() or str(details.indicator.unit)
    target.participant_group = details.participant_group
    target.trainee_basis = (details.trainee_basis or TraineeBasis.COMPLETERS) \
        if details.indicator == Indicator.TRAINEES else None
    target.event_types = sorted(t.value for t in details.event_types)
    target.levels = sorted(lv.value for lv in details.levels)
    target.tags = sorted(parse_tags(details.tags))
    db.session.commit()
    return target


def get_target(plan_id: int, target_id: int) -> PlanTarget:
    return get_owned(PlanTarget, target_id, plan_id=plan_id)


def delete_target(plan_id: int, target_id: int) -> None:
    db.session.delete(get_target(plan_id, target_id))
    db.session.commit()


# Supported projects -------------------------------------------------------------------------------

def organised_events(organisation_id: int) -> sa.Select:
    """Events the organisation organised or co-organised."""
    return sa.select(Event).where(sa.or_(
        Event.organisation_id == organisation_id,
        Event.id.in_(sa.select(ACCEPTED_CO_ORGANISERS.c.event_id)
                     .where(ACCEPTED_CO_ORGANISERS.c.organisation_id == organisation_id)))).order_by(
        Event.starts_at.desc())


def list_organised_events(organisation_id: int) -> list[Event]:
    return list(db.session.scalars(organised_events(organisation_id)))


def list_supported(organisation_id: int) -> list[SupportedProject]:
    return list(db.session.scalars(sa.select(SupportedProject).where(
        SupportedProject.organisation_id == organisation_id).order_by(SupportedProject.supported_on.desc(),
                                                                      SupportedProject.id.desc())))


@dataclass
class SupportedDetails:
    kind: SupportKind
    name: str
    supported_on: date
    event_id: int | None = None
    note: str | None = None


def mark_supported(organisation_id: int, details: SupportedDetails, *,
                   created_by_id: int | None = None) -> SupportedProject:
    """Record that the organisation supported a startup project or an exhibitor (optionally at one of its events)."""
    kind, name, supported_on, event_id, note = (details.kind, details.name, details.supported_on, details.event_id,
                                                details.note)
    problems = {}
    if not name.strip():
        problems["name"] = [_l("Vui lòng nhập tên dự án hoặc đơn vị.")]
    elif len(name.strip()) > MAX_SUPPORTED_NAME_LENGTH:
        problems["name"] = [_l("Tên dài tối đa %(n)d ký tự.", n=MAX_SUPPORTED_NAME_LENGTH)]
    if event_id is not None and db.session.scalar(
            organised_events(organisation_id).where(Event.id == event_id).with_only_columns(Event.id)) is None:
        problems["event_id"] = [_l("Sự kiện không thuộc đơn vị của bạn.")]
    if problems:
        raise ValidationFailed(problems)
    project = SupportedProject(organisation_id=organisation_id, kind=kind, name=" ".join(name.split()),
                               supported_on=supported_on, event_id=event_id, note=(note or "").strip() or None,
                               created_by_id=created_by_id)
    db.session.add(project)
    db.session.commit()
    return project


def remove_supported(organisation_id: int, project_id: int) -> None:
    project = get_owned(SupportedProject, project_id, organisation_id=organisation_id)
    db.session.delete(project)
    db.session.commit()
