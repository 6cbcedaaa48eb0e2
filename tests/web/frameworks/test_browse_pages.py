"""The published framework, for everyone: the index, a family's ladder, a track's matrix, a level,
the lateral paths. What each page says for a known framework, who may read it, what is not found,
and how many queries each costs (the same for a company of 5 as of 50)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from trellis.framework.model import CompensationBand, CompetencyOverride, Framework
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps
from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.models import Person

from ..conftest import LEVEL_SINCE

pytestmark = pytest.mark.django_db

PAGES = [
    "/framework/",
    "/framework/families/engineering/",
    "/framework/families/engineering/ic/matrix/",
    "/framework/families/engineering/management/matrix/",
    "/framework/families/engineering/ic/levels/IC4/",
    "/framework/families/engineering/management/levels/M1/",
    "/framework/lateral-paths/",
    "/framework/search?q=staff+engineer",
]


def known_framework() -> Framework:
    """The conftest's starter framework with what the starter library leaves out: bands (equal at
    equal grades), a family's own wording of a core competency, a one-way crossover."""
    framework = starter(["engineering", "product", "marketing"], "growth")
    engineering = framework.families[0]
    ic, management = engineering.tracks
    ic.levels[4].band = CompensationBand(minimum=150000, maximum=190000, currency="USD")
    management.levels[1].band = CompensationBand(minimum=150000, maximum=190000, currency="USD")
    engineering.core_overrides["communication"] = CompetencyOverride(
        name="Technical communication",
        description="Explaining designs, trade-offs and incidents in writing that other engineers act on.",
    )
    marketing_management = framework.families[2].tracks[1]
    assert marketing_management.crossover is not None
    marketing_management.crossover.two_way = False
    ic4_to_ic5 = engineering.promotions[3]
    assert (ic4_to_ic5.from_level, ic4_to_ic5.to_level) == ("IC4", "IC5")
    ic4_to_ic5.outcomes = [
        "Cut the p95 latency of a shared service by a third or more, sustained for a quarter."
    ]
    (lateral,) = framework.lateral_paths
    lateral.description = "For senior engineers who want to decide what the team builds as well as how."
    lateral.actions = [
        "Shadow the team's product manager for a quarter.",
        "Lead the discovery of one feature.",
    ]
    return framework


def publish(hr_admin: User, framework: Framework) -> FrameworkVersion:
    framework_draft_save(actor=hr_admin, yaml_text=dumps(framework), expected_revision=None)
    version = framework_publish(actor=hr_admin)
    framework_published_get(
        viewer=hr_admin
    )  # parsed once, as in a warm process: pinned query counts are those
    return version


@pytest.fixture
def known(hr_admin: User) -> FrameworkVersion:
    return publish(hr_admin, known_framework())


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def squeeze(html: str) -> str:
    """`html` with every run of whitespace made one space, so assertions read like the page."""
    return re.sub(r"\s+", " ", html)


