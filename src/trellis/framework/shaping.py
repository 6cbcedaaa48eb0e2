"""A framework arranged the way people read it, shared by the web pages and every export: a family's
competencies in the family's own wording, a track's competency × level matrix, its crossovers, its
ladder of tracks aligned by grade, and promotion criteria and lateral paths as labelled facts.

Pure functions of a `Framework`; nothing here is stored and nothing is formatted for a medium —
the words come from `trellis.framework.wording`, and each page or renderer escapes them itself.
Functions skip what they cannot resolve (a crossover whose level no track has, a competency no
family defines): the reference checks report those, and a reader should not trip over them.
"""

from __future__ import annotations

from dataclasses import dataclass

from trellis.framework import wording
from trellis.framework.model import (
    Competency,
    CompetencyKind,
    Expectation,
    Family,
    Framework,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    Track,
)

__all__ = [
    "Crossing",
    "Expected",
    "Fact",
    "FamilyCompetency",
    "Ladder",
    "LadderCell",
    "LadderRow",
    "Matrix",
    "MatrixRow",
    "competencies_by_id",
    "competency_kind",
    "crossings",
    "expected",
    "family_competencies",
    "ladder",
    "lateral_facts",
    "lateral_title",
    "matrix",
    "placeholder",
    "promotion_facts",
    "promotion_title",
    "resolve",
]


# --- competencies ---------------------------------------------------------------------------------


def competencies_by_id(framework: Framework, family: Family | None) -> dict[str, Competency]:
    """Every competency `family` can name, by id: the core ones in the family's wording (its
    overrides), then its functional ones. Without a family, the core competencies as written."""
    if family is None:
        return {competency.id: competency for competency in framework.core_competencies}
    every_id = [c.id for c in framework.core_competencies] + [c.id for c in family.competencies]
    # A track that assesses everything lets the model apply the family's overrides, so the rule for
    # overriding a core competency lives in one place (Framework.competencies_for).
    everything = Track(id="everything", name="everything", expectations={key: {} for key in every_id})
    return {competency.id: competency for competency in framework.competencies_for(family, everything)}


def placeholder(competency_id: str) -> Competency:
    """A competency the framework names but does not define (a draft in progress): its id as name."""
    return Competency(id=competency_id, name=competency_id.replace("_", " ").capitalize())


def _named(by_id: dict[str, Competency], competency_id: str) -> Competency:
    return by_id.get(competency_id) or placeholder(competency_id)


def competency_kind(framework: Framework, competency_id: str) -> CompetencyKind:
    """Core when the framework's core list has it; anything else is a family's functional one."""
    core = any(competency.id == competency_id for competency in framework.core_competencies)
    return CompetencyKind.CORE if core else CompetencyKind.FUNCTIONAL


@dataclass(frozen=True, slots=True)
class FamilyCompetency:
    """A competency as one family uses it: core ones carry the family's own wording where it has
    one (`family_wording`); `track_ids` and `track_names` are the family's tracks that assess it."""

    competency: Competency
    kind: CompetencyKind
    family_wording: bool
    track_ids: tuple[str, ...]
    track_names: tuple[str, ...]


