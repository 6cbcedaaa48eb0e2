"""The views of the framework's reading pages: one level with everything expected at it, what the
next level asks, and where else a person can go (crossovers and lateral paths). The pieces these share with the exports — ladders, matrices, crossovers, a
family's competencies, criteria as facts — come from `trellis.framework.shaping`, their words from
`trellis.framework.wording`.

Pure functions of a `Framework`; nothing here is stored. Every function returns None, or an empty
result, for identifiers the framework does not have, so a reader never meets an exception for a
level that a newer version renamed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trellis.framework import wording
from trellis.framework.model import (
    Competency,
    CompetencyKind,
    Family,
    Framework,
    LateralPath,
    Level,
    PromotionCriteria,
    Track,
)
from trellis.framework.shaping import (
    Crossing,
    Expected,
    Fact,
    competencies_by_id,
    competency_kind,
    crossings,
    expected,
    lateral_facts,
    lateral_title,
    placeholder,
    promotion_facts,
    resolve,
)

__all__ = [
    "LateralMove",
    "LevelDetail",
    "Promotion",
    "Rubric",
    "RubricRow",
    "Step",
    "Transition",
    "WayBack",
    "assessment_rubric",
    "lateral_moves",
    "level_detail",
    "transition_to_next",
]


# --- one level ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Promotion:
    """What moving from `from_level` to `to_level` asks: the `criteria` as written, and as `facts`
    in words (the facts the exports list, in the same order)."""

    from_level: Level
    to_level: Level
    criteria: PromotionCriteria
    facts: tuple[Fact, ...]


def _promotion(framework: Framework, family: Family, from_level: Level, to_level: Level) -> Promotion | None:
    criteria = next(
        (
            candidate
            for candidate in family.promotions
            if candidate.from_level == from_level.code and candidate.to_level == to_level.code
        ),
        None,
    )
    if criteria is None:
        return None
    return Promotion(
        from_level=from_level,
        to_level=to_level,
        criteria=criteria,
        facts=tuple(promotion_facts(framework, family, criteria)),
    )


@dataclass(frozen=True, slots=True)
class CompetencyAtLevel:
    competency: Competency
    kind: CompetencyKind
    expected: Expected | None


@dataclass(frozen=True, slots=True)
class LateralMove:
    """A lateral path with both ends resolved to families and levels (None where the framework
    lacks them) and its competencies resolved to names: transferable ones in the source family's
    words, gaps in the destination's."""

    number: int
    path: LateralPath
    source_family: Family | None
    source_track: Track | None
    source_level: Level | None
    destination_family: Family | None
    destination_level: Level | None
    destination_track: Track | None
    transferable: tuple[Competency, ...]
    gaps: tuple[tuple[Competency, Expected | None, str], ...]
    #: "D2 Senior Designer (Design) → PM1 Product Manager (Product)", and the path in words.
    title: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class LevelDetail:
    """One level of one track: where it sits, everything expected at it, the promotion into the
    next level, and the ways off it."""

    family: Family
    track: Track
    level: Level
    grade: int
    previous: Level | None
    next: Level | None
    competencies: tuple[CompetencyAtLevel, ...]
    promotion: Promotion | None
    crossings: tuple[Crossing, ...]
    lateral: tuple[LateralMove, ...]


def _neighbours(track: Track, level: Level) -> tuple[Level | None, Level | None]:
    position = next(index for index, candidate in enumerate(track.levels) if candidate is level)
    previous = track.levels[position - 1] if position > 0 else None
    following = track.levels[position + 1] if position + 1 < len(track.levels) else None
    return previous, following


def _find(
    framework: Framework, family_id: str, track_id: str, code: str
) -> tuple[Family, Track, Level] | None:
    family = framework.family(family_id)
    track = family.track(track_id) if family is not None else None
    level = track.level(code) if track is not None else None
    if family is None or track is None or level is None:
        return None
    return family, track, level


def lateral_moves(framework: Framework) -> list[LateralMove]:
    """Every lateral path of the framework, resolved, numbered from 1 in file order."""
    result = []
    for number, path in enumerate(framework.lateral_paths, start=1):
        source_family, source_track, source_level = resolve(framework, path.source)
        destination_family, destination_track, destination_level = resolve(framework, path.destination)
        source_names = competencies_by_id(framework, source_family)
        destination_names = competencies_by_id(framework, destination_family)
        gaps = []
        for gap in path.gaps:
            competency = destination_names.get(gap.competency) or placeholder(gap.competency)
            target = (
                Expected(proficiency=gap.target, label=framework.scale.label(gap.target), behaviour="")
                if gap.target is not None
                else None
            )
            gaps.append((competency, target, gap.note))
        result.append(
            LateralMove(
                number=number,
                path=path,
                source_family=source_family,
                source_track=source_track,
                source_level=source_level,
                destination_family=destination_family,
                destination_level=destination_level,
                destination_track=destination_track,
                transferable=tuple(
                    source_names.get(competency_id) or placeholder(competency_id)
                    for competency_id in path.transferable
                ),
                gaps=tuple(gaps),
                title=lateral_title(framework, path),
                facts=tuple(lateral_facts(framework, path)),
            )
        )
    return result


