"""The forms of the opportunity pages. Each checks only the shape of what was typed; the services
check the rest and name the field they refuse."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.web.form_fields import choice_field
from trellis.web.mobility.models import (
    OPPORTUNITY_TEXT_MAX_LENGTH,
    OPPORTUNITY_TITLE_MAX_LENGTH,
    Application,
    Opportunity,
)
from trellis.web.mobility.services import RequirementInput
from trellis.web.people.models import Team

#: Rows of requirements the posting form offers (an opportunity asks for a handful, never dozens).
REQUIREMENT_ROWS = 6


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class OpportunityForm(_Form):
    kind = forms.ChoiceField(label="Kind", choices=Opportunity.Kind.choices)
    title = forms.CharField(label="Title", max_length=OPPORTUNITY_TITLE_MAX_LENGTH)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=OPPORTUNITY_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.order_by("name"), required=False)
    level = forms.ChoiceField(
        label="Level (roles)", required=False, help_text="The level the person moves to when they accept."
    )
    starts_on = _date("Starts on")
    ends_on = _date("Ends on (gigs and projects)")
    time_share = forms.IntegerField(
        label="Share of the week, in percent (gigs and projects)", min_value=1, max_value=100, initial=100
    )
    capacity = forms.IntegerField(
        label="People it takes (gigs and projects)", min_value=1, max_value=100, initial=1
    )

    def __init__(
        self,
        *args: Any,
        levels: list[tuple[str, str]],
        competencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "level").choices = [("", "—"), *levels]
        for row in range(1, REQUIREMENT_ROWS + 1):
            self.fields[f"competency_{row}"] = forms.ChoiceField(
                label=f"Required competency {row}", required=False, choices=[("", "—"), *competencies]
            )
            self.fields[f"minimum_{row}"] = forms.DecimalField(
                label=f"Minimum proficiency {row}",
                required=False,
                min_value=0,
                max_digits=4,
                decimal_places=2,
            )

    def requirement_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"competency_{row}"], self[f"minimum_{row}"]) for row in range(1, REQUIREMENT_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(1, REQUIREMENT_ROWS + 1):
            competency = cleaned.get(f"competency_{row}")
            minimum = cleaned.get(f"minimum_{row}")
            if competency and minimum is None and f"minimum_{row}" not in self.errors:
                self.add_error(f"minimum_{row}", "Give the minimum proficiency for this competency.")
            if minimum is not None and not competency:
                self.add_error(f"competency_{row}", "Choose the competency this minimum is for.")
        return cleaned

    def requirements(self) -> list[RequirementInput]:
        return [
            RequirementInput(
                self.cleaned_data[f"competency_{row}"], float(self.cleaned_data[f"minimum_{row}"])
            )
            for row in range(1, REQUIREMENT_ROWS + 1)
            if self.cleaned_data.get(f"competency_{row}")
            and self.cleaned_data.get(f"minimum_{row}") is not None
        ]

    @staticmethod
    def initial_of(opportunity: Opportunity) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": opportunity.kind,
            "title": opportunity.title,
            "description": opportunity.description,
            "team": opportunity.team_id,
            "level": f"{opportunity.family_id}/{opportunity.track_id}/{opportunity.level_code}"
            if opportunity.kind == Opportunity.Kind.ROLE
            else "",
            "starts_on": opportunity.starts_on,
            "ends_on": opportunity.ends_on,
            "time_share": opportunity.time_share,
            "capacity": opportunity.capacity,
        }
        for row, requirement in enumerate(opportunity.requirements.all(), start=1):
            initial[f"competency_{row}"] = requirement.competency_id
            initial[f"minimum_{row}"] = requirement.minimum
        return initial


class ApplyForm(_Form):
    action = forms.ChoiceField(
        label="What to do",
        choices=[
            ("save", "Save"),
            ("interest", "Express interest"),
            ("apply", "Apply"),
            ("withdraw", "Withdraw"),
            ("settings", "Save the settings"),
        ],
    )
    note = forms.CharField(
        label="A note to the hiring manager",
        required=False,
        max_length=OPPORTUNITY_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hidden_from_manager = forms.BooleanField(
        label="Keep this hidden from my manager until an interview",
        required=False,
        help_text="Your manager and anyone above them see it only once the hiring manager invites you to talk.",
    )


class StageForm(_Form):
    stage = forms.ChoiceField(label="Move to", choices=Application.Stage.choices)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StatusForm(_Form):
    status = forms.ChoiceField(
        label="Status", choices=[(Opportunity.Status.OPEN, "Open"), (Opportunity.Status.CLOSED, "Close")]
    )
