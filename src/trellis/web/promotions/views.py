"""The promotion pages: the viewer's Promotions page (their own requests and outcomes, their
reports' cases, the endorsements awaiting them), asking for a conversation, nominating, the
nomination packet with its actions (the manager's case, declining a request, the skip-level
endorsement, the committee's decision), the committee queue, and HR's overview and committees.

Views stay thin: the policy decides, selectors read, services write. A refused form answers 400
with the page and the errors beside their fields; nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.accounts.viewer import Viewer, signed_in, viewer
from trellis.web.form_fields import add_service_errors
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.selectors import person_get
from trellis.web.policy import Action
from trellis.web.promotions import selectors, services
from trellis.web.promotions.forms import (
    CaseForm,
    CommitteeForm,
    DecisionForm,
    DeclineForm,
    EndorseForm,
    NominationForm,
    TargetForm,
    WithdrawForm,
)
from trellis.web.promotions.models import Endorsement, Nomination


def _framework(reader: Viewer) -> Framework | None:
    published = framework_published_get(viewer=reader)
    return published.framework if published is not None else None


def _with_targets(framework: Framework | None, nominations: list[Nomination]) -> list[tuple[Nomination, str]]:
    """Each nomination with its target level in words."""
    return [(n, selectors.nomination_target(framework, n)) for n in nominations]


def _key(target: tuple[str, str, str] | None) -> str:
    return "/".join(target) if target is not None else ""


@require_safe
def promotions_index(request: HttpRequest) -> HttpResponse:
    """The viewer's Promotions page."""
    reader = viewer(request)
    policy.require(reader, Action.PROMOTION_LIST)
    framework = _framework(reader)
    managed = _with_targets(framework, selectors.managed_case_list(viewer=reader))
    context = {
        "own_cases": selectors.own_case_list(viewer=reader, framework=framework),
        "requests": [row for row in managed if row[0].status == Nomination.Status.REQUESTED],
        "nominations": [row for row in managed if row[0].status != Nomination.Status.REQUESTED],
        "to_endorse": selectors.endorsement_list(viewer=reader),
        "may_queue": policy.can(reader, Action.PROMOTION_QUEUE),
        "may_overview": policy.can(reader, Action.PROMOTION_OVERVIEW),
    }
    return render(request, "promotions/index.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def promotion_request_page(request: HttpRequest) -> HttpResponse:
    """An employee asks their manager for a promotion conversation about a target level."""
    reader = viewer(request)
    policy.require(reader, Action.PROMOTION_REQUEST)
    framework = _framework(reader)
    choices = selectors.target_choices(framework)
    person = policy.viewer_person(reader)
    if request.method == "POST":
        form = TargetForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                services.promotion_request(actor=signed_in(request), target=form.chosen_target())
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, "Asked. Your manager sees your request on their Promotions page.")
                return redirect("promotions:index")
        status = 400
    else:
        initial = services.next_level_of(reader, person) if person is not None else None
        form = TargetForm(initial={"target": _key(initial)}, choices=choices)
        status = 200
    return render(request, "promotions/request.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def nominate_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The manager nominates a direct report: target (their next level by default) and the case."""
    reader = viewer(request)
    person = person_get(viewer=reader, person_id=person_id)
    policy.require(reader, Action.PROMOTION_NOMINATE, person)
    framework = _framework(reader)
    choices = selectors.target_choices(framework)
    next_level = services.next_level_of(reader, person)
    if next_level is None:
        # At the top of their track: no level is offered by default (the first of the list would be
        # the track's lowest), the manager chooses one on another track.
        choices = [("", "Choose a level"), *choices]
    if request.method == "POST":
        form = NominationForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                nomination = services.nomination_create(
                    actor=signed_in(request),
                    person=person,
                    target=form.chosen_target(),
                    case=form.cleaned_data["case"],
                    submit="submit" in request.POST,
                )
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(
                    request,
                    "Submitted to the promotion committee." if "submit" in request.POST else "Draft saved.",
                )
                return redirect(_packet_url(nomination))
        status = 400
    else:
        form = NominationForm(initial={"target": _key(next_level)}, choices=choices)
        status = 200
    open_cases = selectors.open_case_list(viewer=reader, person=person, framework=framework)
    context = {"person": person, "form": form, "open_cases": open_cases, "at_top": next_level is None}
    return render(request, "promotions/nominate.html", context, status=status)


def _packet_page(
    request: HttpRequest, nomination: Nomination, *, status: int = 200, **forms_given: forms.Form
) -> HttpResponse:
    reader = viewer(request)
    framework = _framework(reader)
    packet = selectors.packet_get(viewer=reader, nomination=nomination, framework=framework)
    open_case = nomination.status in (Nomination.Status.REQUESTED, Nomination.Status.DRAFT)
    submitted = nomination.status == Nomination.Status.SUBMITTED
    may_nominate = open_case and policy.can(reader, Action.PROMOTION_NOMINATE, nomination.person)
    skip_endorsed = any(e.role == Endorsement.Role.SKIP_LEVEL for e in packet.endorsements)
    may_endorse = submitted and not skip_endorsed and policy.can(reader, Action.PROMOTION_ENDORSE, nomination)
    may_decide = submitted and policy.can(reader, Action.PROMOTION_DECIDE, nomination)
    context: dict[str, Any] = {
        "packet": packet,
        "nomination": nomination,
        "criteria": selectors.readiness_criteria(packet.readiness),
        "may_nominate": may_nominate,
        "may_decline": may_nominate and nomination.status == Nomination.Status.REQUESTED,
        "may_withdraw": nomination.status in (Nomination.Status.DRAFT, Nomination.Status.SUBMITTED)
        and policy.can(reader, Action.PROMOTION_NOMINATE, nomination.person),
        "may_endorse": may_endorse,
        "may_decide": may_decide,
        "skip_endorsed": skip_endorsed,
        "case_form": forms_given.get("case_form") or CaseForm(initial={"case": nomination.case}),
        "decline_form": forms_given.get("decline_form") or DeclineForm(),
        "withdraw_form": forms_given.get("withdraw_form") or WithdrawForm(),
        "endorse_form": forms_given.get("endorse_form") or EndorseForm(),
        "decision_form": forms_given.get("decision_form") or DecisionForm(),
    }
    return render(request, "promotions/packet.html", context, status=status)


@require_safe
def packet_page(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """The nomination packet: readiness, ratings and evidence per competency, the case, the
    endorsements and the decision, with the actions the viewer may take."""
    nomination = selectors.nomination_get(viewer=viewer(request), nomination_id=nomination_id)
    return _packet_page(request, nomination)


#: A packet form's write: given the actor, the nomination and the form's cleaned data, it writes
#: (or raises ValidationError) and says what to tell the viewer and where to send them.
PacketWrite = Callable[[User, Nomination, dict[str, Any]], tuple[str, str]]


def _packet_form(
    request: HttpRequest,
    nomination_id: int,
    *,
    action: Action,
    form_class: type[forms.Form],
    form_name: str,
    write: PacketWrite,
) -> HttpResponse:
    """A POST of one of the packet's forms: 404 unless the viewer may read the packet, 403 unless
    they may take `action`, 400 with the packet and the form's errors when it is refused."""
    reader = viewer(request)
    nomination = selectors.nomination_get(viewer=reader, nomination_id=nomination_id)
    policy.require(reader, action, nomination.person if action is Action.PROMOTION_NOMINATE else nomination)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message, next_url = write(signed_in(request), nomination, form.cleaned_data)
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, message)
            return redirect(next_url)
    return _packet_page(request, _fresh(reader, nomination), status=400, **{form_name: form})


def _packet_url(nomination: Nomination) -> str:
    return reverse("promotions:packet", kwargs={"nomination_id": nomination.pk})


@require_POST
def case_save(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """The manager's case saved (a request becomes their draft), or submitted."""
    submit = "submit" in request.POST

    def write(actor: User, nomination: Nomination, data: dict[str, Any]) -> tuple[str, str]:
        services.nomination_save(actor=actor, nomination=nomination, case=data["case"], submit=submit)
        return ("Submitted to the promotion committee." if submit else "Draft saved."), _packet_url(
            nomination
        )

    return _packet_form(
        request, nomination_id, action=Action.PROMOTION_NOMINATE, form_class=CaseForm, form_name="case_form",
        write=write,
    )  # fmt: skip


@require_POST
def request_decline(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """The manager declines a request for a promotion conversation, with the reason."""

    def write(actor: User, nomination: Nomination, data: dict[str, Any]) -> tuple[str, str]:
        services.nomination_decline_request(actor=actor, nomination=nomination, reason=data["reason"])
        return "Request declined; the employee sees your reason.", reverse("promotions:index")

    return _packet_form(
        request, nomination_id, action=Action.PROMOTION_NOMINATE, form_class=DeclineForm,
        form_name="decline_form", write=write,
    )  # fmt: skip


@require_POST
def withdraw(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """The manager withdraws their nomination before it is decided, with the reason."""

    def write(actor: User, nomination: Nomination, data: dict[str, Any]) -> tuple[str, str]:
        services.nomination_withdraw(actor=actor, nomination=nomination, reason=data["reason"])
        return "Nomination withdrawn.", reverse("promotions:index")

    return _packet_form(
        request, nomination_id, action=Action.PROMOTION_NOMINATE, form_class=WithdrawForm,
        form_name="withdraw_form", write=write,
    )  # fmt: skip


@require_POST
def endorse(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """The skip-level manager endorses a submitted nomination."""

    def write(actor: User, nomination: Nomination, data: dict[str, Any]) -> tuple[str, str]:
        services.nomination_endorse(actor=actor, nomination=nomination, note=data["note"])
        return "Endorsement recorded.", _packet_url(nomination)

    return _packet_form(
        request, nomination_id, action=Action.PROMOTION_ENDORSE, form_class=EndorseForm,
        form_name="endorse_form", write=write,
    )  # fmt: skip


@require_POST
def decide(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """A committee member approves (with the date it takes effect) or answers "not yet"."""

    def write(actor: User, nomination: Nomination, data: dict[str, Any]) -> tuple[str, str]:
        approved = data["outcome"] == "approved"
        services.nomination_decide(
            actor=actor, nomination=nomination, approved=approved, reason=data["reason"],
            effective_on=data["effective_on"],
        )  # fmt: skip
        message = "Approved." if approved else "Decided: not yet. The reason is kept for follow-up."
        return message, reverse("promotions:queue")

    return _packet_form(
        request, nomination_id, action=Action.PROMOTION_DECIDE, form_class=DecisionForm,
        form_name="decision_form", write=write,
    )  # fmt: skip


def _fresh(reader: Viewer, nomination: Nomination) -> Nomination:
    return selectors.nomination_get(viewer=reader, nomination_id=nomination.pk)


@require_safe
def committee_queue_page(request: HttpRequest) -> HttpResponse:
    """The submitted nominations awaiting the viewer's committees."""
    reader = viewer(request)
    entries = selectors.committee_queue(viewer=reader, framework=_framework(reader))
    return render(request, "promotions/queue.html", {"entries": entries})


@require_safe
def overview_page(request: HttpRequest) -> HttpResponse:
    """HR's overview: open cases, decisions, and the "not yet" list."""
    reader = viewer(request)
    framework = _framework(reader)
    overview = selectors.overview_get(viewer=reader, framework=framework, today=timezone.localdate())
    context = {
        "overview": overview,
        "open_cases": _with_targets(framework, overview.open),
        "decided": _with_targets(framework, overview.decided),
    }
    return render(request, "promotions/overview.html", context)


def _family_choices(framework: Framework | None) -> list[tuple[str, str]]:
    return [(family.id, family.name) for family in framework.families] if framework is not None else []


def _committee_saved(request: HttpRequest, form: CommitteeForm, committee_id: int | None) -> bool:
    """Whether the committee form was valid and saved (else its errors are on `form`)."""
    reader = viewer(request)
    if not form.is_valid():
        return False
    people, unknown = selectors.people_for_committee(viewer=reader, references=form.member_references())
    if unknown:
        form.add_error(
            "members", f"Nobody has this employee ID or e-mail address: {wording.listing(unknown)}"
        )
        return False
    try:
        if committee_id is None:
            services.committee_create(
                actor=signed_in(request),
                name=form.cleaned_data["name"],
                family_ids=form.cleaned_data["family_ids"],
                members=people,
            )
        else:
            services.committee_update(
                actor=signed_in(request),
                committee=selectors.committee_get(viewer=reader, committee_id=committee_id),
                name=form.cleaned_data["name"],
                family_ids=form.cleaned_data["family_ids"],
                members=people,
            )
    except ValidationError as refused:
        add_service_errors(form, refused)
        return False
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def committees_page(request: HttpRequest) -> HttpResponse:
    """HR's promotion committees, and a form to add one."""
    reader = viewer(request)
    committees = selectors.committee_list(viewer=reader)
    families = _family_choices(_framework(reader))
    if request.method == "POST":
        form = CommitteeForm(request.POST, families=families)
        if _committee_saved(request, form, None):
            messages.success(request, "Committee added.")
            return redirect("promotions:committees")
        status = 400
    else:
        form = CommitteeForm(families=families)
        status = 200
    return render(
        request,
        "promotions/committees.html",
        {
            "committees": [
                (c, wording.listing([dict(families).get(f, f) for f in c.family_ids])) for c in committees
            ],
            "form": form,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def committee_page(request: HttpRequest, committee_id: int) -> HttpResponse:
    """HR edits one committee: name, families and members."""
    reader = viewer(request)
    committee = selectors.committee_get(viewer=reader, committee_id=committee_id)
    families = _family_choices(_framework(reader))
    if request.method == "POST":
        form = CommitteeForm(request.POST, families=families)
        if _committee_saved(request, form, committee.pk):
            messages.success(request, "Committee saved.")
            return redirect("promotions:committees")
        status = 400
    else:
        form = CommitteeForm(
            initial={
                "name": committee.name,
                "family_ids": committee.family_ids,
                "members": "\n".join(m.employee_id for m in committee.members.all()),
            },
            families=families,
        )
        status = 200
    return render(request, "promotions/committee.html", {"committee": committee, "form": form}, status=status)
