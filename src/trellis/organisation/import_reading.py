"""Reading an HRIS export into a table. Pure Python: no Django, no database.

`read_table` reads a CSV file (UTF-8 with or without a byte-order mark; the delimiter is sniffed)
or an XLSX workbook (its first visible sheet) into a `Table`: a header row and the rows below it,
every cell as clean text. A file that cannot be read as a whole (another encoding, a damaged
workbook, no header) raises `UnreadableFile`, whose problems are located by row and column; the
encoding is never guessed. Formula-like cells (starting with ``=``, ``+``, ``-`` or ``@``, or
holding a spreadsheet formula) are never kept: the table holds such a cell blank and remembers
why, so the text is reported, never stored.

Which column holds which field is `trellis.organisation.import_mapping`'s; what importing the rows
would do is decided by `trellis.organisation.import_planning`.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024
#: An XLSX file is a zip archive; this bounds what it may expand to (a "zip bomb" is refused).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 100
#: How many unreadable cells an encoding error lists before it says "and N more".
MAX_LISTED_PROBLEMS = 10

#: The longest values the people tables accept (kept equal to the models' max_length by a test).
#: Spreadsheets run a cell starting with one of these as a formula when the file is opened again.
FORMULA_PREFIXES = ("=", "+", "-", "@")
#: Why a cell was withheld from the table, besides a formula-like first character.
FLAG_FORMULA = "formula"
FLAG_ERROR = "error"
FLAG_CONTROL = "control"

_CSV_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 50
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnreadableFile(Exception):
    """The file cannot be read as a table; `problems` says why, each located where it can be."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def normalise_header(text: str) -> str:
    """A header as the guesser compares it: lower case, "e-mail" as "email", words joined by one space."""
    lowered = unicodedata.normalize("NFKC", text).casefold().replace("e-mail", "email")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", lowered).split())


