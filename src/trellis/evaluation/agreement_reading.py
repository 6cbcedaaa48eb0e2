"""Reading ratings in long format for rater agreement, through the one spreadsheet reader. Pure.

The file (CSV, or the first visible sheet of an XLSX workbook) has a header row naming the columns
``unit``, ``rater`` and ``value``, and optionally ``group``, in any order and case; other columns
are ignored. Each row below it is one rating: a blank value is a missing rating; a value is a
number, or, for the nominal level of measurement, any text (a category). A rater rates a unit at
most once, and a unit belongs to one group.

Every problem is located (file, row, column with its header) and nothing is computed from a file
with a problem: :class:`RatingsFileError` lists them, the first :data:`MAX_LISTED_PROBLEMS` of them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from trellis import tabular
from trellis.evaluation.agreement import FloatArray, LevelOfMeasurement
from trellis.organisation.import_reading import ReadingProblem, normalise_header
from trellis.tabular import CellKind

__all__ = [
    "COLUMNS",
    "LIMITS",
    "MAX_LISTED_PROBLEMS",
    "LongRatings",
    "RatingsFileError",
    "read_long_ratings",
]

#: Ratings of 100,000 units by a handful of raters each, and room to spare.
LIMITS = dataclasses.replace(
    tabular.DEFAULT_LIMITS, file_bytes=64 * tabular.limits.MIB, rows=1_000_000, cells=4_000_000
)
#: The columns the header must name, and the optional one.
COLUMNS = ("unit", "rater", "value")
GROUP_COLUMN = "group"
MAX_LISTED_PROBLEMS = 10


@dataclass(frozen=True, slots=True)
class LongRatings:
    """The ratings of a file, one entry a rating: `values` holds NaN for a missing one (for the
    nominal level, each distinct category text is numbered in order of first appearance, as
    `categories` lists them). `groups` is None when the file has no group column."""

    units: tuple[str, ...]
    raters: tuple[str, ...]
    values: FloatArray
    groups: tuple[str, ...] | None
    categories: tuple[str, ...] = ()


class RatingsFileError(Exception):
    """The file cannot be used; `problems` says why, each located where it can be."""

    def __init__(self, problems: Sequence[ReadingProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems]


@dataclass(frozen=True, slots=True)
class _Header:
    row: tabular.Row
    columns: dict[str, int]  # column name → 1-based column
    titles: dict[int, str]  # 1-based column → the header's text

    def problem(self, message: str, row: tabular.Row, name: str) -> ReadingProblem:
        column = self.columns[name]
        return ReadingProblem(message, row.location(column), self.titles[column])


def read_long_ratings(
    data: bytes, file_name: str, *, level: LevelOfMeasurement = LevelOfMeasurement.ORDINAL
) -> LongRatings:
    """The ratings of the file; raises RatingsFileError naming every problem found (up to
    :data:`MAX_LISTED_PROBLEMS`, then how many more)."""
    try:
        with tabular.open_spreadsheet(data, file_name, limits=LIMITS) as spreadsheet:
            return _read(spreadsheet.rows(), file_name, level)
    except tabular.TabularError as error:
        message = f"{error.reason}: {error.hint}" if error.hint else error.reason
        if error.location is None:
            message = f"{error.file}: {message}"
        raise RatingsFileError([ReadingProblem(message, error.location)]) from None


def _read(rows: Iterator[tabular.Row], file_name: str, level: LevelOfMeasurement) -> LongRatings:
    iterator = iter(rows)
    header_row = tabular.find_header_row(iterator)
    if header_row is None:
        raise RatingsFileError([ReadingProblem(f"{file_name}: no header row (unit, rater, value) was found")])
    header = _header(header_row)
    problems: list[ReadingProblem] = []
    more = 0

    def report(problem: ReadingProblem) -> None:
        nonlocal more
        if len(problems) < MAX_LISTED_PROBLEMS:
            problems.append(problem)
        else:
            more += 1

    units: list[str] = []
    raters: list[str] = []
    values: list[float] = []
    groups: list[str] | None = [] if GROUP_COLUMN in header.columns else None
    categories: dict[str, int] = {}
    rated: dict[tuple[str, str], int] = {}
    unit_groups: dict[str, tuple[str, int]] = {}
    for row in iterator:
        if not row.cells:
            continue
        texts: dict[str, str] = {}
        readable = True
        for name, column in header.columns.items():
            cell = row.get(column)
            if cell is None:
                texts[name] = ""
                continue
            if cell.kind is not CellKind.VALUE:
                report(
                    header.problem("a formula or error value; put the value itself in the cell", row, name)
                )
                readable = False
                continue
            texts[name] = " ".join(tabular.cell_text(cell.value).split())
        if not readable:
            continue
        unit, rater, text = texts["unit"], texts["rater"], texts["value"]
        if not unit:
            report(header.problem("the unit is empty: name what was rated", row, "unit"))
            continue
        if not rater:
            report(header.problem("the rater is empty: name who rated", row, "rater"))
            continue
        value = _value(text, level, categories)
        if value is None:
            report(header.problem(f'"{text}" is not a number', row, "value"))
            continue
        first = rated.setdefault((unit, rater), row.number)
        if first != row.number:
            report(
                ReadingProblem(
                    f'rater "{rater}" already rated unit "{unit}" at row {first}: one rating per rater and unit',
                    row.location(header.columns["rater"]),
                    header.titles[header.columns["rater"]],
                )
            )
            continue
        if groups is not None:
            group = texts[GROUP_COLUMN]
            if not group:
                report(header.problem("the group is empty", row, GROUP_COLUMN))
                continue
            known, at = unit_groups.setdefault(unit, (group, row.number))
            if known != group:
                report(
                    header.problem(
                        f'unit "{unit}" is in group "{known}" at row {at}: a unit belongs to one group',
                        row,
                        GROUP_COLUMN,
                    )
                )
                continue
            groups.append(group)
        units.append(unit)
        raters.append(rater)
        values.append(value)
    if not problems and not units:
        problems.append(
            ReadingProblem(
                f"{file_name}: the file has a header row (row {header_row.number}) but no ratings below it"
            )
        )
    if more:
        problems.append(ReadingProblem(f"and {more} more problems like these"))
    if problems:
        raise RatingsFileError(problems)
    return LongRatings(
        units=tuple(units),
        raters=tuple(raters),
        values=np.asarray(values, dtype=np.float64),
        groups=tuple(groups) if groups is not None else None,
        categories=tuple(categories),
    )


def _header(row: tabular.Row) -> _Header:
    columns: dict[str, int] = {}
    titles: dict[int, str] = {}
    for cell in row.cells:
        title = tabular.cell_text(cell.value).strip()
        titles[cell.column] = title
        name = normalise_header(title)
        if name in (*COLUMNS, GROUP_COLUMN):
            if name in columns:
                raise RatingsFileError(
                    [
                        ReadingProblem(
                            f"columns {tabular.column_letter(columns[name])} and "
                            f'{tabular.column_letter(cell.column)} are both headed "{name}"; keep one',
                            row.location(cell.column),
                        )
                    ]
                )
            columns[name] = cell.column
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        named = ", ".join(f'"{name}"' for name in missing)
        raise RatingsFileError(
            [
                ReadingProblem(
                    f"the header has no {named} column: it must name unit, rater and value "
                    "(and may name group)",
                    row.location(row.cells[0].column),
                )
            ]
        )
    return _Header(row, columns, titles)


def _value(text: str, level: LevelOfMeasurement, categories: dict[str, int]) -> float | None:
    """The rating `text` as a number (NaN when blank: missing); None when it is not one. For the
    nominal level any text is a category, numbered in order of first appearance."""
    if not text:
        return math.nan
    if level is LevelOfMeasurement.NOMINAL:
        return float(categories.setdefault(text, len(categories)))
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
