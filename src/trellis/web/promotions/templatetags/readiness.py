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


@register.filter
def share_published(row: Any) -> str:
    """A what-if level's share ready under the published version: "40% (2 of 5)"."""
    return wording.share_of(row.ready_published, row.population)


@register.filter
def share_draft(row: Any) -> str:
    """A what-if level's share ready under the draft."""
    return wording.share_of(row.ready_draft, row.population)


@register.filter
def what_if_changes(row: Any) -> str:
    """ "2 would become ready, 1 would no longer be ready"."""
    return wording.what_if_changes(len(row.became_ready), len(row.no_longer_ready))
