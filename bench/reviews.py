"""`make bench`, reviews and readiness at scale: a generated company of `PEOPLE` people (100,000 with
``--only reviews``) × 12 competencies × self and manager ratings over 4 cycles (9.6 million ratings),
on SQLite and on PostgreSQL.

**The company.** The 50-person demo company (framework, personas, accounts, its own review cycles)
is loaded by ``trellis demo``; its framework is republished with every track widened to
`COMPETENCIES` competencies; the rest of the people are added with raw SQL (``executemany`` in one
transaction, explicit ids, managers first: line managers of about 8, managers of managers of about
6, under each family's head), then 4 closed half-year cycles before the demo's are written with
``INSERT … SELECT`` in SQL — participants, 800,000 assessments, 9.6 million ratings, one cycle per
transaction; never a Django object per row. A rating is the level's expected proficiency, plus one
for a tenth of the people (operating at the next level), plus deterministic noise of -1, 0 or +1;
about 1 in 125 is missing (NULL). Once the indexes are back, each cycle's results are built as
sharing or closing a cycle builds them (`reviews.cycle_results.cycle_results_build`: per person and
cycle, the calibrated score else the manager's per competency, packed in one row — 400,000 rows
for the 9.6 million ratings), timed per cycle. PostgreSQL is then analysed (``VACUUM ANALYZE``, what
autovacuum does within a minute); SQLite is left as the app leaves it (no ``ANALYZE``). The
generation time is printed per step.

For working on this benchmark, `company` keeps the generated company in a directory and reuses it:
``company("sqlite", PEOPLE, keep=Path("var/bench-keep/sqlite"))`` (or `run_company(..., keep=...)`);
a company kept from before a migration needs ``trellis manage migrate`` and
``trellis manage cycle_results_rebuild`` in that site's environment.

**The figures** (each in a fresh child process, so its peak memory is its own):

1. full readiness recomputation (`readiness_services.readiness_recompute_all`): wall time (median
   of `RECOMPUTE_REPEATS` after a first run, which writes every row and is printed too; the timed
   runs find the stored rows current and keep them; one more, the first of a new day, moves every
   row's day on and is printed too) and peak resident memory, beside two floors measured in
   the same run — a bare SQL ``GROUP BY subject`` average and minimum over the same ratings (the
   manager's, of the counted cycles: what readiness reads), and the same arithmetic in numpy on
   arrays already in memory; the time to fetch those ratings into Python arrays is printed too;
2. one change: a manager's rating updated and `readiness_inputs_changed` called in one transaction,
   then the queued task run by django-tasks' database worker in process (as ``trellis worker``
   runs it) — until that person's readiness is current; median and p95 over `CHANGE_REPEATS`;
3. pages in process (Django's test client, as `bench.web`): the employee's home, their level and
   matrix, and the manager's home (their team), p95 and queries per page, beside the queries of the
   same pages on the 50-person demo.

Targets of issue 8 (reported, never asserted): recomputation under 5 s and within 3× the SQL floor;
one change under 50 ms; pages p95 under 50 ms; peak memory under 1 GB. Databases and data
directories are removed afterwards; PostgreSQL uses ``postgres://postgres@127.0.0.1:5432/`` and a
database of its own (``TRELLIS_BENCH_REVIEWS_DATABASE``, default ``trellis_bench_reviews``).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.figures import emit, p95, peak_resident_bytes, run_python_for_json
from bench.web import (
    POSTGRES_SERVER,
    REPOSITORY,
    SMALL_COMPANY,
    Site,
    _postgres_admin,
    postgres_available,
)

#: The company of ``--only reviews``, and the smaller one of ``make bench`` without ``--only``.
PEOPLE = 100_000
DEFAULT_PEOPLE = 10_000
COMPETENCIES = 12
CYCLES = 4
RECOMPUTE_REPEATS = 3
CHANGE_REPEATS = 30
PAGE_REQUESTS = 100
DEMO_MANAGER = "manager@northwind.example"
DATABASE_VARIABLE = "TRELLIS_BENCH_REVIEWS_DATABASE"
#: A directory to keep the generated companies in (``<directory>/<engine>``) and reuse, for the
#: benchmarks that run on them (bench.growth, bench.heatmap): unset, each run generates its own.
KEEP_VARIABLE = "TRELLIS_BENCH_KEEP"


def kept(engine: str) -> Path | None:
    """Where `engine`'s generated company is kept (`KEEP_VARIABLE`), None when it is not."""
    root = os.environ.get(KEEP_VARIABLE)
    return Path(root).resolve() / engine if root else None


