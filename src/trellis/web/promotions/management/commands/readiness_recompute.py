"""`trellis manage readiness_recompute [--as-of DATE] [--history]`: every active person's next-level
readiness, recomputed from aggregates (after an import of past cycles, or a new framework version);
with --history, also each shared or closed cycle's snapshot of its participants."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.framework.wording import count
from trellis.web.promotions.readiness_services import (
    COUNTED_PHASES,
    readiness_recompute_all,
    readiness_snapshot_cycle,
)
from trellis.web.reviews.models import ReviewCycle


class Command(BaseCommand):
    help = "Recompute every active person's readiness for their next level."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", default=None, metavar="DATE", help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--history",
            action="store_true",
            help="also keep each shared or closed cycle's readiness snapshot",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"] is not None:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of {options['as_of']!r} is not a date: write it as YYYY-MM-DD"
                ) from None
        evaluated, ready = readiness_recompute_all(as_of=as_of)
        self.stdout.write(f"{count(evaluated, 'person', 'people')} evaluated, {ready} ready")
        if options["history"]:
            cycles = ReviewCycle.objects.filter(phase__in=COUNTED_PHASES).order_by("ends_on", "pk")
            for cycle in cycles:
                kept = readiness_snapshot_cycle(cycle_id=cycle.pk)
                self.stdout.write(f"{cycle.name}: {count(kept, 'snapshot')}")
