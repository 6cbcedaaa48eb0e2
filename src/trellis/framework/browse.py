"""A framework shaped for reading it: the ladder of a family with its tracks side by side, a track's
competency × level matrix, one level with everything expected at it, what the next level asks, and
where else a person can go (crossovers and lateral paths).

Pure functions of a `Framework`; nothing here is stored. Every function returns None, or an empty
result, for identifiers the framework does not have, so a reader never meets an exception for a
level that a newer version renamed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trellis.framework.model import (
    CompensationBand,
    Competency,
    CompetencyKind,
    Expectation,
    Family,
    Framework,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    TimeAtLevel,
    Track,
)

__all__ = [
    "Crossing",
    "Expected",
    "FamilyCompetency",
    "Ladder",
    "LadderCell",
    "LadderRow",
    "LateralMove",
    "LevelDetail",
    "Matrix",
    "MatrixRow",
    "Promotion",
    "Requirement",
    "Step",
    "Transition",
    "crossings",
    "describe_band",
    "describe_months",
    "describe_time",
    "family_competencies",
    "ladder",
    "lateral_moves",
    "level_detail",
    "matrix",
    "transition_to_next",
]


# --- words for numbers ----------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def describe_time(time: TimeAtLevel) -> str:
    """ "2 quarters", "1 cycle", "6 months"."""
    return _plural(time.count, str(time.unit).removesuffix("s"))


def describe_months(months: int) -> str:
    """A minimum time in level as people say it: "18 months", "2 years", "1 year"."""
    if months and months % 12 == 0:
        return _plural(months // 12, "year")
    return _plural(months, "month")


def describe_band(band: CompensationBand) -> str:
    """ "90,000–120,000 USD"."""
    return f"{band.minimum:,.0f}–{band.maximum:,.0f} {band.currency}"


# --- competencies ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FamilyCompetency:
    """A competency as one family uses it: core ones carry the family's own wording where it has
    one (`family_wording`); `track_ids` and `track_names` are the family's tracks that assess it."""

    competency: Competency
    kind: CompetencyKind
    family_wording: bool
    track_ids: tuple[str, ...]
    track_names: tuple[str, ...]


def _worded(competency: Competency, family: Family) -> tuple[Competency, bool]:
    override = family.core_overrides.get(competency.id)
    if override is None:
        return competency, False
    changes = {key: value for key, value in override.model_dump().items() if value}
    return competency.model_copy(update=changes), bool(changes)


def family_competencies(framework: Framework, family: Family) -> list[FamilyCompetency]:
    """The core competencies (in the family's wording), then the family's functional ones."""
    assessed: dict[str, list[Track]] = {}
    for track in family.tracks:
        for competency_id in track.expectations:
            assessed.setdefault(competency_id, []).append(track)
    result = []
    for competency in framework.core_competencies:
        worded, own_wording = _worded(competency, family)
        result.append(
            FamilyCompetency(
                competency=worded,
                kind=CompetencyKind.CORE,
                family_wording=own_wording,
                track_ids=tuple(track.id for track in assessed.get(competency.id, ())),
                track_names=tuple(track.name for track in assessed.get(competency.id, ())),
            )
        )
    for competency in family.competencies:
        result.append(
            FamilyCompetency(
                competency=competency,
                kind=CompetencyKind.FUNCTIONAL,
                family_wording=False,
                track_ids=tuple(track.id for track in assessed.get(competency.id, ())),
                track_names=tuple(track.name for track in assessed.get(competency.id, ())),
            )
        )
    return result


def _competencies_by_id(framework: Framework, family: Family | None) -> dict[str, Competency]:
    by_id: dict[str, Competency] = {}
    for competency in framework.core_competencies:
        by_id[competency.id] = _worded(competency, family)[0] if family is not None else competency
    if family is not None:
        by_id.update({competency.id: competency for competency in family.competencies})
    return by_id


