"""Every lint rule on 1 MB of adversarial input, the time budget of `lint`, the behaviour limit.

These assert what the rules find, never how long they take: `make bench --only lint` times the
same inputs (``bench/lint_adversarial.py``) at three sizes, and the growth it shows is linear.
"""

from __future__ import annotations

import re

import pytest
from bench.lint_adversarial import (
    SIZES,
    adversarial,
    copies_beyond_the_limit,
    near_copies,
    one_track,
    repeat,
    wide,
    with_behaviours,
)
from hypothesis import given
from hypothesis import strategies as st

from trellis.framework.checking import check_text
from trellis.framework.diagnostics import Severity
from trellis.framework.lint import LINT_STOPPED, RULES, lint
from trellis.framework.lint.behaviours import MAX_COMPARED_WORDS, sentence_count
from trellis.framework.lint.context import LintContext
from trellis.framework.lint.registry import CHECKS
from trellis.framework.lint.rule import Finding
from trellis.framework.model import BEHAVIOUR_MAX_LENGTH, Expectation, RatingPoint, RatingScale
from trellis.framework.yaml_io import dumps, parse

MEGABYTE = SIZES[-1]
COMMUNICATION = ("families", 0, "tracks", 0, "expectations", "communication")
TEXT_RULES = {"TRL201", "TRL203", "TRL206"}


def findings(code: str, framework: object) -> list[Finding]:
    return list(CHECKS[code](LintContext.build(framework)))  # type: ignore[arg-type]


def behaviour_at(level: str) -> tuple[str | int, ...]:
    return (*COMMUNICATION, level, "behaviour")


# --- 1 MB per rule --------------------------------------------------------------------------------


def test_trait_wording_on_a_megabyte_of_qualifiers_spaces_and_long_words() -> None:
    assert findings("TRL201", adversarial("TRL201", MEGABYTE)) == [
        Finding(
            behaviour_at("A1"),
            '"Demonstrates leadership" describes a trait, not an observable behaviour',
            "describe what the person does: an active verb and a result others can see",
        )
    ]


def test_behaviour_too_long_on_a_megabyte_of_dots_spaces_and_sentences() -> None:
    hint = "keep the one or two sentences a rater needs; move examples to the competency description"
    assert findings("TRL206", adversarial("TRL206", MEGABYTE)) == [
        # Dots, spaces and a lower-case letter: no sentence break, so one sentence.
        Finding(
            behaviour_at("A1"), 'behaviour of "communication" at A1 has 500000 characters (at most 320)', hint
        ),
        Finding(
            behaviour_at("A2"),
            'behaviour of "communication" at A2 has 50000 sentences (at most 2) and 499999 characters '
            "(at most 320)",
            hint,
        ),
    ]


def test_no_progression_on_a_megabyte_of_copies_beyond_the_words_it_measures() -> None:
    # A1 and A2 are the same 333 KB text: an exact copy is reported whatever its length. A3 differs
    # from A2 by one letter but has far more than MAX_COMPARED_WORDS words: it is not measured.
    hint = "say what changes at A2: wider scope, more autonomy or harder problems"
    assert findings("TRL203", copies_beyond_the_limit(MEGABYTE)) == [
        Finding(behaviour_at("A2"), 'behaviour of "communication" at A2 is the same as at A1', hint)
    ]


def test_no_progression_measures_every_pair_of_near_copies_up_to_its_word_limit() -> None:
    # The bench's worst case at its smallest size (50 levels): every pair reaches difflib.
    found = findings("TRL203", near_copies(SIZES[0]))
    assert [(finding.path, finding.message) for finding in found] == [
        (
            behaviour_at(f"A{number}"),
            f'behaviour of "communication" at A{number} is 99% the same as at A{number - 1}',
        )
        for number in range(2, 51)
    ]


@pytest.fixture(scope="module")
def megabyte_framework() -> object:
    return wide(MEGABYTE)


@pytest.mark.parametrize("code", sorted(set(RULES) - TEXT_RULES))
def test_structure_rules_on_a_megabyte_framework_find_nothing_wrong(
    code: str, megabyte_framework: object
) -> None:
    # 500 tracks in 50 families, every one correct: any finding would be a rule tripping over size.
    assert findings(code, megabyte_framework) == []


def test_the_megabyte_framework_is_that_large() -> None:
    assert len(dumps(wide(MEGABYTE))) > MEGABYTE


def test_scale_gap_of_a_billion_is_listed_in_part_and_counted() -> None:
    framework = one_track().model_copy(
        update={
            "scale": RatingScale(
                points=[
                    RatingPoint(value=1, label="Low", anchor="Low."),
                    RatingPoint(value=2, label="Mid", anchor="Mid."),
                    RatingPoint(value=10**9, label="High", anchor="High."),
                ]
            )
        }
    )
    listed = ", ".join(str(value) for value in range(3, 23))
    assert [(finding.path, finding.message) for finding in findings("TRL218", framework)] == [
        (("scale", "points", 2, "value"), f"scale values 1, 2, 1000000000 skip {listed} and 999999977 more")
    ]


# --- the sentence-break expression --------------------------------------------------------------

#: The expression before it was made linear: the reference the new one must agree with.
BACKTRACKING_SENTENCE_BREAK = re.compile(r"[.!?]+[\"'’”)\]]*\s+(?=[\"'“‘(\[]?[A-Z])")


@given(st.text(alphabet=".!? \t\n\"'’”)]“‘([Aa3", max_size=40))
def test_sentence_count_agrees_with_the_backtracking_expression(text: str) -> None:
    stripped = text.strip()
    expected = len(BACKTRACKING_SENTENCE_BREAK.findall(stripped)) + 1 if stripped else 0
    assert sentence_count(text) == expected


def test_sentence_count_on_runs_of_terminators_closers_and_spaces() -> None:
    assert sentence_count('Done!!!)]  \t (Next one... ok. "Last') == 3
    assert sentence_count(repeat(". ", 10_000)) == 1


# --- the time budget -----------------------------------------------------------------------------


def stopped_at(code: str, budget: str = "0") -> tuple[str, Severity, str, tuple[()], str]:
    return (
        "TRL200",
        Severity.WARNING,
        f"lint stopped after {budget} s at {code} ({RULES[code].name}): the findings of that rule and the "
        "rules after it may be missing",
        (),
        "run `trellis lint` on the file to see every finding",
    )


def test_a_budget_of_zero_stops_before_the_first_rule() -> None:
    framework = with_behaviours(one_track(), {0: "Demonstrates leadership."})
    found = lint(framework, budget=0)
    assert [(d.code, d.severity, d.message, d.path, d.hint) for d in found] == [stopped_at("TRL201")]
    assert LINT_STOPPED.code == "TRL200" and "TRL200" not in RULES


def test_without_a_budget_lint_runs_every_rule() -> None:
    framework = with_behaviours(one_track(), {0: "Demonstrates leadership."})
    assert [d.code for d in lint(framework)] == ["TRL201"]
    assert [d.code for d in lint(framework, budget=60)] == ["TRL201"]


def test_no_progression_stops_inside_a_line_once_out_of_time() -> None:
    context = LintContext.build(near_copies(SIZES[0]))
    context.deadline = 0.0  # long past
    assert list(CHECKS["TRL203"](context)) == []


def test_check_text_with_a_budget_locates_the_stop_at_the_top_of_the_file() -> None:
    text = dumps(one_track())
    _, found = check_text(text, "f.yaml", lint_budget=0)
    assert [d.format() for d in found] == [
        "f.yaml:1:1: TRL200 warning: lint stopped after 0 s at TRL201 (trait-wording): the findings of "
        "that rule and the rules after it may be missing (run `trellis lint` on the file to see every finding)"
    ]


# --- the behaviour limit ------------------------------------------------------------------------


def test_a_behaviour_at_the_limit_is_read() -> None:
    text = dumps(with_behaviours(one_track(), {0: "x" * BEHAVIOUR_MAX_LENGTH}))
    result = parse(text, "f.yaml")
    assert result.diagnostics == []
    assert result.framework is not None
    assert Expectation(proficiency=1, behaviour="x" * BEHAVIOUR_MAX_LENGTH).behaviour == "x" * 1000


def test_a_behaviour_beyond_the_limit_is_refused_with_its_location() -> None:
    text = dumps(with_behaviours(one_track(), {0: "x" * (BEHAVIOUR_MAX_LENGTH + 1)}))
    line = next(number for number, content in enumerate(text.splitlines(), 1) if "x" * 100 in content)
    column = text.splitlines()[line - 1].index("x") + 1
    result = parse(text, "f.yaml")
    assert result.framework is None
    assert [d.format() for d in result.diagnostics] == [
        f"f.yaml:{line}:{column}: TRL012 error: behaviour: string should have at most 1000 characters"
    ]


def test_the_limit_counts_after_trimming_and_bounds_what_no_progression_measures() -> None:
    assert Expectation(proficiency=1, behaviour=" " * 50 + "x" * BEHAVIOUR_MAX_LENGTH + " ").behaviour
    assert MAX_COMPARED_WORDS < BEHAVIOUR_MAX_LENGTH // 2
