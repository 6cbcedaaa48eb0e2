"""A promotion round in a real browser on the demo company: HR sets up a committee, the manager
nominates two reports, the skip-level manager endorses, a committee member approves one and
answers "not yet" to the other, the worker applies the approval, and HR sees the level history
and the "not yet" list. axe-core checks each new page. Writes, so it has a module of its own."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from trellis.web.accounts.models import User
from trellis.web.people.demo_accounts import COAUTHOR_EMAIL
from trellis.web.people.models import Person
from trellis.web.promotions.models import Nomination

from ..task_worker import run_queued_tasks
from . import pages
from .conftest import DemoCompany, Steps, sign_in

BLOCKING_IMPACTS = {"serious", "critical"}
_AXE = Axe()


def _no_serious_violation(page: Page, name: str) -> None:
    violations = _AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{name} ({page.url}):\n" + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(f"{', '.join(node['target'])}: {node['failureSummary']}" for node in v["nodes"])
        for v in blocking
    )


def _next_level(person: Person) -> str:
    from .conftest import demo_framework

    family = demo_framework().family(person.family_id)
    assert family is not None
    track = family.track(person.track_id)
    assert track is not None
    codes = [level.code for level in track.levels]
    return codes[codes.index(person.level_code) + 1]


def _nominate(page: Page, steps: Steps, person: Person, case: str) -> None:
    pages.visit(page, f"/people/{person.pk}/")
    pages.main(page).get_by_role("link", name="Nominate for promotion").click()
    expect(pages.heading(page)).to_have_text(f"Nominate {person.full_name}")
    pages.main(page).get_by_label("The case for the promotion").fill(case)
    steps.shot(f"nominate {person.full_name}")
    pages.main(page).get_by_role("button", name="Submit to the committee").click()
    expect(pages.heading(page)).to_contain_text(person.full_name)
    expect(pages.main(page)).to_contain_text("Submitted to the promotion committee.")


def test_nominate_endorse_decide_and_the_level_history(
    page: Page, steps: Steps, demo_company: DemoCompany, browser_errors: list[str]
) -> None:
    employee = Person.objects.get(email=demo_company.employee_email)
    manager = employee.manager
    assert manager is not None and manager.manager is not None
    skip_level = manager.manager
    other = (
        Person.objects.filter(manager=manager, is_active=True, track_id="ic", reports__isnull=True)
        .exclude(pk=employee.pk)
        .order_by("employee_id")
        .first()
    )
    assert other is not None
    member = Person.objects.get(email=COAUTHOR_EMAIL)
    promoted_to = _next_level(employee)

    # HR sets up the committee that decides for Engineering.
    sign_in(page, demo_company.hr_email)
    pages.follow_navigation(page, "Promotions")
    pages.main(page).get_by_role("link", name="Committees").click()
    expect(pages.heading(page)).to_have_text("Promotion committees")
    pages.main(page).get_by_label("Name").fill("Engineering promotions")
    pages.main(page).get_by_label("Engineering", exact=True).check()
    pages.main(page).get_by_label("Members").fill(member.employee_id)
    pages.main(page).get_by_role("button", name="Add the committee").click()
    expect(pages.main(page)).to_contain_text("Committee added.")
    steps.shot("committees")
    _no_serious_violation(page, "committees")
    pages.sign_out(page)

    # The manager nominates two reports.
    sign_in(page, demo_company.manager_email)
    _nominate(page, steps, employee, "Leads the payments design reviews and mentors two engineers.")
    _no_serious_violation(page, "packet")
    _nominate(page, steps, other, "Delivers reliably; asked to lead the next migration.")
    pages.follow_navigation(page, "Promotions")
    expect(pages.main(page).get_by_role("table")).to_contain_text(employee.full_name)
    steps.shot("manager's promotions")
    _no_serious_violation(page, "promotions")
    pages.sign_out(page)

    # The skip-level manager endorses the first.
    skip_user = User.objects.get(person=skip_level)
    sign_in(page, skip_user.email)
    pages.follow_navigation(page, "Promotions")
    endorsements = pages.main(page).get_by_role("region", name="Awaiting your skip-level endorsement")
    endorsements.get_by_role("link", name=employee.full_name).click()
    pages.main(page).get_by_label("Your endorsement").fill("I have seen the design reviews; strong case.")
    pages.main(page).get_by_role("button", name="Endorse").click()
    expect(pages.main(page)).to_contain_text("Endorsement recorded.")
    expect(pages.main(page)).to_contain_text("Skip-level manager: " + skip_level.full_name)
    steps.shot("endorsed")
    pages.sign_out(page)

    # A committee member approves the first and answers "not yet" to the second.
    sign_in(page, COAUTHOR_EMAIL)
    pages.follow_navigation(page, "Promotions")
    pages.main(page).get_by_role("link", name="Committee queue").click()
    expect(pages.heading(page)).to_have_text("Committee queue")
    steps.shot("committee queue")
    _no_serious_violation(page, "committee queue")
    pages.main(page).get_by_role("link", name=employee.full_name).click()
    pages.main(page).get_by_label("Approve").check()
    pages.main(page).get_by_label("Takes effect on").fill(timezone.localdate().isoformat())
    pages.main(page).get_by_label("Reason").fill("Operates at the next level across two cycles.")
    steps.shot("deciding")
    pages.main(page).get_by_role("button", name="Record the decision").click()
    expect(pages.main(page)).to_contain_text("Approved.")
    pages.main(page).get_by_role("link", name=other.full_name).click()
    pages.main(page).get_by_label("Not yet").check()
    pages.main(page).get_by_label("Reason").fill("Scope: no cross-team project led yet.")
    pages.main(page).get_by_role("button", name="Record the decision").click()
    expect(pages.main(page)).to_contain_text("Decided: not yet.")
    steps.shot("decided")
    pages.sign_out(page)

    # The worker applies the approval (the decision enqueued it when it committed).
    ran = run_queued_tasks("trellis.web.promotions.tasks.promotions_apply_due")
    assert [(task.status, task.return_value) for task in ran] == [("SUCCESSFUL", 1)]

    # HR sees the level history and the "not yet" list.
    sign_in(page, demo_company.hr_email)
    pages.visit(page, f"/people/{employee.pk}/")
    history = pages.main(page).get_by_role("heading", name="History").locator("xpath=..")
    expect(history.get_by_role("listitem").first.locator("strong")).to_contain_text(promoted_to)
    steps.shot("level history")
    pages.follow_navigation(page, "Promotions")
    pages.main(page).get_by_role("link", name="Overview").click()
    not_yet = pages.main(page).get_by_role("region", name="Not yet")
    expect(not_yet).to_contain_text(other.full_name)
    expect(not_yet).to_contain_text("Scope: no cross-team project led yet.")
    expect(not_yet).to_contain_text(re.compile(r"today\s+No later case"))
    steps.shot("overview")
    _no_serious_violation(page, "overview")

    employee.refresh_from_db()
    assert (employee.level_code, employee.level_since) == (promoted_to, timezone.localdate())
    decided = Nomination.objects.filter(person__in=[employee, other]).values_list("status", flat=True)
    assert sorted(decided) == ["approved", "not_yet"]
    assert browser_errors == []
