"""Reading an HRIS export into a table, through the one spreadsheet reader. Pure Python.

`read_table` reads a CSV file or an XLSX workbook (its first visible sheet) with
:func:`trellis.tabular.open_spreadsheet` under :data:`LIMITS`, and turns the rows into a `Table`: a
header row and the rows below it, every cell as clean text. Encodings, delimiters, archive checks
and every size limit are the reader's; what this module adds is the people import's own rules: the
first non-blank row is the header, header names are unique, text is tidied, and a cell that would
run as a formula (:mod:`trellis.tabular.formulas`), holds a workbook formula or error, or holds a
control character is never kept: the table holds it blank and remembers why, so the text is
reported, never stored.

A file that cannot be read as a whole raises `UnreadableFile`, whose problems are located by
:class:`~trellis.tabular.CellLocation` where they can be; `limit` names the reader's limit it
crossed, if that is why. Which column holds which field is `trellis.organisation.import_mapping`'s;
what importing the rows would do is decided by `trellis.organisation.import_planning`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trellis import tabular
from trellis.tabular import CellKind, CellLocation, column_letter
from trellis.tabular.formulas import starts_like_formula

#: What reading one HRIS export may cost: the reader's defaults, sized for 100,000 people.
LIMITS = tabular.DEFAULT_LIMITS
#: Columns a table may have once the empty columns at its right are dropped.
MAX_COLUMNS = 100
#: How many unreadable cells an encoding error lists before it says "and N more".
MAX_LISTED_PROBLEMS = 10

#: Why a cell was withheld from the table, besides a formula-like first character.
FLAG_FORMULA = "formula"
FLAG_ERROR = "error"
FLAG_CONTROL = "control"


@dataclass(frozen=True, slots=True)
class ReadingProblem:
    """Why a file cannot be read: `message`, where (`location`, None for the file as a whole) and
    the header of the cell's column when it has one."""

    message: str
    location: CellLocation | None = None
    header: str = ""

    def __str__(self) -> str:
        """``people.csv, row 2, column C ("Full name"): …``, or the bare message."""
        if self.location is None:
            return self.message
        header = f' ("{self.header}")' if self.header else ""
        return f"{self.location}{header}: {self.message}"


class UnreadableFile(Exception):
    """The file cannot be read as a table; `problems` says why, each located where it can be.
    `limit` is the name of the reader's limit the file crossed (``cells_per_row``), if any."""

    def __init__(self, problems: Sequence[ReadingProblem], *, limit: str | None = None) -> None:
        self.problems = list(problems)
        self.limit = limit
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled across the process boundary of `trellis.tabular.isolation.run_limited`.
        return (_rebuild, (self.problems, self.limit))


def _rebuild(problems: list[ReadingProblem], limit: str | None) -> UnreadableFile:
    return UnreadableFile(problems, limit=limit)


