"""The one place where lint rules are registered: code, name, severity, summary and check.

Adding a rule is adding a line to `_REGISTRY` (and a case folder under ``tests/cases/lint/``).
Codes are stable: templates, documentation and people's ``--ignore`` lists use them.
"""

from __future__ import annotations

import time

from trellis.framework import references, yaml_io
from trellis.framework.diagnostics import Diagnostic, Severity
from trellis.framework.lint import behaviours, lateral, promotions, scale, structure
from trellis.framework.lint.context import LintContext
from trellis.framework.lint.rule import Check, Rule
from trellis.framework.model import Framework
from trellis.framework.wording import number

WARNING = Severity.WARNING
ERROR = Severity.ERROR

_REGISTRY: tuple[tuple[Rule, Check], ...] = (
    (
        Rule(
            "TRL201",
            "trait-wording",
            WARNING,
            "a behaviour names a trait or attitude, not what the person does",
        ),
        behaviours.trait_wording,
    ),
    (
        Rule(
            "TRL202",
            "missing-behaviour",
            WARNING,
            "a competency has no expectation or no behaviour at a level",
        ),
        behaviours.missing_behaviour,
    ),
    (
        Rule("TRL203", "no-progression", WARNING, "a behaviour is (nearly) the same as at the level below"),
        behaviours.no_progression,
    ),
    (
        Rule(
            "TRL204",
            "proficiency-decreases",
            ERROR,
            "the expected proficiency goes down from one level to the next",
        ),
        behaviours.proficiency_decreases,
    ),
    (
        Rule(
            "TRL205",
            "proficiency-outside-scale",
            ERROR,
            "an expected proficiency is not a value of the rating scale",
        ),
        behaviours.proficiency_outside_scale,
    ),
    (
        Rule(
            "TRL206", "behaviour-too-long", WARNING, "a behaviour has more than 2 sentences or 320 characters"
        ),
        behaviours.behaviour_too_long,
    ),
    (
        Rule(
            "TRL207", "competency-undescribed", WARNING, "a core or functional competency has no description"
        ),
        structure.competency_undescribed,
    ),
    (
        Rule(
            "TRL210",
            "competency-count",
            WARNING,
            "a track assesses fewer than 6 or more than 10 competencies",
        ),
        structure.competency_count,
    ),
    (
        Rule("TRL211", "too-many-competencies", ERROR, "a track assesses more than 12 competencies"),
        structure.too_many_competencies,
    ),
    (
        Rule("TRL212", "level-count", WARNING, "a family has fewer than 4 or more than 7 distinct grades"),
        structure.level_count,
    ),
    (
        Rule("TRL213", "no-parity", WARNING, "the top IC level ranks or pays below the top management level"),
        structure.no_parity,
    ),
    (
        Rule("TRL214", "no-crossover", WARNING, "a management track beside an IC track has no crossover"),
        structure.no_crossover,
    ),
    (
        Rule("TRL215", "level-unscoped", WARNING, "a level has no summary of its scope and autonomy"),
        structure.level_unscoped,
    ),
    (
        Rule("TRL216", "duplicate-title", WARNING, "two levels of a family share the same title"),
        structure.duplicate_title,
    ),
    (
        Rule(
            "TRL217",
            "missing-promotion-criteria",
            WARNING,
            "two consecutive levels of a track have no promotion criteria",
        ),
        promotions.missing_promotion_criteria,
    ),
    (
        Rule(
            "TRL218", "scale-unanchored", WARNING, "a scale point has no anchor, or the values skip a number"
        ),
        scale.scale_unanchored,
    ),
    (
        Rule(
            "TRL220", "lateral-no-transferable", WARNING, "a lateral path names no transferable competencies"
        ),
        lateral.lateral_no_transferable,
    ),
    (
        Rule("TRL221", "lateral-no-gaps", WARNING, "a lateral path names no gaps to close"),
        lateral.lateral_no_gaps,
    ),
    (
        Rule(
            "TRL230", "threshold-outside-scale", ERROR, "a promotion threshold lies outside the rating scale"
        ),
        promotions.threshold_outside_scale,
    ),
    (
        Rule(
            "TRL231", "floor-above-average", WARNING, "a promotion floor is higher than its minimum average"
        ),
        promotions.floor_above_average,
    ),
    (
        Rule("TRL232", "criteria-empty", WARNING, "promotion criteria ask for nothing measurable"),
        promotions.criteria_empty,
    ),
)

#: Every lint rule by code, in code order.
RULES: dict[str, Rule] = {rule.code: rule for rule, _ in _REGISTRY}
#: Each rule's check by code (benchmarks time one rule at a time).
CHECKS: dict[str, Check] = {rule.code: check for rule, check in _REGISTRY}

