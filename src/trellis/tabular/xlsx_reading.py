"""Reading an XLSX workbook in streaming, bounded before and while parsing.

Before any XML is parsed, the zip directory is checked: the number of entries, what they expand
to, each large entry's compression ratio and the size of the shared strings. The sheets are then
read with an incremental XML parser, fed 64 KiB at a time, so memory holds one row at most and
reading stops as soon as a row, cell or total crosses a limit. openpyxl is not used for reading:
even in read-only mode it builds each row whole (a 13-million-cell row costs gigabytes) and loads
every shared string first. Only its date-format helpers are used.

The standard library's expat (2.4.1 or later, checked at import) refuses entity-expansion
attacks, and ElementTree never loads external entities.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast
from xml.etree import ElementTree

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from trellis.tabular.cells import Cell, CellKind, CellValue, Row
from trellis.tabular.limits import (
    RATIO_FLOOR_BYTES,
    LimitExceeded,
    Limits,
    TabularError,
    UnreadableFile,
    size_text,
)
from trellis.tabular.locations import CellLocation, CellRange, column_number

if pyexpat.version_info < (2, 4, 1):  # pragma: no cover - every supported platform is newer
    raise ImportError("trellis.tabular needs expat 2.4.1 or later (protection against entity expansion)")

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _tags(local: str) -> frozenset[str]:
    return frozenset(f"{{{namespace}}}{local}" for namespace in _MAIN)


_CELL, _ROW, _VALUE, _FORMULA, _INLINE, _TEXT = (_tags(t) for t in ("c", "row", "v", "f", "is", "t"))
_RUN, _PHONETIC, _STRING_ITEM, _MERGE = (_tags(t) for t in ("r", "rPh", "si", "mergeCell"))
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_CHUNK = 64 * 1024
_Events = Iterator[tuple[str, ElementTree.Element]]
DAMAGED_HINT = "open it in a spreadsheet application and save it again as .xlsx"


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
        strings: list[str] = []
        with self.archive.open(self.shared_strings_member) as stream:
            for _, element in ElementTree.iterparse(stream, events=("end",)):
                if element.tag in _STRING_ITEM:
                    strings.append(_string_item_text(element))
                    element.clear()
        return strings

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
        limits, file, sheet = self.limits, self.file, part.name
        parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("end",))
        row_count = 0
        number = 0
        cells: list[Cell] = []
        in_row = False
        cells_in_row = 0
        column = 0
        with self.archive.open(part.member) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
                for _, element in cast(_Events, parser.read_events()):
                    tag = element.tag
                    if tag in _CELL:
                        reference = element.get("r")
                        match = _REFERENCE.fullmatch(reference) if reference else None
                        if not in_row:
                            in_row = True
                            number = int(match.group(2)) if match else number + 1
                        column = column_number(match.group(1)) if match else column + 1
                        cells_in_row += 1
                        if cells_in_row > limits.cells_per_row or column > limits.cells_per_row:
                            raise LimitExceeded(
                                "cells_per_row",
                                limits.cells_per_row,
                                f"more than {limits.cells_per_row:,} cells in row {number}",
                                file=file,
                                location=CellLocation(file, sheet, number, 1),
                            )
                        cell = self._cell(element, column, CellLocation(file, sheet, number, column))
                        if cell is not None:
                            cells.append(cell)
                        element.clear()
                    elif tag in _ROW:
                        row_count += 1
                        if row_count > limits.rows:
                            raise LimitExceeded(
                                "rows",
                                limits.rows,
                                f"sheet {sheet} has more than {limits.rows:,} rows",
                                file=file,
                                location=CellLocation(file, sheet, number, 1),
                            )
                        declared = element.get("r")
                        if declared is not None and declared.isdigit():
                            number = int(declared)
                        elif not in_row:
                            number += 1
                        yield Row(file, sheet, number, tuple(cells))
                        cells = []
                        in_row = False
                        cells_in_row = 0
                        column = 0
                        element.clear()
                    elif tag in _MERGE:
                        cell_range = _range(element.get("ref", ""))
                        if cell_range is not None:
                            merged.append(cell_range)
        parser.close()

    def _cell(self, element: ElementTree.Element, column: int, location: CellLocation) -> Cell | None:
        kind = element.get("t", "n")
        raw: str | None = None
        formula: str | None = None
        inline: str | None = None
        for child in element:
            if child.tag in _VALUE:
                raw = child.text or ""
            elif child.tag in _FORMULA:
                formula = child.text or ""
            elif child.tag in _INLINE:
                inline = _string_item_text(child)
        value: CellValue
        cell_kind = CellKind.VALUE
        if formula is not None:
            value, cell_kind = "=" + formula, CellKind.FORMULA
        elif kind == "s":
            if raw is None:
                return None
            try:
                value = self.strings[int(raw)]
            except (ValueError, IndexError):
                raise UnreadableFile(
                    f"the workbook is damaged: cell {location.cell} refers to a missing shared string",
                    file=self.file,
                    location=location,
                    hint=DAMAGED_HINT,
                ) from None
        elif kind == "inlineStr":
            value = inline if inline is not None else (raw or "")
        elif kind == "str":
            value = raw or ""
        elif kind == "b":
            if raw is None:
                return None
            value = raw.strip() in ("1", "true")
        elif kind == "e":
            value, cell_kind = raw or "", CellKind.ERROR
        elif kind == "d":
            if not raw:
                return None
            try:
                value = datetime.datetime.fromisoformat(raw.rstrip("Z"))
            except ValueError:
                value = raw
        else:
            if raw is None or not raw.strip():
                return None
            value = _number(raw.strip(), location, self.file)
            style = element.get("s")
            if style is not None and style.isdigit() and int(style) in self.date_styles:
                try:
                    converted = from_excel(value, self.epoch)
                except (ValueError, OverflowError, TypeError):
                    converted = None
                if converted is not None:
                    value = converted
        if value == "":
            return None
        if isinstance(value, str) and len(value) > self.limits.cell_characters:
            raise LimitExceeded(
                "cell_characters",
                self.limits.cell_characters,
                f"the cell holds more than {self.limits.cell_characters:,} characters",
                file=self.file,
                location=location,
            )
        self.cell_count += 1
        if self.cell_count > self.limits.cells:
            raise LimitExceeded(
                "cells",
                self.limits.cells,
                f"the workbook has more than {self.limits.cells:,} non-empty cells",
                file=self.file,
                location=location,
            )
        return Cell(column, value, cell_kind)


def _number(raw: str, location: CellLocation, file: str) -> int | float:
    try:
        if raw.lstrip("-").isdigit():
            return int(raw)
        return float(raw)
    except ValueError:
        raise UnreadableFile(
            f"the workbook is damaged: cell {location.cell} holds {raw[:40]!r} as a number",
            file=file,
            location=location,
            hint=DAMAGED_HINT,
        ) from None


def _string_item_text(element: ElementTree.Element) -> str:
    """The text of a shared or inline string: its ``t`` or its rich-text runs' ``t``, without the
    phonetic guide (``rPh``)."""
    parts = []
    for child in element:
        if child.tag in _TEXT:
            parts.append(child.text or "")
        elif child.tag in _RUN:
            parts.extend(grandchild.text or "" for grandchild in child if grandchild.tag in _TEXT)
    return "".join(parts)


def _range(reference: str) -> CellRange | None:
    first, _, last = reference.partition(":")
    start, end = _REFERENCE.fullmatch(first), _REFERENCE.fullmatch(last or first)
    if start is None or end is None:
        return None
    return CellRange(
        int(start.group(2)), column_number(start.group(1)), int(end.group(2)), column_number(end.group(1))
    )


def _open_archive(data: bytes, file: str, limits: Limits) -> zipfile.ZipFile:
    """The archive, once its directory is within the limits (nothing is decompressed yet)."""
    members = _declared_member_count(data)
    if members is not None and members > limits.archive_members:
        raise LimitExceeded(
            "archive_members",
            limits.archive_members,
            f"the workbook has more than {limits.archive_members:,} parts",
            file=file,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(
            "the file is damaged: it starts like a zip archive (XLSX) but is not one", file=file
        ) from None
    try:
        infos = archive.infolist()
        if len(infos) > limits.archive_members:
            raise LimitExceeded(
                "archive_members",
                limits.archive_members,
                f"the workbook has more than {limits.archive_members:,} parts",
                file=file,
            )
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
    return UnreadableFile(
        f"the workbook is damaged and cannot be read ({type(error).__name__})", file=file, hint=DAMAGED_HINT
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
