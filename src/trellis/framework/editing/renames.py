"""New ids for families, tracks and competencies and new codes for levels, with every reference to
the old one rewritten (expectations, promotion criteria, crossovers, lateral paths, core overrides)."""

from __future__ import annotations

from dataclasses import dataclass

from trellis.framework.addresses import (
    CompetencyAddress,
    EditError,
    find_family,
    find_level,
    find_track,
)
from trellis.framework.editing.session import (
    Edit,
    Session,
    check_code,
    check_identifier,
    family_codes,
    lateral_paths_touching,
    rename_in_criteria,
    renamed_key,
    tracks_assessing,
)


@dataclass(frozen=True, slots=True)
class FamilyRename(Edit):
    """Give a family a new id; lateral paths follow. (People placed in the family keep the old id
    until they are moved: that is the caller's business.)"""

    family: str
    new_id: str

    def apply(self, session: Session) -> None:
        framework = session.framework
        new_id = check_identifier(self.new_id, "new_id", "family id")
        _, family = find_family(framework, self.family)
        if new_id == family.id:
            return
        if framework.family(new_id) is not None:
            raise EditError(f'there is already a family "{new_id}"', field="new_id")
        family.id = new_id
        for lateral in framework.lateral_paths:
            for end in (lateral.source, lateral.destination):
                if end.family == self.family:
                    end.family = new_id
        session.family_renamed(self.family, new_id)
        session.structure(f"{self.family}.id")


@dataclass(frozen=True, slots=True)
class TrackRename(Edit):
    family: str
    track: str
    new_id: str

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        new_id = check_identifier(self.new_id, "new_id", "track id")
        _, track = find_track(family, self.track)
        if new_id == track.id:
            return
        if family.track(new_id) is not None:
            raise EditError(f'family "{family.id}" already has a track "{new_id}"', field="new_id")
        track.id = new_id
        for competency in family.competencies:
            if self.track in competency.tracks:
                competency.tracks = [new_id if t == self.track else t for t in competency.tracks]
        for lateral in session.framework.lateral_paths:
            for end in (lateral.source, lateral.destination):
                if end.family == family.id and end.track == self.track:
                    end.track = new_id
        session.structure(f"{family.id}/{self.track}.id")


@dataclass(frozen=True, slots=True)
class LevelRename(Edit):
    """Give a level a new code; expectations, promotion criteria, crossovers and lateral paths
    follow."""

    family: str
    track: str
    code: str
    new_code: str

    def apply(self, session: Session) -> None:
        _, family = find_family(session.framework, self.family)
        _, track = find_track(family, self.track)
        _, level = find_level(track, self.code)
        new_code = check_code(self.new_code, "new_code")
        if new_code == level.code:
            return
        if new_code in family_codes(family):
            raise EditError(f'family "{family.id}" already has a level "{new_code}"', field="new_code")
        old = level.code
        level.code = new_code
        for competency_id, line in track.expectations.items():
            track.expectations[competency_id] = renamed_key(line, old, new_code)
        for criteria in family.promotions:
            if criteria.from_level == old:
                criteria.from_level = new_code
            if criteria.to_level == old:
                criteria.to_level = new_code
        for other in family.tracks:
            if other.crossover is not None:
                if other is not track and other.crossover.from_level == old:
                    other.crossover.from_level = new_code
                if other is track and other.crossover.to_level == old:
                    other.crossover.to_level = new_code
        for lateral in session.framework.lateral_paths:
            for end in (lateral.source, lateral.destination):
                if end.family == family.id and end.level == old:
                    end.level = new_code
        session.structure(f"{family.id}/{track.id}/{old}.code")


@dataclass(frozen=True, slots=True)
class CompetencyRename(Edit):
    family: str | None
    competency: str
    new_id: str

    def apply(self, session: Session) -> None:
        framework = session.framework
        address = CompetencyAddress(self.family, self.competency)
        _, _, competency = address._find(framework)
        new_id = check_identifier(self.new_id, "new_id", "competency id")
        if new_id == competency.id:
            return
        taken = {c.id for c in framework.core_competencies}
        if self.family is None:
            taken |= {c.id for family in framework.families for c in family.competencies}
        else:
            taken |= {c.id for c in find_family(framework, self.family)[1].competencies}
        if new_id in taken:
            raise EditError(f'there is already a competency "{new_id}" here', field="new_id")
        old = competency.id
        competency.id = new_id
        for _, track in tracks_assessing(framework, self.family):
            if old in track.expectations:
                track.expectations = renamed_key(track.expectations, old, new_id)
        families = framework.families if self.family is None else [find_family(framework, self.family)[1]]
        for family in families:
            if self.family is None and old in family.core_overrides:
                family.core_overrides = renamed_key(family.core_overrides, old, new_id)
            for criteria in family.promotions:
                rename_in_criteria(criteria, old, new_id)
        for lateral in lateral_paths_touching(framework, self.family):
            lateral.transferable = [new_id if c == old else c for c in lateral.transferable]
            for gap in lateral.gaps:
                if gap.competency == old:
                    gap.competency = new_id
        session.structure(f"{address.label}.id")
