"""Writes to the company's framework: the working draft, publishing versions, co-authors.

Publishing is the only way a version comes to exist: the draft is checked with the same rules as
`trellis lint` (parse, references, lint), refused when any error remains, and written as a new,
numbered, immutable version that becomes current.

Authoring writes the draft: edits made in the browser (`framework_draft_edit`, applying the pure
edits of `trellis.framework.editing` and writing canonical YAML back), the raw YAML editor
(`framework_draft_write_yaml`), imports (`framework_draft_import`, `framework_draft_import_family`,
`framework_draft_add_families`)
and the review workflow (`framework_draft_submit`, `framework_draft_return`). Every one of them
states the revision its writer read and is refused with `DraftConflict` when someone saved since.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trellis.framework.diagnostics import Diagnostic, Severity
from trellis.framework.editing import Edit, EditResult, Need, add_families, apply_edits, merge_family
from trellis.framework.model import Framework
from trellis.framework.yaml_io import dumps, loads, parse
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import AuditEntry, audit_record, audit_record_many
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkDraft, FrameworkVersion
from trellis.web.policy import Action

#: The file name diagnostics of the draft are reported against.
DRAFT_FILE_NAME = "framework.yaml"


class DraftConflict(ValidationError):
    """Someone else saved the draft since the writer read it; their work must not be overwritten."""

    def __init__(self, *, expected: int, actual: int) -> None:
        super().__init__(
            f"the draft changed since you opened it (you had revision {expected}, it is now at "
            f"{actual}); reload it and apply your change again",
            code="stale_revision",
        )
        self.expected = expected
        self.actual = actual


class FrameworkInvalid(ValidationError):
    """The draft has errors; `diagnostics` lists every one with its line and column."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__([d.format(DRAFT_FILE_NAME) for d in self.diagnostics], code="framework_invalid")


class DraftUnreadable(ValidationError):
    """The draft's text is not a framework (a syntax or shape error): it can only be fixed in the
    YAML editor, or replaced by an import. `diagnostics` lists the errors, located."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(
            "the draft cannot be read as a framework; fix it in the YAML editor or replace it by an import",
            code="draft_unreadable",
        )


class WorkflowRefused(ValidationError):
    """The review workflow cannot take this step from the draft's current status."""


def framework_diagnostics(yaml_text: str) -> tuple[Framework | None, list[Diagnostic]]:
    """The framework that `yaml_text` describes (None if it cannot be read) and every finding.

    The same checks as `trellis lint`: reading, references, and the lint rules.
    """
    from trellis.framework.checking import check_text

    result, diagnostics = check_text(yaml_text, DRAFT_FILE_NAME)
    return result.framework, diagnostics


def _draft_for_update() -> FrameworkDraft:
    draft, _ = FrameworkDraft.objects.select_for_update().get_or_create(pk=FrameworkDraft.SINGLETON_ID)
    return draft


def _advance_draft(
    *,
    draft: FrameworkDraft,
    expected_revision: int | None,
    changes: dict[str, Any],
    new_revision: bool = True,
) -> None:
    """Write `changes` to the draft if its revision is still `expected_revision` (any, when None).

    The UPDATE is conditional on the revision, so of two writers who read the same revision only
    the first succeeds; the second gets `DraftConflict` and nothing of theirs is stored. A change of
    the text makes a new revision; a change of status alone (`new_revision=False`) does not, so a
    review step does not invalidate the editor someone has open.
    """
    revision = draft.revision if expected_revision is None else expected_revision
    stamp: dict[str, Any] = {"revision": revision + 1, "updated_at": timezone.now()} if new_revision else {}
    updated = FrameworkDraft.objects.filter(pk=draft.pk, revision=revision).update(**stamp, **changes)
    if updated != 1:
        actual = FrameworkDraft.objects.values_list("revision", flat=True).get(pk=draft.pk)
        raise DraftConflict(expected=revision, actual=actual)
    draft.refresh_from_db()


@transaction.atomic
def framework_draft_save(*, actor: User, yaml_text: str, expected_revision: int | None) -> FrameworkDraft:
    """Replace the draft's text, whatever it changes. HR only (structure is theirs).

    `expected_revision` is the revision the writer read (None: overwrite whatever is there, for
    loaders and imports). Raises DraftConflict when the draft moved on since; nothing is stored.
    The draft may contain errors: it is a working copy, checked when it is published.
    """
    policy.require(actor, Action.FRAMEWORK_EDIT_STRUCTURE)
    draft = _draft_for_update()
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={"yaml_text": yaml_text, "updated_by": actor, "status": FrameworkDraft.Status.DRAFT},
    )
    coauthorships_follow_draft(actor=actor, framework=parse(yaml_text, DRAFT_FILE_NAME).framework)
    audit_record(actor=actor, action=AuditAction.FRAMEWORK_DRAFT_SAVED, target=draft, fields=["yaml_text"])
    return draft


