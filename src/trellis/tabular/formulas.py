"""The one formula rule: which text a spreadsheet runs as a formula, and how text is kept from it.

A spreadsheet that opens a CSV file, or a workbook cell edited and confirmed by a person, treats
text starting with ``=``, ``+``, ``-`` or ``@`` as a formula; a leading tab or carriage return can
hide such a character from view (the OWASP list). Writers put the spreadsheet's own text marker,
one apostrophe, in front of such text (:func:`neutralise_formula`); readers use
:func:`starts_like_formula` to flag such text in an upload, and :func:`restore_neutralised` to take
back the apostrophe of a file Trellis wrote reversibly (:func:`neutralise_reversibly`).
"""

from __future__ import annotations

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: The prefix spreadsheets themselves use to mark "this is text": a single quote.
TEXT_PREFIX = "'"


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run `text` as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise_formula(value: str) -> str:
    """Return `value` prefixed with a single quote when a spreadsheet would treat it as a formula.

    Every other value, including the empty string, is returned unchanged, so the function can be
    applied to every text cell of a CSV file or workbook.
    """
    if value.startswith(FORMULA_TRIGGERS):
        return TEXT_PREFIX + value
    return value


def neutralise_reversibly(value: str) -> str:
    """Like :func:`neutralise_formula`, and text that already starts with the apostrophe gets one
    more, so that :func:`restore_neutralised` gives back exactly `value` (files meant to be read
    back, such as the matrix export)."""
    if value.startswith((*FORMULA_TRIGGERS, TEXT_PREFIX)):
        return TEXT_PREFIX + value
    return value


def restore_neutralised(text: str) -> str:
    """`text` without the one apostrophe :func:`neutralise_reversibly` put before a formula trigger
    or another apostrophe; any other text is returned unchanged."""
    if len(text) >= 2 and text[0] == TEXT_PREFIX and text[1] in (*FORMULA_TRIGGERS, TEXT_PREFIX):
        return text[1:]
    return text
