"""Edge cases of the lint rules: exact paths, boundaries, false positives, broken references.

The golden cases under ``tests/cases/lint/`` show each rule end to end; these tests pin what a
golden file cannot show compactly — where each boundary sits and that nothing crashes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.framework.diagnostics import Diagnostic, Severity
from trellis.framework.lint import ALL_CODES, LOAD_AND_REFERENCE_CODES, RULES, Rule, lint
from trellis.framework.lint.behaviours import sentence_count
from trellis.framework.lint.traits import Phrase, find_phrases, trait_phrases
from trellis.framework.model import (
    CompensationBand,
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
    RatingPoint,
    RatingScale,
    RequiredCompetency,
    TimeAtLevel,
    Track,
    TrackKind,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "lint-rules.md"

# Four sentences different enough from each other that no two adjacent ones look copied.
LEVEL_SENTENCES = (
    "Completes assigned {c} tasks with guidance from a senior colleague.",
    "Plans and delivers the {c} work of a feature without supervision.",
    "Leads {c} across a project that involves two or more teams.",
    "Sets the {c} standards the whole organisation follows and reviews them every year.",
)
CORE_IDS = ("communication", "ownership", "collaboration", "delivery")
FUNCTIONAL_IDS = ("system_design", "technical_quality")


def make_track(
    track_id: str = "ic",
    *,
    kind: TrackKind = TrackKind.IC,
    prefix: str = "IC",
    levels: int = 4,
    competencies: tuple[str, ...] = CORE_IDS + FUNCTIONAL_IDS,
    first_proficiency: int = 1,
) -> Track:
    level_list = [
        Level(
            code=f"{prefix}{number}",
            name=f"{prefix} level {number}",
            title=f"{track_id.title()} title {number}",
            summary=f"Scope and autonomy of {prefix}{number}.",
        )
        for number in range(1, levels + 1)
    ]
    return Track(
        id=track_id,
        name=track_id.title(),
        kind=kind,
        levels=level_list,
        expectations={
            competency: {
                level.code: Expectation(
                    proficiency=min(5, first_proficiency + index),
                    behaviour=LEVEL_SENTENCES[index % 4].format(c=competency.replace("_", " ")),
                )
                for index, level in enumerate(level_list)
            }
            for competency in competencies
        },
    )


def promotions_for(*tracks: Track) -> list[PromotionCriteria]:
    return [
        PromotionCriteria(from_level=lower.code, to_level=higher.code, min_average=3.5, floor=3)
        for track in tracks
        for lower, higher in zip(track.levels, track.levels[1:], strict=False)
    ]


def make_framework(*tracks: Track) -> Framework:
    """A framework that passes every rule: one engineering family with the given tracks (default IC)."""
    tracks = tracks or (make_track(),)
    return Framework(
        name="Test",
        core_competencies=[
            Competency(id=competency, name=competency.title(), description=f"What {competency} covers.")
            for competency in CORE_IDS
        ],
        families=[
            Family(
                id="engineering",
                name="Engineering",
                competencies=[
                    Competency(
                        id=competency, name=competency.title(), description=f"What {competency} covers."
                    )
                    for competency in FUNCTIONAL_IDS
                ],
                tracks=list(tracks),
                promotions=promotions_for(*tracks),
            )
        ],
    )


def codes(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [diagnostic for diagnostic in diagnostics if diagnostic.code == code]


IC = ("families", 0, "tracks", 0)


def expectation_path(competency: str, level: str, *rest: str, track: int = 0) -> tuple[Any, ...]:
    return ("families", 0, "tracks", track, "expectations", competency, level, *rest)


# --- the catalogue -----------------------------------------------------------------------------

SPECIFIED_RULES = {
    "TRL201": ("trait-wording", Severity.WARNING),
    "TRL202": ("missing-behaviour", Severity.WARNING),
    "TRL203": ("no-progression", Severity.WARNING),
    "TRL204": ("proficiency-decreases", Severity.ERROR),
    "TRL205": ("proficiency-outside-scale", Severity.ERROR),
    "TRL206": ("behaviour-too-long", Severity.WARNING),
    "TRL207": ("competency-undescribed", Severity.WARNING),
    "TRL210": ("competency-count", Severity.WARNING),
    "TRL211": ("too-many-competencies", Severity.ERROR),
    "TRL212": ("level-count", Severity.WARNING),
    "TRL213": ("no-parity", Severity.WARNING),
    "TRL214": ("no-crossover", Severity.WARNING),
    "TRL215": ("level-unscoped", Severity.WARNING),
    "TRL216": ("duplicate-title", Severity.WARNING),
    "TRL217": ("missing-promotion-criteria", Severity.WARNING),
    "TRL218": ("scale-unanchored", Severity.WARNING),
    "TRL220": ("lateral-no-transferable", Severity.WARNING),
    "TRL221": ("lateral-no-gaps", Severity.WARNING),
    "TRL230": ("threshold-outside-scale", Severity.ERROR),
    "TRL231": ("floor-above-average", Severity.WARNING),
    "TRL232": ("criteria-empty", Severity.WARNING),
}


def test_rules_are_exactly_the_catalogue() -> None:
    assert {code: (rule.name, rule.severity) for code, rule in RULES.items()} == SPECIFIED_RULES
    assert all(rule.code == code and rule.summary for code, rule in RULES.items())


def test_rule_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES["TRL201"].severity = Severity.ERROR  # type: ignore[misc]


def test_all_codes_cover_loader_and_reference_codes_as_errors() -> None:
    assert list(LOAD_AND_REFERENCE_CODES) == [
        *("TRL001", "TRL002", "TRL003", "TRL004", "TRL010", "TRL011", "TRL012", "TRL013"),
        *("TRL101", "TRL102", "TRL103", "TRL104", "TRL105", "TRL106", "TRL107"),
    ]
    assert {rule.severity for rule in LOAD_AND_REFERENCE_CODES.values()} == {Severity.ERROR}
    assert ALL_CODES == {**LOAD_AND_REFERENCE_CODES, **RULES}


def test_docs_have_an_entry_for_every_code() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [
        f"{code} {rule.name}" for code, rule in ALL_CODES.items() if f"### {code} {rule.name}" not in text
    ]
    assert missing == []


def test_clean_framework_has_no_findings() -> None:
    assert lint(make_framework()) == []


def test_diagnostics_carry_the_rule_code_and_severity() -> None:
    framework = make_framework()
    framework.families[0].tracks[0].expectations["ownership"]["IC4"].proficiency = 2
    [diagnostic] = lint(framework)
    assert (diagnostic.code, diagnostic.severity, diagnostic.location) == ("TRL204", Severity.ERROR, None)


# --- TRL201 trait wording ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Leads the design review for a cross-team project",
        "Shows new joiners how to deploy the service on their first day.",
        "Demonstrates the prototype to customers and records their objections.",
        "Thinks through failure modes before a launch and writes them in the design doc.",
        "Ensures the pipeline is reliable by adding retries and alerting on failures.",
        "Keeps the rollout driven by data: each stage is driven by the error budget.",
        "Is on call for the payments service one week in six.",
        "Takes ownership of incidents in their area and writes the review within a week.",
        "Owns the roadmap of the team and publishes it every quarter.",
        "Coaches engineers until they lead projects of their own.",
        "Has the release plan reviewed by the two teams that depend on it.",
        "Is motivated to ship small changes; each one is committed and reviewed the same day.",
        "Displays the team's delivery metrics on a dashboard that managers read weekly.",
    ],
)
def test_observable_sentences_are_not_traits(sentence: str) -> None:
    assert trait_phrases(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        ("Demonstrates leadership.", ["Demonstrates leadership"]),
        ("demonstrates strong leadership in reviews", ["demonstrates strong leadership"]),
        ("Thinks strategically about the roadmap.", ["Thinks strategically"]),
        ("Is a team player.", ["Is a team player"]),
        ("Has a growth mindset and a good attitude.", ["Has a growth mindset", "good attitude"]),
        ("Is passionate about quality.", ["Is passionate about"]),
        ("A strong communicator with customers.", ["strong communicator"]),
        ("Shows ownership of the service.", ["Shows ownership"]),
        ("Is proactive in reviews.", ["Is proactive"]),
        ("Is highly self-motivated.", ["Is highly self-motivated"]),
        ("Exhibits good judgement under pressure.", ["Exhibits good judgement"]),
        ("Has integrity and goes above and beyond.", ["Has integrity", "goes above and beyond"]),
        ("Is a strategic thinker.", ["Is a strategic thinker"]),
        ("DEMONSTRATES LEADERSHIP", ["DEMONSTRATES LEADERSHIP"]),
    ],
)
def test_trait_phrases_are_found_as_written(sentence: str, phrases: list[str]) -> None:
    assert trait_phrases(sentence) == phrases


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        ("Has a strong understanding of testing.", ["Has a strong understanding of"]),
        ("Has deep knowledge of the billing system.", ["Has deep knowledge of"]),
        ("With a good grasp of SQL.", ["With a good grasp of"]),
        ("Has experience with Kubernetes.", ["Has experience with"]),
        ("Is good at estimates and is comfortable with ambiguity.", ["Is good at", "is comfortable with"]),
        ("Is very familiar with the codebase.", ["Is very familiar with"]),
        ("Understands the importance of tests.", ["Understands the importance of"]),
        ("Writes tests, docs, etc. for each change.", ["etc."]),
        ("Reviews designs and so on.", ["and so on"]),
        ("Escalates incidents as needed.", ["as needed"]),
        ("Pairs with juniors where appropriate.", ["where appropriate"]),
    ],
)
def test_vague_qualifiers_are_found_as_written(sentence: str, phrases: list[str]) -> None:
    assert trait_phrases(sentence) == phrases
    assert all(phrase.vague for phrase in find_phrases(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Has the experience report reviewed by two teams.",
        "Is good for a week of on-call without escalation.",
        "Writes the knowledge base article of each incident within a day.",
        "Is needed in every launch review; asks what is needed as a checklist.",
        "Keeps a good record of decisions in the design doc.",
        "Sets up the etcd cluster and documents its recovery.",
    ],
)
def test_observable_sentences_have_no_vague_qualifier(sentence: str) -> None:
    assert trait_phrases(sentence) == []


def test_a_vague_qualifier_and_a_trait_are_told_apart() -> None:
    assert find_phrases("Is good at reviews and demonstrates leadership.") == [
        Phrase("Is good at", vague=True),
        Phrase("demonstrates leadership", vague=False),
    ]


def test_trait_wording_names_a_vague_qualifier_as_one() -> None:
    framework = make_framework()
    framework.families[0].tracks[0].expectations["communication"][
        "IC3"
    ].behaviour = "Has a strong understanding of the API, docs, etc."
    found = codes(lint(framework), "TRL201")
    assert [(d.path, d.message, d.hint) for d in found] == [
        (
            expectation_path("communication", "IC3", "behaviour"),
            f'"{phrase}" is a vague qualifier, not an observable behaviour',
            "say what the person does with it, so that two managers reach the same rating",
        )
        for phrase in ("Has a strong understanding of", "etc.")
    ]


def test_traits_match_whole_words_only() -> None:
    assert trait_phrases("Demonstrates leaderships") == []
    assert trait_phrases("Reshows ownership") == []


def test_trait_wording_points_at_the_behaviour_and_quotes_each_phrase() -> None:
    framework = make_framework()
    framework.families[0].tracks[0].expectations["communication"][
        "IC3"
    ].behaviour = "Demonstrates leadership and thinks strategically."
    found = codes(lint(framework), "TRL201")
    assert [(d.path, d.message) for d in found] == [
        (
            expectation_path("communication", "IC3", "behaviour"),
            '"Demonstrates leadership" describes a trait, not an observable behaviour',
        ),
        (
            expectation_path("communication", "IC3", "behaviour"),
            '"thinks strategically" describes a trait, not an observable behaviour',
        ),
    ]
    assert found[0].hint == "describe what the person does: an active verb and a result others can see"


# --- TRL202 to TRL206: competency lines ----------------------------------------------------------


def test_missing_expectation_points_at_the_competency_and_empty_behaviour_at_the_behaviour() -> None:
    framework = make_framework()
    expectations = framework.families[0].tracks[0].expectations
    del expectations["delivery"]["IC2"]
    expectations["ownership"]["IC4"].behaviour = ""
    found = codes(lint(framework), "TRL202")
    # Competency by competency, in the track's order: ownership comes before delivery.
    assert [(d.path, d.message) for d in found] == [
        (expectation_path("ownership", "IC4", "behaviour"), '"ownership" at level IC4 has no behaviour'),
        (
            (*IC, "expectations", "delivery"),
            '"delivery" has no expectation at level IC2 of track "ic"',
        ),
    ]


def test_no_progression_compares_adjacent_described_levels() -> None:
    framework = make_framework()
    line = framework.families[0].tracks[0].expectations["delivery"]
    line["IC2"].behaviour = line["IC1"].behaviour.upper() + "  "  # case and spacing do not count
    # 11 words against 9, all 9 shared: a ratio of 18/20, exactly the threshold.
    line["IC4"].behaviour = line["IC3"].behaviour.replace("two or more", "two")
    found = codes(lint(framework), "TRL203")
    assert [(d.path, d.message) for d in found] == [
        (
            expectation_path("delivery", "IC2", "behaviour"),
            'behaviour of "delivery" at IC2 is the same as at IC1',
        ),
        (
            expectation_path("delivery", "IC4", "behaviour"),
            'behaviour of "delivery" at IC4 is 90% the same as at IC3',
        ),
    ]


def test_no_progression_skips_a_level_without_expectation() -> None:
    framework = make_framework()
    line = framework.families[0].tracks[0].expectations["delivery"]
    line["IC3"] = line["IC1"].model_copy()
    del line["IC2"]
    [found] = codes(lint(framework), "TRL203")
    assert found.path == expectation_path("delivery", "IC3", "behaviour")


def test_similarity_just_below_the_threshold_is_progression() -> None:
    framework = make_framework()
    line = framework.families[0].tracks[0].expectations["delivery"]
    # 11 words against 8, all 8 shared: 16/19 is about 0.84.
    line["IC4"].behaviour = line["IC3"].behaviour.replace("two or more teams", "teams")
    assert codes(lint(framework), "TRL203") == []


def test_different_behaviours_are_progression() -> None:
    framework = make_framework()
    line = framework.families[0].tracks[0].expectations["delivery"]
    line["IC2"].behaviour = "Completes assigned delivery tasks with guidance from a peer."
    assert codes(lint(framework), "TRL203") == []


def test_proficiency_decrease_points_at_the_higher_level() -> None:
    framework = make_framework()
    framework.families[0].tracks[0].expectations["system_design"]["IC3"].proficiency = 1
    found = codes(lint(framework), "TRL204")
    assert [(d.path, d.message) for d in found] == [
        (
            expectation_path("system_design", "IC3", "proficiency"),
            'expected proficiency of "system_design" drops from 2 at IC2 to 1 at IC3',
        )
    ]


def test_equal_proficiency_on_adjacent_levels_is_allowed() -> None:
    framework = make_framework()
    framework.families[0].tracks[0].expectations["system_design"]["IC3"].proficiency = 2
    assert codes(lint(framework), "TRL204") == []


def test_proficiency_must_be_a_scale_value_not_just_in_range() -> None:
    framework = make_framework()
    framework.scale = RatingScale(
        points=[RatingPoint(value=value, label=str(value), anchor="An anchor.") for value in (1, 2, 4, 5)]
    )
    found = codes(lint(framework), "TRL205")
    assert {d.path for d in found} == {
        expectation_path(competency, "IC3", "proficiency") for competency in CORE_IDS + FUNCTIONAL_IDS
    }
    assert found[0].message == 'proficiency 3 of "communication" at IC3 is not a value of the rating scale'
    assert found[0].hint == "use one of 1, 2, 4, 5"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("Writes tests.", 1),
        ("Writes tests. Reviews code.", 2),
        ("Writes tests! Reviews code? Ships it.", 3),
        ("Uses a design doc, e.g. an RFC, for every change.", 1),
        ("Keeps the average above 3.5 for the team. Reports it monthly", 2),
        ('Says "no." Then explains why.', 2),
    ],
)
def test_sentence_count(text: str, count: int) -> None:
    assert sentence_count(text) == count


def test_behaviour_length_boundaries() -> None:
    framework = make_framework()
    line = framework.families[0].tracks[0].expectations["communication"]
    line["IC1"].behaviour = "W" * 319 + "."  # 320 characters: allowed
    line["IC2"].behaviour = "W" * 320 + "."  # 321 characters
    line["IC3"].behaviour = "Writes. Reviews."  # two sentences: allowed
    line["IC4"].behaviour = "Writes. Reviews. Ships. " + "x" * 300  # "x…" does not start a sentence
    found = codes(lint(framework), "TRL206")
    assert [(d.path[-2], d.message) for d in found] == [
        ("IC2", 'behaviour of "communication" at IC2 has 321 characters (at most 320)'),
        (
            "IC4",
            'behaviour of "communication" at IC4 has 3 sentences (at most 2) and 324 characters (at most 320)',
        ),
    ]


# --- TRL207 to TRL218: structure -----------------------------------------------------------------


def test_undescribed_core_and_functional_competencies() -> None:
    framework = make_framework()
    framework.core_competencies[1].description = ""
    framework.families[0].competencies[0].description = ""
    found = codes(lint(framework), "TRL207")
    assert [(d.path, d.message) for d in found] == [
        (("core_competencies", 1, "description"), 'core competency "ownership" has no description'),
        (
            ("families", 0, "competencies", 0, "description"),
            '"engineering" competency "system_design" has no description',
        ),
    ]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(5, ["TRL210"]), (6, []), (10, []), (11, ["TRL210"]), (12, ["TRL210"]), (13, ["TRL211"])],
)
def test_competency_count_boundaries(count: int, expected: list[str]) -> None:
    extra = tuple(f"skill_{index}" for index in range(count - 4))
    framework = make_framework(make_track(competencies=CORE_IDS + extra))
    framework.families[0].competencies = [
        Competency(id=competency, name=competency, description="Covered.") for competency in extra
    ]
    found = [d.code for d in lint(framework) if d.code in {"TRL210", "TRL211"}]
    assert found == expected


def test_too_many_competencies_points_at_the_first_beyond_the_ceiling() -> None:
    extra = tuple(f"skill_{index}" for index in range(10))
    framework = make_framework(make_track(competencies=CORE_IDS + extra))
    framework.families[0].competencies = [
        Competency(id=competency, name=competency, description="Covered.") for competency in extra
    ]
    [found] = codes(lint(framework), "TRL211")
    assert found.path == (*IC, "expectations", "skill_8")
    assert (
        found.message == 'track "ic" of "engineering" assesses 14 competencies, more than the ceiling of 12'
    )
    assert found.severity is Severity.ERROR


def test_level_count_uses_distinct_grades_across_tracks() -> None:
    # IC1–IC4 and M1–M2 at grades 3 and 4: four distinct grades.
    management = make_track(
        "management", kind=TrackKind.MANAGEMENT, prefix="M", levels=2, competencies=CORE_IDS[:4]
    )
    management.levels[0].grade, management.levels[1].grade = 3, 4
    management.crossover = Crossover(from_level="IC2", to_level="M1")
    framework = make_framework(make_track(), management)
    assert codes(lint(framework), "TRL212") == []
    management.levels[1].grade = 9  # a fifth grade, still fine
    assert codes(lint(framework), "TRL212") == []


@pytest.mark.parametrize(("levels", "flagged"), [(3, True), (4, False), (7, False), (8, True)])
def test_level_count_boundaries(levels: int, flagged: bool) -> None:
    framework = make_framework(make_track(levels=levels))
    found = codes(lint(framework), "TRL212")
    assert bool(found) is flagged
    if found:
        assert found[0].path == ("families", 0, "tracks")
        assert (
            found[0].message
            == f'family "engineering" has {levels} grades across its tracks (recommended 4 to 7)'
        )


def test_a_family_without_tracks_has_too_few_grades() -> None:
    framework = make_framework()
    framework.families[0].tracks = []
    framework.families[0].promotions = []
    [found] = codes(lint(framework), "TRL212")
    assert found.message == 'family "engineering" has 0 grades across its tracks (recommended 4 to 7)'


def dual_track(ic_grade: int | None = None, management_grade: int = 4) -> Framework:
    ic = make_track()
    ic.levels[-1].grade = ic_grade
    management = make_track("management", kind=TrackKind.MANAGEMENT, prefix="M", levels=2)
    management.levels[0].grade, management.levels[1].grade = management_grade - 1, management_grade
    management.crossover = Crossover(from_level="IC3", to_level="M1", entry_criteria=["Mentored two people"])
    return make_framework(ic, management)


def test_parity_holds_when_the_top_grades_are_equal() -> None:
    assert codes(lint(dual_track()), "TRL213") == []


def test_no_parity_on_grade_points_at_the_top_ic_level() -> None:
    framework = dual_track(management_grade=5)
    [found] = codes(lint(framework), "TRL213")
    assert found.path == (*IC, "levels", 3, "grade")
    assert found.message == (
        'top of track "ic" (IC4, grade 4) ranks below the top of management track "management" (M2, grade 5)'
    )


def test_no_parity_on_band_compares_maxima_in_the_same_currency() -> None:
    framework = dual_track()
    ic_top = framework.families[0].tracks[0].levels[-1]
    management_top = framework.families[0].tracks[1].levels[-1]
    ic_top.band = CompensationBand(minimum=150000, maximum=200000)
    management_top.band = CompensationBand(minimum=150000, maximum=230000.5)
    [found] = codes(lint(framework), "TRL213")
    assert found.path == (*IC, "levels", 3, "band", "maximum")
    assert found.message == (
        'top of track "ic" (IC4) has the band USD 150,000–200,000, which tops out below '
        'USD 150,000–230,000.50 at the top of management track "management" (M2)'
    )
    management_top.band = CompensationBand(minimum=150000, maximum=230000, currency="EUR")
    assert codes(lint(framework), "TRL213") == []


def test_named_tracks_need_parity_too() -> None:
    framework = dual_track(management_grade=5)
    framework.families[0].tracks[0].kind = TrackKind.NAMED
    assert len(codes(lint(framework), "TRL213")) == 1


def test_no_crossover_only_when_a_family_has_both_kinds_of_track() -> None:
    framework = dual_track()
    framework.families[0].tracks[1].crossover = None
    [found] = codes(lint(framework), "TRL214")
    assert found.path == ("families", 0, "tracks", 1, "crossover")
    assert found.message == 'management track "management" of "engineering" has no crossover'
    del framework.families[0].tracks[0]
    assert codes(lint(framework), "TRL214") == []


def test_unscoped_level_and_duplicate_title_paths() -> None:
    framework = dual_track()
    framework.families[0].tracks[0].levels[1].summary = ""
    framework.families[0].tracks[1].levels[0].title = "  IC TITLE 3 "  # same as IC3 once canonical
    found = [d for d in lint(framework) if d.code in {"TRL215", "TRL216"}]
    assert [(d.code, d.path, d.message) for d in found] == [
        ("TRL215", (*IC, "levels", 1, "summary"), "level IC2 has no summary of its scope and autonomy"),
        (
            "TRL216",
            ("families", 0, "tracks", 1, "levels", 0, "title"),
            'level M1 has the same title "IC TITLE 3" as IC3',
        ),
    ]


def test_missing_promotion_criteria_points_at_the_higher_level_code() -> None:
    framework = make_framework()
    framework.families[0].promotions = [
        p for p in framework.families[0].promotions if (p.from_level, p.to_level) != ("IC2", "IC3")
    ]
    [found] = codes(lint(framework), "TRL217")
    assert found.path == (*IC, "levels", 2, "code")
    assert found.message == 'no promotion criteria for IC2 → IC3 in "engineering"'


def test_reversed_criteria_do_not_count() -> None:
    framework = make_framework()
    framework.families[0].promotions[0] = PromotionCriteria(from_level="IC2", to_level="IC1", min_average=3)
    assert [d.path for d in codes(lint(framework), "TRL217")] == [(*IC, "levels", 1, "code")]


def test_scale_anchors_and_gaps() -> None:
    framework = make_framework()
    framework.scale = RatingScale(
        points=[
            RatingPoint(value=1, label="One", anchor="Anchored."),
            RatingPoint(value=2, label="Two"),
            RatingPoint(value=3, label="Three", anchor="Anchored."),
            RatingPoint(value=6, label="Six", anchor="Anchored."),
        ]
    )
    found = codes(lint(framework), "TRL218")
    assert [(d.path, d.message) for d in found] == [
        (("scale", "points", 1, "anchor"), 'scale point 2 ("Two") has no anchor'),
        (("scale", "points", 3, "value"), "scale values 1, 2, 3, 6 skip 4, 5"),
    ]


def test_default_scale_is_anchored_and_consecutive() -> None:
    assert codes(lint(make_framework()), "TRL218") == []


# --- TRL220, TRL221: lateral paths ---------------------------------------------------------------


def test_lateral_paths_need_transferable_competencies_and_gaps() -> None:
    framework = make_framework()
    framework.lateral_paths = [
        LateralPath(
            source=LevelRef(family="engineering", level="IC3"),
            destination=LevelRef(family="engineering", level="IC2"),
        ),
        LateralPath(
            source=LevelRef(family="engineering", level="IC3"),
            destination=LevelRef(family="engineering", level="IC2"),
            transferable=["communication"],
            gaps=[Gap(competency="delivery", target=3)],
        ),
    ]
    found = [d for d in lint(framework) if d.code in {"TRL220", "TRL221"}]
    assert [(d.code, d.path, d.message) for d in found] == [
        (
            "TRL220",
            ("lateral_paths", 0, "transferable"),
            "lateral path engineering IC3 → engineering IC2 names no transferable competencies",
        ),
        (
            "TRL221",
            ("lateral_paths", 0, "gaps"),
            "lateral path engineering IC3 → engineering IC2 names no gaps to close",
        ),
    ]


# --- TRL230 to TRL232: promotion criteria --------------------------------------------------------


def test_thresholds_on_the_scale_edges_are_inside() -> None:
    framework = make_framework()
    framework.families[0].promotions[0] = PromotionCriteria(
        from_level="IC1",
        to_level="IC2",
        min_average=5,
        floor=1,
        required=[RequiredCompetency(competency="delivery", minimum=5)],
    )
    assert codes(lint(framework), "TRL230") == []


def test_thresholds_outside_the_scale() -> None:
    framework = make_framework()
    framework.families[0].promotions[1] = PromotionCriteria(
        from_level="IC2",
        to_level="IC3",
        min_average=5.5,
        floor=0.5,
        required=[
            RequiredCompetency(competency="delivery", minimum=3),
            RequiredCompetency(competency="ownership", minimum=7),
        ],
    )
    found = codes(lint(framework), "TRL230")
    base = ("families", 0, "promotions", 1)
    assert [(d.path, d.message, d.hint) for d in found] == [
        (
            (*base, "min_average"),
            "min_average 5.5 in IC2 → IC3 lies outside the rating scale (1 to 5)",
            "no rating can reach it",
        ),
        (
            (*base, "floor"),
            "floor 0.5 in IC2 → IC3 lies outside the rating scale (1 to 5)",
            "every rating already meets it",
        ),
        (
            (*base, "required", 1, "minimum"),
            'minimum 7 for "ownership" in IC2 → IC3 lies outside the rating scale (1 to 5)',
            "no rating can reach it",
        ),
    ]
    assert {d.severity for d in found} == {Severity.ERROR}


@pytest.mark.parametrize(("floor", "flagged"), [(3.5, False), (3.6, True)])
def test_floor_above_average(floor: float, flagged: bool) -> None:
    framework = make_framework()
    framework.families[0].promotions[0] = PromotionCriteria(
        from_level="IC1", to_level="IC2", min_average=3.5, floor=floor
    )
    found = codes(lint(framework), "TRL231")
    assert [d.path for d in found] == ([("families", 0, "promotions", 0, "floor")] if flagged else [])


@pytest.mark.parametrize(
    ("criteria", "flagged"),
    [
        ({}, True),
        ({"manager_endorsement": True, "calibration": True}, True),
        ({"outcomes": ["120% of quota over four quarters"]}, False),
        ({"scope_evidence": ["Led a launch"]}, False),
        ({"time_at_next_level": TimeAtLevel(count=2)}, False),
        ({"required": [RequiredCompetency(competency="delivery", minimum=3)]}, False),
        ({"floor": 3}, False),
        ({"min_average": 3}, False),
    ],
)
def test_criteria_empty(criteria: dict[str, Any], flagged: bool) -> None:
    framework = make_framework()
    framework.families[0].promotions[0] = PromotionCriteria(from_level="IC1", to_level="IC2", **criteria)
    found = codes(lint(framework), "TRL232")
    assert [(d.path, d.message) for d in found] == (
        [(("families", 0, "promotions", 0), "promotion criteria IC1 → IC2 ask for nothing measurable")]
        if flagged
        else []
    )


# --- broken references and odd shapes --------------------------------------------------------------


def test_no_crash_on_broken_references() -> None:
    framework = dual_track()
    family = framework.families[0]
    ic = family.tracks[0]
    ic.expectations["no_such_competency"] = {"IC1": Expectation(proficiency=9, behaviour="Is a team player.")}
    ic.expectations["delivery"]["IC9"] = Expectation(proficiency=0, behaviour="")
    ic.levels.append(ic.levels[0].model_copy())  # a duplicate level code
    family.tracks[1].crossover = Crossover(from_level="NOPE", to_level="ALSO_NOPE")
    family.promotions.append(
        PromotionCriteria(
            from_level="X1",
            to_level="X2",
            required=[RequiredCompetency(competency="no_such_competency", minimum=9)],
        )
    )
    framework.lateral_paths = [
        LateralPath(
            source=LevelRef(family="nowhere", level="Z1", track="nope"),
            destination=LevelRef(family="engineering", level="Q9"),
            transferable=["ghost"],
            gaps=[Gap(competency="phantom")],
        )
    ]
    found = lint(framework)
    # Unknown competencies and levels are the reference checks' business: no lint finding
    # mentions them, except the promotion threshold, which is outside the scale whatever it names.
    assert not any("no_such_competency" in d.message and d.code != "TRL230" for d in found)
    assert not any("IC9" in d.message for d in found)
    assert [d.path for d in codes(found, "TRL230")] == [
        ("families", 0, "promotions", 4, "required", 0, "minimum")
    ]


def test_no_crash_on_empty_shapes() -> None:
    framework = Framework(name="Empty")
    assert lint(framework) == []
    framework.families = [
        Family(id="empty", name="Empty", tracks=[Track(id="bare", name="Bare", kind=TrackKind.MANAGEMENT)])
    ]
    assert [d.code for d in lint(framework)] == ["TRL210", "TRL212"]


# Random frameworks whose references point anywhere: lint never raises, and every path it
# reports exists in the framework's full data (so the source map can always locate it).
_codes = st.sampled_from(["IC1", "IC2", "IC3", "M1", "X9"])
_competency_ids = st.sampled_from(["communication", "delivery", "system_design", "ghost"])
_behaviours = st.sampled_from(["", "Leads the design review.", "Is a team player.", "Writes. Reads. Ships."])


@st.composite
def _frameworks(draw: st.DrawFn) -> Framework:
    def track(track_id: str) -> Track:
        levels = [
            Level(
                code=code,
                name=code,
                title=draw(st.sampled_from(["A", "B"])),
                grade=draw(st.none() | st.integers(1, 9)),
            )
            for code in draw(st.lists(_codes, max_size=4))
        ]
        return Track(
            id=track_id,
            name=track_id,
            kind=draw(st.sampled_from(list(TrackKind))),
            crossover=draw(st.none() | st.builds(Crossover, from_level=_codes, to_level=_codes)),
            levels=levels,
            expectations=draw(
                st.dictionaries(
                    _competency_ids,
                    st.dictionaries(
                        _codes, st.builds(Expectation, proficiency=st.integers(-1, 7), behaviour=_behaviours)
                    ),
                    max_size=3,
                )
            ),
        )

    families = [
        Family(
            id=family_id,
            name=family_id,
            competencies=[Competency(id="system_design", name="System design")],
            tracks=[
                track(track_id)
                for track_id in draw(st.lists(st.sampled_from(["ic", "management", "ic"]), max_size=3))
            ],
            promotions=draw(
                st.lists(
                    st.builds(
                        PromotionCriteria,
                        from_level=_codes,
                        to_level=_codes,
                        min_average=st.none() | st.floats(-1, 7),
                        floor=st.none() | st.floats(-1, 7),
                        required=st.lists(
                            st.builds(
                                RequiredCompetency, competency=_competency_ids, minimum=st.floats(-1, 7)
                            ),
                            max_size=2,
                        ),
                    ),
                    max_size=3,
                )
            ),
        )
        for family_id in draw(st.lists(st.sampled_from(["engineering", "product"]), max_size=2))
    ]
    values = draw(st.lists(st.integers(0, 7), min_size=2, max_size=6))
    return Framework(
        name="Random",
        scale=RatingScale(points=[RatingPoint(value=value, label=str(value)) for value in values]),
        core_competencies=[Competency(id="communication", name="Communication")],
        families=families,
        lateral_paths=draw(
            st.lists(
                # Through a lambda: LateralPath's signature names its fields by alias ("from", "to").
                st.builds(
                    lambda source, destination, transferable: LateralPath(
                        source=source, destination=destination, transferable=transferable
                    ),
                    st.builds(LevelRef, family=st.sampled_from(["engineering", "nowhere"]), level=_codes),
                    st.builds(LevelRef, family=st.sampled_from(["product", "nowhere"]), level=_codes),
                    st.lists(_competency_ids, max_size=2),
                ),
                max_size=2,
            )
        ),
    )


def _resolve(data: Any, path: tuple[Any, ...]) -> Any:
    for element in path:
        data = data[element]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frameworks())
def test_lint_never_raises_and_every_path_exists(framework: Framework) -> None:
    data = framework.model_dump(mode="json", by_alias=True)
    for diagnostic in lint(framework):
        assert diagnostic.code in RULES
        _resolve(data, diagnostic.path)  # raises KeyError/IndexError if the path is wrong


def test_rule_type_is_exported() -> None:
    assert isinstance(RULES["TRL232"], Rule)
