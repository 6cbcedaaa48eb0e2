"""Views of a framework that several rules share, computed once per `lint()` call.

Every view skips what it cannot resolve (a competency id that is neither core nor in the family,
an expectation keyed by a level the track does not have): those are reference errors, reported by
TRL1xx, and a lint rule adds nothing by tripping over them again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from trellis.framework.diagnostics import Path
from trellis.framework.model import Expectation, Family, Framework, Level, Track, TrackKind


@dataclass(frozen=True, slots=True)
class TrackView:
    """A track together with its family and its path in the document."""

    family_index: int
    family: Family
    track_index: int
    track: Track

    @property
    def family_path(self) -> Path:
        return ("families", self.family_index)

    @property
    def path(self) -> Path:
        return ("families", self.family_index, "tracks", self.track_index)

    @property
    def assesses_people_on_their_own_work(self) -> bool:
        """IC and named tracks, as opposed to management: the side parity and crossover protect."""
        return self.track.kind is not TrackKind.MANAGEMENT


@dataclass(frozen=True, slots=True)
class Step:
    """One level of a competency line: the level, its position on the track, its expectation."""

    position: int
    level: Level
    expectation: Expectation | None
    path: Path  # the expectation's path, whether or not the file has it


@dataclass(frozen=True, slots=True)
class CompetencyLine:
    """One competency's expectations along one track, in the track's level order."""

    view: TrackView
    competency_id: str
    steps: tuple[Step, ...]

    @property
    def path(self) -> Path:
        return (*self.view.path, "expectations", self.competency_id)

    def present(self) -> list[tuple[Step, Expectation]]:
        """The steps that have an expectation, each with it, in level order."""
        return [(step, step.expectation) for step in self.steps if step.expectation is not None]


@dataclass(slots=True)
class LintContext:
    framework: Framework
    tracks: list[TrackView] = field(default_factory=list)
    lines: list[CompetencyLine] = field(default_factory=list)
    scale_values: frozenset[int] = frozenset()
    #: The views of each family's tracks, by family index (families without tracks are absent).
    tracks_by_family: dict[int, list[TrackView]] = field(default_factory=dict)
    #: The `time.monotonic()` instant lint must stop by (None: no limit); see `out_of_time`.
    deadline: float | None = None

    def out_of_time(self) -> bool:
        """Whether the deadline has passed. `lint` asks between rules; a rule whose cost per item
        is more than a few operations (TRL203) also asks between items, and stops when it is."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    @classmethod
    def build(cls, framework: Framework) -> LintContext:
        """Every view, in one pass over the framework (linear in its size: no rule rescans it)."""
        context = cls(framework, scale_values=frozenset(point.value for point in framework.scale.points))
        core_ids = {competency.id for competency in framework.core_competencies}
        for family_index, family in enumerate(framework.families):
            # Looked up beside the core ids rather than merged with them: a merged copy per family
            # would cost (core competencies × families).
            family_ids = {competency.id for competency in family.competencies}
            for track_index, track in enumerate(family.tracks):
                view = TrackView(family_index, family, track_index, track)
                context.tracks.append(view)
                context.tracks_by_family.setdefault(family_index, []).append(view)
                for competency_id, by_level in track.expectations.items():
                    if competency_id not in core_ids and competency_id not in family_ids:
                        continue
                    base = (*view.path, "expectations", competency_id)
                    steps = tuple(
                        Step(position, level, by_level.get(level.code), (*base, level.code))
                        for position, level in enumerate(track.levels)
                    )
                    context.lines.append(CompetencyLine(view, competency_id, steps))
        return context

    def family_tracks(self, family_index: int) -> list[TrackView]:
        """The views of one family's tracks, in track order (shared: read, never modify)."""
        return self.tracks_by_family.get(family_index, [])
