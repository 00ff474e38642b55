"""Printable badges in PDF: the page layouts (one A6 badge per page, or eight per A4 sheet with dashed cut lines)
and a writer that fits text in DejaVu so Vietnamese diacritics print. Check-in prints attendees' badges with it,
booths the staff badges of exhibitors."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from .errors import DomainError


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


class BadgeWriter:
    def __init__(self, layout: Layout, logo=None):
        """`logo`: the organisation's logo file (accounts.services.organisation_logo_path), drawn on each badge."""
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
        self.logo = str(logo) if logo else None

    def _logo(self, x: float, y: float, width: float, height: float) -> None:
        """The organisation's logo in the box, its proportions kept (nothing without a logo)."""
        if self.logo:
            self.pdf.image(self.logo, x=x, y=y, w=width, h=height, keep_aspect_ratio=True)

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

    def output(self) -> bytes:
        return bytes(self.pdf.output())
