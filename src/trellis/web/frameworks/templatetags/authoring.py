"""Template filters of the authoring pages."""

from __future__ import annotations

from django import template

from trellis.framework.diagnostics import Diagnostic
from trellis.framework.model import Framework
from trellis.web.frameworks.authoring_support import finding_place

register = template.Library()


@register.filter
def place(diagnostic: Diagnostic, framework: Framework | None) -> str:
    """Where `diagnostic` is, in the framework's names ("Engineering · IC3 · Communication")."""
    return finding_place(framework, diagnostic)
