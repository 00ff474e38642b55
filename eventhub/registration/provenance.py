"""How a person's consent was obtained (Decree 13/2023/NĐ-CP): by themselves online, by their delegation's
leader, by staff at the door, on paper, or by an import. Stored on the registration, told on their data page,
and — when someone else registered them — told to them with their ticket."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..extensions import db
from ..i18n import format_datetime
from .models import ConsentMethod, Registration, RegistrationSource

BY_SOURCE = {RegistrationSource.PUBLIC: ConsentMethod.ONLINE, RegistrationSource.MANUAL: ConsentMethod.STAFF,
             RegistrationSource.IMPORT: ConsentMethod.IMPORT, RegistrationSource.WALK_IN: ConsentMethod.STAFF}


@dataclass(frozen=True)
class Provenance:
    """Who recorded the consent, and how; a user (staff, the uploader) or a leader's name."""

    method: ConsentMethod
    recorded_by_id: int | None = None
    recorded_by_name: str | None = None
    delegation_id: int | None = None
    walk_in_key: str | None = None

    @classmethod
    def for_source(cls, source: RegistrationSource) -> "Provenance":
        return cls(BY_SOURCE[source])

    def apply(self, registration: Registration) -> None:
        registration.consent_method = self.method
        registration.consent_recorded_by_id = self.recorded_by_id
        registration.consent_recorded_by_name = (self.recorded_by_name or "").strip()[:150] or None
        registration.delegation_id = self.delegation_id
        registration.walk_in_key = self.walk_in_key


def by_someone_else(registration: Registration) -> bool:
    return registration.consent_method != ConsentMethod.ONLINE


def describe(registration: Registration) -> str:
    """One true sentence for the person's data page: how, by whom, when."""
    method, when = registration.consent_method, format_datetime(registration.consented_at)
    who = registration.consent_recorded_by_name
    if who is None and registration.consent_recorded_by_id is not None:
        user = db.session.get(User, registration.consent_recorded_by_id)
        who = (user.full_name or user.email) if user else None
    if method == ConsentMethod.ONLINE:
        return str(_l("Bạn tự đồng ý trên mẫu đăng ký trực tuyến lúc %(when)s.", when=when))
    if method == ConsentMethod.DELEGATION_LEADER:
        return str(_l("Trưởng đoàn %(delegation)s (%(who)s) đăng ký thay bạn lúc %(when)s và xác nhận bạn đã đồng ý.",
                      delegation=registration.delegation.name if registration.delegation else "",
                      who=who or "—", when=when))
    if method == ConsentMethod.STAFF:
        return str(_l("Cán bộ %(who)s của ban tổ chức ghi nhận sự đồng ý của bạn lúc %(when)s.", who=who or "—",
                      when=when))
    if method == ConsentMethod.PAPER:
        return str(_l("Bạn đồng ý trên phiếu giấy; ban tổ chức (%(who)s) nhập lúc %(when)s.", who=who or "—",
                      when=when))
    batch = registration.import_batch
    return str(_l("Ban tổ chức nhập bạn từ tệp “%(file)s” (người tải lên: %(who)s) lúc %(when)s.",
                  file=batch.filename if batch else "—", who=who or "—", when=when))
