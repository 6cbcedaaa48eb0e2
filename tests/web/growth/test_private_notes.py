"""A private note of a 1:1 never leaves its author.

On the authorization walk's company (tests/web/test_authorization_walk.py), the employee's 1:1
with their manager holds a private note by each of them, each carrying a marker string found
nowhere else (tests/web/growth/walk_one_on_ones.py). The marker must not appear:

- on any page of the app, requested by every actor — every route the walk knows, GET and POST, with
  each of its path parameters — except the meeting's own pages for the note's author: checked by
  the authorization walk itself (its `PRIVATE_NOTES`), which renders them all already;
- in the people exports (CSV and XLSX, filtered by a word of the note too), the framework search
  and the people search for a word of the note, and the audit log (its page and every stored event);
- in the admin: no model admin registers private notes, and the administration pages show nothing;
- from the API-facing selectors of `growth.one_on_one_selectors`, called as anyone else.
"""

from __future__ import annotations

import importlib.util
from dataclasses import astuple
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.http import Http404

from trellis.web import policy
from trellis.web.audit.models import AuditEvent
from trellis.web.growth.models import OneOnOne, PrivateNote
from trellis.web.growth.one_on_one_selectors import (
    guide_page_get,
    meeting_page_get,
    one_on_ones_mine,
    pair_meetings,
    private_notes_of,
)
from trellis.web.growth.one_on_one_services import private_note_add
from trellis.web.policy import Action

from ..conftest import HttpsClient
from ..test_authorization_walk import ACTORS, company, response_text  # noqa: F401  (the walk's fixture)
from .walk_one_on_ones import (
    EMPLOYEE_PRIVATE_MARKER,
    EMPLOYEE_PRIVATE_WORD,
    MANAGER_PRIVATE_MARKER,
    MANAGER_PRIVATE_WORD,
)

pytestmark = pytest.mark.django_db

#: Pages with a query that could find the note if anything indexed it: searched for a word of each
#: note (a page that found the note would show its marker).
SEARCHES = (
    "/framework/search?q={word}",
    "/people/?q={word}",
    "/people/export.csv?q={word}",
    "/people/export.xlsx?q={word}",
    "/people/export.csv",
    "/people/export.xlsx",
    "/accounts/admin/users/?q={word}",
    "/admin/audit/",
)


def _clients(company: dict[str, Any]) -> dict[str, HttpsClient]:  # noqa: F811
    clients = {"anonymous": HttpsClient(raise_request_exception=False)}
    for actor in ACTORS[1:]:
        client = HttpsClient(raise_request_exception=False)
        client.force_login(company[actor])
        clients[actor] = client
    return clients


def test_no_search_or_export_finds_a_private_note(company: dict[str, Any]) -> None:  # noqa: F811
    """Every page, as every actor, is checked by the authorization walk (its private-note check);
    here, the pages that take a query, searched for a word of each note, and the exports."""
    clients = _clients(company)
    answered = 0
    for search in SEARCHES:
        for word in (MANAGER_PRIVATE_WORD, EMPLOYEE_PRIVATE_WORD):
            path = search.format(word=word)
            for actor, client in clients.items():
                with transaction.atomic():
                    response = client.get(path)
                    body = response_text(response)
                    transaction.set_rollback(True)
                answered += response.status_code == 200
                for marker in (MANAGER_PRIVATE_MARKER, EMPLOYEE_PRIVATE_MARKER):
                    assert marker not in body, f"{path} as {actor} shows a private note"
    assert answered > 20  # pages were rendered, not only refused


def test_the_meeting_page_shows_each_of_the_pair_their_own_private_note_only(
    company: dict[str, Any],  # noqa: F811
) -> None:
    meeting = company["one_on_one_employee"]
    for actor, own, other in (
        ("manager", MANAGER_PRIVATE_MARKER, EMPLOYEE_PRIVATE_MARKER),
        ("employee", EMPLOYEE_PRIVATE_MARKER, MANAGER_PRIVATE_MARKER),
    ):
        client = HttpsClient()
        client.force_login(company[actor])
        body = client.get(f"/growth/one-on-ones/{meeting.pk}/").content.decode()
        assert own in body and other not in body
        # The shared note and the agenda, both see.
        assert "Agreed to lead the next review." in body and "The payments design review" in body


def test_the_audit_records_no_private_note(company: dict[str, Any]) -> None:  # noqa: F811
    meeting = company["one_on_one_employee"]
    before = AuditEvent.objects.count()
    private_note_add(actor=company["manager"], meeting=meeting, text=f"Again {MANAGER_PRIVATE_MARKER}")
    assert AuditEvent.objects.count() == before
    for event in AuditEvent.objects.all():
        stored = " ".join(str(value) for value in event.__dict__.values())
        assert MANAGER_PRIVATE_MARKER not in stored and EMPLOYEE_PRIVATE_MARKER not in stored
        assert event.target_type != "growth.privatenote"


def test_the_admin_has_no_private_notes() -> None:
    """Django's admin site is not installed, and no app has a model admin module that could
    register private notes should it ever be; the app's own administration pages (accounts, roles,
    the audit log) are among those the first test requests as HR and IT admins."""
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert PrivateNote._meta.app_config is not None
    apps_with_admin = [
        config.name
        for config in django_apps.get_app_configs()
        if importlib.util.find_spec(f"{config.name}.admin")
    ]
    assert [name for name in apps_with_admin if name.startswith("trellis")] == []


def test_the_selectors_give_nobody_else_a_private_note(company: dict[str, Any]) -> None:  # noqa: F811
    meeting = OneOnOne.objects.get(pk=company["one_on_one_employee"].pk)
    markers = (MANAGER_PRIVATE_MARKER, EMPLOYEE_PRIVATE_MARKER)
    for actor in ACTORS[1:]:
        viewer = company[actor]
        readable = {"manager": MANAGER_PRIVATE_MARKER, "employee": EMPLOYEE_PRIVATE_MARKER}.get(actor)
        for read in (private_notes_of, meeting_page_get):
            try:
                answer = read(viewer=viewer, meeting=meeting)
            except Http404:
                assert readable is None, f"{actor} is one of the pair"
                continue
            notes = answer if isinstance(answer, list) else answer.private_notes
            assert [readable in note.text for note in notes] == [True], actor
            for marker in markers:
                if marker != readable:
                    assert marker not in repr(answer) and all(marker not in note.text for note in notes)
        for meetings in _lists(viewer, meeting):
            assert all(marker not in repr(astuple_or_self(item)) for item in meetings for marker in markers)


def astuple_or_self(item: Any) -> Any:
    try:
        return astuple(item)
    except TypeError:
        return item


def _lists(viewer: Any, meeting: OneOnOne) -> list[list[Any]]:
    """Whatever else the selectors give `viewer` about the pair (lists of meetings, the guide)."""
    answers: list[list[Any]] = []
    if policy.can(viewer, Action.ONE_ON_ONE_MINE):
        answers.append(one_on_ones_mine(viewer=viewer))
    for read in (pair_meetings, guide_page_get):
        try:
            kwargs: dict[str, Any] = {"viewer": viewer, "report": meeting.report}
            if read is guide_page_get:
                kwargs["published"] = None
            result = read(**kwargs)
        except Http404:
            continue
        answers.append(result if isinstance(result, list) else [result])
    return answers
