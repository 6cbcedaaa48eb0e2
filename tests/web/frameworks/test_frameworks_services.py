"""Publishing the framework: checked like `trellis lint`, numbered, immutable, current; the draft's
optimistic lock; the cached current framework."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from trellis.framework.yaml_io import loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.frameworks.services import (
    DraftConflict,
    FrameworkInvalid,
    family_coauthor_add,
    family_coauthor_remove,
    framework_draft_save,
    framework_publish,
)

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[object, ...]:
    return (
        list(FrameworkVersion.objects.order_by("number").values_list("number", "is_current", "yaml_text")),
        list(FrameworkDraft.objects.values_list("yaml_text", "status", "revision", "based_on")),
        AuditEvent.objects.count(),
    )


def test_the_first_publication_is_version_one_and_current(
    hr_admin: User, starter_framework_yaml: str
) -> None:
    framework_draft_save(actor=hr_admin, yaml_text=starter_framework_yaml, expected_revision=None)
    version = framework_publish(actor=hr_admin)
    stored = FrameworkVersion.objects.get()
    assert (stored.pk, stored.number, stored.is_current) == (version.pk, 1, True)
    assert stored.yaml_text == starter_framework_yaml
    assert stored.published_by_id == hr_admin.pk
    assert stored.change_summary == {"previous_version": None, "structural": 0, "wording": 0, "changes": []}
    assert sorted(stored.exports.values_list("format", "status")) == [
        (fmt, "queued") for fmt in sorted(["csv", "html", "md", "pdf", "xlsx", "yaml"])
    ]
    draft = FrameworkDraft.objects.get()
    assert (draft.status, draft.based_on_id, draft.revision) == ("draft", version.pk, 3)
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "framework.draft_saved",
        "framework.published",
    ]


def test_a_second_publication_retires_the_first(
    hr_admin: User, published_framework: FrameworkVersion, starter_framework_yaml: str
) -> None:
    edited = starter_framework_yaml.replace(
        "name: Engineering, Product and Marketing career framework", "name: Northwind careers", 1
    )
    assert edited != starter_framework_yaml
    framework_draft_save(actor=hr_admin, yaml_text=edited, expected_revision=None)
    second = framework_publish(actor=hr_admin)
    assert list(FrameworkVersion.objects.order_by("number").values_list("number", "is_current")) == [
        (1, False),
        (2, True),
    ]
    assert second.change_summary == {
        "previous_version": 1,
        "structural": 0,
        "wording": 1,
        "changes": [
            {
                "kind": "wording",
                "action": "reworded",
                "subject": "framework",
                "address": {"kind": "framework"},
                "label": "Framework",
                "field": "name",
                "old": "Engineering, Product and Marketing career framework",
                "new": "Northwind careers",
                "text": "~ Framework name reworded",
            }
        ],
    }
    published = framework_published_get(viewer=hr_admin)
    assert published is not None
    assert published.number == 2


def test_a_draft_with_errors_is_refused_with_located_messages(
    hr_admin: User, published_framework: FrameworkVersion, starter_framework_yaml: str
) -> None:
    broken = starter_framework_yaml.replace("code: IC2", "code: IC1", 1)
    framework_draft_save(actor=hr_admin, yaml_text=broken, expected_revision=None)
    before = snapshot()
    with pytest.raises(FrameworkInvalid) as caught:
        framework_publish(actor=hr_admin)
    assert caught.value.diagnostics
    assert all(d.severity == "error" for d in caught.value.diagnostics)
    assert all(
        d.location is not None and d.location.file == "framework.yaml" for d in caught.value.diagnostics
    )
    assert caught.value.messages[0].startswith("framework.yaml:")
    assert snapshot() == before


def test_text_that_is_not_a_framework_is_refused(hr_admin: User) -> None:
    framework_draft_save(actor=hr_admin, yaml_text="just: [unclosed", expected_revision=None)
    before = snapshot()
    with pytest.raises(FrameworkInvalid) as caught:
        framework_publish(actor=hr_admin)
    assert caught.value.messages[0].startswith("framework.yaml:2:1: TRL002 error: YAML syntax")
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["employee", "manager", "coauthor", "it_admin"])
def test_only_hr_may_publish(persona: str, personas: dict[str, User], starter_framework_yaml: str) -> None:
    framework_draft_save(actor=personas["hr_admin"], yaml_text=starter_framework_yaml, expected_revision=None)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        framework_publish(actor=personas[persona])
    with pytest.raises(PermissionDenied):
        framework_draft_save(actor=personas[persona], yaml_text="name: x", expected_revision=None)
    assert snapshot() == before


def test_a_stale_revision_is_refused_and_nothing_is_overwritten(hr_admin: User) -> None:
    draft = framework_draft_save(actor=hr_admin, yaml_text="name: First", expected_revision=None)
    framework_draft_save(actor=hr_admin, yaml_text="name: Second", expected_revision=draft.revision)
    before = snapshot()
    with pytest.raises(DraftConflict) as caught:
        framework_draft_save(actor=hr_admin, yaml_text="name: Stale", expected_revision=draft.revision)
    assert (caught.value.expected, caught.value.actual) == (draft.revision, draft.revision + 1)
    with pytest.raises(DraftConflict):
        framework_publish(actor=hr_admin, expected_revision=draft.revision)
    assert snapshot() == before
    assert FrameworkDraft.objects.get().yaml_text == "name: Second"


def test_published_versions_are_immutable(published_framework: FrameworkVersion) -> None:
    published_framework.yaml_text = "name: Rewritten"
    with pytest.raises(ValueError, match="immutable"):
        published_framework.save()
    with pytest.raises(ValueError, match="immutable"):
        published_framework.delete()
    assert FrameworkVersion.objects.get().yaml_text != "name: Rewritten"


def test_the_database_allows_one_current_version(published_framework: FrameworkVersion) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.create(
            number=2, yaml_text="", is_current=True, published_by=published_framework.published_by
        )


def test_the_database_allows_one_draft(hr_admin: User) -> None:
    framework_draft_save(actor=hr_admin, yaml_text="name: x", expected_revision=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkDraft.objects.create(id=2)


def test_the_published_framework_is_parsed_once(
    published_framework: FrameworkVersion, employee: User, django_assert_num_queries: object
) -> None:
    first = framework_published_get(viewer=employee)
    assert first is not None
    assert [f.id for f in first.framework.families] == ["engineering", "product", "marketing"]
    with django_assert_num_queries(1):  # type: ignore[operator]
        again = framework_published_get(viewer=employee)
    assert again is not None
    assert again.framework is first.framework


def test_no_framework_before_the_first_publication(employee: User) -> None:
    assert framework_published_get(viewer=employee) is None


@pytest.mark.parametrize("persona", ["anonymous", "inactive"])
def test_the_published_framework_is_for_active_accounts(
    persona: str, published_framework: FrameworkVersion, employee: User, django_assert_num_queries: object
) -> None:
    reader: User | AnonymousUser = AnonymousUser()
    if persona == "inactive":
        employee.is_active = False
        reader = employee
    with django_assert_num_queries(0), pytest.raises(PermissionDenied):  # type: ignore[operator]
        framework_published_get(viewer=reader)


def test_coauthors_are_added_and_removed_by_hr(hr_admin: User, employee: User) -> None:
    family_coauthor_add(actor=hr_admin, user=employee, family_id="engineering")
    family_coauthor_add(actor=hr_admin, user=employee, family_id="engineering")
    assert list(FamilyCoauthor.objects.values_list("user_id", "family_id")) == [(employee.pk, "engineering")]
    assert family_coauthor_remove(actor=hr_admin, user=employee, family_id="engineering") is True
    assert family_coauthor_remove(actor=hr_admin, user=employee, family_id="engineering") is False
    assert FamilyCoauthor.objects.count() == 0
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "framework.coauthor_added",
        "framework.coauthor_removed",
    ]


def test_a_coauthor_cannot_appoint_coauthors(coauthor: User, employee: User) -> None:
    before = (FamilyCoauthor.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        family_coauthor_add(actor=coauthor, user=employee, family_id="engineering")
    assert (FamilyCoauthor.objects.count(), AuditEvent.objects.count()) == before


def test_a_structural_change_is_counted_as_one(hr_admin: User, published_framework: FrameworkVersion) -> None:
    from trellis.framework.templates import starter
    from trellis.framework.yaml_io import dumps

    first = loads(published_framework.yaml_text)
    without_marketing = starter(["engineering", "product"], "growth", name=first.name).model_copy(
        update={"description": first.description}
    )
    framework_draft_save(actor=hr_admin, yaml_text=dumps(without_marketing), expected_revision=None)
    second = framework_publish(actor=hr_admin)
    assert (second.change_summary["structural"], second.change_summary["wording"]) == (1, 0)
    assert [
        (c["kind"], c["action"], c["subject"], c["address"], c["label"])
        for c in second.change_summary["changes"]
    ] == [("structural", "removed", "family", {"kind": "family", "family": "marketing"}, "Marketing")]
