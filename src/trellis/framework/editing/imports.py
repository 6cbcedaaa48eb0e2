"""A family imported from a spreadsheet matrix, merged into the draft."""

from __future__ import annotations

from trellis.framework.addresses import (
    EditError,
)
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
