"""Rater agreement of a framework's behavioural descriptions, from stored ratings. Pure.

A *unit* is one person's one competency in one cycle; its values are the scores its raters gave
(self, manager, each peer, the calibrated result). Every unit belongs to the description the person
was rated against — the competency at the level they held in that cycle, (family, track, level,
competency) — and so to that competency and that level. Alpha (ordinal by default) is computed per
description, per competency and per level by :func:`trellis.evaluation.agreement.agreement`, with
its bootstrap interval; a group with fewer than :data:`AGREEMENT_MIN_UNITS` pairable units (rated
by two raters or more) has no figure at all ("not enough ratings yet"), never an alpha from two
units, and no interval is drawn for it (the bootstrap is most of the cost). A description is
flagged when its alpha is below :data:`~trellis.evaluation.agreement.ALPHA_TENTATIVE`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from trellis.evaluation.agreement import (
    ALPHA_TENTATIVE,
    DEFAULT_SEED,
    Agreement,
    LevelOfMeasurement,
    agreement,
)

__all__ = [
    "AGREEMENT_MIN_UNITS",
    "DescriptionKey",
    "FrameworkAgreement",
    "GroupFigure",
    "LevelKey",
    "RatedValue",
    "framework_agreement",
]

#: The fewest pairable units (person × competency × cycle rated by two raters or more) a group needs
#: before its alpha is shown; below it the group says "not enough ratings yet".
AGREEMENT_MIN_UNITS = 10

#: (family id, track id, level code).
LevelKey = tuple[str, str, str]
#: (family id, track id, level code, competency id): one behavioural description.
DescriptionKey = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class RatedValue:
    """One score: the unit it rates (cycle, person, competency), the level the person held in that
    cycle and the score."""

    cycle: int
    person: int
    competency: str
    family: str
    track: str
    level: str
    score: float


@dataclass(frozen=True, slots=True)
class GroupFigure:
    """A group's agreement and the number of distinct people among its pairable units; `enough` is
    False below :data:`AGREEMENT_MIN_UNITS` pairable units (show no number then)."""

    agreement: Agreement
    people: int

    @property
    def enough(self) -> bool:
        return self.agreement.alpha is not None and self.agreement.units >= AGREEMENT_MIN_UNITS

    @property
    def flagged(self) -> bool:
        """Enough units and alpha below :data:`ALPHA_TENTATIVE`."""
        return self.enough and self.agreement.flagged


@dataclass(frozen=True, slots=True)
class FrameworkAgreement:
    """Every group's figure: by description, by competency and by level (keys sorted)."""

    descriptions: Mapping[DescriptionKey, GroupFigure]
    competencies: Mapping[str, GroupFigure]
    levels: Mapping[LevelKey, GroupFigure]
    threshold: float = ALPHA_TENTATIVE

    @property
    def flagged_descriptions(self) -> list[DescriptionKey]:
        return [key for key, figure in self.descriptions.items() if figure.flagged]


def _groups(
    labels: np.ndarray, unit: np.ndarray, person: np.ndarray, values: np.ndarray, **options: object
) -> dict[int, GroupFigure]:
    """Each group code's figure (codes 0..n-1 in `labels`)."""
    figures: dict[int, GroupFigure] = {}
    order = np.argsort(labels, kind="stable")
    codes = labels[order]
    bounds = np.searchsorted(codes, np.arange(int(labels.max(initial=-1)) + 2))
    for code in range(len(bounds) - 1):
        members = order[bounds[code] : bounds[code + 1]]
        if members.size == 0:
            continue
        units, counts = np.unique(unit[members], return_counts=True)
        pairable = set(units[counts >= 2].tolist())
        # A group too small to show a figure needs no interval: the bootstrap is most of the cost.
        chosen = options if len(pairable) >= AGREEMENT_MIN_UNITS else {**options, "replicates": 0}
        result = agreement(unit[members], values[members], **chosen)  # type: ignore[arg-type]
        people = len(
            {
                int(p)
                for u, p in zip(unit[members].tolist(), person[members].tolist(), strict=True)
                if u in pairable
            }
        )
        figures[code] = GroupFigure(result, people)
    return figures


def framework_agreement(
    values: Sequence[RatedValue],
    *,
    level: LevelOfMeasurement = LevelOfMeasurement.ORDINAL,
    replicates: int,
    seed: int = DEFAULT_SEED,
) -> FrameworkAgreement:
    """Alpha of every description, competency and level from `values` (one per score given), each
    with a bootstrap interval of `replicates` resamples of its units (0: none)."""
    if not values:
        return FrameworkAgreement({}, {}, {})
    unit_of: dict[tuple[int, int, str], int] = {}
    units = np.array(
        [unit_of.setdefault((v.cycle, v.person, v.competency), len(unit_of)) for v in values], dtype=np.int64
    )
    person = np.array([v.person for v in values], dtype=np.int64)
    scores = np.array([v.score for v in values], dtype=np.float64)
    options = {"level": level, "replicates": replicates, "seed": seed}

    def grouped(keys: list[object]) -> dict[object, GroupFigure]:
        names = sorted(set(keys))  # type: ignore[type-var]
        code_of = {name: code for code, name in enumerate(names)}
        labels = np.array([code_of[key] for key in keys], dtype=np.int64)
        figures = _groups(labels, units, person, scores, **options)
        return {names[code]: figure for code, figure in sorted(figures.items())}

    descriptions = grouped([(v.family, v.track, v.level, v.competency) for v in values])
    competencies = grouped([v.competency for v in values])
    levels = grouped([(v.family, v.track, v.level) for v in values])
    return FrameworkAgreement(
        descriptions=descriptions,  # type: ignore[arg-type]
        competencies=competencies,  # type: ignore[arg-type]
        levels=levels,  # type: ignore[arg-type]
    )
