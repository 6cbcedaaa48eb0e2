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

#: The first bytes (magic numbers) of files people upload by mistake, with what they are.
NOT_SPREADSHEET_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
)
#: How many first bytes are looked at for control bytes, and the share of them that makes a file
#: binary rather than text: UTF-8 text has next to none (a stray one is a cell's problem, reported
#: with its location), random bytes about a tenth.
BINARY_SNIFF_BYTES = 4096
BINARY_CONTROL_SHARE = 0.05
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")


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
    encodings). Content that is not a spreadsheet — an image, a PDF, an archive, any binary file
    (by its magic number, or many control bytes early on) — is refused as "not a CSV or XLSX file".
    Raises :class:`UnreadableFile` (empty, damaged, another format) or
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
    _refuse_other_formats(data, file_name)
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
    if _looks_binary(data):
        raise _not_a_spreadsheet(file_name, "a binary file")
    spreadsheet = Spreadsheet(file_name, "csv", limits)
    spreadsheet._text, spreadsheet._has_undecodable = csv_reading.decode(data, file_name)
    spreadsheet.sheets = (SheetInfo(None, True, 0),)
    return spreadsheet


def _not_a_spreadsheet(file_name: str, what: str) -> UnreadableFile:
    return UnreadableFile(
        f"not a CSV or XLSX file (it looks like {what})",
        file=file_name,
        hint="export the spreadsheet as an Excel workbook (.xlsx) or as CSV UTF-8",
    )


def _looks_binary(data: bytes) -> bool:
    if data.startswith(csv_reading.UTF16_BOMS):  # UTF-16 text is half NUL bytes
        return False
    sample = data[:BINARY_SNIFF_BYTES]
    return len(_CONTROL_BYTES.findall(sample)) >= BINARY_CONTROL_SHARE * len(sample)


def _refuse_other_formats(data: bytes, file_name: str) -> None:
    """UnreadableFile when the first bytes say `data` is an image, a document or an archive."""
    # BMP's two-letter signature is also the start of CSV text such as "BM,…": only a BMP header
    # (a little-endian file size, then four reserved zero bytes) counts.
    for signature, what in NOT_SPREADSHEET_SIGNATURES:
        if data.startswith(signature) and (signature != b"BM" or data[6:10] == b"\x00\x00\x00\x00"):
            raise _not_a_spreadsheet(file_name, what)
