"""The framework as a workbook in the spirit of the classic competency-matrix template.

Sheets, in order:

- **Scale**: the rating scale, its labels and anchors.
- **Matrix**: one row per level of every track (the role), one column per competency, each cell
  the expected proficiency. It is the table the Assessment sheet looks expectations up in.
- one **behaviour sheet** per track: competencies down, levels across, the behaviour text.
- **Assessment**: pick a role from a list; the expected proficiency of each competency appears
  (INDEX/MATCH on Matrix) beside columns for the self, manager and agreed ratings.
- **Gap analysis**: per competency, gap = expected − rating (the agreed one, else the manager's),
  then the average rating, the number of competencies below expectation and whether the person
  meets the level.

Formulas use only functions every spreadsheet has had for decades (IF, INDEX, MATCH, ISNA,
ISNUMBER, AND, COUNT, COUNTIF, SUMIF, AVERAGE), so they compute in Excel, LibreOffice and
Google Sheets alike. Text from the framework never becomes a formula: see
:mod:`trellis.tabular.formulas`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from trellis.framework.model import Competency, Family, Framework, Level, Track
from trellis.framework.render.edition import Edition
from trellis.framework.render.presentation import (
    all_competencies,
    competency_kind_text,
    expectation_of,
)
from trellis.framework.wording import rating_text
from trellis.tabular.formulas import neutralise_formula

SCALE_SHEET = "Scale"
MATRIX_SHEET = "Matrix"
ASSESSMENT_SHEET = "Assessment"
GAP_SHEET = "Gap analysis"

# Matrix: the columns describing the role come first, competencies start at MATRIX_FIRST_COMPETENCY.
MATRIX_HEADERS = ("Role", "Family", "Track", "Level", "Title", "Grade")
MATRIX_FIRST_COMPETENCY = len(MATRIX_HEADERS) + 1
MATRIX_FIRST_ROW = 2

# Assessment: the role picker and its lookups, then one row per competency.
ASSESSMENT_PERSON = "B4"
ASSESSMENT_ROLE = "B5"
ASSESSMENT_MATRIX_ROW = "B6"
ASSESSMENT_TITLE = "B7"
ASSESSMENT_HEADER_ROW = 9
ASSESSMENT_HEADERS = (
    "Competency",
    "Kind",
    "Expected",
    "Expected label",
    "Self rating",
    "Manager rating",
    "Agreed rating",
    "Evidence and notes",
)
# Column letters of the Assessment table, named after what they hold.
A_COMPETENCY, A_KIND, A_EXPECTED, A_EXPECTED_LABEL, A_SELF, A_MANAGER, A_AGREED, A_NOTES = "ABCDEFGH"

# Gap analysis: a summary block, then one row per competency.
GAP_SUMMARY_FIRST_ROW = 4
GAP_HEADER_ROW = 13
GAP_HEADERS = ("Competency", "Expected", "Rating used", "Rating source", "Gap", "Status")
G_COMPETENCY, G_EXPECTED, G_RATING, G_SOURCE, G_GAP, G_STATUS = "ABCDEF"

# Excel limits sheet names to 31 characters without these.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LENGTH = 31

# Fixed timestamps make the same framework produce the same bytes (zip entries and document
# properties would otherwise carry the time of rendering): the edition's time, or without an
# edition 1980, the earliest a zip can hold.
_FIXED_TIME = datetime(1980, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED_ELEMENT = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")

_ACCENT_SOFT = "E6F0EC"
_INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
_HEADER_FILL = PatternFill("solid", fgColor=_ACCENT_SOFT)
_BELOW_FILL = PatternFill("solid", fgColor="F8D7D3")
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_THIN = Side(style="thin", color="C9D2D9")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top")


def cell_text(value: str) -> str:
    """Framework text as a cell may hold it: never a formula, no characters XML cannot carry."""
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))


@dataclass(frozen=True)
class Role:
    family: Family
    track: Track
    level: Level

    @property
    def key(self) -> str:
        """What the person picks on the Assessment sheet: ids and codes only, so that MATCH finds
        it exactly (titles may hold the * and ? that MATCH treats as wildcards)."""
        return f"{self.family.id} / {self.track.id} / {self.level.code}"


@dataclass(frozen=True)
class MatrixLayout:
    """Where the Matrix sheet put things, for the formulas of the other sheets."""

    last_row: int
    column_of: dict[str, str]

    def column_range(self, column: str) -> str:
        """A column of the role rows, absolute rows and columns: ``Matrix!$G$2:$G$12``."""
        return f"{MATRIX_SHEET}!${column}${MATRIX_FIRST_ROW}:${column}${self.last_row}"

    @property
    def roles(self) -> str:
        return self.column_range("A")


def render_xlsx(framework: Framework, edition: Edition | None = None) -> bytes:
    """The framework as the bytes of an .xlsx workbook.

    The edition is named in every sheet's printed footer and in the document properties; their
    creation and modification times are the edition's (its publication, or the draft's save),
    never the time of rendering, so the same edition gives the same bytes.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    competencies = all_competencies(framework)
    roles = [
        Role(family, track, level)
        for family in framework.families
        for track in family.tracks
        for level in track.levels
    ]
    _scale_sheet(workbook, framework)
    layout = _matrix_sheet(workbook, competencies, roles)
    used_names = {SCALE_SHEET.lower(), MATRIX_SHEET.lower(), ASSESSMENT_SHEET.lower(), GAP_SHEET.lower()}
    for family in framework.families:
        for track in family.tracks:
            _behaviour_sheet(workbook, framework, family, track, used_names)
    _assessment_sheet(workbook, framework, competencies, layout)
    _gap_sheet(workbook, competencies)

    created = _FIXED_TIME
    if edition is not None:
        if edition.created is not None:
            created = edition.created.replace(tzinfo=None)
        for sheet in workbook.worksheets:
            sheet.oddFooter.left.text = _footer_text(edition.describe())
            sheet.oddFooter.right.text = "Page &P of &N"
        workbook.properties.version = cell_text(edition.label)
        workbook.properties.subject = cell_text(edition.describe())
        if edition.revision is not None:
            workbook.properties.revision = str(edition.revision)
    workbook.properties.creator = "Trellis"
    workbook.properties.title = cell_text(framework.name)
    workbook.properties.created = created
    workbook.properties.modified = created
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_fixed_timestamps(buffer.getvalue(), created)


