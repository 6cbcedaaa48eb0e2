"""Roles and leavers in a real browser, with two browser contexts — two people at two computers:

- HR appoints the demo employee co-author of a family on the roles page, and the employee, signed
  in elsewhere, then edits that family's behaviours in the authoring editor;
- HR marks the employee as left on their profile, and the employee's next page load lands on the
  sign-in page.

They write to the demo company, so they have a module of their own; they run in this order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from trellis.web.accounts.models import AccountSession, User
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkDraft
from trellis.web.people.models import Person

from . import pages
from .conftest import STEP_TIMEOUT_MS, DemoCompany, Steps, demo_framework, sign_in

OBSERVABLE_WORDING = "Writes a one-page brief for each launch that sales and support review before it ships."


@pytest.fixture
def other_computer(browser: Browser, site: LiveServer) -> Iterator[Page]:
    """A second browser context: another person's computer, with cookies of its own."""
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _family_to_appoint() -> tuple[str, str]:
    """A family the demo employee does not co-author (the demo manager co-authors Engineering)."""
    family = next(family for family in demo_framework().families if family.id != "engineering")
    return family.id, family.name


def test_hr_appoints_a_coauthor_who_then_edits_their_family(
    page: Page, other_computer: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    family_id, family_name = _family_to_appoint()
    employee = other_computer
    sign_in(employee, demo_company.employee_email)

    sign_in(page, demo_company.hr_email)
    pages.visit(page, "/accounts/admin/users/")
    expect(
        pages.main(page).get_by_role("link", name=f"Deactivate {demo_company.employee_email}")
    ).to_be_visible()
    steps.shot("accounts page")
    pages.main(page).get_by_role("link", name="Roles").first.click()
    expect(pages.heading(page)).to_have_text("Roles")
    steps.shot("roles page")
    appoint = pages.main(page).get_by_role("region", name="Appoint")
    appoint.get_by_label("Role").select_option("coauthor")
    appoint.get_by_label("E-mail address of the account").fill(demo_company.employee_email)
    appoint.get_by_label("Family (for a co-author)").select_option(family_id)
    appoint.get_by_role("button", name="Appoint").click()
    expect(page.get_by_text("Role given.")).to_be_visible()
    coauthors = pages.main(page).get_by_role("list", name=re.compile(f"^{re.escape(family_name)}"))
    expect(coauthors).to_contain_text(demo_company.employee_email)
    steps.shot("co-author appointed")
    assert list(
        FamilyCoauthor.objects.filter(user__email=demo_company.employee_email).values_list(
            "family_id", flat=True
        )
    ) == [family_id]

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(pages.heading(page)).to_have_text("Roles")
    steps.shot("roles page at phone width")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The employee, at their own computer, finds the family in the editor and rewrites a behaviour.
    family = demo_framework().family(family_id)
    assert family is not None
    track = family.tracks[0]
    pages.open_authoring(employee)
    pages.open_editor(employee, family)
    competency = family.competencies[0].name if family.competencies else "Communication"
    pages.open_behaviours(employee, track, competency)
    level = track.levels[0]
    behaviour = pages.main(employee).get_by_role("textbox", name=f"Behaviour at {level.code}")
    behaviour.fill(OBSERVABLE_WORDING)
    pages.main(employee).get_by_role("button", name=re.compile(r"^save", re.IGNORECASE)).click()
    expect(pages.main(employee).get_by_role("textbox", name=f"Behaviour at {level.code}")).to_have_value(
        OBSERVABLE_WORDING
    )
    employee.screenshot(
        path=str(steps.folder / f"{len(steps.taken) + 1:02d}-coauthor-saved-a-behaviour.png"), full_page=True
    )
    assert OBSERVABLE_WORDING in FrameworkDraft.objects.get().yaml_text


def test_hr_marks_a_person_as_left_and_their_session_ends(
    page: Page, other_computer: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    employee = other_computer
    sign_in(employee, demo_company.employee_email)
    account = User.objects.get(email=demo_company.employee_email)
    person = Person.objects.get(user=account)
    assert AccountSession.objects.filter(user=account).exists()

    sign_in(page, demo_company.hr_email)
    pages.visit(page, f"/people/{person.pk}/")
    expect(pages.heading(page)).to_have_text(person.full_name)
    steps.shot("profile")
    pages.main(page).get_by_role("link", name="Mark as left").click()
    expect(pages.heading(page)).to_have_text(f"Mark {person.full_name} as left")
    pages.main(page).get_by_label("Reason (optional)").fill("Moved to a partner company")
    steps.shot("mark as left")
    pages.main(page).get_by_role("button", name="Mark as left").click()
    expect(page.get_by_text(re.compile(r"^Marked as left\."))).to_be_visible()
    expect(pages.main(page).get_by_role("link", name="Mark as rejoined")).to_be_visible()
    steps.shot("marked as left")

    # The employee's next page load: the sign-in page, not their home.
    employee.reload()
    expect(employee).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(employee.get_by_role("button", name="Sign in")).to_be_visible()
    employee.screenshot(
        path=str(steps.folder / f"{len(steps.taken) + 1:02d}-employee-sent-to-sign-in.png"), full_page=True
    )

    account.refresh_from_db()
    assert account.is_active is False
    assert not AccountSession.objects.filter(user=account).exists()
    assert not FamilyCoauthor.objects.filter(user=account).exists()  # appointed in the test above
