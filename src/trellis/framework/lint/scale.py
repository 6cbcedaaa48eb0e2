"""Rules on the rating scale: every point anchored, values that count up one by one.

Every proficiency, threshold and rating is a number on this scale; an unanchored point means each
manager decides privately what a 4 is, and a gap (1, 2, 3, 5) makes averages mean different things
on different steps.
"""

from __future__ import annotations

from collections.abc import Iterator

from trellis.framework.lint.context import LintContext
from trellis.framework.lint.rule import Finding


def scale_unanchored(context: LintContext) -> Iterator[Finding]:
    points = context.framework.scale.points
    for index, point in enumerate(points):
        if not point.anchor:
            yield Finding(
                ("scale", "points", index, "anchor"),
                f'scale point {point.value} ("{point.label}") has no anchor',
                "describe what a rating of this value looks like in practice",
            )
    values = sorted(context.scale_values)
    missing = sorted(set(range(values[0], values[-1] + 1)) - context.scale_values) if values else []
    if missing:
        # Point at the first value after the first gap: that is the step that jumps.
        after_gap = min(value for value in values if value > missing[0])
        index = next(i for i, point in enumerate(points) if point.value == after_gap)
        yield Finding(
            ("scale", "points", index, "value"),
            f"scale values {', '.join(str(v) for v in values)} skip {', '.join(str(v) for v in missing)}",
            "number the points consecutively so each step up the scale means the same",
        )
