"""The demo province's certificates: the finished training's completers hold their completion certificates."""
from datetime import datetime, timedelta

from ..events.models import Event
from ..extensions import db
from . import services
from .models import CertificateKind


def load_demo_certificates(event_id: int, *, issued_by: int | None, now: datetime) -> int:
    """A completion template signed by the department's director (completers may take their own), then the batch;
    idempotent: a second run issues nobody and leaves an organiser's edits to the template alone."""
    event = db.session.get(Event, event_id)
    if services.template_for(event, CertificateKind.COMPLETION) is None:
        services.save_template(event_id, CertificateKind.COMPLETION, services.TemplateDetails(
            title="Giấy chứng nhận",
            body="Đã hoàn thành lớp {event_title}, tổ chức {event_dates} tại {venue}.",
            signer_name="Nguyễn Thị Hồng Nhung", signer_title="KT. Giám đốc - Phó Giám đốc", self_service=True),
            user_id=issued_by)
    issued_at = min(now, event.ends_at + timedelta(days=2))
    return len(services.issue_batch(event_id, CertificateKind.COMPLETION, issued_by=issued_by, now=issued_at))


def load_demo_prize_certificates(event_id: int, *, issued_by: int | None, now: datetime) -> int:
    """The demo competition's prize template, then a certificate for each member of each prized team."""
    if services.template_for(db.session.get(Event, event_id), CertificateKind.PRIZE) is None:
        services.save_template(event_id, CertificateKind.PRIZE, services.TemplateDetails(
            title="Giấy chứng nhận", body="Đạt {prize_title} tại {event_title}, tổ chức {event_dates}.",
            signer_name="Nguyễn Thị Hồng Nhung", signer_title="KT. Giám đốc - Phó Giám đốc", self_service=False),
            user_id=issued_by)
    return len(services.issue_competition_prize_certificates(event_id, issued_by, now=now))
