"""`trellis manage readiness_recompute [--as-of DATE]`: every active person's next-level readiness,
recomputed from aggregates (after an import of past cycles, or a new framework version)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.framework.wording import count
from trellis.web.promotions.readiness_services import readiness_recompute_all


class Command(BaseCommand):
    help = "Recompute every active person's readiness for their next level."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", default=None, metavar="DATE", help="YYYY-MM-DD (default: today)")

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
