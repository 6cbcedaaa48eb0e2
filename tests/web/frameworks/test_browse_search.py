"""Searching the published framework at /framework/search?q=: results grouped by kind, the best
group first, matches highlighted and escaped; live results for htmx, the same page without it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from trellis.web.accounts.models import User
from trellis.web.frameworks import selectors
from trellis.web.frameworks.models import FrameworkVersion

from .test_browse_pages import known_framework, main, publish, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(hr_admin: User) -> FrameworkVersion:
    framework = known_framework()
    # Text an author could type: it must come back as text, never as markup.
    framework.families[0].tracks[0].levels[
        0
    ].summary = "Learns the team's tools <script>alert(1)</script> & conventions with regular guidance."
    return publish(hr_admin, framework)


def search(client: Client, query: str, **headers: str) -> str:
    response = client.get("/framework/search", {"q": query}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def groups(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<h2 id="results-([a-z_]+)">([^<]+) <span class="badge badge--muted">', html)


def results(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="search-result">\s*<a href="([^"]+)">([^<]+)</a>', html)


def test_results_are_grouped_by_kind_best_group_first(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    html = search(login(employee), "staff engineer")
    text = squeeze(main(html))
    assert '<p class="search-summary">3 results for “staff engineer”</p>' in text
    assert groups(html) == [("level", "Levels and titles"), ("behaviour", "Behaviours")]
    assert results(html) == [
        ("/framework/families/engineering/ic/levels/IC5/", "IC5 · Staff Software Engineer"),
        ("/framework/families/engineering/ic/levels/IC6/", "IC6 · Principal Software Engineer"),
        (
            "/framework/families/engineering/ic/levels/IC6/#competency-technical_leadership",
            "Technical leadership at IC6",
        ),
    ]
    assert (
        '<p class="search-result__text"><span class="muted">Title variant:</span> <mark>Staff</mark> <mark>Engineer</mark></p>'
    ) in text
    assert '<span class="muted">Engineering · Individual contributor · Staff</span>' in text


def test_an_exact_code_puts_levels_first_and_every_kind_links_to_its_page(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    client = login(employee)
    html = search(client, "IC4")
    assert groups(html) == [
        ("level", "Levels and titles"),
        ("criteria", "Promotion and crossover criteria"),
        ("lateral_path", "Lateral paths"),
    ]
    assert results(html)[:4] == [
        ("/framework/families/engineering/ic/levels/IC4/", "IC4 · Senior Software Engineer"),
        ("/framework/families/product/ic/levels/IC4/", "IC4 · Senior Product Manager"),
        ("/framework/families/marketing/ic/levels/IC4/", "IC4 · Senior Marketing Specialist"),
        ("/framework/families/engineering/#crossover-management", "Crossover IC4 → M1"),
    ]
    assert ("/framework/families/engineering/ic/levels/IC3/#promotion", "Promotion IC3 → IC4") in results(
        html
    )
    assert ("/framework/lateral-paths/#path-1", "Engineering IC4 → Product IC4") in results(
        search(client, "discovery")
    )
    assert ("/framework/#scale-3", "3 · Proficient") in results(search(client, "proficient"))
    assert (
        "/framework/families/engineering/#competency-communication",
        "Technical communication",
    ) in results(search(client, "technical communication"))
    assert ("/framework/families/engineering/#track-management", "Engineering management") in results(
        search(client, "engineering management")
    )


def test_markup_in_queries_and_in_the_framework_is_escaped(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    html = search(login(employee), "<script>")
    assert "<script>alert" not in html
    assert '<input id="framework-search-q" type="search" name="q" value="&lt;script&gt;"' in html
    text = squeeze(main(html))
    assert '<p class="search-summary">1 result for “&lt;script&gt;”</p>' in text
    assert (
        "Learns the team&#x27;s tools <mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt; &amp; conventions with regular guidance."
    ) in text
    nothing = search(login(employee), '"><img src=x onerror=alert(1)>')
    assert "<img src=x" not in nothing
    assert "No results for “&quot;&gt;&lt;img src=x onerror=alert(1)&gt;”." in squeeze(main(nothing))


def test_nothing_found_short_and_empty_queries(login: Any, employee: User, known: FrameworkVersion) -> None:
    client = login(employee)
    assert "No results for “zzzzqqqq”. Try a shorter word, a level code such as IC3, or a title." in search(
        client, "zzzzqqqq"
    )
    assert '<p class="muted">Type at least two characters.</p>' in search(client, "e")
    empty = squeeze(main(search(client, "")))
    assert '<div id="search-results" class="search-results" aria-live="polite"> </div>' in empty


def test_a_group_shows_the_best_results_and_counts_the_rest(
    login: Any, employee: User, known: FrameworkVersion
) -> None:
    html = search(login(employee), "team")
    behaviours = html.split('<h2 id="results-behaviour">', 1)[1].split("</section>", 1)[0]
    total = int(re.search(r'<span class="badge badge--muted">(\d+)</span>', behaviours).group(1))  # type: ignore[union-attr]
    assert total > selectors.SEARCH_RESULTS_PER_KIND
    assert behaviours.count('<li class="search-result">') == selectors.SEARCH_RESULTS_PER_KIND
    assert (
        f'<p class="muted">{total - selectors.SEARCH_RESULTS_PER_KIND} more behaviours; add a word to narrow the search.</p>'
    ) in behaviours


def test_live_results_come_alone_to_htmx(login: Any, employee: User, known: FrameworkVersion) -> None:
    client = login(employee)
    full = search(client, "staff engineer")
    partial = search(client, "staff engineer", HTTP_HX_REQUEST="true")
    assert "<html" not in partial and "<form" not in partial and "<h1>" not in partial
    assert squeeze(partial).strip() in squeeze(full)
    assert results(partial) == results(full)
    # The box asks for the results as one types and keeps the address in step; without JavaScript
    # the same box is a plain form.
    assert (
        'hx-get="/framework/search" hx-trigger="input changed delay:250ms, search" hx-target="#search-results" '
        'hx-push-url="true"'
    ) in full
    assert (
        '<form method="get" action="/framework/search" class="search framework-search" role="search">' in full
    )


def test_the_index_is_built_once_per_version(
    login: Any, employee: User, hr_admin: User, known: FrameworkVersion
) -> None:
    client = login(employee)
    search(client, "staff engineer")
    published = selectors.framework_published_get(viewer=employee)
    assert published is not None
    index = selectors.search_index_get(published=published)
    search(client, "principal")
    assert selectors.search_index_get(published=published) is index
    framework = known_framework()
    framework.families[0].tracks[0].levels[4].title_variants.append("Tech Lead")
    publish(hr_admin, framework)
    assert results(search(client, "tech lead"))[0] == (
        "/framework/families/engineering/ic/levels/IC5/",
        "IC5 · Staff Software Engineer",
    )


@pytest.mark.parametrize("query", ["staff engineer", "team", "e", ""])
def test_search_costs_the_same_few_queries(
    login: Any, employee: User, known: FrameworkVersion, django_assert_num_queries: Any, query: str
) -> None:
    client = login(employee)
    search(client, "warm")  # the index is built on the first search of a version
    with django_assert_num_queries(4):  # session, account with person, has reports, current version
        search(client, query)
