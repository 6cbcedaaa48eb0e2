"""Readiness kept current: each person's inputs gathered from the reviews and promotions models,
evaluated by `trellis.evaluation`, stored as `Readiness` (the next level of every active person).

**What counts** (besides the rules of :mod:`trellis.evaluation.readiness`):

- ratings of the cycles whose results are shared with employees (phase *shared* or *closed*) and
  that ended by the as-of date: the result is the calibrated score, else the manager's; a cycle in
  assessment, calibration or sign-off is not counted yet, so nobody reads a result before it is
  shared;
- calibration confirmed: the person's participation in their latest counted cycle (since their
  level date) has ``calibration_confirmed_at``;
- scope evidence and entry criteria: the ``scope`` of the evidence items about the person that
  occurred on or after their level date;
- manager endorsement: a manager's `Endorsement` of an open or approved nomination of the person for
  the target.

**When.** Whoever changes one of these inputs calls :func:`readiness_inputs_changed` with the people
it affects, inside their transaction: once it commits, the task `promotions.tasks.readiness_recompute`
recomputes those people only. :func:`readiness_recompute_all` recomputes the company (the
``readiness_recompute`` management command), aggregating in SQL and evaluating in bulk.

Both go through one path (:func:`_recompute`): the arrays of `trellis.evaluation.readiness_bulk`,
filled from one query per input (`readiness_inputs`; the results are the per-person, per-cycle rows
of `reviews.cycle_results`, which a per-person recomputation rebuilds from the ratings first), then
a write of the rows whose figures changed only (`_store`). `Readiness.criteria` holds the
result's figures (`trellis.evaluation.readiness.Figures`: met and actual per criterion, and the
standing); :func:`readiness_worded` gives them back with their words, for pages and packets.
Derived data: the inputs' changes are audited where they are made; a company-wide recomputation
records one event.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from trellis.evaluation.readiness import (
    FIGURE_DECIMALS,
    Figures,
    ReadinessError,
    ReadinessPlan,
    plan_readiness,
    readiness_from_figures,
)
from trellis.evaluation.readiness import (
    Readiness as ReadinessResult,
)
from trellis.evaluation.readiness_bulk import CohortInputs, CohortResult, evaluate_cohort
from trellis.framework.model import Framework
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import PublishedFramework, framework_published_for_work
from trellis.web.promotions.models import Readiness, ReadinessSnapshot
from trellis.web.promotions.readiness_inputs import (
    cohort_scores,
    columns_of,
    confirmed_read,
    endorsed_read,
    evidence_read,
    evidenced_flags,
    month_index,
    people_read,
    plans_of,
    results_read,
    whole_months_in_level,
)
from trellis.web.reviews.cycle_results import COUNTED_PHASES, cycle_results_build
from trellis.web.reviews.models import CycleParticipant, ReviewCycle

__all__ = [
    "COUNTED_PHASES",
    "readiness_framework_published",
    "readiness_inputs_changed",
    "readiness_recompute",
    "readiness_recompute_all",
    "readiness_snapshot_cycle",
    "readiness_worded",
]

#: Rows written per INSERT (`bulk_create`), and per INSERT of stored readiness (12 parameters each:
#: within SQLite's 999 of old).
_BATCH = 2_000
_INSERT_BATCH = 80
#: People recomputed per round of `readiness_recompute` (each query names at most this many).
_CHUNK = 500


def readiness_inputs_changed(person_ids: Iterable[int]) -> None:
    """Recompute the readiness of `person_ids` once the current transaction commits (at once
    outside one), through the task queue: for every service that changes a rating, an evidence
    item, an endorsement or a calibration confirmation, or a cycle's phase."""
    from trellis.web.promotions.tasks import readiness_recompute as recompute_task

    ids = sorted(set(person_ids))
    if ids:
        transaction.on_commit(lambda: recompute_task.enqueue(person_ids=ids))


def readiness_framework_published() -> None:
    """Recompute everyone's readiness against the version just published, once the transaction
    that published it commits (the pages show none read against an older version meanwhile)."""
    from trellis.web.promotions.tasks import readiness_recompute_everyone

    transaction.on_commit(lambda: readiness_recompute_everyone.enqueue())


