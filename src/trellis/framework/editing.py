"""Edits of a framework, as the web editor makes them: typed operations on the model, with no I/O.

:func:`apply_edits` never changes the framework it is given. It returns a new framework together
with what changed — the address of every changed field, for an audit trail that names fields but
never their text — and what the edits need permission for:

* **structure**: families, tracks, levels and competencies added, removed, renamed or reordered;
  a level's grade, compensation band and minimum time in level (pay and parity are kept
  consistent across families); a track's kind and crossover; promotion criteria and lateral paths
  added or removed; a lateral path's transferable competencies and gaps; which tracks a
  functional competency is limited to.
* **content** of a job family: names, titles, summaries, descriptions, behaviours and expected
  proficiencies, crossover entry criteria, promotion criteria wording and thresholds, a lateral
  path's description and actions (content of either family it joins). Content that belongs to no
  family — the framework's own name and description, the core competencies — is framework-wide.

Things are addressed by id and level code (the address types live in
:mod:`trellis.framework.addresses` and are imported here too, with the errors), never by position, except lateral paths, which have no
id and are addressed by their position in the list (the caller's optimistic lock makes sure the
list did not change under it).

Removing or renaming something also updates or removes what referred to it: removing a level
removes its expectations, the promotion criteria into and out of it, crossovers that start or end
there and lateral paths that end there; renaming a level code rewrites all of those. Every such
consequence is reported in :attr:`EditResult.notes`, so the person making the edit is told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
    competency_list,
    find_family,
    find_level,
    find_promotion,
    find_track,
)
from trellis.framework.model import (
    Competency,
    Crossover,
    Expectation,
    Family,
    Framework,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    Track,
    TrackKind,
)

Value = TypeVar("Value")

# The addresses and their errors live in `addresses`; they are offered here too, beside the edits
# that take them.
__all__ = [
    "CONTENT",
    "EDITABLE_FIELDS",
    "STRUCTURAL",
    "STRUCTURE",
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
    "address_of",
    "apply_edits",
    "merge_family",
]

# --- errors and results --------------------------------------------------------------------------


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

    @property
    def changed(self) -> bool:
        return bool(self.fields)

    @property
    def structural(self) -> bool:
        return any(need.structure for need in self.needs)


CONTENT = "content"
STRUCTURAL = "structure"

#: For each kind of address, the fields `SetFields` may change and whether each is content or
#: structure. Ids and level codes are not here: renaming is an edit of its own, which updates
#: every reference.
EDITABLE_FIELDS: dict[str, dict[str, str]] = {
    "framework": {"name": CONTENT, "description": CONTENT, "version": CONTENT},
    "family": {"name": CONTENT, "description": CONTENT},
    "track": {"name": CONTENT, "description": CONTENT, "kind": STRUCTURAL},
    "crossover": {
        "from_level": STRUCTURAL,
        "to_level": STRUCTURAL,
        "two_way": STRUCTURAL,
        "entry_criteria": CONTENT,
    },
    "level": {
        "name": CONTENT,
        "title": CONTENT,
        "title_variants": CONTENT,
        "summary": CONTENT,
        "grade": STRUCTURAL,
        "band": STRUCTURAL,
        "min_months_in_level": STRUCTURAL,
    },
    "competency": {"name": CONTENT, "category": CONTENT, "description": CONTENT, "tracks": STRUCTURAL},
    "expectation": {"proficiency": CONTENT, "behaviour": CONTENT},
    "promotion": {
        "min_average": CONTENT,
        "floor": CONTENT,
        "required": CONTENT,
        "time_at_next_level": CONTENT,
        "scope_evidence": CONTENT,
        "outcomes": CONTENT,
        "manager_endorsement": CONTENT,
        "calibration": CONTENT,
    },
    "lateral_path": {
        "description": CONTENT,
        "actions": CONTENT,
        "transferable": STRUCTURAL,
        "gaps": STRUCTURAL,
    },
}


# --- the session an edit works in ----------------------------------------------------------------


@dataclass(slots=True)
class _Session:
    """A private, mutable copy of the framework and the record of what the edits did to it."""

    framework: Framework
    fields: list[str] = field(default_factory=list)
    needs: set[Need] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def structure(self, *fields: str) -> None:
        self.needs.add(STRUCTURE)
        self.fields.extend(fields)

    def note(self, count: int, singular: str, plural: str, rest: str) -> None:
        """Tell the person that `count` things were removed with what they removed."""
        if count:
            self.notes.append(f"Also removed {count} {singular if count == 1 else plural} {rest}.")


def _validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    message = str(first.get("msg", "is not valid"))
    # pydantic's messages start with "Value error, " or "String should …": keep them short.
    return message.removeprefix("Value error, ")


def _check_identifier(value: str, field_name: str, what: str) -> str:
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


def _check_code(value: str, field_name: str) -> str:
    try:
        Level(code=value, name="x", title="x")
    except ValidationError:
        raise EditError(
            f'"{value}" is not a valid level code: use letters, digits, ".", "_" or "-", starting with '
            "a letter or digit",
            field=field_name,
        ) from None
    return value.strip()


def _build(model: type[BaseModel], field_names: dict[str, str], **values: Any) -> Any:
    """`model(**values)`, with a validation error reported at the input named by `field_names`."""
    try:
        return model(**values)
    except ValidationError as error:
        location = error.errors()[0].get("loc", ())
        key = str(location[0]) if location else ""
        raise EditError(_validation_message(error), field=field_names.get(key, key)) from None


# --- edits ---------------------------------------------------------------------------------------


class Edit:
    """One change to make; `apply` works on the session's private copy."""

    def apply(self, session: _Session) -> None:  # pragma: no cover - every edit overrides it
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class SetFields(Edit):
    """Set some fields of the thing at `address` (see :data:`EDITABLE_FIELDS`). Only fields whose
    value actually changes are reported and count towards what the edit needs."""

    address: Address
    values: dict[str, Any]

    def apply(self, session: _Session) -> None:
        framework = session.framework
        table = EDITABLE_FIELDS[self.address.kind]
        for name in self.values:
            if name not in table:
                raise EditError(f"{name} cannot be edited here", field=name)
        target, created = self._target(framework)
        if target is None:
            return
        content_changed = structure_changed = False
        for name, value in self.values.items():
            # Whatever a newly created expectation or crossover holds is a change.
            before = None if created else getattr(target, name)
            try:
                setattr(target, name, value)
            except ValidationError as error:
                raise EditError(_validation_message(error), field=name) from None
            if getattr(target, name) != before:
                session.fields.append(f"{self.address.label}.{name}")
                if table[name] == STRUCTURAL:
                    structure_changed = True
                else:
                    content_changed = True
        if structure_changed:
            session.needs.add(STRUCTURE)
        if content_changed:
            session.needs.add(Need(families=self.address.families(framework)))

    def _target(self, framework: Framework) -> tuple[BaseModel | None, bool]:
        """The object to change and whether it was just created: a missing expectation or crossover
        is created when the values allow it (None: nothing to create and nothing to change)."""
        address = self.address
        if isinstance(address, ExpectationAddress):
            track = TrackAddress(address.family, address.track).resolve(framework)
            assert isinstance(track, Track)
            if address.level is None:
                raise NotFound("name the level of the expectation")
            find_level(track, address.level)
            line = track.expectations.get(address.competency)
            if line is None:
                raise NotFound(f'track "{track.id}" does not assess "{address.competency}"')
            if address.level in line:
                if self.values.get("proficiency", 0) is None:
                    raise EditError("give the expected proficiency", field="proficiency")
                return line[address.level], False
            proficiency = self.values.get("proficiency")
            if proficiency is None:
                if self.values.get("behaviour"):
                    raise EditError("give the expected proficiency", field="proficiency")
                return None, False
            line[address.level] = Expectation(proficiency=proficiency)
            return line[address.level], True
        if isinstance(address, CrossoverAddress):
            track = TrackAddress(address.family, address.track).resolve(framework)
            assert isinstance(track, Track)
            if track.crossover is not None:
                return track.crossover, False
            for name in ("from_level", "to_level"):
                if not self.values.get(name):
                    raise EditError("name the level", field=name)
            track.crossover = _build(
                Crossover, {}, from_level=self.values["from_level"], to_level=self.values["to_level"]
            )
            return track.crossover, True
        return address.resolve(framework), False


