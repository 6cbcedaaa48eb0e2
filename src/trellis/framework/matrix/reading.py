"""From the bytes of a matrix file to grids of cell text, through the one tabular reader.

Cells are cleaned as the framework stores them; a workbook formula is reported (TRL306), never
evaluated; anything the reader refuses (a damaged file, a limit crossed) is one TRL301 naming why.
"""

from __future__ import annotations

import re

from trellis.framework.matrix.shared import (
    FORMULA,
    IGNORED_SHEETS,
    LIMITS,
    MAX_COLUMNS,
    MAX_ROWS,
    PROFICIENCY_SHEET,
    UNREADABLE,
    _Grid,
    _location,
    _normal,
    _Report,
    _shorten,
    _start,
)
from trellis.tabular import CellKind, Row, Spreadsheet, TabularError, cell_text, open_spreadsheet
from trellis.tabular.formulas import restore_neutralised

# C0 control characters other than tab and newline carry no meaning in a cell and break XML.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    """Cell text as the framework stores it: CRLF and CR made ``\\n``, control characters other than
    tab and newline removed, surrounding whitespace stripped, and one apostrophe that neutralises a
    formula trigger (an apostrophe followed by ``=``, ``+``, ``-``, ``@``, tab, CR or another
    apostrophe, as :func:`export_matrix_xlsx` writes it) removed."""
    text = _CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return restore_neutralised(text)


def read_grids(data: bytes, report: _Report) -> tuple[list[_Grid], _Grid | None, bool]:
    """The track grids, the Expected proficiency grid and whether the file is CSV; nothing (with
    a diagnostic) when the file cannot be read."""
    filename = report.filename
    try:
        with open_spreadsheet(data, filename, limits=LIMITS) as spreadsheet:
            if spreadsheet.kind == "csv":
                grid = _Grid(None, spreadsheet.file)
                complete = True
                for row in spreadsheet.rows():
                    if complete:
                        complete = _fill_checked(grid, row, report)
                return ([grid] if complete else []), None, True
            return (*_workbook_grids(spreadsheet, report), False)
    except TabularError as error:
        location = _location(error.location) if error.location is not None else _start(filename)
        report.report(UNREADABLE, error.reason, location, error.hint)
        return [], None, False


def _workbook_grids(spreadsheet: Spreadsheet, report: _Report) -> tuple[list[_Grid], _Grid | None]:
    tracks: list[_Grid] = []
    proficiency: _Grid | None = None
    for sheet in spreadsheet.sheets:
        if not sheet.visible:
            continue  # hidden sheets hold lookup lists and helpers, never a track
        title = str(sheet.name)
        normal = _normal(title)
        if normal in IGNORED_SHEETS:
            continue
        grid = _Grid(title, spreadsheet.file)
        complete = True
        for row in spreadsheet.rows(sheet):
            if complete:
                complete = _fill_checked(grid, row, report)
        if not complete:
            continue
        # Clipped to the readable area: a range merged down to the last row of the sheet would
        # otherwise fill a million cells.
        grid.merged = [
            (
                cell_range.first_row,
                cell_range.first_column,
                min(cell_range.last_row, MAX_ROWS),
                min(cell_range.last_column, MAX_COLUMNS),
            )
            for cell_range in spreadsheet.merged_ranges(sheet)
            if cell_range.first_row <= MAX_ROWS and cell_range.first_column <= MAX_COLUMNS
        ]
        if normal == _normal(PROFICIENCY_SHEET):
            proficiency = grid
        else:
            tracks.append(grid)
    if not tracks and not report.has_errors:
        report.report(
            UNREADABLE,
            "the workbook has no track sheet (About, README, Instructions, "
            f"{PROFICIENCY_SHEET} and hidden sheets are not tracks)",
            _start(spreadsheet.file),
        )
    return tracks, proficiency


def _fill_checked(grid: _Grid, row: Row, report: _Report) -> bool:
    """Put the row's cells into the grid, reporting formulas; False when a cell lies outside the
    area a matrix may use (the sheet is then left out)."""
    for cell in row.cells:
        text = _clean(cell_text(cell.value))
        if not text:
            continue
        if row.number > MAX_ROWS or cell.column > MAX_COLUMNS:
            report.report_at(
                UNREADABLE,
                grid,
                row.number,
                cell.column,
                f"lies outside the {MAX_ROWS} rows × {MAX_COLUMNS} columns a matrix may use",
            )
            return False
        if cell.kind is CellKind.FORMULA:
            report.report_at(
                FORMULA,
                grid,
                row.number,
                cell.column,
                f"holds a formula ({_shorten(text)})",
                "paste values instead: copy the cells and use Paste Special › Values",
            )
        grid.cells[row.number, cell.column] = text
    return True
