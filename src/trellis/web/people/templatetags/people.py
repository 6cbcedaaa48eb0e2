"""Template filters for people pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from trellis.framework import wording

register = template.Library()


@register.filter
def time_since_date(value: datetime.date | None) -> str:
    """How long ago `value` was ("1 year, 4 months", "3 weeks"); empty for no date."""
    if value is None:
        return ""
    return wording.time_since(value, timezone.localdate())
