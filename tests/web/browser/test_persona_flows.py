"""Each persona's first minutes in a real browser: sign in through the form, see their home, read the
framework (index → family → level → matrix), search it. Nothing here writes, so the module's tests
share one demo company."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from trellis.framework.model import Framework, Level, Track
from trellis.web.people.models import Person

from . import pages
from .conftest import DemoCompany, Steps, demo_framework, sign_in


def _framework() -> Framework:
    return demo_framework()


def _place(person: Person) -> tuple[Track, Level, Level | None]:
    """The person's track and level, and the next level up that track (None at the top)."""
    family = _framework().family(person.family_id)
    assert family is not None
    track = family.track(person.track_id)
    assert track is not None
    codes = [level.code for level in track.levels]
    index = codes.index(person.level_code)
    following = track.levels[index + 1] if index + 1 < len(track.levels) else None
    return track, track.levels[index], following


def test_the_login_form_refuses_a_wrong_password(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    steps.shot("login page")
    page.get_by_label("E-mail address").fill(demo_company.employee_email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(pages.main(page)).to_contain_text(
        "That e-mail address and password do not match an active account."
    )
    steps.shot("refused")


def test_employee_signs_in_and_sees_what_the_next_level_asks(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    person = Person.objects.get(email=demo_company.employee_email)
    track, level, next_level = _place(person)
    assert next_level is not None, "the demo employee should not be at the top of their ladder"

    page.goto("/accounts/login/")
    steps.shot("login form")
    sign_in(page, demo_company.employee_email)
    expect(pages.heading(page)).to_have_text(f"Hello, {person.full_name.split()[0]}")
    steps.shot("home")

    next_level_section = pages.main(page).get_by_role("region", name=re.compile(r"next level", re.IGNORECASE))
    expect(next_level_section).to_be_visible()
    expect(next_level_section).to_contain_text(level.code)
    expect(next_level_section).to_contain_text(next_level.code)
    # The two levels' descriptions side by side: one competency's behaviour at each.
    competency_id, by_level = next(
        (competency_id, by_level)
        for competency_id, by_level in track.expectations.items()
        if by_level.get(level.code)
        and by_level.get(next_level.code)
        and by_level[level.code].behaviour
        and by_level[next_level.code].behaviour
    )
    expect(next_level_section).to_contain_text(by_level[level.code].behaviour)
    expect(next_level_section).to_contain_text(by_level[next_level.code].behaviour)
    next_level_section.scroll_into_view_if_needed()
    steps.shot(f"what {next_level.code} asks ({competency_id})")


def test_manager_signs_in_and_sees_their_team(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    manager = Person.objects.get(email=demo_company.manager_email)
    reports = list(manager.reports.filter(is_active=True).order_by("full_name"))
    employee = Person.objects.get(email=demo_company.employee_email)
    assert employee in reports

    sign_in(page, demo_company.manager_email)
    team = pages.main(page).get_by_role("region", name="Your team")
    expect(team).to_be_visible()
    direct = team.get_by_role("table", name="Your direct reports")
    expect(direct.get_by_role("rowheader")).to_have_text([person.full_name for person in reports])
    expect(direct.get_by_role("row", name=re.compile(re.escape(employee.full_name)))).to_contain_text(
        employee.level_code
    )
    steps.shot("home with the team")

    pages.open_profile(page, employee.full_name)
    expect(pages.main(page)).to_contain_text(employee.employee_id)
    steps.shot("a report's profile")

    pages.open_people_list(page)
    expect(pages.heading(page)).to_have_text("Your team")
    steps.shot("people list")


def test_hr_signs_in_and_sees_the_company(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    people = Person.objects.filter(is_active=True).count()
    sign_in(page, demo_company.hr_email)
    company = pages.main(page).get_by_role("region", name="The company")
    expect(company.get_by_role("definition").first).to_have_text(str(people))
    steps.shot("home with the company")
    pages.open_people_list(page)
    expect(pages.main(page)).to_contain_text(f"{people} people")
    steps.shot("people list")


def test_employee_browses_the_framework(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    framework = _framework()
    person = Person.objects.get(email=demo_company.employee_email)
    family = framework.family(person.family_id)
    assert family is not None
    track, level, next_level = _place(person)
    assert next_level is not None

    sign_in(page, demo_company.employee_email)
    pages.open_framework_index(page, framework)
    steps.shot("framework index")

    pages.open_family(page, family)
    for each_track in family.tracks:
        expect(pages.main(page)).to_contain_text(each_track.name)
    steps.shot(f"family {family.id}")

    pages.open_level(page, track, next_level)
    expect(pages.main(page)).to_contain_text(next_level.title)
    steps.shot(f"level {next_level.code}")

    page.go_back()
    table = pages.open_matrix(page)
    competencies = framework.competencies_for(family, track)
    expect(table.get_by_role("columnheader", name=pages.words(level.code)).first).to_be_visible()
    expect(table.get_by_role("rowheader", name=pages.words(competencies[0].name)).first).to_be_visible()
    steps.shot("competency matrix")


def test_employee_searches_the_framework(page: Page, steps: Steps, demo_company: DemoCompany) -> None:
    framework = _framework()
    family = framework.family("engineering")
    assert family is not None
    competency = family.competencies[0]

    sign_in(page, demo_company.employee_email)
    pages.search_framework(page, competency.name)
    results = pages.main(page)
    expect(results.get_by_role("link", name=pages.words(competency.name)).first).to_be_visible()
    steps.shot(f"search {competency.name}")

    # A second search from the search form on the results page: found by its role, as a reader would.
    box = results.get_by_role("searchbox").first
    box.fill("Principal")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/framework/search\?q=Principal"))
    expect(results.get_by_role("link", name=pages.words("IC6")).first).to_be_visible()
    steps.shot("search Principal")

    page.goto("/framework/search?q=zzzzqqqq")
    expect(results).to_contain_text(
        re.compile(r"no (results|matches)|nothing (found|matches)", re.IGNORECASE)
    )
    steps.shot("search without results")
