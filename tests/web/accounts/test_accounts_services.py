"""Account services for IT and HR admins."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.web.accounts.models import User
from trellis.web.accounts.services import user_set_active
from trellis.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_admin_deactivates_and_reactivates(it_admin: User, employee: User) -> None:
    user_set_active(actor=it_admin, user=employee, is_active=False, reason="left the company")
    assert User.objects.get(pk=employee.pk).is_active is False
    user_set_active(actor=it_admin, user=employee, is_active=True, reason="came back")
    assert User.objects.get(pk=employee.pk).is_active is True
    assert list(AuditEvent.objects.order_by("id").values_list("action", "fields")) == [
        ("user.deactivated", ["is_active"]),
        ("user.activated", ["is_active"]),
    ]


def test_no_change_writes_nothing(it_admin: User, employee: User) -> None:
    user_set_active(actor=it_admin, user=employee, is_active=True, reason="came back")
    assert AuditEvent.objects.count() == 0


def test_an_admin_cannot_lock_themselves_out(it_admin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        user_set_active(actor=it_admin, user=it_admin, is_active=False, reason="left the company")
    assert caught.value.message_dict == {"is_active": ["you cannot deactivate your own account"]}
    assert User.objects.get(pk=it_admin.pk).is_active is True
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("persona", ["employee", "manager", "coauthor"])
def test_others_cannot_manage_accounts(persona: str, personas: dict[str, User]) -> None:
    target = personas["outsider"]
    with pytest.raises(PermissionDenied):
        user_set_active(actor=personas[persona], user=target, is_active=False, reason="left the company")
    assert User.objects.get(pk=target.pk).is_active is True
    assert AuditEvent.objects.count() == 0


def test_emails_are_stored_lower_case(db: None) -> None:
    user = User.objects.create_user("  Ana.Lima@Example.COM ", "a long password", full_name="Ana Lima")
    assert user.email == "ana.lima@example.com"
    assert User.objects.get_by_natural_key("ANA.LIMA@example.com").pk == user.pk


def test_createsuperuser_makes_an_hr_and_it_admin(db: None) -> None:
    user = User.objects.create_superuser("root@example.com", "a long password", full_name="Root")
    assert (user.is_hr_admin, user.is_it_admin) == (True, True)
