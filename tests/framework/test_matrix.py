"""The spreadsheet matrix: reading every variation of CSV and XLSX, errors, export and round trip."""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.framework.matrix_strategies import FAMILY_ID, FAMILY_NAME, matrix_frameworks
from tests.tabular import bombs
from trellis.cli import main
from trellis.framework.diagnostics import Diagnostic, FrameworkError, Location, Severity
from trellis.framework.matrix import (
    COMPETENCY_IDENTITY,
    DUPLICATE_COLUMN,
    EXPECTED_PROFICIENCY,
    FORMULA,
    MAX_FILE_BYTES,
    MISSING_COMPETENCY_NAME,
    NO_HEADER_ROW,
    OPTION_MISMATCH,
    UNREADABLE,
    UNREADABLE_LEVEL_COLUMN,
    export_matrix_csv,
    export_matrix_xlsx,
    import_matrix,
    import_matrix_bytes,
    inferred_proficiencies,
    read_matrix,
)
from trellis.framework.model import (
    Competency,
    Expectation,
    Family,
    Framework,
    Level,
    Track,
    TrackKind,
)
from trellis.framework.references import check_references
from trellis.framework.yaml_io import load_path

# --- helpers --------------------------------------------------------------------------------------


def read_csv(text: str, **options: Any) -> Framework:
    options.setdefault("family", "Engineering")
    return import_matrix_bytes(text.encode("utf-8"), "matrix.csv", **options)


