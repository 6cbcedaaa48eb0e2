"""Rules on the rating scale: every point anchored, values that count up one by one.

Every proficiency, threshold and rating is a number on this scale; an unanchored point means each
manager decides privately what a 4 is, and a gap (1, 2, 3, 5) makes averages mean different things
on different steps.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from trellis.framework.lint.context import LintContext
from trellis.framework.lint.rule import Finding

#: The most skipped values TRL218 lists; beyond them it says how many more.
MAX_LISTED_MISSING = 20


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
    gaps = [(lower, higher) for lower, higher in itertools.pairwise(values) if higher > lower + 1]
    if gaps:
        # Point at the first value after the first gap: that is the step that jumps.
        after_gap = gaps[0][1]
        index = next(i for i, point in enumerate(points) if point.value == after_gap)
        yield Finding(
            ("scale", "points", index, "value"),
            f"scale values {', '.join(str(v) for v in values)} skip {_missing(gaps)}",
            "number the points consecutively so each step up the scale means the same",
        )


def _missing(gaps: list[tuple[int, int]]) -> str:
    """The values the gaps skip, listed; past `MAX_LISTED_MISSING` of them, the rest are counted.

    Walking the gaps rather than the whole range keeps the rule linear in the number of points: a
    scale of 1 and 1,000,000,000 must not build a billion numbers.
    """
    listed: list[str] = []
    total = 0
    for lower, higher in gaps:
        total += higher - lower - 1
        listed.extend(str(value) for value in range(lower + 1, min(higher, lower + 1 + MAX_LISTED_MISSING)))
        del listed[MAX_LISTED_MISSING:]
    if total > len(listed):
        return f"{', '.join(listed)} and {total - len(listed)} more"
    return ", ".join(listed)
