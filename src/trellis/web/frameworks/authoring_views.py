"""Authoring the company framework in the browser: the draft's overview with its lint findings,
the review workflow, imports, the YAML editor, published versions and their differences.
The editor's pages are in `authoring_editor`, the downloads in `export_views`.

Who may do what (the policy decides; see `trellis.web.policy`):

- the draft, its pages and its exports: HR and co-authors (``framework.view_draft``);
- content of a family: its co-authors and HR; structure, framework-wide content, the YAML editor and
  imports: HR; submitting for review: co-authors and HR; publishing and returning: HR;
- published versions, their comparison and exports: everyone who may read the framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trellis.framework import templates as starter_library
from trellis.framework import wording
from trellis.framework.diagnostics import Diagnostic, Severity
from trellis.framework.diff import STRUCTURAL
from trellis.framework.editing import (
    EditError,
)
from trellis.framework.model import Framework
from trellis.framework.yaml_io import parse
from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.frameworks import forms
from trellis.web.frameworks.authoring_selectors import (
    DRAFT,
    DraftState,
    draft_state_get,
    draft_text_check,
    publish_preview_get,
    version_compare,
    version_framework_get,
    version_get,
    version_list,
)
from trellis.web.frameworks.authoring_support import TEMPLATES, conflict_message, finding_rows
from trellis.web.frameworks.export_views import EXPORT_FORMATS
from trellis.web.frameworks.services import (
    DraftConflict,
    DraftUnreadable,
    FrameworkInvalid,
    ImportSource,
    WorkflowRefused,
    framework_draft_add_families,
    framework_draft_import,
    framework_draft_import_family,
    framework_draft_return,
    framework_draft_submit,
    framework_draft_write_yaml,
    framework_publish,
)
from trellis.web.middleware import accepts_uploads
from trellis.web.policy import Action
from trellis.web.uploads import ResourceLimitExceeded, parse_bounded, read_matrix_positional, refusal

# --- the overview and the workflow ---------------------------------------------------------------------


def _overview(
    request: HttpRequest, state: DraftState, *, status: int = 200, **forms_and_errors: Any
) -> HttpResponse:
    reader = viewer(request)
    revision = state.revision
    context: dict[str, Any] = {
        "state": state,
        "framework": state.framework,
        "findings": finding_rows(reader, state),
        "may_submit": policy.can(reader, Action.FRAMEWORK_SUBMIT_FOR_REVIEW),
        "may_publish": policy.can(reader, Action.FRAMEWORK_PUBLISH),
        "may_import": policy.can(reader, Action.FRAMEWORK_IMPORT),
        "structure": policy.can(reader, Action.FRAMEWORK_EDIT_STRUCTURE),
        "families": [
            (family, policy.can(reader, Action.FRAMEWORK_EDIT_CONTENT, family.id))
            for family in (state.framework.families if state.framework is not None else [])
        ],
        # Two forms on one page: their ids must differ (their field names may not).
        "submit_form": forms.WorkflowForm(revision=revision, auto_id="submit_%s"),
        "return_form": forms.ReturnForm(revision=revision, auto_id="return_%s"),
    }
    context.update(forms_and_errors)
    return render(request, f"{TEMPLATES}/overview.html", context, status=status)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """The draft: status, revision, last editor, lint findings, and what the viewer may do."""
    return _overview(request, draft_state_get(viewer=viewer(request)))


@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    """Submit the draft for review (co-authors and HR)."""
    policy.require(viewer(request), Action.FRAMEWORK_SUBMIT_FOR_REVIEW)
    form = forms.WorkflowForm(request.POST, auto_id="submit_%s")
    if form.is_valid():
        try:
            framework_draft_submit(actor=signed_in(request), expected_revision=form.cleaned_data["revision"])
        except DraftConflict as conflict:
            form.add_error(None, conflict_message(conflict))
            return _overview(request, draft_state_get(viewer=viewer(request)), status=409, submit_form=form)
        except WorkflowRefused as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(request, "Submitted for review. HR will publish it or return it with a comment.")
            return redirect("authoring:overview")
    return _overview(request, draft_state_get(viewer=viewer(request)), status=400, submit_form=form)


def _publish_page(request: HttpRequest, *, status: int = 200, refusals: Sequence[str] = ()) -> HttpResponse:
    """The publish page for the draft as it is now: its findings, what it changes from the current
    version, and the confirmation for its revision; `refusals` say why a publish was refused."""
    reader = viewer(request)
    preview = publish_preview_get(viewer=reader)
    state = preview.state
    rows = finding_rows(reader, state)
    context: dict[str, Any] = {
        "preview": preview,
        "state": state,
        "framework": state.framework,
        "error_rows": [row for row in rows if row.diagnostic.severity is Severity.ERROR],
        "warning_rows": [row for row in rows if row.diagnostic.severity is not Severity.ERROR],
        "structural": preview.diff.structural if preview.diff is not None else [],
        "wording": preview.diff.wording if preview.diff is not None else [],
        "form": forms.PublishForm(user_id=signed_in(request).pk, revision=state.revision),
        "refusals": list(refusals),
    }
    return render(request, f"{TEMPLATES}/publish.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    """Publishing the draft as the next version (HR): the page shows what would be published — the
    lint summary (errors block publishing and are listed; so are warnings) and the changes from the
    current version — with the confirmation for the draft's revision. The POST publishes only with
    that confirmation, and only that revision: a draft saved since is shown again, not published."""
    policy.require(viewer(request), Action.FRAMEWORK_PUBLISH)
    if request.method != "POST":
        return _publish_page(request)
    form = forms.PublishForm(request.POST, user_id=signed_in(request).pk)
    if not form.is_valid():
        refusals = [str(error) for error in form.non_field_errors()] or [forms.CONFIRMATION_NEEDED]
        return _publish_page(request, status=400, refusals=refusals)
    revision = form.cleaned_data["revision"]
    try:
        version = framework_publish(actor=signed_in(request), expected_revision=revision)
    except DraftConflict as conflict:
        return _publish_page(
            request,
            status=409,
            refusals=[
                f"The draft changed since you reviewed it (you confirmed revision {conflict.expected}; it is "
                f"now at {conflict.actual}): nothing was published. Below are its findings and changes as "
                "they are now; review them and publish again."
            ],
        )
    except FrameworkInvalid as invalid:
        errors = wording.count(len(invalid.diagnostics), "error")
        return _publish_page(
            request, status=400, refusals=[f"The draft has {errors}: nothing was published."]
        )
    summary = version.change_summary
    messages.success(
        request,
        f"Published version {version.number}: {summary['structural']} structural and "
        f"{summary['wording']} wording changes.",
    )
    return redirect("authoring:version", number=version.number)


@require_POST
def return_to_draft(request: HttpRequest) -> HttpResponse:
    """Return the draft from review with a comment (HR)."""
    policy.require(viewer(request), Action.FRAMEWORK_PUBLISH)
    form = forms.ReturnForm(request.POST, auto_id="return_%s")
    status = 400
    if form.is_valid():
        try:
            framework_draft_return(
                actor=signed_in(request),
                comment=form.cleaned_data["comment"],
                expected_revision=form.cleaned_data["revision"],
            )
        except DraftConflict as conflict:
            form.add_error(None, conflict_message(conflict))
            status = 409
        except WorkflowRefused as refused:
            form.add_error(None, refused.messages[0])
        except ValidationError as invalid:
            form.add_error("comment", invalid.message_dict.get("comment", invalid.messages))
        else:
            messages.success(request, "Returned to the authors with your comment.")
            return redirect("authoring:overview")
    return _overview(request, draft_state_get(viewer=viewer(request)), status=status, return_form=form)


# --- getting content into the draft ----------------------------------------------------------------


def _diagnostic_rows(diagnostics: list[Diagnostic]) -> list[dict[str, str]]:
    """Diagnostics of an uploaded file, each with where it is: ``file:line:column`` for YAML,
    ``file, sheet S, row R, column C`` for a spreadsheet."""
    rows = []
    for diagnostic in diagnostics:
        location = diagnostic.location
        where = ""
        if location is not None:
            file = location.file
            if location.sheet is not None:
                where = f"{file}, sheet {location.sheet}, row {location.line}, column {location.column}"
            elif file.lower().endswith((".csv", ".txt")):
                where = f"{file}, row {location.line}, column {location.column}"
            else:
                where = str(location)
        rows.append(
            {
                "where": where,
                "code": diagnostic.code,
                "severity": diagnostic.severity.value,
                "message": diagnostic.message,
                "hint": diagnostic.hint,
            }
        )
    return rows


@accepts_uploads
@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Import into the draft (HR): a YAML file or a spreadsheet matrix, or the starter library. A
    file with errors is shown with every error located, and nothing changes."""
    policy.require(viewer(request), Action.FRAMEWORK_IMPORT)
    state = draft_state_get(viewer=viewer(request))
    revision = state.revision
    context: dict[str, Any] = {
        "state": state,
        "yaml_form": forms.YamlImportForm(revision=revision, prefix="yaml"),
        "matrix_form": forms.MatrixImportForm(revision=revision, prefix="matrix"),
        "starter_form": forms.StarterForm(revision=revision, prefix="starter", draft_is_empty=state.is_empty),
        "file_errors": [],
        "file_name": "",
    }
    status = 200
    if request.method == "POST":
        operation = request.POST.get("operation", "")
        handler = {"yaml": _import_yaml, "matrix": _import_matrix, "starter": _import_starter}.get(operation)
        if handler is None:
            raise BadRequest("unknown operation")
        response, status = handler(request, context)
        if response is not None:
            return response
    return render(request, f"{TEMPLATES}/import.html", context, status=status)


