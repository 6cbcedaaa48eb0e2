"""A person's sign-in status — none, invited, active, deactivated — decided in one place.

The status is computed by the database (`sign_in_status_expression`), so a list of any length gets
every status in the query that reads it, and the pages word it from one enumeration
(`SignInStatus`, whose labels are what people read).
"""

from __future__ import annotations

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from trellis.web.accounts.invitation_models import Invitation


class SignInStatus(models.TextChoices):
    """Whether a person can sign in, in the words the pages use."""

    #: No account, or an account without a password and no pending invitation (never invited, the
    #: invitation revoked or expired).
    NONE = "none", "No sign-in"
    #: An account without a password and an invitation that has not expired, been used or revoked.
    INVITED = "invited", "Invited"
    #: An active account with a password.
    ACTIVE = "active", "Active"
    #: An account that may not sign in (`User.is_active` false), whatever its password.
    DEACTIVATED = "deactivated", "Deactivated"


def pending_invitations(*, account: OuterRef) -> models.QuerySet[Invitation]:
    """The invitations of `account` (a reference to the outer query's account) that can still be
    accepted now."""
    return Invitation.objects.filter(
        user_id=account, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def sign_in_status_expression(*, account: str = "") -> Case:
    """The SQL expression of a `SignInStatus` value, for ``annotate``: of the account itself
    (``account=""``, on `User`) or of the account at the relation `account` (``"user"``, on `Person`)."""
    prefix = f"{account}__" if account else ""
    key = f"{account}__pk" if account else "pk"
    return Case(
        *([When(**{f"{account}__isnull": True}, then=Value(SignInStatus.NONE))] if account else []),
        When(**{f"{prefix}is_active": False}, then=Value(SignInStatus.DEACTIVATED)),
        When(
            ~Q(**{f"{prefix}password__startswith": UNUSABLE_PASSWORD_PREFIX}), then=Value(SignInStatus.ACTIVE)
        ),
        When(Exists(pending_invitations(account=OuterRef(key))), then=Value(SignInStatus.INVITED)),
        default=Value(SignInStatus.NONE),
        output_field=models.CharField(),
    )
