"""`make bench --only readiness_web`: readiness kept by the app, on SQLite and on PostgreSQL.

On a migrated database with the demo company's framework (`bench.web.site`, 50 demo people), a child
process adds `PEOPLE` people at IC3 of Engineering's IC track, each rated by their manager (and
calibrated for one in four) on every competency of their level in four closed cycles, then measures:

- the SQL floor: a bare ``GROUP BY subject`` average and minimum over the same ratings;
- the company-wide recomputation (`readiness_recompute_all`): wall time and the child's peak memory;
- one person's recomputation (`readiness_recompute`, what the task does after a rating changes),
  median of 20.

The issue's scale is 100,000 people; this measures `PEOPLE` so that it runs in minutes here. Reported,
never asserted; the targets (full recomputation within 3× the SQL floor, one change under 50 ms) are
printed beside the figures.
"""

from __future__ import annotations

from bench.figures import emit, run_python_for_json
from bench.web import REPOSITORY, postgres_available, site

PEOPLE = 10_000
CYCLES = 4

_CHILD = r"""
import datetime, json, random, statistics, time
import django
django.setup()
from django.db import connection, transaction
from trellis.web.frameworks.selectors import framework_published_for_work
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person
from trellis.web.reviews.models import Assessment, Rating, ReviewCycle, Source
from trellis.web.promotions.readiness_services import readiness_recompute, readiness_recompute_all

PEOPLE, CYCLES = PEOPLE_COUNT, CYCLE_COUNT
framework = framework_published_for_work().framework
track = framework.family("engineering").track("ic")
competencies = [c for c, levels in track.expectations.items() if "IC3" in levels]
version = FrameworkVersion.objects.get(is_current=True)
manager = Person.objects.filter(is_active=True).order_by("pk").first()
generator = random.Random(8)
with transaction.atomic():
    people = Person.objects.bulk_create(
        Person(employee_id=f"R{n:06d}", email=f"r{n}@example.com", full_name=f"Rated {n}", family_id="engineering",
               track_id="ic", level_code="IC3", level_since=datetime.date(2024, 1, 1), manager=manager)
        for n in range(PEOPLE)
    )
    if connection.vendor == "sqlite":  # bulk_create gives SQLite ids only from 3.35; read them back
        people = list(Person.objects.filter(employee_id__startswith="R").order_by("pk"))
    for k in range(CYCLES):
        ends = datetime.date(2024, 6, 30) + datetime.timedelta(days=182 * k)
        cycle = ReviewCycle.objects.create(name=f"Bench cycle {k}", framework_version=version, phase="closed",
                                           starts_on=ends - datetime.timedelta(days=180), ends_on=ends)
        for source in (Source.MANAGER, Source.CALIBRATED):
            subjects = people if source == Source.MANAGER else people[::4]
            assessments = Assessment.objects.bulk_create(
                Assessment(cycle=cycle, subject=p, source=source, author=manager if source == Source.MANAGER else None)
                for p in subjects)
            if connection.vendor == "sqlite":
                assessments = list(Assessment.objects.filter(cycle=cycle, source=source).order_by("pk"))
            Rating.objects.bulk_create(
                (Rating(assessment=a, cycle=cycle, subject_id=a.subject_id, source=source, competency_id=c,
                        score=generator.choice((2, 3, 3, 4, 4, 5)))
                 for a in assessments for c in competencies), batch_size=5000)
ratings = Rating.objects.count()
table = Rating._meta.db_table
started = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute(f"SELECT subject_id, AVG(score), MIN(score) FROM {table} GROUP BY subject_id")
    cursor.fetchall()
floor = time.perf_counter() - started
started = time.perf_counter()
evaluated, ready = readiness_recompute_all()
full = time.perf_counter() - started
one = []
for person in people[:20]:
    started = time.perf_counter()
    readiness_recompute(person_ids=[person.pk])
    one.append(time.perf_counter() - started)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"ratings": ratings, "floor": floor, "full": full, "evaluated": evaluated, "ready": ready,
                  "one": statistics.median(one), "peak_kib": peak}))
"""


def run_engine(engine: str) -> None:
    with site(engine, 50) as prepared:
        figures = run_python_for_json(
            _CHILD.replace("PEOPLE_COUNT", str(PEOPLE)).replace("CYCLE_COUNT", str(CYCLES)),
            environment=prepared.environment(),
            cwd=REPOSITORY,
            what=f"readiness recomputation ({engine})",
        )
    scope = f"readiness.{engine}"
    print(f"{engine}: {figures['evaluated']:,} people evaluated over {figures['ratings']:,} ratings")
    emit(f"{scope}.sql_floor", figures["floor"], "s", "SQL floor: GROUP BY person average and minimum")
    emit(f"{scope}.full", figures["full"], "s", "company-wide recomputation")
    emit(f"{scope}.full_over_floor", figures["full"] / figures["floor"], "×", "recomputation / SQL floor")
    emit(f"{scope}.one_person", figures["one"] * 1000, "ms", "one person's recomputation (median of 20)")
    emit(f"{scope}.peak", figures["peak_kib"] / 1024, "MB", "peak memory of the child")
    print(
        f"  targets: within 3× the floor {'met' if figures['full'] <= 3 * figures['floor'] else 'NOT met'}, "
        f"one change under 50 ms {'met' if figures['one'] < 0.05 else 'NOT met'}"
    )


def main() -> None:
    print(f"Readiness kept by the app: {PEOPLE:,} people × {CYCLES} closed cycles")
    run_engine("sqlite")
    unavailable = postgres_available()
    if unavailable is None:
        run_engine("postgresql")
    else:
        print(f"  PostgreSQL skipped: {unavailable}")
