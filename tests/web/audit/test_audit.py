"""Audit events: who, what, which record, which fields (never values), from where; append-only."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from trellis.web.accounts.models import User
from trellis.web.audit.middleware import AuditContextMiddleware, client_ip
from trellis.web.audit.models import AuditEvent
from trellis.web.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_records_actor_action_target_and_sorted_unique_fields(hr_admin: User, employee: User) -> None:
    event = audit_record(
        actor=hr_admin,
        action="person.updated",
        target=employee.person,
        fields=["title", "level_code", "title"],
    )
    stored = AuditEvent.objects.get()
    assert stored.pk == event.pk
    assert (stored.actor_id, stored.action, stored.target_type, stored.target_id) == (
        hr_admin.pk,
        "person.updated",
        "people.person",
        str(employee.person.pk),
    )
    assert stored.fields == ["level_code", "title"]
    assert stored.ip is None  # no request: a command or a task


def test_the_address_comes_from_the_request_being_served(hr_admin: User) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        audit_record(actor=hr_admin, action="settings.changed", target=None)
        return HttpResponse("ok")

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    AuditContextMiddleware(view)(request)
    assert AuditEvent.objects.get().ip == "203.0.113.7"
    audit_record(actor=hr_admin, action="settings.changed", target=None)
    assert AuditEvent.objects.order_by("-id").first().ip is None  # type: ignore[union-attr]


def test_an_explicit_request_wins(hr_admin: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8::1")
    audit_record(actor=hr_admin, action="user.activated", target=hr_admin, request=request)
    assert AuditEvent.objects.get().ip == "2001:db8::1"


def test_behind_the_proxy_the_last_forwarded_address_counts() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_ip(request) == "10.0.0.2"
    with override_settings(BEHIND_PROXY=True):
        assert client_ip(request) == "198.51.100.4"


def test_events_are_append_only(hr_admin: User) -> None:
    event = audit_record(actor=hr_admin, action="framework.published", target=None)
    event.action = "nothing.happened"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().action == "framework.published"


def test_an_event_without_an_action_is_refused(hr_admin: User) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        audit_record(actor=hr_admin, action="", target=None)
    assert AuditEvent.objects.count() == 0


def test_it_admins_read_the_log_without_values(
    login: object, it_admin: User, hr_admin: User, employee: User
) -> None:
    audit_record(actor=hr_admin, action="person.updated", target=employee.person, fields=["level_code"])
    response = login(it_admin).get("/admin/audit/")  # type: ignore[operator]
    html = response.content.decode()
    assert response.status_code == 200
    assert "<code>person.updated</code>" in html
    assert "<td>level_code</td>" in html
    assert "IC2" not in html
