"""The home page of each persona, the people list and profiles: what each one shows, what each one
refuses, and how many queries each costs (pinned, so an N+1 shows up the day it is written)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.models import Person, PersonChange, Team

from ..conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _framework_parsed(published_framework: FrameworkVersion, hr_admin: User) -> None:
    # Pinned query counts are those of a warm process, where the framework is already parsed.
    framework_published_get(viewer=hr_admin)


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_employee_home_shows_level_track_and_time_in_level(
    login: Any, employee: User, django_assert_num_queries: Any
) -> None:
    client = login(employee)
    # session, account with person, has reports, current version, their readiness, their plan
    with django_assert_num_queries(6):
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
    # + the reports, in one query whatever their number, and the reports' readiness in one more;
    # their own plan and their direct reports' plans (one each: none has one)
    with django_assert_num_queries(9):
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
    # session, account, version, 4 counts, 4 for HR's work (tests/web/people/test_home.py); no person
    with django_assert_num_queries(11):
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
        ("employee", ["Home", "Framework", "Reviews", "Promotions", "Opportunities", "Notifications"]),
        (
            "manager",
            ["Home", "Framework", "Reviews", "People", "Promotions", "Opportunities", "Notifications"],
        ),
        (
            "coauthor",
            ["Home", "Framework", "Authoring", "Reviews", "Promotions", "Opportunities", "Notifications"],
        ),
        ("hr_admin", ["Home", "Framework", "Authoring", "Reviews", "People", "Promotions", "Admin"]),
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
    with django_assert_num_queries(6):  # session, account, count, page of people, version, sign-ins
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
        assert (
            "Level: IC1 Foundation · Engineering, Individual contributor "
            '<span aria-hidden="true">→</span><span class="visually-hidden">became</span> '
            "<strong>IC2 Developing · Engineering, Individual contributor</strong>"
        ) in html


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


# ---- The people list: search, filters, people who left, pagination, htmx, queries ---------------


def names_listed(html: str) -> list[str]:
    """The names in the people table, in order."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [cell.split(">", 1)[1].split("</a>")[0] for cell in body.split('<th scope="row"><a href=')[1:]]


@pytest.fixture
def company(personas: dict[str, User]) -> dict[str, User]:
    """The personas, and three more people: in Product, in Data, and one who left."""
    data = Team.objects.create(name="Data")
    make_person(None, employee_id="P1", full_name="Pia Product", level_code="IC3", family_id="product")
    make_person(None, employee_id="D1", full_name="Dan Data", level_code="IC4", team=data)
    make_person(None, employee_id="L1", full_name="Lea Left", level_code="IC3")
    Person.objects.filter(employee_id="L1").update(is_active=False)
    return personas


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Cai Coauthor", "Dan Data", "Emi Employee", "Mo Manager", "Ola Outsider", "Otto Other", "Pia Product", "Sara Skip"]),
        ("?q=mo", ["Mo Manager"]),
        ("?q=IC4+engineer", ["Dan Data"]),
        ("?q=platform", ["Emi Employee", "Mo Manager", "Sara Skip"]),
        ("?family=product", ["Pia Product"]),
        ("?level=IC3", ["Ola Outsider", "Pia Product"]),
        ("?family=engineering&level=IC3", ["Ola Outsider"]),
        ("?level=IC3&include_left=on", ["Lea Left", "Ola Outsider", "Pia Product"]),
        ("?q=nobody", []),
    ],
)  # fmt: skip
def test_hr_searches_and_filters_the_people_list(
    login: Any, company: dict[str, User], query: str, expected: list[str]
) -> None:
    html = page(login(company["hr_admin"]), f"/people/{query}")
    assert names_listed(html) == expected


def test_people_who_left_are_marked_and_only_hr_may_include_them(
    login: Any, company: dict[str, User]
) -> None:
    html = page(login(company["hr_admin"]), "/people/?include_left=on&q=lea")
    assert 'Lea Left</a> <span class="badge badge--muted">Left</span>' in html
    manager_html = page(login(company["skip_level_manager"]), "/people/?include_left=on")
    assert 'name="include_left"' not in manager_html
    assert names_listed(manager_html) == ["Emi Employee", "Mo Manager"]  # not the viewer: "Your team"


def test_an_unknown_filter_is_shown_as_an_error_and_ignored(login: Any, company: dict[str, User]) -> None:
    html = page(login(company["hr_admin"]), "/people/?family=astronauts")
    assert "Select a valid choice. astronauts is not one of the available choices." in html
    assert len(names_listed(html)) == 8


def test_the_filters_offer_the_framework_s_families_and_levels(login: Any, company: dict[str, User]) -> None:
    html = page(login(company["hr_admin"]), "/people/?family=product")
    assert '<option value="product" selected>Product</option>' in html
    levels = html.split('name="level"')[1].split("</select>")[0]
    assert [part.split('"')[0] for part in levels.split('<option value="')[1:]] == [
        "", "IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "M1", "M2", "M3",
    ]  # fmt: skip


def test_pages_keep_the_filters(login: Any, hr_admin: User) -> None:
    for number in range(55):
        make_person(None, employee_id=f"P{number:02}", full_name=f"Person {number:02}", level_code="IC1")
    client = login(hr_admin)
    first = page(client, "/people/?level=IC1")
    assert 'href="?level=IC1&amp;page=2" rel="next"' in first
    second = page(client, "/people/?level=IC1&page=2")
    assert names_listed(second) == ["Person 50", "Person 51", "Person 52", "Person 53", "Person 54"]
    assert 'href="?level=IC1&amp;page=1" rel="prev"' in second


