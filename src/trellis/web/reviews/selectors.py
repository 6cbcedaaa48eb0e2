"""Reading review cycles and assessments, each read scoped by the policy and taking the viewer.

A cycle's rubric is its pinned version's: `cycle_framework` parses that version once per process
(a cycle outlives the version being current). Pages cost a fixed number of queries whatever the
number of participants (the cycle page is paginated; its counts are subqueries).
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from trellis.framework import browse, wording
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.authoring_selectors import version_framework_get
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.reviews.models import (
    Assessment,
    CycleParticipant,
    EvidenceItem,
    Rating,
    ReviewCycle,
    Source,
)

#: The sources written on the assessment form by their author (peer and upward plug in the same form).
FORM_SOURCES = (Source.SELF, Source.MANAGER)
#: Participants per page of a cycle's progress.
PROGRESS_PAGE_SIZE = 50

_rubrics_lock = threading.Lock()


def version_framework(version: FrameworkVersion) -> Framework:
    """The parsed framework of a published `version` (immutable), parsed once per process: the one
    parser of versions, `frameworks.authoring_selectors.version_framework_get`."""
    return version_framework_get(version=version)


def cycle_framework(cycle: ReviewCycle) -> Framework:
    """The framework a cycle is pinned to (its rubric, whatever is published later)."""
    return version_framework(cycle.framework_version)


_rubrics: dict[tuple[int, datetime.datetime, str, str, str], browse.Rubric | None] = {}


def participant_rubric(participant: CycleParticipant) -> browse.Rubric | None:
    """The rubric of `participant`'s assessments: their pinned level in the cycle's version (None
    when the version lacks it). Shaped once per process, version and level: every save reads it."""
    version = participant.cycle.framework_version
    key = (
        version.pk,
        version.published_at,
        participant.family_id,
        participant.track_id,
        participant.level_code,
    )
    if key not in _rubrics:
        rubric = browse.assessment_rubric(
            version_framework(version), participant.family_id, participant.track_id, participant.level_code
        )
        with _rubrics_lock:
            _rubrics[key] = rubric
    return _rubrics[key]


def _cycles() -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.select_related("framework_version")


# --- HR: cycles and their progress -----------------------------------------------------------------


def cycle_list(*, viewer: Viewer) -> list[ReviewCycle]:
    """Every cycle, newest first, each with ``participant_count``. HR only (PermissionDenied)."""
    policy.require(viewer, Action.CYCLE_MANAGE)
    return list(
        ReviewCycle.objects.select_related("framework_version")
        .defer("framework_version__yaml_text")
        .annotate(participant_count=Count("participants"))
    )


def cycle_get(*, viewer: Viewer, cycle_id: int) -> ReviewCycle:
    """One cycle for HR (PermissionDenied for anyone else); Http404 when there is none."""
    policy.require(viewer, Action.CYCLE_MANAGE)
    cycle = _cycles().filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("no such review cycle")
    return cycle


def _submitted(source: Source) -> Exists:
    return Exists(
        Assessment.objects.filter(
            cycle_id=OuterRef("cycle_id"),
            subject_id=OuterRef("person_id"),
            source=source,
            submitted_at__isnull=False,
        )
    )


def _rated(source: Source) -> Coalesce:
    counted = (
        Rating.objects.filter(
            cycle_id=OuterRef("cycle_id"),
            subject_id=OuterRef("person_id"),
            source=source,
            score__isnull=False,
        )
        .order_by()
        .values("subject_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def cycle_progress(*, viewer: Viewer, cycle: ReviewCycle) -> QuerySet[CycleParticipant]:
    """The cycle's participants with their progress: ``self_submitted``, ``manager_submitted``,
    ``self_rated`` and ``manager_rated`` (competencies with a score). HR only. Ordered by name;
    one query per page whatever the number of participants."""
    policy.require(viewer, Action.CYCLE_MANAGE)
    return (
        CycleParticipant.objects.filter(cycle=cycle)
        .select_related("person", "manager")
        .annotate(
            self_submitted=_submitted(Source.SELF),
            manager_submitted=_submitted(Source.MANAGER),
            self_rated=_rated(Source.SELF),
            manager_rated=_rated(Source.MANAGER),
        )
        .order_by("person__full_name", "person__employee_id")
    )


@dataclass(frozen=True, slots=True)
class CycleCounts:
    participants: int
    self_submitted: int
    manager_submitted: int
    signed_off: int
    #: Participants whose level the pinned version does not have (left out when opening; always 0
    #: for a cycle opened here, kept for imported cycles).
    without_manager: int


def cycle_counts(*, viewer: Viewer, cycle: ReviewCycle) -> CycleCounts:
    """The cycle's totals, in two queries. HR only."""
    policy.require(viewer, Action.CYCLE_MANAGE)
    totals = CycleParticipant.objects.filter(cycle=cycle).aggregate(
        participants=Count("id"),
        signed_off=Count("id", filter=Q(signed_off_at__isnull=False)),
        without_manager=Count("id", filter=Q(manager__isnull=True)),
    )
    submitted = Assessment.objects.filter(cycle=cycle, submitted_at__isnull=False).aggregate(
        self_submitted=Count("id", filter=Q(source=Source.SELF)),
        manager_submitted=Count("id", filter=Q(source=Source.MANAGER)),
    )
    return CycleCounts(**totals, **submitted)


