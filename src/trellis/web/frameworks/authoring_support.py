"""What the authoring pages share: findings attached to the fields they point at, the live lint
partial, links from a finding to the editor page where it can be fixed, the handling of an editor
page's forms (the optimistic lock, errors beside their field, the redirect after a save), and the
declaration of an editor page (`EditorPage`) with the two views that serve every one: the page
and its live lint.

Every editor form carries the revision its writer read. A stale one is answered 409 with the
person's input kept on the page; invalid input is answered 400 with the error beside its field.

What only HR may change is what `trellis.framework.classification` calls structural: for anyone
else those fields are disabled (shown read-only, their posted value ignored), and a post that
carries another value for one is refused with 403 and the error beside that field, nothing saved.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods

from trellis.framework.addresses import readable_place
from trellis.framework.checking import check_framework
from trellis.framework.classification import is_structural
from trellis.framework.diagnostics import Diagnostic, Path
from trellis.framework.editing import (
    Address,
    CompetencyAddress,
    CrossoverAddress,
    EditError,
    ExpectationAddress,
    FamilyAddress,
    FrameworkAddress,
    LateralPathAddress,
    LevelAddress,
    NotFound,
    PromotionAddress,
    TrackAddress,
    address_of,
    apply_edits,
)
from trellis.framework.model import Framework
from trellis.framework.references import check_references
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer, signed_in, viewer
from trellis.web.frameworks import forms
from trellis.web.frameworks.authoring_selectors import LINT_BUDGET_SECONDS, DraftState, draft_state_get
from trellis.web.frameworks.services import (
    DraftConflict,
    DraftUnreadable,
    framework_draft_edit,
)
from trellis.web.policy import Action

TEMPLATES = "frameworks/authoring"


def conflict_message(conflict: DraftConflict) -> str:
    return (
        f"Someone else saved the draft first (you had revision {conflict.expected}; it is now at "
        f"{conflict.actual}). Nothing of yours was saved: your input is still below. Reload the page to "
        "see their change, then make yours again."
    )


# --- findings ------------------------------------------------------------------------------------


def all_findings(framework: Framework) -> list[Diagnostic]:
    """References and lint rules of a framework built in memory (no source map: located by path)."""
    return [*check_references(framework), *check_framework(framework, lint_budget=LINT_BUDGET_SECONDS)]


def _starts_with(path: Path, prefix: Path) -> bool:
    return path[: len(prefix)] == prefix


def _field_path(framework: Framework, target: tuple[Address, str] | None) -> Path | None:
    if target is None:
        return None
    address, model_field = target
    try:
        return (*address.path(framework), model_field)
    except NotFound:
        return None


@dataclass(frozen=True, slots=True)
class FieldRow:
    """A form field as the editor shows it: the widget (described by its help, errors and findings)
    and the findings that point at it."""

    field: BoundField
    widget: SafeString
    findings: list[Diagnostic]


@dataclass(slots=True)
class EditorForm:
    """An edit form with its rows, and the findings about the thing it edits that no field shows."""

    form: forms.FieldsEditor
    rows: list[FieldRow] = field(default_factory=list)
    other_findings: list[Diagnostic] = field(default_factory=list)
    row_by_name: dict[str, FieldRow] = field(default_factory=dict)


def editor_form(
    form: forms.FieldsEditor, framework: Framework, diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]
) -> EditorForm:
    """Attach to each field of `form` the `diagnostics` that point at it (by path in `framework`)."""
    editor = EditorForm(form=form)
    claimed: set[int] = set()
    for bound in form.visible_fields():
        path = _field_path(framework, form.target_of(bound.name))
        findings = []
        if path is not None:
            for index, diagnostic in enumerate(diagnostics):
                if _starts_with(diagnostic.path, path):
                    findings.append(diagnostic)
                    claimed.add(index)
        described = " ".join(part for part in (bound.aria_describedby, f"findings-{bound.auto_id}") if part)
        row = FieldRow(
            field=bound, widget=bound.as_widget(attrs={"aria-describedby": described}), findings=findings
        )
        editor.rows.append(row)
        editor.row_by_name[bound.name] = row
    for scope in form_scopes(form, framework):
        editor.other_findings.extend(
            d for index, d in enumerate(diagnostics) if index not in claimed and _starts_with(d.path, scope)
        )
    return editor


def form_scopes(form: forms.FieldsEditor, framework: Framework) -> list[Path]:
    """The paths of the things `form` edits: findings under them that no field claims are shown
    with the form as a whole."""
    try:
        path = form.scope.path(framework)
    except NotFound:
        return []
    # The whole framework's findings belong to the overview, not to the framework settings form.
    return [path] if path else []


def lint_partial(request: HttpRequest, state: DraftState, form: forms.FieldsEditor) -> HttpResponse:
    """The findings for one field (`?field=`) of `form` bound to the posted text, against the draft
    with that text in it: what the live lint shows beside the field as one types. Nothing is saved."""
    name = request.GET.get("field", "")
    if name not in form.fields or name == "revision":
        raise BadRequest("unknown field")
    assert state.framework is not None
    form.is_valid()
    errors = list(form.errors.get(name, []))
    findings: list[Diagnostic] = []
    if not errors:
        try:
            result = apply_edits(state.framework, form.lint_edits(name))
        except EditError as error:
            errors.append(error.message)
        else:
            path = _field_path(result.framework, form.target_of(name))
            if path is not None:
                findings = [d for d in all_findings(result.framework) if _starts_with(d.path, path)]
    return render(
        request, f"{TEMPLATES}/partials.html#findings", {"findings": findings, "errors": errors, "live": True}
    )


# --- links from findings to the editor ----------------------------------------------------------------


def _may_edit(reader: Viewer, address: Address | None, framework: Framework) -> bool:
    if address is None or isinstance(address, FrameworkAddress):
        return policy.can(reader, Action.FRAMEWORK_EDIT_STRUCTURE)
    if isinstance(address, CompetencyAddress) and address.family is None:
        return policy.can(reader, Action.FRAMEWORK_EDIT_STRUCTURE)
    try:
        families = address.families(framework)
    except NotFound:
        return False
    return any(policy.can(reader, Action.FRAMEWORK_EDIT_CONTENT, family) for family in families)


def editor_url(address: Address, model_field: str = "") -> str:
    """The editor page of `address`, with an anchor at the field when there is one."""
    anchor = f"#id_{model_field}" if model_field else ""
    match address:
        case FrameworkAddress():
            return reverse("authoring:framework") + anchor
        case FamilyAddress(family=family):
            return reverse("authoring:family", args=[family]) + anchor
        case TrackAddress(family=family, track=track):
            return reverse("authoring:track", args=[family, track]) + anchor
        case CrossoverAddress(family=family, track=track):
            return reverse("authoring:track", args=[family, track]) + "#crossover"
        case LevelAddress(family=family, track=track, level=code):
            return reverse("authoring:level", args=[family, track, code]) + anchor
        case CompetencyAddress(family=None, competency=competency):
            return reverse("authoring:core_competency", args=[competency]) + anchor
        case CompetencyAddress(family=str() as family, competency=competency):
            return reverse("authoring:competency", args=[family, competency]) + anchor
        case ExpectationAddress(family=family, track=track, competency=competency, level=code):
            url = reverse("authoring:behaviours", args=[family, track, competency])
            if code is not None and model_field:
                url += f"#id_{code}-{model_field}"
            return url
        case PromotionAddress(family=family, from_level=from_level, to_level=to_level):
            return reverse("authoring:promotion", args=[family, from_level, to_level]) + anchor
        case LateralPathAddress(index=index):
            return reverse("authoring:lateral_path", args=[index]) + anchor
    raise AssertionError(f"no editor page for {address!r}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class FindingRow:
    diagnostic: Diagnostic
    where: str
    url: str | None


def finding_place(framework: Framework | None, diagnostic: Diagnostic) -> str:
    """Where `diagnostic` is, for people: in the framework's names ("Engineering · IC3 ·
    Communication"); only a draft that cannot be read as a framework is placed by line and column
    of its text (there is nothing else to name). The YAML editor and the CLI keep file:line:column."""
    if framework is not None:
        return readable_place(framework, diagnostic.path)
    location = diagnostic.location
    return f"line {location.line}, column {location.column}" if location is not None else ""


def finding_rows(reader: Viewer, state: DraftState) -> list[FindingRow]:
    """Every finding of the draft with where it is (`finding_place`) and a link to the editor page
    where it can be fixed, when `reader` may edit there (else to the YAML editor at its line, for HR)."""
    rows = []
    framework = state.framework
    for diagnostic in state.diagnostics:
        location = diagnostic.location
        where = finding_place(framework, diagnostic)
        url = None
        target = address_of(framework, diagnostic.path) if framework is not None else None
        if target is not None and framework is not None and _may_edit(reader, target[0], framework):
            try:
                target[0].path(framework)
            except NotFound:
                target = None
            else:
                url = editor_url(*target)
        if url is None and policy.can(reader, Action.FRAMEWORK_EDIT_STRUCTURE):
            url = reverse("authoring:yaml") + (f"?line={location.line}" if location is not None else "")
        rows.append(FindingRow(diagnostic=diagnostic, where=where, url=url))
    return rows


# --- the forms of an editor page ----------------------------------------------------------------

#: Beside a field only HR may change, for everyone else.
STRUCTURE_HELP = "Only HR changes this (it is part of the structure)."
#: Beside such a field when a post changed it anyway.
STRUCTURE_REFUSED = "Only HR changes this (it is part of the structure): nothing was saved."


def lock_structure(form: Any, structure: bool) -> None:
    """Disable, unless the viewer may change `structure`, every field of `form` that sets a field
    the classification calls structural (forms that edit no fields of a thing are left alone)."""
    target_of = getattr(form, "target_of", None)
    if structure or target_of is None:
        return
    for name, form_field in form.fields.items():
        target = target_of(name)
        if target is not None and is_structural(target[0].kind, target[1]):
            form_field.disabled = True
            form_field.help_text = STRUCTURE_HELP


def structure_attempts(form: Any) -> list[str]:
    """The disabled fields of the posted `form` whose posted value differs from the value it shows.
    (A browser does not post a disabled field; one that arrives anyway was made up.)"""
    attempts = []
    for name, form_field in form.fields.items():
        bound = form[name]
        if not form_field.disabled or bound.html_name not in form.data:
            continue
        try:
            # What the form takes instead, as Django cleans a disabled field.
            shown = form_field.clean(bound.initial)
        except ValidationError:
            continue  # the form's own validation reports it
        probe = copy.deepcopy(form_field)
        probe.disabled = False
        try:
            posted = probe.clean(bound.data)
        except ValidationError:
            attempts.append(name)
            continue
        if posted != shown:
            attempts.append(name)
    return attempts


def resolve_or_404(framework: Framework, address: Address) -> Any:
    try:
        return address.resolve(framework)
    except NotFound as missing:
        raise Http404(missing.message) from None


@dataclass(slots=True)
class Operation:
    """One form of an editor page: how to build it, whether only HR may use it (refused with 403
    before the form is read), and where to go after it succeeded (default: the same page)."""

    build: Callable[[Any], forms.EditsForm]
    structure: bool = False
    then: Callable[[Any], str] | None = None
    message: str = "Saved."


class Operations:
    """The forms of an editor page, and the handling of the one that was posted."""

    def __init__(self, request: HttpRequest, operations: dict[str, Operation]) -> None:
        self.request = request
        self.operations = operations
        self.structure = may_edit_structure(request)
        self.forms: dict[str, forms.EditsForm] = {
            name: self.build(operation, None) for name, operation in operations.items()
        }
        self.status = 200

    def build(self, operation: Operation, data: Any) -> forms.EditsForm:
        """The operation's form, its structural fields locked for a viewer who may not change them."""
        form = operation.build(data)
        lock_structure(form, self.structure)
        return form

    def post(self) -> HttpResponse | None:
        """Handle the posted operation: a redirect on success, None when the page must be shown again
        with the errors (and `status` set: 400 invalid input, 409 someone saved first)."""
        request = self.request
        name = request.POST.get("operation", "")
        operation = self.operations.get(name)
        if operation is None:
            raise BadRequest("unknown operation")
        if operation.structure:
            policy.require(viewer(request), Action.FRAMEWORK_EDIT_STRUCTURE)
        form = self.build(operation, request.POST)
        self.forms[name] = form
        attempts = structure_attempts(form)
        if attempts:
            for attempt in attempts:
                form.add_error(attempt, STRUCTURE_REFUSED)
            self.status = 403
            return None
        if not form.is_valid():
            self.status = 400
            return None
        try:
            result = framework_draft_edit(
                actor=signed_in(request),
                edits=form.edits(),
                expected_revision=form.cleaned_data["revision"],
            )
        except DraftConflict as conflict:
            form.add_error(None, conflict_message(conflict))
            self.status = 409
            return None
        except DraftUnreadable as unreadable:
            form.add_error(None, unreadable.messages[0])
            self.status = 409
            return None
        except EditError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            self.status = 400
            return None
        messages.success(request, operation.message if result.changed else "Nothing changed.")
        for note in result.notes:
            messages.info(request, note)
        return redirect(operation.then(form) if operation.then is not None else request.path)


