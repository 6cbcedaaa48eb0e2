"""What the reader gives: rows of non-empty cells, each cell with its column and typed value."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from trellis.tabular.locations import CellLocation

#: A cell's value as the file holds it: text, a number, a truth value, a date or time.
CellValue = str | int | float | bool | datetime.datetime | datetime.date | datetime.time

#: The header row is looked for in this many rows from the top.
HEADER_SEARCH_ROWS = 10


class CellKind(StrEnum):
    #: A value typed or pasted into the cell.
    VALUE = "value"
    #: A workbook formula; the value is its text (``=SUM(A1:A3)``), never its result.
    FORMULA = "formula"
    #: A workbook error value (``#N/A``); the value is its text.
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Cell:
    """One non-empty cell; `column` is 1-based."""

    column: int
    value: CellValue
    kind: CellKind = CellKind.VALUE


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a sheet (or record of a CSV file): its non-empty cells, left to right.

    Empty cells are not kept, so trailing empty cells (the commas a spreadsheet pads a CSV row
    with) cost nothing. `number` is 1-based: the sheet's row number, or the CSV record number.
    """

    file: str
    sheet: str | None
    number: int
    cells: tuple[Cell, ...]

    def location(self, column: int) -> CellLocation:
        """Where the cell of this row in `column` (1-based) is."""
        return CellLocation(self.file, self.sheet, self.number, column)

    def located(self) -> Iterable[tuple[CellLocation, Cell]]:
        """Each cell with its location."""
        return ((self.location(cell.column), cell) for cell in self.cells)

    def get(self, column: int) -> Cell | None:
        return next((cell for cell in self.cells if cell.column == column), None)

    @property
    def width(self) -> int:
        """The column of the last non-empty cell (0 for a blank row)."""
        return self.cells[-1].column if self.cells else 0


def cell_text(
    value: CellValue, *, true: str = "TRUE", false: str = "FALSE", datetime_separator: str = "T"
) -> str:
    """A value as text: numbers without a needless ``.0``, dates as ISO 8601 (a date-time at
    midnight as its date), truth values as `true` / `false`."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(datetime_separator)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def find_header_row(
    rows: Iterable[Row], is_header: Callable[[Row], bool] | None = None, *, within: int = HEADER_SEARCH_ROWS
) -> Row | None:
    """The first row numbered at most `within` for which `is_header` holds (by default: the first
    row with a non-empty cell), or None. Stops reading `rows` as soon as it is decided."""
    for row in rows:
        if row.number > within:
            return None
        if is_header(row) if is_header is not None else bool(row.cells):
            return row
    return None
