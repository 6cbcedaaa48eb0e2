"""Addresses of the parts of a framework: what an edit changes, what a finding points at and where
a change between two versions lies.

An address names its thing by id and level code, never by position, except
:class:`LateralPathAddress` (an edit's, by position in the list: lateral paths have no id);
:class:`LateralRouteAddress` names a lateral path by its two ends, as a comparison of two
frameworks matches them. Every address has a ``kind``, a compact ``label`` for audit records
(``engineering/ic/IC3``), a :meth:`readable` label for people that takes its names from a
framework (``Engineering · Individual contributor · IC3``), the :class:`~trellis.framework.diagnostics`
path of its thing, and :meth:`to_json`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import ClassVar, TypeVar

from pydantic import BaseModel

from trellis.framework.diagnostics import Path
from trellis.framework.model import (
    Competency,
    CompetencyOverride,
    Family,
    Framework,
    Gap,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    RatingPoint,
    RequiredCompetency,
    Track,
)

#: Between the parts of a readable label.
SEPARATOR = " · "

Item = TypeVar("Item")

# --- errors --------------------------------------------------------------------------------------


class EditError(ValueError):
    """An edit that cannot be made as asked. `field` names the input at fault ("" for the edit as a
    whole), so a form can show the message beside it."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(EditError):
    """The edit names a family, track, level, competency or path that the framework does not have."""


# --- addresses -----------------------------------------------------------------------------------


def find_first(items: Iterable[Item], matches: Callable[[Item], bool], missing: str) -> tuple[int, Item]:
    """The position and the first of `items` that `matches`; :class:`NotFound` with the message
    `missing` when there is none. Every address finds its thing so."""
    for index, item in enumerate(items):
        if matches(item):
            return index, item
    raise NotFound(missing)


def find_family(framework: Framework, family_id: str) -> tuple[int, Family]:
    return find_first(
        framework.families,
        lambda family: family.id == family_id,
        f'the framework has no family "{family_id}"',
    )


def find_track(family: Family, track_id: str) -> tuple[int, Track]:
    return find_first(
        family.tracks, lambda track: track.id == track_id, f'family "{family.id}" has no track "{track_id}"'
    )


def find_level(track: Track, code: str) -> tuple[int, Level]:
    return find_first(
        track.levels, lambda level: level.code == code, f'track "{track.id}" has no level "{code}"'
    )


def competency_list(framework: Framework, family_id: str | None) -> tuple[Path, list[Competency]]:
    if family_id is None:
        return ("core_competencies",), framework.core_competencies
    index, family = find_family(framework, family_id)
    return ("families", index, "competencies"), family.competencies


def find_promotion(family: Family, from_level: str, to_level: str) -> tuple[int, PromotionCriteria]:
    return find_first(
        family.promotions,
        lambda criteria: (criteria.from_level, criteria.to_level) == (from_level, to_level),
        f'family "{family.id}" has no promotion criteria from {from_level} to {to_level}',
    )


@dataclass(frozen=True, slots=True)
class FrameworkAddress:
    """The framework itself: its name, description and version label."""

    kind: ClassVar[str] = "framework"

    @property
    def label(self) -> str:
        return "framework"

    def readable(self, framework: Framework) -> str:
        return "Framework"

    def families(self, framework: Framework) -> tuple[str, ...]:
        return ()

    def path(self, framework: Framework) -> Path:
        return ()

    def resolve(self, framework: Framework) -> BaseModel:
        return framework


@dataclass(frozen=True, slots=True)
class FamilyAddress:
    family: str
    kind: ClassVar[str] = "family"

    @property
    def label(self) -> str:
        return self.family

    def readable(self, framework: Framework) -> str:
        return family_name(framework, self.family)

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def path(self, framework: Framework) -> Path:
        return ("families", find_family(framework, self.family)[0])

    def resolve(self, framework: Framework) -> BaseModel:
        return find_family(framework, self.family)[1]


