"""Promotion readiness: for one person and one target level, every criterion met or not, by how
much, and why in plain words. Pure Python; :mod:`trellis.evaluation.readiness_bulk` evaluates the
same plan for a whole cohort from arrays and must agree with this module exactly.

The evaluation has two steps. :func:`plan_readiness` reads the framework once for a placement (family,
track, level) and a target, and lists the criteria (:class:`Requirement`); :func:`evaluate` applies a
plan to one person's inputs as of a date. The rules, pinned in ``tests/evaluation/test_readiness.py``:

**Target.** By default the next level on the person's own track. Any other level of the person's
family may be named (:class:`Target`): a skipped level, the crossover onto management and the way
back. A target in another family is a lateral move, not a promotion, and is refused.

**Basis.** When the family's promotions name the transition (``from_level`` the current level,
``to_level`` the target), its criteria are evaluated (:attr:`Basis.PROMOTION_CRITERIA`). Otherwise
the target level's expectations are (:attr:`Basis.TARGET_EXPECTATIONS`): each competency the target
level assesses must have a result at or above the proficiency it expects (one ``expectation``
result each); the manager's endorsement and calibration are asked for too; and the current level's
minimum time applies only when the target's grade is higher (a crossover or a way back at the same
grade does not wait for it). In both bases, a move onto another track at the level its crossover
leads to also asks for the crossover's entry criteria, each an item to evidence like scope evidence.

**Results.** A cycle's result for a competency is the calibrated score when there is one, else the
manager's (:func:`result_scores`); self and peer ratings never count. Only cycles that ended on or
after the day the person reached the current level, and not after the as-of date, count: what was
shown at the level below does not carry over, so a person who just changed level has every rating
missing. Where a person stands on a competency is their latest such result. Competencies are matched
by id across framework versions: a result for a competency the evaluated version no longer has is
ignored, and a competency new in it is missing until a cycle rates it.

**Criteria** (:class:`CriterionKind`), each compared with a tolerance of :data:`TOLERANCE`, so a tie
at the threshold meets it even after floating-point arithmetic; a missing rating is a gap, never met:

- ``min_average``: the mean of the latest results over the target level's competencies, rounded to
  :data:`FIGURE_DECIMALS` decimals, at least the minimum; not met while any of them is missing
  (the figure is then the mean of those rated).
- ``floor``: every competency of the target level rated, none below the floor; the figure is the
  lowest result.
- ``required``: one result per required competency: its latest result at least the minimum.
- ``expectation``: one per competency of the target level (expectations basis only).
- ``time_at_next_level``: the person *operates at* the target level in a cycle when that cycle's
  results meet the target level's expected proficiency on every one of its competencies (a missing
  result does not). With unit ``cycles`` the figure is the number of such cycles; with ``months`` it
  is the months they cover, a cycle covering the calendar months from the month of the previous
  point (the previous counted cycle's end, or the day the level was reached for the first one) to
  the month it ended in; with ``quarters`` it is those months divided by three, rounded down.
- ``min_months_in_level``: the current level's ``min_months_in_level`` (when above 0) against whole
  calendar months from the level date to the as-of date (:func:`trellis.framework.wording.whole_months`).
- ``scope_evidence`` and ``entry_criterion``: one per item, met when the item is among the person's
  evidenced items (matched by its text, white space folded).
- ``manager_endorsement`` and ``calibration``: when the criteria ask for them, the person's flags.

Each :class:`CriterionResult` carries the figures (``actual``, ``required``, ``shortfall`` — how much
is missing, 0 once met, None while a rating is missing) and an explanation worded by
:mod:`trellis.framework.wording`.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from trellis.framework import wording
from trellis.framework.model import (
    Family,
    Framework,
    Level,
    PromotionCriteria,
    TimeAtLevel,
    TimeUnit,
    Track,
)
from trellis.framework.shaping import competencies_by_id, placeholder

__all__ = [
    "FIGURE_DECIMALS",
    "TOLERANCE",
    "Basis",
    "CriterionKind",
    "CriterionResult",
    "CycleResults",
    "Figures",
    "NothingToEvaluate",
    "PersonInputs",
    "Placement",
    "RatingSource",
    "Readiness",
    "ReadinessError",
    "ReadinessPlan",
    "Requirement",
    "Target",
    "covered_months",
    "evaluate",
    "evidence_key",
    "plan_readiness",
    "readiness_from_figures",
    "result_score",
    "result_scores",
]

#: A figure within this of its threshold meets it: ties meet, floating-point noise does not fail.
TOLERANCE = 1e-9
#: Decimals an average is rounded to before it is compared and shown (both paths round alike).
FIGURE_DECIMALS = 6


class ReadinessError(ValueError):
    """A placement or target the framework does not have; the message says which and what to do."""


class NothingToEvaluate(ReadinessError):
    """No move to evaluate: the person is at the last level of their track and no target was
    named, or the target is the level they are at. Not a mistake in the input."""


class RatingSource(StrEnum):
    SELF = "self"
    MANAGER = "manager"
    PEER = "peer"
    CALIBRATED = "calibrated"


class Basis(StrEnum):
    #: The family's promotions name the transition: its criteria are evaluated.
    PROMOTION_CRITERIA = "promotion_criteria"
    #: No promotion names it: the target level's expectations are evaluated.
    TARGET_EXPECTATIONS = "target_expectations"


class CriterionKind(StrEnum):
    MIN_AVERAGE = "min_average"
    FLOOR = "floor"
    REQUIRED = "required"
    EXPECTATION = "expectation"
    TIME_AT_NEXT_LEVEL = "time_at_next_level"
    MIN_MONTHS_IN_LEVEL = "min_months_in_level"
    SCOPE_EVIDENCE = "scope_evidence"
    ENTRY_CRITERION = "entry_criterion"
    MANAGER_ENDORSEMENT = "manager_endorsement"
    CALIBRATION = "calibration"


#: Criteria whose figure is a rating result (met against the latest results).
SCORE_KINDS = frozenset(
    {CriterionKind.MIN_AVERAGE, CriterionKind.FLOOR, CriterionKind.REQUIRED, CriterionKind.EXPECTATION}
)
#: Criteria met by an item the person has evidenced.
EVIDENCE_KINDS = frozenset({CriterionKind.SCOPE_EVIDENCE, CriterionKind.ENTRY_CRITERION})


def result_score(scores: Mapping[str, float]) -> float | None:
    """The result of one competency in one cycle from its scores by source: calibrated if present,
    else the manager's; None without either (self and peer never count)."""
    calibrated = scores.get(RatingSource.CALIBRATED)
    if calibrated is not None:
        return calibrated
    return scores.get(RatingSource.MANAGER)


