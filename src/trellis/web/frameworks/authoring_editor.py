"""The editor's pages, declared as data: the framework as a whole, a family, a track, a level, a
competency, the behavioural descriptions of a competency along a track, promotion criteria and a
lateral path.

Each `EditorPage` (see `authoring_support`) names its URL, template, the address of the thing it
edits, its main form and its other forms; `PAGES` lists them for the URL configuration. Two views
serve every page: `authoring_support.editor_page` reads and saves its forms (an ``operation``
field says which form was posted) and `authoring_support.live_lint` answers the findings of one
field of the main form as one types, at the sibling ``lint/`` URL, saving nothing.

Who may use which form follows from the address: content of a family, its co-authors and HR (a
co-author of another family gets 403); structure and framework-wide content (the framework
itself, core competencies), HR; a lateral path, co-authors of either family it joins. The thing is
looked up before the permission is checked (404 before 403), and a draft that cannot be read as a
framework answers 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.http import Http404
from django.urls import reverse

from trellis.framework.editing import (
    Address,
    CompetencyAddress,
    CompetencyRemove,
    CompetencyRename,
    CrossoverAddress,
    CrossoverRemove,
    Edit,
    ExpectationAddress,
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
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks import forms
from trellis.web.frameworks.authoring_support import (
    EditorForm,
    EditorPage,
    Operation,
    Operations,
    Visit,
    editor_form,
    resolve_or_404,
)
from trellis.web.policy import Action
from trellis.web.reviews.agreement_selectors import description_agreement_get, figure_text

# --- the forms many pages have -----------------------------------------------------------------------


def _rename_operation(
    visit: Visit,
    edit: Callable[[str], Edit],
    *,
    then: Callable[[str], str],
    message: str,
    label: str = "New id",
    help_text: str | None = None,
) -> Operation:
    """The page's "rename" form (HR): `edit` makes the edit from the new id; after it, the page at
    `then(new id)`."""
    revision = visit.revision
    texts = {"label": label} if help_text is None else {"label": label, "help_text": help_text}
    return Operation(
        lambda data: forms.RenameForm(data, edit=edit, revision=revision, prefix="rename", **texts),
        structure=True,
        then=lambda form: then(form.cleaned_data["new_id"].strip()),
        message=message,
    )


def _remove_operation(visit: Visit, edit: Edit, *, confirm: str, then: str, message: str) -> Operation:
    """The page's "remove" form (HR), confirmed by ticking `confirm`; after it, the page at `then`."""
    revision = visit.revision
    return Operation(
        lambda data: forms.ConfirmForm(data, edit=edit, confirm=confirm, revision=revision, prefix="remove"),
        structure=True,
        then=lambda form: then,
        message=message,
    )


# --- the framework as a whole ----------------------------------------------------------------------


def _framework_operations(visit: Visit) -> dict[str, Operation]:
    revision = visit.revision
    family_ids = [family.id for family in visit.framework.families]
    return {
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
    }


FRAMEWORK_PAGE = EditorPage(
    name="framework",
    route="edit/",
    title="The framework's name and description, its families, core competencies and lateral paths (HR)",
    template="framework.html",
    address=lambda: FrameworkAddress(),
    form=forms.FrameworkSettingsForm,
    operations=_framework_operations,
)


# --- a family and what is defined in it --------------------------------------------------------------