@dataclass(frozen=True, slots=True)
class TrackAddress:
    family: str
    track: str
    kind: ClassVar[str] = "track"

    @property
    def label(self) -> str:
        return f"{self.family}/{self.track}"

    def readable(self, framework: Framework) -> str:
        return SEPARATOR.join(
            (family_name(framework, self.family), track_name(framework, self.family, self.track))
        )

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def path(self, framework: Framework) -> Path:
        family_index, family = find_family(framework, self.family)
        return ("families", family_index, "tracks", find_track(family, self.track)[0])

    def resolve(self, framework: Framework) -> BaseModel:
        return find_track(find_family(framework, self.family)[1], self.track)[1]


@dataclass(frozen=True, slots=True)
class CrossoverAddress:
    """Where a track branches off another one. Setting fields of a track without a crossover
    creates one, which needs both level codes."""

    family: str
    track: str
    kind: ClassVar[str] = "crossover"

    @property
    def label(self) -> str:
        return f"{self.family}/{self.track}.crossover"

    def readable(self, framework: Framework) -> str:
        return TrackAddress(self.family, self.track).readable(framework) + SEPARATOR + "Crossover"

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def path(self, framework: Framework) -> Path:
        return (*TrackAddress(self.family, self.track).path(framework), "crossover")

    def resolve(self, framework: Framework) -> BaseModel:
        track = find_track(find_family(framework, self.family)[1], self.track)[1]
        if track.crossover is None:
            raise NotFound(f'track "{self.track}" has no crossover')
        return track.crossover


@dataclass(frozen=True, slots=True)
class LevelAddress:
    family: str
    track: str
    level: str
    kind: ClassVar[str] = "level"

    @property
    def label(self) -> str:
        return f"{self.family}/{self.track}/{self.level}"

    def readable(self, framework: Framework) -> str:
        return TrackAddress(self.family, self.track).readable(framework) + SEPARATOR + self.level

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def path(self, framework: Framework) -> Path:
        family_index, family = find_family(framework, self.family)
        track_index, track = find_track(family, self.track)
        return ("families", family_index, "tracks", track_index, "levels", find_level(track, self.level)[0])

    def resolve(self, framework: Framework) -> BaseModel:
        track = find_track(find_family(framework, self.family)[1], self.track)[1]
        return find_level(track, self.level)[1]


@dataclass(frozen=True, slots=True)
class CompetencyAddress:
    """A functional competency of a family, or a core competency when `family` is None."""

    family: str | None
    competency: str
    kind: ClassVar[str] = "competency"

    @property
    def label(self) -> str:
        return f"{self.family or 'core'}/{self.competency}"

    def readable(self, framework: Framework) -> str:
        home = "Core competencies" if self.family is None else family_name(framework, self.family)
        return home + SEPARATOR + competency_name(framework, self.family, self.competency)

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,) if self.family is not None else ()

    def _find(self, framework: Framework) -> tuple[Path, int, Competency]:
        base, competencies = competency_list(framework, self.family)
        where = f'family "{self.family}"' if self.family is not None else "the core competencies"
        index, competency = find_first(
            competencies,
            lambda competency: competency.id == self.competency,
            f'{where} has no competency "{self.competency}"',
        )
        return base, index, competency

    def path(self, framework: Framework) -> Path:
        base, index, _ = self._find(framework)
        return (*base, index)

    def resolve(self, framework: Framework) -> BaseModel:
        return self._find(framework)[2]


