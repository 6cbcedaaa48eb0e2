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
filled from one aggregate query per input, then one bulk write. `Readiness.criteria` holds the
result's figures (`trellis.evaluation.readiness.Figures`: met and actual per criterion, and the
standing); :func:`readiness_worded` gives them back with their words, for pages and packets.
Derived data: the inputs' changes are audited where they are made; a company-wide recomputation
records one event.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from trellis.evaluation.readiness import (
    FIGURE_DECIMALS,
    Figures,
    NothingToEvaluate,
    ReadinessError,
    ReadinessPlan,
    plan_readiness,
    readiness_from_figures,
)
from trellis.evaluation.readiness import (
    Readiness as ReadinessResult,
)
from trellis.evaluation.readiness_bulk import CohortInputs, evaluate_cohort
from trellis.framework.model import Framework
from trellis.framework.wording import whole_months
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import PublishedFramework, framework_published_for_work
from trellis.web.people.models import Person
from trellis.web.promotions.models import Endorsement, Nomination, Readiness, ReadinessSnapshot
from trellis.web.reviews.cycle_results import (
    COUNTED_PHASES,
    cycle_results_build,
    cycle_results_ensure,
    cycle_results_read,
)
from trellis.web.reviews.models import CycleParticipant, EvidenceItem, ReviewCycle

__all__ = [
    "COUNTED_PHASES",
    "readiness_framework_published",
    "readiness_inputs_changed",
    "readiness_recompute",
    "readiness_recompute_all",
    "readiness_snapshot_cycle",
    "readiness_worded",
]

#: Nominations whose manager endorsement counts.
_ENDORSED_STATUSES = (
    Nomination.Status.REQUESTED,
    Nomination.Status.DRAFT,
    Nomination.Status.SUBMITTED,
    Nomination.Status.APPROVED,
)
#: Rows written per INSERT (`bulk_create`), and per INSERT of stored readiness (11 parameters each:
#: within SQLite's 999 of old).
_BATCH = 2_000
_INSERT_BATCH = 90
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


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    family: str
    track: str
    level: str
    since: datetime.date


def _plans(
    framework: Framework, people: Sequence[_Person]
) -> dict[tuple[str, str, str], ReadinessPlan | None]:
    plans: dict[tuple[str, str, str], ReadinessPlan | None] = {}
    for person in people:
        key = (person.family, person.track, person.level)
        if key not in plans:
            try:
                plans[key] = plan_readiness(
                    framework, family=person.family, track=person.track, level=person.level
                )
            except (NothingToEvaluate, ReadinessError):
                # The top of a track, or a level the framework does not have: nothing to evaluate
                # (the profile page says the second to HR).
                plans[key] = None
    return plans


@dataclass(frozen=True, slots=True)
class _Results:
    """Every counted result as parallel arrays (one entry per person, cycle and competency), the
    counted cycles oldest first with their ids and ends, and the competency ids the codes stand for."""

    person: np.ndarray
    cycle_slot: np.ndarray
    competency_code: np.ndarray
    score: np.ndarray
    cycle_ids: list[int]
    cycle_ends: list[datetime.date]
    competencies: list[str]


def _counted_cycles(as_of: datetime.date, cycle_ids: Sequence[int] | None, *, prefix: str = "") -> Q:
    """The cycles that count: shared or closed, ended by `as_of` (and among `cycle_ids`, if given)."""
    counted = Q(**{f"{prefix}phase__in": COUNTED_PHASES, f"{prefix}ends_on__lte": as_of})
    if cycle_ids is not None:
        counted &= Q(**{f"{prefix}pk__in": list(cycle_ids)})
    return counted