def ladder_rows(html: str) -> list[list[str]]:
    """The family page's ladder: per row, the grade then each track's level codes ("—" if none)."""
    table = html.split('class="ladder-table"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        grade = re.search(r'<th scope="row" class="ladder-grade">(\d+)</th>', row)
        assert grade is not None
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        codes = [
            ",".join(re.findall(r'<span class="level-code">([^<]+)</span>', cell)) or "—" for cell in cells
        ]
        rows.append([grade.group(1), *codes])
    return rows


# --- who may read ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, known: FrameworkVersion) -> None:
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=/framework/"), path


def test_every_signed_in_persona_reads_every_page(
    login: Any, personas: dict[str, User], known: FrameworkVersion
) -> None:
    for persona, user in personas.items():
        client = login(user)
        for path in PAGES:
            assert client.get(path).status_code == 200, (persona, path)


def test_unknown_families_tracks_and_levels_are_not_found(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    client = login(employee)
    for path in [
        "/framework/families/finance/",
        "/framework/families/engineering/finance/matrix/",
        "/framework/families/engineering/ic/levels/IC9/",
        "/framework/families/engineering/management/levels/IC4/",  # IC4 is on the other track
    ]:
        assert client.get(path).status_code == 404, path


def test_before_the_first_publication(login: Any, employee: User) -> None:
    client = login(employee)
    assert "No framework has been published yet." in page(client, "/framework/")
    assert "No framework has been published yet." in page(client, "/framework/search?q=engineer")
    for path in PAGES[1:-1]:
        assert client.get(path).status_code == 404, path


# --- what each page says ------------------------------------------------------------------------------


def test_the_index_lists_families_tracks_the_scale_and_core_competencies(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    html = squeeze(main(page(login(employee), "/framework/")))
    assert "<h1>Engineering, Product and Marketing career framework</h1>" in html
    assert "Version 1, published" in html
    assert '<h2 id="family-engineering">Engineering</h2>' in html
    assert (
        '<a class="family-link" href="/framework/families/engineering/">Engineering: ladder and competencies</a>'
        in html
    )
    assert (
        '<li> <strong>Individual contributor</strong> <span class="muted">6 levels, IC1–IC6</span> · '
        '<a href="/framework/families/engineering/ic/matrix/">Individual contributor matrix</a> </li>'
    ) in html
    assert (
        '<li> <strong>Engineering management</strong> <span class="muted">3 levels, M1–M3</span> · '
        '<a href="/framework/families/engineering/management/matrix/">Engineering management matrix</a> </li>'
    ) in html
    assert (
        '<tr id="scale-3"><th scope="row">3</th><td>Proficient</td>'
        "<td>Applies the skill independently and reliably at the expected scope.</td></tr>"
    ) in html
    assert '<div id="competency-ownership"><dt>Ownership</dt>' in html
    assert '<a href="/framework/lateral-paths/">Lateral paths</a> <span class="muted">(1)</span>' in html
    assert (
        '<form method="get" action="/framework/search" class="search framework-search" role="search">' in html
    )


def test_the_family_page_aligns_tracks_by_grade(login: Any, employee: User, known: FrameworkVersion) -> None:
    html = page(login(employee), "/framework/families/engineering/")
    assert ladder_rows(html) == [
        ["6", "IC6", "M3"],
        ["5", "IC5", "M2"],
        ["4", "IC4", "M1"],
        ["3", "IC3", "—"],
        ["2", "IC2", "—"],
        ["1", "IC1", "—"],
    ]
    text = squeeze(main(html))
    assert '<th scope="col" id="track-ic">Individual contributor</th>' in text
    assert (
        '<th scope="col" id="track-management">Engineering management <span class="badge badge--muted">Management</span></th>'
    ) in text


def test_the_family_page_marks_the_crossover_at_both_ends(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    text = squeeze(main(page(login(employee), "/framework/families/engineering/")))
    grade_four = text.split('<th scope="row" class="ladder-grade">4</th>', 1)[1].split("</tr>", 1)[0]
    ic4, m1 = grade_four.split("</td>")[:2]
    assert 'class="ladder-level ladder-level--crossover"' in ic4
    assert (
        '<p class="crossover-mark"><a href="#crossover-management">Crossover to M1 (Engineering management)</a></p>'
        in ic4
    )
    assert (
        '<p class="crossover-mark"><a href="#crossover-management">Entry from IC4 (Individual contributor)</a> · two-way</p>'
    ) in m1
    crossover = text.split('<div class="card crossing" id="crossover-management">', 1)[1].split("</div>", 1)[
        0
    ]
    assert "<h3>Engineering management: from IC4 to M1</h3>" in crossover
    assert (
        "<ul><li>Operates at IC4 in the current review cycle.</li>"
        "<li>Has mentored at least one engineer through a development plan for two quarters or more.</li>"
        "<li>Has led a project of two or more engineers from planning to launch.</li></ul>"
    ) in crossover
    assert (
        '<span class="badge">Two-way</span> People may move back to IC4 (Individual contributor) without penalty.'
    ) in crossover


def test_a_one_way_crossover_says_so(login: Any, employee: User, known: FrameworkVersion) -> None:
    text = squeeze(main(page(login(employee), "/framework/families/marketing/")))
    assert '<a href="#crossover-management">Entry from IC4 (Individual contributor)</a></p>' in text
    assert (
        '<span class="badge badge--muted">One-way</span> Moving back is a new decision, not a return.' in text
    )


def test_the_family_page_shows_titles_variants_bands_and_times(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    text = squeeze(main(page(login(employee), "/framework/families/engineering/")))
    ic5 = text.split('<span class="level-code">IC5</span>', 1)[1].split("</div>", 1)[0]
    assert ic5 == (
        ' Staff</a></p> <p class="ladder-level__title">Staff Software Engineer</p> '
        '<p class="muted ladder-level__variants">Also: Staff Engineer</p> '
        '<p class="muted">At least 2 years in level</p> '
        '<p class="ladder-level__band">Band USD 150,000–190,000</p> '
    )
    m2 = text.split('<span class="level-code">M2</span>', 1)[1].split("</div>", 1)[0]
    assert '<p class="ladder-level__band">Band USD 150,000–190,000</p>' in m2


def test_the_family_page_lists_core_competencies_in_the_family_wording_then_functional_ones(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    text = squeeze(main(page(login(employee), "/framework/families/engineering/")))
    competencies = text.split('<h2 id="competencies">Competencies</h2>', 1)[1]
    core, functional = competencies.split("<h3>Functional competencies</h3>")
    assert core.startswith(" <h3>Core competencies</h3>")
    assert (
        '<div id="competency-communication"> <dt>Technical communication <span class="badge">Engineering wording</span></dt> '
        "<dd> Explaining designs, trade-offs and incidents in writing that other engineers act on. "
        '<span class="muted competency-tracks">Assessed on Individual contributor; Engineering management</span> </dd>'
    ) in core
    assert (
        '<div id="competency-system_design"> <dt>System design <span class="badge badge--muted">Technical</span></dt>'
        in functional
    )
    assert '<span class="muted competency-tracks">Assessed on Individual contributor</span>' in functional
    assert re.findall(r'<div id="competency-([a-z_]+)">', functional) == [
        "software_craft", "system_design", "operational_excellence", "technical_leadership",
        "people_development", "hiring_and_team_building", "engineering_strategy",
    ]  # fmt: skip
    assert (
        '<h3>From Engineering</h3> <ul><li><a href="/framework/lateral-paths/#path-1">'
        "IC4 Senior Software Engineer (Engineering) → IC4 Senior Product Manager (Product)</a></li></ul>"
    ) in text


def test_the_matrix_is_competencies_by_levels_with_proficiency_labels(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    text = squeeze(main(page(login(employee), "/framework/families/engineering/ic/matrix/")))
    assert "<h1>Engineering · Individual contributor: competency matrix</h1>" in text
    assert (
        '<p class="scroll-hint" id="matrix-scroll-hint" hidden>6 levels, up to IC6: scroll the table sideways '
        'to see them all <span aria-hidden="true">→</span></p> '
        '<div class="table-wrap matrix-wrap" role="region" aria-labelledby="matrix-caption" '
        'aria-describedby="matrix-scroll-hint" tabindex="0" data-scroll-hint="matrix-scroll-hint">'
    ) in text
    assert '<caption id="matrix-caption">Individual contributor: 9 competencies × 6 levels</caption>' in text
    headers = re.findall(
        r'<th scope="col"><a href="([^"]+)"><span class="level-code">([^<]+)</span> ([^<]+)</a></th>', text
    )
    assert headers == [
        (f"/framework/families/engineering/ic/levels/{code}/", code, name)
        for code, name in [
            ("IC1", "Foundation"), ("IC2", "Developing"), ("IC3", "Established"),
            ("IC4", "Senior"), ("IC5", "Staff"), ("IC6", "Principal"),
        ]
    ]  # fmt: skip
    assert re.findall(
        r'<th scope="row">([^<]+) <span class="badge badge--muted">(Core|Functional)</span></th>', text
    ) == [
        ("Technical communication", "Core"),
        ("Ownership", "Core"),
        ("Collaboration", "Core"),
        ("Delivery", "Core"),
        ("Technology and AI fluency", "Core"),
        ("Software craft", "Functional"),
        ("System design", "Functional"),
        ("Operational excellence", "Functional"),
        ("Technical leadership", "Functional"),
    ]
    system_design = text.split('<tr id="competency-system_design">', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td>(.*?)</td>", system_design)
    assert len(cells) == 6
    assert cells[3] == (
        ' <p class="proficiency"><span class="proficiency__value">4</span> Advanced</p>'
        '<p class="behaviour">Designs the architecture of the team&#x27;s systems, including data models, '
        "APIs and failure handling, and runs the team&#x27;s design reviews.</p> "
    )
    assert (
        'Other tracks: <a href="/framework/families/engineering/management/matrix/">Engineering management</a>'
        in text
    )


def test_the_level_page_has_scope_title_expectations_and_the_promotion(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    text = squeeze(main(page(login(employee), "/framework/families/engineering/ic/levels/IC4/")))
    assert (
        '<h1 class="level-heading"><span class="level-code level-code--large">IC4</span> Senior</h1>' in text
    )
    assert '<p class="lead">Senior Software Engineer</p>' in text
    assert (
        "<div><dt>Track</dt><dd>Individual contributor</dd></div> <div><dt>Grade</dt><dd>4</dd></div> "
        "<div><dt>Title</dt><dd>Senior Software Engineer</dd></div> <div><dt>Title variants</dt><dd>—</dd></div> "
        "<div><dt>Compensation band</dt><dd>—</dd></div> <div><dt>Minimum time in level</dt><dd>2 years</dd></div>"
    ) in text
    assert (
        "<p>Leads the technical work of a team: sets its designs and standards, mentors its engineers and "
        "shapes the team&#x27;s plans with its manager.</p>"
    ) in text
    assert (
        '<a href="/framework/families/engineering/ic/levels/IC3/" rel="prev"><span aria-hidden="true">←</span> '
        "Previous level: IC3 Established</a>"
    ) in text
    assert (
        '<a href="/framework/families/engineering/ic/levels/IC5/" rel="next">Next level: IC5 Staff '
        '<span aria-hidden="true">→</span></a>'
    ) in text
    assert len(re.findall(r'<div class="expectation" id="competency-', text)) == 9
    assert (
        '<div class="expectation" id="competency-system_design"> <h3>System design '
        '<span class="badge badge--muted">Functional</span></h3> <p class="proficiency">'
        '<span class="proficiency__value">4</span> Advanced</p>'
    ) in text
    promotion = text.split('<h2 id="promotion">Promotion to IC5 Staff</h2>', 1)[1].split("</section>", 1)[0]
    assert (
        "<div><dt>Minimum average rating</dt><dd>3.5 across the competencies of IC5</dd></div> "
        "<div><dt>Floor</dt><dd>No competency rated below 3 · Proficient</dd></div> "
        "<div><dt>Required competencies</dt><dd><ul><li>Technical leadership: at least 4 · Advanced</li></ul></dd></div> "
        "<div><dt>Operating at the next level</dt><dd>For 3 quarters before the promotion</dd></div> "
        "<div><dt>Scope evidence</dt><dd><ul><li>Led a technical initiative spanning three or more teams through to launch.</li></ul></dd></div> "
        "<div><dt>Outcomes</dt><dd><ul><li>Cut the p95 latency of a shared service by a third or more, sustained for a quarter.</li></ul></dd></div> "
        "<div><dt>Manager endorsement</dt><dd>Required</dd></div> "
        "<div><dt>Calibration</dt><dd>Confirmed in calibration</dd></div>"
    ) in promotion
    directions = text.split('<h2 id="other-directions">Other directions</h2>', 1)[1]
    assert "<h3>Crossover: Individual contributor IC4 → Engineering management M1</h3>" in directions
    assert (
        '<h3>Lateral paths from IC4</h3> <ul><li><a href="/framework/lateral-paths/#path-1">'
        "IC4 Senior Software Engineer (Engineering) → IC4 Senior Product Manager (Product)</a>"
    ) in directions


def test_the_level_page_of_a_banded_level_and_of_the_top_level(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    client = login(employee)
    ic5 = squeeze(main(page(client, "/framework/families/engineering/ic/levels/IC5/")))
    assert "<div><dt>Title variants</dt><dd>Staff Engineer</dd></div>" in ic5
    assert "<div><dt>Compensation band</dt><dd>USD 150,000–190,000</dd></div>" in ic5
    top = squeeze(main(page(client, "/framework/families/engineering/ic/levels/IC6/")))
    assert (
        '<h2 id="promotion">Top of the track</h2> <p>IC6 is the top level of Individual contributor. Other directions are below.</p>'
        in top
    )
    assert '<span class="muted">Top of Individual contributor</span>' in top
    assert "Promotion to" not in top


def test_a_management_level_shows_where_it_is_entered_from(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    text = squeeze(main(page(login(employee), "/framework/families/engineering/management/levels/M1/")))
    assert '<span class="muted">First level of Engineering management</span>' in text
    assert "<h3>Crossover: Individual contributor IC4 → Engineering management M1</h3>" in text
    assert '<h2 id="promotion">Promotion to M2 Senior manager</h2>' in text


def test_the_lateral_paths_page(login: Any, employee: User, known: FrameworkVersion) -> None:
    text = squeeze(main(page(login(employee), "/framework/lateral-paths/")))
    path = text.split('<section class="card lateral-path" id="path-1" aria-labelledby="path-1-title">', 1)[1]
    assert (
        '<h2 id="path-1-title">IC4 Senior Software Engineer (Engineering) → IC4 Senior Product Manager (Product)</h2>'
    ) in path
    assert (
        '<a href="/framework/families/engineering/ic/levels/IC4/">Senior Software Engineer</a> '
        '<span aria-hidden="true">→</span><span class="visually-hidden">to</span> '
        '<a href="/framework/families/product/ic/levels/IC4/">Senior Product Manager</a>'
    ) in path
    assert (
        # Transferable skills in the words of the family they come from (Engineering's own wording).
        '<ul class="chips"><li>Technical communication</li><li>Collaboration</li><li>Delivery</li>'
        "<li>System design</li><li>Technical leadership</li></ul>"
    ) in path
    assert (
        "<li><strong>Product discovery</strong> — target 4 (Advanced)<br><span>Frame problems from customer "
        "interviews and prototype tests instead of receiving them already framed.</span></li>"
    ) in path
    assert "<p>For senior engineers who want to decide what the team builds as well as how.</p>" in path
    assert (
        "<h3>Actions</h3> <ul><li>Shadow the team&#x27;s product manager for a quarter.</li>"
        "<li>Lead the discovery of one feature.</li></ul>"
    ) in path


# --- cost --------------------------------------------------------------------------------------------


def add_people(count: int, manager: Person) -> None:
    Person.objects.bulk_create(
        Person(
            employee_id=f"N{number:03}",
            email=f"n{number:03}@example.com",
            full_name=f"Person {number:03}",
            family_id="engineering",
            track_id="ic",
            level_code="IC3",
            level_since=LEVEL_SINCE,
            manager=manager,
        )
        for number in range(count)
    )


@pytest.mark.parametrize("company_size", [5, 50])
@pytest.mark.parametrize("path", PAGES)
def test_queries_are_few_and_do_not_grow_with_the_company(
    login: Any,
    employee: User,
    known: FrameworkVersion,
    django_assert_num_queries: Any,
    company_size: int,
    path: str,
) -> None:
    add_people(company_size - Person.objects.count(), employee.person.manager)
    assert Person.objects.count() == company_size
    client = login(employee)
    # The session, the account with its person, whether they have reports (for the navigation), and
    # which version is current: the framework itself is parsed once per process.
    with django_assert_num_queries(4):
        page(client, path)


def test_a_new_version_is_read_at_once(
    login: Any, employee: User, hr_admin: User, known: FrameworkVersion
) -> None:
    client = login(employee)
    assert "Senior Software Engineer" in page(client, "/framework/families/engineering/ic/levels/IC4/")
    framework = known_framework()
    framework.families[0].tracks[0].levels[3].title = "Senior Engineer"
    publish(hr_admin, framework)
    html = page(client, "/framework/families/engineering/ic/levels/IC4/")
    assert '<p class="lead">Senior Engineer</p>' in html
    assert "version 2" in html