def result_scores(ratings: Iterable[tuple[str, str, float]]) -> dict[str, float]:
    """The result per competency of one cycle's ratings, given as (competency, source, score)."""
    by_competency: dict[str, dict[str, float]] = {}
    for competency, source, score in ratings:
        by_competency.setdefault(competency, {})[source] = score
    results = {competency: result_score(scores) for competency, scores in by_competency.items()}
    return {competency: score for competency, score in results.items() if score is not None}


def evidence_key(text: str) -> str:
    """How an evidenced item is matched to a criterion's text: white space folded, case kept."""
    return " ".join(text.split())


# --- inputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a person is: family, track and level ids, and the day they reached the level."""

    family: str
    track: str
    level: str
    since: datetime.date


@dataclass(frozen=True, slots=True)
class CycleResults:
    """One review cycle's results for one person: competency id → result score."""

    cycle: str
    ended: datetime.date
    scores: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class PersonInputs:
    """Everything readiness reads about one person besides the framework."""

    placement: Placement
    cycles: Sequence[CycleResults] = ()
    #: The scope evidence items and entry criteria marked as evidenced, by their text.
    evidenced: frozenset[str] = frozenset()
    endorsed: bool = False
    calibration_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """A target level of the person's family; `track` only where the code is on two tracks."""

    level: str
    track: str | None = None

    @classmethod
    def parse(cls, text: str) -> Target:
        """ "IC5", or "management/M1" to name the track as well."""
        track, _, level = text.strip().rpartition("/")
        return cls(level=level.strip(), track=track.strip() or None)


# --- the plan ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requirement:
    """One criterion as the plan holds it: its kind, what it is about (`subject`: a competency id or
    an item's text) and its threshold (a score, a count of `unit`, or months)."""

    kind: CriterionKind
    subject: str = ""
    threshold: float | None = None
    unit: TimeUnit | None = None


