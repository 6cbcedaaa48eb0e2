"""The one formula rule, for writers and readers."""

from __future__ import annotations

import pytest

from trellis.framework.render import formula_safety
from trellis.tabular import formulas


@pytest.mark.parametrize(
    ("value", "neutralised", "reversible"),
    [
        ("=SUM(A1)", "'=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1", "'+1"),
        ("-1", "'-1", "'-1"),
        ("@cmd", "'@cmd", "'@cmd"),
        ("\t=1", "'\t=1", "'\t=1"),
        ("\r=1", "'\r=1", "'\r=1"),
        ("", "", ""),
        ("Leads = others", "Leads = others", "Leads = others"),
        ("'tis", "'tis", "''tis"),
    ],
)
def test_neutralising_and_restoring(value: str, neutralised: str, reversible: str) -> None:
    assert formulas.neutralise_formula(value) == neutralised
    assert formulas.neutralise_reversibly(value) == reversible
    assert formulas.restore_neutralised(reversible) == value
    assert formulas.starts_like_formula(value) == (neutralised != value)


def test_restoring_leaves_other_apostrophes() -> None:
    assert formulas.restore_neutralised("'tis") == "'tis"
    assert formulas.restore_neutralised("'") == "'"


def test_the_renderers_use_the_same_rule() -> None:
    assert formula_safety.neutralise_formula is formulas.neutralise_formula
    assert formula_safety.FORMULA_TRIGGERS is formulas.FORMULA_TRIGGERS