def test_htmx_gets_only_the_results(login: Any, company: dict[str, User]) -> None:
    response = login(company["hr_admin"]).get(
        "/people/?q=pia", headers={"HX-Request": "true", "HX-Target": "people-results"}
    )
    html = response.content.decode()
    assert html.strip().startswith('<div id="people-results">')
    assert "<form" not in html
    assert names_listed(html) == ["Pia Product"]


def test_the_list_links_hr_to_the_import(login: Any, company: dict[str, User]) -> None:
    assert 'href="/people/import/">Import people</a>' in page(login(company["hr_admin"]), "/people/")
    assert "/people/import/" not in page(login(company["manager"]), "/people/")


def _grow_company(size: int, manager: Person) -> None:
    """`size` more people: half report to `manager`, half to their first report, all with history."""
    first = make_person(
        None, employee_id=f"G{size}-0", full_name=f"Grown {size} 0", level_code="IC2", manager=manager
    )
    for number in range(1, size):
        boss = manager if number % 2 else first
        grown = make_person(
            None,
            employee_id=f"G{size}-{number}",
            full_name=f"Grown {size} {number}",
            level_code="IC2",
            manager=boss,
        )
        PersonChange.objects.create(
            person=grown,
            kind="manager",
            old_value="E001",
            new_value=boss.employee_id,
            changed_at="2024-03-01T09:00:00Z",
        )


@pytest.mark.parametrize(
    ("persona", "list_queries"),
    [
        ("hr_admin", 6),  # session, account, count, page of people, version, the page's sign-ins
        ("skip_level_manager", 6),  # + has reports
    ],
)
def test_list_queries_do_not_grow_with_the_company(
    login: Any, personas: dict[str, User], persona: str, list_queries: int, django_assert_num_queries: Any
) -> None:
    client = login(personas[persona])
    for size in (4, 60):
        _grow_company(size, personas["manager"].person)
        for path in ["/people/", "/people/?q=grown&level=IC2", "/people/?page=2"]:
            with django_assert_num_queries(list_queries):
                page(client, path)


# ---- A person's profile ----------------------------------------------------------------------


def test_profile_shows_level_track_time_in_level_manager_team_and_reports(
    login: Any, personas: dict[str, User]
) -> None:
    html = page(login(personas["skip_level_manager"]), f"/people/{personas['manager'].person.pk}/")
    assert '<span class="level-code">M1</span> Manager' in html
    assert "<dd>Engineering · Engineering management</dd>" in html
    assert "<div><dt>Minimum time in level</dt><dd>1 year, 6 months</dd></div>" in html
    assert '(since <time datetime="2024-03-01">1 March 2024</time>)' in html
    assert f'<a href="/people/{personas["skip_level_manager"].person.pk}/">Sara Skip</a>' in html
    assert "<div><dt>Team</dt><dd>Platform</dd></div>" in html
    assert (
        f'<a href="/people/{personas["employee"].person.pk}/">Emi Employee</a> <span class="level-code">IC2</span>'
        in html
    )


def test_profile_links_the_manager_only_for_those_who_may_see_them(
    login: Any, personas: dict[str, User]
) -> None:
    employee = personas["employee"]
    path = f"/people/{employee.person.pk}/"
    manager_pk = personas["manager"].person.pk
    assert f'<a href="/people/{manager_pk}/">Mo Manager</a>' in page(login(personas["hr_admin"]), path)
    own = page(login(employee), path)
    assert "<div><dt>Manager</dt><dd>Mo Manager</dd></div>" in own


def test_profile_history_names_managers_and_who_changed(login: Any, personas: dict[str, User]) -> None:
    employee = personas["employee"].person
    PersonChange.objects.create(
        person=employee, kind="manager", old_value="E004", new_value="E002", changed_at="2024-05-01T09:00:00Z",
        changed_by=personas["hr_admin"],
    )  # fmt: skip
    html = page(login(personas["employee"]), f"/people/{employee.pk}/")
    assert (
        'Manager: Otto Other (E004) <span aria-hidden="true">→</span><span class="visually-hidden">became</span> '
        '<strong>Mo Manager (E002)</strong> <span class="muted">by Hana HR</span>'
    ) in html


@pytest.mark.parametrize(
    ("persona", "subject", "queries"),
    [
        # session, account, person, history, names in history, version, reports, last left/rejoined
        ("hr_admin", "manager", 8),
        # + whether the viewer has reports (the navigation asks)
        ("skip_level_manager", "manager", 8),
        ("manager", "manager", 8),
        # + whether the viewer may see their manager's profile
        ("employee", "employee", 9),
    ],
)
def test_profile_queries_do_not_grow_with_reports_or_history(
    login: Any,
    personas: dict[str, User],
    persona: str,
    subject: str,
    queries: int,
    django_assert_num_queries: Any,
) -> None:
    client = login(personas[persona])
    person = personas[subject].person
    for size in (3, 40):
        _grow_company(size, personas["manager"].person)
        for number in range(size):
            PersonChange.objects.create(
                person=person, kind="manager", old_value=f"G{size}-{number}", new_value="E001",
                changed_at="2024-03-01T09:00:00Z",
            )  # fmt: skip
        with django_assert_num_queries(queries):
            page(client, f"/people/{person.pk}/")
