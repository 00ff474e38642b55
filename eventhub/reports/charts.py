"""Charts drawn on the server as SVG: horizontal bars (single, grouped or stacked), a line over time and a
donut. The same SVG is shown on pages and embedded in PDF exports, so it keeps to what fpdf2's SVG renderer
draws (rect, line, circle, path and text in the vendored fonts); every chart carries <title> and <desc>, and
pages show the numbers in a table beside it. Output is deterministic: the same data gives the same bytes."""
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

WIDTH = 640
FONT = "Tinos, DejaVu, sans-serif"  # Tinos is the official documents' serif; DejaVu the other PDFs' sans
PALETTE = ("#2f6f4e", "#d08c2b", "#3a6ea5", "#b5473a", "#7b5ea7", "#5c8a8a", "#a3a33a", "#8c6d46")
TEXT = "#222"
MUTED = "#666"
GRID = "#ccc"
LABEL_WIDTH = 190  # left column of horizontal bar charts
VALUE_WIDTH = 70  # room for the number after the longest bar
LABEL_CHARS = 27  # what fits in LABEL_WIDTH at 12 px; the table beside the chart has the full label
ROW = 26
MAX_AXIS_LABELS = 8
MAX_MARKERS = 40


@dataclass(frozen=True)
class Series:
    """One named set of values, one value per label (e.g. "Đã đăng ký" per category)."""

    name: str
    values: tuple[int, ...]


