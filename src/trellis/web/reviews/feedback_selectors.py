"""The reads of peer and upward feedback and of continuous evidence, each scoped by the viewer.

What each viewer sees of the peer feedback on a participant (`feedback_summary`):

- the **subject**: the answers aggregated (`trellis.evaluation.feedback`) and only once at least
  ``cycle.peer_minimum`` peers submitted; below it nothing, not even how many answered;
- their **cycle manager and skip level**: the same aggregate, and who answered (not who wrote what)
  only when the cycle shows peer names to managers;
- **HR**: everything, each answer with its author.

Upward feedback on a manager is aggregated above the same threshold for the manager, their managers
and HR, and its authors are shown to nobody. "Management competencies" are those of the manager's
own track in the cycle's framework version when it is a management track; for a manager on an IC
track (a lead with reports), those of their family's first management track; a family without a
management track has none, and asks no upward feedback.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from trellis.evaluation.feedback import AggregatedFeedback, Answer, CompetencyFeedback, aggregate, authors_of
from trellis.evaluation.readiness import CriterionKind, ReadinessError, plan_readiness
from trellis.framework import shaping, wording
from trellis.framework.model import Competency, Framework, TrackKind
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.authoring_selectors import version_framework_get
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.reviews.models import (
    Assessment,
    CycleParticipant,
    EvidenceItem,
    PeerNomination,
    Rating,
    ReviewCycle,
    Source,
)

# --- the cycle's framework version --------------------------------------------------------------


def framework_of_version(version: FrameworkVersion) -> Framework:
    """The parsed framework of a published version (a cycle's pinned one), parsed once per process
    (`frameworks.authoring_selectors.version_framework_get`). Shared: read it, never modify it."""
    return version_framework_get(version=version)


def _competencies(framework: Framework, family_id: str, track_id: str) -> list[Competency]:
    family = framework.family(family_id)
    track = family.track(track_id) if family is not None else None
    if family is None or track is None:
        return []
    return framework.competencies_for(family, track)


def assessment_competency_ids(participant: CycleParticipant) -> list[str]:
    """The competencies a participant is assessed on: their track's, in the cycle's version."""
    framework = framework_of_version(participant.cycle.framework_version)
    return [c.id for c in _competencies(framework, participant.family_id, participant.track_id)]


def management_competencies(framework: Framework, family_id: str, track_id: str) -> list[Competency]:
    """A manager's management competencies (see the module's docstring): their own track's when it
    is a management track, else their family's first management track's; none without one."""
    family = framework.family(family_id)
    if family is None:
        return []
    own = family.track(track_id)
    if own is not None and own.kind == TrackKind.MANAGEMENT:
        return framework.competencies_for(family, own)
    management = next((track for track in family.tracks if track.kind == TrackKind.MANAGEMENT), None)
    return framework.competencies_for(family, management) if management is not None else []


def upward_competency_ids(*, cycle: ReviewCycle, manager: Person) -> list[str]:
    """The competencies `manager`'s reports give upward feedback on in `cycle`: from the manager's
    place in the cycle (their participation) or, when they are not reviewed in it, their place now."""
    place = CycleParticipant.objects.filter(cycle=cycle, person=manager).values_list(
        "family_id", "track_id"
    ).first() or (manager.family_id, manager.track_id)
    framework = framework_of_version(cycle.framework_version)
    return [c.id for c in management_competencies(framework, *place)]


def _competency_names(framework: Framework, family_id: str) -> dict[str, str]:
    family = framework.family(family_id)
    return {cid: competency.name for cid, competency in shaping.competencies_by_id(framework, family).items()}


# --- participants and nominations ---------------------------------------------------------------


def feedback_participant_get(*, viewer: Viewer, cycle_id: int, person_id: int) -> CycleParticipant:
    """A participant of a cycle whose feedback the viewer may see or nominate peers for; 404 else."""
    participant = (
        CycleParticipant.objects.select_related("cycle__framework_version", "person", "manager")
        .filter(cycle_id=cycle_id, person_id=person_id)
        .first()
    )
    if participant is None or not (
        policy.can(viewer, Action.PEER_FEEDBACK_VIEW, participant)
        or policy.can(viewer, Action.PEER_NOMINATE, participant)
    ):
        raise Http404("no such participant")
    return participant


def nomination_list(*, viewer: Viewer, participant: CycleParticipant) -> list[PeerNomination]:
    """The peers nominated for `participant`, oldest first, with who nominated and decided."""
    policy.require_visible(viewer, Action.PEER_FEEDBACK_VIEW, participant)
    return list(
        PeerNomination.objects.filter(cycle_id=participant.cycle_id, subject_id=participant.person_id)
        .select_related("peer", "nominated_by", "decided_by")
        .order_by("created_at", "pk")
    )


def nomination_get(*, viewer: Viewer, nomination_id: int) -> tuple[PeerNomination, CycleParticipant]:
    """A nomination and its participant, for those who see the participant's feedback; 404 else."""
    nomination = PeerNomination.objects.select_related("peer", "subject").filter(pk=nomination_id).first()
    if nomination is None:
        raise Http404("no such nomination")
    participant = feedback_participant_get(
        viewer=viewer, cycle_id=nomination.cycle_id, person_id=nomination.subject_id
    )
    return nomination, participant


