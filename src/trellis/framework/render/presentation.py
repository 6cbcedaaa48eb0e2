"""Wording and structure shared by every renderer.

Markdown, HTML, CSV and the workbook describe the same framework; deriving their sentences and
their arrangement (ladders aligned by grade, crossover marks, criteria as facts) in one place keeps
them saying the same thing in the same words. Everything here returns plain text: each renderer
escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass

from trellis.framework.model import (
    CompensationBand,
    Competency,
    Crossover,
    Expectation,
    Family,
    Framework,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    RatingScale,
    TimeAtLevel,
    Track,
    TrackKind,
)

TRACK_KIND_LABELS = {
    TrackKind.IC: "Individual contributor track",
    TrackKind.MANAGEMENT: "Management track",
    TrackKind.NAMED: "Named track",
}

#: Shown where a track does not assess a competency at a level.
NOT_ASSESSED = "Not assessed at this level"


def format_number(value: float) -> str:
    """A threshold as a person writes it: 3.0 → "3", 3.5 → "3.5", 3.25 → "3.25"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def count_of(count: int, unit: str) -> str:
    """ "1 quarter", "2 quarters": `unit` is given in the singular."""
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def describe_time_at_level(time: TimeAtLevel) -> str:
    # The enum values are plural nouns ("quarters"); one of them reads "1 quarter".
    return count_of(time.count, time.unit.value.removesuffix("s"))


def describe_months(months: int) -> str:
    return count_of(months, "month")


def _format_amount(amount: float) -> str:
    return f"{int(amount):,}" if float(amount).is_integer() else f"{amount:,.2f}"


def describe_band(band: CompensationBand) -> str:
    """ "USD 120,000–150,000"."""
    return f"{band.currency} {_format_amount(band.minimum)}–{_format_amount(band.maximum)}"


def rating_text(scale: RatingScale, value: float) -> str:
    """A point of the scale with its label ("3 · Proficient"); a value between points stays a
    number ("3.5"), since no label describes it."""
    number = format_number(value)
    if float(value).is_integer():
        label = scale.label(int(value))
        if label != number:
            return f"{number} · {label}"
    return number


def level_label(level: Level) -> str:
    """ "IC3 Senior Engineer": the code people use internally and the title they use outside."""
    return f"{level.code} {level.title}"


def track_kind_label(track: Track) -> str:
    """What kind of track this is, or "" when its name already says so ("Management")."""
    label = TRACK_KIND_LABELS[track.kind]
    return "" if label.lower().startswith(track.name.lower()) else label


def competency_kind_label(framework: Framework, competency: Competency) -> str:
    """ "Core" or "Functional", followed by the category when there is one."""
    kind = framework.competency_kind(competency.id)
    parts = [kind.value.capitalize()] if kind is not None else []
    if competency.category:
        parts.append(competency.category)
    return " · ".join(parts)


def expectation_of(track: Track, competency_id: str, level_code: str) -> Expectation | None:
    return track.expectations.get(competency_id, {}).get(level_code)


def family_competencies(framework: Framework, family: Family) -> dict[str, Competency]:
    """Every competency a family can name (core ones with its overrides, then its own), by id."""
    every_id = [c.id for c in framework.core_competencies] + [c.id for c in family.competencies]
    # A track that assesses everything lets the model apply the family's overrides, so the rule for
    # overriding a core competency lives in one place (Framework.competencies_for).
    everything = Track(id="everything", name="everything", expectations={key: {} for key in every_id})
    return {competency.id: competency for competency in framework.competencies_for(family, everything)}


def all_competencies(framework: Framework) -> list[Competency]:
    """Each competency assessed anywhere in the framework, once, in first-use order.

    Core competencies appear with their framework-wide name: a family's override changes wording
    inside the family, not the identity of the competency across families.
    """
    seen: dict[str, Competency] = {}
    core = {c.id: c for c in framework.core_competencies}
    for family in framework.families:
        for track in family.tracks:
            for competency in framework.competencies_for(family, track):
                if competency.id not in seen:
                    seen[competency.id] = core.get(competency.id, competency)
    return list(seen.values())


