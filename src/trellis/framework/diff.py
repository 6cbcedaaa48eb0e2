"""What changed between two versions of a framework, and whether it changes anything but words.

A *structural* change alters what people are assessed against or how they progress: families,
tracks, levels or competencies added, removed or moved; expected proficiency; grades, bands and
minimum time in level; the values of the rating scale; promotion thresholds and required
competencies; crossovers and track kinds; lateral path endpoints, transferable competencies and
gaps. A *wording* change alters only how something is said: names, titles and their variants,
descriptions, summaries, behaviours, scale labels and anchors, evidence and outcome wording, entry
criteria and lateral path actions. Publishing a version with structural changes may change someone's
readiness; a wording-only version cannot. Which is which is decided in one place,
:mod:`trellis.framework.classification`, which the editor's permissions read too.

Things are matched by id or level code, never by position: families and core competencies by id,
tracks by id within their family, levels by code within their family (codes are unique there), so
a level that changes track or relative position is *moved*, not removed and added; a competency
that leaves one family (or the core list) for another is moved too. Promotion criteria are matched
by their level transition, lateral paths by their endpoints, scale points by value. The order of
families, tracks and competencies is presentation and is not reported. The order of levels is
seniority and is reported, but only for levels whose order relative to the others changed, so
inserting a level does not report every level after it as moved.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

from trellis.framework import wording
from trellis.framework.addresses import (
    SEPARATOR,
    AnyAddress,
    CompetencyAddress,
    CoreOverrideAddress,
    CrossoverAddress,
    ExpectationAddress,
    FamilyAddress,
    FrameworkAddress,
    GapAddress,
    LateralRouteAddress,
    LevelAddress,
    PromotionAddress,
    RequiredCompetencyAddress,
    ScalePointAddress,
    TrackAddress,
    address_json,
)
from trellis.framework.classification import FIELDS, STRUCTURAL, THINGS, WORDING, field_kind
from trellis.framework.model import (
    CompensationBand,
    Competency,
    CompetencyOverride,
    Crossover,
    Family,
    Framework,
    LateralPath,
    Level,
    PromotionCriteria,
    RatingPoint,
    RequiredCompetency,
    TimeAtLevel,
    Track,
)

# The two kinds are the classification's; they are offered here too, beside the changes they sort.
__all__ = [
    "ADDED",
    "CHANGED",
    "MOVED",
    "REMOVED",
    "REWORDED",
    "STRUCTURAL",
    "VALUE_LIMIT",
    "WORDING",
    "Change",
    "FrameworkDiff",
    "diff",
    "shorten",
]

ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
CHANGED = "changed"
REWORDED = "reworded"

#: Values longer than this are shortened in the one-line text of a change (the change itself keeps
#: them whole).
VALUE_LIMIT = 120

Key = TypeVar("Key")
Item = TypeVar("Item")
Place = TypeVar("Place", bound="AnyAddress")

_MARKERS = {ADDED: "+", REMOVED: "-", MOVED: ">", CHANGED: "~", REWORDED: "~"}


def shorten(text: str | None, limit: int = VALUE_LIMIT) -> str | None:
    """`text` cut to at most `limit` characters, ending in "…" when it was cut."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two frameworks.

    `address` is the thing that changed: the thing added or removed (an address into the old
    framework for a removal), the thing moved (at its new place), or the thing whose `field`
    changed. `label` reads it for people, with the names of the framework it is in:
    ``Engineering · Individual contributor · IC3 · Communication``. For a changed or reworded
    field, `old` and `new` are the whole values as text (None when absent); for a move they are the
    old and new places; an added or removed crossover gives its levels; otherwise they are None.
    Only :meth:`describe` shortens values.
    """

    kind: str
    action: str
    subject: str
    address: AnyAddress
    label: str
    old: str | None = None
    new: str | None = None
    field: str = ""

    @property
    def is_structural(self) -> bool:
        return self.kind == STRUCTURAL

    @property
    def text(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The change as one line of the text report (long values shortened)."""
        marker = _MARKERS[self.action]
        if self.action in (ADDED, REMOVED):
            value = self.new if self.action == ADDED else self.old
            return f"{marker} {self.subject} {self.label} {self.action}" + (f" ({value})" if value else "")
        if self.action == MOVED:
            return f"{marker} {self.subject} {self.label} moved from {self.old} to {self.new}"
        if self.action == CHANGED:
            before, after = shorten(self.old) or "none", shorten(self.new) or "none"
            return f"{marker} {self.label} {self.field} changed: {before} -> {after}"
        return f"{marker} {self.label} {self.field} reworded"

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "action": self.action,
            "subject": self.subject,
            "address": address_json(self.address),
            "label": self.label,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "text": self.describe(),
        }


