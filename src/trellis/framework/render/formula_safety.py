"""Keeping user text from being run as a spreadsheet formula (CSV and formula injection).

A spreadsheet that opens a CSV file, or a workbook cell edited and confirmed by a person, treats
text starting with ``=``, ``+``, ``-`` or ``@`` as a formula; a leading tab or carriage return can
hide such a character from view. A framework is written by many people and read by everyone, so
text such as ``=HYPERLINK(...)`` in a behaviour must arrive in a spreadsheet as the words it is.
"""

from __future__ import annotations

#: First characters that make a spreadsheet read a cell as a formula (the OWASP list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: The prefix spreadsheets themselves use to mark "this is text": a single quote.
TEXT_PREFIX = "'"


def neutralise_formula(value: str) -> str:
    """Return `value` prefixed with a single quote when a spreadsheet would treat it as a formula.

    Every other value, including the empty string, is returned unchanged, so the function can be
    applied to every text cell of a CSV file or workbook.
    """
    if value.startswith(FORMULA_TRIGGERS):
        return TEXT_PREFIX + value
    return value
