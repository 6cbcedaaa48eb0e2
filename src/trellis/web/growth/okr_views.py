"""The objectives page: the OKR tree (company → team → personal objectives, each with its key
results and its progress rolled up), with the forms to add an objective or a key result and to
record a key result's current value.

Every signed-in person reads the page; personal objectives show to their owner, their manager
chain and HR only (`okr_selectors`). A refused form answers 400 with the page and the error beside
its field; nothing is stored then.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer, signed_in, viewer
from trellis.web.form_fields import add_service_errors
from trellis.web.growth import okr_services
from trellis.web.growth.models import Objective
from trellis.web.growth.okr_forms import KeyResultForm, MeasureForm, ObjectiveForm
from trellis.web.growth.okr_selectors import (
    ObjectiveNode,
    key_result_get,
    objective_get,
    objective_tree_get,
    parent_choices,
)
from trellis.web.policy import Action


def _objective_form(reader: Viewer, data: object = None) -> ObjectiveForm:
    levels = [
        (value, label)
        for value, label in Objective.Level.choices
        if policy.can(reader, Action.OBJECTIVE_CREATE, value)
    ]
    # A company objective is the parent of a team one, a team objective of a personal one.
    parents = [
        (value, f"{label}: {title}")
        for label, child in (("Company", Objective.Level.TEAM), ("Team", Objective.Level.PERSONAL))
        for value, title in parent_choices(viewer=reader, level=child)
    ]
    today = timezone.localdate()
    initial = {"starts_on": today, "ends_on": today.replace(month=12, day=31), "weight": 1.0}
    if levels:
        initial["level"] = levels[-1][0]
    return ObjectiveForm(data, prefix="objective", levels=levels, parents=parents, initial=initial)


def _flatten(nodes: list[ObjectiveNode], depth: int = 0) -> list[tuple[ObjectiveNode, int]]:
    rows = []
    for node in nodes:
        rows.append((node, depth))
        rows.extend(_flatten(node.children, depth + 1))
    return rows


def _render(
    request: HttpRequest, reader: Viewer, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    tree = objective_tree_get(viewer=reader)
    rows = []
    for node, depth in _flatten(tree):
        objective = node.objective
        rows.append(
            {
                "node": node,
                "depth": min(depth, 2),
                "progress": wording.okr_progress(node.progress),
                "key_results": [
                    {
                        "key_result": key_result,
                        "progress": wording.okr_progress(share),
                        "share": share,
                        "form": bound.get(f"measure-{key_result.pk}")
                        or MeasureForm(
                            prefix=f"measure-{key_result.pk}",
                            initial={"current_value": key_result.current_value},
                        ),
                    }
                    for key_result, share in node.key_results
                ],
                "key_result_form": bound.get(f"key_result-{objective.pk}")
                or KeyResultForm(prefix=f"key-result-{objective.pk}"),
            }
        )
    objective_form = bound.get("objective") or _objective_form(reader)
    context = {
        "rows": rows,
        "objective_form": objective_form,
        "may_create": bool(objective_form.fields["level"].choices),  # type: ignore[attr-defined]
    }
    return render(request, "growth/okr_tree.html", context, status=status)


def _to_tree(anchor: str = "") -> HttpResponse:
    return redirect(reverse("growth:objectives") + (f"#{anchor}" if anchor else ""))


@require_safe
def objectives(request: HttpRequest) -> HttpResponse:
    """The OKR tree."""
    reader = viewer(request)
    policy.require(reader, Action.OKR_VIEW)
    return _render(request, reader)


@require_POST
def objective_add(request: HttpRequest) -> HttpResponse:
    reader = viewer(request)
    policy.require(reader, Action.OKR_VIEW)
    form = _objective_form(reader, request.POST)
    if not form.fields["level"].choices:  # type: ignore[attr-defined]
        policy.require(reader, Action.OBJECTIVE_CREATE, "personal")
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"] is not None:
            parent = Objective.objects.filter(pk=data["parent"]).first()
        try:
            objective = okr_services.objective_create(
                actor=signed_in(request),
                level=data["level"],
                title=data["title"],
                parent=parent,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                weight=data["weight"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"Objective “{objective.title}” added.")
            return _to_tree(f"objective-{objective.pk}")
    return _render(request, reader, bound={"objective": form}, status=400)


@require_POST
def key_result_add(request: HttpRequest, objective_id: int) -> HttpResponse:
    reader = viewer(request)
    objective = objective_get(viewer=reader, objective_id=objective_id)
    policy.require(reader, Action.OBJECTIVE_EDIT, objective)
    form = KeyResultForm(request.POST, prefix=f"key-result-{objective.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            okr_services.key_result_create(
                actor=signed_in(request),
                objective=objective,
                title=data["title"],
                start_value=data["start_value"],
                target_value=data["target_value"],
                unit=data["unit"],
                weight=data["weight"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "Key result added.")
            return _to_tree(f"objective-{objective.pk}")
    return _render(request, reader, bound={f"key_result-{objective.pk}": form}, status=400)


@require_POST
def key_result_measure(request: HttpRequest, key_result_id: int) -> HttpResponse:
    reader = viewer(request)
    key_result = key_result_get(viewer=reader, key_result_id=key_result_id)
    policy.require(reader, Action.OBJECTIVE_EDIT, key_result.objective)
    form = MeasureForm(request.POST, prefix=f"measure-{key_result.pk}")
    if form.is_valid():
        try:
            okr_services.key_result_measure(
                actor=signed_in(request),
                key_result=key_result,
                current_value=form.cleaned_data["current_value"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(
                request, f"“{key_result.title}” is at {wording.number(key_result.current_value or 0)}."
            )
            return _to_tree(f"objective-{key_result.objective_id}")
    return _render(request, reader, bound={f"measure-{key_result.pk}": form}, status=400)
