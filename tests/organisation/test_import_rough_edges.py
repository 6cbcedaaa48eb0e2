"""The people import's rough edges: day-first and month-first dates (chosen or detected per
column), a warning for a level left before the framework's minimum time, and the template's
example row, which is never imported."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from trellis.framework.model import Framework
from trellis.framework.templates import starter
from trellis.organisation.import_mapping import column_date_formats, guess_mapping
from trellis.organisation.import_plan import ImportPlan, Outcome
from trellis.organisation.import_planning import plan_import
from trellis.organisation.import_reading import read_table
from trellis.organisation.import_template import EXAMPLE_EMPLOYEE_ID, template_rows
from trellis.organisation.import_values import (
    AmbiguousDates,
    DateFormat,
    InvalidValue,
    parse_date,
    resolve_date_format,
)

from .test_import_planning import HEADER, PEOPLE, TODAY, person


@pytest.fixture(scope="module")
def framework() -> Framework:
    return starter(["engineering", "product", "marketing"], "growth")


def plan(framework: Framework, body: str, date_format: DateFormat = DateFormat.DETECT) -> ImportPlan:
    table = read_table(f"{HEADER}\n{body}".encode(), "people.csv")
    people = [*PEOPLE, person(9, "P009", "Pia Product", "IC1", None, family_id="product")]
    return plan_import(
        table,
        guess_mapping(table.headers),
        framework=framework,
        people=people,
        teams=["Platform"],
        today=TODAY,
        date_format=date_format,
    )


class TestDates:
    @pytest.mark.parametrize(
        ("text", "date_format", "expected"),
        [
            ("31/12/2025", DateFormat.DAY_FIRST, datetime.date(2025, 12, 31)),
            ("31.12.2025", DateFormat.DAY_FIRST, datetime.date(2025, 12, 31)),
            ("3-4-2025", DateFormat.DAY_FIRST, datetime.date(2025, 4, 3)),
            ("12/31/2025", DateFormat.MONTH_FIRST, datetime.date(2025, 12, 31)),
            ("03/04/2025", DateFormat.MONTH_FIRST, datetime.date(2025, 3, 4)),
            ("2025-12-31", DateFormat.MONTH_FIRST, datetime.date(2025, 12, 31)),
            ("31 December 2025", DateFormat.ISO, datetime.date(2025, 12, 31)),
        ],
    )
    def test_read_in_the_chosen_format(
        self, text: str, date_format: DateFormat, expected: datetime.date
    ) -> None:
        assert parse_date(text, date_format) == expected

    @pytest.mark.parametrize(
        ("text", "date_format", "message"),
        [
            ("12/31/2025", DateFormat.DAY_FIRST, '"12/31/2025" is not a date of the calendar'),
            ("31/12/2025", DateFormat.ISO, '"31/12/2025" could be day first or month first: choose the date format in the column mapping'),
            ("31/12/2025/1", DateFormat.DAY_FIRST, '"31/12/2025/1" is not a date Trellis can read: write it as YYYY-MM-DD, such as 2024-03-01'),
            ("31/12.2025", DateFormat.DAY_FIRST, '"31/12.2025" is not a date Trellis can read: write it as YYYY-MM-DD, such as 2024-03-01'),
        ],
    )  # fmt: skip
    def test_refused(self, text: str, date_format: DateFormat, message: str) -> None:
        with pytest.raises(InvalidValue) as raised:
            parse_date(text, date_format)
        assert str(raised.value) == message

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            (["2024-03-01", "", "01/02/2024", "31/01/2024"], DateFormat.DAY_FIRST),
            (["01/02/2024", "01/31/2024"], DateFormat.MONTH_FIRST),
            (["2024-03-01", "1 March 2024", ""], DateFormat.ISO),
        ],
    )
    def test_detected_when_a_value_tells(self, values: list[str], expected: DateFormat) -> None:
        assert resolve_date_format(values, DateFormat.DETECT) is expected

    def test_a_chosen_format_is_not_second_guessed(self) -> None:
        assert resolve_date_format(["31/01/2024"], DateFormat.MONTH_FIRST) is DateFormat.MONTH_FIRST

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            (["01/02/2024", "03/04/2024"], 'its dates, such as "01/02/2024", read either day first or month first'),
            (["31/01/2024", "01/31/2024"], 'it has day-first dates ("31/01/2024") and month-first dates ("01/31/2024")'),
        ],
    )  # fmt: skip
    def test_detection_that_cannot_tell(self, values: list[str], message: str) -> None:
        with pytest.raises(AmbiguousDates) as raised:
            resolve_date_format(values, DateFormat.DETECT)
        assert str(raised.value) == message

    def test_an_ambiguous_column_is_named_for_the_mapping(self) -> None:
        table = read_table(
            f"{HEADER}\nN1,a@example.com,Ana,,,engineering,ic,IC2,03/04/2024,,2022-09-01,\n".encode(),
            "people.csv",
        )
        mapping = guess_mapping(table.headers)
        formats, problems = column_date_formats(table, mapping, DateFormat.DETECT)
        assert formats == {"hired_on": DateFormat.ISO}
        assert problems == {
            "date_format": 'column I ("At this level since"): its dates, such as "03/04/2024", read either day '
            "first or month first. Choose day first or month first for this file"
        }
        assert column_date_formats(table, mapping, DateFormat.DAY_FIRST) == (
            {"level_since": DateFormat.DAY_FIRST, "hired_on": DateFormat.DAY_FIRST},
            {},
        )

    def test_planned_rows_read_each_column_in_its_detected_format(self, framework: Framework) -> None:
        result = plan(
            framework,
            "N1,a@example.com,Ana,,,engineering,ic,IC2,31.12.2025,,12/31/2022,\n"
            "N2,b@example.com,Bo,,,engineering,ic,IC2,01.02.2025,,01/02/2023,\n",
        )
        assert [(row.values["level_since"], row.values["hired_on"]) for row in result.rows] == [
            (datetime.date(2025, 12, 31), datetime.date(2022, 12, 31)),
            (datetime.date(2025, 2, 1), datetime.date(2023, 1, 2)),
        ]


class TestMinimumTimeAtLevel:
    def test_a_level_left_before_its_minimum_time_warns_without_rejecting(self, framework: Framework) -> None:
        # Pia has been IC1 since 2024-03-01; product's IC1 asks 12 months.
        result = plan(framework, "P009,,,,,product,ic,IC2,2025-01-10,,,")
        row = result.rows[0]
        assert row.outcome is Outcome.UPDATE
        assert row.problems == []
        assert [(w.column, w.message) for w in row.warnings] == [
            (
                8,
                "IC1 to IC2 on 2025-01-10 is after 10 months at IC1 (since 2024-03-01); the framework's "
                "minimum time at IC1 is 1 year, reached on 2025-03-01",
            )
        ]
        preview = row.to_json(read_table(f"{HEADER}\nP009\n".encode(), "people.csv"))
        assert preview["warnings"] == [['column I ("At this level since")', row.warnings[0].message]]

    @pytest.mark.parametrize(
        "body",
        [
            "P009,,,,,product,ic,IC2,2025-03-01,,,",  # the minimum reached that day
            "P009,,New title,,,,,,,,,",  # no level change
            "E003,,,,,engineering,ic,IC3,2025-04-01,,,",  # a month past the minimum
        ],
    )
    def test_no_warning(self, framework: Framework, body: str) -> None:
        assert [row.warnings for row in plan(framework, body).rows] == [[]]


class TestTemplate:
    def test_the_template_has_the_header_and_a_marked_example_row(self, framework: Framework) -> None:
        header, example = template_rows(framework)
        assert header == HEADER.split(",")
        assert example == [
            EXAMPLE_EMPLOYEE_ID, "ana.example@example.com", "Ana Example (example: delete this row)",
            "Software engineer", "Platform", "engineering", "ic", "IC1", "2024-03-01", "", "2022-09-01", "yes",
        ]  # fmt: skip

    def test_the_example_row_is_rejected_and_the_rows_below_it_are_not(self, framework: Framework) -> None:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(
            [
                *template_rows(framework),
                ["N1", "n@example.com", "Nia", "", "", "engineering", "ic", "IC2", "2025-01-06"],
            ]
        )
        table = read_table(buffer.getvalue().encode(), "people.csv")
        result = plan_import(
            table, guess_mapping(table.headers), framework=framework, people=PEOPLE, teams=[], today=TODAY
        )
        assert [(row.number, row.outcome) for row in result.rows] == [
            (2, Outcome.REJECT),
            (3, Outcome.CREATE),
        ]
        assert [(p.column, p.message) for p in result.rows[0].problems] == [
            (0, "this is the template's example row; delete it from the file before importing")
        ]
