"""Families brought into a draft from elsewhere: a spreadsheet's family merged in (`merge_family`),
or families of the starter library added beside the draft's own (`add_families`)."""

from __future__ import annotations

from collections import Counter

from trellis.framework.addresses import (
    EditError,
)
from trellis.framework.diagnostics import Severity
from trellis.framework.model import (
    Framework,
)


def merge_family(draft: Framework, imported: Framework) -> tuple[Framework, bool, tuple[str, ...]]:
    """`draft` with the one family of `imported` (a spreadsheet matrix) in it: replacing the
    draft's family of the same id, or added after the others. Returns the framework, whether a
    family was replaced, and notes for the person importing.

    A spreadsheet knows nothing of core competencies: a row whose id is one of the draft's core
    competencies is read as that core competency rather than defined again in the family. The
    draft's scale, core competencies and lateral paths stay as they are.
    """
    if len(imported.families) != 1:
        raise EditError("a matrix import brings exactly one family")
    family = imported.families[0].model_copy(deep=True)
    core_ids = {c.id for c in draft.core_competencies}
    shared = [c.id for c in family.competencies if c.id in core_ids]
    family.competencies = [c for c in family.competencies if c.id not in core_ids]
    notes = []
    if shared:
        notes.append(
            f"Read {', '.join(shared)} as the draft's core competenc{'y' if len(shared) == 1 else 'ies'}."
        )
    merged = draft.model_copy(deep=True)
    replaced = False
    for index, existing in enumerate(merged.families):
        if existing.id == family.id:
            merged.families[index] = family
            replaced = True
            break
    else:
        merged.families.append(family)
    return Framework.model_validate(merged.model_dump(by_alias=True)), replaced, tuple(notes)


def _error_messages(framework: Framework, lint_budget: float | None) -> Counter[tuple[str, str]]:
    from trellis.framework.checking import check_framework
    from trellis.framework.references import check_references

    return Counter(
        (diagnostic.code, diagnostic.message)
        for diagnostic in (*check_references(framework), *check_framework(framework, lint_budget=lint_budget))
        if diagnostic.severity is Severity.ERROR
    )


def add_families(
    draft: Framework, added: Framework, *, lint_budget: float | None = None
) -> tuple[Framework, tuple[str, ...]]:
    """`draft` with every family of `added` (a framework of the starter library) after its own,
    and notes for the person adding them. The draft's name, scale, families and lateral paths stay
    as they are.

    What the added families need comes along: the core competencies they expect that the draft
    lacks (by id), and the lateral paths of `added`, which join added families only. Their tracks,
    levels, functional competencies and promotions are their own. A family whose id the draft has
    is refused with an `EditError` naming the id (field ``families``), as is a result with an error
    the draft did not have (a scale the families' proficiencies do not fit, an id defined twice):
    what is added lints as cleanly as the draft did. `lint_budget` bounds each lint's seconds, as
    in a request (publishing, which lints without one, still refuses what a cut-short lint missed).
    """
    own = {family.id: family for family in draft.families}
    for family in added.families:
        if family.id in own:
            raise EditError(
                f'the draft already has a family with the id "{family.id}" ({own[family.id].name}): nothing '
                "was added. Rename or remove that family first, or leave it out",
                field="families",
            )
    merged = draft.model_copy(deep=True)
    notes = []
    core_ids = {competency.id for competency in draft.core_competencies}
    expected = {
        competency
        for family in added.families
        for track in family.tracks
        for competency in track.expectations
    }
    brought = [c for c in added.core_competencies if c.id not in core_ids and c.id in expected]
    if brought:
        merged.core_competencies.extend(competency.model_copy(deep=True) for competency in brought)
        names = ", ".join(competency.name for competency in brought)
        notes.append(
            f"Added the core competenc{'y' if len(brought) == 1 else 'ies'} {names}, which the new "
            f"famil{'y expects' if len(added.families) == 1 else 'ies expect'}."
        )
    unexpected = [c.name for c in draft.core_competencies if c.id not in expected]
    if unexpected:
        notes.append(
            f"The new famil{'y has' if len(added.families) == 1 else 'ies have'} no behaviours for the "
            f"draft's core competenc{'y' if len(unexpected) == 1 else 'ies'} {', '.join(unexpected)} yet: "
            "the lint findings list where to write them."
        )
    merged.families.extend(family.model_copy(deep=True) for family in added.families)
    merged.lateral_paths.extend(path.model_copy(deep=True) for path in added.lateral_paths)
    result = Framework.model_validate(merged.model_dump(by_alias=True))
    new_errors = _error_messages(result, lint_budget) - _error_messages(draft, lint_budget)
    if new_errors:
        code, message = next(iter(new_errors))
        raise EditError(
            f"the families cannot be added to this draft ({code}: {message}): nothing was added",
            field="families",
        )
    return result, tuple(notes)
