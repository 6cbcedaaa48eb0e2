"""Readiness of a whole cohort at once, from compact arrays: the company-wide recomputation.

A cohort is the people who share one plan (:class:`~trellis.evaluation.readiness.ReadinessPlan`:
the same family, track, level and target). Their inputs are arrays a SQL aggregate can produce
without handing every rating to Python (:class:`CohortInputs`); :func:`evaluate_cohort` computes
every criterion's `met` and `actual` figure for everyone with numpy, under exactly the rules of
:mod:`trellis.evaluation.readiness`, and :meth:`CohortResult.readiness` words one person's result
through the same :func:`~trellis.evaluation.readiness.criterion_result` as the per-person path —
so both paths give equal :class:`~trellis.evaluation.readiness.Readiness` values (a test holds them
to it). Pure: numpy, no Django.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from trellis.evaluation.readiness import (
    EVIDENCE_KINDS,
    FIGURE_DECIMALS,
    TOLERANCE,
    CriterionKind,
    Figures,
    PersonInputs,
    Readiness,
    ReadinessPlan,
    counted_cycles,
    covered_months,
    evidence_key,
    readiness_from_figures,
)
from trellis.framework import wording
from trellis.framework.model import TimeUnit

__all__ = ["CohortInputs", "CohortResult", "cohort_inputs", "evaluate_cohort"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class CohortInputs:
    """The inputs of P people of one plan, over at most K counted cycles each.

    - `cycle_scores` (P, K, C) float: the result of each of the plan's `columns` in each counted
      cycle (ended on or after the level date, not after the as-of date), oldest cycle first; NaN
      where there is none, and for the padding cycles of people with fewer than K;
    - `cycle_months` (P, K) int: the months each cycle covers
      (:func:`~trellis.evaluation.readiness.covered_months` from the previous counted cycle's end,
      or the level date for the first); 0 for padding;
    - `months_in_level` (P,) int: whole months from the level date to the as-of date;
    - `endorsed`, `calibration_confirmed` (P,) bool;
    - `evidenced` (P, E) bool: each of the plan's `evidence_items`, in order.
    """

    cycle_scores: FloatArray
    cycle_months: IntArray
    months_in_level: IntArray
    endorsed: BoolArray
    calibration_confirmed: BoolArray
    evidenced: BoolArray

    @property
    def size(self) -> int:
        return int(self.cycle_scores.shape[0])


def cohort_inputs(plan: ReadinessPlan, people: Sequence[PersonInputs], as_of: datetime.date) -> CohortInputs:
    """The arrays of `people` (every one placed as `plan` says), built in Python: for tests, the
    command line and small cohorts. A company-wide recomputation builds them from SQL instead."""
    counted = [counted_cycles(person, as_of) for person in people]
    width = max((len(cycles) for cycles in counted), default=0)
    column = {competency: index for index, competency in enumerate(plan.columns)}
    scores = np.full((len(people), width, len(plan.columns)), np.nan)
    months = np.zeros((len(people), width), dtype=np.int64)
    for row, (person, cycles) in enumerate(zip(people, counted, strict=True)):
        previous = person.placement.since
        for slot, cycle in enumerate(cycles):
            for competency, score in cycle.scores.items():
                index = column.get(competency)
                if index is not None:
                    scores[row, slot, index] = score
            months[row, slot] = covered_months(previous, cycle.ended)
            previous = cycle.ended
    items = [evidence_key(item) for item in plan.evidence_items]
    evidenced = np.array(
        [[item in {evidence_key(text) for text in person.evidenced} for item in items] for person in people],
        dtype=bool,
    ).reshape(len(people), len(items))
    return CohortInputs(
        cycle_scores=scores,
        cycle_months=months,
        months_in_level=np.array(
            [wording.whole_months(person.placement.since, as_of) for person in people], dtype=np.int64
        ),
        endorsed=np.array([person.endorsed for person in people], dtype=bool),
        calibration_confirmed=np.array([person.calibration_confirmed for person in people], dtype=bool),
        evidenced=evidenced,
    )


def latest_scores(cycle_scores: FloatArray) -> FloatArray:
    """(P, C): each person's latest non-missing result per column (NaN when none), from (P, K, C)."""
    people, cycles, columns = cycle_scores.shape
    if cycles == 0:
        return np.full((people, columns), np.nan)
    present = ~np.isnan(cycle_scores)
    # The last present cycle: the first present one when the cycle axis is read backwards.
    last = cycles - 1 - np.argmax(present[:, ::-1, :], axis=1)
    latest = np.take_along_axis(cycle_scores, last[:, np.newaxis, :], axis=1)[:, 0, :]
    return np.where(present.any(axis=1), latest, np.nan)


def _with_none(values: FloatArray) -> list[list[float | None]]:
    """A 2-D array as lists of Python floats, None where it holds NaN."""
    objects = values.astype(object)
    objects[np.isnan(values)] = None
    rows: list[list[float | None]] = objects.tolist()
    return rows