def _change_summary(previous: Framework | None, framework: Framework) -> dict[str, Any]:
    """What `framework` changes from `previous`, as the core's diff classifies it: the counts of
    structural and wording changes, and every change with its readable text."""
    from trellis.framework.diff import diff

    if previous is None:
        return {"previous_version": None, "structural": 0, "wording": 0, "changes": []}
    result = diff(previous, framework)
    return {
        "structural": len(result.structural),
        "wording": len(result.wording),
        "changes": [change.to_json() for change in result.changes],
    }


@transaction.atomic
def framework_publish(*, actor: User, expected_revision: int | None = None) -> FrameworkVersion:
    """Publish the draft as the next numbered version and make it current. HR only.

    Raises FrameworkInvalid (a ValidationError listing every error, located) when the draft has
    errors, and DraftConflict when `expected_revision` is given and the draft moved on since; in
    both cases nothing is written. Warnings do not block publishing. The draft stays as it is, now
    based on the new version, with its status back to "draft".
    """
    policy.require(actor, Action.FRAMEWORK_PUBLISH)
    # Locking the draft row first also serialises two HR admins publishing at once on PostgreSQL, so
    # they cannot both compute the same next number.
    draft = _draft_for_update()
    if expected_revision is not None and draft.revision != expected_revision:
        raise DraftConflict(expected=expected_revision, actual=draft.revision)
    framework, diagnostics = framework_diagnostics(draft.yaml_text)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if framework is None or errors:
        raise FrameworkInvalid(errors or diagnostics)
    previous_version = FrameworkVersion.objects.select_for_update().filter(is_current=True).first()
    previous = loads(previous_version.yaml_text) if previous_version is not None else None
    summary = _change_summary(previous, framework)
    if previous_version is not None:
        summary["previous_version"] = previous_version.number
    last_number = FrameworkVersion.objects.order_by("-number").values_list("number", flat=True).first()
    if previous_version is not None:
        # The partial unique index allows one current version: retire the old one first.
        previous_version.is_current = False
        previous_version.save(update_fields=["is_current"])
    version = FrameworkVersion(
        number=(last_number or 0) + 1,
        yaml_text=draft.yaml_text,
        published_by=actor,
        change_summary=summary,
        is_current=True,
    )
    version.full_clean()
    version.save()
    # Rendered once by the worker, after this transaction commits; downloads read the stored files.
    # (Imported here: the export services read the draft through the selectors, which import this.)
    from trellis.web.frameworks.export_services import version_exports_schedule

    version_exports_schedule(version=version)
    # Everyone's readiness is read against the current version: recomputed by the worker, after commit.
    from trellis.web.promotions.readiness_services import readiness_framework_published

    readiness_framework_published()
    _advance_draft(
        draft=draft,
        expected_revision=draft.revision,
        changes={
            "based_on": version,
            "status": FrameworkDraft.Status.DRAFT,
            "updated_by": actor,
            # The review that led here is over.
            "review_comment": "",
            "review_comment_by": None,
        },
    )
    audit_record(actor=actor, action=AuditAction.FRAMEWORK_PUBLISHED, target=version, fields=["number"])
    return version


@transaction.atomic
def family_coauthor_add(*, actor: User, user: User, family_id: str) -> FamilyCoauthor:
    """Let `user` edit the content of one job family. HR only; adding an existing one is a no-op.
    ValidationError on ``user`` for a deactivated account (an inactive account holds no role)."""
    policy.require(actor, Action.FRAMEWORK_EDIT_STRUCTURE)
    if not user.is_active:
        raise ValidationError({"user": f"{user.email} cannot sign in (the account is deactivated)"})
    existing = FamilyCoauthor.objects.filter(user=user, family_id=family_id).first()
    if existing is not None:
        return existing
    coauthor = FamilyCoauthor(user=user, family_id=family_id)
    coauthor.full_clean()
    coauthor.save()
    audit_record(
        actor=actor,
        action=AuditAction.FRAMEWORK_COAUTHOR_ADDED,
        target=coauthor,
        fields=["user", "family_id"],
    )
    return coauthor


