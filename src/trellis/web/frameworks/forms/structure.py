"""The forms that change the framework's structure: adding families, tracks, levels, competencies,
promotions and lateral paths; renaming, moving and removing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from trellis.framework.editing import (
    CompetencyAdd,
    Edit,
    FamilyAdd,
    LateralPathAdd,
    LevelAdd,
    LevelMove,
    LevelRemove,
    PromotionAdd,
    TrackAdd,
)
from trellis.framework.model import LevelRef, TrackKind
from trellis.web.form_fields import choice_field
from trellis.web.frameworks.forms.fields import TRACK_KINDS, AuthoringForm, text_field, tracks_field

_IDENTIFIER_HELP = 'Lower-case letters, digits, "_" or "-", starting with a letter; e.g. "system_design".'


def _identifier(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=64, help_text=_IDENTIFIER_HELP)


class FamilyAddForm(AuthoringForm):
    family = _identifier("Id")
    name = text_field("Name")

    def edits(self) -> list[Edit]:
        return [FamilyAdd(self.cleaned_data["family"], self.cleaned_data["name"])]


class TrackAddForm(AuthoringForm):
    track = _identifier("Id")
    name = text_field("Name")
    kind = forms.ChoiceField(label="Kind", choices=TRACK_KINDS)

    def __init__(self, *args: Any, family_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family_id = family_id

    def edits(self) -> list[Edit]:
        data = self.cleaned_data
        return [TrackAdd(self.family_id, data["track"], data["name"], TrackKind(data["kind"]))]


class LevelAddForm(AuthoringForm):
    code = forms.CharField(label="Code", max_length=32, help_text='e.g. "IC7"; unique in the family.')
    name = text_field("Name")
    title = text_field("Title")

    def __init__(self, *args: Any, family_id: str, track_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family_id, self.track_id = family_id, track_id

    def edits(self) -> list[Edit]:
        data = self.cleaned_data
        return [LevelAdd(self.family_id, self.track_id, data["code"], data["name"], data["title"])]


class CompetencyAddForm(AuthoringForm):
    competency = _identifier("Id")
    name = text_field("Name")
    tracks = tracks_field()

    def __init__(
        self, *args: Any, family_id: str | None, track_ids: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.family_id = family_id
        if family_id is None:
            del self.fields["tracks"]
        else:
            choice_field(self, "tracks").choices = [(track_id, track_id) for track_id in track_ids]

    def edits(self) -> list[Edit]:
        data = self.cleaned_data
        return [
            CompetencyAdd(self.family_id, data["competency"], data["name"], tuple(data.get("tracks") or ()))
        ]


class PromotionAddForm(AuthoringForm):
    from_level = forms.ChoiceField(label="From level")
    to_level = forms.ChoiceField(label="To level")

    def __init__(self, *args: Any, family_id: str, codes: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family_id = family_id
        for name in ("from_level", "to_level"):
            choice_field(self, name).choices = [(code, code) for code in codes]

    def edits(self) -> list[Edit]:
        data = self.cleaned_data
        return [PromotionAdd(self.family_id, data["from_level"], data["to_level"])]


class LateralPathAddForm(AuthoringForm):
    source_family = forms.ChoiceField(label="From family")
    source_level = forms.CharField(label="From level", max_length=32)
    destination_family = forms.ChoiceField(label="To family")
    destination_level = forms.CharField(label="To level", max_length=32)

    def __init__(self, *args: Any, family_ids: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source_family", "destination_family"):
            choice_field(self, name).choices = [(family_id, family_id) for family_id in family_ids]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for end in ("source", "destination"):
            if f"{end}_family" in data and f"{end}_level" in data:
                try:
                    data[end] = LevelRef(family=data[f"{end}_family"], level=data[f"{end}_level"])
                except ValueError:
                    self.add_error(f"{end}_level", "that is not a level code")
        return data

    def edits(self) -> list[Edit]:
        return [LateralPathAdd(self.cleaned_data["source"], self.cleaned_data["destination"])]


class RenameForm(AuthoringForm):
    """A new id (or level code) for something; every reference to it follows."""

    new_id = forms.CharField(label="New id", max_length=64, help_text=_IDENTIFIER_HELP)

    def __init__(
        self, *args: Any, edit: Any, label: str = "New id", help_text: str = _IDENTIFIER_HELP, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.make_edit = edit
        self.fields["new_id"].label = label
        self.fields["new_id"].help_text = help_text

    def edits(self) -> list[Edit]:
        return [self.make_edit(self.cleaned_data["new_id"].strip())]


class ConfirmForm(AuthoringForm):
    """A removal (or another one-button change), confirmed by ticking a box when `confirm` is given."""

    confirm = forms.BooleanField(label="Yes, remove it", required=True)

    def __init__(self, *args: Any, edit: Any, confirm: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edit = edit
        if confirm:
            self.fields["confirm"].label = confirm
        else:
            del self.fields["confirm"]

    def edits(self) -> list[Edit]:
        return [self.edit]


class LevelMoveForm(AuthoringForm):
    code = forms.CharField(widget=forms.HiddenInput)
    offset = forms.TypedChoiceField(label="Move", choices=[("1", "up"), ("-1", "down")], coerce=int)

    def __init__(self, *args: Any, family_id: str, track_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family_id, self.track_id = family_id, track_id

    def edits(self) -> list[Edit]:
        return [
            LevelMove(self.family_id, self.track_id, self.cleaned_data["code"], self.cleaned_data["offset"])
        ]


class LevelRemoveForm(AuthoringForm):
    code = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, family_id: str, track_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family_id, self.track_id = family_id, track_id

    def edits(self) -> list[Edit]:
        return [LevelRemove(self.family_id, self.track_id, self.cleaned_data["code"])]
