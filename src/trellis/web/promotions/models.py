"""Promotion readiness, kept current per person and target level, and promotions themselves.

`Readiness` is the current evaluation of one person against one target level — by default their
next level — as `trellis.evaluation` computed it: per criterion met or not and the figures, stored as
data (`criteria`) and worded again on display (`readiness_services.readiness_worded`), so pages show it
without evaluating. `ReadinessSnapshot` keeps its history per cycle.

A promotion starts as a `Nomination` (by the manager; an employee may ask for the conversation),
gathers `Endorsement`s (the manager's case, a skip-level endorsement), and is decided by a
`PromotionCommittee` member with a reason. An approved promotion takes effect on its date and enters
the person's level history through the people services. Targets are the framework's identifiers.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

#: Longest text of a manager's case, an endorsement note or a decision's reason.
PROMOTION_TEXT_MAX_LENGTH = 8000


class Readiness(models.Model):
    """The current readiness of a person for one target level (the next level, or one they chose)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="readiness")
    target_family_id = models.CharField(max_length=64)
    target_track_id = models.CharField(max_length=64)
    target_level_code = models.CharField(max_length=32)
    #: The target is the person's next level on their own track (the default every person has).
    is_next_level = models.BooleanField(default=True)
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ready = models.BooleanField(default=False)
    met_count = models.PositiveSmallIntegerField(default=0)
    criteria_count = models.PositiveSmallIntegerField(default=0)
    #: The result's figures (`trellis.evaluation.readiness.Figures`: met and actual per criterion, and the
    #: standing); `readiness_services.readiness_worded` gives them back with their words.
    criteria = models.JSONField(default=list, blank=True)
    #: The figures as bytes, equal exactly when `criteria` is (`CohortResult.fingerprint`, after the
    #: level evaluated from): how a recomputation finds the rows it need not write again.
    figures_key = models.BinaryField(default=b"", blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("person", "target_family_id", "target_track_id", "target_level_code")
        verbose_name_plural = "readiness"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "target_family_id", "target_track_id", "target_level_code"],
                name="readiness_once_per_target",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(is_next_level=True), name="readiness_one_next_level"
            ),
            models.CheckConstraint(
                condition=models.Q(met_count__lte=models.F("criteria_count")),
                name="readiness_met_within_count",
            ),
        ]
        indexes = [models.Index(fields=["is_next_level", "ready"], name="readiness_ready")]


class ReadinessSnapshot(models.Model):
    """A person's readiness for a target as it stood at the end of a cycle (or on a date)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="readiness_history")
    cycle = models.ForeignKey(
        "reviews.ReviewCycle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateField()
    target_family_id = models.CharField(max_length=64)
    target_track_id = models.CharField(max_length=64)
    target_level_code = models.CharField(max_length=32)
    ready = models.BooleanField(default=False)
    met_count = models.PositiveSmallIntegerField(default=0)
    criteria_count = models.PositiveSmallIntegerField(default=0)
    #: The average result rating the evaluation used, when there was one.
    average = models.FloatField(null=True, blank=True)
    criteria = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("person", "as_of")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cycle", "target_family_id", "target_track_id", "target_level_code"],
                name="readinesssnapshot_once_per_cycle",
            ),
            models.CheckConstraint(
                condition=models.Q(met_count__lte=models.F("criteria_count")),
                name="readinesssnapshot_met_within_count",
            ),
        ]


class PromotionCommittee(models.Model):
    """The people HR appoints to decide promotions, for every family or for the families named."""

    name = models.CharField(max_length=200, unique=True)
    #: Family identifiers this committee decides for; empty means every family.
    family_ids = models.JSONField(default=list, blank=True)
    members = models.ManyToManyField("people.Person", related_name="promotion_committees", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="promotioncommittee_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """A promotion case for one person and target level, from request or nomination to decision."""

    class Status(models.TextChoices):
        #: The employee asked for a promotion conversation; the manager has not nominated yet.
        REQUESTED = "requested", "Conversation requested"
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        NOT_YET = "not_yet", "Not yet"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="nominations")
    target_family_id = models.CharField(max_length=64)
    target_track_id = models.CharField(max_length=64)
    target_level_code = models.CharField(max_length=32)
    #: The cycle whose results the case rests on, when it rests on one.
    cycle = models.ForeignKey(
        "reviews.ReviewCycle", null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    requested_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominated_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="nominations_made"
    )
    #: The manager's case for the promotion.
    case = models.TextField(max_length=PROMOTION_TEXT_MAX_LENGTH, blank=True)
    #: The readiness result when the nomination was submitted, kept with the packet.
    readiness_at_submission = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    committee = models.ForeignKey(
        PromotionCommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: Why the committee decided as it did; a "not yet" keeps its reason so it can be followed up.
    decision_reason = models.TextField(max_length=PROMOTION_TEXT_MAX_LENGTH, blank=True)
    #: The date an approved promotion takes effect (the person's new level date).
    effective_on = models.DateField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["requested", "draft", "submitted", "approved", "not_yet", "withdrawn"]
                ),
                name="nomination_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(nominated_by=models.F("person")), name="nomination_not_by_self"
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("person")), name="nomination_not_decided_by_self"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "not_yet"]) | ~models.Q(decision_reason=""),
                name="nomination_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(effective_on__isnull=False),
                name="nomination_approved_has_date",
            ),
            # One open case per person and target: a new one starts after the last is decided.
            models.UniqueConstraint(
                fields=["person", "target_family_id", "target_track_id", "target_level_code"],
                condition=models.Q(status__in=["requested", "draft", "submitted"]),
                name="nomination_one_open_per_target",
            ),
        ]
        indexes = [models.Index(fields=["status", "person"], name="nomination_status")]


class Endorsement(models.Model):
    """The manager's or the skip-level manager's endorsement of a nomination."""

    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        SKIP_LEVEL = "skip_level", "Skip-level manager"

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="endorsements")
    endorser = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="endorsements_given")
    role = models.CharField(max_length=16, choices=Role.choices)
    note = models.TextField(max_length=PROMOTION_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("nomination", "created_at")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "role"], name="endorsement_once_per_role"),
            models.CheckConstraint(
                condition=models.Q(role__in=["manager", "skip_level"]), name="endorsement_role_known"
            ),
        ]
