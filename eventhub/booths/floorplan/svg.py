"""The floor plan as SVG: one drawing for the editor, print, the public map, the allocation page and
the directory PDF. Booths are coloured by type, carry their code and exhibitor, and `data-booth-id`
for the page scripts; held and blocked booths are hatched."""
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .models import Booth, BoothStatus, BoothType, FloorPlan
from .services import Occupant, Rect

TYPE_COLOURS = {
    BoothType.OCOP: "#f6c453",
    BoothType.STARTUP: "#6aa8e8",
    BoothType.ENTERPRISE: "#8cc774",
    BoothType.INSTITUTION: "#b59ce6",
    BoothType.SPONSOR: "#ef7b5a",
    BoothType.FOOD: "#f2a2c4",
}
PX_PER_M = 20
MARGIN_PX = 24
LEGEND_ROW_PX = 26


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _wrap(text: str, fits, max_lines: int) -> list[str]:
    """Words onto lines while `fits(line)`; past `max_lines` the last line ends with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return lines


def _lines(text: str, width_px: float, font_px: float, max_lines: int) -> list[str]:
    """Word-wrap text to the booth's width (an average glyph is ~0.55 em wide); the last line that
    does not fit ends with an ellipsis."""
    room = max(int(width_px / (font_px * 0.55)), 1)
    return [line if len(line) <= room else line[:max(room - 1, 1)] + "…"
            for line in _wrap(text, lambda line: len(line) <= room, max_lines)]


@lru_cache(maxsize=4)
def _font(path: str):
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.add_font("Measure", "", path)
    pdf.set_font("Measure", "", 100)
    return pdf


def text_width(text: str, font_px: float, bold: bool = False) -> float:
    """The width of `text` in the PDF's own font (DejaVu Sans, as the directory PDF draws the map)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return _font(f"{current_app.static_folder}/vendor/dejavu/{name}").get_string_width(text) * font_px / 100


def _shorten(text: str, width_px: float, font_px: float, bold: bool = False) -> str:
    """The text, or its longest beginning that fits with an ellipsis."""
    if text_width(text, font_px, bold) <= width_px:
        return text
    while text and text_width(text.rstrip() + "…", font_px, bold) > width_px:
        text = text[:-1]
    return text.rstrip() + "…" if text.strip() else ""


def fitted_lines(text: str, width_px: float, font_px: float, max_lines: int) -> list[str]:
    """Word-wrap by measured width; a word too long for a line, and the last line when the text goes on, are
    shortened with an ellipsis so that nothing crosses the booth's edge."""
    lines = _wrap(text, lambda line: text_width(line, font_px) <= width_px, max_lines)
    return [line for line in (_shorten(line, width_px, font_px) for line in lines) if line]


def _defs() -> str:
    return (
        "<defs>"
        '<pattern id="fp-held" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="4" height="8" fill="#ffffff" fill-opacity="0.55"/></pattern>'
        '<pattern id="fp-blocked" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<path d="M0 0L8 8M8 0L0 8" stroke="#333333" stroke-width="1.2"/></pattern>'
        "</defs>"
    )


# fpdf2 draws neither patterns nor titles: in a PDF, held and blocked booths get a flat tint instead.
_FLAT_FILLS = {"held": 'fill="#ffffff" fill-opacity="0.5"', "blocked": 'fill="#333333" fill-opacity="0.35"'}


def _overlay(status: str, flat: bool) -> str:
    return _FLAT_FILLS[status] if flat else f'fill="url(#fp-{status})"'


