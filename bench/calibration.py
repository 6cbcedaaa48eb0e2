"""Calibration at the size of the acceptance target (`--only calibration`): the session page of a
300-person group, on SQLite and on PostgreSQL, with its queries; and the statistics and charts
alone (pure, in memory) for the same people.

A demo company of `EMPLOYEES` people is loaded by ``trellis demo`` into a throwaway installation
(`bench.web.site`); a cycle pinned to its published version rates everyone with a manager on the
competencies of their track (manager ratings; scores depend on the manager, so some lean); one
group of all their managers holds the first `GROUP_SIZE` of them. Target: p95 under 300 ms.
"""

from __future__ import annotations

import json
import statistics
import time

from bench.figures import emit, p95, run_python_for_json
from bench.web import REPOSITORY, postgres_available, site

EMPLOYEES = 400
GROUP_SIZE = 300
REQUESTS = 30
WARM_UP = 3
P95_TARGET_MS = 300.0


def measure(requests: int) -> None:
    """In the child process: build the session, then print one JSON line of figures."""
    import datetime
    import random

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trellis.web.accounts.models import User
    from trellis.web.frameworks.models import FrameworkVersion
    from trellis.web.people.demo_accounts import HR_EMAIL
    from trellis.web.people.models import Person
    from trellis.web.reviews.calibration_scale import cycle_framework
    from trellis.web.reviews.models import (
        Assessment,
        CalibrationGroup,
        CycleParticipant,
        Rating,
        ReviewCycle,
        Source,
    )

    cycle = ReviewCycle.objects.create(
        name="Bench cycle",
        framework_version=FrameworkVersion.objects.get(is_current=True),
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        phase=ReviewCycle.Phase.CALIBRATION,
    )
    framework = cycle_framework(cycle)
    people = list(Person.objects.filter(is_active=True, manager__isnull=False).order_by("pk")[:GROUP_SIZE])
    managers = sorted({person.manager_id for person in people if person.manager_id is not None})
    group = CalibrationGroup.objects.create(cycle=cycle, name="Bench group")
    group.members.set(Person.objects.filter(pk__in=managers))
    generator = random.Random(1)
    lean = {manager: generator.choice((-1, 0, 0, 1)) for manager in managers}
    CycleParticipant.objects.bulk_create(
        CycleParticipant(
            cycle=cycle, person=person, family_id=person.family_id, track_id=person.track_id,
            level_code=person.level_code, manager_id=person.manager_id, calibration_group=group,
        )
        for person in people
    )  # fmt: skip
    Assessment.objects.bulk_create(
        Assessment(cycle=cycle, subject=person, source=Source.MANAGER, author_id=person.manager_id)
        for person in people
    )
    assessments = {a.subject_id: a for a in Assessment.objects.filter(cycle=cycle)}
    ratings = []
    for person in people:
        family = framework.family(person.family_id)
        track = family.track(person.track_id) if family is not None else None
        competencies = (
            framework.competencies_for(family, track) if family is not None and track is not None else []
        )
        for competency in competencies:
            score = min(5, max(1, round(generator.gauss(3, 0.8)) + lean[person.manager_id]))
            ratings.append(
                Rating(
                    assessment=assessments[person.pk], cycle=cycle, subject=person, source=Source.MANAGER,
                    competency_id=competency.id, score=score,
                )
            )  # fmt: skip
    Rating.objects.bulk_create(ratings, batch_size=2000)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=HR_EMAIL))
    path = f"/reviews/calibration/groups/{group.pk}/"
    for _ in range(WARM_UP):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "people": len(people),
                "ratings": len(ratings),
                "median_ms": statistics.median(times) * 1000,
                "p95_ms": p95(sorted(times)) * 1000,
                "queries": query_count,
            }
        )
    )


def pure_figures() -> None:
    """The statistics and the two charts of a 300-person board, without the database."""
    import random

    from trellis.evaluation import calibration, charts

    generator = random.Random(2)
    people = [
        calibration.PersonScore(str(index), f"manager {index % 40}", f"team {index % 12}", f"IC{index % 5 + 1}",
                                generator.gauss(3, 0.7) + (index % 40 == 3) * 0.8)
        for index in range(GROUP_SIZE)
    ]  # fmt: skip
    points = (1, 2, 3, 4, 5)

    def work() -> None:
        overall = calibration.distribution([person.score for person in people], points)
        leniency = calibration.manager_leniency(people)
        calibration.level_outliers(people)
        charts.distribution_chart(
            [charts.DistributionBar(str(p), c) for p, c in zip(overall.points, overall.counts, strict=True)],
            title="t",
        )
        charts.interval_chart(
            [charts.IntervalRow(e.manager, e.effect, e.low, e.high) for e in leniency],
            title="t", label_heading="m", estimate_heading="e",
        )  # fmt: skip

    work()
    times = []
    for _ in range(50):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    emit(
        "calibration.pure_300",
        statistics.median(times) * 1000,
        "ms",
        "board statistics and charts, 300 people",
    )


def main() -> None:
    print(f"Calibration: the session page of a {GROUP_SIZE}-person group (demo of {EMPLOYEES})")
    pure_figures()
    engines = ["sqlite"]
    unavailable = postgres_available()
    if unavailable is None:
        engines.append("postgresql")
    else:
        print(f"  PostgreSQL skipped: {unavailable}")
    for engine in engines:
        with site(engine, EMPLOYEES) as prepared:
            figures = run_python_for_json(
                f"from bench.calibration import measure; measure({REQUESTS})",
                environment=prepared.environment(),
                cwd=REPOSITORY,
                what="calibration page measurement",
            )
        label = f"{engine}, {figures['people']} people, {figures['ratings']:,} ratings"
        emit(
            f"calibration.{engine}.page_median", figures["median_ms"], "ms", f"session page median ({label})"
        )
        emit(
            f"calibration.{engine}.page_p95",
            figures["p95_ms"],
            "ms",
            f"session page p95 (target {P95_TARGET_MS:.0f})",
        )
        emit(f"calibration.{engine}.page_queries", figures["queries"], "queries", "session page queries")


if __name__ == "__main__":
    main()
