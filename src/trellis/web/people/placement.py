"""Where a person sits in the framework, in words: family, track and level names from the
published framework, looked up by the identifiers stored on the person."""

from __future__ import annotations

from dataclasses import dataclass

from trellis.framework.model import Framework, Level


@dataclass(frozen=True, slots=True)
class Place:
    family_name: str
    track_name: str
    track_kind: str
    level: Level


def place_of(framework: Framework | None, *, family_id: str, track_id: str, level_code: str) -> Place | None:
    """The names of a person's family, track and level, or None when the framework lacks them."""
    if framework is None:
        return None
    family = framework.family(family_id)
    track = family.track(track_id) if family is not None else None
    level = track.level(level_code) if track is not None else None
    if family is None or track is None or level is None:
        return None
    return Place(family_name=family.name, track_name=track.name, track_kind=str(track.kind), level=level)
