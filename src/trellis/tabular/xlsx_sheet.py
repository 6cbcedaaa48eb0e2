"""Parsing one worksheet (and the shared strings) incrementally, bounded as it goes.

The part is fed to ElementTree's pull parser 64 KiB at a time. Elements are built in C; Python
sees each end event, counts the cells of the row being read (so a row of millions of cells is
refused after the first chunk past the limit, before it is whole) and turns a finished row into
a :class:`Row`, then drops its elements: memory holds one row at most. Measured against expat
callbacks, this is as fast as expat with empty handlers.

Entity-expansion attacks are refused by expat itself (2.4.1 or later, checked at import) and
ElementTree never loads external entities.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, cast
from xml.etree import ElementTree

from openpyxl.utils.datetime import from_excel

from trellis.tabular.cells import Cell, CellKind, CellValue, Row
from trellis.tabular.limits import LimitExceeded, UnreadableFile, check_cell, too_many_cells_in_row
from trellis.tabular.locations import CellLocation, CellRange, column_number

if TYPE_CHECKING:
    from trellis.tabular.xlsx_reading import Workbook

_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)


def _names(local: str) -> frozenset[str]:
    return frozenset(f"{{{namespace}}}{local}" for namespace in _NAMESPACES)


_C, _ROW, _V, _F, _IS, _T, _R, _SI, _MERGE = (
    _names(local) for local in ("c", "row", "v", "f", "is", "t", "r", "si", "mergeCell")
)
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
CHUNK = 64 * 1024
DAMAGED_HINT = "open it in a spreadsheet application and save it again as .xlsx"
_Events = Iterator[tuple[str, ElementTree.Element]]


def parse_cell_range(reference: str) -> CellRange | None:
    first, _, last = reference.partition(":")
    start, end = _REFERENCE.fullmatch(first), _REFERENCE.fullmatch(last or first)
    if start is None or end is None:
        return None
    return CellRange(
        int(start.group(2)), column_number(start.group(1)), int(end.group(2)), column_number(end.group(1))
    )


def _column_of(letters: str) -> int:
    try:
        return column_number(letters)
    except ValueError:
        return 0  # a damaged reference; the cell is read where the parser finds it


def string_item_text(element: ElementTree.Element) -> str:
    """The text of a shared or inline string: its ``t`` or its rich-text runs' ``t``, without the
    phonetic guide (``rPh``)."""
    if len(element) == 1 and element[0].tag in _T:
        return element[0].text or ""
    parts = []
    for child in element:
        if child.tag in _T:
            parts.append(child.text or "")
        elif child.tag in _R:
            parts.extend(grandchild.text or "" for grandchild in child if grandchild.tag in _T)
    return "".join(parts)


def shared_strings(stream: IO[bytes]) -> list[str]:
    """The text of each ``si`` of a shared-strings part."""
    strings: list[str] = []
    for _, element in ElementTree.iterparse(stream, events=("end",)):
        if element.tag in _SI:
            strings.append(string_item_text(element))
            element.clear()
    return strings


class SheetParser:
    """Streams the rows of one worksheet part; `merged` receives its merged ranges."""

    def __init__(self, workbook: Workbook, sheet: str, merged: list[CellRange]) -> None:
        self.workbook = workbook
        self.limits = workbook.limits
        self.file = workbook.file
        self.sheet = sheet
        self.merged = merged
        self.number = 0
        self.column = 0

    def rows(self, stream: IO[bytes]) -> Iterator[Row]:
        limits, file, sheet = self.limits, self.file, self.sheet
        parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("end",))
        row_count = 0
        cells_in_row = 0
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
            for _, element in cast(_Events, parser.read_events()):
                tag = element.tag
                if tag in _C:
                    cells_in_row += 1
                    if cells_in_row > limits.cells_per_row:
                        digits = (element.get("r") or "").lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                        raise self.too_many_cells(int(digits) if digits.isdigit() else None)
                elif tag in _ROW:
                    row_count += 1
                    if row_count > limits.rows:
                        raise LimitExceeded(
                            "rows",
                            limits.rows,
                            f"sheet {sheet} has more than {limits.rows:,} rows",
                            file=file,
                            location=CellLocation(file, sheet, self.number + 1, 1),
                        )
                    yield self.row(element)
                    element.clear()
                    cells_in_row = 0
                elif tag in _MERGE:
                    cell_range = parse_cell_range(element.get("ref", ""))
                    if cell_range is not None:
                        self.merged.append(cell_range)
        parser.close()

    def too_many_cells(self, row: int | None) -> LimitExceeded:
        number = row if row is not None else self.number + 1
        return too_many_cells_in_row(self.limits, CellLocation(self.file, self.sheet, number, 1))

    def row(self, element: ElementTree.Element) -> Row:
        declared = element.get("r")
        number = self.number = (
            int(declared) if declared is not None and declared.isdigit() else self.number + 1
        )
        column = 0
        cells = []
        limits = self.limits
        workbook = self.workbook
        strings = workbook.strings
        # One loop with the common cases inline: this runs for every cell of every upload.
        for cell in element:
            reference = cell.get("r")
            letters = reference.rstrip("0123456789") if reference else ""
            column = self.column = _column_of(letters) if letters else column + 1
            if column > limits.cells_per_row:
                raise self.too_many_cells(number)
            value: CellValue | None
            kind = CellKind.VALUE
            children = len(cell)
            cell_type = cell.get("t")
            if children == 1 and cell_type == "s" and cell[0].tag in _V:
                try:
                    value = strings[int(cell[0].text or "")]
                except (ValueError, IndexError):
                    raise self.damaged("refers to a missing shared string") from None
            elif children == 1 and cell_type == "inlineStr" and cell[0].tag in _IS:
                value = string_item_text(cell[0])
            elif children == 0:
                continue
            else:
                typed = self.cell_value(cell)
                if typed is None:
                    continue
                value, kind = typed
            if value == "":
                continue
            workbook.cell_count += 1
            check_cell(
                value if isinstance(value, str) else None,
                workbook.cell_count,
                limits,
                "workbook",
                self.file,
                self.sheet,
                number,
                column,
            )
            cells.append(Cell(column, value, kind))
        return Row(self.file, self.sheet, number, tuple(cells))

    def location(self) -> CellLocation:
        return CellLocation(self.file, self.sheet, self.number, self.column)

    def cell_value(self, element: ElementTree.Element) -> tuple[CellValue, CellKind] | None:
        """The value of a cell element, or None when it is empty."""
        raw: str | None = None
        formula: str | None = None
        inline: str | None = None
        for child in element:
            tag = child.tag
            if tag in _V:
                raw = child.text or ""
            elif tag in _F:
                formula = child.text or ""
            elif tag in _IS:
                inline = string_item_text(child)
        if formula is not None:
            return "=" + formula, CellKind.FORMULA
        kind = element.get("t", "n")
        value: CellValue
        if kind == "s":
            if raw is None:
                return None
            try:
                value = self.workbook.strings[int(raw)]
            except (ValueError, IndexError):
                raise self.damaged("refers to a missing shared string") from None
        elif kind == "inlineStr":
            value = inline if inline is not None else (raw or "")
        elif kind == "str":
            value = raw or ""
        elif kind == "b":
            if raw is None:
                return None
            value = raw.strip() in ("1", "true")
        elif kind == "e":
            return (raw, CellKind.ERROR) if raw else None
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
            value = self.number_value(raw.strip(), element.get("s"))
        if value == "":
            return None
        return value, CellKind.VALUE

    def number_value(self, raw: str, style: str | None) -> CellValue:
        try:
            number: int | float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError:
            raise self.damaged(f"holds {raw[:40]!r} as a number") from None
        if style is not None and style.isdigit() and int(style) in self.workbook.date_styles:
            try:
                converted = from_excel(number, self.workbook.epoch)
            except (ValueError, OverflowError, TypeError):
                converted = None
            if isinstance(converted, datetime.datetime | datetime.date | datetime.time):
                return converted
        return number

    def damaged(self, what: str) -> UnreadableFile:
        location = self.location()
        return UnreadableFile(
            f"the workbook is damaged: cell {location.cell} {what}",
            file=self.file,
            location=location,
            hint=DAMAGED_HINT,
        )
