"""Where a cell is: file, sheet, row and column, as a value (never a string parsed back)."""

from __future__ import annotations

import functools
from dataclasses import dataclass


@functools.cache
def column_letter(column: int) -> str:
    """The spreadsheet letters of a 1-based column number: 1 → A, 26 → Z, 27 → AA."""
    if column < 1:
        raise ValueError(f"column numbers start at 1, not {column}")
    letters = ""
    number = column
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@functools.cache
def column_number(letters: str) -> int:
    """The 1-based column number of spreadsheet letters: A → 1, AA → 27 (the inverse of
    :func:`column_letter`); ValueError for anything but upper-case ASCII letters."""
    if not letters or not letters.isascii() or not letters.isupper() or not letters.isalpha():
        raise ValueError(f"not column letters: {letters!r}")
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


@dataclass(frozen=True, slots=True)
class CellLocation:
    """A cell of a file: `sheet` is None for CSV; `row` and `column` are 1-based, as spreadsheets
    number them (the column is shown as its letters)."""

    file: str
    sheet: str | None
    row: int
    column: int

    @property
    def column_letter(self) -> str:
        return column_letter(self.column)

    @property
    def cell(self) -> str:
        """The cell's reference, such as ``C4``."""
        return f"{column_letter(self.column)}{self.row}"

    def __str__(self) -> str:
        """How messages name the cell: ``people.xlsx, sheet Staff, row 4, column C``."""
        sheet = f", sheet {self.sheet}" if self.sheet is not None else ""
        return f"{self.file}{sheet}, row {self.row}, column {column_letter(self.column)}"


@dataclass(frozen=True, slots=True)
class CellRange:
    """A rectangle of cells (a merged range), corners included, 1-based."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int
