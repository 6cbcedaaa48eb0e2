"""Writes to accounts, for IT and HR admins: deactivating and reactivating an account (with a
reason, through the one cascade of `accounts.leaving`), and appointing HR and IT admins."""

from __future__ import annotations

from typing import Final, Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.web import policy
from trellis.web.accounts.leaving import (
    AccountRefused,
    accounts_deactivate,
    accounts_reactivate,
    keep_an_hr_admin,
)
from trellis.web.accounts.models import AccountStatusChange, User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.policy import Action

#: The longest reason kept for a deactivation or reactivation.
REASON_MAX_LENGTH: Final = 1000

#: The roles an account holds on its own row, by the field that holds it.
Role = Literal["is_hr_admin", "is_it_admin"]
ROLE_LABELS: Final[dict[str, str]] = {"is_hr_admin": "HR admin", "is_it_admin": "IT admin"}


def _clean_reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise ValidationError({"reason": "say why (it is kept with the change)"}, code="required")
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"at most {REASON_MAX_LENGTH} characters (it has {len(cleaned)})"}, code="max_length"
        )
    return cleaned


@transaction.atomic
def user_set_active(*, actor: User, user: User, is_active: bool, reason: str) -> User:
    """Allow or stop `user` signing in, saying why. IT and HR admins only; nothing is deleted.

    Deactivating ends every session of the account and removes its roles (`accounts.leaving`);
    reactivating restores the sign-in only. Raises ValidationError on the ``reason`` field when
    it is empty, and on ``is_active`` when an admin would deactivate their own account (nobody could
    then undo it from the app) or the last active HR admin; writes nothing then, nor when the
    account is already in that state. `user` is updated in place.
    """
    policy.require(actor, Action.USER_MANAGE, user)
    if not is_active and user.pk == actor.pk:
        raise ValidationError({"is_active": "you cannot deactivate your own account"})
    cleaned = _clean_reason(reason)
    change = accounts_reactivate if is_active else accounts_deactivate
    change(actor=actor, user_ids=[user.pk], cause=AccountStatusChange.Cause.ACCOUNT, reason=cleaned)
    user.refresh_from_db(fields=["is_active", "is_hr_admin", "is_it_admin"])
    return user


@transaction.atomic
def user_set_role(*, actor: User, user: User, role: Role, held: bool) -> User:
    """Give (`held`) or take `role` (HR admin or IT admin) to `user`. HR admins only.

    Raises ValidationError on the ``user`` field for an inactive account (it holds no role) and
    when the last active HR admin would lose the role; nothing is written then, nor when nothing
    changes. Audited as ``user.role_granted`` or ``user.role_revoked`` naming the role's field.
    """
    policy.require(actor, Action.ROLES_MANAGE)
    if role not in ROLE_LABELS:
        raise ValueError(f"unknown role {role!r}")
    stored = User.objects.select_for_update().get(pk=user.pk)
    if getattr(stored, role) == held:
        return stored
    if held and not stored.is_active:
        raise ValidationError(
            {"user": f"{stored.email} cannot sign in (the account is deactivated); reactivate it first"}
        )
    if not held and role == "is_hr_admin":
        try:
            keep_an_hr_admin(leaving=[stored.pk])
        except AccountRefused as refused:
            raise ValidationError({"user": refused.message_text}) from None
    setattr(stored, role, held)
    stored.save(update_fields=[role])
    audit_record(
        actor=actor,
        action=AuditAction.USER_ROLE_GRANTED if held else AuditAction.USER_ROLE_REVOKED,
        target=stored,
        fields=[role],
    )
    setattr(user, role, held)
    return stored