@dataclass(frozen=True, slots=True)
class ExpectationAddress:
    """What one competency asks at one level of a track. `level` is None for the competency's whole
    line on the track (used to point at findings, never to edit)."""

    family: str
    track: str
    competency: str
    level: str | None
    kind: ClassVar[str] = "expectation"

    @property
    def label(self) -> str:
        return f"{self.family}/{self.track}/{self.level}/{self.competency}"

    def readable(self, framework: Framework) -> str:
        parts = [TrackAddress(self.family, self.track).readable(framework)]
        if self.level is not None:
            parts.append(self.level)
        parts.append(competency_name(framework, self.family, self.competency))
        return SEPARATOR.join(parts)

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def path(self, framework: Framework) -> Path:
        base = (*TrackAddress(self.family, self.track).path(framework), "expectations", self.competency)
        return base if self.level is None else (*base, self.level)

    def resolve(self, framework: Framework) -> BaseModel:
        track = find_track(find_family(framework, self.family)[1], self.track)[1]
        if self.level is None:
            raise NotFound("name the level of the expectation")
        expectation = track.expectations.get(self.competency, {}).get(self.level)
        if expectation is None:
            raise NotFound(f'"{self.competency}" has no expectation at level {self.level}')
        return expectation


@dataclass(frozen=True, slots=True)
class PromotionAddress:
    family: str
    from_level: str
    to_level: str
    kind: ClassVar[str] = "promotion"

    @property
    def label(self) -> str:
        return f"{self.family}/{self.from_level}->{self.to_level}"

    def readable(self, framework: Framework) -> str:
        return family_name(framework, self.family) + SEPARATOR + f"{self.from_level} → {self.to_level}"

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def path(self, framework: Framework) -> Path:
        family_index, family = find_family(framework, self.family)
        return (
            "families",
            family_index,
            "promotions",
            find_promotion(family, self.from_level, self.to_level)[0],
        )

    def resolve(self, framework: Framework) -> BaseModel:
        return find_promotion(find_family(framework, self.family)[1], self.from_level, self.to_level)[1]


@dataclass(frozen=True, slots=True)
class LateralPathAddress:
    index: int
    kind: ClassVar[str] = "lateral_path"

    @property
    def label(self) -> str:
        return f"lateral_paths[{self.index}]"

    def _find(self, framework: Framework) -> LateralPath:
        if not 0 <= self.index < len(framework.lateral_paths):
            raise NotFound(f"the framework has no lateral path number {self.index + 1}")
        return framework.lateral_paths[self.index]

    def readable(self, framework: Framework) -> str:
        if not 0 <= self.index < len(framework.lateral_paths):
            return f"Lateral path {self.index + 1}"
        return LateralRouteAddress.of(framework.lateral_paths[self.index]).readable(framework)

    def families(self, framework: Framework) -> tuple[str, ...]:
        lateral = self._find(framework)
        return tuple(dict.fromkeys((lateral.source.family, lateral.destination.family)))

    def path(self, framework: Framework) -> Path:
        self._find(framework)
        return ("lateral_paths", self.index)

    def resolve(self, framework: Framework) -> BaseModel:
        return self._find(framework)


@dataclass(frozen=True, slots=True)
class ScalePointAddress:
    """One point of the rating scale, by its value."""

    value: int
    kind: ClassVar[str] = "scale_point"

    @property
    def label(self) -> str:
        return f"scale/{self.value}"

    def readable(self, framework: Framework) -> str:
        return f"Rating scale{SEPARATOR}{self.value}"

    def families(self, framework: Framework) -> tuple[str, ...]:
        return ()

    def _find(self, framework: Framework) -> tuple[int, RatingPoint]:
        return find_first(
            framework.scale.points,
            lambda point: point.value == self.value,
            f"the rating scale has no point {self.value}",
        )

    def path(self, framework: Framework) -> Path:
        return ("scale", "points", self._find(framework)[0])

    def resolve(self, framework: Framework) -> BaseModel:
        return self._find(framework)[1]


