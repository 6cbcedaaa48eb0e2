"""Skill gaps: where a person stands on each competency, against what a level expects of it.

Pure Python (no Django): the growth pages, the path explorer, opportunity matching and the
development-plan suggestions all read gaps through this module.

**Demonstrated proficiency** (:func:`demonstrated_proficiency`). Per competency, from the person's
ratings (each with its source, its cycle and the day the cycle ended):

- an *assessed* result counts first: the calibrated score of a cycle, else the manager's in that
  cycle; the latest cycle with one wins, so a result from two years ago never outranks last
  half-year's manager rating;
- a self-rating is used only where no cycle has an assessed result for the competency, and says so
  (its source is shown beside the figure);
- peer ratings are feedback, never a proficiency figure;
- a rating without a score (skipped, "not observed") is no figure at all.

Every figure carries where it came from and when (:class:`Demonstrated`), so a page never shows a
number without its provenance.

**Gaps** (:func:`skill_gaps`). Against any level of any family and track: each competency the level
expects, with its proficiency and behaviour (what would close the gap), the person's demonstrated
figure, the shortfall (expected minus demonstrated, 0 once met; None while unknown) and a status:
met, short or unknown. A missing figure is *unknown*, never met and never a shortfall of the whole
scale. Comparisons allow :data:`~trellis.evaluation.readiness.TOLERANCE`, as readiness does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from trellis.evaluation.readiness import TOLERANCE, RatingSource
from trellis.framework.model import Family, Framework, Level, Track
from trellis.framework.shaping import competencies_by_id, placeholder

__all__ = [
    "SUGGESTED_GOALS",
    "CompetencyGap",
    "Demonstrated",
    "GapReport",
    "GapStatus",
    "GapTargetError",
    "GoalSuggestion",
    "SourcedRating",
    "demonstrated_proficiency",
    "level_expectations",
    "shortfall",
    "skill_gaps",
    "suggested_goals",
]

#: Which sources say what a person can do, strongest first within one cycle (self comes last, and
#: only where no cycle has an assessed result).
_ASSESSED = (RatingSource.CALIBRATED, RatingSource.MANAGER)


class GapTargetError(ValueError):
    """The target level names a family, track or level the framework does not have; the message
    says which."""


@dataclass(frozen=True, slots=True)
class SourcedRating:
    """One rating of a person: the competency, who gave it, the score (None: not rated), and the
    cycle it belongs to with the day that cycle ended."""

    competency: str
    source: RatingSource
    score: float | None
    cycle: str
    ended_on: datetime.date


@dataclass(frozen=True, slots=True)
class Demonstrated:
    """A person's figure on one competency, with its provenance."""

    competency: str
    score: float
    source: RatingSource
    cycle: str
    ended_on: datetime.date

    @property
    def self_reported(self) -> bool:
        return self.source == RatingSource.SELF


def _rank(rating: SourcedRating) -> tuple[int, datetime.date, str, int]:
    """Larger is stronger: assessed before self, then the later cycle, then calibrated before the
    manager's within a cycle (the cycle's name breaks a tie between two cycles ending the same day)."""
    assessed = rating.source in _ASSESSED
    within = 1 if rating.source == RatingSource.CALIBRATED else 0
    return (1 if assessed else 0, rating.ended_on, rating.cycle, within)


def demonstrated_proficiency(ratings: Iterable[SourcedRating]) -> dict[str, Demonstrated]:
    """Each competency's demonstrated figure from `ratings` (any order), by competency id: see the
    module's rules. Competencies with no usable rating are absent."""
    best: dict[str, SourcedRating] = {}
    for rating in ratings:
        if rating.score is None or rating.source == RatingSource.PEER:
            continue
        current = best.get(rating.competency)
        if current is None or _rank(rating) > _rank(current):
            best[rating.competency] = rating
    return {
        competency: Demonstrated(
            competency=competency,
            score=float(rating.score),
            source=rating.source,
            cycle=rating.cycle,
            ended_on=rating.ended_on,
        )
        for competency, rating in best.items()
        if rating.score is not None
    }


