"""The skills heatmaps on the hand-computed company of heatmap_data.py: the selector's figures, the
pages each viewer may open (and the scopes they may not widen to), and the CSV and XLSX files."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import numpy as np
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth.heatmap_selectors import (
    Grouping,
    ScopeKind,
    figures_of,
    heatmap_get,
    heatmap_scope_get,
)

from ..promotions.conftest import version  # noqa: F401  (the framework fixture)
from .heatmap_data import heatmap_company

pytestmark = pytest.mark.django_db

COMPETENCIES = ["Communication", "Delivery", "Software craft", "People development"]


@pytest.fixture
def company(
    version: FrameworkVersion,  # noqa: F811
    manager: User,
    employee: User,
    skip_level_manager: User,
    hr_admin: User,
) -> dict[str, Any]:
    data = heatmap_company(version, manager, employee, skip_level_manager)
    return {**data, "manager": manager, "employee": employee, "skip": skip_level_manager, "hr": hr_admin}


def _heatmap(viewer: User, **scope: Any) -> Any:
    published = framework_published_get(viewer=viewer)
    assert published is not None
    chosen = heatmap_scope_get(viewer=viewer, framework=published.framework, **scope)
    return heatmap_get(viewer=viewer, scope=chosen, framework=published.framework)


def _by(heatmap: Any, grouping: Grouping) -> Any:
    return next(each for each in heatmap.aggregates if each.grouping == grouping)


def _rounded(values: Any) -> list[Any]:
    return [None if math.isnan(value) else round(float(value), 4) for value in values]


def test_the_company_heatmap_is_what_the_hand_computation_says(company: dict[str, Any]) -> None:
    heatmap = _heatmap(company["hr"])
    assert heatmap.scope.kind == ScopeKind.COMPANY
    assert heatmap.competencies == COMPETENCIES
    # 12 engineers at IC2, the manager and Gus (M1), the skip-level manager (M2).
    assert heatmap.people == 15 and heatmap.cycles == 2
    everyone = heatmap.everyone.cells
    assert everyone.expected[0].tolist() == [15, 15, 12, 3]
    assert everyone.counted[0].tolist() == [12, 12, 11, 0]
    # Communication: 5 × +1, the employee's later −1, 6 × −1; delivery: one +2; craft: 6 × −1, 5 × +1.
    assert _rounded(everyone.mean_gap[0]) == [round(-2 / 12, 4), round(2 / 12, 4), round(-1 / 11, 4), None]
    assert _rounded(everyone.meeting[0]) == [round(5 / 12, 4), 1.0, round(5 / 11, 4), None]

    teams = _by(heatmap, Grouping.TEAM)
    assert teams.groups == ["=Growth", "Platform"]
    assert teams.cells.people.tolist() == [7, 8]
    assert _rounded(teams.cells.mean_gap[0]) == [-1.0, round(2 / 6, 4), 1.0, None]
    assert _rounded(teams.cells.mean_gap[1]) == [round(4 / 6, 4), 0.0, -1.0, None]
    # G6's craft (a self-rating only) is unknown: expected, not counted.
    assert (teams.cells.expected[0, 2] - teams.cells.counted[0, 2]) == 1

    levels = _by(heatmap, Grouping.LEVEL)
    assert levels.groups == ["IC2", "M1", "M2"]
    assert levels.cells.people.tolist() == [12, 2, 1]
    assert _by(heatmap, Grouping.FAMILY).groups == ["Engineering"]

    found = [(p.group, p.competency, p.strong) for p in heatmap.team_patterns]
    # The larger difference first: craft (2 points) before communication (1⅔).
    assert found == [
        ("=Growth", "Software craft", True),
        ("=Growth", "Communication", False),
        ("Platform", "Software craft", False),
        ("Platform", "Communication", True),
    ]
    # The company page lists nobody by name.
    assert heatmap.person_rows is None


def test_a_team_is_everyone_under_its_manager_at_any_depth(company: dict[str, Any]) -> None:
    skip = company["skip"]
    heatmap = _heatmap(skip, manager_id=skip.person.pk)
    # The manager and their 6, Gus and his 6.
    assert heatmap.people == 14
    # The skip-level manager sees each of them (two levels down at most): every row is listed.
    assert heatmap.person_rows is not None and len(heatmap.person_rows.groups) == 14
    mine = _heatmap(company["manager"], manager_id=company["manager"].person.pk)
    assert mine.people == 6
    assert mine.person_rows is not None
    row = mine.person_rows.groups.index("Emi Employee")
    # Only what the team's levels expect is a column: nobody under the manager manages people.
    assert mine.competencies == COMPETENCIES[:3]
    assert _rounded(mine.person_rows.cells.mean_gap[row]) == [-1.0, 0.0, -1.0]


def test_the_latest_cycle_with_a_result_wins_each_cell() -> None:
    # Person 1's competency 0: cycle slot 0 says 4, slot 1 says 2 (the later wins), whatever the order read.
    texts = ["000100004000200003", "000100002"]
    figures = figures_of(
        np.array([1], dtype=np.int64),
        np.array([1, 1], dtype=np.int64),
        np.array([0, 1], dtype=np.int64),
        texts[::-1][::-1],
        np.array([-1, 0, 1], dtype=np.int64),
        2,
    )
    assert figures.tolist() == [[2.0, 3.0]]
    reversed_order = figures_of(
        np.array([1], dtype=np.int64),
        np.array([1, 1], dtype=np.int64),
        np.array([1, 0], dtype=np.int64),
        texts[::-1],
        np.array([-1, 0, 1], dtype=np.int64),
        2,
    )
    assert reversed_order.tolist() == [[2.0, 3.0]]


# --- pages ---------------------------------------------------------------------------------------


def _get(client: Client, name: str, status: int = 200, **kwargs: Any) -> Any:
    response = client.get(reverse(f"growth:{name}", kwargs=kwargs))
    assert response.status_code == status, (name, kwargs, response.status_code)
    return response


def test_hr_reads_the_patterns_on_the_company_page(company: dict[str, Any], login: Any) -> None:
    client = login(company["hr"])
    html = _get(client, "heatmap").content.decode()
    assert "Platform is strong in Communication and weak in Software craft." in html
    assert "=Growth is strong in Software craft and weak in Communication." in html
    assert html.count('class="chart chart-heatmap"') == 3  # by family, level and team
    assert "<table" in html and "The numbers as a table" in html
    assert "style=" not in html.split("<main", 1)[-1]
    family = _get(client, "heatmap_family", family_id="engineering").content.decode()
    assert "Skills heatmap: Engineering" in family
    chooser = client.get(reverse("growth:heatmap"), {"family": "engineering"})
    assert chooser.status_code == 302 and chooser["Location"] == "/growth/heatmap/family/engineering/"
    _get(client, "heatmap_family", 404, family_id="nowhere")


def test_no_scope_widens_what_a_manager_may_see(company: dict[str, Any], login: Any) -> None:
    manager, gus, skip = company["manager"], company["gus"], company["skip"]
    client = login(manager)
    html = _get(client, "heatmap_team", person_id=manager.person.pk).content.decode()
    assert "Pat 1" in html and "Gia 1" not in html
    # Another manager's team, the company and a family are not theirs.
    _get(client, "heatmap_team", 404, person_id=gus.person.pk)
    _get(client, "heatmap_team_export", 404, person_id=gus.person.pk, file_format="csv")
    _get(client, "heatmap", 403)
    _get(client, "heatmap_family", 403, family_id="engineering")
    _get(client, "heatmap_export", 403, file_format="xlsx")
    assert client.get(reverse("growth:heatmap"), {"family": "engineering"}).status_code == 403
    # Above both managers, the skip-level manager sees each team and their own.
    skip_client = login(skip)
    _get(skip_client, "heatmap_team", person_id=gus.person.pk)
    _get(skip_client, "heatmap_team", person_id=skip.person.pk)
    # An employee manages nobody: no heatmap, not even "their own".
    employee = login(company["employee"])
    _get(employee, "heatmap_team", 404, person_id=company["employee"].person.pk)
    _get(employee, "heatmap_team", 404, person_id=manager.person.pk)
    _get(employee, "heatmap", 403)


# --- files ---------------------------------------------------------------------------------------


def test_the_csv_is_formula_safe_and_keeps_numbers(company: dict[str, Any], login: Any) -> None:
    client = login(company["hr"])
    response = _get(client, "heatmap_export", file_format="csv")
    assert response["Content-Disposition"] == 'attachment; filename="skills-heatmap-company.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Grouping", "Group", "Competency", "People"]
    growth = [row for row in rows if row[1].endswith("=Growth") and row[2] == "Communication"]
    assert growth == [["Team", "'=Growth", "Communication", "7", "7", "6", "1", "2.0", "-1.0", "0.0", "1.0"]]
    everyone = [row for row in rows if row[0] == "Everyone" and row[2] == "People development"]
    assert everyone == [["Everyone", "Everyone", "People development", "15", "3", "0", "3", "", "", "", ""]]


def test_the_workbook_is_formula_safe_and_has_a_sheet_per_grouping(
    company: dict[str, Any], login: Any
) -> None:
    client = login(company["hr"])
    response = _get(client, "heatmap_export", file_format="xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Everyone", "Family", "Level", "Team", "Patterns"]
    team = [list(row) for row in workbook["Team"].iter_rows(values_only=True)]
    growth = [row for row in team if row[2] == "Communication" and str(row[1]).endswith("=Growth")]
    assert growth == [["Team", "'=Growth", "Communication", 7, 7, 6, 1, 2.0, -1.0, 0.0, 1.0]]
    patterns = [list(row) for row in workbook["Patterns"].iter_rows(values_only=True)]
    assert patterns[1] == ["'=Growth", "Software craft", "strong", 1, -1, 5]
    # Everyone else on communication: Platform's 6, whose gaps sum to 4.
    assert patterns[2] == ["'=Growth", "Communication", "weak", -1, round(4 / 6, 6), 6]


def test_a_team_export_lists_each_person_the_viewer_may_see(company: dict[str, Any], login: Any) -> None:
    manager = company["manager"]
    client = login(manager)
    response = _get(client, "heatmap_team_export", person_id=manager.person.pk, file_format="xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "Person" in workbook.sheetnames
    names = {row[1] for row in workbook["Person"].iter_rows(min_row=2, values_only=True)}
    assert names == {"Emi Employee", "Pat 1", "Pat 2", "Pat 3", "Pat 4", "Pat 5"}
    _get(client, "heatmap_team_export", 404, person_id=manager.person.pk, file_format="pdf")


def test_a_large_team_is_shown_by_group_not_person_by_person(
    company: dict[str, Any], login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trellis.web.growth import heatmap_selectors, heatmap_views

    monkeypatch.setattr(heatmap_selectors, "PERSON_ROWS_LIMIT", 5)
    monkeypatch.setattr(heatmap_views, "PERSON_ROWS_LIMIT", 5)
    manager = company["manager"]
    html = _get(login(manager), "heatmap_team", person_id=manager.person.pk).content.decode()
    assert "More than 5 people" in html and "Pat 1" not in html
    assert 'id="heatmap-people"' not in html and 'id="heatmap-level"' in html
