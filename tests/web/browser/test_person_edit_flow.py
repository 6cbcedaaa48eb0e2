"""HR edits a person from their profile and sorts the people list, in a real browser, at desktop
width and at a phone's (390 px). Editing writes, so the flow has a module (and a demo company) of
its own."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from trellis.web.people.models import Person, PersonChange

from . import pages
from .conftest import DemoCompany, Steps, sign_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_hr_sorts_the_people_list_and_edits_a_person(
    page: Page, steps: Steps, demo_company: DemoCompany, browser_errors: list[str]
) -> None:
    person = Person.objects.get(email=demo_company.employee_email)
    sign_in(page, demo_company.hr_email)
    pages.open_people_list(page)
    main = pages.main(page)
    main.get_by_role("link", name=re.compile(r"^Team")).click()
    team_header = main.get_by_role("columnheader", name=re.compile(r"^Team"))
    expect(team_header).to_have_attribute("aria-sort", "ascending")
    expect(page).to_have_url(re.compile(r"sort=team"))
    steps.shot("people sorted by team")
    main.get_by_role("link", name=re.compile(r"^Team")).click()
    expect(team_header).to_have_attribute("aria-sort", "descending")
    page.set_viewport_size(PHONE)
    steps.shot("people sorted by team, phone")
    page.set_viewport_size(DESKTOP)

    pages.open_profile(page, person.full_name)
    main.get_by_role("link", name="Edit", exact=True).click()
    expect(pages.heading(page)).to_have_text(f"Edit {person.full_name}")
    steps.shot("edit form")
    page.set_viewport_size(PHONE)
    steps.shot("edit form, phone")
    page.set_viewport_size(DESKTOP)

    main.get_by_label("Manager (employee ID or e-mail)").fill(person.employee_id)
    main.get_by_role("button", name="Save").click()
    expect(main.locator("#id_manager_error")).to_contain_text("cannot be their own manager")
    steps.shot("edit form refused")
    # The refused form is answered 400, which the browser reports in its console: that one only.
    assert [error.split(": ", 1)[1] for error in browser_errors] == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    browser_errors.clear()

    main.get_by_label("Manager (employee ID or e-mail)").fill(
        person.manager.employee_id if person.manager else ""
    )
    main.get_by_label("Job title").fill("Staff Software Engineer")
    new_level = "IC5" if person.level_code != "IC5" else "IC3"
    main.locator("#id_level").select_option(f"{person.family_id}/{person.track_id}/{new_level}")
    main.get_by_role("button", name="Save").click()
    expect(pages.heading(page)).to_have_text(person.full_name)
    history = main.get_by_role("heading", name="History").locator("xpath=..")
    expect(history.get_by_role("listitem").first).to_contain_text(f"{person.level_code} ")
    expect(history.get_by_role("listitem").first.locator("strong")).to_contain_text(new_level)
    expect(main.locator("dt:text-is('Time in level') + dd")).to_contain_text("today")
    steps.shot("profile after the edit")

    old_level = person.level_code
    person.refresh_from_db()
    assert (person.title, person.level_code, person.level_since) == (
        "Staff Software Engineer",
        new_level,
        timezone.localdate(),
    )
    latest = PersonChange.objects.filter(person=person).first()
    assert latest is not None
    assert (latest.kind, latest.old_value, latest.new_value) == (
        PersonChange.Kind.LEVEL,
        f"{person.family_id}/{person.track_id}/{old_level}",
        f"{person.family_id}/{person.track_id}/{new_level}",
    )
