"""The statistics of a calibration session: distributions, manager leniency, outliers, targets. Pure.

Calibration compares ratings across managers. Arithmetic alone misleads: a manager whose three
reports average 4.3 against a group average of 3.6 may simply have three strong people. So every
comparison here carries its size *and* its uncertainty, and only what the data support is flagged.

**Leniency or severity of a manager** (:func:`manager_leniency`). The unit is a person's score (their
overall rating: the mean of their competency ratings, or the calibrated rating), so one person rated
on twelve competencies counts once. For manager m with n_m reports:

- the *effect* is the mean of m's reports minus the mean of everyone else's reports in the group;
- its standard error is ``s · sqrt(1/n_m + 1/n_others)``, where ``s`` is the *pooled within-manager*
  standard deviation (every person's distance from their own manager's mean, over N − M degrees of
  freedom). A manager's own spread is not used: with two or three reports it is noise, and a
  manager whose reports happen to agree would look certain;
- the 95% interval is ``effect ± t · SE`` with Student's t on N − M degrees of freedom;
- a manager is flagged lenient (or severe) only when the interval lies wholly above (below) zero;
- beside it, an empirical-Bayes *shrunken* effect says how much of the difference is likely to be
  the manager rather than chance: the manager's mean minus the mean of the managers' means, times
  ``tau² / (tau² + s² / n_m)``, where tau² (the spread of true manager effects) is estimated by the
  method of moments (the variance of the managers' means less their average sampling variance, at
  least zero). Three reports shrink a lot, thirty little; when managers differ no more than chance
  predicts, every shrunken effect is zero.

**Outliers** (:func:`level_outliers`): a person whose score is far from their level's distribution,
by the modified z-score of Iglewicz and Hoaglin (``0.6745 · (x − median) / MAD``, flagged beyond
3.5): median and median absolute deviation are not pulled by the outliers they look for. Where more
than half of a level share one score the MAD is zero, and the mean absolute deviation (times
1.2533, its ratio to the standard deviation of a normal distribution) stands in for it. A level
needs :data:`OUTLIER_MIN_PEOPLE` people to say anyone is far from it.

**Distributions** count scores on the rating scale's points (a score between points, such as a mean
of 3.4, falls on the nearest point, halves upwards), and :func:`target_comparison` sets the actual
shares beside a target distribution, as guidance: nothing is forced to fit it.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

__all__ = [
    "OUTLIER_MIN_PEOPLE",
    "OUTLIER_THRESHOLD",
    "Distribution",
    "Lean",
    "Leniency",
    "Outlier",
    "PersonScore",
    "TargetRow",
    "check_target",
    "distribution",
    "distributions_by",
    "level_outliers",
    "manager_leniency",
    "nearest_point",
    "student_t_975",
    "target_comparison",
]

#: Iglewicz and Hoaglin's threshold of the modified z-score.
OUTLIER_THRESHOLD = 3.5
#: Fewer people at a level than this, and nobody is called far from it.
OUTLIER_MIN_PEOPLE = 5
#: A target's shares must add up to 1 within this (shares typed as percentages round).
TARGET_SUM_TOLERANCE = 0.005
_MAD_TO_Z = 0.6745
_MEAN_DEVIATION_TO_SD = 1.2533

#: The 97.5th percentile of Student's t (two-sided 95%) by degrees of freedom, from the standard
#: table; between tabulated values the lower degrees of freedom are used (a wider, safer interval).
_T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
    10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110,
    18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060,
    26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980,
}  # fmt: skip
_NORMAL_975 = 1.960


def student_t_975(degrees_of_freedom: int) -> float:
    """The two-sided 95% critical value of Student's t (1.960 beyond 120 degrees of freedom)."""
    if degrees_of_freedom < 1:
        raise ValueError("Student's t needs at least one degree of freedom")
    if degrees_of_freedom > 120:
        return _NORMAL_975
    return _T_975[max(df for df in _T_975 if df <= degrees_of_freedom)]


