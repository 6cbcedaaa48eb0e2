"""The profile's "Mark as left" and "Mark as rejoined" (HR): a confirm form with the date and an
optional reason; the service ends or restores the person's sign-in in the same transaction."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trellis.web import policy
from trellis.web.accounts.viewer import signed_in, viewer
from trellis.web.people.leaving import REASON_MAX_LENGTH, person_mark_left, person_mark_rejoined
from trellis.web.people.selectors import person_get
from trellis.web.policy import Action


class EmploymentChangeForm(forms.Form):
    on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="Seen by HR only.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, rejoining: bool, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["on"].label = "Rejoined on" if rejoining else "Left on"


def _change(request: HttpRequest, person_id: int, *, rejoining: bool) -> HttpResponse:
    reader = viewer(request)
    person = person_get(viewer=reader, person_id=person_id)
    policy.require(reader, Action.PERSON_UPDATE, person)
    if person.is_active == rejoining:
        # Already so: the profile shows the other action.
        return redirect("people:detail", person_id=person.pk)
    if request.method == "POST":
        form = EmploymentChangeForm(request.POST, rejoining=rejoining)
        if form.is_valid():
            on, reason = form.cleaned_data["on"], form.cleaned_data["reason"]
            try:
                if rejoining:
                    person_mark_rejoined(
                        actor=signed_in(request), person=person, rejoined_on=on, reason=reason
                    )
                else:
                    person_mark_left(actor=signed_in(request), person=person, left_on=on, reason=reason)
            except ValidationError as refused:
                for name, errors in refused.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    "Marked as rejoined. If their account was deactivated because they left, it signs in again (without its former roles)."
                    if rejoining
                    else "Marked as left. Their account is deactivated, their sessions are ended and their roles removed.",
                )
                return redirect("people:detail", person_id=person.pk)
        status = 400
    else:
        form = EmploymentChangeForm(initial={"on": timezone.localdate()}, rejoining=rejoining)
        status = 200
    has_account = person.user_id is not None
    return render(
        request,
        "people/person_leaving.html",
        {"person": person, "form": form, "rejoining": rejoining, "has_account": has_account},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def person_mark_left_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _change(request, person_id, rejoining=False)


@require_http_methods(["GET", "HEAD", "POST"])
def person_mark_rejoined_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _change(request, person_id, rejoining=True)
