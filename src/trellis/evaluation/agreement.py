"""Rater agreement: Krippendorff's alpha, with missing data, a bootstrap interval and groups. Pure.

Data come in long format, one rating a record: the unit rated (for Trellis, a person and a
competency in a cycle), who rated it (only used to refuse a rater who rated one unit twice, by the
reader) and the value, NaN where it is missing. Alpha is Krippendorff's (Krippendorff, *Computing
Krippendorff's Alpha-Reliability*, 2011):

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck delta_ck / sum_ck n_c n_k delta_ck

over the *pairable* values only — those of units with at least two values; a unit rated once says
nothing about agreement and is left out, which is how alpha handles missing data. `o_ck` is the
coincidence matrix (each unit's ordered pairs of values, weighted 1 / (m_u - 1)), `n_c` its margins.

Computed without a units × values matrix, so 100,000 units or thousands of distinct values cost
memory in proportion to the ratings only: each unit's sum of pair distances has a closed form for
the nominal metric (m² - sum of squared value counts), the interval metric (2 m sum x² - 2 (sum x)²)
and the ordinal one, which is the interval metric on the values' mid-ranks in the margins (the
ordinal distance between c and k, (sum_{g=c..k} n_g - (n_c + n_k) / 2)², is exactly the squared
difference of the mid-ranks ``sum_{g<c} n_g + n_c / 2``). Only the ratio metric pairs values up
within each unit.

The confidence interval resamples *units* with replacement (each unit keeps all its values, so
ratings of one unit stay together) and takes the percentiles of the replicates' alphas; the
generator is seeded, so the same data and seed give the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = [
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "DEFAULT_CONFIDENCE",
    "DEFAULT_REPLICATES",
    "DEFAULT_SEED",
    "RATIO_MAX_DISTINCT_VALUES",
    "Agreement",
    "ConfidenceInterval",
    "GroupAgreement",
    "LevelOfMeasurement",
    "agreement",
    "agreement_by_group",
    "krippendorff_alpha",
]

#: Krippendorff's recommendation: below this, data are not to be relied on even for tentative
#: conclusions. A behavioural description whose ratings agree less is flagged.
ALPHA_TENTATIVE = 0.667
#: At or above this, data are considered reliable.
ALPHA_RELIABLE = 0.800

DEFAULT_REPLICATES = 1000
DEFAULT_SEED = 0
DEFAULT_CONFIDENCE = 0.95
#: The ratio metric's expected disagreement is a distinct values × distinct values sum.
RATIO_MAX_DISTINCT_VALUES = 2000
#: Bootstrap replicates are drawn in blocks of this many, bounding memory for large data.
_REPLICATE_BLOCK = 32

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


class LevelOfMeasurement(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


@dataclass(frozen=True, slots=True)
class ConfidenceInterval:
    """A percentile bootstrap interval of alpha: `replicates` resamples of the units drawn with
    `seed`; `low` and `high` bound the central `confidence` share of their alphas."""

    low: float
    high: float
    confidence: float
    replicates: int
    seed: int

    def to_json(self) -> dict[str, float | int]:
        return {
            "low": self.low,
            "high": self.high,
            "confidence": self.confidence,
            "replicates": self.replicates,
            "seed": self.seed,
        }


@dataclass(frozen=True, slots=True)
class Agreement:
    """Alpha of one set of ratings: None when it is undefined, `undefined_because` saying why.

    `units` counts the pairable units (two values or more), `values` their values (Krippendorff's
    n), `ratings` every non-missing value given, pairable or not.
    """

    alpha: float | None
    level: LevelOfMeasurement
    units: int
    values: int
    ratings: int
    interval: ConfidenceInterval | None = None
    undefined_because: str = ""

    @property
    def flagged(self) -> bool:
        """Agreement below :data:`ALPHA_TENTATIVE`: the description does not lead raters to the
        same conclusion."""
        return self.alpha is not None and self.alpha < ALPHA_TENTATIVE

    def to_json(self) -> dict[str, object]:
        return {
            "alpha": self.alpha,
            "level_of_measurement": self.level.value,
            "units": self.units,
            "values": self.values,
            "ratings": self.ratings,
            "confidence_interval": self.interval.to_json() if self.interval is not None else None,
            "flagged": self.flagged,
            "undefined_because": self.undefined_because or None,
        }


@dataclass(frozen=True, slots=True)
class GroupAgreement:
    group: str
    agreement: Agreement


NOT_ENOUGH_UNITS = "no unit has two or more values"
NO_VARIATION = "every value is the same, so there is no disagreement to expect"


@dataclass(frozen=True, slots=True)
class _Pairable:
    """The pairable values as (unit, distinct value, count) triples sorted by unit.

    `levels` holds the distinct values in increasing order; `value_index` points into it.
    """

    level: LevelOfMeasurement
    levels: FloatArray
    unit_index: IntArray
    value_index: IntArray
    counts: FloatArray
    unit_count: int
    ratings: int

    @property
    def values(self) -> int:
        return int(self.counts.sum())


def _pairable(units: npt.ArrayLike, values: npt.ArrayLike, level: LevelOfMeasurement) -> _Pairable:
    unit_array = np.asarray(units)
    value_array = np.asarray(values, dtype=np.float64)
    if unit_array.shape != value_array.shape or unit_array.ndim != 1:
        raise ValueError("units and values must be one-dimensional and of the same length")
    present = ~np.isnan(value_array)
    if np.isinf(value_array[present]).any():
        raise ValueError("values must be finite numbers (or NaN for a missing value)")
    unit_array = unit_array[present]
    value_array = value_array[present]
    ratings = int(value_array.size)
    if level is LevelOfMeasurement.RATIO and (value_array < 0).any():
        raise ValueError("the ratio metric needs values of zero or more")
    _, unit_codes, per_unit = np.unique(unit_array, return_inverse=True, return_counts=True)
    keep = per_unit[unit_codes] >= 2
    unit_codes = unit_codes[keep]
    value_array = value_array[keep]
    kept_units, unit_codes = np.unique(unit_codes, return_inverse=True)
    levels, value_codes = np.unique(value_array, return_inverse=True)
    if level is LevelOfMeasurement.RATIO and levels.size > RATIO_MAX_DISTINCT_VALUES:
        raise ValueError(
            f"the ratio metric takes at most {RATIO_MAX_DISTINCT_VALUES:,} distinct values, "
            f"these data have {levels.size:,}"
        )
    width = max(int(levels.size), 1)
    keys, counts = np.unique(unit_codes.astype(np.int64) * width + value_codes, return_counts=True)
    return _Pairable(
        level=level,
        levels=levels.astype(np.float64),
        unit_index=(keys // width).astype(np.intp),
        value_index=(keys % width).astype(np.intp),
        counts=counts.astype(np.float64),
        unit_count=int(kept_units.size),
        ratings=ratings,
    )


class _Computation:
    """What alpha needs of one set of pairable values, for any resampling weights of its units.

    The weights say how many times each unit is in a sample: all ones for the data themselves, a
    bootstrap draw's counts for a replicate. Everything that does not depend on them is kept.
    """

    def __init__(self, data: _Pairable) -> None:
        self.data = data
        units = data.unit_count
        self.per_unit = _weighted_count(data.unit_index, data.counts, units)
        # Each unit's pairs weigh 1 / (m_u - 1): m_u values, m_u - 1 partners each.
        self.pair_weight = 1.0 / (self.per_unit - 1.0) if units else np.zeros(0)
        level = data.level
        self.fixed_observed: FloatArray | None = None
        self.distance: FloatArray | None = None
        if level is LevelOfMeasurement.NOMINAL:
            squares = _weighted_count(data.unit_index, data.counts**2, units)
            self.fixed_observed = self.pair_weight * (self.per_unit**2 - squares)
        elif level is LevelOfMeasurement.INTERVAL:
            self.fixed_observed = self.pair_weight * self._interval_pairs(data.levels)
        elif level is LevelOfMeasurement.RATIO:
            self.fixed_observed = self.pair_weight * self._ratio_pairs()
            self.distance = _ratio_distance(data.levels[:, None], data.levels[None, :])

    def _interval_pairs(self, positions: FloatArray) -> FloatArray:
        """Each unit's sum over its ordered pairs of values of (x_i - x_j)², the values placed at
        `positions` (one per distinct value): 2 m sum x² - 2 (sum x)²."""
        data = self.data
        placed = positions[data.value_index]
        first = _weighted_count(data.unit_index, data.counts * placed, data.unit_count)
        second = _weighted_count(data.unit_index, data.counts * placed**2, data.unit_count)
        # Rounding can leave a tiny negative where every value of a unit is the same.
        return np.maximum(2.0 * self.per_unit * second - 2.0 * first**2, 0.0)

    def _ratio_pairs(self) -> FloatArray:
        """Each unit's sum of ratio distances over its ordered pairs of values: every pair of
        distinct values of a unit, weighted by their counts."""
        data = self.data
        distinct = np.bincount(data.unit_index, minlength=data.unit_count)
        starts = np.concatenate(([0], np.cumsum(distinct)[:-1]))
        repeats = distinct[data.unit_index]
        left = np.repeat(np.arange(data.unit_index.size), repeats)
        offsets = np.arange(left.size) - np.repeat(np.cumsum(repeats) - repeats, repeats)
        right = starts[data.unit_index[left]] + offsets
        levels = data.levels
        contribution = (
            data.counts[left]
            * data.counts[right]
            * _ratio_distance(levels[data.value_index[left]], levels[data.value_index[right]])
        )
        return _weighted_count(data.unit_index[left], contribution, data.unit_count)

    def alpha(self, weights: FloatArray | None) -> float | None:
        """Alpha of the units taken `weights` times each (None: once each); None where the
        expected disagreement is zero."""
        data = self.data
        per_triple = data.counts if weights is None else data.counts * weights[data.unit_index]
        total = float(per_triple.sum())
        margins = _weighted_count(data.value_index, per_triple, data.levels.size)
        level = data.level
        if level is LevelOfMeasurement.ORDINAL:
            positions = np.cumsum(margins) - margins / 2.0
            pairs = self.pair_weight * self._interval_pairs(positions)
            observed = float(pairs.sum() if weights is None else pairs @ weights)
            expected = _interval_expected(margins, positions, total)
        else:
            assert self.fixed_observed is not None
            observed = float(self.fixed_observed.sum() if weights is None else self.fixed_observed @ weights)
            if level is LevelOfMeasurement.NOMINAL:
                expected = total**2 - float(margins @ margins)
            elif level is LevelOfMeasurement.INTERVAL:
                expected = _interval_expected(margins, data.levels, total)
            else:
                assert self.distance is not None
                expected = float(margins @ self.distance @ margins)
        if expected <= _EXPECTED_FLOOR * max(total, 1.0) ** 2:
            return None
        return 1.0 - (total - 1.0) * observed / expected

    def alphas(self, weights: FloatArray) -> list[float | None]:
        """`alpha` of each row of `weights` (replicates × units) at once: the same arithmetic
        on arrays, so a bootstrap costs a few array operations per block instead of per replicate."""
        data = self.data
        replicates, units = weights.shape
        levels = data.levels.size
        per_triple = data.counts[None, :] * weights[:, data.unit_index]
        total = per_triple.sum(axis=1)
        margins = _rows_count(data.value_index, per_triple, levels)
        level = data.level
        if level is LevelOfMeasurement.ORDINAL:
            positions = np.cumsum(margins, axis=1) - margins / 2.0
            placed = positions[:, data.value_index]
            first = _rows_count(data.unit_index, data.counts[None, :] * placed, units)
            second = _rows_count(data.unit_index, data.counts[None, :] * placed**2, units)
            pairs = self.pair_weight[None, :] * np.maximum(
                2.0 * self.per_unit[None, :] * second - 2.0 * first**2, 0.0
            )
            observed = (pairs * weights).sum(axis=1)
            expected = _rows_interval_expected(margins, positions, total)
        else:
            assert self.fixed_observed is not None
            observed = weights @ self.fixed_observed
            if level is LevelOfMeasurement.NOMINAL:
                expected = total**2 - (margins * margins).sum(axis=1)
            elif level is LevelOfMeasurement.INTERVAL:
                expected = _rows_interval_expected(
                    margins, np.broadcast_to(data.levels, margins.shape), total
                )
            else:
                assert self.distance is not None
                expected = np.einsum("rv,vw,rw->r", margins, self.distance, margins)
        results: list[float | None] = []
        for row in range(replicates):
            if expected[row] <= _EXPECTED_FLOOR * max(float(total[row]), 1.0) ** 2:
                results.append(None)
            else:
                results.append(1.0 - (float(total[row]) - 1.0) * float(observed[row]) / float(expected[row]))
        return results


def _rows_count(index: IntArray, weights: FloatArray, length: int) -> FloatArray:
    """`_weighted_count` of each row of `weights` (rows × len(index)): rows × length."""
    rows = weights.shape[0]
    offsets = (np.arange(rows, dtype=np.intp)[:, None] * length + index[None, :]).ravel()
    counted = np.bincount(offsets, weights=weights.ravel(), minlength=rows * length)
    return np.asarray(counted, dtype=np.float64).reshape(rows, length)


def _rows_interval_expected(margins: FloatArray, positions: FloatArray, total: FloatArray) -> FloatArray:
    """`_interval_expected` of each row."""
    first = (margins * positions).sum(axis=1)
    second = (margins * positions**2).sum(axis=1)
    return np.asarray(np.maximum(2.0 * total * second - 2.0 * first**2, 0.0), dtype=np.float64)


#: An expected disagreement this small, relative to n², is rounding of zero: no variation.
_EXPECTED_FLOOR = 1e-12
#: Values (replicates × pairable triples) one batch of bootstrap replicates may hold in arrays.
_BATCH_VALUES = 2_000_000


def _weighted_count(index: IntArray, weights: FloatArray, length: int) -> FloatArray:
    """The sum of `weights` per value of `index` (0 … length - 1)."""
    return np.asarray(np.bincount(index, weights=weights, minlength=length), dtype=np.float64)


def _interval_expected(margins: FloatArray, positions: FloatArray, total: float) -> float:
    """sum_c sum_k n_c n_k (x_c - x_k)² = 2 n sum n_c x_c² - 2 (sum n_c x_c)²."""
    first = float(margins @ positions)
    second = float(margins @ positions**2)
    return max(2.0 * total * second - 2.0 * first**2, 0.0)


def _ratio_distance(first: FloatArray, second: FloatArray) -> FloatArray:
    """((c - k) / (c + k))², zero where both are zero."""
    total = first + second
    difference = first - second
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = np.where(total > 0, (difference / np.where(total > 0, total, 1.0)) ** 2, 0.0)
    return np.asarray(distance, dtype=np.float64)


def krippendorff_alpha(
    units: npt.ArrayLike, values: npt.ArrayLike, *, level: LevelOfMeasurement = LevelOfMeasurement.ORDINAL
) -> float | None:
    """Alpha of the ratings `values` (NaN: missing) of `units` (any labels, one per rating), or
    None when it is undefined (no pairable unit, or no variation at all)."""
    return agreement(units, values, level=level, replicates=0).alpha


def agreement(
    units: npt.ArrayLike,
    values: npt.ArrayLike,
    *,
    level: LevelOfMeasurement = LevelOfMeasurement.ORDINAL,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Agreement:
    """Alpha with its bootstrap interval (`replicates` resamples of the units; 0 for none).

    Raises ValueError for arrays of different lengths, infinite values, negative values under the
    ratio metric, or a confidence outside (0, 1).
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    if replicates < 0:
        raise ValueError(f"replicates must be zero or more, not {replicates}")
    data = _pairable(units, values, level)
    if data.unit_count == 0:
        return Agreement(None, level, 0, 0, data.ratings, undefined_because=NOT_ENOUGH_UNITS)
    computation = _Computation(data)
    alpha = computation.alpha(None)
    if alpha is None:
        return Agreement(
            None, level, data.unit_count, data.values, data.ratings, undefined_because=NO_VARIATION
        )
    interval = _bootstrap(computation, replicates, seed, confidence) if replicates else None
    return Agreement(alpha, level, data.unit_count, data.values, data.ratings, interval)


