"""`make bench --only lint`: each lint rule's time on adversarial input of three sizes up to 1 MB.

Every rule gets the input most likely to make it slow: for the rules that read a behaviour's
words, one text of the given size made of what regular expressions backtrack on (runs of dots and
of spaces, qualifiers repeated without an end, long words, many sentences); for TRL203, which
compares neighbouring behaviours, that many characters of behaviours at the length limit, nearly
identical so the comparison runs on every pair (and, in the tests, exact copies beyond the words
it measures); for the rules on the shape of a framework, a
framework of that size with many families, tracks, levels, promotions and lateral paths. Texts
beyond the model's length limit are placed in the framework without validation (as a framework
built in memory can be): the rules must stay linear whatever they are given.

Only the rule's check is timed (the framework and the shared context are built first). Printed as
``bench: lint.<rule name>.<size> <ms> ms``: growth by ten from one size to the next shows as ten
times the time, not a hundred. The inputs are shared with ``tests/framework/test_lint_adversarial.py``,
which asserts the findings on the largest of them.
"""

from __future__ import annotations

import itertools
import statistics
import time

from trellis.framework.lint.behaviours import MAX_COMPARED_WORDS
from trellis.framework.lint.context import LintContext
from trellis.framework.lint.registry import CHECKS, RULES
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
    RatingPoint,
    RatingScale,
    Track,
    TrackKind,
)

#: The sizes measured, in characters of adversarial text (or of framework, for structure rules).
SIZES = (10_000, 100_000, 1_000_000)
COMPETENCIES = ("communication", "ownership", "collaboration", "delivery", "design", "quality")
#: Characters of framework one generated track stands for (6 competencies × 4 levels of text).
TRACK_CHARACTERS = 2_000
LEVELS = 4


