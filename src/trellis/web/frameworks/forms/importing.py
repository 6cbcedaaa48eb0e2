"""The forms that get content into the draft: a framework YAML file, a competency matrix
spreadsheet, a starter framework, and the YAML editor.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from trellis.framework.matrix import MAX_FILE_BYTES
from trellis.framework.templates import SIZES, catalogue
from trellis.web.form_fields import choice_field
from trellis.web.frameworks.forms.fields import (
    AuthoringForm,
    bounded_upload,
    live_lint_attributes,
    text_field,
)

#: The largest YAML file an import reads (the largest starter framework is about 0.2 MB).
MAX_YAML_BYTES = 5 * 1024 * 1024


class YamlImportForm(AuthoringForm):
    file = forms.FileField(
        label="Framework YAML file",
        help_text="A framework file as trellis lint reads it, e.g. framework.yaml.",
    )

    def clean_file(self) -> UploadedFile:
        return bounded_upload(self.cleaned_data["file"], MAX_YAML_BYTES)


MERGE = "merge"
REPLACE = "replace"


class MatrixImportForm(AuthoringForm):
    file = forms.FileField(
        label="Spreadsheet (CSV or XLSX)",
        help_text="Competencies down, levels across, a behaviour in every cell.",
    )
    family = text_field("Job family name", help_text='e.g. "Engineering"; its id is made from the name.')
    track = text_field(
        "Track name",
        required=False,
        help_text="For a CSV file or a workbook with one track sheet; empty: Individual contributor.",
    )
    mode = forms.ChoiceField(
        label="What to do with the draft",
        widget=forms.RadioSelect,
        choices=[
            (
                MERGE,
                "Merge: put this family into the draft, replacing the family with the same id if there "
                "is one and keeping every other family",
            ),
            (REPLACE, "Replace: the whole draft becomes this one family"),
        ],
        initial=MERGE,
    )

    def clean_file(self) -> UploadedFile:
        return bounded_upload(self.cleaned_data["file"], MAX_FILE_BYTES)


#: The starter sizes, worded for the form: one for each size the templates know.
_SIZE_CHOICES = [
    ("startup", "Startup: the first track of each family, four levels"),
    ("growth", "Growth: every track, up to IC6 and M3"),
    ("mid-size", "Mid-size: every track and level"),
]
assert {value for value, _ in _SIZE_CHOICES} == set(SIZES)


ADD = "add"


class StarterForm(AuthoringForm):
    """Families of the starter library: added to the draft beside its own (`ADD`, the default
    when the draft has content), or replacing the whole draft (`REPLACE`)."""

    families = forms.MultipleChoiceField(label="Job families", widget=forms.CheckboxSelectMultiple)
    size = forms.ChoiceField(
        label="Company size", widget=forms.RadioSelect, choices=_SIZE_CHOICES, initial="growth"
    )
    mode = forms.ChoiceField(
        label="What to do with the draft",
        widget=forms.RadioSelect,
        choices=[
            (
                ADD,
                "Add: put these families into the draft beside the ones it has, which stay as they are",
            ),
            (REPLACE, "Replace: the whole draft becomes these families"),
        ],
    )
    name = text_field(
        "Framework name",
        required=False,
        help_text="When replacing the draft; empty: named after the families.",
    )

    def __init__(self, *args: Any, draft_is_empty: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "families").choices = [
            (info.id, f"{info.name} — {info.description}") for info in catalogue()
        ]
        self.fields["mode"].initial = REPLACE if draft_is_empty else ADD


class YamlEditorForm(AuthoringForm):
    yaml_text = forms.CharField(
        label="Framework YAML",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code-editor"}),
        help_text="Saved in canonical form: comments are not kept. Saving is refused while there are errors.",
    )

    def __init__(self, *args: Any, lint_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if lint_url:
            self.fields["yaml_text"].widget.attrs.update(
                live_lint_attributes(lint_url, self["yaml_text"].auto_id)
            )
