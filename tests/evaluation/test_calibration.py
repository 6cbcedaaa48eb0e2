"""Calibration statistics against hand-computed cases."""

from __future__ import annotations

import math

import pytest

from trellis.evaluation.calibration import (
    Distribution,
    Lean,
    Outlier,
    PersonScore,
    TargetRow,
    distribution,
    distributions_by,
    level_outliers,
    manager_leniency,
    nearest_point,
    student_t_975,
    target_comparison,
)

SCALE = (1, 2, 3, 4, 5)


def people(scores: dict[str, list[float]], level: str = "IC3") -> list[PersonScore]:
    return [
        PersonScore(f"{manager}{index}", manager, f"team {manager}", level, score)
        for manager, values in scores.items()
        for index, score in enumerate(values)
    ]


GROUP = people({"A": [4, 5, 4], "B": [3, 3, 4, 2], "C": [3, 2, 3]})


def test_leniency_of_a_small_group_by_hand() -> None:
    # N = 10 people, M = 3 managers, 7 degrees of freedom: t = 2.365. Within-manager squares:
    # A (mean 13/3) 2/3, B (mean 3) 2, C (mean 8/3) 2/3; pooled variance s² = (10/3) / 7 = 10/21.
    a, b, c = manager_leniency(GROUP)
    within = 10 / 21
    # A: others' mean (33 − 13) / 7 = 20/7; effect 13/3 − 20/7 = 31/21;
    # SE = sqrt(10/21 · (1/3 + 1/7)) = 10/21; interval 31/21 ± 2.365 · 10/21 = (0.35, 2.602…).
    assert (a.manager, a.reports, a.mean, a.others_mean) == (
        "A",
        3,
        pytest.approx(13 / 3),
        pytest.approx(20 / 7),
    )
    assert a.effect == pytest.approx(31 / 21)
    assert (a.low, a.high) == (pytest.approx((31 - 23.65) / 21), pytest.approx((31 + 23.65) / 21))
    assert a.lean is Lean.LENIENT and a.flagged
    # B: others' mean 21/6 = 3.5, effect −0.5, SE = sqrt(10/21 · (1/4 + 1/6)): zero is inside.
    error_b = math.sqrt(within * (1 / 4 + 1 / 6))
    assert b.effect == pytest.approx(-0.5)
    assert (b.low, b.high) == (pytest.approx(-0.5 - 2.365 * error_b), pytest.approx(-0.5 + 2.365 * error_b))
    assert b.lean is Lean.WITHIN
    # C: effect 8/3 − 25/7 = −19/21, larger than B's, yet three reports leave zero inside the
    # interval (−19/21 + 23.65/21 = 0.221… > 0): not flagged severe by arithmetic alone.
    assert c.effect == pytest.approx(-19 / 21)
    assert c.high == pytest.approx(4.65 / 21)
    assert c.lean is Lean.WITHIN and not c.flagged
    # Shrinkage: managers' means 13/3, 3, 8/3 around 10/3; their variance (1 + 1/9 + 4/9) / 2 = 7/9
    # less the mean sampling variance (10/63 + 10/84 + 10/63) / 3 gives tau².
    tau = 7 / 9 - (10 / 63 + 10 / 84 + 10 / 63) / 3
    assert a.shrunk == pytest.approx(tau / (tau + 10 / 63) * 1)
    assert b.shrunk == pytest.approx(tau / (tau + 10 / 84) * (-1 / 3))
    assert c.shrunk == pytest.approx(tau / (tau + 10 / 63) * (-2 / 3))


def test_a_manager_with_many_reports_and_the_same_gap_is_flagged() -> None:
    # The same +1 gap as a three-report manager, with thirty reports each: clearly lenient.
    group = people({"A": [4, 5, 4] * 10, "B": [3, 4, 3] * 10})
    lenient, severe = manager_leniency(group)
    assert (lenient.lean, severe.lean) == (Lean.LENIENT, Lean.SEVERE)
    # With three reports each the interval is far wider around the same effect.
    small_a, _ = manager_leniency(people({"A": [4, 5, 4], "B": [3, 4, 3]}))
    assert small_a.effect == pytest.approx(lenient.effect)
    assert small_a.low is not None and lenient.low is not None and small_a.low < lenient.low


def test_managers_no_more_different_than_chance_shrink_to_zero() -> None:
    results = manager_leniency(people({"A": [1, 5, 3], "B": [5, 1, 3.5], "C": [2, 4, 3]}))
    assert [result.shrunk for result in results] == [0.0, 0.0, 0.0]
    assert all(result.lean is Lean.WITHIN for result in results)


