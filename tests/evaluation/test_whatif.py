"""The what-if comparison (`trellis.evaluation.whatif`): shares and status changes per level from two
frameworks' outcomes, levels one framework does not evaluate, and criteria compared without names."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from trellis.evaluation.readiness import plan_readiness
from trellis.evaluation.whatif import Outcome, criteria_equal, what_if
from trellis.framework.yaml_io import loads

FRAMEWORK = loads((Path(__file__).parent / "readiness.yaml").read_text(), "readiness.yaml")
IC1 = ("engineering", "ic", "IC1")
IC3 = ("engineering", "ic", "IC3")
PLAN = plan_readiness(FRAMEWORK, family="engineering", track="ic", level="IC1")
OTHER = plan_readiness(FRAMEWORK, family="engineering", track="ic", level="IC3")


def test_shares_and_changes_by_hand() -> None:
    published = [Outcome(1, IC1, PLAN, True), Outcome(2, IC1, PLAN, True), Outcome(3, IC1, PLAN, False)]
    draft = [Outcome(1, IC1, OTHER, True), Outcome(2, IC1, OTHER, False), Outcome(3, IC1, OTHER, True)]
    (level,) = what_if(published, draft)
    assert (level.population, level.ready_published, level.ready_draft) == (3, 2, 2)
    assert level.share_published == level.share_draft == 2 / 3
    assert (level.became_ready, level.no_longer_ready, level.changes) == ((3,), (2,), 2)
    assert level.criteria_changed


def test_a_level_one_framework_does_not_evaluate() -> None:
    # The draft made IC3 the top of its track: nothing to evaluate there under it.
    (level,) = what_if([Outcome(7, IC3, OTHER, True)], [])
    assert (level.population, level.ready_published, level.ready_draft) == (1, 1, None)
    assert level.share_draft is None and level.changes == 0 and level.criteria_changed
    assert what_if([], []) == []


def test_names_do_not_change_criteria() -> None:
    renamed = plan_readiness(
        FRAMEWORK.model_copy(update={"name": "Renamed"}), family="engineering", track="ic", level="IC1"
    )
    assert criteria_equal(PLAN, replace(renamed, names={"craft": "Craft, renamed"}, level_name="First"))
    assert not criteria_equal(PLAN, OTHER)
    assert criteria_equal(None, None) and not criteria_equal(PLAN, None)