# --- everyone: "My reviews" ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewTask:
    """One assessment the viewer writes (or wrote): whose, in which cycle, and how far it is."""

    participant: CycleParticipant
    source: Source
    assessment: Assessment | None

    @property
    def submitted(self) -> bool:
        return self.assessment is not None and self.assessment.submitted_at is not None


@dataclass(frozen=True, slots=True)
class MyReviews:
    """The viewer's own cycles (their self-assessment, and their results once shared) and the
    assessments they write as a manager. ``other_requests`` is where the peer and upward requests
    plug in (the feedback pages add their rows through the partial ``reviews/mine_requests.html``)."""

    self_assessments: list[ReviewTask]
    as_manager: list[ReviewTask]
    shared_results: list[CycleParticipant]
    other_requests: list[object] = field(default_factory=list)


def _open_or_recent() -> Q:
    return ~Q(cycle__phase=ReviewCycle.Phase.CLOSED)


def my_reviews(*, viewer: Viewer) -> MyReviews:
    """What the viewer writes and reads in the cycles that are not closed. PermissionDenied for an
    account without a person. Three queries whatever the number of reports."""
    policy.require(viewer, Action.REVIEWS_MINE)
    person = policy.viewer_person(viewer)
    if person is None:
        # An HR admin's account without a person: nothing of their own to review.
        return MyReviews(self_assessments=[], as_manager=[], shared_results=[])
    participations = list(
        CycleParticipant.objects.filter(_open_or_recent(), Q(person=person) | Q(manager=person))
        .select_related("cycle", "person")
        .order_by("-cycle__ends_on", "cycle_id", "person__full_name")
    )
    cycle_ids = {participant.cycle_id for participant in participations}
    written = {
        (assessment.cycle_id, assessment.subject_id, assessment.source): assessment
        for assessment in Assessment.objects.filter(
            cycle_id__in=cycle_ids, author=person, source__in=FORM_SOURCES
        )
    }
    mine = []
    reports = []
    shared = []
    for participant in participations:
        if participant.person_id == person.pk:
            mine.append(
                ReviewTask(
                    participant,
                    Source.SELF,
                    written.get((participant.cycle_id, person.pk, Source.SELF)),
                )
            )
            if participant.shared_at is not None:
                shared.append(participant)
        else:
            reports.append(
                ReviewTask(
                    participant,
                    Source.MANAGER,
                    written.get((participant.cycle_id, participant.person_id, Source.MANAGER)),
                )
            )
    return MyReviews(self_assessments=mine, as_manager=reports, shared_results=shared)


# --- one participant -------------------------------------------------------------------------------


def participant_get(*, viewer: Viewer, participant_id: int) -> CycleParticipant:
    """One participant with their cycle and person, for a viewer who may see that person (HR, the
    person, their manager chain now, or their manager in the cycle); Http404 for anyone else."""
    # The version's text is read only when its parsed framework is not cached yet (it never changes;
    # `version_framework`); no ordering, which would join for nothing: the autosave asks every few
    # seconds.
    participant = (
        CycleParticipant.objects.select_related("cycle__framework_version", "person", "manager")
        .defer("cycle__framework_version__yaml_text", "cycle__framework_version__change_summary")
        .filter(pk=participant_id)
        .order_by()
        .first()
    )
    if participant is None:
        raise Http404("no such participant")
    person = policy.viewer_person(viewer)
    sees = policy.can(viewer, Action.PERSON_VIEW, participant.person) or (
        person is not None and participant.manager_id == person.pk
    )
    if not sees:
        raise Http404("no such participant")
    return participant


