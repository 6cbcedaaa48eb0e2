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
file (``name.xlsx[Sheet]`` for a sheet), row and column. Nothing in a cell is ever evaluated: a
cell holding a formula is an error.
"""

from __future__ import annotations

import csv
import io
import os
import re
import string
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path as FilePath
from typing import Any

from trellis.framework.diagnostics import Diagnostic, FrameworkError, Location, Severity
from trellis.framework.model import (
    Competency,
    Expectation,
    Family,
    Framework,
    Level,
    RatingScale,
    Track,
    TrackKind,
)

UNREADABLE = "TRL301"
NO_HEADER_ROW = "TRL302"
UNREADABLE_LEVEL_COLUMN = "TRL303"
DUPLICATE_COLUMN = "TRL304"
MISSING_COMPETENCY_NAME = "TRL305"
FORMULA = "TRL306"
COMPETENCY_IDENTITY = "TRL307"
EXPECTED_PROFICIENCY = "TRL308"
OPTION_MISMATCH = "TRL309"

MATRIX_CODES = {
    UNREADABLE: "the file cannot be read as a matrix (empty, not UTF-8, corrupt, unsupported or too large)",
    NO_HEADER_ROW: 'a sheet has no header row with a "competency" cell in its first ten rows',
    UNREADABLE_LEVEL_COLUMN: "a column holds text but has no header, or the header row names no level",
    DUPLICATE_COLUMN: "two columns head the same level code or the same kind of column",
    MISSING_COMPETENCY_NAME: "a row holds text but no competency name",
    FORMULA: "a cell holds a formula instead of a value",
    COMPETENCY_IDENTITY: "a competency id is invalid, repeated on a sheet, or names two competencies",
    EXPECTED_PROFICIENCY: "a row of the Expected proficiency sheet cannot be read or matched",
    OPTION_MISMATCH: "an import option does not fit the file (e.g. --track with several track sheets)",
}

#: The sheet that carries exact expected proficiencies (columns track, competency, level, proficiency).
PROFICIENCY_SHEET = "Expected proficiency"
#: Sheets, besides the proficiency sheet, that are notes for people and never a track.
IGNORED_SHEETS = frozenset({"about", "readme", "read me", "instructions"})
#: Name and id of the track a CSV file describes when no track name is given.
DEFAULT_TRACK_NAME = "Individual contributor"
DEFAULT_TRACK_ID = "ic"

#: The header row is looked for in this many rows from the top.
HEADER_SEARCH_ROWS = 10
# Limits that keep an upload from costing unbounded memory; real matrices are far smaller.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 200

_COMPETENCY_HEADERS = frozenset({"competency", "competencies", "competency name"})
_ID_HEADERS = frozenset({"id", "competency id"})
_CATEGORY_HEADERS = frozenset({"category", "competency category"})
_DESCRIPTION_HEADERS = frozenset({"description", "competency description", "definition"})
_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_CSV_DELIMITERS = (",", ";", "\t")

#: First characters that make a spreadsheet read a cell as a formula (and the apostrophe itself,
#: so that neutralising stays reversible).
_FORMULA_TRIGGERS = "=+-@\t\r'"
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*")
_NUMBERED_HEADER = re.compile(r"(?:level|lvl)\.?\s*([0-9]{1,3})(?P<rest>.*)|([0-9]{1,3})", re.IGNORECASE)
_CODE_HEADER = re.compile(r"(?=[A-Za-z0-9_.-]*[0-9])([A-Za-z][A-Za-z0-9_.-]{0,15})(?P<rest>.*)", re.ASCII)
# C0 control characters other than tab and newline carry no meaning in a cell and break XML.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
    files: dict[str, int] = {}
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


def _file_of(diagnostic: Diagnostic) -> str:
    return diagnostic.location.file if diagnostic.location else ""


def inferred_proficiencies(level_count: int, scale: RatingScale | None = None) -> list[int]:
    """The expected proficiency of each of `level_count` levels when a matrix does not give it.

    The levels are spread evenly over the scale: the first expects the scale's minimum, the last its
    maximum, those between the linear interpolation rounded half up (so the values never decrease).
    A single level expects the middle of the scale, rounded down. On the default 1–5 scale, five
    levels give 1, 2, 3, 4, 5; four give 1, 2, 4, 5; seven give 1, 2, 2, 3, 4, 4, 5.
    """
    scale = scale or RatingScale()
    low, high = scale.minimum, scale.maximum
    if level_count <= 0:
        return []
    if level_count == 1:
        return [low + (high - low) // 2]
    span = high - low
    # Integer arithmetic for "round half up": floor((2 * position * span + steps) / (2 * steps)).
    steps = level_count - 1
    return [low + (2 * position * span + steps) // (2 * steps) for position in range(level_count)]


def export_matrix_xlsx(framework: Framework, family_id: str) -> bytes:
    """The family as an importable workbook: one sheet per track, then the Expected proficiency
    sheet (so importing it back is lossless) and an About sheet for people.

    Each track sheet has the columns Competency, ID, Category, Description and one per level,
    headed by the level code with its title on a second line when the title differs from the code.
    Text that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a
    tab, a carriage return, or an apostrophe) is written with one leading apostrophe, which the
    importer removes. Characters XML cannot hold are dropped. Raises ValueError for an unknown family.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    family = _require_family(framework, family_id)
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    proficiency_rows: list[list[Any]] = []
    for track, sheet_name in zip(family.tracks, _sheet_names(family.tracks), strict=True):
        sheet = workbook.create_sheet(sheet_name)
        for row in _track_rows(framework, family, track):
            sheet.append([_neutralise(value) if value else None for value in row])
        for cell in sheet[1]:
            cell.font = bold
        for row_cells in sheet.iter_rows(min_row=1):
            for cell in row_cells:
                cell.alignment = wrapped
        for column, width in zip("ABCD", (24, 18, 18, 40), strict=True):
            sheet.column_dimensions[column].width = width
        for index in range(len(track.levels)):
            sheet.column_dimensions[_column_letter(5 + index)].width = 40
        sheet.freeze_panes = "B2"
        for competency_id, by_level in track.expectations.items():
            for level in track.levels:
                expectation = by_level.get(level.code)
                if expectation is not None:
                    proficiency_rows.append([sheet_name, competency_id, level.code, expectation.proficiency])
    proficiency = workbook.create_sheet(PROFICIENCY_SHEET)
    proficiency.append(["Track", "Competency", "Level", "Proficiency"])
    for row in proficiency_rows:
        proficiency.append([_neutralise(row[0]), _neutralise(row[1]), _neutralise(row[2]), row[3]])
    for cell in proficiency[1]:
        cell.font = bold
    about = workbook.create_sheet("About")
    for line in _about_lines(framework, family):
        about.append([_neutralise(line) if line else None])
    about.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_matrix_csv(framework: Framework, family_id: str, track_id: str) -> str:
    """One track of a family as an importable CSV matrix (the columns of :func:`export_matrix_xlsx`).

    The text starts with a byte-order mark so that Excel opens it as UTF-8, and uses CRLF line
    endings. A CSV file has no room for expected proficiencies; importing it infers them again.
    Raises ValueError for an unknown family or track.
    """
    family = _require_family(framework, family_id)
    track = family.track(track_id)
    if track is None:
        raise ValueError(f'family "{family_id}" has no track "{track_id}"')
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _track_rows(framework, family, track):
        writer.writerow([_neutralise(value) for value in row])
    return "\ufeff" + buffer.getvalue()


