"""Reading people's sign-ins and invitations, for HR and IT admins (`Action.USER_INVITE`).

Only names, e-mail addresses, teams and sign-in facts are read: IT admins see no levels here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from trellis.web import policy
from trellis.web.accounts.invitation_models import Invitation
from trellis.web.accounts.sign_in_status import SignInStatus, sign_in_status_expression
from trellis.web.accounts.viewer import Viewer
from trellis.web.people.models import Person
from trellis.web.policy import Action


def person_for_invitation_get(*, viewer: Viewer, person_id: int) -> Person:
    """The person with this id; PermissionDenied unless `viewer` may invite, Http404 if none."""
    policy.require(viewer, Action.USER_INVITE)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("no such person")
    return person


def person_sign_in_list(*, viewer: Viewer, status: SignInStatus | None = None) -> QuerySet[Person]:
    """The active people by name, each annotated with ``sign_in_status`` and, when they have an
    open invitation, its ``invitation_sent_at``, ``invitation_expires_at``, ``invitation_mailed_at``
    and ``invitation_mail_error`` (see `invitation_models.mail_status`): one query for a page,
    however many people. Only those with `status`, when given. PermissionDenied unless `viewer`
    may invite people."""
    policy.require(viewer, Action.USER_INVITE)
    latest_open = Invitation.objects.filter(
        user=OuterRef("user"), accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at")
    people = (
        Person.objects.filter(is_active=True)
        .select_related("team", "user")
        .only("full_name", "email", "employee_id", "team__name", "user__is_active", "user__last_login")
        .annotate(
            sign_in_status=sign_in_status_expression(account="user"),
            invitation_sent_at=Subquery(latest_open.values("created_at")[:1]),
            invitation_expires_at=Subquery(latest_open.values("expires_at")[:1]),
            invitation_mailed_at=Subquery(latest_open.values("mailed_at")[:1]),
            invitation_mail_error=Subquery(latest_open.values("mail_error")[:1]),
        )
        .order_by("full_name", "employee_id")
    )
    if status is not None:
        people = people.filter(sign_in_status=status)
    return people


def people_without_sign_in_count(*, viewer: Viewer) -> int:
    """How many active people have no sign-in (whom "invite everyone" would reach, some of them
    perhaps skipped for want of an e-mail address)."""
    return person_sign_in_list(viewer=viewer, status=SignInStatus.NONE).count()


@dataclass(frozen=True, slots=True)
class MailCounts:
    """Open invitations whose mail waits for the worker (`queued`) or could not be sent (`failed`)."""

    queued: int
    failed: int


def invitation_mail_counts(*, viewer: Viewer) -> MailCounts:
    """How many open invitations' mails are queued and how many failed, in one query.
    PermissionDenied unless `viewer` may invite people."""
    policy.require(viewer, Action.USER_INVITE)
    unmailed = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, mailed_at__isnull=True
    )
    counts = unmailed.aggregate(
        queued=Count("pk", filter=Q(mail_error="")), failed=Count("pk", filter=~Q(mail_error=""))
    )
    return MailCounts(queued=counts["queued"], failed=counts["failed"])


def sign_in_statuses(*, viewer: Viewer, person_ids: Iterable[int]) -> dict[int, SignInStatus]:
    """Each person's sign-in status by id, in one query (none when there are no ids).
    PermissionDenied unless `viewer` may invite people."""
    policy.require(viewer, Action.USER_INVITE)
    ids = list(person_ids)
    if not ids:
        return {}
    rows = (
        Person.objects.filter(pk__in=ids)
        .annotate(sign_in_status=sign_in_status_expression(account="user"))
        .values_list("pk", "sign_in_status")
    )
    return {pk: SignInStatus(status) for pk, status in rows}
