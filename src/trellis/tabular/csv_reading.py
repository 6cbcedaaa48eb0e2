"""Reading CSV text: encoding, the delimiter, and records as rows, in linear time.

Encoding: UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text"), else
UTF-8, with or without a byte-order mark. There is no guessing: the fallback for bytes that are
not UTF-8 is to read the file anyway, note every cell holding such bytes, and refuse the file at
the end with :class:`UnreadableFile` listing them (`undecodable`), so a person sees each cell to
fix.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from trellis.tabular.cells import Cell, Row
from trellis.tabular.limits import (
    LimitExceeded,
    Limits,
    UndecodableCell,
    UnreadableFile,
    check_cell,
    too_many_cells_in_row,
)
from trellis.tabular.locations import CellLocation

#: Candidate delimiters, in order of preference when two fit equally well.
DELIMITERS = (",", ";", "\t", "|")
#: How many lines the delimiter is judged on.
SNIFF_LINES = 50

#: The byte-order marks of UTF-16 text, the one encoding whose text holds NUL bytes.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_SURROGATE = re.compile("[\udc80-\udcff]")


def decode(data: bytes, file: str) -> tuple[str, bool]:
    """The text of `data` and whether some bytes were not UTF-8 (kept as lone surrogates)."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), False
        except UnicodeDecodeError:
            raise UnreadableFile("the file starts like UTF-16 text but is not", file=file) from None
    # utf-8-sig drops a leading byte-order mark without copying the bytes first.
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", errors="surrogateescape"), True


def lines(text: str) -> Iterator[str]:
    """The lines of `text` with their endings (CRLF, LF or CR), without copying the text."""
    return (match.group() for match in _LINE.finditer(text))


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently into two or more cells.

    For each candidate the first :data:`SNIFF_LINES` lines are parsed (quotes respected) and the
    width of each non-blank row taken without its trailing empty cells; the candidate's score is
    how many rows share the most common width of at least two, then the fewest cells left holding
    a quote character (a sign that quotes were not at cell boundaries), then that width. The best
    score wins, ties going to the earlier candidate; a comma when none splits any row.
    """
    sample = []
    for number, line in enumerate(lines(text)):
        if number >= SNIFF_LINES:
            break
        sample.append(line)
    best, best_score = ",", (0, 0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        counts: dict[int, int] = {}
        stray_quotes = 0
        for row in rows:
            width = len(row)
            while width and not row[width - 1].strip():
                width -= 1
            if width >= 2:
                counts[width] = counts.get(width, 0) + 1
            stray_quotes += sum(1 for cell in row if '"' in cell)
        if not counts:
            continue
        count, width = max((count, width) for width, count in counts.items())
        score = (count, -stray_quotes, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_rows(text: str, has_undecodable: bool, file: str, limits: Limits) -> Iterator[Row]:
    """The records of `text` as rows, stopping at the first limit crossed."""
    delimiter = sniff_delimiter(text)
    # Delimiters seen since the last record: a record cannot have more cells than that plus one,
    # so a line of millions of commas is refused before the csv module builds a list of them. The
    # margin lets text quoted inside a cell hold delimiters; the exact count is checked below.
    pending = [0]
    number = 0
    ceiling = 4 * limits.cells_per_row

    def bounded_lines() -> Iterator[str]:
        for line in lines(text):
            pending[0] += line.count(delimiter)
            if pending[0] > ceiling:
                raise _too_many_cells(limits, file, number + 1)
            yield line

    reader = csv.reader(bounded_lines(), delimiter=delimiter)
    undecodable: list[UndecodableCell] = []
    cell_count = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            row = number + 1
            if "field larger than field limit" in str(error):
                raise LimitExceeded(
                    "cell_characters",
                    limits.cell_characters,
                    f"a cell of row {row} holds more than {limits.cell_characters:,} characters",
                    file=file,
                    location=CellLocation(file, None, row, 1),
                ) from None
            raise UnreadableFile(
                f"row {row} cannot be read as CSV: {error}",
                file=file,
                location=CellLocation(file, None, row, 1),
            ) from None
        pending[0] = 0
        number += 1
        if number > limits.rows:
            raise LimitExceeded(
                "rows",
                limits.rows,
                f"the file has more than {limits.rows:,} rows",
                file=file,
                location=CellLocation(file, None, number, 1),
            )
        if len(record) > limits.cells_per_row:
            raise _too_many_cells(limits, file, number)
        cells = []
        for column, value in enumerate(record, start=1):
            if not value:
                continue
            cell_count += 1
            check_cell(value, cell_count, limits, "file", file, None, number, column)
            if has_undecodable and (match := _SURROGATE.search(value)) is not None:
                undecodable.append(
                    UndecodableCell(
                        CellLocation(file, None, number, column),
                        ord(match.group()) - 0xDC00,
                        _SURROGATE.sub("\ufffd", value),
                    )
                )
            cells.append(Cell(column, value))
        yield Row(file, None, number, tuple(cells))
    if undecodable:
        first = undecodable[0]
        raise UnreadableFile(
            f"cell {first.location.cell} is not valid UTF-8 (byte 0x{first.byte:02x})",
            file=file,
            location=first.location,
            hint='save the file as "CSV UTF-8"',
            undecodable=tuple(undecodable),
        )


def _too_many_cells(limits: Limits, file: str, row: int) -> LimitExceeded:
    return too_many_cells_in_row(limits, CellLocation(file, None, row, 1))
