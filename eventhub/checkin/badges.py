"""Printable name badges: the name large, organisation, category, the ticket's QR code and the event title,
in DejaVu so Vietnamese diacritics print. Two layouts: one A6 badge per page, or eight per A4 sheet
(2 columns × 4 rows) with dashed cut lines."""
import io
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..registration import services as registrations
from ..registration import tickets
from ..registration.models import Registration, RegistrationCategory, RegistrationStatus

MAX_BADGES = 1000  # ~7.5 s to build (QR encoding dominates): well inside the 20 s a request may take
QR_BOX_SIZE = 4  # pixels per module: small files, still sharp (PDF images are not smoothed by default)


@dataclass(frozen=True)
class Layout:
    code: str
    page: tuple[float, float]  # mm, portrait
    columns: int
    rows: int

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    "a6": Layout("a6", (105, 148), 1, 1),
    "a4x8": Layout("a4x8", (210, 297), 2, 4),
}


def layout_for(code: str | None) -> Layout:
    layout = LAYOUTS.get((code or "a6").strip().lower())
    if layout is None:
        raise DomainError("unknown_layout", _l("Không có khổ thẻ “%(layout)s”. Chọn a6 (một thẻ mỗi trang A6) hoặc "
                                                "a4x8 (8 thẻ trên một tờ A4)."), status=400, layout=code)
    return layout


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


class BadgeWriter:
    def __init__(self, layout: Layout):
        from fpdf import FPDF

        fonts = current_app.static_folder + "/vendor/dejavu"
        self.layout = layout
        self.pdf = FPDF(format=layout.page)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.add_font("DejaVu", "", f"{fonts}/DejaVuSans.ttf")
        self.pdf.add_font("DejaVu", "B", f"{fonts}/DejaVuSans-Bold.ttf")
        self.cell_w = layout.page[0] / layout.columns
        self.cell_h = layout.page[1] / layout.rows

    def _cut_lines(self) -> None:
        pdf, layout = self.pdf, self.layout
        pdf.set_draw_color(170)
        pdf.set_line_width(0.2)
        with pdf.local_context():
            pdf.set_dash_pattern(dash=2, gap=2)
            for column in range(1, layout.columns):
                pdf.line(column * self.cell_w, 0, column * self.cell_w, layout.page[1])
            for row in range(1, layout.rows):
                pdf.line(0, row * self.cell_h, layout.page[0], row * self.cell_h)

    def _wrapped(self, text: str, width: float) -> list[str] | None:
        """`text` broken into lines of at most `width` mm at the current font, or None when a single word
        is wider than that. Cheaper than fpdf's multi_cell, which matters for 2,000 badges."""
        lines, current = [], ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if self.pdf.get_string_width(candidate) <= width:
                current = candidate
            elif not current or self.pdf.get_string_width(word) > width:
                return None
            else:
                lines.append(current)
                current = word
        return lines + [current] if current else lines

    def _text(self, x: float, width: float, text: str, *, size: int, bold: bool = False, max_lines: int = 2,
              smallest: int = 7, align: str = "C", grey: bool = False) -> None:
        """Write `text` at the largest size (pt) from `size` down to `smallest` at which it fits in `max_lines`."""
        text = " ".join((text or "").split())
        if not text:
            return
        pdf = self.pdf
        pdf.set_text_color(90 if grey else 0)
        for points in range(size, smallest - 1, -1):
            pdf.set_font("DejaVu", "B" if bold else "", points)
            lines = self._wrapped(text, width)
            if lines is not None and len(lines) <= max_lines:
                for line in lines:
                    pdf.set_x(x)
                    pdf.cell(width, points * 0.45, line, align=align, new_x="LEFT", new_y="NEXT")
                return
        # Even the smallest size is too wide (a very long word): let fpdf break inside words.
        pdf.set_x(x)
        pdf.multi_cell(width, smallest * 0.45, text, align=align, new_x="LEFT", new_y="NEXT",
                       max_line_height=smallest * 0.45)

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
            pdf.set_y(y + padding)
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
            pdf.set_y(y + padding)
            self._text(x + padding, self.cell_w - 2 * padding, event_title, size=8, max_lines=2, grey=True)
            pdf.set_y(y + padding + 16)
            self._text(x + padding, width, registration.full_name, size=20, bold=True, max_lines=2, smallest=10,
                       align="L")
            pdf.ln(2)
            self._text(x + padding, width, organisation, size=10, align="L")
            pdf.ln(1)
            self._text(x + padding, width, category, size=9, bold=True, align="L", grey=True)
            pdf.image(qr, x=x + self.cell_w - padding - qr_size, y=y + self.cell_h - padding - qr_size, w=qr_size,
                      h=qr_size)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def badges_pdf(people: list[Registration], layout: Layout, event_title: str) -> bytes:
    writer = BadgeWriter(layout)
    for index, registration in enumerate(people):
        writer.badge(index, registration, event_title)
    return writer.output()
