"""Delegations (đoàn): a school, cooperative, commune or union branch sends a group. The lead organisation or an
accepted co-organiser creates it with a quota; its leader, who has no account, opens a secret link, uploads a
list or types rows, sees every row judged (accepted / over quota / duplicate / invalid), confirms, and prints
everyone's tickets. Seats are taken by `services.register`, one person at a time under the event's seat lock,
so the event's capacity holds; a delegation confirms one list at a time, so its quota holds too."""
import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Organisation
from ..contact import normalise_phone
from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import db
from ..forms import has_invalid_characters
from ..lookup import get_owned
from ..timeutil import utcnow
from . import importer, services
from .exports import FIELD_LABELS
from .models import ACTIVE_STATUSES, ConsentMethod, Delegation, Registration, RegistrationSource, RegistrationStatus
from .provenance import Provenance

MAX_QUOTA = 5000
CONFIRM_LEASE = timedelta(minutes=5)  # a confirmation that died (a crash) frees the delegation after this
ROW_FIELDS = ("full_name", "phone", "email", "gender", "birth_year", "organisation_name")


class RowStatus:
    ACCEPTED, OVER_QUOTA, DUPLICATE, INVALID = "accepted", "over_quota", "duplicate", "invalid"
    LABELS = {ACCEPTED: _l("Hợp lệ"), OVER_QUOTA: _l("Vượt chỉ tiêu của đoàn"), DUPLICATE: _l("Trùng"),
              INVALID: _l("Không hợp lệ")}


@dataclass
class DelegationDetails:
    name: str
    organisation_id: int
    quota: int
    category_id: int
    leader_name: str
    leader_phone: str | None = None


def delegations_of(event_id: int, organisation_id: int | None = None) -> list[Delegation]:
    """The event's delegations; a co-organiser's organisers see only those it mobilised."""
    query = sa.select(Delegation).where(Delegation.event_id == event_id)
    if organisation_id is not None:
        query = query.where(Delegation.organisation_id == organisation_id)
    return list(db.session.scalars(query.order_by(Delegation.name)))


def get_delegation(event_id: int, delegation_id: int, organisation_id: int | None = None) -> Delegation:
    owner = {"event_id": event_id} | ({"organisation_id": organisation_id} if organisation_id is not None else {})
    return get_owned(Delegation, delegation_id, **owner)


def save_delegation(event_id: int, delegation_id: int | None, details: DelegationDetails,
                    allowed_organisation_ids: list[int], created_by_id: int | None = None) -> Delegation:
    """Create or change a delegation. `allowed_organisation_ids`: who may mobilise it (the lead sees itself and
    its accepted co-organisers; a co-organiser only itself)."""
    problems: dict[str, list] = {}
    name, leader = " ".join((details.name or "").split()), " ".join((details.leader_name or "").split())
    if not name:
        problems["name"] = [_l("Vui lòng nhập tên đoàn.")]
    if not leader:
        problems["leader_name"] = [_l("Vui lòng nhập tên trưởng đoàn.")]
    if details.quota is None or not 1 <= details.quota <= MAX_QUOTA:
        problems["quota"] = [_l("Chỉ tiêu của đoàn từ 1 đến %(n)d người.", n=MAX_QUOTA)]
    if details.organisation_id not in allowed_organisation_ids:
        problems["organisation_id"] = [_l("Đơn vị vận động phải là đơn vị chủ trì hoặc đơn vị phối hợp đã nhận lời.")]
    if details.category_id not in {c.id for c in services.categories(event_id, active_only=True)}:
        problems["category_id"] = [_l("Vui lòng chọn đối tượng tham dự.")]
    phone = (details.leader_phone or "").strip()
    if phone and normalise_phone(phone) is None:
        problems["leader_phone"] = [_l("Số điện thoại không hợp lệ (10 số bắt đầu bằng 0, hoặc +84 và 9 số).")]
    if problems:
        raise ValidationFailed(problems)
    if delegation_id is None:
        delegation = Delegation(event_id=event_id, access_key=secrets.token_urlsafe(32), created_by_id=created_by_id,
                                pending_rows=[])
        db.session.add(delegation)
    else:
        delegation = get_delegation(event_id, delegation_id)
        if delegation.organisation_id not in allowed_organisation_ids:
            raise NotFound()
    delegation.name, delegation.organisation_id, delegation.quota = name, details.organisation_id, details.quota
    delegation.category_id, delegation.leader_name = details.category_id, leader
    delegation.leader_phone = normalise_phone(phone) if phone else None
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ValidationFailed({"name": [_l("Sự kiện đã có đoàn với tên này.")]}) from error
    return delegation


