"""The forms of the development plan page. Each checks only the shape of what was typed; the
services check the rest and name the field they refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from trellis.web.growth.models import GROWTH_TEXT_MAX_LENGTH, GROWTH_TITLE_MAX_LENGTH, Goal
from trellis.web.growth.models import Action as PlanAction
from trellis.web.reviews.models import EVIDENCE_TEXT_MAX_LENGTH


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    """A browser's date picker, which reads and writes ISO dates whatever the page's locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class GoalForm(_Form):
    title = forms.CharField(label="Goal", max_length=GROWTH_TITLE_MAX_LENGTH)
    competency_id = forms.ChoiceField(label="Competency it develops", required=False)
    target_proficiency = forms.TypedChoiceField(
        label="Proficiency to reach", required=False, coerce=int, empty_value=None
    )
    key_result = forms.TypedChoiceField(
        label="Key result it serves", required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        competencies: list[tuple[str, str]],
        levels: list[int],
        key_results: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency_id"].choices = [("", "None"), *competencies]  # type: ignore[attr-defined]
        self.fields["target_proficiency"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(value), str(value)) for value in levels
        ]
        self.fields["key_result"].choices = [("", "None"), *key_results]  # type: ignore[attr-defined]


class GoalStatusForm(_Form):
    status = forms.ChoiceField(label="Status", choices=Goal.Status.choices)


class ActionForm(_Form):
    kind = forms.ChoiceField(label="Kind", choices=PlanAction.Kind.choices)
    title = forms.CharField(label="Action", max_length=GROWTH_TITLE_MAX_LENGTH)
    due_on = forms.DateField(label="Due", required=False, widget=DateInput)
    link = forms.CharField(label="Link", required=False, max_length=500)


class ActionStatusForm(_Form):
    status = forms.ChoiceField(label="Status", choices=PlanAction.Status.choices)
    evidence = forms.CharField(
        label="What it produced (recorded as evidence)",
        required=False,
        max_length=EVIDENCE_TEXT_MAX_LENGTH,
        help_text="When it is done: a sentence or two, recorded as a win for the goal's competency.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressForm(_Form):
    text = forms.CharField(
        label="How it is going", max_length=GROWTH_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    percent = forms.IntegerField(label="How far along (%)", min_value=0, max_value=100)


class CheckInForm(_Form):
    happened_on = forms.DateField(label="Day", widget=DateInput, initial=timezone.localdate)
    summary = forms.CharField(
        label="Check-in", max_length=GROWTH_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
