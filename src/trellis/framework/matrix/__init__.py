"""The spreadsheet matrix: competencies down, levels across, behaviour in every cell.

Most companies already keep their framework as such a matrix, so Trellis reads one (CSV or XLSX)
into a framework and writes one back. The format, the variations read, the inference rules and the
errors (TRL301–TRL309) are described for users in ``docs/matrix-import.md``; in short:

* A sheet (or the CSV file) is one track. Its header row is the first of its first ten rows with a
  cell reading ``competency``; rows above it (a title, notes) are skipped. Columns headed
  ``id``, ``category`` and ``description`` are optional, in any order; every other headed column is
  a level, left to right from the most junior.
* A level header is a code (``IC3``, ``Senior-2``: a letter, then letters, digits, ``.``, ``_`` or
  ``-`` including a digit), ``Level 3`` or a bare ``3`` (code ``L3``; ``IC3``-style ``<prefix>3``
  when the workbook has several tracks, so codes stay unique in the family), or a title
  (``Senior Engineer``; code ``<prefix><position>``, the prefix being the initials of the track
  name). A code may be followed by its title on the next line of the cell or after ``-``, ``:``,
  ``|`` or in parentheses; without a title, the code is also the title.
* Each row below the header is a competency; each cell its behaviour at that level.
* A matrix has no proficiency, so the expected proficiency is inferred from the level's position
  (see :func:`inferred_proficiencies`) unless an ``Expected proficiency`` sheet gives it.

Reading never raises anything but :class:`FrameworkError`, whose diagnostics are all located by
file, sheet (a structured ``sheet`` of the location, never part of the file name), row and
column. Nothing in a cell is ever evaluated: a cell holding a formula is an error.

The package reads through :mod:`trellis.tabular` (``reading``), infers the framework
(``inference``) and writes matrices back (``writing``); this module is its public face.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path as FilePath

from trellis.framework.diagnostics import Diagnostic, FrameworkError, Severity
from trellis.framework.matrix.inference import _MatrixReader, inferred_proficiencies
from trellis.framework.matrix.shared import (
    COMPETENCY_IDENTITY,
    DEFAULT_TRACK_ID,
    DEFAULT_TRACK_NAME,
    DUPLICATE_COLUMN,
    EXPECTED_PROFICIENCY,
    FORMULA,
    HEADER_SEARCH_ROWS,
    IGNORED_SHEETS,
    LIMITS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MISSING_COMPETENCY_NAME,
    NO_HEADER_ROW,
    OPTION_MISMATCH,
    PROFICIENCY_SHEET,
    UNREADABLE,
    UNREADABLE_LEVEL_COLUMN,
    _start,
)
from trellis.framework.matrix.writing import export_matrix_csv, export_matrix_xlsx
from trellis.framework.model import Framework

__all__ = [
    "COMPETENCY_IDENTITY",
    "DEFAULT_TRACK_ID",
    "DEFAULT_TRACK_NAME",
    "DUPLICATE_COLUMN",
    "EXPECTED_PROFICIENCY",
    "FORMULA",
    "HEADER_SEARCH_ROWS",
    "IGNORED_SHEETS",
    "LIMITS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MISSING_COMPETENCY_NAME",
    "NO_HEADER_ROW",
    "OPTION_MISMATCH",
    "PROFICIENCY_SHEET",
    "UNREADABLE",
    "UNREADABLE_LEVEL_COLUMN",
    "MatrixResult",
    "export_matrix_csv",
    "export_matrix_xlsx",
    "import_matrix",
    "import_matrix_bytes",
    "inferred_proficiencies",
    "read_matrix",
]

# --- public API ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixResult:
    """What reading a matrix gave: the framework (None when there were errors) and every
    diagnostic, warnings included, each located by file, row and column."""

    framework: Framework | None
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def import_matrix(
    path: str | os.PathLike[str], *, family: str, track: str | None = None, name: str | None = None
) -> Framework:
    """Read the matrix file at `path` (CSV or XLSX) as a one-family framework.

    `family` names the job family (its id is the name's slug); `track` names the track of a CSV
    file or of a workbook's single track sheet; `name` is the framework name (default: the family
    name). Raises :class:`FrameworkError` with every error found, located by row and column.
    """
    file = str(path)
    try:
        data = FilePath(path).read_bytes()
    except OSError as error:
        raise FrameworkError(
            [
                Diagnostic(
                    UNREADABLE, Severity.ERROR, f"cannot read file: {error.strerror}", location=_start(file)
                )
            ],
            file,
        ) from None
    return import_matrix_bytes(data, file, family=family, track=track, name=name)


def import_matrix_bytes(
    data: bytes, filename: str, *, family: str, track: str | None = None, name: str | None = None
) -> Framework:
    """Like :func:`import_matrix`, for the bytes of an upload named `filename`.

    XLSX is recognised by content (a zip archive) or by extension; anything else is read as CSV.
    """
    result = read_matrix(data, filename, family=family, track=track, name=name)
    if result.framework is None or result.errors:
        raise FrameworkError(result.errors or result.diagnostics, filename)
    return result.framework


def read_matrix(
    data: bytes, filename: str, *, family: str, track: str | None = None, name: str | None = None
) -> MatrixResult:
    """Read a matrix as far as possible, collecting located diagnostics (warnings included)."""
    reader = _MatrixReader(filename)
    framework = reader.read(data, family=family, track=track, name=name)
    # Reported in reading order: file by file (sheets in workbook order), then row and column.
    files: dict[tuple[str, str], int] = {}
    for diagnostic in reader.diagnostics:
        files.setdefault(_file_of(diagnostic), len(files))
    ordered = sorted(
        reader.diagnostics,
        key=lambda d: (
            files[_file_of(d)],
            d.location.line if d.location else 0,
            d.location.column if d.location else 0,
        ),
    )
    return MatrixResult(framework if not reader.has_errors else None, ordered)


def _file_of(diagnostic: Diagnostic) -> tuple[str, str]:
    location = diagnostic.location
    return (location.file, location.sheet or "") if location else ("", "")