def _footer_text(text: str) -> str:
    # "&" starts a field code in a sheet's header and footer ("&P" is the page number).
    return cell_text(text).replace("&", "&&")


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unused sheet name close to `text`; records it in `used` (lower-cased, as Excel
    compares sheet names without case)."""
    base = _SHEET_NAME_FORBIDDEN.sub("-", " ".join(text.split())).strip("'") or "Sheet"
    candidate = base[:_SHEET_NAME_LENGTH].rstrip()
    number = 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = base[: _SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def _header_row(sheet: Any, row: int, headers: tuple[str, ...] | list[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=cell_text(header))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _WRAP_TOP


def _widths(sheet: Any, widths: dict[str, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width


def _print_setup(sheet: Any, title_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def _scale_sheet(workbook: Workbook, framework: Framework) -> None:
    sheet = workbook.create_sheet(SCALE_SHEET)
    _header_row(sheet, 1, ("Value", "Label", "Anchor"))
    for row, point in enumerate(sorted(framework.scale.points, key=lambda point: point.value), start=2):
        sheet.cell(row=row, column=1, value=point.value).alignment = _CENTER
        sheet.cell(row=row, column=2, value=cell_text(point.label)).alignment = _WRAP_TOP
        sheet.cell(row=row, column=3, value=cell_text(point.anchor)).alignment = _WRAP_TOP
    _widths(sheet, {"A": 8, "B": 18, "C": 80})
    sheet.freeze_panes = "A2"
    _print_setup(sheet, "1:1")


def _matrix_sheet(workbook: Workbook, competencies: list[Competency], roles: list[Role]) -> MatrixLayout:
    sheet = workbook.create_sheet(MATRIX_SHEET)
    _header_row(sheet, 1, [*MATRIX_HEADERS, *(competency.name for competency in competencies)])
    column_of = {
        competency.id: get_column_letter(MATRIX_FIRST_COMPETENCY + index)
        for index, competency in enumerate(competencies)
    }
    for row, role in enumerate(roles, start=MATRIX_FIRST_ROW):
        values: list[str | int] = [
            cell_text(role.key),
            cell_text(role.family.name),
            cell_text(role.track.name),
            cell_text(role.level.code),
            cell_text(role.level.title),
            role.track.grade_of(role.level.code) or 0,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value).alignment = _WRAP_TOP
        for competency in competencies:
            expectation = expectation_of(role.track, competency.id, role.level.code)
            if expectation is not None:
                cell = sheet[f"{column_of[competency.id]}{row}"]
                cell.value = expectation.proficiency
                cell.alignment = _CENTER
    _widths(sheet, {"A": 30, "B": 18, "C": 18, "D": 9, "E": 28, "F": 7})
    for column in column_of.values():
        sheet.column_dimensions[column].width = 14
    sheet.freeze_panes = f"{get_column_letter(MATRIX_FIRST_COMPETENCY)}{MATRIX_FIRST_ROW}"
    _print_setup(sheet, "1:1")
    # An empty framework still gets a one-row range, so that the formulas elsewhere stay valid.
    return MatrixLayout(
        last_row=max(MATRIX_FIRST_ROW, MATRIX_FIRST_ROW + len(roles) - 1), column_of=column_of
    )


def _behaviour_sheet(
    workbook: Workbook, framework: Framework, family: Family, track: Track, used_names: set[str]
) -> None:
    # "Family - Track", shortening the family's name first: the track is what tells the sheets of
    # one family apart. When even that does not fit, the track's short id stands in for its name.
    track_part = f" - {track.name}"
    room = _SHEET_NAME_LENGTH - len(track_part)
    family_name = " ".join(family.name.split())
    shortened = family_name[:room]
    if len(family_name) > room and family_name[room] != " " and " " in shortened:
        # Cut at a word boundary, without a dangling dash or dot.
        shortened = shortened.rsplit(" ", 1)[0]
    shortened = shortened.rstrip(" -–—·.,")
    name = f"{shortened}{track_part}" if room >= 8 else f"{family_name} - {track.id}"
    sheet = workbook.create_sheet(sheet_title(name, used_names))
    _header_row(
        sheet,
        1,
        ["Competency", "Kind", *(f"{level.code}\n{level.title}" for level in track.levels)],
    )
    for row, competency in enumerate(framework.competencies_for(family, track), start=2):
        sheet.cell(row=row, column=1, value=cell_text(competency.name)).font = _HEADER_FONT
        sheet.cell(row=row, column=2, value=cell_text(competency_kind_text(framework, competency)))
        for column, level in enumerate(track.levels, start=3):
            expectation = expectation_of(track, competency.id, level.code)
            if expectation is None:
                continue
            text = rating_text(framework.scale, expectation.proficiency)
            if expectation.behaviour:
                text += "\n" + expectation.behaviour
            sheet.cell(row=row, column=column, value=cell_text(text))
        for column in range(1, len(track.levels) + 3):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
    _widths(sheet, {"A": 26, "B": 18})
    for column in range(3, len(track.levels) + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 40
    sheet.freeze_panes = "C2"
    _print_setup(sheet, "1:1")


def _label(sheet: Any, reference: str, text: str) -> None:
    cell = sheet[reference]
    cell.value = text
    cell.font = _HEADER_FONT


def _assessment_sheet(
    workbook: Workbook, framework: Framework, competencies: list[Competency], layout: MatrixLayout
) -> None:
    sheet = workbook.create_sheet(ASSESSMENT_SHEET)
    sheet["A1"] = "Assessment"
    sheet["A1"].font = _TITLE_FONT
    scale = framework.scale
    sheet["A2"] = (
        f"Choose a role in {ASSESSMENT_ROLE}: the expected proficiency of each competency appears from the "
        f"{MATRIX_SHEET} sheet. Rate from {scale.minimum} to {scale.maximum} (see the {SCALE_SHEET} sheet); "
        f"the {GAP_SHEET} sheet compares the ratings with the expectations."
    )
    sheet.merge_cells("A2:H2")
    sheet["A2"].alignment = _WRAP_TOP
    sheet.row_dimensions[2].height = 32

    for label_cell, text in (("A4", "Person"), ("A5", "Role"), ("A6", "Row in Matrix"), ("A7", "Title")):
        _label(sheet, label_cell, text)
    for value_cell in (ASSESSMENT_PERSON, ASSESSMENT_ROLE, ASSESSMENT_MATRIX_ROW, ASSESSMENT_TITLE):
        # The values span B:E so that a long role or title stays readable in one line.
        sheet.merge_cells(f"{value_cell}:E{value_cell[1:]}")
        sheet[value_cell].border = _BORDER
    sheet[ASSESSMENT_PERSON].fill = _INPUT_FILL
    sheet[ASSESSMENT_ROLE].fill = _INPUT_FILL
    role = _absolute(ASSESSMENT_ROLE)
    matrix_row = _absolute(ASSESSMENT_MATRIX_ROW)
    sheet[ASSESSMENT_MATRIX_ROW] = f'=IF({role}="","",MATCH({role},{layout.roles},0))'
    sheet[ASSESSMENT_MATRIX_ROW].alignment = Alignment(horizontal="left")
    sheet[ASSESSMENT_TITLE] = f'=IF({matrix_row}="","",INDEX({layout.column_range("E")},{matrix_row}))'

    role_choice = DataValidation(
        type="list",
        formula1=layout.roles,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Unknown role",
        error=f"Pick a role from the list (column A of the {MATRIX_SHEET} sheet).",
        promptTitle="Role",
        prompt="Family / track / level of the person assessed.",
    )
    sheet.add_data_validation(role_choice)
    role_choice.add(ASSESSMENT_ROLE)

    _header_row(sheet, ASSESSMENT_HEADER_ROW, ASSESSMENT_HEADERS)
    first = ASSESSMENT_HEADER_ROW + 1
    last = ASSESSMENT_HEADER_ROW + max(1, len(competencies))
    scale_values = f"{SCALE_SHEET}!$A$2:$A${1 + len(scale.points)}"
    scale_labels = f"{SCALE_SHEET}!$B$2:$B${1 + len(scale.points)}"
    for row, competency in enumerate(competencies, start=first):
        expected_column = layout.column_range(layout.column_of[competency.id])
        expected = f"INDEX({expected_column},{matrix_row})"
        sheet[f"{A_COMPETENCY}{row}"] = cell_text(competency.name)
        sheet[f"{A_KIND}{row}"] = cell_text(competency_kind_text(framework, competency))
        # A track that does not assess the competency leaves its Matrix cell empty: show nothing.
        sheet[f"{A_EXPECTED}{row}"] = f'=IF({matrix_row}="","",IF({expected}="","",{expected}))'
        expected_cell = f"{A_EXPECTED}{row}"
        position = f"MATCH({expected_cell},{scale_values},0)"
        sheet[f"{A_EXPECTED_LABEL}{row}"] = (
            f'=IF({expected_cell}="","",IF(ISNA({position}),"",INDEX({scale_labels},{position})))'
        )
        for column in "ABCDEFGH":
            cell = sheet[f"{column}{row}"]
            cell.border = _BORDER
            cell.alignment = _CENTER if column in (A_EXPECTED, A_SELF, A_MANAGER, A_AGREED) else _WRAP_TOP
        for column in (A_SELF, A_MANAGER, A_AGREED, A_NOTES):
            sheet[f"{column}{row}"].fill = _INPUT_FILL

    rating = DataValidation(
        type="whole",
        operator="between",
        formula1=str(scale.minimum),
        formula2=str(scale.maximum),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Rating out of scale",
        error=f"A rating is a whole number from {scale.minimum} to {scale.maximum}.",
    )
    sheet.add_data_validation(rating)
    rating.add(f"{A_SELF}{first}:{A_AGREED}{last}")

    _widths(sheet, {"A": 30, "B": 22, "C": 10, "D": 15, "E": 11, "F": 11, "G": 11, "H": 50})
    sheet.freeze_panes = f"B{first}"
    _print_setup(sheet, f"{ASSESSMENT_HEADER_ROW}:{ASSESSMENT_HEADER_ROW}")


def _absolute(reference: str) -> str:
    """``B5`` → ``$B$5``."""
    return f"${reference[0]}${reference[1:]}"


def _gap_sheet(workbook: Workbook, competencies: list[Competency]) -> None:
    sheet = workbook.create_sheet(GAP_SHEET)
    sheet["A1"] = "Gap analysis"
    sheet["A1"].font = _TITLE_FONT
    sheet["A2"] = (
        "Gap = expected − rating, where the rating is the agreed one or, when there is none, the "
        "manager's. A positive gap is a shortfall. Everything here is computed from the "
        f"{ASSESSMENT_SHEET} sheet."
    )
    sheet.merge_cells("A2:F2")
    sheet["A2"].alignment = _WRAP_TOP
    sheet.row_dimensions[2].height = 32

    first = GAP_HEADER_ROW + 1
    last = GAP_HEADER_ROW + max(1, len(competencies))
    expected = f"{G_EXPECTED}{first}:{G_EXPECTED}{last}"
    ratings = f"{G_RATING}{first}:{G_RATING}{last}"
    gaps = f"{G_GAP}{first}:{G_GAP}{last}"
    role = f"{ASSESSMENT_SHEET}!{_absolute(ASSESSMENT_ROLE)}"
    row = GAP_SUMMARY_FIRST_ROW
    summary = [
        ("Role", f'=IF({role}="","",{role})', ""),
        ("Competencies expected", f"=COUNT({expected})", "Competencies the role's level assesses."),
        ("Competencies rated", f"=COUNT({gaps})", "Expected competencies with an agreed or manager rating."),
        ("Average rating", f'=IF(COUNT({ratings})=0,"",AVERAGE({ratings}))', ""),
        ("Average expected", f'=IF(COUNT({expected})=0,"",AVERAGE({expected}))', ""),
        ("Below expectation", f'=COUNTIF({gaps},">0")', "Competencies with a positive gap."),
        ("Total shortfall", f'=SUMIF({gaps},">0")', "Sum of the positive gaps."),
        (
            "Meets level",
            f'=IF(B{row + 1}=0,"",IF(B{row + 2}<B{row + 1},"No",IF(B{row + 5}>0,"No","Yes")))',
            "Yes when every expected competency is rated and none is below expectation.",
        ),
    ]
    for offset, (label, formula, note) in enumerate(summary):
        _label(sheet, f"A{row + offset}", label)
        sheet[f"B{row + offset}"] = formula
        sheet[f"B{row + offset}"].border = _BORDER
        sheet[f"B{row + offset}"].alignment = Alignment(horizontal="left")
        if note:
            sheet[f"C{row + offset}"] = note
    sheet[f"B{row + len(summary) - 1}"].font = _HEADER_FONT
    sheet[f"B{row + 3}"].number_format = "0.00"
    sheet[f"B{row + 4}"].number_format = "0.00"

    _header_row(sheet, GAP_HEADER_ROW, GAP_HEADERS)
    for index, competency in enumerate(competencies):
        row = first + index
        source = ASSESSMENT_HEADER_ROW + 1 + index
        expected_cell = f"{ASSESSMENT_SHEET}!{A_EXPECTED}{source}"
        agreed = f"{ASSESSMENT_SHEET}!{A_AGREED}{source}"
        manager = f"{ASSESSMENT_SHEET}!{A_MANAGER}{source}"
        sheet[f"{G_COMPETENCY}{row}"] = cell_text(competency.name)
        sheet[f"{G_EXPECTED}{row}"] = f'=IF({expected_cell}="","",{expected_cell})'
        sheet[f"{G_RATING}{row}"] = (
            f'=IF({G_EXPECTED}{row}="","",IF({agreed}<>"",{agreed},IF({manager}<>"",{manager},"")))'
        )
        sheet[f"{G_SOURCE}{row}"] = f'=IF({G_RATING}{row}="","",IF({agreed}<>"","Agreed","Manager"))'
        sheet[f"{G_GAP}{row}"] = f'=IF({G_RATING}{row}="","",{G_EXPECTED}{row}-{G_RATING}{row})'
        sheet[f"{G_STATUS}{row}"] = (
            f'=IF({G_EXPECTED}{row}="","",IF({G_RATING}{row}="","Not rated",'
            f'IF({G_GAP}{row}>0,"Below","Meets")))'
        )
        for column in "ABCDEF":
            cell = sheet[f"{column}{row}"]
            cell.border = _BORDER
            cell.alignment = _WRAP_TOP if column == G_COMPETENCY else _CENTER
    # Text such as "" compares greater than any number in a spreadsheet, hence ISNUMBER first.
    sheet.conditional_formatting.add(
        f"{G_COMPETENCY}{first}:{G_STATUS}{last}",
        FormulaRule(formula=[f"AND(ISNUMBER(${G_GAP}{first}),${G_GAP}{first}>0)"], fill=_BELOW_FILL),
    )
    _widths(sheet, {"A": 30, "B": 22, "C": 12, "D": 14, "E": 10, "F": 12})
    sheet.freeze_panes = f"B{first}"
    _print_setup(sheet, f"{GAP_HEADER_ROW}:{GAP_HEADER_ROW}")


def _with_fixed_timestamps(data: bytes, moment: datetime) -> bytes:
    """The same workbook with every time in it set to `moment` (naive, UTC), so equal input gives
    equal bytes."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    # A zip cannot hold a time before 1980.
    zip_time = max(_ZIP_TIME, moment.timetuple()[:6])
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _MODIFIED_ELEMENT.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(entry.filename, date_time=zip_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, content)
    return output.getvalue()