# --- writing helpers -----------------------------------------------------------------------------


def _require_family(framework: Framework, family_id: str) -> Family:
    family = framework.family(family_id)
    if family is None:
        raise ValueError(f'the framework has no family "{family_id}"')
    return family


def _track_rows(framework: Framework, family: Family, track: Track) -> list[list[str]]:
    definitions = {c.id: c for c in framework.competencies_for(family, track)}
    header = ["Competency", "ID", "Category", "Description"]
    header += [
        level.code if level.title == level.code else f"{level.code}\n{level.title}" for level in track.levels
    ]
    rows = [header]
    for competency_id, by_level in track.expectations.items():
        definition = definitions.get(competency_id)
        name = definition.name if definition is not None else competency_id
        category = definition.category if definition is not None else ""
        description = definition.description if definition is not None else ""
        behaviours = [
            by_level[level.code].behaviour if level.code in by_level else "" for level in track.levels
        ]
        rows.append([name, competency_id, category, description, *behaviours])
    return rows


def _neutralise(text: str) -> str:
    """`text` made safe for a spreadsheet cell: XML-illegal characters dropped, line endings made
    ``\\n``, and one apostrophe put in front of a leading formula trigger (see :func:`_clean`)."""
    text = _NOT_XML_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if text and text[0] in _FORMULA_TRIGGERS:
        return "'" + text
    return text


def _sheet_names(tracks: Sequence[Track]) -> list[str]:
    """A valid, distinct sheet name for each track: Excel forbids ``[]:*?/\\``, a leading or
    trailing apostrophe, more than 31 characters and the names it reserves; names the importer
    ignores (About, README, Expected proficiency) get " track" appended."""
    reserved = {*IGNORED_SHEETS, _normal(PROFICIENCY_SHEET), "history"}
    names: list[str] = []
    taken: set[str] = set()
    for track in tracks:
        base = (
            re.sub(r"[\[\]:*?/\\]", "-", _NOT_XML_CHARACTERS.sub("", track.name)).strip().strip("'").strip()
        )
        base = base or track.id
        if _normal(base) in reserved:
            base = f"{base} track"
        base = base[:31].rstrip()
        candidate, suffix = base, 2
        while candidate.casefold() in taken:
            tail = f" ({suffix})"
            candidate = base[: 31 - len(tail)].rstrip() + tail
            suffix += 1
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _about_lines(framework: Framework, family: Family) -> list[str]:
    scale = ", ".join(f"{point.value} {point.label}" for point in framework.scale.points)
    return [
        f"{family.name}: career framework matrix exported by Trellis",
        "",
        "Each track sheet lists one competency per row and one level per column; a cell describes "
        "the behaviour expected of that competency at that level.",
        "Keep the ID column when renaming a competency, so Trellis recognises it on import.",
        f"The {PROFICIENCY_SHEET} sheet gives the proficiency each level expects, on the scale {scale}.",
        "Text starting with =, +, -, @ or an apostrophe is stored with one extra leading apostrophe "
        "so that no spreadsheet runs it as a formula; Trellis removes it again on import.",
        "Import with: trellis import-matrix FILE --family NAME -o framework.yaml",
    ]


