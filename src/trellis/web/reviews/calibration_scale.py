"""The pinned framework of a cycle, as calibration reads it: the rating scale and competency names.

A version never changes, so its YAML is parsed once per process and version (a small cache: a
company runs a few cycles at a time).
"""

from __future__ import annotations

import datetime
import functools
import threading

from trellis.framework.model import Framework
from trellis.framework.yaml_io import loads
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.reviews.models import ReviewCycle

_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _parsed(version_id: int, number: int, published_at: datetime.datetime) -> Framework:
    # The publication time is part of the key: SQLite hands out a rolled-back row's id again.
    with _lock:
        text = FrameworkVersion.objects.values_list("yaml_text", flat=True).get(pk=version_id)
    return loads(text, f"version {number}")


def cycle_framework(cycle: ReviewCycle) -> Framework:
    """The framework version `cycle` is pinned to."""
    version = cycle.framework_version
    return _parsed(version.pk, version.number, version.published_at)


def cycle_scale_points(cycle: ReviewCycle) -> tuple[int, ...]:
    """The points of the pinned version's rating scale, in increasing order."""
    return tuple(sorted(point.value for point in cycle_framework(cycle).scale.points))


def competency_names(framework: Framework) -> dict[str, str]:
    """Every competency's name by id: the core ones and each family's."""
    names = {competency.id: competency.name for competency in framework.core_competencies}
    for family in framework.families:
        names.update((competency.id, competency.name) for competency in family.competencies)
    return names
