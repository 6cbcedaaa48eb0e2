"""Internal opportunities in a real browser, on the demo company: the employee persona finds the gig
that fits them, reads its match explanation and applies, hidden from their manager; the gig's hiring
manager (outside the employee's management chain) opens the ranked applicants, reads the same
explanations and moves the employee to talking; the employee's manager sees the application only
then. Desktop, and the candidates and the opportunity list at a 390 px phone width."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.web.mobility.demo_mobility import DEMO_GIG_TITLE
from trellis.web.mobility.models import Application, ApplicationStageChange, Opportunity
from trellis.web.people.models import Person

from . import pages
from .conftest import DemoCompany, Steps, sign_in

PHONE = {"width": 390, "height": 844}


def _no_blocking_violation(page: Page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert blocking == [], results.generate_report()


def test_an_employee_applies_hidden_and_the_manager_sees_it_only_at_the_interview(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    employee = Person.objects.get(email=demo_company.employee_email)
    gig = Opportunity.objects.select_related("hiring_manager").get(title=DEMO_GIG_TITLE)
    hiring_email = gig.hiring_manager.email

    # The employee finds the gig that fits them and reads why.
    sign_in(page, demo_company.employee_email)
    pages.follow_navigation(page, "Opportunities")
    expect(pages.heading(page)).to_have_text("Internal opportunities")
    card = pages.main(page).locator(".move-card", has_text=DEMO_GIG_TITLE)
    expect(card).to_contain_text("100% match")
    expect(card).to_contain_text("Meets 3 of 3 requirements")
    steps.shot("opportunities that fit")
    page.set_viewport_size(PHONE)
    steps.shot("opportunities on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    card.get_by_role("link", name=DEMO_GIG_TITLE).click()
    expect(pages.heading(page)).to_contain_text(DEMO_GIG_TITLE)
    explanation = page.locator(".opportunity-requirements li")
    expect(explanation).to_have_count(3)
    expect(explanation.first).to_contain_text("meets")
    _no_blocking_violation(page)
    page.get_by_label("A note to the hiring manager").fill("I was on call for checkout all last quarter.")
    page.get_by_label("Keep this hidden from my manager until an interview").check()
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(
        page.get_by_text("Applied: the hiring manager sees your application and your note.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Apply", exact=True)).to_have_count(0)
    expect(pages.main(page)).to_contain_text("hidden from your manager until an interview")
    steps.shot("applied, hidden")
    application = Application.objects.get(opportunity=gig, person=employee)
    assert (application.stage, application.hidden_from_manager) == ("applied", True)
    pages.sign_out(page)

    # The employee's manager does not see it yet.
    sign_in(page, demo_company.manager_email)
    pages.visit(page, "/opportunities/reports/")
    expect(pages.heading(page)).to_have_text("Your people's applications")
    expect(pages.main(page)).not_to_contain_text(DEMO_GIG_TITLE)
    steps.shot("the manager does not see it")
    pages.sign_out(page)

    # The hiring manager reads the ranked applicants and moves the employee to talking.
    sign_in(page, hiring_email)
    pages.follow_navigation(page, "Opportunities")
    page.get_by_role("link", name="Candidates").first.click()
    expect(pages.heading(page)).to_have_text(f"Candidates for {DEMO_GIG_TITLE}")
    rows = page.locator("table.candidates-table tbody tr")
    expect(rows.first).to_contain_text(employee.full_name)
    expect(rows.first).to_contain_text("Meets 3 of 3 requirements")
    expect(rows).to_have_count(Application.objects.filter(opportunity=gig).exclude(stage="saved").count())
    _no_blocking_violation(page)
    steps.shot("ranked candidates")
    page.set_viewport_size(PHONE)
    steps.shot("ranked candidates on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    rows.first.get_by_role("button", name=re.compile(r"^Talking")).click()
    expect(page.get_by_text(f"{employee.full_name}: talking.")).to_be_visible()
    steps.shot("moved to talking")
    change = ApplicationStageChange.objects.filter(application=application).order_by("-id").first()
    assert change is not None and (change.to_stage, change.changed_by.email) == ("talking", hiring_email)  # type: ignore[union-attr]
    pages.sign_out(page)

    # Now the employee's manager sees it.
    sign_in(page, demo_company.manager_email)
    pages.visit(page, "/opportunities/reports/")
    row = pages.main(page).get_by_role("row", name=re.compile(re.escape(employee.full_name)))
    expect(row).to_contain_text(DEMO_GIG_TITLE)
    expect(row).to_contain_text("Talking")
    _no_blocking_violation(page)
    steps.shot("the manager sees it at the interview")
