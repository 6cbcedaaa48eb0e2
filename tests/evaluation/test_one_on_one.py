"""The 1:1 guide's questions, behaviours and next-level criteria, in their order and limit."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from trellis.evaluation.gaps import SourcedRating, demonstrated_proficiency, skill_gaps
from trellis.evaluation.one_on_one import MAX_QUESTIONS, GuideInputs, PlanGoalProgress, guide
from trellis.evaluation.readiness import RatingSource
from trellis.framework.model import Framework
from trellis.framework.yaml_io import load_path

FRAMEWORK = Path(__file__).resolve().parent / "readiness.yaml"
ENDED = datetime.date(2026, 6, 30)


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_path(FRAMEWORK)


def inputs(framework: Framework, **overrides: object) -> GuideInputs:
    # Toward IC3 (Communication 3, Delivery 4, Software craft 4): Communication met, Delivery short by
    # 1.5, craft unrated. The behaviours are the framework's (empty in this small framework).
    demonstrated = demonstrated_proficiency(
        [
            SourcedRating("communication", RatingSource.MANAGER, 3, "H1", ENDED),
            SourcedRating("delivery", RatingSource.MANAGER, 2.5, "H1", ENDED),
        ]
    )
    values: dict[str, object] = {
        "gaps": skill_gaps(
            framework, family="engineering", track="ic", level="IC3", demonstrated=demonstrated
        ),
        "ready": False,
        "unmet_criteria": ["Delivery 2.5 — the floor is 3"],
        "goals": [
            PlanGoalProgress("Lead a release", 0.4, overdue_actions=2),
            PlanGoalProgress("Write an RFC", None),
        ],
        "feedback_since_last": 1,
        "applications": ["Data platform gig"],
    }
    values.update(overrides)
    return GuideInputs(**values)  # type: ignore[arg-type]


def test_the_guide_asks_in_its_order(framework: Framework) -> None:
    result = guide(inputs(framework))
    assert result.questions == (
        "“Lead a release” has 2 actions past its due date: what is in the way?",
        "“Write an RFC” has no progress recorded yet: is it still the right goal?",
        "Where could you practise Delivery at the level IC3 expects in the coming weeks?",
        "Software craft has not been rated yet: what work could show it at IC3?",
        "1 piece of feedback arrived since your last 1:1: what did you take from it?",
        "You applied to “Data platform gig”: how can I support you?",
    )
    assert result.behaviours == (("Delivery", ""),)
    assert result.next_level == ("Delivery 2.5 — the floor is 3",)


def test_ready_comes_first_and_the_guide_stops_at_its_limit(framework: Framework) -> None:
    result = guide(inputs(framework, ready=True, feedback_since_last=4, applications=["A", "B"]))
    assert result.questions[0] == "Every criterion for IC3 is met: shall we talk about a promotion?"
    assert len(result.questions) == MAX_QUESTIONS
    assert "You applied to “B”: how can I support you?" not in result.questions


def test_at_the_top_of_a_track_there_are_no_gap_questions(framework: Framework) -> None:
    result = guide(inputs(framework, gaps=None, ready=None, unmet_criteria=[], goals=[], applications=[]))
    assert result.questions == (
        "1 piece of feedback arrived since your last 1:1: what did you take from it?",
    )
    assert result.behaviours == () and result.next_level == ()