def _store_import(
    request: HttpRequest, form: Any, framework: Framework, source: ImportSource, message: str
) -> tuple[HttpResponse | None, int]:
    try:
        framework_draft_import(
            actor=signed_in(request),
            framework=framework,
            source=source,
            expected_revision=form.cleaned_data["revision"],
        )
    except DraftConflict as conflict:
        form.add_error(None, conflict_message(conflict))
        return None, 409
    messages.success(request, message)
    return redirect("authoring:overview"), 302


def _import_yaml(request: HttpRequest, context: dict[str, Any]) -> tuple[HttpResponse | None, int]:
    form = forms.YamlImportForm(request.POST, request.FILES, prefix="yaml")
    context["yaml_form"] = form
    if not form.is_valid():
        return None, 400
    upload = form.cleaned_data["file"]
    name = upload.name or "framework.yaml"
    result = parse(upload.read(), name)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if result.framework is None or errors:
        # Every diagnostic, warnings included: the person fixes the file once, not twice.
        context.update(
            file_errors=_diagnostic_rows(result.diagnostics),
            file_error_count=len(errors) or 1,
            file_name=name,
        )
        form.add_error("file", f"{name} has errors: nothing was imported.")
        return None, 400
    return _store_import(request, form, result.framework, "yaml", "Imported the file: it replaced the draft.")


