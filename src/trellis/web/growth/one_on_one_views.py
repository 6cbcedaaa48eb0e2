"""1:1 pages: a report's page for their manager (the conversation guide, the pair's meetings, a
form to plan the next one), one meeting's page for either of its pair (agenda, shared notes, the
viewer's own private notes, a form for each), and the viewer's own list of 1:1s.

Everyone but the pair is told a meeting does not exist (404), HR and IT admins included; a write
refused for bad input answers 400 with the form's error on its field, and stores nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth.models import OneOnOne
from trellis.web.growth.one_on_one_selectors import (
    guide_page_get,
    meeting_page_get,
    one_on_one_get,
    one_on_ones_mine,
)
from trellis.web.growth.one_on_one_services import (
    AGENDA_TEXT_MAX_LENGTH,
    NOTE_TEXT_MAX_LENGTH,
    OneOnOneProblem,
    agenda_item_add,
    agenda_item_tick,
    one_on_one_create,
    private_note_add,
    shared_note_add,
)
from trellis.web.people.selectors import person_get
from trellis.web.policy import Action


class StartForm(forms.Form):
    happens_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AgendaForm(forms.Form):
    text = forms.CharField(label="Topic", max_length=AGENDA_TEXT_MAX_LENGTH)


class SharedNoteForm(forms.Form):
    text = forms.CharField(
        label="Shared note (you both read it)",
        max_length=NOTE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label="Private note (only you will ever read it)",
        max_length=NOTE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _forms(**bound: forms.Form) -> dict[str, forms.Form]:
    # Each form carries its own prefix: three forms named "text" on one page need distinct ids.
    blank: dict[str, forms.Form] = {
        "agenda_form": AgendaForm(prefix="agenda"),
        "shared_form": SharedNoteForm(prefix="shared"),
        "private_form": PrivateNoteForm(prefix="private"),
    }
    return {**blank, **bound}


def _meeting_response(
    request: HttpRequest, meeting: OneOnOne, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    user = viewer(request)
    page = meeting_page_get(viewer=user, meeting=meeting)
    context: dict[str, Any] = {
        "page": page,
        "meeting": meeting,
        "other": meeting.report if page.as_manager else meeting.manager,
        "has_guide": page.as_manager and policy.can(user, Action.ONE_ON_ONE_GUIDE, meeting.report),
        **_forms(**bound),
    }
    return render(request, "growth/one_on_one_meeting.html", context, status=status)


@require_safe
def one_on_ones(request: HttpRequest) -> HttpResponse:
    """The viewer's own 1:1s, as a report and as a manager."""
    user = viewer(request)
    person = policy.viewer_person(user)
    meetings = one_on_ones_mine(viewer=user)
    return render(
        request,
        "growth/one_on_one_list.html",
        {
            "as_report": [
                meeting for meeting in meetings if meeting.report_id == getattr(person, "pk", None)
            ],
            "as_manager": [
                meeting for meeting in meetings if meeting.manager_id == getattr(person, "pk", None)
            ],
        },
    )


def _guide_response(
    request: HttpRequest, person_id: int, form: StartForm | None = None, status: int = 200
) -> HttpResponse:
    user = viewer(request)
    report = person_get(viewer=user, person_id=person_id)
    policy.require_visible(user, Action.ONE_ON_ONE_GUIDE, report)
    published = framework_published_get(viewer=user)
    page = guide_page_get(viewer=user, report=report, published=published)
    if form is None:
        form = StartForm(initial={"happens_on": timezone.localdate()})
    return render(
        request,
        "growth/one_on_one_guide.html",
        {"person": report, "page": page, "form": form, "today": timezone.localdate()},
        status=status,
    )


@require_safe
def one_on_one_guide(request: HttpRequest, person_id: int) -> HttpResponse:
    """A report's 1:1 page for their manager; 404 for anyone else."""
    return _guide_response(request, person_id)


@require_POST
def one_on_one_start(request: HttpRequest, person_id: int) -> HttpResponse:
    """Plan a 1:1 with a report, then open it."""
    user = viewer(request)
    report = person_get(viewer=user, person_id=person_id)
    policy.require_visible(user, Action.ONE_ON_ONE_GUIDE, report)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            meeting = one_on_one_create(
                actor=signed_in(request), report=report, happens_on=form.cleaned_data["happens_on"]
            )
        except OneOnOneProblem as problem:
            form.add_error(problem.field, problem.message)
        else:
            return redirect("growth:one_on_one", one_on_one_id=meeting.pk)
    return _guide_response(request, person_id, form=form, status=400)


@require_safe
def one_on_one(request: HttpRequest, one_on_one_id: int) -> HttpResponse:
    """One meeting, for either of its pair; 404 for anyone else."""
    meeting = one_on_one_get(viewer=viewer(request), one_on_one_id=one_on_one_id)
    return _meeting_response(request, meeting)


def _meeting_url(meeting: OneOnOne, anchor: str) -> str:
    return f"{reverse('growth:one_on_one', args=[meeting.pk])}#{anchor}"


def _write(
    request: HttpRequest,
    one_on_one_id: int,
    form_class: type[forms.Form],
    prefix: str,
    slot: str,
    write: Any,
    anchor: str,
) -> HttpResponse:
    meeting = one_on_one_get(viewer=viewer(request), one_on_one_id=one_on_one_id)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            write(actor=signed_in(request), meeting=meeting, text=form.cleaned_data["text"])
        except OneOnOneProblem as problem:
            form.add_error(problem.field, problem.message)
        else:
            return redirect(_meeting_url(meeting, anchor))
    return _meeting_response(request, meeting, status=400, **{slot: form})


@require_POST
def agenda_add(request: HttpRequest, one_on_one_id: int) -> HttpResponse:
    return _write(request, one_on_one_id, AgendaForm, "agenda", "agenda_form", agenda_item_add, "agenda")


@require_POST
def shared_note_create(request: HttpRequest, one_on_one_id: int) -> HttpResponse:
    return _write(
        request, one_on_one_id, SharedNoteForm, "shared", "shared_form", shared_note_add, "shared-notes"
    )


@require_POST
def private_note_create(request: HttpRequest, one_on_one_id: int) -> HttpResponse:
    return _write(
        request, one_on_one_id, PrivateNoteForm, "private", "private_form", private_note_add, "private-notes"
    )


@require_POST
def agenda_tick(request: HttpRequest, one_on_one_id: int) -> HttpResponse:
    """Tick an agenda item off (``done=1``) or reopen it (``done=0``); the item by ``item``."""
    meeting = one_on_one_get(viewer=viewer(request), one_on_one_id=one_on_one_id)
    item = request.POST.get("item", "")
    if not item.isdigit():
        return _meeting_response(request, meeting, status=400)
    agenda_item_tick(
        actor=signed_in(request), meeting=meeting, item_id=int(item), done=request.POST.get("done") == "1"
    )
    return redirect(_meeting_url(meeting, "agenda"))
