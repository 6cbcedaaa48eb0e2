"""Edits of the structure: families, tracks, levels, competencies, crossovers, promotion criteria
and lateral paths added, removed or moved, with what referred to a removed thing removed too (and
said in the notes)."""

from __future__ import annotations

from dataclasses import dataclass

from trellis.framework.addresses import (
    CompetencyAddress,
    EditError,
    LateralPathAddress,
    NotFound,
    TrackAddress,
    competency_list,
    find_family,
    find_level,
    find_promotion,
    find_track,
)
from trellis.framework.editing.session import (
    Edit,
    Session,
    build,
    check_code,
    check_identifier,
    family_codes,
    lateral_paths_touching,
    rename_in_criteria,
    tracks_assessing,
)
from trellis.framework.model import (
    Competency,
    Expectation,
    Family,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    Track,
    TrackKind,
)


@dataclass(frozen=True, slots=True)
class FamilyAdd(Edit):
    family: str
    name: str

    def apply(self, session: Session) -> None:
        framework = session.framework
        family_id = check_identifier(self.family, "family", "family id")
        if framework.family(family_id) is not None:
            raise EditError(f'there is already a family "{family_id}"', field="family")
        framework.families.append(build(Family, {}, id=family_id, name=self.name))
        session.structure(f"{family_id}.id")


@dataclass(frozen=True, slots=True)
class FamilyRemove(Edit):
    family: str

    def apply(self, session: Session) -> None:
        framework = session.framework
        index, _ = find_family(framework, self.family)
        del framework.families[index]
        before = len(framework.lateral_paths)
        framework.lateral_paths = [
            lateral
            for lateral in framework.lateral_paths
            if self.family not in (lateral.source.family, lateral.destination.family)
        ]
        removed = before - len(framework.lateral_paths)
        session.note(removed, "lateral path", "lateral paths", f'to or from "{self.family}"')
        session.family_removed(self.family)
        session.structure(f"{self.family}.id")


@dataclass(frozen=True, slots=True)
class TrackAdd(Edit):
    family: str
    track: str
    name: str
    track_kind: TrackKind = TrackKind.IC

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        track_id = check_identifier(self.track, "track", "track id")
        if family.track(track_id) is not None:
            raise EditError(f'family "{family.id}" already has a track "{track_id}"', field="track")
        family.tracks.append(
            build(Track, {"kind": "track_kind"}, id=track_id, name=self.name, kind=self.track_kind)
        )
        session.structure(f"{family.id}/{track_id}.id")


def remove_level_references(session: Session, family: Family, codes: set[str], what: str) -> None:
    """Remove promotion criteria, crossovers and lateral paths that name a level in `codes`, which
    `family` no longer has."""
    before = len(family.promotions)
    family.promotions = [
        criteria for criteria in family.promotions if not {criteria.from_level, criteria.to_level} & codes
    ]
    removed = before - len(family.promotions)
    session.note(removed, "set of promotion criteria", "sets of promotion criteria", f"into or out of {what}")
    crossovers = 0
    for track in family.tracks:
        if track.crossover is not None and {track.crossover.from_level, track.crossover.to_level} & codes:
            track.crossover = None
            crossovers += 1
    session.note(crossovers, "crossover", "crossovers", f"starting or ending at {what}")
    framework = session.framework
    before = len(framework.lateral_paths)
    framework.lateral_paths = [
        lateral
        for lateral in framework.lateral_paths
        if not any(
            end.family == family.id and end.level in codes for end in (lateral.source, lateral.destination)
        )
    ]
    session.note(before - len(framework.lateral_paths), "lateral path", "lateral paths", f"to or from {what}")


@dataclass(frozen=True, slots=True)
class TrackRemove(Edit):
    """Remove a track with its levels. Functional competencies limited to this track alone go with
    it (left behind, their empty track list would open them to every track)."""

    family: str
    track: str

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        index, track = find_track(family, self.track)
        del family.tracks[index]
        only_here = [competency.id for competency in family.competencies if competency.tracks == [track.id]]
        for competency_id in only_here:
            CompetencyRemove(family.id, competency_id).apply(session)
        session.notes.extend(
            f'Also removed competency "{competency_id}", used only on this track.'
            for competency_id in only_here
        )
        for competency in family.competencies:
            if track.id in competency.tracks:
                competency.tracks = [t for t in competency.tracks if t != track.id]
        codes = {level.code for level in track.levels}
        remove_level_references(session, family, codes, f'levels of track "{track.id}"')
        session.structure(f"{family.id}/{track.id}.id")


