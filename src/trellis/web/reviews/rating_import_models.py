"""An import of past cycles' ratings from a spreadsheet, from upload to result.

The job keeps the file until it is imported or discarded (a ratings history of a few thousand
people is a few megabytes), the dry run's figures (`summary`: cycles with their people and ratings)
and its problems as messages, each located by file, row and column. `status` moves only by
conditional updates, so two clicks on "import" cannot import a file twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RatingImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Checked"
        APPLIED = "applied", "Imported"
        DISCARDED = "discarded", "Discarded"

    file_name = models.CharField(max_length=255)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    #: The dry run: {"cycles": [{"name", "ends_on", "people", "ratings"}], "ratings": n, "people": n}.
    summary = models.JSONField(default=dict, blank=True)
    #: Every problem of the dry run, located ("ratings.csv, row 4, column F ("score"): …").
    problems = models.JSONField(default=list, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-uploaded_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["previewed", "applied", "discarded"]),
                name="ratingimport_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"rating import {self.pk} ({self.file_name}, {self.status})"
