"""Matching everyone to many opportunities at once: every active person's demonstrated figures read
in bulk as an array, and the best candidates of each opportunity ranked from it
(`trellis.evaluation.matching.rank_all`). For the company-wide matching (and its benchmark); one
person's figures, with their provenance, are `growth.selectors.demonstrated_get`'s.

**The figures** (:func:`demonstrated_matrix`) follow `trellis.evaluation.gaps`'s rules from the
stored results of the cycles whose results count (`reviews.cycle_results`: per person and cycle,
the calibrated score, else the manager's): per competency, the *assessed* figure of the latest such
cycle that has one (by end date, then name, as `gaps` breaks a tie). A query per counted cycle
for its results, and a few more, whatever the number of people; no Python step per rating.

**Left out at this scale:** self-ratings. `gaps` uses a self-rating only where no cycle has an
assessed result for the competency; reading them for a whole company would mean every self-rating
of every counted cycle (4.8 million for 100,000 people over four cycles), so here such a
competency is *unknown* — never met, never short — where the person's own gaps page shows the
self-rating, labelled as such.

Callers check the policy: these read everyone's figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db import connection

from trellis.evaluation.cycle_results import unpack
from trellis.evaluation.matching import RankFields, rank_all, rank_key_fields
from trellis.web.mobility.models import Opportunity, OpportunityRequirement
from trellis.web.people.models import Person
from trellis.web.reviews.cycle_results import COUNTED_PHASES, cycle_results_ensure
from trellis.web.reviews.models import CompetencyCode, CycleResult, ReviewCycle

__all__ = [
    "CANDIDATES_PER_OPPORTUNITY",
    "Candidate",
    "DemonstratedMatrix",
    "demonstrated_matrix",
    "rank_people_for_all",
]

#: How many of the best-fitting people are kept per opportunity.
CANDIDATES_PER_OPPORTUNITY = 50


@dataclass(frozen=True, slots=True)
class DemonstratedMatrix:
    """`scores[i, j]`: the figure of person `person_ids[i]` on competency `competencies[j]`, NaN
    where unknown. Every active person has a row (by id ascending), with or without figures."""

    person_ids: npt.NDArray[np.int64]
    competencies: list[str]
    scores: npt.NDArray[np.float64]


def demonstrated_matrix(*, competencies: Sequence[str] | None = None) -> DemonstratedMatrix:
    """Every active person's assessed figure per competency (see the module's rules), for
    `competencies` (every competency rated, when None) in that order."""
    person_ids = np.array(
        Person.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True), dtype=np.int64
    )
    cycles = list(
        ReviewCycle.objects.filter(phase__in=COUNTED_PHASES)
        .order_by("ends_on", "name", "pk")
        .values_list("pk", flat=True)
    )
    cycle_results_ensure(cycles)
    codes = list(CompetencyCode.objects.values_list("pk", "competency_id"))
    columns = list(competencies) if competencies is not None else sorted(c for _, c in codes)
    scores = np.full((len(person_ids), len(columns)), np.nan, dtype=np.float64)
    if not columns or not len(person_ids):
        return DemonstratedMatrix(person_ids, columns, scores)
    position = {competency: index for index, competency in enumerate(columns)}
    column_of = np.full(max((pk for pk, _ in codes), default=0) + 1, -1, dtype=np.int64)
    for pk, competency in codes:
        column_of[pk] = position.get(competency, -1)
    table = connection.ops.quote_name(CycleResult._meta.db_table)
    # Oldest cycle first, each one's figures written over the earlier ones': the latest wins. One
    # query per cycle (no cycle column to carry); one result per person in it, one item per
    # competency in a result: no (row, column) twice in one write.
    with connection.cursor() as cursor:
        for cycle in cycles:
            cursor.execute(f"SELECT person_id, scores FROM {table} WHERE cycle_id = %s", [cycle])
            fetched = cursor.fetchall()
            if not fetched:
                continue
            people = np.fromiter((row[0] for row in fetched), dtype=np.int64, count=len(fetched))
            counts, items, values = unpack([row[1] for row in fetched])
            del fetched
            found = np.minimum(np.searchsorted(person_ids, people), len(person_ids) - 1)
            rows = np.repeat(np.where(person_ids[found] == people, found, -1), counts)
            cols = column_of[items]
            wanted = (rows >= 0) & (cols >= 0)
            scores[rows[wanted], cols[wanted]] = values[wanted]
    return DemonstratedMatrix(person_ids, columns, scores)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person among an opportunity's best candidates, with their rank key (smaller first)."""

    person_id: int
    key: int

    @property
    def rank(self) -> RankFields:
        """What the key says: unknown, unmet requirements, total shortfall, unknowns."""
        return rank_key_fields(self.key)


def rank_people_for_all(
    opportunities: Iterable[Opportunity], *, top: int = CANDIDATES_PER_OPPORTUNITY
) -> dict[int, list[Candidate]]:
    """Each of `opportunities`' `top` best-fitting active people, best first (by id: the
    `trellis.evaluation.matching` ranking, ties by person id), from their requirements and
    :func:`demonstrated_matrix`. Three queries and the arrays, whatever the numbers."""
    ids = [opportunity.pk for opportunity in opportunities]
    if not ids:
        return {}
    requirements = list(
        OpportunityRequirement.objects.filter(opportunity_id__in=ids).values_list(
            "opportunity_id", "competency_id", "minimum"
        )
    )
    competencies = sorted({competency for _, competency, _ in requirements})
    matrix = demonstrated_matrix(competencies=competencies)
    row_of = {opportunity_id: row for row, opportunity_id in enumerate(ids)}
    column_of = {competency: column for column, competency in enumerate(competencies)}
    minima = np.full((len(ids), len(competencies)), np.nan, dtype=np.float64)
    for opportunity_id, competency, minimum in requirements:
        minima[row_of[opportunity_id], column_of[competency]] = minimum
    index, keys = rank_all(matrix.scores, minima, top=top)
    people = matrix.person_ids[index].tolist()
    return {
        opportunity_id: [
            Candidate(person_id=person, key=key)
            for person, key in zip(people[row], keys[row].tolist(), strict=True)
        ]
        for opportunity_id, row in row_of.items()
    }
