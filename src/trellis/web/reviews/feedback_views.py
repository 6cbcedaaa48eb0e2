"""Pages of peer and upward feedback and of continuous evidence. Thin: the policy (through the
selectors) decides, the services write, and a refusal of the person's making is shown on the form
with nothing stored (400, or 409 for a revision conflict)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.reviews.feedback_selectors import (
    AnswerRow,
    answer_get,
    evidence_competencies,
    evidence_for_cycle,
    evidence_mine,
    evidence_person_get,
    evidence_scope_items,
    evidence_subject_find,
    feedback_participant_get,
    feedback_requests,
    feedback_summary,
    nomination_get,
    nomination_list,
    own_nomination_get,
    own_participation_get,
)
from trellis.web.reviews.feedback_services import (
    FeedbackProblem,
    RatingInput,
    RevisionConflict,
    evidence_record,
    feedback_answer_save,
    peer_feedback_start,
    peer_nominate,
    peer_nomination_decide,
    upward_feedback_start,
)
from trellis.web.reviews.models import (
    EVIDENCE_TEXT_MAX_LENGTH,
    RATING_COMMENT_MAX_LENGTH,
    Assessment,
    CycleParticipant,
    EvidenceItem,
    Rating,
)

EVIDENCE_PER_PAGE = 50


# --- peer nominations and the feedback on a participant -----------------------------------------


class NominateForm(forms.Form):
    peer_email = forms.EmailField(label="Peer's work e-mail address", max_length=254)


def _participant_page(
    request: HttpRequest,
    participant: CycleParticipant,
    form: NominateForm,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    user = viewer(request)
    can_view = policy.can(user, Action.PEER_FEEDBACK_VIEW, participant)
    return render(
        request,
        "reviews/feedback/participant.html",
        {
            "participant": participant,
            "cycle": participant.cycle,
            "nominations": nomination_list(viewer=user, participant=participant) if can_view else [],
            "summary": feedback_summary(viewer=user, participant=participant) if can_view else None,
            "can_nominate": policy.can(user, Action.PEER_NOMINATE, participant),
            "can_decide": policy.can(user, Action.PEER_NOMINATION_DECIDE, participant),
            "form": form,
            "problem": problem,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def participant_feedback(request: HttpRequest, cycle_id: int, person_id: int) -> HttpResponse:
    """A participant's peers (nominate, approve, decline) and the feedback on them as the viewer
    may see it. POST nominates a peer."""
    user = viewer(request)
    participant = feedback_participant_get(viewer=user, cycle_id=cycle_id, person_id=person_id)
    if request.method != "POST":
        return _participant_page(request, participant, NominateForm())
    policy.require(user, Action.PEER_NOMINATE, participant)
    form = NominateForm(request.POST)
    if form.is_valid():
        try:
            peer_nominate(
                actor=signed_in(request), participant=participant, peer_email=form.cleaned_data["peer_email"]
            )
        except FeedbackProblem as problem:
            form.add_error(problem.field or None, problem.message)
        else:
            return HttpResponseRedirect(request.path)
    return _participant_page(request, participant, form, status=400)


@require_POST
def nomination_decide(request: HttpRequest, peer_nomination_id: int) -> HttpResponse:
    """Approve (``decision=approve``) or decline (``decision=decline``) a proposed peer."""
    user = viewer(request)
    nomination, participant = nomination_get(viewer=user, nomination_id=peer_nomination_id)
    policy.require(user, Action.PEER_NOMINATION_DECIDE, participant)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        message = "Choose to approve or to decline the nomination."
        return _participant_page(request, participant, NominateForm(), status=400, problem=message)
    try:
        peer_nomination_decide(actor=signed_in(request), nomination=nomination, approve=decision == "approve")
    except FeedbackProblem as refusal:
        return _participant_page(request, participant, NominateForm(), status=400, problem=refusal.message)
    return HttpResponseRedirect(
        reverse(
            "feedback:participant",
            kwargs={"cycle_id": participant.cycle_id, "person_id": participant.person_id},
        )
    )


# --- the viewer's feedback to give --------------------------------------------------------------


@require_safe
def requests_page(request: HttpRequest) -> HttpResponse:
    """The peer feedback the viewer was asked for, and the upward feedback they may give."""
    return render(
        request, "reviews/feedback/requests.html", {"requests": feedback_requests(viewer=viewer(request))}
    )


def _begun(request: HttpRequest, begin: Callable[[], Assessment]) -> HttpResponse:
    """To the answer form of the assessment `begin` makes or finds; the requests page with the
    refusal (400) when it refuses."""
    try:
        assessment = begin()
    except FeedbackProblem as problem:
        return render(
            request,
            "reviews/feedback/requests.html",
            {"requests": feedback_requests(viewer=viewer(request)), "problem": problem.message},
            status=400,
        )
    return HttpResponseRedirect(reverse("feedback:answer", kwargs={"assessment_id": assessment.pk}))


@require_POST
def peer_start(request: HttpRequest, peer_nomination_id: int) -> HttpResponse:
    """Begin (or go back to) the viewer's feedback as the peer of an approved nomination."""
    nomination = own_nomination_get(viewer=viewer(request), nomination_id=peer_nomination_id)
    return _begun(request, lambda: peer_feedback_start(actor=signed_in(request), nomination=nomination))


