"""Each person's result in each review cycle whose results count, derived from the ratings.

A `CycleResult` holds, for one person and cycle, the score of every competency rated — the
calibrated score, else the manager's — packed as text (`trellis.evaluation.cycle_results`), with the
competencies as the small codes of `CompetencyCode`. It exists so that a company-wide readiness
reads one row per person and cycle (400,000 for 100,000 people over four cycles) instead of one per
rating (4.8 million). It is derived data, never edited: `cycle_results.cycle_results_build` writes
it from the ratings, and `CycleResultBuild` records which cycles were built whole.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class CompetencyCode(models.Model):
    """The small integer (the id) that stands for one competency identifier in packed results."""

    competency_id = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"{self.pk}={self.competency_id}"


class CycleResult(models.Model):
    """One person's result in one cycle: per competency rated, the calibrated score, else the
    manager's (missing scores left out), packed."""

    cycle = models.ForeignKey("reviews.ReviewCycle", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    scores = models.TextField()

    class Meta:
        ordering = ("cycle", "person")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="cycleresult_once_per_cycle"),
        ]


class CycleResultBuild(models.Model):
    """A cycle whose results were built whole from its ratings (and kept current since)."""

    cycle = models.OneToOneField(
        "reviews.ReviewCycle", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    built_at = models.DateTimeField(default=timezone.now)
    #: The people with a result, when it was built.
    people = models.PositiveIntegerField(default=0)
