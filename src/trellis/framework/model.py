"""The career framework model.

A framework is plain data: pydantic models with no behaviour beyond validation of each field's
own shape. Cross-references (a level naming an unknown competency, a lateral path naming an unknown
family) are *not* checked here but by :mod:`trellis.framework.references`, so that a file with several
such mistakes reports all of them with their locations instead of stopping at the first.

Field order in these classes is the order in which the YAML writer emits keys, so it is chosen for a
human reading the file top to bottom.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: The format version written to, and required from, every framework file.
FORMAT_VERSION = 1

#: Identifiers of families, tracks and competencies: lower-case words joined by ``_`` or ``-``.
Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$"),
]
#: Level codes as people write them: ``IC3``, ``M1``, ``L4``, ``Senior-2``.
LevelCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]

#: The most characters a behaviour may have (after trimming). Lint recommends far fewer (TRL206);
#: this is the hard limit the reader and the editor refuse beyond, so no text of any size reaches
#: the rules or a rater's screen. Documented in docs/framework-format.md.
BEHAVIOUR_MAX_LENGTH = 1000
BehaviourText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=BEHAVIOUR_MAX_LENGTH)]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Model(BaseModel):
    # Unknown keys are mistakes in a hand-written file (a typo in a field name), never data.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class RatingPoint(_Model):
    """One point of the rating scale, anchored to what it looks like in practice."""

    value: int
    label: NonEmptyText
    anchor: Text = ""


def _default_scale_points() -> list[RatingPoint]:
    return [
        RatingPoint(
            value=1,
            label="Learning",
            anchor="Needs regular guidance to apply the skill; results vary.",
        ),
        RatingPoint(
            value=2,
            label="Developing",
            anchor="Applies the skill on familiar work with occasional guidance.",
        ),
        RatingPoint(
            value=3,
            label="Proficient",
            anchor="Applies the skill independently and reliably at the expected scope.",
        ),
        RatingPoint(
            value=4,
            label="Advanced",
            anchor="Applies the skill to unfamiliar problems and helps others improve at it.",
        ),
        RatingPoint(
            value=5,
            label="Expert",
            anchor="Sets the standard for the skill across teams; others seek this person out.",
        ),
    ]


class RatingScale(_Model):
    """The scale every proficiency, threshold and rating is expressed on (default 1–5)."""

    points: list[RatingPoint] = Field(default_factory=_default_scale_points, min_length=2)

    @property
    def minimum(self) -> int:
        return min(point.value for point in self.points)

    @property
    def maximum(self) -> int:
        return max(point.value for point in self.points)

    def label(self, value: int) -> str:
        for point in self.points:
            if point.value == value:
                return point.label
        return str(value)


class CompetencyKind(StrEnum):
    CORE = "core"
    FUNCTIONAL = "functional"


class Competency(_Model):
    """A skill area assessed at every level of the tracks that use it.

    Core competencies are defined once for the whole framework; functional ones belong to a family
    and may be limited to some of its tracks.
    """

    id: Identifier
    name: NonEmptyText
    category: Text = ""
    description: Text = ""
    #: For a functional competency: the ids of the family's tracks that use it (empty: all).
    tracks: list[Identifier] = Field(default_factory=list)


class CompetencyOverride(_Model):
    """A family's own wording of a core competency (the id stays shared)."""

    name: Text = ""
    category: Text = ""
    description: Text = ""


class CompensationBand(_Model):
    minimum: float = Field(ge=0)
    maximum: float = Field(ge=0)
    currency: NonEmptyText = "USD"


class Level(_Model):
    """A discrete stage on a track, defined by scope and autonomy rather than title."""

    code: LevelCode
    name: NonEmptyText
    #: Scope and autonomy at this level, in one or two sentences.
    summary: Text = ""
    #: The canonical external title.
    title: NonEmptyText
    title_variants: list[NonEmptyText] = Field(default_factory=list)
    #: Rank comparable across the family's tracks; equal grades mean equal status and band.
    #: When omitted it is the level's 1-based position on its track.
    grade: int | None = Field(default=None, ge=1)
    band: CompensationBand | None = None
    min_months_in_level: int | None = Field(default=None, ge=0)


class Expectation(_Model):
    """What one competency looks like at one level: a proficiency and observable behaviour."""

    proficiency: int
    behaviour: BehaviourText = ""


class TrackKind(StrEnum):
    IC = "ic"
    MANAGEMENT = "management"
    NAMED = "named"


class Crossover(_Model):
    """Where a track branches off another one (typically management off IC)."""

    #: The level on the other track from which people may move onto this track.
    from_level: LevelCode
    #: The level on this track they move to.
    to_level: LevelCode
    entry_criteria: list[NonEmptyText] = Field(default_factory=list)
    #: Whether people may move back, without penalty, to the equivalent level they came from.
    two_way: bool = True


class Track(_Model):
    id: Identifier
    name: NonEmptyText
    kind: TrackKind = TrackKind.IC
    description: Text = ""
    crossover: Crossover | None = None
    #: Ordered from the first (most junior) level to the last.
    levels: list[Level] = Field(default_factory=list)
    #: competency id → level code → expectation. Its keys are the competencies this track assesses.
    expectations: dict[Identifier, dict[LevelCode, Expectation]] = Field(default_factory=dict)

    def level(self, code: str) -> Level | None:
        for level in self.levels:
            if level.code == code:
                return level
        return None

    def grade_of(self, code: str) -> int | None:
        for position, level in enumerate(self.levels, start=1):
            if level.code == code:
                return level.grade if level.grade is not None else position
        return None


class TimeUnit(StrEnum):
    QUARTERS = "quarters"
    CYCLES = "cycles"
    MONTHS = "months"


class TimeAtLevel(_Model):
    count: int = Field(ge=1)
    unit: TimeUnit = TimeUnit.QUARTERS


class RequiredCompetency(_Model):
    competency: Identifier
    minimum: float


class PromotionCriteria(_Model):
    """What moving from one level to the next asks; every part is optional."""

    from_level: LevelCode
    to_level: LevelCode
    #: Minimum average rating across the competencies of the target level.
    min_average: float | None = None
    #: No single competency rated below this.
    floor: float | None = None
    required: list[RequiredCompetency] = Field(default_factory=list)
    #: How long the person must already operate at the target level.
    time_at_next_level: TimeAtLevel | None = None
    scope_evidence: list[NonEmptyText] = Field(default_factory=list)
    #: Quota-style or other measurable outcomes (e.g. "120% of quota over 4 quarters").
    outcomes: list[NonEmptyText] = Field(default_factory=list)
    manager_endorsement: bool = True
    calibration: bool = True


class Family(_Model):
    """A job family (role cluster): roles that share skills and paths."""

    id: Identifier
    name: NonEmptyText
    description: Text = ""
    competencies: list[Competency] = Field(default_factory=list)
    core_overrides: dict[Identifier, CompetencyOverride] = Field(default_factory=dict)
    tracks: list[Track] = Field(default_factory=list)
    promotions: list[PromotionCriteria] = Field(default_factory=list)

    def track(self, track_id: str) -> Track | None:
        for track in self.tracks:
            if track.id == track_id:
                return track
        return None

    def find_level(self, code: str) -> tuple[Track, Level] | None:
        for track in self.tracks:
            level = track.level(code)
            if level is not None:
                return track, level
        return None


class LevelRef(_Model):
    family: Identifier
    level: LevelCode
    #: Only needed when the same level code appears on two tracks of the family.
    track: Identifier | None = None


class Gap(_Model):
    competency: Identifier
    #: The proficiency the destination expects; the gap closes when it is reached.
    target: int | None = None
    note: Text = ""


class LateralPath(_Model):
    """A move across families, naming what carries over and what must be learned."""

    source: LevelRef = Field(alias="from")
    destination: LevelRef = Field(alias="to")
    description: Text = ""
    transferable: list[Identifier] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)
    actions: list[NonEmptyText] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)


class Framework(_Model):
    """The whole career framework of one company."""

    trellis: int = FORMAT_VERSION
    name: NonEmptyText
    description: Text = ""
    #: The version label of this content, if the author keeps one in the file.
    version: Text = ""
    scale: RatingScale = Field(default_factory=RatingScale)
    core_competencies: list[Competency] = Field(default_factory=list)
    families: list[Family] = Field(default_factory=list)
    lateral_paths: list[LateralPath] = Field(default_factory=list)

    def family(self, family_id: str) -> Family | None:
        for family in self.families:
            if family.id == family_id:
                return family
        return None

    def competencies_for(self, family: Family, track: Track) -> list[Competency]:
        """The competencies assessed on `track`, in the order of its expectations.

        Core competencies carry the family's override where it has one.
        """
        by_id: dict[str, Competency] = {}
        for competency in self.core_competencies:
            override = family.core_overrides.get(competency.id)
            if override is not None:
                competency = competency.model_copy(
                    update={key: value for key, value in override.model_dump().items() if value}
                )
            by_id[competency.id] = competency
        for competency in family.competencies:
            by_id[competency.id] = competency
        return [by_id[key] for key in track.expectations if key in by_id]

    def competency_kind(self, competency_id: str) -> CompetencyKind | None:
        if any(c.id == competency_id for c in self.core_competencies):
            return CompetencyKind.CORE
        for family in self.families:
            if any(c.id == competency_id for c in family.competencies):
                return CompetencyKind.FUNCTIONAL
        return None
