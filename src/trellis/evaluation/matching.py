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
from typing import Any

import numpy as np
import numpy.typing as npt

from trellis.evaluation.gaps import Demonstrated, GapStatus, shortfall
from trellis.evaluation.readiness import TOLERANCE

__all__ = [
    "MAX_REQUIREMENTS",
    "Match",
    "RankFields",
    "Requirement",
    "RequirementResult",
    "match",
    "rank_all",
    "rank_key",
    "rank_key_fields",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
AnyArray = npt.NDArray[Any]

#: The ranking packed into one integer, smaller first: the unknown class, then unmet requirements,
#: then the total shortfall in thousandths of a point, then the unknowns; each field's bits.
_UNMET_BITS = 6
_SHORTFALL_BITS = 20
_UNKNOWN_BITS = 6
#: An opportunity requires at most this many competencies (the packing's limit, far above use).
MAX_REQUIREMENTS = (1 << _UNMET_BITS) - 1
#: `rank_all` appends the person's index below the key: at most this many people.
_INDEX_BITS = 27
_INDEX_MASK = (1 << _INDEX_BITS) - 1
#: `rank_all` sums a key's fields below the unknown class in a uint32, laid out as in the key.
_SUM_UNKNOWN = 0
_SUM_SHORTFALL = _UNKNOWN_BITS
_SUM_UNMET = _SUM_SHORTFALL + _SHORTFALL_BITS
_SUM_CLASS = _SUM_UNMET + _UNMET_BITS
_SHORTFALL_CAP = (1 << _SHORTFALL_BITS) - 1
#: How near a whole number of thousandths a figure must be for its shortfall to be summed as one.
_MILLI_SLACK = 1e-6
#: People evaluated per block of the all-pairs matching (its arrays are block × opportunities).
_BLOCK = 512


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


@dataclass(frozen=True, slots=True)
class RankFields:
    """What a rank key says (:func:`rank_key_fields`): the shortfall to a thousandth of a point,
    capped where the key's field ends."""

    unknown_class: bool
    unmet: int
    total_shortfall: float
    unknowns: int


def rank_key_fields(key: int) -> RankFields:
    """The fields of a :func:`rank_key` (as `rank_all` returns them)."""
    unknowns = key & ((1 << _UNKNOWN_BITS) - 1)
    key >>= _UNKNOWN_BITS
    millis = key & ((1 << _SHORTFALL_BITS) - 1)
    key >>= _SHORTFALL_BITS
    return RankFields(
        unknown_class=bool(key >> _UNMET_BITS),
        unmet=key & ((1 << _UNMET_BITS) - 1),
        total_shortfall=millis / 1000,
        unknowns=unknowns,
    )


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


def _whole_millis(values: FloatArray) -> bool:
    """Whether every figure of `values` (NaN aside) is a whole number of thousandths."""
    known = values[~np.isnan(values)] * 1000
    return bool(np.all(np.abs(known - np.rint(known)) < _MILLI_SLACK))


def rank_all(scores: FloatArray, minima: FloatArray, *, top: int) -> tuple[IntArray, IntArray]:
    """The `top` people of every opportunity, best first, from arrays.

    `scores` (P, C): each person's demonstrated figure per competency column, NaN where unknown;
    `minima` (O, C): each opportunity's minimum per column, NaN where it requires nothing. Returns
    (O, min(top, P)) arrays of people indices and their rank keys (:func:`rank_key`).

    How: each (column, minimum) some opportunity asks for is a *pair*. Per block of `_BLOCK`
    people, each pair's part of a rank key — unknown, unmet and the shortfall in thousandths, laid
    out as in the key — is one uint32, so an opportunity's key is the sum of its requirements'
    parts: rows gathered and added, no work for the pairs it does not ask for. When some figure is
    not a whole number of thousandths, or the shortfalls could overflow their field, the shortfall
    is summed apart in float64 and rounded once, as :attr:`Match.rank_key` does. The best `top` so
    far are kept per opportunity, and a block's person is only looked at when their sum is under the
    worst kept, so after the first blocks hardly anyone is. Memory stays at a few `_BLOCK` × O
    arrays whatever P.
    """
    people = scores.shape[0]
    if people >= 1 << _INDEX_BITS:
        raise ValueError(f"at most {1 << _INDEX_BITS} people can be ranked at once, not {people}")
    opportunities = minima.shape[0]
    keep = min(top, people)
    required = ~np.isnan(minima)  # (O, C)
    count = required.sum(axis=1).astype(np.int64)  # (O,)
    most = int(count.max(initial=0))
    _check_count(most)
    if keep <= 0 or opportunities == 0:
        return np.zeros((opportunities, max(keep, 0)), dtype=np.int64), np.zeros(
            (opportunities, max(keep, 0)), dtype=np.int64
        )
    # Opportunities with more requirements first: requirement k concerns the first `asking[k]`.
    order = np.argsort(-count, kind="stable")
    pair_of: dict[tuple[int, float], int] = {}
    requirement = np.zeros((opportunities, most), dtype=np.intp)
    for row, opportunity in enumerate(order.tolist()):
        for k, column in enumerate(np.flatnonzero(required[opportunity]).tolist()):
            pair = (column, float(minima[opportunity, column]))
            requirement[row, k] = pair_of.setdefault(pair, len(pair_of))
    asking = [int(np.count_nonzero(count > k)) for k in range(most)]
    pair_columns = np.array([column for column, _ in pair_of], dtype=np.intp)
    pair_minima = np.array([minimum for _, minimum in pair_of], dtype=np.float64)[:, None]
    # Shortfalls in whole thousandths are summed in the key itself when none can overflow its field.
    lowest = np.min(np.where(np.isnan(scores), np.inf, scores), axis=0, initial=np.inf)
    widest = float(np.max(pair_minima[:, 0] - lowest[pair_columns], initial=0.0))
    exact = (
        _whole_millis(pair_minima)
        and _whole_millis(scores)
        and (not np.isfinite(widest) or widest * 1000 * most < _SHORTFALL_CAP)
    )
    # The sum of a person all of whose requirements are unknown (none for an opportunity requiring
    # nothing: no sum is -1).
    in_order = count[order]
    everything_unknown = np.where(in_order > 0, (in_order << _SUM_UNMET) | (in_order << _SUM_UNKNOWN), -1)[
        :, None
    ]
    sums = np.empty((opportunities, _BLOCK), dtype=np.uint32)
    gathered = np.empty_like(sums)
    owed_sums = np.empty((0 if exact else opportunities, _BLOCK), dtype=np.float64)
    owed_gathered = np.empty_like(owed_sums)
    best: IntArray | None = None
    for start in range(0, people, _BLOCK):
        figure = scores[start : start + _BLOCK].T[pair_columns]  # (pairs, size); NaN where unknown
        size = figure.shape[1]
        unknown = np.isnan(figure)
        missing = pair_minima - figure
        short = missing > TOLERANCE  # False where unknown (NaN compares false)
        part = unknown.astype(np.uint32) << _SUM_UNKNOWN
        part |= (unknown | short).astype(np.uint32) << _SUM_UNMET
        if exact:
            part |= np.where(short, np.rint(missing * 1000), 0).astype(np.uint32) << _SUM_SHORTFALL
        summed = _gathered_sum(part, requirement, asking, sums[:, :size], gathered[:, :size])
        if not exact:
            owed = _gathered_sum(
                np.where(short, missing, 0.0),
                requirement,
                asking,
                owed_sums[:, :size],
                owed_gathered[:, :size],
            )
            millis = np.minimum(np.rint(owed * 1000), _SHORTFALL_CAP).astype(np.uint32)
            summed += millis << _SUM_SHORTFALL
        best = _kept(best, summed, everything_unknown, start, keep)
    assert best is not None
    ranked = np.empty_like(best)
    ranked[order] = best
    return ranked & _INDEX_MASK, ranked >> _INDEX_BITS


def _gathered_sum(
    part: AnyArray,
    requirement: npt.NDArray[np.intp],
    asking: list[int],
    into: AnyArray,
    scratch: AnyArray,
) -> AnyArray:
    """Per opportunity (a row of `into`), the sum of the rows of `part` its requirements name."""
    if not asking:
        into[:] = 0
        return into
    np.take(part, requirement[: asking[0], 0], axis=0, out=into[: asking[0]])
    into[asking[0] :] = 0
    for k, rows in enumerate(asking[1:], start=1):
        np.take(part, requirement[:rows, k], axis=0, out=scratch[:rows])
        into[:rows] += scratch[:rows]
    return into


def _keys(sums: AnyArray, everything_unknown: IntArray, indices: IntArray) -> IntArray:
    """The rank keys of `sums` (of people `indices`), the unknown class from `everything_unknown`."""
    wide: IntArray = sums.astype(np.int64)
    wide |= (wide == everything_unknown).astype(np.int64) << _SUM_CLASS
    wide <<= _INDEX_BITS
    wide |= indices
    return wide


def _kept(
    best: IntArray | None, sums: AnyArray, everything_unknown: IntArray, start: int, keep: int
) -> IntArray:
    """The `keep` smallest keys per opportunity among `best` (O, keep; sorted) and the block's
    `sums` (O, size) of the people from index `start`; sorted."""
    if best is None or best.shape[1] < keep:
        key = _keys(sums, everything_unknown, np.arange(start, start + sums.shape[1], dtype=np.int64))
        merged = key if best is None else np.concatenate([best, key], axis=1)
        if merged.shape[1] > keep:
            merged = np.partition(merged, keep - 1, axis=1)[:, :keep]
        return np.sort(merged, axis=1)
    # A later person loses a tie (a larger index): only sums under a row's worst kept can enter.
    # Compared as uint32: a worst of the unknown class lets every sum through (all are under
    # 2**32 - 1, which no sum reaches: an unknown requirement is never also short).
    worst = best[:, -1:]
    threshold = np.minimum(worst >> _INDEX_BITS, (1 << _SUM_CLASS) - 1).astype(np.uint32)
    # flatnonzero, then the row and column: several times faster than nonzero on a 2-d mask.
    rows, columns = np.divmod(np.flatnonzero(sums < threshold), sums.shape[1])
    if rows.size == 0:
        return best
    key = _keys(sums[rows, columns], everything_unknown[rows, 0], columns.astype(np.int64) + start)
    entering = key < worst[rows, 0]
    rows, key = rows[entering], key[entering]
    if rows.size == 0:
        return best
    touched = np.unique(rows)
    owner = np.concatenate([np.repeat(touched, keep), rows])
    values = np.concatenate([best[touched].ravel(), key])
    ordered = np.lexsort((values, owner))
    owner, values = owner[ordered], values[ordered]
    first = np.searchsorted(owner, touched)
    position = np.arange(owner.size) - np.repeat(first, np.diff(np.append(first, owner.size)))
    result = best.copy()
    result[touched] = values[position < keep].reshape(touched.size, keep)
    return result
