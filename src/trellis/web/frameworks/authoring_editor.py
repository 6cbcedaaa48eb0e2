"""The editor's pages: the framework as a whole, a family, a track, a level, a competency, the
behavioural descriptions of a competency along a track, promotion criteria and a lateral path.

Each page has one URL for reading and saving its forms (an ``operation`` field says which form was
posted) and a sibling ``lint/`` URL for the live lint of its main form. Who may use which form:
content of a family, its co-authors and HR (a co-author of another family gets 403); structure and
framework-wide content, HR. Pages of a draft that cannot be read as a framework answer 409.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from trellis.framework.editing import (
    CompetencyAddress,
    CompetencyRemove,
    CompetencyRename,
    CrossoverAddress,
    CrossoverRemove,
    FamilyAddress,
    FamilyRemove,
    FamilyRename,
    FrameworkAddress,
    LateralPathAddress,
    LateralPathRemove,
    LevelAddress,
    LevelRename,
    PromotionAddress,
    PromotionRemove,
    TrackAddress,
    TrackRemove,
    TrackRename,
)
from trellis.web import policy
from trellis.web.frameworks import forms
from trellis.web.frameworks.authoring_selectors import (
    DraftState,
)
from trellis.web.frameworks.authoring_support import (
    Operation,
    Operations,
    editor_form,
    editor_page,
    editor_response,
    lint_url_of,
    may_edit_structure,
    resolve_or_404,
)
from trellis.web.policy import Action

# --- the editor's pages ------------------------------------------------------------------------------


@editor_page
def framework_page(request: HttpRequest, state: DraftState, *, lint: bool = False) -> HttpResponse:
    """The framework's name and description, its families, core competencies and lateral paths (HR)."""
    policy.require(request.user, Action.FRAMEWORK_EDIT_STRUCTURE)
    framework = state.framework
    assert framework is not None
    revision = state.revision
    address = FrameworkAddress()
    lint_url = lint_url_of("framework")
    family_ids = [family.id for family in framework.families]
    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.FrameworkSettingsForm(
                    data,
                    address=address,
                    target=framework,
                    structure=True,
                    revision=revision,
                    lint_url=lint_url,
                )
            ),
            "add_family": Operation(
                lambda data: forms.FamilyAddForm(data, revision=revision, prefix="family"),
                structure=True,
                then=lambda form: reverse("authoring:family", args=[form.cleaned_data["family"].strip()]),
                message="Added the family.",
            ),
            "add_core_competency": Operation(
                lambda data: forms.CompetencyAddForm(data, family_id=None, revision=revision, prefix="core"),
                structure=True,
                message="Added the core competency.",
            ),
            "add_lateral_path": Operation(
                lambda data: forms.LateralPathAddForm(
                    data, family_ids=family_ids, revision=revision, prefix="lateral"
                ),
                structure=True,
                message="Added the lateral path.",
            ),
        },
    )
    return editor_response(request, state, "framework.html", operations, lint=lint, context={})


@editor_page
def family_page(
    request: HttpRequest, state: DraftState, family_id: str, *, lint: bool = False
) -> HttpResponse:
    """A family: its name and description; its tracks, competencies and promotion criteria."""
    framework = state.framework
    assert framework is not None
    address = FamilyAddress(family_id)
    family = resolve_or_404(framework, address)
    policy.require(request.user, Action.FRAMEWORK_EDIT_CONTENT, family_id)
    revision = state.revision
    structure = may_edit_structure(request)
    lint_url = lint_url_of("family", family_id)
    codes = [level.code for track in family.tracks for level in track.levels]
    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.FamilyForm(
                    data,
                    address=address,
                    target=family,
                    structure=structure,
                    revision=revision,
                    lint_url=lint_url,
                )
            ),
            "rename": Operation(
                lambda data: forms.RenameForm(
                    data, edit=lambda new: FamilyRename(family_id, new), revision=revision, prefix="rename"
                ),
                structure=True,
                then=lambda form: reverse("authoring:family", args=[form.cleaned_data["new_id"].strip()]),
                message="Renamed the family.",
            ),
            "remove": Operation(
                lambda data: forms.ConfirmForm(
                    data,
                    edit=FamilyRemove(family_id),
                    confirm=f"Yes, remove {family.name} with its tracks, levels and lateral paths",
                    revision=revision,
                    prefix="remove",
                ),
                structure=True,
                then=lambda form: reverse("authoring:framework"),
                message="Removed the family.",
            ),
            "add_track": Operation(
                lambda data: forms.TrackAddForm(data, family_id=family_id, revision=revision, prefix="track"),
                structure=True,
                then=lambda form: reverse(
                    "authoring:track", args=[family_id, form.cleaned_data["track"].strip()]
                ),
                message="Added the track.",
            ),
            "add_competency": Operation(
                lambda data: forms.CompetencyAddForm(
                    data,
                    family_id=family_id,
                    track_ids=[track.id for track in family.tracks],
                    revision=revision,
                    prefix="competency",
                ),
                structure=True,
                message="Added the competency.",
            ),
            "add_promotion": Operation(
                lambda data: forms.PromotionAddForm(
                    data, family_id=family_id, codes=codes, revision=revision, prefix="promotion"
                ),
                structure=True,
                then=lambda form: reverse(
                    "authoring:promotion",
                    args=[family_id, form.cleaned_data["from_level"], form.cleaned_data["to_level"]],
                ),
                message="Added the promotion criteria.",
            ),
        },
    )
    behaviours = [(track, framework.competencies_for(family, track)) for track in family.tracks]
    return editor_response(
        request,
        state,
        "family.html",
        operations,
        lint=lint,
        context={"family": family, "behaviours": behaviours},
    )


