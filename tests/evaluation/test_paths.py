"""Career moves against hand-computed cases, on ``paths.yaml`` beside this file (its comments give
each level's expectations; the figures below are worked out from them in the comments)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from trellis.evaluation.gaps import Demonstrated, GapTargetError
from trellis.evaluation.paths import MoveKind, career_moves
from trellis.evaluation.readiness import RatingSource
from trellis.framework.model import Framework
from trellis.framework.yaml_io import load_path

FRAMEWORK = Path(__file__).resolve().parent / "paths.yaml"
K = MoveKind


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_path(FRAMEWORK)


def summary(framework: Framework, **position: str) -> list[tuple[MoveKind, str, str, int, int]]:
    return [
        (move.kind, move.family.id, move.level.code, move.transferable, len(move.gaps.gaps))
        for move in career_moves(framework, family="engineering", **position)
    ]


def test_from_a_senior_engineer_up_across_to_management_and_derived_laterals(framework: Framework) -> None:
    # IC3 expects Communication 3, Delivery 4, Software craft 4. Grade 3: derived moves at grade 3 or 2.
    # DA2 (2, 2, analysis 3): 2 of 3 transfer. PM1 (3, 3, discovery, roadmapping): 2 of 4 = 0.5, offered
    # at the minimum fit. PM2 (4, 4, …) and DA3 (4, 4, 4): 1 transfers each, below half: not offered.
    assert summary(framework, track="ic", level="IC3") == [
        (K.UP, "engineering", "IC4", 1, 3),  # IC4 4, 4, 5: Delivery only
        (K.CROSSOVER, "engineering", "M1", 1, 3),  # Delivery 4 ≥ 3; Communication 3 < 4; People unassessed
        (K.DERIVED, "data", "DA2", 2, 3),
        (K.DERIVED, "product", "PM1", 2, 4),
    ]
    crossover = career_moves(framework, family="engineering", track="ic", level="IC3")[1]
    assert crossover.notes == ("Has mentored an engineer.",)


def test_from_a_manager_up_and_the_way_back_and_no_derived_move_onto_another_kind_of_track(
    framework: Framework,
) -> None:
    # M1 (grade 3) expects Communication 4, Delivery 3, People 3. The way back leads to IC3 (grade 3).
    # DA2 and PM1 overlap M1 by two competencies each, but they are individual contributor tracks: a
    # manager's move onto one is not a lateral move, and no other family has a management track.
    assert summary(framework, track="management", level="M1") == [
        (K.UP, "engineering", "M2", 1, 3),  # Communication 4 ≥ 4 only
        (K.WAY_BACK, "engineering", "IC3", 1, 3),  # Communication 4 ≥ 3; Delivery 3 < 4; craft unassessed
    ]


def test_an_explicit_lateral_path_is_not_derived_again(framework: Framework) -> None:
    # IC2 (grade 2) expects 3, 3, 3: the framework's path to PM1; derived DA2 (2 of 3) and DA1 (grade 1:
    # Communication 2 transfers, Data analysis does not: 1 of 2, offered at the minimum).
    assert summary(framework, track="ic", level="IC2") == [
        (K.UP, "engineering", "IC3", 1, 3),
        (K.LATERAL, "product", "PM1", 2, 4),
        (K.DERIVED, "data", "DA2", 2, 3),
        (K.DERIVED, "data", "DA1", 1, 2),
    ]
    lateral = career_moves(framework, family="engineering", track="ic", level="IC2")[1]
    assert lateral.notes == ("Engineers who shape what gets built move into product.",)


def test_a_persons_figures_explain_each_move(framework: Framework) -> None:
    ended = datetime.date(2026, 6, 30)
    person = {
        "communication": Demonstrated("communication", 3, RatingSource.MANAGER, "2026-H1", ended),
        "delivery": Demonstrated("delivery", 2.5, RatingSource.CALIBRATED, "2026-H1", ended),
    }
    moves = career_moves(framework, family="engineering", track="ic", level="IC2", demonstrated=person)
    assert [(move.level.code, move.explanation) for move in moves] == [
        ("IC3", "1 of 3 competencies transfer; gaps: Delivery −1.5; not rated yet: Software craft"),
        (
            "PM1",
            "1 of 4 competencies transfer; gaps: Delivery −0.5; not rated yet: Product discovery, Roadmapping",
        ),
        ("DA2", "2 of 3 competencies transfer; not rated yet: Data analysis"),
        ("DA1", "1 of 2 competencies transfer; not rated yet: Data analysis"),
    ]
    assert moves[3].gaps.gaps[1].behaviour == "Answers a question with data."
    assert round(moves[2].fit, 3) == 0.667


def test_an_unknown_position_says_so(framework: Framework) -> None:
    with pytest.raises(GapTargetError, match="track 'ic' of family 'engineering' has no level 'IC9'"):
        career_moves(framework, family="engineering", track="ic", level="IC9")
