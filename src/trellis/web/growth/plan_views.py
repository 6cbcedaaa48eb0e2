"""The development plan of one person: its page (goals toward a target level, their actions,
progress updates and check-ins, and how far it has come), a plan drafted in one click from the gaps
toward a level, and the writes of the page's forms.

The person owns the plan and their manager supports it (`Action.PLAN_EDIT`); the skip-level manager
and HR read it (`Action.PLAN_VIEW`); anyone else is answered 404. A refused form answers 400 with the
page and the error beside its field; nothing is stored then.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer, signed_in, viewer
from trellis.web.form_fields import add_service_errors
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth import plan_services
from trellis.web.growth.models import DevelopmentPlan
from trellis.web.growth.plan_forms import (
    ActionForm,
    ActionStatusForm,
    CheckInForm,
    GoalForm,
    GoalStatusForm,
    ProgressForm,
)
from trellis.web.growth.plan_selectors import (
    action_get,
    competency_names,
    goal_get,
    key_result_choices,
    plan_current,
    plan_page_get,
)
from trellis.web.people.models import Person
from trellis.web.people.selectors import person_get
from trellis.web.policy import Action
from trellis.web.promotions.selectors import target_label


def _plan_person(request: HttpRequest, person_id: int) -> tuple[Viewer, Person]:
    reader = viewer(request)
    person = person_get(viewer=reader, person_id=person_id)
    policy.require_visible(reader, Action.PLAN_VIEW, person)
    return reader, person


def _goal_form(reader: Viewer, person: Person, data: Any = None) -> GoalForm:
    published = framework_published_get(viewer=reader)
    framework = published.framework if published is not None else None
    names = competency_names(framework, person.family_id)
    scale = framework.scale if framework is not None else None
    levels = list(range(1, (scale.maximum if scale is not None else 5) + 1))
    return GoalForm(
        data,
        prefix="goal",
        competencies=sorted(names.items(), key=lambda item: item[1]),
        levels=levels,
        key_results=key_result_choices(viewer=reader, person=person),
    )


def _render(
    request: HttpRequest,
    reader: Viewer,
    person: Person,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan page; `bound` holds a refused form by its key ("goal", "check_in", "action-<goal
    id>", "progress-<goal id>", "goal_status-<goal id>", "action_status-<action id>")."""
    bound = bound or {}
    published = framework_published_get(viewer=reader)
    page = plan_page_get(viewer=reader, person=person, framework=published.framework if published else None)
    editable = (
        policy.can(reader, Action.PLAN_EDIT, person)
        and page.plan is not None
        and page.plan.status == DevelopmentPlan.Status.ACTIVE
    )
    goals = []
    for view in page.goals:
        goal_id = view.goal.pk
        goals.append(
            {
                "view": view,
                "status_form": bound.get(f"goal_status-{goal_id}")
                or GoalStatusForm(initial={"status": view.goal.status}, prefix=f"goal-status-{goal_id}"),
                "action_form": bound.get(f"action-{goal_id}") or ActionForm(prefix=f"action-{goal_id}"),
                "progress_form": bound.get(f"progress-{goal_id}")
                or ProgressForm(prefix=f"progress-{goal_id}"),
                "actions": [
                    {
                        "action": action,
                        "form": bound.get(f"action_status-{action.pk}")
                        or ActionStatusForm(
                            initial={"status": action.status}, prefix=f"action-status-{action.pk}"
                        ),
                    }
                    for action in view.actions
                ],
            }
        )
    context = {
        "person": person,
        "own": policy.viewer_person(reader) == person,
        "page": page,
        "goals": goals,
        "editable": editable,
        "goal_form": bound.get("goal") or _goal_form(reader, person),
        "check_in_form": bound.get("check_in") or CheckInForm(prefix="check-in"),
        "may_draft": policy.can(reader, Action.PLAN_EDIT, person),
    }
    return render(request, "growth/plan_page.html", context, status=status)


def _to_plan(person: Person, anchor: str = "") -> HttpResponse:
    return redirect(reverse("growth:plan", args=[person.pk]) + (f"#{anchor}" if anchor else ""))


@require_safe
def plan_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's development plan (their active one, else their latest)."""
    reader, person = _plan_person(request, person_id)
    return _render(request, reader, person)


@require_POST
def plan_draft(request: HttpRequest, person_id: int) -> HttpResponse:
    """Draft (or extend) the plan toward the level ``target`` from the person's largest gaps. A
    refusal (a level the framework lacks, nothing short) goes back to the gaps toward that level,
    saying why."""
    reader, person = _plan_person(request, person_id)
    policy.require(reader, Action.PLAN_EDIT, person)
    target = request.POST.get("target", "")
    try:
        result = plan_services.plan_draft_from_gaps(actor=signed_in(request), person=person, target=target)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        gaps = reverse("growth:gaps", args=[person.pk])
        return redirect(f"{gaps}?{urlencode({'target': target}, safe='/')}" if target else gaps)
    names = [goal.title for goal in result.added]
    if names:
        text = f"{'Plan drafted' if result.created else 'Plan updated'}: {wording.listing(names)}."
    else:
        text = "The plan has a goal for each of these gaps already."
    if result.archived is not None:
        text += " " + wording.plan_archived(_target_of(result.archived, reader))
    messages.success(request, text)
    return _to_plan(person)