@dataclass(frozen=True, slots=True)
class CoreOverrideAddress:
    """A family's own wording of a core competency."""

    family: str
    competency: str
    kind: ClassVar[str] = "core_override"

    @property
    def label(self) -> str:
        return f"{self.family}/core_overrides/{self.competency}"

    def readable(self, framework: Framework) -> str:
        return (
            family_name(framework, self.family)
            + SEPARATOR
            + competency_name(framework, self.family, self.competency)
        )

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def _find(self, framework: Framework) -> CompetencyOverride:
        family = find_family(framework, self.family)[1]
        override = family.core_overrides.get(self.competency)
        if override is None:
            raise NotFound(f'family "{self.family}" has no wording of its own for "{self.competency}"')
        return override

    def path(self, framework: Framework) -> Path:
        self._find(framework)
        return (*FamilyAddress(self.family).path(framework), "core_overrides", self.competency)

    def resolve(self, framework: Framework) -> BaseModel:
        return self._find(framework)


@dataclass(frozen=True, slots=True)
class RequiredCompetencyAddress:
    """A competency that promotion criteria require, with its minimum."""

    family: str
    from_level: str
    to_level: str
    competency: str
    kind: ClassVar[str] = "required_competency"

    @property
    def criteria(self) -> PromotionAddress:
        return PromotionAddress(self.family, self.from_level, self.to_level)

    @property
    def label(self) -> str:
        return f"{self.criteria.label}/{self.competency}"

    def readable(self, framework: Framework) -> str:
        return (
            self.criteria.readable(framework)
            + SEPARATOR
            + competency_name(framework, self.family, self.competency)
        )

    def families(self, framework: Framework) -> tuple[str, ...]:
        return (self.family,)

    def _find(self, framework: Framework) -> tuple[int, RequiredCompetency]:
        criteria = find_promotion(find_family(framework, self.family)[1], self.from_level, self.to_level)[1]
        return find_first(
            criteria.required,
            lambda required: required.competency == self.competency,
            f'the promotion criteria do not require "{self.competency}"',
        )

    def path(self, framework: Framework) -> Path:
        return (*self.criteria.path(framework), "required", self._find(framework)[0])

    def resolve(self, framework: Framework) -> BaseModel:
        return self._find(framework)[1]


@dataclass(frozen=True, slots=True)
class LevelPlace:
    """One end of a lateral path: a level of a family, with its track when the code needs it."""

    family: str
    level: str
    track: str | None = None

    @classmethod
    def of(cls, reference: LevelRef) -> LevelPlace:
        return cls(reference.family, reference.level, reference.track)

    def matches(self, reference: LevelRef) -> bool:
        return (self.family, self.level, self.track) == (reference.family, reference.level, reference.track)

    @property
    def label(self) -> str:
        return "/".join([self.family, *([self.track] if self.track else []), self.level])

    def readable(self, framework: Framework) -> str:
        parts = [family_name(framework, self.family)]
        if self.track:
            parts.append(track_name(framework, self.family, self.track))
        return SEPARATOR.join([*parts, self.level])


@dataclass(frozen=True, slots=True)
class LateralRouteAddress:
    """A lateral path named by its two ends (a comparison matches paths so; an edit names one by
    its position, :class:`LateralPathAddress`)."""

    source: LevelPlace
    destination: LevelPlace
    kind: ClassVar[str] = "lateral_route"

    @classmethod
    def of(cls, path: LateralPath) -> LateralRouteAddress:
        return cls(LevelPlace.of(path.source), LevelPlace.of(path.destination))

    @property
    def label(self) -> str:
        return f"{self.source.label} -> {self.destination.label}"

    def readable(self, framework: Framework) -> str:
        return f"{self.source.readable(framework)} → {self.destination.readable(framework)}"

    def families(self, framework: Framework) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.source.family, self.destination.family)))

    def _find(self, framework: Framework) -> tuple[int, LateralPath]:
        return find_first(
            framework.lateral_paths,
            lambda path: self.source.matches(path.source) and self.destination.matches(path.destination),
            f"the framework has no lateral path {self.label}",
        )

    def path(self, framework: Framework) -> Path:
        return ("lateral_paths", self._find(framework)[0])

    def resolve(self, framework: Framework) -> BaseModel:
        return self._find(framework)[1]


