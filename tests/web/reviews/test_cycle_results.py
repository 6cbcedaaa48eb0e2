"""Each person's result per counted cycle (`reviews.CycleResult`) is exactly what the ratings say
— per competency, the calibrated score, else the manager's — after a cycle is shared, after past
cycles are imported, refused adjustments once shared, and after a rebuild;
and readiness reads them."""

from __future__ import annotations

import datetime
from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from trellis.web.accounts.models import User
from trellis.web.reviews.cycle_results import cycle_results_build, cycle_results_read
from trellis.web.reviews.cycle_services import cycle_advance
from trellis.web.reviews.models import CycleResult, CycleResultBuild, Rating, ReviewCycle, Source
from trellis.web.reviews.rating_import_services import rating_import_apply, rating_import_upload

from ..task_worker import run_queued_tasks
from .test_calibration import _adjust_delivery, session  # noqa: F401 (the fixture)
from .test_rating_import import GOOD, company  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

Results = dict[tuple[int, int], dict[str, int]]


def from_ratings(cycle_ids: list[int]) -> Results:
    """The results worked out in Python from the ratings: (cycle, person) → competency → score."""
    by_source: dict[str, Results] = {Source.MANAGER: defaultdict(dict), Source.CALIBRATED: defaultdict(dict)}
    for cycle, subject, source, competency, score in Rating.objects.filter(
        cycle_id__in=cycle_ids, source__in=[Source.MANAGER, Source.CALIBRATED], score__isnull=False
    ).values_list("cycle_id", "subject_id", "source", "competency_id", "score"):
        scores = by_source[source][(cycle, subject)]
        scores[competency] = max(score, scores.get(competency, score))
    manager, calibrated = by_source[Source.MANAGER], by_source[Source.CALIBRATED]
    return {key: {**manager.get(key, {}), **calibrated.get(key, {})} for key in {*manager, *calibrated}}


def stored(cycle_ids: list[int]) -> Results:
    """The results as readiness reads them."""
    packed = cycle_results_read(cycle_ids=cycle_ids)
    results: Results = defaultdict(dict)
    rows, codes, scores = packed.items()
    for row, code, score in zip(rows.tolist(), codes.tolist(), scores.tolist(), strict=True):
        results[(int(packed.cycle[row]), int(packed.person[row]))][packed.competencies[code]] = score
    return dict(results)


def test_sharing_a_cycle_builds_its_results_from_the_ratings(session: dict[str, Any]) -> None:  # noqa: F811
    cycle, hr = session["cycle"], session["hr_admin"]
    participant = session["participants"]["employee"]
    _adjust_delivery(session["manager"], participant, 5)
    # Not counted yet: nothing is built.
    assert not CycleResult.objects.filter(cycle=cycle).exists()
    cycle_advance(actor=hr, cycle=cycle, expected_phase="calibration")
    cycle_advance(actor=hr, cycle=cycle, expected_phase="sign_off")
    employee = participant.person_id
    results = stored([cycle.pk])
    assert results == from_ratings([cycle.pk])
    # The calibrated 5 replaces the manager's 3; the teammate's missing craft stays missing.
    assert results[(cycle.pk, employee)] == {"communication": 3, "delivery": 5, "software_craft": 4}
    teammate = session["participants"]["teammate"].person_id
    assert results[(cycle.pk, teammate)] == {"communication": 4, "delivery": 4}
    assert CycleResultBuild.objects.get(cycle=cycle).people == 4


def test_once_shared_no_adjustment_changes_the_results(
    session: dict[str, Any],  # noqa: F811
) -> None:
    # Calibration happens in its phase only: once the cycle is shared its results are what the
    # ratings said when it was, and an adjustment is refused with nothing changed.
    cycle, hr = session["cycle"], session["hr_admin"]
    for phase in ("calibration", "sign_off"):
        cycle_advance(actor=hr, cycle=cycle, expected_phase=phase)
    run_queued_tasks()
    participant = session["participants"]["employee"]
    before = stored([cycle.pk])
    assert before == from_ratings([cycle.pk])
    with pytest.raises(
        ValidationError, match="Calibration happens while the cycle is in its calibration phase"
    ):
        _adjust_delivery(session["manager"], participant, 1)
    assert stored([cycle.pk]) == before == from_ratings([cycle.pk])


def test_an_adjustment_before_sharing_builds_nothing(session: dict[str, Any]) -> None:  # noqa: F811
    _adjust_delivery(session["manager"], session["participants"]["employee"], 5)
    assert not CycleResult.objects.exists()


def test_imported_cycles_are_built_at_once(company: dict[str, User]) -> None:  # noqa: F811
    hr = company["hr_admin"]
    job = rating_import_upload(actor=hr, file_name="ratings.csv", data=GOOD)
    rating_import_apply(actor=hr, job=job)
    cycles = list(ReviewCycle.objects.values_list("pk", flat=True))
    assert len(cycles) == 2
    assert set(CycleResultBuild.objects.values_list("cycle_id", flat=True)) == set(cycles)
    results = stored(cycles)
    assert results == from_ratings(cycles)
    employee = company["employee"].person
    assert employee is not None
    first_half = ReviewCycle.objects.get(name="First half 2024").pk
    # The peer's 4 never counts.
    assert results[(first_half, employee.pk)] == {"communication": 3, "software_craft": 3}
    second_half = ReviewCycle.objects.get(name="Second half 2023").pk
    assert results[(second_half, employee.pk)] == {"communication": 2}


def test_the_rebuild_writes_every_counted_cycle_again_from_its_ratings(
    session: dict[str, Any],  # noqa: F811
) -> None:
    cycle, previous = session["cycle"], session["previous"]
    ReviewCycle.objects.filter(pk__in=[cycle.pk, previous.pk]).update(phase=ReviewCycle.Phase.CLOSED)
    cycle_results_build(cycle_ids=[cycle.pk, previous.pk])
    expected = from_ratings([cycle.pk, previous.pk])
    assert stored([cycle.pk, previous.pk]) == expected
    # Ratings changed behind the services' back, and a result lost: the rebuild puts them right.
    Rating.objects.filter(cycle=cycle, competency_id="communication").update(score=1)
    CycleResult.objects.filter(cycle=previous).delete()
    out = StringIO()
    call_command("cycle_results_rebuild", stdout=out)
    assert out.getvalue().splitlines() == [
        "First half 2026: 1 result",
        "Second half 2026: 4 results",
        "7 people evaluated, 0 ready",
    ]
    assert stored([cycle.pk, previous.pk]) == from_ratings([cycle.pk, previous.pk]) != expected


def test_a_counted_cycle_made_outside_the_services_is_built_when_first_read(
    session: dict[str, Any],  # noqa: F811
) -> None:
    from trellis.web.promotions.readiness_services import readiness_recompute_all

    previous = session["previous"]
    ReviewCycle.objects.filter(pk=previous.pk).update(phase=ReviewCycle.Phase.CLOSED)
    readiness_recompute_all(as_of=datetime.date(2026, 12, 31))
    assert CycleResultBuild.objects.filter(cycle=previous).exists()
    assert stored([previous.pk]) == from_ratings([previous.pk])
