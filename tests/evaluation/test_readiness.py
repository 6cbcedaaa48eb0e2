"""Promotion readiness against hand-computed cases, one per criterion kind and rule, and the bulk
path against the per-person path.

The framework is ``readiness.yaml`` beside this file. Its IC track assesses Communication, Delivery
and Software craft; IC2 expects 3, 3, 3, IC3 3, 4, 4 and IC4 4, 4, 5; M1 (grade 3, like IC3) expects
Communication 4, Delivery 3 and People development 3. Every figure below is worked out by hand in the
comment beside it.
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

import pytest

from trellis.evaluation.readiness import (
    Basis,
    CriterionKind,
    CriterionResult,
    CycleResults,
    Figures,
    NothingToEvaluate,
    PersonInputs,
    Placement,
    ReadinessError,
    Target,
    evaluate,
    plan_readiness,
    readiness_from_figures,
    result_scores,
)
from trellis.evaluation.readiness_bulk import cohort_inputs, evaluate_cohort
from trellis.framework.model import Framework
from trellis.framework.yaml_io import load_path

FRAMEWORK = Path(__file__).resolve().parent / "readiness.yaml"
EVIDENCE = "Shipped a feature of two weeks or more."
ENTRY = "Has mentored an engineer for two quarters."
K = CriterionKind


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_path(FRAMEWORK)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def cycles(*entries: tuple[str, dict[str, float]]) -> tuple[CycleResults, ...]:
    return tuple(CycleResults(f"c{n}", day(ended), scores) for n, (ended, scores) in enumerate(entries))


def person(
    level: str,
    since: str,
    history: tuple[CycleResults, ...] = (),
    *,
    track: str = "ic",
    evidenced: frozenset[str] = frozenset(),
    endorsed: bool = False,
    calibrated: bool = False,
) -> PersonInputs:
    return PersonInputs(
        placement=Placement("engineering", track, level, day(since)),
        cycles=history,
        evidenced=evidenced,
        endorsed=endorsed,
        calibration_confirmed=calibrated,
    )


def rows(results: tuple[CriterionResult, ...]) -> list[tuple[object, ...]]:
    """Each result as (kind, subject, met, actual, required, shortfall, explanation)."""
    return [(r.kind, r.subject, r.met, r.actual, r.required, r.shortfall, r.explanation) for r in results]


def test_every_criterion_met_with_ties_at_the_thresholds(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC1")
    assert (plan.target_track, plan.target_level, plan.basis) == ("ic", "IC2", Basis.PROMOTION_CRITERIA)
    history = cycles(
        # Before the level date: ignored, though it would meet everything.
        ("2024-12-31", {"communication": 5, "delivery": 5, "craft": 5}),
        # Operating at IC2 (3, 3, 3 against 3, 3, 3: ties meet).
        ("2025-06-30", {"communication": 3, "delivery": 3, "craft": 3}),
        ("2025-12-31", {"communication": 3, "delivery": 3.5, "craft": 3}),
    )
    inputs = person(
        "IC1", "2025-01-01", history, evidenced=frozenset({EVIDENCE}), endorsed=True, calibrated=True
    )
    readiness = evaluate(plan, inputs, day("2026-06-30"))
    assert readiness.ready
    assert rows(readiness.criteria) == [
        # (3 + 3.5 + 3) / 3 = 3.1666…, rounded to 6 decimals.
        (K.MIN_AVERAGE, "", True, 3.166667, 3, 0, "Average 3.17 — meets the minimum of 3"),
        (K.FLOOR, "", True, 3, 2.5, 0, "Lowest: Communication 3 — meets the floor of 2.5"),
        (K.REQUIRED, "craft", True, 3, 3, 0, "Software craft 3 — meets the minimum of 3"),
        (K.TIME_AT_NEXT_LEVEL, "", True, 2, 2, 0, "2 cycles at IC2 (2 cycles asked)"),
        # 1 January 2025 to 30 June 2026: 17 whole months.
        (K.MIN_MONTHS_IN_LEVEL, "", True, 17, 12, 0, "1 year, 5 months at IC1 (1 year asked)"),
        (K.SCOPE_EVIDENCE, EVIDENCE, True, 1, 1, 0, f"Evidenced: {EVIDENCE}"),
        (K.MANAGER_ENDORSEMENT, "", True, 1, 1, 0, "Endorsed by the manager"),
        (K.CALIBRATION, "", True, 1, 1, 0, "Confirmed in calibration"),
    ]


def test_a_missing_rating_is_a_gap_never_met(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC1")
    ratings = [
        ("communication", "self", 4),
        ("communication", "manager", 3.5),
        ("communication", "calibrated", 2.8),
        ("delivery", "manager", 4),
        ("delivery", "peer", 1),
        # Only a self rating of craft: self never counts, so craft is not rated.
        ("craft", "self", 5),
    ]
    history = (CycleResults("2025-h1", day("2025-06-30"), result_scores(ratings)),)
    readiness = evaluate(plan, person("IC1", "2025-01-01", history), day("2025-12-31"))
    assert not readiness.ready
    assert rows(readiness.criteria) == [
        # The mean of those rated, (2.8 + 4) / 2 = 3.4, is shown, but the criterion is not met.
        (
            K.MIN_AVERAGE,
            "",
            False,
            3.4,
            3,
            None,
            "Average 3.4 of the rated competencies — the minimum is 3; Software craft not rated",
        ),
        (K.FLOOR, "", False, 2.8, 2.5, None, "Software craft not rated — the floor is 2.5"),
        (K.REQUIRED, "craft", False, None, 3, None, "Software craft not rated — the minimum is 3"),
        # Communication 2.8 < 3 and craft missing: not operating at IC2 in the one cycle.
        (K.TIME_AT_NEXT_LEVEL, "", False, 0, 2, 2, "2 more cycles at IC2 needed"),
        # 1 January to 31 December 2025: 11 whole months.
        (K.MIN_MONTHS_IN_LEVEL, "", False, 11, 12, 1, "1 month more at IC1 needed"),
        (K.SCOPE_EVIDENCE, EVIDENCE, False, 0, 1, 1, f"Not yet evidenced: {EVIDENCE}"),
        (K.MANAGER_ENDORSEMENT, "", False, 0, 1, 1, "Not yet endorsed by the manager"),
        (K.CALIBRATION, "", False, 0, 1, 1, "Not yet confirmed in calibration"),
    ]
    assert readiness.criteria[0].not_rated == ("craft",)
    assert readiness.met_count == 0


def test_below_the_floor_and_a_required_minimum(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC1")
    history = cycles(("2025-06-30", {"communication": 2, "delivery": 4.5, "craft": 2.75}))
    readiness = evaluate(plan, person("IC1", "2025-01-01", history), day("2025-07-01"))
    by_kind = {result.kind: result for result in readiness.criteria}
    # (2 + 4.5 + 2.75) / 3 = 3.083333: met, though two competencies are low.
    assert (by_kind[K.MIN_AVERAGE].met, by_kind[K.MIN_AVERAGE].actual) == (True, 3.083333)
    assert rows((by_kind[K.FLOOR], by_kind[K.REQUIRED])) == [
        (K.FLOOR, "", False, 2, 2.5, 0.5, "Communication 2 — the floor is 2.5"),
        (K.REQUIRED, "craft", False, 2.75, 3, 0.25, "Software craft 2.75 — the minimum is 3"),
    ]


def test_quarters_operating_at_the_next_level_count_the_months_cycles_cover(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC2")
    history = cycles(
        # IC3 expects 3, 4, 4. Covers February and March (level date 15 February): 1 month.
        ("2025-03-31", {"communication": 3, "delivery": 4, "craft": 4}),
        # April to June: 3 months.
        ("2025-06-30", {"communication": 3.5, "delivery": 4, "craft": 4.5}),
        # Delivery 3.5 < 4: not operating at IC3; its 6 months do not count.
        ("2025-12-31", {"communication": 3, "delivery": 3.5, "craft": 4}),
    )
    readiness = evaluate(plan, person("IC2", "2025-02-15", history, endorsed=True), day("2026-01-31"))
    assert rows(readiness.criteria) == [
        # Latest results 3, 3.5, 4: the average is exactly 3.5, a tie.
        (K.MIN_AVERAGE, "", True, 3.5, 3.5, 0, "Average 3.5 — meets the minimum of 3.5"),
        (K.FLOOR, "", True, 3, 3, 0, "Lowest: Communication 3 — meets the floor of 3"),
        # 1 + 3 = 4 months operating: 1 quarter of the 2 asked.
        (K.TIME_AT_NEXT_LEVEL, "", False, 1, 2, 1, "one more quarter at IC3 needed"),
        # 15 February 2025 to 31 January 2026: 11 whole months of the 12.
        (K.MIN_MONTHS_IN_LEVEL, "", False, 11, 12, 1, "1 month more at IC2 needed"),
        # IC2 → IC3 asks for the endorsement but not for calibration.
        (K.MANAGER_ENDORSEMENT, "", True, 1, 1, 0, "Endorsed by the manager"),
    ]


def test_months_operating_at_the_next_level_and_months_in_level(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC3")
    history = cycles(
        # IC4 expects 4, 4, 5. July (level date) to September: 2 months; then 3 more.
        ("2025-09-30", {"communication": 4, "delivery": 4, "craft": 5}),
        ("2025-12-31", {"communication": 4, "delivery": 4.5, "craft": 5}),
    )
    readiness = evaluate(plan, person("IC3", "2025-07-01", history), day("2026-01-15"))
    assert rows(readiness.criteria)[:3] == [
        # (4 + 4.5 + 5) / 3 = 4.5.
        (K.MIN_AVERAGE, "", True, 4.5, 4, 0, "Average 4.5 — meets the minimum of 4"),
        (K.TIME_AT_NEXT_LEVEL, "", False, 5, 6, 1, "1 month more at IC4 needed"),
        # 1 July 2025 to 15 January 2026: 6 months of the 18 IC3 asks.
        (K.MIN_MONTHS_IN_LEVEL, "", False, 6, 18, 12, "1 year more at IC3 needed"),
    ]


def test_a_person_who_just_changed_level_starts_with_every_rating_missing(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC2")
    # Rated 5 everywhere at IC1, the level before: none of it counts at IC2.
    history = cycles(("2025-12-31", {"communication": 5, "delivery": 5, "craft": 5}))
    readiness = evaluate(plan, person("IC2", "2026-01-10", history, endorsed=True), day("2026-01-31"))
    assert rows(readiness.criteria)[:4] == [
        (K.MIN_AVERAGE, "", False, None, 3.5, None, "No competency rated — the minimum is 3.5"),
        (
            K.FLOOR,
            "",
            False,
            None,
            3,
            None,
            "Communication not rated, Delivery not rated and Software craft not rated — the floor is 3",
        ),
        (K.TIME_AT_NEXT_LEVEL, "", False, 0, 2, 2, "2 more quarters at IC3 needed"),
        (K.MIN_MONTHS_IN_LEVEL, "", False, 0, 12, 12, "1 year more at IC2 needed"),
    ]


def test_a_cycle_ending_on_the_level_date_counts_and_one_after_the_as_of_date_does_not(
    framework: Framework,
) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC1")
    history = cycles(
        ("2025-06-30", {"communication": 3, "delivery": 3, "craft": 3}),
        ("2025-12-31", {"communication": 1, "delivery": 1, "craft": 1}),
    )
    readiness = evaluate(plan, person("IC1", "2025-06-30", history), day("2025-12-30"))
    by_kind = {result.kind: result for result in readiness.criteria}
    assert by_kind[K.MIN_AVERAGE].actual == 3
    assert by_kind[K.TIME_AT_NEXT_LEVEL].actual == 1


def test_competencies_are_matched_by_id_across_framework_versions(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC1")
    # The first two cycles were pinned to a version that assessed "testing" (since removed) and not
    # yet "craft" (new in the evaluated version).
    old = {"communication": 4, "delivery": 4, "testing": 1}
    history = cycles(("2025-03-31", old), ("2025-06-30", old))
    readiness = evaluate(plan, person("IC1", "2025-01-01", history), day("2025-07-31"))
    by_kind = {result.kind: result for result in readiness.criteria}
    # Testing 1 is ignored (not below the floor); craft is missing, so the floor is not met.
    assert (by_kind[K.FLOOR].met, by_kind[K.FLOOR].explanation) == (
        False,
        "Software craft not rated — the floor is 2.5",
    )
    assert by_kind[K.TIME_AT_NEXT_LEVEL].actual == 0
    # A cycle of the new version rates craft only: the latest result of each competency counts.
    newer = cycles(("2025-03-31", old), ("2025-06-30", old), ("2025-09-30", {"craft": 3}))
    readiness = evaluate(plan, person("IC1", "2025-01-01", newer), day("2025-12-31"))
    by_kind = {result.kind: result for result in readiness.criteria}
    # (4 + 4 + 3) / 3 = 3.666667; no single cycle rated all three, so none was at IC2.
    assert (by_kind[K.MIN_AVERAGE].actual, by_kind[K.FLOOR].met, by_kind[K.REQUIRED].met) == (
        3.666667,
        True,
        True,
    )
    assert by_kind[K.TIME_AT_NEXT_LEVEL].actual == 0


def test_crossover_to_management_asks_for_the_target_expectations_and_its_entry_criteria(
    framework: Framework,
) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC3", target=Target("M1"))
    assert (plan.target_track, plan.basis) == ("management", Basis.TARGET_EXPECTATIONS)
    history = cycles(("2025-12-31", {"communication": 4, "delivery": 3.5, "craft": 4}))
    # White space in the evidenced text does not matter.
    evidenced = frozenset({"Has  mentored an engineer\nfor two quarters."})
    inputs = person("IC3", "2025-01-01", history, evidenced=evidenced, endorsed=True)
    readiness = evaluate(plan, inputs, day("2026-01-31"))
    # M1 has grade 3, like IC3: a crossover at the same grade does not wait for IC3's 18 months.
    assert rows(readiness.criteria) == [
        (K.EXPECTATION, "communication", True, 4, 4, 0, "Communication 4 — meets the 4 M1 expects"),
        (K.EXPECTATION, "delivery", True, 3.5, 3, 0, "Delivery 3.5 — meets the 3 M1 expects"),
        (K.EXPECTATION, "people", False, None, 3, None, "People development not rated — M1 expects 3"),
        (K.ENTRY_CRITERION, ENTRY, True, 1, 1, 0, f"Evidenced: {ENTRY}"),
        (K.MANAGER_ENDORSEMENT, "", True, 1, 1, 0, "Endorsed by the manager"),
        (K.CALIBRATION, "", False, 0, 1, 1, "Not yet confirmed in calibration"),
    ]


def test_the_way_back_from_management_to_the_ic_track(framework: Framework) -> None:
    plan = plan_readiness(
        framework, family="engineering", track="management", level="M1", target=Target("IC3")
    )
    assert (plan.target_track, plan.basis) == ("ic", Basis.TARGET_EXPECTATIONS)
    history = cycles(
        # Rated while still IC3 (before the move to M1 on 1 June): it does not count.
        ("2025-03-31", {"craft": 4}),
        ("2025-12-31", {"communication": 4, "delivery": 3.5, "people": 4}),
    )
    inputs = person("M1", "2025-06-01", history, track="management", endorsed=True, calibrated=True)
    readiness = evaluate(plan, inputs, day("2026-01-31"))
    # IC3 expects 3, 4, 4; no entry criteria (the IC track has no crossover), no wait (same grade).
    assert rows(readiness.criteria) == [
        (K.EXPECTATION, "communication", True, 4, 3, 0, "Communication 4 — meets the 3 IC3 expects"),
        (K.EXPECTATION, "delivery", False, 3.5, 4, 0.5, "Delivery 3.5 — IC3 expects 4"),
        (K.EXPECTATION, "craft", False, None, 4, None, "Software craft not rated — IC3 expects 4"),
        (K.MANAGER_ENDORSEMENT, "", True, 1, 1, 0, "Endorsed by the manager"),
        (K.CALIBRATION, "", True, 1, 1, 0, "Confirmed in calibration"),
    ]


def test_a_skipped_level_waits_for_the_minimum_time_in_level(framework: Framework) -> None:
    plan = plan_readiness(
        framework, family="engineering", track="ic", level="IC1", target=Target.parse("ic/IC3")
    )
    assert plan.basis is Basis.TARGET_EXPECTATIONS
    readiness = evaluate(plan, person("IC1", "2025-01-01"), day("2025-04-01"))
    assert [(r.kind, r.subject) for r in readiness.criteria] == [
        (K.EXPECTATION, "communication"),
        (K.EXPECTATION, "delivery"),
        (K.EXPECTATION, "craft"),
        (K.MIN_MONTHS_IN_LEVEL, ""),
        (K.MANAGER_ENDORSEMENT, ""),
        (K.CALIBRATION, ""),
    ]
    assert readiness.criteria[3].explanation == "9 months more at IC1 needed"


def test_the_result_is_calibrated_if_present_else_the_manager_s() -> None:
    assert result_scores(
        [
            ("a", "self", 5),
            ("a", "manager", 3),
            ("b", "manager", 3),
            ("b", "calibrated", 4),
            ("c", "peer", 2),
            ("c", "self", 2),
        ]
    ) == {"a": 3, "b": 4}


@pytest.mark.parametrize(
    ("placement", "target", "message"),
    [
        (("sales", "ic", "IC1"), None, "the framework has no family 'sales'"),
        (("engineering", "design", "IC1"), None, "Engineering has no track 'design'"),
        (("engineering", "ic", "IC9"), None, "Individual contributor has no level 'IC9'"),
        (("engineering", "ic", "IC2"), "IC2", "IC2 is the person's current level: name another target"),
        (("engineering", "ic", "IC2"), "M7", "Engineering has no level 'M7'"),
        (("engineering", "ic", "IC2"), "ops/M1", "Engineering has no track 'ops'"),
        (("engineering", "ic", "IC2"), "management/IC3", "Engineering management has no level 'IC3'"),
    ],
)
def test_unknown_placements_and_targets_are_refused_by_name(
    framework: Framework, placement: tuple[str, str, str], target: str | None, message: str
) -> None:
    family, track, level = placement
    with pytest.raises(ReadinessError) as raised:
        plan_readiness(
            framework,
            family=family,
            track=track,
            level=level,
            target=Target.parse(target) if target else None,
        )
    assert str(raised.value) == message


def test_the_top_of_a_track_has_no_next_level(framework: Framework) -> None:
    with pytest.raises(NothingToEvaluate) as raised:
        plan_readiness(framework, family="engineering", track="ic", level="IC4")
    assert str(raised.value) == "IC4 is the last level of Individual contributor: name a target level"


# --- the bulk path gives the same results -------------------------------------------------------------

MOVES = [
    ("ic", "IC1", None),
    ("ic", "IC2", None),
    ("ic", "IC3", None),
    ("ic", "IC3", "M1"),
    ("management", "M1", None),
    ("management", "M1", "IC3"),
    ("ic", "IC1", "IC3"),
]
COMPETENCIES = ["communication", "delivery", "craft", "people", "testing"]


def _random_person(generator: random.Random, track: str, level: str) -> PersonInputs:
    since = datetime.date(2024, 1, 1) + datetime.timedelta(days=generator.randrange(700))
    history = []
    for number in range(generator.randrange(6)):
        ended = datetime.date(2023, 6, 30) + datetime.timedelta(days=91 * number + generator.randrange(40))
        scores = {
            competency: generator.choice([1, 2, 2.5, 3, 3, 3.5, 4, 4.5, 5, 2.8, 3.3])
            for competency in COMPETENCIES
            if generator.random() < 0.85
        }
        history.append(CycleResults(f"c{number}", ended, scores))
    items = [EVIDENCE, ENTRY]
    return PersonInputs(
        placement=Placement("engineering", track, level, since),
        cycles=tuple(history),
        evidenced=frozenset(item for item in items if generator.random() < 0.5),
        endorsed=generator.random() < 0.5,
        calibration_confirmed=generator.random() < 0.5,
    )


@pytest.mark.parametrize(("track", "level", "target"), MOVES)
def test_the_bulk_path_agrees_with_the_per_person_path(
    framework: Framework, track: str, level: str, target: str | None
) -> None:
    plan = plan_readiness(
        framework,
        family="engineering",
        track=track,
        level=level,
        target=Target.parse(target) if target else None,
    )
    generator = random.Random(f"{track}{level}{target}")
    people = [_random_person(generator, track, level) for _ in range(300)]
    as_of = day("2025-11-15")
    cohort = evaluate_cohort(plan, cohort_inputs(plan, people, as_of), as_of)
    expected = [evaluate(plan, inputs, as_of) for inputs in people]
    assert [cohort.readiness(index) for index in range(len(people))] == expected
    # What a store keeps, through JSON, gives the same results back.
    stored = [json.dumps(figures.to_json()) for figures in cohort.figures()]
    assert [
        readiness_from_figures(plan, as_of, Figures.from_json(json.loads(text))) for text in stored
    ] == expected
    assert cohort.ready.tolist() == [readiness.ready for readiness in expected]
    # The sample exercises both outcomes of every criterion kind the plan has.
    for index, requirement in enumerate(plan.requirements):
        outcomes = {readiness.criteria[index].met for readiness in expected}
        assert outcomes == {True, False} or requirement.kind is K.TIME_AT_NEXT_LEVEL, requirement


def test_the_bulk_path_of_an_empty_cohort(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC1")
    cohort = evaluate_cohort(plan, cohort_inputs(plan, [], day("2025-01-01")), day("2025-01-01"))
    assert cohort.met.shape == (0, len(plan.requirements))


def test_figures_for_other_criteria_are_refused(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="ic", level="IC1")
    with pytest.raises(ReadinessError) as raised:
        readiness_from_figures(plan, day("2025-01-01"), Figures(met=[True], actual=[1.0], standing={}))
    assert str(raised.value) == "these figures were computed for other criteria: recompute them"


def test_the_json_of_a_result(framework: Framework) -> None:
    plan = plan_readiness(framework, family="engineering", track="management", level="M1")
    history = cycles(("2025-12-31", {"communication": 4, "delivery": 4, "people": 2.5, "craft": 5}))
    readiness = evaluate(plan, person("M1", "2025-01-01", history, track="management"), day("2026-01-01"))
    assert readiness.to_json() == {
        "family": "engineering",
        "track": "management",
        "level": "M1",
        "target_track": "management",
        "target_level": "M2",
        "basis": "promotion_criteria",
        "as_of": "2026-01-01",
        "ready": False,
        "met": 1,
        "criteria": [
            {
                "kind": "min_average",
                "subject": "",
                "met": False,
                "actual": 3.5,
                "required": 4,
                "shortfall": 0.5,
                "explanation": "Average 3.5 — the minimum is 4",
                "not_rated": [],
            },
            {
                "kind": "floor",
                "subject": "",
                "met": False,
                "actual": 2.5,
                "required": 3,
                "shortfall": 0.5,
                "explanation": "People development 2.5 — the floor is 3",
                "not_rated": [],
            },
            {
                "kind": "min_months_in_level",
                "subject": "",
                "met": True,
                "actual": 12,
                "required": 12,
                "shortfall": 0,
                "explanation": "1 year at M1 (1 year asked)",
                "not_rated": [],
            },
            {
                "kind": "manager_endorsement",
                "subject": "",
                "met": False,
                "actual": 0,
                "required": 1,
                "shortfall": 1,
                "explanation": "Not yet endorsed by the manager",
                "not_rated": [],
            },
            {
                "kind": "calibration",
                "subject": "",
                "met": False,
                "actual": 0,
                "required": 1,
                "shortfall": 1,
                "explanation": "Not yet confirmed in calibration",
                "not_rated": [],
            },
        ],
        # Craft is not a competency of M2: where the person stands on it is not part of this move.
        "standing": {"communication": 4, "delivery": 4, "people": 2.5},
    }
