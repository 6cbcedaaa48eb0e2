"""Ending and restoring sign-ins: the one cascade that every way of deactivating an account takes.

A person marked as left — on their profile, by an edit, by an import, later by provisioning — and an
account deactivated on the accounts page all come here, inside the caller's transaction:

- the account is made inactive,
- every session of it is deleted (`AccountSession` rows name their account, so this is one
  DELETE whatever the number of accounts; should a session escape, Django's `ModelBackend`
  refuses an inactive account at the next request anyway),
- its roles are removed: HR admin, IT admin (on the row itself) and its co-authorships,
- the change is kept as an `AccountStatusChange` (with the admin's reason) and audited by field
  names: ``user.deactivated`` naming ``is_active`` and each role removed, ``user.sessions_ended``
  when it had sessions, ``framework.coauthor_removed`` per co-authorship.

Reactivating restores the sign-in and nothing else: roles are appointed again on the roles page.
A person who rejoins gets their account back only if it was deactivated because they left (an
admin's deactivation stands).

Work is done for a set of accounts in a fixed number of queries, so the import's bulk writer
hands over all the leavers of a chunk at once. The callers check the policy; these functions
check what no caller may do: deactivate their own account, or leave no active HR admin.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from trellis.web.accounts.models import AccountSession, AccountStatusChange, User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import AuditEntry, audit_record_many
from trellis.web.frameworks.models import FamilyCoauthor

#: The roles an account holds on its own row (co-authorships are rows of `FamilyCoauthor`).
ROLE_FIELDS: Final = ("is_hr_admin", "is_it_admin")


class AccountRefused(ValidationError):
    """A deactivation or role change that would lock the company out; `user_pk` is the account at
    fault (the import names its row by it)."""

    def __init__(self, message: str, *, user_pk: int, field: str = "is_active") -> None:
        super().__init__({field: message}, code="account_refused")
        self.user_pk = user_pk
        self.message_text = message


def last_hr_admin_message(user: User) -> str:
    return (
        f"{user.full_name or user.email} is the only active HR admin; appoint another HR admin "
        "first, so that someone can still manage people"
    )


def keep_an_hr_admin(*, leaving: Collection[int]) -> None:
    """AccountRefused unless an active HR admin outside `leaving` (account keys) remains.

    The active HR admins are locked until the transaction ends, so two admins removing each other
    at the same moment cannot both succeed (SQLite serialises writers anyway).
    """
    if not leaving:
        return
    remaining = list(
        User.objects.select_for_update()
        .filter(is_active=True, is_hr_admin=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not set(remaining) - set(leaving):
        last = User.objects.get(pk=min(leaving))
        raise AccountRefused(last_hr_admin_message(last), user_pk=last.pk)


@transaction.atomic
def accounts_deactivate(
    *,
    actor: User,
    user_ids: Collection[int],
    cause: AccountStatusChange.Cause,
    reason: str = "",
) -> list[int]:
    """Deactivate the active accounts among `user_ids`, end their sessions and remove their roles,
    as the module says; returns the keys of the accounts deactivated (inactive ones are left as
    they are). Raises AccountRefused — and changes nothing — for `actor`'s own account or when no
    active HR admin would remain."""
    accounts = list(
        User.objects.select_for_update()
        .filter(pk__in=list(user_ids), is_active=True)
        .order_by("pk")
        .only("pk", *ROLE_FIELDS)
    )
    if not accounts:
        return []
    for account in accounts:
        if account.pk == actor.pk:
            raise AccountRefused("you cannot deactivate your own account", user_pk=account.pk)
    keep_an_hr_admin(leaving=[account.pk for account in accounts if account.is_hr_admin])
    keys = [account.pk for account in accounts]
    coauthorships = list(FamilyCoauthor.objects.filter(user_id__in=keys).order_by("user_id", "family_id"))
    with_sessions = set(
        AccountSession.objects.filter(user_id__in=keys).values_list("user_id", flat=True).distinct()
    )
    User.objects.filter(pk__in=keys).update(is_active=False, is_hr_admin=False, is_it_admin=False)
    AccountSession.objects.filter(user_id__in=keys).delete()
    if coauthorships:
        FamilyCoauthor.objects.filter(pk__in=[row.pk for row in coauthorships]).delete()
    AccountStatusChange.objects.bulk_create(
        AccountStatusChange(user_id=key, is_active=False, cause=cause, reason=reason, changed_by=actor)
        for key in keys
    )
    entries: list[AuditEntry] = []
    for account in accounts:
        roles = [name for name in ROLE_FIELDS if getattr(account, name)]
        entries.append(AuditEntry(AuditAction.USER_DEACTIVATED, account, ["is_active", *roles]))
        if account.pk in with_sessions:
            entries.append(AuditEntry(AuditAction.USER_SESSIONS_ENDED, account))
    entries.extend(
        AuditEntry(AuditAction.FRAMEWORK_COAUTHOR_REMOVED, row, ["user", "family_id"])
        for row in coauthorships
    )
    audit_record_many(actor=actor, entries=entries)
    return keys


@transaction.atomic
def accounts_reactivate(
    *,
    actor: User,
    user_ids: Collection[int],
    cause: AccountStatusChange.Cause,
    reason: str = "",
) -> list[int]:
    """Let the inactive accounts among `user_ids` sign in again, without any role; returns their
    keys. For a person who rejoined (`cause` PERSON_REJOINED), only accounts whose last
    deactivation was because the person left."""
    accounts = User.objects.select_for_update().filter(pk__in=list(user_ids), is_active=False).order_by("pk")
    if cause == AccountStatusChange.Cause.PERSON_REJOINED:
        last_cause = (
            AccountStatusChange.objects.filter(user=OuterRef("pk"))
            .order_by("-changed_at", "-id")
            .values("cause")[:1]
        )
        accounts = accounts.annotate(last_cause=Subquery(last_cause)).filter(
            last_cause=AccountStatusChange.Cause.PERSON_LEFT
        )
    found = list(accounts.only("pk"))
    if not found:
        return []
    keys = [account.pk for account in found]
    User.objects.filter(pk__in=keys).update(is_active=True)
    AccountStatusChange.objects.bulk_create(
        AccountStatusChange(user_id=key, is_active=True, cause=cause, reason=reason, changed_by=actor)
        for key in keys
    )
    audit_record_many(
        actor=actor,
        entries=[AuditEntry(AuditAction.USER_ACTIVATED, account, ["is_active"]) for account in found],
    )
    return keys


def people_left(*, actor: User, person_ids: Collection[int]) -> list[int]:
    """The cascade for people who became inactive (`people.leaving` calls it for every path):
    their accounts deactivated, sessions ended, roles removed. Returns the accounts' keys."""
    if not person_ids:
        return []
    user_ids = list(
        User.objects.filter(person__pk__in=list(person_ids), is_active=True).values_list("pk", flat=True)
    )
    return accounts_deactivate(actor=actor, user_ids=user_ids, cause=AccountStatusChange.Cause.PERSON_LEFT)


def people_rejoined(*, actor: User, person_ids: Collection[int]) -> list[int]:
    """For people who became active again: the accounts deactivated because they left sign in
    again (no roles). Returns the accounts' keys."""
    if not person_ids:
        return []
    user_ids = list(
        User.objects.filter(person__pk__in=list(person_ids), is_active=False).values_list("pk", flat=True)
    )
    return accounts_reactivate(
        actor=actor, user_ids=user_ids, cause=AccountStatusChange.Cause.PERSON_REJOINED
    )
