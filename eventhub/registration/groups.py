"""Participant groups the reports count people by: the platform admin adds, renames, reorders and retires
them. A code never changes once created, and a retired group stays on the categories and targets that hold it."""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..errors import NotFound, ValidationFailed
from ..extensions import db
from .models import ParticipantGroup

CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")
MAX_NAME = 120
MAX_POSITION = 1000


@dataclass
class GroupDetails:
    name_vi: str
    name_en: str
    position: int = 0
    is_active: bool = True


def participant_groups(*, offered: bool = False) -> list[ParticipantGroup]:
    """Every group in the admin's order, or (offered) only those new categories and targets may choose."""
    query = sa.select(ParticipantGroup).order_by(ParticipantGroup.position, ParticipantGroup.code)
    if offered:
        query = query.where(ParticipantGroup.is_active)
    return list(db.session.scalars(query))


def get_group(code: str) -> ParticipantGroup:
    group = db.session.get(ParticipantGroup, code)
    if group is None:
        raise NotFound(_l("Không tìm thấy nhóm đối tượng."))
    return group


def group_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The groups offered, and the one a row already holds even if it was retired since (so it can stay)."""
    return [(g.code, g.label) for g in participant_groups() if g.is_active or g.code == current]


def check_offered(field: str, code: str | None, current: str | None = None) -> None:
    """A category or target may take an active group, or keep the (maybe retired) one it has."""
    if code is None or code == current:
        return
    group = db.session.get(ParticipantGroup, code)
    if group is None or not group.is_active:
        raise ValidationFailed({field: [_l("Nhóm đối tượng không có hoặc đã ngừng sử dụng.")]})


def _clean(details: GroupDetails) -> tuple[str, str]:
    name_vi, name_en = " ".join((details.name_vi or "").split()), " ".join((details.name_en or "").split())
    problems: dict[str, list] = {}
    for key, name in (("name_vi", name_vi), ("name_en", name_en)):
        if not name:
            problems[key] = [_l("Vui lòng nhập tên nhóm.")]
        elif len(name) > MAX_NAME:
            problems[key] = [_l("Tên nhóm dài tối đa %(n)d ký tự.", n=MAX_NAME)]
    if not 0 <= details.position <= MAX_POSITION:
        problems["position"] = [_l("Thứ tự phải từ 0 đến %(max)d.", max=MAX_POSITION)]
    if problems:
        raise ValidationFailed(problems)
    return name_vi, name_en


def _commit_or_clash() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ValidationFailed({"code": [_l("Đã có nhóm đối tượng với mã này.")]}) from error


def add_group(code: str, details: GroupDetails) -> ParticipantGroup:
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise ValidationFailed({"code": [_l("Mã gồm 2–32 chữ thường không dấu, số hoặc “_”, bắt đầu bằng chữ.")]})
    name_vi, name_en = _clean(details)
    if db.session.get(ParticipantGroup, code) is not None:
        raise ValidationFailed({"code": [_l("Đã có nhóm đối tượng với mã này.")]})
    group = ParticipantGroup(code=code, name_vi=name_vi, name_en=name_en, position=details.position,
                             is_active=details.is_active)
    db.session.add(group)
    _commit_or_clash()
    return group


def update_group(code: str, details: GroupDetails) -> ParticipantGroup:
    """Rename, reorder, retire or bring back a group; its code is never changed."""
    group = get_group(code)
    group.name_vi, group.name_en = _clean(details)
    group.position, group.is_active = details.position, details.is_active
    db.session.commit()
    return group
