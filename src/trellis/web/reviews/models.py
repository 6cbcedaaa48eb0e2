"""Review cycles: assessments against a pinned framework version, peer and upward feedback,
continuous evidence, and calibration.

A cycle is pinned to one published `FrameworkVersion`: its rubric (competencies, behaviours, scale)
is that version's, whatever is published later. Each person in a cycle is a `CycleParticipant`,
with the level they held when the cycle opened. An `Assessment` is one author's view of one subject
in one cycle (self, manager, peer, upward) — or the cycle's calibrated result, which has no author —
and holds one `Rating` per competency.

Ratings repeat their assessment's cycle, subject and source so that readiness and calibration
aggregate them per person in one indexed pass over one table, without joins (9.6 million ratings
for 100,000 people over four cycles). A missing score is NULL — shown as missing, never a default.
Every rating carries a revision: a writer states the revision it read, and a conditional UPDATE
refuses the save when someone else wrote in between (no lost updates, on SQLite as on PostgreSQL).

Competencies are the framework's own identifiers (as `Person` stores its level), not foreign keys.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

#: Longest comment on one rating, and the longest text of evidence or a calibration note.
RATING_COMMENT_MAX_LENGTH = 2000
EVIDENCE_TEXT_MAX_LENGTH = 4000
CALIBRATION_TEXT_MAX_LENGTH = 4000
#: The fewest peers whose answers the subject may see (aggregated) unless a cycle asks for more.
DEFAULT_PEER_MINIMUM = 3


class ReviewCycle(models.Model):
    """A review window for a set of people, against one published framework version.

    Phases run in order; HR moves a cycle on. Self, manager, peer and upward forms are open in the
    assessment phase, each with its own due date (due dates drive reminders, they lock nothing);
    calibration locks them; sign-off and sharing follow. A cycle imported from a spreadsheet of past
    ratings is created closed.
    """

    class Phase(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        CALIBRATION = "calibration", "Calibration"
        SIGN_OFF = "sign_off", "Sign-off"
        SHARED = "shared", "Shared with employees"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="review_cycles"
    )
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.ASSESSMENT)
    #: The period the cycle reviews; `ends_on` dates its ratings for readiness ("cycles at a level").
    starts_on = models.DateField()
    ends_on = models.DateField()
    self_due = models.DateField("self-assessments due", null=True, blank=True)
    manager_due = models.DateField("manager assessments due", null=True, blank=True)
    peer_due = models.DateField("peer feedback due", null=True, blank=True)
    calibration_due = models.DateField("calibration due", null=True, blank=True)
    sign_off_due = models.DateField("sign-off due", null=True, blank=True)
    share_on = models.DateField("results shared on", null=True, blank=True)
    peer_minimum = models.PositiveSmallIntegerField(
        "fewest peer answers shown",
        default=DEFAULT_PEER_MINIMUM,
        help_text="Below this many answers, peer input is hidden from the subject entirely.",
    )
    show_peer_names_to_manager = models.BooleanField("managers see who answered", default=False)
    upward_feedback = models.BooleanField("reports give upward feedback", default=False)
    #: How the participants were chosen, as HR chose them: {"families": [...], "teams": [ids],
    #: "levels": ["family/track/level"], "everyone": bool}. A record, not a live filter.
    selection = models.JSONField(default=dict, blank=True)
    #: HR's guidance for calibration: {score as text: share from 0 to 1}. Shown, never enforced.
    target_distribution = models.JSONField(null=True, blank=True)
    is_imported = models.BooleanField("imported from a spreadsheet", default=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    phase_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-ends_on", "-id")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="reviewcycle_name_not_empty"),
            models.UniqueConstraint(fields=["name"], name="reviewcycle_name_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="reviewcycle_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(phase__in=["assessment", "calibration", "sign_off", "shared", "closed"]),
                name="reviewcycle_phase_known",
            ),
            models.CheckConstraint(
                condition=models.Q(peer_minimum__gte=1), name="reviewcycle_peer_minimum_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CycleParticipant(models.Model):
    """A person reviewed in a cycle, at the level and under the manager they had when it opened."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cycle_participations")
    family_id = models.CharField(max_length=64)
    track_id = models.CharField(max_length=64)
    level_code = models.CharField(max_length=32)
    #: The manager who assesses this person in this cycle (their manager when the cycle opened).
    manager = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="cycle_reports"
    )
    calibration_group = models.ForeignKey(
        "CalibrationGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="participants"
    )
    #: The calibration group confirmed this person's results (the "confirmed in calibration" criterion).
    calibration_confirmed_at = models.DateTimeField(null=True, blank=True)
    calibration_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("cycle", "person")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="cycleparticipant_once_per_cycle"),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("person")), name="cycleparticipant_not_own_manager"
            ),
        ]
        indexes = [models.Index(fields=["manager", "cycle"], name="cycleparticipant_manager")]

    def __str__(self) -> str:
        return f"{self.person_id} in cycle {self.cycle_id}"


class Source(models.TextChoices):
    """Who a rating comes from. Calibrated ratings are the cycle's result and have no author."""

    SELF = "self", "Self"
    MANAGER = "manager", "Manager"
    PEER = "peer", "Peer"
    UPWARD = "upward", "Upward"
    CALIBRATED = "calibrated", "Calibrated"


SOURCE_VALUES = [source.value for source in Source]


