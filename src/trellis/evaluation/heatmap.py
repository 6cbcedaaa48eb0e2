"""The skills matrix of a group of people, aggregated: per group and competency, how many are rated,
their mean figure, the mean gap to what each person's own level expects, and the share meeting it;
and the patterns a reader looks for ("strong in Creative strategy, weak in Data analysis"). Pure:
numpy, no Django; the team, family and company heatmaps and their exports read it.

**Inputs** (:class:`SkillsMatrix`): for P people and C competencies, each person's demonstrated
figure (:func:`trellis.evaluation.gaps.demonstrated_proficiency`; NaN where unknown) and what their
current level expects (NaN where the level does not assess the competency), and each person's group
(a team, a family, a level: any labelling). A cell counts only people who are both rated and
expected on it: a figure for a competency the level does not assess shows in `rated` but not in the
gap.

**Gap** is the figure minus the expectation (negative: below what the level asks, so a heatmap reads
red for short); **meeting** is the share at or above it (within
:data:`~trellis.evaluation.readiness.TOLERANCE`).

**Patterns** (:func:`patterns`): a group is *strong* in a competency when its mean gap is at least
:data:`PATTERN_MARGIN` above the mean gap of everyone else on it, and *weak* when at least that far
below; only cells of at least :data:`MIN_PATTERN_PEOPLE` people on both sides are read (three
people are a story, not a pattern).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from trellis.evaluation.readiness import TOLERANCE

__all__ = [
    "MIN_PATTERN_PEOPLE",
    "PATTERN_MARGIN",
    "GroupCells",
    "Pattern",
    "SkillsMatrix",
    "aggregate",
    "patterns",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: How far (in scale points) a group's mean gap must stand from everyone else's to be a pattern.
PATTERN_MARGIN = 0.5
#: The fewest people, in the group and outside it, behind a cell read as a pattern.
MIN_PATTERN_PEOPLE = 5


@dataclass(frozen=True, slots=True)
class SkillsMatrix:
    """P people × C competencies: `figures` and `expected` (P, C) float, NaN where unknown or not
    assessed; `group` (P,) int codes into `groups`; `competencies` names the columns."""

    figures: FloatArray
    expected: FloatArray
    group: IntArray
    groups: Sequence[str]
    competencies: Sequence[str]

    def __post_init__(self) -> None:
        people, columns = self.figures.shape
        if self.expected.shape != (people, columns) or self.group.shape != (people,):
            raise ValueError(
                f"figures {self.figures.shape}, expected {self.expected.shape} and group "
                f"{self.group.shape} do not describe the same people and competencies"
            )
        if columns != len(self.competencies):
            raise ValueError(f"{columns} columns of figures but {len(self.competencies)} competencies named")
        if people and (self.group.min() < 0 or self.group.max() >= len(self.groups)):
            raise ValueError(f"group codes must lie in 0..{len(self.groups) - 1}")


@dataclass(frozen=True, slots=True)
class GroupCells:
    """G groups × C competencies, from :func:`aggregate`: `people` in each group; `expected` (people
    whose level assesses the competency), `rated` (people with a figure), `counted` (rated and
    expected: `expected - counted` are the unknown), `mean_figure` (over the rated), `mean_gap` and
    `meeting` (share of the counted at or above their expectation); NaN where nobody counts."""

    people: IntArray
    expected: IntArray
    rated: IntArray
    counted: IntArray
    mean_figure: FloatArray
    mean_gap: FloatArray
    meeting: FloatArray
    gap_sum: FloatArray


def _per_group(values: FloatArray, group: IntArray, groups: int) -> FloatArray:
    """Sum of each column of `values` (P, C) per group: (G, C)."""
    columns = values.shape[1]
    # One weighted count over (group, column) cells: much faster than np.add.at on 100,000 rows.
    cell = (group[:, None] * columns + np.arange(columns, dtype=np.int64)).ravel()
    sums = np.bincount(cell, weights=values.ravel(), minlength=groups * columns)
    return sums.reshape(groups, columns).astype(np.float64, copy=False)


def aggregate(matrix: SkillsMatrix) -> GroupCells:
    """Every group × competency cell of `matrix` (the module's rules)."""
    groups = len(matrix.groups)
    rated_mask = ~np.isnan(matrix.figures)
    expected_mask = ~np.isnan(matrix.expected)
    counted_mask = rated_mask & expected_mask
    gap = np.where(counted_mask, matrix.figures - matrix.expected, 0.0)
    meets = counted_mask & (gap >= -TOLERANCE)
    expected = _per_group(expected_mask.astype(np.float64), matrix.group, groups)
    rated = _per_group(rated_mask.astype(np.float64), matrix.group, groups)
    counted = _per_group(counted_mask.astype(np.float64), matrix.group, groups)
    figure_sum = _per_group(np.where(rated_mask, matrix.figures, 0.0), matrix.group, groups)
    gap_sum = _per_group(gap, matrix.group, groups)
    meeting = _per_group(meets.astype(np.float64), matrix.group, groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return GroupCells(
            people=np.bincount(matrix.group, minlength=groups).astype(np.int64),
            expected=expected.astype(np.int64),
            rated=rated.astype(np.int64),
            counted=counted.astype(np.int64),
            mean_figure=np.where(rated > 0, figure_sum / rated, np.nan),
            mean_gap=np.where(counted > 0, gap_sum / counted, np.nan),
            meeting=np.where(counted > 0, meeting / counted, np.nan),
            gap_sum=gap_sum,
        )


@dataclass(frozen=True, slots=True)
class Pattern:
    """One group standing out on one competency: its mean gap against everyone else's."""

    group: str
    competency: str
    strong: bool
    mean_gap: float
    others_mean_gap: float
    people: int


def patterns(matrix: SkillsMatrix, cells: GroupCells | None = None) -> list[Pattern]:
    """The groups' strengths and weaknesses (the module's rules), by group, then the largest
    difference first."""
    cells = cells if cells is not None else aggregate(matrix)
    total_counted = cells.counted.sum(axis=0)
    total_gap = cells.gap_sum.sum(axis=0)
    # Every cell at once (a company has thousands of teams); only the few patterns are Python.
    inside = cells.counted
    outside = total_counted[None, :] - inside
    readable = (inside >= MIN_PATTERN_PEOPLE) & (outside >= MIN_PATTERN_PEOPLE)
    with np.errstate(invalid="ignore", divide="ignore"):
        others = np.where(readable, (total_gap[None, :] - cells.gap_sum) / np.maximum(outside, 1), np.nan)
        difference = np.where(readable, cells.mean_gap - others, 0.0)
    standing = readable & (np.abs(difference) + TOLERANCE >= PATTERN_MARGIN)
    found: list[tuple[int, float, int, Pattern]] = []
    for g, c in zip(*np.nonzero(standing), strict=True):
        g, c = int(g), int(c)
        mine, theirs, gap = float(cells.mean_gap[g, c]), float(others[g, c]), float(difference[g, c])
        pattern = Pattern(
            matrix.groups[g],
            matrix.competencies[c],
            gap > 0,
            round(mine, 6),
            round(theirs, 6),
            int(inside[g, c]),
        )
        found.append((g, -abs(gap), c, pattern))
    return [pattern for *_, pattern in sorted(found, key=lambda entry: entry[:3])]
