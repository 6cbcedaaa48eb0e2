"""Publishing from its page — the lint summary and the changes, then the confirmation —, the
published versions and the readable diff between any two (the exports are in test_exports.py)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest

from trellis.framework.editing import ExpectationAddress, SetFields
from trellis.framework.yaml_io import loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks import forms
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import (
    framework_diagnostics,
    framework_draft_edit,
    framework_draft_save,
)

pytestmark = pytest.mark.django_db

A = "/framework/authoring"
IC3 = ExpectationAddress("engineering", "ic", "communication", "IC3")
NEW_BEHAVIOUR = "Writes the design review summary for the team within a day of the meeting."


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    """Version 1 is published; the draft is at revision 3."""


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def versions() -> list[tuple[int, bool]]:
    return list(FrameworkVersion.objects.order_by("number").values_list("number", "is_current"))


def old_behaviour() -> str:
    version = FrameworkVersion.objects.get(number=1)
    return (
        loads(version.yaml_text)
        .family("engineering")
        .track("ic")
        .expectations["communication"]["IC3"]
        .behaviour
    )  # type: ignore[union-attr]


def confirmed(client: Any) -> dict[str, str]:
    """What the publish page's form posts: the revision shown and its confirmation."""
    html = client.get(f"{A}/publish/").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(revision|confirmation)" value="([^"]*)"', html))
    assert set(fields) == {"revision", "confirmation"}, "the publish page offers no confirmation"
    return fields


@pytest.fixture
def second_version(login: Any, hr_admin: User) -> FrameworkVersion:
    """Version 2, published from the page: one behaviour reworded (wording), one proficiency
    raised (structural, so HR's)."""
    framework_draft_edit(
        actor=hr_admin,
        edits=[SetFields(IC3, {"behaviour": NEW_BEHAVIOUR, "proficiency": 4})],
        expected_revision=3,
    )
    client = login(hr_admin)
    response = client.post(f"{A}/publish/", confirmed(client))
    assert (response.status_code, response["Location"]) == (302, f"{A}/versions/2/")
    return FrameworkVersion.objects.get(number=2)


def test_publishing_makes_version_n_plus_one_with_its_change_counts(
    second_version: FrameworkVersion, login: Any, hr_admin: User
) -> None:
    assert versions() == [(1, False), (2, True)]
    summary = second_version.change_summary
    assert (summary["previous_version"], summary["structural"], summary["wording"]) == (1, 1, 1)
    address = {
        "kind": "expectation",
        "family": "engineering",
        "track": "ic",
        "competency": "communication",
        "level": "IC3",
    }
    label = "Engineering · Individual contributor · IC3 · Communication"
    assert [(c["kind"], c["action"], c["address"], c["label"], c["field"]) for c in summary["changes"]] == [
        ("structural", "changed", address, label, "proficiency"),
        ("wording", "reworded", address, label, "behaviour"),
    ]
    # Stored whole: the page reads no framework to show them.
    assert summary["changes"][1]["old"] == old_behaviour()
    page = text(login(hr_admin).get(f"{A}/versions/2/"))
    assert "Published version 2: 1 structural and 1 wording changes." in page
    assert '<h2 id="structural-heading">Structural changes <span class="count">1</span></h2>' in page
    assert '<h2 id="wording-heading">Wording changes <span class="count">1</span></h2>' in page
    assert (
        f'<ins class="diff-change__new"><span class="visually-hidden">After: </span>{NEW_BEHAVIOUR}</ins>'
        in page
    )
    # Long values are shortened only in the one-line text; the page shows the whole old behaviour.
    assert len(old_behaviour()) > 120
    old = old_behaviour().replace("'", "&#x27;")
    assert f'<del class="diff-change__old"><span class="visually-hidden">Before: </span>{old}</del>' in page
    assert AuditEvent.objects.order_by("-id").values_list("action", "fields").first() == (
        "framework.published",
        ["number"],
    )


def test_the_migration_rewrites_changes_stored_in_the_older_form(second_version: FrameworkVersion) -> None:
    """Versions published before changes carried addresses get them computed again from their YAML."""
    from django.apps import apps

    migration = importlib.import_module("trellis.web.frameworks.migrations.0003_change_summary_addresses")
    current = second_version.change_summary
    legacy = {
        "previous_version": 1,
        "structural": 1,
        "wording": 1,
        "changes": [
            {"kind": "structural", "action": "changed", "where": "engineering/ic/IC3 communication"},
            {"kind": "wording", "action": "reworded", "where": "engineering/ic/IC3 communication"},
        ],
    }
    FrameworkVersion.objects.filter(number=2).update(change_summary=legacy)
    migration.recompute_changes(apps, None)
    assert FrameworkVersion.objects.get(number=2).change_summary == current
    assert FrameworkVersion.objects.get(number=1).change_summary == {
        "previous_version": None,
        "structural": 0,
        "wording": 0,
        "changes": [],
    }


def state() -> tuple[list[tuple[int, bool]], int, int]:
    """The versions, the draft's revision and the number of audit events: what a refusal keeps."""
    return versions(), FrameworkDraft.objects.get().revision, AuditEvent.objects.count()


def test_the_publish_page_shows_the_lint_summary_and_the_changes_before_anything_is_published(
    login: Any, hr_admin: User
) -> None:
    framework_draft_edit(
        actor=hr_admin,
        edits=[SetFields(IC3, {"behaviour": "Demonstrates leadership in design reviews.", "proficiency": 4})],
        expected_revision=3,
    )
    before = state()
    response = login(hr_admin).get(f"{A}/publish/")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Publish the draft as version 2</h1>" in html
    _, diagnostics = framework_diagnostics(FrameworkDraft.objects.get().yaml_text)
    warnings = [d for d in diagnostics if d.severity == "warning"]
    assert [d.code for d in diagnostics] == ["TRL201"] * len(warnings) and len(warnings) == 1
    assert '<p class="publish-summary">0 errors, 1 warning.</p>' in html
    assert "<h3>Warnings: they do not block publishing</h3>" in html
    assert "Errors: publishing is refused" not in html
    # The warning is placed in the framework's words and links to where it is fixed.
    behaviours = f"{A}/edit/families/engineering/tracks/ic/behaviours/communication/#id_IC3-behaviour"
    assert f'<a href="{behaviours}">Engineering · IC3 · Communication</a>' in html
    assert "&quot;Demonstrates leadership&quot; describes a trait, not an observable behaviour" in html
    # The changes from version 1, as the versions' diff shows them.
    assert '<h2 id="changes-heading">What changes from version 1</h2>' in html
    assert "<p>1 structural and 1 wording change.</p>" in html
    structural, wording = html.split('id="wording-heading"')
    assert '<ins class="diff-change__new"><span class="visually-hidden">After: </span>4</ins>' in structural
    assert (
        '<ins class="diff-change__new"><span class="visually-hidden">After: </span>'
        "Demonstrates leadership in design reviews.</ins>" in wording
    )
    assert '<button type="submit" class="button button--primary">Publish version 2</button>' in html
    assert state() == before


def test_a_draft_the_same_as_the_current_version_says_so(login: Any, hr_admin: User) -> None:
    html = text(login(hr_admin).get(f"{A}/publish/"))
    assert "<p>No changes: the draft is the same as version 1.</p>" in html
    assert "Publish version 2</button>" in html


def test_publishing_is_refused_while_the_draft_has_errors(
    login: Any, hr_admin: User, starter_framework_yaml: str
) -> None:
    framework_draft_save(
        actor=hr_admin,
        yaml_text=starter_framework_yaml.replace("code: IC2", "code: IC1", 1),
        expected_revision=3,
    )
    client = login(hr_admin)
    _, diagnostics = framework_diagnostics(FrameworkDraft.objects.get().yaml_text)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert len(errors) > 1
    page = text(client.get(f"{A}/publish/"))
    assert f'<p class="publish-summary">{len(errors)} errors, ' in page
    assert "<h3>Errors: publishing is refused until they are fixed</h3>" in page
    assert "<p>Nothing can be published while the draft has errors.</p>" in page
    # No button and no confirmation to post.
    assert "Publish version 2</button>" not in page
    assert 'name="confirmation"' not in page
    # A confirmation for this revision (made by the page before it had errors) publishes nothing.
    before = state()
    response = client.post(
        f"{A}/publish/",
        {"revision": "4", "confirmation": forms.publish_confirmation(user_id=hr_admin.pk, revision=4)},
    )
    assert response.status_code == 400
    html = text(response)
    assert f"The draft has {len(errors)} errors: nothing was published." in html
    errors_table = html.split("<h3>Errors: publishing is refused until they are fixed</h3>")[1]
    errors_table = errors_table.split("</table>")[0]
    assert errors_table.count('<span class="severity severity--error">') == len(errors)
    assert "line " not in errors_table
    # Each placed in the framework's words, linked to where it is fixed.
    assert f'<a href="{A}/edit/families/engineering/tracks/ic/levels/IC1/#id_code">Engineering · IC1</a>' in (
        errors_table
    )
    assert ">Engineering · IC2 · Communication</a>" in errors_table
    assert state() == before


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"revision": "3"},
        {"revision": "3", "confirmation": "3"},
        {"revision": "3", "confirmation": "not a token"},
    ],
    ids=["nothing", "no confirmation", "a revision for a confirmation", "a made-up confirmation"],
)
def test_publishing_without_the_confirmation_is_refused(
    fields: dict[str, str], login: Any, hr_admin: User
) -> None:
    before = state()
    response = login(hr_admin).post(f"{A}/publish/", fields)
    assert response.status_code == 400
    html = text(response)
    assert (
        '<div class="form-errors" role="alert"> <p>Publishing needs your confirmation: review the findings '
        "and the changes on this page, then publish. Nothing was published.</p> </div>" in html
    )
    # The page is shown again with a confirmation of its own.
    assert "Publish version 2</button>" in html
    assert state() == before


