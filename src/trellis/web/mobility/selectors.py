"""Reads of internal mobility, scoped by who is asking.

The one rule both the hiring side and the applicant's own management chain read: an application is
the applicant's to show. A *saved* opportunity is a bookmark, seen by the applicant alone; an
application marked `hidden_from_manager` is kept from the applicant's management chain until it has
once reached `REVEALED_FROM_STAGE` (an interview: *talking*), and stays shown afterwards, whatever
stage it moves to next.

Matching is `trellis.evaluation.matching`'s: each person's demonstrated figures
(`demonstrated_many`, one query for any number of people) against an opportunity's requirements,
explained requirement by requirement, ranked by `Match.rank_key`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from trellis.evaluation.gaps import Demonstrated, GapStatus, SourcedRating, demonstrated_proficiency
from trellis.evaluation.matching import Match, Requirement, match
from trellis.evaluation.readiness import RatingSource
from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.mobility.models import (
    REVEALED_FROM_STAGE,
    Application,
    ApplicationStageChange,
    Opportunity,
    OpportunityRequirement,
)
from trellis.web.people.models import Person
from trellis.web.people.reporting_lines import manager_chains
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import COUNTED_PHASES
from trellis.web.reviews.models import Rating, Source

__all__ = [
    "HIRING_SIDE_STAGES",
    "REVEALED_STAGES",
    "Candidate",
    "OpportunityCard",
    "applications_mine",
    "applications_of_reports",
    "applications_shown_to_chain",
    "candidates_get",
    "competency_choices",
    "demonstrated_many",
    "explain",
    "open_opportunities_get",
    "opportunity_card_get",
    "opportunity_get",
    "shown_to_chain",
]

#: The stages at or beyond an interview: reaching one of them reveals a hidden application.
REVEALED_STAGES = (REVEALED_FROM_STAGE, Application.Stage.OFFERED, Application.Stage.ACCEPTED)
#: The stages the hiring side sees: never a bookmark, never a withdrawn application.
HIRING_SIDE_STAGES = (
    Application.Stage.INTERESTED,
    Application.Stage.APPLIED,
    Application.Stage.TALKING,
    Application.Stage.OFFERED,
    Application.Stage.ACCEPTED,
    Application.Stage.DECLINED,
)
#: The sources a proficiency figure may come from (peers give feedback, not a figure).
_FIGURE_SOURCES = (Source.CALIBRATED, Source.MANAGER, Source.SELF)


def shown_to_chain() -> Q:
    """Applications the applicant's management chain may see (see the module's docstring)."""
    reached_interview = Exists(
        ApplicationStageChange.objects.filter(application=OuterRef("pk"), to_stage__in=REVEALED_STAGES)
    )
    return ~Q(stage=Application.Stage.SAVED) & (
        Q(hidden_from_manager=False) | Q(stage__in=REVEALED_STAGES) | Q(reached_interview)
    )


def applications_shown_to_chain(person: Person) -> QuerySet[Application]:
    """`person`'s applications that their manager (and anyone above) may see."""
    return Application.objects.filter(person=person).filter(shown_to_chain())


def demonstrated_many(person_ids: Iterable[int]) -> dict[int, dict[str, Demonstrated]]:
    """Each person's demonstrated figure per competency (`trellis.evaluation.gaps` rules, as
    `growth.selectors.demonstrated_get` reads one person), for many people in one query; a person
    without ratings maps to an empty dict. Callers check the policy."""
    wanted = sorted(set(person_ids))
    ratings: dict[int, list[SourcedRating]] = {person_id: [] for person_id in wanted}
    if not wanted:
        return {}
    rows = (
        Rating.objects.filter(
            subject_id__in=wanted,
            source__in=_FIGURE_SOURCES,
            score__isnull=False,
            cycle__phase__in=COUNTED_PHASES,
        )
        .order_by()
        .values_list("subject_id", "competency_id", "source", "score", "cycle__name", "cycle__ends_on")
    )
    for subject_id, competency, source, score, cycle, ended in rows:
        ratings[subject_id].append(SourcedRating(competency, RatingSource(source), score, cycle, ended))
    return {person_id: demonstrated_proficiency(rows) for person_id, rows in ratings.items()}


def competency_choices(framework: Framework | None) -> list[tuple[str, str]]:
    """Every competency of the framework as (id, name): the core ones, then each family's own."""
    if framework is None:
        return []
    seen: dict[str, str] = {competency.id: competency.name for competency in framework.core_competencies}
    for family in framework.families:
        for competency in family.competencies:
            seen.setdefault(competency.id, competency.name)
    return list(seen.items())


