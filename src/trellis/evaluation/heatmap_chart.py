"""The skills heatmap as SVG text: one row per group (a family, a level, a team, a person), one
column per competency, each cell the mean gap to what the people's own levels expect. Pure.

Drawn as `trellis.evaluation.charts` draws (presentation attributes only: no ``<style>``, no
``style`` attribute, no script — it works under the pages' content security policy, in print and
in a PDF). Meaning is never carried by colour alone: every cell writes its value ("−0.8", "+0.4",
"?" where nobody is rated), and the cells below what the level expects are hatched — more densely
the further below — so a black-and-white print reads the same. The colours are a diverging
orange–purple pair, told apart by the common colour-vision deficiencies. The :class:`ChartTable`
gives the same numbers (with the people counted) to screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trellis.evaluation.charts import FONT, INK, MUTED, Chart, ChartTable
from trellis.evaluation.charts import _cut as cut
from trellis.evaluation.charts import _label as label
from trellis.evaluation.charts import _text as text
from trellis.framework.wording import decimal, percent

__all__ = ["BANDS", "Band", "HeatmapCell", "band_of", "gap_text", "heatmap_chart"]

LABEL_WIDTH, CELL_WIDTH, CELL_HEIGHT, HEADER_HEIGHT, LEGEND_HEIGHT = 190, 58, 30, 130, 78
#: The legend needs this width at least, whatever the number of columns.
LEGEND_WIDTH = 640


@dataclass(frozen=True, slots=True)
class Band:
    """A range of mean gaps (from `low`, inclusive) and how its cells are drawn."""

    key: str
    label: str
    low: float
    fill: str
    ink: str
    #: The hatching laid over the fill ("" none): its pattern's spacing in pixels.
    hatch: int


#: Lowest first. A mean gap within a quarter point of 0 meets the level.
BANDS = (
    Band("far-below", "1 or more below", -math.inf, "#b35806", "#ffffff", 4),
    Band("below", "below", -1.0 + 1e-9, "#f1a340", INK, 7),
    Band("meets", "meets (within ¼)", -0.25, "#f7f7f7", INK, 0),
    Band("above", "above", 0.25, "#b2abd2", INK, 0),
    Band("far-above", "1 or more above", 1.0, "#542788", "#ffffff", 0),
)
UNKNOWN_LABEL = "nobody rated"
NOT_EXPECTED_LABEL = "not assessed at these levels"
NOT_EXPECTED_FILL = "#e5e7eb"


def band_of(gap: float) -> Band | None:
    """The band of a mean gap; None for NaN (nobody counted)."""
    if math.isnan(gap):
        return None
    chosen = BANDS[0]
    for band in BANDS:
        if gap >= band.low:
            chosen = band
    return chosen


def gap_text(gap: float) -> str:
    """A mean gap as a cell writes it: "+0.4", "−0.8", "0.0"; "?" for NaN."""
    if math.isnan(gap):
        return "?"
    rounded = round(gap, 1)
    if rounded == 0:
        return decimal(0.0, 1)
    return ("+" if rounded > 0 else "−") + decimal(abs(rounded), 1)


@dataclass(frozen=True, slots=True)
class HeatmapCell:
    """One group × competency: its mean gap (NaN: nobody counted), the people counted in it and the
    share of them short of their level (NaN with nobody)."""

    gap: float
    counted: int
    short: float
    #: Whether any of the group's levels assesses the competency at all (if not: no figure is due).
    expected: bool = True


def _hatches(prefix: str) -> list[str]:
    parts = ["<defs>"]
    for band in BANDS:
        if band.hatch:
            parts.append(
                f'<pattern id="{prefix}-{band.key}" width="{band.hatch}" height="{band.hatch}" '
                f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<line x1="0" y1="0" x2="0" y2="{band.hatch}" stroke="{INK}" stroke-width="1.2" '
                f'stroke-opacity="0.45"/></pattern>'
            )
    parts.append("</defs>")
    return parts


def _cell(x: float, y: float, cell: HeatmapCell, prefix: str, title: str) -> list[str]:
    band = band_of(cell.gap)
    width, height = CELL_WIDTH - 2, CELL_HEIGHT - 2
    if not cell.expected:
        return [
            f'<g><title>{text(title)}</title><rect x="{x + 1}" y="{y + 1}" width="{width}" height="{height}" '
            f'fill="{NOT_EXPECTED_FILL}"/>',
            label(x + CELL_WIDTH / 2, y + CELL_HEIGHT / 2 + 4, "–", fill=MUTED),
            "</g>",
        ]
    if band is None:
        parts = [
            f'<g><title>{text(title)}</title><rect x="{x + 1}" y="{y + 1}" width="{width}" height="{height}" '
            f'fill="#ffffff" stroke="{MUTED}" stroke-dasharray="3 2"/>',
            label(x + CELL_WIDTH / 2, y + CELL_HEIGHT / 2 + 4, "?", fill=MUTED),
            "</g>",
        ]
        return parts
    parts = [
        f'<g><title>{text(title)}</title><rect x="{x + 1}" y="{y + 1}" width="{width}" height="{height}" '
        f'fill="{band.fill}"/>'
    ]
    if band.hatch:
        parts.append(
            f'<rect x="{x + 1}" y="{y + 1}" width="{width}" height="{height}" fill="url(#{prefix}-{band.key})"/>'
        )
    parts.append(
        label(x + CELL_WIDTH / 2, y + CELL_HEIGHT / 2 + 4, gap_text(cell.gap), fill=band.ink, weight="bold")
    )
    parts.append("</g>")
    return parts


def heatmap_chart(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[HeatmapCell]],
    *,
    title: str,
    row_heading: str,
    prefix: str = "heatmap",
) -> Chart:
    """The heatmap of `cells` (one sequence per row, one cell per column), titled `title`; the rows
    headed `row_heading` in its table. `prefix` keeps the ids of two charts on one page apart."""
    # The last column's heading leans out to the right.
    width = max(LABEL_WIDTH + CELL_WIDTH * max(len(columns), 1) + 150, LEGEND_WIDTH)
    height = HEADER_HEIGHT + CELL_HEIGHT * max(len(rows), 1) + LEGEND_HEIGHT
    description = (
        f"{len(rows)} rows by {len(columns)} competencies: each cell is the mean gap to what the "
        "people's own levels expect, hatched where below; the table after the chart has the numbers."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'font-family="{text(FONT)}" font-size="12" fill="{INK}">',
        f"<title>{text(title)}</title>",
        f"<desc>{text(description)}</desc>",
        *_hatches(prefix),
    ]
    for index, name in enumerate(columns):
        x = LABEL_WIDTH + CELL_WIDTH * index + CELL_WIDTH / 2
        y = HEADER_HEIGHT - 8
        parts.append(
            f'<text x="{x:.1f}" y="{y}" transform="rotate(-40 {x:.1f} {y})" text-anchor="start">{text(cut(name))}</text>'
        )
    for row_index, (row, row_cells) in enumerate(zip(rows, cells, strict=True)):
        y = HEADER_HEIGHT + CELL_HEIGHT * row_index
        parts.append(label(LABEL_WIDTH - 8, y + CELL_HEIGHT / 2 + 4, cut(row), anchor="end"))
        for column_index, cell in enumerate(row_cells):
            x = LABEL_WIDTH + CELL_WIDTH * column_index
            words = f"{row}, {columns[column_index]}: {_cell_words(cell)}"
            parts.extend(_cell(x, y, cell, prefix, words))
    legend_y = HEADER_HEIGHT + CELL_HEIGHT * max(len(rows), 1) + 16
    x = 8.0
    for band in BANDS:
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="18" height="14" fill="{band.fill}" stroke="{MUTED}"/>'
        )
        if band.hatch:
            parts.append(
                f'<rect x="{x}" y="{legend_y}" width="18" height="14" fill="url(#{prefix}-{band.key})"/>'
            )
        parts.append(label(x + 24, legend_y + 11, band.label, anchor="start"))
        x += 24 + 7.2 * len(band.label) + 18
    x, legend_y = 8.0, legend_y + 22
    parts.append(
        f'<rect x="{x}" y="{legend_y}" width="18" height="14" fill="#ffffff" stroke="{MUTED}" stroke-dasharray="3 2"/>'
    )
    parts.append(label(x + 24, legend_y + 11, f"? {UNKNOWN_LABEL}", anchor="start"))
    x += 24 + 7.2 * (len(UNKNOWN_LABEL) + 2) + 18
    parts.append(f'<rect x="{x}" y="{legend_y}" width="18" height="14" fill="{NOT_EXPECTED_FILL}"/>')
    parts.append(label(x + 24, legend_y + 11, f"– {NOT_EXPECTED_LABEL}", anchor="start"))
    parts.append(
        label(
            8,
            legend_y + 34,
            "Mean gap to the level's expectation, in scale points",
            anchor="start",
            fill=MUTED,
        )
    )
    parts.append("</svg>")
    table_rows = tuple(
        (row, *(_cell_words(cell) for cell in row_cells)) for row, row_cells in zip(rows, cells, strict=True)
    )
    return Chart(
        svg="".join(parts),
        table=ChartTable(caption=title, headers=(row_heading, *columns), rows=table_rows),
    )


def _cell_words(cell: HeatmapCell) -> str:
    """A cell in words, for the table and the tooltip: "−0.8 (6 rated, 67% short)"."""
    if not cell.expected:
        return f"– ({NOT_EXPECTED_LABEL})"
    if cell.counted == 0 or math.isnan(cell.gap):
        return f"? ({UNKNOWN_LABEL})"
    return f"{gap_text(cell.gap)} ({cell.counted} rated, {percent(cell.short)} short)"