# --- the viewer's own feedback to give ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpwardOption:
    """A cycle in which the viewer may give (or has begun) upward feedback on their cycle manager."""

    participant: CycleParticipant
    assessment: Assessment | None


@dataclass(frozen=True, slots=True)
class FeedbackRequests:
    peer: list[Assessment]
    #: Approved nominations of the viewer whose assessment is not made yet (approved elsewhere).
    waiting: list[PeerNomination]
    upward: list[UpwardOption]


def feedback_requests(*, viewer: Viewer) -> FeedbackRequests:
    """The peer assessments the viewer was asked for, and the upward feedback they may give, in
    cycles in their assessment phase. Four queries."""
    policy.require(viewer, Action.FEEDBACK_ANSWER)
    person = policy.viewer_person(viewer)
    if person is None:
        return FeedbackRequests([], [], [])
    mine = Assessment.objects.filter(
        author=person, source__in=[Source.PEER, Source.UPWARD], cycle__phase=ReviewCycle.Phase.ASSESSMENT
    ).select_related("cycle", "subject")
    peer = [a for a in mine if a.source == Source.PEER]
    upward_by_cycle = {a.cycle_id: a for a in mine if a.source == Source.UPWARD}
    participations = CycleParticipant.objects.filter(
        person=person,
        manager__isnull=False,
        cycle__upward_feedback=True,
        cycle__phase=ReviewCycle.Phase.ASSESSMENT,
    ).select_related("cycle", "manager")
    upward = [UpwardOption(p, upward_by_cycle.get(p.cycle_id)) for p in participations]
    answering = {(a.cycle_id, a.subject_id) for a in peer}
    waiting = [
        nomination
        for nomination in PeerNomination.objects.filter(
            peer=person, status=PeerNomination.Status.APPROVED, cycle__phase=ReviewCycle.Phase.ASSESSMENT
        ).select_related("cycle", "subject")
        if (nomination.cycle_id, nomination.subject_id) not in answering
    ]
    return FeedbackRequests(peer=peer, waiting=waiting, upward=upward)


def own_nomination_get(*, viewer: Viewer, nomination_id: int) -> PeerNomination:
    """A nomination of the viewer as a peer (to begin their feedback); 404 for anyone else's."""
    policy.require(viewer, Action.FEEDBACK_ANSWER)
    person = policy.viewer_person(viewer)
    nomination = (
        PeerNomination.objects.filter(pk=nomination_id, peer=person).first() if person is not None else None
    )
    if nomination is None:
        raise Http404("no such nomination")
    return nomination


def own_participation_get(*, viewer: Viewer, cycle_id: int) -> CycleParticipant:
    """The viewer's own participation in a cycle (to give upward feedback); 404 when none."""
    policy.require(viewer, Action.FEEDBACK_ANSWER)
    person = policy.viewer_person(viewer)
    participant = (
        CycleParticipant.objects.select_related("cycle__framework_version", "manager")
        .filter(cycle_id=cycle_id, person=person)
        .first()
        if person is not None
        else None
    )
    if participant is None:
        raise Http404("you are not in this cycle")
    return participant


@dataclass(frozen=True, slots=True)
class AnswerRow:
    rating: Rating
    name: str


@dataclass(frozen=True, slots=True)
class AnswerForm:
    """A peer or upward assessment as its author answers it: each rating with its competency's
    name, and the rating scale's points."""

    assessment: Assessment
    rows: list[AnswerRow]
    scale: list[tuple[int, str]]


