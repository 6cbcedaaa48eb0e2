"""Inviting people to sign in: the writes (send, resend, revoke, accept) and the mail they send.

An invitation makes the person's account when they have none (`User`, no usable password, linked
by `Person.user`) or reuses their account while it has no password, stores the digest of a fresh
token (`Invitation`), and mails the link ``<base URL>/accounts/invitation/<token>/``; the link
works once, for ``settings.INVITATION_VALID_DAYS`` days, and only while it is the newest one sent.

Many people are invited in one transaction with a constant number of queries (whatever their
number); the mails go after it commits, over one connection of Django's mail backend, by one
sender (`invitations_mail`): within the request for one person, by the worker for everyone
without a sign-in (`accounts.tasks.invitations_mail_queued`), since a thousand SMTP round trips
outlast a request. Each invitation records that its mail went (`mailed_at`) or why it did not
(`mail_error`): the sign-ins page shows it queued, sent or failed, and a failed one is resent.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.invitation_models import Invitation
from trellis.web.accounts.models import User, normalize_email
from trellis.web.accounts.sign_in_status import SignInStatus, sign_in_status_expression
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import AuditEntry, audit_record, audit_record_many
from trellis.web.mail import MailResult, mail_each
from trellis.web.people.models import Person
from trellis.web.policy import Action

logger = logging.getLogger("trellis.mail")

FILE_MAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def new_token() -> str:
    """A token for one link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token. A random 256-bit token needs no salt: its digest cannot be
    reversed or guessed, and looking it up by digest tells nothing about other tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class SkipReason(models.TextChoices):
    """Why a person was not invited, as the result names it after their name."""

    LEFT = "left", "has left (inactive)"
    NO_EMAIL = "no_email", "no e-mail address"
    ACTIVE_SIGN_IN = "active_sign_in", "already has an active sign-in"
    DEACTIVATED = "deactivated", "their sign-in is deactivated"
    ALREADY_INVITED = "already_invited", "already invited (resend the invitation instead)"
    EMAIL_TAKEN = "email_taken", "another account signs in with their e-mail address"


@dataclass(frozen=True, slots=True)
class Skipped:
    person: Person
    reason: SkipReason

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.reason.label})"


