"""The home page of each persona, the people list and profiles: what each one shows, what each one
refuses, and how many queries each costs (pinned, so an N+1 shows up the day it is written)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.selectors import current_framework
from trellis.web.people.models import Person, PersonChange

from ..conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _framework_parsed(published_framework: FrameworkVersion) -> None:
    # Pinned query counts are those of a warm process, where the framework is already parsed.
    current_framework()


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_employee_home_shows_level_track_and_time_in_level(
    login: Any, employee: User, django_assert_num_queries: Any
) -> None:
    client = login(employee)
    with django_assert_num_queries(4):  # session, account with person, has reports, current version
        html = page(client, "/")
    assert "Hello, Emi" in html
    assert '<span class="level-code level-code--large">IC2</span>' in html
    assert "Engineering · Individual contributor" in html
    assert '(since <time datetime="2024-03-01">1 March 2024</time>)' in html
    assert "Mo Manager" in html
    assert "Your team" not in html
    assert "The company" not in html


def test_manager_home_shows_the_team_two_levels_down(
    login: Any, skip_level_manager: User, employee: User, django_assert_num_queries: Any
) -> None:
    for number in range(3):
        make_person(
            None, employee_id=f"X{number}", full_name=f"Extra {number}", level_code="IC3",
            manager=employee.person.manager,
        )  # fmt: skip
    client = login(skip_level_manager)
    with django_assert_num_queries(5):  # + the reports, in one query whatever their number
        html = page(client, "/")
    assert "Your team" in html
    direct, _, indirect = html.partition("Their reports")
    assert "Mo Manager" in direct
    assert "Emi Employee" not in direct
    assert all(name in indirect for name in ["Emi Employee", "Extra 0", "Extra 1", "Extra 2"])
    assert '<span class="level-code">IC2</span> <span class="muted">Developing</span>' in indirect


def test_hr_home_shows_counts_and_links(
    login: Any, personas: dict[str, User], django_assert_num_queries: Any
) -> None:
    client = login(personas["hr_admin"])
    with django_assert_num_queries(7):  # session, account, version, 4 counts; no person, no reports
        html = page(client, "/")
    assert '<div class="stat"><dt>People</dt><dd>6</dd></div>' in html
    assert '<div class="stat"><dt>Managers</dt><dd>3</dd></div>' in html
    assert '<div class="stat"><dt>Accounts</dt><dd>8</dd></div>' in html
    assert '<div class="stat"><dt>Framework</dt><dd>v1</dd></div>' in html
    assert 'href="/admin/audit/"' in html


def test_it_admin_home_links_to_administration(login: Any, it_admin: User) -> None:
    html = page(login(it_admin), "/")
    assert "Administration" in html
    assert "Your level" not in html
    assert "The company" not in html


@pytest.mark.parametrize(
    ("persona", "nav"),
    [
        ("employee", ["Home", "Framework"]),
        ("manager", ["Home", "Framework", "People"]),
        ("coauthor", ["Home", "Framework"]),
        ("hr_admin", ["Home", "Framework", "People", "Admin"]),
        ("it_admin", ["Home", "Framework", "Admin"]),
    ],
)
def test_navigation_follows_the_persona(
    login: Any, personas: dict[str, User], persona: str, nav: list[str]
) -> None:
    html = page(login(personas[persona]), "/")
    header = html.split('<nav class="site-nav" aria-label="Main">')[1].split("</nav>")[0]
    labels = [part.split("<")[0] for part in header.split('">')[1:] if part.split("<")[0].strip()]
    assert labels == nav


def test_people_list_shows_only_whom_the_manager_may_see(login: Any, personas: dict[str, User]) -> None:
    html = page(login(personas["skip_level_manager"]), "/people/")
    assert [
        name
        for name in ["Sara Skip", "Mo Manager", "Emi Employee", "Ola Outsider", "Otto Other"]
        if name in html
    ] == [
        "Sara Skip",
        "Mo Manager",
        "Emi Employee",
    ]


def test_people_list_queries_do_not_grow_with_the_page(
    login: Any, hr_admin: User, employee: User, django_assert_num_queries: Any
) -> None:
    client = login(hr_admin)
    for number in range(40):
        make_person(None, employee_id=f"P{number:02}", full_name=f"Person {number:02}", level_code="IC1")
    with django_assert_num_queries(5):  # session, account, count, page of people, version
        page(client, "/people/")


def test_people_list_is_refused_to_people_without_reports(login: Any, personas: dict[str, User]) -> None:
    for persona in ["employee", "coauthor", "it_admin"]:
        assert login(personas[persona]).get("/people/").status_code == 403


def test_profile_visible_to_self_and_managers_above(login: Any, personas: dict[str, User]) -> None:
    subject = personas["employee"].person
    PersonChange.objects.create(
        person=subject, kind="level", old_value="engineering/ic/IC1", new_value="engineering/ic/IC2",
        changed_at="2024-03-01T09:00:00Z",
    )  # fmt: skip
    for persona in ["employee", "manager", "skip_level_manager", "hr_admin"]:
        html = page(login(personas[persona]), f"/people/{subject.pk}/")
        assert "<h1>Emi Employee</h1>" in html
        assert "engineering/ic/IC1 → <strong>engineering/ic/IC2</strong>" in html


def test_profile_is_not_found_for_everyone_else(login: Any, personas: dict[str, User]) -> None:
    subject = personas["employee"].person
    for persona in ["other_manager", "outsider", "coauthor", "it_admin"]:
        response = login(personas[persona]).get(f"/people/{subject.pk}/")
        assert response.status_code == 404
        assert "Emi Employee" not in response.content.decode()
    assert login(personas["hr_admin"]).get("/people/999999/").status_code == 404


def test_framework_index_for_everyone(login: Any, personas: dict[str, User]) -> None:
    for user in personas.values():
        html = page(login(user), "/framework/")
        assert "Version 1, published" in html
        assert '<h2 id="family-engineering">Engineering</h2>' in html


def test_admin_pages_for_hr_and_it_only(login: Any, personas: dict[str, User]) -> None:
    for persona, status in [
        ("employee", 403),
        ("manager", 403),
        ("coauthor", 403),
        ("hr_admin", 200),
        ("it_admin", 200),
    ]:
        client = login(personas[persona])
        for path in ["/accounts/admin/", "/accounts/admin/users/", "/admin/audit/"]:
            assert client.get(path).status_code == status, (persona, path)


def test_refusals_are_pages_not_tracebacks(login: Any, employee: User) -> None:
    response = login(employee).get("/admin/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot do that here" in html
    assert "Traceback" not in html


def test_a_person_without_a_framework_level_is_told_so(login: Any, employee: User) -> None:
    Person.objects.filter(pk=employee.person.pk).update(level_code="IC9")
    html = page(login(employee), "/")
    assert "Level IC9 is not in the published framework" in html
