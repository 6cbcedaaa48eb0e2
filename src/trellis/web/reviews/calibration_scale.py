"""The pinned framework of a cycle, as calibration reads it: the rating scale and competency names.

A version never changes, so its YAML is parsed once per process and version (a small cache: a
company runs a few cycles at a time).
"""

from __future__ import annotations

from trellis.framework.model import Framework
from trellis.web.frameworks.authoring_selectors import version_framework_get
from trellis.web.reviews.models import ReviewCycle


def cycle_framework(cycle: ReviewCycle) -> Framework:
    """The framework version `cycle` is pinned to (parsed once per process and version)."""
    return version_framework_get(version=cycle.framework_version)


def cycle_scale_points(cycle: ReviewCycle) -> tuple[int, ...]:
    """The points of the pinned version's rating scale, in increasing order."""
    return tuple(sorted(point.value for point in cycle_framework(cycle).scale.points))


def competency_names(framework: Framework) -> dict[str, str]:
    """Every competency's name by id: the core ones and each family's."""
    names = {competency.id: competency.name for competency in framework.core_competencies}
    for family in framework.families:
        names.update((competency.id, competency.name) for competency in family.competencies)
    return names
