"""Middleware of the whole app: a limit on request bodies, and no caching of signed-in pages.

**Request bodies.** Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only bounds form fields: a file upload
or a body of another content type streams through it to a temporary file. `RequestBodyLimit`, the
first middleware, refuses a body larger than ``settings.REQUEST_BODY_MAX_BYTES`` with 413 from its
``Content-Length`` alone, before sessions or CSRF read anything; views that take a file (marked
with `accepts_uploads`) allow ``settings.UPLOAD_REQUEST_BODY_MAX_BYTES`` instead. Django's WSGI
request reads at most ``Content-Length`` bytes of the body (nothing when the header is missing), so
checking the header caps what is actually read; a body sent without a length (``Transfer-Encoding:
chunked``) is refused with 411 rather than read to its end. No well-kept package does this (the
proxy's ``client_max_body_size`` is the first line; see docs/deploy.md), so it is this small class.

**Caching.** `PrivateNoStore` marks every response to a signed-in viewer ``Cache-Control: private,
no-store`` unless its view set ``Cache-Control`` itself (a published version's export may be kept:
it never changes), so a person's data or a draft never stays in a shared or a browser cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from trellis.tabular.limits import size_text

View = TypeVar("View", bound=Callable[..., Any])

#: What `PrivateNoStore` sends, unless the view said otherwise.
PRIVATE_NO_STORE = "private, no-store"


def accepts_uploads(view: View) -> View:
    """Mark `view` as one that takes an uploaded file: its requests may carry
    ``settings.UPLOAD_REQUEST_BODY_MAX_BYTES`` instead of ``settings.REQUEST_BODY_MAX_BYTES``."""
    view.accepts_uploads = True  # type: ignore[attr-defined]
    return view


def _refusal(status: int, heading: str, limit: int) -> HttpResponse:
    # A page of its own, without the base template: nothing about the viewer is known yet.
    body = render_to_string("request_refused.html", {"heading": heading, "limit": size_text(limit)})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


class RequestBodyLimit:
    """413 for a body over the limit, 411 for a body without a length (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The largest limit first, before any other middleware runs: a 400 MB body is refused here
        # whatever the URL; `process_view` then holds the body to the view's own limit.
        length = _content_length(request)
        if length is None:
            if request.META.get("HTTP_TRANSFER_ENCODING", "").strip():
                return _refusal(411, "Send the request with its length", settings.REQUEST_BODY_MAX_BYTES)
        elif length > settings.UPLOAD_REQUEST_BODY_MAX_BYTES:
            return _too_large(settings.UPLOAD_REQUEST_BODY_MAX_BYTES)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # Called before every other middleware's process_view (this one is first), so before CSRF
        # reads the form.
        limit = (
            settings.UPLOAD_REQUEST_BODY_MAX_BYTES
            if getattr(view, "accepts_uploads", False)
            else settings.REQUEST_BODY_MAX_BYTES
        )
        length = _content_length(request)
        if length is not None and length > limit:
            return _too_large(limit)
        return None


def _too_large(limit: int) -> HttpResponse:
    return _refusal(413, "The request is too large", limit)


def _content_length(request: HttpRequest) -> int | None:
    """The body's declared length; None without one. A malformed value counts as too large."""
    value = request.META.get("CONTENT_LENGTH", "")
    if value in ("", None):
        return None
    try:
        length = int(value)
    except ValueError:
        return settings.UPLOAD_REQUEST_BODY_MAX_BYTES + 1
    return length if length >= 0 else settings.UPLOAD_REQUEST_BODY_MAX_BYTES + 1


class PrivateNoStore:
    """``Cache-Control: private, no-store`` on every response to a signed-in viewer, unless set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read before the view: signing out ends the session, and its response still shows a page.
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        if not signed_in:
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
        if signed_in and "Cache-Control" not in response:
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
