"""The people list as a file: CSV or XLSX of exactly the people, filters and order the viewer's list
shows, and only the fields their profiles show them.

Both formats stream: rows are read from the database in chunks (`EXPORT_CHUNK_ROWS`), the CSV is
sent as it is written and the XLSX is written by openpyxl's write-only workbook to a temporary file
(spilled to disk past `XLSX_SPOOL_BYTES`), so memory stays bounded at any company size. Every text
cell passes the one formula rule (`trellis.tabular.formulas.neutralise_formula`, through the
framework's `cell_text` for workbooks).
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from typing import Final

from django.db.models import QuerySet
from openpyxl import Workbook

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.framework.render.xlsx_workbook import cell_text
from trellis.organisation.person_fields import FIELDS_BY_KEY
from trellis.tabular.formulas import neutralise_formula
from trellis.web.people.models import Person
from trellis.web.people.placement import place_of

#: People read from the database at a time.
EXPORT_CHUNK_ROWS: Final = 1000
#: How much of an XLSX file is kept in memory before the rest goes to a temporary file.
XLSX_SPOOL_BYTES: Final = 8 * 1024 * 1024

COLUMNS: Final = (
    FIELDS_BY_KEY["full_name"].label,
    FIELDS_BY_KEY["employee_id"].label,
    FIELDS_BY_KEY["email"].label,
    FIELDS_BY_KEY["title"].label,
    FIELDS_BY_KEY["team"].label,
    FIELDS_BY_KEY["family_id"].label,
    FIELDS_BY_KEY["track_id"].label,
    FIELDS_BY_KEY["level_code"].label,
    FIELDS_BY_KEY["level_since"].label,
    "Time in level",
    FIELDS_BY_KEY["manager"].label,
    FIELDS_BY_KEY["is_active"].label,
)


def export_rows(
    people: QuerySet[Person], framework: Framework | None, today: datetime.date
) -> Iterator[list[str]]:
    """The header, then one row of text per person of `people` in its order (read in chunks)."""
    yield list(COLUMNS)
    for person in people.iterator(chunk_size=EXPORT_CHUNK_ROWS):
        place = place_of(
            framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
        )
        yield [
            person.full_name,
            person.employee_id,
            person.email,
            person.title,
            person.team.name if person.team is not None else "",
            place.family_name if place is not None else person.family_id,
            place.track_name if place is not None else person.track_id,
            person.level_code,
            person.level_since.isoformat(),
            wording.time_since(person.level_since, today),
            person.manager.full_name if person.manager is not None else "",
            "yes" if person.is_active else "no",
        ]


class _Line:
    """A file-like object whose `write` returns what was written: the csv module writes one line,
    the response sends it."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows: Iterable[list[str]]) -> Iterator[str]:
    """`rows` as CSV lines (RFC 4180, CRLF), a UTF-8 byte-order mark first so that Excel reads the
    accents, every cell formula-safe."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([neutralise_formula(value) for value in row])


def xlsx_file(rows: Iterable[list[str]]) -> tempfile.SpooledTemporaryFile[bytes]:
    """`rows` as a one-sheet workbook in a temporary file, rewound for reading (the caller closes
    it). Written row by row (write-only mode), every cell formula-safe."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("People")
    for row in rows:
        sheet.append([cell_text(value) for value in row])
    # Handed open to the response, which closes it once sent.
    file: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return file
