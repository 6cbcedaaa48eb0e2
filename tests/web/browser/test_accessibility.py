"""axe-core on each persona's main pages: no violation of impact "serious" or "critical".

The axe script is the copy shipped inside the axe-playwright-python package (never a CDN). Lesser
findings ("minor", "moderate") are printed with the test output, so they are seen without failing
the suite. Each page is reached as a person reaches it (see `pages`), and a screenshot of what was
checked is saved beside the flows' screenshots.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from trellis.framework.model import Framework
from trellis.web.people.models import Person

from . import pages
from .conftest import DemoCompany, Steps, demo_framework, sign_in

BLOCKING_IMPACTS = {"serious", "critical"}
_AXE = Axe()


def _framework() -> Framework:
    return demo_framework()


def _employee(company: DemoCompany) -> Person:
    return Person.objects.get(email=company.employee_email)


def _login_page(page: Page, company: DemoCompany) -> None:
    page.goto("/accounts/login/")


def _home(email: Callable[[DemoCompany], str]) -> Callable[[Page, DemoCompany], None]:
    def visit(page: Page, company: DemoCompany) -> None:
        sign_in(page, email(company))

    return visit


def _framework_index(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.employee_email)
    pages.open_framework_index(page, _framework())


def _family(page: Page, company: DemoCompany) -> None:
    _framework_index(page, company)
    family = _framework().family(_employee(company).family_id)
    assert family is not None
    pages.open_family(page, family)


def _level(page: Page, company: DemoCompany) -> None:
    _family(page, company)
    person = _employee(company)
    family = _framework().family(person.family_id)
    assert family is not None
    track = family.track(person.track_id)
    assert track is not None
    level = track.level(person.level_code)
    assert level is not None
    pages.open_level(page, track, level)


def _matrix(page: Page, company: DemoCompany) -> None:
    _family(page, company)
    pages.open_matrix(page)


def _search(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.employee_email)
    pages.search_framework(page, "design")


def _people_list(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.open_people_list(page)


def _profile(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)
    pages.open_profile(page, _employee(company).full_name)


def _person_edit(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.open_people_list(page)
    pages.main(page).get_by_role("link", name=re.compile(r"^Time in level")).click()
    pages.open_profile(page, _employee(company).full_name)
    pages.main(page).get_by_role("link", name="Edit", exact=True).click()


def _authoring_overview(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)  # co-author of Engineering
    pages.open_authoring(page)


def _editor(page: Page, company: DemoCompany) -> None:
    _authoring_overview(page, company)
    family = _framework().family("engineering")
    assert family is not None
    track = family.track("ic")
    assert track is not None
    pages.open_editor(page, family)
    pages.open_behaviours(page, track, "Communication")


def _publish_confirmation(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.open_authoring(page)
    pages.main(page).get_by_role("link", name="Review and publish").click()


def _people_import(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.open_people_import(page)


def _sign_ins(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.follow_navigation(page, "Admin")
    pages.main(page).get_by_role("link", name="Sign-ins").click()


def _roles(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.visit(page, "/accounts/admin/roles/")


def _mark_as_left(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.visit(page, f"/people/{_employee(company).pk}/left/")


def _skill_gaps(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)
    pages.visit(page, f"/readiness/{_employee(company).pk}/")
    pages.main(page).get_by_role("link", name="Skill gaps against any level").click()


def _career_paths(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.employee_email)
    pages.visit(page, f"/readiness/{_employee(company).pk}/")
    pages.main(page).get_by_role("link", name="Career paths").click()


def _one_on_one_guide(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)
    pages.main(page).get_by_role("link", name=f"1:1 guide for {_employee(company).full_name}").click()


def _one_on_one_meeting(page: Page, company: DemoCompany) -> None:
    _one_on_one_guide(page, company)
    pages.main(page).get_by_role("region", name="Plan a 1:1").get_by_role("link").first.click()


def _one_on_ones_mine(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.employee_email)
    pages.main(page).get_by_role("link", name="Your 1:1s").click()


def _development_plan(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.employee_email)
    pages.main(page).locator(".plan-home").get_by_role("link").click()


def _objectives(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)
    pages.visit(page, "/growth/objectives/")


def _opportunities(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.employee_email)
    pages.follow_navigation(page, "Opportunities")


def _my_applications(page: Page, company: DemoCompany) -> None:
    _opportunities(page, company)
    pages.main(page).get_by_role("link", name="My applications").click()


def _post_opportunity(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)
    pages.follow_navigation(page, "Opportunities")
    pages.main(page).get_by_role("link", name="Post an opportunity").click()


def _people_applications(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)
    pages.follow_navigation(page, "Opportunities")
    pages.main(page).get_by_role("link", name="Your people's applications").click()


def _company_heatmap(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.hr_email)
    pages.main(page).get_by_role("link", name="Skills heatmap of the company").click()


def _team_heatmap(page: Page, company: DemoCompany) -> None:
    sign_in(page, company.manager_email)
    pages.main(page).get_by_role("link", name="Skills heatmap of your team").click()


PAGES: dict[str, Callable[[Page, DemoCompany], None]] = {
    "login": _login_page,
    "employee home": _home(lambda company: company.employee_email),
    "manager home": _home(lambda company: company.manager_email),
    "hr home": _home(lambda company: company.hr_email),
    "framework index": _framework_index,
    "family": _family,
    "level": _level,
    "matrix": _matrix,
    "search": _search,
    "people list": _people_list,
    "profile": _profile,
    "person edit": _person_edit,
    "authoring overview": _authoring_overview,
    "editor": _editor,
    "publish confirmation": _publish_confirmation,
    "people import": _people_import,
    "sign-ins": _sign_ins,
    "roles": _roles,
    "mark as left": _mark_as_left,
    "skill gaps": _skill_gaps,
    "career paths": _career_paths,
    "1:1 guide": _one_on_one_guide,
    "1:1 meeting": _one_on_one_meeting,
    "your 1:1s": _one_on_ones_mine,
    "development plan": _development_plan,
    "objectives": _objectives,
    "opportunities": _opportunities,
    "my applications": _my_applications,
    "post an opportunity": _post_opportunity,
    "people's applications": _people_applications,
    "company skills heatmap": _company_heatmap,
    "team skills heatmap": _team_heatmap,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation(
    page: Page, steps: Steps, demo_company: DemoCompany, name: str
) -> None:
    PAGES[name](page, demo_company)
    steps.shot(name)
    results = _AXE.run(page)
    violations = results.response["violations"]
    lesser = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    for violation in lesser:
        targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
        print(f"{name}: {violation['impact']} {violation['id']}: {violation['help']} ({targets})")
    assert not blocking, f"{name} ({page.url}):\n" + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(f"{', '.join(node['target'])}: {node['failureSummary']}" for node in v["nodes"])
        for v in blocking
    )
