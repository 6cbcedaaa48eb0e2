"""The people list sorted by its columns and exported to CSV and XLSX: whitelisted sort keys, a
stable order across pages, accessible headers, "Your team" for a manager, and files holding exactly
what the viewer's list shows, formula-safe."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person, Team

from ..conftest import make_person
from .test_people_pages import names_listed, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(published_framework: FrameworkVersion, personas: dict[str, User]) -> dict[str, User]:
    """The personas, with a Data team member, a title that looks like a formula and varied dates."""
    data = Team.objects.create(name="Data")
    make_person(None, employee_id="D1", full_name="Dan Data", level_code="IC4", team=data)
    Person.objects.filter(employee_id="E005").update(title='=HYPERLINK("http://x")')
    dates = {"E001": "2022-10-01", "E002": "2023-06-01", "E003": "2025-01-15", "E004": "2022-12-05"}
    for employee_id, date in dates.items():
        Person.objects.filter(employee_id=employee_id).update(level_since=datetime.date.fromisoformat(date))
    return personas


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?sort=name", ["Cai Coauthor", "Dan Data", "Emi Employee", "Mo Manager", "Ola Outsider", "Otto Other", "Sara Skip"]),
        ("?sort=name&dir=desc", ["Sara Skip", "Otto Other", "Ola Outsider", "Mo Manager", "Emi Employee", "Dan Data", "Cai Coauthor"]),
        # Teams A to Z, people without a team last; within a team by name.
        ("?sort=team", ["Dan Data", "Emi Employee", "Mo Manager", "Sara Skip", "Cai Coauthor", "Ola Outsider", "Otto Other"]),
        ("?sort=team&dir=desc", ["Emi Employee", "Mo Manager", "Sara Skip", "Dan Data", "Cai Coauthor", "Ola Outsider", "Otto Other"]),
        ("?sort=level", ["Emi Employee", "Ola Outsider", "Dan Data", "Cai Coauthor", "Mo Manager", "Otto Other", "Sara Skip"]),
        # Managers by name, nobody's reports last.
        ("?sort=manager", ["Emi Employee", "Ola Outsider", "Mo Manager", "Cai Coauthor", "Dan Data", "Otto Other", "Sara Skip"]),
        # Shortest time in level first: the latest level date.
        ("?sort=time_in_level", ["Emi Employee", "Cai Coauthor", "Dan Data", "Ola Outsider", "Mo Manager", "Otto Other", "Sara Skip"]),
        ("?sort=time_in_level&dir=desc", ["Sara Skip", "Otto Other", "Mo Manager", "Cai Coauthor", "Dan Data", "Ola Outsider", "Emi Employee"]),
        ("?sort=title", ["Ola Outsider", "Emi Employee", "Dan Data", "Cai Coauthor", "Mo Manager", "Otto Other", "Sara Skip"]),
        # A key that is not a column is ignored: by name.
        ("?sort=email&dir=sideways", ["Cai Coauthor", "Dan Data", "Emi Employee", "Mo Manager", "Ola Outsider", "Otto Other", "Sara Skip"]),
    ],
)  # fmt: skip
def test_hr_sorts_the_list_by_each_column(
    login: Any, company: dict[str, User], query: str, expected: list[str]
) -> None:
    assert names_listed(page(login(company["hr_admin"]), f"/people/{query}")) == expected


def test_headers_say_how_the_list_is_sorted_and_link_to_the_other_direction(
    login: Any, company: dict[str, User]
) -> None:
    html = page(login(company["hr_admin"]), "/people/?q=e&sort=team&page=1")
    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort-link" href="?q=e&amp;sort=team&amp;dir=desc"'
    ) in html
    assert '<th scope="col"><a class="sort-link" href="?q=e&amp;sort=name&amp;dir=asc"' in html
    assert html.count("aria-sort=") == 1
    assert '<input type="hidden" name="sort" value="team" id="id_sort">' in html
    assert 'href="/people/export.csv?q=e&amp;sort=team"' in html
    descending = page(login(company["hr_admin"]), "/people/?sort=team&dir=desc")
    assert (
        '<th scope="col" aria-sort="descending"><a class="sort-link" href="?sort=team&amp;dir=asc"'
        in descending
    )


def test_pages_of_a_sorted_list_neither_overlap_nor_skip(login: Any, company: dict[str, User]) -> None:
    team = Team.objects.get(name="Data")
    for number in range(60):
        make_person(None, employee_id=f"T{number:02}", full_name="Tia Twin", level_code="IC3", team=team)
    client = login(company["hr_admin"])
    first = names_listed(page(client, "/people/?sort=team&page=1"))
    second = page(client, "/people/?sort=team&page=2")
    assert len(first) == 50
    assert "sort=team&amp;page=1" in second  # the pagination keeps the order
    rows = second.split("<tbody>")[1]
    ids = [p.employee_id for p in Person.objects.filter(full_name="Tia Twin").order_by("employee_id")]
    # Data's 61 members by name, twins by employee ID: the second page goes on where the first ended.
    assert first[0] == "Dan Data" and first[1:] == ["Tia Twin"] * 49
    assert rows.index(f"/people/{Person.objects.get(employee_id=ids[49]).pk}/") < rows.index("Emi Employee")
    assert f"/people/{Person.objects.get(employee_id=ids[48]).pk}/" not in rows


def test_the_csv_export_costs_the_same_queries_whatever_the_number_of_people(
    login: Any, company: dict[str, User], django_assert_num_queries: Any
) -> None:
    client = login(company["hr_admin"])
    client.get("/people/")  # the framework parsed, as in a warm process
    for number in range(30):
        make_person(None, employee_id=f"Q{number:02}", full_name=f"Quinn {number}", level_code="IC3")
    with django_assert_num_queries(4):  # session, account, current version, the people
        rows = _csv(client, "/people/export.csv")
    assert len(rows) == 1 + 7 + 30


def test_a_manager_sees_your_team_without_themselves(login: Any, company: dict[str, User]) -> None:
    html = page(login(company["skip_level_manager"]), "/people/")
    assert "<h1>Your team</h1>" in html
    assert "<title>Your team" in html
    assert names_listed(html) == ["Emi Employee", "Mo Manager"]
    assert "<h1>People</h1>" in page(login(company["hr_admin"]), "/people/")


def _csv(client: Client, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_hr_exports_the_filtered_sorted_list_as_csv(login: Any, company: dict[str, User]) -> None:
    rows = _csv(
        login(company["hr_admin"]), "/people/export.csv?family=engineering&sort=time_in_level&dir=desc&page=3"
    )
    assert rows[0] == [
        "Full name", "Employee ID", "E-mail", "Job title", "Team", "Job family", "Track", "Level",
        "At this level since", "Time in level", "Manager", "Active",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == [
        "Sara Skip", "Otto Other", "Mo Manager", "Cai Coauthor", "Dan Data", "Ola Outsider", "Emi Employee",
    ]  # fmt: skip
    emi = next(row for row in rows if row[1] == "E003")
    assert emi[2:9] == [
        "employee@example.com", "IC2 engineer", "Platform", "Engineering", "Individual contributor", "IC2",
        "2025-01-15",
    ]  # fmt: skip
    assert emi[10:] == ["Mo Manager", "yes"]
    ola = next(row for row in rows if row[1] == "E005")
    assert ola[3] == '\'=HYPERLINK("http://x")'


def test_a_managers_export_holds_their_team_only(login: Any, company: dict[str, User]) -> None:
    response = login(company["skip_level_manager"]).get("/people/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="team-')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = [list(row) for row in workbook["People"].iter_rows(values_only=True)]
    assert [row[0] for row in values] == ["Full name", "Emi Employee", "Mo Manager"]
    assert values[1][1:4] == ["E003", "employee@example.com", "IC2 engineer"]


def test_the_xlsx_export_never_holds_a_formula(login: Any, company: dict[str, User]) -> None:
    response = login(company["hr_admin"]).get("/people/export.xlsx?q=ola")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["People"]
    assert sheet["D2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["D2"].data_type == "s"
    assert sheet.max_row == 2


@pytest.mark.parametrize("path", ["/people/export.csv", "/people/export.xlsx"])
def test_people_who_may_not_list_people_may_not_export_them(
    login: Any, company: dict[str, User], path: str
) -> None:
    assert login(company["employee"]).get(path).status_code == 403
    assert login(company["it_admin"]).get(path).status_code == 403
