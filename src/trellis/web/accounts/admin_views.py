"""The admin pages that change accounts: deactivating and reactivating an account (with a reason),
and the roles page, where HR appoints and removes HR admins, IT admins and co-authors (IT admins
may look). Thin: forms read the input, the services decide and write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trellis.web import policy
from trellis.web.accounts import selectors
from trellis.web.accounts.forms import AccountStatusForm, RoleAddForm, RoleRemoveForm
from trellis.web.accounts.services import ROLE_LABELS, user_set_active, user_set_role
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.frameworks.services import family_coauthor_add, family_coauthor_remove
from trellis.web.policy import Action


def _add_errors(form: Any, refused: ValidationError, default_field: str | None) -> None:
    if hasattr(refused, "error_dict"):
        for name, errors in refused.message_dict.items():
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, refused.messages)


@require_http_methods(["GET", "HEAD", "POST"])
def user_status(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate an active account or reactivate an inactive one, with a reason (IT and HR admins)."""
    reader = viewer(request)
    account = selectors.user_get(viewer=reader, user_id=user_id)
    activating = not account.is_active
    form = AccountStatusForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user_set_active(
                    actor=signed_in(request),
                    user=account,
                    is_active=activating,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as refused:
                _add_errors(form, refused, None)
            else:
                messages.success(
                    request,
                    "Account reactivated: it can sign in again, without any role."
                    if activating
                    else "Account deactivated: its sessions are ended and its roles removed.",
                )
                return redirect("accounts:users")
    return render(
        request,
        "accounts/user_status.html",
        {
            "account": account,
            "activating": activating,
            "form": form,
            "is_self": account.pk == getattr(reader, "pk", None),
            "last_change": selectors.user_status_change_latest(viewer=reader, user=account),
        },
        status=status,
    )


def _roles_page(
    request: HttpRequest, *, add_form: RoleAddForm | None = None, status: int = 200
) -> HttpResponse:
    reader = viewer(request)
    roles = selectors.roles_get(viewer=reader)
    if add_form is None and roles.can_manage:
        add_form = RoleAddForm(families=roles.family_choices)
    return render(
        request,
        "accounts/roles.html",
        {
            "roles": roles,
            "add_form": add_form,
            "suggestions": selectors.active_account_emails(viewer=reader) if roles.can_manage else [],
        },
        status=status,
    )


@require_safe
def roles(request: HttpRequest) -> HttpResponse:
    """Who holds each role; for HR, the forms to appoint and remove."""
    return _roles_page(request)


@require_POST
def role_add(request: HttpRequest) -> HttpResponse:
    """Appoint an active account as HR admin, IT admin or co-author of a family (HR)."""
    reader = viewer(request)
    policy.require(reader, Action.ROLES_MANAGE)
    form = RoleAddForm(request.POST, families=selectors.roles_get(viewer=reader).family_choices)
    if form.is_valid():
        actor = signed_in(request)
        user = form.cleaned_data["user"]
        role = form.cleaned_data["role"]
        try:
            if role == "coauthor":
                family_coauthor_add(actor=actor, user=user, family_id=form.cleaned_data["family"])
            else:
                user_set_role(actor=actor, user=user, role=role, held=True)
        except ValidationError as refused:
            _add_errors(form, refused, "email")
        else:
            messages.success(request, "Role given.")
            return redirect("accounts:roles")
    return _roles_page(request, add_form=form, status=400)


@require_POST
def role_remove(request: HttpRequest) -> HttpResponse:
    """Take a role from an account (HR). The last active HR admin keeps theirs."""
    policy.require(viewer(request), Action.ROLES_MANAGE)
    form = RoleRemoveForm(request.POST)
    if not form.is_valid():
        return _roles_page(request, status=400)
    actor = signed_in(request)
    user = form.cleaned_data["user"]
    role = form.cleaned_data["role"]
    if role == "coauthor":
        family_coauthor_remove(actor=actor, user=user, family_id=form.cleaned_data["family"])
    else:
        try:
            user_set_role(actor=actor, user=user, role=role, held=False)
        except ValidationError as refused:
            messages.error(request, f"Not removed: {' '.join(refused.messages)}.")
            return _roles_page(request, status=400)
    label = ROLE_LABELS.get(role, "Co-author")
    messages.success(request, f"{label} role removed.")
    return redirect("accounts:roles")
