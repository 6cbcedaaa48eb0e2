"""A large, realistic-shaped framework for benchmarks: 10 families × 2 tracks × 7 levels × 12
competencies (5 core + 7 functional), every cell with its own behaviour text."""

from __future__ import annotations

from trellis.framework.model import (
    Competency,
    Crossover,
    Expectation,
    Family,
    Framework,
    Gap,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    RequiredCompetency,
    TimeAtLevel,
    Track,
    TrackKind,
)

FAMILIES = 10
LEVELS = 7
CORE = ["communication", "ownership", "collaboration", "delivery", "technology_ai_fluency"]
FUNCTIONAL_PER_FAMILY = 7
SCOPES = [
    "their own tasks",
    "a feature",
    "a project",
    "their team",
    "several teams",
    "the department",
    "the company",
]
VERBS = ["Plans", "Delivers", "Reviews", "Explains", "Measures", "Improves", "Coordinates"]


def _behaviour(competency: str, level: int, track: str) -> str:
    verb = VERBS[(level + len(competency)) % len(VERBS)]
    return (
        f"{verb} {competency.replace('_', ' ')} work for {SCOPES[level]} on the {track} track "
        f"and records the outcome in a written review."
    )


def large_framework() -> Framework:
    families = []
    for family_index in range(FAMILIES):
        family_id = f"family-{family_index}"
        functional = [f"skill_{family_index}_{index}" for index in range(FUNCTIONAL_PER_FAMILY)]
        tracks = []
        for kind, prefix, grade_offset in ((TrackKind.IC, "IC", 0), (TrackKind.MANAGEMENT, "M", 0)):
            levels = [
                Level(
                    code=f"{prefix}{position}",
                    name=f"{prefix} level {position}",
                    title=f"{family_id} {prefix} title {position}",
                    summary=f"Works on {SCOPES[position - 1]} with growing autonomy.",
                    grade=position + grade_offset,
                    min_months_in_level=12,
                )
                for position in range(1, LEVELS + 1)
            ]
            expectations = {
                competency: {
                    level.code: Expectation(
                        proficiency=min(5, 1 + (position * 4) // (LEVELS - 1)),
                        behaviour=_behaviour(competency, position, kind.value),
                    )
                    for position, level in enumerate(levels)
                }
                for competency in CORE + functional
            }
            crossover = (
                Crossover(from_level="IC4", to_level="M1", entry_criteria=["Mentored two people"])
                if kind is TrackKind.MANAGEMENT
                else None
            )
            tracks.append(
                Track(
                    id=kind.value,
                    name=f"{kind.value} track",
                    kind=kind,
                    crossover=crossover,
                    levels=levels,
                    expectations=expectations,
                )
            )
        promotions = [
            PromotionCriteria(
                from_level=f"{prefix}{position}",
                to_level=f"{prefix}{position + 1}",
                min_average=3.0 if position < 4 else 3.5,
                floor=2 if position < 4 else 3,
                required=[RequiredCompetency(competency=functional[0], minimum=3)],
                time_at_next_level=TimeAtLevel(count=2),
                scope_evidence=[f"Led work for {SCOPES[position]}"],
            )
            for prefix in ("IC", "M")
            for position in range(1, LEVELS)
        ]
        families.append(
            Family(
                id=family_id,
                name=f"Family {family_index}",
                description="A generated family for benchmarks.",
                competencies=[
                    Competency(id=c, name=c.replace("_", " "), description=f"The skill {c}.")
                    for c in functional
                ],
                tracks=tracks,
                promotions=promotions,
            )
        )
    lateral = [
        LateralPath(
            source=LevelRef(family=f"family-{index}", level="IC4"),
            destination=LevelRef(family=f"family-{(index + 1) % FAMILIES}", level="IC4"),
            transferable=["communication", "delivery"],
            gaps=[Gap(competency=f"skill_{(index + 1) % FAMILIES}_0", target=3)],
            actions=["Join a project of the other family"],
        )
        for index in range(FAMILIES)
    ]
    return Framework(
        name="Benchmark company",
        core_competencies=[
            Competency(id=c, name=c.replace("_", " "), description=f"The core skill {c}.") for c in CORE
        ],
        families=families,
        lateral_paths=lateral,
    )