def repeat(unit: str, size: int) -> str:
    """`unit` repeated to `size` characters (the last copy cut short)."""
    return (unit * (size // len(unit) + 1))[:size]


#: The text of TRL201: verbs followed by runs of spaces and by qualifiers that never reach a
#: quality, qualifiers after "is a", verbs repeated, a hyphenated word, a long word, runs of spaces
#: and tabs (the slowest of the shapes tried, per character), knowing qualifiers that never reach
#: "understanding of", vague-qualifier beginnings cut short; one real trait phrase at the end.
TRAIT_UNIT = (
    "Shows"
    + " " * 50
    + "very " * 20
    + "clear  \t  is a "
    + "truly " * 10
    + "is is is has a strong "
    + "a-b-c-d "
    + "y" * 40
    + " with "
    + "z-" * 10
    + " has "
    + "a strong deep " * 10
    + "understandings etcetera and so  as  is very good "
)
TRAIT_END = " Demonstrates leadership."
#: The second text of TRL206 (the first is `dots_and_spaces`): many sentences.
MANY_SENTENCES_UNIT = "It works. "


def trait_text(size: int) -> str:
    return repeat(TRAIT_UNIT, size - len(TRAIT_END)) + TRAIT_END


def dots_and_spaces(size: int) -> str:
    """A run of dots, a run of spaces, a lower-case letter: no sentence break anywhere, which the
    backtracking expression took a time quadratic in the runs' lengths to decide."""
    half = size // 2
    return "." * half + " " * (size - half - 1) + "a"


def _level(prefix: str, position: int, track_id: str) -> Level:
    return Level(
        code=f"{prefix}{position}",
        name=f"{prefix} level {position}",
        title=f"{track_id} title {position}",
        summary=f"Scope and autonomy of {prefix}{position}.",
    )


def _behaviour(competency: str, position: int) -> str:
    scopes = ("their own tasks", "a feature", "a project with two teams", "the whole organisation")
    verbs = ("Completes", "Plans and delivers", "Leads", "Sets the standards for")
    return f"{verbs[position % 4]} {competency} work for {scopes[position % 4]}, and writes down the outcome."


def _track(track_id: str, prefix: str, kind: TrackKind, levels: int = LEVELS) -> Track:
    level_list = [_level(prefix, position, track_id) for position in range(1, levels + 1)]
    return Track(
        id=track_id,
        name=track_id,
        kind=kind,
        crossover=Crossover(from_level="A2", to_level=f"{prefix}1") if kind is TrackKind.MANAGEMENT else None,
        levels=level_list,
        expectations={
            competency: {
                level.code: Expectation(
                    proficiency=min(5, 1 + index), behaviour=_behaviour(competency, index)
                )
                for index, level in enumerate(level_list)
            }
            for competency in COMPETENCIES
        },
    )


def _promotions(*tracks: Track) -> list[PromotionCriteria]:
    return [
        PromotionCriteria(from_level=lower.code, to_level=higher.code, min_average=3.5, floor=3)
        for track in tracks
        for lower, higher in zip(track.levels, track.levels[1:], strict=False)
    ]


def _framework(families: list[Family], lateral_paths: list[LateralPath] | None = None) -> Framework:
    return Framework(
        name="Adversarial",
        core_competencies=[
            Competency(id=competency, name=competency.title(), description=f"What {competency} covers.")
            for competency in COMPETENCIES
        ],
        families=families,
        lateral_paths=lateral_paths or [],
    )


def one_track(levels: int = LEVELS) -> Framework:
    """A framework that passes every rule: one family with one IC track of `levels` levels."""
    track = _track("ic", "A", TrackKind.IC, levels)
    return _framework(
        [Family(id="engineering", name="Engineering", tracks=[track], promotions=_promotions(track))]
    )


def with_behaviours(
    framework: Framework, texts: dict[int, str], competency: str = "communication"
) -> Framework:
    """`framework` with the behaviours of `competency` at the given level positions of its first
    track replaced by `texts`, unvalidated (a text may exceed the model's limit)."""
    track = framework.families[0].tracks[0]
    by_level = track.expectations[competency]
    for position, text in texts.items():
        code = track.levels[position].code
        by_level[code] = by_level[code].model_copy(update={"behaviour": text})
    return framework


def trait_wording(size: int) -> Framework:
    return with_behaviours(one_track(), {0: trait_text(size)})


def behaviour_too_long(size: int) -> Framework:
    return with_behaviours(
        one_track(), {0: dots_and_spaces(size // 2), 1: repeat(MANY_SENTENCES_UNIT, size // 2).strip()}
    )


def near_copies(size: int) -> Framework:
    """TRL203's worst case: behaviours of `MAX_COMPARED_WORDS` words (the longest it measures)
    repeating one word, each level's differing from the one below by its last word, so the quick
    bounds let every pair through to difflib; as many levels as `size` characters make."""
    words = MAX_COMPARED_WORDS
    levels = max(2, size // (2 * words))
    texts = {
        position: " ".join(["a"] * (words - 1) + ["b" if position % 2 else "a"]) for position in range(levels)
    }
    return with_behaviours(one_track(levels), texts)


def copies_beyond_the_limit(size: int) -> Framework:
    """TRL203 on texts beyond the limit: an exact copy (reported) and a near copy (not compared)."""
    third = size // 3
    text = repeat("a ", third).strip()
    return with_behaviours(one_track(), {0: text, 1: text, 2: text[:-1] + "b"})


def wide(size: int) -> Framework:
    """A framework of about `size` characters that passes every rule: families of ten tracks (IC
    and management by turns), each family's promotions, a lateral path between neighbouring
    families, and a scale with a point per track."""
    tracks_total = max(2, size // TRACK_CHARACTERS)
    per_family = min(10, tracks_total)
    families = []
    for family_index in range(max(1, tracks_total // per_family)):
        tracks = [
            _track(
                f"t{index}",
                "A" if index == 0 else f"T{index}L",
                TrackKind.MANAGEMENT if index % 2 else TrackKind.IC,
            )
            for index in range(per_family)
        ]
        families.append(
            Family(
                id=f"family-{family_index}",
                name=f"Family {family_index}",
                tracks=tracks,
                promotions=_promotions(*tracks),
            )
        )
    lateral = [
        LateralPath(
            source=LevelRef(family=lower.id, level="A4"),
            destination=LevelRef(family=higher.id, level="A3"),
            transferable=["communication"],
            gaps=[Gap(competency="design", target=3)],
        )
        for lower, higher in itertools.pairwise(families)
    ]
    framework = _framework(families, lateral)
    points = [
        RatingPoint(value=value, label=f"Point {value}", anchor=f"What {value} looks like.")
        for value in range(1, tracks_total + 6)
    ]
    return framework.model_copy(update={"scale": RatingScale(points=points)})


#: The adversarial input of each rule with one of its own (the others get `wide`).
INPUTS = {
    "TRL201": trait_wording,
    "TRL203": near_copies,
    "TRL206": behaviour_too_long,
}


def adversarial(code: str, size: int) -> Framework:
    return INPUTS.get(code, wide)(size)


def measure(code: str, size: int, repeats: int) -> float:
    """The median time in seconds of rule `code`'s check on its adversarial input of `size`."""
    context = LintContext.build(adversarial(code, size))
    check = CHECKS[code]
    times = []
    for _ in range(repeats if size < SIZES[-1] else max(1, repeats // 2)):
        started = time.perf_counter()
        for _finding in check(context):
            pass
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(repeats: int) -> None:
    from bench.__main__ import emit

    print(f"Lint rules on adversarial input (median of {repeats} runs, {max(1, repeats // 2)} at 1 MB):")
    for code, rule in RULES.items():
        for size in SIZES:
            label = f"{code} {rule.name}, {size // 1000} KB"
            emit(f"lint.{rule.name}.{size // 1000}kb", measure(code, size, repeats) * 1000, "ms", label)


if __name__ == "__main__":
    main(3)