#: Targets of issue 8, reported beside the figures.
RECOMPUTE_TARGET_S = 5.0
FLOOR_RATIO_TARGET = 3.0
CHANGE_TARGET_MS = 50.0
PAGE_P95_TARGET_MS = 50.0
MEMORY_TARGET_BYTES = 2**30
#: The generated organisation: people per line manager, line managers per manager of managers.
_TEAM_SPAN = 8
_MANAGERS_SPAN = 6
#: Relative frequency of IC levels, most junior first (cut to the track's levels).
_IC_LEVEL_WEIGHTS = (12, 25, 28, 20, 10, 4, 1)
#: One in this many people operates at the next level (rated one point above the level's expectation).
_AHEAD_EVERY = 10
#: A hash of the rating, from 0 to 999: below `_MISSING_BELOW` the score is missing; below
#: `_LOWER_BELOW` one point under, from `_HIGHER_FROM` one point over.
_MISSING_BELOW = 8
_LOWER_BELOW = 200
_HIGHER_FROM = 850
_SEED = 8


# --- the generated company (in a child process with Django set up) --------------------------------


def _halves_before(day: datetime.date, count: int) -> list[tuple[datetime.date, datetime.date]]:
    """The `count` half years that end before the half year of `day`, oldest first."""
    start = datetime.date(day.year, 1 if day.month <= 6 else 7, 1)
    halves = []
    for _ in range(count):
        if start.month == 7:
            start, end = datetime.date(start.year, 1, 1), datetime.date(start.year, 6, 30)
        else:
            start, end = datetime.date(start.year - 1, 7, 1), datetime.date(start.year - 1, 12, 31)
        halves.append((start, end))
    return halves[::-1]


