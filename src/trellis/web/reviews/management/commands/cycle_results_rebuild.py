"""`trellis manage cycle_results_rebuild`: each person's result in every shared or closed cycle,
written again from the ratings (`reviews.cycle_results`), then everyone's readiness recomputed.

For a database whose ratings were changed outside the services (raw SQL, a restore of part of
a backup): the services keep the results exact themselves."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trellis.framework.wording import count
from trellis.web.promotions.readiness_services import readiness_recompute_all
from trellis.web.reviews.cycle_results import cycle_results_rebuild
from trellis.web.reviews.models import ReviewCycle


class Command(BaseCommand):
    help = "Rebuild each person's result in every shared or closed cycle from the ratings."

    def handle(self, *args: Any, **options: Any) -> None:
        rebuilt = cycle_results_rebuild()
        names = dict(ReviewCycle.objects.filter(pk__in=list(rebuilt)).values_list("pk", "name"))
        for cycle_id, written in rebuilt.items():
            self.stdout.write(f"{names[cycle_id]}: {count(written, 'result')}")
        evaluated, ready = readiness_recompute_all()
        self.stdout.write(f"{count(evaluated, 'person', 'people')} evaluated, {ready} ready")
