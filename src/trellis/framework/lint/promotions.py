"""Rules on promotion criteria: every step of a track has them, and they can actually be met.

Criteria are the proof layer of a framework: without them a promotion is argued from memory, and
with unreachable or empty ones it is argued from nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from trellis.framework.diagnostics import Path
from trellis.framework.lint.context import LintContext
from trellis.framework.lint.rule import Finding
from trellis.framework.model import PromotionCriteria
from trellis.framework.wording import number


def missing_promotion_criteria(context: LintContext) -> Iterator[Finding]:
    # Each family's pairs are collected once, not once per track: linear in the promotions.
    defined_by_family: dict[int, set[tuple[str, str]]] = {}
    for view in context.tracks:
        defined = defined_by_family.get(view.family_index)
        if defined is None:
            defined = {(criteria.from_level, criteria.to_level) for criteria in view.family.promotions}
            defined_by_family[view.family_index] = defined
        levels = view.track.levels
        for index in range(1, len(levels)):
            lower, higher = levels[index - 1], levels[index]
            if (lower.code, higher.code) not in defined:
                yield Finding(
                    (*view.path, "levels", index, "code"),
                    f'no promotion criteria for {lower.code} → {higher.code} in "{view.family.id}"',
                    f"add an entry to the family's promotions with from_level: {lower.code} and "
                    f"to_level: {higher.code}",
                )


def _thresholds(criteria: PromotionCriteria, path: Path) -> Iterator[tuple[str, float, Path]]:
    """Each threshold as (how a message names it, its value, its path)."""
    if criteria.min_average is not None:
        yield f"min_average {number(criteria.min_average)}", criteria.min_average, (*path, "min_average")
    if criteria.floor is not None:
        yield f"floor {number(criteria.floor)}", criteria.floor, (*path, "floor")
    for index, required in enumerate(criteria.required):
        yield (
            f'minimum {number(required.minimum)} for "{required.competency}"',
            required.minimum,
            (*path, "required", index, "minimum"),
        )


def _criteria(context: LintContext) -> Iterator[tuple[PromotionCriteria, Path]]:
    for family_index, family in enumerate(context.framework.families):
        for index, criteria in enumerate(family.promotions):
            yield criteria, ("families", family_index, "promotions", index)


def threshold_outside_scale(context: LintContext) -> Iterator[Finding]:
    lowest, highest = context.framework.scale.minimum, context.framework.scale.maximum
    for criteria, path in _criteria(context):
        for what, value, value_path in _thresholds(criteria, path):
            if not lowest <= value <= highest:
                yield Finding(
                    value_path,
                    f"{what} in {criteria.from_level} → {criteria.to_level} lies outside "
                    f"the rating scale ({lowest} to {highest})",
                    "no rating can reach it" if value > highest else "every rating already meets it",
                )


def floor_above_average(context: LintContext) -> Iterator[Finding]:
    for criteria, path in _criteria(context):
        if criteria.floor is None or criteria.min_average is None:
            continue
        if criteria.floor > criteria.min_average:
            yield Finding(
                (*path, "floor"),
                f"floor {number(criteria.floor)} in {criteria.from_level} → {criteria.to_level} is higher "
                f"than min_average {number(criteria.min_average)}",
                "with every rating at or above the floor the average can never bind; lower the floor "
                "or raise min_average",
            )


def criteria_empty(context: LintContext) -> Iterator[Finding]:
    for criteria, path in _criteria(context):
        measurable = (
            criteria.min_average is not None
            or criteria.floor is not None
            or criteria.required
            or criteria.time_at_next_level is not None
            or criteria.scope_evidence
            or criteria.outcomes
        )
        if not measurable:
            yield Finding(
                path,
                f"promotion criteria {criteria.from_level} → {criteria.to_level} ask for nothing measurable",
                "add a min_average, a floor, required competencies, time_at_next_level, scope_evidence "
                "or outcomes",
            )
