"""The skills heatmap's SVG: every cell writes its value, below the level is hatched, nobody rated
is "?" and not assessed is "–"; every text escaped; no style or script (the pages' CSP)."""

from __future__ import annotations

import math

from trellis.evaluation.heatmap_chart import HeatmapCell, band_of, gap_text, heatmap_chart


def test_gaps_are_written_signed_with_one_decimal() -> None:
    assert [gap_text(value) for value in (0.44, -0.75, 0.04, -0.04, math.nan)] == [
        "+0.4",
        "−0.8",
        "0.0",
        "0.0",
        "?",
    ]
    assert [band_of(value).key for value in (-1.0, -0.99, -0.25, 0.0, 0.25, 1.0)] == [  # type: ignore[union-attr]
        "far-below", "below", "meets", "meets", "above", "far-above"
    ]  # fmt: skip
    assert band_of(math.nan) is None


def test_each_cell_says_what_it_is_in_the_chart_and_the_table() -> None:
    cells = [
        [HeatmapCell(-1.2, 6, 5 / 6), HeatmapCell(0.5, 6, 0.0)],
        [HeatmapCell(math.nan, 0, math.nan), HeatmapCell(math.nan, 0, math.nan, expected=False)],
    ]
    chart = heatmap_chart(
        ["<Growth>", "Platform"],
        ["Communication", "Craft & care"],
        cells,
        title="By team",
        row_heading="Team",
    )
    svg = chart.svg
    assert "<Growth>" not in svg and "&lt;Growth&gt;" in svg and "Craft &amp; care" in svg
    assert "style" not in svg and "<script" not in svg
    # The far-below cell is hatched; the above one is not.
    assert svg.count('fill="url(#heatmap-far-below)"') == 2  # the cell and its legend swatch
    assert ">−1.2<" in svg and ">+0.5<" in svg and ">?<" in svg and ">–<" in svg
    assert chart.table.headers == ("Team", "Communication", "Craft & care")
    assert chart.table.rows == (
        ("<Growth>", "−1.2 (6 rated, 83% short)", "+0.5 (6 rated, 0% short)"),
        ("Platform", "? (nobody rated)", "– (not assessed at these levels)"),
    )
