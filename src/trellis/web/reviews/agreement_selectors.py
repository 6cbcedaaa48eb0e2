"""Rater agreement measured on the stored ratings: Krippendorff's alpha per behavioural description
(competency × level), per competency and per level, with a bootstrap interval, computed by
`trellis.evaluation.agreement_groups`.

What counts: the scores (not the blanks) of the cycles whose results are shared or closed
(`readiness_services.COUNTED_PHASES`: final, calibration done), from every rater of a person's
competency — the self-assessment, the manager, each peer and the calibrated result (upward
feedback rates the manager's management, not the person's description, and is left out). The
level is the one the cycle pinned for the person (`CycleParticipant`).

Cost: the ratings are read in one query joining the participants, and the figures computed once per
state of those ratings (their number, latest change and ids) and kept in the process: one
aggregate query tells whether the kept figures are still current, so a page costs that query, and
the computation only after a change. Bootstrap replicates on a page
are :data:`AGREEMENT_REPLICATES`.

Policy: `agreement.view` (a family's co-authors and HR) for the figures beside that family's
descriptions; `agreement.overview` (HR) for every group. Figures only: no rating, rater or person.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Sum

from trellis.evaluation.agreement import ALPHA_TENTATIVE
from trellis.evaluation.agreement_groups import (
    FrameworkAgreement,
    GroupFigure,
    RatedValue,
    framework_agreement,
)
from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import COUNTED_PHASES
from trellis.web.reviews.models import CycleParticipant, Rating, ReviewCycle, Source

__all__ = [
    "AGREEMENT_REPLICATES",
    "RATER_SOURCES",
    "AgreementOverview",
    "agreement_overview_get",
    "description_agreement_get",
    "figure_text",
    "framework_agreement_current",
]

#: The raters of a person's competency whose scores are compared.
RATER_SOURCES = (Source.SELF, Source.MANAGER, Source.PEER, Source.CALIBRATED)
#: Bootstrap resamples per group when a page computes the figures (the command's default is 1,000;
#: 200 keep the interval's bounds within about 0.01 of it at a fraction of the time).
AGREEMENT_REPLICATES = 200

_lock = threading.Lock()
_kept: tuple[_State, FrameworkAgreement] | None = None


@dataclass(frozen=True, slots=True)
class _State:
    """What the figures depend on: the counted ratings' number, latest change and the sum of their
    ids (a rating deleted and another added between two reads cannot leave all three as they were),
    and the number of counted cycles."""

    ratings: int
    latest: object
    ids: int
    cycles: int


def _state() -> _State:
    """One aggregate query over the counted ratings."""
    found = Rating.objects.filter(cycle__phase__in=COUNTED_PHASES, source__in=RATER_SOURCES).aggregate(
        count=Count("id"), latest=Max("updated_at"), ids=Sum("id"), cycles=Count("cycle_id", distinct=True)
    )
    return _State(found["count"], found["latest"], found["ids"] or 0, found["cycles"])


def _rated_values() -> list[RatedValue]:
    """Every counted score with the level its subject held in the cycle: one query."""
    rating = connection.ops.quote_name(Rating._meta.db_table)
    participant = connection.ops.quote_name(CycleParticipant._meta.db_table)
    cycle = connection.ops.quote_name(ReviewCycle._meta.db_table)
    query = (
        "SELECT r.cycle_id, r.subject_id, r.competency_id, p.family_id, p.track_id, p.level_code, r.score "
        f"FROM {rating} r JOIN {participant} p ON p.cycle_id = r.cycle_id AND p.person_id = r.subject_id "
        f"JOIN {cycle} c ON c.id = r.cycle_id "
        f"WHERE r.score IS NOT NULL AND r.source IN ({', '.join(['%s'] * len(RATER_SOURCES))}) "
        f"AND c.phase IN ({', '.join(['%s'] * len(COUNTED_PHASES))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*RATER_SOURCES, *COUNTED_PHASES])
        rows = cursor.fetchall()
    return [
        RatedValue(cycle, person, competency, family, track, level, float(score))
        for cycle, person, competency, family, track, level, score in rows
    ]


def _current() -> tuple[_State, FrameworkAgreement]:
    global _kept
    state = _state()
    kept = _kept
    if kept is not None and kept[0] == state:
        return kept
    answer = (state, framework_agreement(_rated_values(), replicates=AGREEMENT_REPLICATES))
    with _lock:
        _kept = answer
    return answer


def framework_agreement_current() -> FrameworkAgreement:
    """The figures of every group for the ratings as they are now: computed once per state of the
    counted ratings, per process. No policy: for the selectors below (and the benchmark)."""
    return _current()[1]


def description_agreement_get(
    *, viewer: Viewer, family_id: str, track_id: str, competency_id: str
) -> Mapping[str, GroupFigure]:
    """The agreement of one competency's descriptions along one track, by level code (levels with
    no pairable rating are absent). PermissionDenied unless `viewer` may edit the family's
    descriptions (its co-authors, HR)."""
    policy.require(viewer, Action.AGREEMENT_VIEW, family_id)
    figures = framework_agreement_current()
    return {
        level: figure
        for (family, track, level, competency), figure in figures.descriptions.items()
        if (family, track, competency) == (family_id, track_id, competency_id)
    }


@dataclass(frozen=True, slots=True)
class AgreementOverview:
    """Every group's figures, and the number of cycles they were measured on."""

    figures: FrameworkAgreement
    cycles: int


def agreement_overview_get(*, viewer: Viewer) -> AgreementOverview:
    """Every description's, competency's and level's agreement (HR). PermissionDenied otherwise."""
    policy.require(viewer, Action.AGREEMENT_OVERVIEW)
    state, figures = _current()
    return AgreementOverview(figures=figures, cycles=state.cycles)


def figure_text(figure: GroupFigure | None) -> str:
    """ "agreement 0.58 (0.41–0.70), 214 people — below 0.667", or "not enough ratings yet"."""
    if figure is None or not figure.enough:
        return wording.AGREEMENT_NOT_ENOUGH
    result = figure.agreement
    interval = result.interval
    return wording.agreement_figure(
        result.alpha,
        interval.low if interval is not None else None,
        interval.high if interval is not None else None,
        figure.people,
        ALPHA_TENTATIVE,
    )
