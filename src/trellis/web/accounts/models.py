"""Accounts: who can sign in. The person an account belongs to lives in `people` (``user.person``)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# Models of their own module, registered with the app by being imported here.
from trellis.web.accounts.invitation_models import Invitation as Invitation


def normalize_email(email: str) -> str:
    """The canonical form of an e-mail address: trimmed and lower-cased as a whole.

    The local part is case-sensitive in theory, but no mail system people use treats
    ``Ana@x`` and ``ana@x`` as two mailboxes, and two accounts differing only by case would be a trap.
    """
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        """An account that signs in with `email`; without a password it cannot sign in until one is set."""
        if not email:
            raise ValueError("an account needs an e-mail address")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        """What `manage.py createsuperuser` makes: an HR and IT admin (there is no Django admin site)."""
        fields.setdefault("is_hr_admin", True)
        fields.setdefault("is_it_admin", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """An account. The e-mail address is the login; there is no user name.

    Roles that are not derived from the organisation live here: HR admin and IT admin. Manager is
    derived from reporting lines and co-author from `frameworks.FamilyCoauthor`.
    """

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField("full name", max_length=200)
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive accounts cannot sign in; nothing is deleted."
    )
    is_hr_admin = models.BooleanField("HR admin", default=False)
    is_it_admin = models.BooleanField("IT admin", default=False)
    date_joined = models.DateTimeField("account created", default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ("email",)
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="user_email_lower_case"),
            models.CheckConstraint(condition=~models.Q(email=""), name="user_email_not_empty"),
            # An inactive account holds no role: deactivating removes them (`accounts.leaving`), so
            # reactivating restores the sign-in only, and no role waits in a dormant account.
            models.CheckConstraint(
                condition=models.Q(is_active=True) | models.Q(is_hr_admin=False, is_it_admin=False),
                name="user_inactive_holds_no_role",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class SignInThrottleEvent(models.Model):
    """One counted attempt: a failed sign-in or a password-reset request (see `throttle`).

    Kept in the database, not a per-process cache, so that every worker sees the same count. The
    e-mail address is stored only as a digest: the rows exist to be counted, and an address typed
    by a stranger (which may belong to no account) is not kept in the clear.
    """

    class Kind(models.TextChoices):
        SIGN_IN_FAILURE = "sign_in_failure", "Failed sign-in"
        PASSWORD_RESET = "password_reset", "Password-reset request"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    email_digest = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["kind", "email_digest", "created_at"], name="throttle_kind_email"),
            models.Index(fields=["kind", "ip", "created_at"], name="throttle_kind_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class AccountSession(AbstractBaseSession):
    """A signed-in session (Django's database session) that knows its account.

    `accounts.sessions.SessionStore` writes `user` on every save of the session, from the session's
    own ``_auth_user_id``, so the column follows sign-in, sign-out and key rotation: ending an
    account's sessions is one indexed DELETE, for one account or for every leaver of an import.
    """

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions", db_index=True
    )

    @classmethod
    def get_session_store_class(cls) -> type[Any]:
        from trellis.web.accounts.sessions import SessionStore

        return SessionStore


class AccountStatusChange(models.Model):
    """One deactivation or reactivation of an account, with why: the audit trail names fields only,
    so the reason an admin gives is kept here (readable by those who manage accounts)."""

    class Cause(models.TextChoices):
        ACCOUNT = "account", "Changed on the accounts page"
        PERSON_LEFT = "person_left", "The person left"
        PERSON_REJOINED = "person_rejoined", "The person rejoined"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="status_changes")
    is_active = models.BooleanField("active after the change")
    cause = models.CharField(max_length=20, choices=Cause.choices)
    reason = models.TextField(blank=True, max_length=1000)
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-changed_at", "-id")
        indexes: ClassVar = [models.Index(fields=["user", "-changed_at"], name="status_change_newest_first")]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(cause__in=["account", "person_left", "person_rejoined"]),
                name="accountstatuschange_cause_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(cause="account", reason=""), name="accountstatuschange_account_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'activated' if self.is_active else 'deactivated'} ({self.cause})"
