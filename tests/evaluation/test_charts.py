"""The charts' structure: valid SVG with nothing a strict content security policy refuses, every
text escaped, marks where the numbers put them, and the table of the same numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from trellis.evaluation.charts import (
    ChartTable,
    DistributionBar,
    IntervalRow,
    LinePoint,
    distribution_chart,
    interval_chart,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & co'


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject", f"{SVG}a")
        assert "style" not in element.attrib
        assert not [name for name in element.attrib if name.startswith("on") or name.endswith("href")]
    return root


def marks(root: ElementTree.Element, tag: str, kind: str) -> list[ElementTree.Element]:
    return [element for element in root.iter(f"{SVG}{tag}") if element.get("class") == kind]


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_distribution_bars_actual_beside_target() -> None:
    bars = [DistributionBar("1", 0, 0.5), DistributionBar("2", 4, 2.0), DistributionBar(HOSTILE, 8, 8.5)]
    chart = distribution_chart(bars, title=f"Ratings {HOSTILE}")
    root = parse(chart.svg)
    assert root.find(f"{SVG}title").text == f"Ratings {HOSTILE}"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == (  # type: ignore[union-attr]
        f"1: 0 (target 0.5); 2: 4 (target 2); {HOSTILE}: 8 (target 8.5)"
    )
    assert "<script>" not in chart.svg
    actual = marks(root, "rect", "bar-actual")
    target = marks(root, "rect", "bar-target")
    assert len(actual) == len(target) == 3
    # The plot is 220 − 34 − 40 = 146 high and the largest value (8.5, a target) fills it.
    assert [float(bar.get("height", "")) for bar in actual] == [
        0.0,
        pytest.approx(146 * 4 / 8.5, abs=0.1),
        pytest.approx(146 * 8 / 8.5, abs=0.1),
    ]
    assert float(target[2].get("height", "")) == 146.0
    assert target[0].get("fill") == "none" and target[0].get("stroke-dasharray") == "3 2"
    # A long label is cut in the chart and whole in the table.
    assert HOSTILE[:25] + "…" in texts(root)
    assert chart.table == ChartTable(
        f"Ratings {HOSTILE}",
        ("Rating", "Actual", "Target"),
        (("1", "0", "0.5"), ("2", "4", "2"), (HOSTILE, "8", "8.5")),
    )


def test_distribution_without_a_target_has_no_legend_or_outline() -> None:
    chart = distribution_chart(
        [DistributionBar("1", 2), DistributionBar("2", 5)], title="Ratings", category="Score"
    )
    root = parse(chart.svg)
    assert marks(root, "rect", "bar-target") == []
    assert "Target" not in texts(root)
    assert chart.table.headers == ("Score", "Actual")
    assert chart.table.rows == (("1", "2"), ("2", "5"))


def test_intervals_with_a_reference_line_and_flagged_rows() -> None:
    rows = [
        IntervalRow("Ana", 0.8, 0.2, 1.4, "lenient", "3 reports"),
        IntervalRow(HOSTILE, -0.3, -1.2, 0.6, "", "4 reports"),
        IntervalRow("Cy", None, detail="1 report"),
    ]
    chart = interval_chart(
        rows, title="Leniency", label_heading="Manager", estimate_heading="Effect", detail_heading="Reports"
    )
    root = parse(chart.svg)
    estimates = marks(root, "circle", "estimate")
    intervals = marks(root, "line", "interval")
    assert (len(estimates), len(intervals), len(marks(root, "line", "reference"))) == (2, 2, 1)
    # The values span −1.2…1.4: steps of 1, so the axis runs from −2 to 2 over x 190…478, 0 at 334.
    assert marks(root, "line", "reference")[0].get("x1") == "334.0"
    assert estimates[0].get("cx") == f"{190 + 288 * (0.8 + 2) / 4:.1f}"
    # A flagged dot is filled, the others hollow; the note is written, not only coloured.
    assert estimates[0].get("fill") != "#ffffff" and estimates[1].get("fill") == "#ffffff"
    assert {"lenient", "not enough data", HOSTILE[:25] + "…"} <= set(texts(root))
    assert chart.table == ChartTable(
        "Leniency",
        ("Manager", "Effect", "95% interval", "Reports", "Note"),
        (
            ("Ana", "0.80", "0.20 to 1.40", "3 reports", "lenient"),
            (HOSTILE, "-0.30", "-1.20 to 0.60", "4 reports", ""),
            ("Cy", "not enough data", "", "1 report", ""),
        ),
    )


def test_a_line_breaks_where_a_value_is_missing() -> None:
    points = [
        LinePoint("2025 H1", 0.4),
        LinePoint("2025 H2", None),
        LinePoint("2026 H1", 0.6),
        LinePoint("2026 H2", 0.8),
    ]
    chart = line_chart(points, title="Readiness", low=0, high=1, value_heading="Criteria met")
    root = parse(chart.svg)
    lines = marks(root, "polyline", "line")
    # The first value stands alone (a dot), the last two are joined.
    assert len(lines) == 1
    assert len(lines[0].get("points", "").split()) == 2
    assert len(marks(root, "circle", "point")) == 3
    assert chart.table == ChartTable(
        "Readiness",
        ("Cycle", "Criteria met"),
        (("2025 H1", "0.4"), ("2025 H2", "none"), ("2026 H1", "0.6"), ("2026 H2", "0.8")),
    )
    # Values are placed between low (bottom) and high (top): 0.8 of 126 below the top at 18.
    last = marks(root, "circle", "point")[-1]
    assert last.get("cy") == f"{18 + 108 * 0.2:.1f}"
    with pytest.raises(ValueError):
        line_chart(points, title="Readiness", low=1, high=1)
