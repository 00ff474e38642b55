"""What organisers set up before people register: the mode, categories with quotas, questions."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError, ValidationFailed
from ..events import coorganisers
from ..extensions import db
from ..lookup import get_owned
from .groups import check_offered
from .models import (
    Question,
    QuestionKind,
    Registration,
    RegistrationCategory,
    RegistrationMode,
    RegistrationSettings,
)
from .services import promote_waitlist, settings_for

MAX_QUOTA = 1_000_000
MAX_POSITION = 1000


def set_mode(event_id: int, mode: RegistrationMode) -> RegistrationSettings:
    settings = settings_for(event_id)
    settings.mode = mode
    db.session.commit()
    return settings


def _position_problem(position: int) -> dict:
    if not 0 <= position <= MAX_POSITION:
        return {"position": [_l("Thứ tự phải từ 0 đến %(max)d.", max=MAX_POSITION)]}
    return {}


def category_group(event_id: int, category_id: int) -> str | None:
    """The group code a category of the event holds now (None if there is no such category)."""
    return db.session.scalar(sa.select(RegistrationCategory.participant_group).where(
        RegistrationCategory.id == category_id, RegistrationCategory.event_id == event_id))


@dataclass
class CategoryDetails:
    name: str
    participant_group: str  # a participant group's code
    quota: int | None = None
    position: int = 0
    is_active: bool = True
    organisation_id: int | None = None  # the accepted co-organiser that mobilises its people, if any


def save_category(event_id: int, category_id: int | None, details: CategoryDetails) -> RegistrationCategory:
    name, participant_group, quota = " ".join((details.name or "").split()), details.participant_group, details.quota
    position, is_active = details.position, details.is_active
    if not name:
        raise ValidationFailed({"name": [_l("Vui lòng nhập tên đối tượng.")]})
    if quota is not None and quota < 0:
        raise ValidationFailed({"quota": [_l("Chỉ tiêu không được âm.")]})
    if quota is not None and quota > MAX_QUOTA:
        raise ValidationFailed({"quota": [_l("Chỉ tiêu quá lớn.")]})
    if problem := _position_problem(position):
        raise ValidationFailed(problem)
    if details.organisation_id is not None and not coorganisers.is_accepted(event_id, details.organisation_id):
        raise ValidationFailed({"organisation_id": [_l("Chỉ chọn được đơn vị phối hợp đã nhận lời.")]})
    clash = db.session.scalar(sa.select(RegistrationCategory.id).where(
        RegistrationCategory.event_id == event_id, RegistrationCategory.name == name,
        RegistrationCategory.id != (category_id or 0)))
    if clash:
        raise ValidationFailed({"name": [_l("Sự kiện đã có đối tượng với tên này.")]})
    check_offered("participant_group", participant_group,
                  category_group(event_id, category_id) if category_id is not None else None)
    if category_id is None:
        category = RegistrationCategory(event_id=event_id)
        db.session.add(category)
    else:
        category = get_owned(RegistrationCategory, category_id, event_id=event_id)
    old_quota = category.quota
    category.name, category.participant_group, category.quota = name, participant_group, quota
    category.position, category.is_active = position, is_active
    category.organisation_id = details.organisation_id
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ValidationFailed({"name": [_l("Sự kiện đã có đối tượng với tên này.")]}) from error
    if category_id is not None and (quota is None or (old_quota is not None and quota > old_quota)):
        promote_waitlist(event_id)
    return category


def delete_category(event_id: int, category_id: int) -> None:
    category = get_owned(RegistrationCategory, category_id, event_id=event_id)
    used = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.category_id == category_id))
    if used:
        raise DomainError("category_in_use", _l("Đối tượng đã có người đăng ký; hãy ẩn thay vì xoá."), status=409)
    db.session.delete(category)
    db.session.commit()


@dataclass
class QuestionDetails:
    label: str
    kind: QuestionKind
    options: list[str] = field(default_factory=list)
    required: bool = False
    position: int = 0


def save_question(event_id: int, question_id: int | None, details: QuestionDetails) -> Question:
    label, kind, required, position = " ".join((details.label or "").split()), details.kind, details.required, \
        details.position
    options = [o.strip() for o in details.options if o and o.strip()]
    if not label:
        raise ValidationFailed({"label": [_l("Vui lòng nhập nội dung câu hỏi.")]})
    if problem := _position_problem(position):
        raise ValidationFailed(problem)
    if kind.has_options and len(options) < 2:
        raise ValidationFailed({"options": [_l("Câu hỏi lựa chọn cần ít nhất hai phương án.")]})
    if len(set(options)) != len(options):
        raise ValidationFailed({"options": [_l("Các phương án không được trùng nhau.")]})
    if question_id is None:
        question = Question(event_id=event_id)
        db.session.add(question)
    else:
        question = get_owned(Question, question_id, event_id=event_id)
    question.label, question.kind, question.required, question.position = label, kind, required, position
    question.options = options if kind.has_options else []
    db.session.commit()
    return question


def delete_question(event_id: int, question_id: int) -> None:
    question = get_owned(Question, question_id, event_id=event_id)
    db.session.delete(question)
    db.session.commit()