@dataclass(frozen=True, slots=True)
class LevelAdd(Edit):
    """Add a level at the top of a track. Every competency the track assesses gets an expectation
    at the new level with the proficiency of the level below and no behaviour yet, for the
    authors to write."""

    family: str
    track: str
    code: str
    name: str
    title: str

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        code = check_code(self.code, "code")
        if code in family_codes(family):
            raise EditError(f'family "{family.id}" already has a level "{code}"', field="code")
        level = build(Level, {}, code=code, name=self.name, title=self.title)
        below = track.levels[-1].code if track.levels else None
        track.levels.append(level)
        minimum = session.framework.scale.minimum
        for line in track.expectations.values():
            previous = line.get(below) if below is not None else None
            line[code] = Expectation(proficiency=previous.proficiency if previous is not None else minimum)
        session.structure(f"{family.id}/{track.id}.levels")


@dataclass(frozen=True, slots=True)
class LevelRemove(Edit):
    family: str
    track: str
    code: str

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        index, level = find_level(track, self.code)
        del track.levels[index]
        for line in track.expectations.values():
            line.pop(level.code, None)
        remove_level_references(session, family, {level.code}, level.code)
        session.structure(f"{family.id}/{track.id}.levels")


@dataclass(frozen=True, slots=True)
class LevelMove(Edit):
    """Move a level `offset` places along its track: +1 one step more senior, -1 more junior."""

    family: str
    track: str
    code: str
    offset: int

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        index, level = find_level(track, self.code)
        target = index + self.offset
        if not 0 <= target < len(track.levels):
            where = "most senior" if self.offset > 0 else "most junior"
            raise EditError(f"{level.code} is already the {where} level of the track", field="offset")
        del track.levels[index]
        track.levels.insert(target, level)
        session.structure(f"{family.id}/{track.id}.levels")


@dataclass(frozen=True, slots=True)
class CompetencyAdd(Edit):
    """Add a core competency (no family) or a functional one to a family, limited to `tracks` when
    given. Every track that assesses it gets an expectation at each level, with the proficiency of
    the level's position on the scale and no behaviour yet."""

    family: str | None
    competency: str
    name: str
    tracks: tuple[str, ...] = ()

    def apply(self, session: Session) -> None:
        from trellis.framework.matrix import inferred_proficiencies

        framework = session.framework
        competency_id = check_identifier(self.competency, "competency", "competency id")
        _, competencies = competency_list(framework, self.family)
        clashes = {c.id for c in framework.core_competencies}
        if self.family is None:
            clashes |= {c.id for family in framework.families for c in family.competencies}
        else:
            clashes |= {c.id for c in competencies}
        if competency_id in clashes:
            raise EditError(f'there is already a competency "{competency_id}" here', field="competency")
        if self.family is not None:
            family = find_family(framework, self.family)[1]
            for track_id in self.tracks:
                find_track(family, track_id)
        elif self.tracks:
            raise EditError("a core competency applies to every track", field="tracks")
        competencies.append(
            build(
                Competency, {"id": "competency"}, id=competency_id, name=self.name, tracks=list(self.tracks)
            )
        )
        for _, track in tracks_assessing(framework, self.family):
            if self.tracks and track.id not in self.tracks:
                continue
            proficiencies = inferred_proficiencies(len(track.levels), framework.scale)
            track.expectations[competency_id] = {
                level.code: Expectation(proficiency=proficiency)
                for level, proficiency in zip(track.levels, proficiencies, strict=True)
            }
        session.structure(f"{self.family or 'core'}/{competency_id}.id")


