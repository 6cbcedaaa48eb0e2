"""Co-authorships follow their family when HR renames its id in the draft, and end when the family
leaves the draft — so a family added later under the same id has no co-authors."""

from __future__ import annotations

import pytest

from trellis.framework.editing import FamilyAdd, FamilyRemove, FamilyRename, apply_edits
from trellis.framework.yaml_io import dumps, loads
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import (
    family_coauthor_add,
    framework_draft_edit,
    framework_draft_write_yaml,
)
from trellis.web.policy import Action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    pass


def revision() -> int:
    return FrameworkDraft.objects.get().revision


def coauthorships() -> list[tuple[str, str]]:
    return list(
        FamilyCoauthor.objects.order_by("family_id", "user__email").values_list("family_id", "user__email")
    )


def coauthor_events() -> list[tuple[str, list[str]]]:
    return list(
        AuditEvent.objects.filter(action__startswith="framework.coauthor")
        .order_by("id")
        .values_list("action", "fields")
    )


def test_a_coauthorship_follows_its_family_to_a_new_id(personas: dict[str, User]) -> None:
    hr, coauthor = personas["hr_admin"], personas["coauthor"]
    framework_draft_edit(
        actor=hr, edits=[FamilyRename("engineering", "software")], expected_revision=revision()
    )
    assert coauthorships() == [("software", "coauthor@example.com")]
    assert coauthor_events() == [("framework.coauthor_family_renamed", ["family_id"])]
    fresh = User.objects.get(pk=coauthor.pk)
    assert policy.can(fresh, Action.FRAMEWORK_EDIT_CONTENT, "software") is True
    assert policy.can(fresh, Action.FRAMEWORK_EDIT_CONTENT, "engineering") is False


def test_a_removed_family_ends_its_coauthorships_and_a_new_one_of_that_id_inherits_no_one(
    personas: dict[str, User],
) -> None:
    hr = personas["hr_admin"]
    framework_draft_edit(actor=hr, edits=[FamilyRemove("engineering")], expected_revision=revision())
    assert coauthorships() == []
    assert coauthor_events() == [("framework.coauthor_removed", ["family_id", "user"])]
    framework_draft_edit(
        actor=hr, edits=[FamilyAdd("engineering", "Engineering")], expected_revision=revision()
    )
    assert coauthorships() == []
    assert (
        policy.can(User.objects.get(pk=personas["coauthor"].pk), Action.FRAMEWORK_EDIT_CONTENT, "engineering")
        is False
    )


def test_removing_and_adding_back_in_one_edit_inherits_no_one(personas: dict[str, User]) -> None:
    framework_draft_edit(
        actor=personas["hr_admin"],
        edits=[
            FamilyRename("engineering", "software"),
            FamilyRemove("software"),
            FamilyAdd("engineering", "New"),
        ],
        expected_revision=revision(),
    )
    assert coauthorships() == []


def test_two_families_swapping_ids_keep_their_coauthors(personas: dict[str, User]) -> None:
    hr = personas["hr_admin"]
    family_coauthor_add(actor=hr, user=personas["employee"], family_id="product")
    family_coauthor_add(actor=hr, user=personas["coauthor"], family_id="product")
    framework_draft_edit(
        actor=hr,
        edits=[
            FamilyRename("engineering", "swap"),
            FamilyRename("product", "engineering"),
            FamilyRename("swap", "product"),
        ],
        expected_revision=revision(),
    )
    assert coauthorships() == [
        ("engineering", "coauthor@example.com"),
        ("engineering", "employee@example.com"),
        ("product", "coauthor@example.com"),
    ]


def test_a_family_left_out_of_the_yaml_ends_its_coauthorships(personas: dict[str, User]) -> None:
    draft = FrameworkDraft.objects.get()
    framework = loads(draft.yaml_text)
    framework.families = [family for family in framework.families if family.id != "engineering"]
    framework.lateral_paths = [
        lateral
        for lateral in framework.lateral_paths
        if "engineering" not in (lateral.source.family, lateral.destination.family)
    ]
    framework_draft_write_yaml(
        actor=personas["hr_admin"], yaml_text=dumps(framework), expected_revision=draft.revision
    )
    assert coauthorships() == []


def test_an_edit_that_touches_no_family_id_leaves_coauthorships_alone(personas: dict[str, User]) -> None:
    from trellis.framework.editing import FamilyAddress, SetFields

    framework_draft_edit(
        actor=personas["hr_admin"],
        edits=[SetFields(FamilyAddress("engineering"), {"description": "Builds things."})],
        expected_revision=revision(),
    )
    assert coauthorships() == [("engineering", "coauthor@example.com")]
    assert coauthor_events() == []


def test_edit_results_name_family_renames_from_first_to_last_id(starter_framework_yaml: str) -> None:
    framework = loads(starter_framework_yaml)
    chained = apply_edits(framework, [FamilyRename("engineering", "a"), FamilyRename("a", "b")])
    assert chained.family_renames == {"engineering": "b"}
    back = apply_edits(framework, [FamilyRename("engineering", "a"), FamilyRename("a", "engineering")])
    assert back.family_renames == {}
    removed = apply_edits(framework, [FamilyRename("engineering", "a"), FamilyRemove("a")])
    assert (removed.family_renames, removed.families_removed) == ({}, {"engineering"})
    again = apply_edits(framework, [FamilyRemove("engineering"), FamilyAdd("engineering", "New")])
    assert (again.family_renames, again.families_removed) == ({}, {"engineering"})
    moved_aside = apply_edits(
        framework,
        [FamilyRename("engineering", "a"), FamilyAdd("engineering", "New"), FamilyRemove("engineering")],
    )
    assert (moved_aside.family_renames, moved_aside.families_removed) == ({"engineering": "a"}, frozenset())
