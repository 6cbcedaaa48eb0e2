"""Agreement by description, competency and level: each group's alpha is `agreement()` on that
group's units alone, a group below the minimum of pairable units shows no figure, people are counted
once per group."""

from __future__ import annotations

import random

import pytest

from trellis.evaluation.agreement import agreement
from trellis.evaluation.agreement_groups import AGREEMENT_MIN_UNITS, RatedValue, framework_agreement


def _values() -> list[RatedValue]:
    rng = random.Random(3)
    values = []
    for cycle in (1, 2):
        for person in range(30):
            level = "IC1" if person < 20 else "IC2"
            for competency in ("craft", "delivery"):
                truth = rng.randint(1, 5)
                for _rater in range(rng.choice((1, 2, 3))):
                    score = min(5, max(1, truth + rng.choice((-1, 0, 0, 1))))
                    values.append(RatedValue(cycle, person, competency, "eng", "ic", level, float(score)))
    return values


def _alpha_of(values: list[RatedValue]) -> float | None:
    return agreement(
        [f"{v.cycle}/{v.person}/{v.competency}" for v in values], [v.score for v in values], replicates=0
    ).alpha


def test_each_group_is_agreement_on_its_own_units() -> None:
    values = _values()
    result = framework_agreement(values, replicates=50)
    for key, figure in result.descriptions.items():
        members = [v for v in values if (v.family, v.track, v.level, v.competency) == key]
        assert figure.agreement.alpha == pytest.approx(_alpha_of(members), abs=1e-12)
    for competency, figure in result.competencies.items():
        assert figure.agreement.alpha == pytest.approx(
            _alpha_of([v for v in values if v.competency == competency])
        )
    for key, figure in result.levels.items():
        assert figure.agreement.alpha == pytest.approx(
            _alpha_of([v for v in values if (v.family, v.track, v.level) == key])
        )
    assert list(result.descriptions) == [
        ("eng", "ic", "IC1", "craft"),
        ("eng", "ic", "IC1", "delivery"),
        ("eng", "ic", "IC2", "craft"),
        ("eng", "ic", "IC2", "delivery"),
    ]
    # The interval is the bootstrap `agreement()` draws with the same seed, on the units numbered in
    # the order they first appear.
    numbers: dict[tuple[int, int, str], int] = {}
    for v in values:
        numbers.setdefault((v.cycle, v.person, v.competency), len(numbers))
    members = [v for v in values if (v.level, v.competency) == ("IC1", "craft")]
    expected = agreement(
        [numbers[(v.cycle, v.person, v.competency)] for v in members],
        [v.score for v in members],
        replicates=50,
    )
    assert result.descriptions[("eng", "ic", "IC1", "craft")].agreement.interval == expected.interval


def test_too_few_units_show_no_figure_and_people_are_counted_once() -> None:
    # Two people rated twice each, in two cycles: 4 pairable units, 2 people.
    values = [
        RatedValue(cycle, person, "craft", "eng", "ic", "IC1", float(score))
        for cycle in (1, 2)
        for person, scores in ((1, (3, 4)), (2, (2, 2)))
        for score in scores
    ]
    # and one person rated once: counted nowhere.
    values.append(RatedValue(1, 3, "craft", "eng", "ic", "IC1", 5.0))
    figure = framework_agreement(values, replicates=0).descriptions[("eng", "ic", "IC1", "craft")]
    assert figure.agreement.units == 4 < AGREEMENT_MIN_UNITS
    assert figure.people == 2
    assert figure.agreement.alpha is not None and not figure.enough and not figure.flagged


def test_nothing_rated() -> None:
    result = framework_agreement([], replicates=10)
    assert (result.descriptions, result.competencies, result.levels) == ({}, {}, {})