def _import_matrix(request: HttpRequest, context: dict[str, Any]) -> tuple[HttpResponse | None, int]:
    form = forms.MatrixImportForm(request.POST, request.FILES, prefix="matrix")
    context["matrix_form"] = form
    if not form.is_valid():
        return None, 400
    data = form.cleaned_data
    upload = data["file"]
    name = upload.name or "matrix.csv"
    try:
        result = parse_bounded(
            read_matrix_positional, upload.read(), name, data["family"], data["track"] or None
        )
    except ResourceLimitExceeded as exceeded:
        form.add_error("file", f"{refusal(name, exceeded)}: nothing was imported.")
        return None, 400
    if result.framework is None or result.errors:
        context.update(
            file_errors=_diagnostic_rows(result.diagnostics),
            file_error_count=len(result.errors) or 1,
            file_name=name,
        )
        form.add_error("file", f"{name} has errors: nothing was imported.")
        return None, 400
    if data["mode"] == forms.REPLACE:
        return _store_import(
            request,
            form,
            result.framework,
            "matrix",
            "Imported the file: the draft is now the one family it holds.",
        )
    try:
        merged = framework_draft_import_family(
            actor=signed_in(request),
            imported=result.framework,
            expected_revision=data["revision"],
        )
    except DraftConflict as conflict:
        form.add_error(None, conflict_message(conflict))
        return None, 409
    except (DraftUnreadable, EditError) as refused:
        message = refused.messages[0] if isinstance(refused, ValidationError) else refused.message
        form.add_error("mode", message)
        return None, 400
    how = "it replaced the family with the same id" if merged.replaced else "it was added as a new family"
    messages.success(
        request,
        f"Imported the family from the file: {how}; the other families are unchanged.",
    )
    for note in merged.notes:
        messages.info(request, note)
    return redirect("authoring:overview"), 302


def _import_starter(request: HttpRequest, context: dict[str, Any]) -> tuple[HttpResponse | None, int]:
    form = forms.StarterForm(request.POST, prefix="starter")
    context["starter_form"] = form
    if not form.is_valid():
        return None, 400
    data = form.cleaned_data
    framework = starter_library.starter(data["families"], data["size"], name=data["name"] or None)
    if data["mode"] == forms.REPLACE:
        return _store_import(
            request,
            form,
            framework,
            "starter",
            f"Started the draft from the starter library ({data['size']} size).",
        )
    try:
        notes = framework_draft_add_families(
            actor=signed_in(request), added=framework, expected_revision=data["revision"]
        )
    except DraftConflict as conflict:
        form.add_error(None, conflict_message(conflict))
        return None, 409
    except DraftUnreadable as unreadable:
        form.add_error("mode", unreadable.messages[0])
        return None, 400
    except EditError as refused:
        form.add_error("families", refused.message)
        return None, 400
    names = wording.listing([family.name for family in framework.families])
    messages.success(
        request,
        f"Added {names} from the starter library ({data['size']} size); the other families are unchanged.",
    )
    for note in notes:
        messages.info(request, note)
    return redirect("authoring:overview"), 302


