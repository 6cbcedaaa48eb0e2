"""Writing the draft: edits of every kind through `framework_draft_edit`, the YAML editor, imports
and the review workflow — who may, the optimistic lock, the audit trail (field names, never text),
and that a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trellis.framework.editing import (
    CompetencyAdd,
    EditError,
    ExpectationAddress,
    FamilyAddress,
    FrameworkAddress,
    LateralPathAddress,
    LevelAddress,
    LevelMove,
    LevelRemove,
    PromotionAddress,
    SetFields,
    TrackRename,
)
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps, loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import (
    DraftConflict,
    DraftUnreadable,
    FrameworkInvalid,
    WorkflowRefused,
    framework_draft_edit,
    framework_draft_import,
    framework_draft_import_family,
    framework_draft_return,
    framework_draft_save,
    framework_draft_submit,
    framework_draft_write_yaml,
    framework_publish,
)

pytestmark = pytest.mark.django_db

IC3_COMMUNICATION = ExpectationAddress("engineering", "ic", "communication", "IC3")
BEHAVIOUR = "Writes the design review summary for the team within a day of the meeting."


def snapshot() -> tuple[object, ...]:
    return (
        list(
            FrameworkDraft.objects.values_list(
                "yaml_text", "status", "revision", "updated_by", "review_comment", "review_comment_by"
            )
        ),
        FrameworkVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def draft() -> FrameworkDraft:
    return FrameworkDraft.objects.get()


def behaviour_in_draft() -> str:
    track = loads(draft().yaml_text).family("engineering").track("ic")  # type: ignore[union-attr]
    return track.expectations["communication"]["IC3"].behaviour  # type: ignore[union-attr]


def last_event() -> tuple[str, int | None, list[str]]:
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    return event.action, event.actor_id, event.fields


def test_a_coauthor_edits_a_behaviour_of_their_family(
    coauthor: User, published_framework: FrameworkVersion
) -> None:
    revision = draft().revision
    result = framework_draft_edit(
        actor=coauthor,
        edits=[SetFields(IC3_COMMUNICATION, {"behaviour": BEHAVIOUR})],
        expected_revision=revision,
    )
    assert result.fields == ("engineering/ic/IC3/communication.behaviour",)
    stored = draft()
    assert (stored.revision, stored.updated_by_id, stored.status) == (revision + 1, coauthor.pk, "draft")
    assert behaviour_in_draft() == BEHAVIOUR
    # Canonical YAML: what the core writes for the model it reads back.
    assert stored.yaml_text == dumps(loads(stored.yaml_text))
    assert last_event() == (
        "framework.draft_edited",
        coauthor.pk,
        ["engineering/ic/IC3/communication.behaviour"],
    )
    assert BEHAVIOUR not in str(AuditEvent.objects.values_list("fields", flat=True).last())


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            SetFields(FamilyAddress("engineering"), {"description": "Builds things."}),
            "engineering.description",
        ),
        (
            SetFields(LevelAddress("engineering", "ic", "IC3"), {"title": "Engineer III"}),
            "engineering/ic/IC3.title",
        ),
        (
            SetFields(PromotionAddress("engineering", "IC1", "IC2"), {"outcomes": ["Shipped a feature."]}),
            "engineering/IC1->IC2.outcomes",
        ),
        (SetFields(LateralPathAddress(0), {"description": "A common move."}), "lateral_paths[0].description"),
    ],
)
def test_content_edits_of_every_kind(
    coauthor: User, published_framework: FrameworkVersion, edit: SetFields, field: str
) -> None:
    result = framework_draft_edit(actor=coauthor, edits=[edit], expected_revision=draft().revision)
    assert result.fields == (field,)
    assert last_event() == ("framework.draft_edited", coauthor.pk, [field])


@pytest.mark.parametrize(
    ("edit", "fields"),
    [
        (LevelMove("engineering", "ic", "IC3", 1), ["engineering/ic.levels"]),
        (LevelRemove("product", "ic", "IC2"), ["product/ic.levels"]),
        (TrackRename("engineering", "management", "managers"), ["engineering/management.id"]),
        (CompetencyAdd("engineering", "testing", "Testing"), ["engineering/testing.id"]),
        (SetFields(FrameworkAddress(), {"name": "Northwind careers"}), ["framework.name"]),
        (
            SetFields(PromotionAddress("engineering", "IC1", "IC2"), {"min_average": 3.5}),
            ["engineering/IC1->IC2.min_average"],
        ),
        (SetFields(IC3_COMMUNICATION, {"proficiency": 1}), ["engineering/ic/IC3/communication.proficiency"]),
    ],
)
def test_structure_and_framework_wide_edits_are_hrs(
    hr_admin: User, coauthor: User, published_framework: FrameworkVersion, edit: object, fields: list[str]
) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied):
        framework_draft_edit(actor=coauthor, edits=[edit], expected_revision=draft().revision)  # type: ignore[list-item]
    assert snapshot() == before
    framework_draft_edit(actor=hr_admin, edits=[edit], expected_revision=draft().revision)  # type: ignore[list-item]
    assert last_event() == ("framework.draft_edited", hr_admin.pk, fields)


@pytest.mark.parametrize("persona", ["employee", "manager", "it_admin", "coauthor"])
def test_refusals_change_nothing(
    persona: str, personas: dict[str, User], published_framework: FrameworkVersion
) -> None:
    # The co-author of engineering may not edit product's content.
    address = (
        ExpectationAddress("product", "ic", "communication", "IC3")
        if persona == "coauthor"
        else IC3_COMMUNICATION
    )
    before = snapshot()
    with pytest.raises(PermissionDenied):
        framework_draft_edit(
            actor=personas[persona],
            edits=[SetFields(address, {"behaviour": BEHAVIOUR})],
            expected_revision=draft().revision,
        )
    assert snapshot() == before


def test_a_stale_revision_is_refused_and_nothing_is_overwritten(
    coauthor: User, hr_admin: User, published_framework: FrameworkVersion
) -> None:
    revision = draft().revision
    framework_draft_edit(
        actor=hr_admin,
        edits=[SetFields(IC3_COMMUNICATION, {"behaviour": "First."})],
        expected_revision=revision,
    )
    before = snapshot()
    with pytest.raises(DraftConflict) as caught:
        framework_draft_edit(
            actor=coauthor,
            edits=[SetFields(IC3_COMMUNICATION, {"behaviour": "Second."})],
            expected_revision=revision,
        )
    assert (caught.value.expected, caught.value.actual) == (revision, revision + 1)
    assert snapshot() == before
    assert behaviour_in_draft() == "First."


def test_an_edit_that_changes_nothing_writes_nothing(
    coauthor: User, published_framework: FrameworkVersion
) -> None:
    current = behaviour_in_draft()
    before = snapshot()
    result = framework_draft_edit(
        actor=coauthor,
        edits=[SetFields(IC3_COMMUNICATION, {"behaviour": current})],
        expected_revision=draft().revision,
    )
    assert not result.changed
    assert snapshot() == before


def test_an_impossible_edit_names_its_field_and_changes_nothing(
    hr_admin: User, published_framework: FrameworkVersion
) -> None:
    before = snapshot()
    with pytest.raises(EditError) as caught:
        framework_draft_edit(
            actor=hr_admin,
            edits=[CompetencyAdd("engineering", "Not An Id", "x")],
            expected_revision=draft().revision,
        )
    assert caught.value.field == "competency"
    assert snapshot() == before


def test_an_unreadable_draft_cannot_be_edited(hr_admin: User) -> None:
    framework_draft_save(actor=hr_admin, yaml_text="name: [unclosed", expected_revision=None)
    before = snapshot()
    with pytest.raises(DraftUnreadable) as caught:
        framework_draft_edit(
            actor=hr_admin,
            edits=[SetFields(FrameworkAddress(), {"name": "x"})],
            expected_revision=draft().revision,
        )
    assert [d.code for d in caught.value.diagnostics] == ["TRL002"]
    assert snapshot() == before


def test_the_yaml_editor_refuses_errors_with_their_line_and_column(
    hr_admin: User, published_framework: FrameworkVersion, starter_framework_yaml: str
) -> None:
    broken = starter_framework_yaml.replace("code: IC2", "code: IC1", 1)
    before = snapshot()
    with pytest.raises(FrameworkInvalid) as caught:
        framework_draft_write_yaml(actor=hr_admin, yaml_text=broken, expected_revision=draft().revision)
    assert caught.value.messages[0].startswith("framework.yaml:")
    assert {d.code for d in caught.value.diagnostics} == {"TRL101", "TRL103"}
    assert snapshot() == before


def test_the_yaml_editor_stores_canonical_yaml(
    hr_admin: User, coauthor: User, published_framework: FrameworkVersion, starter_framework_yaml: str
) -> None:
    commented = "# Our framework\n" + starter_framework_yaml.replace(
        "name: Engineering, Product and Marketing career framework", "name: Northwind careers", 1
    )
    revision = draft().revision
    with pytest.raises(PermissionDenied):
        framework_draft_write_yaml(actor=coauthor, yaml_text=commented, expected_revision=revision)
    framework_draft_write_yaml(actor=hr_admin, yaml_text=commented, expected_revision=revision)
    stored = draft()
    assert stored.revision == revision + 1
    assert stored.yaml_text == dumps(loads(commented))
    assert last_event() == ("framework.draft_saved", hr_admin.pk, ["yaml_text"])


def test_an_import_replaces_the_draft(
    hr_admin: User, coauthor: User, published_framework: FrameworkVersion
) -> None:
    framework = starter(["design"], "startup")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        framework_draft_import(
            actor=coauthor, framework=framework, source="yaml", expected_revision=draft().revision
        )
    with pytest.raises(DraftConflict):
        framework_draft_import(actor=hr_admin, framework=framework, source="yaml", expected_revision=1)
    assert snapshot() == before
    framework_draft_import(
        actor=hr_admin, framework=framework, source="starter", expected_revision=draft().revision
    )
    assert draft().yaml_text == dumps(framework)
    assert last_event() == ("framework.draft_imported_from_starter", hr_admin.pk, ["yaml_text"])


def test_a_matrix_family_is_merged_into_the_draft(
    hr_admin: User, published_framework: FrameworkVersion
) -> None:
    from trellis.framework.matrix import read_matrix

    imported = read_matrix(b"competency,L1,L2\nForecasting,a,b\n", "finance.csv", family="Finance").framework
    assert imported is not None
    merged = framework_draft_import_family(
        actor=hr_admin, imported=imported, expected_revision=draft().revision
    )
    assert (merged.family_id, merged.family_name, merged.replaced, merged.notes) == (
        "finance",
        "Finance",
        False,
        (),
    )
    assert [f.id for f in loads(draft().yaml_text).families] == [
        "engineering",
        "product",
        "marketing",
        "finance",
    ]
    assert last_event() == ("framework.draft_imported_from_matrix", hr_admin.pk, ["finance"])


def test_an_empty_draft_becomes_the_imported_family(hr_admin: User) -> None:
    from trellis.framework.matrix import read_matrix

    imported = read_matrix(b"competency,L1,L2\nForecasting,a,b\n", "finance.csv", family="Finance").framework
    assert imported is not None
    merged = framework_draft_import_family(actor=hr_admin, imported=imported, expected_revision=1)
    assert merged.replaced is False
    assert draft().yaml_text == dumps(imported)


def test_the_review_workflow(
    hr_admin: User, coauthor: User, employee: User, published_framework: FrameworkVersion
) -> None:
    revision = draft().revision
    with pytest.raises(PermissionDenied):
        framework_draft_submit(actor=employee, expected_revision=revision)
    framework_draft_submit(actor=coauthor, expected_revision=revision)
    stored = draft()
    # A change of status is no new revision: editors others have open stay valid.
    assert (stored.status, stored.revision) == ("in_review", revision)
    assert last_event() == ("framework.draft_submitted", coauthor.pk, ["status"])
    with pytest.raises(WorkflowRefused):
        framework_draft_submit(actor=coauthor, expected_revision=revision)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        framework_draft_return(actor=coauthor, comment="Please fix.", expected_revision=revision)
    with pytest.raises(ValidationError) as caught:
        framework_draft_return(actor=hr_admin, comment="  ", expected_revision=revision)
    assert caught.value.message_dict == {"comment": ["say what the authors should change"]}
    assert snapshot() == before
    framework_draft_return(actor=hr_admin, comment="Reword IC3 communication.", expected_revision=revision)
    stored = draft()
    assert (stored.status, stored.review_comment, stored.review_comment_by_id) == (
        "draft",
        "Reword IC3 communication.",
        hr_admin.pk,
    )
    assert last_event() == ("framework.draft_returned", hr_admin.pk, ["review_comment", "status"])
    with pytest.raises(WorkflowRefused):
        framework_draft_return(actor=hr_admin, comment="Again.", expected_revision=revision)
    framework_draft_submit(actor=coauthor, expected_revision=revision)
    assert (draft().status, draft().review_comment) == ("in_review", "")


def test_an_edit_in_review_puts_the_draft_back_to_draft(
    coauthor: User, published_framework: FrameworkVersion
) -> None:
    framework_draft_submit(actor=coauthor, expected_revision=draft().revision)
    framework_draft_edit(
        actor=coauthor,
        edits=[SetFields(IC3_COMMUNICATION, {"behaviour": BEHAVIOUR})],
        expected_revision=draft().revision,
    )
    assert draft().status == "draft"


def test_publishing_ends_the_review(
    hr_admin: User, coauthor: User, published_framework: FrameworkVersion
) -> None:
    framework_draft_submit(actor=coauthor, expected_revision=draft().revision)
    framework_draft_return(actor=hr_admin, comment="One more thing.", expected_revision=draft().revision)
    version = framework_publish(actor=hr_admin, expected_revision=draft().revision)
    assert version.number == 2
    assert (draft().status, draft().review_comment, draft().review_comment_by_id) == ("draft", "", None)