def family_competencies(framework: Framework, family: Family) -> list[FamilyCompetency]:
    """The core competencies (in the family's wording), then the family's functional ones."""
    assessed: dict[str, list[Track]] = {}
    for track in family.tracks:
        for competency_id in track.expectations:
            assessed.setdefault(competency_id, []).append(track)
    by_id = competencies_by_id(framework, family)
    core_ids = {competency.id for competency in framework.core_competencies}
    result = []
    for competency_id, competency in by_id.items():
        override = family.core_overrides.get(competency_id) if competency_id in core_ids else None
        tracks = assessed.get(competency_id, ())
        result.append(
            FamilyCompetency(
                competency=competency,
                kind=CompetencyKind.CORE if competency_id in core_ids else CompetencyKind.FUNCTIONAL,
                family_wording=override is not None and any(override.model_dump().values()),
                track_ids=tuple(track.id for track in tracks),
                track_names=tuple(track.name for track in tracks),
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class Expected:
    """What one competency looks like at one level, with the scale's label for the proficiency."""

    proficiency: int
    label: str
    behaviour: str


def expected(framework: Framework, expectation: Expectation | None) -> Expected | None:
    """`expectation` with the scale's label for its proficiency; None for None."""
    if expectation is None:
        return None
    return Expected(
        proficiency=expectation.proficiency,
        label=framework.scale.label(expectation.proficiency),
        behaviour=expectation.behaviour,
    )


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


def matrix(framework: Framework, family: Family, track: Track) -> Matrix:
    """Every competency `track` assesses (in its order) × every level of it (most junior first)."""
    by_id = competencies_by_id(framework, family)
    rows = []
    for competency_id, by_level in track.expectations.items():
        rows.append(
            MatrixRow(
                competency=_named(by_id, competency_id),
                kind=competency_kind(framework, competency_id),
                cells=tuple(expected(framework, by_level.get(level.code)) for level in track.levels),
            )
        )
    return Matrix(levels=tuple(track.levels), rows=tuple(rows))


# --- crossovers and the ladder --------------------------------------------------------------------


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

    @property
    def departure_note(self) -> str:
        """The mark on the level it leaves from: "Crossover to M1 (Management)"."""
        return wording.crossover_departure(self.to_level.code, self.to_track.name)

    @property
    def arrival_note(self) -> str:
        """The mark on the level it arrives at: "Entry from IC3 (Individual contributor)"."""
        return wording.crossover_arrival(self.from_level.code, self.from_track.name)

    @property
    def sentence(self) -> str:
        """ "From IC3 Senior Engineer (Individual contributor) to M1 Team Lead (Management)."."""
        start = f"{wording.level_label(self.from_level)} ({self.from_track.name})"
        end = f"{wording.level_label(self.to_level)} ({self.to_track.name})"
        return f"From {start} to {end}."

    @property
    def direction(self) -> str:
        """ "Two-way" or "One-way"."""
        return wording.crossover_direction(self.two_way)

    @property
    def way_back(self) -> str:
        """ "People may move back to IC3 (Individual contributor) without penalty." or, one-way,
        "Moving back is a new decision, not a return."."""
        return wording.crossover_way_back(self.two_way, self.from_level.code, self.from_track.name)


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

    @property
    def crossover_notes(self) -> tuple[str, ...]:
        """The marks of its crossovers: where they lead, then where they come from."""
        return tuple(c.departure_note for c in self.leaves) + tuple(c.arrival_note for c in self.arrives)


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


# --- promotion criteria and lateral paths as facts ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """A labelled statement: either one line of text or a list of items."""

    label: str
    text: str = ""
    items: tuple[str, ...] = ()


def _level_text(level: Level | None, code: str) -> str:
    return wording.level_label(level) if level is not None else code


def promotion_title(family: Family, criteria: PromotionCriteria) -> str:
    """ "IC2 Engineer II → IC3 Senior Engineer", naming the tracks when the move changes track."""
    source = family.find_level(criteria.from_level)
    destination = family.find_level(criteria.to_level)
    start = _level_text(source[1] if source else None, criteria.from_level)
    end = _level_text(destination[1] if destination else None, criteria.to_level)
    if source is not None and destination is not None and source[0] is not destination[0]:
        start = f"{start} ({source[0].name})"
        end = f"{end} ({destination[0].name})"
    return f"{start} → {end}"


def promotion_facts(framework: Framework, family: Family, criteria: PromotionCriteria) -> list[Fact]:
    """Every criterion of one transition, in the order a promotion committee walks through them."""
    scale = framework.scale
    by_id = competencies_by_id(framework, family)
    facts: list[Fact] = []
    if criteria.min_average is not None:
        facts.append(
            Fact(
                "Minimum average rating",
                f"{wording.number(criteria.min_average)} across the competencies of {criteria.to_level}",
            )
        )
    if criteria.floor is not None:
        facts.append(Fact("Floor", f"no competency rated below {wording.rating_text(scale, criteria.floor)}"))
    if criteria.required:
        facts.append(
            Fact(
                "Required competencies",
                items=tuple(
                    f"{_named(by_id, required.competency).name}: at least "
                    f"{wording.rating_text(scale, required.minimum)}"
                    for required in criteria.required
                ),
            )
        )
    if criteria.time_at_next_level is not None:
        facts.append(
            Fact(
                "Operating at the next level",
                f"for {wording.time_at_level(criteria.time_at_next_level)} before the promotion",
            )
        )
    if criteria.scope_evidence:
        facts.append(Fact("Scope evidence", items=tuple(criteria.scope_evidence)))
    if criteria.outcomes:
        facts.append(Fact("Outcomes", items=tuple(criteria.outcomes)))
    facts.append(Fact("Manager endorsement", "required" if criteria.manager_endorsement else "not required"))
    facts.append(Fact("Calibration", "confirmed in calibration" if criteria.calibration else "not required"))
    return facts


def resolve(framework: Framework, reference: LevelRef) -> tuple[Family | None, Track | None, Level | None]:
    """The family, track and level a lateral path's end names (None for each it cannot find)."""
    family = framework.family(reference.family)
    if family is None:
        return None, None, None
    if reference.track is not None:
        track = family.track(reference.track)
        return family, track, track.level(reference.level) if track is not None else None
    found = family.find_level(reference.level)
    return (family, found[0], found[1]) if found is not None else (family, None, None)


def _level_reference_text(framework: Framework, reference: LevelRef) -> str:
    family, _, level = resolve(framework, reference)
    family_name = family.name if family is not None else reference.family
    return f"{_level_text(level, reference.level)} ({family_name})"


def lateral_title(framework: Framework, path: LateralPath) -> str:
    """ "D2 Senior Designer (Design) → PM1 Product Manager (Product)"."""
    return f"{_level_reference_text(framework, path.source)} → {_level_reference_text(framework, path.destination)}"


def lateral_facts(framework: Framework, path: LateralPath) -> list[Fact]:
    """What carries over (in the source family's words), the gaps to close (in the destination's)
    and the suggested actions."""
    source_names = competencies_by_id(framework, resolve(framework, path.source)[0])
    destination_names = competencies_by_id(framework, resolve(framework, path.destination)[0])
    facts: list[Fact] = []
    if path.transferable:
        facts.append(
            Fact(
                "Transferable competencies",
                items=tuple(_named(source_names, competency).name for competency in path.transferable),
            )
        )
    if path.gaps:
        gaps: list[str] = []
        for gap in path.gaps:
            text = _named(destination_names, gap.competency).name
            if gap.target is not None:
                text += f": reach {wording.rating_text(framework.scale, gap.target)}"
            if gap.note:
                text += f" — {gap.note}"
            gaps.append(text)
        facts.append(Fact("Gaps to close", items=tuple(gaps)))
    if path.actions:
        facts.append(Fact("Actions", items=tuple(path.actions)))
    return facts
