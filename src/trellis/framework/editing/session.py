"""What every edit shares: the session it works in (a private copy of the framework and the record
of what changed), what an edit needs permission for, the fields `SetFields` may change, the checks
of ids and codes, the lookups of what refers to what, and :func:`apply_edits`, which runs edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from trellis.framework.addresses import (
    EditError,
    find_family,
)
from trellis.framework.classification import FIELDS
from trellis.framework.model import (
    Competency,
    Family,
    Framework,
    LateralPath,
    Level,
    PromotionCriteria,
    Track,
)

Value = TypeVar("Value")

# --- what an edit needs and did ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Need:
    """What an edit needs permission for: the structure, or the content of one of `families` (any
    one of them suffices). Content with no family is framework-wide."""

    structure: bool = False
    families: tuple[str, ...] = ()


STRUCTURE = Need(structure=True)


@dataclass(frozen=True, slots=True)
class EditResult:
    """A framework after some edits, and what the edits changed and need."""

    framework: Framework
    #: Addresses of the changed fields, e.g. ``engineering/ic/IC3/communication.behaviour``.
    fields: tuple[str, ...]
    needs: frozenset[Need]
    #: Consequences worth telling the person, e.g. "removed 2 promotion criteria into or out of IC3".
    notes: tuple[str, ...]
    #: The families that now have another id: {id before the edits: id after}.
    family_renames: Mapping[str, str] = field(default_factory=dict)
    #: The ids (before the edits) of the families removed — even if another family was added
    #: under the same id afterwards: what belonged to the removed one ends with it.
    families_removed: frozenset[str] = frozenset()

    @property
    def changed(self) -> bool:
        return bool(self.fields)

    @property
    def structural(self) -> bool:
        return any(need.structure for need in self.needs)


#: The kinds of address whose fields `SetFields` may change.
EDITABLE_KINDS = (
    "framework",
    "family",
    "track",
    "crossover",
    "level",
    "competency",
    "expectation",
    "promotion",
    "lateral_path",
)

#: For each kind of address, the fields `SetFields` may change and whether each is wording (a
#: family's co-authors may change it) or structural (HR only): `classification.FIELDS`, the one
#: classification the diff reads too. Ids and level codes are not here: renaming is an edit of its
#: own, which updates every reference.
EDITABLE_FIELDS: dict[str, dict[str, str]] = {kind: dict(FIELDS[kind]) for kind in EDITABLE_KINDS}


# --- the session an edit works in ----------------------------------------------------------------


@dataclass(slots=True)
class Session:
    """A private, mutable copy of the framework and the record of what the edits did to it."""

    framework: Framework
    fields: list[str] = field(default_factory=list)
    needs: set[Need] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    #: Each family that was there before the edits, by its current id: its id before the edits
    #: (families added by the edits are not here).
    family_origins: dict[str, str] = field(default_factory=dict)

    def family_renamed(self, old: str, new: str) -> None:
        if old in self.family_origins:
            self.family_origins[new] = self.family_origins.pop(old)

    def family_removed(self, family_id: str) -> None:
        self.family_origins.pop(family_id, None)

    def structure(self, *fields: str) -> None:
        self.needs.add(STRUCTURE)
        self.fields.extend(fields)

    def note(self, count: int, singular: str, plural: str, rest: str) -> None:
        """Tell the person that `count` things were removed with what they removed."""
        if count:
            self.notes.append(f"Also removed {count} {singular if count == 1 else plural} {rest}.")


class Edit:
    """One change to make; `apply` works on the session's private copy."""

    def apply(self, session: Session) -> None:  # pragma: no cover - every edit overrides it
        raise NotImplementedError


def validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    message = str(first.get("msg", "is not valid"))
    # pydantic's messages start with "Value error, " or "String should …": keep them short.
    return message.removeprefix("Value error, ")


def check_identifier(value: str, field_name: str, what: str) -> str:
    """`value` stripped if it is a valid id (lower-case words joined by _ or -), else EditError."""
    try:
        Competency(id=value, name="x")
    except ValidationError:
        raise EditError(
            f'"{value}" is not a valid {what}: use lower-case letters, digits, "_" or "-", '
            "starting with a letter",
            field=field_name,
        ) from None
    return value.strip()


def check_code(value: str, field_name: str) -> str:
    try:
        Level(code=value, name="x", title="x")
    except ValidationError:
        raise EditError(
            f'"{value}" is not a valid level code: use letters, digits, ".", "_" or "-", starting with '
            "a letter or digit",
            field=field_name,
        ) from None
    return value.strip()


def build(model: type[BaseModel], field_names: dict[str, str], **values: Any) -> Any:
    """`model(**values)`, with a validation error reported at the input named by `field_names`."""
    try:
        return model(**values)
    except ValidationError as error:
        location = error.errors()[0].get("loc", ())
        key = str(location[0]) if location else ""
        raise EditError(validation_message(error), field=field_names.get(key, key)) from None


# --- what refers to what -------------------------------------------------------------------------


def family_codes(family: Family) -> set[str]:
    return {level.code for track in family.tracks for level in track.levels}


def tracks_assessing(framework: Framework, family_id: str | None) -> list[tuple[Family, Track]]:
    families = framework.families if family_id is None else [find_family(framework, family_id)[1]]
    return [(family, track) for family in families for track in family.tracks]


def lateral_paths_touching(framework: Framework, family_id: str | None) -> list[LateralPath]:
    return [
        lateral
        for lateral in framework.lateral_paths
        if family_id is None or family_id in (lateral.source.family, lateral.destination.family)
    ]


def renamed_key(mapping: dict[str, Value], old: str, new: str) -> dict[str, Value]:
    """`mapping` with the key `old` named `new`, in the same order (the order is the file's)."""
    return {new if key == old else key: value for key, value in mapping.items()}


def rename_in_criteria(criteria: PromotionCriteria, old: str, new: str | None) -> int:
    """Rename (or, when `new` is None, drop) competency `old` in `criteria`; how many were dropped."""
    before = len(criteria.required)
    if new is None:
        criteria.required = [r for r in criteria.required if r.competency != old]
    else:
        for required in criteria.required:
            if required.competency == old:
                required.competency = new
    return before - len(criteria.required)


# --- running edits -------------------------------------------------------------------------------


def apply_edits(framework: Framework, edits: Iterable[Edit]) -> EditResult:
    """`framework` with `edits` applied in order, and what they changed and need.

    Raises :class:`EditError` (or :class:`NotFound`) at the first edit that cannot be made;
    `framework` itself is never changed.
    """
    session = Session(framework.model_copy(deep=True))
    session.family_origins = {family.id: family.id for family in framework.families}
    for edit in edits:
        edit.apply(session)
    # Lists changed in place are not validated by pydantic; one pass over the whole proves the
    # result is a well-formed framework before anyone stores it.
    try:
        result = Framework.model_validate(session.framework.model_dump(by_alias=True))
    except ValidationError as error:  # pragma: no cover - every edit validates what it builds
        raise EditError(validation_message(error)) from None
    return EditResult(
        framework=result,
        fields=tuple(dict.fromkeys(session.fields)),
        needs=frozenset(session.needs),
        notes=tuple(session.notes),
        family_renames={old: new for new, old in session.family_origins.items() if old != new},
        families_removed=frozenset(
            {family.id for family in framework.families} - set(session.family_origins.values())
        ),
    )