@dataclass(frozen=True, slots=True)
class FamilyAdd(Edit):
    family: str
    name: str

    def apply(self, session: _Session) -> None:
        framework = session.framework
        family_id = _check_identifier(self.family, "family", "family id")
        if framework.family(family_id) is not None:
            raise EditError(f'there is already a family "{family_id}"', field="family")
        framework.families.append(_build(Family, {}, id=family_id, name=self.name))
        session.structure(f"{family_id}.id")


@dataclass(frozen=True, slots=True)
class FamilyRemove(Edit):
    family: str

    def apply(self, session: _Session) -> None:
        framework = session.framework
        index, _ = find_family(framework, self.family)
        del framework.families[index]
        before = len(framework.lateral_paths)
        framework.lateral_paths = [
            lateral
            for lateral in framework.lateral_paths
            if self.family not in (lateral.source.family, lateral.destination.family)
        ]
        removed = before - len(framework.lateral_paths)
        session.note(removed, "lateral path", "lateral paths", f'to or from "{self.family}"')
        session.structure(f"{self.family}.id")


@dataclass(frozen=True, slots=True)
class FamilyRename(Edit):
    """Give a family a new id; lateral paths follow. (People placed in the family keep the old id
    until they are moved: that is the caller's business.)"""

    family: str
    new_id: str

    def apply(self, session: _Session) -> None:
        framework = session.framework
        new_id = _check_identifier(self.new_id, "new_id", "family id")
        _, family = find_family(framework, self.family)
        if new_id == family.id:
            return
        if framework.family(new_id) is not None:
            raise EditError(f'there is already a family "{new_id}"', field="new_id")
        family.id = new_id
        for lateral in framework.lateral_paths:
            for end in (lateral.source, lateral.destination):
                if end.family == self.family:
                    end.family = new_id
        session.structure(f"{self.family}.id")


