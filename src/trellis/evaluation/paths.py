"""Career paths: every move the framework allows from a position, and lateral moves derived from
competency overlap where the framework names none. Pure Python (no Django).

From a position (family, track, level), :func:`career_moves` lists, in this order:

1. **up** — the next level of the track;
2. **crossover** — onto another track of the family at its crossover, when the position is the
   level the crossover leaves from;
3. **way back** — along a two-way crossover that arrives on this track, to the level of the same
   grade on the track it left (as :func:`trellis.framework.browse.transition_to_next` says);
4. **lateral** — the framework's lateral paths that start at this level (or on this track with no
   level named);
5. **derived** — every level of another family's tracks of the same kind (individual contributor
   or management), at the position's grade or one below, that no explicit path leads to and whose
   expectations overlap the position's (a move onto another kind of track is a crossover, which the
   framework names within a family): a competency
   *transfers* when the position expects it at or above the destination's proficiency. Offered when
   at least :data:`MIN_DERIVED_FIT` of the destination's competencies transfer, best fit first
   (then the higher grade, then the framework's order).

Each move carries the destination's expectations against a figure per competency
(:class:`~trellis.evaluation.gaps.GapReport`). Without a person (the framework's view), the figure
is what the position itself expects — so "transfers" means the level prepares for it; with a person's
demonstrated proficiency (:func:`trellis.evaluation.gaps.demonstrated_proficiency`), the figure is
theirs, and the explanation is personal: "7 of 9 competencies transfer; gaps: Pipeline management −2,
Forecasting −1".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from trellis.evaluation.gaps import Demonstrated, GapReport, GapStatus, level_expectations, skill_gaps
from trellis.evaluation.readiness import RatingSource
from trellis.framework import wording
from trellis.framework.browse import transition_to_next
from trellis.framework.model import Family, Framework, Level, Track
from trellis.framework.shaping import resolve

__all__ = ["MIN_DERIVED_FIT", "Move", "MoveKind", "career_moves"]

#: A derived lateral move is offered when at least this share of the destination's competencies
#: transfer.
MIN_DERIVED_FIT = 0.5
#: What a figure taken from the position's own expectations is labelled with (no person given).
_FRAMEWORK_CYCLE = "expected at the current level"


class MoveKind(StrEnum):
    UP = "up"
    CROSSOVER = "crossover"
    WAY_BACK = "way_back"
    LATERAL = "lateral"
    DERIVED = "derived"


@dataclass(frozen=True, slots=True)
class Move:
    """One move from the position, with the destination's gaps against the figures used."""

    kind: MoveKind
    family: Family
    track: Track
    level: Level
    gaps: GapReport
    #: The framework's own words for the move (a lateral path's description, a crossover's entry
    #: criteria), empty for derived ones.
    notes: tuple[str, ...] = ()

    @property
    def transferable(self) -> int:
        return len(self.gaps.by_status(GapStatus.MET))

    @property
    def fit(self) -> float:
        """The share of the destination's competencies that transfer (1 when it expects none)."""
        return self.transferable / len(self.gaps.gaps) if self.gaps.gaps else 1.0

    @property
    def explanation(self) -> str:
        """ "7 of 9 competencies transfer; gaps: Pipeline management −2, Forecasting −1"."""
        return wording.move_fit(
            self.transferable,
            len(self.gaps.gaps),
            [(gap.name, gap.shortfall or 0.0) for gap in self.gaps.largest],
            [gap.name for gap in self.gaps.by_status(GapStatus.UNKNOWN)],
        )


def _position_figures(framework: Framework, family: str, track: str, level: str) -> dict[str, Demonstrated]:
    """What the position expects, as figures: the framework's view of what transfers."""
    *_, expected = level_expectations(framework, family, track, level)
    return {
        competency: Demonstrated(
            competency, float(proficiency), RatingSource.MANAGER, _FRAMEWORK_CYCLE, datetime.date.min
        )
        for competency, _, proficiency, _ in expected
    }


def career_moves(
    framework: Framework,
    *,
    family: str,
    track: str,
    level: str,
    demonstrated: Mapping[str, Demonstrated] | None = None,
) -> list[Move]:
    """Every move from the position, in the module's order; against `demonstrated` when given
    (a person), else against what the position expects. GapTargetError for an unknown position."""
    figures = demonstrated if demonstrated is not None else _position_figures(framework, family, track, level)
    position = _position_figures(framework, family, track, level)
    transition = transition_to_next(framework, family, track, level)
    assert transition is not None  # level_expectations above refused an unknown position
    moves: list[Move] = []
    seen: set[tuple[str, str, str]] = {(family, track, level)}

    def add(
        kind: MoveKind, to_family: Family, to_track: Track, to_level: Level, notes: tuple[str, ...] = ()
    ) -> None:
        key = (to_family.id, to_track.id, to_level.code)
        if key in seen:
            return
        seen.add(key)
        gaps = skill_gaps(
            framework, family=to_family.id, track=to_track.id, level=to_level.code, demonstrated=figures
        )
        moves.append(Move(kind, to_family, to_track, to_level, gaps, notes))

    own = transition.family
    if transition.next is not None:
        add(MoveKind.UP, own, transition.track, transition.next)
    for crossing in transition.crossings:
        if crossing.from_level.code == level:
            add(MoveKind.CROSSOVER, own, crossing.to_track, crossing.to_level, crossing.entry_criteria)
    for way_back in transition.ways_back:
        add(MoveKind.WAY_BACK, own, way_back.track, way_back.level, (way_back.sentence,))
    for lateral in transition.lateral:
        starts_here = lateral.source_level is None or lateral.source_level.code == level
        destination = (lateral.destination_family, lateral.destination_track, lateral.destination_level)
        if starts_here and None not in destination:
            to_family, to_track, to_level = destination
            assert to_family is not None and to_track is not None and to_level is not None
            notes = (lateral.path.description,) if lateral.path.description else ()
            add(MoveKind.LATERAL, to_family, to_track, to_level, notes)
    for path in framework.lateral_paths:  # explicit paths from elsewhere are not derived here either
        to_family, to_track, to_level = resolve(framework, path.destination)
        if to_family is not None and to_track is not None and to_level is not None:
            from_family, _, from_level = resolve(framework, path.source)
            if (
                from_family is not None
                and from_family.id == family
                and (from_level is None or from_level.code == level)
            ):
                seen.add((to_family.id, to_track.id, to_level.code))
    grade = transition.track.grade_of(level) or 1
    derived: list[tuple[float, int, int, Move]] = []
    for other in framework.families:
        if other.id == family:
            continue
        for other_track in other.tracks:
            if other_track.kind != transition.track.kind:
                continue
            for other_level in other_track.levels:
                other_grade = other_track.grade_of(other_level.code) or 1
                key = (other.id, other_track.id, other_level.code)
                if other_grade not in (grade, grade - 1) or key in seen:
                    continue
                overlap = skill_gaps(
                    framework,
                    family=other.id,
                    track=other_track.id,
                    level=other_level.code,
                    demonstrated=position,
                )
                transferring = len(overlap.by_status(GapStatus.MET))
                if not overlap.gaps or transferring / len(overlap.gaps) < MIN_DERIVED_FIT:
                    continue
                gaps = skill_gaps(
                    framework,
                    family=other.id,
                    track=other_track.id,
                    level=other_level.code,
                    demonstrated=figures,
                )
                move = Move(MoveKind.DERIVED, other, other_track, other_level, gaps)
                derived.append((-move.fit, -other_grade, len(derived), move))
    moves.extend(move for *_, move in sorted(derived, key=lambda entry: entry[:3]))
    return moves