@dataclass(frozen=True, slots=True)
class GapAddress:
    """A competency that a lateral path names as a gap to close."""

    route: LateralRouteAddress
    competency: str
    kind: ClassVar[str] = "gap"

    @property
    def label(self) -> str:
        return f"{self.route.label} gap {self.competency}"

    def readable(self, framework: Framework) -> str:
        name = competency_name(framework, self.route.destination.family, self.competency)
        return self.route.readable(framework) + SEPARATOR + name

    def families(self, framework: Framework) -> tuple[str, ...]:
        return self.route.families(framework)

    def _find(self, framework: Framework) -> tuple[int, Gap]:
        return find_first(
            self.route._find(framework)[1].gaps,
            lambda gap: gap.competency == self.competency,
            f'the lateral path {self.route.label} has no gap "{self.competency}"',
        )

    def path(self, framework: Framework) -> Path:
        return (*self.route.path(framework), "gaps", self._find(framework)[0])

    def resolve(self, framework: Framework) -> BaseModel:
        return self._find(framework)[1]


Address = (
    FrameworkAddress
    | FamilyAddress
    | TrackAddress
    | CrossoverAddress
    | LevelAddress
    | CompetencyAddress
    | ExpectationAddress
    | PromotionAddress
    | LateralPathAddress
)

#: Everything a change between two frameworks can lie in: the editable things, and the parts the
#: editor reaches only through their container (scale points, core wording, required
#: competencies, lateral paths by their ends and their gaps).
AnyAddress = (
    Address
    | ScalePointAddress
    | CoreOverrideAddress
    | RequiredCompetencyAddress
    | LateralRouteAddress
    | GapAddress
)


def address_json(address: AnyAddress) -> dict[str, object]:
    """`address` as JSON: its kind and its fields (lateral path ends as objects)."""
    return {"kind": address.kind, **asdict(address)}


# --- readable names --------------------------------------------------------------------------------


def family_name(framework: Framework, family_id: str) -> str:
    """The family's name, or its id when `framework` has no such family."""
    family = framework.family(family_id)
    return family.name if family is not None else family_id


def track_name(framework: Framework, family_id: str, track_id: str) -> str:
    family = framework.family(family_id)
    track = family.track(track_id) if family is not None else None
    return track.name if track is not None else track_id


def competency_name(framework: Framework, family_id: str | None, competency_id: str) -> str:
    """The name of a competency as `family_id` words it (its own, or its wording of a core one),
    else its core name, else its name in another family, else its id."""
    family = framework.family(family_id) if family_id is not None else None
    if family is not None:
        for competency in family.competencies:
            if competency.id == competency_id:
                return competency.name
        override = family.core_overrides.get(competency_id)
        if override is not None and override.name:
            return override.name
    for competency in framework.core_competencies:
        if competency.id == competency_id:
            return competency.name
    # A lateral path's gap may name a competency of the family it leaves.
    for other in framework.families:
        for competency in other.competencies:
            if competency.id == competency_id:
                return competency.name
    return competency_id


# --- where a finding points --------------------------------------------------------------------


def address_of(framework: Framework, path: Sequence[str | int]) -> tuple[Address, str] | None:
    """The editable thing a diagnostic `path` points into, and the field (or "" for the thing as
    a whole); None for places the editor has no page for (the scale, the format version)."""
    path = tuple(path)
    if not path:
        return None
    head = path[0]
    if head in ("name", "description", "version"):
        return FrameworkAddress(), str(head)
    if head == "core_competencies" and len(path) >= 2 and isinstance(path[1], int):
        if path[1] < len(framework.core_competencies):
            return CompetencyAddress(None, framework.core_competencies[path[1]].id), _field(path, 2)
        return None
    if head == "lateral_paths" and len(path) >= 2 and isinstance(path[1], int):
        if path[1] < len(framework.lateral_paths):
            return LateralPathAddress(path[1]), _field(path, 2)
        return None
    if head == "families" and len(path) >= 2 and isinstance(path[1], int):
        if path[1] >= len(framework.families):
            return None
        return _family_address(framework.families[path[1]], path[2:])
    return None


