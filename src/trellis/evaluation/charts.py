"""Charts as SVG text, rendered on the server, each with a table of the same numbers. Pure.

Three charts: bars of a distribution (actual beside target), dots and intervals (a manager's
leniency), and a small line (readiness across cycles). Why our own and not a charting package:
the pages run under a strict content security policy (``style-src 'self'``, scripts only with a
nonce), so an SVG placed in a page may hold neither a ``<style>`` element, nor ``style``
attributes, nor scripts — the packages' output relies on them (pygal writes its colours in a
``<style>`` element and adds scripts for its tooltips). These charts use presentation attributes
only, which no policy governs, so the same markup works inline, in print and in a PDF.

Readable in print: black text, dark marks, value labels on the marks, and no meaning carried by
colour alone (a target bar is an outline, an actual bar filled; a flagged interval has a filled
dot and its note written beside it). Every text is escaped. Each chart is ``role="img"`` with a
``<title>`` and ``<desc>``; the :class:`ChartTable` beside it gives screen readers (and anyone who
prefers it) the numbers as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from trellis.framework.wording import decimal, number, value_range

__all__ = [
    "Chart",
    "ChartTable",
    "DistributionBar",
    "IntervalRow",
    "LinePoint",
    "distribution_chart",
    "interval_chart",
    "line_chart",
]

INK = "#1b2430"
MUTED = "#4b5563"
GRID = "#d9dee3"
ACCENT = "#2f5d8a"
FLAGGED = "#a23b2a"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
FONT_SIZE = 12
#: A label longer than this is cut in the chart (with an ellipsis); the table keeps it whole.
LABEL_CHARACTERS = 26


@dataclass(frozen=True, slots=True)
class ChartTable:
    """The chart's numbers as a table: a caption, column headings and rows of text (unescaped:
    the page escapes them)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """`svg` is markup, every text in it escaped, safe to place in a page as it is."""

    svg: str
    table: ChartTable


def _text(value: str) -> str:
    return escape(value, quote=True)


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _f(value: float) -> str:
    """A coordinate: one decimal is finer than a printed dot."""
    return decimal(value, 1)


def _open(width: int, height: int, title: str, description: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'font-family="{_text(FONT)}" font-size="{FONT_SIZE}" fill="{INK}">',
        f"<title>{_text(title)}</title>",
        f"<desc>{_text(description)}</desc>",
    ]


def _label(
    x: float, y: float, text: str, *, anchor: str = "middle", fill: str = INK, weight: str = ""
) -> str:
    bold = ' font-weight="bold"' if weight else ""
    return f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" fill="{fill}"{bold}>{_text(text)}</text>'


