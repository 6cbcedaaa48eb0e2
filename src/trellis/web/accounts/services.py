"""Writes to accounts, for IT and HR admins."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.policy import Action


@transaction.atomic
def user_set_active(*, actor: User, user: User, is_active: bool) -> User:
    """Allow or stop `user` signing in. IT and HR admins only; nothing is deleted.

    Raises ValidationError when an admin would deactivate their own account (nobody could then undo
    it from the app), and writes nothing when the account is already in that state.
    """
    policy.require(actor, Action.USER_MANAGE, user)
    if not is_active and user.pk == actor.pk:
        raise ValidationError({"is_active": "you cannot deactivate your own account"})
    if user.is_active == is_active:
        return user
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.USER_ACTIVATED if is_active else AuditAction.USER_DEACTIVATED,
        target=user,
        fields=["is_active"],
    )
    return user