def _field(path: tuple[str | int, ...], position: int) -> str:
    return str(path[position]) if len(path) > position and isinstance(path[position], str) else ""


def _family_address(family: Family, rest: tuple[str | int, ...]) -> tuple[Address, str]:
    whole: tuple[Address, str] = (FamilyAddress(family.id), "")
    if not rest:
        return whole
    if rest[0] in ("name", "description"):
        return FamilyAddress(family.id), str(rest[0])
    if (
        rest[0] == "competencies"
        and len(rest) >= 2
        and isinstance(rest[1], int)
        and rest[1] < len(family.competencies)
    ):
        return CompetencyAddress(family.id, family.competencies[rest[1]].id), _field(rest, 2)
    if (
        rest[0] == "promotions"
        and len(rest) >= 2
        and isinstance(rest[1], int)
        and rest[1] < len(family.promotions)
    ):
        criteria = family.promotions[rest[1]]
        return PromotionAddress(family.id, criteria.from_level, criteria.to_level), _field(rest, 2)
    if rest[0] == "tracks" and len(rest) >= 2 and isinstance(rest[1], int) and rest[1] < len(family.tracks):
        track = family.tracks[rest[1]]
        inner = rest[2:]
        if not inner:
            return TrackAddress(family.id, track.id), ""
        if inner[0] in ("name", "description", "kind"):
            return TrackAddress(family.id, track.id), str(inner[0])
        if inner[0] == "crossover":
            return CrossoverAddress(family.id, track.id), _field(inner, 1)
        if (
            inner[0] == "levels"
            and len(inner) >= 2
            and isinstance(inner[1], int)
            and inner[1] < len(track.levels)
        ):
            return LevelAddress(family.id, track.id, track.levels[inner[1]].code), _field(inner, 2)
        if inner[0] == "expectations" and len(inner) >= 2:
            competency = str(inner[1])
            level = str(inner[2]) if len(inner) >= 3 else None
            return ExpectationAddress(family.id, track.id, competency, level), _field(inner, 3)
        return TrackAddress(family.id, track.id), ""
    return whole


# --- where a finding is, for people -------------------------------------------------------------


def readable_place(framework: Framework, path: Sequence[str | int]) -> str:
    """Where a diagnostic `path` points, in the framework's own names: "Engineering · IC3 ·
    Communication" (family · level · competency), "Engineering · IC3", "Engineering · Individual
    contributor", "Core competencies · Communication", "Rating scale · 3"; "Framework" for the
    framework as a whole or a path the framework no longer has.

    A level's code is unique in its family, so an expectation and a level are named without their
    track; a competency's whole line on a track (no level) is named with it. (Changes between
    versions keep the full `readable` labels, which also tell the tracks of two versions apart.)
    """
    found = address_of(framework, path)
    if found is None:
        return _unaddressed_place(framework, tuple(path))
    address = found[0]
    match address:
        case ExpectationAddress(family=family, level=str() as level, competency=competency):
            return SEPARATOR.join(
                (family_name(framework, family), level, competency_name(framework, family, competency))
            )
        case LevelAddress(family=family, level=level):
            return family_name(framework, family) + SEPARATOR + level
    return address.readable(framework)


def _unaddressed_place(framework: Framework, path: tuple[str | int, ...]) -> str:
    if path[:1] == ("scale",):
        points = framework.scale.points
        if path[1:2] == ("points",) and len(path) >= 3 and isinstance(path[2], int) and path[2] < len(points):
            return ScalePointAddress(points[path[2]].value).readable(framework)
        return "Rating scale"
    return FrameworkAddress().readable(framework)
