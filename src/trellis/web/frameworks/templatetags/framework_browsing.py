"""Template filters for reading the published framework: words for track kinds, bands and times."""

from __future__ import annotations

from django import template

from trellis.framework import browse
from trellis.framework.model import CompensationBand, TrackKind

register = template.Library()

_TRACK_KINDS = {
    TrackKind.IC: "Individual contributor",
    TrackKind.MANAGEMENT: "Management",
    TrackKind.NAMED: "Named track",
}


@register.filter
def track_kind(kind: str) -> str:
    """ "ic" → "Individual contributor", "management" → "Management", "named" → "Named track"."""
    try:
        return _TRACK_KINDS[TrackKind(kind)]
    except ValueError:
        return str(kind)


@register.filter
def band(value: CompensationBand | None) -> str:
    """ "90,000–120,000 USD"; empty without a band."""
    return browse.describe_band(value) if value is not None else ""


@register.filter
def months(value: int | None) -> str:
    """A minimum time in level in words ("18 months", "2 years"); empty without one."""
    return browse.describe_months(value) if value is not None else ""
