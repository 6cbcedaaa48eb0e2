"""Reading promotions, always on behalf of a viewer and limited to what the policy lets them see.

Nominations and decisions are confidential. The subject reads only `own_case_list`: their requests
and the outcome once decided — never the case, the endorsements, the readiness kept with the
packet or the committee's reason. The packet (`nomination_get`, `packet_get`) is for the subject's
managers (two levels up), the members of the committee it was submitted to, and HR.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.framework.shaping import competencies_by_id, placeholder
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.people.models import Person
from trellis.web.people.placement import place_of
from trellis.web.policy import Action
from trellis.web.promotions.models import Endorsement, Nomination, PromotionCommittee, Readiness
from trellis.web.reviews.models import EvidenceItem, Rating, ReviewCycle, Source

#: The rating sources the packet shows side by side, in this order.
PACKET_SOURCES = (Source.SELF, Source.MANAGER, Source.CALIBRATED)
#: The cycles whose ratings a packet shows: those whose results are shared (as readiness counts them),
#: never a cycle still being assessed or calibrated.
PACKET_CYCLE_PHASES = (ReviewCycle.Phase.SHARED, ReviewCycle.Phase.CLOSED)
#: The most continuous evidence items a packet lists.
PACKET_EVIDENCE_LIMIT = 50


def target_label(framework: Framework | None, family_id: str, track_id: str, level_code: str) -> str:
    """ "IC3 Senior Engineer · Engineering, Individual contributor" (the code alone when the
    framework lacks the level)."""
    place = place_of(framework, family_id=family_id, track_id=track_id, level_code=level_code)
    if place is None:
        return level_code
    return f"{wording.level_label(place.level)} · {place.family_name}, {place.track_name}"


def nomination_target(framework: Framework | None, nomination: Nomination) -> str:
    """The nomination's target level in words (`target_label`)."""
    return target_label(
        framework, nomination.target_family_id, nomination.target_track_id, nomination.target_level_code
    )


def target_choices(framework: Framework | None) -> list[tuple[str, str]]:
    """Every level of the published framework as (``family/track/level``, label): any family and
    track, crossovers included."""
    if framework is None:
        return []
    return [
        (f"{family.id}/{track.id}/{level.code}", target_label(framework, family.id, track.id, level.code))
        for family in framework.families
        for track in family.tracks
        for level in track.levels
    ]