def by_access_key(access_key: str) -> Delegation:
    key = access_key or ""
    # No key holds NUL or the like, and PostgreSQL refuses to compare text with one: such a link is just unknown.
    delegation = None if has_invalid_characters(key) else db.session.scalar(
        sa.select(Delegation).where(Delegation.access_key == key))
    if delegation is None:
        raise NotFound(_l("Không tìm thấy đoàn. Hãy kiểm tra lại đường dẫn ban tổ chức gửi."))
    return delegation


def members(delegation_id: int) -> list[Registration]:
    return list(db.session.scalars(sa.select(Registration).where(
        Registration.delegation_id == delegation_id).order_by(Registration.full_name, Registration.id)))


def used(delegation_id: int) -> int:
    """Places of the quota taken: the delegation's active registrations (confirmed, pending or waiting)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.delegation_id == delegation_id, Registration.status.in_(ACTIVE_STATUSES)))


# Preview ---------------------------------------------------------------------------------------

def _judge(delegation: Delegation, rows: list[dict]) -> list[dict]:
    """Each parsed row with its status; valid rows past the free part of the quota are over quota."""
    free = delegation.quota - used(delegation.id)
    judged = []
    for row in rows:
        if row.get("duplicate"):
            status = RowStatus.DUPLICATE
        elif row["errors"]:
            status = RowStatus.INVALID
        elif free <= 0:
            status = RowStatus.OVER_QUOTA
        else:
            status, free = RowStatus.ACCEPTED, free - 1
        judged.append({**row, "status": status})
    return judged


def _keep(delegation: Delegation, rows: list[dict]) -> Delegation:
    db.session.execute(sa.update(Delegation).where(Delegation.id == delegation.id).values(
        pending_rows=rows, lock_version=Delegation.lock_version + 1))
    db.session.commit()
    db.session.refresh(delegation)
    return delegation


def preview_upload(delegation: Delegation, filename: str, data: bytes, now: datetime | None = None) -> Delegation:
    """Read the leader's XLSX/CSV (the import's own parsing; no category column needed) and keep the judged rows
    until the leader confirms."""
    parsed = importer.parse_upload(delegation.event, filename, data, now=now, category=delegation.category)
    return _keep(delegation, _judge(delegation, parsed.rows))


def rows_as_csv(rows: list[dict]) -> bytes:
    """Rows typed on the page, as the CSV the import reads (its header, its columns)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(FIELD_LABELS[key]) for key in ROW_FIELDS])
    for row in rows:
        if any(str(row.get(key) or "").strip() for key in ROW_FIELDS):
            writer.writerow([str(row.get(key) or "").strip() for key in ROW_FIELDS])
    return out.getvalue().encode("utf-8")


def preview_rows(delegation: Delegation, rows: list[dict], now: datetime | None = None) -> Delegation:
    if not any(str(row.get("full_name") or "").strip() for row in rows):
        raise ValidationFailed({"rows": [_l("Hãy nhập ít nhất một người.")]})
    return preview_upload(delegation, "rows.csv", rows_as_csv(rows), now)


# Confirming ------------------------------------------------------------------------------------

@dataclass
class Confirmation:
    registered: list[Registration]
    over_quota: int = 0
    skipped: int = 0

    @property
    def waitlisted(self) -> int:
        return sum(r.status == RegistrationStatus.WAITLISTED for r in self.registered)


