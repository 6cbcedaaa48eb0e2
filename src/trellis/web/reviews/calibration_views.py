"""Calibration pages: a cycle's groups (HR makes them and sets the target), a session's board, one
person in the session (adjust, note, confirm). Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.policy import Action
from trellis.web.reviews import calibration_services as services
from trellis.web.reviews.calibration_forms import AdjustForm, GroupCreateForm, NoteForm, TargetForm
from trellis.web.reviews.calibration_selectors import (
    calibration_board_get,
    calibration_cycle_get,
    calibration_group_get,
    calibration_participant_get,
    calibration_participant_page_get,
    share_text,
)


def _add_errors(form: Form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(None if field == NON_FIELD_ERRORS or field not in form.fields else field, problems)


def _cycle_page(request: HttpRequest, cycle_id: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    page = calibration_cycle_get(viewer=viewer(request), cycle_id=cycle_id)
    cycle = page.cycle
    context = {
        "page": page,
        "create_form": forms.get("create_form") or GroupCreateForm(managers=page.managers),
        "target_form": forms.get("target_form")
        or TargetForm(points=page.points, current=cycle.target_distribution),
        "target": [
            (point, share_text(float((cycle.target_distribution or {}).get(str(point), 0))))
            for point in page.points
        ]
        if cycle.target_distribution
        else None,
        "can_manage": policy.can(viewer(request), Action.CALIBRATION_MANAGE, cycle),
    }
    return render(request, "reviews/calibration/cycle.html", context, status=status)


@require_safe
def cycle_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    return _cycle_page(request, cycle_id)


@require_POST
def group_create(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    page = calibration_cycle_get(viewer=user, cycle_id=cycle_id)
    policy.require(user, Action.CALIBRATION_MANAGE, page.cycle)
    form = GroupCreateForm(request.POST, managers=page.managers)
    if form.is_valid():
        try:
            group = services.calibration_group_create(
                actor=user,
                cycle=page.cycle,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{group.name}: {group.participants.count()} people to calibrate.")
            return redirect("calibration:group", group_id=group.pk)
    return _cycle_page(request, cycle_id, status=400, create_form=form)


@require_POST
def target_set(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    page = calibration_cycle_get(viewer=user, cycle_id=cycle_id)
    policy.require(user, Action.CALIBRATION_MANAGE, page.cycle)
    form = TargetForm(request.POST, points=page.points, current=page.cycle.target_distribution)
    if form.is_valid():
        try:
            services.calibration_target_set(actor=user, cycle=page.cycle, shares=form.shares())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "Target distribution saved." if form.shares() else "Target distribution cleared."
            )
            return redirect("calibration:cycle", cycle_id=cycle_id)
    return _cycle_page(request, cycle_id, status=400, target_form=form)


@require_safe
def group_page(request: HttpRequest, group_id: int) -> HttpResponse:
    group = calibration_group_get(viewer=viewer(request), group_id=group_id)
    board = calibration_board_get(viewer=viewer(request), group=group)
    return render(request, "reviews/calibration/group.html", {"board": board, "group": group})


@require_POST
def group_close(request: HttpRequest, group_id: int) -> HttpResponse:
    user = signed_in(request)
    group = calibration_group_get(viewer=user, group_id=group_id)
    policy.require(user, Action.CALIBRATION_MANAGE, group.cycle)
    try:
        written = services.calibration_group_close(actor=user, group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(
            request,
            "reviews/calibration/group.html",
            {"board": calibration_board_get(viewer=user, group=group), "group": group},
            status=400,
        )
    messages.success(
        request, f"Session closed: calibrated ratings locked ({written} carried over unchanged)."
    )
    return redirect("calibration:group", group_id=group.pk)


def _participant_page(
    request: HttpRequest, group_id: int, participant_id: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = viewer(request)
    group = calibration_group_get(viewer=user, group_id=group_id)
    participant = calibration_participant_get(viewer=user, group=group, participant_id=participant_id)
    page = calibration_participant_page_get(viewer=user, group=group, participant=participant)
    failed = forms.get("adjust_form")
    adjust_forms = []
    for row in page.person.competencies:
        if failed is not None and failed.prefix == row.competency_id:
            adjust_forms.append((row, failed))
            continue
        adjust_forms.append(
            (
                row,
                AdjustForm(
                    points=page.points,
                    initial={
                        "competency_id": row.competency_id,
                        "revision": row.revision,
                        "score": row.effective,
                    },
                    prefix=row.competency_id,
                ),
            )
        )
    context = {
        "page": page,
        "group": group,
        "participant": participant,
        "adjust_forms": adjust_forms,
        "note_form": forms.get("note_form") or NoteForm(),
        "error": forms.get("error") or _hidden_form_errors(page, forms),
    }
    return render(request, "reviews/calibration/participant.html", context, status=status)


def _hidden_form_errors(page: Any, forms: dict[str, Any]) -> str:
    """The refusal of a form the page no longer shows (the session closed, the cycle left its
    calibration phase meanwhile), said at the top of the page instead."""
    shown = {"adjust_form": page.may_adjust, "note_form": page.may_note}
    return " ".join(
        str(message)
        for key, form in forms.items()
        if key in shown and form is not None and not shown[key]
        for message in form.non_field_errors()
    )


@require_safe
def participant_page(request: HttpRequest, group_id: int, participant_id: int) -> HttpResponse:
    return _participant_page(request, group_id, participant_id)


def _participant_for_writing(request: HttpRequest, group_id: int, participant_id: int, action: Action) -> Any:
    user = signed_in(request)
    group = calibration_group_get(viewer=user, group_id=group_id)
    participant = calibration_participant_get(viewer=user, group=group, participant_id=participant_id)
    policy.require(user, action, participant)
    return user, participant


@require_POST
def adjust(request: HttpRequest, group_id: int, participant_id: int) -> HttpResponse:
    user, participant = _participant_for_writing(request, group_id, participant_id, Action.CALIBRATION_ADJUST)
    # Each competency's form on the page is prefixed by its id, which the form also posts alone.
    competency_id = request.POST.get("competency", "")
    form = AdjustForm(request.POST, points=_points(participant), prefix=competency_id or None)
    if form.is_valid():
        try:
            services.calibration_rating_adjust(
                actor=user,
                participant=participant,
                competency_id=form.cleaned_data["competency_id"],
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Calibrated rating adjusted; the reason is kept with it.")
            return redirect("calibration:participant", group_id=group_id, participant_id=participant_id)
    return _participant_page(request, group_id, participant_id, status=400, adjust_form=form)


def _points(participant: Any) -> tuple[int, ...]:
    from trellis.web.reviews.calibration_scale import cycle_scale_points

    return cycle_scale_points(participant.cycle)


@require_POST
def note_add(request: HttpRequest, group_id: int, participant_id: int) -> HttpResponse:
    user, participant = _participant_for_writing(request, group_id, participant_id, Action.CALIBRATION_NOTES)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.calibration_note_add(actor=user, participant=participant, text=form.cleaned_data["text"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Note added.")
            return redirect("calibration:participant", group_id=group_id, participant_id=participant_id)
    return _participant_page(request, group_id, participant_id, status=400, note_form=form)


@require_POST
def confirm(request: HttpRequest, group_id: int, participant_id: int) -> HttpResponse:
    user, participant = _participant_for_writing(
        request, group_id, participant_id, Action.CALIBRATION_CONFIRM
    )
    try:
        services.calibration_confirm(actor=user, participant=participant)
    except ValidationError as error:
        return _participant_page(
            request, group_id, participant_id, status=400, error=" ".join(error.messages)
        )
    messages.success(request, f"{participant.person.full_name}: confirmed in calibration.")
    return redirect("calibration:group", group_id=group_id)
