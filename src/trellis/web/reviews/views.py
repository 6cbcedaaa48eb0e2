"""The review pages: HR's cycles (open one, its progress, its phases), "My reviews", the assessment
form (self and manager; peer and upward reuse it), and a participant's page (results, sign-off).
Views stay thin: the policy decides, selectors read, services write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.growth.plan_selectors import plan_review_summary_get
from trellis.web.people.models import Person, Team
from trellis.web.policy import Action
from trellis.web.reviews.assessment_services import (
    RatingConflict,
    assessment_submit,
    author_check,
    expected_author_id,
    rating_save,
)
from trellis.web.reviews.cycle_services import (
    PHASE_ORDER,
    SIGN_OFF_PHASES,
    cycle_advance,
    cycle_open,
    next_phase,
    participant_sign_off,
)
from trellis.web.reviews.feedback_selectors import feedback_requests
from trellis.web.reviews.forms import CycleOpenForm, RatingForm
from trellis.web.reviews.models import (
    RATING_COMMENT_MAX_LENGTH,
    Assessment,
    CycleParticipant,
    ReviewCycle,
    Source,
)
from trellis.web.reviews.selectors import (
    PROGRESS_PAGE_SIZE,
    AssessmentSheet,
    RatingView,
    assessment_find,
    assessment_sheet,
    cycle_counts,
    cycle_framework,
    cycle_get,
    cycle_list,
    cycle_progress,
    my_reviews,
    participant_assessments,
    participant_get,
    participant_rubric,
    version_framework,
)

# --- "My reviews" ----------------------------------------------------------------------------------


@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The viewer's self-assessments, the assessments they write as a manager, the feedback asked of
    them, their shared results."""
    reader = viewer(request)
    return render(
        request,
        "reviews/mine.html",
        {
            "reviews": my_reviews(viewer=reader),
            "requests": feedback_requests(viewer=reader),
            "may_manage": policy.can(reader, Action.CYCLE_MANAGE),
        },
    )


# --- HR: cycles ------------------------------------------------------------------------------------


