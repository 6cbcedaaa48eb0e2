"""Packed cycle results: what the SQL aggregate writes reads back exactly, and anything else is
refused rather than misread."""

from __future__ import annotations

import pytest

from trellis.evaluation.cycle_results import CODE_LIMIT, SCORE_LIMIT, pack, unpack


def test_packed_results_read_back_in_order() -> None:
    texts = [pack([(3, 4), (12, 1)]), "", pack([(CODE_LIMIT - 1, SCORE_LIMIT - 1)])]
    assert texts[0] == "000300004001200001"
    counts, codes, scores = unpack(texts)
    assert counts.tolist() == [2, 0, 1]
    assert codes.tolist() == [3, 12, CODE_LIMIT - 1]
    assert scores.tolist() == [4, 1, SCORE_LIMIT - 1]


def test_nothing_to_read_is_empty() -> None:
    counts, codes, scores = unpack([])
    assert (counts.size, codes.size, scores.size) == (0, 0, 0)


@pytest.mark.parametrize("text", ["00030000", "0003000x4", "0003 0004"])
def test_a_broken_text_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        unpack([text])


def test_what_does_not_fit_is_refused() -> None:
    with pytest.raises(ValueError):
        pack([(CODE_LIMIT, 1)])
    with pytest.raises(ValueError):
        pack([(1, SCORE_LIMIT)])
