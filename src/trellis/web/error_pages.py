"""The styled error pages in development too.

With ``DEBUG`` on (``make run``), Django answers a missing page with its technical 404 page and a
refused request (``SuspiciousOperation``) with its technical 500 page at status 400, so a newcomer
never sees the pages people meet in production. `StyledErrorPages` answers them with the app's own
handlers (``404.html``, ``400.html`` when there is one) while the 500 debug page, the one a
developer needs, stays. It does nothing with ``DEBUG`` off, where Django already uses the handlers
(403 uses ``403.html`` in both modes). Placed after ``CommonMiddleware``, so that an address
missing its trailing slash is still redirected first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults


class StyledErrorPages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An address no URL pattern matches never reaches a view (nor `process_exception`):
        # Django's technical page comes back here, with no resolver match on the request.
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            return defaults.page_not_found(request, Http404(request.path))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's Http404 or SuspiciousOperation, answered as production answers it."""
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, SuspiciousOperation):
            return defaults.bad_request(request, exception)
        return None
