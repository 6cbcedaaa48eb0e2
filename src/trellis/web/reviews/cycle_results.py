"""Each person's result per counted cycle (`CycleResult`), built from the ratings and read back in
bulk: what readiness reads instead of the ratings themselves.

**What a result is.** For one person and cycle, per competency with a score: the calibrated score,
else the manager's (a calibrated rating without a score falls back to the manager's) — exactly the
aggregate readiness used to run over the ratings, now run once per cycle in SQL
(:func:`cycle_results_build`) and stored packed (`trellis.evaluation.cycle_results`).

**Kept exact.** Results are built for the cycles whose results count (:data:`COUNTED_PHASES`):

- whole, when a cycle enters a counted phase (`cycle_services.cycle_advance`), when past cycles are
  imported (`rating_import_services`), and, for a counted cycle never built (made outside the
  services), the first time readiness reads it (:func:`cycle_results_ensure`);
- for the people concerned, when a rating of a counted cycle changes: calibration in a session still
  open (:func:`cycle_results_refresh`), and every per-person readiness recomputation rebuilds its
  people's results first (`readiness_services.readiness_recompute`) — every service that changes a
  rating calls `readiness_inputs_changed`, which runs it after commit.

:func:`cycle_results_rebuild` (``trellis manage cycle_results_rebuild``) writes every counted cycle
again from its ratings. Derived data: not audited (the ratings' changes are, where they are made).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from trellis.evaluation.cycle_results import CODE_DIGITS, CODE_LIMIT, SCORE_DIGITS, unpack
from trellis.web.reviews.models import (
    CompetencyCode,
    CycleResult,
    CycleResultBuild,
    Rating,
    ReviewCycle,
    Source,
)

__all__ = [
    "COUNTED_PHASES",
    "PackedResults",
    "cycle_results_build",
    "cycle_results_ensure",
    "cycle_results_read",
    "cycle_results_rebuild",
    "cycle_results_refresh",
]

#: The phases of a cycle whose results count: shared with the employee, or closed.
COUNTED_PHASES = (ReviewCycle.Phase.SHARED, ReviewCycle.Phase.CLOSED)


def _in(column: str, values: Sequence[int]) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _ratings_scope(cycle_ids: Sequence[int], person_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) of the ratings a result is made of."""
    where = f"source IN (%s, %s) AND score IS NOT NULL AND {_in('cycle_id', cycle_ids)}"
    parameters: list[Any] = [Source.CALIBRATED.value, Source.MANAGER.value, *cycle_ids]
    if person_ids is not None:
        where += f" AND {_in('subject_id', person_ids)}"
        parameters.extend(person_ids)
    return where, parameters


def _codes_ensure(where: str, parameters: list[Any]) -> None:
    """Give a code to every competency of the ratings in scope that has none yet."""
    table = connection.ops.quote_name(Rating._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT competency_id FROM {table} WHERE {where}", parameters)
        rated = {row[0] for row in cursor.fetchall()}
    missing = rated - set(CompetencyCode.objects.values_list("competency_id", flat=True))
    if missing:
        CompetencyCode.objects.bulk_create(
            [CompetencyCode(competency_id=competency) for competency in sorted(missing)],
            ignore_conflicts=True,
        )
        if (CompetencyCode.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) >= CODE_LIMIT:
            raise RuntimeError(f"more than {CODE_LIMIT - 1} competency codes: widen CODE_DIGITS")


def _item_sql() -> tuple[str, str]:
    """One packed item (code then score, zero-padded) and the aggregate joining them, in this
    database's dialect (``%%`` stands for ``%`` in a query with parameters)."""
    if connection.vendor == "postgresql":
        return (
            f"lpad(CAST(c.id AS TEXT), {CODE_DIGITS}, '0') || lpad(CAST(g.score AS TEXT), {SCORE_DIGITS}, '0')",
            "string_agg",
        )
    return f"printf('%%0{CODE_DIGITS}d%%0{SCORE_DIGITS}d', c.id, g.score)", "group_concat"


def cycle_results_build(*, cycle_ids: Sequence[int], person_ids: Sequence[int] | None = None) -> int:
    """Write the results of `cycle_ids` (of `person_ids` only, when given) again from their ratings,
    in one aggregate per call; the number of results written. A whole build (no `person_ids`) is
    recorded in `CycleResultBuild`. Atomic."""
    cycles = sorted(set(cycle_ids))
    if not cycles or person_ids == []:
        return 0
    people = sorted(set(person_ids)) if person_ids is not None else None
    where, parameters = _ratings_scope(cycles, people)
    item, aggregate = _item_sql()
    ratings = connection.ops.quote_name(Rating._meta.db_table)
    results = connection.ops.quote_name(CycleResult._meta.db_table)
    codes = connection.ops.quote_name(CompetencyCode._meta.db_table)
    with transaction.atomic():
        _codes_ensure(where, parameters)
        stale = CycleResult.objects.filter(cycle_id__in=cycles)
        if people is not None:
            stale = stale.filter(person_id__in=people)
        stale.delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {results} (cycle_id, person_id, scores) "
                f"SELECT g.cycle_id, g.subject_id, {aggregate}({item}, '') FROM ("
                "SELECT cycle_id, subject_id, competency_id, COALESCE(MAX(CASE WHEN source = %s THEN score END), "
                "MAX(CASE WHEN source = %s THEN score END)) AS score "
                f"FROM {ratings} WHERE {where} GROUP BY cycle_id, subject_id, competency_id) g "
                f"JOIN {codes} c ON c.competency_id = g.competency_id GROUP BY g.cycle_id, g.subject_id",
                [Source.CALIBRATED.value, Source.MANAGER.value, *parameters],
            )
            written = cursor.rowcount
        if people is None:
            now = timezone.now()
            counted = dict(
                CycleResult.objects.filter(cycle_id__in=cycles)
                .values("cycle_id")
                .annotate(people=Count("pk"))
                .values_list("cycle_id", "people")
            )
            for cycle_id in cycles:
                CycleResultBuild.objects.update_or_create(
                    cycle_id=cycle_id, defaults={"built_at": now, "people": counted.get(cycle_id, 0)}
                )
    return int(written)


