"""Cross-reference checks: every id and level code a framework names must exist, once.

These are errors (TRL1xx): a framework with a dangling reference cannot be rendered or assessed
meaningfully. They run on every load, so both `trellis lint` and the app report them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from trellis.framework.diagnostics import Diagnostic, Path, Severity, did_you_mean
from trellis.framework.model import Family, Framework, LevelRef, Track

DUPLICATE_ID = "TRL101"
UNKNOWN_TRACK = "TRL102"
UNKNOWN_LEVEL = "TRL103"
UNKNOWN_COMPETENCY = "TRL104"
COMPETENCY_NOT_ON_TRACK = "TRL105"
UNKNOWN_FAMILY = "TRL106"
DUPLICATE_SCALE_VALUE = "TRL107"

REFERENCE_CODES = {
    DUPLICATE_ID: "two things of the same kind share an id or code",
    UNKNOWN_TRACK: "a track id that the family does not have",
    UNKNOWN_LEVEL: "a level code that the family or track does not have",
    UNKNOWN_COMPETENCY: "a competency id that is neither core nor in the family",
    COMPETENCY_NOT_ON_TRACK: "a functional competency used on a track it is limited away from",
    UNKNOWN_FAMILY: "a family id that the framework does not have",
    DUPLICATE_SCALE_VALUE: "two points of the rating scale share a value",
}


def _error(code: str, message: str, path: Path, hint: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, path=path, hint=hint)


def _duplicates(items: Iterable[tuple[str, Path]], what: str) -> Iterator[Diagnostic]:
    seen: dict[str, Path] = {}
    for key, path in items:
        if key in seen:
            yield _error(DUPLICATE_ID, f'{what} "{key}" is defined twice', path)
        else:
            seen[key] = path


def check_references(framework: Framework) -> list[Diagnostic]:
    """Every dangling or duplicated reference in `framework`, in document order."""
    found: list[Diagnostic] = []
    scale_values = [
        (str(p.value), ("scale", "points", i, "value")) for i, p in enumerate(framework.scale.points)
    ]
    for diagnostic in _duplicates(scale_values, "scale value"):
        found.append(_error(DUPLICATE_SCALE_VALUE, diagnostic.message, diagnostic.path))
    core_ids = {c.id for c in framework.core_competencies}
    found.extend(
        _duplicates(
            ((c.id, ("core_competencies", i, "id")) for i, c in enumerate(framework.core_competencies)),
            "core competency",
        )
    )
    found.extend(
        _duplicates(((f.id, ("families", i, "id")) for i, f in enumerate(framework.families)), "family")
    )
    for family_index, family in enumerate(framework.families):
        found.extend(_check_family(family, ("families", family_index), core_ids))
    for path_index, lateral in enumerate(framework.lateral_paths):
        base: Path = ("lateral_paths", path_index)
        known = set(core_ids)
        for key, reference in (("from", lateral.source), ("to", lateral.destination)):
            end = _check_level_ref(framework, reference, (*base, key), found)
            if end is not None:
                known.update(c.id for c in end.competencies)
        for index, competency in enumerate(lateral.transferable):
            if competency not in known:
                found.append(_unknown_competency(competency, (*base, "transferable", index), known))
        for index, gap in enumerate(lateral.gaps):
            if gap.competency not in known:
                found.append(_unknown_competency(gap.competency, (*base, "gaps", index, "competency"), known))
    return found


def _unknown_competency(competency: str, path: Path, known: Iterable[str]) -> Diagnostic:
    return _error(
        UNKNOWN_COMPETENCY,
        f'unknown competency "{competency}"',
        path,
        did_you_mean(competency, known),
    )


def _check_level_ref(
    framework: Framework, reference: LevelRef, path: Path, found: list[Diagnostic]
) -> Family | None:
    family = framework.family(reference.family)
    if family is None:
        found.append(
            _error(
                UNKNOWN_FAMILY,
                f'unknown family "{reference.family}"',
                (*path, "family"),
                did_you_mean(reference.family, (f.id for f in framework.families)),
            )
        )
        return None
    tracks: list[Track] = family.tracks
    if reference.track is not None:
        track = family.track(reference.track)
        if track is None:
            found.append(
                _error(
                    UNKNOWN_TRACK,
                    f'family "{family.id}" has no track "{reference.track}"',
                    (*path, "track"),
                    did_you_mean(reference.track, (t.id for t in family.tracks)),
                )
            )
            return family
        tracks = [track]
    codes = [level.code for track in tracks for level in track.levels]
    if reference.level not in codes:
        found.append(
            _error(
                UNKNOWN_LEVEL,
                f'family "{family.id}" has no level "{reference.level}"',
                (*path, "level"),
                did_you_mean(reference.level, codes),
            )
        )
    return family


def _check_family(family: Family, base: Path, core_ids: set[str]) -> Iterator[Diagnostic]:
    track_ids = [t.id for t in family.tracks]
    yield from _duplicates(
        ((t.id, (*base, "tracks", i, "id")) for i, t in enumerate(family.tracks)),
        f"track of family {family.id}",
    )
    functional = {c.id: c for c in family.competencies}
    yield from _duplicates(
        ((c.id, (*base, "competencies", i, "id")) for i, c in enumerate(family.competencies)),
        f"competency of family {family.id}",
    )
    for index, competency in enumerate(family.competencies):
        if competency.id in core_ids:
            yield _error(
                DUPLICATE_ID,
                f'"{competency.id}" is already a core competency',
                (*base, "competencies", index, "id"),
                "use core_overrides to reword a core competency for this family",
            )
        for position, track_id in enumerate(competency.tracks):
            if track_id not in track_ids:
                yield _error(
                    UNKNOWN_TRACK,
                    f'family "{family.id}" has no track "{track_id}"',
                    (*base, "competencies", index, "tracks", position),
                    did_you_mean(track_id, track_ids),
                )
    for competency_id in family.core_overrides:
        if competency_id not in core_ids:
            yield _error(
                UNKNOWN_COMPETENCY,
                f'core_overrides names "{competency_id}", which is not a core competency',
                (*base, "core_overrides", competency_id),
                did_you_mean(competency_id, core_ids),
            )
    known = core_ids | set(functional)
    all_codes: list[tuple[str, Path]] = []
    for track_index, track in enumerate(family.tracks):
        track_path: Path = (*base, "tracks", track_index)
        codes = [level.code for level in track.levels]
        all_codes.extend(
            (level.code, (*track_path, "levels", i, "code")) for i, level in enumerate(track.levels)
        )
        for competency_id, by_level in track.expectations.items():
            competency_path: Path = (*track_path, "expectations", competency_id)
            if competency_id not in known:
                yield _error(
                    UNKNOWN_COMPETENCY,
                    f'track "{track.id}" names unknown competency "{competency_id}"',
                    competency_path,
                    did_you_mean(competency_id, known),
                )
                continue
            definition = functional.get(competency_id)
            if definition is not None and definition.tracks and track.id not in definition.tracks:
                yield _error(
                    COMPETENCY_NOT_ON_TRACK,
                    f'competency "{competency_id}" is limited to tracks {", ".join(definition.tracks)}, not "{track.id}"',
                    competency_path,
                )
            for code in by_level:
                if code not in codes:
                    yield _error(
                        UNKNOWN_LEVEL,
                        f'track "{track.id}" has no level "{code}"',
                        (*competency_path, code),
                        did_you_mean(code, codes),
                    )
        if track.crossover is not None:
            crossover_path: Path = (*track_path, "crossover")
            others = [level.code for other in family.tracks if other is not track for level in other.levels]
            if track.crossover.from_level not in others:
                yield _error(
                    UNKNOWN_LEVEL,
                    f'crossover starts from "{track.crossover.from_level}", which is not a level of another track in "{family.id}"',
                    (*crossover_path, "from_level"),
                    did_you_mean(track.crossover.from_level, others),
                )
            if track.crossover.to_level not in codes:
                yield _error(
                    UNKNOWN_LEVEL,
                    f'crossover leads to "{track.crossover.to_level}", which is not a level of track "{track.id}"',
                    (*crossover_path, "to_level"),
                    did_you_mean(track.crossover.to_level, codes),
                )
    yield from _duplicates(all_codes, f"level code in family {family.id}")
    family_codes = [code for code, _ in all_codes]
    for index, criteria in enumerate(family.promotions):
        criteria_path: Path = (*base, "promotions", index)
        for key in ("from_level", "to_level"):
            code = getattr(criteria, key)
            if code not in family_codes:
                yield _error(
                    UNKNOWN_LEVEL,
                    f'family "{family.id}" has no level "{code}"',
                    (*criteria_path, key),
                    did_you_mean(code, family_codes),
                )
        for position, required in enumerate(criteria.required):
            if required.competency not in known:
                yield _error(
                    UNKNOWN_COMPETENCY,
                    f'promotion criteria name unknown competency "{required.competency}"',
                    (*criteria_path, "required", position, "competency"),
                    did_you_mean(required.competency, known),
                )
