"""Paper, both ways: who goes on a printed sign-in sheet (danh sách ký) and in which order, and attendance typed
in afterwards from the signed sheet (ticks on a grid, or order numbers such as "1-12, 15"). Paper check-ins are
marked as such and counted apart."""
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import db
from ..registration.models import Delegation, Registration, RegistrationCategory
from ..timeutil import utcnow
from .models import CheckIn, CheckInList, Direction, ScanLog, ScanResult
from .services import _admissible_query, get_list

MAX_RANGE_NUMBERS = 5000
RANGE_PART = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")


@dataclass(frozen=True)
class SheetScope:
    """One sheet: a check-in list's admissible people, optionally only a category's or a delegation's."""

    list_id: int
    category_id: int | None = None
    delegation_id: int | None = None


def _scope_query(scope: SheetScope):
    check_in_list = get_list(scope.list_id)
    query = _admissible_query(check_in_list)
    if scope.category_id is not None:
        category = db.session.get(RegistrationCategory, scope.category_id)
        if category is None or category.event_id != check_in_list.event_id:
            raise NotFound()
        query = query.where(Registration.category_id == category.id)
    if scope.delegation_id is not None:
        delegation = db.session.get(Delegation, scope.delegation_id)
        if delegation is None or delegation.event_id != check_in_list.event_id:
            raise NotFound()
        query = query.where(Registration.delegation_id == delegation.id)
    return query


def sheet_people(scope: SheetScope) -> list[Registration]:
    """The people of a sheet in its order: registration order, so a later registration only adds at the end and
    the order numbers on a printed sheet stay those the entry page reads."""
    return list(db.session.scalars(_scope_query(scope).order_by(Registration.id)))


def mask_phone(phone: str | None) -> str:
    """"0912345678" → "0912 *** 678": enough for a person to find their line, not to call them."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return ""
    return f"{digits[:4]} *** {digits[-3:]}"


def parse_ranges(text: str, highest: int) -> list[int]:
    """Order numbers from "1-12, 15" (commas, semicolons or spaces between parts), each between 1 and `highest`."""
    numbers: set[int] = set()
    joined = re.sub(r"\s*[-–]\s*", "-", (text or "").strip())  # "4 - 2" is one range
    parts = [p for p in re.split(r"[,;\s]+", joined) if p]
    if not parts:
        raise ValidationFailed({"ranges": [_l("Nhập số thứ tự, ví dụ: 1-12, 15.")]})
    for part in parts:
        match = RANGE_PART.match(part)
        if not match:
            raise ValidationFailed({"ranges": [_l("Không hiểu “%(part)s”: hãy viết như 1-12, 15.", part=part)]})
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first > last:
            first, last = last, first
        if first < 1 or last > highest:
            raise ValidationFailed({"ranges": [_l("Số thứ tự phải từ 1 đến %(n)d.", n=highest)]})
        numbers.update(range(first, last + 1))
        if len(numbers) > MAX_RANGE_NUMBERS:
            raise ValidationFailed({"ranges": [_l("Quá nhiều số thứ tự.")]})
    return sorted(numbers)


@dataclass
class PaperEntry:
    added: list[Registration]
    already: int = 0


def enter_from_paper(scope: SheetScope, *, numbers: list[int] | None = None, registration_ids: list[int] | None = None,
                     user_id: int | None = None, attended_at: datetime | None = None,
                     now: datetime | None = None) -> PaperEntry:
    """Check in, from the signed sheet, the people with these order numbers (or ticked ids). Someone already
    checked in (scanned, or entered before) is left as they are; a new row is marked from paper and logged."""
    now = now or utcnow()
    people = sheet_people(scope)
    if numbers is not None:
        chosen = [people[n - 1] for n in numbers if 1 <= n <= len(people)]
    else:
        wanted = set(registration_ids or [])
        chosen = [p for p in people if p.id in wanted]
        if len(chosen) != len(wanted):
            raise ValidationFailed({"registration_ids": [_l("Có người không thuộc danh sách ký này.")]})
    check_in_list = db.session.get(CheckInList, scope.list_id)
    when = attended_at or check_in_list.opens_at or now
    present = set(db.session.scalars(sa.select(CheckIn.registration_id).where(
        CheckIn.check_in_list_id == scope.list_id, CheckIn.registration_id.in_([p.id for p in chosen])))) \
        if chosen else set()
    entry = PaperEntry(added=[], already=len(present))
    for person in chosen:
        if person.id in present:
            continue
        db.session.add(CheckIn(check_in_list_id=scope.list_id, registration_id=person.id, checked_in_at=when,
                               gate=str(_l("Danh sách ký")), user_id=user_id, from_paper=True))
        db.session.add(ScanLog(check_in_list_id=scope.list_id, registration_id=person.id, result=ScanResult.OK,
                               direction=Direction.ENTRY, code_excerpt="paper", gate=str(_l("Danh sách ký")),
                               user_id=user_id, scanned_at=when, recorded_at=now))
        entry.added.append(person)
    try:
        db.session.commit()
    except IntegrityError as error:  # a gate scanned one of them meanwhile: the unique pair refused our row
        db.session.rollback()
        message = _l("Có người vừa được check-in ở cổng. Vui lòng nhập lại.")
        raise DomainError("conflict", message, status=409) from error
    return entry


def paper_counts(event_id: int) -> dict[int, int]:
    """Check-ins entered from paper, per list of the event."""
    return dict(db.session.execute(
        sa.select(CheckIn.check_in_list_id, sa.func.count())
        .join(CheckInList, CheckInList.id == CheckIn.check_in_list_id)
        .where(CheckInList.event_id == event_id, CheckIn.from_paper.is_(True))
        .group_by(CheckIn.check_in_list_id)).all())