@dataclass(frozen=True, slots=True)
class PersonScore:
    """One person in a calibration session: their overall `score`, the manager who rated them,
    their team and level (labels, as the page shows them)."""

    person: str
    manager: str
    team: str
    level: str
    score: float


@dataclass(frozen=True, slots=True)
class Distribution:
    """How many scores fall on each point of the scale; `mean` of the scores themselves."""

    points: tuple[float, ...]
    counts: tuple[int, ...]
    mean: float | None

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def shares(self) -> tuple[float, ...]:
        total = self.total
        return tuple(count / total if total else 0.0 for count in self.counts)


def nearest_point(score: float, points: Sequence[float]) -> float:
    """The scale point nearest `score`, the higher one at a tie (3.5 → 4 on 1…5); scores beyond the
    scale fall on its ends."""
    ordered = points if _is_sorted(points) else sorted(points)
    # The first point at or above the score, and the one below it: the nearer wins, the higher on a tie.
    index = bisect.bisect_left(ordered, score)
    if index == 0:
        return ordered[0]
    if index == len(ordered):
        return ordered[-1]
    below, above = ordered[index - 1], ordered[index]
    return above if above - score <= score - below else below


def _is_sorted(points: Sequence[float]) -> bool:
    return all(first <= second for first, second in itertools.pairwise(points))


def distribution(scores: Iterable[float], points: Sequence[float]) -> Distribution:
    """The scores counted on the scale `points` (in increasing order)."""
    ordered = tuple(sorted(points))
    if not ordered:
        raise ValueError("a distribution needs the scale's points")
    counts = dict.fromkeys(ordered, 0)
    total = 0.0
    how_many = 0
    for score in scores:
        counts[nearest_point(score, ordered)] += 1
        total += score
        how_many += 1
    return Distribution(ordered, tuple(counts.values()), total / how_many if how_many else None)


T = TypeVar("T")


