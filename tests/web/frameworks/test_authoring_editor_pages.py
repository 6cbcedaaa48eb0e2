"""The editor's pages are declarations: each is served by the page view and, at its ``lint/``
sibling, by the live-lint view of its own."""

from __future__ import annotations

from django.urls import resolve, reverse

from trellis.web.frameworks.authoring_editor import PAGES
from trellis.web.frameworks.authoring_support import editor_page, live_lint

ARGUMENTS = {
    "framework": {},
    "core_competency": {"competency_id": "communication"},
    "lateral_path": {"index": 0},
    "family": {"family_id": "engineering"},
    "competency": {"family_id": "engineering", "competency_id": "system_design"},
    "promotion": {"family_id": "engineering", "from_level": "IC1", "to_level": "IC2"},
    "track": {"family_id": "engineering", "track_id": "ic"},
    "level": {"family_id": "engineering", "track_id": "ic", "code": "IC3"},
    "behaviours": {"family_id": "engineering", "track_id": "ic", "competency_id": "communication"},
}


def test_every_page_and_its_live_lint_are_two_views_of_one_declaration() -> None:
    assert [page.name for page in PAGES] == list(ARGUMENTS)
    for page in PAGES:
        url = reverse(f"authoring:{page.name}", kwargs=ARGUMENTS[page.name])
        lint_url = reverse(f"authoring:{page.name}_lint", kwargs=ARGUMENTS[page.name])
        assert lint_url == f"{url}lint/"
        shown, linted = resolve(url), resolve(lint_url)
        assert (shown.func, shown.kwargs) == (editor_page, {**ARGUMENTS[page.name], "page": page})
        assert (linted.func, linted.kwargs) == (live_lint, {**ARGUMENTS[page.name], "page": page})