class _Evaluated:
    """One person's evaluation: their plan, whether they are ready, and their figures (made when
    asked for, from their cohort's arrays: a recomputation that finds them unchanged never makes
    them)."""

    __slots__ = ("_result", "_row", "_source", "person_id", "plan", "ready")

    def __init__(
        self, person_id: int, plan: ReadinessPlan, ready: bool, result: CohortResult, row: int, source: bytes
    ) -> None:
        self.person_id = person_id
        self.plan = plan
        self.ready = ready
        self._result = result
        self._row = row
        #: The family, track and level evaluated from (the plan's start), as bytes.
        self._source = source

    @property
    def figures(self) -> Figures:
        return self._result.figures_of(self._row)

    @property
    def fingerprint(self) -> bytes:
        """Equal for two evaluations exactly when their stored figures are (see `_store`)."""
        return self._source + b"|" + self._result.fingerprint(self._row)


def _evaluate(
    *,
    person_ids: Sequence[int] | None,
    as_of: datetime.date,
    cycle_ids: Sequence[int] | None = None,
    framework: Framework | None = None,
) -> tuple[PublishedFramework | None, list[_Evaluated]]:
    """The next-level readiness of `person_ids` (every active person when None) as of `as_of`,
    counting only the cycles `cycle_ids` when given; from one aggregate query per input. Under the
    published framework's criteria, or under `framework`'s when given (a draft's, for the what-if)."""
    published: PublishedFramework | None = framework_published_for_work()
    people = people_read(person_ids)
    if published is None:
        return None, []
    plans = plans_of(framework if framework is not None else published.framework, people.keys)
    ids = people.ids.tolist() if person_ids is not None else None
    results = results_read(ids, as_of, cycle_ids)
    evidence = evidence_read(ids, as_of)
    endorsed = endorsed_read(ids)

    # Where each person is: their cohort (by plan) and their row in it, as dense arrays by id.
    largest = int(people.ids.max()) if len(people.ids) else 0
    number_of: dict[tuple[str, str, str], int] = {}
    cohort = np.fromiter(
        (number_of.setdefault(key, len(number_of)) for key in people.keys),
        dtype=np.int64,
        count=len(people.keys),
    )
    cohorts = len(number_of)
    order = np.argsort(cohort, kind="stable")
    bounds = np.searchsorted(cohort[order], np.arange(cohorts + 1))
    cohort_of = np.full(largest + 1, -1, dtype=np.int64)
    cohort_of[people.ids] = cohort
    row_of = np.zeros(largest + 1, dtype=np.int64)
    row_of[people.ids[order]] = np.arange(len(order)) - bounds[cohort[order]]
    since_of = np.zeros(largest + 1, dtype=np.int64)
    since_of[people.ids] = people.since_days
    ends = np.array([month_index(day) for day in results.cycle_ends], dtype=np.int64)
    end_days = np.array([day.toordinal() for day in results.cycle_ends], dtype=np.int64)

    # The results (one per person and cycle) that count: of a person evaluated, in a cycle ended on
    # or after their level date; grouped by cohort, then unpacked once, in that order.
    person = results.packed.person
    known = person <= largest
    result_person = np.where(known, person, 0)
    result_cohort = np.where(known, cohort_of[result_person], -1)
    counted = (result_cohort >= 0) & (since_of[result_person] <= end_days[results.slot])
    rows = np.flatnonzero(counted)
    rows = rows[np.argsort(result_cohort[rows], kind="stable")]
    row_bounds = np.searchsorted(result_cohort[rows], np.arange(cohorts + 1))
    item_result, item_code, item_score = results.packed.items(rows)
    item_bounds = np.searchsorted(item_result, row_bounds)
    item_score = item_score.astype(np.float64)
    competencies = results.packed.competencies

    confirmed = np.zeros(largest + 1, dtype=bool)
    confirmed_ids = confirmed_read(ids, results.cycle_ids)
    confirmed[confirmed_ids[confirmed_ids <= largest]] = True
    months_in_level = whole_months_in_level(people, as_of)

    evaluated: list[_Evaluated] = []
    for key, number in number_of.items():
        plan = plans[key]
        if plan is None:
            continue
        members = order[bounds[number] : bounds[number + 1]]
        member_ids = people.ids[members]
        mine = rows[row_bounds[number] : row_bounds[number + 1]]
        items = slice(item_bounds[number], item_bounds[number + 1])
        scores, months = cohort_scores(
            plan,
            since_months=people.since_months[members],
            result_member=row_of[result_person[mine]],
            result_slot=results.slot[mine],
            item_result=item_result[items] - row_bounds[number],
            item_column=columns_of(plan, competencies)[item_code[items]]
            if competencies
            else np.zeros(0, dtype=np.int64),
            item_score=item_score[items],
            ends=ends,
        )
        target = (plan.family, plan.target_track, plan.target_level)
        inputs = CohortInputs(
            cycle_scores=scores,
            cycle_months=months,
            months_in_level=months_in_level[members],
            endorsed=np.isin(member_ids, np.array(endorsed.get(target, []), dtype=np.int64)),
            calibration_confirmed=confirmed[member_ids],
            evidenced=evidenced_flags(plan, member_ids, people.since_days[members], evidence),
        )
        result = evaluate_cohort(plan, inputs, as_of)
        source = "/".join(key).encode()
        for row, (person_id, is_ready) in enumerate(
            zip(member_ids.tolist(), result.ready.tolist(), strict=True)
        ):
            evaluated.append(_Evaluated(person_id, plan, is_ready, result, row, source))
    evaluated.sort(key=lambda item: item.person_id)
    return published, evaluated