# --- the career ladder ----------------------------------------------------------------------


@dataclass(frozen=True)
class LadderEntry:
    """One level in a cell of the ladder, with the crossovers that start or end at it."""

    level: Level
    crossover_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LadderRow:
    grade: int
    #: One tuple per track of the family, in track order; empty where a track has no level here.
    cells: tuple[tuple[LadderEntry, ...], ...]


@dataclass(frozen=True)
class CrossoverSummary:
    """A crossover with the two tracks it connects resolved."""

    track: Track
    crossover: Crossover
    #: The track the crossover starts from (None when the level is on no other track).
    origin: Track | None
    origin_level: Level | None
    destination_level: Level | None

    def sentence(self) -> str:
        """ "From IC3 Senior Engineer (Individual contributor) to M1 Team Lead (Management)."."""
        start = _level_with_track(self.crossover.from_level, self.origin_level, self.origin)
        end = _level_with_track(self.crossover.to_level, self.destination_level, self.track)
        return f"From {start} to {end}."

    def movement(self) -> str:
        if self.crossover.two_way:
            return "Two-way: people may move back to the equivalent level without penalty."
        return "One-way: moving back is a new decision, not a return."


def _level_with_track(code: str, level: Level | None, track: Track | None) -> str:
    text = level_label(level) if level is not None else code
    return f"{text} ({track.name})" if track is not None else text


def crossovers(family: Family) -> list[CrossoverSummary]:
    summaries: list[CrossoverSummary] = []
    for track in family.tracks:
        if track.crossover is None:
            continue
        origin = next(
            (
                other
                for other in family.tracks
                if other is not track and other.level(track.crossover.from_level)
            ),
            None,
        )
        summaries.append(
            CrossoverSummary(
                track=track,
                crossover=track.crossover,
                origin=origin,
                origin_level=origin.level(track.crossover.from_level) if origin is not None else None,
                destination_level=track.level(track.crossover.to_level),
            )
        )
    return summaries


def ladder(family: Family) -> list[LadderRow]:
    """The family's tracks side by side, one row per grade from the most junior up.

    Levels of different tracks with the same grade share a row: that is what parity between, say,
    a staff engineer and an engineering manager looks like on paper.
    """
    notes: dict[tuple[int, str], list[str]] = {}
    positions = {id(track): index for index, track in enumerate(family.tracks)}
    for summary in crossovers(family):
        if summary.origin is not None:
            notes.setdefault((positions[id(summary.origin)], summary.crossover.from_level), []).append(
                f"Crossover to {summary.crossover.to_level} ({summary.track.name})"
            )
            entry = f"Entry from {summary.crossover.from_level} ({summary.origin.name})"
        else:
            entry = f"Entry from {summary.crossover.from_level}"
        notes.setdefault((positions[id(summary.track)], summary.crossover.to_level), []).append(entry)
    by_grade: dict[int, list[list[LadderEntry]]] = {}
    for index, track in enumerate(family.tracks):
        for position, level in enumerate(track.levels, start=1):
            grade = level.grade if level.grade is not None else position
            cells = by_grade.setdefault(grade, [[] for _ in family.tracks])
            cells[index].append(LadderEntry(level, tuple(notes.get((index, level.code), []))))
    return [LadderRow(grade, tuple(tuple(cell) for cell in by_grade[grade])) for grade in sorted(by_grade)]


# --- promotion criteria and lateral paths as facts ------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A labelled statement: either one line of text or a list of items."""

    label: str
    text: str = ""
    items: tuple[str, ...] = ()


def _find(family: Family, code: str) -> tuple[Track | None, Level | None]:
    found = family.find_level(code)
    return found if found is not None else (None, None)