def may_edit_structure(request: HttpRequest) -> bool:
    return policy.can(viewer(request), Action.FRAMEWORK_EDIT_STRUCTURE)


# --- editor pages ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visit:
    """One request to an editor page: the readable draft, the thing the page edits (`target`, at
    `address`), the URL's arguments and what the viewer may do there."""

    request: HttpRequest
    state: DraftState
    framework: Framework
    address: Address
    target: Any
    arguments: Mapping[str, Any]
    structure: bool
    lint_url: str

    @property
    def revision(self) -> int:
        return self.state.revision

    def resolve(self, address: Address) -> Any:
        return resolve_or_404(self.framework, address)


def _no_operations(visit: Visit) -> dict[str, Operation]:
    return {}


def _no_context(visit: Visit, operations: Operations) -> dict[str, Any]:
    return {}


def _no_options(visit: Visit) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, slots=True)
class EditorPage:
    """One page of the editor.

    `address` builds the address of the edited thing from the URL's arguments; `target` finds the
    thing (default: the address resolved, 404 when the draft has no such thing). The main form
    (operation ``save``) is `form` built with the address, the thing, whether the viewer may change
    structure, the revision and the live-lint URL, plus `form_options`; `build_form` replaces that
    for a form made otherwise. `operations` gives the page's other forms and `context` what its
    template shows besides; `arrange` reshapes the main form's rows for the template.
    """

    name: str
    route: str
    title: str
    template: str
    address: Callable[..., Address]
    form: Callable[..., forms.FieldsEditor]
    form_options: Callable[[Visit], dict[str, Any]] = _no_options
    build_form: Callable[[Visit, Any], forms.FieldsEditor] | None = None
    target: Callable[[Framework, Address], Any] = resolve_or_404
    operations: Callable[[Visit], dict[str, Operation]] = _no_operations
    context: Callable[[Visit, Operations], dict[str, Any]] = _no_context
    arrange: Callable[[Visit, EditorForm], dict[str, Any]] | None = None
    save_message: str = "Saved."

    def main_form(self, visit: Visit, data: Any) -> forms.FieldsEditor:
        if self.build_form is not None:
            return self.build_form(visit, data)
        return self.form(
            data,
            address=visit.address,
            target=visit.target,
            structure=visit.structure,
            revision=visit.revision,
            lint_url=visit.lint_url,
            **self.form_options(visit),
        )

    def operations_of(self, visit: Visit) -> Operations:
        save = Operation(lambda data: self.main_form(visit, data), message=self.save_message)
        return Operations(visit.request, {"save": save, **self.operations(visit)})


