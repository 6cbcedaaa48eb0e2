"""Who is making a request, typed: the one place that reads ``request.user``.

Django types ``request.user`` loosely (any user model or an anonymous one); the views ask here so
that selectors get a `Viewer` and services get the signed-in `User` without papering over it.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from trellis.web.accounts.models import User

#: Whoever makes a request: a signed-in user or nobody (selectors take one and ask the policy).
Viewer: TypeAlias = User | AnonymousUser


def viewer(request: HttpRequest) -> Viewer:
    """The signed-in user of `request`, or an AnonymousUser (also before the authentication
    middleware has run, as in a request built by hand)."""
    user = getattr(request, "user", None)
    if isinstance(user, User):
        return user
    return user if isinstance(user, AnonymousUser) else AnonymousUser()


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of `request`, for views that write as them. Every view but the sign-in
    pages is behind `LoginRequiredMiddleware`, so an anonymous request reaching one is refused
    (PermissionDenied) rather than passed on to a service as its actor."""
    user = viewer(request)
    if not isinstance(user, User):
        raise PermissionDenied("sign in first")
    return user
