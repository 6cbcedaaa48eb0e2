"""The starter library: ready-made job families that a company adapts instead of a blank page.

The library is package data. ``core.yaml`` holds the five core competencies and their generic
behaviours by track kind and rung; ``families/<id>.yaml`` holds one job family each, written at its
full ladder; ``lateral.yaml`` holds the lateral paths between families. :func:`starter` assembles a
:class:`~trellis.framework.model.Framework` from them for a chosen set of families and company size,
and :func:`catalogue` lists what is available. Both are pure: no files are written, no Django.

Sizes cut the full ladders down to what a company of that size can use:

- ``startup``: only the family's first non-management track, levels of grade 4 and below
  (IC1-IC4); lateral paths brief.
- ``growth``: every track, levels of grade 6 and below (IC1-IC6, M1-M3); lateral paths brief.
- ``mid-size``: everything (IC1-IC7, M1-M4); lateral paths documented.

A *brief* lateral path names its transferable competencies and gaps; a *documented* one also has a
description and suggested actions.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from trellis.framework import wording
from trellis.framework.model import (
    Competency,
    Expectation,
    Family,
    Framework,
    LateralPath,
    Track,
    TrackKind,
)
from trellis.framework.yaml_io import SafeLoader

__all__ = ["FAMILIES", "SIZES", "TemplateInfo", "catalogue", "starter"]

FAMILIES: tuple[str, ...] = (
    "engineering",
    "product",
    "design",
    "data",
    "marketing",
    "sales",
    "customer-success",
    "people",
    "operations",
)
SIZES: tuple[str, ...] = ("startup", "growth", "mid-size")


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """One family of the starter library, as `trellis templates` lists it."""

    id: str
    name: str
    description: str
    #: The names of the family's tracks at its full ladder, in file order.
    tracks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Sizing:
    only_first_track: bool
    top_grade: int | None
    documented_lateral_paths: bool


_SIZING: dict[str, _Sizing] = {
    "startup": _Sizing(only_first_track=True, top_grade=4, documented_lateral_paths=False),
    "growth": _Sizing(only_first_track=False, top_grade=6, documented_lateral_paths=False),
    "mid-size": _Sizing(only_first_track=False, top_grade=None, documented_lateral_paths=True),
}

# A track with a single level has no progression to describe, so sizing drops it.
_MINIMUM_LEVELS_PER_TRACK = 2


def catalogue() -> list[TemplateInfo]:
    """One entry per family of the library, in the order of :data:`FAMILIES`."""
    entries = []
    for family_id in FAMILIES:
        family = _family(family_id)
        entries.append(
            TemplateInfo(
                id=family.id,
                name=family.name,
                description=family.description,
                tracks=tuple(track.name for track in family.tracks),
            )
        )
    return entries


def starter(families: Sequence[str], size: str, *, name: str | None = None) -> Framework:
    """A framework holding the core competencies and `families` cut to `size`.

    `families` are ids from :data:`FAMILIES`, kept in the order given (repeats ignored); `size` is
    one of :data:`SIZES`. Raises ValueError naming the valid choices when either is unknown or no
    family is given. `name` defaults to "<Family names> career framework".

    Core expectations come from ``core.yaml`` by track kind and rung unless the family file writes
    its own; promotions are kept where both levels survive sizing, lateral paths where both
    families are selected and both levels survive.
    """
    if size not in _SIZING:
        raise ValueError(f'unknown size "{size}" (choose from {", ".join(SIZES)})')
    selected = list(dict.fromkeys(families))
    if not selected:
        raise ValueError(f"choose at least one family (from {', '.join(FAMILIES)})")
    for family_id in selected:
        if family_id not in FAMILIES:
            raise ValueError(f'unknown family "{family_id}" (choose from {", ".join(FAMILIES)})')
    sizing = _SIZING[size]
    sized = [_size_family(_family(family_id), sizing) for family_id in selected]
    names = [family.name for family in sized]
    return Framework(
        name=name or f"{wording.listing(names)} career framework",
        description=(
            f"Started from the Trellis starter library ({size} size). Adapt the levels, behaviours "
            "and promotion criteria to how your company works before publishing it."
        ),
        core_competencies=[competency.model_copy() for competency in _core_competencies()],
        families=sized,
        lateral_paths=_lateral_paths(sized, sizing),
    )


# --- sizing ----------------------------------------------------------------------------------


def _size_family(family: Family, sizing: _Sizing) -> Family:
    tracks = [track for track in family.tracks if track.kind is not TrackKind.MANAGEMENT]
    candidates = tracks[:1] if sizing.only_first_track else family.tracks
    sized_tracks = []
    for track in candidates:
        sized = _size_track(track, sizing.top_grade)
        if len(sized.levels) >= _MINIMUM_LEVELS_PER_TRACK:
            sized_tracks.append(sized)
    sized_tracks = [_drop_broken_crossover(track, sized_tracks) for track in sized_tracks]
    kept_tracks = {track.id for track in sized_tracks}
    kept_codes = {level.code for track in sized_tracks for level in track.levels}
    competencies = []
    for competency in family.competencies:
        limited_to = [track_id for track_id in competency.tracks if track_id in kept_tracks]
        if competency.tracks and not limited_to:
            continue  # every track that used it was cut
        competencies.append(competency.model_copy(update={"tracks": limited_to}))
    return family.model_copy(
        update={
            "competencies": competencies,
            "core_overrides": {key: value.model_copy() for key, value in family.core_overrides.items()},
            "tracks": [_with_core_expectations(track) for track in sized_tracks],
            "promotions": [
                criteria.model_copy(deep=True)
                for criteria in family.promotions
                if criteria.from_level in kept_codes and criteria.to_level in kept_codes
            ],
        }
    )


def _size_track(track: Track, top_grade: int | None) -> Track:
    levels = [
        level for level in track.levels if top_grade is None or (track.grade_of(level.code) or 0) <= top_grade
    ]
    codes = {level.code for level in levels}
    expectations = {
        competency: {code: expectation for code, expectation in by_level.items() if code in codes}
        for competency, by_level in track.expectations.items()
    }
    return track.model_copy(
        update={
            "levels": [level.model_copy(deep=True) for level in levels],
            "expectations": expectations,
            "crossover": track.crossover.model_copy(deep=True) if track.crossover else None,
        }
    )


def _drop_broken_crossover(track: Track, tracks: Sequence[Track]) -> Track:
    """`track` without its crossover when sizing cut either end of it."""
    if track.crossover is None:
        return track
    others = {level.code for other in tracks if other.id != track.id for level in other.levels}
    if track.crossover.from_level in others and track.level(track.crossover.to_level) is not None:
        return track
    return track.model_copy(update={"crossover": None})


def _with_core_expectations(track: Track) -> Track:
    """`track` with every core competency expected at every level: the family's own wording where
    it has one, the library's generic behaviour for the track kind and rung otherwise.

    Core competencies come first, in ``core.yaml`` order, then the family's functional ones.
    """
    kind = "management" if track.kind is TrackKind.MANAGEMENT else "ic"
    generic = _core_behaviours()[kind]
    expectations: dict[str, dict[str, Expectation]] = {}
    for competency in _core_competencies():
        own = track.expectations.get(competency.id, {})
        by_level: dict[str, Expectation] = {}
        for level in track.levels:
            if level.code in own:
                by_level[level.code] = own[level.code].model_copy()
                continue
            rung = track.grade_of(level.code)
            expectation = generic.get(competency.id, {}).get(rung) if rung is not None else None
            if expectation is None:
                raise LookupError(
                    f"core.yaml has no {kind} behaviour for {competency.id} at rung {rung} "
                    f"(track {track.id}, level {level.code})"
                )
            by_level[level.code] = expectation.model_copy()
        expectations[competency.id] = by_level
    for competency_id, by_level in track.expectations.items():
        if competency_id not in expectations:
            expectations[competency_id] = {code: value.model_copy() for code, value in by_level.items()}
    return track.model_copy(update={"expectations": expectations})


def _lateral_paths(families: Sequence[Family], sizing: _Sizing) -> list[LateralPath]:
    codes = {
        family.id: {level.code for track in family.tracks for level in track.levels} for family in families
    }
    kept = []
    for path in _library_lateral_paths():
        ends = (path.source, path.destination)
        if not all(end.family in codes and end.level in codes[end.family] for end in ends):
            continue
        if sizing.documented_lateral_paths:
            kept.append(path.model_copy(deep=True))
        else:
            kept.append(path.model_copy(deep=True, update={"description": "", "actions": []}))
    return kept


# --- loading (cached: the library never changes while the process runs) ----------------------


def _read(relative_path: str) -> Any:
    resource = resources.files(__package__).joinpath(*relative_path.split("/"))
    text = resource.read_text(encoding="utf-8")
    return yaml.load(text, Loader=SafeLoader)


@functools.cache
def _core_competencies() -> tuple[Competency, ...]:
    data = _read("core.yaml")
    return tuple(Competency.model_validate(item) for item in data["competencies"])


@functools.cache
def _core_behaviours() -> dict[str, dict[str, dict[int, Expectation]]]:
    """Track kind ("ic" or "management") → core competency id → rung → expectation."""
    data = _read("core.yaml")
    return {
        kind: {
            competency: {int(rung): Expectation.model_validate(value) for rung, value in rungs.items()}
            for competency, rungs in by_competency.items()
        }
        for kind, by_competency in data["behaviours"].items()
    }


@functools.cache
def _family(family_id: str) -> Family:
    return Family.model_validate(_read(f"families/{family_id}.yaml"))


@functools.cache
def _library_lateral_paths() -> tuple[LateralPath, ...]:
    data = _read("lateral.yaml")
    return tuple(LateralPath.model_validate(item) for item in data["lateral_paths"])
