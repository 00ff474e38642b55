"""Issuing certificates: who may hold one (a training's completers, the people checked in, prize winners given as
plain rows), the yearly number "12/GCN-SKHCN" taken under a row lock so that two issuers never share one, an
unguessable verification code, and revocation with its reason. Re-running a batch issues only the missing ones."""
import base64
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import document
from ..checkin import completion
from ..checkin.models import CheckIn
from ..competitions.entries import services as competitions
from ..competitions.results.services import prize_winners
from ..errors import DomainError, NotFound, ValidationFailed
from ..events.models import Event
from ..extensions import db
from ..i18n import format_date
from ..locking import lock_row
from ..lookup import get_owned
from ..params import is_db_id
from ..registration.models import Registration, RegistrationStatus
from ..timeutil import to_local, utcnow
from .models import Certificate, CertificateKind, CertificateSequence, CertificateStatus, CertificateTemplate

MAX_TITLE_LENGTH, MAX_BODY_LENGTH, MAX_REASON_LENGTH = 120, 1000, 500
MAX_SIGNER_NAME_LENGTH, MAX_SIGNER_TITLE_LENGTH, MAX_HOLDER_LENGTH = 100, 150, 200
PLACEHOLDERS = {
    "holder_name": _l("họ tên người nhận"), "event_title": _l("tên sự kiện"), "event_dates": _l("thời gian"),
    "venue": _l("địa điểm"), "prize_title": _l("tên giải"), "organisation": _l("đơn vị tổ chức"),
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
DEFAULT_WORDING = {
    CertificateKind.COMPLETION: (_l("Giấy chứng nhận"), _l(
        "Đã hoàn thành chương trình {event_title}, tổ chức {event_dates} tại {venue}.")),
    CertificateKind.PARTICIPATION: (_l("Giấy chứng nhận"), _l(
        "Đã tham gia {event_title}, tổ chức {event_dates} tại {venue}.")),
    CertificateKind.PRIZE: (_l("Giấy chứng nhận"), _l(
        "Đã đạt {prize_title} tại {event_title}, tổ chức {event_dates}.")),
}


# Templates ----------------------------------------------------------------------------------------

@dataclass
class TemplateDetails:
    title: str
    body: str
    signer_name: str
    signer_title: str
    self_service: bool = False
    for_organisation: bool = False  # the organisation's default for its events, not only this one


def unknown_placeholders(body: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(body or "") if name not in PLACEHOLDERS})


def template_for(event: Event, kind: CertificateKind) -> CertificateTemplate | None:
    """The event's own template of the kind, else its organisation's default."""
    return db.session.scalar(
        sa.select(CertificateTemplate)
        .where(CertificateTemplate.kind == kind, CertificateTemplate.organisation_id == event.organisation_id,
               sa.or_(CertificateTemplate.event_id == event.id, CertificateTemplate.event_id.is_(None)))
        .order_by(CertificateTemplate.event_id.is_(None)).limit(1))


