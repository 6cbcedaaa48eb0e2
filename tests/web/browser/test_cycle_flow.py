"""A review cycle in the browser, on the demo company: HR opens a cycle for everyone, the employee
self-assesses (each competency saved as they type, by htmx) and submits, the manager assesses the
employee. axe-core checks every new page on the way (no serious or critical violation).

A module of its own: it writes (a cycle, ratings), and each module gets a fresh demo company.
"""

from __future__ import annotations

import datetime
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.web.people.models import Person
from trellis.web.reviews.models import Assessment, Rating, ReviewCycle, Source

from . import pages
from .conftest import DemoCompany, Steps, sign_in

BLOCKING_IMPACTS = {"serious", "critical"}
_AXE = Axe()
CYCLE = "Browser review 2026"


def check_accessibility(page: Page, name: str, checked: list[str]) -> None:
    violations = _AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{name} ({page.url}):\n" + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(f"{', '.join(node['target'])}: {node['failureSummary']}" for node in v["nodes"])
        for v in blocking
    )
    checked.append(name)


def open_reviews(page: Page) -> None:
    pages.follow_navigation(page, "Reviews")
    expect(pages.heading(page)).to_have_text(re.compile(r"^(My reviews|Review cycles)$"))


def test_hr_opens_a_cycle_the_employee_and_the_manager_assess(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    checked: list[str] = []
    # HR opens the cycle for everyone.
    sign_in(page, demo_company.hr_email)
    open_reviews(page)
    if pages.heading(page).inner_text() == "My reviews":
        pages.main(page).get_by_role("link", name="Review cycles").click()
    expect(pages.heading(page)).to_have_text("Review cycles")
    check_accessibility(page, "cycle list", checked)
    pages.main(page).get_by_role("link", name="Open a cycle").click()
    expect(pages.heading(page)).to_have_text("Open a review cycle")
    check_accessibility(page, "open a cycle", checked)
    form = pages.main(page).get_by_role("form", name="Open a review cycle")
    form.get_by_label("Name").fill(CYCLE)
    form.get_by_label("Starts on").fill("2026-07-01")
    form.get_by_label("Ends on").fill("2026-12-31")
    form.get_by_label("Self-assessments due").fill("2026-12-10")
    form.get_by_label("Everyone (every active person)").check()
    steps.shot("hr fills the cycle form")
    form.get_by_role("button", name="Open the cycle").click()
    expect(pages.heading(page)).to_have_text(CYCLE)
    expect(pages.main(page)).to_contain_text(re.compile(rf"Opened {CYCLE} for \d+ people\."))
    check_accessibility(page, "cycle page", checked)
    steps.shot("hr sees the cycle")
    cycle = ReviewCycle.objects.get(name=CYCLE)
    assert cycle.phase == "assessment"
    assert cycle.self_due == datetime.date(2026, 12, 10)
    page.get_by_role("button", name="Sign out").click()

    # The employee self-assesses: each change is saved as they go.
    employee = Person.objects.get(email=demo_company.employee_email)
    sign_in(page, demo_company.employee_email)
    open_reviews(page)
    check_accessibility(page, "my reviews", checked)
    pages.main(page).get_by_role("link", name=f"Your self-assessment — {CYCLE}").click()
    expect(pages.heading(page)).to_have_text(f"Self-assessment of {employee.full_name}")
    communication = pages.main(page).get_by_role("group", name="Communication", exact=True)
    communication.get_by_role("group", name="Rating of Communication").get_by_label("3 · Proficient").check()
    expect(communication.get_by_text(re.compile(r"^Saved "))).to_be_visible()
    communication.get_by_label("Comment").fill("Wrote the design note for the billing export.")
    expect(communication.get_by_text(re.compile(r"^Saved "))).to_be_visible()
    page.wait_for_function(
        "() => document.getElementById('revision-communication').value === '2'", timeout=5_000
    )
    # A focused field makes the screenshot hide its caret with an inline style, which the CSP refuses.
    page.evaluate("document.activeElement.blur()")
    check_accessibility(page, "self-assessment form", checked)
    steps.shot("employee self-assesses")
    rating = Rating.objects.get(
        cycle=cycle, source=Source.SELF, subject=employee, competency_id="communication"
    )
    assert (rating.score, rating.comment, rating.revision) == (
        3,
        "Wrote the design note for the billing export.",
        2,
    )
    pages.main(page).get_by_role("button", name="Submit").click()
    expect(pages.heading(page)).to_have_text("My reviews")
    expect(pages.main(page)).to_contain_text("Submitted. Not rated:")
    steps.shot("employee submitted")
    assert Assessment.objects.get(cycle=cycle, source=Source.SELF, subject=employee).submitted_at is not None
    page.get_by_role("button", name="Sign out").click()

    # The manager assesses the employee, with the submitted self-assessment to read.
    assert employee.manager is not None and employee.manager.email == demo_company.manager_email
    sign_in(page, demo_company.manager_email)
    open_reviews(page)
    pages.main(page).get_by_role("link", name=f"{employee.full_name} — {CYCLE}").click()
    expect(pages.heading(page)).to_have_text(f"Manager assessment of {employee.full_name}")
    ownership = pages.main(page).get_by_role("group", name="Ownership", exact=True)
    ownership.get_by_role("group", name="Rating of Ownership").get_by_label("4 · Advanced").check()
    expect(ownership.get_by_text(re.compile(r"^Saved "))).to_be_visible()
    page.evaluate("document.activeElement.blur()")
    check_accessibility(page, "manager assessment form", checked)
    steps.shot("manager assesses")
    manager_rating = Rating.objects.get(
        cycle=cycle, source=Source.MANAGER, subject=employee, competency_id="ownership"
    )
    assert (manager_rating.score, manager_rating.revision) == (4, 1)
    page.goto(f"/reviews/participants/{cycle.participants.get(person=employee).pk}/")
    expect(pages.main(page)).to_contain_text("3 · Proficient")  # the submitted self-assessment
    check_accessibility(page, "participant page", checked)
    steps.shot("manager reads the overview")
    assert checked == [
        "cycle list",
        "open a cycle",
        "cycle page",
        "my reviews",
        "self-assessment form",
        "manager assessment form",
        "participant page",
    ]
