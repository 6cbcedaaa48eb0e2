"""HR's skills heatmap in a real browser, on the demo company: from their home to the company
heatmap, a pattern read in plain words, a job family chosen, and both files downloaded and read
back (openpyxl, csv). Shot at desktop and at phone width; axe-core finds no serious or critical
violation on either page.
"""

from __future__ import annotations

import csv
import io

import openpyxl
from playwright.sync_api import Page, expect

from trellis.web.accounts.models import User
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth.heatmap_selectors import heatmap_get, heatmap_scope_get

from . import pages
from .conftest import DemoCompany, Steps, sign_in
from .test_cycle_flow import check_accessibility

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _shots(page: Page, steps: Steps, name: str) -> None:
    steps.shot(name)
    page.set_viewport_size(PHONE)
    steps.shot(f"{name} phone")
    page.set_viewport_size(DESKTOP)


def test_hr_reads_the_company_heatmap_and_exports_a_family(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    checked: list[str] = []
    sign_in(page, demo_company.hr_email)
    pages.main(page).get_by_role("link", name="Skills heatmap of the company").click()
    expect(pages.heading(page)).to_have_text("Skills heatmap: The company")
    # The patterns are written as the selector finds them, in plain words.
    hr = User.objects.get(email=demo_company.hr_email)
    published = framework_published_get(viewer=hr)
    assert published is not None
    found = heatmap_get(
        viewer=hr,
        scope=heatmap_scope_get(viewer=hr, framework=published.framework),
        framework=published.framework,
    )
    patterns = pages.main(page).locator(".heatmap-patterns li")
    if found.team_patterns:
        first = found.team_patterns[0]
        expect(patterns.first).to_contain_text(f"{first.group} is ")
        expect(patterns.first).to_contain_text(first.competency)
    else:
        expect(pages.main(page).get_by_text("No team stands out")).to_be_visible()
    expect(pages.main(page).locator("svg.chart-heatmap").first).to_be_visible()
    check_accessibility(page, "company heatmap", checked)
    _shots(page, steps, "company heatmap")

    family = published.framework.families[0]
    pages.main(page).get_by_label("Job family").select_option(family.id)
    pages.main(page).get_by_role("button", name="Show").click()
    expect(pages.heading(page)).to_have_text(f"Skills heatmap: {family.name}")
    check_accessibility(page, "family heatmap", checked)
    _shots(page, steps, "family heatmap")

    with page.expect_download() as xlsx_download:
        pages.main(page).get_by_role("link", name="XLSX", exact=True).click()
    assert xlsx_download.value.suggested_filename == f"skills-heatmap-{family.id}.xlsx"
    with open(xlsx_download.value.path(), "rb") as file:
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    assert workbook.sheetnames == ["Everyone", "Level", "Team", "Patterns"]
    everyone = list(workbook["Everyone"].iter_rows(values_only=True))
    assert everyone[0][:3] == ("Grouping", "Group", "Competency")
    scope = heatmap_scope_get(viewer=hr, framework=published.framework, family_id=family.id)
    expected = heatmap_get(viewer=hr, scope=scope, framework=published.framework)
    assert [row[2] for row in everyone[1:]] == expected.competencies
    assert {row[3] for row in everyone[1:]} == {expected.people}

    with page.expect_download() as csv_download:
        pages.main(page).get_by_role("link", name="CSV", exact=True).click()
    assert csv_download.value.suggested_filename == f"skills-heatmap-{family.id}.csv"
    with open(csv_download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0][:3] == ["Grouping", "Group", "Competency"]
    levels = {row[1] for row in rows[1:] if row[0] == "Level"}
    assert levels == set(next(each for each in expected.aggregates if each.grouping == "level").groups)