def _recompute(*, person_ids: Sequence[int] | None, as_of: datetime.date) -> tuple[int, int]:
    """Evaluate and store the next-level readiness of `person_ids` (every active person when None);
    (people evaluated, of whom ready). For given people, their cycle results are rebuilt from
    their ratings first (whatever changed is read as it is now)."""
    if person_ids is not None:
        counted = ReviewCycle.objects.filter(phase__in=COUNTED_PHASES).values_list("pk", flat=True)
        cycle_results_build(cycle_ids=list(counted), person_ids=person_ids)
    published, evaluated = _evaluate(person_ids=person_ids, as_of=as_of)
    version_id = published.version_id if published is not None else None
    with transaction.atomic():
        _store(evaluated, version_id, person_ids)
    return len(evaluated), sum(item.ready for item in evaluated)


#: The columns of a stored readiness, in the order `_store` writes them.
_READINESS_COLUMNS = (
    "person_id",
    "target_family_id",
    "target_track_id",
    "target_level_code",
    "framework_version_id",
    "ready",
    "met_count",
    "criteria_count",
    "figures_key",
    "is_next_level",
    "criteria",
    "computed_at",
)


def _store(evaluated: Sequence[_Evaluated], version_id: int | None, person_ids: Sequence[int] | None) -> None:
    """Make the stored next-level readiness of `person_ids` (everyone when None) the `evaluated`
    one: a row whose target, version and figures (by `figures_key`) are unchanged is kept (only its
    `computed_at` moves on, to today, when it was found current on an earlier day), a changed one replaced, a new one added, and the rows of people no
    longer evaluated removed — so that a recomputation of the company where little changed writes
    little, and never makes or serialises the figures it keeps."""
    table = connection.ops.quote_name(Readiness._meta.db_table)
    where = "is_next_level = %s"
    parameters: list[Any] = [True]
    if person_ids is not None:
        where += f" AND person_id IN ({', '.join(['%s'] * len(person_ids))})"
        parameters.extend(person_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id, id, target_family_id, target_track_id, target_level_code, framework_version_id, "
            f"figures_key FROM {table} WHERE {where}",
            parameters,
        )
        stored = {row[0]: (row[1], row[2:6], bytes(row[6] or b"")) for row in cursor.fetchall()}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    kept: list[int] = []
    gone: list[int] = []
    added: list[tuple[Any, ...]] = []
    for item in evaluated:
        plan = item.plan
        target = (plan.family, plan.target_track, plan.target_level, version_id)
        key = item.fingerprint
        old = stored.pop(item.person_id, None)
        if old is not None:
            if old[1] == target and old[2] == key:
                kept.append(old[0])
                continue
            gone.append(old[0])
        figures = item.figures
        met = sum(figures.met)
        added.append(
            (
                item.person_id,
                *target,
                item.ready,
                met,
                len(figures.met),
                key,
                True,
                json.dumps(figures.to_json()),
                now,
            )
        )
    gone.extend(old[0] for old in stored.values())
    with connection.cursor() as cursor:
        for start in range(0, len(gone), _CHUNK):
            chunk = gone[start : start + _CHUNK]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        if kept:
            # Every row says on which day it was last found current (the day its figures are worded
            # as of), whether or not they moved: rewritten once a day, not at every recomputation.
            since = connection.ops.adapt_datetimefield_value(_start_of_today())
            if person_ids is None:
                cursor.execute(
                    f"UPDATE {table} SET computed_at = %s WHERE is_next_level = %s AND computed_at < %s",
                    [now, True, since],
                )
            else:
                cursor.execute(
                    f"UPDATE {table} SET computed_at = %s WHERE computed_at < %s "
                    f"AND id IN ({', '.join(['%s'] * len(kept))})",
                    [now, since, *kept],
                )
        criteria_value = "CAST(%s AS JSONB)" if connection.vendor == "postgresql" else "%s"
        row = "(" + ", ".join(["%s"] * (len(_READINESS_COLUMNS) - 2) + [criteria_value, "%s"]) + ")"
        for start in range(0, len(added), _INSERT_BATCH):
            batch = added[start : start + _INSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_READINESS_COLUMNS)}) VALUES {', '.join([row] * len(batch))}",
                [value for values in batch for value in values],
            )