def requirements_of(opportunity: Opportunity) -> list[Requirement]:
    """The opportunity's requirements as matching takes them (prefetched ones when there are)."""
    return [
        Requirement(requirement.competency_id, requirement.minimum)
        for requirement in opportunity.requirements.all()
    ]


@dataclass(frozen=True, slots=True)
class Explanation:
    """A match in words: the score, the summary, and one line per requirement with its status."""

    score: str
    summary: str
    lines: list[tuple[str, str]]


def explain(result: Match, names: dict[str, str]) -> Explanation:
    """`result` worded (`names`: competency id → name; an unknown id is shown as itself)."""
    lines = []
    for item in result.results:
        name = names.get(item.requirement.competency, item.requirement.competency)
        minimum = item.requirement.minimum
        if item.status == GapStatus.UNKNOWN or item.demonstrated is None:
            lines.append((str(GapStatus.UNKNOWN), wording.requirement_unknown(name, minimum)))
        elif item.status == GapStatus.MET:
            lines.append(
                (str(GapStatus.MET), wording.requirement_met(name, item.demonstrated.score, minimum))
            )
        else:
            lines.append(
                (
                    str(GapStatus.SHORT),
                    wording.requirement_short(name, item.demonstrated.score, minimum, item.shortfall or 0.0),
                )
            )
    return Explanation(
        score=wording.match_score(result.fit),
        summary=wording.match_summary(result.count(GapStatus.MET), len(result.results), result.unknown),
        lines=lines,
    )


