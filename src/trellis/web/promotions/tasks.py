"""Background work of the promotions app (django-tasks; `trellis worker` runs the queue).

`readiness_recompute` is enqueued by `readiness_services.readiness_inputs_changed` when the
transaction that changed a person's inputs commits, `readiness_recompute_everyone` when a framework
version is published; never from signals.
"""

from __future__ import annotations

from django_tasks import task

from trellis.web.promotions import readiness_services


@task()
def readiness_recompute(*, person_ids: list[int]) -> int:
    """Recompute the next-level readiness of `person_ids` as of today; the number evaluated."""
    return readiness_services.readiness_recompute(person_ids=person_ids)


@task()
def readiness_recompute_everyone() -> list[int]:
    """Recompute every active person's next-level readiness (a new framework version was
    published); [people evaluated, of whom ready]."""
    evaluated, ready = readiness_services.readiness_recompute_all()
    return [evaluated, ready]
