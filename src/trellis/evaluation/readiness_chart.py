"""A person's readiness across cycles as a small SVG chart: the share of criteria met at the end of
each cycle, one point per cycle, a filled point where every criterion was met. Pure: returns the
SVG text (every label escaped), drawn with presentation classes that the app's CSS styles, so it
reads in print and under a strict content security policy (no inline styles, no script)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from trellis.framework import wording

__all__ = ["HistoryPoint", "history_svg"]

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One cycle's readiness: its label (the cycle's name), criteria met of the total, ready."""

    label: str
    met: int
    total: int
    ready: bool


def _y(share: float) -> float:
    return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)


def history_svg(points: Sequence[HistoryPoint], *, title: str) -> str:
    """The chart of `points` (oldest first) titled `title`; an empty chart says there is no history."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="readiness-chart" '
        f'role="img" aria-labelledby="readiness-chart-title">',
        f'<title id="readiness-chart-title">{escape(title)}</title>',
    ]
    for share in (0, 0.5, 1):
        y = _y(share)
        parts.append(
            f'<line class="readiness-chart__grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="readiness-chart__axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{round(share * 100)}%</text>'
        )
    if not points:
        parts.append(
            f'<text class="readiness-chart__empty" x="{WIDTH / 2:.0f}" y="{HEIGHT / 2:.0f}" text-anchor="middle">'
            "No cycle has been shared yet</text>"
        )
        parts.append("</svg>")
        return "".join(parts)
    span = WIDTH - LEFT - RIGHT
    step = span / len(points)
    coordinates = []
    for index, point in enumerate(points):
        x = LEFT + step * (index + 0.5)
        share = point.met / point.total if point.total else 1.0
        coordinates.append((x, _y(share), point))
    path = " ".join(
        f"{'M' if index == 0 else 'L'}{x:.1f},{y:.1f}" for index, (x, y, _) in enumerate(coordinates)
    )
    parts.append(f'<path class="readiness-chart__line" d="{path}"/>')
    for x, y, point in coordinates:
        state = "ready" if point.ready else "not-ready"
        summary = wording.readiness_summary(point.ready, point.met, point.total)
        parts.append(
            f'<circle class="readiness-chart__point readiness-chart__point--{state}" cx="{x:.1f}" cy="{y:.1f}" r="5">'
            f"<title>{escape(point.label)}: {escape(summary)}</title></circle>"
        )
        parts.append(
            f'<text class="readiness-chart__value" x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle">'
            f"{point.met}/{point.total}</text>"
        )
        parts.append(
            f'<text class="readiness-chart__label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f"aria-label={quoteattr(point.label)}>{escape(point.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
