"""Reading an XLSX workbook in streaming, bounded before and while parsing.

Before any XML is parsed, the zip directory is checked: the number of entries, what they expand
to, each large entry's compression ratio and the size of the shared strings (zipfile never
inflates an entry past its declared size, so the directory bounds the work). The sheets are then
read incrementally, row by row (:mod:`trellis.tabular.xlsx_sheet`), and reading stops as soon as
a row, cell or total crosses a limit. openpyxl is not used for reading: even in read-only mode it
builds each row whole (a 13-million-cell row costs gigabytes), loads every shared string first,
and its full mode loads the whole workbook. Only its date-format helpers are used.

Entity-expansion attacks are refused by the standard library's expat (2.4.1 or later, checked at
import), and ElementTree never loads external entities.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import pyexpat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from trellis.tabular import xlsx_sheet
from trellis.tabular.cells import Row
from trellis.tabular.limits import (
    RATIO_FLOOR_BYTES,
    LimitExceeded,
    Limits,
    TabularError,
    UnreadableFile,
    size_text,
)
from trellis.tabular.locations import CellRange

if pyexpat.version_info < (2, 4, 1):  # pragma: no cover - every supported platform is newer
    raise ImportError("trellis.tabular needs expat 2.4.1 or later (protection against entity expansion)")

_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
DAMAGED_HINT = xlsx_sheet.DAMAGED_HINT


@dataclass(frozen=True, slots=True)
class WorksheetPart:
    name: str
    visible: bool
    member: str


class Workbook:
    """An XLSX archive whose directory passed the limits, with its sheet list, shared strings and
    date styles read; :meth:`rows` streams one sheet."""

    def __init__(self, data: bytes, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.cell_count = 0
        self.archive = _open_archive(data, file, limits)
        try:
            self.worksheets = self._worksheets()
            self.strings = self._shared_strings()
            self.date_styles, self.epoch = self._styles()
        except TabularError:
            self.archive.close()
            raise
        except Exception as error:  # a damaged part raises zlib, zipfile, XML or value errors
            self.archive.close()
            raise _damaged(error, file) from None

    def close(self) -> None:
        self.archive.close()

    # --- the parts -------------------------------------------------------------------------

    def _parse_whole(self, member: str) -> ElementTree.Element:
        with self.archive.open(member) as stream:
            return ElementTree.parse(stream).getroot()

    def _worksheets(self) -> list[WorksheetPart]:
        targets: dict[str, tuple[str, str]] = {}
        rels = "xl/_rels/workbook.xml.rels"
        if rels in self.archive.NameToInfo:
            for relation in self._parse_whole(rels):
                target = relation.get("Target", "")
                member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[relation.get("Id", "")] = (member, relation.get("Type", ""))
        self.shared_strings_member = next(
            (m for m, kind in targets.values() if kind.endswith("/sharedStrings")), "xl/sharedStrings.xml"
        )
        self.styles_member = next(
            (m for m, kind in targets.values() if kind.endswith("/styles")), "xl/styles.xml"
        )
        root = self._parse_whole("xl/workbook.xml")
        self.date1904 = any(
            element.get("date1904") in ("1", "true")
            for element in root.iter()
            if element.tag.endswith("}workbookPr")
        )
        sheets = []
        for element in root.iter():
            if not element.tag.endswith("}sheet"):
                continue
            relation_id = next(
                (str(element.get(f"{{{ns}}}id")) for ns in _RELATIONSHIPS if element.get(f"{{{ns}}}id")), ""
            )
            member, kind = targets.get(relation_id, ("", ""))
            if not kind.endswith("/worksheet") or member not in self.archive.NameToInfo:
                continue  # a chart sheet or a dangling entry holds no cells
            sheets.append(
                WorksheetPart(element.get("name", ""), element.get("state", "visible") == "visible", member)
            )
        return sheets

    def _shared_strings(self) -> list[str]:
        info = self.archive.NameToInfo.get(self.shared_strings_member)
        if info is None:
            return []
        if info.file_size > self.limits.shared_strings_bytes:
            raise _shared_strings_too_large(self.limits, self.file)
        with self.archive.open(self.shared_strings_member) as stream:
            return xlsx_sheet.shared_strings(stream)

    def _styles(self) -> tuple[frozenset[int], datetime.datetime]:
        epoch = CALENDAR_MAC_1904 if self.date1904 else CALENDAR_WINDOWS_1900
        if self.styles_member not in self.archive.NameToInfo:
            return frozenset(), epoch
        root = self._parse_whole(self.styles_member)
        formats: dict[int, str] = {int(k): v for k, v in BUILTIN_FORMATS.items()}
        date_styles = set()
        for element in root:
            local = element.tag.rpartition("}")[2]
            if local == "numFmts":
                for number_format in element:
                    try:
                        formats[int(number_format.get("numFmtId", ""))] = number_format.get("formatCode", "")
                    except ValueError:
                        continue
            elif local == "cellXfs":
                for index, style in enumerate(element):
                    try:
                        code = formats.get(int(style.get("numFmtId", "0")), "")
                    except ValueError:
                        continue
                    if code and is_date_format(code):
                        date_styles.add(index)
        return frozenset(date_styles), epoch

    # --- a sheet ---------------------------------------------------------------------------

    def rows(self, part: WorksheetPart, merged: list[CellRange]) -> Iterator[Row]:
        """The rows of one sheet; its merged ranges are appended to `merged` once read."""
        try:
            yield from self._rows(part, merged)
        except TabularError:
            raise
        except Exception as error:  # a damaged part raises zlib, zipfile, XML or value errors
            raise _damaged(error, self.file) from None

    def _rows(self, part: WorksheetPart, merged: list[CellRange]) -> Iterator[Row]:
        with self.archive.open(part.member) as stream:
            yield from xlsx_sheet.SheetParser(self, part.name, merged).rows(stream)


def _too_many_parts(limits: Limits, file: str) -> LimitExceeded:
    """The refusal of an archive with more entries than ``limits.archive_members``, whether its
    directory declares them or lists them."""
    return LimitExceeded(
        "archive_members",
        limits.archive_members,
        f"the workbook has more than {limits.archive_members:,} parts",
        file=file,
    )


def _open_archive(data: bytes, file: str, limits: Limits) -> zipfile.ZipFile:
    """The archive, once its directory is within the limits (nothing is decompressed yet)."""
    members = _declared_member_count(data)
    if members is not None and members > limits.archive_members:
        raise _too_many_parts(limits, file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    # NotImplementedError: a directory entry claims a zip version or method zipfile lacks.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise UnreadableFile(
            "the file is damaged: it starts like a zip archive (XLSX) but is not one", file=file
        ) from None
    try:
        infos = archive.infolist()
        if len(infos) > limits.archive_members:
            raise _too_many_parts(limits, file)
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            raise UnreadableFile(
                "the file is a zip archive but not an XLSX workbook",
                file=file,
                hint="save it as .xlsx" if "content.xml" in names else "",
            )
        total = 0
        for info in infos:
            total += info.file_size
            if total > limits.uncompressed_bytes:
                raise LimitExceeded(
                    "uncompressed_bytes",
                    limits.uncompressed_bytes,
                    f"the workbook expands to more than {size_text(limits.uncompressed_bytes)}",
                    file=file,
                )
            # The more specific refusal first: a shared-strings bomb also compresses very well.
            if info.filename.endswith("sharedStrings.xml") and info.file_size > limits.shared_strings_bytes:
                raise _shared_strings_too_large(limits, file)
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > limits.compression_ratio * max(
                info.compress_size, 1
            ):
                raise LimitExceeded(
                    "compression_ratio",
                    limits.compression_ratio,
                    f"part {info.filename} expands more than {limits.compression_ratio} times",
                    file=file,
                )
    except BaseException:
        archive.close()
        raise
    return archive


def _damaged(error: Exception, file: str) -> UnreadableFile:
    # Both XML parsers' errors are named alike: which parser read the part is no concern of a person.
    kind = "ParseError" if isinstance(error, ElementTree.ParseError) else type(error).__name__
    return UnreadableFile(
        f"the workbook is damaged and cannot be read ({kind})", file=file, hint=DAMAGED_HINT
    )


def _shared_strings_too_large(limits: Limits, file: str) -> LimitExceeded:
    return LimitExceeded(
        "shared_strings_bytes",
        limits.shared_strings_bytes,
        f"the workbook's shared strings are larger than {size_text(limits.shared_strings_bytes)}",
        file=file,
    )


def _declared_member_count(data: bytes) -> int | None:
    """The entry count of the zip's end-of-directory record, read before zipfile builds an object
    per entry (None when the record is not found or is a ZIP64 one)."""
    position = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if position < 0 or position + 12 > len(data):
        return None
    count = int.from_bytes(data[position + 10 : position + 12], "little")
    return None if count == 0xFFFF else count
