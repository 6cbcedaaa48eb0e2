"""The words of the what-if and of rater agreement (`trellis.framework.wording`)."""

from __future__ import annotations

from trellis.framework import wording


def test_shares() -> None:
    assert wording.share_of(2, 5) == "40% (2 of 5)"
    assert wording.share_of(0, 3) == "0% (0 of 3)"
    assert wording.share_of(None, 3) == "not evaluated"
    assert wording.what_if_changes(2, 1) == "2 would become ready, 1 would no longer be ready"
    assert wording.what_if_changes(0, 0) == "no change of status"


def test_agreement_figures() -> None:
    assert (
        wording.agreement_figure(0.5812, 0.414, 0.7049, 214, 0.667)
        == "agreement 0.58 (0.41 to 0.70), 214 people — below 0.667"
    )
    assert wording.agreement_figure(0.81, -0.05, 0.9, 1, 0.667) == "agreement 0.81 (-0.05 to 0.90), 1 person"
    assert wording.agreement_figure(0.7, None, None, 12, 0.667) == "agreement 0.70, 12 people"
    assert wording.agreement_figure(None, None, None, 0, 0.667) == "not enough ratings yet"
