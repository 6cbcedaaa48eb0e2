"""The forms of the workflow (submit for review, publish, return to the authors) and of comparing
two versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from trellis.web.form_fields import choice_field
from trellis.web.frameworks.forms.fields import AuthoringForm


class WorkflowForm(AuthoringForm):
    """Submit for review, or publish: the revision the person looked at is what they act on."""


class ReturnForm(AuthoringForm):
    comment = forms.CharField(
        label="What should the authors change?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the authors on the authoring page.",
    )


class CompareForm(forms.Form):
    """Two sides to compare: version numbers, or "draft" for those who may read it."""

    old = forms.ChoiceField(label="From")
    new = forms.ChoiceField(label="To")

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            choice_field(self, name).choices = list(choices)
