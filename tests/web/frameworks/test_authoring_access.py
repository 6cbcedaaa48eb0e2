"""Who gets what from every authoring URL: anonymous, employee, the co-author of engineering (on
engineering and on another family), HR and IT — exact status codes, and nothing changed by a
refused POST. Query counts of every page are pinned per persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get

pytestmark = pytest.mark.django_db

A = "/framework/authoring"
ENGINEERING = f"{A}/edit/families/engineering"
PRODUCT = f"{A}/edit/families/product"

# persona → expected status, for: anonymous, employee, coauthor (of engineering), hr_admin, it_admin
PERSONAS = ("anonymous", "employee", "coauthor", "hr_admin", "it_admin")
DRAFT_READERS = {"anonymous": 302, "employee": 403, "coauthor": 200, "hr_admin": 200, "it_admin": 403}
HR_ONLY = {"anonymous": 302, "employee": 403, "coauthor": 403, "hr_admin": 200, "it_admin": 403}
EVERYONE = {"anonymous": 302, "employee": 200, "coauthor": 200, "hr_admin": 200, "it_admin": 200}
# A family the co-author does not co-author: HR only, though the co-author may read the draft.
OTHER_FAMILY = HR_ONLY

GET_PAGES: list[tuple[str, dict[str, int]]] = [
    (f"{A}/", DRAFT_READERS),
    (f"{A}/import/", HR_ONLY),
    (f"{A}/yaml/", HR_ONLY),
    (f"{A}/edit/", HR_ONLY),
    (f"{A}/edit/core/communication/", HR_ONLY),
    (
        f"{A}/edit/lateral-paths/0/",
        DRAFT_READERS,
    ),  # engineering IC4 → product IC4: either family's co-authors
    (f"{ENGINEERING}/", DRAFT_READERS),
    (f"{ENGINEERING}/competencies/system_design/", DRAFT_READERS),
    (f"{ENGINEERING}/promotions/IC1/IC2/", DRAFT_READERS),
    (f"{ENGINEERING}/tracks/ic/", DRAFT_READERS),
    (f"{ENGINEERING}/tracks/management/", DRAFT_READERS),
    (f"{ENGINEERING}/tracks/ic/levels/IC3/", DRAFT_READERS),
    (f"{ENGINEERING}/tracks/ic/behaviours/communication/", DRAFT_READERS),
    (f"{PRODUCT}/", OTHER_FAMILY),
    (f"{PRODUCT}/competencies/product_discovery/", OTHER_FAMILY),
    (f"{PRODUCT}/promotions/IC1/IC2/", OTHER_FAMILY),
    (f"{PRODUCT}/tracks/ic/", OTHER_FAMILY),
    (f"{PRODUCT}/tracks/ic/levels/IC3/", OTHER_FAMILY),
    (f"{PRODUCT}/tracks/ic/behaviours/communication/", OTHER_FAMILY),
    (f"{A}/edit/families/nope/", {**DRAFT_READERS, "coauthor": 404, "hr_admin": 404}),
    (f"{ENGINEERING}/tracks/ic/levels/IC99/", {**DRAFT_READERS, "coauthor": 404, "hr_admin": 404}),
    (f"{ENGINEERING}/tracks/ic/behaviours/nope/", {**DRAFT_READERS, "coauthor": 404, "hr_admin": 404}),
    (f"{A}/edit/lateral-paths/99/", {**DRAFT_READERS, "coauthor": 404, "hr_admin": 404}),
    (f"{A}/versions/", EVERYONE),
    (f"{A}/versions/1/", EVERYONE),
    (f"{A}/versions/2/", {**EVERYONE, "employee": 404, "coauthor": 404, "hr_admin": 404, "it_admin": 404}),
    (f"{A}/versions/compare/", EVERYONE),
    (f"{A}/versions/compare/?old=1&new=1", EVERYONE),
    (f"{A}/versions/compare/?old=1&new=draft", {**EVERYONE, "employee": 400, "it_admin": 400}),
    (f"{A}/versions/1/export/yaml/", EVERYONE),
    (f"{A}/versions/1/export/md/", EVERYONE),
    (
        f"{A}/versions/1/export/docx/",
        {**EVERYONE, "employee": 404, "coauthor": 404, "hr_admin": 404, "it_admin": 404},
    ),
    (f"{A}/draft/export/yaml/", DRAFT_READERS),
    (f"{A}/draft/export/md/", DRAFT_READERS),
]

LINT = f"{ENGINEERING}/tracks/ic/behaviours/communication/lint/?field=IC3-behaviour"
POSTS: list[tuple[str, dict[str, str], dict[str, int]]] = [
    (f"{A}/submit/", {"revision": "3"}, {**DRAFT_READERS, "coauthor": 302, "hr_admin": 302}),
    (
        f"{A}/return/",
        {"revision": "3", "comment": "Reword it."},
        {**HR_ONLY, "hr_admin": 400},
    ),  # not in review
    # Without the publish page's confirmation HR's publish is refused (test_authoring_versions).
    (f"{A}/publish/", {"revision": "3"}, {**HR_ONLY, "hr_admin": 400}),
    (LINT, {"IC3-behaviour": "Writes it down.", "IC3-proficiency": "3", "revision": "3"}, DRAFT_READERS),
    (
        f"{PRODUCT}/tracks/ic/behaviours/communication/lint/?field=IC3-behaviour",
        {"IC3-behaviour": "Writes it down.", "revision": "3"},
        OTHER_FAMILY,
    ),
    (f"{A}/yaml/lint/", {"yaml_text": "name: x"}, HR_ONLY),
    (
        f"{ENGINEERING}/tracks/ic/",
        {
            "operation": "add_level",
            "level-revision": "3",
            "level-code": "IC7",
            "level-name": "Distinguished",
            "level-title": "Distinguished Engineer",
        },
        {**HR_ONLY, "hr_admin": 302},
    ),
    (
        f"{ENGINEERING}/tracks/ic/",
        {"operation": "nonsense", "revision": "3"},
        {**DRAFT_READERS, "coauthor": 400, "hr_admin": 400},
    ),
    (
        f"{A}/import/",
        {
            "operation": "starter",
            "starter-revision": "3",
            "starter-families": "design",
            "starter-size": "startup",
            "starter-mode": "add",
        },
        {**HR_ONLY, "hr_admin": 302},
    ),
]


@pytest.fixture(autouse=True)
def _framework_parsed(published_framework: FrameworkVersion, hr_admin: User) -> None:
    # Pinned query counts are those of a warm process, where the framework is already parsed.
    framework_published_get(viewer=hr_admin)


def client_for(persona: str, personas: dict[str, User], client: Client) -> Client:
    if persona != "anonymous":
        client.force_login(personas[persona])
    return client


def snapshot() -> tuple[object, ...]:
    return (
        list(FrameworkDraft.objects.values_list("yaml_text", "status", "revision", "review_comment")),
        list(FrameworkVersion.objects.values_list("number", "is_current")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_each_persona(persona: str, personas: dict[str, User], client: Client) -> None:
    client = client_for(persona, personas, client)
    answers = {url: client.get(url).status_code for url, _ in GET_PAGES}
    assert answers == {url: expected[persona] for url, expected in GET_PAGES}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url", "data", "expected"), POSTS, ids=[f"{url}:{d.get('operation', '')}" for url, d, _ in POSTS]
)
def test_every_post_answers_each_persona(
    persona: str,
    url: str,
    data: dict[str, str],
    expected: dict[str, int],
    personas: dict[str, User],
    client: Client,
) -> None:
    client = client_for(persona, personas, client)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == expected[persona]
    if response.status_code != 302:
        assert snapshot() == before


def test_the_live_lint_takes_posts_only(login: Any, coauthor: User) -> None:
    assert login(coauthor).get(LINT).status_code == 405


# --- pinned query counts --------------------------------------------------------------------------
# session, account; for a co-author also their families and (navigation) whether they manage anyone;
# the draft in one query; a version page one more; a comparison one per version and the list.

COUNTED_PAGES: list[tuple[str, str, int]] = [
    ("hr_admin", f"{A}/", 3),
    ("hr_admin", f"{A}/import/", 3),
    ("hr_admin", f"{A}/yaml/", 3),
    # The draft, and the current version and the last number it is compared with and follows.
    ("hr_admin", f"{A}/publish/", 5),
    ("hr_admin", f"{A}/edit/", 3),
    ("hr_admin", f"{A}/edit/core/communication/", 3),
    ("hr_admin", f"{ENGINEERING}/", 3),
    ("hr_admin", f"{ENGINEERING}/tracks/ic/", 3),
    ("hr_admin", f"{ENGINEERING}/tracks/ic/levels/IC3/", 3),
    # The behaviours page: also whether the kept rater agreement is current (one aggregate).
    ("hr_admin", f"{ENGINEERING}/tracks/ic/behaviours/communication/", 4),
    ("hr_admin", f"{ENGINEERING}/competencies/system_design/", 3),
    ("hr_admin", f"{ENGINEERING}/promotions/IC1/IC2/", 3),
    ("hr_admin", f"{A}/edit/lateral-paths/0/", 3),
    ("coauthor", f"{A}/", 5),
    ("coauthor", f"{ENGINEERING}/", 5),
    ("coauthor", f"{ENGINEERING}/tracks/ic/behaviours/communication/", 6),
    ("coauthor", f"{ENGINEERING}/tracks/ic/levels/IC3/", 5),
    ("employee", f"{A}/versions/", 4),
    ("employee", f"{A}/versions/1/", 4),
    ("employee", f"{A}/versions/compare/?old=1&new=1", 6),
    # Not yet rendered: the page that says the file is being prepared (test_exports pins the download).
    ("employee", f"{A}/versions/1/export/yaml/", 5),
    ("coauthor", f"{A}/draft/export/yaml/", 7),
]


@pytest.mark.parametrize(("persona", "url", "queries"), COUNTED_PAGES)
def test_query_counts_are_pinned(
    persona: str,
    url: str,
    queries: int,
    personas: dict[str, User],
    client: Client,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(persona, personas, client)
    client.get(url)  # the draft's text is checked once per process, like the framework is parsed
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