def _widened(framework: Any, competencies: int) -> Any:
    """`framework` with every track given `competencies` competencies: the missing ones added to
    the family, for that track, expecting at each level the median proficiency of the others."""
    from trellis.framework.model import Competency, Expectation

    families = []
    for family in framework.families:
        added = []
        tracks = []
        for track in family.tracks:
            expectations = dict(track.expectations)
            for number in range(competencies - len(expectations)):
                identifier = f"{track.id}-practice-{number + 1}"
                name = f"{track.name} practice {number + 1}"
                by_level = {}
                for level in track.levels:
                    others = sorted(
                        e[level.code].proficiency for e in track.expectations.values() if level.code in e
                    )
                    by_level[level.code] = Expectation(
                        proficiency=others[len(others) // 2] if others else 3,
                        behaviour=f"Applies {name.lower()} at the scope of {level.name} and shows others how.",
                    )
                expectations[identifier] = by_level
                added.append(Competency(id=identifier, name=name, category="Practice", tracks=[track.id]))
            tracks.append(track.model_copy(update={"expectations": expectations}))
        families.append(
            family.model_copy(update={"competencies": [*family.competencies, *added], "tracks": tracks})
        )
    return framework.model_copy(update={"families": families})


def _people_rows(
    framework: Any, people: int, first_id: int, today: datetime.date
) -> tuple[list[tuple[Any, ...]], list[tuple[int, str]]]:
    """The rows of `people` generated people (ids from `first_id`), managers before their reports,
    and the teams they sit in (one per line manager): (people rows, (team id, name) rows)."""
    import random

    from trellis.web.people.models import Person, Team

    rng = random.Random(_SEED)
    first_team = (Team.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    heads = {}
    for family in framework.families:
        in_family = list(Person.objects.filter(family_id=family.id).values_list("pk", "manager__family_id"))
        head = next((pk for pk, manager_family in in_family if manager_family != family.id), None)
        heads[family.id] = head
    rows: list[tuple[Any, ...]] = []
    teams: list[tuple[int, str]] = []

    def person(
        family_id: str, track: Any, level_index: int, manager_id: int | None, team_id: int | None
    ) -> int:
        """Add one person's row; their id."""
        identifier = first_id + len(rows)
        index = len(rows) + 1
        level = track.levels[min(level_index, len(track.levels) - 1)]
        hired_on = today - datetime.timedelta(days=rng.randint(5 * 365, 9 * 365))
        level_since = today - datetime.timedelta(days=rng.randint(60, (today - hired_on).days))
        rows.append(
            (identifier, f"BN{index:06d}", f"bench.{index:06d}@northwind.example", f"Bench person {index:06d}",
             level.title, team_id, family_id, track.id, level.code, level_since, manager_id, None, hired_on, True)
        )  # fmt: skip
        return identifier

    share = people // len(framework.families)
    for position, family in enumerate(framework.families):
        size = share if position else people - share * (len(framework.families) - 1)
        ic = next(t for t in family.tracks if t.kind.value == "ic")
        management = next((t for t in family.tracks if t.kind.value == "management"), ic)
        line_count = max(1, size // (_TEAM_SPAN + 1))
        second_count = max(1, -(-line_count // _MANAGERS_SPAN))
        third_count = max(1, -(-second_count // _MANAGERS_SPAN))
        ic_count = size - line_count - second_count - third_count
        weights = _IC_LEVEL_WEIGHTS[: len(ic.levels)]
        thirds = [person(family.id, management, 2, heads[family.id], None) for _ in range(third_count)]
        seconds = [
            person(family.id, management, 1, thirds[i % third_count], None) for i in range(second_count)
        ]
        lines = []
        for index in range(line_count):
            team_id = first_team + len(teams)
            teams.append((team_id, f"{family.name} bench team {index + 1}"))
            lines.append((person(family.id, management, 0, seconds[index % second_count], team_id), team_id))
        for index in range(ic_count):
            manager_id, team_id = lines[index % line_count]
            level_index = rng.choices(range(len(weights)), weights=weights)[0]
            person(family.id, ic, level_index, manager_id, team_id)
    return rows, teams


_PERSON_COLUMNS = (
    "id, employee_id, email, full_name, title, team_id, family_id, track_id, level_code, level_since, "
    "manager_id, user_id, hired_on, is_active"
)


def _score_sql(vendor: str, slot: int) -> str:
    """The generated score of rating (assessment `a`, expectation `e`) in cycle `slot`, in SQL."""
    hashed = (
        f"((CAST(a.subject_id AS BIGINT) * 7919 + e.position * 104729 + {slot * 1299709} "
        "+ CASE WHEN a.source = 'self' THEN 15485863 ELSE 0 END) %% 1000)"
    )
    ahead = f"CASE WHEN CAST(a.subject_id AS BIGINT) * 37 %% {_AHEAD_EVERY * 10} < 10 THEN 1 ELSE 0 END"
    noise = f"CASE WHEN {hashed} < {_LOWER_BELOW} THEN -1 WHEN {hashed} >= {_HIGHER_FROM} THEN 1 ELSE 0 END"
    greatest, least = ("GREATEST", "LEAST") if vendor == "postgresql" else ("MAX", "MIN")
    return (
        f"CASE WHEN {hashed} < {_MISSING_BELOW} THEN NULL "
        f"ELSE {greatest}(1, {least}(5, e.proficiency + {ahead} + {noise})) END"
    )


def _set_aside(cursor: Any, vendor: str, tables: list[str]) -> list[str]:
    """Drop the secondary indexes of `tables` (and on PostgreSQL their foreign keys) before a bulk
    load; the statements that restore them exactly as they were, from the database's own catalogue
    (a unique index rebuilt on duplicates fails: the load is checked too)."""
    restore: list[str] = []
    constraints: list[str] = []
    for table in tables:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'f'",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                constraints.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(definition)
    return restore + constraints


def generate(people: int) -> None:
    """Grow the demo company of this database to `people` people with `CYCLES` cycles of ratings
    (see the module's docstring); print one JSON line of the steps' times and the counts."""
    import django

    django.setup()
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from trellis.framework.yaml_io import dumps
    from trellis.web.accounts.models import User
    from trellis.web.frameworks.authoring_selectors import version_framework_get
    from trellis.web.frameworks.models import FrameworkVersion
    from trellis.web.frameworks.services import framework_draft_save, framework_publish
    from trellis.web.people.demo import HR_EMAIL
    from trellis.web.people.models import Person, Team
    from trellis.web.reviews.cycle_results import cycle_results_build
    from trellis.web.reviews.models import Assessment, CycleParticipant, Rating, ReviewCycle

    steps: dict[str, float] = {}
    started = time.perf_counter()
    vendor = connection.vendor
    today = timezone.localdate()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    hr = User.objects.get(email=HR_EMAIL)
    framework = _widened(
        version_framework_get(version=FrameworkVersion.objects.get(is_current=True)), COMPETENCIES
    )
    framework_draft_save(actor=hr, yaml_text=dumps(framework), expected_revision=None)
    version = framework_publish(actor=hr)
    steps["framework"] = time.perf_counter() - started

    started = time.perf_counter()
    existing = Person.objects.count()
    first_id = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows, teams = _people_rows(framework, people - existing, first_id, today)
    people_table = connection.ops.quote_name(Person._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(Team._meta.db_table)} (id, name) VALUES (%s, %s)", teams
        )
        cursor.executemany(
            f"INSERT INTO {people_table} ({_PERSON_COLUMNS}) VALUES ({', '.join(['%s'] * 14)})", rows
        )
        for statement in connection.ops.sequence_reset_sql(no_style(), [Person, Team]):
            cursor.execute(statement)
    steps["people"] = time.perf_counter() - started

    halves = _halves_before(
        ReviewCycle.objects.order_by("starts_on").values_list("starts_on", flat=True).first() or today, CYCLES
    )
    expectation_rows = [
        (family.id, track.id, level_code, competency_id, position, expectation.proficiency)
        for family in framework.families
        for track in family.tracks
        for position, (competency_id, by_level) in enumerate(track.expectations.items())
        for level_code, expectation in by_level.items()
    ]
    participant = connection.ops.quote_name(CycleParticipant._meta.db_table)
    assessment = connection.ops.quote_name(Assessment._meta.db_table)
    rating = connection.ops.quote_name(Rating._meta.db_table)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_expectation (family_id VARCHAR(64), track_id VARCHAR(64), "
            "level_code VARCHAR(32), competency_id VARCHAR(64), position INTEGER, proficiency INTEGER)"
        )
        cursor.executemany("INSERT INTO bench_expectation VALUES (%s, %s, %s, %s, %s, %s)", expectation_rows)
        if vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for building the indexes
        else:
            cursor.execute("SET maintenance_work_mem = '512MB'")
        restore = _set_aside(cursor, vendor, [Assessment._meta.db_table, Rating._meta.db_table])
    steps["set_aside_indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    for slot, (starts_on, ends_on) in enumerate(halves):
        with transaction.atomic():
            cycle = ReviewCycle.objects.create(
                name=f"Bench {starts_on:%Y-%m}", framework_version=version, phase=ReviewCycle.Phase.CLOSED,
                starts_on=starts_on, ends_on=ends_on, share_on=ends_on, is_imported=True, opened_by=hr,
            )  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {participant} (cycle_id, person_id, family_id, track_id, level_code, manager_id, "
                    "calibration_confirmed_at, signed_off_at, shared_at) "
                    f"SELECT %s, id, family_id, track_id, level_code, manager_id, %s, %s, %s FROM {people_table} "
                    "WHERE is_active ORDER BY id",
                    [cycle.pk, now, now, now],
                )
                cursor.execute(
                    f"INSERT INTO {assessment} (cycle_id, subject_id, source, author_id, created_at, updated_at, "
                    f"submitted_at) SELECT %s, id, 'self', id, %s, %s, %s FROM {people_table} WHERE is_active "
                    "UNION ALL "
                    f"SELECT %s, id, 'manager', manager_id, %s, %s, %s FROM {people_table} "
                    "WHERE is_active AND manager_id IS NOT NULL",
                    [cycle.pk, now, now, now] * 2,
                )
                if vendor == "postgresql":
                    # What autovacuum would soon do for tables just filled: without statistics the
                    # planner may join the 200,000 assessments to the people by nested loops.
                    cursor.execute(f"ANALYZE {people_table}, {assessment}, {participant}")
                cursor.execute(
                    f"INSERT INTO {rating} (assessment_id, cycle_id, subject_id, source, competency_id, score, "
                    "comment, evidence, revision, updated_at) "
                    f"SELECT a.id, a.cycle_id, a.subject_id, a.source, e.competency_id, {_score_sql(vendor, slot)}, "
                    f"'', '', 1, %s FROM {assessment} a JOIN {people_table} p ON p.id = a.subject_id "
                    "JOIN bench_expectation e ON e.family_id = p.family_id AND e.track_id = p.track_id "
                    "AND e.level_code = p.level_code WHERE a.cycle_id = %s ORDER BY a.subject_id, a.source, e.position",
                    [now, cycle.pk],
                )
        steps[f"cycle_{slot + 1}"] = time.perf_counter() - started
        started = time.perf_counter()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
    steps["restore_indexes"] = time.perf_counter() - started
    # Each person's result per cycle, as sharing or closing a cycle builds it (after the indexes:
    # the build reads the ratings through them, as it does in the app).
    for slot, cycle_id in enumerate(
        ReviewCycle.objects.filter(name__startswith="Bench ").order_by("ends_on").values_list("pk", flat=True)
    ):
        started = time.perf_counter()
        cycle_results_build(cycle_ids=[cycle_id])
        steps[f"cycle_results_{slot + 1}"] = time.perf_counter() - started
    started = time.perf_counter()
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        steps["vacuum_analyze"] = time.perf_counter() - started
    print(
        json.dumps(
            {
                "steps": steps,
                "people": Person.objects.count(),
                "ratings": Rating.objects.count(),
                "bench_ratings": Rating.objects.filter(cycle__name__startswith="Bench ").count(),
                "competencies": COMPETENCIES,
            }
        )
    )


# --- the figures (each in a child process with Django set up) -------------------------------------


def _resident_bytes() -> int:
    """This process's resident memory now (VmRSS), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _counted_cycles() -> list[int]:
    """The ids of the cycles readiness counts today, oldest first."""
    from django.utils import timezone

    from trellis.web.promotions.readiness_services import COUNTED_PHASES
    from trellis.web.reviews.models import ReviewCycle

    return list(
        ReviewCycle.objects.filter(phase__in=COUNTED_PHASES, ends_on__lte=timezone.localdate())
        .order_by("ends_on")
        .values_list("pk", flat=True)
    )


def measure_recompute(repeats: int) -> None:
    """The company-wide recomputation: a first run writing every row, then `repeats` timed, then
    the first of a new day; print JSON."""
    import django

    django.setup()
    from django.utils import timezone

    from trellis.web.promotions.models import Readiness
    from trellis.web.promotions.readiness_services import readiness_recompute_all

    baseline = _resident_bytes()
    # The first run writes every row (none is stored yet); the timed ones find what is stored.
    Readiness.objects.filter(is_next_level=True).delete()
    started = time.perf_counter()
    evaluated, ready = readiness_recompute_all()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        readiness_recompute_all()
        times.append(time.perf_counter() - started)
    # The first recomputation of a day: every row kept has its day moved on (`computed_at`).
    Readiness.objects.filter(is_next_level=True).update(
        computed_at=timezone.now() - datetime.timedelta(days=1)
    )
    started = time.perf_counter()
    readiness_recompute_all()
    new_day = time.perf_counter() - started
    print(
        json.dumps(
            {
                "times": times,
                "first": first,
                "new_day": new_day,
                "evaluated": evaluated,
                "ready": ready,
                "baseline_rss": baseline,
                "peak_rss": peak_resident_bytes(),
            }
        )
    )


def measure_floors(repeats: int) -> None:
    """The two floors over the ratings readiness reads (the manager's, of the counted cycles): a
    bare SQL ``GROUP BY`` average and minimum per person, and the same arithmetic in numpy on
    arrays in memory; also the time to fetch those ratings into the arrays. Print JSON."""
    import django

    django.setup()
    import numpy as np
    from django.db import connection, transaction

    from trellis.web.reviews.models import Rating, Source

    cycles = _counted_cycles()
    table = connection.ops.quote_name(Rating._meta.db_table)
    placeholders = ", ".join(["%s"] * len(cycles))
    where = f"source IN (%s, %s) AND score IS NOT NULL AND cycle_id IN ({placeholders})"
    parameters = [Source.CALIBRATED, Source.MANAGER, *cycles]
    group_by = f"SELECT subject_id, AVG(score), MIN(score) FROM {table} WHERE {where} GROUP BY subject_id"

    def sql_floor(setting: str = "") -> list[float]:
        times = []
        for index in range(repeats + 1):
            with transaction.atomic(), connection.cursor() as cursor:
                if setting:
                    cursor.execute(setting)
                started = time.perf_counter()
                cursor.execute(group_by, parameters)
                rows = cursor.fetchall()
                elapsed = time.perf_counter() - started
            if index:
                times.append(elapsed)
        if not rows:
            raise RuntimeError("the SQL floor found no ratings")
        return times

    figures: dict[str, Any] = {"sql": sql_floor()}
    if connection.vendor == "postgresql":
        figures["sql_work_mem"] = sql_floor("SET LOCAL work_mem = '64MB'")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT subject_id, cycle_id, competency_id, score FROM {table} WHERE {where}", parameters
        )
        fetched = cursor.fetchall()
    subjects = np.array([row[0] for row in fetched], dtype=np.int64)
    slot_of = {cycle: slot for slot, cycle in enumerate(cycles)}
    code_of: dict[str, int] = {}
    columns = np.array(
        [slot_of[row[1]] * COMPETENCIES + code_of.setdefault(row[2], len(code_of)) for row in fetched],
        dtype=np.int64,
    )
    scores = np.array([row[3] for row in fetched], dtype=np.float64)
    people, rows_of = np.unique(subjects, return_inverse=True)
    grid = np.full((len(people), len(cycles) * max(COMPETENCIES, len(code_of))), np.nan)
    grid[rows_of, columns] = scores
    figures["fetch"] = time.perf_counter() - started
    figures["rows"] = len(fetched)
    del fetched
    times = []
    for _ in range(repeats * 5 + 1):
        started = time.perf_counter()
        average = np.nanmean(grid, axis=1)
        lowest = np.nanmin(grid, axis=1)
        times.append(time.perf_counter() - started)
    if average.shape != lowest.shape:
        raise RuntimeError("numpy floor: shapes differ")
    figures["numpy"] = times[1:]
    figures["people"] = len(people)
    print(json.dumps(figures))


def measure_change(repeats: int) -> None:
    """One rating changed and the queued recomputation run, for `repeats` different people: the
    time until that person's readiness is current. Print JSON."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from tests.web.task_worker import run_queued_tasks

    from trellis.web.promotions.models import Readiness
    from trellis.web.promotions.readiness_services import (
        _evaluate,
        readiness_inputs_changed,
        readiness_recompute_all,
    )
    from trellis.web.reviews.models import Rating, Source

    if not Readiness.objects.exists():
        readiness_recompute_all()
    last_cycle = _counted_cycles()[-1]
    chosen = list(
        Rating.objects.filter(
            cycle_id=last_cycle, source=Source.MANAGER, score__isnull=False, competency_id="communication"
        )
        .order_by("subject_id")
        .values_list("pk", "subject_id", "score")[
            :: max(1, Rating.objects.filter(cycle_id=last_cycle).count() // 300)
        ][: repeats + 1]
    )
    times, commits, tasks, task_queries = [], [], [], []
    for index, (rating_id, subject_id, score) in enumerate(chosen):
        started = time.perf_counter()
        with transaction.atomic():
            Rating.objects.filter(pk=rating_id).update(
                score=score % 5 + 1, revision=F("revision") + 1, updated_at=timezone.now()
            )
            readiness_inputs_changed([subject_id])
        committed = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            ran = run_queued_tasks("trellis.web.promotions.tasks.readiness_recompute")
        finished = time.perf_counter()
        if len(ran) != 1 or ran[0].status != "SUCCESSFUL":
            raise RuntimeError(f"the readiness task did not run once successfully: {ran}")
        # Current: the stored figures are those of the person evaluated now (a change that leaves
        # them as they were — a manager's score under a calibrated one — keeps the row as it is).
        fresh = _evaluate(person_ids=[subject_id], as_of=timezone.localdate())[1]
        stored = Readiness.objects.filter(person_id=subject_id, is_next_level=True).values_list(
            "criteria", flat=True
        )
        if fresh and list(stored) != [fresh[0].figures.to_json()]:
            raise RuntimeError(f"readiness of person {subject_id} is not current")
        if index:  # the first warms the caches (the published framework, the task's import)
            times.append(finished - started)
            commits.append(committed - started)
            tasks.append(finished - committed)
            task_queries.append(len(queries))
    print(
        json.dumps(
            {"times": times, "commits": commits, "tasks": tasks, "queries": statistics.median(task_queries)}
        )
    )


def measure_pages(requests: int) -> None:
    """The employee's home, level and matrix pages, and the manager's home (their team); print JSON."""
    import django

    django.setup()
    from bench.web import DEMO_EMPLOYEE, page_figures, persona_paths, signed_in_client

    client, person = signed_in_client(DEMO_EMPLOYEE)
    figures = {page: page_figures(client, path, requests) for page, path in persona_paths(person).items()}
    manager, _ = signed_in_client(DEMO_MANAGER)
    figures["team"] = page_figures(manager, "/", requests)
    print(json.dumps(figures))


# --- the sites ------------------------------------------------------------------------------------


@contextlib.contextmanager
def company(engine: str, people: int, *, keep: Path | None = None) -> Iterator[Site]:
    """A migrated database holding the generated company of `people` people, removed afterwards
    (kept, and reused when it is there, in `keep` — for working on this benchmark)."""
    database = os.environ.get(DATABASE_VARIABLE, "trellis_bench_reviews")
    database_url = f"{POSTGRES_SERVER}/{database}" if engine == "postgresql" else ""
    data_dir = keep if keep is not None else Path(tempfile.mkdtemp(prefix=f"trellis-bench-reviews-{engine}-"))
    prepared = Site(engine=engine, data_dir=data_dir, database_url=database_url)
    marker = data_dir / f"generated-{engine}-{people}.json"
    try:
        if not marker.exists():
            if engine == "postgresql":
                _postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                _postgres_admin(f'CREATE DATABASE "{database}"')
            else:
                for leftover in data_dir.glob("trellis.sqlite3*"):
                    leftover.unlink()
            started = time.perf_counter()
            prepared.trellis("manage", "migrate", "--noinput")
            prepared.trellis("demo", "--employees", str(SMALL_COMPANY))
            demo = time.perf_counter() - started
            generated = run_python_for_json(
                f"from bench.reviews import generate; generate({people})",
                environment=prepared.environment(),
                cwd=REPOSITORY,
                what="generating the company",
                timeout=3600,
            )
            generated["steps"] = {"migrate_and_demo": demo, **generated["steps"]}
            prepared.trellis("manage", "collectstatic", "--noinput", "--verbosity", "0")
            marker.write_text(json.dumps(generated))
        generated = json.loads(marker.read_text())
        scope = f"reviews.{engine}.generate"
        print(
            f"  {generated['people']:,} people, {generated['ratings']:,} ratings "
            f"({generated['bench_ratings']:,} in the {CYCLES} generated cycles, {COMPETENCIES} competencies)"
        )
        for step, seconds in generated["steps"].items():
            emit(f"{scope}.{step}", seconds, "s", f"generate: {step.replace('_', ' ')}")
        emit(f"{scope}.total", sum(generated["steps"].values()), "s", "generate: total")
        yield prepared
    finally:
        if keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)
            if engine == "postgresql":
                with contextlib.suppress(Exception):
                    _postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


# --- the report -----------------------------------------------------------------------------------


def _child(prepared: Site, call: str, what: str) -> Any:
    return run_python_for_json(
        f"from bench.reviews import {call.split('(')[0]}; {call}",
        environment=prepared.environment(),
        cwd=REPOSITORY,
        what=what,
        timeout=3600,
    )


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def run_company(engine: str, people: int, *, keep: Path | None = None) -> dict[str, Any]:
    """Every figure of one engine at one size; the figures the targets are read from."""
    print(f"{engine}, {people:,} people × {COMPETENCIES} competencies × self and manager × {CYCLES} cycles:")
    scope = f"reviews.{engine}.{people}"
    with company(engine, people, keep=keep) as prepared:
        floors = _child(prepared, f"measure_floors({RECOMPUTE_REPEATS})", "the floors")
        recompute = _child(prepared, f"measure_recompute({RECOMPUTE_REPEATS})", "the recomputation")
        change = _child(prepared, f"measure_change({CHANGE_REPEATS})", "one change")
        pages = _child(prepared, f"measure_pages({PAGE_REQUESTS})", "the pages")
    sql_floor = statistics.median(floors["sql"])
    wall = statistics.median(recompute["times"])
    print(
        f"  readiness reads {floors['rows']:,} ratings (the manager's, of the counted cycles) of {floors['people']:,} people"
    )
    emit(
        f"{scope}.recompute.wall",
        wall,
        "s",
        f"full readiness recomputation ({recompute['evaluated']:,} people)",
    )
    emit(
        f"{scope}.recompute.first",
        recompute["first"],
        "s",
        "  the first one, every row written (none stored before)",
    )
    emit(
        f"{scope}.recompute.new_day",
        recompute["new_day"],
        "s",
        "  the first of a new day, every row's day moved on",
    )
    emit(
        f"{scope}.recompute.peak_rss",
        recompute["peak_rss"] / 2**20,
        "MB",
        "recomputation peak memory (whole process)",
    )
    emit(
        f"{scope}.recompute.baseline_rss",
        recompute["baseline_rss"] / 2**20,
        "MB",
        "the same process before it (Django set up)",
    )
    emit(f"{scope}.floor.sql", sql_floor, "s", "floor: SQL GROUP BY person, AVG and MIN")
    if "sql_work_mem" in floors:
        emit(
            f"{scope}.floor.sql_work_mem_64mb",
            statistics.median(floors["sql_work_mem"]),
            "s",
            "floor: the same with work_mem 64MB",
        )
    emit(
        f"{scope}.floor.numpy",
        statistics.median(floors["numpy"]) * 1000,
        "ms",
        "floor: the same arithmetic in numpy, in memory",
    )
    emit(f"{scope}.floor.fetch", floors["fetch"], "s", "fetching those ratings into numpy arrays")
    emit(f"{scope}.recompute.floor_ratio", wall / sql_floor, "×", "recomputation / SQL floor")
    emit(
        f"{scope}.change.median",
        statistics.median(change["times"]) * 1000,
        "ms",
        "one rating change to readiness current, median",
    )
    emit(
        f"{scope}.change.p95",
        p95(change["times"]) * 1000,
        "ms",
        "one rating change to readiness current, p95",
    )
    emit(
        f"{scope}.change.commit",
        statistics.median(change["commits"]) * 1000,
        "ms",
        "  of which the change and its commit (median)",
    )
    emit(
        f"{scope}.change.task",
        statistics.median(change["tasks"]) * 1000,
        "ms",
        "  of which the queued task, run (median)",
    )
    emit(
        f"{scope}.change.task_queries",
        change["queries"],
        "queries",
        "  the task's queries (with the worker's own)",
    )
    print("  pages: " + ", ".join(f"{page} {figures['path']}" for page, figures in pages.items()))
    for page, figures in pages.items():
        emit(f"{scope}.{page}.p95", figures["p95_ms"], "ms", f"{page} p95")
        emit(f"{scope}.{page}.queries", figures["queries"], "queries", f"{page} queries per request")  # fmt: skip
    return {"engine": engine, "people": people, "wall": wall, "sql_floor": sql_floor, "peak": recompute["peak_rss"],
            "change_p95": p95(change["times"]) * 1000, "pages": pages}  # fmt: skip


def _targets(results: list[dict[str, Any]]) -> None:
    print("Targets of issue 8 (reported, not asserted):")
    for result in results:
        where = f"{result['engine']} at {result['people']:,}"
        print(f"  {where}: recomputation {result['wall']:.1f} s < {RECOMPUTE_TARGET_S:.0f} s: "
              f"{_verdict(result['wall'] < RECOMPUTE_TARGET_S)}; {result['wall'] / result['sql_floor']:.1f}× the "
              f"SQL floor ≤ {FLOOR_RATIO_TARGET:.0f}×: {_verdict(result['wall'] <= FLOOR_RATIO_TARGET * result['sql_floor'])}; "
              f"peak {result['peak'] / 2**20:.0f} MB < 1 GB: {_verdict(result['peak'] < MEMORY_TARGET_BYTES)}")  # fmt: skip
        print(f"  {where}: one change p95 {result['change_p95']:.1f} ms < {CHANGE_TARGET_MS:.0f} ms: "
              f"{_verdict(result['change_p95'] < CHANGE_TARGET_MS)}")  # fmt: skip
        for page, figures in result["pages"].items():
            print(f"  {where}: {page} p95 {figures['p95_ms']:.1f} ms < {PAGE_P95_TARGET_MS:.0f} ms: "
                  f"{_verdict(figures['p95_ms'] < PAGE_P95_TARGET_MS)}")  # fmt: skip
    smallest = {r["engine"]: r for r in sorted(results, key=lambda r: -r["people"])}
    for result in results:
        small = smallest[result["engine"]]
        if small is result:
            continue
        for page, figures in result["pages"].items():
            before = small["pages"][page]["queries"]
            print(f"  {result['engine']} {page}: {before} queries at {small['people']:,} people, {figures['queries']} at "
                  f"{result['people']:,}: " + ("GROWS with the company" if figures["queries"] > before else "does not grow"))  # fmt: skip


def main(sizes: tuple[int, ...] = (DEFAULT_PEOPLE,)) -> None:
    """The reviews benchmarks at each company size of `sizes`, on SQLite and on PostgreSQL."""
    print("Reviews and readiness at scale:")
    unavailable = postgres_available()
    engines = ["sqlite"] + (["postgresql"] if unavailable is None else [])
    if unavailable is not None:
        print(f"postgresql: not reachable at {POSTGRES_SERVER} ({unavailable}); skipped")
    results = [run_company(engine, people) for engine in engines for people in sizes]
    _targets(results)


if __name__ == "__main__":
    main(tuple(int(size) for size in sys.argv[1:]) or (PEOPLE,))