@dataclass(frozen=True, slots=True)
class ReadinessPlan:
    """The criteria of one move (current placement → target), read from the framework once.

    `competencies` are the target level's competencies in the track's order, `expected` their
    proficiencies there; `columns` are those and then any required competency not among them:
    the order of the score columns of :mod:`~trellis.evaluation.readiness_bulk`'s arrays.
    """

    family: str
    track: str
    level: str
    level_name: str
    target_track: str
    target_level: str
    basis: Basis
    competencies: tuple[str, ...]
    expected: tuple[float, ...]
    columns: tuple[str, ...]
    names: Mapping[str, str]
    requirements: tuple[Requirement, ...]
    #: The items (scope evidence, entry criteria) in the order of their requirements.
    evidence_items: tuple[str, ...] = field(default=())


def _next_level(track: Track, level: Level) -> Level | None:
    position = track.levels.index(level)
    return track.levels[position + 1] if position + 1 < len(track.levels) else None


def _target(family: Family, track: Track, level: Level, target: Target | None) -> tuple[Track, Level]:
    if target is None:
        following = _next_level(track, level)
        if following is None:
            raise NothingToEvaluate(f"{level.code} is the last level of {track.name}: name a target level")
        return track, following
    if target.track is not None:
        target_track = family.track(target.track)
        if target_track is None:
            raise ReadinessError(f"{family.name} has no track {target.track!r}")
        found = target_track.level(target.level)
        if found is None:
            raise ReadinessError(f"{target_track.name} has no level {target.level!r}")
        return target_track, found
    own = track.level(target.level)
    if own is not None:
        return track, own
    tracks = [candidate for candidate in family.tracks if candidate.level(target.level) is not None]
    if not tracks:
        raise ReadinessError(f"{family.name} has no level {target.level!r}")
    if len(tracks) > 1:
        names = ", ".join(f"{candidate.id}/{target.level}" for candidate in tracks)
        raise ReadinessError(f"{target.level} is on more than one track of {family.name}: write {names}")
    found_level = tracks[0].level(target.level)
    assert found_level is not None
    return tracks[0], found_level


def _criteria(family: Family, level: str, target_level: str) -> PromotionCriteria | None:
    return next(
        (c for c in family.promotions if c.from_level == level and c.to_level == target_level),
        None,
    )


