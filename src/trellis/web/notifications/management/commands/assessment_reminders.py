"""``trellis manage assessment_reminders``: queue today's reminders of assessments due or overdue.

Run it once a day (cron, a systemd timer): it enqueues `assessment_reminders_queued`, which a
`trellis worker` runs; running it twice a day notifies nobody twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trellis.web.notifications.tasks import assessment_reminders_queued


class Command(BaseCommand):
    help = "Queue the reminders of assessments due within days or overdue (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = assessment_reminders_queued.enqueue()
        self.stdout.write(f"queued the assessment reminders (task {result.id})")
