"""Running queued background tasks in a test as `trellis worker` runs them (django-tasks' own
database worker, one task at a time), so that a task's arguments go through the queue's JSON."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(task_path: str = "") -> list[DBTaskResult]:
    """Run every task waiting in the queue (those of the function at `task_path` only, when
    given), oldest first; the tasks afterwards (status, return value)."""
    ran = []
    waiting = DBTaskResult.objects.ready().order_by("enqueued_at", "pk")
    for queued in waiting.filter(task_path=task_path) if task_path else waiting:
        queued.claim("test-worker")
        Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
            max_tasks=1, worker_id="test-worker", excluded_queue_names=[],
        ).run_task(queued)  # fmt: skip
        queued.refresh_from_db()
        ran.append(queued)
    return ran
