"""Makes the client address of the current request known to `audit_record` without passing the
request through every service."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: The client address of the request being handled in this thread or task, if any.
current_ip: ContextVar[str | None] = ContextVar("trellis_audit_current_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    Behind the load balancer (``TRELLIS_BEHIND_PROXY``), the last address in ``X-Forwarded-For`` is
    the one our own proxy saw; earlier entries are whatever the client chose to send.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
