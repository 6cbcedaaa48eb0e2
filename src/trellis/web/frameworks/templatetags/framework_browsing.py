"""Template filters for reading the published framework: track and competency kinds, bands and
durations, worded by `trellis.framework.wording` so the pages say what the exports say."""

from __future__ import annotations

from django import template

from trellis.framework import wording
from trellis.framework.model import CompensationBand, Track

register = template.Library()


@register.filter
def track_kind_note(track: Track) -> str:
    """The track's kind ("Individual contributor", "Management", "Named track"), or "" where its
    name already says it."""
    return wording.track_kind_note(track)


@register.filter
def competency_kind(kind: str) -> str:
    """ "core" → "Core", "functional" → "Functional"."""
    return wording.competency_kind_label(kind)


@register.filter
def band(value: CompensationBand | None) -> str:
    """ "EUR 90,000–120,000.50"; empty without a band."""
    return wording.band(value) if value is not None else ""


@register.filter
def months(value: int | None) -> str:
    """A minimum time in level in words ("5 months", "1 year, 6 months"); empty without one."""
    return wording.months(value) if value is not None else ""