def _placeholder(competency_id: str) -> Competency:
    """A competency the framework names but does not define (a draft in progress): its id as name."""
    return Competency(id=competency_id, name=competency_id.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class Expected:
    """What one competency looks like at one level, with the scale's label for the proficiency."""

    proficiency: int
    label: str
    behaviour: str


def _expected(framework: Framework, expectation: Expectation | None) -> Expected | None:
    if expectation is None:
        return None
    return Expected(
        proficiency=expectation.proficiency,
        label=framework.scale.label(expectation.proficiency),
        behaviour=expectation.behaviour,
    )


# --- the ladder -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Crossing:
    """A crossover between two tracks of a family: from `from_level` on `from_track` to
    `to_level` on `to_track`, on these entry criteria; `two_way` when people may move back to the
    level they came from without penalty."""

    from_track: Track
    from_level: Level
    to_track: Track
    to_level: Level
    entry_criteria: tuple[str, ...]
    two_way: bool


def crossings(family: Family) -> list[Crossing]:
    """Every crossover of `family` whose two ends exist, in track order."""
    result = []
    for track in family.tracks:
        crossover = track.crossover
        if crossover is None:
            continue
        to_level = track.level(crossover.to_level)
        source = next(
            (
                (other, level)
                for other in family.tracks
                if other.id != track.id
                for level in [other.level(crossover.from_level)]
                if level is not None
            ),
            None,
        )
        if to_level is None or source is None:
            continue
        result.append(
            Crossing(
                from_track=source[0],
                from_level=source[1],
                to_track=track,
                to_level=to_level,
                entry_criteria=tuple(crossover.entry_criteria),
                two_way=crossover.two_way,
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class LadderCell:
    """One level in the ladder, with the crossovers that leave from it and arrive at it."""

    track: Track
    level: Level
    leaves: tuple[Crossing, ...]
    arrives: tuple[Crossing, ...]


@dataclass(frozen=True, slots=True)
class LadderRow:
    """One grade across the family: per track (in `Ladder.tracks` order), the levels at it
    (usually one; none where the track has no level of that grade)."""

    grade: int
    cells: tuple[tuple[LadderCell, ...], ...]


@dataclass(frozen=True, slots=True)
class Ladder:
    """A family's tracks side by side, aligned by grade, highest grade first: equal grades are equal
    status, so IC and management levels of one row are peers."""

    tracks: tuple[Track, ...]
    rows: tuple[LadderRow, ...]
    crossings: tuple[Crossing, ...]


def ladder(family: Family) -> Ladder:
    """`family`'s ladder: one row per grade any of its tracks uses, highest first."""
    family_crossings = tuple(crossings(family))
    by_grade: dict[int, list[list[LadderCell]]] = {}
    for column, track in enumerate(family.tracks):
        for position, level in enumerate(track.levels, start=1):
            grade = level.grade if level.grade is not None else position
            row = by_grade.setdefault(grade, [[] for _ in family.tracks])
            row[column].append(
                LadderCell(
                    track=track,
                    level=level,
                    leaves=tuple(
                        c
                        for c in family_crossings
                        if c.from_track.id == track.id and c.from_level.code == level.code
                    ),
                    arrives=tuple(
                        c
                        for c in family_crossings
                        if c.to_track.id == track.id and c.to_level.code == level.code
                    ),
                )
            )
    rows = tuple(
        LadderRow(grade=grade, cells=tuple(tuple(cells) for cells in by_grade[grade]))
        for grade in sorted(by_grade, reverse=True)
    )
    return Ladder(tracks=tuple(family.tracks), rows=rows, crossings=family_crossings)


# --- the matrix -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One competency across a track's levels (`cells` in `Matrix.levels` order; None where the
    track expects nothing of it at that level)."""

    competency: Competency
    kind: CompetencyKind
    cells: tuple[Expected | None, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    levels: tuple[Level, ...]
    rows: tuple[MatrixRow, ...]


def _kind(framework: Framework, competency_id: str) -> CompetencyKind:
    core = any(competency.id == competency_id for competency in framework.core_competencies)
    return CompetencyKind.CORE if core else CompetencyKind.FUNCTIONAL


def matrix(framework: Framework, family: Family, track: Track) -> Matrix:
    """Every competency `track` assesses (in its order) × every level of it (most junior first)."""
    by_id = _competencies_by_id(framework, family)
    rows = []
    for competency_id, by_level in track.expectations.items():
        rows.append(
            MatrixRow(
                competency=by_id.get(competency_id) or _placeholder(competency_id),
                kind=_kind(framework, competency_id),
                cells=tuple(_expected(framework, by_level.get(level.code)) for level in track.levels),
            )
        )
    return Matrix(levels=tuple(track.levels), rows=tuple(rows))


# --- one level ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requirement:
    """A competency a promotion requires at a minimum rating."""

    competency: Competency
    minimum: float
    label: str


@dataclass(frozen=True, slots=True)
class Promotion:
    """What moving from `from_level` to `to_level` asks (`criteria`), with the competencies it
    requires resolved to their names and the time at the next level in words ("" when none)."""

    from_level: Level
    to_level: Level
    criteria: PromotionCriteria
    required: tuple[Requirement, ...]
    time_at_next_level: str
    #: The scale's label of the floor, when the floor is a whole point of the scale.
    floor_label: str


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
    by_id = _competencies_by_id(framework, family)
    return Promotion(
        from_level=from_level,
        to_level=to_level,
        criteria=criteria,
        required=tuple(
            Requirement(
                competency=by_id.get(required.competency) or _placeholder(required.competency),
                minimum=required.minimum,
                label=_label(framework, required.minimum),
            )
            for required in criteria.required
        ),
        time_at_next_level=describe_time(criteria.time_at_next_level) if criteria.time_at_next_level else "",
        floor_label=_label(framework, criteria.floor) if criteria.floor is not None else "",
    )


def _label(framework: Framework, value: float) -> str:
    """The scale's label of `value` when it is one of the scale's points, else ""."""
    if not float(value).is_integer():
        return ""
    points = {point.value: point.label for point in framework.scale.points}
    return points.get(int(value), "")


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


def _resolve(framework: Framework, reference: LevelRef) -> tuple[Family | None, Track | None, Level | None]:
    family = framework.family(reference.family)
    if family is None:
        return None, None, None
    if reference.track is not None:
        track = family.track(reference.track)
        return family, track, track.level(reference.level) if track is not None else None
    found = family.find_level(reference.level)
    return (family, found[0], found[1]) if found is not None else (family, None, None)


def lateral_moves(framework: Framework) -> list[LateralMove]:
    """Every lateral path of the framework, resolved, numbered from 1 in file order."""
    result = []
    for number, path in enumerate(framework.lateral_paths, start=1):
        source_family, source_track, source_level = _resolve(framework, path.source)
        destination_family, destination_track, destination_level = _resolve(framework, path.destination)
        source_names = _competencies_by_id(framework, source_family)
        destination_names = _competencies_by_id(framework, destination_family)
        gaps = []
        for gap in path.gaps:
            competency = destination_names.get(gap.competency) or _placeholder(gap.competency)
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
                    source_names.get(competency_id) or _placeholder(competency_id)
                    for competency_id in path.transferable
                ),
                gaps=tuple(gaps),
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
    by_id = _competencies_by_id(framework, family)
    competencies = tuple(
        CompetencyAtLevel(
            competency=by_id.get(competency_id) or _placeholder(competency_id),
            kind=_kind(framework, competency_id),
            expected=_expected(framework, by_level.get(level.code)),
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
    and `steps` is empty. `crossings` are the crossovers this person could take from their track
    (and the way back of a two-way one), `lateral` the lateral paths starting on their track,
    those from their own level first.
    """

    family: Family
    track: Track
    current: Level
    next: Level | None
    steps: tuple[Step, ...]
    promotion: Promotion | None
    crossings: tuple[Crossing, ...]
    lateral: tuple[LateralMove, ...]

    @property
    def at_top(self) -> bool:
        return self.next is None


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
        by_id = _competencies_by_id(framework, family)
        for competency_id, by_level in track.expectations.items():
            current = _expected(framework, by_level.get(level.code))
            upcoming = _expected(framework, by_level.get(following.code))
            if current is None and upcoming is None:
                continue
            steps.append(
                Step(
                    competency=by_id.get(competency_id) or _placeholder(competency_id),
                    kind=_kind(framework, competency_id),
                    current=current,
                    next=upcoming,
                )
            )
        promotion = _promotion(framework, family, level, following)
    moves = _moves_from(framework, family, track)
    return Transition(
        family=family,
        track=track,
        current=level,
        next=following,
        steps=tuple(steps),
        promotion=promotion,
        crossings=tuple(
            c
            for c in crossings(family)
            if c.from_track.id == track.id or (c.two_way and c.to_track.id == track.id)
        ),
        lateral=tuple(_sorted_moves(moves, level)),
    )


def _sorted_moves(moves: Sequence[LateralMove], level: Level) -> list[LateralMove]:
    def from_elsewhere(move: LateralMove) -> bool:
        return move.source_level is None or move.source_level.code != level.code

    return sorted(moves, key=lambda move: (from_elsewhere(move), move.number))
