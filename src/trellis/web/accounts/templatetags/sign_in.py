"""``{% sign_in_status value %}``: a sign-in status as every page shows it (label and badge)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from trellis.web.accounts.sign_in_status import SignInStatus

register = template.Library()


@register.simple_tag
def sign_in_status(value: str) -> SafeString:
    status = SignInStatus(value)
    return format_html('<span class="badge badge--sign-in-{}">{}</span>', status.value, status.label)