@dataclass(frozen=True, slots=True)
class CompetencyRemove(Edit):
    """Remove a competency with its expectations, and from promotion criteria and lateral paths."""

    family: str | None
    competency: str

    def apply(self, session: Session) -> None:
        framework = session.framework
        address = CompetencyAddress(self.family, self.competency)
        _, index, competency = address._find(framework)
        _, competencies = competency_list(framework, self.family)
        del competencies[index]
        for _, track in tracks_assessing(framework, self.family):
            track.expectations.pop(competency.id, None)
        families = framework.families if self.family is None else [find_family(framework, self.family)[1]]
        dropped = 0
        for family in families:
            if self.family is None:
                family.core_overrides.pop(competency.id, None)
            for criteria in family.promotions:
                dropped += rename_in_criteria(criteria, competency.id, None)
        session.note(dropped, "required competency", "required competencies", "of promotion criteria")
        mentions = 0
        for lateral in lateral_paths_touching(framework, self.family):
            before = len(lateral.transferable) + len(lateral.gaps)
            lateral.transferable = [c for c in lateral.transferable if c != competency.id]
            lateral.gaps = [gap for gap in lateral.gaps if gap.competency != competency.id]
            mentions += before - len(lateral.transferable) - len(lateral.gaps)
        session.note(mentions, "mention", "mentions", "in lateral paths")
        session.structure(f"{address.label}.id")


@dataclass(frozen=True, slots=True)
class CrossoverRemove(Edit):
    family: str
    track: str

    def apply(self, session: Session) -> None:
        track = TrackAddress(self.family, self.track).resolve(session.framework)
        assert isinstance(track, Track)
        if track.crossover is None:
            raise NotFound(f'track "{self.track}" has no crossover')
        track.crossover = None
        session.structure(f"{self.family}/{self.track}.crossover")


@dataclass(frozen=True, slots=True)
class PromotionAdd(Edit):
    """Add (empty) promotion criteria for a move from one level of the family to another."""

    family: str
    from_level: str
    to_level: str

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        codes = family_codes(family)
        for name, code in (("from_level", self.from_level), ("to_level", self.to_level)):
            if code not in codes:
                raise EditError(f'family "{family.id}" has no level "{code}"', field=name)
        if self.from_level == self.to_level:
            raise EditError("a promotion leads to another level", field="to_level")
        if any((c.from_level, c.to_level) == (self.from_level, self.to_level) for c in family.promotions):
            raise EditError(
                f"there are already criteria from {self.from_level} to {self.to_level}", field="to_level"
            )
        family.promotions.append(PromotionCriteria(from_level=self.from_level, to_level=self.to_level))
        session.structure(f"{family.id}.promotions")


@dataclass(frozen=True, slots=True)
class PromotionRemove(Edit):
    family: str
    from_level: str
    to_level: str

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        index, _ = find_promotion(family, self.from_level, self.to_level)
        del family.promotions[index]
        session.structure(f"{family.id}.promotions")


@dataclass(frozen=True, slots=True)
class LateralPathAdd(Edit):
    """Add a lateral path between two levels of two families (the tracks are optional)."""

    source: LevelRef
    destination: LevelRef

    def apply(self, session: Session) -> None:
        framework = session.framework
        for name, end in (("source", self.source), ("destination", self.destination)):
            family = framework.family(end.family)
            if family is None:
                raise EditError(f'the framework has no family "{end.family}"', field=f"{name}_family")
            if end.track is not None and family.track(end.track) is None:
                raise EditError(f'family "{family.id}" has no track "{end.track}"', field=f"{name}_track")
            if end.level not in family_codes(family):
                raise EditError(f'family "{family.id}" has no level "{end.level}"', field=f"{name}_level")
        if self.source.family == self.destination.family:
            raise EditError("a lateral path leads to another family", field="destination_family")
        if any((p.source, p.destination) == (self.source, self.destination) for p in framework.lateral_paths):
            raise EditError("that lateral path is already there", field="destination_level")
        framework.lateral_paths.append(
            LateralPath(source=self.source.model_copy(), destination=self.destination.model_copy())
        )
        session.structure("lateral_paths")


@dataclass(frozen=True, slots=True)
class LateralPathRemove(Edit):
    index: int

    def apply(self, session: Session) -> None:
        LateralPathAddress(self.index).resolve(session.framework)
        del session.framework.lateral_paths[self.index]
        session.structure("lateral_paths")