def _busy() -> DomainError:
    return DomainError("delegation_busy", _l("Danh sách của đoàn đang được xác nhận ở nơi khác. Vui lòng đợi rồi "
                                             "tải lại trang."), status=409)


def confirm(delegation: Delegation, now: datetime | None = None) -> Confirmation:
    """Register the previewed rows that are still accepted. The preview is claimed (its version) and the
    delegation held (a lease) in one conditional UPDATE, so a double click, two tabs or two devices never confirm
    twice and never count the quota at the same time; each person then takes a seat through
    `services.register`, under the event's lock, so two delegations at once never oversell the event."""
    now = now or utcnow()
    version, rows = delegation.lock_version, delegation.pending_rows
    if not rows:
        raise DomainError("nothing_to_confirm", _l("Chưa có danh sách nào để xác nhận."), status=409)
    claimed = db.session.execute(sa.update(Delegation).where(
        Delegation.id == delegation.id, Delegation.lock_version == version,
        sa.or_(Delegation.confirming_until.is_(None), Delegation.confirming_until < now)).values(
        lock_version=version + 1, pending_rows=[], confirming_until=now + CONFIRM_LEASE),
        execution_options={"synchronize_session": False}).rowcount
    db.session.commit()
    if not claimed:
        raise _busy()
    result = Confirmation(registered=[])
    try:
        event_id, delegation_id, quota = delegation.event_id, delegation.id, delegation.quota
        provenance = Provenance(ConsentMethod.DELEGATION_LEADER, recorded_by_name=delegation.leader_name,
                                delegation_id=delegation_id)
        for row in rows:
            if row["status"] != RowStatus.ACCEPTED:
                result.over_quota += row["status"] == RowStatus.OVER_QUOTA
                result.skipped += row["status"] != RowStatus.OVER_QUOTA
                continue
            if used(delegation_id) >= quota:
                result.over_quota += 1
                continue
            try:
                result.registered.append(services.register(
                    event_id, importer.to_registrant(row["data"]), source=RegistrationSource.IMPORT,
                    provenance=provenance, now=now))
            except (services.DuplicateRegistration, ValidationFailed):
                result.skipped += 1
    finally:
        db.session.rollback()
        db.session.execute(sa.update(Delegation).where(Delegation.id == delegation.id).values(confirming_until=None))
        db.session.commit()
    return result


def confirmed_members(delegation: Delegation) -> list[Registration]:
    return [r for r in members(delegation.id) if r.status == RegistrationStatus.CONFIRMED]


# Figures ---------------------------------------------------------------------------------------

def figures(event_id: int) -> dict:
    """Registered (active) and confirmed people per delegation and per mobilising organisation."""
    active = sa.func.count().filter(Registration.status.in_(ACTIVE_STATUSES))
    confirmed = sa.func.count().filter(Registration.status == RegistrationStatus.CONFIRMED)
    rows = db.session.execute(
        sa.select(Delegation.id, Delegation.name, Delegation.quota, Organisation.name, active, confirmed)
        .join(Organisation, Organisation.id == Delegation.organisation_id)
        .outerjoin(Registration, Registration.delegation_id == Delegation.id)
        .where(Delegation.event_id == event_id)
        .group_by(Delegation.id, Delegation.name, Delegation.quota, Organisation.name)
        .order_by(Organisation.name, Delegation.name)).all()
    by_delegation = [{"id": i, "name": n, "quota": q, "organisation": o, "registered": a, "confirmed": c}
                     for i, n, q, o, a, c in rows]
    by_organisation: dict[str, dict] = {}
    for row in by_delegation:
        total = by_organisation.setdefault(row["organisation"], {"organisation": row["organisation"], "delegations": 0,
                                                                 "registered": 0, "confirmed": 0})
        total["delegations"] += 1
        total["registered"] += row["registered"]
        total["confirmed"] += row["confirmed"]
    return {"delegations": by_delegation, "organisations": list(by_organisation.values())}