def plan_readiness(
    framework: Framework, *, family: str, track: str, level: str, target: Target | None = None
) -> ReadinessPlan:
    """The criteria of moving from `level` on `track` of `family` to `target` (by default the next
    level of the track). Raises ReadinessError for a family, track or level the framework does not
    have or NothingToEvaluate at the top of a track without a target or for a target equal to the level."""
    found_family = framework.family(family)
    if found_family is None:
        raise ReadinessError(f"the framework has no family {family!r}")
    found_track = found_family.track(track)
    if found_track is None:
        raise ReadinessError(f"{found_family.name} has no track {track!r}")
    current = found_track.level(level)
    if current is None:
        raise ReadinessError(f"{found_track.name} has no level {level!r}")
    target_track, target_level = _target(found_family, found_track, current, target)
    if target_track is found_track and target_level is current:
        raise NothingToEvaluate(f"{level} is the person's current level: name another target")

    by_id = competencies_by_id(framework, found_family)
    competencies = tuple(
        competency_id
        for competency_id, levels in target_track.expectations.items()
        if target_level.code in levels
    )
    expected = tuple(float(target_track.expectations[c][target_level.code].proficiency) for c in competencies)
    criteria = _criteria(found_family, current.code, target_level.code)
    requirements: list[Requirement] = []
    if criteria is not None:
        basis = Basis.PROMOTION_CRITERIA
        if criteria.min_average is not None:
            requirements.append(Requirement(CriterionKind.MIN_AVERAGE, threshold=criteria.min_average))
        if criteria.floor is not None:
            requirements.append(Requirement(CriterionKind.FLOOR, threshold=criteria.floor))
        requirements.extend(
            Requirement(CriterionKind.REQUIRED, subject=required.competency, threshold=required.minimum)
            for required in criteria.required
        )
        if criteria.time_at_next_level is not None:
            time = criteria.time_at_next_level
            requirements.append(
                Requirement(CriterionKind.TIME_AT_NEXT_LEVEL, threshold=time.count, unit=time.unit)
            )
        waits = True
        evidence = list(criteria.scope_evidence)
        endorsement, calibration = criteria.manager_endorsement, criteria.calibration
    else:
        basis = Basis.TARGET_EXPECTATIONS
        requirements.extend(
            Requirement(CriterionKind.EXPECTATION, subject=competency, threshold=value)
            for competency, value in zip(competencies, expected, strict=True)
        )
        current_grade = found_track.grade_of(current.code) or 0
        waits = (target_track.grade_of(target_level.code) or 0) > current_grade
        evidence = []
        endorsement = calibration = True
    if waits and current.min_months_in_level:
        requirements.append(
            Requirement(
                CriterionKind.MIN_MONTHS_IN_LEVEL, threshold=current.min_months_in_level, unit=TimeUnit.MONTHS
            )
        )
    requirements.extend(Requirement(CriterionKind.SCOPE_EVIDENCE, subject=item) for item in evidence)
    crossover = target_track.crossover
    entry = (
        list(crossover.entry_criteria)
        if target_track is not found_track
        and crossover is not None
        and crossover.to_level == target_level.code
        else []
    )
    requirements.extend(Requirement(CriterionKind.ENTRY_CRITERION, subject=item) for item in entry)
    if endorsement:
        requirements.append(Requirement(CriterionKind.MANAGER_ENDORSEMENT))
    if calibration:
        requirements.append(Requirement(CriterionKind.CALIBRATION))

    required_ids = [r.subject for r in requirements if r.kind is CriterionKind.REQUIRED]
    columns = competencies + tuple(dict.fromkeys(c for c in required_ids if c not in competencies))
    names = {c: (by_id.get(c) or placeholder(c)).name for c in columns}
    return ReadinessPlan(
        family=found_family.id,
        track=found_track.id,
        level=current.code,
        level_name=wording.level_label(current),
        target_track=target_track.id,
        target_level=target_level.code,
        basis=basis,
        competencies=competencies,
        expected=expected,
        columns=columns,
        names=names,
        requirements=tuple(requirements),
        evidence_items=tuple(r.subject for r in requirements if r.kind in EVIDENCE_KINDS),
    )