def test_leniency_without_enough_data() -> None:
    (alone,) = manager_leniency(people({"A": [3, 4]}))
    assert (alone.others_mean, alone.effect, alone.low, alone.high, alone.shrunk) == (None,) * 5
    assert alone.lean is Lean.WITHIN
    # Two managers with one report each: no spread within a manager to measure chance by.
    a, b = manager_leniency(people({"A": [5], "B": [1]}))
    assert (a.effect, a.low, a.shrunk, b.effect) == (4, None, None, -4)
    assert manager_leniency([]) == []


def test_student_t() -> None:
    assert [student_t_975(df) for df in (1, 7, 30, 35, 59, 60, 119, 121, 10_000)] == [
        12.706, 2.365, 2.042, 2.042, 2.021, 2.000, 2.000, 1.960, 1.960,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        student_t_975(0)


def test_outliers_by_the_modified_z_score() -> None:
    spread_level = people({"A": [2, 3, 3, 4, 5]}, level="IC2")
    # Median 3, absolute deviations 1 0 0 1 2, MAD 1: z(5) = 0.6745 · 2 = 1.349, not an outlier.
    assert level_outliers(spread_level) == []
    # Six at 3 and one at 5: the MAD is 0, so the mean deviation 2/7 · 1.2533 stands in;
    # z(5) = 2 / (1.2533 · 2/7) = 5.58…, beyond 3.5.
    uniform_level = people({"B": [3, 3, 3, 3, 3, 3, 5]}, level="IC4")
    assert level_outliers([*spread_level, *uniform_level]) == [
        Outlier("B6", "IC4", 5, 3, pytest.approx(2 / (1.2533 * 2 / 7)))
    ]
    # Four people are too few to call anyone far away; everyone the same has no outlier.
    assert level_outliers(people({"C": [1, 1, 1, 5]})) == []
    assert level_outliers(people({"C": [3] * 9})) == []
    # A lower threshold finds both ends, the farthest first.
    assert [(o.person, round(o.modified_z, 3)) for o in level_outliers(spread_level, threshold=0.6)] == [
        ("A4", 1.349),
        ("A0", -0.674),
        ("A3", 0.674),
    ]


def test_distributions_on_the_scale_points() -> None:
    assert nearest_point(3.5, SCALE) == 4
    assert nearest_point(3.4, SCALE) == 3
    assert nearest_point(0.2, SCALE) == 1
    assert nearest_point(7, SCALE) == 5
    result = distribution([3, 3, 4, 2, 3.4, 4.5], SCALE)
    assert result == Distribution(SCALE, (0, 1, 3, 1, 1), pytest.approx(19.9 / 6))
    assert result.total == 6
    assert result.shares == pytest.approx((0, 1 / 6, 3 / 6, 1 / 6, 1 / 6))
    assert distribution([], SCALE) == Distribution(SCALE, (0, 0, 0, 0, 0), None)
    assert distribution([], SCALE).shares == (0.0,) * 5
    by_manager = distributions_by(GROUP, lambda person: person.manager, lambda person: person.score, SCALE)
    assert list(by_manager) == ["A", "B", "C"]
    assert by_manager["B"].counts == (0, 1, 2, 1, 0)


def test_target_comparison() -> None:
    actual = distribution([3, 3, 4, 2, 3.4, 4.5], SCALE)
    rows = target_comparison(actual, {2: 0.1, 3: 0.6, 4: 0.2, 5: 0.1})
    assert rows == [
        TargetRow(1, 0, 0.0, 0.0, 0.0, 0.0),
        TargetRow(2, 1, pytest.approx(1 / 6), 0.1, pytest.approx(0.6), pytest.approx(1 / 6 - 0.1)),
        TargetRow(3, 3, 0.5, 0.6, pytest.approx(3.6), pytest.approx(-0.1)),
        TargetRow(4, 1, pytest.approx(1 / 6), 0.2, pytest.approx(1.2), pytest.approx(1 / 6 - 0.2)),
        TargetRow(5, 1, pytest.approx(1 / 6), 0.1, pytest.approx(0.6), pytest.approx(1 / 6 - 0.1)),
    ]
    with pytest.raises(ValueError, match="not on the scale"):
        target_comparison(actual, {6: 1.0})
    with pytest.raises(ValueError, match="negative"):
        target_comparison(actual, {1: -0.1, 2: 1.1})
    with pytest.raises(ValueError, match="add up to 100%"):
        target_comparison(actual, {1: 0.5, 2: 0.4})
