"""Where a person sits in the framework, in words: family, track and level names from the
published framework, looked up by the identifiers stored on the person."""

from __future__ import annotations

import datetime
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


def describe_duration(since: datetime.date, today: datetime.date) -> str:
    """A span of time as people say it: "2 years, 3 months", "5 months", "3 weeks", "today".

    Months are calendar months: from 31 January to 28 February is not yet a month.
    """
    if since >= today:
        return "today" if since == today else "not yet"
    months = (today.year - since.year) * 12 + (today.month - since.month)
    if today.day < since.day:
        months -= 1
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' * (years != 1)}")
    if months:
        parts.append(f"{months} month{'s' * (months != 1)}")
    if parts:
        return ", ".join(parts)
    days = (today - since).days
    weeks = days // 7
    if weeks:
        return f"{weeks} week{'s' * (weeks != 1)}"
    return f"{days} day{'s' * (days != 1)}"