@dataclass(frozen=True, slots=True)
class RatingView:
    """One competency of an assessment: the rubric row and the rating saved (None: not rated yet)."""

    row: browse.RubricRow
    rating: Rating | None
    evidence: list[EvidenceItem]
    #: The score in words ("3 · Proficient"), or "Not rated".
    score_text: str

    @property
    def competency_id(self) -> str:
        return self.row.competency.id

    @property
    def revision(self) -> int:
        """The revision the form read: 0 while nothing is saved."""
        return self.rating.revision if self.rating is not None else 0


@dataclass(frozen=True, slots=True)
class AssessmentSheet:
    """One assessment as its form or its read-only page shows it."""

    participant: CycleParticipant
    source: Source
    framework: Framework
    rubric: browse.Rubric | None
    assessment: Assessment | None
    rows: list[RatingView]
    #: Evidence recorded about the subject since their previous cycle, not tagged to a competency
    #: the rubric lists (tagged items are shown beside their competency).
    general_evidence: list[EvidenceItem]

    @property
    def missing(self) -> list[browse.RubricRow]:
        """The competencies without a score (shown as "Not rated", listed when submitting)."""
        return [view.row for view in self.rows if view.rating is None or view.rating.score is None]

    @property
    def submitted(self) -> bool:
        return self.assessment is not None and self.assessment.submitted_at is not None


def _previous_cycle_end(participant: CycleParticipant) -> datetime.date | None:
    """The end of the subject's latest cycle that ended before this one began."""
    return (
        CycleParticipant.objects.filter(
            person_id=participant.person_id, cycle__ends_on__lt=participant.cycle.starts_on
        )
        .exclude(cycle_id=participant.cycle_id)
        .order_by("-cycle__ends_on")
        .values_list("cycle__ends_on", flat=True)
        .first()
    )


def _evidence_since_previous_cycle(participant: CycleParticipant) -> list[EvidenceItem]:
    since = _previous_cycle_end(participant)
    items = EvidenceItem.objects.filter(subject_id=participant.person_id).select_related("author")
    if since is not None:
        items = items.filter(occurred_on__gt=since)
    return list(items.filter(occurred_on__lte=participant.cycle.ends_on))


def assessment_find(
    *, participant: CycleParticipant, source: Source, author: Person | None
) -> Assessment | None:
    """The assessment of `participant` by `author` from `source` (the calibrated result: no author)."""
    return (
        Assessment.objects.filter(
            cycle_id=participant.cycle_id, subject_id=participant.person_id, source=source, author=author
        )
        .order_by()
        .first()
    )


def assessment_sheet(
    *, viewer: Viewer, participant: CycleParticipant, source: Source, assessment: Assessment | None
) -> AssessmentSheet:
    """The rubric, the saved ratings and the subject's evidence of one assessment. The caller has
    checked the viewer may read `assessment` (or write it, when it is still None); checked again
    here when there is one. Three queries."""
    if assessment is not None:
        policy.require_visible(viewer, Action.ASSESSMENT_VIEW, assessment)
    framework = cycle_framework(participant.cycle)
    rubric = participant_rubric(participant)
    ratings = (
        {rating.competency_id: rating for rating in assessment.ratings.select_related("updated_by")}
        if assessment is not None
        else {}
    )
    evidence = _evidence_since_previous_cycle(participant)
    rubric_ids = {row.competency.id for row in rubric.rows} if rubric is not None else set()
    rows = [
        RatingView(
            row=row,
            rating=ratings.get(row.competency.id),
            evidence=[item for item in evidence if row.competency.id in (item.competency_ids or [])],
            score_text=wording.rating_or_missing(
                framework.scale,
                ratings[row.competency.id].score if row.competency.id in ratings else None,
            ),
        )
        for row in (rubric.rows if rubric is not None else ())
    ]
    general = [item for item in evidence if not rubric_ids.intersection(item.competency_ids or [])]
    return AssessmentSheet(
        participant=participant,
        source=source,
        framework=framework,
        rubric=rubric,
        assessment=assessment,
        rows=rows,
        general_evidence=general,
    )


def participant_assessments(*, viewer: Viewer, participant: CycleParticipant) -> list[Assessment]:
    """The self, manager and calibrated assessments of `participant` that the viewer may read."""
    found = Assessment.objects.filter(
        cycle_id=participant.cycle_id,
        subject_id=participant.person_id,
        source__in=(Source.SELF, Source.MANAGER, Source.CALIBRATED),
    ).select_related("cycle", "author")
    return [assessment for assessment in found if policy.can(viewer, Action.ASSESSMENT_VIEW, assessment)]
