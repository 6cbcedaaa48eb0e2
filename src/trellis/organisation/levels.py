"""A person's place in the framework: checking one, and finding one from an export's words. Pure.

`level_problems` says what is wrong with a family, track and level the framework does not have
(the people services refuse such a place); `place` resolves the family, track and level an HRIS
export names, ignoring case and accepting names for ids, with the closest known value when a
word is mistyped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from trellis.framework.model import Family, Framework, Track


def level_problems(
    framework: Framework | None, *, family_id: str, track_id: str, level_code: str
) -> dict[str, str]:
    """Field name → message for a place that `framework` does not have; empty when it has it.

    Without a published framework there is nothing to check against and every place is accepted.
    """
    if framework is None:
        return {}
    family = framework.family(family_id)
    if family is None:
        known = ", ".join(f.id for f in framework.families)
        return {"family_id": f'"{family_id}" is not a job family of the framework (families: {known})'}
    track = family.track(track_id)
    if track is None:
        known = ", ".join(t.id for t in family.tracks)
        return {"track_id": f'"{track_id}" is not a track of {family.name} (tracks: {known})'}
    if track.level(level_code) is None:
        known = ", ".join(level.code for level in track.levels)
        return {
            "level_code": f'"{level_code}" is not a level of {family.name} {track.name} (levels: {known})'
        }
    return {}


def place(
    final: dict[str, Any],
    raw: Mapping[str, str],
    framework: Framework,
    fail: Callable[[str, str], None],
    *,
    has_person: bool,
) -> None:
    """Resolve family, track and level against `framework` into `final`, or report the problem.

    Ids and names are matched ignoring case (an export says "Engineering" where the framework's id
    is "engineering"). A missing track is the one track of the family with the level; a mistyped
    value is reported with the closest one the framework has.
    """
    family_text = raw.get("family_id") or final.get("family_id", "")
    family = _find(framework.families, family_text)
    if family is None:
        known = [f.id for f in framework.families]
        fail(
            "family_id" if raw.get("family_id") else "level_code",
            f'"{family_text}" is not a job family of the published framework'
            + _suggest(
                family_text,
                {**{f.id: f.id for f in framework.families}, **{f.name: f.id for f in framework.families}},
                known,
            ),
        )
        return
    level_text = raw.get("level_code") or final.get("level_code", "")
    track_text = raw.get("track_id", "")
    track: Track | None
    if track_text:
        track = _find(family.tracks, track_text)
        if track is None:
            fail(
                "track_id",
                f'"{track_text}" is not a track of {family.name}'
                + _suggest(
                    track_text,
                    {**{t.id: t.id for t in family.tracks}, **{t.name: t.id for t in family.tracks}},
                    [t.id for t in family.tracks],
                ),
            )
            return
    else:
        track = _track_of_level(family, level_text, current=final.get("track_id") if has_person else None)
        if track is None:
            holders = [t.id for t in family.tracks if _level_code(t, level_text) is not None]
            if len(holders) > 1:
                fail(
                    "track_id" if "track_id" in raw else "level_code",
                    f"level {level_text} is on several tracks of {family.name} ({', '.join(holders)}); "
                    "give the track in a Track column",
                )
                return
    if track is None:
        codes = [level.code for t in family.tracks for level in t.levels]
        fail(
            "level_code",
            f'"{level_text}" is not a level of {family.name} (levels: {", ".join(dict.fromkeys(codes))})'
            + _suggest_level(level_text, list(dict.fromkeys(codes))),
        )
        return
    code = _level_code(track, level_text)
    if code is None:
        codes = [level.code for level in track.levels]
        elsewhere = [t for t in family.tracks if t is not track and _level_code(t, level_text) is not None]
        hint = (
            f"; it is a level of the {elsewhere[0].name} track ({elsewhere[0].id})"
            if elsewhere
            else _suggest_level(level_text, codes)
        )
        fail(
            "level_code",
            f'"{level_text}" is not a level of {family.name} · {track.name} (levels: {", ".join(codes)}){hint}',
        )
        return
    final["family_id"], final["track_id"], final["level_code"] = family.id, track.id, code


def _find(items: Sequence[Any], text: str) -> Any:
    for item in items:
        if item.id == text:
            return item
    folded = text.casefold()
    for item in items:
        if item.id.casefold() == folded or item.name.casefold() == folded:
            return item
    return None


def _level_code(track: Track, text: str) -> str | None:
    folded = text.casefold()
    for level in track.levels:
        if level.code == text or level.code.casefold() == folded:
            return level.code
    return None


def _track_of_level(family: Family, level_text: str, *, current: str | None) -> Track | None:
    """The track holding `level_text`: the person's current track if it does, else the only one."""
    if current is not None:
        track = family.track(current)
        if track is not None and _level_code(track, level_text) is not None:
            return track
    holders = [t for t in family.tracks if _level_code(t, level_text) is not None]
    return holders[0] if len(holders) == 1 else None


def _suggest(text: str, names_to_ids: Mapping[str, str], known: Sequence[str]) -> str:
    folded = {name.casefold(): identifier for name, identifier in names_to_ids.items()}
    close = difflib.get_close_matches(text.casefold(), list(folded), n=1, cutoff=0.6)
    if close:
        return f'; did you mean "{folded[close[0]]}"?'
    return f" (known: {', '.join(known)})"


def _suggest_level(text: str, codes: Sequence[str]) -> str:
    """The closest level code: the same prefix with the nearest number, else the closest spelling."""
    parsed = re.match(r"^([A-Za-z]+)(\d+)$", text)
    if parsed is not None:
        prefix, number = parsed.group(1).casefold(), int(parsed.group(2))
        same_prefix = []
        for code in codes:
            other = re.match(r"^([A-Za-z]+)(\d+)$", code)
            if other is not None and other.group(1).casefold() == prefix:
                same_prefix.append((abs(int(other.group(2)) - number), code))
        if same_prefix:
            return f'; did you mean "{min(same_prefix)[1]}"?'
    close = difflib.get_close_matches(text, list(codes), n=1, cutoff=0.5)
    return f'; did you mean "{close[0]}"?' if close else ""