def answer_get(*, viewer: Viewer, assessment_id: int) -> AnswerForm:
    """The viewer's own peer or upward assessment to answer; 404 for anyone else's, HR included
    (an answer is its author's alone). Two queries."""
    policy.require(viewer, Action.FEEDBACK_ANSWER)
    person = policy.viewer_person(viewer)
    assessment = (
        Assessment.objects.select_related("cycle__framework_version", "subject")
        .filter(pk=assessment_id, author=person, source__in=[Source.PEER, Source.UPWARD])
        .first()
        if person is not None
        else None
    )
    if assessment is None:
        raise Http404("no such feedback")
    framework = framework_of_version(assessment.cycle.framework_version)
    names = _competency_names(framework, assessment.subject.family_id)
    ratings = list(assessment.ratings.order_by("pk"))
    return AnswerForm(
        assessment=assessment,
        rows=[
            AnswerRow(r, names.get(r.competency_id, shaping.placeholder(r.competency_id).name))
            for r in ratings
        ],
        scale=[(point.value, point.label) for point in framework.scale.points],
    )


# --- what each viewer sees of the answers -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedAnswer:
    """One answer with its author: for HR only."""

    author: str
    competency: str
    score: int | None
    comment: str


@dataclass(frozen=True, slots=True)
class FeedbackView:
    """One source's feedback (peer or upward) on a participant as the viewer may see it.

    `aggregated` is None below the threshold; `answered` (how many submitted) is None for the
    subject below it. `authors` lists who answered when the viewer may know; `answers` are the
    individual answers for HR (peer only).
    """

    source: Source
    minimum: int
    answered: int | None
    aggregated: AggregatedFeedback | None
    names: dict[str, str]
    authors: list[str] | None
    answers: list[NamedAnswer] | None

    @property
    def rows(self) -> list[tuple[str, CompetencyFeedback, str]]:
        """Each competency's summary with its name and its mean in words ("3.67"; "" without
        ratings), in the rubric's order."""
        if self.aggregated is None:
            return []
        return [
            (
                self.names.get(c.competency_id, c.competency_id),
                c,
                wording.number(round(c.mean, 2)) if c.mean is not None else "",
            )
            for c in self.aggregated.competencies
        ]


def _submitted_answers(cycle_id: int, subject_id: int, source: Source) -> tuple[list[Answer], list[Rating]]:
    ratings = list(
        Rating.objects.filter(
            cycle_id=cycle_id, subject_id=subject_id, source=source, assessment__submitted_at__isnull=False
        )
        .select_related("assessment__author")
        .order_by("assessment_id", "competency_id")
    )
    answers = [
        Answer(
            author=r.assessment.author_id or 0,
            competency_id=r.competency_id,
            score=r.score,
            comment=r.comment,
        )
        for r in ratings
    ]
    return answers, ratings


def _feedback_view(
    viewer: Viewer,
    participant: CycleParticipant,
    source: Source,
    competency_ids: list[str],
    framework: Framework,
) -> FeedbackView:
    cycle = participant.cycle
    answers, ratings = _submitted_answers(cycle.pk, participant.person_id, source)
    names = _competency_names(framework, participant.family_id)
    person = policy.viewer_person(viewer)
    is_subject = person is not None and person.pk == participant.person_id
    is_hr = bool(getattr(viewer, "is_hr_admin", False)) and not is_subject
    minimum = cycle.peer_minimum
    salt = f"{cycle.pk}:{participant.person_id}:{source}"
    aggregated = aggregate(answers, competency_ids=competency_ids, minimum=minimum, salt=salt)
    answered = authors_of(answers)
    if is_hr:
        # HR sees the count and the aggregate whatever the threshold (upward: still without names).
        aggregated = aggregate(answers, competency_ids=competency_ids, minimum=1, salt=salt)
    elif aggregated is None:
        return FeedbackView(source, minimum, None if is_subject else answered, None, names, None, None)
    authors = None
    individual = None
    if source == Source.PEER and policy.can(viewer, Action.PEER_FEEDBACK_NAMES, participant):
        authors = sorted({r.assessment.author.full_name for r in ratings if r.assessment.author is not None})
        if is_hr:
            individual = [
                NamedAnswer(
                    r.assessment.author.full_name if r.assessment.author else "",
                    names.get(r.competency_id, r.competency_id),
                    r.score,
                    r.comment,
                )
                for r in ratings
            ]
    return FeedbackView(source, minimum, answered, aggregated, names, authors, individual)


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    peer: FeedbackView
    #: Upward feedback on the participant as a manager, when the cycle asks for it and they have
    #: management competencies; else None.
    upward: FeedbackView | None


