"""Background work of the promotions app (django-tasks; `trellis worker` runs the queue).

`readiness_recompute` is enqueued by `readiness_services.readiness_inputs_changed` when the
transaction that changed a person's inputs commits, `readiness_recompute_everyone` when a framework
version is published; never from signals.

An approved promotion takes effect on its date: `nomination_decide` enqueues `promotions_apply_due`
when the decision commits, to run on that date (at once for a date that has come). The same task
is also what `trellis manage promotions_apply_due` runs, daily from the scheduler of the
deployment, so a queue lost or a worker down on the day only delays a promotion. Applying is
idempotent (`Nomination.applied_at`): running it twice, or two runs at once, applies each
promotion once.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from trellis.web.promotions import readiness_services
from trellis.web.promotions.services import applying_actor, promotion_apply, promotions_due


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


@task()
def readiness_snapshot(*, cycle_id: int) -> int:
    """Keep each participant's readiness as it stood at the end of the cycle `cycle_id` (shared or
    closed); the number kept."""
    return readiness_services.readiness_snapshot_cycle(cycle_id=cycle_id)


def apply_due(today: datetime.date | None = None) -> int:
    """Apply every approved promotion whose date has come; how many were applied now."""
    on = today if today is not None else timezone.localdate()
    applied = 0
    for nomination in promotions_due(on):
        actor = applying_actor(nomination)
        if actor is None:
            continue
        if promotion_apply(actor=actor, nomination=nomination, today=on):
            applied += 1
    return applied


@task()
def promotions_apply_due() -> int:
    """Apply every approved promotion whose date has come (see `apply_due`)."""
    return apply_due()


def enqueue_apply(effective_on: datetime.date) -> None:
    """Queue `promotions_apply_due` to run on `effective_on` (at once when that day has come)."""
    if effective_on <= timezone.localdate():
        promotions_apply_due.enqueue()
        return
    start = datetime.datetime.combine(effective_on, datetime.time.min, tzinfo=timezone.get_current_timezone())
    promotions_apply_due.using(run_after=start).enqueue()
