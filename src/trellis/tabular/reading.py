"""Opening an upload as CSV or XLSX: the checks every file passes, then its sheets on demand."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from trellis.tabular import csv_reading, xlsx_reading
from trellis.tabular.cells import Row
from trellis.tabular.limits import DEFAULT_LIMITS, Limits, UnreadableFile, file_too_large
from trellis.tabular.locations import CellRange

FileKind = Literal["csv", "xlsx"]

# White space and byte-order-mark bytes only: matched in place, the upload is never copied.
_BLANK = re.compile(rb"[ \t\r\n\xef\xbb\xbf]*")

#: Names of workbooks read as XLSX even when the content does not say so (they are refused then).
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
#: Spreadsheet formats that are not read (another format, not a damaged file).
UNSUPPORTED_SUFFIXES = (".ods", ".numbers", ".xls")


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """One sheet of a workbook in workbook order (`name` None for the one table of a CSV file)."""

    name: str | None
    visible: bool
    position: int


class Spreadsheet:
    """A CSV or XLSX file that passed the checks of :func:`open_spreadsheet`.

    :meth:`rows` streams a sheet; it raises :class:`LimitExceeded` or :class:`UnreadableFile` at
    the first problem, so a caller stores nothing until it has read every row it needs. Use it as
    a context manager (or call :meth:`close`) to release the archive.
    """

    def __init__(self, file: str, kind: FileKind, limits: Limits) -> None:
        self.file = file
        self.kind: FileKind = kind
        self.limits = limits
        self.sheets: tuple[SheetInfo, ...] = ()
        self._text = ""
        self._has_undecodable = False
        self._workbook: xlsx_reading.Workbook | None = None
        self._merged: dict[int, list[CellRange]] = {}

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()

    @property
    def visible_sheets(self) -> tuple[SheetInfo, ...]:
        return tuple(sheet for sheet in self.sheets if sheet.visible)

    def rows(self, sheet: SheetInfo | None = None) -> Iterator[Row]:
        """The rows of `sheet` (default: the first visible sheet), top to bottom, blank rows of a
        workbook left out where the file leaves them out."""
        if sheet is None:
            visible = self.visible_sheets
            if not visible:
                raise UnreadableFile("the workbook has no visible sheet", file=self.file)
            sheet = visible[0]
        if self._workbook is None:
            return csv_reading.csv_rows(self._text, self._has_undecodable, self.file, self.limits)
        merged = self._merged.setdefault(sheet.position, [])
        merged.clear()
        return self._workbook.rows(self._workbook.worksheets[sheet.position], merged)

    def merged_ranges(self, sheet: SheetInfo) -> tuple[CellRange, ...]:
        """The merged ranges of a workbook sheet, known once :meth:`rows` has read it to the end
        (a workbook lists them after the cells); always empty for CSV."""
        return tuple(self._merged.get(sheet.position, ()))


def open_spreadsheet(data: bytes, file_name: str, *, limits: Limits = DEFAULT_LIMITS) -> Spreadsheet:
    """Check the upload `data` named `file_name` and open it for reading.

    XLSX is recognised by content (a zip archive); a name ending like a workbook with other
    content, an old ``.xls`` workbook (or a password-protected one) and ``.ods``/``.numbers``
    files are refused; anything else is CSV text (see :mod:`trellis.tabular.csv_reading` for the
    encodings). Raises :class:`UnreadableFile` (empty, damaged, another format) or
    :class:`LimitExceeded` (the file size; for XLSX the archive's entries, expanded size,
    compression ratio and shared strings, all checked before any XML is parsed).
    """
    suffix = os.path.splitext(file_name)[1].lower()
    if _BLANK.fullmatch(data):
        raise UnreadableFile("the file is empty", file=file_name)
    if len(data) > limits.file_bytes:
        raise file_too_large(file_name, limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "this is an Excel 97–2003 workbook (.xls) or a password-protected one",
            file=file_name,
            hint="save it as an Excel workbook (.xlsx) without a password, or as CSV UTF-8",
        )
    if suffix in UNSUPPORTED_SUFFIXES:
        raise UnreadableFile(
            f"{suffix} files are not supported", file=file_name, hint="save it as .xlsx or as CSV UTF-8"
        )
    if data.startswith(b"PK"):
        spreadsheet = Spreadsheet(file_name, "xlsx", limits)
        workbook = xlsx_reading.Workbook(data, file_name, limits)
        spreadsheet._workbook = workbook
        spreadsheet.sheets = tuple(
            SheetInfo(part.name, part.visible, position) for position, part in enumerate(workbook.worksheets)
        )
        return spreadsheet
    if suffix in XLSX_SUFFIXES:
        raise UnreadableFile(
            "the file is not an XLSX workbook (an XLSX file is a zip archive)",
            file=file_name,
            hint="save the spreadsheet again as an Excel workbook (.xlsx)",
        )
    spreadsheet = Spreadsheet(file_name, "csv", limits)
    spreadsheet._text, spreadsheet._has_undecodable = csv_reading.decode(data, file_name)
    spreadsheet.sheets = (SheetInfo(None, True, 0),)
    return spreadsheet
