"""The forms of the objectives page. Each checks only the shape of what was typed; the services
check the rest and name the field they refuse."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.web.growth.models import GROWTH_TITLE_MAX_LENGTH
from trellis.web.growth.plan_forms import DateInput


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ObjectiveForm(_Form):
    level = forms.ChoiceField(label="Level")
    title = forms.CharField(label="Objective", max_length=GROWTH_TITLE_MAX_LENGTH)
    parent = forms.TypedChoiceField(
        label="Under the objective",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="A team objective hangs from a company one; a personal objective from a team one.",
    )
    starts_on = forms.DateField(label="Starts", widget=DateInput)
    ends_on = forms.DateField(label="Ends", widget=DateInput)
    weight = forms.FloatField(
        label="Weight", initial=1.0, help_text="How much it counts in its parent's progress."
    )

    def __init__(
        self, *args: Any, levels: list[tuple[str, str]], parents: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels  # type: ignore[attr-defined]
        self.fields["parent"].choices = [("", "None (a company objective)"), *parents]  # type: ignore[attr-defined]


class KeyResultForm(_Form):
    title = forms.CharField(label="Key result", max_length=GROWTH_TITLE_MAX_LENGTH)
    start_value = forms.FloatField(label="From", initial=0.0)
    target_value = forms.FloatField(label="To")
    unit = forms.CharField(label="Unit", required=False, max_length=32)
    weight = forms.FloatField(label="Weight", initial=1.0)


class MeasureForm(_Form):
    current_value = forms.FloatField(label="Value now")