def distributions_by(
    items: Iterable[T], key: Callable[[T], str], score: Callable[[T], float], points: Sequence[float]
) -> dict[str, Distribution]:
    """One distribution per `key` (a manager, team, level or competency), keys in sorted order."""
    grouped: dict[str, list[float]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(score(item))
    return {name: distribution(grouped[name], points) for name in sorted(grouped)}


class Lean(StrEnum):
    LENIENT = "lenient"
    SEVERE = "severe"
    WITHIN = "within"


@dataclass(frozen=True, slots=True)
class Leniency:
    """One manager against the rest of the group (see the module's description).

    `low` and `high` bound the 95% interval of `effect`; they and `shrunk` are None when the group
    cannot estimate them (one manager only, or no one with a fellow report to measure spread).
    """

    manager: str
    reports: int
    mean: float
    others_mean: float | None
    effect: float | None
    low: float | None
    high: float | None
    shrunk: float | None

    @property
    def lean(self) -> Lean:
        if self.low is not None and self.low > 0:
            return Lean.LENIENT
        if self.high is not None and self.high < 0:
            return Lean.SEVERE
        return Lean.WITHIN

    @property
    def flagged(self) -> bool:
        return self.lean is not Lean.WITHIN


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def manager_leniency(people: Sequence[PersonScore]) -> list[Leniency]:
    """Each manager's leniency or severity against the others, managers in sorted order."""
    if not people:
        return []
    by_manager: dict[str, list[float]] = defaultdict(list)
    for person in people:
        by_manager[person.manager].append(person.score)
    managers = sorted(by_manager)
    total = len(people)
    grand_sum = math.fsum(person.score for person in people)
    means = {manager: _mean(by_manager[manager]) for manager in managers}
    degrees = total - len(managers)
    within = (
        math.fsum((score - means[manager]) ** 2 for manager in managers for score in by_manager[manager])
        / degrees
        if degrees > 0
        else None
    )
    t = student_t_975(degrees) if degrees > 0 else None
    tau_squared = _between_manager_variance(means, by_manager, within)
    grand_of_means = _mean(list(means.values()))
    results = []
    for manager in managers:
        scores = by_manager[manager]
        reports = len(scores)
        others = total - reports
        others_mean = (grand_sum - math.fsum(scores)) / others if others else None
        effect = means[manager] - others_mean if others_mean is not None else None
        low = high = shrunk = None
        if effect is not None and within is not None and t is not None:
            error = math.sqrt(within * (1 / reports + 1 / others))
            low, high = effect - t * error, effect + t * error
        if tau_squared is not None and within is not None:
            sampling = within / reports
            weight = tau_squared / (tau_squared + sampling) if tau_squared + sampling > 0 else 0.0
            shrunk = weight * (means[manager] - grand_of_means)
        results.append(Leniency(manager, reports, means[manager], others_mean, effect, low, high, shrunk))
    return results


def _between_manager_variance(
    means: Mapping[str, float], by_manager: Mapping[str, Sequence[float]], within: float | None
) -> float | None:
    """tau², the variance of true manager means: the observed variance of the managers' means less
    the average of their sampling variances (within / n_m), never below zero."""
    if within is None or len(means) < 2:
        return None
    centre = _mean(list(means.values()))
    observed = math.fsum((mean - centre) ** 2 for mean in means.values()) / (len(means) - 1)
    sampling = _mean([within / len(by_manager[manager]) for manager in means])
    return max(observed - sampling, 0.0)


@dataclass(frozen=True, slots=True)
class Outlier:
    person: str
    level: str
    score: float
    level_median: float
    modified_z: float


def level_outliers(
    people: Sequence[PersonScore],
    *,
    threshold: float = OUTLIER_THRESHOLD,
    min_people: int = OUTLIER_MIN_PEOPLE,
) -> list[Outlier]:
    """People whose score is far from their level's, by level then the size of the distance."""
    by_level: dict[str, list[PersonScore]] = defaultdict(list)
    for person in people:
        by_level[person.level].append(person)
    found: list[Outlier] = []
    for level in sorted(by_level):
        members = by_level[level]
        if len(members) < min_people:
            continue
        scores = [person.score for person in members]
        centre = _median(scores)
        deviations = [abs(score - centre) for score in scores]
        spread = _median(deviations) / _MAD_TO_Z
        if spread == 0:
            spread = _MEAN_DEVIATION_TO_SD * _mean(deviations)
        if spread == 0:
            continue
        level_found = [
            Outlier(person.person, level, person.score, centre, (person.score - centre) / spread)
            for person in members
            if abs(person.score - centre) / spread > threshold
        ]
        found.extend(sorted(level_found, key=lambda outlier: (-abs(outlier.modified_z), outlier.person)))
    return found


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One scale point: the actual count and share beside the target share, the count the target
    would give this many people, and the difference of shares (actual − target)."""

    point: float
    actual_count: int
    actual_share: float
    target_share: float
    target_count: float
    difference: float


def check_target(points: Sequence[float], target: Mapping[float, float]) -> None:
    """ValueError unless `target` (point → share) names only `points`, with shares of zero or more
    adding up to 1."""
    unknown = sorted(set(target) - set(points))
    if unknown:
        raise ValueError(f"the target names points that are not on the scale: {unknown}")
    if any(share < 0 for share in target.values()):
        raise ValueError("a target share cannot be negative")
    if abs(math.fsum(target.values()) - 1.0) > TARGET_SUM_TOLERANCE:
        raise ValueError("the target shares must add up to 100%")


def target_comparison(actual: Distribution, target: Mapping[float, float]) -> list[TargetRow]:
    """The actual distribution beside `target` (point → share; points it leaves out have 0).

    Raises ValueError for a point not on the scale, a negative share, or shares that do not add up
    to 1.
    """
    check_target(actual.points, target)
    total = actual.total
    rows = []
    for point, count, share in zip(actual.points, actual.counts, actual.shares, strict=True):
        wanted = target.get(point, 0.0)
        rows.append(TargetRow(point, count, share, wanted, wanted * total, share - wanted))
    return rows
