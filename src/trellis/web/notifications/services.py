"""Writing notifications and mailing them.

`notify` writes the rows in the caller's transaction and, when it commits, queues one mail task
for them (`tasks.notifications_mail_queued`, ids only): a mail is never sent for a notification
that was rolled back. `notifications_mail` is the one sender: over one connection, each
notification records `mailed_at` or why not (`mail_error`). Reading one's notifications is the
only other write (`notification_mark_read`, `notifications_mark_all_read`).

`notify_selected` is the same write for a whole selection of people at once (a cycle's
participants): one INSERT … SELECT of the rows and one of their audit events, never loading the
people, so opening a cycle for 100,000 people costs the queries of six.

The `notify_*` functions word each kind once, for the services that have something to say: a cycle
opened (`reviews.cycle_services.cycle_open`), results shared (`cycle_advance` to shared, and a
sign-off while shared), a promotion nomination decided (`promotions.services.nomination_decide`),
peer feedback requested (`reviews.feedback_services`); the reminders are `reminders.py`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, Exists, OuterRef, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from trellis.framework import wording
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import AuditEntry, audit_record_many, audit_record_selected
from trellis.web.mail import MailResult, mail_each
from trellis.web.notifications.models import (
    NOTIFICATION_BODY_MAX_LENGTH,
    NOTIFICATION_TITLE_MAX_LENGTH,
    Notification,
)
from trellis.web.people.models import Person
from trellis.web.promotions.models import Nomination
from trellis.web.reviews.models import CycleParticipant, ReviewCycle

Kind = Notification.Kind

#: The most notifications one mail task sends: a cycle of 100,000 people is mailed by many tasks,
#: each short, none holding a list of ids too long for one query.
MAIL_TASK_SIZE = 500


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


def notify_selected(
    *,
    recipients: QuerySet[Person],
    kind: Kind,
    message: Message,
    about: str,
    actor: User | None = None,
) -> list[int]:
    """Write a notification of `kind` saying `message` about `about` for each active person
    `recipients` selects who has none of that kind about it yet, in one INSERT … SELECT (the people
    are not loaded), audited as `notifications_write` does in one more; their mails are queued when
    the caller's transaction commits. Returns the ids written. A constant number of queries whatever
    the number of recipients. `about` is required: it is what makes a person hear once of a thing."""
    if not about:
        raise ValueError("notify_selected needs `about`: the thing each person hears of once")
    now = timezone.now()
    already = Notification.objects.filter(recipient_id=OuterRef("pk"), kind=kind, about=about)
    chosen = (
        recipients.filter(is_active=True)
        .exclude(Exists(already))
        .order_by()
        .annotate(
            notification_kind=Value(str(kind), output_field=CharField()),
            notification_title=Value(message.title[:NOTIFICATION_TITLE_MAX_LENGTH], output_field=CharField()),
            notification_body=Value(message.body[:NOTIFICATION_BODY_MAX_LENGTH], output_field=CharField()),
            notification_link=Value(message.link, output_field=CharField()),
            notification_about=Value(about, output_field=CharField()),
            notification_created_at=Value(now, output_field=DateTimeField()),
            notification_mail_error=Value("", output_field=CharField()),
        )
        .values_list(
            "pk",
            "notification_kind",
            "notification_title",
            "notification_body",
            "notification_link",
            "notification_about",
            "notification_created_at",
            "notification_mail_error",
        )
    )
    select_sql, params = chosen.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(name)
        for name in ("recipient_id", "kind", "title", "body", "link", "about", "created_at", "mail_error")
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(Notification._meta.db_table)} ({columns}) {select_sql}", params
            )
        # This write's rows: its kind and thing at its moment (anyone's earlier ones have another).
        written = Notification.objects.filter(kind=kind, about=about, created_at=now)
        ids = list(written.order_by("pk").values_list("pk", flat=True))
        if ids:
            audit_record_selected(
                actor=actor, action=AuditAction.NOTIFICATION_CREATED, targets=written, fields=("kind",)
            )
            transaction.on_commit(functools.partial(_enqueue, ids))
    return ids


def _enqueue(ids: list[int]) -> None:
    from trellis.web.notifications import tasks

    for start in range(0, len(ids), MAIL_TASK_SIZE):
        tasks.notifications_mail_queued.enqueue(notification_ids=ids[start : start + MAIL_TASK_SIZE])


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


def notify_cycle_opened(cycle: ReviewCycle, *, actor: User | None = None) -> list[int]:
    """Tell each participant of `cycle` (as it was opened) that it opened and when their
    self-assessment is due, linking to their reviews; in a constant number of queries."""
    due = cycle.self_due
    body = (
        f"Your self-assessment is due on {wording.calendar_date(due)}."
        if due
        else "Your self-assessment is open."
    )
    taking_part = CycleParticipant.objects.filter(cycle=cycle, person=OuterRef("pk"))
    return notify_selected(
        recipients=Person.objects.filter(Exists(taking_part)),
        kind=Kind.CYCLE_OPENED,
        message=Message(f"{cycle.name} has opened", body, reverse("reviews:mine")),
        about=f"cycle:{cycle.pk}",
        actor=actor,
    )


def notify_results_shared(
    cycle: ReviewCycle, *, participant_ids: Sequence[int] | None = None, actor: User | None = None
) -> list[int]:
    """Tell each participant of `cycle` whose results are shared with them (``shared_at`` set;
    only those of `participant_ids` when given) that they are, once; in a constant number of
    queries. Only the subject hears: their results are theirs."""
    shared = CycleParticipant.objects.filter(cycle=cycle, person=OuterRef("pk"), shared_at__isnull=False)
    if participant_ids is not None:
        shared = shared.filter(pk__in=list(participant_ids))
    return notify_selected(
        recipients=Person.objects.filter(Exists(shared)),
        kind=Kind.RESULTS_SHARED,
        message=Message(
            f"Your results of {cycle.name} are shared",
            "Your calibrated ratings and your manager's comments are ready to read.",
            reverse("reviews:mine"),
        ),
        about=f"cycle:{cycle.pk}",
        actor=actor,
    )


def notify_nomination_decided(
    nomination: Nomination, *, nominator: Person | None, actor: User | None = None
) -> list[Notification]:
    """Tell the nominee and `nominator` (the manager who nominated, when they may still read the
    packet; the caller decides) that a promotion nomination was decided. The nominee hears the
    outcome and, for an approval, its date — what their Promotions page shows them, never the
    committee's reason; the manager hears the same and is linked to the packet, where the reason
    is. Neither text carries the reason: a mail leaves the app."""
    target = nomination.target_level_code
    approved = nomination.status == Nomination.Status.APPROVED
    when = (
        f" It takes effect on {wording.calendar_date(nomination.effective_on)}."
        if approved and nomination.effective_on is not None
        else ""
    )
    about = f"nomination:{nomination.pk}"
    person = nomination.person
    if approved:
        own = Message(f"Your promotion to {target} is approved", f"Congratulations.{when}".strip())
        theirs_title = f"{person.full_name}'s promotion to {target} is approved"
    else:
        own = Message(
            f"Your promotion case for {target}: not yet",
            "The committee decided not yet. Your manager will talk it through with you.",
        )
        theirs_title = f"{person.full_name}'s promotion case for {target}: not yet"
    items = [Outgoing(person, Kind.NOMINATION_DECIDED, Message(own.title, own.body,
                                                                reverse("promotions:index")), about)]  # fmt: skip
    if nominator is not None and nominator.pk != person.pk:
        items.append(
            Outgoing(
                nominator,
                Kind.NOMINATION_DECIDED,
                Message(
                    theirs_title,
                    f"The committee's reason is in the packet.{when}",
                    reverse("promotions:packet", kwargs={"nomination_id": nomination.pk}),
                ),
                about,
            )
        )
    return notifications_write(items=items, actor=actor)


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