def _target_of(plan: DevelopmentPlan, reader: Viewer) -> str:
    published = framework_published_get(viewer=reader)
    framework = published.framework if published is not None else None
    return target_label(framework, plan.target_family_id, plan.target_track_id, plan.target_level_code)


def _active_plan(person: Person) -> DevelopmentPlan | None:
    plan = plan_current(person=person)
    return plan if plan is not None and plan.status == DevelopmentPlan.Status.ACTIVE else None


@require_POST
def goal_add(request: HttpRequest, person_id: int) -> HttpResponse:
    reader, person = _plan_person(request, person_id)
    policy.require(reader, Action.PLAN_EDIT, person)
    form = _goal_form(reader, person, request.POST)
    plan = _active_plan(person)
    if plan is None:
        form.is_valid()
        form.add_error(None, "Draft a plan toward a level first (from the gaps or the career paths).")
    elif form.is_valid():
        try:
            plan_services.goal_add(
                actor=signed_in(request),
                plan=plan,
                title=form.cleaned_data["title"],
                competency_id=form.cleaned_data["competency_id"],
                target_proficiency=form.cleaned_data["target_proficiency"],
                key_result_id=form.cleaned_data["key_result"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "Goal added.")
            return _to_plan(person)
    return _render(request, reader, person, bound={"goal": form}, status=400)


@require_POST
def check_in_add(request: HttpRequest, person_id: int) -> HttpResponse:
    reader, person = _plan_person(request, person_id)
    policy.require(reader, Action.PLAN_EDIT, person)
    form = CheckInForm(request.POST, prefix="check-in")
    plan = _active_plan(person)
    if plan is None:
        form.is_valid()
        form.add_error(None, "There is no active plan to check in on.")
    elif form.is_valid():
        try:
            plan_services.check_in_add(
                actor=signed_in(request),
                plan=plan,
                happened_on=form.cleaned_data["happened_on"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "Check-in recorded.")
            return _to_plan(person, "check-ins")
    return _render(request, reader, person, bound={"check_in": form}, status=400)


@require_POST
def goal_status(request: HttpRequest, goal_id: int) -> HttpResponse:
    reader = viewer(request)
    goal = goal_get(viewer=reader, goal_id=goal_id)
    person = goal.plan.person
    policy.require(reader, Action.PLAN_EDIT, person)
    form = GoalStatusForm(request.POST, prefix=f"goal-status-{goal.pk}")
    if form.is_valid():
        try:
            plan_services.goal_status_set(
                actor=signed_in(request), goal=goal, status=form.cleaned_data["status"]
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"“{goal.title}” is {goal.get_status_display().lower()}.")
            return _to_plan(person, f"goal-{goal.pk}")
    return _render(request, reader, person, bound={f"goal_status-{goal.pk}": form}, status=400)


@require_POST
def action_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    reader = viewer(request)
    goal = goal_get(viewer=reader, goal_id=goal_id)
    person = goal.plan.person
    policy.require(reader, Action.PLAN_EDIT, person)
    form = ActionForm(request.POST, prefix=f"action-{goal.pk}")
    if form.is_valid():
        try:
            plan_services.action_add(
                actor=signed_in(request),
                goal=goal,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                link=form.cleaned_data["link"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "Action added.")
            return _to_plan(person, f"goal-{goal.pk}")
    return _render(request, reader, person, bound={f"action-{goal.pk}": form}, status=400)


@require_POST
def progress_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    reader = viewer(request)
    goal = goal_get(viewer=reader, goal_id=goal_id)
    person = goal.plan.person
    policy.require(reader, Action.PLAN_EDIT, person)
    form = ProgressForm(request.POST, prefix=f"progress-{goal.pk}")
    if form.is_valid():
        try:
            plan_services.progress_add(
                actor=signed_in(request),
                goal=goal,
                text=form.cleaned_data["text"],
                percent=form.cleaned_data["percent"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "Progress recorded.")
            return _to_plan(person, f"goal-{goal.pk}")
    return _render(request, reader, person, bound={f"progress-{goal.pk}": form}, status=400)


@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    reader = viewer(request)
    action = action_get(viewer=reader, action_id=action_id)
    person = action.goal.plan.person
    policy.require(reader, Action.PLAN_EDIT, person)
    form = ActionStatusForm(request.POST, prefix=f"action-status-{action.pk}")
    if form.is_valid():
        try:
            plan_services.action_status_set(
                actor=signed_in(request),
                action=action,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            text = f"“{action.title}” is {action.get_status_display().lower()}."
            if action.evidence_id is not None and form.cleaned_data["evidence"]:
                text += " Its evidence is recorded."
            messages.success(request, text)
            return _to_plan(person, f"goal-{action.goal_id}")
    return _render(request, reader, person, bound={f"action_status-{action.pk}": form}, status=400)