def normalise_header(text: str) -> str:
    """A header as the guesser compares it: lower case, "e-mail" as "email", words joined by one space."""
    lowered = unicodedata.normalize("NFKC", text).casefold().replace("e-mail", "email")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", lowered).split())


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the file below the header.

    `cells` has one text per column of the header (0-based column indices, as the column mapping
    uses them). A cell listed in `withheld` (column index → why: the formula-like first character,
    or `FLAG_FORMULA`, `FLAG_ERROR`, `FLAG_CONTROL`) is blank in `cells`: its text is never kept.
    `extra_cells` counts non-blank cells to the right of the header's last column.
    """

    number: int
    cells: tuple[str, ...]
    withheld: dict[int, str] = field(default_factory=dict)
    extra_cells: int = 0


@dataclass(frozen=True, slots=True)
class Table:
    """A file read as a header row and the non-blank rows below it; `file` and `sheet` (None for
    CSV) say where, for :meth:`location`."""

    file_kind: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    file: str = ""
    sheet: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "file_kind": self.file_kind,
            "file": self.file,
            "sheet": self.sheet,
            "headers": list(self.headers),
            "rows": [
                [row.number, list(row.cells), {str(k): v for k, v in row.withheld.items()}, row.extra_cells]
                for row in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Table:
        return cls(
            file_kind=data["file_kind"],
            headers=tuple(data["headers"]),
            rows=tuple(
                Row(number, tuple(cells), {int(k): v for k, v in withheld.items()}, extra)
                for number, cells, withheld, extra in data["rows"]
            ),
            # Jobs stored before tables knew their file have neither.
            file=data.get("file", ""),
            sheet=data.get("sheet"),
        )

    def location(self, row: int, index: int) -> CellLocation:
        """Where the cell of row number `row` in the column of 0-based `index` is."""
        return CellLocation(self.file, self.sheet, row, index + 1)

    def column_name(self, index: int) -> str:
        """How messages name a column: ``column D ("Manager")``."""
        return f'column {column_letter(index + 1)} ("{self.headers[index]}")'


def read_table(data: bytes, file_name: str) -> Table:
    """Read an HRIS export: XLSX when the content is a workbook, otherwise CSV.

    Raises UnreadableFile for anything the reader refuses (an empty, oversized or damaged file, an
    old .xls workbook, a limit crossed, text that is not UTF-8: every such cell is listed, the
    encoding is never guessed), a header row that repeats a column name or looks like a formula, a
    file with more than :data:`MAX_COLUMNS` columns, or one without rows below its header.
    """
    records: list[_Record] = []
    try:
        with tabular.open_spreadsheet(data, file_name, limits=LIMITS) as spreadsheet:
            sheet = next(iter(spreadsheet.visible_sheets), None)
            sheet_name = sheet.name if sheet is not None else None
            for row in spreadsheet.rows(sheet):
                record = _record(row)
                if record.cells or record.withheld:
                    records.append(record)
            kind = spreadsheet.kind
    except tabular.LimitExceeded as exceeded:
        raise UnreadableFile([_problem(exceeded)], limit=exceeded.limit) from None
    except tabular.UnreadableFile as unreadable:
        if unreadable.undecodable:
            raise UnreadableFile(_undecodable_problems(unreadable, records)) from None
        raise UnreadableFile([_problem(unreadable)]) from None
    return _table(records, kind, file_name, sheet_name)


def _problem(error: tabular.TabularError) -> ReadingProblem:
    message = f"{error.reason}: {error.hint}" if error.hint else error.reason
    return ReadingProblem(message, error.location)


@dataclass(slots=True)
class _Record:
    """A row as read, before the header is known: its non-blank cell texts and withheld cells by
    0-based column index, and where it is."""

    row: tabular.Row
    cells: dict[int, str] = field(default_factory=dict)
    withheld: dict[int, str] = field(default_factory=dict)

    @property
    def number(self) -> int:
        return self.row.number

    @property
    def width(self) -> int:
        """One more than the last column holding text or a withheld cell."""
        return max((*self.cells, *self.withheld), default=-1) + 1


def _record(row: tabular.Row) -> _Record:
    record = _Record(row)
    cells, withheld = record.cells, record.withheld
    for cell in row.cells:
        index = cell.column - 1
        if cell.kind is not CellKind.VALUE:
            withheld[index] = FLAG_FORMULA if cell.kind is CellKind.FORMULA else FLAG_ERROR
            continue
        value = cell.value
        # Most cells are text: cell_text is called for numbers, dates and truth values only.
        if not isinstance(value, str):
            value = tabular.cell_text(value, true="yes", false="no", datetime_separator=" ")
        text, why = _clean(value)
        if why:
            withheld[index] = why
        elif text:
            cells[index] = text
    return record


#: Unicode's control characters (category Cc), which no name, title or date holds.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _clean(value: str) -> tuple[str, str]:
    """A cell's text with runs of white space made one space, and why it is withheld ("" if not).

    A withheld cell's text is replaced by "" so that it cannot be stored anywhere.
    """
    text = " ".join(value.split())
    if not text:
        return "", ""
    if starts_like_formula(text):
        return "", text[0]
    if _CONTROL.search(text):
        return "", FLAG_CONTROL
    return text, ""


def _undecodable_problems(error: tabular.UnreadableFile, records: Sequence[_Record]) -> list[ReadingProblem]:
    """The reader's list of cells that are not UTF-8, each named with its column's header."""
    header = records[0] if records else None
    headers = header.cells if header is not None else {}
    located = []
    for cell in error.undecodable:
        shown = " ".join(cell.text.split())
        index = cell.location.column - 1
        named = header is not None and cell.location.row != header.number
        located.append(
            ReadingProblem(
                f'byte 0x{cell.byte:02X} in "{shown}" is not UTF-8',
                cell.location,
                headers.get(index, "") if named else "",
            )
        )
    listed = located[:MAX_LISTED_PROBLEMS]
    if len(located) > MAX_LISTED_PROBLEMS:
        listed.append(ReadingProblem(f"and {len(located) - MAX_LISTED_PROBLEMS} more cells like these"))
    return [
        ReadingProblem(
            "the file is not UTF-8 text, and Trellis does not guess an encoding: save it as "
            '"CSV UTF-8" (or export UTF-8 from the HR system) and upload it again'
        ),
        *listed,
    ]


def _table(records: list[_Record], kind: str, file_name: str, sheet: str | None) -> Table:
    if not records:
        raise UnreadableFile([ReadingProblem("the file is empty")])
    header_record, body = records[0], records[1:]
    if header_record.withheld:
        column = min(header_record.withheld)
        raise UnreadableFile(
            [
                ReadingProblem(
                    "the header looks like a formula or holds a control character; rename the column",
                    header_record.row.location(column + 1),
                )
            ]
        )
    # A workbook's columns reach as far as its values (a column without a header is named by its
    # letter), up to MAX_COLUMNS: cells further right are not read, as spreadsheets leave stray
    # notes there. In CSV a value right of the header's last column is rather a sign of a delimiter
    # inside a value without quotes: it is counted as extra (see `Row.extra_cells`).
    workbook = kind == "xlsx"
    width = header_record.width
    if workbook:
        width = min(max((width, *(record.width for record in body))), MAX_COLUMNS)
    if width > MAX_COLUMNS:
        raise UnreadableFile(
            [ReadingProblem(f"the file has more than {MAX_COLUMNS} columns", header_record.row.location(1))]
        )
    headers = [
        header_record.cells.get(index) or f"Column {column_letter(index + 1)}" for index in range(width)
    ]
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalise_header(header) or header.casefold()
        if key in seen:
            raise UnreadableFile(
                [
                    ReadingProblem(
                        f"columns {column_letter(seen[key] + 1)} and {column_letter(index + 1)} are both "
                        f'headed "{header}"; rename one of them',
                        header_record.row.location(index + 1),
                    )
                ]
            )
        seen[key] = index
    if not body:
        raise UnreadableFile(
            [ReadingProblem(f"the file has a header row (row {header_record.number}) but no rows below it")]
        )
    return Table(
        file_kind=kind,
        headers=tuple(headers),
        rows=tuple(_rows(body, width, count_extra=not workbook)),
        file=file_name,
        sheet=sheet,
    )


def _rows(body: Sequence[_Record], width: int, *, count_extra: bool) -> Iterator[Row]:
    columns = range(width)
    for record in body:
        cells, withheld = record.cells, record.withheld
        if record.width <= width:
            yield Row(record.number, tuple(cells.get(index, "") for index in columns), withheld)
            continue
        yield Row(
            record.number,
            tuple(cells.get(index, "") for index in columns),
            {index: why for index, why in withheld.items() if index < width},
            sum(1 for index in (*cells, *withheld) if index >= width) if count_extra else 0,
        )
