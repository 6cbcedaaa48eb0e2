"""Reading the framework for its authors: the working draft with its findings, and the published
versions with the differences between them. Every selector takes the viewer.

The draft is parsed and checked (the same checks as `trellis lint`) once per text per process: the
editor's pages and its live lint read the same draft many times between two saves. Parsed objects
are shared by the requests of the process: read them, never modify them (the pure edits copy).
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models.fields.json import KT
from django.http import Http404

from trellis.framework.checking import check_text
from trellis.framework.diagnostics import Diagnostic, Severity
from trellis.framework.diff import FrameworkDiff, diff
from trellis.framework.model import Framework
from trellis.framework.yaml_io import loads
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import DRAFT_FILE_NAME
from trellis.web.policy import Action

#: The value standing for the working draft where a version number is expected (compare, export).
DRAFT = "draft"
#: Seconds the lint rules may take inside a request (a large real framework takes a small fraction
#: of it): past it, lint stops with a TRL200 finding and the page still answers. `trellis lint` and
#: publishing run without a limit. Documented in docs/lint-rules.md.
LINT_BUDGET_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class DraftState:
    """The draft row and what its text holds: the framework (None when the text cannot be read as
    one) and every finding, located at line:column of the text."""

    draft: FrameworkDraft
    framework: Framework | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def revision(self) -> int:
        return self.draft.revision

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is not Severity.ERROR]

    @property
    def is_empty(self) -> bool:
        return not self.draft.yaml_text.strip()

    @property
    def ever_saved(self) -> bool:
        return not self.draft._state.adding


_draft_lock = threading.Lock()
_draft_checked: tuple[str, Framework | None, tuple[Diagnostic, ...]] | None = None


def draft_text_check(yaml_text: str) -> tuple[Framework | None, tuple[Diagnostic, ...]]:
    """The framework `yaml_text` describes and every finding; the last text's answer is kept, so
    reading the same draft again costs a string comparison."""
    global _draft_checked
    cached = _draft_checked
    if cached is not None and cached[0] == yaml_text:
        return cached[1], cached[2]
    result, diagnostics = check_text(yaml_text, DRAFT_FILE_NAME, lint_budget=LINT_BUDGET_SECONDS)
    answer = (yaml_text, result.framework, tuple(diagnostics))
    with _draft_lock:
        _draft_checked = answer
    return answer[1], answer[2]


def draft_state_get(*, viewer: Viewer) -> DraftState:
    """The working draft, parsed and checked. PermissionDenied unless `viewer` may read it (HR and
    co-authors). Before anything was ever saved the draft is empty, at revision 1. One query."""
    policy.require(viewer, Action.FRAMEWORK_VIEW_DRAFT)
    draft = (
        FrameworkDraft.objects.select_related("updated_by", "review_comment_by", "based_on")
        .defer("based_on__yaml_text", "based_on__change_summary")
        .filter(pk=FrameworkDraft.SINGLETON_ID)
        .first()
    )
    if draft is None:
        draft = FrameworkDraft()
    framework, diagnostics = draft_text_check(draft.yaml_text)
    return DraftState(draft=draft, framework=framework, diagnostics=diagnostics)


# --- published versions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One published version as the list shows it."""

    number: int
    published_at: datetime.datetime
    published_by: str
    structural: int
    wording: int
    is_current: bool


def version_list(*, viewer: Viewer) -> list[VersionRow]:
    """Every published version, newest first, with its change counts. Published versions are public
    inside the company: everyone who may read the framework may read them. One query, whatever
    the size of the versions (their text is not read)."""
    policy.require(viewer, Action.FRAMEWORK_VIEW)
    rows = (
        FrameworkVersion.objects.order_by("-number")
        .annotate(structural=KT("change_summary__structural"), wording=KT("change_summary__wording"))
        .values_list(
            "number",
            "published_at",
            "published_by__full_name",
            "published_by__email",
            "structural",
            "wording",
            "is_current",
        )
    )
    return [
        VersionRow(
            number=number,
            published_at=published_at,
            published_by=full_name or email or "",
            structural=int(structural or 0),
            wording=int(wording or 0),
            is_current=is_current,
        )
        for number, published_at, full_name, email, structural, wording, is_current in rows
    ]


