"""The published framework, for everyone. Other pages (families, ladders, matrix, levels, editor)
build on this index."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trellis.web import policy
from trellis.web.frameworks.selectors import current_published_framework
from trellis.web.policy import Action


def index(request: HttpRequest) -> HttpResponse:
    """The current version's families and tracks, with their levels; a notice before the first."""
    policy.require(request.user, Action.FRAMEWORK_VIEW)
    return render(request, "frameworks/index.html", {"published": current_published_framework()})
