"""Writing notifications and mailing them.

`notify` writes the rows in the caller's transaction and, when it commits, queues one mail task
for them (`tasks.notifications_mail_queued`, ids only): a mail is never sent for a notification
that was rolled back. `notifications_mail` is the one sender: over one connection, each
notification records `mailed_at` or why not (`mail_error`). Reading one's notifications is the
only other write (`notification_mark_read`, `notifications_mark_all_read`).

The `notify_*` functions word each kind once, for the services that have something to say (cycle
opened, results shared, a promotion nomination decided — wired by their owners).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.framework import wording
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import AuditEntry, audit_record_many
from trellis.web.mail import MailResult, mail_each
from trellis.web.notifications.models import (
    NOTIFICATION_BODY_MAX_LENGTH,
    NOTIFICATION_TITLE_MAX_LENGTH,
    Notification,
)
from trellis.web.people.models import Person

Kind = Notification.Kind


@dataclass(frozen=True, slots=True)
class Message:
    """What one notification says: its title, body and the path it links to."""

    title: str
    body: str = ""
    link: str = ""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One notification to write: to whom, of which kind, saying what, about which thing."""

    recipient: Person
    kind: Kind
    message: Message
    about: str = ""


def notify(
    *,
    recipients: Iterable[Person],
    kind: Kind,
    message: Message,
    about: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Write a notification of `kind` saying `message` for each active recipient (each person
    once): `notifications_write` of the same one for everyone."""
    unique = {person.pk: person for person in recipients}
    return notifications_write(
        items=[Outgoing(person, kind, message, about) for person in unique.values()], actor=actor
    )


def notifications_write(*, items: Sequence[Outgoing], actor: User | None = None) -> list[Notification]:
    """Write each notification whose recipient is active, in the caller's transaction, and queue
    their mails for when that commits; returns the notifications written.

    An item with `about` (the thing a reminder concerns, "assessment:12") whose recipient already
    has a notification of its kind about it is skipped: a person hears once of a thing. Audited as
    ``notification.created`` per row (the kind as the field; never the text). A constant number of
    queries whatever the number of items.
    """
    wanted = [item for item in items if item.recipient.is_active]
    abouts = {item.about for item in wanted if item.about}
    already: set[tuple[int, str, str]] = set()
    if abouts:
        already = set(
            Notification.objects.filter(
                recipient_id__in={item.recipient.pk for item in wanted}, about__in=abouts
            ).values_list("recipient_id", "kind", "about")
        )
    rows: dict[tuple[int, str, str], Notification] = {}
    now = timezone.now()
    for item in wanted:
        key = (item.recipient.pk, str(item.kind), item.about)
        if item.about and (key in already or key in rows):
            continue
        rows[key if item.about else (item.recipient.pk, str(item.kind), f"#{len(rows)}")] = Notification(
            recipient=item.recipient,
            kind=item.kind,
            title=item.message.title[:NOTIFICATION_TITLE_MAX_LENGTH],
            body=item.message.body[:NOTIFICATION_BODY_MAX_LENGTH],
            link=item.message.link,
            about=item.about,
            created_at=now,
        )
    if not rows:
        return []
    with transaction.atomic():
        written = Notification.objects.bulk_create(list(rows.values()))
        audit_record_many(
            actor=actor,
            entries=[AuditEntry(AuditAction.NOTIFICATION_CREATED, n, ("kind",)) for n in written],
        )
        ids = [notification.pk for notification in written]
        transaction.on_commit(functools.partial(_enqueue, ids))
    return written


def _enqueue(ids: list[int]) -> None:
    from trellis.web.notifications import tasks

    tasks.notifications_mail_queued.enqueue(notification_ids=ids)


def _mail(notification: Notification, base_url: str) -> EmailMessage:
    link = f"{base_url}{notification.link}" if notification.link else ""
    body = "\n\n".join(part for part in (notification.body, link) if part)
    return EmailMessage(subject=notification.title, body=body + "\n", to=[notification.recipient.email])


def notifications_mail(*, notification_ids: Sequence[int], base_url: str = "") -> MailResult:
    """Mail the notifications with these ids not mailed yet, over one connection, each to its
    recipient's address, recording `mailed_at` or `mail_error` per notification (a refused address
    fails alone; a failure of the connection fails the rest). Links start with `base_url`, else
    ``TRELLIS_BASE_URL``. No transaction is held open while mailing."""
    base_url = (base_url or settings.TRELLIS_BASE_URL).rstrip("/")
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, mailed_at__isnull=True)
        .select_related("recipient")
        .order_by("pk")
    )
    without_address = [n.pk for n in pending if not n.recipient.email]
    if without_address:
        Notification.objects.filter(pk__in=without_address).update(mail_error="no e-mail address")
    result = mail_each(Notification, [(n.pk, _mail(n, base_url)) for n in pending if n.recipient.email])
    return MailResult(
        sent=result.sent,
        failed=without_address + result.failed,
        error=result.error or ("no e-mail address" if without_address else ""),
    )


def notification_mark_read(*, actor: User, notification: Notification) -> bool:
    """Mark `actor`'s own notification read; False (nothing written) when it was read already.
    The selector that found it has checked it is theirs."""
    with transaction.atomic():
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if changed:
            audit_record_many(
                actor=actor, entries=[AuditEntry(AuditAction.NOTIFICATION_READ, notification, ("read_at",))]
            )
    return bool(changed)


def notifications_mark_all_read(*, actor: User, recipient: Person) -> int:
    """Mark every unread notification of `recipient` (the actor's own person) read; how many."""
    with transaction.atomic():
        unread = list(Notification.objects.filter(recipient=recipient, read_at__isnull=True).only("pk"))
        Notification.objects.filter(pk__in=[n.pk for n in unread]).update(read_at=timezone.now())
        audit_record_many(
            actor=actor, entries=[AuditEntry(AuditAction.NOTIFICATION_READ, n, ("read_at",)) for n in unread]
        )
    return len(unread)


# --- what each kind says ------------------------------------------------------------------------


def notify_cycle_opened(
    cycle: object, participants: Iterable[Person], *, link: str = ""
) -> list[Notification]:
    """Tell each participant that `cycle` (a ReviewCycle) opened and when their self-assessment
    is due."""
    due = getattr(cycle, "self_due", None)
    body = (
        f"Your self-assessment is due on {wording.calendar_date(due)}."
        if due
        else "Your self-assessment is open."
    )
    return notify(
        recipients=participants,
        kind=Kind.CYCLE_OPENED,
        message=Message(f"{cycle} has opened", body, link or reverse("home")),
        about=f"cycle:{getattr(cycle, 'pk', '')}",
    )


def notify_results_shared(cycle: object, people: Iterable[Person], *, link: str = "") -> list[Notification]:
    """Tell each person that their results of `cycle` are shared with them."""
    return notify(
        recipients=people,
        kind=Kind.RESULTS_SHARED,
        message=Message(f"Your results of {cycle} are shared", "", link or reverse("home")),
        about=f"cycle:{getattr(cycle, 'pk', '')}",
    )


def notify_nomination_decided(
    nomination: object, recipients: Iterable[Person], *, outcome: str, link: str = ""
) -> list[Notification]:
    """Tell the nominee and the nominating manager that a promotion nomination was decided
    (`outcome` as the decision words it: "approved", "not yet")."""
    return notify(
        recipients=recipients,
        kind=Kind.NOMINATION_DECIDED,
        message=Message(f"Promotion nomination decided: {outcome}", "", link or reverse("home")),
        about=f"nomination:{getattr(nomination, 'pk', '')}",
    )


def notify_peer_feedback_requested(
    *, peer: Person, subject: Person, cycle: object, link: str, actor: User | None = None
) -> list[Notification]:
    """Ask `peer` for their feedback on `subject` in `cycle` (a nomination was approved)."""
    due = getattr(cycle, "peer_due", None)
    body = f"{subject.full_name} would value your feedback in {cycle}."
    if due:
        body += f" It is due on {wording.calendar_date(due)}."
    return notify(
        recipients=[peer],
        kind=Kind.PEER_FEEDBACK_REQUESTED,
        message=Message(f"Feedback requested on {subject.full_name}", body, link),
        about=f"peer:{getattr(cycle, 'pk', '')}:{subject.pk}",
        actor=actor,
    )