@transaction.atomic
def family_coauthor_remove(*, actor: User, user: User, family_id: str) -> bool:
    """Stop `user` editing the content of a family. HR only. Returns whether there was anything to remove."""
    policy.require(actor, Action.FRAMEWORK_EDIT_STRUCTURE)
    coauthor = FamilyCoauthor.objects.filter(user=user, family_id=family_id).first()
    if coauthor is None:
        return False
    audit_record(
        actor=actor,
        action=AuditAction.FRAMEWORK_COAUTHOR_REMOVED,
        target=coauthor,
        fields=["user", "family_id"],
    )
    coauthor.delete()
    return True


def coauthorships_follow_draft(
    *,
    actor: User,
    framework: Framework | None,
    renames: Mapping[str, str] | None = None,
    removed: Collection[str] = (),
) -> None:
    """Keep co-authorships on the draft's families, after a write made the draft `framework`
    (None: unreadable, nothing is known and nothing changes): a co-authorship follows its family
    to the new id of `renames` ({old id: new id}), and ends when its family was `removed` or is no
    longer in the draft — so a family added later with the same id has no co-authors. One query
    when nothing changes; audited as ``framework.coauthor_family_renamed`` and
    ``framework.coauthor_removed``.
    """
    if framework is None:
        return
    renames = dict(renames or {})
    ending = set(removed) | set(renames.values())
    families = {family.id for family in framework.families}
    affected = list(
        FamilyCoauthor.objects.filter(
            Q(family_id__in=[*renames, *ending]) | ~Q(family_id__in=families)
        ).order_by("family_id", "user_id")
    )
    if not affected:
        return
    moved: list[FamilyCoauthor] = []
    ended: list[FamilyCoauthor] = []
    for row in affected:
        if row.family_id in renames:
            moved.append(FamilyCoauthor(user_id=row.user_id, family_id=renames[row.family_id]))
        else:
            # A row for a renamed family's new id belongs to an earlier family of that id: it
            # ends too, as do those of a family removed and added again.
            ended.append(row)
    # Moved rows are written anew, so that ids swapped by two renames cannot collide.
    FamilyCoauthor.objects.filter(pk__in=[row.pk for row in affected]).delete()
    FamilyCoauthor.objects.bulk_create(moved)
    audit_record_many(
        actor=actor,
        entries=[
            *(
                AuditEntry(AuditAction.FRAMEWORK_COAUTHOR_REMOVED, row, ["user", "family_id"])
                for row in ended
            ),
            *(AuditEntry(AuditAction.FRAMEWORK_COAUTHOR_FAMILY_RENAMED, row, ["family_id"]) for row in moved),
        ],
    )


# --- authoring the draft ---------------------------------------------------------------------------


def _require_needs(actor: User, needs: Iterable[Need]) -> None:
    """PermissionDenied unless `actor` may make edits with these needs: structure is HR's; content
    of a family is its co-authors' (and HR's); content of no family is framework-wide, HR's."""
    for need in needs:
        if need.structure or not need.families:
            policy.require(actor, Action.FRAMEWORK_EDIT_STRUCTURE)
        elif not any(policy.can(actor, Action.FRAMEWORK_EDIT_CONTENT, family) for family in need.families):
            raise PermissionDenied(
                f"not allowed: {Action.FRAMEWORK_EDIT_CONTENT} of {', '.join(need.families)}"
            )


def _readable_draft(draft: FrameworkDraft) -> Framework:
    """The framework the draft's text describes; DraftUnreadable when it has a syntax or shape error.
    (Reference errors do not stop editing: editing is how they get fixed.)"""
    result = parse(draft.yaml_text, DRAFT_FILE_NAME)
    if result.framework is None:
        raise DraftUnreadable([d for d in result.diagnostics if d.severity is Severity.ERROR])
    return result.framework


def _check_revision(draft: FrameworkDraft, expected_revision: int) -> None:
    # Checked before the edit is computed as well as by the conditional UPDATE, so that an edit
    # made against an old revision is reported as a conflict, not as whatever the edit would find
    # wrong with the newer text.
    if draft.revision != expected_revision:
        raise DraftConflict(expected=expected_revision, actual=draft.revision)