@require_safe
def cycles(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/cycle_list.html", {"cycles": cycle_list(viewer=viewer(request))})


def _versions() -> list[FrameworkVersion]:
    return list(FrameworkVersion.objects.defer("yaml_text").order_by("-number"))


@require_http_methods(["GET", "HEAD", "POST"])
def cycle_new(request: HttpRequest) -> HttpResponse:
    """HR's form to open a cycle; a bad one answers 400 with each error on its field, nothing stored."""
    reader = viewer(request)
    policy.require(reader, Action.CYCLE_MANAGE)
    versions = _versions()
    current = next((version for version in versions if version.is_current), None)
    chosen = current
    if request.method == "POST":
        chosen = next((v for v in versions if str(v.pk) == request.POST.get("framework_version")), current)
    framework = version_framework(FrameworkVersion.objects.get(pk=chosen.pk)) if chosen is not None else None
    form = CycleOpenForm(
        request.POST or None,
        versions=versions,
        framework=framework,
        teams=list(Team.objects.order_by("name")),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                opened = cycle_open(
                    actor=signed_in(request),
                    name=data["name"],
                    framework_version=next(v for v in versions if v.pk == data["framework_version"]),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    self_due=data["self_due"],
                    manager_due=data["manager_due"],
                    peer_due=data["peer_due"],
                    calibration_due=data["calibration_due"],
                    sign_off_due=data["sign_off_due"],
                    share_on=data["share_on"],
                    peer_minimum=data["peer_minimum"],
                    show_peer_names_to_manager=data["show_peer_names_to_manager"],
                    upward_feedback=data["upward_feedback"],
                    selection=form.selection(),
                )
            except ValidationError as refused:
                for name, errors in refused.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                text = f"Opened {opened.cycle.name} for {wording.count(opened.participants, 'person', 'people')}."
                if opened.left_out:
                    text += (
                        f" {wording.count(opened.left_out, 'person', 'people')} whose level the version "
                        "does not have were left out."
                    )
                messages.success(request, text)
                return redirect("reviews:cycle", cycle_id=opened.cycle.pk)
        status = 400
    return render(
        request, "reviews/cycle_open.html", {"form": form, "has_versions": bool(versions)}, status=status
    )


@require_safe
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """A cycle's phases, totals and each participant's progress (paginated)."""
    reader = viewer(request)
    cycle = cycle_get(viewer=reader, cycle_id=cycle_id)
    page = Paginator(cycle_progress(viewer=reader, cycle=cycle), PROGRESS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    following = next_phase(cycle.phase)
    return render(
        request,
        "reviews/cycle_detail.html",
        {
            "cycle": cycle,
            "counts": cycle_counts(viewer=reader, cycle=cycle),
            "page": page,
            "phases": [(phase, phase == cycle.phase) for phase in PHASE_ORDER],
            "next_phase": following,
        },
    )


@require_POST
def cycle_advance_view(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Move the cycle to its next phase (the form carries the phase it was shown in)."""
    reader = viewer(request)
    cycle = cycle_get(viewer=reader, cycle_id=cycle_id)
    expected = request.POST.get("phase", "")
    if expected not in ReviewCycle.Phase.values:
        return HttpResponseBadRequest("the form did not say which phase it was shown in")
    try:
        cycle = cycle_advance(actor=signed_in(request), cycle=cycle, expected_phase=expected)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{cycle.name} is now in {cycle.get_phase_display()}.")
    return redirect("reviews:cycle", cycle_id=cycle.pk)


# --- one participant: results and sign-off --------------------------------------------------------


def _read_only_sheets(reader: Any, participant: CycleParticipant) -> list[AssessmentSheet]:
    return [
        assessment_sheet(
            viewer=reader, participant=participant, source=Source(assessment.source), assessment=assessment
        )
        for assessment in participant_assessments(viewer=reader, participant=participant)
    ]


@require_safe
def participant_page(request: HttpRequest, participant_id: int) -> HttpResponse:
    """One participant of a cycle: the assessments the viewer may read (the subject: their
    self-assessment, and once shared the manager's and the calibrated result) and the sign-off."""
    reader = viewer(request)
    participant = participant_get(viewer=reader, participant_id=participant_id)
    cycle = participant.cycle
    sheets = _read_only_sheets(reader, participant)
    calibrated = next((sheet for sheet in sheets if sheet.source == Source.CALIBRATED), None)
    manager_sheet = next((sheet for sheet in sheets if sheet.source == Source.MANAGER), None)
    return render(
        request,
        "reviews/participant.html",
        {
            "participant": participant,
            "cycle": cycle,
            "sheets": [sheet for sheet in sheets if sheet.source != Source.CALIBRATED],
            "results": _results(calibrated, manager_sheet),
            "results_visible": policy.can(reader, Action.CYCLE_RESULTS_VIEW, participant),
            "may_see_feedback": policy.can(reader, Action.PEER_FEEDBACK_VIEW, participant)
            or policy.can(reader, Action.PEER_NOMINATE, participant),
            "may_sign_off": (
                participant.signed_off_at is None
                and cycle.phase in SIGN_OFF_PHASES
                and policy.can(reader, Action.CYCLE_SIGN_OFF, participant)
            ),
            # HR came from the cycle's page: the breadcrumb leads back there.
            "may_manage": policy.can(reader, Action.CYCLE_MANAGE),
        },
    )


def _results(calibrated: AssessmentSheet | None, manager: AssessmentSheet | None) -> list[dict[str, Any]]:
    """Per competency: the calibrated score (the result) and the manager's comment."""
    if calibrated is None:
        return []
    comments = (
        {view.competency_id: view.rating.comment for view in manager.rows if view.rating} if manager else {}
    )
    return [
        {
            "row": view.row,
            "score": wording.rating_or_missing(
                calibrated.framework.scale, view.rating.score if view.rating else None
            ),
            "comment": comments.get(view.competency_id, ""),
        }
        for view in calibrated.rows
    ]


@require_POST
def participant_sign_off_view(request: HttpRequest, participant_id: int) -> HttpResponse:
    reader = viewer(request)
    participant = participant_get(viewer=reader, participant_id=participant_id)
    try:
        participant_sign_off(actor=signed_in(request), participant=participant)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Signed off {participant.person.full_name}'s results.")
    return redirect("reviews:participant", participant_id=participant.pk)


# --- the assessment form ---------------------------------------------------------------------------


def _form_context(
    request: HttpRequest, participant: CycleParticipant, source: Source, *, for_writing: bool
) -> tuple[AssessmentSheet, bool]:
    """The sheet of the viewer's `source` assessment of `participant`, and whether it is editable.

    The author gets their form; anyone else who may read the assessment gets it read-only; the
    rest are refused (403: they may see the participant, not this assessment)."""
    reader = viewer(request)
    person = policy.viewer_person(reader)
    author_id = expected_author_id(participant, source)
    is_author = person is not None and author_id is not None and person.pk == author_id
    if is_author:
        target = Assessment(
            cycle_id=participant.cycle_id,
            subject_id=participant.person_id,
            source=source,
            author_id=author_id,
        )
        action = Action.ASSESSMENT_WRITE_SELF if source == Source.SELF else Action.ASSESSMENT_RATE
        policy.require(reader, action, target)
    author = person if is_author else None
    if author is None and author_id is not None:
        author = Person.objects.filter(pk=author_id).first()
    assessment = assessment_find(participant=participant, source=source, author=author) if author else None
    if not is_author and (
        for_writing or assessment is None or not policy.can(reader, Action.ASSESSMENT_VIEW, assessment)
    ):
        raise PermissionDenied("not this assessment's author")
    sheet = assessment_sheet(viewer=reader, participant=participant, source=source, assessment=assessment)
    editable = is_author and participant.cycle.phase == ReviewCycle.Phase.ASSESSMENT and not sheet.submitted
    return sheet, editable


def _rating_forms(sheet: AssessmentSheet, data: Any = None) -> list[tuple[RatingView, RatingForm]]:
    forms_ = []
    for view in sheet.rows:
        rating = view.rating
        initial = {
            "score": str(rating.score) if rating is not None and rating.score is not None else "",
            "comment": rating.comment if rating is not None else "",
            "evidence": rating.evidence if rating is not None else "",
            "revision": view.revision,
        }
        forms_.append(
            (view, RatingForm(data, prefix=view.competency_id, initial=initial, framework=sheet.framework))
        )
    return forms_


def _source_title(source: Source, participant: CycleParticipant) -> str:
    if source == Source.SELF:
        return f"Self-assessment of {participant.person.full_name}"
    return f"{source.label} assessment of {participant.person.full_name}"


def _render_form(
    request: HttpRequest,
    sheet: AssessmentSheet,
    editable: bool,
    rating_forms: list[tuple[RatingView, RatingForm]],
    *,
    status: int = 200,
    conflicts: dict[str, str] | None = None,
) -> HttpResponse:
    participant = sheet.participant
    conflicts = conflicts or {}
    return render(
        request,
        "reviews/assessment_form.html",
        {
            "sheet": sheet,
            "participant": participant,
            "cycle": participant.cycle,
            "source": sheet.source,
            "title": _source_title(sheet.source, participant),
            "editable": editable,
            "rating_forms": [
                (view, form, conflicts.get(view.competency_id, "")) for view, form in rating_forms
            ],
            "missing": [row.competency.name for row in sheet.missing],
            "comment_max_length": RATING_COMMENT_MAX_LENGTH,
            # The subject's development plan, as the reader may see it (growth).
            "plan_summary": plan_review_summary_get(
                viewer=viewer(request), person=participant.person, framework=sheet.framework
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def assessment_page(request: HttpRequest, participant_id: int, source: str) -> HttpResponse:
    """The viewer's `source` assessment of a participant: the form (author, assessment phase, not
    submitted) or the assessment read-only. POST without JavaScript saves every competency that
    changed (``save``) or also submits (``submit``); each competency another writer saved since is
    refused and shown with the newer value (409), the others saved."""
    reader = viewer(request)
    participant = participant_get(viewer=reader, participant_id=participant_id)
    chosen = Source(source)
    sheet, editable = _form_context(request, participant, chosen, for_writing=request.method == "POST")
    if request.method != "POST":
        return _render_form(request, sheet, editable, _rating_forms(sheet))
    if not editable:
        messages.error(request, "This assessment is read-only.")
        return _render_form(request, sheet, editable, _rating_forms(sheet), status=409)
    rating_forms = _rating_forms(sheet, request.POST)
    conflicts: dict[str, str] = {}
    invalid = False
    actor = signed_in(request)
    for view, form in rating_forms:
        if f"{form.prefix}-revision" not in request.POST:
            continue
        if not form.is_valid():
            invalid = True
            continue
        try:
            rating_save(
                actor=actor,
                participant=participant,
                source=chosen,
                competency_id=view.competency_id,
                score=form.score_value(),
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data["evidence"],
                revision=form.cleaned_data["revision"],
            )
        except RatingConflict as conflict:
            conflicts[view.competency_id] = str(conflict)
        except ValidationError as refused:
            invalid = True
            for name, errors in refused.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
    if conflicts or invalid:
        fresh, editable = _form_context(request, participant, chosen, for_writing=True)
        shown = _rating_forms(fresh)
        # Invalid forms keep what was typed, with their errors; conflicts show the stored value.
        by_id = {view.competency_id: form for view, form in rating_forms if form.errors}
        shown = [(view, by_id.get(view.competency_id, form)) for view, form in shown]
        return _render_form(
            request, fresh, editable, shown, status=409 if conflicts else 400, conflicts=conflicts
        )
    if "submit" in request.POST:
        try:
            assessment_submit(actor=actor, participant=participant, source=chosen)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("reviews:assessment", participant_id=participant.pk, source=chosen.value)
        fresh, _ = _form_context(request, participant, chosen, for_writing=False)
        text = "Submitted."
        if fresh.missing:
            text += f" Not rated: {wording.listing([row.competency.name for row in fresh.missing])}."
        messages.success(request, text)
        return redirect("reviews:mine")
    messages.success(request, "Saved.")
    return redirect("reviews:assessment", participant_id=participant.pk, source=chosen.value)


@require_POST
def rating_save_view(
    request: HttpRequest, participant_id: int, source: str, competency_id: str
) -> HttpResponse:
    """Save one competency (htmx, as the author types): the fieldset's status on success; on a
    conflict the fieldset again with the newer value, the message naming who saved it and when,
    and the writer's refused version beside it (409 without htmx; htmx swaps the fieldset).

    The success path reads no more than the save needs (the rubric is cached): it is the request
    an author's typing makes every few seconds."""
    reader = viewer(request)
    participant = participant_get(viewer=reader, participant_id=participant_id)
    chosen = Source(source)
    actor = signed_in(request)
    author_check(actor, participant, chosen)
    rubric = participant_rubric(participant)
    if rubric is None or competency_id not in {row.competency.id for row in rubric.rows}:
        return HttpResponseBadRequest(f"{competency_id} is not assessed at {participant.level_code}")
    form = RatingForm(request.POST, prefix=competency_id, framework=cycle_framework(participant.cycle))
    refused = None
    conflict = ""
    status = 400
    if form.is_valid():
        try:
            rating = rating_save(
                actor=actor,
                participant=participant,
                source=chosen,
                competency_id=competency_id,
                score=form.score_value(),
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data["evidence"],
                revision=form.cleaned_data["revision"],
            )
        except RatingConflict as refusal:
            conflict, refused, status = str(refusal), form.cleaned_data, 409
        except ValidationError as refusal:
            if "competency" in refusal.message_dict or not refusal.message_dict.keys() - {NON_FIELD_ERRORS}:
                conflict, status = " ".join(refusal.messages), 409
            else:
                for name, errors in refusal.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
        else:
            return render(
                request,
                "reviews/assessment_form.html#rating_saved",
                {"view": {"competency_id": competency_id}, "rating": rating},
            )
    sheet, editable = _form_context(request, participant, chosen, for_writing=True)
    view = next(row for row in sheet.rows if row.competency_id == competency_id)
    shown = form if form.errors else _rating_forms(sheet)[sheet.rows.index(view)][1]
    context = {
        "sheet": sheet,
        "participant": participant,
        "source": chosen,
        "editable": editable,
        "view": view,
        "form": shown,
        "conflict": conflict,
        "refused": refused,
        "comment_max_length": RATING_COMMENT_MAX_LENGTH,
    }
    return _fieldset(request, context, status=status)


def _fieldset(request: HttpRequest, context: dict[str, Any], *, status: int) -> HttpResponse:
    """A competency's fieldset again. htmx only swaps 2xx answers, so an htmx request gets 200 and
    is told to replace the whole fieldset; anyone else gets the real status."""
    htmx = bool(getattr(request, "htmx", False))
    response = render(
        request, "reviews/assessment_form.html#rating_fieldset", context, status=200 if htmx else status
    )
    if htmx:
        response["HX-Retarget"] = f"#rating-{context['view'].competency_id}"
        response["HX-Reswap"] = "outerHTML"
    return response


def assessment_url(participant: CycleParticipant, source: Source) -> str:
    return reverse("reviews:assessment", kwargs={"participant_id": participant.pk, "source": source.value})
