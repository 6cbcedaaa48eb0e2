"""Reads of growth, scoped by the policy: a person's demonstrated proficiency (from the ratings of
the cycles whose results are shared) and their gaps against any level of the published framework,
with the evidence behind each competency as the viewer may read it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from trellis.evaluation.gaps import (
    Demonstrated,
    GapReport,
    GapTargetError,
    SourcedRating,
    demonstrated_proficiency,
    skill_gaps,
)
from trellis.evaluation.paths import Move, career_moves
from trellis.evaluation.readiness import RatingSource
from trellis.framework.browse import transition_to_next
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.selectors import PublishedFramework
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import COUNTED_PHASES
from trellis.web.promotions.selectors import target_choices
from trellis.web.reviews.feedback_selectors import evidence_for_cycle
from trellis.web.reviews.models import EvidenceItem, Rating, Source

__all__ = ["GapsPage", "demonstrated_get", "gaps_page_get", "moves_get"]

#: The sources a proficiency figure may come from (peers give feedback, not a figure).
_FIGURE_SOURCES = (Source.CALIBRATED, Source.MANAGER, Source.SELF)
#: Evidence items shown per competency on the gaps page (the rest are on the evidence page).
EVIDENCE_PER_COMPETENCY = 3


def demonstrated_get(*, person: Person) -> dict[str, Demonstrated]:
    """`person`'s demonstrated figure per competency (`trellis.evaluation.gaps` rules), from the
    ratings of the cycles whose results are shared or closed. One query. Callers check the policy."""
    rows = (
        Rating.objects.filter(
            subject=person, source__in=_FIGURE_SOURCES, score__isnull=False, cycle__phase__in=COUNTED_PHASES
        )
        .order_by()
        .values_list("competency_id", "source", "score", "cycle__name", "cycle__ends_on")
    )
    return demonstrated_proficiency(
        SourcedRating(competency, RatingSource(source), score, cycle, ended)
        for competency, source, score, cycle, ended in rows
    )


def _default_target(framework: Framework, person: Person) -> str:
    """The person's next level on their own track; their own level at the top of it."""
    transition = transition_to_next(framework, person.family_id, person.track_id, person.level_code)
    if transition is not None and transition.next is not None:
        return f"{person.family_id}/{person.track_id}/{transition.next.code}"
    return f"{person.family_id}/{person.track_id}/{person.level_code}"


@dataclass(frozen=True, slots=True)
class GapsPage:
    person: Person
    target: str
    report: GapReport | None
    #: Why there is no report ("the framework has no level IC9 …"), for the page to say.
    problem: str
    #: Every level of the framework as (value, label), as the promotion forms offer them.
    choices: list[tuple[str, str]]
    #: Evidence about the person per competency id, newest first, as the viewer may read it.
    evidence: dict[str, list[EvidenceItem]]
    #: Evidence items per competency beyond those listed.
    more_evidence: dict[str, int]


def gaps_page_get(
    *, viewer: Viewer, person: Person, published: PublishedFramework, target: str | None
) -> GapsPage:
    """`person`'s gaps against `target` ("family/track/level"; their next level when None or
    empty). A target the framework does not have is said in `problem`, never raised. Http404
    unless `viewer` may see the person's gaps."""
    policy.require_visible(viewer, Action.GAPS_VIEW, person)
    framework = published.framework
    chosen = target or _default_target(framework, person)
    parts = chosen.split("/")
    report: GapReport | None = None
    problem = ""
    if len(parts) != 3:
        problem = f"“{chosen}” is not a level: choose one from the list."
    else:
        try:
            report = skill_gaps(
                framework,
                family=parts[0],
                track=parts[1],
                level=parts[2],
                demonstrated=demonstrated_get(person=person),
            )
        except GapTargetError as error:
            problem = f"{str(error)[0].upper()}{str(error)[1:]}: choose a level from the list."
    evidence: dict[str, list[EvidenceItem]] = defaultdict(list)
    more: dict[str, int] = defaultdict(int)
    for item in evidence_for_cycle(viewer=viewer, subject=person, since=None):
        for competency in item.competency_ids:
            if len(evidence[competency]) < EVIDENCE_PER_COMPETENCY:
                evidence[competency].append(item)
            else:
                more[competency] += 1
    return GapsPage(
        person=person,
        target=chosen,
        report=report,
        problem=problem,
        choices=target_choices(framework),
        evidence=dict(evidence),
        more_evidence=dict(more),
    )


def moves_get(*, viewer: Viewer, person: Person, published: PublishedFramework) -> list[Move] | None:
    """Every move the framework allows from `person`'s position, against their figures
    (`trellis.evaluation.paths`); None when the framework does not have their level. Http404 unless
    `viewer` may see the person's gaps."""
    policy.require_visible(viewer, Action.GAPS_VIEW, person)
    try:
        return career_moves(
            published.framework,
            family=person.family_id,
            track=person.track_id,
            level=person.level_code,
            demonstrated=demonstrated_get(person=person),
        )
    except GapTargetError:
        return None
