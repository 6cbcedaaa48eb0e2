"""Hypothesis strategies that generate valid, varied frameworks.

Generated text includes what breaks naive writers: YAML indicators, quotes, leading "=" or "-",
words YAML 1.1 turns into booleans ("no", "on"), numbers as text, non-Latin scripts and line breaks.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

from trellis.framework.model import (
    CompensationBand,
    Competency,
    CompetencyOverride,
    Crossover,
    Expectation,
    Family,
    Framework,
    Gap,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    RatingPoint,
    RatingScale,
    RequiredCompetency,
    TimeAtLevel,
    TimeUnit,
    Track,
    TrackKind,
)

_TRICKY_WORDS = [
    "no",
    "yes",
    "on",
    "off",
    "null",
    "~",
    "3.5",
    "007",
    "0x1F",
    "=SUM(A1:A3)",
    "-1",
    "@home",
    "#tag",
    "key: value",
    "- item",
    "[list]",
    "{map}",
    "'quoted'",
    '"double"',
    "a|b",
    "*alias",
    "&anchor",
    "!tag",
    "%percent",
    "`tick`",
    "Übung",
    "développement",
    "Разработка",
    "開発者",
    "🚀",
]

_word = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=10),
    st.sampled_from(_TRICKY_WORDS),
)


def _sentence(words: list[str]) -> str:
    return " ".join(words)


#: Free text as the model keeps it: stripped of surrounding whitespace.
text = st.lists(_word, min_size=0, max_size=8).map(_sentence)
non_empty_text = st.lists(_word, min_size=1, max_size=8).map(_sentence)
multiline_text = st.lists(non_empty_text, min_size=1, max_size=3).map("\n".join)
any_text = st.one_of(text, multiline_text)

identifier = st.from_regex(r"[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,4})?", fullmatch=True)
level_code_prefix = st.sampled_from(["IC", "M", "L", "P", "NO", "ON", "S"])


@st.composite
def levels(draw: st.DrawFn, prefix: str, count: int) -> list[Level]:
    result = []
    for position in range(1, count + 1):
        band = draw(
            st.none()
            | st.builds(
                CompensationBand,
                minimum=st.integers(0, 200_000).map(float),
                maximum=st.integers(0, 400_000).map(float),
                currency=st.sampled_from(["EUR", "USD", "GBP"]),
            )
        )
        result.append(
            Level(
                code=f"{prefix}{position}",
                name=draw(non_empty_text),
                summary=draw(any_text),
                title=draw(non_empty_text),
                title_variants=draw(st.lists(non_empty_text, max_size=2)),
                grade=draw(st.none() | st.integers(1, 12)),
                band=band,
                min_months_in_level=draw(st.none() | st.integers(0, 36)),
            )
        )
    return result


@st.composite
def families(draw: st.DrawFn, family_id: str, core_ids: list[str]) -> Family:
    functional_ids = draw(st.lists(identifier.filter(lambda i: i not in core_ids), max_size=4, unique=True))
    track_count = draw(st.integers(1, 3))
    prefixes = draw(st.lists(level_code_prefix, min_size=track_count, max_size=track_count, unique=True))
    track_ids = [f"t{index}" for index in range(track_count)]
    tracks: list[Track] = []
    for index, (track_id, prefix) in enumerate(zip(track_ids, prefixes, strict=True)):
        track_levels = draw(levels(prefix, draw(st.integers(1, 7))))
        assessed = (
            draw(st.lists(st.sampled_from(core_ids + functional_ids), unique=True, max_size=6))
            if (core_ids or functional_ids)
            else []
        )
        expectations = {
            competency: {
                level.code: Expectation(proficiency=draw(st.integers(1, 5)), behaviour=draw(any_text))
                for level in track_levels
                if draw(st.booleans()) or level is track_levels[0]
            }
            for competency in assessed
        }
        crossover = None
        if index > 0 and tracks and draw(st.booleans()):
            crossover = Crossover(
                from_level=tracks[0].levels[0].code,
                to_level=track_levels[0].code,
                entry_criteria=draw(st.lists(non_empty_text, max_size=2)),
                two_way=draw(st.booleans()),
            )
        tracks.append(
            Track(
                id=track_id,
                name=draw(non_empty_text),
                kind=draw(st.sampled_from(list(TrackKind))),
                description=draw(any_text),
                crossover=crossover,
                levels=track_levels,
                expectations=expectations,
            )
        )
    codes = [level.code for track in tracks for level in track.levels]
    promotions = [
        PromotionCriteria(
            from_level=draw(st.sampled_from(codes)),
            to_level=draw(st.sampled_from(codes)),
            min_average=draw(st.none() | st.sampled_from([2.5, 3.0, 3.5, 4.0])),
            floor=draw(st.none() | st.integers(1, 4).map(float)),
            required=[
                RequiredCompetency(competency=competency, minimum=draw(st.sampled_from([3.0, 3.5, 4.0])))
                for competency in draw(st.lists(st.sampled_from(core_ids + functional_ids), max_size=2))
            ]
            if core_ids or functional_ids
            else [],
            time_at_next_level=draw(
                st.none()
                | st.builds(TimeAtLevel, count=st.integers(1, 4), unit=st.sampled_from(list(TimeUnit)))
            ),
            scope_evidence=draw(st.lists(non_empty_text, max_size=2)),
            outcomes=draw(st.lists(non_empty_text, max_size=1)),
            manager_endorsement=draw(st.booleans()),
            calibration=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Family(
        id=family_id,
        name=draw(non_empty_text),
        description=draw(any_text),
        competencies=[
            Competency(
                id=competency_id,
                name=draw(non_empty_text),
                category=draw(text),
                description=draw(any_text),
                tracks=draw(st.sampled_from([[], track_ids])),
            )
            for competency_id in functional_ids
        ],
        core_overrides={
            competency_id: CompetencyOverride(description=draw(non_empty_text))
            for competency_id in draw(st.lists(st.sampled_from(core_ids), max_size=1, unique=True))
        }
        if core_ids
        else {},
        tracks=tracks,
        promotions=promotions,
    )


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    """A framework whose references are all valid (lint may still have findings)."""
    core_ids = draw(st.lists(identifier, max_size=4, unique=True))
    family_ids = draw(st.lists(identifier.map(lambda i: f"f-{i}"), min_size=1, max_size=3, unique=True))
    built = [draw(families(family_id, core_ids)) for family_id in family_ids]
    lateral_paths = []
    for _ in range(draw(st.integers(0, 2))):
        source, destination = draw(st.sampled_from(built)), draw(st.sampled_from(built))
        if not source.tracks[0].levels or not destination.tracks[0].levels:
            continue
        known = core_ids + [c.id for c in source.competencies] + [c.id for c in destination.competencies]
        lateral_paths.append(
            LateralPath(
                source=LevelRef(family=source.id, level=source.tracks[0].levels[0].code),
                destination=LevelRef(
                    family=destination.id,
                    level=destination.tracks[0].levels[-1].code,
                    track=destination.tracks[0].id,
                ),
                description=draw(any_text),
                transferable=draw(st.lists(st.sampled_from(known), max_size=2, unique=True)) if known else [],
                gaps=[
                    Gap(competency=c, target=draw(st.none() | st.integers(1, 5)), note=draw(text))
                    for c in (
                        draw(st.lists(st.sampled_from(known), max_size=2, unique=True)) if known else []
                    )
                ],
                actions=draw(st.lists(non_empty_text, max_size=2)),
            )
        )
    scale = draw(
        st.none()
        | st.integers(3, 7).flatmap(
            lambda size: st.builds(
                RatingScale,
                points=st.tuples(*[non_empty_text for _ in range(size)]).map(
                    lambda labels: [
                        RatingPoint(value=value, label=label, anchor=label)
                        for value, label in enumerate(labels, start=1)
                    ]
                ),
            )
        )
    )
    return Framework(
        name=draw(non_empty_text),
        description=draw(any_text),
        version=draw(text),
        scale=scale if scale is not None else RatingScale(),
        core_competencies=[
            Competency(id=competency_id, name=draw(non_empty_text), description=draw(any_text))
            for competency_id in core_ids
        ],
        families=built,
        lateral_paths=lateral_paths,
    )