def save_template(event_id: int, kind: CertificateKind, details: TemplateDetails, *,
                  user_id: int | None = None) -> CertificateTemplate:
    """Create or change the event's template of the kind, or the organisation's default."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    values = {name: " ".join((getattr(details, name) or "").split())
              for name in ("title", "signer_name", "signer_title")}
    values["body"] = (details.body or "").strip()
    problems = {}
    for name, length in (("title", MAX_TITLE_LENGTH), ("body", MAX_BODY_LENGTH),
                         ("signer_name", MAX_SIGNER_NAME_LENGTH), ("signer_title", MAX_SIGNER_TITLE_LENGTH)):
        if not values[name]:
            problems[name] = [_l("Trường này là bắt buộc.")]
        elif len(values[name]) > length:
            problems[name] = [_l("Không được dài quá %(max)d ký tự.", max=length)]
    unknown = unknown_placeholders(values["body"])
    if unknown and "body" not in problems:
        problems["body"] = [_l("Không có trường thay thế %(names)s; dùng: %(known)s.",
                               names=", ".join(f"{{{n}}}" for n in unknown),
                               known=", ".join(f"{{{n}}}" for n in PLACEHOLDERS))]
    if details.self_service and kind != CertificateKind.COMPLETION:
        problems["self_service"] = [_l("Chỉ giấy chứng nhận hoàn thành mới cho người học tự nhận.")]
    if problems:
        raise ValidationFailed(problems)
    scope_event_id = None if details.for_organisation else event.id
    template = db.session.scalar(sa.select(CertificateTemplate).where(
        CertificateTemplate.organisation_id == event.organisation_id, CertificateTemplate.kind == kind,
        CertificateTemplate.event_id.is_(None) if scope_event_id is None
        else CertificateTemplate.event_id == scope_event_id))
    if template is None:
        template = CertificateTemplate(organisation_id=event.organisation_id, event_id=scope_event_id, kind=kind)
        db.session.add(template)
    for name, value in values.items():
        setattr(template, name, value)
    template.self_service, template.updated_by_id = bool(details.self_service), user_id
    try:
        db.session.commit()
    except IntegrityError:  # another organiser created the same template a moment ago: apply ours over it
        db.session.rollback()
        return save_template(event_id, kind, details, user_id=user_id)
    return template


# Who may hold one -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PrizeHolder:
    """A prize winner as the competition's results give it: no foreign key to its tables, only a reference."""

    holder_name: str
    prize_title: str
    source_kind: str | None = None  # e.g. "competition_entry"
    source_id: int | None = None


@dataclass(frozen=True)
class Holder:
    key: str  # unique per event and kind: what makes a batch idempotent
    name: str
    registration_id: int | None = None
    prize_title: str | None = None
    source_kind: str | None = None
    source_id: int | None = None


def _registration_holder(registration_id: int, full_name: str) -> Holder:
    return Holder(f"registration:{registration_id}", full_name, registration_id=registration_id)


def eligible_query(event_id: int, kind: CertificateKind) -> sa.Select:
    """Confirmed registrations (not erased) that may hold a certificate of the kind: the completers by the event's
    completion rule, or the people checked in at least once."""
    query = sa.select(Registration.id, Registration.full_name).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED,
        Registration.anonymised_at.is_(None)).order_by(Registration.full_name, Registration.id)
    if kind == CertificateKind.COMPLETION:
        rows = completion.completion_select(sa.select(sa.literal(event_id))).subquery()
        return query.join(rows, rows.c.registration_id == Registration.id).where(rows.c.completed.is_(True))
    if kind == CertificateKind.PARTICIPATION:
        return query.where(sa.exists().where(CheckIn.registration_id == Registration.id))
    raise ValueError(kind)


def _check_event(event: Event, kind: CertificateKind, now: datetime) -> None:
    if kind == CertificateKind.COMPLETION:
        if completion.rule_of(event) is None:
            raise DomainError("no_completion_rule", _l("Sự kiện chưa có điều kiện hoàn thành."), status=409)
        if event.ends_at > now:
            raise DomainError("not_ended", _l("Chỉ cấp giấy chứng nhận hoàn thành sau khi sự kiện kết thúc."),
                              status=409)


def eligible_holders(event: Event, kind: CertificateKind) -> list[Holder]:
    return [_registration_holder(i, name) for i, name in db.session.execute(eligible_query(event.id, kind))]


def _issued_keys(event_id: int, kind: CertificateKind, keys) -> set[str]:
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # SQLite takes a bounded number of parameters
        found.update(db.session.scalars(sa.select(Certificate.holder_key).where(
            Certificate.event_id == event_id, Certificate.kind == kind,
            Certificate.holder_key.in_(keys[start:start + 500]))))
    return found


def missing_holders(event: Event, kind: CertificateKind) -> list[Holder]:
    """The eligible people of the event who have no certificate of the kind yet (revoked ones count as issued)."""
    holders = eligible_holders(event, kind)
    issued = _issued_keys(event.id, kind, [h.key for h in holders])
    return [h for h in holders if h.key not in issued]


# Issuing --------------------------------------------------------------------------------------------

