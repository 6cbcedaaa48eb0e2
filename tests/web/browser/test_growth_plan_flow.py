"""A development plan in a real browser, on the demo company: the employee opens their career
paths, finds a lateral move the framework does not name (derived from competency overlap), drafts a
plan from it in one click and lands on their plan with a goal for each of that move's largest gaps;
they add an action, mark it done with the evidence it produced, and write a check-in. Their manager
then sees the plan's completion on their home and on the plan. Screenshots at desktop width and at
390 px; axe-core finds no serious or critical violation on the plan page.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.evaluation.gaps import skill_gaps, suggested_goals
from trellis.web.growth.models import Action, CheckIn, DevelopmentPlan
from trellis.web.growth.selectors import demonstrated_get
from trellis.web.people.models import Person
from trellis.web.reviews.models import EvidenceItem

from . import pages
from .conftest import DemoCompany, Steps, demo_framework, sign_in

PHONE = {"width": 390, "height": 844}


def test_the_employee_drafts_a_plan_from_a_derived_move_and_the_manager_sees_it(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    employee = Person.objects.get(email=demo_company.employee_email)
    sign_in(page, demo_company.employee_email)
    expect(pages.main(page).get_by_text("Development plan:")).to_be_visible()
    pages.main(page).get_by_role("link", name="Where you can go").first.click()
    expect(pages.heading(page)).to_have_text("Where you can go")
    derived = page.locator("section.moves").filter(
        has=page.get_by_role("heading", level=2, name="Other roles your competencies fit")
    )
    move = derived.locator("li.move-card").first
    expect(move).to_be_visible()
    title = move.get_by_role("heading", level=3).inner_text()
    target = move.locator('input[name="target"]').get_attribute("value")
    assert target is not None
    family_id, track_id, level_code = target.split("/")
    assert family_id != employee.family_id, "a derived move leads to another family"
    steps.shot("career paths, a derived move")

    # The goals the draft should add: that move's largest gaps (the plan's existing ones kept).
    report = skill_gaps(
        demo_framework(),
        family=family_id,
        track=track_id,
        level=level_code,
        demonstrated=demonstrated_get(person=employee),
    )
    expected = [suggestion.competency for suggestion in suggested_goals(report)]
    assert expected, f"{title}: the move has no gap to plan for"
    move.get_by_role("button", name=f"Draft a plan toward {level_code}").click()

    expect(pages.heading(page)).to_have_text("Your development plan")
    plan = DevelopmentPlan.objects.get(person=employee, status="active")
    assert (plan.target_family_id, plan.target_track_id, plan.target_level_code) == (
        family_id,
        track_id,
        level_code,
    )
    # The demo employee's plan toward their next level is archived: the new plan holds the move's gaps.
    assert list(plan.goals.values_list("competency_id", flat=True)) == expected
    expect(
        page.get_by_role("heading", level=2, name=re.compile(rf"^Toward {re.escape(level_code)} "))
    ).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(re.compile(r"Plan drafted: .* is archived"))
    expect(page.locator("#earlier-plans")).to_contain_text("archived")
    steps.shot("the plan drafted from the move")

    goal = plan.goals.get(competency_id=expected[0])
    card = page.locator(f"#goal-{goal.pk}")
    card.get_by_text(f"Add an action to “{goal.title[:30]}").click()
    card.get_by_label("Kind").select_option(label="Cross-functional project")
    card.get_by_label("Action").fill(f"Join the {level_code} team's next launch")
    card.get_by_label("Due").fill("2027-03-31")
    card.get_by_role("button", name="Add the action").click()
    expect(page.locator(".messages")).to_contain_text("Action added.")
    action = Action.objects.get(goal=goal)
    card = page.locator(f"#goal-{goal.pk}")
    card.get_by_text(f"Update “{action.title[:30]}").click()
    card.get_by_label("Status").last.select_option(label="Done")
    card.get_by_label("What it produced (recorded as evidence)").fill(
        "Ran the launch review with their team."
    )
    card.get_by_role("button", name="Save the action").click()
    expect(page.locator(".messages")).to_contain_text("Its evidence is recorded.")
    action.refresh_from_db()
    assert action.status == "done" and action.evidence is not None
    assert EvidenceItem.objects.get(pk=action.evidence_id).competency_ids == [goal.competency_id]
    expect(page.locator(f"#goal-{goal.pk}")).to_contain_text("Evidence recorded for")
    steps.shot("an action done, its evidence recorded")

    page.get_by_role("textbox", name="Check-in", exact=True).fill(
        "Trying the lateral move: first launch done with their team."
    )
    page.get_by_role("button", name="Add the check-in").click()
    expect(page.locator(".messages")).to_contain_text("Check-in recorded.")
    assert CheckIn.objects.filter(plan=plan, author=employee).count() >= 1
    completion = page.locator(".plan-summary__completion strong").inner_text()
    steps.shot("a check-in")
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert blocking == [], results.generate_report()
    page.set_viewport_size(PHONE)
    steps.shot("the plan on a phone")

    pages.sign_out(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, demo_company.manager_email)
    team_plans = pages.main(page).locator("ul.plan-team")
    expect(team_plans).to_contain_text(f"{employee.full_name} {completion}")
    steps.shot("manager home, the team's plans")
    team_plans.get_by_role("link", name=employee.full_name).click()
    expect(pages.heading(page)).to_have_text(f"Development plan of {employee.full_name}")
    expect(page.locator(".plan-summary__completion")).to_contain_text(completion)
    expect(page.locator("#check-ins")).to_contain_text("first launch done with their team")
    steps.shot("the manager reads the plan")
