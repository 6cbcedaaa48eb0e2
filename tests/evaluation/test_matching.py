"""Matching people to opportunities: hand-computed results and ranking, and the all-pairs arrays
against the per-person path."""

from __future__ import annotations

import datetime
import random

import numpy as np
import pytest

from trellis.evaluation.gaps import Demonstrated, GapStatus
from trellis.evaluation.matching import (
    MAX_REQUIREMENTS,
    Match,
    RankFields,
    Requirement,
    match,
    rank_all,
    rank_key,
    rank_key_fields,
)
from trellis.evaluation.readiness import RatingSource

COMPETENCIES = ("communication", "delivery", "craft", "forecasting", "pipeline")
GIG = (
    Requirement("communication", 3),
    Requirement("delivery", 4),
    Requirement("forecasting", 3),
    Requirement("pipeline", 3.5),
)


def figures(**scores: float) -> dict[str, Demonstrated]:
    ended = datetime.date(2026, 6, 30)
    return {
        competency: Demonstrated(competency, score, RatingSource.MANAGER, "2026-H1", ended)
        for competency, score in scores.items()
    }


def summary(result: Match) -> list[tuple[str, GapStatus, float | None]]:
    return [(r.requirement.competency, r.status, r.shortfall) for r in result.results]


def test_each_requirement_met_short_or_unknown_by_hand() -> None:
    result = match(GIG, figures(communication=3, delivery=3, pipeline=1.5, craft=5))
    assert summary(result) == [
        ("communication", GapStatus.MET, 0.0),  # 3 against 3: a tie meets
        ("delivery", GapStatus.SHORT, 1.0),
        ("forecasting", GapStatus.UNKNOWN, None),  # never rated
        ("pipeline", GapStatus.SHORT, 2.0),
    ]
    assert result.fit == 0.25 and result.total_shortfall == 3.0 and not result.unknown


def test_one_competency_short_ranks_above_three_short_and_no_ratings_is_unknown_last() -> None:
    one_short = match(GIG, figures(communication=4, delivery=4, forecasting=3, pipeline=3))
    three_short = match(GIG, figures(communication=3, delivery=3.5, forecasting=2.5, pipeline=3))
    unrated = match(GIG, {})
    everything_met = match(GIG, figures(communication=5, delivery=4, forecasting=3, pipeline=4))
    assert [m.count(GapStatus.SHORT) for m in (one_short, three_short)] == [1, 3]
    # Three short by 0.5 each (1.5 in all) still ranks below one short by 0.5: fewer unmet first.
    ranked = sorted([unrated, three_short, one_short, everything_met], key=lambda m: m.rank_key)
    assert ranked == [everything_met, one_short, three_short, unrated]
    assert unrated.unknown and unrated.fit is None
    assert everything_met.fit == 1.0


def test_equal_unmet_counts_rank_by_total_shortfall_then_fewer_unknowns() -> None:
    short_by_half = match(GIG, figures(communication=3, delivery=3.5, forecasting=3, pipeline=4))
    short_by_two = match(GIG, figures(communication=3, delivery=2, forecasting=3, pipeline=4))
    unknown_one = match(GIG, figures(communication=3, forecasting=3, pipeline=4))
    # One unmet each: shortfall 0.5 < 2.0; an unknown counts as unmet with no shortfall (0 < 0.5),
    # so it ranks first among them — it may well be met, and the page says it is not yet rated.
    assert sorted([short_by_two, short_by_half, unknown_one], key=lambda m: m.rank_key) == [
        unknown_one,
        short_by_half,
        short_by_two,
    ]


def test_an_opportunity_with_too_many_requirements_is_refused() -> None:
    requirements = [Requirement(f"c{n}", 1) for n in range(MAX_REQUIREMENTS + 1)]
    with pytest.raises(ValueError, match=f"at most {MAX_REQUIREMENTS} competencies, not 64"):
        match(requirements, {})