def new_code() -> str:
    """80 random bits in base32 (16 letters and digits): unguessable, unrelated to the sequential number."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def verify_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def event_dates(event: Event) -> str:
    first, last = to_local(event.starts_at).date(), to_local(event.ends_at).date()
    if first == last:
        return str(_l("ngày %(day)s", day=format_date(first)))
    return str(_l("từ ngày %(first)s đến ngày %(last)s", first=format_date(first), last=format_date(last)))


def render_body(body: str, event: Event, holder: Holder) -> str:
    values = {"holder_name": holder.name, "event_title": event.title, "event_dates": event_dates(event),
              "venue": ", ".join(filter(None, [event.venue_name, event.venue_address])),
              "prize_title": holder.prize_title or "", "organisation": event.organisation.name}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def _sequence_id(organisation_id: int, year: int) -> int:
    """The organisation's counter for the year, created (and committed) on first use."""
    query = sa.select(CertificateSequence.id).where(CertificateSequence.organisation_id == organisation_id,
                                                    CertificateSequence.year == year)
    found = db.session.scalar(query)
    if found is None:
        db.session.add(CertificateSequence(organisation_id=organisation_id, year=year, last_number=0))
        try:
            db.session.commit()
        except IntegrityError:  # another issuer created it a moment ago
            db.session.rollback()
        found = db.session.scalar(query)
    db.session.commit()  # the lock must be the next transaction's first statement
    return found


def _issue(event: Event, kind: CertificateKind, holders: list[Holder], *, issued_by: int | None,
           now: datetime) -> list[Certificate]:
    """Number and store a certificate for each holder that has none yet, under the organisation's yearly counter's
    lock; the numbers of one run follow each other."""
    template = template_for(event, kind)
    if template is None:
        raise DomainError("no_template", _l("Chưa có mẫu giấy chứng nhận “%(kind)s” cho sự kiện này; hãy lưu mẫu "
                                            "(tiêu đề, nội dung, người ký) trước khi cấp.", kind=kind.label),
                          status=409)
    holders = list({h.key: h for h in holders}.values())
    if not holders or not [h for h in holders if h.key not in _issued_keys(event.id, kind, [h.key for h in holders])]:
        return []
    event_id, organisation = event.id, event.organisation
    issued_on = to_local(now).date()
    sequence_id = _sequence_id(organisation.id, issued_on.year)
    sequence = lock_row(CertificateSequence.last_number, sequence_id)  # serialises every issuer of the organisation
    event, template = db.session.get(Event, event_id), db.session.get(CertificateTemplate, template.id)
    issued = _issued_keys(event_id, kind, [h.key for h in holders])  # again, inside the lock
    missing = [h for h in holders if h.key not in issued]
    if not missing:
        sequence.last_number -= 1  # the lock took a number nobody needs: no gap in the year's numbers
        db.session.commit()
        return []
    first = sequence.last_number
    sequence.last_number = first + len(missing) - 1
    organisation = event.organisation
    abbreviation = document.abbreviation(organisation.name)
    certificates = [Certificate(
        code=new_code(), organisation_id=organisation.id, event_id=event_id, kind=kind,
        status=CertificateStatus.VALID, holder_name=h.name, holder_key=h.key, registration_id=h.registration_id,
        prize_title=h.prize_title, source_kind=h.source_kind, source_id=h.source_id, serial=first + n,
        issued_year=issued_on.year, number=f"{first + n}/GCN-{abbreviation}", issued_on=issued_on,
        title=template.title, body=render_body(template.body, event, h), agency=organisation.name,
        governing_body=document.governing_body(organisation), place=document.place_name(organisation),
        signer_name=template.signer_name, signer_title=template.signer_title, issued_by_id=issued_by, issued_at=now)
        for n, h in enumerate(missing)]
    db.session.add_all(certificates)
    db.session.commit()
    return certificates


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id) if is_db_id(event_id) else None
    if event is None:
        raise NotFound()
    return event


def issue_batch(event_id: int, kind: CertificateKind, *, issued_by: int | None,
                now: datetime | None = None) -> list[Certificate]:
    """A certificate for every eligible person of the event who has none of the kind; returns the new ones."""
    now = now or utcnow()
    event = _event(event_id)
    if kind == CertificateKind.PRIZE:
        raise ValidationFailed({"kind": [_l("Giấy chứng nhận đạt giải được cấp từ kết quả cuộc thi.")]})
    _check_event(event, kind, now)
    return _issue(event, kind, eligible_holders(event, kind), issued_by=issued_by, now=now)