def require_edit(reader: Viewer, address: Address, framework: Framework) -> None:
    """PermissionDenied unless `reader` may edit the thing at `address` (see the module docstring)."""
    if isinstance(address, FrameworkAddress) or (
        isinstance(address, CompetencyAddress) and address.family is None
    ):
        policy.require(reader, Action.FRAMEWORK_EDIT_STRUCTURE)
        return
    families = address.families(framework)
    if len(families) == 1:
        policy.require(reader, Action.FRAMEWORK_EDIT_CONTENT, families[0])
    elif not any(policy.can(reader, Action.FRAMEWORK_EDIT_CONTENT, family) for family in families):
        raise PermissionDenied(f"not allowed: {Action.FRAMEWORK_EDIT_CONTENT}")


def _visit(request: HttpRequest, page: EditorPage, arguments: Mapping[str, Any]) -> Visit | HttpResponse:
    """The visit of `page`, or the 409 page for a draft that cannot be read as a framework.
    PermissionDenied and Http404 as the module docstring says."""
    state = draft_state_get(viewer=viewer(request))
    framework = state.framework
    if framework is None:
        return render(request, f"{TEMPLATES}/unreadable.html", {"state": state}, status=409)
    address = page.address(**arguments)
    target = page.target(framework, address)
    require_edit(viewer(request), address, framework)
    return Visit(
        request=request,
        state=state,
        framework=framework,
        address=address,
        target=target,
        arguments=arguments,
        structure=may_edit_structure(request),
        lint_url=reverse(f"authoring:{page.name}_lint", kwargs=dict(arguments)),
    )


