"""Starter families added beside a draft's own (`add_families`): what comes along, and refusals."""

from __future__ import annotations

import pytest

from trellis.framework.checking import check_framework
from trellis.framework.diagnostics import Severity
from trellis.framework.editing import EditError, add_families
from trellis.framework.model import Competency, Framework, RatingPoint, RatingScale
from trellis.framework.references import check_references
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps


def errors(framework: Framework) -> list[str]:
    return [
        d.message
        for d in (*check_references(framework), *check_framework(framework))
        if d.severity is Severity.ERROR
    ]


def test_families_are_added_after_the_drafts_own_which_stay_as_they_are() -> None:
    draft = starter(["engineering"], "growth", name="Northwind")
    added = starter(["product", "design"], "growth")
    result, notes = add_families(draft, added)
    assert [family.id for family in result.families] == ["engineering", "product", "design"]
    assert result.name == "Northwind"
    assert result.families[0] == draft.families[0]
    assert result.families[1:] == added.families
    assert result.core_competencies == draft.core_competencies  # the same core: nothing to bring
    # The lateral paths between the added families come along (design → product).
    assert [(p.source.family, p.destination.family) for p in result.lateral_paths] == [
        (p.source.family, p.destination.family) for p in added.lateral_paths
    ]
    assert [(p.source.family, p.destination.family) for p in added.lateral_paths] == [("design", "product")]
    assert notes == ()
    assert errors(result) == []
    # The draft given is not changed.
    assert [family.id for family in draft.families] == ["engineering"]


def test_the_core_competencies_the_families_expect_come_along() -> None:
    draft = starter(["engineering"], "startup")
    draft.core_competencies = [c for c in draft.core_competencies if c.id != "ownership"]
    for track in draft.families[0].tracks:
        del track.expectations["ownership"]
    draft.core_competencies.append(Competency(id="craft", name="Craft"))
    result, notes = add_families(draft, starter(["sales"], "startup"))
    assert [c.id for c in result.core_competencies] == [
        "communication",
        "collaboration",
        "delivery",
        "technology_ai_fluency",
        "craft",
        "ownership",
    ]
    assert notes == (
        "Added the core competency Ownership, which the new family expects.",
        "The new family has no behaviours for the draft's core competency Craft yet: the lint findings "
        "list where to write them.",
    )
    assert errors(result) == errors(draft)


def test_a_family_whose_id_the_draft_has_is_refused_naming_it() -> None:
    draft = starter(["engineering", "product"], "growth")
    with pytest.raises(EditError) as refused:
        add_families(draft, starter(["design", "product"], "growth"))
    assert refused.value.message == (
        'the draft already has a family with the id "product" (Product): nothing was added. Rename or '
        "remove that family first, or leave it out"
    )
    assert refused.value.field == "families"


def test_families_that_would_add_an_error_are_refused() -> None:
    draft = starter(["engineering"], "startup")
    # A 1–3 scale: the library's proficiencies of 4 and 5 do not fit it.
    draft.scale = RatingScale(points=[RatingPoint(value=v, label=str(v)) for v in (1, 2, 3)])
    draft.families[0].tracks[0].expectations = {
        competency: {
            code: e.model_copy(update={"proficiency": min(e.proficiency, 3)}) for code, e in levels.items()
        }
        for competency, levels in draft.families[0].tracks[0].expectations.items()
    }
    before = dumps(draft)
    with pytest.raises(EditError) as refused:
        add_families(draft, starter(["sales"], "startup"))
    assert refused.value.message.startswith("the families cannot be added to this draft (TRL205: ")
    assert refused.value.message.endswith("): nothing was added")
    assert dumps(draft) == before
