"""Printable name badges: the name large, organisation, category, the ticket's QR code and the event title,
drawn by the shared badge writer (eventhub/badges.py) on one of its two layouts."""
import io

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..badges import BadgeWriter, Layout
from ..errors import DomainError
from ..extensions import db
from ..registration import services as registrations
from ..registration import tickets
from ..registration.models import Registration, RegistrationCategory, RegistrationStatus

MAX_BADGES = 1000  # ~7.5 s to build (QR encoding dominates): well inside the 20 s a request may take
QR_BOX_SIZE = 4  # pixels per module: small files, still sharp (PDF images are not smoothed by default)


def badge_query(event_id: int, *, q: str | None = None, category_id: int | None = None,
                status: RegistrationStatus | None = RegistrationStatus.CONFIRMED) -> sa.Select:
    """The people the attendee filters select, in print order (category as listed, then name); anonymised people
    have no badge."""
    query = registrations.attendee_query(event_id, q=q, category_id=category_id, status=status)
    return (query.where(Registration.anonymised_at.is_(None)).order_by(None)
            .join(RegistrationCategory, RegistrationCategory.id == Registration.category_id)
            .order_by(RegistrationCategory.position, RegistrationCategory.id, Registration.name_key,
                      Registration.id))


def people_for(event_id: int, **filters) -> list[Registration]:
    """The registrations to print; refuses an empty selection and one above MAX_BADGES before loading any."""
    query = badge_query(event_id, **filters)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    if count == 0:
        raise DomainError("no_badges", _l("Không có người nào khớp bộ lọc để in thẻ."), status=404)
    if count > MAX_BADGES:
        raise DomainError("too_many_badges", _l(
            "Bộ lọc chọn %(count)s người, vượt quá %(limit)s thẻ cho một tệp PDF. Hãy lọc theo đối tượng hoặc "
            "tìm kiếm để in từng phần."), status=400, count=f"{count:,}".replace(",", "."),
            limit=f"{MAX_BADGES:,}".replace(",", "."))
    return list(db.session.scalars(query))


class AttendeeBadgeWriter(BadgeWriter):
    def badge(self, index: int, registration: Registration, event_title: str) -> None:
        layout, pdf = self.layout, self.pdf
        position = index % layout.per_page
        if position == 0:
            pdf.add_page()
            if layout.per_page > 1:
                self._cut_lines()
        x = (position % layout.columns) * self.cell_w
        y = (position // layout.columns) * self.cell_h
        padding = 6
        qr = io.BytesIO(tickets.qr_png(tickets.qr_payload(registration.ticket_code), box_size=QR_BOX_SIZE))
        organisation = registration.organisation_name or ""
        category = registration.category.name
        if self.cell_h >= self.cell_w:  # portrait (A6): everything centred, QR code below
            width = self.cell_w - 2 * padding
            self._logo(x + padding, y + 2, width, 9)
            pdf.set_y(y + padding + (6 if self.logo else 0))
            self._text(x + padding, width, event_title, size=10, grey=True)
            pdf.set_y(y + 28)
            self._text(x + padding, width, registration.full_name, size=28, bold=True, max_lines=2, smallest=12)
            pdf.ln(3)
            self._text(x + padding, width, organisation, size=13)
            pdf.ln(1)
            self._text(x + padding, width, category, size=12, bold=True, grey=True)
            qr_size = 46
            pdf.image(qr, x=x + (self.cell_w - qr_size) / 2, y=y + self.cell_h - padding - 4 - qr_size, w=qr_size,
                      h=qr_size)
            pdf.set_y(y + self.cell_h - padding - 3)
            self._text(x + padding, width, registration.ticket_code, size=7, max_lines=1, grey=True)
        else:  # landscape cell (A4 × 8): text on the left, QR code on the right
            qr_size = min(42, self.cell_h - 2 * padding - 12)
            width = self.cell_w - 3 * padding - qr_size + 2
            self._logo(x + self.cell_w - padding - 24, y + 2, 24, 8)
            pdf.set_y(y + padding)
            self._text(x + padding, self.cell_w - 2 * padding - (26 if self.logo else 0), event_title, size=8,
                       max_lines=2, grey=True)
            pdf.set_y(y + padding + 16)
            self._text(x + padding, width, registration.full_name, size=20, bold=True, max_lines=2, smallest=10,
                       align="L")
            pdf.ln(2)
            self._text(x + padding, width, organisation, size=10, align="L")
            pdf.ln(1)
            self._text(x + padding, width, category, size=9, bold=True, align="L", grey=True)
            pdf.image(qr, x=x + self.cell_w - padding - qr_size, y=y + self.cell_h - padding - qr_size, w=qr_size,
                      h=qr_size)


def badges_pdf(people: list[Registration], layout: Layout, event_title: str, logo=None) -> bytes:
    writer = AttendeeBadgeWriter(layout, logo)
    for index, registration in enumerate(people):
        writer.badge(index, registration, event_title)
    return writer.output()
