"""Invitations: HR and IT admins invite people to sign in (one, or everyone without a sign-in),
resend and revoke; the invited person opens the mailed link and chooses a password."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trellis.web import policy
from trellis.web.accounts import invitation_selectors as selectors
from trellis.web.accounts.forms import LabelledSetPasswordForm
from trellis.web.accounts.invitations import (
    PROBLEM_EXPLANATIONS,
    InvitationRefused,
    invitation_get_by_token,
    invitation_send_to_everyone_without_sign_in,
)
from trellis.web.accounts.invitations import (
    invitation_accept as accept,
)
from trellis.web.accounts.invitations import (
    invitation_revoke as revoke,
)
from trellis.web.accounts.invitations import (
    invitation_send as send,
)
from trellis.web.accounts.sign_in_status import SignInStatus
from trellis.web.accounts.viewer import signed_in
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.policy import Action

PEOPLE_PER_PAGE = 50


def base_url(request: HttpRequest) -> str:
    """Where links in mails point: ``TRELLIS_BASE_URL``, else this request's scheme and host
    (a host the app accepts: ``ALLOWED_HOSTS``)."""
    return settings.TRELLIS_BASE_URL or f"{request.scheme}://{request.get_host()}"


@require_safe
def invitation_list(request: HttpRequest) -> HttpResponse:
    """Every active person with their sign-in status and their invitation mail's (queued, sent,
    failed), 50 a page (filtered by status), the actions each status allows, and how many mails
    wait for the worker or failed."""
    user = signed_in(request)
    policy.require(user, Action.USER_INVITE)
    wanted = request.GET.get("status", "")
    status = SignInStatus(wanted) if wanted in SignInStatus.values else None
    people = selectors.person_sign_in_list(viewer=user, status=status)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "page": page,
            "page_query": f"status={status.value}" if status is not None else "",
            "status": status,
            "statuses": SignInStatus,
            "without_sign_in": selectors.people_without_sign_in_count(viewer=user),
            "mails": selectors.invitation_mail_counts(viewer=user),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    return redirect("accounts:invitations")


@require_POST
def invitation_send(request: HttpRequest, person_id: int) -> HttpResponse:
    user = signed_in(request)
    person = selectors.person_for_invitation_get(viewer=user, person_id=person_id)
    outcome = send(actor=user, person=person, base_url=base_url(request))
    level = messages.SUCCESS if outcome.invited else messages.ERROR
    messages.add_message(request, level, outcome.summary_for_one())
    return _back(request)


@require_POST
def invitation_resend(request: HttpRequest, person_id: int) -> HttpResponse:
    user = signed_in(request)
    person = selectors.person_for_invitation_get(viewer=user, person_id=person_id)
    outcome = send(actor=user, person=person, base_url=base_url(request), resend=True)
    level = messages.SUCCESS if outcome.invited else messages.ERROR
    messages.add_message(request, level, outcome.summary_for_one())
    return _back(request)


@require_POST
def invitation_revoke(request: HttpRequest, person_id: int) -> HttpResponse:
    user = signed_in(request)
    person = selectors.person_for_invitation_get(viewer=user, person_id=person_id)
    if revoke(actor=user, person=person):
        messages.success(request, f"Revoked {person.full_name}'s invitation: its link no longer works.")
    else:
        messages.error(request, f"{person.full_name} has no open invitation to revoke.")
    return _back(request)


class SendToEveryoneForm(forms.Form):
    """The bulk invitation's one field: what it reaches, so that an empty POST invites nobody."""

    scope = forms.ChoiceField(choices=[("without_sign_in", "Everyone without a sign-in")])


@require_POST
def invitation_send_all(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    policy.require(user, Action.USER_INVITE)
    form = SendToEveryoneForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("say whom to invite: scope=without_sign_in")
    outcome = invitation_send_to_everyone_without_sign_in(actor=user, base_url=base_url(request))
    level = messages.SUCCESS if outcome.queued else messages.INFO
    messages.add_message(request, level, outcome.summary())
    return _back(request)


class InvitationPasswordForm(LabelledSetPasswordForm):
    """The password an invited person chooses, checked by the password validators."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Password again"


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link: choose a password, then be signed in and sent home. A link that cannot be
    used (unknown, used, expired, replaced, withdrawn) is a page saying so; nothing changes."""
    try:
        invitation = invitation_get_by_token(token)
    except InvitationRefused as refused:
        return _refused(request, refused)
    form = InvitationPasswordForm(invitation.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            account = accept(token=token, password=form.cleaned_data["new_password1"])
        except InvitationRefused as refused:
            return _refused(request, refused)
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            login(request, account, backend=settings.AUTHENTICATION_BACKENDS[0])
            audit_record(actor=account, action=AuditAction.USER_SIGNED_IN, target=account, request=request)
            messages.success(request, "Your password is set and you are signed in. Welcome to Trellis.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


def _refused(request: HttpRequest, refused: InvitationRefused) -> HttpResponse:
    problem = refused.problem
    return render(
        request,
        "accounts/invitation_refused.html",
        {"heading": problem.label, "explanation": PROBLEM_EXPLANATIONS[problem]},
        status=404 if problem == "unknown" else 410,
    )