def workbook_bytes(sheets: dict[str, list[list[Any]]], build: Any = None) -> bytes:
    """A workbook with one sheet per entry (rows of cell values); `build(workbook)` may adjust it."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if build is not None:
        build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes, **options: Any) -> Framework:
    options.setdefault("family", "Engineering")
    return import_matrix_bytes(data, "matrix.xlsx", **options)


def errors_of(data: bytes, filename: str, **options: Any) -> list[tuple[str, str, Location | None]]:
    options.setdefault("family", "Engineering")
    with pytest.raises(FrameworkError) as raised:
        import_matrix_bytes(data, filename, **options)
    return [(d.code, d.message, d.location) for d in raised.value.diagnostics]


def level(code: str, title: str | None = None) -> Level:
    return Level(code=code, name=title or code, title=title or code)


def only_family(framework: Framework) -> Family:
    assert len(framework.families) == 1
    return framework.families[0]


# --- reading CSV ----------------------------------------------------------------------------------


def test_csv_with_code_headers_becomes_one_ic_track_with_inferred_proficiency() -> None:
    framework = read_csv(
        "competency,category,description,IC1,IC2,IC3\n"
        "System design,Technical,Shapes systems,Follows designs,Designs components,Designs services\n"
        "Communication,Core,,Asks questions,Writes updates,Leads discussions\n"
    )
    assert framework.name == "Engineering"
    family = only_family(framework)
    assert family.id == "engineering"
    assert family.name == "Engineering"
    assert family.competencies == [
        Competency(
            id="system_design", name="System design", category="Technical", description="Shapes systems"
        ),
        Competency(id="communication", name="Communication", category="Core"),
    ]
    (track,) = family.tracks
    assert (track.id, track.name, track.kind) == ("ic", "Individual contributor", TrackKind.IC)
    assert track.levels == [level("IC1"), level("IC2"), level("IC3")]
    assert track.expectations == {
        "system_design": {
            "IC1": Expectation(proficiency=1, behaviour="Follows designs"),
            "IC2": Expectation(proficiency=3, behaviour="Designs components"),
            "IC3": Expectation(proficiency=5, behaviour="Designs services"),
        },
        "communication": {
            "IC1": Expectation(proficiency=1, behaviour="Asks questions"),
            "IC2": Expectation(proficiency=3, behaviour="Writes updates"),
            "IC3": Expectation(proficiency=5, behaviour="Leads discussions"),
        },
    }
    assert check_references(framework) == []


def test_bom_semicolons_crlf_title_row_stray_whitespace_and_trailing_empties() -> None:
    text = (
        "\ufeffEngineering career matrix;;;;\r\n"
        ";;;;\r\n"
        "  DESCRIPTION ;  Competency  ;M1 ;M2;;\r\n"
        "Grows people;  Coaching ;  Holds 1:1s  ;Builds a coaching culture;;\r\n"
        ";;;;;\r\n"
        ";;;;;\r\n"
    )
    framework = read_csv(text, track="Engineering management", name="Acme")
    assert framework.name == "Acme"
    family = only_family(framework)
    assert family.competencies == [Competency(id="coaching", name="Coaching", description="Grows people")]
    (track,) = family.tracks
    assert (track.id, track.name, track.kind) == (
        "engineering_management",
        "Engineering management",
        TrackKind.MANAGEMENT,
    )
    assert track.levels == [level("M1"), level("M2")]
    assert track.expectations == {
        "coaching": {
            "M1": Expectation(proficiency=1, behaviour="Holds 1:1s"),
            "M2": Expectation(proficiency=5, behaviour="Builds a coaching culture"),
        }
    }


def test_tab_separated_with_windows_line_endings_and_multiline_cells() -> None:
    text = 'Competency\tIC1\tIC2\r\nDelivery\t"Ships small\r\nchanges"\tShips projects\r\n'
    track = only_family(read_csv(text)).tracks[0]
    assert track.expectations["delivery"]["IC1"].behaviour == "Ships small\nchanges"
    assert track.expectations["delivery"]["IC2"].behaviour == "Ships projects"


def test_utf16_text_export_is_read() -> None:
    data = "Competency\tIC1\tIC2\r\nÉcoute\tÉcoute\tMène\r\n".encode("utf-16")
    family = only_family(import_matrix_bytes(data, "matrix.txt", family="Support"))
    assert family.competencies == [Competency(id="ecoute", name="Écoute")]
    assert family.tracks[0].expectations["ecoute"]["IC2"].behaviour == "Mène"


def test_level_n_headers_become_l_codes_with_titles() -> None:
    text = 'Competency,Level 1,"Level 2\nMid",Level 3 - Senior,4\nDelivery,a,b,c,d\n'
    track = only_family(read_csv(text)).tracks[0]
    assert track.levels == [
        level("L1", "Level 1"),
        level("L2", "Mid"),
        level("L3", "Senior"),
        level("L4", "Level 4"),
    ]
    assert [e.proficiency for e in track.expectations["delivery"].values()] == [1, 2, 4, 5]


def test_title_headers_get_codes_from_the_track_initials_and_position() -> None:
    text = 'Competency,Junior Engineer,"Senior\nEngineer",Staff Engineer\nDelivery,a,b,c\n'
    track = only_family(read_csv(text)).tracks[0]
    assert track.levels == [
        level("IC1", "Junior Engineer"),
        level("IC2", "Senior Engineer"),
        level("IC3", "Staff Engineer"),
    ]


def test_code_headers_with_inline_titles() -> None:
    text = 'Competency,"IC1\nEngineer",IC2: Senior,IC3 (Staff),P4 | Principal,Senior-5 Distinguished\nX,a,b,c,d,e\n'
    track = only_family(read_csv(text)).tracks[0]
    assert track.levels == [
        level("IC1", "Engineer"),
        level("IC2", "Senior"),
        level("IC3", "Staff"),
        level("P4", "Principal"),
        level("Senior-5", "Distinguished"),
    ]


def test_blank_cells_are_expectations_without_behaviour() -> None:
    track = only_family(read_csv("Competency,IC1,IC2,IC3\nDelivery,,Ships projects,\n")).tracks[0]
    assert track.expectations["delivery"] == {
        "IC1": Expectation(proficiency=1, behaviour=""),
        "IC2": Expectation(proficiency=3, behaviour="Ships projects"),
        "IC3": Expectation(proficiency=5, behaviour=""),
    }


def test_formula_like_text_in_csv_is_text_and_one_neutralising_apostrophe_is_removed() -> None:
    text = "Competency,IC1,IC2,IC3,IC4\n=Delivery,=SUM(A1),'=HYPERLINK(x),'tis so,'-1\n"
    family = only_family(read_csv(text))
    assert family.competencies[0].name == "=Delivery"
    assert {code: e.behaviour for code, e in family.tracks[0].expectations["delivery"].items()} == {
        "IC1": "=SUM(A1)",
        "IC2": "=HYPERLINK(x)",
        "IC3": "'tis so",
        "IC4": "-1",
    }


def test_competency_ids_are_unique_slugs() -> None:
    text = "Competency,IC1\nSystem design,a\nSystem-design!,b\n360° feedback,c\nКоммуникация,d\n"
    family = only_family(read_csv(text))
    assert [(c.id, c.name) for c in family.competencies] == [
        ("system_design", "System design"),
        ("system_design_2", "System-design!"),
        ("competency_360_feedback", "360° feedback"),
        ("competency", "Коммуникация"),
    ]


def test_id_column_gives_the_competency_ids() -> None:
    text = "Competency,ID,IC1\nSystem design,sysdesign,a\nDelivery,,b\n"
    family = only_family(read_csv(text))
    assert [c.id for c in family.competencies] == ["sysdesign", "delivery"]


def test_numbering_column_without_letters_is_ignored() -> None:
    track = only_family(read_csv("#,Competency,IC1\n1,Delivery,a\n2,Ownership,b\n")).tracks[0]
    assert track.levels == [level("IC1")]
    assert list(track.expectations) == ["delivery", "ownership"]


# --- CSV errors -----------------------------------------------------------------------------------


def test_empty_file() -> None:
    assert errors_of(b"\xef\xbb\xbf \r\n", "matrix.csv") == [
        (UNREADABLE, "the file is empty", Location("matrix.csv", 1, 1))
    ]


def test_non_utf8_csv_is_located_at_its_cell() -> None:
    data = b"Competency,IC1,IC2\nDelivery,Ships,Caf" + b"\xe9 talk\n"
    assert errors_of(data, "matrix.csv") == [
        (UNREADABLE, "cell C2 is not valid UTF-8 (byte 0xe9)", Location("matrix.csv", 2, 3))
    ]


def test_no_header_row() -> None:
    assert errors_of(b"Skill,IC1\nDelivery,a\n", "matrix.csv") == [
        (
            NO_HEADER_ROW,
            'the file has no header row: none of its first 10 rows has a "competency" cell',
            Location("matrix.csv", 1, 1),
        )
    ]


def test_header_row_below_the_tenth_row_is_not_found() -> None:
    data = b"\n" * 10 + b"Competency,IC1\nDelivery,a\n"
    assert [code for code, _, _ in errors_of(data, "matrix.csv")] == [NO_HEADER_ROW]


def test_duplicate_level_headers() -> None:
    assert errors_of(b"Competency,IC1,IC2,IC1\nDelivery,a,b,c\n", "matrix.csv") == [
        (
            DUPLICATE_COLUMN,
            'cell D1 heads level "IC1" a second time (first in B1)',
            Location("matrix.csv", 1, 4),
        )
    ]


def test_duplicate_category_column() -> None:
    assert errors_of(b"Competency,Category,IC1,category\nDelivery,a,b,c\n", "matrix.csv") == [
        (
            DUPLICATE_COLUMN,
            'cell D1 is a second "category" column (the first is column B)',
            Location("matrix.csv", 1, 4),
        )
    ]


def test_row_with_text_but_no_competency_name() -> None:
    data = b"Competency,Description,IC1\nDelivery,Ships,a\n,Orphan description,\n"
    assert errors_of(data, "matrix.csv") == [
        (
            MISSING_COMPETENCY_NAME,
            "cell A3 is empty, but row 3 holds text (in B3)",
            Location("matrix.csv", 3, 1),
        )
    ]


def test_column_with_text_but_no_header() -> None:
    data = b"Competency,IC1,\nDelivery,a,stray note\n"
    assert errors_of(data, "matrix.csv") == [
        (
            UNREADABLE_LEVEL_COLUMN,
            "cell C2 holds text, but column C has no header (its header cell is empty)",
            Location("matrix.csv", 2, 3),
        )
    ]


def test_header_without_levels() -> None:
    assert errors_of(b"Competency,Description\nDelivery,Ships\n", "matrix.csv") == [
        (
            UNREADABLE_LEVEL_COLUMN,
            "cell A1 starts a header row that names no level",
            Location("matrix.csv", 1, 1),
        )
    ]


def test_same_competency_twice_on_a_sheet() -> None:
    data = b"Competency,IC1\nDelivery,a\nOwnership,b\nDelivery,c\n"
    assert errors_of(data, "matrix.csv") == [
        (
            COMPETENCY_IDENTITY,
            'cell A4 repeats competency "Delivery" (first in row 2)',
            Location("matrix.csv", 4, 1),
        )
    ]


def test_invalid_competency_id() -> None:
    data = b"Competency,ID,IC1\nDelivery,Ship It,a\n"
    assert errors_of(data, "matrix.csv") == [
        (
            COMPETENCY_IDENTITY,
            'cell B2 holds "Ship It", which is not a valid competency id',
            Location("matrix.csv", 2, 2),
        )
    ]


def test_several_errors_are_reported_together() -> None:
    data = b"Competency,IC1,IC1\n,a,b\n"
    assert [(code, location) for code, _, location in errors_of(data, "matrix.csv")] == [
        (DUPLICATE_COLUMN, Location("matrix.csv", 1, 3)),
        (MISSING_COMPETENCY_NAME, Location("matrix.csv", 2, 1)),
    ]


def test_empty_family_name() -> None:
    assert errors_of(b"Competency,IC1\nA,b\n", "matrix.csv", family="  ") == [
        (OPTION_MISMATCH, "the family name is empty", Location("matrix.csv", 1, 1))
    ]


# --- reading XLSX ---------------------------------------------------------------------------------


def test_workbook_with_ic_and_management_sheets() -> None:
    data = workbook_bytes(
        {
            "About": [["This workbook describes engineering levels."]],
            "IC": [
                ["Competency", "Category", "IC1", "IC2"],
                ["Delivery", "Execution", "Ships changes", "Ships projects"],
                ["Communication", "Core", "Writes updates", 42],
            ],
            "Engineering management": [
                ["Competency", "M1", "M2"],
                ["Communication", "Runs team meetings", "Aligns teams"],
                ["Coaching", "Holds 1:1s", "Coaches managers"],
            ],
            "Lookups": [["Competency", "Hidden"]],
        },
        build=lambda workbook: setattr(workbook["Lookups"], "sheet_state", "hidden"),
    )
    family = only_family(read_xlsx(data))
    assert family.competencies == [
        Competency(id="delivery", name="Delivery", category="Execution"),
        Competency(id="communication", name="Communication", category="Core"),
        Competency(id="coaching", name="Coaching"),
    ]
    assert [(t.id, t.name, t.kind) for t in family.tracks] == [
        ("ic", "IC", TrackKind.IC),
        ("engineering_management", "Engineering management", TrackKind.MANAGEMENT),
    ]
    ic, management = family.tracks
    assert ic.expectations["communication"]["IC2"] == Expectation(proficiency=5, behaviour="42")
    assert list(management.expectations) == ["communication", "coaching"]
    assert management.expectations["coaching"]["M1"] == Expectation(proficiency=1, behaviour="Holds 1:1s")


def test_several_non_management_sheets_are_named_tracks_and_level_n_gets_track_prefixes() -> None:
    rows = [["Competency", "Level 1", "Level 2"], ["Discovery", "a", "b"]]
    data = workbook_bytes({"Relationship": rows, "Strategy": rows, "Sales": rows, "Management": rows})
    family = only_family(read_xlsx(data, family="Customer success"))
    assert family.id == "customer_success"
    assert [(t.id, t.kind, [lv.code for lv in t.levels]) for t in family.tracks] == [
        ("relationship", TrackKind.NAMED, ["R1", "R2"]),
        ("strategy", TrackKind.NAMED, ["S1", "S2"]),
        ("sales", TrackKind.NAMED, ["SA1", "SA2"]),
        ("management", TrackKind.MANAGEMENT, ["M1", "M2"]),
    ]
    assert [lv.title for lv in family.tracks[0].levels] == ["Level 1", "Level 2"]
    assert check_references(read_xlsx(data)) == []


def test_single_sheet_takes_the_track_option_as_its_name() -> None:
    data = workbook_bytes({"Sheet1": [["Competency", "IC1"], ["Delivery", "a"]]})
    (track,) = only_family(read_xlsx(data, track="Individual contributor")).tracks
    assert (track.id, track.name, track.kind) == ("ic", "Individual contributor", TrackKind.IC)


def test_merged_title_row_two_row_header_and_merged_data_cells() -> None:
    def merge(workbook: Any) -> None:
        sheet = workbook["IC"]
        sheet.merge_cells("A1:D1")  # the title row above the header
        sheet.merge_cells("A2:A3")  # "Competency" spans both header rows
        sheet.merge_cells("B2:B3")  # so does "Category"
        sheet.merge_cells("B4:B5")  # one category for two competencies
        sheet.merge_cells("C5:D5")  # one behaviour for two levels

    data = workbook_bytes(
        {
            "IC": [
                ["Engineering matrix", None, None, None],
                ["Competency", "Category", "Level 1", "Level 2"],
                [None, None, "Junior", "Senior"],
                ["Delivery", "Execution", "Ships changes", "Ships projects"],
                ["Ownership", None, "Owns outcomes", None],
            ]
        },
        build=merge,
    )
    family = only_family(read_xlsx(data))
    assert family.competencies == [
        Competency(id="delivery", name="Delivery", category="Execution"),
        Competency(id="ownership", name="Ownership", category="Execution"),
    ]
    track = family.tracks[0]
    assert track.levels == [level("L1", "Junior"), level("L2", "Senior")]
    assert track.expectations["ownership"] == {
        "L1": Expectation(proficiency=1, behaviour="Owns outcomes"),
        "L2": Expectation(proficiency=5, behaviour="Owns outcomes"),
    }


def test_multiline_header_cells_in_xlsx() -> None:
    data = workbook_bytes({"IC": [["Competency", "Level 3\nSenior", "IC4\r\nStaff"], ["Delivery", "a", "b"]]})
    assert only_family(read_xlsx(data)).tracks[0].levels == [level("L3", "Senior"), level("IC4", "Staff")]


def test_expected_proficiency_sheet_gives_exact_values() -> None:
    data = workbook_bytes(
        {
            "IC": [
                ["Competency", "IC1", "IC2", "IC3"],
                ["Delivery", "a", None, "c"],
                ["Ownership", "d", "e", "f"],
            ],
            "Expected proficiency": [
                ["Track", "Competency", "Level", "Proficiency"],
                ["IC", "delivery", "IC1", 2],
                ["ic", "Delivery", "IC2", "3"],
                ["IC", "ownership", "IC3", 4.0],
            ],
        }
    )
    track = only_family(read_xlsx(data)).tracks[0]
    assert track.expectations == {
        "delivery": {
            "IC1": Expectation(proficiency=2, behaviour="a"),
            "IC2": Expectation(proficiency=3, behaviour=""),
            "IC3": Expectation(proficiency=5, behaviour="c"),
        },
        "ownership": {
            "IC1": Expectation(proficiency=1, behaviour="d"),
            "IC2": Expectation(proficiency=3, behaviour="e"),
            "IC3": Expectation(proficiency=4, behaviour="f"),
        },
    }


def test_with_a_proficiency_sheet_an_unlisted_blank_cell_is_no_expectation() -> None:
    data = workbook_bytes(
        {
            "IC": [["Competency", "IC1", "IC2"], ["Delivery", None, "b"]],
            "Expected proficiency": [["Track", "Competency", "Level", "Proficiency"]],
        }
    )
    track = only_family(read_xlsx(data)).tracks[0]
    assert track.expectations == {"delivery": {"IC2": Expectation(proficiency=5, behaviour="b")}}


def test_category_that_differs_between_sheets_is_a_warning_and_the_first_is_kept() -> None:
    data = workbook_bytes(
        {
            "IC": [["Competency", "Category", "IC1"], ["Delivery", "Execution", "a"]],
            "Management": [["Competency", "Category", "M1"], ["Delivery", "Leadership", "b"]],
        }
    )
    result = read_matrix(data, "matrix.xlsx", family="Engineering")
    assert result.framework is not None
    assert only_family(result.framework).competencies[0].category == "Execution"
    assert result.diagnostics == [
        Diagnostic(
            COMPETENCY_IDENTITY,
            Severity.WARNING,
            'sheet Management, cell B2 gives "Delivery" a different category than sheet IC, cell A2; '
            "the first one is kept",
            location=Location("matrix.xlsx", 2, 2, sheet="Management"),
        )
    ]


# --- XLSX errors ----------------------------------------------------------------------------------


def test_formula_cell_is_an_error_located_by_sheet_and_cell() -> None:
    data = workbook_bytes({"IC": [["Competency", "IC1", "IC2"], ["Delivery", "a", '=B2&" more"']]})
    assert errors_of(data, "matrix.xlsx") == [
        (
            FORMULA,
            'sheet IC, cell C2 holds a formula (=B2&" more")',
            Location("matrix.xlsx", 2, 3, sheet="IC"),
        )
    ]


def test_workbook_with_a_damaged_sheet() -> None:
    original = zipfile.ZipFile(io.BytesIO(workbook_bytes({"IC": [["Competency", "IC1"], ["Delivery", "a"]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for name in original.namelist():
            content = (
                b"<worksheet><sheetData><row" if name == "xl/worksheets/sheet1.xml" else original.read(name)
            )
            damaged.writestr(name, content)
    assert errors_of(buffer.getvalue(), "matrix.xlsx") == [
        (UNREADABLE, "the workbook is damaged and cannot be read (ParseError)", Location("matrix.xlsx", 1, 1))
    ]


def test_truncated_zip_is_reported_as_damaged() -> None:
    data = workbook_bytes({"IC": [["Competency", "IC1"], ["Delivery", "a"]]})
    assert errors_of(data[:200], "upload.xlsx") == [
        (
            UNREADABLE,
            "the file is damaged: it starts like a zip archive (XLSX) but is not one",
            Location("upload.xlsx", 1, 1),
        )
    ]


def test_xlsx_name_without_xlsx_content() -> None:
    assert errors_of(b"Competency,IC1\n", "matrix.xlsx") == [
        (
            UNREADABLE,
            "the file is not an XLSX workbook (an XLSX file is a zip archive)",
            Location("matrix.xlsx", 1, 1),
        )
    ]


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    assert errors_of(buffer.getvalue(), "matrix.xlsx") == [
        (UNREADABLE, "the file is a zip archive but not an XLSX workbook", Location("matrix.xlsx", 1, 1))
    ]


def test_old_xls_workbook() -> None:
    assert errors_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "matrix.xls") == [
        (
            UNREADABLE,
            "this is an Excel 97–2003 workbook (.xls) or a password-protected one",
            Location("matrix.xls", 1, 1),
        )
    ]


def test_workbook_without_track_sheets() -> None:
    data = workbook_bytes({"About": [["notes"]]})
    assert errors_of(data, "matrix.xlsx") == [
        (
            UNREADABLE,
            "the workbook has no track sheet (About, README, Instructions, Expected proficiency and "
            "hidden sheets are not tracks)",
            Location("matrix.xlsx", 1, 1),
        )
    ]


def test_sheet_without_header_row_is_named() -> None:
    data = workbook_bytes({"IC": [["Competency", "IC1"], ["A", "b"]], "Summary": [["Totals"]]})
    assert errors_of(data, "matrix.xlsx") == [
        (
            NO_HEADER_ROW,
            'sheet Summary has no header row: none of its first 10 rows has a "competency" cell',
            Location("matrix.xlsx", 1, 1, sheet="Summary"),
        )
    ]


def test_header_merged_across_a_level_column_with_text() -> None:
    data = workbook_bytes(
        {"IC": [["Competency", "IC1", None], ["Delivery", "a", "b"]]},
        build=lambda workbook: workbook["IC"].merge_cells("B1:C1"),
    )
    assert errors_of(data, "matrix.xlsx") == [
        (
            UNREADABLE_LEVEL_COLUMN,
            "sheet IC, cell C2 holds text, but column C has no header (its header cell is merged into B1)",
            Location("matrix.xlsx", 2, 3, sheet="IC"),
        )
    ]


def test_level_code_on_two_sheets() -> None:
    data = workbook_bytes(
        {
            "IC": [["Competency", "L1", "L2"], ["A", "b", "c"]],
            "Management": [["Competency", "M1", "L2"], ["A", "b", "c"]],
        }
    )
    assert errors_of(data, "matrix.xlsx") == [
        (
            DUPLICATE_COLUMN,
            'sheet Management, cell C1 heads level "L2", which sheet IC, cell C1 already heads; '
            "a level code names one level in the family",
            Location("matrix.xlsx", 1, 3, sheet="Management"),
        )
    ]


def test_one_id_with_two_names() -> None:
    data = workbook_bytes(
        {
            "IC": [["Competency", "ID", "IC1"], ["Delivery", "delivery", "a"]],
            "Management": [["Competency", "ID", "M1"], ["Shipping", "delivery", "b"]],
        }
    )
    assert errors_of(data, "matrix.xlsx") == [
        (
            COMPETENCY_IDENTITY,
            'sheet Management, cell A2 names competency "delivery" "Shipping", but sheet IC, cell A2 names it '
            '"Delivery"',
            Location("matrix.xlsx", 2, 1, sheet="Management"),
        )
    ]


def test_track_option_with_several_sheets() -> None:
    rows = [["Competency", "Level 1"], ["A", "b"]]
    data = workbook_bytes({"IC": rows, "Management": rows})
    assert errors_of(data, "matrix.xlsx", track="Engineering") == [
        (
            OPTION_MISMATCH,
            "--track names one track, but the workbook has 2 track sheets (IC, Management)",
            Location("matrix.xlsx", 1, 1),
        )
    ]


def test_expected_proficiency_errors() -> None:
    data = workbook_bytes(
        {
            "IC": [["Competency", "IC1", "IC2"], ["Delivery", "a", "b"]],
            "Expected proficiency": [
                ["Track", "Competency", "Level", "Proficiency"],
                ["Management", "delivery", "IC1", 2],
                ["IC", "Deliveyr", "IC1", 2],
                ["IC", "delivery", "IC9", 2],
                ["IC", "delivery", "IC1", "high"],
                ["IC", "delivery", "IC2", None],
                ["IC", "delivery", "IC1", 3],
                ["IC", "delivery", "IC1", 4],
            ],
        }
    )
    sheet = "Expected proficiency"
    assert errors_of(data, "matrix.xlsx") == [
        (
            EXPECTED_PROFICIENCY,
            'sheet Expected proficiency, cell A2 names track "Management", which has no sheet',
            Location("matrix.xlsx", 2, 1, sheet=sheet),
        ),
        (
            EXPECTED_PROFICIENCY,
            'sheet Expected proficiency, cell B3 names competency "Deliveyr", which sheet IC does not have',
            Location("matrix.xlsx", 3, 2, sheet=sheet),
        ),
        (
            EXPECTED_PROFICIENCY,
            'sheet Expected proficiency, cell C4 names level "IC9", which sheet IC does not have',
            Location("matrix.xlsx", 4, 3, sheet=sheet),
        ),
        (
            EXPECTED_PROFICIENCY,
            'sheet Expected proficiency, cell D5 holds "high", which is not a whole number',
            Location("matrix.xlsx", 5, 4, sheet=sheet),
        ),
        (
            EXPECTED_PROFICIENCY,
            "sheet Expected proficiency, cell D6 is empty; the row needs a proficiency",
            Location("matrix.xlsx", 6, 4, sheet=sheet),
        ),
        (
            EXPECTED_PROFICIENCY,
            "sheet Expected proficiency, cell A8 repeats the proficiency of delivery at IC1 (first in row 7)",
            Location("matrix.xlsx", 8, 1, sheet=sheet),
        ),
    ]


def test_expected_proficiency_sheet_without_its_header() -> None:
    data = workbook_bytes(
        {
            "IC": [["Competency", "IC1"], ["A", "b"]],
            "Expected proficiency": [["Track", "Level"], ["IC", "IC1"]],
        }
    )
    assert errors_of(data, "matrix.xlsx") == [
        (
            EXPECTED_PROFICIENCY,
            "sheet Expected proficiency has no header row with the columns track, competency, level and proficiency",
            Location("matrix.xlsx", 1, 1, sheet="Expected proficiency"),
        )
    ]


# --- import from a path ---------------------------------------------------------------------------


def test_import_matrix_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv"
    path.write_bytes(b"Competency,IC1\nDelivery,Ships\n")
    assert only_family(import_matrix(path, family="Engineering")).tracks[0].expectations == {
        "delivery": {"IC1": Expectation(proficiency=3, behaviour="Ships")}
    }


def test_import_matrix_reports_an_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as raised:
        import_matrix(tmp_path, family="Engineering")
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.code, diagnostic.location) == (UNREADABLE, Location(str(tmp_path), 1, 1))
    assert diagnostic.message.startswith("cannot read file: ")


# --- inference ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, [3]),
        (2, [1, 5]),
        (3, [1, 3, 5]),
        (4, [1, 2, 4, 5]),
        (5, [1, 2, 3, 4, 5]),
        (6, [1, 2, 3, 3, 4, 5]),
        (7, [1, 2, 2, 3, 4, 4, 5]),
    ],
)
def test_inferred_proficiencies_spread_levels_over_the_scale(count: int, expected: list[int]) -> None:
    assert inferred_proficiencies(count) == expected


# --- export ---------------------------------------------------------------------------------------


def tricky_framework() -> Framework:
    track = Track(
        id="ic",
        name="Individual contributor",
        levels=[level("IC1"), level("IC2", "Senior Engineer")],
        expectations={
            "delivery": {
                "IC1": Expectation(proficiency=2, behaviour="=1+1"),
                "IC2": Expectation(proficiency=4, behaviour='- Ships, "well"\n- Often'),
            }
        },
    )
    family = Family(
        id="engineering",
        name="Engineering",
        competencies=[Competency(id="delivery", name="@Delivery", category="'Core", description="+ships")],
        tracks=[track],
    )
    return Framework(name="Acme", families=[family])


def test_export_xlsx_neutralises_formula_triggers_and_adds_the_proficiency_sheet() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(export_matrix_xlsx(tricky_framework(), "engineering")))
    assert workbook.sheetnames == ["Individual contributor", "Expected proficiency", "About"]
    sheet = workbook["Individual contributor"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Competency", "ID", "Category", "Description", "IC1", "IC2\nSenior Engineer"],
        ["'@Delivery", "delivery", "''Core", "'+ships", "'=1+1", '\'- Ships, "well"\n- Often'],
    ]
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} == {"s"}
    assert [[cell.value for cell in row] for row in workbook["Expected proficiency"].iter_rows()] == [
        ["Track", "Competency", "Level", "Proficiency"],
        ["Individual contributor", "delivery", "IC1", 2],
        ["Individual contributor", "delivery", "IC2", 4],
    ]


def test_export_xlsx_round_trips_the_tricky_framework() -> None:
    framework = tricky_framework()
    again = read_xlsx(export_matrix_xlsx(framework, "engineering"))
    assert only_family(again) == only_family(framework)


def test_export_csv_text() -> None:
    text = export_matrix_csv(tricky_framework(), "engineering", "ic")
    assert text == (
        '\ufeffCompetency,ID,Category,Description,IC1,"IC2\nSenior Engineer"\r\n'
        "'@Delivery,delivery,''Core,'+ships,'=1+1,\"'- Ships, \"\"well\"\"\n- Often\"\r\n"
    )
    again = only_family(import_matrix_bytes(text.encode("utf-8"), "m.csv", family="Engineering"))
    assert again.competencies == only_family(tricky_framework()).competencies
    assert again.tracks[0].expectations["delivery"] == {
        "IC1": Expectation(proficiency=1, behaviour="=1+1"),
        "IC2": Expectation(proficiency=5, behaviour='- Ships, "well"\n- Often'),
    }


def test_export_sheet_names_are_made_valid_and_distinct() -> None:
    tracks = [
        Track(id="a", name="Design / UX: [core]", levels=[level("A1")]),
        Track(id="b", name="About", levels=[level("B1")]),
        Track(id="c", name="x" * 40, levels=[level("C1")]),
        Track(id="d", name="X" * 40, levels=[level("D1")]),
    ]
    framework = Framework(name="Acme", families=[Family(id="design", name="Design", tracks=tracks)])
    workbook = openpyxl.load_workbook(io.BytesIO(export_matrix_xlsx(framework, "design")))
    assert workbook.sheetnames == [
        "Design - UX- -core-",
        "About track",
        "x" * 31,
        "X" * 27 + " (2)",
        "Expected proficiency",
        "About",
    ]


def test_export_unknown_family_or_track() -> None:
    with pytest.raises(ValueError, match='the framework has no family "sales"'):
        export_matrix_xlsx(tricky_framework(), "sales")
    with pytest.raises(ValueError, match='family "engineering" has no track "management"'):
        export_matrix_csv(tricky_framework(), "engineering", "management")


# --- properties -----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrix_frameworks())
def test_xlsx_round_trip_is_lossless(framework: Framework) -> None:
    """export_matrix_xlsx → import_matrix_bytes gives back the same family.

    A matrix carries: the family's competencies (id from the ID column, name, category,
    description), in the order they first appear on the sheets; each track's name (its sheet
    name), from which its id (``ic`` for "Individual contributor", else the name's slug) and its
    kind (management when the name mentions "manag"; ic for the only other track or the one named
    Individual contributor; named otherwise) follow; each level's code and title (its name comes
    back equal to the title); per competency and level, the behaviour and — through the Expected
    proficiency sheet — the proficiency, and which levels assess the competency at all.
    Everything else takes its default and is generated as the default: the family's description,
    core competencies and overrides, promotion criteria and lateral paths; the competencies' track
    limits; the tracks' descriptions and crossovers; the levels' summaries, title variants, grades,
    bands and minimum time; the rating scale (1–5).
    """
    data = export_matrix_xlsx(framework, FAMILY_ID)
    again = import_matrix_bytes(data, "export.xlsx", family=FAMILY_NAME)
    original, imported = only_family(framework), only_family(again)
    assert imported.competencies == original.competencies
    assert [(t.id, t.name, t.kind) for t in imported.tracks] == [
        (t.id, t.name, t.kind) for t in original.tracks
    ]
    for imported_track, original_track in zip(imported.tracks, original.tracks, strict=True):
        assert imported_track.levels == original_track.levels
        assert list(imported_track.expectations) == list(original_track.expectations)
        assert imported_track.expectations == original_track.expectations
    assert imported == original
    assert again == framework
    assert check_references(again) == []


@functools.cache
def _seed_workbook() -> bytes:
    # Computed once: an export carries its creation time, and Hypothesis needs the same seed bytes
    # on every call to replay and shrink an example.
    return export_matrix_xlsx(tricky_framework(), "engineering")


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    data = bytearray(_seed_workbook())
    for _ in range(draw(st.integers(1, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


_CELLS = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        ["competency", "Competency", "ID", "category", "IC1", "Level 2", "3", "Senior", "bad id", "x"]
    ),
)


@st.composite
def csv_texts(draw: st.DrawFn) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from(",;\t")))
    writer.writerows(draw(st.lists(st.lists(_CELLS, max_size=6), max_size=8)))
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=200),
        st.binary(max_size=100).map(lambda data: b"PK\x03\x04" + data),
        damaged_workbooks(),
        csv_texts(),
    ),
    st.sampled_from(["upload.csv", "upload.xlsx"]),
)
def test_any_bytes_give_a_framework_or_located_diagnostics(data: bytes, filename: str) -> None:
    try:
        framework = import_matrix_bytes(data, filename, family="Engineering")
    except FrameworkError as error:
        assert error.diagnostics
        assert all(d.location is not None for d in error.diagnostics)
        assert all(d.severity is Severity.ERROR for d in error.diagnostics)
    else:
        assert check_references(framework) == []


# --- the command line -----------------------------------------------------------------------------


def test_cli_import_matrix_writes_a_framework_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "matrix.xlsx"
    source.write_bytes(export_matrix_xlsx(tricky_framework(), "engineering"))
    output = tmp_path / "framework.yaml"
    assert (
        main(["import-matrix", str(source), "--family", "Engineering", "--name", "Acme", "-o", str(output)])
        == 0
    )
    assert capsys.readouterr().err == ""
    loaded = load_path(output)
    assert loaded == tricky_framework()


def test_cli_import_matrix_reports_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "matrix.csv"
    source.write_bytes(b"Competency,IC1,IC1\nDelivery,a,b\n")
    output = tmp_path / "framework.yaml"
    assert main(["import-matrix", str(source), "--family", "Engineering", "-o", str(output)]) == 1
    assert capsys.readouterr().err == (
        f'{source}:1:3: TRL304 error: cell C1 heads level "IC1" a second time (first in B1) '
        "(give each level one column with its own code)\n"
    )
    assert not output.exists()


# --- bounded uploads: each bomb is refused naming its limit, and nothing is read ----------------


def refused_by_limit(data: bytes, filename: str) -> tuple[str, Location | None]:
    result = read_matrix(data, filename, family="Engineering")
    assert result.framework is None
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == UNREADABLE
    return diagnostic.message, diagnostic.location


def test_matrix_refuses_a_wide_row() -> None:
    data = bombs.xlsx([*bombs.matrix_rows(), *bombs.wide_row(100_000, row=5)], sheet="IC")
    assert refused_by_limit(data, "wide.xlsx") == (
        "more than 16,384 cells in row 5 (limit: cells per row)",
        Location("wide.xlsx", 5, 1, sheet="IC"),
    )


def test_matrix_refuses_the_probe_wide_row_by_its_compression_ratio() -> None:
    data = bombs.xlsx(bombs.empty_cells_row(13_000_000), sheet="IC")
    assert refused_by_limit(data, "probe.xlsx") == (
        "part xl/worksheets/sheet1.xml expands more than 100 times (limit: compression ratio)",
        Location("probe.xlsx", 1, 1),
    )


def test_matrix_refuses_a_shared_strings_bomb() -> None:
    data = bombs.xlsx(bombs.matrix_rows(), sheet="IC", shared_strings=bombs.shared_strings(2_500_000))
    assert refused_by_limit(data, "strings.xlsx") == (
        "the workbook's shared strings are larger than 32 MB (limit: shared strings bytes)",
        Location("strings.xlsx", 1, 1),
    )


def test_matrix_refuses_many_rows() -> None:
    data = bombs.xlsx([*bombs.matrix_rows(), *bombs.many_rows(5_000, first=4)], sheet="IC")
    assert refused_by_limit(data, "rows.xlsx") == (
        "sheet IC has more than 5,000 rows (limit: rows)",
        Location("rows.xlsx", 5_001, 1, sheet="IC"),
    )
    assert refused_by_limit(bombs.csv_many_rows(5_000), "rows.csv") == (
        "the file has more than 5,000 rows (limit: rows)",
        Location("rows.csv", 5_001, 1),
    )


def test_matrix_reads_trailing_commas_in_linear_time_and_refuses_too_many() -> None:
    framework = import_matrix_bytes(bombs.csv_trailing_commas(2_000, 60), "padded.csv", family="Engineering")
    assert len(only_family(framework).competencies) == 2_000
    assert refused_by_limit(bombs.csv_trailing_commas(3, 70_000), "padded.csv") == (
        "more than 16,384 cells in row 1 (limit: cells per row)",
        Location("padded.csv", 1, 1),
    )


def test_matrix_refuses_a_file_over_the_size_limit() -> None:
    assert refused_by_limit(b"Competency,IC1\n" + b"x" * MAX_FILE_BYTES, "big.csv") == (
        "the file is larger than 20 MB (limit: file bytes)",
        Location("big.csv", 1, 1),
    )