def _booth(booth: Booth, occupant: Occupant | None, highlighted: bool, scale: float, flat: bool) -> str:
    rect = Rect.of(booth)
    x, y = MARGIN_PX + rect.x * scale, MARGIN_PX + rect.y * scale
    w, h = rect.width * scale, rect.depth * scale
    status = booth.status
    if status == BoothStatus.HELD and occupant is None:
        status = BoothStatus.AVAILABLE  # an expired hold counts as free
    classes = ["fp-booth", f"fp-booth--{booth.booth_type.value}", f"fp-booth--{status.value}"]
    if highlighted:
        classes.append("fp-booth--found")
    named = occupant is not None and occupant.application_id is not None
    title = f"{booth.code} · {booth.booth_type.label}" + (f" · {occupant.exhibitor_name}" if named else "")
    parts = [
        f'<g class="{" ".join(classes)}" data-booth-id="{booth.id}" data-code="{escape(booth.code)}" '
        f'data-type="{booth.booth_type.value}" data-status="{status.value}" data-x="{_number(rect.x)}" '
        f'data-y="{_number(rect.y)}" data-width="{_number(rect.width)}" data-depth="{_number(rect.depth)}"'
        + (f' data-application-id="{occupant.application_id}"' if named else "") + ">",
        "" if flat else f"<title>{escape(title)}</title>",
        f'<rect class="fp-booth__body" x="{_number(x)}" y="{_number(y)}" width="{_number(w)}" height="{_number(h)}" '
        f'fill="{TYPE_COLOURS[booth.booth_type]}" stroke="{"#d62828" if highlighted else "#33415c"}" '
        f'stroke-width="{4 if highlighted else 1.5}"/>',
    ]
    if status in (BoothStatus.HELD, BoothStatus.BLOCKED):
        parts.append(f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(w)}" height="{_number(h)}" '
                     f'{_overlay(status.value, flat)} pointer-events="none"/>')
    code_px = min(max(min(w, h) * 0.22, 9), 16)
    code = _shorten(booth.code, w - 4, code_px, bold=True) if flat else booth.code
    parts.append(f'<text class="fp-booth__code" x="{_number(x + w / 2)}" y="{_number(y + code_px + 3)}" '
                 f'font-size="{_number(code_px)}" font-weight="bold" text-anchor="middle">{escape(code)}</text>')
    if named and flat:  # the PDF: one measured, centred <text> per line (fpdf2 centres a whole <text>, not its tspans)
        name_px = min(max(min(w, h) * 0.16, 6), 12)
        room = max(int((h - code_px - 6) // (name_px * 1.15)), 1)
        for i, line in enumerate(fitted_lines(occupant.exhibitor_name, w - 6, name_px, room)):
            baseline = y + code_px + 6 + name_px + i * name_px * 1.15
            parts.append(f'<text class="fp-booth__name" x="{_number(x + w / 2)}" y="{_number(baseline)}" '
                         f'font-size="{_number(name_px)}" text-anchor="middle">{escape(line)}</text>')
    elif named:
        name_px = min(max(min(w, h) * 0.16, 7), 12)
        lines = _lines(occupant.exhibitor_name, w - 4, name_px, max(int((h - code_px - 6) // (name_px * 1.15)), 1))
        spans = "".join(f'<tspan x="{_number(x + w / 2)}" dy="{0 if i == 0 else _number(name_px * 1.15)}">'
                        f"{escape(line)}</tspan>" for i, line in enumerate(lines))
        parts.append(f'<text class="fp-booth__name" x="{_number(x + w / 2)}" y="{_number(y + code_px + 6 + name_px)}" '
                     f'font-size="{_number(name_px)}" text-anchor="middle">{spans}</text>')
    parts.append("</g>")
    return "".join(parts)


def _legend(top: float, width: float, flat: bool) -> tuple[str, float]:
    entries = [(f'fill="{TYPE_COLOURS[t]}"', t.label) for t in BoothType]
    entries += [('fill="#ffffff"', BoothStatus.AVAILABLE.label), (_overlay("held", flat), BoothStatus.HELD.label),
                (_overlay("blocked", flat), BoothStatus.BLOCKED.label)]
    per_row = max(int((width - MARGIN_PX) // 190), 1)
    title = _("Chú giải")  # outside the f-string, where the catalogue's extractor finds it
    parts = [f'<g class="fp-legend" font-size="12"><text x="{MARGIN_PX}" y="{_number(top)}" font-weight="bold">'
             f'{escape(title)}</text>']
    for i, (fill, label) in enumerate(entries):
        x = MARGIN_PX + (i % per_row) * 190
        y = top + 10 + (i // per_row) * LEGEND_ROW_PX
        backing = f'<rect x="{x}" y="{_number(y)}" width="18" height="14" fill="#9aa5b1"/>' \
            if label == BoothStatus.HELD.label else ""
        parts.append(f'{backing}<rect x="{x}" y="{_number(y)}" width="18" height="14" {fill} stroke="#33415c"/>'
                     f'<text x="{x + 24}" y="{_number(y + 12)}">{escape(label)}</text>')
    parts.append("</g>")
    return "".join(parts), 10 + ((len(entries) - 1) // per_row + 1) * LEGEND_ROW_PX


def render_plan_svg(plan: FloorPlan, booths: list[Booth], zones, *, occupants: dict[int, Occupant] | None = None,
                    highlight: frozenset[int] = frozenset(), legend: bool = True, px_per_m: float = PX_PER_M,
                    css_class: str = "floorplan", for_pdf: bool = False) -> Markup:
    """The whole plan; `occupants` maps booth id to who is there, `highlight` marks search results.
    `for_pdf` draws what fpdf2 understands (flat tints, no titles)."""
    occupants = occupants or {}
    scale = px_per_m
    hall_w, hall_h = plan.hall_width_m * scale, plan.hall_depth_m * scale
    width = hall_w + 2 * MARGIN_PX
    legend_svg, legend_h = _legend(MARGIN_PX + hall_h + 36, width, for_pdf) if legend else ("", 0)
    height = hall_h + 2 * MARGIN_PX + (legend_h + 30 if legend else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" viewBox="0 0 {_number(width)} '
        f'{_number(height)}" width="{_number(width)}" height="{_number(height)}" data-scale="{_number(scale)}" '
        f'data-margin="{MARGIN_PX}" data-hall-width="{_number(plan.hall_width_m)}" '
        f'data-hall-depth="{_number(plan.hall_depth_m)}" role="img" font-family="DejaVu Sans, Arial, sans-serif">',
        "" if for_pdf else f"<title>{escape(_('Sơ đồ gian hàng'))}</title>",
        "" if for_pdf else _defs(),
        f'<rect class="fp-hall" x="{MARGIN_PX}" y="{MARGIN_PX}" width="{_number(hall_w)}" height="{_number(hall_h)}" '
        f'fill="#fbfbfd" stroke="#33415c" stroke-width="2"/>',
    ]
    for zone in zones:
        rect = Rect.of(zone)
        x, y = MARGIN_PX + rect.x * scale, MARGIN_PX + rect.y * scale
        w, h = rect.width * scale, rect.depth * scale
        parts.append(
            f'<g class="fp-zone" data-zone-id="{zone.id}"><rect x="{_number(x)}" y="{_number(y)}" '
            f'width="{_number(w)}" height="{_number(h)}" fill="{escape(zone.colour)}" stroke="#7d8597" '
            f'stroke-dasharray="6 4"/><text x="{_number(x + 6)}" y="{_number(y + h - 6)}" font-size="13" '
            f'fill="#4a5568">{escape(zone.name)}</text></g>')
    for booth in booths:
        parts.append(_booth(booth, occupants.get(booth.id), booth.id in highlight, scale, for_pdf))
    ex, ey = MARGIN_PX + plan.entrance_x_m * scale, MARGIN_PX + plan.entrance_y_m * scale
    entrance = _("Lối vào")
    parts.append(f'<g class="fp-entrance"><circle cx="{_number(ex)}" cy="{_number(ey)}" r="9" fill="#2b9348" '
                 f'stroke="#ffffff" stroke-width="2"/><text x="{_number(ex)}" y="{_number(ey - 13)}" font-size="13" '
                 f'font-weight="bold" text-anchor="middle" fill="#2b9348">{escape(entrance)}</text></g>')
    parts.append(legend_svg)
    parts.append("</svg>")
    return Markup("".join(parts))
