"""Writes to the company's framework: the working draft, publishing versions, co-authors.

Publishing is the only way a version comes to exist: the draft is checked with the same rules as
`trellis lint` (parse, references, lint), refused when any error remains, and written as a new,
numbered, immutable version that becomes current.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.framework.diagnostics import Diagnostic, Severity
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.services import audit_record
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


def _advance_draft(*, draft: FrameworkDraft, expected_revision: int | None, changes: dict[str, Any]) -> None:
    """Write `changes` to the draft if its revision is still `expected_revision` (any, when None).

    The UPDATE is conditional on the revision, so of two writers who read the same revision only
    the first succeeds; the second gets `DraftConflict` and nothing of theirs is stored.
    """
    revision = draft.revision if expected_revision is None else expected_revision
    updated = FrameworkDraft.objects.filter(pk=draft.pk, revision=revision).update(
        revision=revision + 1, updated_at=timezone.now(), **changes
    )
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
    audit_record(actor=actor, action="framework.draft_saved", target=draft, fields=["yaml_text"])
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
    previous = Framework.model_validate(previous_version.content) if previous_version is not None else None
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
        content=framework.model_dump(mode="json", by_alias=True),
        published_by=actor,
        change_summary=summary,
        is_current=True,
    )
    version.full_clean()
    version.save()
    _advance_draft(
        draft=draft,
        expected_revision=draft.revision,
        changes={"based_on": version, "status": FrameworkDraft.Status.DRAFT, "updated_by": actor},
    )
    audit_record(actor=actor, action="framework.published", target=version, fields=["number"])
    return version


@transaction.atomic
def family_coauthor_add(*, actor: User, user: User, family_id: str) -> FamilyCoauthor:
    """Let `user` edit the content of one job family. HR only; adding an existing one is a no-op."""
    policy.require(actor, Action.FRAMEWORK_EDIT_STRUCTURE)
    existing = FamilyCoauthor.objects.filter(user=user, family_id=family_id).first()
    if existing is not None:
        return existing
    coauthor = FamilyCoauthor(user=user, family_id=family_id)
    coauthor.full_clean()
    coauthor.save()
    audit_record(
        actor=actor, action="framework.coauthor_added", target=coauthor, fields=["user", "family_id"]
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
        actor=actor, action="framework.coauthor_removed", target=coauthor, fields=["user", "family_id"]
    )
    coauthor.delete()
    return True