def test_a_confirmation_is_for_one_person_and_one_revision(
    login: Any, hr_admin: User, personas: dict[str, User]
) -> None:
    before = state()
    client = login(hr_admin)
    someone_else = forms.publish_confirmation(user_id=personas["employee"].pk, revision=3)
    other_revision = forms.publish_confirmation(user_id=hr_admin.pk, revision=2)
    for fields in (
        {"revision": "3", "confirmation": someone_else},
        {"revision": "3", "confirmation": other_revision},
    ):
        response = client.post(f"{A}/publish/", fields)
        assert response.status_code == 400
        assert "Publishing needs your confirmation" in text(response)
    assert state() == before


def test_publishing_a_draft_changed_since_the_confirmation_is_refused(
    login: Any, hr_admin: User, coauthor: User
) -> None:
    client = login(hr_admin)
    fields = confirmed(client)
    assert fields["revision"] == "3"
    framework_draft_edit(
        actor=coauthor, edits=[SetFields(IC3, {"behaviour": NEW_BEHAVIOUR})], expected_revision=3
    )
    before = state()
    response = client.post(f"{A}/publish/", fields)
    assert response.status_code == 409
    html = text(response)
    assert (
        "The draft changed since you reviewed it (you confirmed revision 3; it is now at 4): nothing was "
        "published. Below are its findings and changes as they are now; review them and publish again."
        in html
    )
    # The page now shows the co-author's change, and confirms revision 4.
    assert f'<span class="visually-hidden">After: </span>{NEW_BEHAVIOUR}</ins>' in html
    assert '<input type="hidden" name="revision" value="4"' in html
    assert state() == before


