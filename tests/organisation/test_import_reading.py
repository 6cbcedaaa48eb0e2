"""Reading an HRIS export (CSV and XLSX) and guessing its columns: pure, no database."""

from __future__ import annotations

import datetime
import io
import pickle
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook

from tests.tabular import bombs
from trellis.organisation.import_mapping import guess_mapping, mapping_problems
from trellis.organisation.import_reading import (
    MAX_COLUMNS,
    ReadingProblem,
    Row,
    Table,
    UnreadableFile,
    read_table,
)
from trellis.organisation.import_values import InvalidValue, parse_active, parse_date
from trellis.organisation.person_fields import FIELDS
from trellis.tabular import LIMIT_NAMES, CellLocation

HEADER = "Employee ID,E-mail,Full name"


def read_csv(text: str, name: str = "people.csv") -> Table:
    return read_table(text.encode(), name)


def problems_of(data: bytes, name: str = "people.csv") -> list[str]:
    with pytest.raises(UnreadableFile) as raised:
        read_table(data, name)
    return raised.value.messages


def xlsx(rows: list[list[Any]], *, hidden_first: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if hidden_first:
        sheet.title = "Lookups"
        sheet.append(["not", "this"])
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet("People")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestCsv:
    def test_utf8_with_byte_order_mark_and_semicolons(self) -> None:
        table = read_table(
            "\ufeffEmployee ID;E-mail;Full name\r\nE1;a@example.com;Ana Åberg\r\n".encode(), "x.csv"
        )
        assert table == Table(
            file_kind="csv",
            headers=("Employee ID", "E-mail", "Full name"),
            rows=(Row(2, ("E1", "a@example.com", "Ana Åberg")),),
            file="x.csv",
        )

    @pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
    def test_the_delimiter_is_sniffed(self, delimiter: str) -> None:
        text = f"Employee ID{delimiter}Title{delimiter}Team\nE1{delimiter}Engineer, backend{delimiter}Data\n"
        if delimiter == ",":
            text = text.replace("Engineer, backend", '"Engineer, backend"')
        table = read_csv(text)
        assert table.headers == ("Employee ID", "Title", "Team")
        assert table.rows[0].cells == ("E1", "Engineer, backend", "Data")

    def test_commas_inside_values_do_not_fool_the_sniffer(self) -> None:
        table = read_csv('Name;Title\n"Doe, Jane";"Engineer, data"\n"Roe, Rob";Lead\n')
        assert table.headers == ("Name", "Title")
        assert [row.cells for row in table.rows] == [("Doe, Jane", "Engineer, data"), ("Roe, Rob", "Lead")]

    def test_white_space_is_tidied_and_blank_rows_keep_the_numbering(self) -> None:
        table = read_csv(f'{HEADER}\n\n  E1 ,"a@example.com","Ana\n  Smith"\n,,\nE2,b@example.com,Bo\n')
        assert [(row.number, row.cells) for row in table.rows] == [
            (3, ("E1", "a@example.com", "Ana Smith")),
            (5, ("E2", "b@example.com", "Bo")),
        ]

    def test_formula_like_cells_are_withheld_never_kept(self) -> None:
        table = read_csv(f'{HEADER}\nE1,@evil,=HYPERLINK("x")\nE2,+1,-2\nE3,b@example.com,"\t=1+1"\n')
        assert [(row.cells, row.withheld) for row in table.rows] == [
            (("E1", "", ""), {1: "@", 2: "="}),
            (("E2", "", ""), {1: "+", 2: "-"}),
            (("E3", "b@example.com", ""), {2: "="}),
        ]
        assert "HYPERLINK" not in repr(table.to_json())

    def test_control_characters_are_withheld(self) -> None:
        table = read_csv(f"{HEADER}\nE1,a@example.com,Ana\x00\n")
        assert table.rows[0].withheld == {2: "control"}
        assert table.rows[0].cells == ("E1", "a@example.com", "")

    def test_cells_beyond_the_header_are_counted(self) -> None:
        table = read_csv(f"{HEADER}\nE1,a@example.com,Ana,extra,more\nE2,b@example.com,Bo,,\n")
        assert [(row.cells, row.extra_cells) for row in table.rows] == [
            (("E1", "a@example.com", "Ana"), 2),
            (("E2", "b@example.com", "Bo"), 0),
        ]

    def test_a_column_without_header_but_with_values_is_named_by_its_letter(self) -> None:
        table = read_csv("Employee ID,,Full name,\nE1,x,Ana,\n")
        assert table.headers == ("Employee ID", "Column B", "Full name")

    def test_round_trip_through_json(self) -> None:
        table = read_csv(f"{HEADER}\nE1,=x,Ana,extra\n")
        assert Table.from_json(table.to_json()) == table


class TestUnreadableFiles:
    def test_another_encoding_is_reported_cell_by_cell_and_not_guessed(self) -> None:
        data = f"{HEADER}\nE1,a@example.com,René\nE2,b@example.com,Bo\nE3,c@example.com,Zoë\n".encode(
            "cp1252"
        )
        assert problems_of(data) == [
            'the file is not UTF-8 text, and Trellis does not guess an encoding: save it as "CSV UTF-8" '
            "(or export UTF-8 from the HR system) and upload it again",
            'people.csv, row 2, column C ("Full name"): byte 0xE9 in "Ren\ufffd" is not UTF-8',
            'people.csv, row 4, column C ("Full name"): byte 0xEB in "Zo\ufffd" is not UTF-8',
        ]

    def test_many_bad_cells_are_summarised(self) -> None:
        data = (HEADER + "\n" + "".join(f"E{n},x@example.com,Ren\xe9\n" for n in range(15))).encode("latin-1")
        problems = problems_of(data)
        assert len(problems) == 12
        assert problems[-1] == "and 5 more cells like these"

    def test_utf16_is_read_as_the_shared_reader_reads_it(self) -> None:
        table = read_table(f"{HEADER}\nE1,a@example.com,Ana\n".encode("utf-16"), "people.csv")
        assert table.rows == (Row(2, ("E1", "a@example.com", "Ana")),)

    @pytest.mark.parametrize(
        ("data", "name", "problem"),
        [
            (b"", "x.csv", "the file is empty"),
            (b" \n\n", "x.csv", "the file is empty"),
            (b"\n,,\n", "x.csv", "the file is empty"),
            (b"\xd0\xcf\x11\xe0rest", "x.xls", "this is an Excel 97–2003 workbook (.xls) or a password-protected one: save it as an Excel workbook (.xlsx) without a password, or as CSV UTF-8"),
            (b"a,b\n1,2\n", "x.xlsx", "the file is not an XLSX workbook (an XLSX file is a zip archive): save the spreadsheet again as an Excel workbook (.xlsx)"),
            (b"PK\x03\x04broken", "x.xlsx", "the file is damaged: it starts like a zip archive (XLSX) but is not one"),
            (b"a,b\n1,2\n", "x.ods", ".ods files are not supported: save it as .xlsx or as CSV UTF-8"),
            (b"Employee ID,Email\n", "x.csv", "the file has a header row (row 1) but no rows below it"),
            (b"Email,Name,e-mail\nx,y,z\n", "x.csv", 'x.csv, row 1, column C: columns A and C are both headed "e-mail"; rename one of them'),
            (b"Name,=cmd\nx,y\n", "x.csv", "x.csv, row 1, column B: the header looks like a formula or holds a control character; rename the column"),
        ],
    )  # fmt: skip
    def test_refusals(self, data: bytes, name: str, problem: str) -> None:
        assert problems_of(data, name) == [problem]

    def test_a_zip_that_is_not_a_workbook(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("content.xml", "<x/>")
        with pytest.raises(UnreadableFile) as raised:
            read_table(buffer.getvalue(), "x.xlsx")
        assert raised.value.limit is None
        assert [problem.location for problem in raised.value.problems] == [None]


class TestXlsx:
    def test_values_become_text(self) -> None:
        data = xlsx(
            [
                ["Employee ID", "Hired on", "Active", "Level", "Ratio"],
                [1042, datetime.datetime(2022, 9, 1), True, "IC3", 0.5],
                [1043.0, datetime.date(2023, 1, 2), False, None, None],
            ]
        )
        table = read_table(data, "people.xlsx")
        assert table.file_kind == "xlsx"
        assert table.headers == ("Employee ID", "Hired on", "Active", "Level", "Ratio")
        assert [row.cells for row in table.rows] == [
            ("1042", "2022-09-01", "yes", "IC3", "0.5"),
            ("1043", "2023-01-02", "no", "", ""),
        ]

    def test_formulas_and_formula_like_text_are_withheld(self) -> None:
        data = xlsx(
            [["Employee ID", "Full name", "Title"], ["E1", '=A2&"x"', "@SUM(1)"], ["E2", "-", "Lead"]]
        )
        rows = read_table(data, "people.xlsx").rows
        assert [(row.cells, row.withheld) for row in rows] == [
            (("E1", "", ""), {1: "formula", 2: "@"}),
            (("E2", "", "Lead"), {1: "-"}),
        ]

    def test_columns_reach_as_far_as_the_values_up_to_the_column_limit(self) -> None:
        table = read_table(xlsx([["Employee ID", "Full name"], ["E1", "Ana", "note"]]), "people.xlsx")
        assert table.headers == ("Employee ID", "Full name", "Column C")
        assert [(row.cells, row.extra_cells) for row in table.rows] == [(("E1", "Ana", "note"), 0)]
        stray = read_table(xlsx([["Employee ID"], ["E1", *[""] * 120, "stray"]]), "people.xlsx")
        assert (len(stray.headers), stray.headers[-1]) == (MAX_COLUMNS, "Column CV")
        assert (set(stray.rows[0].cells[1:]), stray.rows[0].extra_cells) == ({""}, 0)

    def test_hidden_sheets_are_skipped(self) -> None:
        data = xlsx([["Employee ID"], ["E1"]], hidden_first=True)
        assert read_table(data, "people.xlsx").rows[0].cells == ("E1",)


class TestValues:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2024-03-01", datetime.date(2024, 3, 1)),
            ("2024-3-1", datetime.date(2024, 3, 1)),
            ("2024-03-01 00:00:00", datetime.date(2024, 3, 1)),
            ("2024-03-01T09:30", datetime.date(2024, 3, 1)),
            ("1 March 2024", datetime.date(2024, 3, 1)),
            ("01-Mar-2024", datetime.date(2024, 3, 1)),
            ("March 1, 2024", datetime.date(2024, 3, 1)),
        ],
    )
    def test_dates_read(self, text: str, expected: datetime.date) -> None:
        assert parse_date(text) == expected

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "03/01/2024",
                '"03/01/2024" could be day first or month first: choose the date format in the column mapping',
            ),
            ("2024-02-30", '"2024-02-30" is not a date of the calendar'),
            ("soon", '"soon" is not a date Trellis can read: write it as YYYY-MM-DD, such as 2024-03-01'),
        ],
    )
    def test_dates_refused(self, text: str, message: str) -> None:
        with pytest.raises(InvalidValue, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
            parse_date(text)

    def test_active(self) -> None:
        assert [parse_active(t) for t in ["yes", "Y", "TRUE", "1", "Active", "no", "Inactive", "terminated"]] == [
            True, True, True, True, True, False, False, False,
        ]  # fmt: skip
        with pytest.raises(InvalidValue, match='"maybe" is neither yes nor no'):
            parse_active("maybe")


class TestGuessMapping:
    def test_the_template_maps_itself(self) -> None:
        headers = [f.label for f in FIELDS]
        assert guess_mapping(headers) == {f.key: index for index, f in enumerate(FIELDS)}

    def test_a_typical_hris_export(self) -> None:
        headers = [
            "Worker ID", "Legal Name", "Work Email", "Business Title", "Department", "Job Family",
            "Job Level", "Level Start Date", "Manager Employee ID", "Hire Date", "Employment Status",
            "Cost Center", "Phone",
        ]  # fmt: skip
        assert guess_mapping(headers) == {
            "employee_id": 0,
            "full_name": 1,
            "email": 2,
            "title": 3,
            "team": 4,
            "family_id": 5,
            "track_id": None,
            "level_code": 6,
            "level_since": 7,
            "manager": 8,
            "hired_on": 9,
            "is_active": 10,
        }

    def test_typos_case_and_punctuation(self) -> None:
        mapping = guess_mapping(["EMPLOYEE_ID", "Emial", "full-name", "Reports to (ID)", "LEVEL"])
        assert {k: v for k, v in mapping.items() if v is not None} == {
            "employee_id": 0,
            "email": 1,
            "full_name": 2,
            "manager": 3,
            "level_code": 4,
        }

    def test_each_column_fills_one_field_and_the_exact_name_wins(self) -> None:
        mapping = guess_mapping(["ID", "Manager ID", "Name", "Manager"])
        assert (mapping["employee_id"], mapping["manager"], mapping["full_name"]) == (0, 1, 2)

    def test_unknown_headers_map_to_nothing(self) -> None:
        assert set(guess_mapping(["Favourite colour", "Shoe size"]).values()) == {None}


class TestMappingProblems:
    def test_a_usable_mapping(self) -> None:
        assert mapping_problems({"employee_id": 0, "email": None, "full_name": 1}, 2) == {}

    def test_a_column_used_twice(self) -> None:
        assert mapping_problems({"employee_id": 0, "full_name": 1, "title": 1}, 2) == {
            "title": "column B is already used for Full name"
        }

    def test_rows_must_be_matchable(self) -> None:
        assert mapping_problems({"employee_id": None, "email": None, "full_name": 0}, 1) == {
            None: "choose the column of the employee ID or of the e-mail address: rows are matched by them"
        }

    def test_a_column_the_file_does_not_have(self) -> None:
        assert mapping_problems({"employee_id": 5}, 2) == {"employee_id": "the file has no such column"}


class TestBombs:
    """Each bomb of `tests.tabular.bombs` is refused naming the reader's limit it crosses."""

    @pytest.mark.parametrize(
        ("name", "build", "limit"),
        [
            ("wide.xlsx", lambda: bombs.xlsx(bombs.wide_row(20_000, row=1)), "cells_per_row"),
            ("probe.xlsx", lambda: bombs.xlsx(bombs.empty_cells_row(13_000_000)), "compression_ratio"),
            (
                "strings.xlsx",
                lambda: bombs.xlsx(bombs.matrix_rows(), shared_strings=bombs.shared_strings(2_500_000)),
                "shared_strings_bytes",
            ),
            ("rows.xlsx", lambda: bombs.xlsx(bombs.many_rows(100_001)), "rows"),
            ("rows.csv", lambda: bombs.csv_many_rows(100_000), "rows"),
            ("padded.csv", lambda: bombs.csv_trailing_commas(3, 70_000), "cells_per_row"),
        ],
    )
    def test_refused_naming_the_limit(self, name: str, build: Any, limit: str) -> None:
        with pytest.raises(UnreadableFile) as raised:
            read_table(build(), name)
        assert raised.value.limit == limit
        assert raised.value.messages[0].endswith(f"(limit: {LIMIT_NAMES[limit]})")

    def test_trailing_commas_cost_nothing(self) -> None:
        table = read_table(bombs.csv_trailing_commas(2_000, 60), "padded.csv")
        assert (table.headers, len(table.rows), table.rows[0]) == (
            ("Competency", "IC1"),
            2_000,
            Row(2, ("Skill 0", "does")),
        )


def test_problems_and_locations_are_structured() -> None:
    with pytest.raises(UnreadableFile) as raised:
        read_table(b"Name,=cmd\nx,y\n", "x.csv")
    assert raised.value.problems == [
        ReadingProblem(
            "the header looks like a formula or holds a control character; rename the column",
            CellLocation("x.csv", None, 1, 2),
        )
    ]
    again = pickle.loads(pickle.dumps(raised.value))
    assert (type(again), again.problems, again.limit) == (UnreadableFile, raised.value.problems, None)
    table = read_table(xlsx([["Employee ID"], ["E1"]], hidden_first=True), "people.xlsx")
    assert table.location(2, 0) == CellLocation("people.xlsx", "People", 2, 1)
    assert str(table.location(2, 0)) == "people.xlsx, sheet People, row 2, column A"