def _nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` ticks over `span`."""
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


# --- bars of a distribution ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DistributionBar:
    """One point of the scale: its `label` ("3" or "3 · Proficient"), the actual count and the
    count a target distribution would give (None without a target)."""

    label: str
    actual: int
    target: float | None = None


def distribution_chart(
    bars: Sequence[DistributionBar], *, title: str, category: str = "Rating", width: int = 480
) -> Chart:
    """Bars of how many people (or ratings) fall on each point, the target's outline beside each."""
    with_target = any(bar.target is not None for bar in bars)
    height = 220
    left, right, top, bottom = 16, 16, 34 if with_target else 16, 40
    plot_width = width - left - right
    plot_height = height - top - bottom
    largest = max([1.0, *(bar.actual for bar in bars), *(bar.target or 0 for bar in bars)])
    slot = plot_width / max(len(bars), 1)
    bar_width = slot * (0.34 if with_target else 0.6)
    baseline = top + plot_height

    def y_of(value: float) -> float:
        return baseline - plot_height * value / largest

    summary = "; ".join(
        f"{bar.label}: {bar.actual}"
        + (f" (target {number(round(bar.target, 1))})" if bar.target is not None else "")
        for bar in bars
    )
    parts = _open(width, height, title, summary, "distribution")
    if with_target:
        parts += [
            f'<rect x="{left}" y="10" width="12" height="12" fill="{ACCENT}"/>',
            _label(left + 18, 20, "Actual", anchor="start"),
            f'<rect x="{left + 90}" y="10" width="12" height="12" fill="none" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="3 2"/>',
            _label(left + 108, 20, "Target", anchor="start"),
        ]
    parts.append(
        f'<line x1="{left}" y1="{_f(baseline)}" x2="{width - right}" y2="{_f(baseline)}" stroke="{INK}"/>'
    )
    for index, bar in enumerate(bars):
        centre = left + slot * (index + 0.5)
        actual_x = centre - bar_width if with_target else centre - bar_width / 2
        top_of_bar = y_of(bar.actual)
        parts.append(
            f'<rect class="bar-actual" x="{_f(actual_x)}" y="{_f(top_of_bar)}" width="{_f(bar_width)}" '
            f'height="{_f(baseline - top_of_bar)}" fill="{ACCENT}"/>'
        )
        parts.append(_label(actual_x + bar_width / 2, top_of_bar - 4, str(bar.actual)))
        if bar.target is not None:
            target_top = y_of(bar.target)
            parts.append(
                f'<rect class="bar-target" x="{_f(centre)}" y="{_f(target_top)}" width="{_f(bar_width)}" '
                f'height="{_f(baseline - target_top)}" fill="none" stroke="{INK}" stroke-width="1.5" '
                'stroke-dasharray="3 2"/>'
            )
            parts.append(
                _label(centre + bar_width / 2, target_top - 4, number(round(bar.target, 1)), fill=MUTED)
            )
        parts.append(_label(centre, baseline + 16, _cut(bar.label)))
    parts.append(_label(left + plot_width / 2, height - 6, category, fill=MUTED))
    parts.append("</svg>")
    headers = (category, "Actual", "Target") if with_target else (category, "Actual")
    rows = tuple(
        (
            bar.label,
            str(bar.actual),
            *((number(round(bar.target, 1)) if bar.target is not None else "",) if with_target else ()),
        )
        for bar in bars
    )
    return Chart("".join(parts), ChartTable(title, headers, rows))


# --- dots and intervals --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One row: an `estimate` with its interval (None where it cannot be estimated), and a note
    ("lenient") written beside a flagged row."""

    label: str
    estimate: float | None
    low: float | None = None
    high: float | None = None
    note: str = ""
    detail: str = ""


def interval_chart(
    rows: Sequence[IntervalRow],
    *,
    title: str,
    label_heading: str,
    estimate_heading: str,
    detail_heading: str = "",
    reference: float = 0.0,
    places: int = 2,
    width: int = 560,
) -> Chart:
    """A dot per row at its estimate with its interval as a line, a dashed line at `reference`."""
    row_height = 26
    top, bottom = 10, 34
    label_width, note_width, right = 190, 70, 12
    height = top + bottom + row_height * max(len(rows), 1)
    known = [value for row in rows for value in (row.estimate, row.low, row.high) if value is not None]
    low_end = min([reference, *known])
    high_end = max([reference, *known])
    if high_end - low_end < 1e-9:
        low_end, high_end = reference - 1, reference + 1
    step = _nice_step(high_end - low_end, 4)
    low_end = math.floor(low_end / step) * step
    high_end = math.ceil(high_end / step) * step
    plot_left = label_width
    plot_right = width - note_width - right
    plot_width = plot_right - plot_left

    def x_of(value: float) -> float:
        return plot_left + plot_width * (value - low_end) / (high_end - low_end)

    described = "; ".join(_interval_words(row, places) for row in rows)
    parts = _open(width, height, title, described, "interval")
    axis_y = top + row_height * max(len(rows), 1)
    tick = low_end
    while tick <= high_end + step / 2:
        x = x_of(tick)
        parts.append(f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{_f(axis_y)}" stroke="{GRID}"/>')
        parts.append(_label(x, axis_y + 14, number(round(tick, 6)), fill=MUTED))
        tick += step
    parts.append(
        f'<line class="reference" x1="{_f(x_of(reference))}" y1="{top}" x2="{_f(x_of(reference))}" '
        f'y2="{_f(axis_y)}" stroke="{INK}" stroke-dasharray="4 3"/>'
    )
    parts.append(_label(plot_left + plot_width / 2, height - 4, estimate_heading, fill=MUTED))
    for index, row in enumerate(rows):
        y = top + row_height * (index + 0.5)
        parts.append(_label(label_width - 10, y + 4, _cut(row.label), anchor="end"))
        colour = FLAGGED if row.note else INK
        if row.low is not None and row.high is not None:
            parts.append(
                f'<line class="interval" x1="{_f(x_of(row.low))}" y1="{_f(y)}" x2="{_f(x_of(row.high))}" '
                f'y2="{_f(y)}" stroke="{colour}" stroke-width="2"/>'
            )
        if row.estimate is not None:
            fill = colour if row.note else "#ffffff"
            parts.append(
                f'<circle class="estimate" cx="{_f(x_of(row.estimate))}" cy="{_f(y)}" r="4.5" fill="{fill}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        else:
            parts.append(_label(plot_left + 6, y + 4, "not enough data", anchor="start", fill=MUTED))
        if row.note:
            parts.append(_label(plot_right + 8, y + 4, row.note, anchor="start", fill=colour, weight="bold"))
    parts.append("</svg>")
    headers = (
        label_heading,
        estimate_heading,
        "95% interval",
        *((detail_heading,) if detail_heading else ()),
        "Note",
    )
    table_rows = tuple(
        (
            row.label,
            decimal(row.estimate, places) if row.estimate is not None else "not enough data",
            value_range(row.low, row.high, places) if row.low is not None and row.high is not None else "",
            *((row.detail,) if detail_heading else ()),
            row.note,
        )
        for row in rows
    )
    return Chart("".join(parts), ChartTable(title, headers, table_rows))


def _interval_words(row: IntervalRow, places: int) -> str:
    if row.estimate is None:
        return f"{row.label}: not enough data"
    words = f"{row.label}: {decimal(row.estimate, places)}"
    if row.low is not None and row.high is not None:
        words += f" ({value_range(row.low, row.high, places)})"
    return f"{words}, {row.note}" if row.note else words


# --- a small line --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinePoint:
    """One moment (a cycle) and its value; None where there was none (the line breaks there)."""

    label: str
    value: float | None


def line_chart(
    points: Sequence[LinePoint],
    *,
    title: str,
    low: float,
    high: float,
    moment_heading: str = "Cycle",
    value_heading: str = "Value",
    places: int = 1,
    width: int = 360,
) -> Chart:
    """A line through the values between `low` and `high` (the axis's ends), a dot and its value
    at each moment, the moments' labels below."""
    if high <= low:
        raise ValueError("the axis needs low below high")
    height = 160
    left, right, top, bottom = 34, 16, 18, 34
    plot_width = width - left - right
    plot_height = height - top - bottom
    slot = plot_width / max(len(points), 1)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: float) -> float:
        clipped = min(max(value, low), high)
        return top + plot_height * (high - clipped) / (high - low)

    described = "; ".join(
        f"{point.label}: {decimal(point.value, places) if point.value is not None else 'none'}"
        for point in points
    )
    parts = _open(width, height, title, described, "line")
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{_f(y)}" x2="{width - right}" y2="{_f(y)}" stroke="{GRID}"/>')
        parts.append(_label(left - 6, y + 4, number(round(tick, 6)), anchor="end", fill=MUTED))
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, point in enumerate(points):
        if point.value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{_f(x_of(index))},{_f(y_of(point.value))}")
    if segment:
        segments.append(segment)
    for line in segments:
        if len(line) > 1:
            parts.append(
                f'<polyline class="line" points="{" ".join(line)}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
            )
    for index, point in enumerate(points):
        x = x_of(index)
        if point.value is not None:
            y = y_of(point.value)
            parts.append(f'<circle class="point" cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{ACCENT}"/>')
            parts.append(_label(x, y - 7, decimal(point.value, places)))
        parts.append(_label(x, height - bottom + 16, _cut(point.label), fill=MUTED))
    parts.append("</svg>")
    rows = tuple(
        (point.label, decimal(point.value, places) if point.value is not None else "none") for point in points
    )
    return Chart("".join(parts), ChartTable(title, (moment_heading, value_heading), rows))
