"""The framework as one tidy CSV table: a row per expectation (competency × level of a track).

Long form suits analysis tools and spreadsheets' pivot tables: filter by family or level, pivot by
competency. Quoting follows RFC 4180 (the csv module with CRLF line ends); text cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io

from trellis.framework.model import Framework
from trellis.framework.render.edition import Edition
from trellis.framework.render.presentation import expectation_of
from trellis.tabular.formulas import neutralise_formula

COLUMNS = (
    "family",
    "track",
    "track_kind",
    "level",
    "level_title",
    "grade",
    "competency",
    "competency_name",
    "category",
    "proficiency",
    "proficiency_label",
    "behaviour",
)


def expectation_rows(framework: Framework) -> list[dict[str, str | int]]:
    """One row per expectation, level by level along each track, competencies in track order.

    Levels a track does not assess a competency at have no row: long form lists facts only.
    """
    rows: list[dict[str, str | int]] = []
    for family in framework.families:
        for track in family.tracks:
            competencies = framework.competencies_for(family, track)
            for level in track.levels:
                for competency in competencies:
                    expectation = expectation_of(track, competency.id, level.code)
                    if expectation is None:
                        continue
                    rows.append(
                        {
                            "family": family.id,
                            "track": track.id,
                            "track_kind": track.kind.value,
                            "level": level.code,
                            "level_title": level.title,
                            "grade": track.grade_of(level.code) or 0,
                            "competency": competency.id,
                            "competency_name": competency.name,
                            "category": competency.category,
                            "proficiency": expectation.proficiency,
                            "proficiency_label": framework.scale.label(expectation.proficiency),
                            "behaviour": expectation.behaviour,
                        }
                    )
    return rows


#: The last column when an edition is given: which version (or draft revision) each row is from.
EDITION_COLUMN = "edition"


def render_csv(framework: Framework, edition: Edition | None = None) -> str:
    """The expectation table as CSV text with a header row (encode it as plain UTF-8); with an
    edition, every row also names it in a last column (long form has no other place for it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    extra = [edition.describe()] if edition is not None else []
    writer.writerow([*COLUMNS, *([EDITION_COLUMN] if edition is not None else [])])
    for row in expectation_rows(framework):
        writer.writerow(
            [
                neutralise_formula(value) if isinstance(value, str) else value
                for value in [*row.values(), *extra]
            ]
        )
    return buffer.getvalue()