@dataclass(frozen=True, slots=True)
class TrackAdd(Edit):
    family: str
    track: str
    name: str
    track_kind: TrackKind = TrackKind.IC

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        track_id = _check_identifier(self.track, "track", "track id")
        if family.track(track_id) is not None:
            raise EditError(f'family "{family.id}" already has a track "{track_id}"', field="track")
        family.tracks.append(
            _build(Track, {"kind": "track_kind"}, id=track_id, name=self.name, kind=self.track_kind)
        )
        session.structure(f"{family.id}/{track_id}.id")


def _remove_level_references(session: _Session, family: Family, codes: set[str], what: str) -> None:
    """Remove promotion criteria, crossovers and lateral paths that name a level in `codes`, which
    `family` no longer has."""
    before = len(family.promotions)
    family.promotions = [
        criteria for criteria in family.promotions if not {criteria.from_level, criteria.to_level} & codes
    ]
    removed = before - len(family.promotions)
    session.note(removed, "set of promotion criteria", "sets of promotion criteria", f"into or out of {what}")
    crossovers = 0
    for track in family.tracks:
        if track.crossover is not None and {track.crossover.from_level, track.crossover.to_level} & codes:
            track.crossover = None
            crossovers += 1
    session.note(crossovers, "crossover", "crossovers", f"starting or ending at {what}")
    framework = session.framework
    before = len(framework.lateral_paths)
    framework.lateral_paths = [
        lateral
        for lateral in framework.lateral_paths
        if not any(
            end.family == family.id and end.level in codes for end in (lateral.source, lateral.destination)
        )
    ]
    session.note(before - len(framework.lateral_paths), "lateral path", "lateral paths", f"to or from {what}")


@dataclass(frozen=True, slots=True)
class TrackRemove(Edit):
    """Remove a track with its levels. Functional competencies limited to this track alone go with
    it (left behind, their empty track list would open them to every track)."""

    family: str
    track: str

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        index, track = find_track(family, self.track)
        del family.tracks[index]
        only_here = [competency.id for competency in family.competencies if competency.tracks == [track.id]]
        for competency_id in only_here:
            CompetencyRemove(family.id, competency_id).apply(session)
        session.notes.extend(
            f'Also removed competency "{competency_id}", used only on this track.'
            for competency_id in only_here
        )
        for competency in family.competencies:
            if track.id in competency.tracks:
                competency.tracks = [t for t in competency.tracks if t != track.id]
        codes = {level.code for level in track.levels}
        _remove_level_references(session, family, codes, f'levels of track "{track.id}"')
        session.structure(f"{family.id}/{track.id}.id")


@dataclass(frozen=True, slots=True)
class TrackRename(Edit):
    family: str
    track: str
    new_id: str

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        new_id = _check_identifier(self.new_id, "new_id", "track id")
        _, track = find_track(family, self.track)
        if new_id == track.id:
            return
        if family.track(new_id) is not None:
            raise EditError(f'family "{family.id}" already has a track "{new_id}"', field="new_id")
        track.id = new_id
        for competency in family.competencies:
            if self.track in competency.tracks:
                competency.tracks = [new_id if t == self.track else t for t in competency.tracks]
        for lateral in session.framework.lateral_paths:
            for end in (lateral.source, lateral.destination):
                if end.family == family.id and end.track == self.track:
                    end.track = new_id
        session.structure(f"{family.id}/{self.track}.id")


