"""Template filters for people pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from trellis.web.people.placement import describe_duration

register = template.Library()


@register.filter
def time_since_date(value: datetime.date | None) -> str:
    """How long ago `value` was, in years and months ("1 year, 4 months"); empty for no date."""
    if value is None:
        return ""
    return describe_duration(value, timezone.localdate())
