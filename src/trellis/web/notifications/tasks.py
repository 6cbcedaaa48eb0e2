"""Background work of the notifications app (django-tasks; `trellis worker` runs the queue).

Mails are enqueued when the transaction that wrote the notifications commits
(`services.notifications_write`), never from signals.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from trellis.web.notifications.reminders import assessment_reminders_send
from trellis.web.notifications.services import notifications_mail


@task()
def notifications_mail_queued(*, notification_ids: list[int]) -> str:
    """Mail these notifications over one connection; returns "sent N, failed M"."""
    result = notifications_mail(notification_ids=notification_ids)
    return f"sent {len(result.sent)}, failed {len(result.failed)}"


@task()
def assessment_reminders_queued() -> str:
    """Remind the authors of assessments due soon or overdue (run daily, e.g. by cron enqueuing
    it); returns how many notifications were written."""
    written = assessment_reminders_send(today=timezone.localdate())
    return f"notified {len(written)}"