# --- reading: from bytes to grids of text ---------------------------------------------------------


@dataclass(slots=True)
class _Grid:
    """One table of a matrix file: cleaned cell text by (row, column), both 1-based."""

    #: The sheet name, or None for a CSV file.
    sheet: str | None
    #: The file part of every location in this grid.
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
        cell = f"cell {_column_letter(column)}{row}"
        return cell if self.sheet is None else f"sheet {self.sheet}, {cell}"

    def location(self, row: int, column: int) -> Location:
        return Location(self.file, row, column)


def _column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _start(file: str) -> Location:
    return Location(file, 1, 1)


def _clean(text: str) -> str:
    """Cell text as the framework stores it: CRLF and CR made ``\\n``, control characters other than
    tab and newline removed, surrounding whitespace stripped, and one apostrophe that neutralises a
    formula trigger (an apostrophe followed by ``=``, ``+``, ``-``, ``@``, tab, CR or another
    apostrophe, as :func:`export_matrix_xlsx` writes it) removed."""
    text = _CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) >= 2 and text[0] == "'" and text[1] in _FORMULA_TRIGGERS:
        text = text[1:]
    return text


def _normal(text: str) -> str:
    """Text compared case-insensitively and ignoring spacing (headers, sheet names)."""
    return " ".join(text.split()).casefold()


def _cell_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


