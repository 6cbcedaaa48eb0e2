"""The forms of calibration pages; the services check what the forms cannot."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms

from trellis.web.people.models import Person
from trellis.web.reviews.models import CALIBRATION_TEXT_MAX_LENGTH


class GroupCreateForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    members = forms.ModelMultipleChoiceField(
        label="Managers who calibrate together",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The people they manage in this cycle, not yet in a group, join it.",
    )

    def __init__(self, *args: Any, managers: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Person.objects.filter(pk__in=[manager.pk for manager in managers]).order_by(
            "full_name"
        )


class TargetForm(forms.Form):
    """One share (a percentage) per point of the scale; all blank clears the target."""

    def __init__(
        self, *args: Any, points: Sequence[int], current: dict[str, float] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.points = tuple(points)
        for point in self.points:
            share = (current or {}).get(str(point))
            self.fields[f"share_{point}"] = forms.DecimalField(
                label=f"Share at {point} (%)",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=1,
                initial=None if share is None else _percent(share),
            )

    def shares(self) -> dict[int, float] | None:
        values = {point: self.cleaned_data.get(f"share_{point}") for point in self.points}
        if all(value is None for value in values.values()):
            return None
        return {point: float(value or 0) / 100 for point, value in values.items()}


def _percent(share: float) -> Decimal | int:
    """A stored share as the form shows it: 0.2 → 20, 0.125 → 12.5."""
    value = round(share * 100, 1)
    return int(value) if float(value).is_integer() else Decimal(str(value))


class AdjustForm(forms.Form):
    competency_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    score = forms.TypedChoiceField(label="Calibrated rating", coerce=int)
    reason = forms.CharField(
        label="Why", max_length=CALIBRATION_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, points: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        score = self.fields["score"]
        assert isinstance(score, forms.TypedChoiceField)
        score.choices = [(point, str(point)) for point in points]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note (seen by the session's members and HR, never by the person)",
        max_length=CALIBRATION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
