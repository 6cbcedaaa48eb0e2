"""The rubric of an assessment (`browse.assessment_rubric`) and a missing score's words."""

from __future__ import annotations

from trellis.framework import browse, wording
from trellis.framework.templates import starter


def test_every_competency_of_the_level_with_the_next_levels_expectation_beside_it() -> None:
    framework = starter(["engineering"], "growth")
    rubric = browse.assessment_rubric(framework, "engineering", "ic", "IC2")
    assert rubric is not None
    assert (rubric.level.code, rubric.next.code if rubric.next else None) == ("IC2", "IC3")
    assert [row.competency.id for row in rubric.rows] == [
        "communication",
        "ownership",
        "collaboration",
        "delivery",
        "technology_ai_fluency",
        "software_craft",
        "system_design",
        "operational_excellence",
        "technical_leadership",
    ]
    first = rubric.rows[0]
    assert (first.current.proficiency, first.current.label) == (2, "Developing")
    assert first.next is not None and (first.next.proficiency, first.next.label) == (3, "Proficient")
    assert first.current.behaviour.startswith("Writes short descriptions of own work")


def test_at_the_top_there_is_no_next_level_and_unknown_levels_have_no_rubric() -> None:
    framework = starter(["engineering"], "growth")
    top = browse.assessment_rubric(framework, "engineering", "ic", "IC6")
    assert top is not None and top.next is None
    assert all(row.next is None for row in top.rows)
    assert browse.assessment_rubric(framework, "engineering", "ic", "IC9") is None
    assert browse.assessment_rubric(framework, "sales", "ic", "IC2") is None


def test_a_missing_score_is_not_rated_never_a_number() -> None:
    scale = starter(["engineering"], "growth").scale
    assert wording.rating_or_missing(scale, None) == "Not rated"
    assert wording.rating_or_missing(scale, 3) == "3 · Proficient"
    assert wording.rating_or_missing(scale, 3.5) == "3.5"


def test_a_moment_to_the_second() -> None:
    import datetime

    assert wording.moment(datetime.datetime(2026, 12, 2, 9, 5, 7)) == "2 Dec 2026, 09:05:07"
