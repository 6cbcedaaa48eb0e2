from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from trellis.web.accounts.viewer import viewer
from trellis.web.audit.selectors import audit_event_list

EVENTS_PER_PAGE = 50


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    events = audit_event_list(viewer=viewer(request))
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"page": page})
