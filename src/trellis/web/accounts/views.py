"""Sign in, sign out, password reset (Django's views, our templates and forms), and the admin pages
for accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_safe

from trellis.web import policy
from trellis.web.accounts import selectors
from trellis.web.accounts.forms import (
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    LabelledSetPasswordForm,
)
from trellis.web.accounts.models import User
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.policy import Action


class _AuditedLoginView(auth_views.LoginView):
    """Django's sign-in, recording each sign-in in the audit log (failures: the form)."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        account = form.get_user()
        audit_record(actor=account, action=AuditAction.USER_SIGNED_IN, target=account, request=self.request)
        return response


class _AuditedLogoutView(auth_views.LogoutView):
    """Django's sign-out, recording who signed out in the audit log."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = request.user
        response = super().post(request, *args, **kwargs)
        if isinstance(account, User):
            audit_record(actor=account, action=AuditAction.USER_SIGNED_OUT, target=account, request=request)
        return response


login = _AuditedLoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=EmailAuthenticationForm,
    redirect_authenticated_user=True,
)
logout = _AuditedLogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    form_class=EmailPasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=LabelledSetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@require_safe
def admin_overview(request: HttpRequest) -> HttpResponse:
    reader = viewer(request)
    policy.require(reader, Action.ADMIN_VIEW)
    return render(
        request,
        "accounts/admin.html",
        {
            "can_view_audit": policy.can(reader, Action.AUDIT_VIEW),
            "can_manage_roles": policy.can(reader, Action.ROLES_MANAGE),
        },
    )


ACCOUNTS_PER_PAGE = 50


@require_safe
def user_list(request: HttpRequest) -> HttpResponse:
    users = selectors.user_list(viewer=signed_in(request))
    page = Paginator(users, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})