@require_POST
def upward_start(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Begin (or go back to) the viewer's upward feedback on their manager in a cycle."""
    participant = own_participation_get(viewer=viewer(request), cycle_id=cycle_id)
    return _begun(request, lambda: upward_feedback_start(actor=signed_in(request), participant=participant))


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _typed(request: HttpRequest, competency_id: str) -> tuple[RatingInput | None, str, str]:
    """One competency's answer as posted (``score_<id>``, ``comment_<id>``, ``revision_<id>``),
    or None with the problem and the field it concerns."""
    score_text = request.POST.get(f"score_{competency_id}", "")
    revision = _int_or_none(request.POST.get(f"revision_{competency_id}", ""))
    if revision is None:
        return None, "The form is incomplete: reload the page and answer again.", ""
    score = _int_or_none(score_text)
    if score_text.strip() and score is None:
        return None, f"{score_text!r} is not a rating.", f"score_{competency_id}"
    return (
        RatingInput(competency_id, score, request.POST.get(f"comment_{competency_id}", ""), revision),
        "",
        "",
    )


def _answer_page(
    request: HttpRequest, form: Any, *, problem: str, field: str, refused: dict[str, RatingInput], status: int
) -> HttpResponse:
    context = {
        "form": form,
        "answer_rows": [(row, refused.get(row.rating.competency_id)) for row in form.rows],
        "problem": problem,
        "problem_field": field,
        "comment_max_length": RATING_COMMENT_MAX_LENGTH,
    }
    return render(request, "reviews/feedback/answer.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The author's form of a peer or upward assessment: per competency a rating (optional) and a
    comment (required to submit). Each rating carries the revision it was read at. With htmx each
    competency saves as one types (`answer_save`); without it, Save and Submit post the whole form.
    A save over a newer one is refused (409) with the stored answers shown and the author's
    versions kept beside them."""
    user = viewer(request)
    form = answer_get(viewer=user, assessment_id=assessment_id)
    problem = ""
    field = ""
    status = 200
    answers: dict[str, RatingInput] = {}
    refused: dict[str, RatingInput] = {}
    if request.method == "POST":
        for row in form.rows:
            typed, problem, field = _typed(request, row.rating.competency_id)
            if typed is None:
                break
            answers[typed.competency_id] = typed
        if not problem:
            try:
                feedback_answer_save(
                    actor=signed_in(request),
                    assessment=form.assessment,
                    answers=answers,
                    submit="submit" in request.POST,
                )
            except RevisionConflict as conflict:
                problem, field, status = conflict.message, conflict.field, 409
            except FeedbackProblem as refusal:
                problem, field = refusal.message, refusal.field
            else:
                return HttpResponseRedirect(request.path)
        status = status if status != 200 else 400
        if status == 400:
            # Show what was typed, beside the message; the stored values stay as they were.
            for row in form.rows:
                typed = answers.get(row.rating.competency_id)
                if typed is not None:
                    row.rating.score, row.rating.comment = typed.score, typed.comment
        else:
            # What is stored now, with the author's versions that differ from it kept beside.
            form = answer_get(viewer=user, assessment_id=assessment_id)
            refused = {
                row.rating.competency_id: typed
                for row in form.rows
                if (typed := answers.get(row.rating.competency_id)) is not None
                and (typed.score, typed.comment.strip()) != (row.rating.score, row.rating.comment.strip())
            }
    return _answer_page(request, form, problem=problem, field=field, refused=refused, status=status)


@require_POST
def answer_save(request: HttpRequest, assessment_id: int, competency_id: str) -> HttpResponse:
    """Save one competency of the author's answer (htmx, as they type): its status and new revision
    on success; on a refusal the competency's fieldset again — the message, and on a conflict the
    stored answer with the author's version beside it (htmx swaps the fieldset: 200 with
    HX-Retarget; 409 or 400 without htmx)."""
    user = viewer(request)
    form = answer_get(viewer=user, assessment_id=assessment_id)
    row = next((r for r in form.rows if r.rating.competency_id == competency_id), None)
    if row is None:
        raise Http404("no such competency in this feedback")
    typed, problem, field = _typed(request, competency_id)
    status = 400
    refused = None
    if typed is not None:
        try:
            feedback_answer_save(
                actor=signed_in(request),
                assessment=form.assessment,
                answers={competency_id: typed},
                submit=False,
            )
        except RevisionConflict as conflict:
            problem, field, status, refused = conflict.message, conflict.field, 409, typed
            row = AnswerRow(conflict.current, row.name)
        except FeedbackProblem as refusal:
            problem, field = refusal.message, refusal.field
            row.rating.score, row.rating.comment = typed.score, typed.comment
        else:
            saved = Rating.objects.only("competency_id", "revision", "updated_at").get(pk=row.rating.pk)
            return render(request, "reviews/feedback/answer.html#answer_saved", {"rating": saved})
    htmx = bool(getattr(request, "htmx", False))
    response = render(
        request,
        "reviews/feedback/answer.html#answer_fieldset",
        {
            "form": form,
            "row": row,
            "row_refused": refused,
            "fieldset_problem": problem,
            "problem_field": field,
            "comment_max_length": RATING_COMMENT_MAX_LENGTH,
        },
        status=200 if htmx else status,
    )
    if htmx:
        response["HX-Retarget"] = f"#answer-{competency_id}"
        response["HX-Reswap"] = "outerHTML"
    return response


# --- evidence -----------------------------------------------------------------------------------


class EvidenceForm(forms.Form):
    subject_email = forms.EmailField(label="About (their work e-mail address)", max_length=254)
    kind = forms.ChoiceField(
        label="What it is", choices=EvidenceItem.Kind.choices, initial=EvidenceItem.Kind.FEEDBACK
    )
    text = forms.CharField(
        label="What happened", max_length=EVIDENCE_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    link = forms.URLField(label="Link (optional)", required=False, max_length=500, assume_scheme="https")
    occurred_on = forms.DateField(
        label="When it happened", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    competencies = forms.MultipleChoiceField(
        label="Competencies it shows", required=False, widget=forms.CheckboxSelectMultiple
    )
    # Checked by the service against the subject's next level (who the subject is comes with the
    # same post), so an item of another level is refused there with the field named.
    scope = forms.CharField(
        label="Scope evidence it demonstrates (optional)",
        required=False,
        help_text="What the promotion into their next level asks them to have done, when this shows it.",
        widget=forms.Select,
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], scope_items: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competencies"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        widget = self.fields["scope"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", "None")] + [(item, item) for item in scope_items]
        self.fields["occurred_on"].initial = timezone.localdate()


def _competency_choices(request: HttpRequest, subject: Person | None) -> list[tuple[str, str]]:
    user = viewer(request)
    if subject is None:
        person = policy.viewer_person(user)
        subject = person
    if subject is None:
        return []
    return [
        (cid, competency.name)
        for cid, competency in evidence_competencies(viewer=user, subject=subject).items()
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_new(request: HttpRequest) -> HttpResponse:
    """Record feedback or a win about a colleague or oneself. ``?person=<id>`` fills in someone
    the viewer may see (from their profile); anyone else is named by their e-mail address."""
    user = viewer(request)
    policy.require(user, Action.EVIDENCE_RECORD)
    preset: Person | None = None
    person_text = request.GET.get("person", "")
    if person_text.isdigit():
        preset = Person.objects.filter(pk=int(person_text), is_active=True).first()
        if preset is not None and not policy.can(user, Action.PERSON_VIEW, preset):
            preset = None
    if request.method != "POST":
        about = preset or policy.viewer_person(user)
        initial = {"subject_email": about.email if about is not None else ""}
        form = EvidenceForm(
            initial=initial,
            choices=_competency_choices(request, preset),
            scope_items=_scope_items(request, about),
        )
        return render(request, "reviews/feedback/evidence_new.html", {"form": form, "preset": preset})
    subject = evidence_subject_find(viewer=user, email=request.POST.get("subject_email", ""))
    form = EvidenceForm(
        request.POST,
        choices=_competency_choices(request, subject) if subject else _all_choices(request),
        scope_items=_scope_items(request, subject or policy.viewer_person(user)),
    )
    if form.is_valid():
        if subject is None:
            form.add_error("subject_email", "Nobody active in the company has this e-mail address.")
        else:
            data = form.cleaned_data
            try:
                item = evidence_record(
                    actor=signed_in(request),
                    subject=subject,
                    kind=data["kind"],
                    text=data["text"],
                    link=data["link"],
                    competency_ids=data["competencies"],
                    occurred_on=data["occurred_on"],
                    scope=data["scope"],
                )
            except FeedbackProblem as problem:
                form.add_error(problem.field or None, problem.message)
            else:
                if policy.can(user, Action.EVIDENCE_VIEW, item.subject):
                    return HttpResponseRedirect(
                        reverse("feedback:evidence_person", kwargs={"person_id": item.subject_id})
                    )
                return HttpResponseRedirect(reverse("feedback:evidence_mine"))
    return render(request, "reviews/feedback/evidence_new.html", {"form": form, "preset": preset}, status=400)


def _scope_items(request: HttpRequest, subject: Person | None) -> list[str]:
    return evidence_scope_items(viewer=viewer(request), subject=subject) if subject is not None else []


def _all_choices(request: HttpRequest) -> list[tuple[str, str]]:
    # Without a subject the form is refused anyway; the viewer's own family's list keeps it readable.
    return _competency_choices(request, None)


@require_safe
def evidence_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """The evidence recorded about one person (for them, their managers and HR)."""
    user = viewer(request)
    person = evidence_person_get(viewer=user, person_id=person_id)
    page = Paginator(evidence_for_cycle(viewer=user, subject=person, since=None), EVIDENCE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reviews/feedback/evidence_list.html",
        {"person": person, "page": page, "rows": _evidence_rows(request, page.object_list)},
    )


def _evidence_rows(request: HttpRequest, items: Any) -> list[tuple[EvidenceItem, list[str]]]:
    """Each item with the names of its competencies (in the subject's family's words)."""
    names_by_family: dict[str, dict[str, str]] = {}
    rows = []
    for item in items:
        family = item.subject.family_id
        if family not in names_by_family:
            names_by_family[family] = dict(_competency_choices(request, item.subject))
        names = names_by_family[family]
        rows.append((item, [names.get(cid, cid) for cid in item.competency_ids]))
    return rows


@require_safe
def evidence_mine_page(request: HttpRequest) -> HttpResponse:
    """Evidence about the viewer and what they recorded about others."""
    user = viewer(request)
    policy.require(user, Action.EVIDENCE_RECORD)
    if policy.viewer_person(user) is None:
        raise Http404("no person")
    page = Paginator(evidence_mine(viewer=user), EVIDENCE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/feedback/evidence_list.html",
        {"person": None, "page": page, "rows": _evidence_rows(request, page.object_list)},
    )
