"""An invitation to sign in: a single-use link mailed to a person, where they choose a password.

Only a digest of the link's token is stored (`Invitation.token_digest`); the token itself exists in
the mail and nowhere else, so a copy of the database opens no account. The sender makes the token
when it mails the link (`invitations_mail`, in the request for one person, in the worker for many),
so the queue holds no token either; until then the digest is of a token nobody holds. At most one invitation of
an account is open (neither accepted nor revoked) at a time; sending a new one revokes the old.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.web.mail import MAIL_ERROR_MAX_LENGTH


class Invitation(models.Model):
    """One mailed link for `user` (the account of `person`), valid until `expires_at`, used once."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    #: The address the link was sent to (the person's, when it was sent).
    email = models.EmailField("e-mail address", max_length=254)
    #: SHA-256 of the token, in hexadecimal (`trellis.web.accounts.invitations.token_digest`).
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: When its mail was handed to the mail server; None while queued or after a failure.
    mailed_at = models.DateTimeField(null=True, blank=True)
    #: Why its mail could not be sent (the mail server's error); empty unless it failed.
    mail_error = models.CharField(max_length=MAIL_ERROR_MAX_LENGTH, blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_account",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation of {self.email} sent {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may have expired)."""
        return self.accepted_at is None and self.revoked_at is None