@editor_page
def track_page(
    request: HttpRequest, state: DraftState, family_id: str, track_id: str, *, lint: bool = False
) -> HttpResponse:
    """A track: its name, kind and description, its crossover and its levels in order."""
    framework = state.framework
    assert framework is not None
    address = TrackAddress(family_id, track_id)
    track = resolve_or_404(framework, address)
    family = resolve_or_404(framework, FamilyAddress(family_id))
    policy.require(request.user, Action.FRAMEWORK_EDIT_CONTENT, family_id)
    revision = state.revision
    structure = may_edit_structure(request)
    lint_url = lint_url_of("track", family_id, track_id)
    other_levels = [level.code for other in family.tracks if other is not track for level in other.levels]
    here = reverse("authoring:track", args=[family_id, track_id])
    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.TrackForm(
                    data,
                    address=address,
                    target=track,
                    structure=structure,
                    revision=revision,
                    lint_url=lint_url,
                )
            ),
            "crossover": Operation(
                lambda data: forms.CrossoverForm(
                    data,
                    address=CrossoverAddress(family_id, track_id),
                    target=track.crossover,
                    structure=structure,
                    track=track,
                    other_levels=other_levels,
                    revision=revision,
                    prefix="crossover",
                ),
                then=lambda form: here + "#crossover",
            ),
            "remove_crossover": Operation(
                lambda data: forms.ConfirmForm(
                    data, edit=CrossoverRemove(family_id, track_id), revision=revision
                ),
                structure=True,
                message="Removed the crossover.",
            ),
            "rename": Operation(
                lambda data: forms.RenameForm(
                    data,
                    edit=lambda new: TrackRename(family_id, track_id, new),
                    revision=revision,
                    prefix="rename",
                ),
                structure=True,
                then=lambda form: reverse(
                    "authoring:track", args=[family_id, form.cleaned_data["new_id"].strip()]
                ),
                message="Renamed the track.",
            ),
            "remove": Operation(
                lambda data: forms.ConfirmForm(
                    data,
                    edit=TrackRemove(family_id, track_id),
                    confirm=f"Yes, remove {track.name} with its levels",
                    revision=revision,
                    prefix="remove",
                ),
                structure=True,
                then=lambda form: reverse("authoring:family", args=[family_id]),
                message="Removed the track.",
            ),
            "add_level": Operation(
                lambda data: forms.LevelAddForm(
                    data, family_id=family_id, track_id=track_id, revision=revision, prefix="level"
                ),
                structure=True,
                message="Added the level at the top of the track.",
            ),
            "move_level": Operation(
                lambda data: forms.LevelMoveForm(
                    data, family_id=family_id, track_id=track_id, revision=revision
                ),
                structure=True,
                message="Moved the level.",
            ),
            "remove_level": Operation(
                lambda data: forms.LevelRemoveForm(
                    data, family_id=family_id, track_id=track_id, revision=revision
                ),
                structure=True,
                message="Removed the level.",
            ),
        },
    )
    crossover_editor = None
    if track.crossover is not None or (structure and other_levels):
        crossover_editor = editor_form(operations.forms["crossover"], framework, state.diagnostics)
    return editor_response(
        request,
        state,
        "track.html",
        operations,
        lint=lint,
        context={
            "family": family,
            "track": track,
            "crossover_editor": crossover_editor,
            "competencies": framework.competencies_for(family, track),
            "levels": list(reversed(track.levels)),
        },
    )