def issue_certificate(event_id: int, kind: CertificateKind, registration_id: int, *, issued_by: int | None,
                      now: datetime | None = None) -> Certificate:
    """One person's certificate: issued if they are eligible and have none, else the one they have."""
    now = now or utcnow()
    event = _event(event_id)
    if kind == CertificateKind.PRIZE:
        raise ValidationFailed({"kind": [_l("Giấy chứng nhận đạt giải được cấp từ kết quả cuộc thi.")]})
    _check_event(event, kind, now)
    row = db.session.execute(eligible_query(event.id, kind).where(Registration.id == registration_id)).first() \
        if is_db_id(registration_id) else None
    if row is None:
        message = _l("Người này chưa hoàn thành khoá học theo điều kiện hoàn thành.") \
            if kind == CertificateKind.COMPLETION else _l("Người này chưa check-in tại sự kiện.")
        raise ValidationFailed({"registration_id": [message]})
    holder = _registration_holder(*row)
    new = _issue(event, kind, [holder], issued_by=issued_by, now=now)
    return new[0] if new else _by_holder(event.id, kind, holder.key)


def _prize_holder(winner) -> Holder:
    if isinstance(winner, Mapping):
        winner = PrizeHolder(**{k: winner.get(k) for k in ("holder_name", "prize_title", "source_kind", "source_id")})
    name, prize = " ".join((winner.holder_name or "").split()), " ".join((winner.prize_title or "").split())
    if not name or not prize or len(name) > MAX_HOLDER_LENGTH or len(prize) > MAX_TITLE_LENGTH:
        raise ValidationFailed({"winners": [_l("Mỗi người đạt giải cần họ tên (tối đa %(name)d ký tự) và tên giải "
                                               "(tối đa %(prize)d ký tự).", name=MAX_HOLDER_LENGTH,
                                               prize=MAX_TITLE_LENGTH)]})
    # The same person, prize and entry make the same key, however the name's case or spacing was typed.
    identity = "\x1f".join([winner.source_kind or "", str(winner.source_id or ""), prize.casefold(), name.casefold()])
    digest = hashlib.sha256(unicodedata.normalize("NFC", identity).encode()).hexdigest()
    return Holder(f"prize:{digest}", name, prize_title=prize,
                  source_kind=winner.source_kind, source_id=winner.source_id)


def _field(row, name: str):
    return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def prize_holders(rows, source_kind: str = "competition_entry") -> list[PrizeHolder]:
    """A competition's prize rows (entry_id, team_name, member_names, prize_title, rank: attributes or keys, as
    `competitions.services.prize_winners` gives them) as holders: each member of a winning team, or the team when
    it names no member, referring to its entry."""
    holders = []
    for row in rows:
        names = [n for n in (_field(row, "member_names") or []) if (n or "").strip()] or [_field(row, "team_name")]
        holders.extend(PrizeHolder(name, _field(row, "prize_title"), source_kind, _field(row, "entry_id"))
                       for name in names)
    return holders


def issue_prize_certificates(event_id: int, winners: Iterable, issued_by: int | None,
                             now: datetime | None = None) -> list[Certificate]:
    """Prize certificates for plain holder rows (PrizeHolder, or mappings with holder_name, prize_title and an
    optional source_kind/source_id such as a competition entry); a holder already certified is left as is."""
    now = now or utcnow()
    event = _event(event_id)
    return _issue(event, CertificateKind.PRIZE, [_prize_holder(w) for w in winners], issued_by=issued_by, now=now)


def issue_competition_prize_certificates(event_id: int, issued_by: int | None,
                                         now: datetime | None = None) -> list[Certificate]:
    """Prize certificates for every member of every prized team of the event's competition, as its results give
    them; run again, it issues only the missing ones."""
    competition = competitions.competition_for_event(event_id)
    if competition is None:
        raise NotFound()
    winners = prize_winners(competition.id)
    if not winners:
        raise DomainError("no_prizes", _l("Cuộc thi chưa có giải nào được trao."), status=409)
    return issue_prize_certificates(event_id, prize_holders(winners), issued_by, now=now)