def _family_codes(family: Family) -> set[str]:
    return {level.code for track in family.tracks for level in track.levels}


@dataclass(frozen=True, slots=True)
class LevelAdd(Edit):
    """Add a level at the top of a track. Every competency the track assesses gets an expectation
    at the new level with the proficiency of the level below and no behaviour yet, for the
    authors to write."""

    family: str
    track: str
    code: str
    name: str
    title: str

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        code = _check_code(self.code, "code")
        if code in _family_codes(family):
            raise EditError(f'family "{family.id}" already has a level "{code}"', field="code")
        level = _build(Level, {}, code=code, name=self.name, title=self.title)
        below = track.levels[-1].code if track.levels else None
        track.levels.append(level)
        minimum = session.framework.scale.minimum
        for line in track.expectations.values():
            previous = line.get(below) if below is not None else None
            line[code] = Expectation(proficiency=previous.proficiency if previous is not None else minimum)
        session.structure(f"{family.id}/{track.id}.levels")


@dataclass(frozen=True, slots=True)
class LevelRemove(Edit):
    family: str
    track: str
    code: str

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        index, level = find_level(track, self.code)
        del track.levels[index]
        for line in track.expectations.values():
            line.pop(level.code, None)
        _remove_level_references(session, family, {level.code}, level.code)
        session.structure(f"{family.id}/{track.id}.levels")


@dataclass(frozen=True, slots=True)
class LevelRename(Edit):
    """Give a level a new code; expectations, promotion criteria, crossovers and lateral paths
    follow."""

    family: str
    track: str
    code: str
    new_code: str

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        _, level = find_level(track, self.code)
        new_code = _check_code(self.new_code, "new_code")
        if new_code == level.code:
            return
        if new_code in _family_codes(family):
            raise EditError(f'family "{family.id}" already has a level "{new_code}"', field="new_code")
        old = level.code
        level.code = new_code
        for competency_id, line in track.expectations.items():
            track.expectations[competency_id] = _renamed_key(line, old, new_code)
        for criteria in family.promotions:
            if criteria.from_level == old:
                criteria.from_level = new_code
            if criteria.to_level == old:
                criteria.to_level = new_code
        for other in family.tracks:
            if other.crossover is not None:
                if other is not track and other.crossover.from_level == old:
                    other.crossover.from_level = new_code
                if other is track and other.crossover.to_level == old:
                    other.crossover.to_level = new_code
        for lateral in session.framework.lateral_paths:
            for end in (lateral.source, lateral.destination):
                if end.family == family.id and end.level == old:
                    end.level = new_code
        session.structure(f"{family.id}/{track.id}/{old}.code")


@dataclass(frozen=True, slots=True)
class LevelMove(Edit):
    """Move a level `offset` places along its track: +1 one step more senior, -1 more junior."""

    family: str
    track: str
    code: str
    offset: int

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        index, level = find_level(track, self.code)
        target = index + self.offset
        if not 0 <= target < len(track.levels):
            where = "most senior" if self.offset > 0 else "most junior"
            raise EditError(f"{level.code} is already the {where} level of the track", field="offset")
        del track.levels[index]
        track.levels.insert(target, level)
        session.structure(f"{family.id}/{track.id}.levels")


def _tracks_assessing(framework: Framework, family_id: str | None) -> list[tuple[Family, Track]]:
    families = framework.families if family_id is None else [find_family(framework, family_id)[1]]
    return [(family, track) for family in families for track in family.tracks]


