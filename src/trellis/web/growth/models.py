"""Growth: development plans toward a target level, a small OKR tree they may hang from, and the 1:1
meetings where manager and report talk about both.

A `DevelopmentPlan` belongs to its person (who owns it) and is supported by their manager; it aims at
a target level (any family, track and level of the framework, by identifier, as `Person` stores its
own). Its `Goal`s each close a competency gap (the competency's identifier, where it stood and the
proficiency aimed for) and may serve a `KeyResult`'s objective; `Action`s of several kinds carry due
dates and status, and an action may produce an `EvidenceItem` for the competency it develops.
`ProgressUpdate`s and `CheckIn`s record the way there; check-ins appear in the 1:1 guide and in the
next review cycle's forms.

An `Objective` is the company's, a team's (a manager's team) or one person's, under a parent
objective; `KeyResult`s measure it from a start to a target value (progress rolls up through
`trellis.evaluation.okr`).

A `OneOnOne` is one meeting of a manager and a report: an agenda both add to, `SharedNote`s both
read, and `PrivateNote`s that only their author ever reads — a table of their own, so that no page,
export, search or admin listing of shared notes can carry one by a missing filter. Private notes are
not registered in the admin.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

#: Longest title of a goal, action, objective or key result; longest text of an update, check-in,
#: agenda item or note.
GROWTH_TITLE_MAX_LENGTH = 200
GROWTH_TEXT_MAX_LENGTH = 4000


class Objective(models.Model):
    """An objective of the company, a team or a person, under an optional parent objective."""

    class Level(models.TextChoices):
        COMPANY = "company", "Company"
        TEAM = "team", "Team"
        PERSONAL = "personal", "Personal"

    title = models.CharField(max_length=GROWTH_TITLE_MAX_LENGTH)
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    #: The team's manager (team objectives) or the person (personal ones); None for the company's.
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="objectives"
    )
    weight = models.FloatField(default=1.0)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("level", "title", "id")
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="objective_weight_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="objective_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(level="company", owner__isnull=True)
                | (~models.Q(level="company") & models.Q(owner__isnull=False)),
                name="objective_owner_by_level",
            ),
        ]


class KeyResult(models.Model):
    """A measure of an objective: from `start_value` toward `target_value`; `current_value` None
    until measured."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=GROWTH_TITLE_MAX_LENGTH)
    start_value = models.FloatField(default=0.0)
    target_value = models.FloatField()
    current_value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    weight = models.FloatField(default=1.0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("objective", "id")
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="keyresult_weight_positive")
        ]


class DevelopmentPlan(models.Model):
    """A person's plan toward a target level; at most one active plan per person."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="development_plans")
    target_family_id = models.CharField(max_length=64)
    target_track_id = models.CharField(max_length=64)
    target_level_code = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    #: Bumped by every write, so two tabs editing one plan cannot overwrite each other unseen.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("person", "-created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="active"), name="developmentplan_one_active"
            ),
        ]


class Goal(models.Model):
    """One goal of a plan: a competency to raise to `target_proficiency` (from `from_score`, the
    demonstrated figure when the goal was set, None when it had none)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=GROWTH_TITLE_MAX_LENGTH)
    competency_id = models.CharField(max_length=64, blank=True)
    from_score = models.FloatField(null=True, blank=True)
    target_proficiency = models.PositiveSmallIntegerField(null=True, blank=True)
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    position = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("plan", "position", "id")


class Action(models.Model):
    """A step toward a goal: a course, a stretch assignment, mentoring, a cross-functional project."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course or training"
        STRETCH = "stretch", "Stretch assignment"
        MENTORING = "mentoring", "Mentoring"
        CROSS_FUNCTIONAL = "cross_functional", "Cross-functional project"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=GROWTH_TITLE_MAX_LENGTH)
    link = models.URLField(max_length=500, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    #: The evidence the action produced, recorded for the competency it develops.
    evidence = models.ForeignKey(
        "reviews.EvidenceItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("goal", "due_on", "id")
        indexes = [models.Index(fields=["status", "due_on"], name="action_due")]


class ProgressUpdate(models.Model):
    """A note on a goal's way, with how far along it is (0–100), by the person or their manager."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=GROWTH_TEXT_MAX_LENGTH)
    percent = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("goal", "-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="progressupdate_percent")
        ]


class CheckIn(models.Model):
    """A periodic look at a whole plan, by the person or their manager."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(default=timezone.localdate)
    summary = models.TextField(max_length=GROWTH_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("plan", "-happened_on", "-id")


class OneOnOne(models.Model):
    """One 1:1 meeting of a manager with a report."""

    manager = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="one_on_ones_held")
    report = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="one_on_ones")
    happens_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-happens_on", "-id")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("report")), name="oneonone_two_people"
            ),
        ]
        indexes = [models.Index(fields=["report", "-happens_on"], name="oneonone_report")]


class AgendaItem(models.Model):
    """A topic for a 1:1, added by either of its two people."""

    meeting = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=GROWTH_TITLE_MAX_LENGTH * 2)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("meeting", "created_at", "id")


class SharedNote(models.Model):
    """A note of a 1:1 that both of its people read."""

    meeting = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="shared_notes")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=GROWTH_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("meeting", "created_at", "id")


class PrivateNote(models.Model):
    """A note of a 1:1 that only its author ever reads — not the other person, not HR, not an admin.
    Read only through selectors that filter by the author first."""

    meeting = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=GROWTH_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("meeting", "created_at", "id")
        indexes = [models.Index(fields=["author", "meeting"], name="privatenote_author")]


class HeatmapSnapshot(models.Model):
    """The stored aggregates of one skills heatmap scope (`growth.heatmap_snapshots`): ``company``,
    ``family:<id>`` or ``team:<person id>``; `payload` holds what the page and the exports show
    (never a row per person) and `summary` what the page draws (every aggregate cut to its charts'
    groups), computed for the `people` of the scope from the inputs `inputs_key` fingerprints.
    Derived data: rebuilt, never edited, not audited."""

    scope_key = models.CharField(max_length=100, unique=True)
    inputs_key = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)
    summary = models.JSONField(null=True, blank=True)
    payload = models.JSONField(null=True, blank=True)
    #: The inputs key a queued refresh was asked for (empty: none queued).
    refreshing_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("scope_key",)

    def __str__(self) -> str:
        return self.scope_key