def _family_operations(visit: Visit) -> dict[str, Operation]:
    family_id, family, revision = visit.arguments["family_id"], visit.target, visit.revision
    codes = [level.code for track in family.tracks for level in track.levels]
    return {
        "rename": _rename_operation(
            visit,
            lambda new: FamilyRename(family_id, new),
            then=lambda new: reverse("authoring:family", args=[new]),
            message="Renamed the family.",
        ),
        "remove": _remove_operation(
            visit,
            FamilyRemove(family_id),
            confirm=f"Yes, remove {family.name} with its tracks, levels and lateral paths",
            then=reverse("authoring:framework"),
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
    }


def _family_context(visit: Visit, operations: Operations) -> dict[str, Any]:
    family = visit.target
    behaviours = [(track, visit.framework.competencies_for(family, track)) for track in family.tracks]
    return {"family": family, "behaviours": behaviours}


FAMILY = "edit/families/<str:family_id>/"

FAMILY_PAGE = EditorPage(
    name="family",
    route=FAMILY,
    title="A family: its name and description; its tracks, competencies and promotion criteria",
    template="family.html",
    address=lambda family_id: FamilyAddress(family_id),
    form=forms.FamilyForm,
    operations=_family_operations,
    context=_family_context,
)


def _competency_home_page(visit: Visit, competency_id: str) -> str:
    family_id = visit.arguments.get("family_id")
    if family_id is None:
        return reverse("authoring:core_competency", args=[competency_id])
    return reverse("authoring:competency", args=[family_id, competency_id])


def _competency_operations(visit: Visit) -> dict[str, Operation]:
    family_id = visit.arguments.get("family_id")
    competency_id, competency = visit.arguments["competency_id"], visit.target
    return {
        "rename": _rename_operation(
            visit,
            lambda new: CompetencyRename(family_id, competency_id, new),
            then=lambda new: _competency_home_page(visit, new),
            message="Renamed the competency everywhere it is used.",
        ),
        "remove": _remove_operation(
            visit,
            CompetencyRemove(family_id, competency_id),
            confirm=f"Yes, remove {competency.name} and its behaviours at every level",
            then=reverse("authoring:family", args=[family_id])
            if family_id
            else reverse("authoring:framework"),
            message="Removed the competency.",
        ),
    }


def _competency_family(visit: Visit) -> Any:
    family_id = visit.arguments.get("family_id")
    return visit.resolve(FamilyAddress(family_id)) if family_id is not None else None


def _competency_form_options(visit: Visit) -> dict[str, Any]:
    family = _competency_family(visit)
    return {"track_ids": [track.id for track in family.tracks] if family is not None else None}


def _competency_context(visit: Visit, operations: Operations) -> dict[str, Any]:
    family = _competency_family(visit)
    competency_id = visit.arguments["competency_id"]
    families = [family] if family is not None else visit.framework.families
    tracks = [(f, track) for f in families for track in f.tracks if competency_id in track.expectations]
    return {"family": family, "competency": visit.target, "tracks": tracks}


COMPETENCY_PAGE = EditorPage(
    name="competency",
    route=f"{FAMILY}competencies/<str:competency_id>/",
    title="A functional competency of a family",
    template="competency.html",
    address=lambda family_id, competency_id: CompetencyAddress(family_id, competency_id),
    form=forms.CompetencyForm,
    form_options=_competency_form_options,
    operations=_competency_operations,
    context=_competency_context,
)

CORE_COMPETENCY_PAGE = EditorPage(
    name="core_competency",
    route="edit/core/<str:competency_id>/",
    title="A core competency, shared by every family (HR)",
    template="competency.html",
    address=lambda competency_id: CompetencyAddress(None, competency_id),
    form=forms.CompetencyForm,
    form_options=_competency_form_options,
    operations=_competency_operations,
    context=_competency_context,
)


def _promotion_operations(visit: Visit) -> dict[str, Operation]:
    family_id, from_level, to_level = (
        visit.arguments[key] for key in ("family_id", "from_level", "to_level")
    )
    return {
        "remove": _remove_operation(
            visit,
            PromotionRemove(family_id, from_level, to_level),
            confirm=f"Yes, remove the criteria from {from_level} to {to_level}",
            then=reverse("authoring:family", args=[family_id]),
            message="Removed the promotion criteria.",
        ),
    }


PROMOTION_PAGE = EditorPage(
    name="promotion",
    route=f"{FAMILY}promotions/<str:from_level>/<str:to_level>/",
    title="The criteria of one promotion: thresholds, required competencies, time, evidence, outcomes",
    template="promotion.html",
    address=lambda family_id, from_level, to_level: PromotionAddress(family_id, from_level, to_level),
    form=forms.PromotionForm,
    operations=_promotion_operations,
    context=lambda visit, operations: {
        "family": visit.resolve(FamilyAddress(visit.arguments["family_id"])),
        "criteria": visit.target,
    },
)


# --- a track, its levels and behaviours ------------------------------------------------------------------


def _other_levels(visit: Visit) -> list[str]:
    family = visit.resolve(FamilyAddress(visit.arguments["family_id"]))
    return [level.code for other in family.tracks if other is not visit.target for level in other.levels]


def _track_operations(visit: Visit) -> dict[str, Operation]:
    family_id, track_id, track, revision = (
        visit.arguments["family_id"],
        visit.arguments["track_id"],
        visit.target,
        visit.revision,
    )
    here = reverse("authoring:track", args=[family_id, track_id])
    return {
        "crossover": Operation(
            lambda data: forms.CrossoverForm(
                data,
                address=CrossoverAddress(family_id, track_id),
                target=track.crossover,
                structure=visit.structure,
                track=track,
                other_levels=_other_levels(visit),
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
        "rename": _rename_operation(
            visit,
            lambda new: TrackRename(family_id, track_id, new),
            then=lambda new: reverse("authoring:track", args=[family_id, new]),
            message="Renamed the track.",
        ),
        "remove": _remove_operation(
            visit,
            TrackRemove(family_id, track_id),
            confirm=f"Yes, remove {track.name} with its levels",
            then=reverse("authoring:family", args=[family_id]),
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
            lambda data: forms.LevelMoveForm(data, family_id=family_id, track_id=track_id, revision=revision),
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
    }


def _track_context(visit: Visit, operations: Operations) -> dict[str, Any]:
    track = visit.target
    family = visit.resolve(FamilyAddress(visit.arguments["family_id"]))
    crossover_editor = None
    if track.crossover is not None or (visit.structure and _other_levels(visit)):
        crossover = operations.forms["crossover"]
        crossover_editor = editor_form(
            cast(forms.FieldsEditor, crossover), visit.framework, visit.state.diagnostics
        )
    return {
        "family": family,
        "track": track,
        "crossover_editor": crossover_editor,
        "competencies": visit.framework.competencies_for(family, track),
        "levels": list(reversed(track.levels)),
    }


TRACK = f"{FAMILY}tracks/<str:track_id>/"

TRACK_PAGE = EditorPage(
    name="track",
    route=TRACK,
    title="A track: its name, kind and description, its crossover and its levels in order",
    template="track.html",
    address=lambda family_id, track_id: TrackAddress(family_id, track_id),
    form=forms.TrackForm,
    operations=_track_operations,
    context=_track_context,
)


def _level_operations(visit: Visit) -> dict[str, Operation]:
    family_id, track_id, code = (visit.arguments[key] for key in ("family_id", "track_id", "code"))
    return {
        "rename": _rename_operation(
            visit,
            lambda new: LevelRename(family_id, track_id, code, new),
            then=lambda new: reverse("authoring:level", args=[family_id, track_id, new]),
            message="Changed the level's code everywhere it is used.",
            label="New code",
            help_text='Letters, digits, ".", "_" or "-"; unique in the family.',
        ),
    }


LEVEL_PAGE = EditorPage(
    name="level",
    route=f"{TRACK}levels/<str:code>/",
    title="A level: name, title and its variants, scope; grade, band and minimum time (HR)",
    template="level.html",
    address=lambda family_id, track_id, code: LevelAddress(family_id, track_id, code),
    form=forms.LevelForm,
    operations=_level_operations,
    context=lambda visit, operations: {
        "family": visit.resolve(FamilyAddress(visit.arguments["family_id"])),
        "track": visit.resolve(TrackAddress(visit.arguments["family_id"], visit.arguments["track_id"])),
        "level": visit.target,
    },
)


def _assessed_competency(framework: Framework, address: Address) -> Any:
    """The competency whose line on the track the behaviours page edits; 404 when the track does not
    assess it."""
    assert isinstance(address, ExpectationAddress)
    family = resolve_or_404(framework, FamilyAddress(address.family))
    track = resolve_or_404(framework, TrackAddress(address.family, address.track))
    competency = next(
        (c for c in framework.competencies_for(family, track) if c.id == address.competency), None
    )
    if competency is None:
        raise Http404("the track does not assess this competency")
    return competency


def _behaviours_form(visit: Visit, data: Any) -> forms.FieldsEditor:
    return forms.BehavioursForm(
        data,
        family_id=visit.arguments["family_id"],
        track=visit.resolve(TrackAddress(visit.arguments["family_id"], visit.arguments["track_id"])),
        competency_id=visit.arguments["competency_id"],
        framework=visit.framework,
        revision=visit.revision,
        lint_url=visit.lint_url,
    )


@dataclass(frozen=True, slots=True)
class AgreementBadge:
    """Rater agreement beside one level's description: its words and whether it is flagged."""

    text: str
    flagged: bool


def _agreement_badges(visit: Visit) -> dict[str, AgreementBadge] | None:
    """Each level's agreement badge for the page's competency and track, or None when the viewer
    may not see agreement figures (they may edit the family's descriptions: co-authors and HR)."""
    family_id = visit.arguments["family_id"]
    reader = viewer(visit.request)
    if not policy.can(reader, Action.AGREEMENT_VIEW, family_id):
        return None
    figures = description_agreement_get(
        viewer=reader,
        family_id=family_id,
        track_id=visit.arguments["track_id"],
        competency_id=visit.arguments["competency_id"],
    )
    track = visit.resolve(TrackAddress(family_id, visit.arguments["track_id"]))
    return {
        level.code: AgreementBadge(
            figure_text(figures.get(level.code)),
            level.code in figures and figures[level.code].flagged,
        )
        for level in track.levels
    }


def _behaviour_rows(visit: Visit, editor: EditorForm) -> dict[str, Any]:
    track = visit.resolve(TrackAddress(visit.arguments["family_id"], visit.arguments["track_id"]))
    badges = _agreement_badges(visit)
    return {
        "agreement_shown": badges is not None,
        "may_see_agreement_overview": policy.can(viewer(visit.request), Action.AGREEMENT_OVERVIEW),
        "levels": [
            (
                level,
                editor.row_by_name[f"{level.code}-proficiency"],
                editor.row_by_name[f"{level.code}-behaviour"],
                badges.get(level.code) if badges is not None else None,
            )
            for level in track.levels
        ],
    }


BEHAVIOURS_PAGE = EditorPage(
    name="behaviours",
    route=f"{TRACK}behaviours/<str:competency_id>/",
    title=(
        "The behavioural descriptions of one competency along one track: per level, the expected "
        "proficiency and the behaviour, with the findings beside each as one types"
    ),
    template="behaviours.html",
    address=lambda family_id, track_id, competency_id: ExpectationAddress(
        family_id, track_id, competency_id, None
    ),
    form=forms.BehavioursForm,
    build_form=_behaviours_form,
    target=_assessed_competency,
    context=lambda visit, operations: {
        "family": visit.resolve(FamilyAddress(visit.arguments["family_id"])),
        "track": visit.resolve(TrackAddress(visit.arguments["family_id"], visit.arguments["track_id"])),
        "competency": visit.target,
    },
    arrange=_behaviour_rows,
    save_message="Saved the behaviours.",
)


# --- lateral paths -----------------------------------------------------------------------------------


def _lateral_operations(visit: Visit) -> dict[str, Operation]:
    index = visit.arguments["index"]
    return {
        "remove": _remove_operation(
            visit,
            LateralPathRemove(index),
            confirm="Yes, remove this lateral path",
            then=reverse("authoring:framework"),
            message="Removed the lateral path.",
        ),
    }


LATERAL_PATH_PAGE = EditorPage(
    name="lateral_path",
    route="edit/lateral-paths/<int:index>/",
    title=(
        "A lateral path: its description and actions (co-authors of either family), what transfers "
        "and the gaps to close (HR)"
    ),
    template="lateral_path.html",
    address=lambda index: LateralPathAddress(index),
    form=forms.LateralPathForm,
    operations=_lateral_operations,
    context=lambda visit, operations: {"lateral": visit.target, "index": visit.arguments["index"]},
)

#: Every page of the editor, in the order of the URL configuration.
PAGES: tuple[EditorPage, ...] = (
    FRAMEWORK_PAGE,
    CORE_COMPETENCY_PAGE,
    LATERAL_PATH_PAGE,
    FAMILY_PAGE,
    COMPETENCY_PAGE,
    PROMOTION_PAGE,
    TRACK_PAGE,
    LEVEL_PAGE,
    BEHAVIOURS_PAGE,
)