class GapStatus(StrEnum):
    MET = "met"
    SHORT = "short"
    #: No demonstrated figure: never met, never a shortfall.
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CompetencyGap:
    """One competency a level expects, against the person's figure."""

    competency: str
    name: str
    expected: int
    #: The level's behavioural description: what closing the gap looks like.
    behaviour: str
    demonstrated: Demonstrated | None
    #: Expected minus demonstrated, 0 once met; None while unknown.
    shortfall: float | None

    @property
    def status(self) -> GapStatus:
        if self.shortfall is None:
            return GapStatus.UNKNOWN
        return GapStatus.MET if self.shortfall == 0 else GapStatus.SHORT


@dataclass(frozen=True, slots=True)
class GapReport:
    """Every competency of a target level against one person, in the track's order."""

    family: Family
    track: Track
    level: Level
    gaps: tuple[CompetencyGap, ...]

    def by_status(self, status: GapStatus) -> tuple[CompetencyGap, ...]:
        return tuple(gap for gap in self.gaps if gap.status == status)

    @property
    def largest(self) -> tuple[CompetencyGap, ...]:
        """The short competencies, largest shortfall first (ties in the track's order)."""
        short = self.by_status(GapStatus.SHORT)
        return tuple(sorted(short, key=lambda gap: -(gap.shortfall or 0.0)))


def level_expectations(
    framework: Framework, family_id: str, track_id: str, level_code: str
) -> tuple[Family, Track, Level, list[tuple[str, str, int, str]]]:
    """The family, track and level named, and what the level expects: (competency id, name in the
    family's words, proficiency, behaviour), in the track's order. GapTargetError when the framework
    has no such level."""
    family = framework.family(family_id)
    if family is None:
        raise GapTargetError(f"the framework has no family {family_id!r}")
    track = family.track(track_id)
    if track is None:
        raise GapTargetError(f"family {family_id!r} has no track {track_id!r}")
    level = track.level(level_code)
    if level is None:
        raise GapTargetError(f"track {track_id!r} of family {family_id!r} has no level {level_code!r}")
    names = competencies_by_id(framework, family)
    expected = []
    for competency_id, by_level in track.expectations.items():
        expectation = by_level.get(level.code)
        if expectation is not None:
            name = (names.get(competency_id) or placeholder(competency_id)).name
            expected.append((competency_id, name, expectation.proficiency, expectation.behaviour))
    return family, track, level, expected


def shortfall(expected: float, demonstrated: float | None) -> float | None:
    """How far `demonstrated` is below `expected` (0 once it meets it, within the tolerance); None
    when there is no figure."""
    if demonstrated is None:
        return None
    missing = expected - demonstrated
    return 0.0 if missing <= TOLERANCE else missing


def skill_gaps(
    framework: Framework,
    *,
    family: str,
    track: str,
    level: str,
    demonstrated: Mapping[str, Demonstrated],
) -> GapReport:
    """The person's gaps against the level `level` of `track` in `family` (their own, the next one,
    or any other): see the module's rules."""
    found_family, found_track, found_level, expected = level_expectations(framework, family, track, level)
    gaps = []
    for competency_id, name, proficiency, behaviour in expected:
        figure = demonstrated.get(competency_id)
        gaps.append(
            CompetencyGap(
                competency=competency_id,
                name=name,
                expected=proficiency,
                behaviour=behaviour,
                demonstrated=figure,
                shortfall=shortfall(proficiency, figure.score if figure is not None else None),
            )
        )
    return GapReport(family=found_family, track=found_track, level=found_level, gaps=tuple(gaps))


#: Goals a development plan suggests at most, from one gap report.
SUGGESTED_GOALS = 3


@dataclass(frozen=True, slots=True)
class GoalSuggestion:
    """A goal a plan suggests: reach `target` on a competency (from `current`, None when it has no
    figure yet), with the behaviour that shows it."""

    competency: str
    name: str
    current: float | None
    target: int
    behaviour: str


def suggested_goals(report: GapReport, limit: int = SUGGESTED_GOALS) -> list[GoalSuggestion]:
    """The goals toward `report`'s level: the largest shortfalls first; then, while there is room,
    the competencies with no figure (a goal to be assessed on); never one already met."""
    chosen = [*report.largest, *report.by_status(GapStatus.UNKNOWN)][:limit]
    return [
        GoalSuggestion(
            competency=gap.competency,
            name=gap.name,
            current=gap.demonstrated.score if gap.demonstrated is not None else None,
            target=gap.expected,
            behaviour=gap.behaviour,
        )
        for gap in chosen
    ]