@dataclass(slots=True)
class InvitationOutcome:
    """Who was invited with their mail sent, whose mail waits for the worker (`queued`), who was
    skipped and why, and whose mail failed (`not_sent`, their invitation open to resend)."""

    invited: list[Person] = field(default_factory=list)
    queued: list[Person] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_sent: list[Person] = field(default_factory=list)
    mail_error: str = ""

    def summary(self) -> str:
        """ "41 invitations are being sent; 3 skipped: Ana Lima (no e-mail address), …" """
        if self.queued:
            parts = [f"{wording.count(len(self.queued), 'invitation is', 'invitations are')} being sent"]
        else:
            parts = ["Nobody new to invite"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped: " + ", ".join(str(s) for s in self.skipped))
        return "; ".join(parts) + "."

    def summary_for_one(self) -> str:
        """What inviting one person did: "Sent an invitation to …", or why not."""
        if self.invited:
            person = self.invited[0]
            return f"Sent an invitation to {person.full_name} at {person.email}."
        if self.skipped:
            return f"{self.skipped[0].person.full_name} was not invited: {self.skipped[0].reason.label}."
        if self.not_sent:
            return (
                f"The invitation mail to {self.not_sent[0].full_name} could not be sent: the mail server "
                f"failed ({self.mail_error}). Resend it when the mail server works again."
            )
        return "Nobody was invited."


# ---- Sending -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Planned:
    person: Person
    account: User
    new_account: bool


def _candidates(people: QuerySet[Person]) -> list[Person]:
    # Locks the people (not the nullable side of the join: PostgreSQL refuses that) so that two
    # admins inviting the same person at once are queued, not both successful.
    return list(
        people.select_related("user")
        .annotate(sign_in_status=sign_in_status_expression(account="user"))
        .select_for_update(of=("self",))
        .order_by("full_name", "employee_id")
    )


def _plan(people: list[Person], *, resend: bool) -> tuple[list[_Planned], list[Skipped]]:
    """Who gets an invitation (with which account) and who is skipped: one query for the accounts
    that already use the people's addresses."""
    planned: list[_Planned] = []
    skipped: list[Skipped] = []
    emails = {normalize_email(p.email) for p in people if p.email}
    holders = {u.email: u for u in User.objects.filter(email__in=emails).select_related("person")}
    for person in people:
        status = SignInStatus(getattr(person, "sign_in_status"))  # noqa: B009 (annotated above)
        email = normalize_email(person.email or "")
        reason = None
        if not person.is_active:
            reason = SkipReason.LEFT
        elif not email:
            reason = SkipReason.NO_EMAIL
        elif status == SignInStatus.ACTIVE:
            reason = SkipReason.ACTIVE_SIGN_IN
        elif status == SignInStatus.DEACTIVATED:
            reason = SkipReason.DEACTIVATED
        elif status == SignInStatus.INVITED and not resend:
            reason = SkipReason.ALREADY_INVITED
        if reason is not None:
            skipped.append(Skipped(person, reason))
            continue
        holder = holders.get(email)
        account = person.user
        if account is None and holder is not None:
            # An account of this address that nobody uses yet is taken over; one that signs in,
            # is deactivated or belongs to someone else is not.
            holder_person = getattr(holder, "person", None)
            if holder_person is not None or holder.has_usable_password() or not holder.is_active:
                skipped.append(Skipped(person, SkipReason.EMAIL_TAKEN))
                continue
            account = holder
        elif account is not None and holder is not None and holder.pk != account.pk:
            skipped.append(Skipped(person, SkipReason.EMAIL_TAKEN))
            continue
        if account is None:
            planned.append(
                _Planned(
                    person,
                    User(email=email, full_name=person.full_name, password=make_password(None)),
                    new_account=True,
                )
            )
        else:
            account.email = email  # the person's address is the login (the HRIS may have changed it)
            planned.append(_Planned(person, account, new_account=False))
    return planned, skipped


def _write(actor: User, planned: list[_Planned], now: datetime) -> list[Invitation]:
    """The accounts, links and invitations of `planned`, audited: a constant number of queries."""
    new_accounts = [p.account for p in planned if p.new_account]
    User.objects.bulk_create(new_accounts)
    reused = [p.account for p in planned if not p.new_account]
    User.objects.bulk_update(reused, ["email"])
    relinked = [p.person for p in planned if p.person.user_id != p.account.pk]
    for item in planned:
        item.person.user = item.account
    Person.objects.bulk_update(relinked, ["user"])
    account_ids = [p.account.pk for p in planned]
    open_before = Invitation.objects.filter(
        user_id__in=account_ids, accepted_at__isnull=True, revoked_at__isnull=True
    )
    resent_to = set(open_before.values_list("user_id", flat=True))
    open_before.update(revoked_at=now)
    expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitations = Invitation.objects.bulk_create(
        Invitation(
            person=item.person,
            user=item.account,
            email=item.account.email,
            # A token nobody holds, until the sender makes the one it mails.
            token_digest=token_digest(new_token()),
            created_by=actor,
            created_at=now,
            expires_at=expires_at,
        )
        for item in planned
    )
    audit_record_many(
        actor=actor,
        entries=[
            *(
                AuditEntry(AuditAction.USER_CREATED_FOR_INVITATION, a, ("email", "full_name"))
                for a in new_accounts
            ),
            *(
                AuditEntry(
                    AuditAction.INVITATION_RESENT if i.user_id in resent_to else AuditAction.INVITATION_SENT,
                    i,
                    ("email", "expires_at"),
                )
                for i in invitations
            ),
        ],
    )
    return invitations


def accept_url(base_url: str, token: str) -> str:
    """The link of an invitation: `base_url` (scheme and host, no trailing slash) and the path."""
    return base_url.rstrip("/") + reverse("accounts:invitation_accept", kwargs={"token": token})


def _message(invitation: Invitation, token: str, *, base_url: str) -> EmailMessage:
    inviter = invitation.created_by
    context = {
        "full_name": invitation.person.full_name,
        "email": invitation.email,
        "invited_by": (inviter.full_name or inviter.email) if inviter is not None else "Your HR team",
        "link": accept_url(base_url, token),
        "expires_at": timezone.localtime(invitation.expires_at),
    }
    subject = " ".join(render_to_string("accounts/invitation_subject.txt", context).split())
    body = render_to_string("accounts/invitation_email.txt", context)
    return EmailMessage(subject=subject, body=body, to=[invitation.email])


def invitations_mail(*, invitation_ids: list[int], base_url: str) -> MailResult:
    """Mail the invitations with these ids that are open and not mailed yet, over one
    connection: each gets a fresh token (its digest stored before the mail goes), and records
    when its mail went (`mailed_at`) or why not (`mail_error`): the server's refusal of its
    address (the others still go), or the failure that stopped the connection, for it and every
    one after it. The one sender, within the request or in the worker; no
    transaction is held open while mailing."""
    invitations = list(
        Invitation.objects.filter(
            pk__in=invitation_ids, accepted_at__isnull=True, revoked_at__isnull=True, mailed_at__isnull=True
        )
        .select_related("person", "created_by")
        .order_by("person__full_name", "pk")
    )
    tokens = {invitation.pk: new_token() for invitation in invitations}
    for invitation in invitations:
        invitation.token_digest = token_digest(tokens[invitation.pk])
    Invitation.objects.bulk_update(invitations, ["token_digest"], batch_size=500)
    result = mail_each(
        Invitation,
        [
            (invitation.pk, _message(invitation, tokens[invitation.pk], base_url=base_url))
            for invitation in invitations
        ],
    )
    if result.failed:
        logger.warning(
            "the mail server failed (%s): %s not sent",
            result.error,
            wording.count(len(result.failed), "invitation"),
        )
    if result.sent:
        _log_sent(len(result.sent))
    return result


def _log_sent(count: int) -> None:
    if settings.EMAIL_BACKEND == FILE_MAIL_BACKEND:
        logger.info(
            "%s written to %s/ (development: mails are files there, not sent; open the newest)",
            wording.count(count, "invitation mail"),
            settings.EMAIL_FILE_PATH,
        )
    else:
        logger.info("%s sent", wording.count(count, "invitation mail"))


def _enqueue(invitation_ids: list[int], base_url: str) -> None:
    from trellis.web.accounts import tasks

    tasks.invitations_mail_queued.enqueue(invitation_ids=invitation_ids, base_url=base_url)


def _send(
    actor: User, people: QuerySet[Person], *, base_url: str, resend: bool, queue: bool
) -> InvitationOutcome:
    policy.require(actor, Action.USER_INVITE)
    now = timezone.now()
    with transaction.atomic():
        planned, skipped = _plan(_candidates(people), resend=resend)
        invitations = _write(actor, planned, now)
        ids = [invitation.pk for invitation in invitations]
        if queue and ids:
            # After the commit: a mail is never sent for an invitation that was not stored.
            transaction.on_commit(functools.partial(_enqueue, ids, base_url))
    outcome = InvitationOutcome(skipped=skipped)
    people_by_invitation = {
        invitation.pk: item.person for invitation, item in zip(invitations, planned, strict=True)
    }
    if queue:
        outcome.queued = [item.person for item in planned]
        return outcome
    result = invitations_mail(invitation_ids=ids, base_url=base_url)
    outcome.invited = [people_by_invitation[pk] for pk in result.sent]
    outcome.not_sent = [people_by_invitation[pk] for pk in result.failed]
    outcome.mail_error = result.error
    return outcome


def invitation_send(*, actor: User, person: Person, base_url: str, resend: bool = False) -> InvitationOutcome:
    """Invite `person` to sign in, mailing a link under `base_url`; with `resend`, also when they
    have a pending invitation, which stops working. HR and IT admins only (PermissionDenied).
    Someone who cannot be invited is in the outcome's `skipped` with the reason; nothing changes."""
    return _send(actor, Person.objects.filter(pk=person.pk), base_url=base_url, resend=resend, queue=False)


def invitation_send_to_everyone_without_sign_in(*, actor: User, base_url: str) -> InvitationOutcome:
    """Invite every active person whose status is "no sign-in" (typically after an import): the
    invitations are stored now, and their mails queued for the worker (the outcome's `queued`)."""
    policy.require(actor, Action.USER_INVITE)
    people = Person.objects.filter(is_active=True).alias(
        sign_in_status_now=sign_in_status_expression(account="user")
    )
    return _send(
        actor,
        people.filter(sign_in_status_now=SignInStatus.NONE),
        base_url=base_url,
        resend=False,
        queue=True,
    )


@transaction.atomic
def invitation_revoke(*, actor: User, person: Person) -> bool:
    """Stop `person`'s open invitation working (their account stays, without a password). False,
    and nothing written, when they have none. HR and IT admins only."""
    policy.require(actor, Action.USER_INVITE, person)
    open_invitations = list(
        Invitation.objects.select_for_update().filter(
            person=person, accepted_at__isnull=True, revoked_at__isnull=True
        )
    )
    if not open_invitations:
        return False
    now = timezone.now()
    for invitation in open_invitations:
        invitation.revoked_at = now
    Invitation.objects.bulk_update(open_invitations, ["revoked_at"])
    audit_record_many(
        actor=actor,
        entries=[AuditEntry(AuditAction.INVITATION_REVOKED, i, ("revoked_at",)) for i in open_invitations],
    )
    return True


# ---- Accepting -----------------------------------------------------------------------------------


class InvitationProblem(models.TextChoices):
    """Why a link cannot be used; the label is the heading of the page that says so."""

    UNKNOWN = "unknown", "This invitation link is not valid"
    USED = "used", "This invitation has been used already"
    EXPIRED = "expired", "This invitation has expired"
    REPLACED = "replaced", "A newer invitation replaced this one"
    REVOKED = "revoked", "This invitation was withdrawn"
    CLOSED = "closed", "This invitation no longer applies"


#: What each problem page says under its heading.
PROBLEM_EXPLANATIONS: dict[InvitationProblem, str] = {
    InvitationProblem.UNKNOWN: "Check that the whole link was copied from the e-mail. "
    "If it still does not work, ask your HR team for a new invitation.",
    InvitationProblem.USED: "Your password is set: sign in with your e-mail address and that password. "
    "If you have forgotten it, reset it from the sign-in page.",
    InvitationProblem.EXPIRED: "Invitation links work for a limited time. Ask your HR team to send a new one.",
    InvitationProblem.REPLACED: "Use the link in the most recent invitation e-mail you received.",
    InvitationProblem.REVOKED: "Ask your HR team if you think you should be able to sign in.",
    InvitationProblem.CLOSED: "Your account cannot be set up with this link any more. "
    "Ask your HR team if you think you should be able to sign in.",
}


class InvitationRefused(Exception):
    def __init__(self, problem: InvitationProblem) -> None:
        super().__init__(problem.label)
        self.problem = problem


def _check(invitation: Invitation | None, now: datetime) -> Invitation:
    if invitation is None:
        raise InvitationRefused(InvitationProblem.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationRefused(InvitationProblem.USED)
    if invitation.revoked_at is not None:
        newer = Invitation.objects.filter(user_id=invitation.user_id, created_at__gt=invitation.created_at)
        raise InvitationRefused(InvitationProblem.REPLACED if newer.exists() else InvitationProblem.REVOKED)
    if invitation.expires_at <= now:
        raise InvitationRefused(InvitationProblem.EXPIRED)
    account, person = invitation.user, invitation.person
    if (
        not account.is_active
        or not person.is_active
        or account.has_usable_password()
        or person.user_id != account.pk
    ):
        raise InvitationRefused(InvitationProblem.CLOSED)
    return invitation


def invitation_get_by_token(token: str) -> Invitation:
    """The invitation whose link carries `token`, with its account and person, if it can be
    accepted now; `InvitationRefused` naming the problem otherwise. The token is the credential:
    whoever holds the link may read whom it invites."""
    invitation = (
        Invitation.objects.select_related("user", "person").filter(token_digest=token_digest(token)).first()
    )
    return _check(invitation, timezone.now())


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the invited account's password from the link with `token` and close the invitation;
    the account is returned for signing in. `InvitationRefused` when the link cannot be used and
    ValidationError when the password fails the validators; nothing changes either way."""
    invitation = _check(
        Invitation.objects.select_for_update(of=("self",))
        .select_related("user", "person")
        .filter(token_digest=token_digest(token))
        .first(),
        timezone.now(),
    )
    account = invitation.user
    password_validation.validate_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=account, action=AuditAction.INVITATION_ACCEPTED, target=invitation, fields=["accepted_at"]
    )
    return account