@dataclass(frozen=True, slots=True)
class FrameworkDiff:
    """Every change from one framework to another, in document order."""

    changes: list[Change] = field(default_factory=list)

    @property
    def structural(self) -> list[Change]:
        return [change for change in self.changes if change.kind == STRUCTURAL]

    @property
    def wording(self) -> list[Change]:
        return [change for change in self.changes if change.kind == WORDING]

    @property
    def is_structural(self) -> bool:
        """Whether any change can alter an assessment or a path (see the module docstring)."""
        return any(change.kind == STRUCTURAL for change in self.changes)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def format_text(self) -> str:
        """A report for people: structural changes, then wording changes, then a summary line;
        "No changes." when there are none. Ends with a newline."""
        if self.is_empty:
            return "No changes.\n"
        lines: list[str] = []
        for title, changes in (("Structural changes", self.structural), ("Wording changes", self.wording)):
            if changes:
                lines.append(title)
                lines.extend(change.describe() for change in changes)
                lines.append("")
        lines.append(f"{len(self.structural)} structural, {len(self.wording)} wording changes")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "is_structural": self.is_structural,
            "summary": {"structural": len(self.structural), "wording": len(self.wording)},
            "changes": [change.to_json() for change in self.changes],
        }


def diff(old: Framework, new: Framework) -> FrameworkDiff:
    """The changes that turn `old` into `new`, classified as structural or wording."""
    collector = _Collector(old, new)
    collector.fields("framework", FrameworkAddress(), old, new)
    collector.scale(old.scale.points, new.scale.points)
    collector.competency_homes()
    old_families = {family.id: family for family in old.families}
    new_families = {family.id: family for family in new.families}
    for family in old.families:
        if family.id not in new_families:
            collector.add(STRUCTURAL, REMOVED, "family", FamilyAddress(family.id))
    for family in new.families:
        if family.id not in old_families:
            collector.add(STRUCTURAL, ADDED, "family", FamilyAddress(family.id))
        else:
            collector.family(old_families[family.id], family)
    collector.lateral_paths(old.lateral_paths, new.lateral_paths)
    return FrameworkDiff(collector.changes)


# --- the comparison ------------------------------------------------------------------------------


def _text(value: Any, field_name: str = "") -> str | None:
    """A value as text for a change, whole, in the words of `trellis.framework.wording`: None when
    absent or empty."""
    if value is None:
        return None
    if field_name in _DURATION_FIELDS:
        return wording.months(value)
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, Enum):
        text = str(value.value)
    elif isinstance(value, float):
        text = wording.number(value)
    elif isinstance(value, list):
        if not value:
            return None
        text = "; ".join(_text(item) or "" for item in value)
    elif isinstance(value, CompensationBand):
        text = wording.band(value)
    elif isinstance(value, TimeAtLevel):
        text = wording.time_at_level(value)
    elif isinstance(value, RequiredCompetency):
        text = f"{value.competency} ≥ {wording.number(value.minimum)}"
    elif isinstance(value, BaseModel):
        data = value.model_dump(mode="json")
        text = ", ".join(f"{key} {item}" for key, item in data.items() if item not in (None, "", [], {}))
    else:
        text = str(value)
    text = " ".join(text.split())
    return text or None


#: Whole-number fields that count months, worded as a duration ("1 year, 6 months").
_DURATION_FIELDS = frozenset({"min_months_in_level"})


def _label(name: str) -> str:
    return name.replace("_", " ")


def _transition(criteria: PromotionCriteria) -> tuple[str, str]:
    return criteria.from_level, criteria.to_level


def _stable_subsequence(old_order: Sequence[str], new_order: Sequence[str]) -> set[str]:
    """The codes of a longest common subsequence of two orderings of the same codes: the levels
    that kept their relative order (the others moved)."""
    lengths = [[0] * (len(new_order) + 1) for _ in range(len(old_order) + 1)]
    for i in range(len(old_order) - 1, -1, -1):
        for j in range(len(new_order) - 1, -1, -1):
            if old_order[i] == new_order[j]:
                lengths[i][j] = lengths[i + 1][j + 1] + 1
            else:
                lengths[i][j] = max(lengths[i + 1][j], lengths[i][j + 1])
    kept: set[str] = set()
    i = j = 0
    while i < len(old_order) and j < len(new_order):
        if old_order[i] == new_order[j]:
            kept.add(old_order[i])
            i += 1
            j += 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