# --- the YAML editor -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def yaml_editor(request: HttpRequest) -> HttpResponse:
    """The draft's YAML text (HR): saved only when it has no errors, which are listed at their
    line:column."""
    policy.require(viewer(request), Action.FRAMEWORK_EDIT_STRUCTURE)
    state = draft_state_get(viewer=viewer(request))
    lint_url = reverse("authoring:yaml_lint")
    form = forms.YamlEditorForm(
        initial={"yaml_text": state.draft.yaml_text}, revision=state.revision, lint_url=lint_url
    )
    diagnostics: list[Diagnostic] = list(state.diagnostics)
    status = 200
    if request.method == "POST":
        form = forms.YamlEditorForm(request.POST, lint_url=lint_url)
        if form.is_valid():
            text = form.cleaned_data["yaml_text"]
            try:
                framework_draft_write_yaml(
                    actor=signed_in(request),
                    yaml_text=text,
                    expected_revision=form.cleaned_data["revision"],
                )
            except DraftConflict as conflict:
                form.add_error(None, conflict_message(conflict))
                status = 409
            except FrameworkInvalid as invalid:
                count = len(invalid.diagnostics)
                form.add_error("yaml_text", f"{count} error{'s' if count != 1 else ''}: nothing was saved.")
                status = 400
            else:
                messages.success(request, "Saved the YAML.")
                return redirect("authoring:yaml")
            diagnostics = list(draft_text_check(text)[1])
        else:
            status = 400
    return render(
        request,
        f"{TEMPLATES}/yaml.html",
        {"state": state, "form": form, "findings": diagnostics, "line": request.GET.get("line", "")},
        status=status,
    )


@require_POST
def yaml_lint(request: HttpRequest) -> HttpResponse:
    """The findings of the posted YAML text, each at its line:column (the live lint of the editor)."""
    policy.require(viewer(request), Action.FRAMEWORK_EDIT_STRUCTURE)
    _, diagnostics = draft_text_check(request.POST.get("yaml_text", ""))
    return render(
        request,
        f"{TEMPLATES}/partials.html#findings",
        {"findings": diagnostics, "errors": [], "live": True, "with_location": True},
    )


# --- published versions ----------------------------------------------------------------------------


@require_safe
def versions(request: HttpRequest) -> HttpResponse:
    """Every published version: number, date, who published it, how much changed."""
    rows = version_list(viewer=viewer(request))
    return render(request, f"{TEMPLATES}/versions.html", {"versions": rows})


@require_safe
def version(request: HttpRequest, number: int) -> HttpResponse:
    """One published version: who published it when, what it changed, and its exports."""
    found = version_get(viewer=viewer(request), number=number)
    summary = found.change_summary or {}
    # Stored as the core's diff wrote them at publication (`Change.to_json`): whole values, labels.
    changes = summary.get("changes", [])
    return render(
        request,
        f"{TEMPLATES}/version.html",
        {
            "version": found,
            "framework_name": version_framework_get(version=found).name,
            "previous": summary.get("previous_version"),
            "structural": [c for c in changes if c["kind"] == STRUCTURAL],
            "wording": [c for c in changes if c["kind"] != STRUCTURAL],
            "formats": EXPORT_FORMATS,
        },
    )


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """The readable difference between any two versions (or a version and the draft, for those who
    may read the draft): structural changes, then wording changes, each with old → new."""
    reader = viewer(request)
    rows = version_list(viewer=reader)
    choices = [(str(row.number), f"Version {row.number}") for row in rows]
    if policy.can(reader, Action.FRAMEWORK_VIEW_DRAFT):
        choices.insert(0, (DRAFT, "The draft"))
    initial = {}
    if len(rows) >= 2:
        initial = {"old": str(rows[1].number), "new": str(rows[0].number)}
    form = forms.CompareForm(request.GET or None, choices=choices, initial=initial)
    comparison = None
    status = 200
    if request.GET:
        if form.is_valid():
            comparison = version_compare(
                viewer=reader, old=form.cleaned_data["old"], new=form.cleaned_data["new"]
            )
        else:
            status = 400
    elif initial:
        comparison = version_compare(viewer=reader, old=initial["old"], new=initial["new"])
    context: dict[str, Any] = {"form": form, "comparison": comparison}
    if comparison is not None:
        context["structural"] = comparison.diff.structural
        context["wording"] = comparison.diff.wording
    return render(request, f"{TEMPLATES}/compare.html", context, status=status)
