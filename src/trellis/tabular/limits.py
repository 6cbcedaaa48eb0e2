"""The size limits of reading a spreadsheet, declared once, and the refusals they cause.

Every upload is read under a :class:`Limits` value; crossing one limit stops the reading at once
and raises :class:`LimitExceeded`, which names the limit and its value. A file that cannot be read
for another reason raises :class:`UnreadableFile`. Both are :class:`TabularError`, located where
the reader was.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from trellis.tabular.locations import CellLocation

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one upload may cost. The defaults suit an HRIS export of 100,000 people; a reader of
    smaller files passes tighter values (``dataclasses.replace(DEFAULT_LIMITS, rows=5_000)``)."""

    #: Size of the uploaded file.
    file_bytes: int = 20 * MIB
    #: Entries of an XLSX (zip) archive.
    archive_members: int = 10_000
    #: What all entries of an XLSX archive expand to, as its directory declares.
    uncompressed_bytes: int = 200 * MIB
    #: Uncompressed size over compressed size of one archive entry larger than 1 MiB.
    compression_ratio: int = 100
    #: Size of an XLSX workbook's shared-strings part (all its text cells), uncompressed.
    shared_strings_bytes: int = 32 * MIB
    #: Rows of one sheet (or records of a CSV file), blank ones included.
    rows: int = 100_000
    #: Cells of one row, empty ones included (16,384 is the most a spreadsheet has).
    cells_per_row: int = 16_384
    #: Non-empty cells of the whole file: 100,000 people × 12 fields. A caller that keeps every
    #: row stays under 300 MB at this many cells (about 170 bytes each, measured).
    cells: int = 1_200_000
    #: Characters of one cell (32,767 is the most a spreadsheet cell holds).
    cell_characters: int = 32_767


DEFAULT_LIMITS = Limits()

#: How a refusal names each limit (the field name, in words).
LIMIT_NAMES = {field.name: field.name.replace("_", " ") for field in fields(Limits)}

#: Entries smaller than this are not held to the compression ratio: tiny parts compress well.
RATIO_FLOOR_BYTES = MIB


class TabularError(Exception):
    """A file that cannot be read; `reason` says why, `location` where, `hint` what to do."""

    def __init__(
        self, reason: str, *, file: str, location: CellLocation | None = None, hint: str = ""
    ) -> None:
        self.reason = reason
        self.file = file
        self.location = location
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        """The reason, prefixed by where: ``people.xlsx, sheet Staff, row 4, column C: …``."""
        where = str(self.location) if self.location is not None else self.file
        return f"{where}: {self.reason}"

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled across the process boundary of :func:`trellis.tabular.isolation.run_limited`.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(kind: type[TabularError], state: dict[str, object]) -> TabularError:
    error = kind.__new__(kind)
    error.__dict__.update(state)
    Exception.__init__(error, error.describe())
    return error


class UnreadableFile(TabularError):
    """The file is not a readable CSV or XLSX file (damaged, another format, not UTF-8 …)."""

    def __init__(
        self,
        reason: str,
        *,
        file: str,
        location: CellLocation | None = None,
        hint: str = "",
        undecodable: tuple[UndecodableCell, ...] = (),
    ) -> None:
        #: For text that is not UTF-8: every cell holding such bytes, in reading order.
        self.undecodable = undecodable
        super().__init__(reason, file=file, location=location, hint=hint)


@dataclass(frozen=True, slots=True)
class UndecodableCell:
    """A CSV cell holding a byte that is not UTF-8; `text` shows it as U+FFFD."""

    location: CellLocation
    byte: int
    text: str


class LimitExceeded(TabularError):
    """Reading stopped because the file crossed one of the :class:`Limits`.

    `limit` is the field name (``cells_per_row``), `value` the limit's value; the reason ends with
    ``(limit: cells per row)``.
    """

    def __init__(
        self, limit: str, value: int, what: str, *, file: str, location: CellLocation | None = None
    ) -> None:
        self.limit = limit
        self.value = value
        super().__init__(f"{what} (limit: {LIMIT_NAMES[limit]})", file=file, location=location)


def too_many_cells_in_row(limits: Limits, location: CellLocation) -> LimitExceeded:
    """The refusal of a row wider than ``limits.cells_per_row``, located at the row's first cell."""
    return LimitExceeded(
        "cells_per_row",
        limits.cells_per_row,
        f"more than {limits.cells_per_row:,} cells in row {location.row}",
        file=location.file,
        location=location,
    )


def check_cell(
    text: str | None,
    counted: int,
    limits: Limits,
    whole: str,
    file: str,
    sheet: str | None,
    row: int,
    column: int,
) -> None:
    """Hold one non-empty cell to the limits, CSV and XLSX alike: its `text` (None for a value that
    is not text) to ``cell_characters``, and `counted`, the non-empty cells of the `whole` file
    ("file", "workbook") so far this one included, to ``cells``. The cell's location is given as
    plain values and built only for a refusal: this runs for every cell of every upload."""
    if text is not None and len(text) > limits.cell_characters:
        location = CellLocation(file, sheet, row, column)
        raise LimitExceeded(
            "cell_characters",
            limits.cell_characters,
            f"the cell holds more than {limits.cell_characters:,} characters",
            file=file,
            location=location,
        )
    if counted > limits.cells:
        raise LimitExceeded(
            "cells",
            limits.cells,
            f"the {whole} has more than {limits.cells:,} non-empty cells",
            file=file,
            location=CellLocation(file, sheet, row, column),
        )


def file_too_large(file: str, limits: Limits) -> LimitExceeded:
    """The refusal of a file larger than `limits.file_bytes`: raised by the reader, and by a form
    that checks an upload's size before reading it, in the same words."""
    return LimitExceeded(
        "file_bytes", limits.file_bytes, f"the file is larger than {size_text(limits.file_bytes)}", file=file
    )


def size_text(size: int) -> str:
    """A byte count as messages show a limit: ``20 MB`` for whole mebibytes, else ``1,234 bytes``."""
    if size % MIB == 0:
        return f"{size // MIB} MB"
    return f"{size:,} bytes"
