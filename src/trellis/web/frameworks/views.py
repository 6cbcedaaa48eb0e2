"""The published framework, for everyone: the index, family pages with their ladders, a matrix per
track, one page per level, the lateral paths, and search. Every page reads the current version
through the cached selectors; none reads people, so none grows with the company."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks import selectors


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The current version's families and tracks, the rating scale and the core competencies; a
    notice before the first publication."""
    published = selectors.framework_published_get(viewer=viewer(request))
    return render(request, "frameworks/index.html", {"published": published})


@require_safe
def family(request: HttpRequest, family_id: str) -> HttpResponse:
    """A job family: its competencies and its tracks side by side, aligned by grade."""
    page = selectors.family_page_get(viewer=viewer(request), family_id=family_id)
    return render(request, "frameworks/family.html", {"page": page, "published": page.published})


@require_safe
def matrix(request: HttpRequest, family_id: str, track_id: str) -> HttpResponse:
    """The competency × level matrix of one track."""
    page = selectors.matrix_page_get(viewer=viewer(request), family_id=family_id, track_id=track_id)
    return render(request, "frameworks/matrix.html", {"page": page, "published": page.published})


@require_safe
def level(request: HttpRequest, family_id: str, track_id: str, level_code: str) -> HttpResponse:
    """One level: scope, title, every competency's behaviour, and the promotion into the next."""
    page = selectors.level_page_get(
        viewer=viewer(request), family_id=family_id, track_id=track_id, level_code=level_code
    )
    return render(request, "frameworks/level.html", {"detail": page.detail, "published": page.published})


@require_safe
def lateral_paths(request: HttpRequest) -> HttpResponse:
    """Every lateral path between families: what carries over, what to learn, how."""
    page = selectors.lateral_paths_page_get(viewer=viewer(request))
    return render(request, "frameworks/lateral_paths.html", {"page": page, "published": page.published})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search the current version (``?q=``). As one types, htmx asks for the results alone."""
    page = selectors.framework_search(viewer=viewer(request), query=request.GET.get("q", ""))
    template = "frameworks/search.html"
    # Set by django-htmx's middleware; a request built by hand has none.
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        template += "#results"
    return render(request, template, {"page": page, "published": page.published})