# --- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion for one person: met or not, the figures and the explanation.

    `actual` is None while a rating it needs is missing (or for a yes/no criterion, 1 or 0);
    `shortfall` is how much `actual` lacks of `required` (0 once met; None while missing).
    `not_rated` lists the competencies (ids) whose missing result makes it unmet.
    """

    kind: CriterionKind
    subject: str
    met: bool
    actual: float | None
    required: float | None
    shortfall: float | None
    explanation: str
    not_rated: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "subject": self.subject,
            "met": self.met,
            "actual": self.actual,
            "required": self.required,
            "shortfall": self.shortfall,
            "explanation": self.explanation,
            "not_rated": list(self.not_rated),
        }


@dataclass(frozen=True, slots=True)
class Readiness:
    """Every criterion of one move for one person as of a date; `ready` when all are met."""

    family: str
    track: str
    level: str
    target_track: str
    target_level: str
    basis: Basis
    as_of: datetime.date
    criteria: tuple[CriterionResult, ...]
    #: Where the person stands: the latest counted result of each competency the plan reads.
    standing: Mapping[str, float] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(result.met for result in self.criteria)

    @property
    def met_count(self) -> int:
        return sum(result.met for result in self.criteria)

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "track": self.track,
            "level": self.level,
            "target_track": self.target_track,
            "target_level": self.target_level,
            "basis": self.basis.value,
            "as_of": self.as_of.isoformat(),
            "ready": self.ready,
            "met": self.met_count,
            "criteria": [result.to_json() for result in self.criteria],
            "standing": dict(self.standing),
        }

    def figures(self) -> Figures:
        """What :func:`readiness_from_figures` needs to give this result back, words and all."""
        return Figures(
            met=[result.met for result in self.criteria],
            actual=[result.actual for result in self.criteria],
            standing=dict(self.standing),
        )


@dataclass(frozen=True, slots=True)
class Figures:
    """A readiness result without its words: `met` and `actual` per requirement of the plan, in
    order, and the standing. Compact to store; worded again by :func:`readiness_from_figures`."""

    met: list[bool]
    actual: list[float | None]
    standing: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {"met": self.met, "actual": self.actual, "standing": self.standing}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Figures:
        return cls(met=list(data["met"]), actual=list(data["actual"]), standing=dict(data["standing"]))


def meets(actual: float, required: float) -> bool:
    """Whether a figure reaches its threshold; a tie meets it."""
    return actual >= required - TOLERANCE


def covered_months(previous: datetime.date, ended: datetime.date) -> int:
    """The calendar months a cycle ending `ended` covers after `previous` (the month of `previous`
    excluded, the month of `ended` included; 0 for the same month or earlier)."""
    return max(0, (ended.year - previous.year) * 12 + ended.month - previous.month)


def counted_cycles(person: PersonInputs, as_of: datetime.date) -> list[CycleResults]:
    """The cycles that count for the current level, oldest first (by end date, then cycle id)."""
    since = person.placement.since
    return sorted(
        (cycle for cycle in person.cycles if since <= cycle.ended <= as_of),
        key=lambda cycle: (cycle.ended, cycle.cycle),
    )


def _time_figure(operating_months: int, operating_cycles: int, unit: TimeUnit) -> int:
    if unit is TimeUnit.CYCLES:
        return operating_cycles
    if unit is TimeUnit.QUARTERS:
        return operating_months // 3
    return operating_months


def evaluate(plan: ReadinessPlan, person: PersonInputs, as_of: datetime.date) -> Readiness:
    """Every criterion of `plan` for `person` as of `as_of` (see the module's rules)."""
    cycles = counted_cycles(person, as_of)
    latest: dict[str, float] = {}
    operating_cycles = operating_months = 0
    previous = person.placement.since
    for cycle in cycles:
        scores = {c: s for c, s in cycle.scores.items() if c in plan.names and not math.isnan(s)}
        latest.update(scores)
        operating = all(
            c in scores and meets(scores[c], expected)
            for c, expected in zip(plan.competencies, plan.expected, strict=True)
        )
        if operating:
            operating_cycles += 1
            operating_months += covered_months(previous, cycle.ended)
        previous = cycle.ended
    evidenced = {evidence_key(item) for item in person.evidenced}
    months_in_level = wording.whole_months(person.placement.since, as_of)

    results = []
    for requirement in plan.requirements:
        kind = requirement.kind
        actual: float | None
        if kind is CriterionKind.MIN_AVERAGE:
            rated = [latest[c] for c in plan.competencies if c in latest]
            actual = round(math.fsum(rated) / len(rated), FIGURE_DECIMALS) if rated else None
            met = (
                actual is not None
                and len(rated) == len(plan.competencies)
                and meets(actual, _threshold(requirement))
            )
        elif kind is CriterionKind.FLOOR:
            rated = [latest[c] for c in plan.competencies if c in latest]
            actual = min(rated) if rated else None
            met = len(rated) == len(plan.competencies) and (
                actual is None or meets(actual, _threshold(requirement))
            )
        elif kind in (CriterionKind.REQUIRED, CriterionKind.EXPECTATION):
            actual = latest.get(requirement.subject)
            met = actual is not None and meets(actual, _threshold(requirement))
        elif kind is CriterionKind.TIME_AT_NEXT_LEVEL:
            assert requirement.unit is not None
            actual = _time_figure(operating_months, operating_cycles, requirement.unit)
            met = meets(actual, _threshold(requirement))
        elif kind is CriterionKind.MIN_MONTHS_IN_LEVEL:
            actual = months_in_level
            met = meets(actual, _threshold(requirement))
        elif kind in EVIDENCE_KINDS:
            met = evidence_key(requirement.subject) in evidenced
            actual = 1.0 if met else 0.0
        elif kind is CriterionKind.MANAGER_ENDORSEMENT:
            met = person.endorsed
            actual = 1.0 if met else 0.0
        else:
            met = person.calibration_confirmed
            actual = 1.0 if met else 0.0
        results.append(criterion_result(plan, requirement, met=met, actual=actual, latest=latest))
    return readiness_of(plan, as_of, results, latest)


def _threshold(requirement: Requirement) -> float:
    return requirement.threshold if requirement.threshold is not None else 1.0


def readiness_from_figures(plan: ReadinessPlan, as_of: datetime.date, figures: Figures) -> Readiness:
    """The worded result of `figures` computed for `plan` (by either path, or stored). Raises
    ReadinessError when they do not fit the plan (the framework changed since they were stored)."""
    if len(figures.met) != len(plan.requirements) or len(figures.actual) != len(plan.requirements):
        raise ReadinessError("these figures were computed for other criteria: recompute them")
    latest = {c: float(v) for c, v in figures.standing.items() if c in plan.names}
    results = [
        criterion_result(plan, requirement, met=bool(met), actual=actual, latest=latest)
        for requirement, met, actual in zip(plan.requirements, figures.met, figures.actual, strict=True)
    ]
    return readiness_of(plan, as_of, results, latest)


def readiness_of(
    plan: ReadinessPlan,
    as_of: datetime.date,
    results: Sequence[CriterionResult],
    standing: Mapping[str, float],
) -> Readiness:
    return Readiness(
        family=plan.family,
        track=plan.track,
        level=plan.level,
        target_track=plan.target_track,
        target_level=plan.target_level,
        basis=plan.basis,
        as_of=as_of,
        criteria=tuple(results),
        standing={c: standing[c] for c in plan.columns if c in standing},
    )


def criterion_result(
    plan: ReadinessPlan,
    requirement: Requirement,
    *,
    met: bool,
    actual: float | None,
    latest: Mapping[str, float],
) -> CriterionResult:
    """One result from the figures both paths compute: `met`, `actual`, and `latest` (competency id
    → latest result) for the words. Shared by the per-person and the bulk path."""
    kind = requirement.kind
    required = _threshold(requirement)
    name = plan.names.get(requirement.subject, requirement.subject)
    not_rated: tuple[str, ...] = ()
    if kind in (CriterionKind.MIN_AVERAGE, CriterionKind.FLOOR):
        not_rated = tuple(c for c in plan.competencies if c not in latest)
    elif kind in (CriterionKind.REQUIRED, CriterionKind.EXPECTATION) and actual is None:
        not_rated = (requirement.subject,)
    if kind is CriterionKind.MIN_AVERAGE:
        explanation = wording.readiness_average(actual, required, [plan.names[c] for c in not_rated], met)
    elif kind is CriterionKind.FLOOR:
        below = [
            (plan.names[c], latest.get(c))
            for c in plan.competencies
            if c not in latest or not meets(latest[c], required)
        ]
        lowest = min(
            ((plan.names[c], latest[c]) for c in plan.competencies if c in latest),
            key=lambda pair: pair[1],
            default=None,
        )
        explanation = wording.readiness_floor(below, lowest, required)
    elif kind is CriterionKind.REQUIRED:
        explanation = wording.readiness_threshold(name, actual, "minimum", required, met)
    elif kind is CriterionKind.EXPECTATION:
        explanation = wording.readiness_expectation(name, actual, plan.target_level, required, met)
    elif kind is CriterionKind.TIME_AT_NEXT_LEVEL:
        assert requirement.unit is not None and actual is not None
        time = TimeAtLevel(count=int(required), unit=requirement.unit)
        explanation = wording.readiness_time(int(actual), time, plan.target_level)
    elif kind is CriterionKind.MIN_MONTHS_IN_LEVEL:
        assert actual is not None
        explanation = wording.readiness_months_in_level(int(actual), int(required), plan.level)
    elif kind in EVIDENCE_KINDS:
        explanation = wording.readiness_evidence(requirement.subject, met)
    elif kind is CriterionKind.MANAGER_ENDORSEMENT:
        explanation = wording.readiness_endorsement(met)
    else:
        explanation = wording.readiness_calibration(met)
    missing = bool(not_rated) and kind in SCORE_KINDS
    if met:
        shortfall: float | None = 0.0
    elif actual is None or missing:
        shortfall = None
    else:
        shortfall = round(required - actual, FIGURE_DECIMALS)
    return CriterionResult(
        kind=kind,
        subject=requirement.subject,
        met=met,
        actual=actual,
        required=required,
        shortfall=shortfall,
        explanation=explanation,
        not_rated=not_rated,
    )
