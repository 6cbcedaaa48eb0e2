"""Running queued background tasks in a test as `trellis worker` runs them (django-tasks' own
database worker, one task at a time), so that a task's arguments go through the queue's JSON."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> list[DBTaskResult]:
    """Run every task waiting in the queue, oldest first; the tasks afterwards (status, return value)."""
    ran = []
    for queued in DBTaskResult.objects.ready().order_by("enqueued_at", "pk"):
        queued.claim("test-worker")
        Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
            max_tasks=1, worker_id="test-worker", excluded_queue_names=[],
        ).run_task(queued)  # fmt: skip
        queued.refresh_from_db()
        ran.append(queued)
    return ran
