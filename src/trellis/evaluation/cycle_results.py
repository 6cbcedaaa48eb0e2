"""One person's result in one review cycle, packed as text: how a company-wide readiness reads one
row per person and cycle instead of one per rating.

A packed result is a run of fixed-width items, one per competency rated, each `CODE_DIGITS` decimal
digits of the competency's code (a small integer standing for its identifier) then `SCORE_DIGITS`
digits of the score — ``"000300004"`` is competency 3 scored 4. Decimal digits because both SQLite
(``printf``) and PostgreSQL (``lpad``) write them in the aggregate that builds the results, and
fixed width because then thousands of results are read back at once with numpy, without a Python
step per rating (:func:`unpack`). Order within a result does not matter. Pure: numpy, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["CODE_DIGITS", "CODE_LIMIT", "ITEM_WIDTH", "SCORE_DIGITS", "SCORE_LIMIT", "pack", "unpack"]

#: Digits of a competency's code, and of a score (a rating's score is a small positive integer).
CODE_DIGITS = 4
SCORE_DIGITS = 5
ITEM_WIDTH = CODE_DIGITS + SCORE_DIGITS
#: Codes and scores are below these.
CODE_LIMIT = 10**CODE_DIGITS
SCORE_LIMIT = 10**SCORE_DIGITS

IntArray = npt.NDArray[np.int64]


def pack(items: Iterable[tuple[int, int]]) -> str:
    """The packed text of (code, score) items (what the SQL aggregate writes; for tests)."""
    text = []
    for code, score in items:
        if not (0 <= code < CODE_LIMIT and 0 <= score < SCORE_LIMIT):
            raise ValueError(f"code {code} or score {score} does not fit a packed result")
        text.append(f"{code:0{CODE_DIGITS}d}{score:0{SCORE_DIGITS}d}")
    return "".join(text)


def _number(digits: npt.NDArray[np.uint8]) -> IntArray:
    """The numbers written by the columns of `digits` (ASCII, most significant first)."""
    value = np.zeros(digits.shape[0], dtype=np.int64)
    for column in range(digits.shape[1]):
        value *= 10
        value += digits[:, column]
        value -= ord("0")
    return value


def unpack(texts: Sequence[str]) -> tuple[IntArray, IntArray, IntArray]:
    """(items per text, codes, scores) of packed `texts`, the items of all texts in order.

    ValueError when a text is not a run of whole items of decimal digits.
    """
    counts = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if np.any(counts % ITEM_WIDTH):
        raise ValueError("a packed result is not a whole number of items")
    # One byte per digit, read in place (no copy wider than the text itself).
    digits = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8)
    if digits.size and (digits.min() < ord("0") or digits.max() > ord("9")):
        raise ValueError("a packed result holds something other than decimal digits")
    items = digits.reshape(-1, ITEM_WIDTH)
    return counts // ITEM_WIDTH, _number(items[:, :CODE_DIGITS]), _number(items[:, CODE_DIGITS:])
