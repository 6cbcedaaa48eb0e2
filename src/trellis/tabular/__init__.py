"""Reading spreadsheets (CSV and XLSX) safely: one reader for every upload. Pure Python.

``open_spreadsheet(data, file_name, limits=...)`` checks a file and opens it; its ``rows(sheet)``
stream rows of non-empty cells, each located by file, sheet, row and column (:class:`CellLocation`).
Every refusal is a :class:`TabularError`: :class:`LimitExceeded` names the limit it crossed,
:class:`UnreadableFile` says what else is wrong. :mod:`trellis.tabular.formulas` is the one rule
for formula-like text, read or written; :mod:`trellis.tabular.isolation` runs a parse in a child
process under a memory and time limit.
"""

from trellis.tabular.cells import (
    HEADER_SEARCH_ROWS,
    Cell,
    CellKind,
    CellValue,
    Row,
    cell_text,
    find_header_row,
)
from trellis.tabular.csv_reading import sniff_delimiter
from trellis.tabular.limits import (
    DEFAULT_LIMITS,
    LIMIT_NAMES,
    LimitExceeded,
    Limits,
    TabularError,
    UndecodableCell,
    UnreadableFile,
)
from trellis.tabular.locations import CellLocation, CellRange, column_letter, column_number
from trellis.tabular.reading import FileKind, SheetInfo, Spreadsheet, open_spreadsheet

__all__ = [
    "DEFAULT_LIMITS",
    "HEADER_SEARCH_ROWS",
    "LIMIT_NAMES",
    "Cell",
    "CellKind",
    "CellLocation",
    "CellRange",
    "CellValue",
    "FileKind",
    "LimitExceeded",
    "Limits",
    "Row",
    "SheetInfo",
    "Spreadsheet",
    "TabularError",
    "UndecodableCell",
    "UnreadableFile",
    "cell_text",
    "column_letter",
    "column_number",
    "find_header_row",
    "open_spreadsheet",
    "sniff_delimiter",
]