def _start_of_today() -> datetime.datetime:
    """Midnight of today in the current time zone (pages date a readiness in it)."""
    today = timezone.localdate()
    return datetime.datetime.combine(today, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _average(item: _Evaluated) -> float | None:
    """The mean of the latest results over the target level's competencies (those rated)."""
    rated = [item.figures.standing[c] for c in item.plan.competencies if c in item.figures.standing]
    return round(sum(rated) / len(rated), FIGURE_DECIMALS) if rated else None


def readiness_snapshot_cycle(*, cycle_id: int) -> int:
    """Keep, for the history, each participant's readiness as it stood at the end of the cycle
    `cycle_id` (counting that cycle and the earlier counted ones): for whoever shares or closes a
    cycle (once its phase says so), and after an import of past cycles. Replaces the cycle's
    earlier snapshots; the number kept. Atomic."""
    cycle = ReviewCycle.objects.get(pk=cycle_id)
    participants = list(CycleParticipant.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    earlier = list(
        ReviewCycle.objects.filter(phase__in=COUNTED_PHASES, ends_on__lte=cycle.ends_on).values_list(
            "pk", flat=True
        )
    )
    evaluated: list[_Evaluated] = []
    for start in range(0, len(participants), _CHUNK):
        evaluated += _evaluate(
            person_ids=participants[start : start + _CHUNK],
            as_of=cycle.ends_on,
            cycle_ids=sorted({*earlier, cycle.pk}),
        )[1]
    rows = [
        ReadinessSnapshot(
            person_id=item.person_id,
            cycle=cycle,
            as_of=cycle.ends_on,
            target_family_id=item.plan.family,
            target_track_id=item.plan.target_track,
            target_level_code=item.plan.target_level,
            ready=item.ready,
            met_count=sum(item.figures.met),
            criteria_count=len(item.figures.met),
            average=_average(item),
            criteria=item.figures.to_json(),
        )
        for item in evaluated
    ]
    with transaction.atomic():
        ReadinessSnapshot.objects.filter(cycle=cycle).delete()
        ReadinessSnapshot.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)


def readiness_recompute(*, person_ids: Sequence[int], as_of: datetime.date | None = None) -> int:
    """Recompute the next-level readiness of `person_ids` (inactive ones lose theirs); the number
    of people evaluated. Atomic."""
    ids = sorted(set(person_ids))
    day = as_of or timezone.localdate()
    evaluated = 0
    with transaction.atomic():
        # In chunks, so that no query names more people than SQLite takes parameters.
        for start in range(0, len(ids), _CHUNK):
            evaluated += _recompute(person_ids=ids[start : start + _CHUNK], as_of=day)[0]
    return evaluated


def readiness_recompute_all(
    *, actor: User | None = None, as_of: datetime.date | None = None
) -> tuple[int, int]:
    """Recompute the next-level readiness of every active person from aggregates; (people
    evaluated, of whom ready). Atomic; records one `readiness.recomputed` event."""
    with transaction.atomic():
        evaluated, ready = _recompute(person_ids=None, as_of=as_of or timezone.localdate())
        audit_record(actor=actor, action=AuditAction.READINESS_RECOMPUTED, target=None)
    return evaluated, ready


def readiness_worded(
    row: Readiness, framework: Framework, *, as_of: datetime.date | None = None
) -> ReadinessResult | None:
    """The stored result `row` with every criterion's words, read against `framework` (the version
    it was computed with); None when that framework no longer has the move (recompute it)."""
    try:
        plan = plan_readiness(
            framework,
            family=row.target_family_id,
            track=_current_track(row),
            level=_current_level(row),
        )
    except ReadinessError:
        return None
    if (plan.target_track, plan.target_level) != (row.target_track_id, row.target_level_code):
        return None
    try:
        return readiness_from_figures(plan, as_of or row.computed_at.date(), Figures.from_json(row.criteria))
    except (ReadinessError, KeyError, TypeError):
        return None


def _current_track(row: Readiness) -> str:
    return row.person.track_id


def _current_level(row: Readiness) -> str:
    return row.person.level_code