def nomination_get(*, viewer: Viewer, nomination_id: int) -> Nomination:
    """The nomination with this id, with its person and committee; Http404 when it does not exist
    or `viewer` may not read its packet (the two are not told apart)."""
    nomination = (
        Nomination.objects.select_related(
            "person", "person__manager", "committee", "nominated_by", "decided_by"
        )
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None:
        raise Http404("no such nomination")
    policy.require_visible(viewer, Action.PROMOTION_VIEW, nomination)
    return nomination


@dataclass(frozen=True, slots=True)
class CompetencyRatings:
    """One competency's ratings in the packet's cycle: by source (None: not rated), and the
    evidence cited with them and recorded between cycles."""

    competency_id: str
    name: str
    scores: tuple[int | None, ...]
    comments: tuple[str, ...]
    evidence: tuple[str, ...]
    items: tuple[EvidenceItem, ...]


@dataclass(frozen=True, slots=True)
class Packet:
    nomination: Nomination
    target: str
    #: The readiness kept at submission (or, before, the current one) as data.
    readiness: dict[str, Any] | None
    readiness_is_current: bool
    cycle: ReviewCycle | None
    sources: tuple[str, ...]
    ratings: list[CompetencyRatings]
    #: Evidence items that name no competency the packet lists.
    other_evidence: list[EvidenceItem]
    endorsements: list[Endorsement]
    skip_level: Person | None = None


def current_readiness(nomination: Nomination) -> dict[str, Any] | None:
    """The person's current readiness for the nomination's target as data (None until computed):
    what submission keeps in `Nomination.readiness_at_submission`."""
    readiness = (
        Readiness.objects.select_related("framework_version")
        .filter(
            person_id=nomination.person_id,
            target_family_id=nomination.target_family_id,
            target_track_id=nomination.target_track_id,
            target_level_code=nomination.target_level_code,
        )
        .first()
    )
    if readiness is None:
        return None
    return {
        "ready": readiness.ready,
        "met_count": readiness.met_count,
        "criteria_count": readiness.criteria_count,
        "criteria": _worded_criteria(readiness),
        "computed_at": readiness.computed_at.isoformat(),
    }


def _worded_criteria(readiness: Readiness) -> list[dict[str, Any]]:
    """Each criterion with its words, read against the version the readiness was computed with
    (`Readiness.criteria` keeps figures only); empty when that version no longer has the move."""
    from trellis.web.frameworks.authoring_selectors import version_framework_get
    from trellis.web.promotions.readiness_services import readiness_worded

    if readiness.framework_version is None:
        return []
    framework = version_framework_get(version=readiness.framework_version)
    worded = readiness_worded(readiness, framework)
    return [criterion.to_json() for criterion in worded.criteria] if worded is not None else []


def readiness_criteria(readiness: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The criteria of a stored readiness, each with ``kind``, ``met`` and ``explanation`` (other
    keys optional); anything else in the list is left out."""
    if not readiness:
        return []
    criteria = readiness.get("criteria") or []
    return [
        {
            "kind": str(c.get("kind", "")),
            "met": bool(c.get("met")),
            "explanation": str(c.get("explanation", "")),
        }
        for c in criteria
        if isinstance(c, dict)
    ]


def packet_get(*, viewer: Viewer, nomination: Nomination, framework: Framework | None) -> Packet:
    """Everything the packet page shows about `nomination`: readiness, the ratings per competency
    of the person's latest shared cycle (self, manager, calibrated) with their evidence, continuous
    evidence, the endorsements. Http404 unless `viewer` may read the packet."""
    policy.require_visible(viewer, Action.PROMOTION_VIEW, nomination)
    person = nomination.person
    kept = nomination.readiness_at_submission
    readiness = kept if nomination.submitted_at is not None else current_readiness(nomination)
    latest = (
        Rating.objects.filter(
            subject=person,
            source__in=[s.value for s in PACKET_SOURCES],
            cycle__phase__in=PACKET_CYCLE_PHASES,
        )
        .order_by("-cycle__ends_on", "-cycle_id")
        .values_list("cycle_id", flat=True)
        .first()
    )
    cycle = ReviewCycle.objects.filter(pk=latest).first() if latest is not None else None
    by_competency: dict[str, dict[str, Rating]] = {}
    if cycle is not None:
        for rating in Rating.objects.filter(
            subject=person, cycle=cycle, source__in=[s.value for s in PACKET_SOURCES]
        ):
            by_competency.setdefault(rating.competency_id, {})[rating.source] = rating
    items = list(EvidenceItem.objects.filter(subject=person).select_related("author")[:PACKET_EVIDENCE_LIMIT])
    family = framework.family(person.family_id) if framework is not None else None
    names = competencies_by_id(framework, family) if framework is not None else {}
    order = list(by_competency)
    for item in items:
        for competency_id in item.competency_ids or []:
            if isinstance(competency_id, str) and competency_id in names and competency_id not in order:
                order.append(competency_id)
    rows = []
    listed: set[int] = set()
    for competency_id in order:
        ratings = by_competency.get(competency_id, {})
        cited = [i for i in items if competency_id in (i.competency_ids or [])]
        listed.update(i.pk for i in cited)
        rows.append(
            CompetencyRatings(
                competency_id=competency_id,
                name=(names.get(competency_id) or placeholder(competency_id)).name,
                scores=tuple(ratings[s].score if s in ratings else None for s in PACKET_SOURCES),
                comments=tuple(ratings[s].comment if s in ratings else "" for s in PACKET_SOURCES),
                evidence=tuple(r.evidence for r in ratings.values() if r.evidence),
                items=tuple(cited),
            )
        )
    rows.sort(key=lambda row: row.name)
    skip_level = None
    if person.manager is not None and person.manager.manager_id is not None:
        skip_level = Person.objects.filter(pk=person.manager.manager_id).first()
    return Packet(
        nomination=nomination,
        target=nomination_target(framework, nomination),
        readiness=readiness,
        readiness_is_current=nomination.submitted_at is None,
        cycle=cycle,
        sources=tuple(s.label for s in PACKET_SOURCES),
        ratings=rows,
        other_evidence=[i for i in items if i.pk not in listed],
        endorsements=list(nomination.endorsements.select_related("endorser")),
        skip_level=skip_level,
    )


@dataclass(frozen=True, slots=True)
class OwnCase:
    """A case as its subject sees it: the target and what may be said of it — never the packet."""

    nomination: Nomination
    target: str
    status: str
    #: The date an approved promotion takes effect, else None.
    effective_on: datetime.date | None
    #: The manager's reason for declining a request (said to the employee), else "".
    reason: str


def own_case_list(*, viewer: Viewer, framework: Framework | None) -> list[OwnCase]:
    """The viewer's own cases as they may see them: their requests (still "requested" while the
    manager prepares and the committee decides) and decided outcomes. A nomination they did not
    ask for is not shown until it is decided; a withdrawn one only when it was their request."""
    policy.require(viewer, Action.PROMOTION_LIST)
    person = policy.viewer_person(viewer)
    if person is None:
        return []
    cases = []
    for nomination in Nomination.objects.filter(person=person).order_by("-created_at", "-id"):
        asked = nomination.requested_by_id == person.pk
        status = nomination.status
        reason = ""
        if status in (Nomination.Status.APPROVED, Nomination.Status.NOT_YET):
            text = "Decided: approved" if status == Nomination.Status.APPROVED else "Decided: not yet"
        elif status == Nomination.Status.WITHDRAWN:
            if not asked or nomination.decided_by_id is None:
                continue
            text = (
                "Declined by your manager"
                if nomination.nominated_by_id is None
                else "Withdrawn by your manager"
            )
            reason = nomination.decision_reason
        elif asked:
            text = "Requested"
        else:
            continue
        cases.append(
            OwnCase(
                nomination=nomination,
                target=nomination_target(framework, nomination),
                status=text,
                effective_on=nomination.effective_on if status == Nomination.Status.APPROVED else None,
                reason=reason,
            )
        )
    return cases


def managed_case_list(*, viewer: Viewer) -> list[Nomination]:
    """The cases of the viewer's direct reports (requests, drafts, submitted, decided), newest
    first, with their person (one query)."""
    policy.require(viewer, Action.PROMOTION_LIST)
    person = policy.viewer_person(viewer)
    if person is None:
        return []
    return list(
        Nomination.objects.filter(person__manager_id=person.pk, person__is_active=True)
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def open_case_list(
    *, viewer: Viewer, person: Person, framework: Framework | None
) -> list[tuple[Nomination, str]]:
    """`person`'s open cases (requested, draft, submitted) with their targets in words, for the
    one who may nominate them: a request is answered from its packet, not by a second case."""
    policy.require(viewer, Action.PROMOTION_NOMINATE, person)
    cases = Nomination.objects.filter(
        person=person,
        status__in=[Nomination.Status.REQUESTED, Nomination.Status.DRAFT, Nomination.Status.SUBMITTED],
    ).order_by("created_at", "pk")
    return [(case, nomination_target(framework, case)) for case in cases]


def endorsement_list(*, viewer: Viewer) -> list[Nomination]:
    """Submitted nominations of the viewer's reports' reports awaiting their skip-level endorsement."""
    policy.require(viewer, Action.PROMOTION_LIST)
    person = policy.viewer_person(viewer)
    if person is None:
        return []
    endorsed = Endorsement.objects.filter(nomination=OuterRef("pk"), role=Endorsement.Role.SKIP_LEVEL)
    return list(
        Nomination.objects.filter(
            status=Nomination.Status.SUBMITTED,
            person__manager__manager_id=person.pk,
            person__manager__is_active=True,
            person__is_active=True,
        )
        .exclude(Exists(endorsed))
        .select_related("person")
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True, slots=True)
class QueueEntry:
    nomination: Nomination
    target: str
    #: Whether the viewer may decide it (not their own report at any distance).
    may_decide: bool
    skip_level_endorsed: bool


def committee_queue(*, viewer: Viewer, framework: Framework | None) -> list[QueueEntry]:
    """Submitted nominations awaiting the committees the viewer sits on (HR: every committee),
    oldest first; those about their own reports are listed as not theirs to decide."""
    policy.require(viewer, Action.PROMOTION_QUEUE)
    nominations = Nomination.objects.filter(status=Nomination.Status.SUBMITTED)
    if not viewer.is_authenticated or not viewer.is_hr_admin:
        nominations = nominations.filter(committee_id__in=policy.committee_ids(viewer))
    own = policy.viewer_person(viewer)
    if own is not None:
        nominations = nominations.exclude(person=own)
    endorsed = Endorsement.objects.filter(nomination=OuterRef("pk"), role=Endorsement.Role.SKIP_LEVEL)
    rows = nominations.select_related("person", "committee").annotate(skip_endorsed=Exists(endorsed))
    return [
        QueueEntry(
            nomination=nomination,
            target=nomination_target(framework, nomination),
            may_decide=policy.can(viewer, Action.PROMOTION_DECIDE, nomination),
            skip_level_endorsed=bool(nomination.skip_endorsed),
        )
        for nomination in rows.order_by("submitted_at", "pk")
    ]


@dataclass(frozen=True, slots=True)
class NotYetEntry:
    nomination: Nomination
    target: str
    since_decision: str
    #: A later case for the same person (any status), or None.
    followed_by: Nomination | None


@dataclass(frozen=True, slots=True)
class Overview:
    open: list[Nomination]
    decided: list[Nomination]
    not_yet: list[NotYetEntry]
    committees: list[PromotionCommittee]


#: The most decisions the overview lists (newest first).
OVERVIEW_DECISIONS_LIMIT = 100


def overview_get(*, viewer: Viewer, framework: Framework | None, today: datetime.date) -> Overview:
    """HR's overview: every open case (oldest first), the latest decisions, and the "not yet" list
    with the time since each decision and the later case that followed it, if any."""
    policy.require(viewer, Action.PROMOTION_OVERVIEW)
    related = ("person", "committee", "decided_by")
    open_cases = list(
        Nomination.objects.filter(
            status__in=[Nomination.Status.REQUESTED, Nomination.Status.DRAFT, Nomination.Status.SUBMITTED]
        )
        .select_related(*related)
        .order_by("created_at", "pk")
    )
    decided = list(
        Nomination.objects.filter(status__in=[Nomination.Status.APPROVED, Nomination.Status.NOT_YET])
        .select_related(*related)
        .order_by("-decided_at", "-pk")[:OVERVIEW_DECISIONS_LIMIT]
    )
    passed_over = list(
        Nomination.objects.filter(status=Nomination.Status.NOT_YET)
        .select_related(*related)
        .order_by("decided_at", "pk")
    )
    later: dict[int, list[Nomination]] = {}
    if passed_over:
        for case in Nomination.objects.filter(person_id__in={n.person_id for n in passed_over}).order_by(
            "created_at", "pk"
        ):
            later.setdefault(case.person_id, []).append(case)
    not_yet = []
    for nomination in passed_over:
        assert nomination.decided_at is not None
        followed = next(
            (
                case
                for case in later.get(nomination.person_id, [])
                if case.pk != nomination.pk and case.created_at > nomination.decided_at
            ),
            None,
        )
        not_yet.append(
            NotYetEntry(
                nomination=nomination,
                target=nomination_target(framework, nomination),
                since_decision=wording.time_since(nomination.decided_at.date(), today),
                followed_by=followed,
            )
        )
    return Overview(
        open=open_cases,
        decided=decided,
        not_yet=not_yet,
        committees=list(PromotionCommittee.objects.prefetch_related("members").order_by("name")),
    )


def committee_get(*, viewer: Viewer, committee_id: int) -> PromotionCommittee:
    """A committee for HR to edit; Http404 when there is none, PermissionDenied for anyone else."""
    policy.require(viewer, Action.PROMOTION_COMMITTEE_MANAGE)
    committee = PromotionCommittee.objects.prefetch_related("members").filter(pk=committee_id).first()
    if committee is None:
        raise Http404("no such committee")
    return committee


def committee_list(*, viewer: Viewer) -> list[PromotionCommittee]:
    policy.require(viewer, Action.PROMOTION_COMMITTEE_MANAGE)
    return list(PromotionCommittee.objects.prefetch_related("members").order_by("name"))


def people_for_committee(*, viewer: Viewer, references: list[str]) -> tuple[list[Person], list[str]]:
    """The active people named by employee ID or e-mail in `references`, and the references that
    name nobody (HR only)."""
    policy.require(viewer, Action.PROMOTION_COMMITTEE_MANAGE)
    wanted = [r.strip() for r in references if r.strip()]
    found = list(Person.objects.filter(Q(employee_id__in=wanted) | Q(email__in=[r.lower() for r in wanted])))
    people = []
    unknown = []
    for reference in wanted:
        match = next((p for p in found if p.employee_id == reference or p.email == reference.lower()), None)
        if match is None:
            unknown.append(reference)
        elif match not in people:
            people.append(match)
    return people, unknown