def version_get(*, viewer: Viewer, number: int) -> FrameworkVersion:
    """Published version `number`; Http404 when there is none. One query."""
    policy.require(viewer, Action.FRAMEWORK_VIEW)
    version = FrameworkVersion.objects.select_related("published_by").filter(number=number).first()
    if version is None:
        raise Http404("no such version")
    return version


_versions_lock = threading.Lock()
_parsed_versions: OrderedDict[tuple[int, datetime.datetime], Framework] = OrderedDict()
#: Versions are immutable, so a parsed one never goes stale; a few are kept for comparisons.
_PARSED_VERSIONS_KEPT = 8


def version_framework_get(*, version: FrameworkVersion) -> Framework:
    """The framework of a published version, parsed once per process (shared: read only)."""
    key = (version.pk, version.published_at)
    with _versions_lock:
        cached = _parsed_versions.get(key)
        if cached is not None:
            _parsed_versions.move_to_end(key)
            return cached
    framework = loads(version.yaml_text, f"framework version {version.number}")
    with _versions_lock:
        _parsed_versions[key] = framework
        while len(_parsed_versions) > _PARSED_VERSIONS_KEPT:
            _parsed_versions.popitem(last=False)
    return framework


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: a published version or the draft."""

    label: str
    number: int | None
    framework: Framework


@dataclass(frozen=True, slots=True)
class Comparison:
    old: Side
    new: Side
    diff: FrameworkDiff


def _side(viewer: Viewer, which: str) -> Side:
    if which == DRAFT:
        state = draft_state_get(viewer=viewer)
        if state.framework is None:
            raise Http404("the draft cannot be read as a framework")
        return Side(label="the draft", number=None, framework=state.framework)
    try:
        number = int(which)
    except ValueError:
        raise Http404("no such version") from None
    version = version_get(viewer=viewer, number=number)
    return Side(label=f"version {number}", number=number, framework=version_framework_get(version=version))


def version_compare(*, viewer: Viewer, old: str, new: str) -> Comparison:
    """What changed from `old` to `new`: version numbers, or "draft" for the working draft (which
    only its readers may compare). Http404 for a version that does not exist, PermissionDenied for
    the draft when `viewer` may not read it."""
    policy.require(viewer, Action.FRAMEWORK_VIEW)
    old_side, new_side = _side(viewer, old), _side(viewer, new)
    return Comparison(old=old_side, new=new_side, diff=diff(old_side.framework, new_side.framework))


# --- what publishing would do ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublishPreview:
    """What HR confirms before publishing: the draft with its findings, the current version it would
    replace (None before the first), the number the new version would get, and what it changes
    from the current version (None when there is no current version or the draft cannot be read)."""

    state: DraftState
    current: FrameworkVersion | None
    next_number: int
    diff: FrameworkDiff | None

    @property
    def may_publish(self) -> bool:
        return self.state.framework is not None and not self.state.errors


def publish_preview_get(*, viewer: Viewer) -> PublishPreview:
    """The draft as publishing would take it, compared with the current version. PermissionDenied
    unless `viewer` may publish (HR). Three queries; the current version is parsed once per process."""
    policy.require(viewer, Action.FRAMEWORK_PUBLISH)
    state = draft_state_get(viewer=viewer)
    current = (
        FrameworkVersion.objects.select_related("published_by")
        .defer("change_summary")
        .filter(is_current=True)
        .first()
    )
    last_number = FrameworkVersion.objects.order_by("-number").values_list("number", flat=True).first()
    changes = None
    if current is not None and state.framework is not None:
        changes = diff(version_framework_get(version=current), state.framework)
    return PublishPreview(state=state, current=current, next_number=(last_number or 0) + 1, diff=changes)
