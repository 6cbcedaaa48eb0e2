"""The inputs of readiness, read for many people at once as arrays: who is evaluated (and placed
where), their results per counted cycle, calibration confirmations, scope evidence and manager
endorsements. One query per input, whatever the number of people; no Python step per rating and,
where it can be helped, none per person (`readiness_services._evaluate` puts them together).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q

from trellis.evaluation.readiness import (
    NothingToEvaluate,
    ReadinessError,
    ReadinessPlan,
    evidence_key,
    plan_readiness,
)
from trellis.framework.model import Framework
from trellis.web.people.models import Person
from trellis.web.promotions.models import Endorsement, Nomination
from trellis.web.reviews.cycle_results import (
    COUNTED_PHASES,
    PackedResults,
    cycle_results_ensure,
    cycle_results_read,
)
from trellis.web.reviews.models import CycleParticipant, EvidenceItem, ReviewCycle

#: Nominations whose manager endorsement counts.
ENDORSED_STATUSES = (
    Nomination.Status.REQUESTED,
    Nomination.Status.DRAFT,
    Nomination.Status.SUBMITTED,
    Nomination.Status.APPROVED,
)
PlanKey = tuple[str, str, str]
#: `datetime.date.toordinal` of numpy's day 0 (1 January 1970).
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def _in(column: str, values: Sequence[int]) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month


@dataclass(frozen=True, slots=True)
class People:
    """The people evaluated, by id ascending: each one's plan key (family, track, level), and their
    level date as a day (`toordinal`), a month (`month_index`) and its day of the month."""

    ids: np.ndarray
    keys: list[PlanKey]
    since_days: np.ndarray
    since_months: np.ndarray
    since_day_of_month: np.ndarray


def people_read(person_ids: Sequence[int] | None) -> People:
    """The active people among `person_ids` (every active person when None): one query, the level
    dates read as text and parsed by numpy at once."""
    table = connection.ops.quote_name(Person._meta.db_table)
    where = "is_active = %s"
    parameters: list[Any] = [True]
    if person_ids is not None:
        if not person_ids:
            person_ids = [0]
        where += f" AND {_in('id', person_ids)}"
        parameters.extend(person_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, family_id, track_id, level_code, CAST(level_since AS TEXT) FROM {table} "
            f"WHERE {where} ORDER BY id",
            parameters,
        )
        fetched = cursor.fetchall()
    if not fetched:
        empty = np.zeros(0, dtype=np.int64)
        return People(empty, [], empty, empty, empty)
    ids, families, tracks, levels, since = zip(*fetched, strict=True)
    days = np.array(since, dtype="datetime64[D]")
    months = days.astype("datetime64[M]")
    month_numbers = months.astype(np.int64)  # months since January 1970
    return People(
        ids=np.array(ids, dtype=np.int64),
        keys=list(zip(families, tracks, levels, strict=True)),
        since_days=days.astype(np.int64) + _EPOCH_ORDINAL,
        # year * 12 + month, as `month_index`.
        since_months=month_numbers + 1970 * 12 + 1,
        since_day_of_month=(days - months).astype(np.int64) + 1,
    )


def whole_months_in_level(people: People, as_of: datetime.date) -> np.ndarray:
    """`trellis.framework.wording.whole_months` from each level date to `as_of`, at once."""
    whole = month_index(as_of) - people.since_months - (as_of.day < people.since_day_of_month)
    return np.where(people.since_days < as_of.toordinal(), np.maximum(whole, 0), 0).astype(np.int64)


def plans_of(framework: Framework, keys: Sequence[PlanKey]) -> dict[PlanKey, ReadinessPlan | None]:
    """The plan of each distinct (family, track, level); None where there is nothing to evaluate."""
    plans: dict[PlanKey, ReadinessPlan | None] = {}
    for key in set(keys):
        family, track, level = key
        try:
            plans[key] = plan_readiness(framework, family=family, track=track, level=level)
        except (NothingToEvaluate, ReadinessError):
            # The top of a track, or a level the framework does not have: nothing to evaluate
            # (the profile page says the second to HR).
            plans[key] = None
    return plans


@dataclass(frozen=True, slots=True)
class Results:
    """The counted results, one per (person, cycle) — `packed` (`reviews.cycle_results`), with
    each one's cycle `slot` — and the counted cycles oldest first with their ids and ends."""

    packed: PackedResults
    slot: np.ndarray
    cycle_ids: list[int]
    cycle_ends: list[datetime.date]


def counted_cycles(as_of: datetime.date, cycle_ids: Sequence[int] | None, *, prefix: str = "") -> Q:
    """The cycles that count: shared or closed, ended by `as_of` (and among `cycle_ids`, if given)."""
    counted = Q(**{f"{prefix}phase__in": COUNTED_PHASES, f"{prefix}ends_on__lte": as_of})
    if cycle_ids is not None:
        counted &= Q(**{f"{prefix}pk__in": list(cycle_ids)})
    return counted


def results_read(
    person_ids: Sequence[int] | None, as_of: datetime.date, cycle_ids: Sequence[int] | None
) -> Results:
    """The result of each (person, counted cycle): per competency the calibrated score, else the
    manager's, as `reviews.cycle_results` keeps them (one row per person and cycle)."""
    cycles = sorted(ReviewCycle.objects.filter(counted_cycles(as_of, cycle_ids)).values_list("ends_on", "id"))
    ids = [cycle_id for _, cycle_id in cycles]
    cycle_results_ensure(ids)
    packed = cycle_results_read(cycle_ids=ids, person_ids=person_ids)
    slot_of = np.zeros(max(ids, default=0) + 1, dtype=np.int64)
    slot_of[ids] = np.arange(len(ids))
    return Results(
        packed=packed, slot=slot_of[packed.cycle], cycle_ids=ids, cycle_ends=[e for e, _ in cycles]
    )