def cycle_results_ensure(cycle_ids: Sequence[int]) -> None:
    """Build whole those of `cycle_ids` that never were (a counted cycle made outside the services)."""
    built = set(
        CycleResultBuild.objects.filter(cycle_id__in=list(cycle_ids)).values_list("cycle_id", flat=True)
    )
    unbuilt = [cycle_id for cycle_id in cycle_ids if cycle_id not in built]
    if unbuilt:
        cycle_results_build(cycle_ids=unbuilt)


def cycle_results_refresh(*, cycle_id: int, person_ids: Sequence[int]) -> bool:
    """Rebuild the results of `person_ids` in the cycle `cycle_id` if its results count (for a
    service that changed their ratings there: calibration in a session left open after sharing);
    whether they count (the caller then has their readiness recomputed)."""
    if not ReviewCycle.objects.filter(pk=cycle_id, phase__in=COUNTED_PHASES).exists():
        return False
    cycle_results_build(cycle_ids=[cycle_id], person_ids=person_ids)
    return True


def cycle_results_rebuild() -> dict[int, int]:
    """Build every counted cycle whole again from its ratings; {cycle id: results written}."""
    cycles = list(
        ReviewCycle.objects.filter(phase__in=COUNTED_PHASES)
        .order_by("ends_on", "pk")
        .values_list("pk", flat=True)
    )
    return {cycle_id: cycle_results_build(cycle_ids=[cycle_id]) for cycle_id in cycles}


@dataclass(frozen=True, slots=True)
class PackedResults:
    """The results read, one entry per (person, cycle) — `person`, `cycle` (ids) and the packed
    `texts` — and the competency each code stands for (`competencies[code]`; "" for a code not in
    use). Unpacked on demand (:meth:`items`), in the order the reader needs."""

    person: np.ndarray
    cycle: np.ndarray
    texts: list[str]
    competencies: list[str]

    def items(self, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(position in `rows` of its result, competency code, score) of every item of the results
        `rows` (all, in order, when None), the results taken in the order of `rows`."""
        texts = self.texts if rows is None else [self.texts[row] for row in rows.tolist()]
        counts, codes, scores = unpack(texts)
        return np.repeat(np.arange(len(texts), dtype=np.int64), counts), codes, scores


def cycle_results_read(*, cycle_ids: Sequence[int], person_ids: Sequence[int] | None = None) -> PackedResults:
    """The results of `cycle_ids` (of `person_ids` only, when given): one query."""
    empty = np.zeros(0, dtype=np.int64)
    if not cycle_ids or person_ids == []:
        return PackedResults(empty, empty, [], [])
    table = connection.ops.quote_name(CycleResult._meta.db_table)
    where = _in("cycle_id", cycle_ids)
    parameters: list[int] = list(cycle_ids)
    if person_ids is not None:
        where += f" AND {_in('person_id', person_ids)}"
        parameters.extend(person_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT person_id, cycle_id, scores FROM {table} WHERE {where}", parameters)
        fetched = cursor.fetchall()
    codes = CompetencyCode.objects.values_list("pk", "competency_id")
    competencies = [""] * (max((pk for pk, _ in codes), default=0) + 1)
    for pk, competency in codes:
        competencies[pk] = competency
    if not fetched:
        return PackedResults(empty, empty, [], competencies)
    people, cycles, texts = zip(*fetched, strict=True)
    return PackedResults(
        person=np.array(people, dtype=np.int64),
        cycle=np.array(cycles, dtype=np.int64),
        texts=list(texts),
        competencies=competencies,
    )
