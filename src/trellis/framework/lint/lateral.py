"""Rules on lateral paths: a move across families names what carries over and what to learn.

A lateral path is only a plan when the person can see both halves: what they already bring, and
the gaps they will be assessed on after the move.
"""

from __future__ import annotations

from collections.abc import Iterator

from trellis.framework.lint.context import LintContext
from trellis.framework.lint.rule import Finding
from trellis.framework.model import LateralPath


def _describe(lateral: LateralPath) -> str:
    return (
        f"{lateral.source.family} {lateral.source.level} → "
        f"{lateral.destination.family} {lateral.destination.level}"
    )


def lateral_no_transferable(context: LintContext) -> Iterator[Finding]:
    for index, lateral in enumerate(context.framework.lateral_paths):
        if not lateral.transferable:
            yield Finding(
                ("lateral_paths", index, "transferable"),
                f"lateral path {_describe(lateral)} names no transferable competencies",
                "list the competencies that carry over, so people see what they already bring",
            )


def lateral_no_gaps(context: LintContext) -> Iterator[Finding]:
    for index, lateral in enumerate(context.framework.lateral_paths):
        if not lateral.gaps:
            yield Finding(
                ("lateral_paths", index, "gaps"),
                f"lateral path {_describe(lateral)} names no gaps to close",
                "list the competencies to develop before or after the move, with their target proficiency",
            )
