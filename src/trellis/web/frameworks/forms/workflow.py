"""The forms of the workflow (submit for review, publish, return to the authors) and of comparing
two versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from trellis.web.form_fields import choice_field
from trellis.web.frameworks.forms.fields import AuthoringForm


class WorkflowForm(AuthoringForm):
    """Submit for review: the revision the person looked at is what they act on."""


_CONFIRMATION_SALT = "trellis.frameworks.publish-confirmation"
#: Said when a publish arrives without the confirmation of the page that shows what it publishes.
CONFIRMATION_NEEDED = (
    "Publishing needs your confirmation: review the findings and the changes on this page, then "
    "publish. Nothing was published."
)


def publish_confirmation(*, user_id: int, revision: int) -> str:
    """The token the publish page carries: this person saw the findings and changes of `revision`.
    Signed with the secret key, so only the page can make one."""
    return signing.dumps({"user": user_id, "revision": revision}, salt=_CONFIRMATION_SALT)


class PublishForm(AuthoringForm):
    """Publish the draft: the revision HR looked at on the publish page, and that page's confirmation
    (`publish_confirmation`) for that revision and that person. A post without it, or with one made
    for another revision or person, is refused (`CONFIRMATION_NEEDED`)."""

    confirmation = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user_id: int, revision: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, revision=revision, **kwargs)
        self.user_id = user_id
        if revision is not None:
            self.fields["confirmation"].initial = publish_confirmation(user_id=user_id, revision=revision)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        token = data.get("confirmation", "")
        try:
            confirmed = signing.loads(token, salt=_CONFIRMATION_SALT) if token else None
        except signing.BadSignature:
            confirmed = None
        if not isinstance(confirmed, dict) or confirmed.get("user") != self.user_id:
            raise ValidationError(CONFIRMATION_NEEDED, code="unconfirmed")
        if "revision" in data and confirmed.get("revision") != data["revision"]:
            raise ValidationError(CONFIRMATION_NEEDED, code="unconfirmed")
        return data


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