@editor_page
def level_page(
    request: HttpRequest, state: DraftState, family_id: str, track_id: str, code: str, *, lint: bool = False
) -> HttpResponse:
    """A level: name, title and its variants, scope; grade, band and minimum time (HR)."""
    framework = state.framework
    assert framework is not None
    address = LevelAddress(family_id, track_id, code)
    level = resolve_or_404(framework, address)
    family = resolve_or_404(framework, FamilyAddress(family_id))
    track = resolve_or_404(framework, TrackAddress(family_id, track_id))
    policy.require(request.user, Action.FRAMEWORK_EDIT_CONTENT, family_id)
    revision = state.revision
    structure = may_edit_structure(request)
    lint_url = lint_url_of("level", family_id, track_id, code)
    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.LevelForm(
                    data,
                    address=address,
                    target=level,
                    structure=structure,
                    revision=revision,
                    lint_url=lint_url,
                )
            ),
            "rename": Operation(
                lambda data: forms.RenameForm(
                    data,
                    edit=lambda new: LevelRename(family_id, track_id, code, new),
                    label="New code",
                    help_text='Letters, digits, ".", "_" or "-"; unique in the family.',
                    revision=revision,
                    prefix="rename",
                ),
                structure=True,
                then=lambda form: reverse(
                    "authoring:level", args=[family_id, track_id, form.cleaned_data["new_id"].strip()]
                ),
                message="Changed the level's code everywhere it is used.",
            ),
        },
    )
    return editor_response(
        request,
        state,
        "level.html",
        operations,
        lint=lint,
        context={"family": family, "track": track, "level": level},
    )


def _competency_page(
    request: HttpRequest, state: DraftState, family_id: str | None, competency_id: str, *, lint: bool
) -> HttpResponse:
    framework = state.framework
    assert framework is not None
    address = CompetencyAddress(family_id, competency_id)
    competency = resolve_or_404(framework, address)
    family = resolve_or_404(framework, FamilyAddress(family_id)) if family_id is not None else None
    if family_id is None:
        policy.require(request.user, Action.FRAMEWORK_EDIT_STRUCTURE)
    else:
        policy.require(request.user, Action.FRAMEWORK_EDIT_CONTENT, family_id)
    revision = state.revision
    structure = may_edit_structure(request)
    lint_url = (
        lint_url_of("core_competency", competency_id)
        if family_id is None
        else lint_url_of("competency", family_id, competency_id)
    )
    track_ids = [track.id for track in family.tracks] if family is not None else None

    def page_of(new_id: str) -> str:
        if family_id is None:
            return reverse("authoring:core_competency", args=[new_id])
        return reverse("authoring:competency", args=[family_id, new_id])

    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.CompetencyForm(
                    data,
                    address=address,
                    target=competency,
                    structure=structure,
                    track_ids=track_ids,
                    revision=revision,
                    lint_url=lint_url,
                )
            ),
            "rename": Operation(
                lambda data: forms.RenameForm(
                    data,
                    edit=lambda new: CompetencyRename(family_id, competency_id, new),
                    revision=revision,
                    prefix="rename",
                ),
                structure=True,
                then=lambda form: page_of(form.cleaned_data["new_id"].strip()),
                message="Renamed the competency everywhere it is used.",
            ),
            "remove": Operation(
                lambda data: forms.ConfirmForm(
                    data,
                    edit=CompetencyRemove(family_id, competency_id),
                    confirm=f"Yes, remove {competency.name} and its behaviours at every level",
                    revision=revision,
                    prefix="remove",
                ),
                structure=True,
                then=lambda form: (
                    reverse("authoring:family", args=[family_id])
                    if family_id
                    else reverse("authoring:framework")
                ),
                message="Removed the competency.",
            ),
        },
    )
    if family is not None:
        tracks = [(family, track) for track in family.tracks if competency_id in track.expectations]
    else:
        tracks = [
            (f, track)
            for f in framework.families
            for track in f.tracks
            if competency_id in track.expectations
        ]
    return editor_response(
        request,
        state,
        "competency.html",
        operations,
        lint=lint,
        context={"family": family, "competency": competency, "tracks": tracks},
    )


@editor_page
def competency_page(
    request: HttpRequest, state: DraftState, family_id: str, competency_id: str, *, lint: bool = False
) -> HttpResponse:
    """A functional competency of a family."""
    return _competency_page(request, state, family_id, competency_id, lint=lint)


@editor_page
def core_competency_page(
    request: HttpRequest, state: DraftState, competency_id: str, *, lint: bool = False
) -> HttpResponse:
    """A core competency, shared by every family (HR)."""
    return _competency_page(request, state, None, competency_id, lint=lint)


