"""Rules on the shape of families and tracks: competencies, levels, titles, parity and crossover.

These keep a framework usable as a whole: a handful of well-described competencies per track, a
number of levels that people can tell apart, one title per level, and an IC path that is as
valuable as the management one and connected to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from trellis.framework.diagnostics import Path
from trellis.framework.lint.context import LintContext, TrackView
from trellis.framework.lint.rule import Finding
from trellis.framework.model import Level, Track, TrackKind
from trellis.framework.wording import band

FEWEST_COMPETENCIES = 6
MOST_COMPETENCIES = 10
COMPETENCY_CEILING = 12
FEWEST_GRADES = 4
MOST_GRADES = 7


def competency_undescribed(context: LintContext) -> Iterator[Finding]:
    for index, competency in enumerate(context.framework.core_competencies):
        if not competency.description:
            yield _undescribed(competency.id, ("core_competencies", index, "description"), "core")
    for family_index, family in enumerate(context.framework.families):
        for index, competency in enumerate(family.competencies):
            if not competency.description:
                path: Path = ("families", family_index, "competencies", index, "description")
                yield _undescribed(competency.id, path, f'"{family.id}"')


def _undescribed(competency_id: str, path: Path, where: str) -> Finding:
    return Finding(
        path,
        f'{where} competency "{competency_id}" has no description',
        "say in one sentence what the competency covers, so every level's behaviour reads against it",
    )


def competency_count(context: LintContext) -> Iterator[Finding]:
    for view in context.tracks:
        count = len(view.track.expectations)
        if count > COMPETENCY_CEILING:
            continue  # TRL211 reports it, as an error
        if count < FEWEST_COMPETENCIES:
            hint = "add the core and functional competencies that decide success on this track"
        elif count > MOST_COMPETENCIES:
            hint = "merge overlapping competencies: each one adds a rating to every review"
        else:
            continue
        yield Finding(
            (*view.path, "expectations"),
            f'track "{view.track.id}" of "{view.family.id}" assesses {count} '
            f"competenc{'y' if count == 1 else 'ies'} (recommended {FEWEST_COMPETENCIES} to {MOST_COMPETENCIES})",
            hint,
        )


def too_many_competencies(context: LintContext) -> Iterator[Finding]:
    for view in context.tracks:
        competencies = list(view.track.expectations)
        if len(competencies) > COMPETENCY_CEILING:
            # Point at the first competency beyond the ceiling: that is where cutting starts.
            yield Finding(
                (*view.path, "expectations", competencies[COMPETENCY_CEILING]),
                f'track "{view.track.id}" of "{view.family.id}" assesses {len(competencies)} competencies, '
                f"more than the ceiling of {COMPETENCY_CEILING}",
                "merge or drop competencies: a review with this many ratings measures noise",
            )


def _grades(track: Track) -> list[int]:
    return [
        level.grade if level.grade is not None else position
        for position, level in enumerate(track.levels, start=1)
    ]


def level_count(context: LintContext) -> Iterator[Finding]:
    for family_index, family in enumerate(context.framework.families):
        grades = {grade for track in family.tracks for grade in _grades(track)}
        if FEWEST_GRADES <= len(grades) <= MOST_GRADES:
            continue
        if len(grades) < FEWEST_GRADES:
            hint = "with so few levels people wait years between promotions; split the widest level"
        else:
            hint = "levels this close are hard to tell apart in calibration; merge neighbouring ones"
        yield Finding(
            ("families", family_index, "tracks"),
            f'family "{family.id}" has {len(grades)} grade{"" if len(grades) == 1 else "s"} '
            f"across its tracks (recommended {FEWEST_GRADES} to {MOST_GRADES})",
            hint,
        )


def _top(view: TrackView) -> tuple[int, Level] | None:
    if not view.track.levels:
        return None
    top = view.track.levels[-1]
    return _grades(view.track)[-1], top


@dataclass(frozen=True, slots=True)
class _ManagementTops:
    """The tops of one family's management tracks that parity compares against, found once per
    family (not once per IC track: that would cost IC tracks × management tracks)."""

    #: The management track whose top has the highest grade (the first of equals), with it.
    highest: tuple[TrackView, int, Level] | None
    #: By currency: the management track whose top band has the highest maximum (the first of equals).
    best_band: dict[str, tuple[TrackView, Level]]

    @classmethod
    def of(cls, views: list[TrackView]) -> _ManagementTops:
        highest: tuple[TrackView, int, Level] | None = None
        best_band: dict[str, tuple[TrackView, Level]] = {}
        for other in views:
            if other.track.kind is not TrackKind.MANAGEMENT:
                continue
            other_top = _top(other)
            if other_top is None:
                continue
            grade, level = other_top
            if highest is None or grade > highest[1]:
                highest = (other, grade, level)
            if level.band is not None:
                best = best_band.get(level.band.currency)
                if best is None or (best[1].band is not None and level.band.maximum > best[1].band.maximum):
                    best_band[level.band.currency] = (other, level)
        return cls(highest, best_band)


def no_parity(context: LintContext) -> Iterator[Finding]:
    tops_by_family: dict[int, _ManagementTops] = {}
    for view in context.tracks:
        if not view.assesses_people_on_their_own_work:
            continue
        top = _top(view)
        if top is None:
            continue
        grade, level = top
        level_path: Path = (*view.path, "levels", len(view.track.levels) - 1)
        tops = tops_by_family.get(view.family_index)
        if tops is None:
            tops = tops_by_family[view.family_index] = _ManagementTops.of(
                context.family_tracks(view.family_index)
            )
        if tops.highest is None:
            continue
        highest_view, highest_grade, highest_level = tops.highest
        if grade < highest_grade:
            yield Finding(
                (*level_path, "grade"),
                f'top of track "{view.track.id}" ({level.code}, grade {grade}) ranks below the top of '
                f'management track "{highest_view.track.id}" ({highest_level.code}, grade {highest_grade})',
                "give the top IC level the grade of the top management level, so growing does not "
                "require managing people",
            )
        if level.band is None:
            continue
        best = tops.best_band.get(level.band.currency)
        if best is None:
            continue
        best_view, best_level = best
        assert best_level.band is not None
        if level.band.maximum < best_level.band.maximum:
            yield Finding(
                (*level_path, "band", "maximum"),
                f'top of track "{view.track.id}" ({level.code}) has the band {band(level.band)}, which '
                f'tops out below {band(best_level.band)} at the top of management track "{best_view.track.id}" '
                f"({best_level.code})",
                "equal status needs an equal band: raise the IC maximum to the management one",
            )


def no_crossover(context: LintContext) -> Iterator[Finding]:
    for family_index, family in enumerate(context.framework.families):
        views = context.family_tracks(family_index)
        if not any(view.assesses_people_on_their_own_work for view in views):
            continue
        for view in views:
            if view.track.kind is TrackKind.MANAGEMENT and view.track.crossover is None:
                yield Finding(
                    (*view.path, "crossover"),
                    f'management track "{view.track.id}" of "{family.id}" has no crossover',
                    "add a crossover with from_level, to_level and entry_criteria, so people know "
                    "where and how they can move into management",
                )


def level_unscoped(context: LintContext) -> Iterator[Finding]:
    for view in context.tracks:
        for index, level in enumerate(view.track.levels):
            if not level.summary:
                yield Finding(
                    (*view.path, "levels", index, "summary"),
                    f"level {level.code} has no summary of its scope and autonomy",
                    "say in one or two sentences what someone at this level owns and how independently",
                )


def _canonical(title: str) -> str:
    return " ".join(title.casefold().split())


def duplicate_title(context: LintContext) -> Iterator[Finding]:
    for family_index in range(len(context.framework.families)):
        first_with_title: dict[str, Level] = {}
        for view in context.family_tracks(family_index):
            for index, level in enumerate(view.track.levels):
                key = _canonical(level.title)
                earlier = first_with_title.setdefault(key, level)
                if earlier is not level:
                    yield Finding(
                        (*view.path, "levels", index, "title"),
                        f'level {level.code} has the same title "{level.title}" as {earlier.code}',
                        "give each level its own title; list other names under title_variants",
                    )