def promotion_title(family: Family, criteria: PromotionCriteria) -> str:
    """ "IC2 Engineer II → IC3 Senior Engineer", naming the tracks when the move changes track."""
    source_track, source = _find(family, criteria.from_level)
    destination_track, destination = _find(family, criteria.to_level)
    start = level_label(source) if source is not None else criteria.from_level
    end = level_label(destination) if destination is not None else criteria.to_level
    if source_track is not None and destination_track is not None and source_track is not destination_track:
        start = f"{start} ({source_track.name})"
        end = f"{end} ({destination_track.name})"
    return f"{start} → {end}"


def promotion_facts(framework: Framework, family: Family, criteria: PromotionCriteria) -> list[Fact]:
    """Every criterion of one transition, in the order a promotion committee walks through them."""
    scale = framework.scale
    names = family_competencies(framework, family)
    facts: list[Fact] = []
    if criteria.min_average is not None:
        facts.append(
            Fact(
                "Minimum average rating",
                f"{format_number(criteria.min_average)} across the competencies of {criteria.to_level}",
            )
        )
    if criteria.floor is not None:
        facts.append(Fact("Floor", f"no competency rated below {rating_text(scale, criteria.floor)}"))
    if criteria.required:
        facts.append(
            Fact(
                "Required competencies",
                items=tuple(
                    f"{_competency_name(names, required.competency)}: at least "
                    f"{rating_text(scale, required.minimum)}"
                    for required in criteria.required
                ),
            )
        )
    if criteria.time_at_next_level is not None:
        facts.append(
            Fact(
                "Operating at the next level",
                f"for {describe_time_at_level(criteria.time_at_next_level)} before the promotion",
            )
        )
    if criteria.scope_evidence:
        facts.append(Fact("Scope evidence", items=tuple(criteria.scope_evidence)))
    if criteria.outcomes:
        facts.append(Fact("Outcomes", items=tuple(criteria.outcomes)))
    facts.append(Fact("Manager endorsement", "required" if criteria.manager_endorsement else "not required"))
    facts.append(Fact("Calibration", "confirmed in calibration" if criteria.calibration else "not required"))
    return facts


def _competency_name(names: dict[str, Competency], competency_id: str) -> str:
    competency = names.get(competency_id)
    return competency.name if competency is not None else competency_id


def _level_ref_text(framework: Framework, reference: LevelRef) -> str:
    family = framework.family(reference.family)
    if family is None:
        return f"{reference.level} ({reference.family})"
    level: Level | None = None
    if reference.track is not None:
        track = family.track(reference.track)
        level = track.level(reference.level) if track is not None else None
    else:
        _, level = _find(family, reference.level)
    text = level_label(level) if level is not None else reference.level
    return f"{text} ({family.name})"


def lateral_title(framework: Framework, path: LateralPath) -> str:
    """ "D2 Senior Designer (Design) → PM1 Product Manager (Product)"."""
    return f"{_level_ref_text(framework, path.source)} → {_level_ref_text(framework, path.destination)}"


def lateral_facts(framework: Framework, path: LateralPath) -> list[Fact]:
    names: dict[str, Competency] = {}
    # Names as the destination family words them win: that is the family the person is moving to.
    for reference in (path.source, path.destination):
        family = framework.family(reference.family)
        if family is not None:
            names.update(family_competencies(framework, family))
    if not names:
        names = {c.id: c for c in framework.core_competencies}
    facts: list[Fact] = []
    if path.transferable:
        facts.append(
            Fact(
                "Transferable competencies",
                items=tuple(_competency_name(names, competency) for competency in path.transferable),
            )
        )
    if path.gaps:
        gaps: list[str] = []
        for gap in path.gaps:
            text = _competency_name(names, gap.competency)
            if gap.target is not None:
                text += f": reach {rating_text(framework.scale, gap.target)}"
            if gap.note:
                text += f" — {gap.note}"
            gaps.append(text)
        facts.append(Fact("Gaps to close", items=tuple(gaps)))
    if path.actions:
        facts.append(Fact("Actions", items=tuple(path.actions)))
    return facts


def split_paragraphs(text: str) -> list[list[str]]:
    """Text as paragraphs (separated by blank lines), each a list of its lines, stripped."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs
