"""Rules on the behavioural descriptions and expected proficiencies of each competency line.

A behaviour is the rubric a manager rates against, so it must be observable (TRL201), present at
every level (TRL202), different from the level below (TRL203) and short enough to read in a
review (TRL206); the proficiency beside it must sit on the scale (TRL205) and never go down as
people climb (TRL204).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from collections.abc import Iterator

from trellis.framework.lint.context import LintContext
from trellis.framework.lint.rule import Finding
from trellis.framework.lint.traits import find_phrases

#: Adjacent behaviours at least this similar (difflib ratio of their normalised words) are copies.
SIMILARITY_THRESHOLD = 0.9
MAX_SENTENCES = 2
MAX_CHARACTERS = 320

#: The most words of a behaviour TRL203 measures the similarity of. difflib's cost grows with the
#: product of the two lengths (and more on repetitive text), so a longer behaviour — already too
#: long for TRL206 many times over — is reported only when it is an exact copy, which takes one
#: linear comparison: the rule stays linear in its input (a bounded cost per pair of levels).
#: Every behaviour of the shipped templates and golden cases is far below it.
MAX_COMPARED_WORDS = 100

# Each part of a word is a maximal run of \w, and a separator is never \w, so this never backtracks.
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# A sentence ends at ., ! or ? (plus closing quotes or brackets) followed by space and a capital,
# so "e.g. a design doc" and "3.5" do not end one. Linear: a break starts only where a run of
# terminators starts (the lookbehind), and the possessive runs never give back what they took, so
# each character is read a bounded number of times. (The plain-quantifier form retried every
# suffix of a run of dots or spaces: 58 KB of them took over 30 s.) The three character classes
# are disjoint, so a run can only end where the next class begins: the possessive form finds
# exactly the breaks the backtracking one found.
_SENTENCE_BREAK = re.compile(r"(?<![.!?])[.!?]++[\"'’”)\]]*+\s++(?=[\"'“‘(\[]?[A-Z])")


def trait_wording(context: LintContext) -> Iterator[Finding]:
    for line in context.lines:
        for step, expectation in line.present():
            for phrase in find_phrases(expectation.behaviour):
                if phrase.vague:
                    yield Finding(
                        (*step.path, "behaviour"),
                        f'"{phrase.text}" is a vague qualifier, not an observable behaviour',
                        "say what the person does with it, so that two managers reach the same rating",
                    )
                else:
                    yield Finding(
                        (*step.path, "behaviour"),
                        f'"{phrase.text}" describes a trait, not an observable behaviour',
                        "describe what the person does: an active verb and a result others can see",
                    )


def missing_behaviour(context: LintContext) -> Iterator[Finding]:
    for line in context.lines:
        track = line.view.track
        for step in line.steps:
            if step.expectation is None:
                yield Finding(
                    line.path,
                    f'"{line.competency_id}" has no expectation at level {step.level.code} '
                    f'of track "{track.id}"',
                    f"add {step.level.code} with a proficiency and a behaviour",
                )
            elif not step.expectation.behaviour:
                yield Finding(
                    (*step.path, "behaviour"),
                    f'"{line.competency_id}" at level {step.level.code} has no behaviour',
                    "describe in one or two sentences what someone at this level does",
                )


def _words(text: str) -> tuple[str, ...]:
    """The lower-cased words of `text`: case, spacing and punctuation do not make a level different.

    Similarity is measured on words rather than characters: it reads the way a person compares two
    descriptions, and it is an order of magnitude faster (English texts have such similar letter
    counts that difflib's cheap upper bounds reject almost nothing at character level).
    """
    return tuple(_WORD.findall(text.lower()))


def _similarity(lower: tuple[str, ...], higher: tuple[str, ...]) -> float:
    """difflib's ratio of the two word sequences; beyond `MAX_COMPARED_WORDS` words, 1 for an
    exact copy and 0 otherwise (see `MAX_COMPARED_WORDS`)."""
    if lower == higher:
        return 1.0
    if max(len(lower), len(higher)) > MAX_COMPARED_WORDS:
        return 0.0
    return difflib.SequenceMatcher(None, lower, higher, autojunk=False).ratio()


def no_progression(context: LintContext) -> Iterator[Finding]:
    for line in context.lines:
        described = []
        for step, expectation in line.present():
            if expectation.behaviour:
                words = _words(expectation.behaviour)
                described.append((step, words, Counter(words)))
        for (lower, lower_words, lower_counts), (higher, higher_words, higher_counts) in itertools.pairwise(
            described
        ):
            # The words the two texts share (as a multiset) bound difflib's ratio from above, so most
            # pairs are rejected without building a matcher; each text is counted once, not per pair.
            total = len(lower_words) + len(higher_words)
            shared = sum((lower_counts & higher_counts).values())
            if not total or 2 * shared / total < SIMILARITY_THRESHOLD:
                continue
            if context.out_of_time():
                return  # before each comparison, the costly step: `lint` reports that it stopped here
            similarity = _similarity(lower_words, higher_words)
            if similarity < SIMILARITY_THRESHOLD:
                continue
            how = "the same as" if lower_words == higher_words else f"{similarity:.0%} the same as"
            yield Finding(
                (*higher.path, "behaviour"),
                f'behaviour of "{line.competency_id}" at {higher.level.code} is {how} at {lower.level.code}',
                f"say what changes at {higher.level.code}: wider scope, more autonomy or harder problems",
            )


def proficiency_decreases(context: LintContext) -> Iterator[Finding]:
    for line in context.lines:
        for (lower, below), (higher, above) in itertools.pairwise(line.present()):
            if above.proficiency < below.proficiency:
                yield Finding(
                    (*higher.path, "proficiency"),
                    f'expected proficiency of "{line.competency_id}" drops from '
                    f"{below.proficiency} at {lower.level.code} to {above.proficiency} at {higher.level.code}",
                    "a higher level expects at least the proficiency of the level below",
                )


def proficiency_outside_scale(context: LintContext) -> Iterator[Finding]:
    values = sorted(context.scale_values)
    allowed = ", ".join(str(value) for value in values)
    for line in context.lines:
        for step, expectation in line.present():
            if expectation.proficiency not in context.scale_values:
                yield Finding(
                    (*step.path, "proficiency"),
                    f'proficiency {expectation.proficiency} of "{line.competency_id}" at '
                    f"{step.level.code} is not a value of the rating scale",
                    f"use one of {allowed}",
                )


def sentence_count(text: str) -> int:
    """How many sentences `text` has (0 when it is empty)."""
    stripped = text.strip()
    return len(_SENTENCE_BREAK.findall(stripped)) + 1 if stripped else 0


def behaviour_too_long(context: LintContext) -> Iterator[Finding]:
    for line in context.lines:
        for step, expectation in line.present():
            text = expectation.behaviour
            problems = []
            sentences = sentence_count(text)
            if sentences > MAX_SENTENCES:
                problems.append(f"{sentences} sentences (at most {MAX_SENTENCES})")
            if len(text) > MAX_CHARACTERS:
                problems.append(f"{len(text)} characters (at most {MAX_CHARACTERS})")
            if problems:
                yield Finding(
                    (*step.path, "behaviour"),
                    f'behaviour of "{line.competency_id}" at {step.level.code} has {" and ".join(problems)}',
                    "keep the one or two sentences a rater needs; move examples to the competency description",
                )