class _MatrixReader:
    """Reads one matrix file; collects diagnostics instead of stopping at the first problem."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.diagnostics: list[Diagnostic] = []
        self.competencies: list[_Draft] = []

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

    # The whole read, top to bottom.

    def read(self, data: bytes, *, family: str, track: str | None, name: str | None) -> Framework | None:
        family_name = " ".join(family.split())
        if not family_name:
            self.report(
                OPTION_MISMATCH, "the family name is empty", _start(self.filename), "pass --family NAME"
            )
            return None
        grids, proficiency_grid, is_csv = self._grids(data)
        if not grids:
            return None
        if track is not None and not " ".join(track.split()):
            self.report(OPTION_MISMATCH, "the track name is empty", _start(self.filename))
            return None
        if track is not None and len(grids) > 1:
            self.report(
                OPTION_MISMATCH,
                f"--track names one track, but the workbook has {len(grids)} track sheets "
                f"({', '.join(str(g.sheet) for g in grids)})",
                _start(self.filename),
                "leave out --track: each sheet is a track named after the sheet",
            )
        tables = [table for grid in grids if (table := self._table(grid)) is not None]
        if not tables:
            return None
        self._name_tracks(tables, track, is_csv)
        self._resolve_competencies(tables)
        self._assign_level_codes(tables)
        proficiencies = None
        if proficiency_grid is not None:
            proficiencies = self._proficiencies(proficiency_grid, tables)
        if self.has_errors:
            return None
        return self._framework(tables, family_name, name, proficiencies)

    def _grids(self, data: bytes) -> tuple[list[_Grid], _Grid | None, bool]:
        """The track grids and the proficiency grid, or nothing (with a diagnostic)."""
        suffix = os.path.splitext(self.filename)[1].lower()
        start = _start(self.filename)
        if not data.strip(b" \t\r\n\xef\xbb\xbf"):
            self.report(UNREADABLE, "the file is empty", start)
            return [], None, False
        if len(data) > MAX_FILE_BYTES:
            self.report(UNREADABLE, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", start)
            return [], None, False
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            self.report(
                UNREADABLE,
                "this is an Excel 97–2003 workbook (.xls) or a password-protected one",
                start,
                "save it as an Excel workbook (.xlsx) without a password, or as CSV UTF-8",
            )
            return [], None, False
        if suffix in (".ods", ".numbers", ".xls"):
            self.report(
                UNREADABLE, f"{suffix} files are not supported", start, "save it as .xlsx or as CSV UTF-8"
            )
            return [], None, False
        if data.startswith(b"PK"):
            sheets, proficiency = self._xlsx_grids(data)
            return sheets, proficiency, False
        if suffix in _XLSX_SUFFIXES:
            self.report(
                UNREADABLE,
                "the file is not an XLSX workbook (an XLSX file is a zip archive)",
                start,
                "save the spreadsheet again as an Excel workbook (.xlsx)",
            )
            return [], None, False
        grid = self._csv_grid(data)
        return ([grid] if grid is not None else []), None, True

    def _csv_grid(self, data: bytes) -> _Grid | None:
        text = self._decode(data)
        if text is None:
            return None
        delimiter = _sniff_delimiter(text)
        grid = _Grid(None, self.filename)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        row_number = 0
        try:
            for row_number, row in enumerate(reader, start=1):
                if row_number > MAX_ROWS:
                    self.report(UNREADABLE, f"the file has more than {MAX_ROWS} rows", _start(self.filename))
                    return None
                for column, value in enumerate(row, start=1):
                    cleaned = _clean(value)
                    if not cleaned:
                        continue
                    if column > MAX_COLUMNS:
                        self.report_at(
                            UNREADABLE,
                            grid,
                            row_number,
                            column,
                            f"lies beyond the {MAX_COLUMNS} columns a matrix may use",
                        )
                        return None
                    grid.cells[row_number, column] = cleaned
        except csv.Error as error:
            self.report(
                UNREADABLE,
                f"row {row_number + 1} cannot be read as CSV: {error}",
                Location(self.filename, row_number + 1, 1),
            )
            return None
        return grid

    def _decode(self, data: bytes) -> str | None:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            # Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab-separated.
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                self.report(UNREADABLE, "the file starts like UTF-16 text but is not", _start(self.filename))
                return None
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as error:
            row, column = _csv_position(body[: error.start].decode("utf-8"))
            self.report(
                UNREADABLE,
                f"cell {_column_letter(column)}{row} is not valid UTF-8 (byte 0x{body[error.start]:02x})",
                Location(self.filename, row, column),
                'save the file as "CSV UTF-8"',
            )
            return None

    def _xlsx_grids(self, data: bytes) -> tuple[list[_Grid], _Grid | None]:
        start = _start(self.filename)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                uncompressed = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            self.report(
                UNREADABLE, "the file is damaged: it starts like a zip archive (XLSX) but is not one", start
            )
            return [], None
        if "xl/workbook.xml" not in names:
            hint = "save it as .xlsx" if "content.xml" in names else ""
            self.report(UNREADABLE, "the file is a zip archive but not an XLSX workbook", start, hint)
            return [], None
        if uncompressed > MAX_UNCOMPRESSED_BYTES:
            self.report(UNREADABLE, "the workbook is too large to read", start)
            return [], None
        try:
            workbook = _load_workbook(data)
        except Exception as error:  # openpyxl raises many kinds of errors on a malformed workbook
            self.report(
                UNREADABLE,
                f"the workbook is damaged and cannot be read ({type(error).__name__})",
                start,
                "open it in a spreadsheet application and save it again as .xlsx",
            )
            return [], None
        tracks: list[_Grid] = []
        proficiency: _Grid | None = None
        for worksheet in workbook.worksheets:
            if worksheet.sheet_state != "visible":
                continue  # hidden sheets hold lookup lists and helpers, never a track
            title = str(worksheet.title)
            normal = _normal(title)
            if normal in IGNORED_SHEETS:
                continue
            grid = self._worksheet_grid(worksheet, title)
            if grid is None:
                continue
            if normal == _normal(PROFICIENCY_SHEET):
                proficiency = grid
            else:
                tracks.append(grid)
        if not tracks and not self.has_errors:
            self.report(
                UNREADABLE,
                "the workbook has no track sheet (About, README, Instructions, "
                f"{PROFICIENCY_SHEET} and hidden sheets are not tracks)",
                start,
            )
        return tracks, proficiency

    def _worksheet_grid(self, worksheet: Any, title: str) -> _Grid | None:
        grid = _Grid(title, f"{self.filename}[{title}]")
        for (row, column), cell in _worksheet_cells(worksheet):
            if cell.value is None:
                continue
            is_formula = cell.data_type == "f"
            # An array formula is an object; its text is what the person typed.
            value = getattr(cell.value, "text", None) if is_formula else None
            text = _clean(_cell_text(value or cell.value))
            if not text:
                continue
            if row > MAX_ROWS or column > MAX_COLUMNS:
                self.report_at(
                    UNREADABLE,
                    grid,
                    row,
                    column,
                    f"lies outside the {MAX_ROWS} rows × {MAX_COLUMNS} columns a matrix may use",
                )
                return None
            if is_formula:
                self.report_at(
                    FORMULA,
                    grid,
                    row,
                    column,
                    f"holds a formula ({_shorten(text)})",
                    "paste values instead: copy the cells and use Paste Special › Values",
                )
            grid.cells[row, column] = text
        # Clipped to the readable area: a range merged down to the last row of the sheet would
        # otherwise fill a million cells.
        grid.merged = [
            (
                cell_range.min_row,
                cell_range.min_col,
                min(cell_range.max_row, MAX_ROWS),
                min(cell_range.max_col, MAX_COLUMNS),
            )
            for cell_range in worksheet.merged_cells.ranges
            if cell_range.min_row <= MAX_ROWS and cell_range.min_col <= MAX_COLUMNS
        ]
        return grid

    # Tables: one track sheet understood as header and rows.

    def _table(self, grid: _Grid) -> _Table | None:
        header_row = _find_header_row(
            grid, lambda cells: any(_normal(c) in _COMPETENCY_HEADERS for c in cells)
        )
        if header_row is None:
            where = "the file" if grid.sheet is None else f"sheet {grid.sheet}"
            self.report(
                NO_HEADER_ROW,
                f'{where} has no header row: none of its first {HEADER_SEARCH_ROWS} rows has a "competency" cell',
                grid.location(1, 1),
                "head the column of competency names with the word Competency",
            )
            return None
        competency_column = next(
            c
            for c in range(1, grid.column_count + 1)
            if _normal(grid.text(header_row, c)) in _COMPETENCY_HEADERS
        )
        last_header_row = header_row
        for first_row, first_column, last_row, _ in grid.merged:
            # A competency header merged down over several rows: the level headers span them too.
            if (first_row, first_column) == (header_row, competency_column):
                last_header_row = last_row
        table = _Table(grid, header_row, last_header_row)
        self._read_header(table)
        if not table.levels:
            self.report_at(
                UNREADABLE_LEVEL_COLUMN,
                grid,
                header_row,
                competency_column,
                "starts a header row that names no level",
                "add one column per level, headed by its code (IC3) or title",
            )
            return None
        _fill_merged_cells(grid, last_header_row)
        self._read_rows(table)
        return table

    def _read_header(self, table: _Table) -> None:
        grid = table.grid
        roles: dict[str, int] = {}
        merged_into: dict[int, int] = {}
        for first_row, first_column, last_row, last_column in grid.merged:
            if first_row <= table.header_row <= last_row:
                for column in range(first_column + 1, last_column + 1):
                    merged_into[column] = first_column
        row_count = grid.row_count
        for column in range(1, grid.column_count + 1):
            lines = [
                line.strip()
                for row in range(table.header_row, table.last_header_row + 1)
                for line in grid.text(row, column).split("\n")
                if line.strip()
            ]
            header = "\n".join(lines)
            role = _column_role(header)
            if role is not None:
                if role in roles:
                    self.report_at(
                        DUPLICATE_COLUMN,
                        grid,
                        table.header_row,
                        column,
                        f'is a second "{role}" column (the first is column {_column_letter(roles[role])})',
                        "keep one of them",
                    )
                    continue
                roles[role] = column
            elif any(ch.isalnum() for ch in header):
                table.levels.append(_parse_level_header(header, column))
            else:
                # No header (or only "#", "-"...): a numbering or spacer column, unless it holds text.
                filled = [r for r in range(table.last_header_row + 1, row_count + 1) if grid.text(r, column)]
                if filled and not header:
                    if column in merged_into:
                        detail = f"its header cell is merged into {_column_letter(merged_into[column])}{table.header_row}"
                    else:
                        detail = "its header cell is empty"
                    self.report_at(
                        UNREADABLE_LEVEL_COLUMN,
                        grid,
                        filled[0],
                        column,
                        f"holds text, but column {_column_letter(column)} has no header ({detail})",
                        "give each level its own column and header, or delete the column",
                    )
        table.competency_column = roles["competency"]
        table.id_column = roles.get("id")
        table.category_column = roles.get("category")
        table.description_column = roles.get("description")

    def _read_rows(self, table: _Table) -> None:
        grid = table.grid
        columns = [
            c for c in (table.id_column, table.category_column, table.description_column) if c is not None
        ] + [level.column for level in table.levels]
        for row in range(table.last_header_row + 1, grid.row_count + 1):
            name = grid.text(row, table.competency_column)
            others = [c for c in columns if grid.text(row, c)]
            if not name:
                if others:
                    self.report_at(
                        MISSING_COMPETENCY_NAME,
                        grid,
                        row,
                        table.competency_column,
                        f"is empty, but row {row} holds text (in {_column_letter(others[0])}{row})",
                        "name the competency, or delete the row",
                    )
                continue
            explicit_id = grid.text(row, table.id_column) if table.id_column else ""
            if explicit_id and not _IDENTIFIER.fullmatch(explicit_id):
                assert table.id_column is not None
                self.report_at(
                    COMPETENCY_IDENTITY,
                    grid,
                    row,
                    table.id_column,
                    f'holds "{_shorten(explicit_id)}", which is not a valid competency id',
                    "use lower-case letters and digits joined by '_' or '-', or leave it empty",
                )
                explicit_id = ""
            table.rows.append(
                _Row(
                    row=row,
                    name=name,
                    explicit_id=explicit_id,
                    category=grid.text(row, table.category_column) if table.category_column else "",
                    description=grid.text(row, table.description_column) if table.description_column else "",
                    behaviours={level.column: grid.text(row, level.column) for level in table.levels},
                )
            )

    # Across tables: names, identities and codes.

    def _name_tracks(self, tables: list[_Table], track_option: str | None, is_csv: bool) -> None:
        for table in tables:
            if track_option is not None and len(tables) == 1:
                table.track_name = " ".join(track_option.split())
            elif is_csv:
                table.track_name = DEFAULT_TRACK_NAME
            else:
                table.track_name = " ".join(str(table.grid.sheet).split())
        taken: set[str] = set()
        for table in tables:
            table.track_id = _unique(_track_id(table.track_name), taken)
            taken.add(table.track_id)
        management = [_is_management(t.track_name) for t in tables]
        others = management.count(False)
        for table, is_management in zip(tables, management, strict=True):
            if is_management:
                table.kind = TrackKind.MANAGEMENT
            elif others == 1 or _track_id(table.track_name) == DEFAULT_TRACK_ID:
                table.kind = TrackKind.IC
            else:
                table.kind = TrackKind.NAMED

    def _resolve_competencies(self, tables: list[_Table]) -> None:
        explicit = {row.explicit_id for table in tables for row in table.rows if row.explicit_id}
        drafts: dict[str, _Draft] = {}
        id_by_name: dict[str, str] = {}
        for table in tables:
            grid = table.grid
            on_sheet: dict[str, int] = {}
            for row in table.rows:
                if row.explicit_id:
                    competency_id = row.explicit_id
                    draft = drafts.get(competency_id)
                    if draft is not None and draft.name != row.name:
                        assert table.id_column is not None
                        self.report_at(
                            COMPETENCY_IDENTITY,
                            grid,
                            row.row,
                            table.competency_column,
                            f'names competency "{competency_id}" "{_shorten(row.name)}", '
                            f'but {draft.place} names it "{_shorten(draft.name)}"',
                            "use the same name on every sheet, or a different id",
                        )
                        continue
                else:
                    known = id_by_name.get(row.name)
                    competency_id = known or _unique(_slug(row.name, "competency"), explicit | set(drafts))
                if competency_id in on_sheet:
                    self.report_at(
                        COMPETENCY_IDENTITY,
                        grid,
                        row.row,
                        table.competency_column,
                        f'repeats competency "{_shorten(row.name)}" (first in row {on_sheet[competency_id]})',
                        "give each competency one row per sheet",
                    )
                    continue
                on_sheet[competency_id] = row.row
                row.competency_id = competency_id
                id_by_name.setdefault(row.name, competency_id)
                draft = drafts.get(competency_id)
                if draft is None:
                    drafts[competency_id] = _Draft(
                        competency_id,
                        row.name,
                        row.category,
                        row.description,
                        grid.place(row.row, table.competency_column),
                    )
                    continue
                for attribute, column in (
                    ("category", table.category_column),
                    ("description", table.description_column),
                ):
                    value = getattr(row, attribute)
                    if not value:
                        continue
                    if not getattr(draft, attribute):
                        setattr(draft, attribute, value)
                    elif getattr(draft, attribute) != value:
                        assert column is not None
                        self.report_at(
                            COMPETENCY_IDENTITY,
                            grid,
                            row.row,
                            column,
                            f'gives "{_shorten(row.name)}" a different {attribute} than {draft.place}; '
                            "the first one is kept",
                            severity=Severity.WARNING,
                        )
        self.competencies = list(drafts.values())

    def _assign_level_codes(self, tables: list[_Table]) -> None:
        # Prefixes already spelled out in explicit codes are not derived again for another track.
        prefixes = {
            match.group().upper()
            for table in tables
            for level in table.levels
            if level.code is not None and (match := re.match(r"[A-Za-z]+", level.code)) is not None
        }
        for table in tables:
            prefix: str | None = None
            for position, level in enumerate(table.levels, start=1):
                if level.code is not None:
                    continue
                if level.number is not None and len(tables) == 1:
                    level.code = f"L{level.number}"
                    continue
                if prefix is None:
                    prefix = _track_prefix(table.track_name, prefixes)
                    prefixes.add(prefix)
                level.code = f"{prefix}{level.number if level.number is not None else position}"
        family_codes: dict[str, tuple[_Table, _LevelHeader]] = {}
        for table in tables:
            grid = table.grid
            on_sheet: dict[str, _LevelHeader] = {}
            for level in table.levels:
                assert level.code is not None
                if level.code in on_sheet:
                    first = on_sheet[level.code]
                    self.report_at(
                        DUPLICATE_COLUMN,
                        grid,
                        table.header_row,
                        level.column,
                        f'heads level "{level.code}" a second time '
                        f"(first in {_column_letter(first.column)}{table.header_row})",
                        "give each level one column with its own code",
                    )
                elif level.code in family_codes:
                    other_table, other = family_codes[level.code]
                    self.report_at(
                        DUPLICATE_COLUMN,
                        grid,
                        table.header_row,
                        level.column,
                        f'heads level "{level.code}", which {other_table.grid.place(other_table.header_row, other.column)} '
                        "already heads; a level code names one level in the family",
                        "head the columns with codes that differ between tracks (IC3, M3)",
                    )
                else:
                    on_sheet[level.code] = level
                    family_codes[level.code] = (table, level)

    def _proficiencies(self, grid: _Grid, tables: list[_Table]) -> dict[tuple[str, str, str], int]:
        wanted = ("track", "competency", "level", "proficiency")
        header_row = _find_header_row(grid, lambda cells: set(wanted) <= {_normal(c) for c in cells})
        if header_row is None:
            self.report(
                EXPECTED_PROFICIENCY,
                f"sheet {grid.sheet} has no header row with the columns track, competency, level and proficiency",
                grid.location(1, 1),
                "add that header row, or delete the sheet to infer proficiencies from level positions",
            )
            return {}
        columns = {
            _normal(grid.text(header_row, c)): c
            for c in range(grid.column_count, 0, -1)
            if _normal(grid.text(header_row, c)) in wanted
        }
        by_track: dict[str, _Table] = {}
        for table in tables:
            for label in (str(table.grid.sheet), table.track_name, table.track_id):
                by_track.setdefault(label, table)
        found: dict[tuple[str, str, str], int] = {}
        first_row: dict[tuple[str, str, str], int] = {}
        for row in range(header_row + 1, grid.row_count + 1):
            values = {key: grid.text(row, column) for key, column in columns.items()}
            if not any(values.values()):
                continue
            missing = next((key for key in wanted if not values[key]), None)
            if missing is not None:
                self.report_at(
                    EXPECTED_PROFICIENCY, grid, row, columns[missing], f"is empty; the row needs a {missing}"
                )
                continue
            matched = by_track.get(values["track"])
            if matched is None:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["track"],
                    f'names track "{_shorten(values["track"])}", which has no sheet',
                    _did_you_mean(values["track"], [str(t.grid.sheet) for t in tables]),
                )
                continue
            competency_id = matched.competency_for(values["competency"])
            if competency_id is None:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["competency"],
                    f'names competency "{_shorten(values["competency"])}", which sheet {matched.grid.sheet} does not have',
                    _did_you_mean(values["competency"], [r.name for r in matched.rows]),
                )
                continue
            codes = [str(level.code) for level in matched.levels]
            if values["level"] not in codes:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["level"],
                    f'names level "{_shorten(values["level"])}", which sheet {matched.grid.sheet} does not have',
                    _did_you_mean(values["level"], codes) or "levels: " + ", ".join(codes),
                )
                continue
            if not re.fullmatch(r"-?[0-9]{1,6}", values["proficiency"]):
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["proficiency"],
                    f'holds "{_shorten(values["proficiency"])}", which is not a whole number',
                )
                continue
            cell = (matched.track_id, competency_id, values["level"])
            if cell in found:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["track"],
                    f"repeats the proficiency of {values['competency']} at {values['level']} (first in row {first_row[cell]})",
                )
                continue
            found[cell] = int(values["proficiency"])
            first_row[cell] = row
        return found

    def _framework(
        self,
        tables: list[_Table],
        family_name: str,
        name: str | None,
        proficiencies: dict[tuple[str, str, str], int] | None,
    ) -> Framework:
        tracks: list[Track] = []
        for table in tables:
            inferred = inferred_proficiencies(len(table.levels))
            levels = [
                Level(code=str(h.code), name=h.title or str(h.code), title=h.title or str(h.code))
                for h in table.levels
            ]
            expectations: dict[str, dict[str, Expectation]] = {}
            for row in table.rows:
                assert row.competency_id is not None
                by_level: dict[str, Expectation] = {}
                for position, header in enumerate(table.levels):
                    code = str(header.code)
                    behaviour = row.behaviours.get(header.column, "")
                    key = (table.track_id, row.competency_id, code)
                    if proficiencies is not None and key in proficiencies:
                        by_level[code] = Expectation(proficiency=proficiencies[key], behaviour=behaviour)
                    elif behaviour or proficiencies is None:
                        # With a proficiency sheet, a blank cell it does not list is no expectation at
                        # all; that is how an exported track where a level skips a competency returns.
                        by_level[code] = Expectation(proficiency=inferred[position], behaviour=behaviour)
                expectations[row.competency_id] = by_level
            tracks.append(
                Track(
                    id=table.track_id,
                    name=table.track_name,
                    kind=table.kind,
                    levels=levels,
                    expectations=expectations,
                )
            )
        competencies = [
            Competency(id=d.id, name=d.name, category=d.category, description=d.description)
            for d in self.competencies
        ]
        family = Family(
            id=_slug(family_name, "family"), name=family_name, competencies=competencies, tracks=tracks
        )
        framework_name = " ".join((name or "").split()) or family_name
        return Framework(name=framework_name, families=[family])


@dataclass(slots=True)
class _LevelHeader:
    column: int
    #: The code the header gives, or None when it is derived from the track (title headers).
    code: str | None
    #: N of a "Level N" or bare "N" header.
    number: int | None
    title: str


@dataclass(slots=True)
class _Row:
    row: int
    name: str
    explicit_id: str
    category: str
    description: str
    #: column → behaviour text
    behaviours: dict[int, str]
    competency_id: str | None = None


@dataclass(slots=True)
class _Draft:
    id: str
    name: str
    category: str
    description: str
    #: Where the competency first appears, for messages.
    place: str


@dataclass(slots=True)
class _Table:
    grid: _Grid
    header_row: int
    last_header_row: int
    levels: list[_LevelHeader] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    competency_column: int = 0
    id_column: int | None = None
    category_column: int | None = None
    description_column: int | None = None
    track_name: str = ""
    track_id: str = ""
    kind: TrackKind = TrackKind.IC

    def competency_for(self, text: str) -> str | None:
        """The id of the competency this sheet names by `text` (its id first, else its name)."""
        for row in self.rows:
            if row.competency_id == text:
                return text
        for row in self.rows:
            if row.name == text:
                return row.competency_id
        return None


def _load_workbook(data: bytes) -> Any:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns about features it drops (data validation, conditional formats); the
        # matrix does not need them and the warnings would only confuse a command-line user.
        warnings.simplefilter("ignore")
        # data_only=False keeps formulas as formulas, so they are reported, never evaluated or
        # mistaken for the value a spreadsheet last cached.
        return load_workbook(io.BytesIO(data), data_only=False, keep_links=False, rich_text=False)


def _worksheet_cells(worksheet: Any) -> Iterable[tuple[tuple[int, int], Any]]:
    """The worksheet's stored cells by (row, column).

    openpyxl's public iterators create a cell for every coordinate of the used range, which one
    formatted cell far down the sheet makes millions; its cell dictionary holds only stored cells.
    """
    cells = getattr(worksheet, "_cells", None)
    if isinstance(cells, dict):
        return sorted(cells.items(), key=lambda item: item[0])
    return (
        ((cell.row, cell.column), cell)
        for row in worksheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS)
        for cell in row
    )


def _find_header_row(grid: _Grid, is_header: Callable[[list[str]], bool]) -> int | None:
    columns = grid.column_count
    for row in range(1, HEADER_SEARCH_ROWS + 1):
        cells = [grid.text(row, column) for column in range(1, columns + 1)]
        if is_header(cells):
            return row
    return None


def _fill_merged_cells(grid: _Grid, last_header_row: int) -> None:
    """Give every cell of a merged range below the header the range's text: a category merged
    down over its competencies, or one behaviour merged across the levels it applies to."""
    for first_row, first_column, last_row, last_column in grid.merged:
        if first_row <= last_header_row:
            continue
        text = grid.text(first_row, first_column)
        if not text:
            continue
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                grid.cells[row, column] = text


def _column_role(header: str) -> str | None:
    normal = _normal(header)
    if normal in _COMPETENCY_HEADERS:
        return "competency"
    if normal in _ID_HEADERS:
        return "id"
    if normal in _CATEGORY_HEADERS:
        return "category"
    if normal in _DESCRIPTION_HEADERS:
        return "description"
    return None


def _parse_level_header(header: str, column: int) -> _LevelHeader:
    """Code, number and title of a level column from its header (see the module docstring)."""
    first, *rest = header.split("\n")
    title_lines = [line for line in rest if line]
    numbered = _NUMBERED_HEADER.fullmatch(first)
    if numbered is not None:
        bare_number = numbered.group(3)
        inline = "" if bare_number else _separated_title(numbered.group("rest"))
        if inline is not None:
            number = int(bare_number or numbered.group(1))
            title = " ".join(filter(None, [inline, *title_lines])) or f"Level {number}"
            return _LevelHeader(column, None, number, title)
    coded = _CODE_HEADER.fullmatch(first)
    if coded is not None and any(character.isdigit() for character in coded.group(1)):
        inline = _separated_title(coded.group("rest"))
        if inline is not None:
            code = coded.group(1)
            return _LevelHeader(column, code, None, " ".join(filter(None, [inline, *title_lines])) or code)
    return _LevelHeader(column, None, None, " ".join([first, *title_lines]))


def _separated_title(rest: str) -> str | None:
    """The title after a code in one line (``IC3 - Senior``, ``IC3: Senior``, ``IC3 (Senior)``,
    ``IC3 Senior``): "" when nothing follows, None when the code runs on into other text."""
    if not rest:
        return ""
    stripped = rest.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        return stripped[1:-1].strip()
    if stripped[:1] in ("-", "–", "—", ":", "|"):
        return stripped[1:].strip()
    if rest[0].isspace():
        return stripped
    return None


def _slug(text: str, fallback: str) -> str:
    """An identifier made from `text`: ASCII letters and digits joined by ``_``, starting with a
    letter (prefixed with `fallback` otherwise), at most 60 characters."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
    if not slug:
        return fallback
    if not slug[0].isalpha():
        slug = f"{fallback}_{slug}"
    return slug[:60].rstrip("_")


