"""The readiness pages: "Where you stand" on the employee's home next to what the next level asks,
each report's readiness on the manager's team table, and a person's readiness page with its history
— seen by the person, their manager chain and HR only.

The framework is tests/evaluation/readiness.yaml. The employee (IC2 since 1 March 2024) was rated
3, 4, 4 by their manager in the closed cycle "2025 H2": IC3 expects 3, 4, 4, so that cycle counts
as operating at IC3 for the 21 months from March 2024 to December 2025 (7 quarters).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils.dateformat import format as date_format

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.promotions.models import Readiness
from trellis.web.promotions.readiness_services import readiness_recompute, readiness_snapshot_cycle
from trellis.web.reviews.models import CycleParticipant, ReviewCycle, Source

from .conftest import make_cycle, rate

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def rated(version: FrameworkVersion, employee: User, manager: User, outsider: User) -> Readiness:
    cycle = make_cycle(version, "2025 H2", "2025-12-31", ReviewCycle.Phase.CLOSED)
    rate(
        cycle,
        employee.person,
        Source.MANAGER,
        manager.person,
        {"communication": 3, "delivery": 4, "craft": 4},
    )
    CycleParticipant.objects.create(
        cycle=cycle, person=employee.person, family_id="engineering", track_id="ic", level_code="IC2"
    )
    readiness_recompute(person_ids=[employee.person.pk, outsider.person.pk], as_of=AS_OF)
    readiness_snapshot_cycle(cycle_id=cycle.pk)
    return Readiness.objects.get(person=employee.person)


def main(client: Client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return re.sub(
        r"\s+", " ", response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    )


def rows_of(html: str) -> list[tuple[str, str, str]]:
    """(criterion, where they stand, met) of each row of the readiness table."""
    table = html.split('<table class="readiness-table">', 1)[1].split("</table>", 1)[0]
    return re.findall(
        r'<th scope="row">(.*?)</th> <td>(.*?)</td> <td><span class="badge badge--\w+">(.*?)</span></td>',
        table,
    )


CRITERIA = [
    ("Minimum average", "Average 3.67 — meets the minimum of 3.5", "Met"),
    ("Floor", "Lowest: Communication 3 — meets the floor of 3", "Met"),
    ("Operating at the next level", "7 quarters at IC3 (2 quarters asked)", "Met"),
    # 1 March 2024 to 30 June 2026.
    ("Time in level", "2 years, 3 months at IC2 (1 year asked)", "Met"),
    ("Manager endorsement", "Not yet endorsed by the manager", "Not yet"),
]


def test_the_employee_s_home_shows_where_they_stand_next_to_what_the_next_level_asks(
    login: Any, employee: User, rated: Readiness
) -> None:
    html = main(login(employee))
    next_level = html.split('<h2 id="next-level">What the next level asks</h2>', 1)[1]
    standing = next_level.split('<h3 id="where-you-stand">Where you stand</h3>', 1)[1]
    computed = date_format(rated.computed_at, "j F Y")
    assert (
        '<p class="readiness-summary readiness-summary--not-ready"> <strong>Not ready: 4 of 5 criteria met</strong> '
        f'<span class="muted">for IC3 Senior Engineer, as of <time datetime="{rated.computed_at:%Y-%m-%d}">{computed}</time></span>'
    ) in standing
    assert '<th scope="col">Where you stand</th>' in standing
    assert rows_of(standing) == CRITERIA
    assert f'<a href="/readiness/{employee.person.pk}/">Your readiness across cycles</a>' in standing


def test_before_any_evaluation_the_home_says_it_will_appear(
    login: Any, employee: User, version: FrameworkVersion
) -> None:
    html = main(login(employee))
    assert (
        '<h3 id="where-you-stand">Where you stand</h3> <p class="muted">Your readiness appears here once it has been evaluated.</p>'
        in html
    )


def test_the_manager_s_team_table_shows_each_report_s_readiness(
    login: Any, manager: User, skip_level_manager: User, employee: User, rated: Readiness
) -> None:
    cell = f'<td><a href="/readiness/{employee.person.pk}/">4 of 5 met for IC3</a></td>'
    assert cell in main(login(manager))
    # The skip-level manager sees it among their reports' reports.
    assert cell in main(login(skip_level_manager)).split("<h3>Their reports</h3>", 1)[1]
    Readiness.objects.filter(pk=rated.pk).update(ready=True, met_count=5)
    assert (
        f'<td><a href="/readiness/{employee.person.pk}/"><span class="badge badge--met">Eligible</span> for IC3</a></td>'
    ) in main(login(manager))


def test_the_readiness_page_with_its_history(
    login: Any, employee: User, manager: User, rated: Readiness
) -> None:
    html = main(login(employee), f"/readiness/{employee.person.pk}/")
    assert "<h1>Your readiness</h1>" in html
    assert rows_of(html) == CRITERIA
    chart = html.split('<figure class="readiness-history">', 1)[1].split("</figure>", 1)[0]
    assert '<title id="readiness-chart-title">Your readiness across cycles</title>' in chart
    # As of the end of 2025 H2: 21 months in level, 7 quarters at IC3; no endorsement.
    assert "<title>2025 H2: not ready: 4 of 5 criteria met</title>" in chart
    assert '<th scope="row">2025 H2</th><td>4 of 5</td>' in html
    as_manager = main(login(manager), f"/readiness/{employee.person.pk}/")
    assert "<h1>Readiness of Emi Employee</h1>" in as_manager
    assert '<th scope="col">Where they stand</th>' in as_manager


def test_a_page_for_someone_else_s_readiness_is_not_found(
    login: Any, outsider: User, manager: User, it_admin: User, rated: Readiness, employee: User
) -> None:
    for viewer in (outsider, it_admin):
        assert login(viewer).get(f"/readiness/{employee.person.pk}/").status_code == 404
    # The manager's home does not show the outsider's readiness (computed too, under another manager).
    assert f"/readiness/{outsider.person.pk}/" not in main(login(manager))
