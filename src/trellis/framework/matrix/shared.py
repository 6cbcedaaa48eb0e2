"""What the parts of the matrix import and export share: diagnostic codes, sheet names, limits,
the grid of cell text a sheet becomes, and small text helpers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from trellis.framework.diagnostics import Diagnostic, Location, Severity
from trellis.tabular import DEFAULT_LIMITS, CellLocation, column_letter

UNREADABLE = "TRL301"
NO_HEADER_ROW = "TRL302"
UNREADABLE_LEVEL_COLUMN = "TRL303"
DUPLICATE_COLUMN = "TRL304"
MISSING_COMPETENCY_NAME = "TRL305"
FORMULA = "TRL306"
COMPETENCY_IDENTITY = "TRL307"
EXPECTED_PROFICIENCY = "TRL308"
OPTION_MISMATCH = "TRL309"

#: The sheet that carries exact expected proficiencies (columns track, competency, level, proficiency).
PROFICIENCY_SHEET = "Expected proficiency"
#: Sheets, besides the proficiency sheet, that are notes for people and never a track.
IGNORED_SHEETS = frozenset({"about", "readme", "read me", "instructions"})
#: Name and id of the track a CSV file describes when no track name is given.
DEFAULT_TRACK_NAME = "Individual contributor"
DEFAULT_TRACK_ID = "ic"

#: The header row is looked for in this many rows from the top.
HEADER_SEARCH_ROWS = 10
# Limits that keep an upload from costing unbounded memory; real matrices are far smaller. Every
# other limit (compression ratio, shared strings, cells per row …) is the reader's default.
MAX_FILE_BYTES = DEFAULT_LIMITS.file_bytes
MAX_ROWS = 5_000
MAX_COLUMNS = 200
LIMITS = dataclasses.replace(DEFAULT_LIMITS, rows=MAX_ROWS)


@dataclass(slots=True)
class _Grid:
    """One table of a matrix file: cleaned cell text by (row, column), both 1-based."""

    #: The sheet name, or None for a CSV file.
    sheet: str | None
    #: The file every location in this grid names.
    file: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    #: Merged ranges as (first row, first column, last row, last column).
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return max((row for row, _ in self.cells), default=0)

    @property
    def column_count(self) -> int:
        return max((column for _, column in self.cells), default=0)

    def text(self, row: int, column: int) -> str:
        return self.cells.get((row, column), "")

    def place(self, row: int, column: int) -> str:
        """How a message names a cell: ``sheet IC, cell D7`` or, in a CSV file, ``cell D7``."""
        cell = f"cell {column_letter(column)}{row}"
        return cell if self.sheet is None else f"sheet {self.sheet}, {cell}"

    def location(self, row: int, column: int) -> Location:
        return Location(self.file, row, column, sheet=self.sheet)


def _start(file: str) -> Location:
    return Location(file, 1, 1)


def _location(cell: CellLocation) -> Location:
    """A diagnostic's location for a cell the reader located."""
    return Location(cell.file, cell.row, cell.column, sheet=cell.sheet)


def _normal(text: str) -> str:
    """Text compared case-insensitively and ignoring spacing (headers, sheet names)."""
    return " ".join(text.split()).casefold()


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Report:
    """The diagnostics of one read, collected instead of stopping at the first problem."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.diagnostics: list[Diagnostic] = []

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def report(
        self,
        code: str,
        message: str,
        location: Location,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, hint=hint, location=location))

    def report_at(
        self, code: str, grid: _Grid, row: int, column: int, message: str, hint: str = "", **kwargs: Any
    ) -> None:
        self.report(code, f"{grid.place(row, column)} {message}", grid.location(row, column), hint, **kwargs)