@dataclass(frozen=True, slots=True)
class CompetencyAdd(Edit):
    """Add a core competency (no family) or a functional one to a family, limited to `tracks` when
    given. Every track that assesses it gets an expectation at each level, with the proficiency of
    the level's position on the scale and no behaviour yet."""

    family: str | None
    competency: str
    name: str
    tracks: tuple[str, ...] = ()

    def apply(self, session: _Session) -> None:
        from trellis.framework.matrix import inferred_proficiencies

        framework = session.framework
        competency_id = _check_identifier(self.competency, "competency", "competency id")
        _, competencies = competency_list(framework, self.family)
        clashes = {c.id for c in framework.core_competencies}
        if self.family is None:
            clashes |= {c.id for family in framework.families for c in family.competencies}
        else:
            clashes |= {c.id for c in competencies}
        if competency_id in clashes:
            raise EditError(f'there is already a competency "{competency_id}" here', field="competency")
        if self.family is not None:
            family = find_family(framework, self.family)[1]
            for track_id in self.tracks:
                find_track(family, track_id)
        elif self.tracks:
            raise EditError("a core competency applies to every track", field="tracks")
        competencies.append(
            _build(
                Competency, {"id": "competency"}, id=competency_id, name=self.name, tracks=list(self.tracks)
            )
        )
        for _, track in _tracks_assessing(framework, self.family):
            if self.tracks and track.id not in self.tracks:
                continue
            proficiencies = inferred_proficiencies(len(track.levels), framework.scale)
            track.expectations[competency_id] = {
                level.code: Expectation(proficiency=proficiency)
                for level, proficiency in zip(track.levels, proficiencies, strict=True)
            }
        session.structure(f"{self.family or 'core'}/{competency_id}.id")


def _renamed_key(mapping: dict[str, Value], old: str, new: str) -> dict[str, Value]:
    """`mapping` with the key `old` named `new`, in the same order (the order is the file's)."""
    return {new if key == old else key: value for key, value in mapping.items()}


def _rename_in_criteria(criteria: PromotionCriteria, old: str, new: str | None) -> int:
    """Rename (or, when `new` is None, drop) competency `old` in `criteria`; how many were dropped."""
    before = len(criteria.required)
    if new is None:
        criteria.required = [r for r in criteria.required if r.competency != old]
    else:
        for required in criteria.required:
            if required.competency == old:
                required.competency = new
    return before - len(criteria.required)


def _lateral_paths_touching(framework: Framework, family_id: str | None) -> list[LateralPath]:
    return [
        lateral
        for lateral in framework.lateral_paths
        if family_id is None or family_id in (lateral.source.family, lateral.destination.family)
    ]


@dataclass(frozen=True, slots=True)
class CompetencyRemove(Edit):
    """Remove a competency with its expectations, and from promotion criteria and lateral paths."""

    family: str | None
    competency: str

    def apply(self, session: _Session) -> None:
        framework = session.framework
        address = CompetencyAddress(self.family, self.competency)
        _, index, competency = address._find(framework)
        _, competencies = competency_list(framework, self.family)
        del competencies[index]
        for _, track in _tracks_assessing(framework, self.family):
            track.expectations.pop(competency.id, None)
        families = framework.families if self.family is None else [find_family(framework, self.family)[1]]
        dropped = 0
        for family in families:
            if self.family is None:
                family.core_overrides.pop(competency.id, None)
            for criteria in family.promotions:
                dropped += _rename_in_criteria(criteria, competency.id, None)
        session.note(dropped, "required competency", "required competencies", "of promotion criteria")
        mentions = 0
        for lateral in _lateral_paths_touching(framework, self.family):
            before = len(lateral.transferable) + len(lateral.gaps)
            lateral.transferable = [c for c in lateral.transferable if c != competency.id]
            lateral.gaps = [gap for gap in lateral.gaps if gap.competency != competency.id]
            mentions += before - len(lateral.transferable) - len(lateral.gaps)
        session.note(mentions, "mention", "mentions", "in lateral paths")
        session.structure(f"{address.label}.id")


@dataclass(frozen=True, slots=True)
class CompetencyRename(Edit):
    family: str | None
    competency: str
    new_id: str

    def apply(self, session: _Session) -> None:
        framework = session.framework
        address = CompetencyAddress(self.family, self.competency)
        _, _, competency = address._find(framework)
        new_id = _check_identifier(self.new_id, "new_id", "competency id")
        if new_id == competency.id:
            return
        taken = {c.id for c in framework.core_competencies}
        if self.family is None:
            taken |= {c.id for family in framework.families for c in family.competencies}
        else:
            taken |= {c.id for c in find_family(framework, self.family)[1].competencies}
        if new_id in taken:
            raise EditError(f'there is already a competency "{new_id}" here', field="new_id")
        old = competency.id
        competency.id = new_id
        for _, track in _tracks_assessing(framework, self.family):
            if old in track.expectations:
                track.expectations = _renamed_key(track.expectations, old, new_id)
        families = framework.families if self.family is None else [find_family(framework, self.family)[1]]
        for family in families:
            if self.family is None and old in family.core_overrides:
                family.core_overrides = _renamed_key(family.core_overrides, old, new_id)
            for criteria in family.promotions:
                _rename_in_criteria(criteria, old, new_id)
        for lateral in _lateral_paths_touching(framework, self.family):
            lateral.transferable = [new_id if c == old else c for c in lateral.transferable]
            for gap in lateral.gaps:
                if gap.competency == old:
                    gap.competency = new_id
        session.structure(f"{address.label}.id")