def test_the_versions_list(second_version: FrameworkVersion, login: Any, employee: User) -> None:
    html = text(login(employee).get(f"{A}/versions/"))
    rows = re.findall(r"<tr> <th scope=\"row\">(.*?)</tr>", html)
    assert len(rows) == 2
    assert rows[0].startswith(
        f'<a href="{A}/versions/2/">Version 2</a> <span class="badge">Current</span></th>'
    )
    assert rows[0].endswith("<td>Hana HR</td> <td>1</td> <td>1</td> ")
    assert rows[1].endswith("<td>Hana HR</td> <td>0</td> <td>0</td> ")
    # Published versions are immutable: no page offers to edit one.
    assert "/edit/" not in html


def test_the_diff_between_two_versions_is_grouped_with_old_and_new_text(
    second_version: FrameworkVersion, login: Any, employee: User
) -> None:
    html = text(login(employee).get(f"{A}/versions/compare/?old=1&new=2"))
    assert "From version 1 to version 2" in html
    assert "1 structural and 1 wording change." in html
    structural, wording = html.split('id="wording-heading"')
    assert (
        '<span class="diff-change__where">Engineering · Individual contributor · IC3 · Communication</span>'
        ' <span class="diff-change__field">proficiency</span>' in structural
    )
    assert '<del class="diff-change__old"><span class="visually-hidden">Before: </span>3</del>' in structural
    assert '<ins class="diff-change__new"><span class="visually-hidden">After: </span>4</ins>' in structural
    old = old_behaviour().replace("'", "&#x27;")
    assert (
        f'<del class="diff-change__old"><span class="visually-hidden">Before: </span>{old}</del>' in wording
    )
    assert (
        f'<ins class="diff-change__new"><span class="visually-hidden">After: </span>{NEW_BEHAVIOUR}</ins>'
        in wording
    )
    # Without parameters: the previous version against the current one.
    assert "From version 1 to version 2" in text(login(employee).get(f"{A}/versions/compare/"))
    same = text(login(employee).get(f"{A}/versions/compare/?old=2&new=2"))
    assert "No changes." in same


def test_the_draft_can_be_compared_by_those_who_may_read_it(
    login: Any, coauthor: User, employee: User
) -> None:
    framework_draft_edit(
        actor=coauthor, edits=[SetFields(IC3, {"behaviour": NEW_BEHAVIOUR})], expected_revision=3
    )
    html = text(login(coauthor).get(f"{A}/versions/compare/?old=1&new=draft"))
    assert "From version 1 to the draft" in html
    assert "0 structural and 1 wording change." in html
    refused = login(employee).get(f"{A}/versions/compare/?old=1&new=draft")
    assert refused.status_code == 400
    assert "Select a valid choice. draft is not one of the available choices." in text(refused)