@dataclass(slots=True)
class _Placed:
    """A level with its track and 1-based position, for matching levels across tracks by code."""

    track: Track
    position: int
    level: Level


def _levels_by_code(family: Family) -> dict[str, _Placed]:
    placed: dict[str, _Placed] = {}
    for track in family.tracks:
        for position, level in enumerate(track.levels, start=1):
            # An invalid file may repeat a code; its first level is the one references resolve to.
            placed.setdefault(level.code, _Placed(track, position, level))
    return placed


#: Where a competency is defined: None for the core list, else the family id.
_Home = str | None


class _Collector:
    def __init__(self, old: Framework, new: Framework) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        #: Competencies that moved home, by id, so that their new home does not report them added.
        self.moved_competencies: dict[str, tuple[_Home, _Home]] = {}

    def add(
        self,
        kind: str,
        action: str,
        subject: str,
        address: AnyAddress,
        *,
        old: str | None = None,
        new: str | None = None,
        field: str = "",
    ) -> None:
        """Record a change; its label takes its names from the framework the thing is in (the old
        one for a removal)."""
        framework = self.old if action == REMOVED else self.new
        label = address.readable(framework)
        self.changes.append(Change(kind, action, subject, address, label, old, new, field))

    def fields(
        self,
        subject: str,
        address: AnyAddress,
        old: BaseModel,
        new: BaseModel,
        *,
        besides: Container[str] = (),
    ) -> None:
        """A change for every field of `address`'s kind (see `classification.FIELDS`), except those
        `besides` (compared item by item by the caller), whose value differs between `old` and
        `new`: the structural ones first, then the wording."""
        classified = FIELDS[address.kind]
        for kind in (STRUCTURAL, WORDING):
            for name, field_class in classified.items():
                if field_class != kind or name in besides:
                    continue
                before, after = getattr(old, name), getattr(new, name)
                if before == after:
                    continue
                self.add(
                    kind,
                    CHANGED if kind == STRUCTURAL else REWORDED,
                    subject,
                    address,
                    old=_text(before, name),
                    new=_text(after, name),
                    field=_label(name),
                )

    def thing(
        self,
        action: str,
        subject: str,
        address: AnyAddress,
        *,
        old: str | None = None,
        new: str | None = None,
    ) -> None:
        """Record a thing added or removed, classified by `classification.THINGS`."""
        self.add(THINGS[address.kind], action, subject, address, old=old, new=new)

    def matched(
        self,
        subject: str,
        old: Mapping[Key, Item],
        new: Mapping[Key, Item],
        address: Callable[[Key], Place],
        *,
        reported_elsewhere: Container[Key] = (),
    ) -> Iterator[tuple[Place, Item, Item]]:
        """Match `old` and `new` things by key: report each `subject` only in `old` as removed,
        then, in the order of `new`, each only there as added and yield the address and both
        versions of each in both, for the caller to compare. Keys `reported_elsewhere` (moves) are
        neither removed nor added. Consume it whole: the additions are reported as it goes."""
        for key in old:
            if key not in new and key not in reported_elsewhere:
                self.thing(REMOVED, subject, address(key))
        for key, after in new.items():
            if key in old:
                yield address(key), old[key], after
            elif key not in reported_elsewhere:
                self.thing(ADDED, subject, address(key))

    # The framework as a whole.

    def scale(self, old: list[RatingPoint], new: list[RatingPoint]) -> None:
        for address, before, after in self.matched(
            "scale point",
            {point.value: point for point in old},
            {point.value: point for point in new},
            ScalePointAddress,
        ):
            self.fields("scale point", address, before, after)

    def competency_homes(self) -> None:
        """Core competencies added, removed, moved or changed; moves of functional ones between
        families (their other changes are found with their family)."""
        old_homes = _competency_homes(self.old)
        new_homes = _competency_homes(self.new)
        for competency_id in {**old_homes, **new_homes}:
            before = set(old_homes.get(competency_id, {}))
            after = set(new_homes.get(competency_id, {}))
            gone, came = before - after, after - before
            if len(gone) == 1 and len(came) == 1:
                source, destination = gone.pop(), came.pop()
                self.moved_competencies[competency_id] = (source, destination)
                address = CompetencyAddress(destination, competency_id)
                self.add(
                    STRUCTURAL,
                    MOVED,
                    "competency",
                    address,
                    old=self._home_name(self.old, source),
                    new=self._home_name(self.new, destination),
                )
                self.competency_fields(
                    old_homes[competency_id][source], new_homes[competency_id][destination], address
                )
        for core_address, old_competency, new_competency in self.matched(
            "competency",
            {c.id: c for c in self.old.core_competencies},
            {c.id: c for c in self.new.core_competencies},
            partial(CompetencyAddress, None),
            reported_elsewhere=self.moved_competencies,
        ):
            self.competency_fields(old_competency, new_competency, core_address)

    @staticmethod
    def _home_name(framework: Framework, home: _Home) -> str:
        return "Core competencies" if home is None else FamilyAddress(home).readable(framework)

    def competency_fields(self, old: Competency, new: Competency, address: CompetencyAddress) -> None:
        self.fields(
            "competency",
            address,
            old,
            new,
        )

    # One family.

    def family(self, old: Family, new: Family) -> None:
        self.fields("family", FamilyAddress(new.id), old, new)
        old_competencies = {c.id: c for c in old.competencies}
        new_competencies = {c.id: c for c in new.competencies}
        for competency_id in old_competencies:
            if (
                competency_id not in new_competencies
                and self.moved_competencies.get(competency_id, ("",))[0] != old.id
            ):
                self.thing(REMOVED, "competency", CompetencyAddress(old.id, competency_id))
        for competency_id, competency in new_competencies.items():
            address = CompetencyAddress(new.id, competency_id)
            if competency_id in old_competencies:
                self.competency_fields(old_competencies[competency_id], competency, address)
            elif self.moved_competencies.get(competency_id, ("", ""))[1] != new.id:
                self.thing(ADDED, "competency", address)
        self.core_overrides(new.id, old.core_overrides, new.core_overrides)
        self.tracks(old, new)
        self.promotions(new.id, old.promotions, new.promotions)

    def core_overrides(
        self, family_id: str, old: dict[str, CompetencyOverride], new: dict[str, CompetencyOverride]
    ) -> None:
        for address, before, after in self.matched(
            "core override",
            old,
            new,
            partial(CoreOverrideAddress, family_id),
        ):
            self.fields("core override", address, before, after)

    def tracks(self, old: Family, new: Family) -> None:
        family_id = new.id
        old_tracks = {track.id: track for track in old.tracks}
        new_tracks = {track.id: track for track in new.tracks}
        for address, before, track in self.matched(
            "track", old_tracks, new_tracks, partial(TrackAddress, family_id)
        ):
            track_id = track.id
            self.fields("track", address, before, track)
            self.crossover(CrossoverAddress(family_id, track_id), before.crossover, track.crossover)
            # A competency's whole line on the track: only its presence is compared here.
            for _ in self.matched(
                "competency",
                before.expectations,
                track.expectations,
                partial(ExpectationAddress, family_id, track_id, level=None),
            ):
                pass
        self.levels(family_id, old, new, old_tracks, new_tracks)

    def crossover(self, address: CrossoverAddress, old: Crossover | None, new: Crossover | None) -> None:
        if old is None and new is None:
            return
        if old is None:
            assert new is not None
            self.thing(ADDED, "crossover", address, new=f"{new.from_level} → {new.to_level}")
            return
        if new is None:
            self.thing(REMOVED, "crossover", address, old=f"{old.from_level} → {old.to_level}")
            return
        self.fields(
            "crossover",
            address,
            old,
            new,
        )

    def _place(self, framework: Framework, family_id: str, track_id: str, position: int) -> str:
        return f"{TrackAddress(family_id, track_id).readable(framework)}{SEPARATOR}position {position}"

    def levels(
        self,
        family_id: str,
        old: Family,
        new: Family,
        old_tracks: dict[str, Track],
        new_tracks: dict[str, Track],
    ) -> None:
        old_levels = _levels_by_code(old)
        new_levels = _levels_by_code(new)
        for code, placed in old_levels.items():
            # Levels of a removed track go with it; reporting each would only repeat that.
            if code not in new_levels and placed.track.id in new_tracks:
                self.thing(REMOVED, "level", LevelAddress(family_id, placed.track.id, code))

        def moved(track: Track, position: int, level: Level, previous: _Placed) -> None:
            self.add(
                STRUCTURAL,
                MOVED,
                "level",
                LevelAddress(family_id, track.id, level.code),
                old=self._place(self.old, family_id, previous.track.id, previous.position),
                new=self._place(self.new, family_id, track.id, position),
            )

        for track in new.tracks:
            before = old_tracks.get(track.id)
            if before is None:
                continue
            # Levels on this track before and after; those outside a longest run in the same order moved.
            common_before = [
                lv.code
                for lv in before.levels
                if lv.code in new_levels and new_levels[lv.code].track.id == track.id
            ]
            common_after = [
                lv.code
                for lv in track.levels
                if lv.code in old_levels and old_levels[lv.code].track.id == track.id
            ]
            kept = _stable_subsequence(common_before, common_after)
            for position, level in enumerate(track.levels, start=1):
                previous = old_levels.get(level.code)
                if previous is None:
                    self.thing(ADDED, "level", LevelAddress(family_id, track.id, level.code))
                    continue
                if previous.track.id != track.id or level.code not in kept:
                    moved(track, position, level, previous)
        for track in new.tracks:
            if track.id not in old_tracks:
                # A new track's levels are new, except those that moved here from another track.
                for position, level in enumerate(track.levels, start=1):
                    previous = old_levels.get(level.code)
                    if previous is not None:
                        moved(track, position, level, previous)
        for code, placed in new_levels.items():
            previous = old_levels.get(code)
            if previous is None:
                continue
            self.fields(
                "level",
                LevelAddress(family_id, placed.track.id, code),
                previous.level,
                placed.level,
            )
        self.expectations(family_id, old_levels, new_levels)

    def expectations(
        self, family_id: str, old_levels: dict[str, _Placed], new_levels: dict[str, _Placed]
    ) -> None:
        """Expectations compared by level code and competency, wherever the level now sits."""
        for code, placed in new_levels.items():
            previous = old_levels.get(code)
            if previous is None:
                continue  # a new level: its expectations come with it
            before = {
                cid: by_level[code]
                for cid, by_level in previous.track.expectations.items()
                if code in by_level
            }
            after = {
                cid: by_level[code] for cid, by_level in placed.track.expectations.items() if code in by_level
            }
            track_id = placed.track.id
            for competency_id in before:
                # A competency dropped from the whole track is reported once, for the track.
                if competency_id not in after and (
                    competency_id in placed.track.expectations or previous.track.id != track_id
                ):
                    # Named where it was: it no longer exists at the level's new place.
                    address = ExpectationAddress(family_id, previous.track.id, competency_id, code)
                    self.thing(REMOVED, "expectation", address)
            for competency_id, expectation in after.items():
                address = ExpectationAddress(family_id, track_id, competency_id, code)
                old_expectation = before.get(competency_id)
                if old_expectation is None:
                    if competency_id in previous.track.expectations or previous.track.id != track_id:
                        self.thing(ADDED, "expectation", address)
                    continue
                self.fields(
                    "expectation",
                    address,
                    old_expectation,
                    expectation,
                )

    def promotions(self, family_id: str, old: list[PromotionCriteria], new: list[PromotionCriteria]) -> None:
        for address, before, criteria in self.matched(
            "promotion criteria",
            {_transition(c): c for c in old},
            {_transition(c): c for c in new},
            lambda transition: PromotionAddress(family_id, *transition),
        ):
            self.fields("promotion criteria", address, before, criteria, besides=("required",))
            transition = _transition(criteria)
            for required_address, old_required, new_required in self.matched(
                "required competency",
                {r.competency: r for r in before.required},
                {r.competency: r for r in criteria.required},
                partial(RequiredCompetencyAddress, family_id, *transition),
            ):
                self.fields(
                    "required competency",
                    required_address,
                    old_required,
                    new_required,
                )

    def lateral_paths(self, old: list[LateralPath], new: list[LateralPath]) -> None:
        for route, before, path in self.matched(
            "lateral path",
            {LateralRouteAddress.of(p): p for p in old},
            {LateralRouteAddress.of(p): p for p in new},
            lambda route: route,
        ):
            self.fields("lateral path", route, before, path, besides=("transferable", "gaps"))
            if sorted(before.transferable) != sorted(path.transferable):
                self.add(
                    field_kind(route.kind, "transferable"),
                    CHANGED,
                    "lateral path",
                    route,
                    old=_text(sorted(before.transferable)),
                    new=_text(sorted(path.transferable)),
                    field="transferable",
                )
            for gap_address, old_gap, new_gap in self.matched(
                "gap",
                {gap.competency: gap for gap in before.gaps},
                {gap.competency: gap for gap in path.gaps},
                partial(GapAddress, route),
            ):
                self.fields("gap", gap_address, old_gap, new_gap)


def _competency_homes(framework: Framework) -> dict[str, dict[_Home, Competency]]:
    homes: dict[str, dict[_Home, Competency]] = {}
    for competency in framework.core_competencies:
        homes.setdefault(competency.id, {})[None] = competency
    for family in framework.families:
        for competency in family.competencies:
            homes.setdefault(competency.id, {}).setdefault(family.id, competency)
    return homes