def format_number(value: float | None, decimals: int = 0) -> str:
    """Vietnamese digits: a dot between thousands, a comma before decimals (1.234; 12,5)."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_percent(value: float | None) -> str:
    """45,6% (one decimal); an em dash when there is nothing to divide by."""
    return "—" if value is None else format_number(value, 1) + "%"


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int], *, description: str | None = None,
              colour: str = PALETTE[0]) -> Markup:
    """One horizontal bar per label, the number at its end."""
    return grouped_bar_chart(title, labels, [Series(title, tuple(values))], description=description,
                             colours=(colour,))


def grouped_bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, stacked: bool = False,
                      description: str | None = None, colours: Sequence[str] = PALETTE) -> Markup:
    """Horizontal bars per label: one bar per series side by side, or the series stacked into one bar with
    the total at its end. A legend names the series when there are several."""
    description = description or _describe(labels, series)
    if not labels or not any(v for s in series for v in s.values):
        return _empty(title, description)
    legend = len(series) > 1
    top = 30 if legend else 8
    bar = 16 if stacked or len(series) == 1 else 12
    group = (bar if stacked else bar * len(series)) + ROW - 16
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    largest = max(totals) if stacked else max(v for s in series for v in s.values)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = top + group * len(labels) + 8
    parts = [_legend(series, colours)] if legend else []
    for row, label in enumerate(labels):
        y = top + row * group
        parts.append(_text(LABEL_WIDTH - 8, y + (group - 10) / 2 + 4, _clip(label), anchor="end"))
        x = LABEL_WIDTH
        for index, item in enumerate(series):
            value = item.values[row]
            length = span * value / largest if largest else 0
            bar_y = y + (0 if stacked else index * bar)
            if length:
                parts.append(_rect(x, bar_y, length, bar - 2, colours[index % len(colours)]))
            if stacked:
                x += length
            else:
                parts.append(_text(x + length + 4, bar_y + bar - 5, format_number(value), size=11))
        if stacked:
            parts.append(_text(x + 4, y + bar - 5, format_number(totals[row]), size=11))
    parts.append(_line(LABEL_WIDTH, top - 2, LABEL_WIDTH, height - 6))
    return _svg(title, description, height, parts)


def target_chart(title: str, labels: Sequence[str], targets: Sequence[int], achieved: Sequence[int], *,
                 description: str | None = None, target_name: str | None = None,
                 achieved_name: str | None = None) -> Markup:
    """Each indicator against its own target: the bar is the share of the target achieved, so a target of 2
    classes and one of 1.500 trainees are equally readable; a grey track marks 100%, the number at the end says
    "achieved / target (percent)", and labels wrap onto two lines rather than being cut."""
    target_name = target_name or str(_l("Chỉ tiêu"))
    achieved_name = achieved_name or str(_l("Thực hiện"))
    description = description or _describe(labels, [Series(target_name, tuple(targets)),
                                                    Series(achieved_name, tuple(achieved))])
    rows = [(label, target, done) for label, target, done in zip(labels, targets, achieved, strict=True) if target]
    if not rows:
        return _empty(title, description)
    shares = [100 * done / target for _label, target, done in rows]
    top, row_height, bar = 34, 38, 16
    scale_max = min(max(100, max(shares)), 200)  # beyond double the target the bar stops at the edge
    span = WIDTH - LABEL_WIDTH - 150
    full = span * 100 / scale_max
    height = top + row_height * len(rows) + 8
    parts = [_rect(LABEL_WIDTH, 6, 12, 12, "#d9dee3"), _text(LABEL_WIDTH + 16, 16, f"{target_name} (100%)", size=11),
             _rect(LABEL_WIDTH + 130, 6, 12, 12, PALETTE[0]),
             _text(LABEL_WIDTH + 146, 16, f"{achieved_name} (% {target_name.lower()})", size=11)]
    for index, ((label, target, done), share) in enumerate(zip(rows, shares, strict=True)):
        y = top + index * row_height
        lines = _wrap(label, LABEL_CHARS, 2)
        first = y + 16 if len(lines) == 1 else y + 9
        for number, line in enumerate(lines):
            parts.append(_text(LABEL_WIDTH - 8, first + number * 14, line, anchor="end"))
        parts.append(_rect(LABEL_WIDTH, y + 4, full, bar, "#d9dee3"))
        length = span * min(share, scale_max) / scale_max
        if length:
            parts.append(_rect(LABEL_WIDTH, y + 4, length, bar, PALETTE[0] if share >= 100 else PALETTE[1]))
        parts.append(_text(LABEL_WIDTH + max(length, full) + 4, y + bar, f"{format_number(done)}/"
                           f"{format_number(target)} ({format_percent(round(share, 1))})", size=11))
    parts.append(_line(LABEL_WIDTH, top - 2, LABEL_WIDTH, height - 6))
    parts.append(_line(LABEL_WIDTH + full, top - 2, LABEL_WIDTH + full, height - 6, GRID))
    return _svg(title, description, height, parts)


def _wrap(label: str, limit: int, max_lines: int) -> list[str]:
    """Words onto lines of at most `limit` characters; the last line is clipped with an ellipsis."""
    lines: list[str] = []
    for word in str(label).split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [_clip(line, limit) for line in lines] or [""]


def time_series(title: str, labels: Sequence[str], values: Sequence[int], *, description: str | None = None,
                colour: str = PALETTE[0]) -> Markup:
    """A line over time with the area under it shaded; gridlines at zero, half and a round maximum, and at
    most eight time labels so they never overlap."""
    description = description or _describe(labels, [Series(title, tuple(values))])
    if not labels or not any(values):
        return _empty(title, description)
    left, right, top, bottom, height = 56, WIDTH - 16, 12, 180, 210
    ceiling = _nice_ceiling(max(values))
    step = (right - left) / (len(values) - 1) if len(values) > 1 else 0
    points = [(left + i * step if step else (left + right) / 2, bottom - (bottom - top) * v / ceiling)
              for i, v in enumerate(values)]
    parts = []
    for fraction in (0, 0.5, 1):
        y = bottom - (bottom - top) * fraction
        parts.append(_line(left, y, right, y, GRID))
        parts.append(_text(left - 6, y + 4, format_number(ceiling * fraction, 0 if ceiling >= 2 else 1),
                           anchor="end", size=11, fill=MUTED))
    line = " ".join(f"{'M' if i == 0 else 'L'} {_n(x)} {_n(y)}" for i, (x, y) in enumerate(points))
    area = f"{line} L {_n(points[-1][0])} {bottom} L {_n(points[0][0])} {bottom} Z"
    parts.append(f'<path d="{area}" fill="{colour}" fill-opacity="0.18" stroke="none"/>')
    parts.append(f'<path d="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
    if len(points) <= MAX_MARKERS:  # a lone day is a dot, not an invisible line
        parts.extend(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}"/>' for x, y in points)
    every = math.ceil(len(labels) / MAX_AXIS_LABELS)
    for i, (label, (x, _y)) in enumerate(zip(labels, points, strict=True)):
        if i % every == 0:
            parts.append(_text(x, bottom + 18, label, anchor="middle", size=11, fill=MUTED))
    return _svg(title, description, height, parts)


def donut_chart(title: str, labels: Sequence[str], values: Sequence[int], *, description: str | None = None,
                colours: Sequence[str] = PALETTE) -> Markup:
    """Shares of a whole: a ring of slices and a legend with each number and its percentage."""
    description = description or _describe(labels, [Series(title, tuple(values))])
    total = sum(values)
    if not total:
        return _empty(title, description)
    cx, cy, outer, inner = 110, 110, 95, 58
    height = max(220, 16 + 22 * len(labels))
    parts = []
    start = 0.0
    for index, value in enumerate(values):
        if not value:
            continue
        end = start + value / total
        parts.append(f'<path d="{_slice(cx, cy, outer, inner, start, end)}" '
                     f'fill="{colours[index % len(colours)]}" stroke="#fff" stroke-width="1"/>')
        start = end
    parts.append(_text(cx, cy + 6, format_number(total), anchor="middle", size=16, bold=True))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 14 + index * 22
        parts.append(_rect(240, y, 12, 12, colours[index % len(colours)]))
        parts.append(_text(258, y + 11, f"{_clip(label, 32)}: {format_number(value)} "
                                        f"({format_percent(percent(value, total))})"))
    return _svg(title, description, height, parts)


# Drawing helpers ------------------------------------------------------------------------------

def _svg(title: str, description: str, height: float, parts: list[str]) -> Markup:
    body = "".join(parts)
    key = hashlib.sha1(f"{title}\n{description}\n{body}".encode()).hexdigest()[:10]
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{_n(height)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" role="img" aria-labelledby="chart-{key}-t chart-{key}-d" '
        f'font-family="{FONT}" font-size="12">'
        f'<title id="chart-{key}-t">{escape(title)}</title><desc id="chart-{key}-d">{escape(description)}</desc>'
        f"{body}</svg>")


def _empty(title: str, description: str) -> Markup:
    return _svg(title, description, 40, [_text(8, 24, str(_l("Chưa có số liệu.")), fill=MUTED)])


def _describe(labels: Sequence[str], series: Sequence[Series]) -> str:
    """The numbers as a sentence, read out by screen readers in place of the drawing."""
    if not labels:
        return str(_l("Chưa có số liệu."))
    rows = []
    for index, label in enumerate(labels):
        numbers = ", ".join(f"{s.name} {format_number(s.values[index])}" if len(series) > 1
                            else format_number(s.values[index]) for s in series)
        rows.append(f"{label}: {numbers}")
    return "; ".join(rows)


def _legend(series: Sequence[Series], colours: Sequence[str]) -> str:
    parts, x = [], LABEL_WIDTH
    for index, item in enumerate(series):
        parts.append(_rect(x, 6, 12, 12, colours[index % len(colours)]))
        parts.append(_text(x + 16, 16, item.name, size=11))
        x += 30 + 7 * len(item.name)
    return "".join(parts)


def _slice(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """A ring segment from fraction `start` to `end` of the turn, clockwise from 12 o'clock. A whole ring
    is drawn as two halves, since an arc whose ends meet draws nothing."""
    if end - start >= 0.9999:
        return f"{_slice(cx, cy, outer, inner, 0, 0.5)} {_slice(cx, cy, outer, inner, 0.5, 1)}"
    large = 1 if end - start > 0.5 else 0

    def point(radius, fraction):
        angle = 2 * math.pi * fraction - math.pi / 2
        return f"{_n(cx + radius * math.cos(angle))} {_n(cy + radius * math.sin(angle))}"

    return (f"M {point(outer, start)} A {outer} {outer} 0 {large} 1 {point(outer, end)} "
            f"L {point(inner, end)} A {inner} {inner} 0 {large} 0 {point(inner, start)} Z")


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at or above the value (an axis maximum people read easily)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _clip(label: str, limit: int = LABEL_CHARS) -> str:
    label = str(label)
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _n(value: float) -> str:
    return f"{round(value, 1):g}"


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" fill="{fill}"/>'


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = MUTED) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" stroke-width="1"/>'


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, fill: str = TEXT,
          bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
            f"{escape(text)}</text>")
