"""The skills matrix aggregated by group, and its patterns, against hand-computed cells."""

from __future__ import annotations

import numpy as np
import pytest

from trellis.evaluation.heatmap import MIN_PATTERN_PEOPLE, SkillsMatrix, aggregate, patterns
from trellis.framework import wording

N = np.nan


def test_cells_count_rated_and_expected_people_only() -> None:
    # Competencies: strategy, analysis. Group 0 (Marketing): three people; group 1 (Sales): two.
    figures = np.array([[4, 2], [3, N], [5, 3], [2, 4], [3, 3.5]], dtype=float)
    expected = np.array([[3, 3], [3, 3], [4, N], [3, 3], [3, 3]], dtype=float)
    matrix = SkillsMatrix(
        figures, expected, np.array([0, 0, 0, 1, 1]), ["Marketing", "Sales"], ["strategy", "analysis"]
    )
    cells = aggregate(matrix)
    assert cells.people.tolist() == [3, 2]
    assert cells.rated.tolist() == [[3, 2], [2, 2]]
    # Marketing analysis: person 3's 3 is not expected at their level: rated, not counted.
    assert cells.counted.tolist() == [[3, 1], [2, 2]]
    assert cells.mean_figure.tolist() == [[4.0, 2.5], [2.5, 3.75]]
    # Gaps: Marketing strategy +1, 0, +1 → 2/3; analysis −1. Sales strategy −1, 0 → −0.5; analysis +1, +0.5.
    assert np.allclose(cells.mean_gap, [[2 / 3, -1.0], [-0.5, 0.75]])
    assert cells.meeting.tolist() == [[1.0, 0.0], [0.5, 1.0]]


def test_a_cell_nobody_counts_in_is_nan_not_zero() -> None:
    matrix = SkillsMatrix(np.array([[N]]), np.array([[3.0]]), np.array([0]), ["Team"], ["craft"])
    cells = aggregate(matrix)
    assert cells.rated.tolist() == [[0]] and np.isnan(cells.mean_gap[0, 0]) and np.isnan(cells.meeting[0, 0])


def test_patterns_need_the_margin_and_enough_people_on_both_sides() -> None:
    size = MIN_PATTERN_PEOPLE
    # Marketing (5 people): strategy gap +1 each, analysis −1 each. Sales (5): strategy 0, analysis 0.
    # Data (4 people: too few to be read): analysis +2.
    figures = np.array([[4, 2]] * size + [[3, 3]] * size + [[3, 5]] * 4, dtype=float)
    expected = np.full(figures.shape, 3.0)
    group = np.array([0] * size + [1] * size + [2] * 4)
    matrix = SkillsMatrix(
        figures, expected, group, ["Marketing", "Sales", "Data"], ["Creative strategy", "Data analysis"]
    )
    found = [
        (p.group, p.competency, p.strong, p.mean_gap, p.others_mean_gap, p.people) for p in patterns(matrix)
    ]
    # Marketing strategy: +1 against (0·5 + 0·4)/9 = 0 → strong by 1. Analysis: −1 against (0·5 + 2·4)/9
    # = 8/9 → weak by 1.889 (first: the larger difference). Sales strategy: 0 against (5 + 0)/9 = 0.556
    # → weak by 0.556; analysis: 0 against (−5 + 8)/9 = 0.333 → under the margin.
    assert found == [
        ("Marketing", "Data analysis", False, -1.0, round(8 / 9, 6), 5),
        ("Marketing", "Creative strategy", True, 1.0, 0.0, 5),
        ("Sales", "Creative strategy", False, 0.0, round(5 / 9, 6), 5),
    ]
    assert wording.skills_pattern("Marketing", ["Creative strategy"], ["Data analysis"]) == (
        "Marketing is strong in Creative strategy and weak in Data analysis"
    )
    assert wording.skills_pattern("Sales", [], []) == ""


def test_inconsistent_shapes_are_refused_with_what_differs() -> None:
    with pytest.raises(ValueError, match=r"figures \(1, 2\), expected \(1, 1\)"):
        SkillsMatrix(np.zeros((1, 2)), np.zeros((1, 1)), np.array([0]), ["A"], ["x", "y"])
    with pytest.raises(ValueError, match=r"group codes must lie in 0..0"):
        SkillsMatrix(np.zeros((1, 1)), np.zeros((1, 1)), np.array([1]), ["A"], ["x"])