def _moves_from(framework: Framework, family: Family, track: Track) -> list[LateralMove]:
    """The lateral paths that start on `track` of `family`."""
    return [
        move
        for move in lateral_moves(framework)
        if move.source_family is not None
        and move.source_family.id == family.id
        and move.source_track is not None
        and move.source_track.id == track.id
    ]


def level_detail(framework: Framework, family_id: str, track_id: str, code: str) -> LevelDetail | None:
    """Everything about one level, or None when the framework has no such family, track or level.

    `crossings` are the family's crossovers that leave from or arrive at this level, or that join
    this track to another (a two-way crossover is a way back as well as a way out); `lateral` the
    lateral paths that start at this very level.
    """
    found = _find(framework, family_id, track_id, code)
    if found is None:
        return None
    family, track, level = found
    previous, following = _neighbours(track, level)
    by_id = competencies_by_id(framework, family)
    competencies = tuple(
        CompetencyAtLevel(
            competency=by_id.get(competency_id) or placeholder(competency_id),
            kind=competency_kind(framework, competency_id),
            expected=expected(framework, by_level.get(level.code)),
        )
        for competency_id, by_level in track.expectations.items()
    )
    return LevelDetail(
        family=family,
        track=track,
        level=level,
        grade=track.grade_of(level.code) or 1,
        previous=previous,
        next=following,
        competencies=competencies,
        promotion=_promotion(framework, family, level, following) if following is not None else None,
        crossings=tuple(c for c in crossings(family) if track.id in (c.from_track.id, c.to_track.id)),
        lateral=tuple(
            move
            for move in _moves_from(framework, family, track)
            if move.source_level is not None and move.source_level.code == level.code
        ),
    )