@dataclass(frozen=True, slots=True)
class CrossoverRemove(Edit):
    family: str
    track: str

    def apply(self, session: _Session) -> None:
        track = TrackAddress(self.family, self.track).resolve(session.framework)
        assert isinstance(track, Track)
        if track.crossover is None:
            raise NotFound(f'track "{self.track}" has no crossover')
        track.crossover = None
        session.structure(f"{self.family}/{self.track}.crossover")


@dataclass(frozen=True, slots=True)
class PromotionAdd(Edit):
    """Add (empty) promotion criteria for a move from one level of the family to another."""

    family: str
    from_level: str
    to_level: str

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        codes = _family_codes(family)
        for name, code in (("from_level", self.from_level), ("to_level", self.to_level)):
            if code not in codes:
                raise EditError(f'family "{family.id}" has no level "{code}"', field=name)
        if self.from_level == self.to_level:
            raise EditError("a promotion leads to another level", field="to_level")
        if any((c.from_level, c.to_level) == (self.from_level, self.to_level) for c in family.promotions):
            raise EditError(
                f"there are already criteria from {self.from_level} to {self.to_level}", field="to_level"
            )
        family.promotions.append(PromotionCriteria(from_level=self.from_level, to_level=self.to_level))
        session.structure(f"{family.id}.promotions")


@dataclass(frozen=True, slots=True)
class PromotionRemove(Edit):
    family: str
    from_level: str
    to_level: str

    def apply(self, session: _Session) -> None:
        _, family = find_family(session.framework, self.family)
        index, _ = find_promotion(family, self.from_level, self.to_level)
        del family.promotions[index]
        session.structure(f"{family.id}.promotions")


@dataclass(frozen=True, slots=True)
class LateralPathAdd(Edit):
    """Add a lateral path between two levels of two families (the tracks are optional)."""

    source: LevelRef
    destination: LevelRef

    def apply(self, session: _Session) -> None:
        framework = session.framework
        for name, end in (("source", self.source), ("destination", self.destination)):
            family = framework.family(end.family)
            if family is None:
                raise EditError(f'the framework has no family "{end.family}"', field=f"{name}_family")
            if end.track is not None and family.track(end.track) is None:
                raise EditError(f'family "{family.id}" has no track "{end.track}"', field=f"{name}_track")
            if end.level not in _family_codes(family):
                raise EditError(f'family "{family.id}" has no level "{end.level}"', field=f"{name}_level")
        if self.source.family == self.destination.family:
            raise EditError("a lateral path leads to another family", field="destination_family")
        if any((p.source, p.destination) == (self.source, self.destination) for p in framework.lateral_paths):
            raise EditError("that lateral path is already there", field="destination_level")
        framework.lateral_paths.append(
            LateralPath(source=self.source.model_copy(), destination=self.destination.model_copy())
        )
        session.structure("lateral_paths")


@dataclass(frozen=True, slots=True)
class LateralPathRemove(Edit):
    index: int

    def apply(self, session: _Session) -> None:
        LateralPathAddress(self.index).resolve(session.framework)
        del session.framework.lateral_paths[self.index]
        session.structure("lateral_paths")


def apply_edits(framework: Framework, edits: Iterable[Edit]) -> EditResult:
    """`framework` with `edits` applied in order, and what they changed and need.

    Raises :class:`EditError` (or :class:`NotFound`) at the first edit that cannot be made;
    `framework` itself is never changed.
    """
    session = _Session(framework.model_copy(deep=True))
    for edit in edits:
        edit.apply(session)
    # Lists changed in place are not validated by pydantic; one pass over the whole proves the
    # result is a well-formed framework before anyone stores it.
    try:
        result = Framework.model_validate(session.framework.model_dump(by_alias=True))
    except ValidationError as error:  # pragma: no cover - every edit validates what it builds
        raise EditError(_validation_message(error)) from None
    return EditResult(
        framework=result,
        fields=tuple(dict.fromkeys(session.fields)),
        needs=frozenset(session.needs),
        notes=tuple(session.notes),
    )


# --- imports -----------------------------------------------------------------------------------


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
