"""Who makes a request, typed: the viewer for selectors, the signed-in user for services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from trellis.web.accounts.models import User
from trellis.web.accounts.viewer import signed_in, viewer

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_gives_its_user(employee: User) -> None:
    request = RequestFactory().get("/")
    request.user = employee
    assert viewer(request) is employee
    assert signed_in(request) is employee


def test_an_anonymous_request_is_a_viewer_but_not_signed_in() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert isinstance(viewer(request), AnonymousUser)
    with pytest.raises(PermissionDenied, match="sign in first"):
        signed_in(request)


def test_a_request_without_the_authentication_middleware_is_anonymous() -> None:
    request = RequestFactory().get("/")
    assert isinstance(viewer(request), AnonymousUser)