def _results(
    person_ids: Sequence[int] | None, as_of: datetime.date, cycle_ids: Sequence[int] | None
) -> _Results:
    """The result of each (person, counted cycle, competency): the calibrated score, else the
    manager's, as `reviews.cycle_results` keeps them (one row per person and cycle), read into arrays."""
    cycles = sorted(
        ReviewCycle.objects.filter(_counted_cycles(as_of, cycle_ids)).values_list("ends_on", "id")
    )
    ids = [cycle_id for _, cycle_id in cycles]
    cycle_results_ensure(ids)
    packed = cycle_results_read(cycle_ids=ids, person_ids=person_ids)
    slot_of = np.zeros(max(ids, default=0) + 1, dtype=np.int64)
    slot_of[ids] = np.arange(len(ids))
    return _Results(
        person=packed.person,
        cycle_slot=slot_of[packed.cycle],
        competency_code=packed.code,
        score=packed.score.astype(np.float64),
        cycle_ids=ids,
        cycle_ends=[ends for ends, _ in cycles],
        competencies=packed.competencies,
    )


def _confirmations(
    person_ids: Sequence[int] | None, results: _Results
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(person, cycle slot, calibration confirmed) of every participation in the counted cycles:
    one query, the confirmation asked of SQL as a flag rather than read as a datetime."""
    empty = np.zeros(0, dtype=np.int64)
    if not results.cycle_ids or person_ids == []:
        return empty, empty, np.zeros(0, dtype=bool)
    table = connection.ops.quote_name(CycleParticipant._meta.db_table)
    where = f"cycle_id IN ({', '.join(['%s'] * len(results.cycle_ids))})"
    parameters = list(results.cycle_ids)
    if person_ids is not None:
        where += f" AND person_id IN ({', '.join(['%s'] * len(person_ids))})"
        parameters.extend(person_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id, cycle_id, CASE WHEN calibration_confirmed_at IS NULL THEN 0 ELSE 1 END "
            f"FROM {table} WHERE {where}",
            parameters,
        )
        fetched = cursor.fetchall()
    if not fetched:
        return empty, empty, np.zeros(0, dtype=bool)
    people, cycles, confirmed = (np.array(column, dtype=np.int64) for column in zip(*fetched, strict=True))
    slot_of = np.zeros(max(results.cycle_ids) + 1, dtype=np.int64)
    slot_of[results.cycle_ids] = np.arange(len(results.cycle_ids))
    return people, slot_of[cycles], confirmed.astype(bool)


@dataclass(frozen=True, slots=True)
class _Evaluated:
    person_id: int
    plan: ReadinessPlan
    figures: Figures
    ready: bool


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
    people_query = Person.objects.filter(is_active=True)
    if person_ids is not None:
        people_query = people_query.filter(pk__in=person_ids)
    people = [
        _Person(*row)
        for row in people_query.order_by("pk").values_list(
            "pk", "family_id", "track_id", "level_code", "level_since"
        )
    ]
    if published is None:
        return None, []
    plans = _plans(framework if framework is not None else published.framework, people)
    ids = [p.id for p in people] if person_ids is not None else None
    results = _results(ids, as_of, cycle_ids)
    subject_filter = Q(subject_id__in=ids) if ids is not None else Q()
    evidence: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    for subject_id, occurred_on, scope in (
        EvidenceItem.objects.filter(subject_filter, occurred_on__lte=as_of)
        .exclude(scope="")
        .values_list("subject_id", "occurred_on", "scope")
    ):
        evidence[subject_id].append((occurred_on, scope))
    nomination_filter = Q(nomination__person_id__in=ids) if ids is not None else Q()
    endorsed = set(
        Endorsement.objects.filter(
            nomination_filter, role=Endorsement.Role.MANAGER, nomination__status__in=_ENDORSED_STATUSES
        ).values_list(
            "nomination__person_id",
            "nomination__target_family_id",
            "nomination__target_track_id",
            "nomination__target_level_code",
        )
    )

    by_plan: dict[tuple[str, str, str], list[_Person]] = defaultdict(list)
    for person in people:
        by_plan[(person.family, person.track, person.level)].append(person)
    # Where each person is: their cohort (by plan) and their row in it, as dense arrays by id.
    largest = max((p.id for p in people), default=0)
    cohort_of = np.full(largest + 1, -1, dtype=np.int64)
    row_of = np.zeros(largest + 1, dtype=np.int64)
    keys = list(by_plan)
    for number, key in enumerate(keys):
        for row, person in enumerate(by_plan[key]):
            cohort_of[person.id] = number
            row_of[person.id] = row
    known = results.person <= largest
    result_person = np.where(known, results.person, 0)
    result_cohort = np.where(known, cohort_of[result_person], -1)
    ends = np.array([_month_index(day) for day in results.cycle_ends], dtype=np.int64)
    end_days = np.array([day.toordinal() for day in results.cycle_ends], dtype=np.int64)
    confirmed = _confirmed_by_id(people, largest, _confirmations(ids, results), end_days)

    evaluated: list[_Evaluated] = []
    for number, key in enumerate(keys):
        plan = plans[key]
        if plan is None:
            continue
        members = by_plan[key]
        chosen = result_cohort == number
        scores, months = _cohort(
            plan,
            members,
            row=row_of[result_person[chosen]],
            slot=results.cycle_slot[chosen],
            competency=_columns(plan, results.competencies)[results.competency_code[chosen]]
            if results.competencies
            else np.zeros(0, dtype=np.int64),
            score=results.score[chosen],
            ends=ends,
            end_days=end_days,
        )
        evidence_items = {
            person.id: {scope for day, scope in evidence.get(person.id, ()) if day >= person.since}
            for person in members
        }
        inputs = CohortInputs(
            cycle_scores=scores,
            cycle_months=months,
            months_in_level=np.array([whole_months(p.since, as_of) for p in members], dtype=np.int64),
            endorsed=np.array(
                [(p.id, plan.family, plan.target_track, plan.target_level) in endorsed for p in members],
                dtype=bool,
            ),
            calibration_confirmed=confirmed[[p.id for p in members]],
            evidenced=_evidenced(plan, members, evidence_items),
        )
        result = evaluate_cohort(plan, inputs, as_of)
        for person, figures, is_ready in zip(members, result.figures(), result.ready.tolist(), strict=True):
            evaluated.append(_Evaluated(person.id, plan, figures, is_ready))
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
    "is_next_level",
    "framework_version_id",
    "ready",
    "met_count",
    "criteria_count",
    "criteria",
    "computed_at",
)


def _store(evaluated: Sequence[_Evaluated], version_id: int | None, person_ids: Sequence[int] | None) -> None:
    """Make the stored next-level readiness of `person_ids` (everyone when None) the `evaluated`
    one: a row whose figures are unchanged is kept (only its `computed_at` moves on), a changed one
    replaced, a new one added, and the rows of people no longer evaluated removed — so that a
    recomputation of the company where little changed writes little."""
    table = connection.ops.quote_name(Readiness._meta.db_table)
    where = "is_next_level = %s"
    parameters: list[object] = [True]
    if person_ids is not None:
        where += f" AND person_id IN ({', '.join(['%s'] * len(person_ids))})"
        parameters.extend(person_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id, id, target_family_id, target_track_id, target_level_code, framework_version_id, "
            f"ready, met_count, criteria_count, criteria FROM {table} WHERE {where}",
            parameters,
        )
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    kept: list[int] = []
    gone: list[int] = []
    added: list[tuple[object, ...]] = []
    for item in evaluated:
        criteria = item.figures.to_json()
        text = json.dumps(criteria)
        met = sum(item.figures.met)
        target = (item.plan.family, item.plan.target_track, item.plan.target_level, version_id)
        old = stored.pop(item.person_id, None)
        if old is not None:
            same = (
                old[1:5] == target
                and bool(old[5]) == item.ready
                and (old[6], old[7]) == (met, len(item.figures.met))
                and (old[8] == text or _loaded(old[8]) == criteria)
            )
            if same:
                kept.append(old[0])
                continue
            gone.append(old[0])
        added.append(
            (item.person_id, *target[:3], True, version_id, item.ready, met, len(item.figures.met), text, now)
        )
    gone.extend(old[0] for old in stored.values())
    with connection.cursor() as cursor:
        for start in range(0, len(gone), _CHUNK):
            chunk = gone[start : start + _CHUNK]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        if kept:
            # Everyone's row says when it was last found current, whether or not its figures moved.
            if person_ids is None:
                cursor.execute(f"UPDATE {table} SET computed_at = %s WHERE is_next_level = %s", [now, True])
            else:
                cursor.execute(
                    f"UPDATE {table} SET computed_at = %s WHERE id IN ({', '.join(['%s'] * len(kept))})",
                    [now, *kept],
                )
        criteria_value = "CAST(%s AS JSONB)" if connection.vendor == "postgresql" else "%s"
        row = "(" + ", ".join(["%s"] * (len(_READINESS_COLUMNS) - 2) + [criteria_value, "%s"]) + ")"
        for start in range(0, len(added), _INSERT_BATCH):
            batch = added[start : start + _INSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_READINESS_COLUMNS)}) VALUES {', '.join([row] * len(batch))}",
                [value for values in batch for value in values],
            )


def _loaded(text: object) -> object:
    """A stored JSON value as Python (PostgreSQL hands jsonb back as its own normalised text)."""
    return json.loads(text) if isinstance(text, str) else text


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


def _columns(plan: ReadinessPlan, competencies: Sequence[str]) -> np.ndarray:
    """For each competency code of the results, its column in `plan`'s arrays, or -1."""
    column = {competency: index for index, competency in enumerate(plan.columns)}
    return np.array([column.get(competency, -1) for competency in competencies], dtype=np.int64)


def _cohort(
    plan: ReadinessPlan,
    members: Sequence[_Person],
    *,
    row: np.ndarray,
    slot: np.ndarray,
    competency: np.ndarray,
    score: np.ndarray,
    ends: np.ndarray,
    end_days: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(P, K, C) results and (P, K) months covered, over every counted cycle of the company, from
    the cohort's results (parallel arrays): a cycle ending before a person's level date, or without
    any result of theirs, stays NaN and covers no month."""
    cycles = len(ends)
    since = np.array([p.since.toordinal() for p in members], dtype=np.int64)
    counted = since[row] <= end_days[slot] if len(row) else np.zeros(0, dtype=bool)
    row, slot, competency, score = row[counted], slot[counted], competency[counted], score[counted]
    present = np.zeros((len(members), cycles), dtype=bool)
    present[row, slot] = True
    scores = np.full((len(members), cycles, len(plan.columns)), np.nan)
    in_plan = competency >= 0
    scores[row[in_plan], slot[in_plan], competency[in_plan]] = score[in_plan]
    months = np.zeros(present.shape, dtype=np.int64)
    previous = np.array([_month_index(p.since) for p in members], dtype=np.int64)
    for index in range(cycles):
        covered = np.maximum(0, ends[index] - previous)
        months[:, index] = np.where(present[:, index], covered, 0)
        previous = np.where(present[:, index], ends[index], previous)
    return scores, months


def _confirmed_by_id(
    people: Sequence[_Person],
    largest: int,
    participations: tuple[np.ndarray, np.ndarray, np.ndarray],
    end_days: np.ndarray,
) -> np.ndarray:
    """By person id (up to `largest`): whether their latest counted participation since their level
    date (of two ending the same day, a confirmed one) had its results confirmed in calibration."""
    person, slot, confirmed = participations
    since = np.full(largest + 1, np.iinfo(np.int64).max, dtype=np.int64)
    since[[p.id for p in people]] = [p.since.toordinal() for p in people]
    known = person <= largest
    person, slot, confirmed = person[known], slot[known], confirmed[known]
    counted = end_days[slot] >= since[person]
    # The latest participation wins; on the same day a confirmed one (as sorting (day, flag) does).
    key = np.full(largest + 1, -1, dtype=np.int64)
    np.maximum.at(key, person[counted], end_days[slot[counted]] * 2 + confirmed[counted])
    return np.asarray((key >= 0) & (key % 2 == 1), dtype=bool)


def _evidenced(plan: ReadinessPlan, members: Sequence[_Person], items: dict[int, set[str]]) -> np.ndarray:
    from trellis.evaluation.readiness import evidence_key

    wanted = [evidence_key(item) for item in plan.evidence_items]
    flags = np.zeros((len(members), len(wanted)), dtype=bool)
    for row, person in enumerate(members):
        have = {evidence_key(item) for item in items.get(person.id, ())}
        for column, item in enumerate(wanted):
            flags[row, column] = item in have
    return flags


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