def _arrays(
    people: list[dict[str, Demonstrated]], gigs: list[tuple[Requirement, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    scores = np.full((len(people), len(COMPETENCIES)), np.nan)
    for row, person in enumerate(people):
        for column, competency in enumerate(COMPETENCIES):
            if competency in person:
                scores[row, column] = person[competency].score
    minima = np.full((len(gigs), len(COMPETENCIES)), np.nan)
    for row, gig in enumerate(gigs):
        for requirement in gig:
            minima[row, COMPETENCIES.index(requirement.competency)] = requirement.minimum
    return scores, minima


def test_rank_all_equals_the_per_person_ranking_with_ties_in_people_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small blocks, so the ranking is merged across several of them.
    monkeypatch.setattr("trellis.evaluation.matching._BLOCK", 7)
    chance = random.Random(8)
    halves = [1 + step / 2 for step in range(9)]  # 1, 1.5, …, 5: many ties
    people = [
        figures(**{c: chance.choice(halves) for c in COMPETENCIES if chance.random() < 0.8})
        for _ in range(60)
    ]
    people[5] = {}  # nobody's figures: unknown for every gig
    gigs = [
        tuple(
            Requirement(c, chance.choice(halves)) for c in chance.sample(COMPETENCIES, chance.randint(1, 5))
        )
        for _ in range(9)
    ]
    gigs.append(())  # requires nothing: everyone meets it, in people order
    scores, minima = _arrays(people, gigs)
    index, keys = rank_all(scores, minima, top=25)
    assert index.shape == keys.shape == (10, 25)
    for number, gig in enumerate(gigs):
        expected = sorted(range(len(people)), key=lambda p: (match(gig, people[p]).rank_key, p))[:25]
        assert index[number].tolist() == expected
        assert keys[number].tolist() == [match(gig, people[p]).rank_key for p in expected]
    assert index[-1].tolist() == list(range(25))
    # The person with no figures is unknown for every gig that asks for something: after all others.
    for number, gig in enumerate(gigs[:-1]):
        assert match(gig, people[5]).unknown
        known = [p for p in range(len(people)) if not match(gig, people[p]).unknown]
        assert len(known) >= 25 and 5 not in index[number].tolist()


def test_rank_all_keeps_everyone_when_top_exceeds_the_people() -> None:
    gig = (Requirement("delivery", 3),)
    people = [figures(delivery=2), figures(delivery=4), {}]
    scores, minima = _arrays(people, [gig])
    index, keys = rank_all(scores, minima, top=10)
    assert index.tolist() == [[1, 0, 2]]  # met, short by 1, unknown
    assert keys.tolist() == [[match(gig, people[p]).rank_key for p in (1, 0, 2)]]


def _per_person(
    people: list[dict[str, Demonstrated]], gigs: list[tuple[Requirement, ...]], top: int
) -> tuple[list[list[int]], list[list[int]]]:
    """The ranking of every gig by `match`, ties in people order: (indices, keys)."""
    indices, keys = [], []
    for gig in gigs:
        ranked = sorted(range(len(people)), key=lambda p: (match(gig, people[p]).rank_key, p))[:top]
        indices.append(ranked)
        keys.append([match(gig, people[p]).rank_key for p in ranked])
    return indices, keys


def test_rank_all_sums_shortfalls_that_are_not_whole_thousandths_as_the_per_person_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("trellis.evaluation.matching._BLOCK", 5)
    chance = random.Random(3)
    # Thirds and figures a fraction of a thousandth off: each shortfall rounds only in the total.
    values = [1 + step / 3 for step in range(13)] + [2.0004, 3.0004, 2.9996]
    people = [
        figures(**{c: chance.choice(values) for c in COMPETENCIES if chance.random() < 0.7})
        for _ in range(40)
    ]
    gigs = [
        tuple(
            Requirement(c, chance.choice(values)) for c in chance.sample(COMPETENCIES, chance.randint(1, 5))
        )
        for _ in range(8)
    ]
    scores, minima = _arrays(people, gigs)
    index, keys = rank_all(scores, minima, top=12)
    assert (index.tolist(), keys.tolist()) == _per_person(people, gigs, 12)


def test_rank_all_caps_a_huge_total_shortfall_as_the_rank_key_does() -> None:
    # 3 requirements short by 600 points each: 1,800,000 thousandths, over the key's field (2**20 - 1).
    gig = (Requirement("delivery", 601), Requirement("craft", 601), Requirement("pipeline", 601))
    people = [figures(delivery=1, craft=1, pipeline=1), figures(delivery=601, craft=1), figures(craft=600)]
    scores, minima = _arrays(people, [gig])
    index, keys = rank_all(scores, minima, top=3)
    assert (index.tolist(), keys.tolist()) == _per_person(people, [gig], 3)
    # Two unmet (one met, one short by 600); three unmet (short by 1, two unknown); three short, capped.
    assert index.tolist() == [[1, 2, 0]]
    assert keys[0, 2] >> 6 & (2**20 - 1) == 2**20 - 1


def test_rank_all_lets_later_blocks_displace_the_best_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # People from worst to best: every block holds people better than all those kept before it.
    monkeypatch.setattr("trellis.evaluation.matching._BLOCK", 3)
    people = [{}] * 4 + [figures(delivery=score / 4, craft=score / 4) for score in range(4, 21)]
    gigs = [(Requirement("delivery", 5), Requirement("craft", 4)), (Requirement("pipeline", 2),), ()]
    scores, minima = _arrays(people, gigs)
    index, keys = rank_all(scores, minima, top=6)
    assert (index.tolist(), keys.tolist()) == _per_person(people, gigs, 6)
    assert index[0].tolist() == [20, 19, 18, 17, 16, 15]
    assert index[1].tolist() == [0, 1, 2, 3, 4, 5]  # nobody has a figure: every one unknown, in order
    assert index[2].tolist() == [0, 1, 2, 3, 4, 5]  # requires nothing: all meet it, in order


def test_rank_all_of_no_opportunities_or_no_people() -> None:
    scores, minima = _arrays([figures(delivery=3)], [])
    assert rank_all(scores, minima, top=5)[0].shape == (0, 1)
    scores, minima = _arrays([], [(Requirement("delivery", 3),)])
    index, keys = rank_all(scores, minima, top=5)
    assert index.shape == keys.shape == (1, 0)


def test_rank_key_fields_read_back_what_the_key_packs() -> None:
    three_short = match(GIG, figures(communication=3, delivery=3.5, forecasting=2.5))
    assert rank_key_fields(three_short.rank_key) == RankFields(
        unknown_class=False, unmet=3, total_shortfall=1.0, unknowns=1
    )
    assert rank_key_fields(match(GIG, {}).rank_key) == RankFields(
        unknown_class=True, unmet=4, total_shortfall=0.0, unknowns=4
    )
    capped = rank_key(unknown_class=False, unmet=2, total_shortfall=5000.0, unknowns=0)
    assert rank_key_fields(capped).total_shortfall == (2**20 - 1) / 1000
