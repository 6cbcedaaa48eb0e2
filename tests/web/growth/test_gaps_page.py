"""A person's skill gaps page: the figures behind each competency (calibrated, else the manager's, of
shared and closed cycles; self only where nobody else rated), against the next level or any level
chosen, with the evidence the viewer may read; a level the framework lacks said, never raised.

The framework is tests/evaluation/readiness.yaml: IC3 expects Communication 3, Delivery 4, Software
craft 4; M1 expects Communication 4, Delivery 3, People development 3. The employee is IC2.
"""

from __future__ import annotations

import html as markup
import re

import pytest
from django.test import Client

from trellis.web.accounts.models import User

pytestmark = pytest.mark.django_db


def table(html: str) -> list[list[str]]:
    body = html.split('<table class="gaps-table">', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    cells = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        cells.append([" ".join(markup.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in found])
    return cells


def page(client: Client, person_id: int, query: str = "", status: int = 200) -> str:
    response = client.get(f"/growth/{person_id}/gaps/{query}")
    assert response.status_code == status
    return response.content.decode()


def test_the_employee_sees_each_figure_with_its_provenance_against_the_next_level(
    rated: None, login: object, employee: User
) -> None:
    client = login(employee)  # type: ignore[operator]
    html = page(client, employee.person.pk)
    assert "Your skill gaps" in html and "1 met · 2 short" in html
    cells = table(html)
    assert [row[:4] for row in cells] == [
        ["Communication", "2 · Developing manager's rating, 2025 H2", "3 · Proficient", "−1"],
        [
            "Delivery",
            "4 · Advanced calibrated, 2025 H1 Evidence (1) 14 Mar 2025 · Ran the March release end to end.",
            "4 · Advanced",
            "Met",
        ],
        ["Software craft", "2 · Developing manager's rating, 2025 H1", "4 · Advanced", "−2"],
    ]


def test_any_level_may_be_chosen_and_an_unrated_competency_is_unknown(
    rated: None, login: object, manager: User, employee: User
) -> None:
    client = login(manager)  # type: ignore[operator]
    html = page(client, employee.person.pk, "?target=engineering/management/M1")
    assert f"Skill gaps of {employee.person.full_name}" in html
    assert "1 met · 1 short · 1 not rated yet" in html
    assert [row[0] + " | " + row[3] for row in table(html)] == [
        "Communication | −2",
        "Delivery | Met",
        "People development | Unknown",
    ]
    assert '<option value="engineering/management/M1" selected>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?target=engineering/ic/IC9",
            "Track 'ic' of family 'engineering' has no level 'IC9': choose a level from the list.",
        ),
        ("?target=nonsense", "“nonsense” is not a level: choose one from the list."),
    ],
)
def test_a_level_the_framework_lacks_is_said_at_the_picker(
    rated: None, login: object, employee: User, query: str, message: str
) -> None:
    client = login(employee)  # type: ignore[operator]
    html = page(client, employee.person.pk, query, status=400)
    assert message in markup.unescape(html) and 'aria-invalid="true"' in html
    assert '<table class="gaps-table">' not in html
