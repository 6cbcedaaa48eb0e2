"""Edits of a framework, as the web editor makes them: typed operations on the model, with no I/O.

:func:`apply_edits` never changes the framework it is given. It returns a new framework together
with what changed — the address of every changed field, for an audit trail that names fields but
never their text — and what the edits need permission for:

* **structure** (HR): families, tracks, levels and competencies added, removed, renamed or
  reordered; crossovers, promotion criteria and lateral paths added or removed; and every field
  that :mod:`trellis.framework.classification` calls structural — the one classification the diff
  of two versions reads too: expected proficiencies, a level's grade, band and minimum time in
  level, a track's kind and crossover levels, promotion thresholds, floors, required competencies,
  time at the next level, endorsement and calibration, which tracks a functional competency is
  limited to, a lateral path's transferable competencies and gaps.
* **content** of a job family (its co-authors): the fields the classification calls wording —
  names, titles, summaries, descriptions, behaviours, crossover entry criteria, promotion
  evidence and outcomes, a lateral path's description and actions (content of either family it
  joins). Content that belongs to no family — the framework's own name and description, the core
  competencies — is framework-wide.

Things are addressed by id and level code (the address types live in
:mod:`trellis.framework.addresses` and are offered here too, with the errors), never by position,
except lateral paths, which have no id and are addressed by their position in the list (the
caller's optimistic lock makes sure the list did not change under it).

Removing or renaming something also updates or removes what referred to it: removing a level
removes its expectations, the promotion criteria into and out of it, crossovers that start or end
there and lateral paths that end there; renaming a level code rewrites all of those. Every such
consequence is reported in :attr:`EditResult.notes`, so the person making the edit is told.

The modules: `session` (what every edit shares, and `apply_edits`), `fields` (`SetFields`),
`structure` (adding, removing and moving things), `renames` (new ids and codes with their
references rewritten), `imports` (a spreadsheet's family merged into a draft, starter families
added beside the draft's own).
"""

from __future__ import annotations

from trellis.framework.addresses import (
    Address,
    CompetencyAddress,
    CrossoverAddress,
    EditError,
    ExpectationAddress,
    FamilyAddress,
    FrameworkAddress,
    LateralPathAddress,
    LevelAddress,
    NotFound,
    PromotionAddress,
    TrackAddress,
    address_of,
)
from trellis.framework.classification import STRUCTURAL, WORDING
from trellis.framework.editing.fields import SetFields
from trellis.framework.editing.imports import add_families, merge_family
from trellis.framework.editing.renames import CompetencyRename, FamilyRename, LevelRename, TrackRename
from trellis.framework.editing.session import (
    EDITABLE_FIELDS,
    STRUCTURE,
    Edit,
    EditResult,
    Need,
    apply_edits,
)
from trellis.framework.editing.structure import (
    CompetencyAdd,
    CompetencyRemove,
    CrossoverRemove,
    FamilyAdd,
    FamilyRemove,
    LateralPathAdd,
    LateralPathRemove,
    LevelAdd,
    LevelMove,
    LevelRemove,
    PromotionAdd,
    PromotionRemove,
    TrackAdd,
    TrackRemove,
)

# The addresses and their errors live in `addresses`; they are offered here too, beside the edits
# that take them.
__all__ = [
    "EDITABLE_FIELDS",
    "STRUCTURAL",
    "STRUCTURE",
    "WORDING",
    "Address",
    "CompetencyAdd",
    "CompetencyAddress",
    "CompetencyRemove",
    "CompetencyRename",
    "CrossoverAddress",
    "CrossoverRemove",
    "Edit",
    "EditError",
    "EditResult",
    "ExpectationAddress",
    "FamilyAdd",
    "FamilyAddress",
    "FamilyRemove",
    "FamilyRename",
    "FrameworkAddress",
    "LateralPathAdd",
    "LateralPathAddress",
    "LateralPathRemove",
    "LevelAdd",
    "LevelAddress",
    "LevelMove",
    "LevelRemove",
    "LevelRename",
    "Need",
    "NotFound",
    "PromotionAdd",
    "PromotionAddress",
    "PromotionRemove",
    "SetFields",
    "TrackAdd",
    "TrackAddress",
    "TrackRemove",
    "TrackRename",
    "add_families",
    "address_of",
    "apply_edits",
    "merge_family",
]