class Assessment(models.Model):
    """One author's assessment of one subject in one cycle, or the cycle's calibrated result.

    Upward feedback is an assessment of a manager (the subject) by one of their reports (the
    author), on the management competencies; its author is never shown to anyone.
    """

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="assessments")
    subject = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="assessments_received"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    author = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments_written"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("cycle", "subject", "source")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=SOURCE_VALUES), name="assessment_source_known"
            ),
            models.UniqueConstraint(
                fields=["cycle", "subject", "source", "author"],
                condition=models.Q(author__isnull=False),
                name="assessment_one_per_author",
            ),
            models.UniqueConstraint(
                fields=["cycle", "subject"],
                condition=models.Q(source="calibrated"),
                name="assessment_one_calibrated_result",
            ),
            # Only the calibrated result is authorless; a self-assessment's author is its subject.
            models.CheckConstraint(
                condition=(models.Q(source="calibrated", author__isnull=True))
                | (models.Q(source="self", author=models.F("subject")))
                | (
                    models.Q(source__in=["manager", "peer", "upward"], author__isnull=False)
                    & ~models.Q(author=models.F("subject"))
                ),
                name="assessment_author_fits_source",
            ),
        ]
        indexes = [models.Index(fields=["author", "cycle"], name="assessment_author")]

    def __str__(self) -> str:
        return f"{self.source} assessment of {self.subject_id} in cycle {self.cycle_id}"


class Rating(models.Model):
    """One competency's rating in one assessment: a score on the version's scale, or missing.

    ``cycle``, ``subject`` and ``source`` repeat the assessment's (written together by the services,
    never changed) so that company-wide aggregates read this table alone.
    """

    id = models.BigAutoField(primary_key=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=16, choices=Source.choices)
    competency_id = models.CharField(max_length=64)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(max_length=RATING_COMMENT_MAX_LENGTH, blank=True)
    #: What the rating rests on: a link, a project, a piece of feedback (free text).
    evidence = models.TextField(max_length=RATING_COMMENT_MAX_LENGTH, blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("assessment", "competency_id")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency_id"], name="rating_once_per_competency"
            ),
            models.CheckConstraint(condition=models.Q(source__in=SOURCE_VALUES), name="rating_source_known"),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="rating_revision_positive"),
        ]
        indexes = [
            # Readiness and calibration read a person's (or everyone's) ratings by subject and cycle.
            models.Index(fields=["subject", "cycle", "source"], name="rating_subject_cycle"),
            models.Index(fields=["cycle", "source"], name="rating_cycle_source"),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}={self.score} ({self.source}, assessment {self.assessment_id})"


class PeerNomination(models.Model):
    """A peer asked to give feedback on a subject in a cycle: proposed, then approved by the manager."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="peer_nominations")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="peer_nominations")
    peer = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="peer_requests")
    nominated_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("cycle", "subject", "created_at")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "subject", "peer"], name="peernomination_once"),
            models.CheckConstraint(
                condition=~models.Q(peer=models.F("subject")), name="peernomination_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["proposed", "approved", "declined"]),
                name="peernomination_status_known",
            ),
        ]
        indexes = [models.Index(fields=["peer", "cycle"], name="peernomination_peer")]


class EvidenceItem(models.Model):
    """Feedback or a win recorded about a person between cycles, tagged to competencies.

    Seen by its subject, their manager chain and HR (and its author); it appears as evidence in the
    subject's next cycle forms. ``scope`` names the promotion criterion's scope evidence statement it
    demonstrates, when it does.
    """

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", "Feedback"
        WIN = "win", "Win"

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="evidence_received")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="evidence_written")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FEEDBACK)
    text = models.TextField(max_length=EVIDENCE_TEXT_MAX_LENGTH)
    link = models.URLField(max_length=500, blank=True)
    #: Competency identifiers of the framework (a list of strings).
    competency_ids = models.JSONField(default=list, blank=True)
    scope = models.CharField("scope evidence it demonstrates", max_length=500, blank=True)
    occurred_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-occurred_on", "-id")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="evidenceitem_text_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["feedback", "win"]), name="evidenceitem_kind_known"
            ),
        ]
        indexes = [models.Index(fields=["subject", "-occurred_on"], name="evidenceitem_subject")]


class CalibrationGroup(models.Model):
    """A calibration session of one cycle: the managers who calibrate together, and their people.

    Closing it locks the calibrated ratings of its participants.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="calibration_groups")
    name = models.CharField(max_length=200)
    members = models.ManyToManyField("people.Person", related_name="calibration_groups", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("cycle", "name")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="calibrationgroup_name_unique"),
            models.CheckConstraint(condition=~models.Q(name=""), name="calibrationgroup_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "closed"]), name="calibrationgroup_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalibrationAdjustment(models.Model):
    """One change of a calibrated rating in a session: before, after, who, when and why."""

    group = models.ForeignKey(CalibrationGroup, on_delete=models.PROTECT, related_name="adjustments")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="adjustments")
    before = models.PositiveSmallIntegerField(null=True, blank=True)
    after = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(max_length=CALIBRATION_TEXT_MAX_LENGTH)
    adjusted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adjusted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("adjusted_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="calibrationadjustment_reason_required"
            ),
        ]


class CalibrationNote(models.Model):
    """A note about a person in a calibration session: seen by the group's members and HR only."""

    group = models.ForeignKey(CalibrationGroup, on_delete=models.CASCADE, related_name="notes")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=CALIBRATION_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="calibrationnote_text_not_empty"),
        ]


# The import of past ratings, and each person's result per counted cycle (derived from the
# ratings, for readiness), keep their models in modules of their own; Django finds them here.
from trellis.web.reviews.cycle_result_models import CompetencyCode as CompetencyCode  # noqa: E402
from trellis.web.reviews.cycle_result_models import CycleResult as CycleResult  # noqa: E402
from trellis.web.reviews.cycle_result_models import CycleResultBuild as CycleResultBuild  # noqa: E402
from trellis.web.reviews.rating_import_models import RatingImport as RatingImport  # noqa: E402
