"""The persona home pages: an employee's level and what the next level asks (or, at the top of a
track, the other directions); a manager's team two levels down; HR's company in numbers and tasks.
Exact content for the conftest's starter framework, and query counts equal for 5 and 50 people."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.models import ImportJob, Person

from ..conftest import LEVEL_SINCE, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _framework_parsed(published_framework: FrameworkVersion, hr_admin: User) -> None:
    # Pinned query counts are those of a warm process, where the framework is already parsed.
    framework_published_get(viewer=hr_admin)


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return re.sub(
        r"\s+", " ", response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    )


def section(html: str, heading_id: str) -> str:
    """The region labelled by the heading with this id, up to the end of its section."""
    return html.split(f'aria-labelledby="{heading_id}">', 1)[1].split("</section>", 1)[0]


def add_people(
    count: int, *, manager: Person | None, since: datetime.date = LEVEL_SINCE, prefix: str = "N"
) -> None:
    Person.objects.bulk_create(
        Person(
            employee_id=f"{prefix}{number:03}",
            email=f"{prefix.lower()}{number:03}@example.com",
            full_name=f"Person {prefix}{number:03}",
            family_id="engineering",
            track_id="ic",
            level_code="IC3",
            level_since=since,
            manager=manager,
        )
        for number in range(count)
    )


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


def test_an_ic2_sees_what_ic3_asks_competency_by_competency(login: Any, employee: User) -> None:
    html = home(login(employee))
    assert (
        '<a href="/framework/families/engineering/ic/levels/IC2/">Everything IC2 expects</a>' in html
        and "<div><dt>Minimum time in level</dt><dd>1 year</dd></div>" in html
    )
    next_level = section(html, "next-level")
    assert '<h2 id="next-level">What the next level asks</h2>' in html
    assert (
        '<p class="lead">From <strong>IC2 Developing</strong> to <strong>IC3 Established</strong> '
        '<span class="muted">(Software Engineer III)</span>.</p>'
    ) in next_level
    assert (
        '<th scope="col">Competency</th> <th scope="col">Now: IC2 Developing</th> <th scope="col">Next: IC3 Established</th>'
    ) in next_level
    rows = re.findall(r"<tr( class=\"comparison__row--changed\")?> <th scope=\"row\">([^<]+)", next_level)
    assert rows == [
        (' class="comparison__row--changed"', "Communication "),
        (' class="comparison__row--changed"', "Ownership "),
        (' class="comparison__row--changed"', "Collaboration "),
        (' class="comparison__row--changed"', "Delivery "),
        (' class="comparison__row--changed"', "Technology and AI fluency "),
        (' class="comparison__row--changed"', "Software craft "),
        (' class="comparison__row--changed"', "System design "),
        (' class="comparison__row--changed"', "Operational excellence "),
        ("", "Technical leadership"),  # the same proficiency at both levels: nothing to highlight
    ]
    assert (
        '<th scope="row">Software craft <span class="change-badge">+1<span class="visually-hidden"> proficiency</span></span></th> '
        '<td data-label="Now: IC2 Developing"> <p class="proficiency"><span class="proficiency__value">2</span> Developing</p>'
        '<p class="behaviour">Breaks a feature into reviewed pull requests with tests that ship within a sprint, '
        "and reviews teammates&#x27; changes for correctness.</p> </td> "
        '<td data-label="Next: IC3 Established"> <p class="proficiency"><span class="proficiency__value">3</span> Proficient</p>'
        '<p class="behaviour">Writes tested code across several modules that teammates extend without rework, '
        "and catches design and correctness problems in code review.</p> </td>"
    ) in next_level
    assert '<h3 id="promotion-criteria">Promotion criteria, IC2 → IC3</h3>' in next_level
    assert (
        "<div><dt>Minimum average rating</dt><dd>2.5 across the competencies of IC3</dd></div> "
        "<div><dt>Floor</dt><dd>No competency rated below 2 · Developing</dd></div> "
        "<div><dt>Required competencies</dt><dd><ul><li>Software craft: at least 3 · Proficient</li></ul></dd></div> "
        "<div><dt>Scope evidence</dt><dd><ul><li>Owned a multi-week project of the team from design document to launch.</li></ul></dd></div> "
        "<div><dt>Manager endorsement</dt><dd>Required</dd></div> "
        "<div><dt>Calibration</dt><dd>Confirmed in calibration</dd></div>"
    ) in next_level
    assert '<a href="/framework/families/engineering/ic/levels/IC3/">Everything IC3 expects</a>' in next_level
    directions = section(html, "other-directions")
    assert "<h3>Engineering management: crossover IC4 → M1</h3>" in directions
    assert "<h3>Lateral paths from Individual contributor</h3>" in directions
    assert "Top of the track" not in html


def test_at_the_top_of_the_track_the_home_says_so_and_shows_other_directions(login: Any, db: None) -> None:
    user = make_user("principal@example.com", "Pia Principal")
    make_person(user, employee_id="E100", full_name="Pia Principal", level_code="IC6")
    html = home(login(user))
    assert "What the next level asks" not in html
    top = section(html, "next-level")
    assert '<h2 id="next-level">Top of the track</h2>' in top
    assert (
        '<p class="lead">IC6 Principal is the top level of Individual contributor in Engineering. '
        "Growth from here is in scope and impact, or in another direction.</p>"
    ) in top
    directions = section(html, "other-directions")
    assert "<h3>Engineering management: crossover IC4 → M1</h3>" in directions
    assert (
        "<ul><li>Operates at IC4 in the current review cycle.</li>"
        "<li>Has mentored at least one engineer through a development plan for two quarters or more.</li>"
        "<li>Has led a project of two or more engineers from planning to launch.</li></ul>"
    ) in directions
    assert (
        '<h3>Lateral paths from Individual contributor</h3> <ul><li><a href="/framework/lateral-paths/#path-1">'
        "IC4 Senior Software Engineer (Engineering) → IC4 Senior Product Manager (Product)</a></li></ul>"
    ) in directions


def test_a_manager_at_the_top_sees_the_two_way_road_back_to_the_ic_level_of_their_grade(
    login: Any, db: None
) -> None:
    user = make_user("director@example.com", "Dee Director")
    make_person(user, employee_id="E101", full_name="Dee Director", track_id="management", level_code="M3")
    html = home(login(user))
    assert '<h2 id="next-level">Top of the track</h2>' in html
    directions = section(html, "other-directions")
    # The way back from M3 (grade 6) leads to IC6, not to IC4 where the crossover starts, and says
    # what IC6 expects that M3 does not: not the entry criteria of becoming a manager.
    assert re.findall(r"<h3>(.*?)</h3>", directions) == ["Back to Individual contributor: M3 → IC6"]
    assert (
        '<a href="/framework/families/engineering/ic/levels/IC6/"><span class="level-code">IC6</span> Principal</a> '
        "Individual contributor </p> "
        '<p><span class="badge">Two-way</span> People may move back to IC6 (Individual contributor), the level of '
        "the same grade, without penalty.</p> "
        '<p class="crossing__criteria-heading">What IC6 expects beyond M3</p> '
        "<ul><li>Software craft: 5 · Expert (not assessed at M3)</li>"
        "<li>System design: 5 · Expert (not assessed at M3)</li>"
        "<li>Operational excellence: 5 · Expert (not assessed at M3)</li>"
        "<li>Technical leadership: 5 · Expert (not assessed at M3)</li></ul>"
    ) in directions
    assert "Operates at IC4" not in directions and "Entry criteria" not in directions
    assert "IC4" not in directions
    assert "Lateral paths" not in directions


def test_no_next_level_for_a_level_the_framework_does_not_have(login: Any, employee: User) -> None:
    Person.objects.filter(pk=employee.person.pk).update(level_code="IC9")
    html = home(login(employee))
    assert "Level IC9 is not in the published framework" in html
    assert 'id="next-level"' not in html
    assert "Everything IC9 expects" not in html


def test_manager_home_lists_the_team_with_levels_and_time_in_level(
    login: Any, skip_level_manager: User, employee: User
) -> None:
    html = home(login(skip_level_manager))
    team = section(html, "your-team")
    direct, indirect = team.split("<h3>Their reports</h3>")
    manager = Person.objects.get(full_name="Mo Manager")
    assert (
        f'<th scope="row"><a href="/people/{manager.pk}/">Mo Manager</a></th> <td>M1 engineer</td> '
        '<td><span class="level-code">M1</span> <span class="muted">Manager</span></td> '
        '<td><time datetime="2024-03-01">'
    ) in direct
    # No readiness evaluated yet: the next-level column says so with a dash.
    assert (
        '<span class="muted">(minimum 1 year, 6 months)</span></td> <td><span class="muted">—</span></td> '
        "<td>Platform</td>"
    ) in direct
    assert (
        f'<th scope="row"><a href="/people/{employee.person.pk}/">Emi Employee</a></th> <td>IC2 engineer</td> '
        '<td><span class="level-code">IC2</span> <span class="muted">Developing</span></td>'
    ) in indirect
    assert (
        '<span class="muted">(minimum 1 year)</span></td> <td><span class="muted">—</span></td> <td>Mo Manager</td>'
    ) in indirect


def test_hr_home_counts_people_by_family_level_and_time_in_level(login: Any, hr_admin: User) -> None:
    today = timezone.localdate()
    for days, count, prefix in [(30, 1, "A"), (200, 2, "B"), (400, 3, "C"), (800, 4, "D")]:
        add_people(count, manager=None, since=today - datetime.timedelta(days=days), prefix=prefix)
    make_person(None, employee_id="M1", full_name="Mia Manager", track_id="management", level_code="M1")
    make_person(None, employee_id="P1", full_name="Pat Product", family_id="product", level_code="IC2")
    make_person(None, employee_id="X1", full_name="Xan Unknown", family_id="finance", level_code="F1")
    Person.objects.filter(employee_id="D003").update(is_active=False)
    html = home(login(hr_admin))
    company = section(html, "company")
    assert '<div class="stat"><dt>People</dt><dd>12</dd></div>' in company
    assert re.findall(r'<div class="stat"><dt>([^<]+)</dt><dd>(\d+)</dd></div>', company)[4:] == [
        ("Under 6 months", "1"),
        ("6–12 months", "2"),
        ("1–2 years", "3"),
        ("2 years or more", "6"),  # three active from 800 days ago, and the three people from 2024
    ]
    table = company.split('<table class="people-by-level">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="rowgroup" colspan="2">(.*?)</th>', table) == [
        '<a href="/framework/families/engineering/">Engineering</a> <span class="muted">10</span>',
        '<a href="/framework/families/product/">Product</a> <span class="muted">1</span>',
        'finance <span class="muted">1</span>',
    ]
    assert (
        '<th scope="row"><span class="level-code">IC3</span> Established <span class="muted">Individual contributor</span></th>'
        "<td>9</td><td>1</td><td>2</td><td>3</td><td>3</td>"
    ) in re.sub(r"> <td", "><td", table)
    assert (
        '<th scope="row"><span class="level-code">F1</span> <span class="muted">ic (not in the framework)</span></th>'
    ) in table
    # Families and levels follow the framework: engineering's IC3 before its M1, product after.
    assert [code for code in re.findall(r'<span class="level-code">([^<]+)</span>', table)] == [
        "IC3",
        "M1",
        "IC2",
        "F1",
    ]


def test_hr_home_links_to_the_admin_tasks(login: Any, hr_admin: User) -> None:
    html = home(login(hr_admin))
    tasks = html.split("<h3>Tasks</h3>", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', tasks) == [
        ("/people/", "People"),
        ("/people/import/", "Import people"),
        ("/framework/authoring/", "Author the framework"),
        ("/framework/", "Framework"),
        ("/accounts/admin/users/", "Accounts"),
        ("/admin/audit/", "Audit log"),
    ]
    assert (
        '<a href="/admin/audit/">Audit log</a> <span class="muted">Who changed what, and when.</span>'
        in tasks
    )


def test_an_hr_admin_who_is_also_an_employee_sees_both(login: Any, hr_admin: User) -> None:
    make_person(hr_admin, employee_id="H1", full_name="Hana HR", family_id="engineering", level_code="IC3")
    html = home(login(hr_admin))
    assert 'aria-labelledby="your-level"' in html
    assert '<h2 id="next-level">What the next level asks</h2>' in html
    assert '<h2 id="company">The company</h2>' in html


@pytest.mark.parametrize("company_size", [5, 50])
@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # session, account with person, has reports, current version, their readiness, their plan
        ("employee", 6),
        # + the reports, two levels down, in one query, their readiness in one, their plans in one
        ("manager", 9),
        ("skip_level_manager", 9),
        # session, account, version, people by level, managers, teams, accounts; HR's work: people
        # without a sign-in, open imports (with their count), the draft in review, publications
        ("hr_admin", 11),
    ],
)
def test_home_queries_do_not_grow_with_the_company(
    request: Any, login: Any, django_assert_num_queries: Any, company_size: int, persona: str, queries: int
) -> None:
    employee: User = request.getfixturevalue("employee")  # with their manager and skip-level manager
    viewer: User = request.getfixturevalue(persona)
    # Half the newcomers report to the manager, half to the manager's manager.
    manager = employee.person.manager
    extra = company_size - Person.objects.count()
    add_people(extra // 2, manager=manager, prefix="T")
    add_people(extra - extra // 2, manager=manager.manager, prefix="S")
    assert Person.objects.count() == company_size
    client = login(viewer)
    with django_assert_num_queries(queries):
        home(client)


def add_import_jobs(creator: User, statuses: list[str]) -> list[ImportJob]:
    return [
        ImportJob.objects.create(
            created_by=creator,
            file_name=f"hris-{number}.csv",
            status=status,
            created_at=timezone.now() - datetime.timedelta(hours=len(statuses) - number),
        )
        for number, status in enumerate(statuses)
    ]


def test_hr_home_leads_with_hr_work_before_their_own_level(login: Any, hr_admin: User) -> None:
    make_person(hr_admin, employee_id="H1", full_name="Hana HR", family_id="engineering", level_code="IC3")
    add_people(3, manager=None, prefix="A")  # active, no account
    add_people(1, manager=None, prefix="B")
    Person.objects.filter(employee_id="B000").update(is_active=False)  # a leaver: nobody to invite
    jobs = add_import_jobs(hr_admin, ["mapping", "previewed", "applying", "applied", "failed", "discarded"])
    FrameworkDraft.objects.filter(pk=FrameworkDraft.SINGLETON_ID).update(status="in_review", revision=4)
    html = home(login(hr_admin))
    # HR's work first, then the company, then their own level.
    order = [html.index(f'aria-labelledby="{anchor}"') for anchor in ("your-work", "company", "your-level")]
    assert order == sorted(order)
    work = section(html, "your-work")
    items = re.findall(
        r'<li class="work-item( work-item--waiting)?"> <span class="work-item__count">(\d+)</span>', work
    )
    assert items == [(" work-item--waiting", "3"), (" work-item--waiting", "3"), (" work-item--waiting", "1")]
    assert 'active people have no sign-in yet. <a href="/accounts/admin/users/">Accounts</a>' in work
    # The three imports not yet over, newest first, each linked to its job.
    assert re.findall(r'<a href="/people/import/(\d+)/">([^<]+)</a> <span class="muted">([^·]+) ·', work) == [
        (str(jobs[2].pk), "hris-2.csv", "Importing"),
        (str(jobs[1].pk), "hris-1.csv", "Preview ready"),
        (str(jobs[0].pk), "hris-0.csv", "Columns to confirm"),
    ]
    assert (
        "draft awaits your review: revision 4" in work
        and '<a href="/framework/authoring/">Review the draft</a>' in work
    )
    assert re.findall(r"<li>Version (\d+) <span class=\"muted\">published", work) == ["1"]


def test_hr_home_with_nothing_waiting_says_so_in_zeros(login: Any, hr_admin: User) -> None:
    html = home(login(hr_admin))
    work = section(html, "your-work")
    assert re.findall(
        r'<li class="work-item( work-item--waiting)?"> <span class="work-item__count">(\d+)</span>', work
    ) == [
        ("", "0"),
        ("", "0"),
    ]
    assert "draft awaits" not in work


@pytest.mark.parametrize("amount", [1, 8])
def test_hr_work_queries_do_not_grow_with_imports_or_versions(
    login: Any, hr_admin: User, django_assert_num_queries: Any, amount: int
) -> None:
    add_import_jobs(hr_admin, ["previewed"] * amount)
    add_people(amount, manager=None, prefix="W")
    for number in range(2, amount + 2):
        FrameworkVersion.objects.create(number=number, yaml_text="", published_by=hr_admin)
    client = login(hr_admin)
    with django_assert_num_queries(11):
        html = home(client)
    work = section(html, "your-work")
    assert len(re.findall(r'<a href="/people/import/\d+/">', work)) == min(amount, 5)
    assert (
        f'<span class="work-item__count">{amount}</span> <span>{"import is" if amount == 1 else "imports are"}'
        in work
    )
    assert len(re.findall(r"<li>Version \d+ ", work)) == min(amount + 1, 3)