def _with_requirements(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.select_related("hiring_manager", "team").prefetch_related(
        Prefetch("requirements", queryset=OpportunityRequirement.objects.order_by("id"))
    )


def opportunity_get(*, viewer: Viewer, opportunity_id: int) -> Opportunity:
    """The opportunity with this id, with its hiring manager, team and requirements; Http404 when it
    does not exist or `viewer` may not read it (the two are not told apart)."""
    opportunity = _with_requirements(Opportunity.objects.filter(pk=opportunity_id)).first()
    if opportunity is None:
        raise Http404("no such opportunity")
    policy.require_visible(viewer, Action.OPPORTUNITY_VIEW, opportunity)
    return opportunity


@dataclass(frozen=True, slots=True)
class OpportunityCard:
    """One opportunity as an employee sees it: how they match, and their own application."""

    opportunity: Opportunity
    match: Match
    explanation: Explanation
    application: Application | None


def _cards(
    viewer: Viewer, opportunities: Sequence[Opportunity], names: dict[str, str]
) -> list[OpportunityCard]:
    person = policy.viewer_person(viewer)
    figures = demonstrated_many([person.pk]).get(person.pk, {}) if person is not None else {}
    applications: dict[int, Application] = {}
    if person is not None:
        applications = {
            application.opportunity_id: application
            for application in Application.objects.filter(
                person=person, opportunity__in=[opportunity.pk for opportunity in opportunities]
            )
        }
    cards = []
    for opportunity in opportunities:
        result = match(requirements_of(opportunity), figures)
        cards.append(
            OpportunityCard(opportunity, result, explain(result, names), applications.get(opportunity.pk))
        )
    return cards


def open_opportunities_get(
    *, viewer: Viewer, framework: Framework | None, kind: str = ""
) -> list[OpportunityCard]:
    """The open opportunities (of `kind` when given), each matched against `viewer`'s own figures,
    best match first (`Match.rank_key`; the newest first among equals). PermissionDenied unless
    `viewer` may list them."""
    policy.require(viewer, Action.OPPORTUNITY_LIST)
    queryset = Opportunity.objects.filter(status=Opportunity.Status.OPEN)
    if kind:
        queryset = queryset.filter(kind=kind)
    opportunities = list(_with_requirements(queryset).order_by("-opened_at", "-id"))
    cards = _cards(viewer, opportunities, dict(competency_choices(framework)))
    return sorted(cards, key=lambda card: card.match.rank_key)


def opportunity_card_get(
    *, viewer: Viewer, opportunity: Opportunity, framework: Framework | None
) -> OpportunityCard:
    """`opportunity` (read through `opportunity_get`) matched against `viewer`'s own figures."""
    policy.require_visible(viewer, Action.OPPORTUNITY_VIEW, opportunity)
    return _cards(viewer, [opportunity], dict(competency_choices(framework)))[0]


@dataclass(frozen=True, slots=True)
class Candidate:
    application: Application
    match: Match
    explanation: Explanation


def candidates_get(
    *, viewer: Viewer, opportunity: Opportunity, framework: Framework | None
) -> list[Candidate]:
    """The people who expressed interest in or applied to `opportunity`, best match first
    (`Match.rank_key`, then the earlier application): never a bookmark (saved) or a withdrawn
    application, never someone who has left, and never an application hidden from a management
    chain the viewer is in.
    PermissionDenied unless `viewer` manages the opportunity."""
    policy.require(viewer, Action.OPPORTUNITY_MANAGE, opportunity)
    applications = list(
        Application.objects.filter(
            opportunity=opportunity, stage__in=HIRING_SIDE_STAGES, person__is_active=True
        )
        .select_related("person", "person__team")
        .order_by("created_at", "id")
    )
    applications = _without_hidden_from(viewer, applications)
    figures = demonstrated_many(application.person_id for application in applications)
    requirements = requirements_of(opportunity)
    names = dict(competency_choices(framework))
    candidates = []
    for application in applications:
        result = match(requirements, figures.get(application.person_id, {}))
        candidates.append(Candidate(application, result, explain(result, names)))
    return sorted(candidates, key=lambda candidate: candidate.match.rank_key)


def _without_hidden_from(viewer: Viewer, applications: list[Application]) -> list[Application]:
    """`applications` less those `viewer` is in the applicant's management chain of and that the
    applicant does not show their chain."""
    person = policy.viewer_person(viewer)
    if person is None or not applications:
        return applications
    chains = manager_chains(application.person_id for application in applications)
    in_chain = [
        application.pk for application in applications if person.pk in chains.get(application.person_id, [])
    ]
    if not in_chain:
        return applications
    shown = set(
        Application.objects.filter(pk__in=in_chain).filter(shown_to_chain()).values_list("pk", flat=True)
    )
    return [
        application
        for application in applications
        if application.pk not in in_chain or application.pk in shown
    ]


def application_for_hiring_side(*, viewer: Viewer, application_id: int) -> Application:
    """An application the hiring side may act on: Http404 unless `viewer` may see its opportunity
    and it is among `candidates_get`'s (PermissionDenied when they may see the opportunity but not
    manage it)."""
    application = (
        Application.objects.select_related("opportunity", "person").filter(pk=application_id).first()
    )
    if application is None:
        raise Http404("no such application")
    policy.require_visible(viewer, Action.OPPORTUNITY_VIEW, application.opportunity)
    policy.require(viewer, Action.OPPORTUNITY_MANAGE, application.opportunity)
    if application.stage not in HIRING_SIDE_STAGES or not _without_hidden_from(viewer, [application]):
        raise Http404("no such application")
    return application


def applications_mine(*, viewer: Viewer) -> list[Application]:
    """`viewer`'s own applications (bookmarks included), the latest change first."""
    policy.require(viewer, Action.OPPORTUNITY_LIST)
    person = policy.viewer_person(viewer)
    if person is None:
        return []
    return list(
        Application.objects.filter(person=person)
        .select_related("opportunity", "opportunity__hiring_manager")
        .order_by("-stage_changed_at", "-id")
    )


def applications_of_reports(*, viewer: Viewer) -> list[Application]:
    """The applications of the people `viewer` manages, at any distance, that each applicant shows
    their management chain (`shown_to_chain`), the latest change first. PermissionDenied unless
    `viewer` manages someone."""
    policy.require(viewer, Action.APPLICATIONS_OF_REPORTS)
    person = policy.viewer_person(viewer)
    if person is None:
        return []
    shown = list(
        Application.objects.filter(shown_to_chain(), person__is_active=True)
        .select_related("opportunity", "person")
        .order_by("-stage_changed_at", "-id")
    )
    chains = manager_chains(application.person_id for application in shown)
    return [application for application in shown if person.pk in chains.get(application.person_id, [])]


def stage_history(applications: Sequence[Application]) -> dict[int, list[ApplicationStageChange]]:
    """Each application's stage changes, oldest first, with who made them (one query)."""
    history: dict[int, list[ApplicationStageChange]] = defaultdict(list)
    for change in ApplicationStageChange.objects.filter(
        application__in=[application.pk for application in applications]
    ).select_related("changed_by"):
        history[change.application_id].append(change)
    return dict(history)
