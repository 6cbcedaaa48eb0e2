"""Forms of the people pages: the import's upload and column mapping, the people list's filters and
a person's edit page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from trellis.framework.model import Framework
from trellis.organisation.import_mapping import ColumnMapping, column_date_formats, mapping_problems
from trellis.organisation.import_reading import LIMITS, Table
from trellis.organisation.import_values import DATE_FORMAT_LABELS, DateFormat
from trellis.organisation.person_fields import FIELDS, FIELDS_BY_KEY, MAX_LENGTHS
from trellis.tabular import column_letter
from trellis.tabular.limits import file_too_large
from trellis.web.form_fields import SPREADSHEET_ACCEPT, choice_field
from trellis.web.people.models import Person, level_key
from trellis.web.people.selectors import PEOPLE_SORTS


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="HRIS export",
        help_text=(
            "A CSV file (UTF-8; commas, semicolons or tabs between values) or an Excel workbook "
            "(.xlsx, its first sheet), with one header row and one row per person."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEET_ACCEPT}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > LIMITS.file_bytes:
            # Refused before the file is read, in the reader's words (naming the limit).
            raise forms.ValidationError(file_too_large(upload.name or "", LIMITS).reason, code="too_large")
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per Trellis field: which column of the file fills it, or none."""

    NOT_IN_FILE = "— not in the file —"

    def __init__(self, *args: Any, table: Table, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        choices = [("", self.NOT_IN_FILE)] + [
            (str(index), f"{column_letter(index + 1)}: {header}")
            for index, header in enumerate(table.headers)
        ]
        for import_field in FIELDS:
            self.fields[import_field.key] = forms.TypedChoiceField(
                label=import_field.label,
                help_text=import_field.help_text,
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
            )
        self.fields["date_format"] = forms.TypedChoiceField(
            label="Date format",
            help_text=(
                "How numeric dates such as 03/04/2024 are read. ISO dates (2025-12-31) and dates "
                "with the month's name are read whatever the choice."
            ),
            choices=list(DATE_FORMAT_LABELS.items()),
            coerce=DateFormat,
            initial=DateFormat.DETECT,
            required=False,
            empty_value=DateFormat.DETECT,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        problems = mapping_problems(self.mapping(), len(self.table.headers))
        if not problems:
            problems.update(column_date_formats(self.table, self.mapping(), self.date_format())[1])
        for key, message in problems.items():
            self.add_error(key, message)
        return cleaned

    def date_format(self) -> DateFormat:
        """The chosen date format, from the cleaned data."""
        return DateFormat(self.cleaned_data.get("date_format") or DateFormat.DETECT)

    def mapping(self) -> ColumnMapping:
        """Field key → column index (None: not in the file), from the cleaned data."""
        return {import_field.key: self.cleaned_data.get(import_field.key) for import_field in FIELDS}


class PeopleFilterForm(forms.Form):
    """Search and filters of the people list (a GET form: every filter is a link)."""

    q = forms.CharField(label="Name, title or team", required=False, max_length=100)
    family = forms.ChoiceField(label="Job family", required=False)
    level = forms.ChoiceField(label="Level", required=False)
    include_left = forms.BooleanField(label="Include people who have left", required=False)
    #: The column the list is sorted by, and its direction: set by the column headers' links, kept
    #: by the search. An unknown key is ignored (the list is then by name).
    sort = forms.ChoiceField(
        choices=[(key, key) for key in PEOPLE_SORTS], required=False, widget=forms.HiddenInput
    )
    dir = forms.ChoiceField(
        choices=[("asc", "asc"), ("desc", "desc")], required=False, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, framework: Framework | None, may_include_left: bool, **kwargs: Any
    ) -> None:
        # A filter bar reads as a row of labels; a colon after "Include people who have left",
        # beside its box, reads as a question left open.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        families = framework.families if framework is not None else []
        choice_field(self, "family").choices = [("", "All families")] + [(f.id, f.name) for f in families]
        # Level codes in ladder order, each once: IC3 is the same stage whichever family has it.
        codes = dict.fromkeys(level.code for f in families for t in f.tracks for level in t.levels)
        choice_field(self, "level").choices = [("", "All levels"), *((code, code) for code in codes)]
        if not may_include_left:
            del self.fields["include_left"]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is shown as an error and ignored)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "query": (data.get("q") or "").strip(),
            "family_id": data.get("family") or "",
            "level_code": data.get("level") or "",
            "include_left": bool(data.get("include_left")),
        }

    def ordering(self) -> tuple[str, bool]:
        """The valid sort key and whether it is descending (by name, A to Z, when none is valid)."""
        data = getattr(self, "cleaned_data", {})
        return data.get("sort") or "name", data.get("dir") == "desc"


class PersonEditForm(forms.Form):
    """What HR edits on a profile: name, title, team, manager and level with its effective date.

    Labels and lengths are `person_fields`'; the level is one choice of the published framework's
    levels (``family/track/level``), the person's current one kept when the framework lacks it.
    The manager is named by employee ID or e-mail address; the view finds them.
    """

    full_name = forms.CharField(label=FIELDS_BY_KEY["full_name"].label, max_length=MAX_LENGTHS["full_name"])
    title = forms.CharField(
        label=FIELDS_BY_KEY["title"].label, max_length=MAX_LENGTHS["title"], required=False
    )
    team = forms.CharField(
        label=FIELDS_BY_KEY["team"].label,
        max_length=MAX_LENGTHS["team"],
        required=False,
        help_text="An existing team, or a new name to create one; blank for no team.",
        widget=forms.TextInput(attrs={"list": "team-names", "autocomplete": "off"}),
    )
    manager = forms.CharField(
        label="Manager (employee ID or e-mail)",
        max_length=MAX_LENGTHS["email"],
        required=False,
        help_text="Blank for nobody.",
    )
    level = forms.ChoiceField(label=FIELDS_BY_KEY["level_code"].label)
    level_since = forms.DateField(
        label="Level effective from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text="For a new level: the day it takes effect (blank: today). Without a new level: corrects the current level's date.",
    )

    def __init__(self, *args: Any, framework: Framework | None, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = level_key(person.family_id, person.track_id, person.level_code)
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        known = False
        for family in framework.families if framework is not None else []:
            for track in family.tracks:
                options = []
                for level in track.levels:
                    key = level_key(family.id, track.id, level.code)
                    known = known or key == current
                    options.append((key, f"{level.code} {level.name}"))
                groups.append((f"{family.name} · {track.name}", options))
        if not known:
            groups.insert(
                0, ("Current", [(current, f"{person.level_code} (not in the published framework)")])
            )
        choice_field(self, "level").choices = groups
        self.current_level = current

    def level_parts(self) -> tuple[str, str, str]:
        """The chosen family id, track id and level code."""
        family_id, track_id, level_code = self.cleaned_data["level"].split("/", 2)
        return family_id, track_id, level_code
