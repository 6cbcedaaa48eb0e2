"""The internal opportunities pages: the open roles, projects and gigs matched against the viewer,
one opportunity with its explanation and the applicant's own moves, one's applications, the
applications of one's reports that they show their chain, posting, and the hiring manager's ranked
candidates with their stages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer, signed_in, viewer
from trellis.web.form_fields import add_service_errors
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.mobility import selectors, services
from trellis.web.mobility.forms import ApplyForm, OpportunityForm, StageForm, StatusForm
from trellis.web.mobility.models import Opportunity
from trellis.web.policy import Action
from trellis.web.promotions.selectors import target_choices, target_label

#: What the applicant is told after each of their moves.
APPLIED_MESSAGES = {
    "apply": "Applied: the hiring manager sees your application and your note.",
    "interest": "Interest expressed: the hiring manager sees it.",
    "save": "Saved for later: nobody else sees it.",
    "withdraw": "Withdrawn.",
    "settings": "Saved.",
}


def _framework(reader: Viewer) -> Framework | None:
    published = framework_published_get(viewer=reader)
    return published.framework if published is not None else None


def _level_text(framework: Framework | None, opportunity: Opportunity) -> str:
    if opportunity.kind != Opportunity.Kind.ROLE:
        return ""
    return target_label(framework, opportunity.family_id, opportunity.track_id, opportunity.level_code)


def _time_to_fill(opportunity: Opportunity) -> str:
    taken = opportunity.time_to_fill
    return wording.time_to_fill(taken.days) if taken is not None else ""


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The open opportunities, best match for the viewer first; the viewer's own postings."""
    reader = viewer(request)
    policy.require(reader, Action.OPPORTUNITY_LIST)
    framework = _framework(reader)
    kind = request.GET.get("kind", "")
    if kind not in Opportunity.Kind.values:
        kind = ""
    cards = selectors.open_opportunities_get(viewer=reader, framework=framework, kind=kind)
    person = policy.viewer_person(reader)
    postings = (
        list(Opportunity.objects.filter(hiring_manager=person).order_by("status", "-created_at"))
        if person is not None
        else []
    )
    return render(
        request,
        "mobility/index.html",
        {
            "cards": [(card, _level_text(framework, card.opportunity)) for card in cards],
            "kind": kind,
            "kinds": Opportunity.Kind.choices,
            "postings": [(posting, _time_to_fill(posting)) for posting in postings],
            "may_post": policy.can(reader, Action.OPPORTUNITY_POST),
            "sees_reports": policy.can(reader, Action.APPLICATIONS_OF_REPORTS) and policy.is_manager(reader),
        },
    )


def _detail(
    request: HttpRequest,
    opportunity: Opportunity,
    form: ApplyForm | None,
    status: int = 200,
    status_form: StatusForm | None = None,
) -> HttpResponse:
    reader = viewer(request)
    framework = _framework(reader)
    card = selectors.opportunity_card_get(viewer=reader, opportunity=opportunity, framework=framework)
    application = card.application
    if form is None:
        form = ApplyForm(
            initial={
                "note": application.note if application is not None else "",
                "hidden_from_manager": application.hidden_from_manager if application is not None else False,
            }
        )
    accepted = (
        opportunity.applications.filter(stage="accepted").select_related("person")
        if opportunity.status == Opportunity.Status.FILLED
        else []
    )
    return render(
        request,
        "mobility/detail.html",
        {
            "card": card,
            "opportunity": opportunity,
            "level": _level_text(framework, opportunity),
            "application": application,
            "form": form,
            "may_apply": policy.can(reader, Action.OPPORTUNITY_APPLY, opportunity)
            and policy.viewer_person(reader) is not None,
            "manages": policy.can(reader, Action.OPPORTUNITY_MANAGE, opportunity),
            "filled_by": list(accepted),
            "time_to_fill": _time_to_fill(opportunity),
            "status_form": status_form or StatusForm(),
            "actions": services.applicant_actions(application)
            if opportunity.status == Opportunity.Status.OPEN
            else [action for action in services.applicant_actions(application) if action == "withdraw"],
        },
        status=status,
    )


@require_safe
def detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """404 for an opportunity the viewer may not see (a draft of someone else's)."""
    opportunity = selectors.opportunity_get(viewer=viewer(request), opportunity_id=opportunity_id)
    return _detail(request, opportunity, None)