@dataclass(frozen=True, slots=True)
class CohortResult:
    """`met` and `actual` (P, R) for each of the plan's R requirements (`actual` NaN where the
    per-person path has None), `latest` (P, C) results; `ready` (P,) when every one is met."""

    plan: ReadinessPlan
    as_of: datetime.date
    met: BoolArray
    actual: FloatArray
    latest: FloatArray
    #: What `figures_of` and `fingerprint` work out once for the whole cohort.
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ready(self) -> BoolArray:
        return np.asarray(self.met.all(axis=1), dtype=bool)

    def figures_of(self, person: int) -> Figures:
        """The figures of the cohort's `person`-th person (equal to what `figures` yields for them)."""
        if "lists" not in self._cache:
            self._cache["lists"] = (self.met.tolist(), _with_none(self.actual), _with_none(self.latest))
        met, actual, latest = self._cache["lists"]
        return Figures(
            met=met[person],
            actual=actual[person],
            standing={c: v for c, v in zip(self.plan.columns, latest[person], strict=True) if v is not None},
        )

    def fingerprint(self, person: int) -> bytes:
        """The `person`-th person's figures as bytes: equal for two results of one plan exactly when
        their figures are, so a store tells a changed result from an unchanged one without making
        or serialising the figures (every NaN, the missing figure, written as one and the same)."""
        if "rows" not in self._cache:
            values = np.concatenate([self.met.astype(np.float64), self.actual, self.latest], axis=1)
            values = np.ascontiguousarray(np.where(np.isnan(values), np.nan, values))
            self._cache["rows"] = [row.tobytes() for row in values]
        rows: list[bytes] = self._cache["rows"]
        return rows[person]

    def figures(self) -> Iterator[Figures]:
        """Each person's figures, in cohort order: what a store keeps (worded on display)."""
        columns = self.plan.columns
        # NaN becomes None in one pass over each array, not one test per value in Python.
        actual, latest = _with_none(self.actual), _with_none(self.latest)
        for met, figures, standing in zip(self.met.tolist(), actual, latest, strict=True):
            yield Figures(
                met=met,
                actual=figures,
                standing={c: v for c, v in zip(columns, standing, strict=True) if v is not None},
            )

    def readiness(self, person: int) -> Readiness:
        """The full, worded result of the cohort's `person`-th person."""
        figures = Figures(
            met=self.met[person].tolist(),
            actual=[None if math.isnan(value) else value for value in self.actual[person].tolist()],
            standing={
                c: value
                for c, value in zip(self.plan.columns, self.latest[person].tolist(), strict=True)
                if not math.isnan(value)
            },
        )
        return readiness_from_figures(self.plan, self.as_of, figures)


def evaluate_cohort(plan: ReadinessPlan, inputs: CohortInputs, as_of: datetime.date) -> CohortResult:
    """Every criterion of `plan` for every person of `inputs`, vectorised."""
    size = inputs.size
    target = len(plan.competencies)
    scores = inputs.cycle_scores
    latest = latest_scores(scores)
    on_target = latest[:, :target]
    rated = ~np.isnan(on_target)
    all_rated = rated.all(axis=1)
    rated_count = rated.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.round(np.nansum(on_target, axis=1) / rated_count, FIGURE_DECIMALS)
    lowest = np.min(np.where(rated, on_target, np.inf), axis=1) if target else np.full(size, np.inf)
    lowest = np.where(np.isfinite(lowest), lowest, np.nan)

    expected = np.asarray(plan.expected, dtype=np.float64)
    cycle_target = scores[:, :, :target]
    with np.errstate(invalid="ignore"):
        operating = (cycle_target >= expected - TOLERANCE).all(axis=2)
    operating_cycles = operating.sum(axis=1)
    operating_months = np.where(operating, inputs.cycle_months, 0).sum(axis=1)

    column = {competency: index for index, competency in enumerate(plan.columns)}
    evidence_column = 0
    met = np.zeros((size, len(plan.requirements)), dtype=bool)
    actual = np.full((size, len(plan.requirements)), np.nan)
    for index, requirement in enumerate(plan.requirements):
        kind = requirement.kind
        threshold = requirement.threshold if requirement.threshold is not None else 1.0
        if kind is CriterionKind.MIN_AVERAGE:
            figure = average
            passed = all_rated & (average >= threshold - TOLERANCE)
        elif kind is CriterionKind.FLOOR:
            figure = lowest
            passed = all_rated & ~(lowest < threshold - TOLERANCE)
        elif kind in (CriterionKind.REQUIRED, CriterionKind.EXPECTATION):
            figure = latest[:, column[requirement.subject]]
            passed = figure >= threshold - TOLERANCE
        elif kind is CriterionKind.TIME_AT_NEXT_LEVEL:
            if requirement.unit is TimeUnit.CYCLES:
                counted = operating_cycles
            elif requirement.unit is TimeUnit.QUARTERS:
                counted = operating_months // 3
            else:
                counted = operating_months
            figure = counted.astype(np.float64)
            passed = figure >= threshold - TOLERANCE
        elif kind is CriterionKind.MIN_MONTHS_IN_LEVEL:
            figure = inputs.months_in_level.astype(np.float64)
            passed = figure >= threshold - TOLERANCE
        else:
            if kind in EVIDENCE_KINDS:
                flags = inputs.evidenced[:, evidence_column]
                evidence_column += 1
            elif kind is CriterionKind.MANAGER_ENDORSEMENT:
                flags = inputs.endorsed
            else:
                flags = inputs.calibration_confirmed
            figure = flags.astype(np.float64)
            passed = flags
        # A comparison with NaN (a missing result) is False: a gap is never met.
        met[:, index] = passed
        actual[:, index] = figure
    return CohortResult(plan=plan, as_of=as_of, met=met, actual=actual, latest=latest)
