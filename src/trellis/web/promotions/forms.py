"""The forms of the promotion pages. Each only checks the shape of what was typed; the services
check the rest and name the field they refuse."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.web.promotions.models import PROMOTION_TEXT_MAX_LENGTH


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=PROMOTION_TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _case() -> forms.CharField:
    return _text(
        "The case for the promotion",
        required=False,
        help_text="What they do at the target level already, with examples. Required to submit.",
        rows=8,
    )


class TargetForm(_Form):
    """A target level of the published framework: any family and track, crossovers included."""

    target = forms.ChoiceField(label="Target level")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices  # type: ignore[attr-defined]

    def chosen_target(self) -> tuple[str, str, str]:
        family_id, track_id, level_code = self.cleaned_data["target"].split("/", 2)
        return family_id, track_id, level_code


class NominationForm(TargetForm):
    case = _case()


class CaseForm(_Form):
    case = _case()


class DeclineForm(_Form):
    reason = _text("Why not now", help_text="The employee sees this reason.", rows=3)


class WithdrawForm(_Form):
    reason = _text(
        "Why withdraw",
        help_text="Kept with the nomination; if they asked for the conversation, the employee sees it.",
        rows=3,
    )


class EndorseForm(_Form):
    note = _text("Your endorsement", help_text="Seen by the managers, the committee and HR.", rows=4)


class DecisionForm(_Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[("approved", "Approve"), ("not_yet", "Not yet")],
        widget=forms.RadioSelect,
    )
    effective_on = forms.DateField(
        label="Takes effect on",
        required=False,
        help_text="For an approval: the person's new level date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = _text(
        "Reason",
        help_text="Kept with the decision; a “not yet” reason is followed up. The subject sees only the outcome.",
        rows=4,
    )


class CommitteeForm(_Form):
    name = forms.CharField(label="Name", max_length=200)
    family_ids = forms.MultipleChoiceField(
        label="Families it decides for",
        required=False,
        help_text="None chosen: every family without a committee of its own.",
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.CharField(
        label="Members",
        help_text="Employee IDs or e-mail addresses, one a line.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, families: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["family_ids"].choices = families  # type: ignore[attr-defined]

    def member_references(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["members"].splitlines() if line.strip()]
