"""`make bench --only readiness`: the arithmetic of promotion readiness for a whole company.

On generated compact arrays of 100,000 people × 12 competencies × 4 cycles (one cohort of one plan:
min_average, floor, a required competency, time at the next level, minimum time in level, two scope
evidence items, endorsement and calibration), in this process:

- the bulk path (`trellis.evaluation.readiness_bulk.evaluate_cohort`): wall time, median of the runs;
- the floor beside it: a bare numpy mean and minimum per person over the same array;
- the figures of every person as a store keeps them (`CohortResult.figures`), and the worded result
  of 10,000 people (what a page does for one) to show what words would cost company-wide;
- the per-person path (`trellis.evaluation.readiness.evaluate`) on 10,000 people, for comparison.

Target (reported, never asserted): the bulk path well under a second.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable

import numpy as np

from bench.figures import emit, peak_resident_bytes
from trellis.evaluation.readiness import CycleResults, PersonInputs, Placement, evaluate, plan_readiness
from trellis.evaluation.readiness_bulk import CohortInputs, evaluate_cohort
from trellis.framework.model import (
    Competency,
    Expectation,
    Family,
    Framework,
    Level,
    PromotionCriteria,
    RequiredCompetency,
    TimeAtLevel,
    Track,
)

PEOPLE = 100_000
COMPETENCIES = 12
CYCLES = 4
WORDED = 10_000
AS_OF = datetime.date(2026, 6, 30)


def company_framework() -> Framework:
    """One family, one track of two levels assessing 12 competencies, and the criteria between them."""
    ids = [f"competency_{number:02d}" for number in range(COMPETENCIES)]
    track = Track(
        id="ic",
        name="Individual contributor",
        levels=[
            Level(code="IC3", name="Senior", title="Senior Engineer", min_months_in_level=12),
            Level(code="IC4", name="Staff", title="Staff Engineer"),
        ],
        expectations={c: {"IC3": Expectation(proficiency=3), "IC4": Expectation(proficiency=4)} for c in ids},
    )
    criteria = PromotionCriteria(
        from_level="IC3",
        to_level="IC4",
        min_average=3.5,
        floor=3,
        required=[RequiredCompetency(competency=ids[0], minimum=4)],
        time_at_next_level=TimeAtLevel(count=2, unit="quarters"),
        scope_evidence=["Led a project across teams.", "Mentored an engineer."],
    )
    family = Family(
        id="engineering",
        name="Engineering",
        competencies=[Competency(id=c, name=c.replace("_", " ").capitalize()) for c in ids],
        tracks=[track],
        promotions=[criteria],
    )
    return Framework(name="Benchmark company", families=[family])


def company_arrays(plan_columns: int, evidence: int) -> CohortInputs:
    generator = np.random.default_rng(8)
    scores = generator.choice(
        [1.0, 2.0, 3.0, 4.0, 5.0, np.nan],
        size=(PEOPLE, CYCLES, plan_columns),
        p=[0.03, 0.1, 0.37, 0.35, 0.14, 0.01],
    )
    return CohortInputs(
        cycle_scores=scores,
        cycle_months=np.full((PEOPLE, CYCLES), 3, dtype=np.int64),
        months_in_level=generator.integers(0, 48, PEOPLE),
        endorsed=generator.random(PEOPLE) < 0.6,
        calibration_confirmed=generator.random(PEOPLE) < 0.8,
        evidenced=generator.random((PEOPLE, evidence)) < 0.5,
    )


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(repeats: int) -> None:
    framework = company_framework()
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC3")
    inputs = company_arrays(len(plan.columns), len(plan.evidence_items))
    print(
        f"Readiness arithmetic: {PEOPLE:,} people × {COMPETENCIES} competencies × {CYCLES} cycles "
        f"({len(plan.requirements)} criteria), median of {repeats} runs"
    )
    bulk = median_seconds(lambda: evaluate_cohort(plan, inputs, AS_OF), repeats)
    emit("readiness.bulk.wall", bulk * 1000, "ms", "bulk evaluation of every person")
    scores = inputs.cycle_scores

    def floor() -> object:
        latest = scores[:, -1, :]
        return np.nanmean(latest, axis=1), np.nanmin(latest, axis=1)

    emit(
        "readiness.numpy_floor.wall",
        median_seconds(floor, repeats) * 1000,
        "ms",
        "numpy floor: mean and minimum",
    )
    result = evaluate_cohort(plan, inputs, AS_OF)
    emit(
        "readiness.figures.wall",
        median_seconds(lambda: list(result.figures()), max(1, repeats // 2)) * 1000,
        "ms",
        "every person's figures, as stored",
    )
    emit(
        "readiness.worded_10k.wall",
        median_seconds(lambda: [result.readiness(i) for i in range(WORDED)], max(1, repeats // 2)) * 1000,
        "ms",
        f"worded results of {WORDED:,} people",
    )
    people = [
        PersonInputs(
            placement=Placement("engineering", "ic", "IC3", datetime.date(2025, 1, 1)),
            cycles=tuple(
                CycleResults(
                    f"c{k}",
                    datetime.date(2025, 3 * k + 3, 28),
                    {c: float(v) for c, v in zip(plan.columns, scores[i, k], strict=True) if not np.isnan(v)},
                )
                for k in range(CYCLES)
            ),
        )
        for i in range(WORDED)
    ]
    emit(
        "readiness.per_person_10k.wall",
        median_seconds(lambda: [evaluate(plan, p, AS_OF) for p in people], max(1, repeats // 2)) * 1000,
        "ms",
        f"per-person path, {WORDED:,} people",
    )
    emit("readiness.peak_rss", peak_resident_bytes() / 2**20, "MB", "peak resident memory of this process")
    print(f"  target: bulk evaluation well under 1 s — {'met' if bulk < 1 else 'NOT met'}")
