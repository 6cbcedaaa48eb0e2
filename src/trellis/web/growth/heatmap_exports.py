"""A skills heatmap as a file: CSV (one table, a row per grouping, group and competency) or XLSX (a
sheet per grouping, and one for the patterns). The files hold the aggregates the page shows — all
of them, where the page draws the largest groups only — and, for a team, each person's row.

Every text cell passes the one formula rule (`trellis.tabular.formulas.neutralise_formula`, through
the framework's `cell_text` for workbooks); numbers stay numbers: a team named ``=HYPERLINK(…)`` arrives
as text. Sizes are bounded by groups × competencies (a few hundred thousand cells for 12,500
teams), not by people, so the file is written at once: the CSV streams, the workbook is written in
openpyxl's write-only mode to a spooled temporary file.
"""

from __future__ import annotations

import csv
import math
import tempfile
from collections.abc import Iterator
from typing import Final

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from trellis.framework.render.xlsx_workbook import cell_text
from trellis.tabular.formulas import neutralise_formula
from trellis.web.growth.heatmap_selectors import GROUPING_LABELS, Aggregate, Heatmap
from trellis.web.people.exports import XLSX_SPOOL_BYTES

__all__ = ["COLUMNS", "FORMATS", "aggregate_rows", "csv_rows", "response", "xlsx_workbook"]

FORMATS: Final = ("csv", "xlsx")
COLUMNS: Final = (
    "Grouping",
    "Group",
    "Competency",
    "People",
    "Expected",
    "Rated",
    "Unknown",
    "Mean figure",
    "Mean gap",
    "Share meeting",
    "Share short",
)
PATTERN_COLUMNS: Final = ("Team", "Competency", "Pattern", "Mean gap", "Everyone else's mean gap", "People")
Value = str | int | float | None


def _number(value: float, places: int = 3) -> float | None:
    return None if math.isnan(value) else round(value, places)


def aggregate_rows(aggregate: Aggregate, competencies: list[str]) -> Iterator[list[Value]]:
    """One row per group and competency of `aggregate` (COLUMNS), numbers as numbers (None: none)."""
    cells = aggregate.cells
    label = GROUPING_LABELS[aggregate.grouping]
    for group, name in enumerate(aggregate.groups):
        for column, competency in enumerate(competencies):
            counted = int(cells.counted[group, column])
            meeting = _number(float(cells.meeting[group, column]))
            yield [
                label,
                name,
                competency,
                int(cells.people[group]),
                int(cells.expected[group, column]),
                counted,
                int(cells.expected[group, column]) - counted,
                _number(float(cells.mean_figure[group, column])),
                _number(float(cells.mean_gap[group, column])),
                meeting,
                None if meeting is None else round(1.0 - meeting, 3),
            ]


def _sections(heatmap: Heatmap) -> list[Aggregate]:
    sections = [heatmap.everyone, *heatmap.aggregates]
    if heatmap.person_rows is not None:
        sections.append(heatmap.person_rows)
    return sections


def csv_rows(heatmap: Heatmap) -> Iterator[list[Value]]:
    """The header, then every aggregate's rows."""
    yield list(COLUMNS)
    for section in _sections(heatmap) if heatmap.people else []:
        yield from aggregate_rows(section, heatmap.competencies)


class _Line:
    """A file-like object whose `write` returns what was written: the csv module writes one line,
    the response sends it."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows: Iterator[list[Value]]) -> Iterator[str]:
    """`rows` as CSV lines (RFC 4180, CRLF), a UTF-8 byte-order mark first so that Excel reads the
    accents; every text cell formula-safe, numbers written as numbers (a negative gap stays a
    number: only text is neutralised)."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(
            [
                "" if value is None else neutralise_formula(value) if isinstance(value, str) else value
                for value in row
            ]
        )


def _cell(value: Value) -> Value:
    return cell_text(value) if isinstance(value, str) else value


def xlsx_workbook(heatmap: Heatmap) -> Workbook:
    """A sheet per grouping (COLUMNS) and one of the patterns; every text cell formula-safe."""
    workbook = Workbook(write_only=True)
    for section in _sections(heatmap):
        sheet = workbook.create_sheet(GROUPING_LABELS[section.grouping])
        sheet.append(list(COLUMNS))
        if heatmap.people:
            for row in aggregate_rows(section, heatmap.competencies):
                sheet.append([_cell(value) for value in row])
    sheet = workbook.create_sheet("Patterns")
    sheet.append(list(PATTERN_COLUMNS))
    for pattern in heatmap.team_patterns:
        sheet.append(
            [
                _cell(pattern.group),
                _cell(pattern.competency),
                "strong" if pattern.strong else "weak",
                pattern.mean_gap,
                pattern.others_mean_gap,
                pattern.people,
            ]
        )
    return workbook


def response(heatmap: Heatmap, file_format: str) -> HttpResponse:
    """The file of `heatmap` in `file_format` (one of FORMATS), as an attachment."""
    stem = heatmap.scope.file_stem
    if file_format == "csv":
        streamed = StreamingHttpResponse(
            csv_chunks(csv_rows(heatmap)), content_type="text/csv; charset=utf-8"
        )
        streamed["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return streamed  # type: ignore[return-value]
    file = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115 — closed by the response
    xlsx_workbook(heatmap).save(file)
    file.seek(0)
    return FileResponse(  # type: ignore[return-value]
        file,
        as_attachment=True,
        filename=f"{stem}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