def _bootstrap(
    computation: _Computation, replicates: int, seed: int, confidence: float
) -> ConfidenceInterval | None:
    units = computation.data.unit_count
    generator = np.random.default_rng(seed)
    alphas: list[float] = []
    # Replicates computed together, as many as keep the arrays within _BATCH_VALUES.
    batch = max(1, _BATCH_VALUES // max(int(computation.data.counts.size), units, 1))
    for start in range(0, replicates, _REPLICATE_BLOCK):
        block = min(_REPLICATE_BLOCK, replicates - start)
        draws = generator.integers(0, units, size=(block, units))
        for first in range(0, block, batch):
            chosen = draws[first : first + batch]
            offsets = (np.arange(chosen.shape[0], dtype=np.intp)[:, None] * units + chosen).ravel()
            weights = np.bincount(offsets, minlength=chosen.shape[0] * units).astype(np.float64)
            for replicate in computation.alphas(weights.reshape(chosen.shape[0], units)):
                if replicate is not None:
                    alphas.append(replicate)
    if not alphas:
        return None
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(np.asarray(alphas), [tail, 1.0 - tail])
    return ConfidenceInterval(float(low), float(high), confidence, replicates, seed)


def agreement_by_group(
    units: npt.ArrayLike,
    values: npt.ArrayLike,
    groups: Sequence[str] | npt.ArrayLike,
    *,
    level: LevelOfMeasurement = LevelOfMeasurement.ORDINAL,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[GroupAgreement]:
    """Alpha of each group's ratings (`groups` names one group per rating), groups in sorted order.
    Each group's interval uses the same `seed`, so a group's result does not depend on the others."""
    unit_array = np.asarray(units)
    value_array = np.asarray(values, dtype=np.float64)
    group_array = np.asarray(groups)
    if group_array.shape != value_array.shape:
        raise ValueError("groups must name one group per rating")
    names, codes = np.unique(group_array, return_inverse=True)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(names.size + 1))
    results = []
    for position, name in enumerate(names):
        members = order[bounds[position] : bounds[position + 1]]
        result = agreement(
            unit_array[members],
            value_array[members],
            level=level,
            replicates=replicates,
            seed=seed,
            confidence=confidence,
        )
        results.append(GroupAgreement(str(name), result))
    return results