def feedback_summary(*, viewer: Viewer, participant: CycleParticipant) -> FeedbackSummary:
    """The peer (and upward) feedback on `participant` as the viewer may see it (see the module's
    docstring). 404 for viewers who may not see the participant's feedback."""
    policy.require_visible(viewer, Action.PEER_FEEDBACK_VIEW, participant)
    framework = framework_of_version(participant.cycle.framework_version)
    peer = _feedback_view(viewer, participant, Source.PEER, assessment_competency_ids(participant), framework)
    upward = None
    if participant.cycle.upward_feedback:
        upward_ids = [
            c.id for c in management_competencies(framework, participant.family_id, participant.track_id)
        ]
        if (
            upward_ids
            and CycleParticipant.objects.filter(
                cycle=participant.cycle, manager_id=participant.person_id
            ).exists()
        ):
            upward = _feedback_view(viewer, participant, Source.UPWARD, upward_ids, framework)
    return FeedbackSummary(peer=peer, upward=upward)


# --- evidence -----------------------------------------------------------------------------------


def evidence_competencies(*, viewer: Viewer, subject: Person) -> dict[str, Competency]:
    """The competencies evidence about `subject` may be tagged with: their family's (core and
    functional) in the published framework; none before the first publication."""
    published = framework_published_get(viewer=viewer)
    if published is None:
        return {}
    family = published.framework.family(subject.family_id)
    return shaping.competencies_by_id(published.framework, family)


def evidence_scope_items(*, viewer: Viewer, subject: Person) -> list[str]:
    """The scope evidence items an evidence item about `subject` may say it demonstrates: those
    the promotion criteria into their next level ask for in the published framework (readiness's
    "scope evidence" criterion, matched by `trellis.evaluation.readiness.evidence_key`), in the
    framework's order and words; none at the top of a track, for a level the framework lacks, or
    before the first publication."""
    published = framework_published_get(viewer=viewer)
    if published is None:
        return []
    try:
        plan = plan_readiness(
            published.framework, family=subject.family_id, track=subject.track_id, level=subject.level_code
        )
    except ReadinessError:  # NothingToEvaluate (the top of a track) included
        return []
    return [r.subject for r in plan.requirements if r.kind is CriterionKind.SCOPE_EVIDENCE]


def _evidence_visible(viewer: Viewer, subject: Person) -> QuerySet[EvidenceItem]:
    """Evidence about `subject` the viewer may read: all of it for the subject, their managers and
    HR; only what they wrote themselves for anyone else."""
    items = EvidenceItem.objects.filter(subject=subject).select_related("author", "subject")
    if policy.can(viewer, Action.EVIDENCE_VIEW, subject):
        return items
    person = policy.viewer_person(viewer)
    return items.filter(author=person) if person is not None else items.none()


def evidence_for_cycle(*, viewer: Viewer, subject: Person, since: datetime.date | None) -> list[EvidenceItem]:
    """Evidence about `subject` that happened on or after `since` (all of it when None), newest
    first, as the viewer may read it: for the assessment form. One query."""
    items = _evidence_visible(viewer, subject)
    if since is not None:
        items = items.filter(occurred_on__gte=since)
    return list(items.order_by("-occurred_on", "-id"))


def evidence_person_get(*, viewer: Viewer, person_id: int) -> Person:
    """A person whose evidence page the viewer may open; 404 for anyone else."""
    person = Person.objects.filter(pk=person_id).select_related("manager").first()
    if person is None or not policy.can(viewer, Action.EVIDENCE_VIEW, person):
        raise Http404("no such person")
    return person


def evidence_mine(*, viewer: Viewer) -> QuerySet[EvidenceItem]:
    """Evidence about the viewer and evidence they recorded about others, newest first."""
    person = policy.viewer_person(viewer)
    if person is None:
        return EvidenceItem.objects.none()
    return (
        EvidenceItem.objects.filter(Q(subject=person) | Q(author=person))
        .select_related("author", "subject")
        .order_by("-occurred_on", "-id")
    )


def evidence_subject_find(*, viewer: Viewer, email: str) -> Person | None:
    """The active person with this e-mail address (to record evidence about), or None."""
    policy.require(viewer, Action.EVIDENCE_RECORD)
    address = email.strip()
    if not address:
        return None
    return Person.objects.filter(email__iexact=address, is_active=True).first()