@transaction.atomic
def framework_draft_edit(*, actor: User, edits: Sequence[Edit], expected_revision: int) -> EditResult:
    """Apply `edits` to the draft and store it as canonical YAML, one revision on.

    Structure edits need HR; content edits need the content of their family (a co-author's) —
    only what actually changes counts. Raises PermissionDenied, DraftConflict, DraftUnreadable or
    `trellis.framework.editing.EditError` (naming the input at fault); in every case nothing is
    written. Edits that change nothing write nothing and are not audited. The audit event names
    the changed fields by their address, never their text.
    """
    if not (
        policy.can(actor, Action.FRAMEWORK_EDIT_CONTENT) or policy.can(actor, Action.FRAMEWORK_EDIT_STRUCTURE)
    ):
        raise PermissionDenied(f"not allowed: {Action.FRAMEWORK_EDIT_CONTENT}")
    draft = _draft_for_update()
    _check_revision(draft, expected_revision)
    result = apply_edits(_readable_draft(draft), edits)
    _require_needs(actor, result.needs)
    if not result.changed:
        return result
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={
            "yaml_text": dumps(result.framework),
            "updated_by": actor,
            "status": FrameworkDraft.Status.DRAFT,
        },
    )
    coauthorships_follow_draft(
        actor=actor,
        framework=result.framework,
        renames=result.family_renames,
        removed=result.families_removed,
    )
    audit_record(actor=actor, action=AuditAction.FRAMEWORK_DRAFT_EDITED, target=draft, fields=result.fields)
    return result


@transaction.atomic
def framework_draft_write_yaml(*, actor: User, yaml_text: str, expected_revision: int) -> FrameworkDraft:
    """Replace the draft by `yaml_text` from the YAML editor, stored in canonical form. HR only.

    Refused with FrameworkInvalid (every error, located at line:column of `yaml_text`) when the
    text has errors, and with DraftConflict when the draft moved on; nothing is written then.
    Warnings do not block saving.
    """
    policy.require(actor, Action.FRAMEWORK_EDIT_STRUCTURE)
    draft = _draft_for_update()
    _check_revision(draft, expected_revision)
    framework, diagnostics = framework_diagnostics(yaml_text)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if framework is None or errors:
        raise FrameworkInvalid(errors or diagnostics)
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={"yaml_text": dumps(framework), "updated_by": actor, "status": FrameworkDraft.Status.DRAFT},
    )
    coauthorships_follow_draft(actor=actor, framework=framework)
    audit_record(actor=actor, action=AuditAction.FRAMEWORK_DRAFT_SAVED, target=draft, fields=["yaml_text"])
    return draft


ImportSource = Literal["yaml", "matrix", "starter"]
_IMPORT_ACTIONS: dict[ImportSource, AuditAction] = {
    "yaml": AuditAction.FRAMEWORK_DRAFT_IMPORTED_FROM_YAML,
    "matrix": AuditAction.FRAMEWORK_DRAFT_IMPORTED_FROM_MATRIX,
    "starter": AuditAction.FRAMEWORK_DRAFT_IMPORTED_FROM_STARTER,
}


@transaction.atomic
def framework_draft_import(
    *, actor: User, framework: Framework, source: ImportSource, expected_revision: int
) -> FrameworkDraft:
    """Replace the whole draft by `framework` (read from a YAML file, a spreadsheet matrix or the
    starter library — `source` says which, for the audit trail). HR only (framework.import).

    The caller has read the file and refused it if it had errors. Raises DraftConflict when the
    draft moved on since the importer looked at it.
    """
    policy.require(actor, Action.FRAMEWORK_IMPORT)
    draft = _draft_for_update()
    _check_revision(draft, expected_revision)
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={"yaml_text": dumps(framework), "updated_by": actor, "status": FrameworkDraft.Status.DRAFT},
    )
    coauthorships_follow_draft(actor=actor, framework=framework)
    audit_record(actor=actor, action=_IMPORT_ACTIONS[source], target=draft, fields=["yaml_text"])
    return draft


@dataclass(frozen=True, slots=True)
class FamilyImported:
    """What merging an imported family did: the family, whether it replaced one of the same id in
    the draft (or was added), and notes for the importer."""

    family_id: str
    family_name: str
    replaced: bool
    notes: tuple[str, ...]