@require_POST
def apply(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The applicant's own move: save, express interest, apply (with a note), withdraw, or the
    settings of their application."""
    reader = viewer(request)
    opportunity = selectors.opportunity_get(viewer=reader, opportunity_id=opportunity_id)
    policy.require(reader, Action.OPPORTUNITY_APPLY, opportunity)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            services.application_act(
                actor=signed_in(request),
                opportunity=opportunity,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                hidden_from_manager=form.cleaned_data["hidden_from_manager"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, APPLIED_MESSAGES[form.cleaned_data["action"]])
            return redirect("mobility:detail", opportunity_id=opportunity.pk)
    return _detail(request, opportunity, form, status=400)


def _post_form(
    request: HttpRequest, opportunity: Opportunity | None, framework: Framework | None
) -> HttpResponse:
    levels = target_choices(framework)
    competencies = selectors.competency_choices(framework)
    if request.method == "POST":
        form = OpportunityForm(request.POST, levels=levels, competencies=competencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.opportunity_save(
                    actor=signed_in(request),
                    opportunity=opportunity,
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    team=data["team"],
                    level=data["level"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    time_share=data["time_share"],
                    capacity=data["capacity"],
                    requirements=form.requirements(),
                )
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, "Saved.")
                return redirect("mobility:detail", opportunity_id=saved.pk)
        status = 400
    else:
        initial = OpportunityForm.initial_of(opportunity) if opportunity is not None else {}
        form = OpportunityForm(initial=initial, levels=levels, competencies=competencies)
        status = 200
    return render(request, "mobility/post.html", {"form": form, "opportunity": opportunity}, status=status)


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Post an opportunity (a draft until opened): hiring managers and HR; 403 for anyone else."""
    reader = viewer(request)
    policy.require(reader, Action.OPPORTUNITY_POST)
    return _post_form(request, None, _framework(reader))


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    reader = viewer(request)
    opportunity = selectors.opportunity_get(viewer=reader, opportunity_id=opportunity_id)
    policy.require(reader, Action.OPPORTUNITY_MANAGE, opportunity)
    return _post_form(request, opportunity, _framework(reader))


@require_POST
def status(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Open a draft, or close an opportunity."""
    reader = viewer(request)
    opportunity = selectors.opportunity_get(viewer=reader, opportunity_id=opportunity_id)
    policy.require(reader, Action.OPPORTUNITY_MANAGE, opportunity)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.opportunity_status_set(
                actor=signed_in(request), opportunity=opportunity, status=form.cleaned_data["status"]
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "Opened." if form.cleaned_data["status"] == "open" else "Closed.")
            return redirect("mobility:detail", opportunity_id=opportunity.pk)
    return _detail(request, opportunity, None, status=400, status_form=form)


def _candidates(
    request: HttpRequest, opportunity: Opportunity, refused: tuple[int, StageForm] | None = None
) -> HttpResponse:
    reader = viewer(request)
    framework = _framework(reader)
    candidates = selectors.candidates_get(viewer=reader, opportunity=opportunity, framework=framework)
    history = selectors.stage_history([candidate.application for candidate in candidates])
    rows = []
    for rank, candidate in enumerate(candidates, start=1):
        moves = services.HIRING_MOVES.get(candidate.application.stage, ())
        form = refused[1] if refused is not None and refused[0] == candidate.application.pk else None
        rows.append(
            {
                "rank": rank,
                "candidate": candidate,
                "moves": [(stage, dict(candidate.application.Stage.choices)[stage]) for stage in moves],
                "history": history.get(candidate.application.pk, []),
                "errors": form.errors.get("stage", []) if form is not None else [],
            }
        )
    return render(
        request,
        "mobility/candidates.html",
        {"opportunity": opportunity, "level": _level_text(framework, opportunity), "rows": rows},
        status=400 if refused is not None else 200,
    )


@require_safe
def candidates(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The ranked candidates: its hiring manager and HR (403 for others who may see it)."""
    reader = viewer(request)
    opportunity = selectors.opportunity_get(viewer=reader, opportunity_id=opportunity_id)
    policy.require(reader, Action.OPPORTUNITY_MANAGE, opportunity)
    return _candidates(request, opportunity)


@require_POST
def stage(request: HttpRequest, application_id: int) -> HttpResponse:
    """Move a candidate to another stage; back to the ranked candidates."""
    reader = viewer(request)
    application = selectors.application_for_hiring_side(viewer=reader, application_id=application_id)
    opportunity = selectors.opportunity_get(viewer=reader, opportunity_id=application.opportunity_id)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.application_move(
                actor=signed_in(request),
                application=application,
                stage=form.cleaned_data["stage"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(
                request, f"{application.person.full_name}: {application.get_stage_display().lower()}."
            )
            return redirect("mobility:candidates", opportunity_id=opportunity.pk)
    return _candidates(request, opportunity, refused=(application.pk, form))


@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The viewer's own applications and bookmarks, with every stage they took."""
    reader = viewer(request)
    applications = selectors.applications_mine(viewer=reader)
    history = selectors.stage_history(applications)
    return render(
        request,
        "mobility/mine.html",
        {"rows": [(application, history.get(application.pk, [])) for application in applications]},
    )


@require_safe
def reports(request: HttpRequest) -> HttpResponse:
    """The applications of the viewer's reports that each applicant shows their management chain."""
    reader = viewer(request)
    applications = selectors.applications_of_reports(viewer=reader)
    return render(request, "mobility/reports.html", {"applications": applications})
