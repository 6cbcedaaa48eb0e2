"""Krippendorff's alpha: the published worked example exactly, an independent implementation on
random data, missing data, undefined cases, the bootstrap interval and groups."""

from __future__ import annotations

import math
from fractions import Fraction

import krippendorff
import numpy as np
import pytest

from trellis.evaluation.agreement import (
    NO_VARIATION,
    NOT_ENOUGH_UNITS,
    Agreement,
    ConfidenceInterval,
    LevelOfMeasurement,
    agreement,
    agreement_by_group,
    krippendorff_alpha,
)

NAN = math.nan
#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with four
#: observers, twelve units and missing values: one row per observer, one column per unit.
WORKED_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
#: The paper's results (rounded to three decimals there), as the exact fractions its coincidence
#: matrix gives.
WORKED_ALPHAS = {
    LevelOfMeasurement.NOMINAL: (Fraction(113, 152), 0.743),
    LevelOfMeasurement.ORDINAL: (Fraction(108577, 133160), 0.815),
    LevelOfMeasurement.INTERVAL: (Fraction(951, 1120), 0.849),
    LevelOfMeasurement.RATIO: (Fraction(18222619, 22852465), 0.797),
}


def long_format(matrix: list[list[float]] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(units, values) of a raters × units matrix, one entry per cell."""
    array = np.asarray(matrix, dtype=np.float64)
    raters, units = array.shape
    return np.tile(np.arange(units), raters), array.ravel()


@pytest.mark.parametrize("level", list(LevelOfMeasurement))
def test_the_published_worked_example(level: LevelOfMeasurement) -> None:
    units, values = long_format(WORKED_EXAMPLE)
    exact, published = WORKED_ALPHAS[level]
    result = agreement(units, values, level=level, replicates=0)
    assert result.alpha == pytest.approx(float(exact), abs=1e-14)
    assert round(result.alpha, 3) == published
    # Unit 12 has one value: not pairable, so 11 units and 40 of the 41 values count.
    assert (result.units, result.values, result.ratings, result.interval) == (11, 40, 41, None)


@pytest.mark.parametrize("level", list(LevelOfMeasurement))
def test_matches_the_krippendorff_package_on_random_data(level: LevelOfMeasurement) -> None:
    generator = np.random.default_rng(20261202)
    for _ in range(20):
        raters = int(generator.integers(2, 8))
        unit_count = int(generator.integers(3, 80))
        matrix = generator.integers(0, int(generator.integers(2, 8)), size=(raters, unit_count)).astype(float)
        matrix[generator.random(matrix.shape) < 0.35] = NAN
        if (
            np.sum(np.sum(~np.isnan(matrix), axis=0) >= 2) == 0
            or np.unique(matrix[~np.isnan(matrix)]).size < 2
        ):
            continue
        theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level.value)
        units, values = long_format(matrix)
        assert krippendorff_alpha(units, values, level=level) == pytest.approx(theirs, abs=1e-12)


def test_matches_the_krippendorff_package_on_continuous_values() -> None:
    generator = np.random.default_rng(7)
    truth = generator.normal(size=200)
    matrix = truth + generator.normal(scale=0.5, size=(5, 200))
    matrix[generator.random(matrix.shape) < 0.2] = NAN
    units, values = long_format(matrix)
    for level in (LevelOfMeasurement.INTERVAL, LevelOfMeasurement.ORDINAL):
        theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level.value)
        assert krippendorff_alpha(units, values, level=level) == pytest.approx(theirs, abs=1e-10)


def test_a_hand_computed_case() -> None:
    # Unit a: 1 and 1; unit b: 1 and 2. Coincidences o11 = 2, o12 = o21 = 1; n1 = 3, n2 = 1, n = 4.
    # Nominal: D_o = 2/4, D_e = (3·1 + 1·3) / (4·3) = 1/2, alpha = 0. Interval: the same distances.
    units = ["a", "a", "b", "b"]
    values = [1, 1, 1, 2]
    assert krippendorff_alpha(units, values, level=LevelOfMeasurement.NOMINAL) == 0.0
    assert krippendorff_alpha(units, values, level=LevelOfMeasurement.INTERVAL) == 0.0
    # Perfect agreement with variation between units is 1.
    assert krippendorff_alpha(["a", "a", "b", "b"], [1, 1, 2, 2], level=LevelOfMeasurement.ORDINAL) == 1.0


def test_labels_order_and_missing_values_do_not_change_alpha() -> None:
    units, values = long_format(WORKED_EXAMPLE)
    labels = np.array([f"person-{unit}/communication" for unit in units])
    order = np.random.default_rng(3).permutation(labels.size)
    shuffled = krippendorff_alpha(labels[order], values[order], level=LevelOfMeasurement.INTERVAL)
    assert shuffled == pytest.approx(float(WORKED_ALPHAS[LevelOfMeasurement.INTERVAL][0]), abs=1e-14)
    # Dropping the missing cells altogether is the same as giving them as NaN.
    present = ~np.isnan(values)
    assert krippendorff_alpha(units[present], values[present], level=LevelOfMeasurement.INTERVAL) == shuffled


def test_undefined_without_a_pairable_unit_or_without_variation() -> None:
    assert agreement(["a", "b", "c"], [1, 2, NAN]) == Agreement(
        None, LevelOfMeasurement.ORDINAL, 0, 0, 2, undefined_because=NOT_ENOUGH_UNITS
    )
    assert agreement([], []) == Agreement(
        None, LevelOfMeasurement.ORDINAL, 0, 0, 0, undefined_because=NOT_ENOUGH_UNITS
    )
    assert agreement(["a", "a", "b", "b", "c"], [3, 3, 3, 3, 1]) == Agreement(
        None, LevelOfMeasurement.ORDINAL, 2, 4, 5, undefined_because=NO_VARIATION
    )


def test_refusals() -> None:
    with pytest.raises(ValueError, match="same length"):
        agreement(["a", "b"], [1])
    with pytest.raises(ValueError, match="finite"):
        agreement(["a", "a"], [1, math.inf])
    with pytest.raises(ValueError, match="zero or more"):
        agreement(["a", "a"], [1, -1], level=LevelOfMeasurement.RATIO)
    with pytest.raises(ValueError, match="confidence"):
        agreement(["a", "a"], [1, 2], confidence=1.0)


def test_ratio_treats_two_zeros_as_agreeing() -> None:
    units = ["a", "a", "b", "b", "c", "c"]
    values = [0, 0, 2, 2, 0, 2]
    theirs = krippendorff.alpha(reliability_data=[[0, 2, 0], [0, 2, 2]], level_of_measurement="ratio")
    assert krippendorff_alpha(units, values, level=LevelOfMeasurement.RATIO) == pytest.approx(
        theirs, abs=1e-14
    )


def test_the_bootstrap_interval_is_reproducible_and_brackets_alpha() -> None:
    generator = np.random.default_rng(11)
    truth = generator.integers(1, 6, size=300)
    matrix = np.clip(truth + generator.integers(-1, 2, size=(3, 300)), 1, 5).astype(float)
    units, values = long_format(matrix)
    first = agreement(units, values, replicates=200, seed=5)
    again = agreement(units, values, replicates=200, seed=5)
    other = agreement(units, values, replicates=200, seed=6)
    assert first == again
    assert first.interval is not None and other.interval is not None
    assert first.interval != other.interval
    assert (first.interval.confidence, first.interval.replicates, first.interval.seed) == (0.95, 200, 5)
    assert first.alpha is not None
    assert first.interval.low < first.alpha < first.interval.high
    # About two standard errors each side: wide for 300 units, not absurdly so.
    assert 0.02 < first.interval.high - first.interval.low < 0.2


def test_the_interval_of_a_known_tiny_case() -> None:
    # Two units, so a replicate draws a twice (no variation: left out), a and b (the data: 0) or
    # b twice: coincidences o12 = o21 = 2, n1 = n2 = 2, n = 4; D_o = 4/4, D_e = 8/12, alpha = -1/2.
    result = agreement(["a", "a", "b", "b"], [1, 1, 1, 2], level=LevelOfMeasurement.INTERVAL, replicates=50)
    assert result.interval is not None
    assert (result.interval.low, result.interval.high) == (-0.5, 0.0)


def test_groups_are_alpha_of_their_own_ratings_in_sorted_order() -> None:
    units, values = long_format(WORKED_EXAMPLE)
    groups = np.where(units < 6, "Delivery", "Communication")
    results = agreement_by_group(units, values, groups, level=LevelOfMeasurement.NOMINAL, replicates=20)
    assert [result.group for result in results] == ["Communication", "Delivery"]
    for result in results:
        members = groups == result.group
        alone = agreement(units[members], values[members], level=LevelOfMeasurement.NOMINAL, replicates=20)
        assert result.agreement == alone
    with pytest.raises(ValueError, match="one group per rating"):
        agreement_by_group(units, values, groups[:3])


def test_flagged_below_the_tentative_threshold() -> None:
    assert Agreement(0.6669, LevelOfMeasurement.ORDINAL, 2, 4, 4).flagged
    assert not Agreement(0.667, LevelOfMeasurement.ORDINAL, 2, 4, 4).flagged
    assert not Agreement(
        None, LevelOfMeasurement.ORDINAL, 0, 0, 1, undefined_because=NOT_ENOUGH_UNITS
    ).flagged


def test_json_shape() -> None:
    result = Agreement(
        0.5, LevelOfMeasurement.INTERVAL, 3, 7, 8, ConfidenceInterval(0.25, 0.75, 0.95, 100, 1)
    )
    assert result.to_json() == {
        "alpha": 0.5,
        "level_of_measurement": "interval",
        "units": 3,
        "values": 7,
        "ratings": 8,
        "confidence_interval": {"low": 0.25, "high": 0.75, "confidence": 0.95, "replicates": 100, "seed": 1},
        "flagged": True,
        "undefined_because": None,
    }