@editor_page
def behaviours_page(
    request: HttpRequest,
    state: DraftState,
    family_id: str,
    track_id: str,
    competency_id: str,
    *,
    lint: bool = False,
) -> HttpResponse:
    """The behavioural descriptions of one competency along one track: per level, the expected
    proficiency and the behaviour, with the findings beside each as one types."""
    framework = state.framework
    assert framework is not None
    family = resolve_or_404(framework, FamilyAddress(family_id))
    track = resolve_or_404(framework, TrackAddress(family_id, track_id))
    competency = next((c for c in framework.competencies_for(family, track) if c.id == competency_id), None)
    if competency is None:
        raise Http404("the track does not assess this competency")
    policy.require(request.user, Action.FRAMEWORK_EDIT_CONTENT, family_id)
    revision = state.revision
    lint_url = lint_url_of("behaviours", family_id, track_id, competency_id)
    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.BehavioursForm(
                    data,
                    family_id=family_id,
                    track=track,
                    competency_id=competency_id,
                    framework=framework,
                    revision=revision,
                    lint_url=lint_url,
                ),
                message="Saved the behaviours.",
            )
        },
    )
    return editor_response(
        request,
        state,
        "behaviours.html",
        operations,
        lint=lint,
        context={"family": family, "track": track, "competency": competency},
        arrange=lambda editor: {
            "levels": [
                (
                    level,
                    editor.row_by_name[f"{level.code}-proficiency"],
                    editor.row_by_name[f"{level.code}-behaviour"],
                )
                for level in track.levels
            ]
        },
    )


@editor_page
def promotion_page(
    request: HttpRequest,
    state: DraftState,
    family_id: str,
    from_level: str,
    to_level: str,
    *,
    lint: bool = False,
) -> HttpResponse:
    """The criteria of one promotion: thresholds, required competencies, time, evidence, outcomes."""
    framework = state.framework
    assert framework is not None
    address = PromotionAddress(family_id, from_level, to_level)
    criteria = resolve_or_404(framework, address)
    family = resolve_or_404(framework, FamilyAddress(family_id))
    policy.require(request.user, Action.FRAMEWORK_EDIT_CONTENT, family_id)
    revision = state.revision
    structure = may_edit_structure(request)
    lint_url = lint_url_of("promotion", family_id, from_level, to_level)
    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.PromotionForm(
                    data,
                    address=address,
                    target=criteria,
                    structure=structure,
                    revision=revision,
                    lint_url=lint_url,
                )
            ),
            "remove": Operation(
                lambda data: forms.ConfirmForm(
                    data,
                    edit=PromotionRemove(family_id, from_level, to_level),
                    confirm=f"Yes, remove the criteria from {from_level} to {to_level}",
                    revision=revision,
                    prefix="remove",
                ),
                structure=True,
                then=lambda form: reverse("authoring:family", args=[family_id]),
                message="Removed the promotion criteria.",
            ),
        },
    )
    return editor_response(
        request,
        state,
        "promotion.html",
        operations,
        lint=lint,
        context={"family": family, "criteria": criteria},
    )


@editor_page
def lateral_path_page(
    request: HttpRequest, state: DraftState, index: int, *, lint: bool = False
) -> HttpResponse:
    """A lateral path: its description and actions (co-authors of either family), what transfers and
    the gaps to close (HR)."""
    framework = state.framework
    assert framework is not None
    address = LateralPathAddress(index)
    lateral = resolve_or_404(framework, address)
    families = address.families(framework)
    if not any(policy.can(request.user, Action.FRAMEWORK_EDIT_CONTENT, family) for family in families):
        raise PermissionDenied(f"not allowed: {Action.FRAMEWORK_EDIT_CONTENT}")
    revision = state.revision
    structure = may_edit_structure(request)
    lint_url = lint_url_of("lateral_path", index)
    operations = Operations(
        request,
        {
            "save": Operation(
                lambda data: forms.LateralPathForm(
                    data,
                    address=address,
                    target=lateral,
                    structure=structure,
                    revision=revision,
                    lint_url=lint_url,
                )
            ),
            "remove": Operation(
                lambda data: forms.ConfirmForm(
                    data,
                    edit=LateralPathRemove(index),
                    confirm="Yes, remove this lateral path",
                    revision=revision,
                    prefix="remove",
                ),
                structure=True,
                then=lambda form: reverse("authoring:framework"),
                message="Removed the lateral path.",
            ),
        },
    )
    return editor_response(
        request,
        state,
        "lateral_path.html",
        operations,
        lint=lint,
        context={"lateral": lateral, "index": index},
    )
