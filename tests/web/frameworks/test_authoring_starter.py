"""Starting from the library: families of the starter library added to the draft beside its own,
or replacing it (the replacing import is also in test_authoring_pages.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from trellis.framework.templates import starter
from trellis.framework.yaml_io import loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import framework_diagnostics, framework_draft_save

pytestmark = pytest.mark.django_db

A = "/framework/authoring"


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    """Version 1 is published (engineering, product, marketing); the draft is at revision 3."""


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def snapshot() -> tuple[object, ...]:
    return (
        list(FrameworkDraft.objects.values_list("yaml_text", "status", "revision")),
        AuditEvent.objects.count(),
    )


def add(client: Any, *families: str, revision: int = 3, size: str = "growth") -> Any:
    return client.post(
        f"{A}/import/",
        {
            "operation": "starter",
            "starter-revision": str(revision),
            "starter-families": list(families),
            "starter-size": size,
            "starter-mode": "add",
        },
    )


def test_a_family_is_added_beside_the_drafts_own(login: Any, hr_admin: User) -> None:
    before = loads(FrameworkDraft.objects.get().yaml_text)
    client = login(hr_admin)
    response = add(client, "design", "data")
    assert (response.status_code, response["Location"]) == (302, f"{A}/")
    after = loads(FrameworkDraft.objects.get().yaml_text)
    assert [family.id for family in after.families] == [
        "engineering",
        "product",
        "marketing",
        "design",
        "data",
    ]
    assert after.families[:3] == before.families
    assert after.families[3:] == starter(["design", "data"], "growth").families
    assert (after.name, after.core_competencies) == (before.name, before.core_competencies)
    # The library's paths into the draft's families stay out; none joins design and data.
    assert after.lateral_paths == before.lateral_paths
    # What was added lints as cleanly as the draft did.
    _, diagnostics = framework_diagnostics(FrameworkDraft.objects.get().yaml_text)
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert FrameworkDraft.objects.get().revision == 4
    event = AuditEvent.objects.order_by("-id").values_list("action", "fields", "actor_id").first()
    assert event == ("framework.draft_families_added_from_starter", ["data", "design"], hr_admin.pk)
    overview = text(client.get(f"{A}/"))
    assert (
        "Added Design and Data from the starter library (growth size); the other families are unchanged."
        in (overview)
    )


def test_a_family_whose_id_the_draft_has_is_refused_naming_it(login: Any, hr_admin: User) -> None:
    before = snapshot()
    response = add(login(hr_admin), "design", "product")
    assert response.status_code == 400
    assert (
        "the draft already has a family with the id &quot;product&quot; (Product): nothing was added. Rename "
        "or remove that family first, or leave it out"
    ) in text(response)
    assert snapshot() == before


def test_adding_to_an_unreadable_draft_is_refused(login: Any, hr_admin: User) -> None:
    framework_draft_save(actor=hr_admin, yaml_text="name: [unclosed", expected_revision=3)
    before = snapshot()
    response = add(login(hr_admin), "design", revision=4)
    assert response.status_code == 400
    assert (
        "the draft cannot be read as a framework; fix it in the YAML editor or replace it by an import"
        in text(response)
    )
    assert snapshot() == before


def test_adding_to_an_empty_draft_starts_it(login: Any, hr_admin: User) -> None:
    FrameworkDraft.objects.update(yaml_text="")
    response = add(login(hr_admin), "design", size="startup")
    assert response.status_code == 302
    assert loads(FrameworkDraft.objects.get().yaml_text) == starter(["design"], "startup")


def test_the_form_offers_to_add_to_a_draft_with_content_and_to_replace_an_empty_one(
    login: Any, hr_admin: User
) -> None:
    checked = r'<input type="radio" name="starter-mode" value="{}"[^>]* checked>'
    client = login(hr_admin)
    html = client.get(f"{A}/import/").content.decode()
    assert re.search(checked.format("add"), html)
    assert not re.search(checked.format("replace"), html)
    FrameworkDraft.objects.update(yaml_text="")
    empty = client.get(f"{A}/import/").content.decode()
    assert re.search(checked.format("replace"), empty)