# --- what the next level asks ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One competency at the current level and at the next; `change` is the difference in
    proficiency (None when either level does not assess it)."""

    competency: Competency
    kind: CompetencyKind
    current: Expected | None
    next: Expected | None

    @property
    def change(self) -> int | None:
        if self.current is None or self.next is None:
            return None
        return self.next.proficiency - self.current.proficiency


@dataclass(frozen=True, slots=True)
class Transition:
    """A person's place and where it leads.

    `next` is the next level on the same track, with `steps` (every competency, current beside
    next) and the `promotion` criteria of that transition; at the top of the track `next` is None
    and `steps` is empty. `crossings` are the crossovers that leave this person's track, with their
    entry criteria; `ways_back` the way back from this very level along each two-way crossover
    that arrives at it (a manager's road back to IC); `lateral` the lateral paths starting on their
    track, those from their own level first.
    """

    family: Family
    track: Track
    current: Level
    next: Level | None
    steps: tuple[Step, ...]
    promotion: Promotion | None
    crossings: tuple[Crossing, ...]
    ways_back: tuple[WayBack, ...]
    lateral: tuple[LateralMove, ...]

    @property
    def at_top(self) -> bool:
        return self.next is None

    @property
    def other_directions(self) -> bool:
        return bool(self.crossings or self.ways_back or self.lateral)


@dataclass(frozen=True, slots=True)
class WayBack:
    """The way back along a two-way `crossing` from `current` (a level of the track it leads to):
    to `level` of `track` (the track it left), the level of the same grade — the equivalent level
    the crossover promises, not the level the crossover leaves from. `steps` are the competencies
    `level` expects more of than `current` does, or that `current`'s track does not assess."""

    crossing: Crossing
    current: Level
    track: Track
    level: Level
    steps: tuple[Step, ...]
    #: Each of `steps` in words: "Software craft: 5 · Expert (not assessed at M2)".
    gaps: tuple[str, ...]

    @property
    def sentence(self) -> str:
        """ "People may move back to IC5 (Individual contributor), the level of the same grade, ..."."""
        return wording.way_back(self.level.code, self.track.name)


def _equivalent_level(track: Track, grade: int) -> Level | None:
    """The level of `track` at `grade`, else the highest below it (None when every level is above)."""
    below = [level for level in track.levels if (track.grade_of(level.code) or 0) <= grade]
    at_grade = [level for level in below if track.grade_of(level.code) == grade]
    if at_grade:
        return at_grade[0]
    return below[-1] if below else None


def _way_back(
    framework: Framework, family: Family, track: Track, level: Level, crossing: Crossing
) -> WayBack:
    back_track = crossing.from_track
    target = _equivalent_level(back_track, track.grade_of(level.code) or 1) or crossing.from_level
    by_id = competencies_by_id(framework, family)
    steps = []
    for competency_id, by_level in back_track.expectations.items():
        wanted = expected(framework, by_level.get(target.code))
        now = expected(framework, track.expectations.get(competency_id, {}).get(level.code))
        if wanted is None or (now is not None and now.proficiency >= wanted.proficiency):
            continue
        steps.append(
            Step(
                competency=by_id.get(competency_id) or placeholder(competency_id),
                kind=competency_kind(framework, competency_id),
                current=now,
                next=wanted,
            )
        )
    gaps = tuple(
        wording.way_back_gap(
            step.competency.name,
            wording.rating_text(framework.scale, step.next.proficiency) if step.next is not None else "",
            wording.rating_text(framework.scale, step.current.proficiency)
            if step.current is not None
            else None,
            level.code,
        )
        for step in steps
    )
    return WayBack(
        crossing=crossing, current=level, track=back_track, level=target, steps=tuple(steps), gaps=gaps
    )


def transition_to_next(framework: Framework, family_id: str, track_id: str, code: str) -> Transition | None:
    """What the next level asks of someone at `code` on this track, or None when the framework has
    no such level."""
    found = _find(framework, family_id, track_id, code)
    if found is None:
        return None
    family, track, level = found
    _, following = _neighbours(track, level)
    steps: list[Step] = []
    promotion = None
    if following is not None:
        by_id = competencies_by_id(framework, family)
        for competency_id, by_level in track.expectations.items():
            current = expected(framework, by_level.get(level.code))
            upcoming = expected(framework, by_level.get(following.code))
            if current is None and upcoming is None:
                continue
            steps.append(
                Step(
                    competency=by_id.get(competency_id) or placeholder(competency_id),
                    kind=competency_kind(framework, competency_id),
                    current=current,
                    next=upcoming,
                )
            )
        promotion = _promotion(framework, family, level, following)
    moves = _moves_from(framework, family, track)
    family_crossings = crossings(family)
    return Transition(
        family=family,
        track=track,
        current=level,
        next=following,
        steps=tuple(steps),
        promotion=promotion,
        crossings=tuple(c for c in family_crossings if c.from_track.id == track.id),
        ways_back=tuple(
            _way_back(framework, family, track, level, c)
            for c in family_crossings
            if c.two_way and c.to_track.id == track.id
        ),
        lateral=tuple(_sorted_moves(moves, level)),
    )


def _sorted_moves(moves: Sequence[LateralMove], level: Level) -> list[LateralMove]:
    def from_elsewhere(move: LateralMove) -> bool:
        return move.source_level is None or move.source_level.code != level.code

    return sorted(moves, key=lambda move: (from_elsewhere(move), move.number))


# --- the rubric of an assessment -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RubricRow:
    """One competency assessed at a level: what the level expects (its behavioural description is
    the rubric) and, beside it, what the next level expects (None at the top or where the next
    level does not assess it)."""

    competency: Competency
    kind: CompetencyKind
    current: Expected
    next: Expected | None


@dataclass(frozen=True, slots=True)
class Rubric:
    """Every competency a level assesses, in the track's order, and the next level (if any)."""

    family: Family
    track: Track
    level: Level
    next: Level | None
    rows: tuple[RubricRow, ...]


def assessment_rubric(framework: Framework, family_id: str, track_id: str, code: str) -> Rubric | None:
    """The rubric of an assessment of someone at `code`: every competency the level expects, with
    the next level's expectation beside it; None when the framework has no such level."""
    # Not through `level_detail`: the rubric is read on every save, and a level's lateral moves
    # (which `level_detail` resolves across the whole framework) are not part of it.
    found = _find(framework, family_id, track_id, code)
    if found is None:
        return None
    family, track, level = found
    _, following = _neighbours(track, level)
    by_id = competencies_by_id(framework, family)
    rows = []
    for competency_id, by_level in track.expectations.items():
        current = expected(framework, by_level.get(level.code))
        if current is not None:
            upcoming = by_level.get(following.code) if following is not None else None
            rows.append(
                RubricRow(
                    competency=by_id.get(competency_id) or placeholder(competency_id),
                    kind=competency_kind(framework, competency_id),
                    current=current,
                    next=expected(framework, upcoming),
                )
            )
    return Rubric(family=family, track=track, level=level, next=following, rows=tuple(rows))
