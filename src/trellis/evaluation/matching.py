"""Matching people to internal opportunities: how well a person's demonstrated proficiency meets an
opportunity's requirements, explained, and the ranking of candidates. Pure: numpy, no Django.

An opportunity (a role, a project, a gig) requires competencies, each at a minimum proficiency
(:class:`Requirement`). Against one person's demonstrated figures
(:func:`trellis.evaluation.gaps.demonstrated_proficiency`), each requirement is met, short by how
much, or unknown (no figure: never met, never a shortfall) — :func:`match`.

**Ranking** (:attr:`Match.rank_key`, smaller first): a person with no figure on any requirement is
*unknown* and ranks after everyone with at least one figure, however short; among the others, fewer
unmet requirements first (short or unknown — one competency short ranks above three short), then the
smaller total shortfall, then the fewer unknowns. :func:`rank_all` ranks every person for every
opportunity from arrays, under exactly these rules (a test holds the two paths equal), for the
company-wide matching; ties keep the people's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from trellis.evaluation.gaps import Demonstrated, GapStatus, shortfall
from trellis.evaluation.readiness import TOLERANCE

__all__ = [
    "MAX_REQUIREMENTS",
    "Match",
    "Requirement",
    "RequirementResult",
    "match",
    "rank_all",
    "rank_key",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The ranking packed into one integer, smaller first: the unknown class, then unmet requirements,
#: then the total shortfall in thousandths of a point, then the unknowns; each field's bits.
_UNMET_BITS = 6
_SHORTFALL_BITS = 20
_UNKNOWN_BITS = 6
#: An opportunity requires at most this many competencies (the packing's limit, far above use).
MAX_REQUIREMENTS = (1 << _UNMET_BITS) - 1
#: `rank_all` appends the person's index below the key: at most this many people.
_INDEX_BITS = 27
#: People evaluated per block of the all-pairs matching (its arrays are block × opportunities).
_BLOCK = 4_096


@dataclass(frozen=True, slots=True)
class Requirement:
    competency: str
    minimum: float


@dataclass(frozen=True, slots=True)
class RequirementResult:
    requirement: Requirement
    demonstrated: Demonstrated | None
    #: The minimum minus the figure, 0 once met; None when there is no figure.
    shortfall: float | None

    @property
    def status(self) -> GapStatus:
        if self.shortfall is None:
            return GapStatus.UNKNOWN
        return GapStatus.MET if self.shortfall == 0 else GapStatus.SHORT


@dataclass(frozen=True, slots=True)
class Match:
    """One person against one opportunity: each requirement's result, in the opportunity's order."""

    results: tuple[RequirementResult, ...]

    def count(self, status: GapStatus) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def unknown(self) -> bool:
        """No figure on any requirement: shown as unknown, never as a match."""
        return bool(self.results) and self.count(GapStatus.UNKNOWN) == len(self.results)

    @property
    def total_shortfall(self) -> float:
        return sum(result.shortfall or 0.0 for result in self.results)

    @property
    def fit(self) -> float | None:
        """The share of requirements met (1 when there are none); None when unknown."""
        if self.unknown:
            return None
        return self.count(GapStatus.MET) / len(self.results) if self.results else 1.0

    @property
    def rank_key(self) -> int:
        return rank_key(
            unknown_class=self.unknown,
            unmet=len(self.results) - self.count(GapStatus.MET),
            total_shortfall=self.total_shortfall,
            unknowns=self.count(GapStatus.UNKNOWN),
        )


def rank_key(*, unknown_class: bool, unmet: int, total_shortfall: float, unknowns: int) -> int:
    """The ranking as one integer, smaller first (the module's rules); the shortfall counts to a
    thousandth of a point."""
    key = int(unknown_class)
    key = (key << _UNMET_BITS) | unmet
    key = (key << _SHORTFALL_BITS) | min(round(total_shortfall * 1000), (1 << _SHORTFALL_BITS) - 1)
    return (key << _UNKNOWN_BITS) | unknowns


def match(requirements: Sequence[Requirement], demonstrated: Mapping[str, Demonstrated]) -> Match:
    """Each of `requirements` against the person's `demonstrated` figures."""
    _check_count(len(requirements))
    results = []
    for requirement in requirements:
        figure = demonstrated.get(requirement.competency)
        results.append(
            RequirementResult(
                requirement=requirement,
                demonstrated=figure,
                shortfall=shortfall(requirement.minimum, figure.score if figure is not None else None),
            )
        )
    return Match(results=tuple(results))


def _check_count(requirements: int) -> None:
    if requirements > MAX_REQUIREMENTS:
        raise ValueError(
            f"an opportunity requires at most {MAX_REQUIREMENTS} competencies, not {requirements}"
        )


def rank_all(scores: FloatArray, minima: FloatArray, *, top: int) -> tuple[IntArray, IntArray]:
    """The `top` people of every opportunity, best first, from arrays.

    `scores` (P, C): each person's demonstrated figure per competency column, NaN where unknown;
    `minima` (O, C): each opportunity's minimum per column, NaN where it requires nothing. Returns
    (O, min(top, P)) arrays of people indices and their rank keys (:func:`rank_key`), computed in
    blocks of `_BLOCK` people so memory stays at a few block × O arrays whatever P.
    """
    people, columns = scores.shape
    if people >= 1 << _INDEX_BITS:
        raise ValueError(f"at most {1 << _INDEX_BITS} people can be ranked at once, not {people}")
    opportunities = minima.shape[0]
    keep = min(top, people)
    required = ~np.isnan(minima)  # (O, C)
    count = required.sum(axis=1).astype(np.int64)  # (O,)
    _check_count(int(count.max(initial=0)))
    # Each (column, distinct minimum) asked for becomes one column of the people's side, and each
    # opportunity picks its columns with a one-hot matrix: the three sums are matrix products.
    pairs = [(c, t) for c in range(columns) for t in np.unique(minima[required[:, c], c])]
    picks = np.zeros((len(pairs), opportunities), dtype=np.float64)
    for row, (c, t) in enumerate(pairs):
        picks[row] = minima[:, c] == t
    pair_columns = np.array([c for c, _ in pairs], dtype=np.int64)
    pair_minima = np.array([t for _, t in pairs], dtype=np.float64)
    # Opportunities by rows, so every block's arrays are (O, block) and no transpose is copied.
    asked = required.astype(np.float32)  # (O, C)
    picks_met = picks.T.astype(np.float32)  # (O, pairs)
    picks_short = picks.T  # (O, pairs), float64: shortfalls are summed exactly enough to round
    count_f = count.astype(np.float64)[:, None]
    best = np.zeros((opportunities, 0), dtype=np.int64)
    for start in range(0, people, _BLOCK):
        block = scores[start : start + _BLOCK].T  # (C, size)
        figure = block[pair_columns]  # (pairs, size); NaN where unknown
        known = ~np.isnan(figure)
        missing = pair_minima[:, None] - figure
        short = np.where(known & (missing > TOLERANCE), missing, 0.0)
        # Counts of 0/1 up to 63 are exact in float32; every field below is an integer in float64.
        met = picks_met @ (known & (missing <= TOLERANCE)).astype(np.float32)
        unknown = asked @ np.isnan(block).astype(np.float32)
        millis = np.minimum(np.rint((picks_short @ short) * 1000), (1 << _SHORTFALL_BITS) - 1)
        unknown_class = (unknown == count_f) & (count_f > 0)
        key = unknown_class * float(1 << _UNMET_BITS) + (count_f - met)
        key = (key * float(1 << _SHORTFALL_BITS) + millis) * float(1 << _UNKNOWN_BITS) + unknown
        packed = (key.astype(np.int64) << _INDEX_BITS) | np.arange(
            start, start + block.shape[1], dtype=np.int64
        )
        merged = np.concatenate([best, packed], axis=1)
        if merged.shape[1] > keep:
            merged = np.partition(merged, keep - 1, axis=1)[:, :keep]
        best = np.sort(merged, axis=1)
    return best & ((1 << _INDEX_BITS) - 1), best >> _INDEX_BITS