def _unique(base: str, taken: set[str]) -> str:
    candidate, suffix = base, 2
    while candidate in taken:
        candidate = f"{base}_{suffix}"
        suffix += 1
    return candidate


def _track_id(name: str) -> str:
    """A track's id: ``ic`` for the individual contributor track, else the slug of its name."""
    if _normal(name) in {"ic", "individual contributor", "individual contributors"}:
        return DEFAULT_TRACK_ID
    return _slug(name, "track")


def _is_management(name: str) -> bool:
    return "manag" in name.casefold()


def _track_prefix(name: str, taken: set[str]) -> str:
    """Upper-case letters for derived level codes: the initials of the track name ("Individual
    contributor" → IC), lengthened from its first word when another track already uses them."""
    words = re.findall(r"[A-Za-z]+", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    initials = "".join(word[0] for word in words).upper() or "L"
    candidates = [initials[:4]]
    if words:
        candidates += [words[0][:length].upper() for length in range(2, len(words[0]) + 1)]
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return next(
        initials[:3] + letter for letter in string.ascii_uppercase if initials[:3] + letter not in taken
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon or tab) with which the header row splits into most cells."""
    best, best_count = ",", 0
    sample = "\n".join(text.splitlines()[: HEADER_SEARCH_ROWS * 5])
    for delimiter in _CSV_DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))[:HEADER_SEARCH_ROWS]
        except csv.Error:
            continue
        for row in rows:
            if any(_normal(cell) in _COMPETENCY_HEADERS for cell in row):
                count = sum(1 for cell in row if cell.strip())
                if count > best_count:
                    best, best_count = delimiter, count
                break
    return best


def _csv_position(prefix: str) -> tuple[int, int]:
    """Row and column (1-based) of the cell that starts right after `prefix` of a CSV text."""
    try:
        rows = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=_sniff_delimiter(prefix)))
    except csv.Error:
        return prefix.count("\n") + 1, 1
    if not rows:
        return 1, 1
    if prefix.endswith(("\n", "\r")):
        return len(rows) + 1, 1
    return len(rows), max(1, len(rows[-1]))


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _did_you_mean(word: str, candidates: Sequence[str]) -> str:
    from trellis.framework.diagnostics import did_you_mean

    return did_you_mean(word, candidates)
