"""Background work of the promotions app (django-tasks; `trellis worker` runs the queue).

`readiness_recompute` is enqueued by `readiness_services.readiness_inputs_changed` when the
transaction that changed a person's inputs commits, never from signals.
"""

from __future__ import annotations

from django_tasks import task

from trellis.web.promotions import readiness_services


@task()
def readiness_recompute(*, person_ids: list[int]) -> int:
    """Recompute the next-level readiness of `person_ids` as of today; the number evaluated."""
    return readiness_services.readiness_recompute(person_ids=person_ids)
