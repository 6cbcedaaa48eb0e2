"""Skill gaps against hand-computed cases, on the readiness tests' framework (``readiness.yaml``):
IC3 expects Communication 3, Delivery 4, Software craft 4; M1 expects Communication 4, Delivery 3,
People development 3."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from trellis.evaluation.gaps import (
    Demonstrated,
    GapStatus,
    GapTargetError,
    SourcedRating,
    demonstrated_proficiency,
    skill_gaps,
    suggested_goals,
)
from trellis.evaluation.readiness import RatingSource
from trellis.framework.model import Framework
from trellis.framework.yaml_io import load_path

FRAMEWORK = Path(__file__).resolve().parent / "readiness.yaml"
S = RatingSource
H1 = ("2025-H1", datetime.date(2025, 6, 30))
H2 = ("2025-H2", datetime.date(2025, 12, 31))
H3 = ("2026-H1", datetime.date(2026, 6, 30))


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_path(FRAMEWORK)


def rating(
    competency: str, source: S, score: float | None, cycle: tuple[str, datetime.date]
) -> SourcedRating:
    return SourcedRating(competency, source, score, cycle[0], cycle[1])


def figures(demonstrated: dict[str, Demonstrated]) -> dict[str, tuple[float, S, str]]:
    return {key: (value.score, value.source, value.cycle) for key, value in demonstrated.items()}


def test_calibrated_beats_the_managers_in_the_same_cycle_and_a_later_cycle_beats_both() -> None:
    ratings = [
        rating("delivery", S.MANAGER, 3, H1),
        rating("delivery", S.CALIBRATED, 3.5, H1),
        rating("communication", S.CALIBRATED, 4, H1),
        rating("communication", S.MANAGER, 2, H2),  # later: wins over H1's calibrated 4
    ]
    assert figures(demonstrated_proficiency(reversed(ratings))) == {
        "delivery": (3.5, S.CALIBRATED, "2025-H1"),
        "communication": (2.0, S.MANAGER, "2025-H2"),
    }


def test_self_counts_only_where_no_cycle_has_an_assessed_result_and_peers_never() -> None:
    ratings = [
        rating("delivery", S.MANAGER, 3, H1),
        rating("delivery", S.SELF, 5, H3),  # newer, but self: the H1 manager's figure stands
        rating("craft", S.SELF, 4, H2),
        rating("craft", S.SELF, 3, H3),  # the latest self-rating
        rating("people", S.PEER, 5, H3),
    ]
    demonstrated = demonstrated_proficiency(ratings)
    assert figures(demonstrated) == {
        "delivery": (3.0, S.MANAGER, "2025-H1"),
        "craft": (3.0, S.SELF, "2026-H1"),
    }
    assert demonstrated["craft"].self_reported and not demonstrated["delivery"].self_reported
    assert demonstrated["craft"].ended_on == datetime.date(2026, 6, 30)


def test_a_rating_without_a_score_is_no_figure_and_does_not_hide_an_older_one() -> None:
    ratings = [rating("delivery", S.MANAGER, 3, H1), rating("delivery", S.CALIBRATED, None, H2)]
    assert figures(demonstrated_proficiency(ratings)) == {"delivery": (3.0, S.MANAGER, "2025-H1")}
    assert demonstrated_proficiency([rating("delivery", S.MANAGER, None, H1)]) == {}


def test_gaps_against_the_next_level_met_short_and_unknown(framework: Framework) -> None:
    demonstrated = demonstrated_proficiency(
        [
            rating("communication", S.MANAGER, 3, H2),  # IC3 expects 3: met (a tie meets)
            rating("delivery", S.CALIBRATED, 3.5, H2),  # expects 4: short by 0.5
            # craft: never rated — unknown, not a shortfall of 4
        ]
    )
    report = skill_gaps(framework, family="engineering", track="ic", level="IC3", demonstrated=demonstrated)
    assert [(g.competency, g.name, g.expected, g.shortfall, g.status) for g in report.gaps] == [
        ("communication", "Communication", 3, 0.0, GapStatus.MET),
        ("delivery", "Delivery", 4, 0.5, GapStatus.SHORT),
        ("craft", "Software craft", 4, None, GapStatus.UNKNOWN),
    ]
    assert report.level.code == "IC3" and report.track.id == "ic"
    assert [gap.competency for gap in report.by_status(GapStatus.UNKNOWN)] == ["craft"]


def test_gaps_across_to_management_and_the_largest_first(framework: Framework) -> None:
    demonstrated = demonstrated_proficiency(
        [
            rating("communication", S.MANAGER, 3, H3),  # M1 expects 4: short 1
            rating("delivery", S.MANAGER, 4, H3),  # expects 3: met (above)
            rating("people", S.SELF, 1, H3),  # expects 3: short 2, self-reported
        ]
    )
    report = skill_gaps(
        framework, family="engineering", track="management", level="M1", demonstrated=demonstrated
    )
    assert [(g.competency, g.shortfall) for g in report.largest] == [("people", 2.0), ("communication", 1.0)]
    assert report.gaps[2].demonstrated is not None and report.gaps[2].demonstrated.self_reported


def test_a_figure_within_the_tolerance_of_the_expectation_meets_it(framework: Framework) -> None:
    demonstrated = demonstrated_proficiency([rating("delivery", S.MANAGER, 0.1 + 0.2 + 3.7, H1)])
    report = skill_gaps(framework, family="engineering", track="ic", level="IC3", demonstrated=demonstrated)
    assert report.gaps[1].status == GapStatus.MET


@pytest.mark.parametrize(
    ("family", "track", "level", "message"),
    [
        ("sales", "ic", "IC3", "the framework has no family 'sales'"),
        ("engineering", "design", "IC3", "family 'engineering' has no track 'design'"),
        ("engineering", "ic", "IC9", "track 'ic' of family 'engineering' has no level 'IC9'"),
    ],
)
def test_an_unknown_target_says_which_part(
    framework: Framework, family: str, track: str, level: str, message: str
) -> None:
    with pytest.raises(GapTargetError) as refused:
        skill_gaps(framework, family=family, track=track, level=level, demonstrated={})
    assert str(refused.value) == message


def test_suggested_goals_take_the_largest_gaps_then_the_unknown_never_the_met(framework: Framework) -> None:
    # IC4 expects Communication 4, Delivery 4, Software craft 5.
    demonstrated = demonstrated_proficiency(
        [rating("communication", S.MANAGER, 2.5, H2), rating("delivery", S.MANAGER, 4, H2)]
    )
    report = skill_gaps(framework, family="engineering", track="ic", level="IC4", demonstrated=demonstrated)
    goals = suggested_goals(report)
    assert [(g.competency, g.current, g.target) for g in goals] == [
        ("communication", 2.5, 4),
        ("craft", None, 5),
    ]
    assert [g.competency for g in suggested_goals(report, limit=1)] == ["communication"]