def confirmed_read(person_ids: Sequence[int] | None, cycle_ids: Sequence[int]) -> np.ndarray:
    """The ids of the people whose latest participation among `cycle_ids` since their level date
    had its results confirmed in calibration (of two ending the same day, a confirmed one): one
    aggregate in SQL, which hands back only those people."""
    if not cycle_ids or person_ids == []:
        return np.zeros(0, dtype=np.int64)
    participants = connection.ops.quote_name(CycleParticipant._meta.db_table)
    cycles = connection.ops.quote_name(ReviewCycle._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    where = _in("p.cycle_id", cycle_ids)
    parameters = list(cycle_ids)
    if person_ids is not None:
        where += f" AND {_in('p.person_id', person_ids)}"
        parameters.extend(person_ids)
    # The latest day and its flag as one number, twice the day plus 1 when confirmed: its maximum
    # is the latest participation, a confirmed one first on a tie; odd when that one is confirmed.
    day = (
        "(c.ends_on - DATE '1970-01-01')"
        if connection.vendor == "postgresql"
        else "CAST(julianday(c.ends_on) AS INTEGER)"
    )
    latest = f"MAX({day} * 2 + CASE WHEN p.calibration_confirmed_at IS NULL THEN 0 ELSE 1 END)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.person_id FROM {participants} p JOIN {cycles} c ON c.id = p.cycle_id "
            f"JOIN {people} x ON x.id = p.person_id WHERE {where} AND c.ends_on >= x.level_since "
            f"GROUP BY p.person_id HAVING {latest} %% 2 = 1",
            parameters,
        )
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def evidence_read(person_ids: Sequence[int] | None, as_of: datetime.date) -> dict[int, list[tuple[int, str]]]:
    """Each person's scope evidence items that occurred by `as_of`: (day as `toordinal`, scope)."""
    subject_filter = Q(subject_id__in=person_ids) if person_ids is not None else Q()
    evidence: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for subject_id, occurred_on, scope in (
        EvidenceItem.objects.filter(subject_filter, occurred_on__lte=as_of)
        .exclude(scope="")
        .values_list("subject_id", "occurred_on", "scope")
    ):
        evidence[subject_id].append((occurred_on.toordinal(), scope))
    return evidence


def endorsed_read(person_ids: Sequence[int] | None) -> dict[PlanKey, list[int]]:
    """By target (family, track, level): the people a manager endorsed for it."""
    nomination_filter = Q(nomination__person_id__in=person_ids) if person_ids is not None else Q()
    endorsed: dict[PlanKey, list[int]] = defaultdict(list)
    for person_id, family, track, level in Endorsement.objects.filter(
        nomination_filter, role=Endorsement.Role.MANAGER, nomination__status__in=ENDORSED_STATUSES
    ).values_list(
        "nomination__person_id",
        "nomination__target_family_id",
        "nomination__target_track_id",
        "nomination__target_level_code",
    ):
        endorsed[(family, track, level)].append(person_id)
    return endorsed


def columns_of(plan: ReadinessPlan, competencies: Sequence[str]) -> np.ndarray:
    """For each competency code of the results, its column in `plan`'s arrays, or -1."""
    column = {competency: index for index, competency in enumerate(plan.columns)}
    return np.array([column.get(competency, -1) for competency in competencies], dtype=np.int64)


def cohort_scores(
    plan: ReadinessPlan,
    *,
    since_months: np.ndarray,
    result_member: np.ndarray,
    result_slot: np.ndarray,
    item_result: np.ndarray,
    item_column: np.ndarray,
    item_score: np.ndarray,
    ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(P, K, C) results and (P, K) months covered, over every counted cycle of the company, from
    the cohort's results (one per member and cycle: its member's row and cycle slot; each counted
    already, not before the member's level date) and their items (the result each belongs to, the
    plan's column of its competency or -1, its score): a cycle without a result stays NaN and
    covers no month."""
    size, cycles = len(since_months), len(ends)
    present = np.zeros((size, cycles), dtype=bool)
    present[result_member, result_slot] = True
    scores = np.full((size, cycles, len(plan.columns)), np.nan)
    in_plan = item_column >= 0
    chosen = item_result[in_plan]
    scores[result_member[chosen], result_slot[chosen], item_column[in_plan]] = item_score[in_plan]
    months = np.zeros(present.shape, dtype=np.int64)
    previous = since_months.copy()
    for index in range(cycles):
        covered = np.maximum(0, ends[index] - previous)
        months[:, index] = np.where(present[:, index], covered, 0)
        previous = np.where(present[:, index], ends[index], previous)
    return scores, months


def evidenced_flags(
    plan: ReadinessPlan,
    member_ids: np.ndarray,
    since_days: np.ndarray,
    evidence: dict[int, list[tuple[int, str]]],
) -> np.ndarray:
    """(P, E): whether each member has each of the plan's evidence items since their level date
    (a loop over the members with evidence only)."""
    wanted = [evidence_key(item) for item in plan.evidence_items]
    flags = np.zeros((len(member_ids), len(wanted)), dtype=bool)
    if not wanted or not evidence:
        return flags
    for row, (person_id, since) in enumerate(zip(member_ids.tolist(), since_days.tolist(), strict=True)):
        items = evidence.get(person_id)
        if not items:
            continue
        have = {evidence_key(scope) for day, scope in items if day >= since}
        for column, item in enumerate(wanted):
            flags[row, column] = item in have
    return flags
