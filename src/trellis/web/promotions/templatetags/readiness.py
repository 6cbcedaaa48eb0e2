"""Template filters of the readiness pages: the words come from `trellis.framework.wording`."""

from __future__ import annotations

from typing import Any

from django import template

from trellis.framework import wording

register = template.Library()


@register.filter
def readiness_kind(kind: str) -> str:
    """A criterion kind as a page names it ("Minimum average")."""
    return wording.readiness_kind_label(kind)


@register.filter
def readiness_summary(row: Any) -> str:
    """ "ready: 8 of 8 criteria met" for a stored readiness (or snapshot) row."""
    return wording.readiness_summary(row.ready, row.met_count, row.criteria_count)
