"""Which changes to a framework are structural and which are wording: the one classification that
both the comparison of two versions (:mod:`trellis.framework.diff`) and the permission an edit
needs (:mod:`trellis.framework.editing`) read.

A *structural* change alters what people are assessed against or how they progress; a *wording*
change alters only how something is said. Only HR may make a structural change; a family's
co-authors may change its wording.

`FIELDS` classifies the fields of each kind of address (the ``kind`` of the address types in
:mod:`trellis.framework.addresses`). A field that holds a list of structural parts — a promotion's
required competencies, a lateral path's gaps — is structural as a whole: an edit of it can change
a minimum or a target. `THINGS` classifies adding or removing a thing of each kind; moving any
thing is structural.
"""

from __future__ import annotations

from typing import Final, Literal

Kind = Literal["structural", "wording"]

STRUCTURAL: Final = "structural"
WORDING: Final = "wording"

_LATERAL_PATH: Final[dict[str, Kind]] = {
    "description": WORDING,
    "actions": WORDING,
    "transferable": STRUCTURAL,
    "gaps": STRUCTURAL,
}

#: For each kind of address, its thing's fields and whether changing each is structural or wording.
#: Ids and level codes are not fields here: renaming one is structural, as an edit of its own.
FIELDS: Final[dict[str, dict[str, Kind]]] = {
    "framework": {"name": WORDING, "description": WORDING, "version": WORDING},
    "scale_point": {"label": WORDING, "anchor": WORDING},
    "family": {"name": WORDING, "description": WORDING},
    "core_override": {"name": WORDING, "category": WORDING, "description": WORDING},
    "track": {"name": WORDING, "description": WORDING, "kind": STRUCTURAL},
    "crossover": {
        "from_level": STRUCTURAL,
        "to_level": STRUCTURAL,
        "two_way": STRUCTURAL,
        "entry_criteria": WORDING,
    },
    "level": {
        "name": WORDING,
        "title": WORDING,
        "title_variants": WORDING,
        "summary": WORDING,
        "grade": STRUCTURAL,
        "band": STRUCTURAL,
        "min_months_in_level": STRUCTURAL,
    },
    "competency": {"name": WORDING, "category": WORDING, "description": WORDING, "tracks": STRUCTURAL},
    "expectation": {"proficiency": STRUCTURAL, "behaviour": WORDING},
    "promotion": {
        "min_average": STRUCTURAL,
        "floor": STRUCTURAL,
        "required": STRUCTURAL,
        "time_at_next_level": STRUCTURAL,
        "manager_endorsement": STRUCTURAL,
        "calibration": STRUCTURAL,
        "scope_evidence": WORDING,
        "outcomes": WORDING,
    },
    "required_competency": {"minimum": STRUCTURAL},
    # A lateral path is addressed by position in an edit and by its two ends in a comparison.
    "lateral_path": _LATERAL_PATH,
    "lateral_route": _LATERAL_PATH,
    "gap": {"target": STRUCTURAL, "note": WORDING},
}

#: For each kind of address, whether adding or removing a thing of that kind is structural. A core
#: override only renames or redescribes a core competency within a family.
THINGS: Final[dict[str, Kind]] = {
    "scale_point": STRUCTURAL,
    "family": STRUCTURAL,
    "core_override": WORDING,
    "track": STRUCTURAL,
    "crossover": STRUCTURAL,
    "level": STRUCTURAL,
    "competency": STRUCTURAL,
    "expectation": STRUCTURAL,
    "promotion": STRUCTURAL,
    "required_competency": STRUCTURAL,
    "lateral_route": STRUCTURAL,
    "gap": STRUCTURAL,
}


def field_kind(address_kind: str, field: str) -> Kind:
    """Whether changing `field` of a thing at an address of `address_kind` is structural or wording.
    KeyError for a field that is not classified (a programming error)."""
    return FIELDS[address_kind][field]


def is_structural(address_kind: str, field: str) -> bool:
    """Whether only HR may change `field` of a thing at an address of `address_kind`."""
    return field_kind(address_kind, field) == STRUCTURAL
