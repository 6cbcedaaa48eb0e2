"""Readiness in a real browser, on the demo company with its past cycles: the employee reads where
they stand on their home and opens their readiness page with its history chart; their manager sees
the employee's readiness on the team table and opens the same page. axe-core finds no serious or
critical violation on the readiness page.

The demo's readiness is computed first, as `trellis manage readiness_recompute --history` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

from trellis.web.people.models import Person
from trellis.web.promotions.models import Readiness, ReadinessSnapshot

from . import pages
from .conftest import DemoCompany, Steps, sign_in


@pytest.fixture(scope="module", autouse=True)
def _readiness_computed(demo_company: DemoCompany, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        call_command("readiness_recompute", "--history", verbosity=0)
    yield


def test_the_employee_reads_where_they_stand_and_their_history(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    person = Person.objects.get(email=demo_company.employee_email)
    row = Readiness.objects.get(person=person)
    sign_in(page, demo_company.employee_email)
    standing = pages.main(page).locator("table.readiness-table")
    expect(page.get_by_role("heading", name="Where you stand")).to_be_visible()
    expect(standing.locator("tbody tr")).to_have_count(row.criteria_count)
    steps.shot("home, where you stand")
    page.get_by_role("link", name="Your readiness across cycles").click()
    expect(page.get_by_role("heading", level=1, name="Your readiness")).to_be_visible()
    chart = page.locator("figure.readiness-history svg")
    expect(chart).to_be_visible()
    history = ReadinessSnapshot.objects.filter(person=person).count()
    expect(chart.locator("circle")).to_have_count(history)
    steps.shot("readiness page")
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert blocking == [], results.generate_report()


def test_the_manager_sees_each_report_s_readiness(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    employee = Person.objects.get(email=demo_company.employee_email)
    row = Readiness.objects.get(person=employee)
    sign_in(page, demo_company.manager_email)
    team = page.get_by_role("table", name="Your direct reports")
    cell = team.get_by_role("row", name=re.compile(re.escape(employee.full_name))).get_by_role(
        "link", name=re.compile(rf"for {re.escape(row.target_level_code)}$")
    )
    expect(cell).to_be_visible()
    steps.shot("team with readiness")
    cell.click()
    expect(page.get_by_role("heading", level=1, name=f"Readiness of {employee.full_name}")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Where they stand")).to_be_visible()
    steps.shot("report's readiness page")
