"""Writing a family as a spreadsheet matrix (XLSX with every track, or one track as CSV) that
the importer reads back without loss."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from trellis.framework.matrix.shared import IGNORED_SHEETS, PROFICIENCY_SHEET, _normal
from trellis.framework.model import Family, Framework, Track
from trellis.tabular import column_letter
from trellis.tabular.formulas import neutralise_reversibly

_NOT_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def export_matrix_xlsx(framework: Framework, family_id: str) -> bytes:
    """The family as an importable workbook: one sheet per track, then the Expected proficiency
    sheet (so importing it back is lossless) and an About sheet for people.

    Each track sheet has the columns Competency, ID, Category, Description and one per level,
    headed by the level code with its title on a second line when the title differs from the code.
    Text that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a
    tab, a carriage return, or an apostrophe) is written with one leading apostrophe, which the
    importer removes. Characters XML cannot hold are dropped. Raises ValueError for an unknown family.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    family = _require_family(framework, family_id)
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    proficiency_rows: list[list[Any]] = []
    for track, sheet_name in zip(family.tracks, _sheet_names(family.tracks), strict=True):
        sheet = workbook.create_sheet(sheet_name)
        for row in _track_rows(framework, family, track):
            sheet.append([_neutralise(value) if value else None for value in row])
        for cell in sheet[1]:
            cell.font = bold
        for row_cells in sheet.iter_rows(min_row=1):
            for cell in row_cells:
                cell.alignment = wrapped
        for column, width in zip("ABCD", (24, 18, 18, 40), strict=True):
            sheet.column_dimensions[column].width = width
        for index in range(len(track.levels)):
            sheet.column_dimensions[column_letter(5 + index)].width = 40
        sheet.freeze_panes = "B2"
        for competency_id, by_level in track.expectations.items():
            for level in track.levels:
                expectation = by_level.get(level.code)
                if expectation is not None:
                    proficiency_rows.append([sheet_name, competency_id, level.code, expectation.proficiency])
    proficiency = workbook.create_sheet(PROFICIENCY_SHEET)
    proficiency.append(["Track", "Competency", "Level", "Proficiency"])
    for row in proficiency_rows:
        proficiency.append([_neutralise(row[0]), _neutralise(row[1]), _neutralise(row[2]), row[3]])
    for cell in proficiency[1]:
        cell.font = bold
    about = workbook.create_sheet("About")
    for line in _about_lines(framework, family):
        about.append([_neutralise(line) if line else None])
    about.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_matrix_csv(framework: Framework, family_id: str, track_id: str) -> str:
    """One track of a family as an importable CSV matrix (the columns of :func:`export_matrix_xlsx`).

    The text starts with a byte-order mark so that Excel opens it as UTF-8, and uses CRLF line
    endings. A CSV file has no room for expected proficiencies; importing it infers them again.
    Raises ValueError for an unknown family or track.
    """
    family = _require_family(framework, family_id)
    track = family.track(track_id)
    if track is None:
        raise ValueError(f'family "{family_id}" has no track "{track_id}"')
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _track_rows(framework, family, track):
        writer.writerow([_neutralise(value) for value in row])
    return "\ufeff" + buffer.getvalue()


# --- writing helpers -----------------------------------------------------------------------------


def _require_family(framework: Framework, family_id: str) -> Family:
    family = framework.family(family_id)
    if family is None:
        raise ValueError(f'the framework has no family "{family_id}"')
    return family


def _track_rows(framework: Framework, family: Family, track: Track) -> list[list[str]]:
    definitions = {c.id: c for c in framework.competencies_for(family, track)}
    header = ["Competency", "ID", "Category", "Description"]
    header += [
        level.code if level.title == level.code else f"{level.code}\n{level.title}" for level in track.levels
    ]
    rows = [header]
    for competency_id, by_level in track.expectations.items():
        definition = definitions.get(competency_id)
        name = definition.name if definition is not None else competency_id
        category = definition.category if definition is not None else ""
        description = definition.description if definition is not None else ""
        behaviours = [
            by_level[level.code].behaviour if level.code in by_level else "" for level in track.levels
        ]
        rows.append([name, competency_id, category, description, *behaviours])
    return rows


def _neutralise(text: str) -> str:
    """`text` made safe for a spreadsheet cell: XML-illegal characters dropped, line endings made
    ``\\n``, and one apostrophe put in front of a leading formula trigger or apostrophe (the one
    formula rule, :func:`trellis.tabular.formulas.neutralise_reversibly`)."""
    return neutralise_reversibly(_NOT_XML_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def _sheet_names(tracks: Sequence[Track]) -> list[str]:
    """A valid, distinct sheet name for each track: Excel forbids ``[]:*?/\\``, a leading or
    trailing apostrophe, more than 31 characters and the names it reserves; names the importer
    ignores (About, README, Expected proficiency) get " track" appended."""
    reserved = {*IGNORED_SHEETS, _normal(PROFICIENCY_SHEET), "history"}
    names: list[str] = []
    taken: set[str] = set()
    for track in tracks:
        base = (
            re.sub(r"[\[\]:*?/\\]", "-", _NOT_XML_CHARACTERS.sub("", track.name)).strip().strip("'").strip()
        )
        base = base or track.id
        if _normal(base) in reserved:
            base = f"{base} track"
        base = base[:31].rstrip()
        candidate, suffix = base, 2
        while candidate.casefold() in taken:
            tail = f" ({suffix})"
            candidate = base[: 31 - len(tail)].rstrip() + tail
            suffix += 1
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _about_lines(framework: Framework, family: Family) -> list[str]:
    scale = ", ".join(f"{point.value} {point.label}" for point in framework.scale.points)
    return [
        f"{family.name}: career framework matrix exported by Trellis",
        "",
        "Each track sheet lists one competency per row and one level per column; a cell describes "
        "the behaviour expected of that competency at that level.",
        "Keep the ID column when renaming a competency, so Trellis recognises it on import.",
        f"The {PROFICIENCY_SHEET} sheet gives the proficiency each level expects, on the scale {scale}.",
        "Text starting with =, +, -, @ or an apostrophe is stored with one extra leading apostrophe "
        "so that no spreadsheet runs it as a formula; Trellis removes it again on import.",
        "Import with: trellis import-matrix FILE --family NAME -o framework.yaml",
    ]