# --- the two views ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def editor_page(request: HttpRequest, page: EditorPage, **arguments: Any) -> HttpResponse:
    """`page` (GET, or a POST shown again with its errors), or the redirect after a successful POST."""
    visit = _visit(request, page, arguments)
    if isinstance(visit, HttpResponse):
        return visit
    operations = page.operations_of(visit)
    if request.method == "POST":
        response = operations.post()
        if response is not None:
            return response
    context = {
        "state": visit.state,
        "framework": visit.framework,
        "forms": operations.forms,
        "structure": visit.structure,
        "editor_page": page,
        **page.context(visit, operations),
    }
    save = operations.forms["save"]
    context["editor"] = editor = editor_form(
        cast(forms.FieldsEditor, save), visit.framework, visit.state.diagnostics
    )
    if page.arrange is not None:
        context.update(page.arrange(visit, editor))
    return render(request, f"{TEMPLATES}/{page.template}", context, status=operations.status)


def live_lint(request: HttpRequest, page: EditorPage, **arguments: Any) -> HttpResponse:
    """The findings of one field (``?field=``) of `page`'s main form, bound to the posted text, as
    the draft would have them with that text in it. POST only (405 otherwise, once the viewer is
    known to be allowed); nothing is saved."""
    visit = _visit(request, page, arguments)
    if isinstance(visit, HttpResponse):
        return visit
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    form = page.main_form(visit, request.POST)
    lock_structure(form, visit.structure)
    return lint_partial(request, visit.state, form)
