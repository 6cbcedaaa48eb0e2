"""What every authoring form shares: the protocols an editor page relies on, the base forms that
carry the draft revision its writer read (for the optimistic lock), and the field builders.

Fields that change the structure are disabled for those who may only edit content (co-authors):
a disabled field keeps its initial value whatever is posted, so their save never changes structure.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import ErrorDict

from trellis.framework.editing import Address, Edit, SetFields
from trellis.framework.model import TrackKind

#: htmx asks for the findings of a field this long after the last key press.
LIVE_LINT_TRIGGER = "keyup changed delay:400ms"

#: The kinds of track, worded for the forms that create or edit a track.
TRACK_KINDS = [
    (TrackKind.IC.value, "Individual contributor"),
    (TrackKind.MANAGEMENT.value, "Management"),
    (TrackKind.NAMED.value, "Named track"),
]


class EditsForm(Protocol):
    """What an editor page needs of any of its forms: it validates the posted input, carries the
    revision its writer read and turns its input into edits."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    @property
    def errors(self) -> ErrorDict: ...

    def is_valid(self) -> bool: ...

    def add_error(self, field: str | None, error: Any) -> None: ...

    def edits(self) -> list[Edit]: ...


class FieldsEditor(EditsForm, Protocol):
    """The main form of an editor page (`FieldsForm`, `BehavioursForm`): each field points into the
    framework, so that findings show beside it and it can be linted alone as one types."""

    @property
    def scope(self) -> Address:
        """The thing the form edits: its findings that no field claims show with the form."""
        ...

    def visible_fields(self) -> list[forms.BoundField]: ...

    def target_of(self, name: str) -> tuple[Address, str] | None:
        """What form field `name` edits: an address and a model field (None for no field)."""
        ...

    def lint_edits(self, name: str) -> list[Edit]:
        """The edit of field `name` alone, with its proposed value (after validation)."""
        ...


class LinesField(forms.CharField):
    """A list of short texts, one per line; blank lines are ignored."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    # The field's value is a list where CharField's is a text: a narrower contract than the base
    # class declares, which every caller of this field relies on.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


class AuthoringForm(forms.Form):
    """Labels without a trailing colon, and the draft revision the writer read."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, revision: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if revision is not None:
            self.fields["revision"].initial = revision

    def edits(self) -> list[Edit]:
        """The edits the valid form asks for."""
        raise NotImplementedError


class FieldsForm(AuthoringForm):
    """Edits some fields of one thing of the framework (`address`).

    `model_fields` maps form fields to the model fields they set (default: the same name);
    `structural` lists the form fields disabled for content-only authors; `live_lint` the text
    fields that ask for their findings as one types.
    """

    model_fields: ClassVar[dict[str, str]] = {}
    structural: ClassVar[frozenset[str]] = frozenset()
    live_lint: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        *args: Any,
        address: Address,
        target: Any,
        structure: bool,
        lint_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.address = address
        self.target = target
        self.structure = structure
        for name in self.fields:
            if name == "revision":
                continue
            self.fields[name].initial = self.initial_value(name)
            if name in self.structural and not structure:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Only HR changes this (it is part of the structure)."
        if lint_url:
            for name in self.live_lint:
                self.fields[name].widget.attrs.update(
                    live_lint_attributes(lint_url, self[name].auto_id, name)
                )

    def initial_value(self, name: str) -> Any:
        return getattr(self.target, self.model_fields.get(name, name), None)

    def values(self) -> dict[str, Any]:
        """Model field → new value, from the cleaned data."""
        return {
            self.model_fields.get(name, name): value
            for name, value in self.cleaned_data.items()
            if name != "revision"
        }

    @property
    def scope(self) -> Address:
        return self.address

    def edits(self) -> list[Edit]:
        return [SetFields(self.address, self.values())]

    def target_of(self, name: str) -> tuple[Address, str] | None:
        """What form field `name` edits: an address and a model field (for its findings)."""
        if name not in self.fields or name == "revision":
            return None
        return self.address, self.model_fields.get(name, name)

    def lint_edits(self, name: str) -> list[Edit]:
        """The edit of field `name` alone, with its proposed value (the form has been validated)."""
        target = self.target_of(name)
        if target is None or name not in self.cleaned_data:
            return []
        address, model_field = target
        return [SetFields(address, {model_field: self.cleaned_data[name]})]


def live_lint_attributes(lint_url: str, auto_id: str, name: str = "") -> dict[str, str]:
    """The htmx attributes that post a field's text as one types and show its findings beside it
    (`name`: the form field the lint endpoint lints alone; empty: the whole form)."""
    return {
        "hx-post": f"{lint_url}?field={name}" if name else lint_url,
        "hx-trigger": LIVE_LINT_TRIGGER,
        "hx-target": f"#findings-{auto_id}",
        "hx-swap": "innerHTML",
    }


def text_field(
    label: str, *, required: bool = True, rows: int | None = None, help_text: str = ""
) -> forms.CharField:
    """A labelled text input, or a text area of `rows` rows."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, widget=widget, help_text=help_text)


def tracks_field() -> forms.MultipleChoiceField:
    """The tracks a family competency is assessed on; the form sets the choices."""
    return forms.MultipleChoiceField(
        label="Assessed on tracks",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every track of the family.",
    )


def bounded_upload(upload: UploadedFile, limit: int) -> UploadedFile:
    """The upload, or a form error naming the limit when it is larger than `limit` bytes."""
    if upload.size is not None and upload.size > limit:
        raise ValidationError(f"the file is larger than {limit // (1024 * 1024)} MB")
    return upload
