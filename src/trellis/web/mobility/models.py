"""Internal mobility: open roles, projects and gigs, who fits them, and who moves.

An `Opportunity` is posted by a hiring manager: a role (a level in a family and track, filled by a
move of the person through the people services, with history), a project or a gig (short-term,
part-time, cross-functional: dates and the share of time it asks). It requires competencies at
minimum proficiencies (`OpportunityRequirement`, matched by `trellis.evaluation.matching`).

An `Application` is one person's interest in one opportunity, moved through stages; `hidden_from_manager`
keeps it from the applicant's current manager until it reaches the interview stage
(`REVEALED_FROM_STAGE`, *talking*).
Every stage change is kept (`ApplicationStageChange`), so how long a role took to fill, and whether
it was filled from inside, is measured, not remembered.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

#: Longest title of an opportunity, longest description and note.
OPPORTUNITY_TITLE_MAX_LENGTH = 200
OPPORTUNITY_TEXT_MAX_LENGTH = 8000


class Opportunity(models.Model):
    class Kind(models.TextChoices):
        ROLE = "role", "Role"
        PROJECT = "project", "Project"
        GIG = "gig", "Gig"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        CLOSED = "closed", "Closed without filling"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=OPPORTUNITY_TITLE_MAX_LENGTH)
    description = models.TextField(max_length=OPPORTUNITY_TEXT_MAX_LENGTH, blank=True)
    hiring_manager = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="opportunities"
    )
    #: A role's place in the framework (identifiers, as `Person` stores its own); blank for gigs.
    family_id = models.CharField(max_length=64, blank=True)
    track_id = models.CharField(max_length=64, blank=True)
    level_code = models.CharField(max_length=32, blank=True)
    #: The team the work is with (a gig's or project's host team; a role's team).
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    #: The share of a working week it asks, in percent (100 for a role).
    time_share = models.PositiveSmallIntegerField(default=100)
    #: How many people it takes.
    capacity = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    filled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-opened_at", "-id")
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="opportunity_capacity"),
            models.CheckConstraint(
                condition=models.Q(time_share__gte=1, time_share__lte=100), name="opportunity_time_share"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="role") | (~models.Q(family_id="") & ~models.Q(level_code="")),
                name="opportunity_role_has_level",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="opportunity_dates",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="opportunity_open")]

    def __str__(self) -> str:
        return self.title

    @property
    def time_to_fill(self) -> datetime.timedelta | None:
        """How long it took to fill: from opening to filling; None until filled."""
        if self.filled_at is None or self.opened_at is None:
            return None
        return self.filled_at - self.opened_at


class OpportunityRequirement(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="requirements")
    competency_id = models.CharField(max_length=64)
    minimum = models.FloatField()

    class Meta:
        ordering = ("opportunity", "id")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "competency_id"], name="requirement_once"),
        ]


class Application(models.Model):
    class Stage(models.TextChoices):
        SAVED = "saved", "Saved"
        INTERESTED = "interested", "Interested"
        APPLIED = "applied", "Applied"
        TALKING = "talking", "Talking"
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="applications")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.INTERESTED)
    #: Kept from the applicant's current manager until the stage reaches `REVEALED_FROM_STAGE`.
    hidden_from_manager = models.BooleanField(default=False)
    note = models.TextField(max_length=OPPORTUNITY_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("opportunity", "-stage_changed_at", "id")
        constraints = [models.UniqueConstraint(fields=["opportunity", "person"], name="application_once")]
        indexes = [models.Index(fields=["person", "stage"], name="application_person")]


#: The stage from which a hidden application is shown to the applicant's current manager.
REVEALED_FROM_STAGE = Application.Stage.TALKING


class ApplicationStageChange(models.Model):
    """One move of an application from a stage to another: who, when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, blank=True)
    to_stage = models.CharField(max_length=16)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("application", "changed_at", "id")