@transaction.atomic
def framework_draft_import_family(
    *, actor: User, imported: Framework, expected_revision: int
) -> FamilyImported:
    """Merge the one family of `imported` (a spreadsheet matrix) into the draft: it replaces the
    draft's family of the same id, or is added after the others. HR only (framework.import).

    An empty draft becomes the imported framework. Raises DraftUnreadable when the draft has a
    syntax or shape error (there is nothing to merge into: replace it instead) and DraftConflict
    when it moved on; nothing is written then.
    """
    policy.require(actor, Action.FRAMEWORK_IMPORT)
    draft = _draft_for_update()
    _check_revision(draft, expected_revision)
    if draft.yaml_text.strip():
        merged, replaced, notes = merge_family(_readable_draft(draft), imported)
    else:
        merged, replaced, notes = imported, False, ()
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={"yaml_text": dumps(merged), "updated_by": actor, "status": FrameworkDraft.Status.DRAFT},
    )
    coauthorships_follow_draft(actor=actor, framework=merged)
    family = imported.families[0]
    audit_record(
        actor=actor, action=AuditAction.FRAMEWORK_DRAFT_IMPORTED_FROM_MATRIX, target=draft, fields=[family.id]
    )
    return FamilyImported(family_id=family.id, family_name=family.name, replaced=replaced, notes=notes)


@transaction.atomic
def framework_draft_add_families(*, actor: User, added: Framework, expected_revision: int) -> tuple[str, ...]:
    """Add the families of `added` (a framework of the starter library) to the draft beside its
    own, with what they need (`trellis.framework.editing.add_families`). HR only (framework.import).
    Returns the notes for the person adding them.

    An empty draft becomes `added`. Raises `EditError` naming the id when the draft already has one
    of the families (or naming the error the families would bring), DraftUnreadable when the draft
    has a syntax or shape error and DraftConflict when it moved on; nothing is written then. The
    audit event names the families added.
    """
    policy.require(actor, Action.FRAMEWORK_IMPORT)
    draft = _draft_for_update()
    _check_revision(draft, expected_revision)
    # (Imported here: the selectors import this module.)
    from trellis.web.frameworks.authoring_selectors import LINT_BUDGET_SECONDS

    if draft.yaml_text.strip():
        result, notes = add_families(_readable_draft(draft), added, lint_budget=LINT_BUDGET_SECONDS)
    else:
        result, notes = added, ()
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={"yaml_text": dumps(result), "updated_by": actor, "status": FrameworkDraft.Status.DRAFT},
    )
    audit_record(
        actor=actor,
        action=AuditAction.FRAMEWORK_DRAFT_FAMILIES_ADDED_FROM_STARTER,
        target=draft,
        fields=[family.id for family in added.families],
    )
    return notes


@transaction.atomic
def framework_draft_submit(*, actor: User, expected_revision: int) -> FrameworkDraft:
    """Submit the draft, as it is at `expected_revision`, for HR's review. Co-authors and HR.

    Raises WorkflowRefused when it is already in review and DraftConflict when it moved on since
    the submitter read it. Clears the comment of an earlier return.
    """
    policy.require(actor, Action.FRAMEWORK_SUBMIT_FOR_REVIEW)
    draft = _draft_for_update()
    _check_revision(draft, expected_revision)
    if draft.status == FrameworkDraft.Status.IN_REVIEW:
        raise WorkflowRefused("the draft is already in review", code="already_in_review")
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={"status": FrameworkDraft.Status.IN_REVIEW, "review_comment": "", "review_comment_by": None},
        new_revision=False,
    )
    audit_record(actor=actor, action=AuditAction.FRAMEWORK_DRAFT_SUBMITTED, target=draft, fields=["status"])
    return draft


@transaction.atomic
def framework_draft_return(*, actor: User, comment: str, expected_revision: int) -> FrameworkDraft:
    """Return the draft from review to its authors with `comment` saying why. HR only (those who
    may publish decide the review).

    Raises ValidationError on the `comment` field when it is empty, WorkflowRefused when the draft
    is not in review, DraftConflict when it moved on; nothing is written then.
    """
    policy.require(actor, Action.FRAMEWORK_PUBLISH)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "say what the authors should change"}, code="required")
    draft = _draft_for_update()
    _check_revision(draft, expected_revision)
    if draft.status != FrameworkDraft.Status.IN_REVIEW:
        raise WorkflowRefused("only a draft in review can be returned", code="not_in_review")
    _advance_draft(
        draft=draft,
        expected_revision=expected_revision,
        changes={
            "status": FrameworkDraft.Status.DRAFT,
            "review_comment": comment,
            "review_comment_by": actor,
        },
        new_revision=False,
    )
    audit_record(
        actor=actor,
        action=AuditAction.FRAMEWORK_DRAFT_RETURNED,
        target=draft,
        fields=["status", "review_comment"],
    )
    return draft