# ---- Reading the file --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the file below the header.

    `cells` has one text per column of the header. A cell listed in `withheld` (column index →
    why: the formula-like first character, or `FLAG_FORMULA`, `FLAG_ERROR`, `FLAG_CONTROL`) is
    blank in `cells`: its text is never kept. `extra_cells` counts non-blank cells to the right of
    the header's last column.
    """

    number: int
    cells: tuple[str, ...]
    withheld: dict[int, str] = field(default_factory=dict)
    extra_cells: int = 0


@dataclass(frozen=True, slots=True)
class Table:
    """A file read as a header row and the non-blank rows below it."""

    file_kind: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "file_kind": self.file_kind,
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
        )

    def column_name(self, index: int) -> str:
        """How messages name a column: ``column D ("Manager")``."""
        return f'column {column_letter(index)} ("{self.headers[index]}")'


def read_table(data: bytes, file_name: str) -> Table:
    """Read an HRIS export: XLSX when the content is a workbook, otherwise CSV.

    Raises UnreadableFile for an empty or oversized file, an old .xls workbook, a damaged
    workbook, text that is not UTF-8 (every unreadable cell is listed by row and column; the
    encoding is never guessed), a header row that repeats a column name or looks like a formula,
    or a file without rows below its header.
    """
    if not data.strip():
        raise UnreadableFile(["the file is empty"])
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile([f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"])
    if data.startswith(b"PK\x03\x04"):
        records, kind = _xlsx_records(data), "xlsx"
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(['the file is an old Excel workbook (.xls): save it as .xlsx or as "CSV UTF-8"'])
    elif file_name.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(["the file is named like an Excel workbook but is not one (it may be damaged)"])
    else:
        records, kind = _csv_records(data), "csv"
    return _table(records, kind)


@dataclass(slots=True)
class _Record:
    """A row as read, before the header is known: cell values and withheld cells."""

    number: int
    cells: list[str]
    withheld: dict[int, str] = field(default_factory=dict)


def _csv_records(data: bytes) -> list[_Record]:
    if data.startswith(_UTF16_BOMS):
        raise UnreadableFile(
            [
                'the file is UTF-16 text (Excel\'s "Unicode text"), not UTF-8: save it as "CSV UTF-8" '
                "and upload it again"
            ]
        )
    body = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    # Bytes that are not UTF-8 become lone surrogates, which valid text never contains: the file
    # is parsed once, and every cell holding one is reported with its row and column.
    text = body.decode("utf-8", errors="surrogateescape")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[_Record] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise UnreadableFile([f"the file has more than {MAX_ROWS:,} rows"])
            records.append(_Record(number, list(cells)))
    except csv.Error as error:
        raise UnreadableFile([f"row {len(records) + 1} cannot be read as CSV: {error}"]) from None
    _refuse_undecodable(records)
    for record in records:
        for column, cell in enumerate(record.cells):
            record.cells[column], why = _clean(cell)
            if why:
                record.withheld[column] = why
    return records


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, consistently.

    For each candidate the first lines are parsed; the header's column count is what it offers,
    counted only when most of the following lines agree with it. Deterministic, unlike guessing
    from character frequencies, and quotes are respected.
    """
    sample = "\n".join(text.splitlines()[:_SNIFF_LINES])
    best, best_score = ",", (False, 0)
    for delimiter in _CSV_DELIMITERS:
        try:
            rows = [row for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(row)]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        agreeing = sum(1 for row in rows[1:] if len(row) == width)
        consistent = width > 1 and (len(rows) == 1 or agreeing * 2 >= len(rows) - 1)
        score = (consistent, width if consistent else 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


_SURROGATE = re.compile("[\udc80-\udcff]")


def _refuse_undecodable(records: Sequence[_Record]) -> None:
    header = next((r for r in records if any(c.strip() for c in r.cells)), None)
    headers = [_SURROGATE.sub("\ufffd", " ".join(c.split())) for c in header.cells] if header else []
    located: list[str] = []
    for record in records:
        for column, cell in enumerate(record.cells):
            match = _SURROGATE.search(cell)
            if match is None:
                continue
            byte = ord(match.group()) - 0xDC00
            shown = _SURROGATE.sub("\ufffd", " ".join(cell.split()))
            name = f"column {column_letter(column)}"
            if record is not header and column < len(headers) and headers[column]:
                name += f' ("{headers[column]}")'
            located.append(f'row {record.number}, {name}: byte 0x{byte:02X} in "{shown}" is not UTF-8')
    if not located:
        return
    listed = located[:MAX_LISTED_PROBLEMS]
    if len(located) > MAX_LISTED_PROBLEMS:
        listed.append(f"and {len(located) - MAX_LISTED_PROBLEMS} more cells like these")
    raise UnreadableFile(
        [
            "the file is not UTF-8 text, and Trellis does not guess an encoding: save it as "
            '"CSV UTF-8" (or export UTF-8 from the HR system) and upload it again',
            *listed,
        ]
    )


def _clean(value: str) -> tuple[str, str]:
    """A cell's text with runs of white space made one space, and why it is withheld ("" if not).

    A withheld cell's text is replaced by "" so that it cannot be stored anywhere.
    """
    text = " ".join(value.split())
    if not text:
        return "", ""
    if text[0] in FORMULA_PREFIXES:
        return "", text[0]
    if any(unicodedata.category(character) == "Cc" for character in text):
        return "", FLAG_CONTROL
    return text, ""


def _xlsx_records(data: bytes) -> list[_Record]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(
            ["the file is damaged: it starts like an XLSX workbook but is not one"]
        ) from None
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(["the file is a zip archive but not an XLSX workbook"])
    if uncompressed > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile(["the workbook is too large to read"])
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (validation lists, conditional formats).
            warnings.simplefilter("ignore")
            # data_only=False keeps formulas as formulas, so they are refused, never evaluated nor
            # mistaken for the value a spreadsheet last cached.
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            sheet = next((s for s in workbook.worksheets if s.sheet_state == "visible"), None)
            if sheet is None:
                raise UnreadableFile(["the workbook has no visible sheet"])
            records = []
            for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
                if number > MAX_ROWS + 1:
                    raise UnreadableFile([f"the sheet has more than {MAX_ROWS:,} rows"])
                record = _Record(number, [])
                for column, cell in enumerate(cells):
                    text, why = _xlsx_cell(cell)
                    record.cells.append(text)
                    if why:
                        record.withheld[column] = why
                records.append(record)
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on a malformed workbook
        raise UnreadableFile(
            [
                f"the workbook is damaged and cannot be read ({type(error).__name__}): open it in a "
                "spreadsheet application and save it again as .xlsx"
            ]
        ) from None
    return records


def _xlsx_cell(cell: Any) -> tuple[str, str]:
    value = getattr(cell, "value", None)
    if value is None:
        return "", ""
    data_type = getattr(cell, "data_type", None)
    if data_type == "f":
        return "", FLAG_FORMULA
    if data_type == "e":
        return "", FLAG_ERROR
    if isinstance(value, bool):
        return ("yes" if value else "no"), ""
    if isinstance(value, int):
        return str(value), ""
    if isinstance(value, float):
        # An employee ID typed as a number is read back as 1042.0.
        return (str(int(value)) if value.is_integer() else repr(value)), ""
    if isinstance(value, datetime.datetime):
        return (value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")), ""
    if isinstance(value, datetime.date):
        return value.isoformat(), ""
    return _clean(str(value))


def _table(records: list[_Record], kind: str) -> Table:
    rows = [r for r in records if any(r.cells) or r.withheld]
    if not rows:
        raise UnreadableFile(["the file is empty"])
    header_record, body = rows[0], rows[1:]
    if header_record.withheld:
        column = min(header_record.withheld)
        raise UnreadableFile(
            [
                f"row {header_record.number}, column {column_letter(column)}: the header looks like a "
                "formula or holds a control character; rename the column"
            ]
        )
    header_cells = list(header_record.cells)

    def used(column: int) -> bool:
        return any((column < len(r.cells) and r.cells[column]) or column in r.withheld for r in body)

    # Trailing columns without a header and without values are padding (spreadsheets leave them).
    width = len(header_cells)
    while width and not header_cells[width - 1] and not used(width - 1):
        width -= 1
    if width > MAX_COLUMNS:
        raise UnreadableFile([f"the file has more than {MAX_COLUMNS} columns"])
    headers = [
        (header_cells[c] if c < len(header_cells) and header_cells[c] else f"Column {column_letter(c)}")
        for c in range(width)
    ]
    seen: dict[str, int] = {}
    for column, header in enumerate(headers):
        key = normalise_header(header) or header.casefold()
        if key in seen:
            raise UnreadableFile(
                [
                    f"row {header_record.number}: columns {column_letter(seen[key])} and "
                    f'{column_letter(column)} are both headed "{header}"; rename one of them'
                ]
            )
        seen[key] = column
    if not body:
        raise UnreadableFile([f"the file has a header row (row {header_record.number}) but no rows below it"])
    table_rows = []
    for record in body:
        cells = (record.cells + [""] * width)[:width]
        extra = sum(1 for c in record.cells[width:] if c) + sum(1 for c in record.withheld if c >= width)
        withheld = {c: why for c, why in record.withheld.items() if c < width}
        table_rows.append(Row(record.number, tuple(cells), withheld, extra))
    return Table(file_kind=kind, headers=tuple(headers), rows=tuple(table_rows))