def _by_holder(event_id: int, kind: CertificateKind, key: str) -> Certificate:
    return db.session.scalar(sa.select(Certificate).where(
        Certificate.event_id == event_id, Certificate.kind == kind, Certificate.holder_key == key))


# Revocation and reading -----------------------------------------------------------------------------

def revoke(event_id: int, certificate_id: int, reason: str, *, user_id: int | None,
           now: datetime | None = None) -> Certificate:
    """Revoke a certificate with a required reason, recording who and when; a revoked one stays revoked."""
    certificate = get_certificate(event_id, certificate_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed({"reason": [_l("Vui lòng nêu lý do thu hồi.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed({"reason": [_l("Lý do dài tối đa %(n)d ký tự.", n=MAX_REASON_LENGTH)]})
    now = now or utcnow()
    revoked = db.session.execute(
        sa.update(Certificate).where(Certificate.id == certificate.id, Certificate.status == CertificateStatus.VALID)
        .values(status=CertificateStatus.REVOKED, revoked_at=now, revoked_by_id=user_id, revocation_reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    db.session.refresh(certificate)
    if not revoked:
        raise DomainError("already_revoked", _l("Giấy chứng nhận số %(number)s đã bị thu hồi ngày %(day)s.",
                                                number=certificate.number, day=format_date(certificate.revoked_at)),
                          status=409)
    current_app.logger.info("certificate %s revoked by user %s: %s", certificate.number, user_id, reason)
    return certificate


def get_certificate(event_id: int, certificate_id: int) -> Certificate:
    if not is_db_id(certificate_id):
        raise NotFound()
    return get_owned(Certificate, certificate_id, event_id=event_id)


def certificates_query(event_id: int, kind: CertificateKind | None = None,
                       status: CertificateStatus | None = None) -> sa.Select:
    query = sa.select(Certificate).where(Certificate.event_id == event_id).order_by(
        Certificate.issued_year, Certificate.serial)
    if kind is not None:
        query = query.where(Certificate.kind == kind)
    if status is not None:
        query = query.where(Certificate.status == status)
    return query


def list_certificates(event_id: int, kind: CertificateKind | None = None,
                      status: CertificateStatus | None = None) -> list[Certificate]:
    return list(db.session.scalars(certificates_query(event_id, kind, status)))


CODE_PATTERN = re.compile(r"^[A-Z2-7]{16}$")


def by_code(code: str) -> Certificate:
    """The certificate a verification code names; an unknown or altered code: NotFound saying it does not exist."""
    certificate = db.session.scalar(sa.select(Certificate).where(Certificate.code == code)) \
        if CODE_PATTERN.match(code or "") else None
    if certificate is None:
        raise NotFound(_l("Giấy chứng nhận với mã này không tồn tại. Hãy kiểm tra lại mã trên giấy chứng nhận."))
    return certificate


def of_registration(registration_id: int) -> list[Certificate]:
    """A participant's valid certificates, for their ticket page."""
    return list(db.session.scalars(sa.select(Certificate).where(
        Certificate.registration_id == registration_id, Certificate.status == CertificateStatus.VALID)
        .order_by(Certificate.issued_at)))


def self_service_allowed(registration: Registration, now: datetime | None = None) -> bool:
    """A completer of an ended event whose completion template lets people take their own certificate."""
    now = now or utcnow()
    event = registration.event
    template = template_for(event, CertificateKind.COMPLETION)
    if template is None or not template.self_service or registration.status != RegistrationStatus.CONFIRMED:
        return False
    if completion.rule_of(event) is None or event.ends_at > now:
        return False
    return db.session.execute(eligible_query(event.id, CertificateKind.COMPLETION)
                              .where(Registration.id == registration.id)).first() is not None


def self_issue(registration: Registration, now: datetime | None = None) -> Certificate:
    """The completion certificate a completer takes from their ticket page, when the organiser allows it."""
    if not self_service_allowed(registration, now):
        raise DomainError("not_allowed", _l("Bạn chưa thể tự nhận giấy chứng nhận hoàn thành cho sự kiện này."),
                          status=403)
    return issue_certificate(registration.event_id, CertificateKind.COMPLETION, registration.id, issued_by=None,
                             now=now)
