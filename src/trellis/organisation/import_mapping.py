"""Which column of an HRIS export holds which field of a person. Pure Python: no Django.

`guess_mapping` proposes a mapping from the header names; `mapping_problems` checks one a person
chose; `column_date_formats` reads each date column in the date format chosen with it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from trellis.organisation.import_reading import Table, normalise_header
from trellis.organisation.import_values import AmbiguousDates, DateFormat, resolve_date_format
from trellis.organisation.person_fields import FIELDS, FIELDS_BY_KEY, PersonField
from trellis.tabular import column_letter

#: Field → column index in the table, or None when the file has no column for it.
ColumnMapping = dict[str, int | None]


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """Which column (by index) most likely holds each field, judged from the header names alone.

    A header that is one of a field's synonyms wins; then a close spelling (a typo such as
    "Emial"). Each column fills at most one field and each field at most one column; when two
    columns fit a field equally well, the leftmost one is taken.
    """
    candidates: list[tuple[float, int, int, str]] = []
    for column, header in enumerate(headers):
        normal = normalise_header(header)
        if not normal:
            continue
        for position, import_field in enumerate(FIELDS):
            score = _header_score(normal, import_field)
            if score > 0:
                candidates.append((score, -column, -position, import_field.key))
    mapping: ColumnMapping = {f.key: None for f in FIELDS}
    used_columns: set[int] = set()
    for score, negative_column, _, key in sorted(candidates, reverse=True):
        column = -negative_column
        if mapping[key] is None and column not in used_columns and score > 0:
            mapping[key] = column
            used_columns.add(column)
    return mapping


def _header_score(normal: str, import_field: PersonField) -> float:
    names = (*import_field.synonyms, normalise_header(import_field.label))
    if normal in names:
        return 2.0
    best = max(difflib.SequenceMatcher(None, normal, name).ratio() for name in names)
    return best if best >= 0.8 else 0.0


def mapping_problems(mapping: ColumnMapping, column_count: int) -> dict[str | None, str]:
    """Field key → what is wrong with its column; the key None for the mapping as a whole.

    Each column may fill one field, and rows can only be matched when the employee ID or the
    e-mail address has a column.
    """
    problems: dict[str | None, str] = {}
    used: dict[int, str] = {}
    for import_field in FIELDS:
        column = mapping.get(import_field.key)
        if column is None:
            continue
        if not 0 <= column < column_count:
            problems[import_field.key] = "the file has no such column"
        elif column in used:
            problems[import_field.key] = (
                f"column {column_letter(column + 1)} is already used for {FIELDS_BY_KEY[used[column]].label}"
            )
        else:
            used[column] = import_field.key
    if mapping.get("employee_id") is None and mapping.get("email") is None:
        problems[None] = (
            "choose the column of the employee ID or of the e-mail address: rows are matched by them"
        )
    return problems


#: The fields whose cells are dates, read in the file's date format.
DATE_FIELDS = ("level_since", "hired_on")


def column_date_formats(
    table: Table, mapping: ColumnMapping, chosen: DateFormat
) -> tuple[dict[str, DateFormat], dict[str, str]]:
    """How each mapped date column is read with `chosen` (see `resolve_date_format`), and the
    problems — keyed ``date_format``, naming each column that reads either way — when detecting
    cannot tell. A column with a problem is left out of the formats (read as ISO)."""
    formats: dict[str, DateFormat] = {}
    unclear: list[str] = []
    for key in DATE_FIELDS:
        column = mapping.get(key)
        if column is None or not 0 <= column < len(table.headers):
            continue
        try:
            formats[key] = resolve_date_format((row.cells[column] for row in table.rows), chosen)
        except AmbiguousDates as ambiguous:
            unclear.append(f"{table.column_name(column)}: {ambiguous}")
    if not unclear:
        return formats, {}
    return formats, {"date_format": "; ".join(unclear) + ". Choose day first or month first for this file"}
