"""Planning an import row by row: matching, changes, every reason to reject a row, reporting lines
(unknown managers, circles within the file and with the people already there), and rows that fall
with the row of their manager. Pure: the people already there are plain data."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from trellis.framework.model import Framework
from trellis.framework.templates import starter
from trellis.organisation.import_mapping import ColumnMapping, guess_mapping
from trellis.organisation.import_plan import ExistingPerson, ImportPlan, Outcome
from trellis.organisation.import_planning import plan_import
from trellis.organisation.import_reading import read_table
from trellis.organisation.person_fields import FIELDS

TODAY = datetime.date(2026, 1, 15)
SINCE = datetime.date(2024, 3, 1)
HIRED = datetime.date(2022, 9, 1)
HEADER = "Employee ID,E-mail,Full name,Job title,Team,Job family,Track,Level,At this level since,Manager,Hired on,Active"


@pytest.fixture(scope="module")
def framework() -> Framework:
    return starter(["engineering", "product", "marketing"], "growth")


def person(
    pk: int, employee_id: str, name: str, level: str, manager: int | None, **fields: object
) -> ExistingPerson:
    values: dict[str, object] = {
        "pk": pk,
        "employee_id": employee_id,
        "email": f"{name.split()[0].lower()}@example.com",
        "full_name": name,
        "title": "",
        "team": "Platform",
        "family_id": "engineering",
        "track_id": "management" if level.startswith("M") else "ic",
        "level_code": level,
        "level_since": SINCE,
        "manager_pk": manager,
        "hired_on": HIRED,
        "is_active": True,
    }
    values.update(fields)
    return ExistingPerson(**values)  # type: ignore[arg-type]


#: Sara (M2) ← Mo (M1) ← Emi (IC2); Fay left (inactive), reported to Mo.
PEOPLE = [
    person(1, "E001", "Sara Skip", "M2", None),
    person(2, "E002", "Mo Manager", "M1", 1),
    person(3, "E003", "Emi Employee", "IC2", 2),
    person(4, "E004", "Fay Former", "IC3", 2, is_active=False),
]


def plan(
    framework: Framework, body: str, *, header: str = HEADER, mapping: ColumnMapping | None = None
) -> ImportPlan:
    table = read_table(f"{header}\n{body}".encode(), "people.csv")
    return plan_import(
        table,
        mapping if mapping is not None else guess_mapping(table.headers),
        framework=framework,
        people=PEOPLE,
        teams=["Platform"],
        today=TODAY,
    )


def outcomes(result: ImportPlan) -> list[tuple[int, str]]:
    return [(row.number, str(row.outcome)) for row in result.rows]


def problems(result: ImportPlan, number: int) -> list[tuple[int | None, str]]:
    row = next(r for r in result.rows if r.number == number)
    return [(p.column, p.message) for p in row.problems]


def changes(result: ImportPlan, number: int) -> list[tuple[str, str, str]]:
    row = next(r for r in result.rows if r.number == number)
    return [(c.field, c.old, c.new) for c in row.changes]


NEW = "N001,nia@example.com,Nia New,Engineer,Data,engineering,ic,IC3,2025-01-06,E002,2024-05-01,yes"


class TestCreate:
    def test_a_new_person(self, framework: Framework) -> None:
        result = plan(framework, NEW)
        assert outcomes(result) == [(2, "create")]
        row = result.rows[0]
        assert row.values == {
            "employee_id": "N001",
            "email": "nia@example.com",
            "full_name": "Nia New",
            "title": "Engineer",
            "team": "Data",
            "family_id": "engineering",
            "track_id": "ic",
            "level_code": "IC3",
            "level_since": datetime.date(2025, 1, 6),
            "hired_on": datetime.date(2024, 5, 1),
            "is_active": True,
        }
        assert row.manager == ("person", 2)
        assert result.new_teams == ["Data"]
        assert changes(result, 2)[-1] == ("manager", "", "Mo Manager (E002)")

    def test_names_case_and_a_track_that_the_level_implies(self, framework: Framework) -> None:
        result = plan(framework, "N001,Nia@Example.com,Nia New,,platform,Engineering,,ic3,,,2024-05-01,")
        row = result.rows[0]
        assert row.outcome is Outcome.CREATE
        assert (row.values["family_id"], row.values["track_id"], row.values["level_code"]) == (
            "engineering",
            "ic",
            "IC3",
        )
        assert row.values["email"] == "nia@example.com"
        assert row.values["team"] == "Platform"  # the existing team, whatever the case
        assert row.values["level_since"] == datetime.date(2024, 5, 1)  # the hire date, for want of one
        assert result.new_teams == []

    def test_what_a_new_person_needs(self, framework: Framework) -> None:
        result = plan(framework, "N001,,,,,,,,,,,")
        assert problems(result, 2) == [
            (1, "a new person needs an e-mail address; the cell is blank"),
            (2, "a new person needs a full name; the cell is blank"),
            (5, "a new person needs a job family; the cell is blank"),
            (7, "a new person needs a level; the cell is blank"),
            (8, "a new person needs the date they reached their level, or a hire date to use instead"),
        ]

    def test_columns_the_file_lacks(self, framework: Framework) -> None:
        result = plan(framework, "N001,nia@example.com", header="Employee ID,E-mail")
        assert problems(result, 2) == [
            (None, "a new person needs a full name, and the file has no Full name column"),
            (None, "a new person needs a job family, and the file has no Job family column"),
            (None, "a new person needs a level, and the file has no Level column"),
            (None, "a new person needs the date they reached their level, or a hire date to use instead"),
        ]


class TestUpdate:
    def test_changed_fields_and_a_level_change_dated_today(self, framework: Framework) -> None:
        result = plan(
            framework,
            "E003,emi@example.com,Emi Employee,Engineer,Platform,engineering,ic,IC3,,E002,2022-09-01,yes",
        )
        assert outcomes(result) == [(2, "update")]
        assert changes(result, 2) == [
            ("title", "", "Engineer"),
            ("level_code", "IC2", "IC3"),
            ("level_since", "2024-03-01", "2026-01-15"),
        ]
        assert result.rows[0].values == {"title": "Engineer", "level_code": "IC3", "level_since": TODAY}
        assert result.rows[0].manager_changed is False

    def test_a_level_date_in_the_file_is_kept_even_when_equal(self, framework: Framework) -> None:
        result = plan(framework, "E003,,,,Platform,,,IC3,2024-03-01,E002,2022-09-01,")
        assert changes(result, 2) == [("level_code", "IC2", "IC3")]
        assert result.rows[0].values == {"level_code": "IC3", "level_since": SINCE}

    def test_matched_by_e_mail_when_the_row_has_no_employee_id(self, framework: Framework) -> None:
        result = plan(framework, ",EMI@example.com,Emi E. Employee,,Platform,,,,,E002,2022-09-01,")
        assert outcomes(result) == [(2, "update")]
        assert result.rows[0].person_pk == 3
        assert changes(result, 2) == [("full_name", "Emi Employee", "Emi E. Employee")]

    def test_unchanged(self, framework: Framework) -> None:
        result = plan(
            framework,
            "E003,emi@example.com,Emi Employee,,Platform,engineering,ic,IC2,2024-03-01,E002,2022-09-01,yes",
        )
        assert outcomes(result) == [(2, "unchanged")]
        assert result.order == []

    def test_blank_cells_keep_required_fields_and_clear_optional_ones(self, framework: Framework) -> None:
        result = plan(framework, "E003,,,,,,,,,,,")
        assert changes(result, 2) == [
            ("team", "Platform", ""),
            ("hired_on", "2022-09-01", ""),
            ("manager", "Mo Manager (E002)", ""),
        ]

    def test_columns_not_mapped_are_left_alone(self, framework: Framework) -> None:
        result = plan(framework, "E003,Engineer", header="Employee ID,Job title")
        assert changes(result, 2) == [("title", "", "Engineer")]
        assert result.rows[0].manager == ("person", 2)

    def test_moving_to_management_finds_the_track(self, framework: Framework) -> None:
        result = plan(framework, "E003,M1", header="Employee ID,Level")
        assert changes(result, 2) == [
            ("track_id", "ic", "management"),
            ("level_code", "IC2", "M1"),
            ("level_since", "2024-03-01", "2026-01-15"),
        ]

    def test_a_person_who_left_and_one_who_returns(self, framework: Framework) -> None:
        result = plan(framework, "E003,no\nE004,yes", header="Employee ID,Active")
        assert changes(result, 2) == [("is_active", "yes", "no")]
        assert changes(result, 3) == [("is_active", "no", "yes")]


class TestRejected:
    def test_every_reason_of_a_row_with_its_column(self, framework: Framework) -> None:
        result = plan(
            framework,
            'N009,not-an-email,=HYPERLINK("x"),,Data,enginering,ic,IC3,03/01/2024,E999,2024-05-01,maybe',
        )
        assert outcomes(result) == [(2, "reject")]
        assert problems(result, 2) == [
            (1, '"not-an-email" is not an e-mail address'),
            (
                2,
                'starts with "=", which spreadsheets run as a formula; such text is never imported (remove the leading "=")',
            ),
            (5, '"enginering" is not a job family of the published framework; did you mean "engineering"?'),
            (
                8,
                '"03/01/2024" could be day first or month first: choose the date format in the column mapping',
            ),
            (9, 'the manager "E999" is neither in the file nor among the people in Trellis'),
            (11, '"maybe" is neither yes nor no (also accepted: true/false, active/inactive)'),
        ]

    @pytest.mark.parametrize(
        ("family", "track", "level", "column", "message"),
        [
            ("engineering", "ic", "IC9", 7, '"IC9" is not a level of Engineering · Individual contributor (levels: IC1, IC2, IC3, IC4, IC5, IC6); did you mean "IC6"?'),
            ("engineering", "", "IC9", 7, '"IC9" is not a level of Engineering (levels: IC1, IC2, IC3, IC4, IC5, IC6, M1, M2, M3); did you mean "IC6"?'),
            ("engineering", "ic", "M1", 7, '"M1" is not a level of Engineering · Individual contributor (levels: IC1, IC2, IC3, IC4, IC5, IC6); it is a level of the Engineering management track (management)'),
            ("engineering", "principal", "IC3", 6, '"principal" is not a track of Engineering (known: ic, management)'),
            ("engineering", "managment", "M1", 6, '"managment" is not a track of Engineering; did you mean "management"?'),
            ("design", "ic", "IC3", 5, '"design" is not a job family of the published framework (known: engineering, product, marketing)'),
            ("Produkt", "ic", "IC3", 5, '"Produkt" is not a job family of the published framework; did you mean "product"?'),
        ],
    )  # fmt: skip
    def test_a_place_the_framework_does_not_have_names_the_closest(
        self, framework: Framework, family: str, track: str, level: str, column: int, message: str
    ) -> None:
        result = plan(framework, f"N001,nia@example.com,Nia New,,,{family},{track},{level},2025-01-06,,,")
        assert problems(result, 2) == [(column, message)]

    def test_duplicates_within_the_file(self, framework: Framework) -> None:
        result = plan(
            framework,
            "\n".join(
                [
                    "N001,nia@example.com,Nia,,,engineering,,IC1,2025-01-06,,,",
                    "N002,nia@example.com,Nia Two,,,engineering,,IC1,2025-01-06,,,",
                    "N001,other@example.com,Nia Three,,,engineering,,IC1,2025-01-06,,,",
                    "E003,,Emi,,,,,,,,,",
                    ",emi@example.com,Emi again,,,,,,,,,",
                ]
            ),
        )
        assert outcomes(result) == [(2, "reject"), (3, "reject"), (4, "reject"), (5, "reject"), (6, "reject")]
        assert problems(result, 2) == [
            (0, "the employee ID N001 is also on row 4; each person may appear once"),
            (1, "the e-mail address nia@example.com is also on row 3; each person may appear once"),
        ]
        assert problems(result, 3) == [
            (1, "the e-mail address nia@example.com is also on row 2; each person may appear once")
        ]
        assert problems(result, 4) == [
            (0, "the employee ID N001 is also on row 2; each person may appear once")
        ]
        assert problems(result, 5) == [
            (0, "the employee ID E003 is also on row 6; each person may appear once")
        ]
        assert problems(result, 6) == [
            (0, "the employee ID E003 is also on row 5; each person may appear once")
        ]

    def test_an_e_mail_address_of_someone_else(self, framework: Framework) -> None:
        result = plan(framework, "E003,mo@example.com\nN001,sara@example.com", header="Employee ID,E-mail")
        assert problems(result, 2) == [
            (1, "the e-mail address mo@example.com belongs to Mo Manager (E002), not to E003")
        ]
        assert problems(result, 3) == [
            (0, "the e-mail address sara@example.com belongs to Sara Skip, whose employee ID is E001, not N001; an import does not change employee IDs")
        ]  # fmt: skip

    def test_a_row_that_cannot_be_matched(self, framework: Framework) -> None:
        result = plan(framework, ",,Nobody\n,who@example.com,Who", header="Employee ID,E-mail,Full name")
        assert problems(result, 2) == [(0, "the row has neither an employee ID nor an e-mail address")]
        assert problems(result, 3) == [
            (0, "nobody has the e-mail address who@example.com; a new person needs an employee ID")
        ]

    def test_values_too_long(self, framework: Framework) -> None:
        result = plan(framework, f"E003,{'x' * 201}", header="Employee ID,Job title")
        assert problems(result, 2) == [(1, "the job title is 201 characters long; at most 200 fit")]

    def test_a_level_date_before_the_hire_date(self, framework: Framework) -> None:
        result = plan(framework, "E003,2021-01-01", header="Employee ID,At this level since")
        assert problems(result, 2) == [(1, "the level date 2021-01-01 is before the hire date 2022-09-01")]

    def test_a_row_wider_than_the_header(self, framework: Framework) -> None:
        result = plan(framework, "E003,Engineer,surplus", header="Employee ID,Job title")
        assert problems(result, 2) == [
            (None, "the row has 1 more non-blank cell than the header row has columns; is a delimiter inside a value without quotes?")
        ]  # fmt: skip


class TestReportingLines:
    def test_managers_by_employee_id_or_e_mail_in_the_file_or_stored(self, framework: Framework) -> None:
        result = plan(
            framework,
            "\n".join(
                [
                    "N002,ben@example.com,Ben,,,engineering,,IC1,2025-01-06,nia@example.com,,",
                    "N001,nia@example.com,Nia,,,engineering,,M1,2025-01-06,MO@example.com,,",
                ]
            ),
        )
        assert outcomes(result) == [(2, "create"), (3, "create")]
        assert result.rows[0].manager == ("row", 3)
        assert result.rows[1].manager == ("person", 2)
        assert result.order == [1, 0]  # Nia before Ben, who reports to her

    def test_a_manager_who_left_or_oneself(self, framework: Framework) -> None:
        result = plan(framework, "E003,E004\nE002,E002", header="Employee ID,Manager")
        assert problems(result, 2) == [(1, "the manager Fay Former (E004) is not active")]
        assert problems(result, 3) == [(1, "a person cannot be their own manager")]

    def test_a_manager_returning_in_the_same_file(self, framework: Framework) -> None:
        result = plan(framework, "E003,E004,yes\nE004,E002,yes", header="Employee ID,Manager,Active")
        assert outcomes(result) == [(2, "update"), (3, "update")]
        assert [result.rows[i].number for i in result.order] == [3, 2]

    def test_a_circle_within_the_file(self, framework: Framework) -> None:
        body = "\n".join(
            [
                "N001,a@example.com,Ana,,,engineering,,IC1,2025-01-06,N002,,",
                "N002,b@example.com,Ben,,,engineering,,IC1,2025-01-06,N003,,",
                "N003,c@example.com,Cy,,,engineering,,IC1,2025-01-06,N001,,",
                "N004,d@example.com,Dee,,,engineering,,IC1,2025-01-06,N003,,",
            ]
        )
        result = plan(framework, body)
        circle = (
            "the reporting line would go round in a circle: Ana (N001) → Ben (N002) → Cy (N003) → Ana (N001)"
        )
        assert [problems(result, n) for n in (2, 3, 4)] == [[(9, circle)]] * 3
        assert problems(result, 5) == [(9, "the manager N003 is on row 4, which is rejected")]

    def test_a_circle_with_the_people_already_there(self, framework: Framework) -> None:
        # Sara manages Mo; making Mo Sara's manager closes a circle through the stored line.
        result = plan(framework, "E001,E002", header="Employee ID,Manager")
        assert problems(result, 2) == [
            (1, "the reporting line would go round in a circle: Sara Skip (E001) → Mo Manager (E002) → Sara Skip (E001)")
        ]  # fmt: skip

    def test_swapping_a_manager_and_a_report_is_no_circle(self, framework: Framework) -> None:
        result = plan(framework, "E001,E002\nE002,", header="Employee ID,Manager")
        assert outcomes(result) == [(2, "update"), (3, "update")]
        assert [result.rows[i].number for i in result.order] == [3, 2]

    def test_reports_of_a_rejected_row_fall_with_it_down_the_line(self, framework: Framework) -> None:
        body = "\n".join(
            [
                "N001,a@example.com,Ana,,,engineering,,IC9,2025-01-06,,,",
                "N002,b@example.com,Ben,,,engineering,,IC1,2025-01-06,N001,,",
                "N003,c@example.com,Cy,,,engineering,,IC1,2025-01-06,N002,,",
                "N004,d@example.com,Dee,,,engineering,,IC1,2025-01-06,E002,,",
            ]
        )
        result = plan(framework, body)
        assert outcomes(result) == [(2, "reject"), (3, "reject"), (4, "reject"), (5, "create")]
        assert problems(result, 3) == [(9, "the manager N001 is on row 2, which is rejected")]
        assert problems(result, 4) == [(9, "the manager N002 is on row 3, which is rejected")]
        assert result.order == [3]

    def test_an_existing_person_whose_row_is_rejected_stays_a_manager(self, framework: Framework) -> None:
        result = plan(
            framework,
            "E002,IC9,E001,\nN001,IC1,E002,2025-01-06",
            header="Employee ID,Level,Manager,Hired on",
            mapping={"employee_id": 0, "level_code": 1, "manager": 2, "hired_on": 3, "email": None},
        )
        assert outcomes(result)[0] == (2, "reject")
        # Only the new row's own gaps reject it: its manager, Mo, is there whatever his row says.
        assert problems(result, 3) == [
            (None, "a new person needs an e-mail address, and the file has no E-mail column"),
            (None, "a new person needs a full name, and the file has no Full name column"),
            (None, "a new person needs a job family, and the file has no Job family column"),
        ]


def test_the_preview_names_the_columns(framework: Framework) -> None:
    table = read_table(f"{HEADER}\nN001,x,,,,,,,,,,\n".encode(), "people.csv")
    result = plan_import(
        table, guess_mapping(table.headers), framework=framework, people=PEOPLE, teams=[], today=TODAY
    )
    entry = result.rows[0].to_json(table)
    assert entry["outcome"] == "reject"
    assert entry["problems"][0] == ['column B ("E-mail")', '"x" is not an e-mail address']


def test_a_stored_person_has_the_declared_fields_in_their_order() -> None:
    names = [item.name for item in dataclasses.fields(ExistingPerson)]
    assert names == ["pk", *("manager_pk" if f.key == "manager" else f.key for f in FIELDS)]