#: The problems found while reading a file (TRL0xx) and in its references (TRL1xx): always errors,
#: reported by the loader rather than by `lint()`, listed here so one catalogue covers every code.
LOAD_AND_REFERENCE_CODES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(yaml_io.UNREADABLE, "unreadable", ERROR, "the file cannot be read, or is not UTF-8 text"),
        Rule(yaml_io.SYNTAX, "yaml-syntax", ERROR, "the file is not valid YAML"),
        Rule(yaml_io.DUPLICATE_KEY, "duplicate-key", ERROR, "a key appears twice in the same mapping"),
        Rule(yaml_io.NOT_A_FRAMEWORK, "not-a-framework", ERROR, "the document is empty or not a mapping"),
        Rule(
            yaml_io.UNKNOWN_FIELD, "unknown-field", ERROR, "a field the format does not have (often a typo)"
        ),
        Rule(yaml_io.MISSING_FIELD, "missing-field", ERROR, "a required field is missing"),
        Rule(yaml_io.INVALID_VALUE, "invalid-value", ERROR, "a value has the wrong type or form"),
        Rule(
            yaml_io.UNSUPPORTED_VERSION,
            "unsupported-version",
            ERROR,
            "the `trellis:` format version is not 1",
        ),
        Rule(
            references.DUPLICATE_ID,
            "duplicate-id",
            ERROR,
            references.REFERENCE_CODES[references.DUPLICATE_ID],
        ),
        Rule(
            references.UNKNOWN_TRACK,
            "unknown-track",
            ERROR,
            references.REFERENCE_CODES[references.UNKNOWN_TRACK],
        ),
        Rule(
            references.UNKNOWN_LEVEL,
            "unknown-level",
            ERROR,
            references.REFERENCE_CODES[references.UNKNOWN_LEVEL],
        ),
        Rule(
            references.UNKNOWN_COMPETENCY,
            "unknown-competency",
            ERROR,
            references.REFERENCE_CODES[references.UNKNOWN_COMPETENCY],
        ),
        Rule(
            references.COMPETENCY_NOT_ON_TRACK,
            "competency-not-on-track",
            ERROR,
            references.REFERENCE_CODES[references.COMPETENCY_NOT_ON_TRACK],
        ),
        Rule(
            references.UNKNOWN_FAMILY,
            "unknown-family",
            ERROR,
            references.REFERENCE_CODES[references.UNKNOWN_FAMILY],
        ),
        Rule(
            references.DUPLICATE_SCALE_VALUE,
            "duplicate-scale-value",
            ERROR,
            references.REFERENCE_CODES[references.DUPLICATE_SCALE_VALUE],
        ),
    )
}

#: Every code Trellis reports about a framework file, in code order.
ALL_CODES: dict[str, Rule] = {**LOAD_AND_REFERENCE_CODES, **RULES}


#: Not a rule: what `lint` reports when it ran out of its time budget (only the web app gives one).
LINT_STOPPED = Rule(
    "TRL200", "lint-stopped", WARNING, "linting in the app ran out of time; some rules did not run"
)


def lint(framework: Framework, *, budget: float | None = None) -> list[Diagnostic]:
    """Every quality finding in `framework`, each with the path of the node at fault.

    Rule by rule, each in document order (callers sort by location). Assumes the framework passed
    the reference checks but does not rely on it: what cannot be resolved is skipped, never raised.

    With a `budget` (seconds), the clock is read between rules (and inside TRL203, the one rule
    whose cost per item is not a few operations): once it has run out, lint stops and ends the
    list with one `LINT_STOPPED` finding naming the rule it stopped at, so a page that lints a
    pathological text still answers. A budget of 0 stops before the first rule.
    """
    started = time.monotonic()
    context = LintContext.build(framework)
    if budget is not None:
        context.deadline = started + budget
    found: list[Diagnostic] = []
    for rule, check in _REGISTRY:
        if context.out_of_time():
            found.append(_stopped(rule, budget or 0.0))
            break
        found.extend(
            Diagnostic(rule.code, rule.severity, finding.message, finding.path, finding.hint)
            for finding in check(context)
        )
        if context.out_of_time():
            # The rule may have stopped early (TRL203 does): name it, not the next one.
            found.append(_stopped(rule, budget or 0.0))
            break
    return found


def _stopped(rule: Rule, budget: float) -> Diagnostic:
    return Diagnostic(
        LINT_STOPPED.code,
        LINT_STOPPED.severity,
        f"lint stopped after {number(budget)} s at {rule.code} ({rule.name}): the findings of that rule "
        "and the rules after it may be missing",
        (),
        "run `trellis lint` on the file to see every finding",
    )
