"""`trellis manage promotions_apply_due`: apply the approved promotions whose date has come (run it
daily; it is idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trellis.framework import wording
from trellis.web.promotions.tasks import apply_due


class Command(BaseCommand):
    help = "Apply the approved promotions whose effective date has come (idempotent; run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        applied = apply_due()
        self.stdout.write(f"{wording.count(applied, 'promotion')} applied")
