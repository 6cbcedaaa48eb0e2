"""Forms of the framework's authoring pages. Every field is labelled; every edit form carries the
draft revision its writer read (for the optimistic lock) and turns its input into the pure edits of
`trellis.framework.editing`.

Fields that change the structure are disabled for those who may only edit content (co-authors):
a disabled field keeps its initial value whatever is posted, so their save never changes structure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from trellis.framework import wording
from trellis.framework.editing import (
    Address,
    CompetencyAdd,
    Edit,
    ExpectationAddress,
    FamilyAdd,
    LateralPathAdd,
    LevelAdd,
    LevelMove,
    LevelRemove,
    PromotionAdd,
    SetFields,
    TrackAdd,
)
from trellis.framework.matrix import MAX_FILE_BYTES
from trellis.framework.model import (
    BEHAVIOUR_MAX_LENGTH,
    CompensationBand,
    Framework,
    Gap,
    LevelRef,
    RequiredCompetency,
    TimeAtLevel,
    TimeUnit,
    Track,
    TrackKind,
)
from trellis.framework.templates import SIZES, catalogue
from trellis.web.form_fields import choice_field

#: The largest YAML file an import reads (the largest starter framework is about 0.2 MB).
MAX_YAML_BYTES = 5 * 1024 * 1024

#: htmx asks for the findings of a field this long after the last key press.
LIVE_LINT_TRIGGER = "keyup changed delay:400ms"

_TRACK_KINDS = [
    (TrackKind.IC.value, "Individual contributor"),
    (TrackKind.MANAGEMENT.value, "Management"),
    (TrackKind.NAMED.value, "Named track"),
]
_TIME_UNITS = [(unit.value, unit.value.capitalize()) for unit in TimeUnit]
_IDENTIFIER_HELP = 'Lower-case letters, digits, "_" or "-", starting with a letter; e.g. "system_design".'


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
                    live_lint_attributes(lint_url, name, self[name].auto_id)
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


def live_lint_attributes(lint_url: str, name: str, auto_id: str) -> dict[str, str]:
    """The htmx attributes that post a field's text as one types and show its findings beside it."""
    return {
        "hx-post": f"{lint_url}?field={name}",
        "hx-trigger": LIVE_LINT_TRIGGER,
        "hx-target": f"#findings-{auto_id}",
        "hx-swap": "innerHTML",
    }


def _text(
    label: str, *, required: bool = True, rows: int | None = None, help_text: str = ""
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, widget=widget, help_text=help_text)


class FrameworkSettingsForm(FieldsForm):
    name = _text("Name")
    description = _text("Description", required=False, rows=3)
    version = _text("Version label", required=False, help_text="Optional: the label your company uses.")
    live_lint = frozenset({"description"})


class FamilyForm(FieldsForm):
    name = _text("Name")
    description = _text("Description", required=False, rows=3, help_text="The kind of work the family does.")
    live_lint = frozenset({"description"})


class TrackForm(FieldsForm):
    name = _text("Name")
    kind = forms.ChoiceField(label="Kind", choices=_TRACK_KINDS)
    description = _text("Description", required=False, rows=3)
    structural = frozenset({"kind"})
    live_lint = frozenset({"description"})

    def initial_value(self, name: str) -> Any:
        value = super().initial_value(name)
        return value.value if name == "kind" else value


class CrossoverForm(FieldsForm):
    """Where this track branches off another one, and what moving onto it asks."""

    # Not required by the form: a content author's disabled copy may be empty, and the edit itself
    # says which level is missing when a crossover is created without one.
    from_level = forms.ChoiceField(label="From level (on another track)", required=False)
    to_level = forms.ChoiceField(label="To level (on this track)", required=False)
    two_way = forms.BooleanField(
        label="People may move back to the level they came from without penalty", required=False
    )
    entry_criteria = LinesField(label="Entry criteria", help_text="One per line.")
    structural = frozenset({"from_level", "to_level", "two_way"})
    live_lint = frozenset({"entry_criteria"})

    def __init__(self, *args: Any, track: Track, other_levels: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "from_level").choices = [("", "—"), *[(code, code) for code in other_levels]]
        choice_field(self, "to_level").choices = [
            ("", "—"),
            *[(level.code, level.code) for level in track.levels],
        ]

    def initial_value(self, name: str) -> Any:
        if self.target is None:
            return True if name == "two_way" else ""
        return super().initial_value(name)


class LevelForm(FieldsForm):
    name = _text("Name")
    title = _text("Title", help_text="The one external title of the level.")
    title_variants = LinesField(label="Title variants", help_text="Other titles in use, one per line.")
    summary = _text(
        "Scope and autonomy",
        required=False,
        rows=3,
        help_text="One or two sentences: what someone at this level owns, and how independently.",
    )
    grade = forms.IntegerField(
        label="Grade",
        required=False,
        min_value=1,
        help_text="Comparable across the family's tracks; empty: the level's position.",
    )
    band_minimum = forms.FloatField(label="Band minimum", required=False, min_value=0)
    band_maximum = forms.FloatField(label="Band maximum", required=False, min_value=0)
    band_currency = _text("Band currency", required=False)
    min_months_in_level = forms.IntegerField(label="Minimum months in level", required=False, min_value=0)
    structural = frozenset({"grade", "band_minimum", "band_maximum", "band_currency", "min_months_in_level"})
    live_lint = frozenset({"summary", "title", "name"})

    def initial_value(self, name: str) -> Any:
        if name.startswith("band_"):
            band = self.target.band
            if band is None:
                return "USD" if name == "band_currency" else None
            if name == "band_currency":
                return band.currency
            # An input shows the figure as typed: "90000.5", never "90000.50" or "90,000.5".
            return wording.number(getattr(band, name.removeprefix("band_")))
        return super().initial_value(name)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        minimum, maximum = data.get("band_minimum"), data.get("band_maximum")
        if (minimum is None) != (maximum is None):
            missing = "band_minimum" if minimum is None else "band_maximum"
            self.add_error(missing, "give both ends of the band, or neither")
        elif minimum is not None and maximum is not None and maximum < minimum:
            self.add_error("band_maximum", "the maximum is below the minimum")
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            key: data[key]
            for key in ("name", "title", "title_variants", "summary", "grade", "min_months_in_level")
        }
        band = None
        if data.get("band_minimum") is not None and data.get("band_maximum") is not None:
            band = CompensationBand(
                minimum=data["band_minimum"],
                maximum=data["band_maximum"],
                currency=data.get("band_currency") or "USD",
            )
        values["band"] = band
        return values

    def target_of(self, name: str) -> tuple[Address, str] | None:
        if name.startswith("band_"):
            return self.address, "band"
        return super().target_of(name)


class CompetencyForm(FieldsForm):
    name = _text("Name")
    category = _text("Category", required=False)
    description = _text(
        "Description", required=False, rows=3, help_text="In one sentence, what the competency covers."
    )
    tracks = forms.MultipleChoiceField(
        label="Assessed on tracks",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every track of the family.",
    )
    structural = frozenset({"tracks"})
    live_lint = frozenset({"description"})

    def __init__(self, *args: Any, track_ids: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if track_ids is None:  # a core competency applies to every track
            del self.fields["tracks"]
        else:
            choice_field(self, "tracks").choices = [(track_id, track_id) for track_id in track_ids]


class BehavioursForm(AuthoringForm):
    """The expected proficiency and the behaviour of one competency at every level of a track."""

    def __init__(
        self,
        *args: Any,
        family_id: str,
        track: Track,
        competency_id: str,
        framework: Framework,
        lint_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.family_id = family_id
        self.track = track
        self.competency_id = competency_id
        line = track.expectations.get(competency_id, {})
        scale = [("", "—"), *[(str(p.value), f"{p.value} · {p.label}") for p in framework.scale.points]]
        for level in track.levels:
            expectation = line.get(level.code)
            proficiency = forms.TypedChoiceField(
                label=f"Expected proficiency at {level.code}",
                choices=scale,
                coerce=int,
                empty_value=None,
                required=False,
                initial=expectation.proficiency if expectation is not None else None,
            )
            behaviour = forms.CharField(
                label=f"Behaviour at {level.code}",
                required=False,
                max_length=BEHAVIOUR_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=expectation.behaviour if expectation is not None else "",
                help_text="One or two sentences with active, observable verbs.",
            )
            self.fields[f"{level.code}-proficiency"] = proficiency
            self.fields[f"{level.code}-behaviour"] = behaviour
            if lint_url:
                name = f"{level.code}-behaviour"
                behaviour.widget.attrs.update(live_lint_attributes(lint_url, name, self[name].auto_id))

    def _address(self, code: str) -> ExpectationAddress:
        return ExpectationAddress(self.family_id, self.track.id, self.competency_id, code)

    @property
    def scope(self) -> Address:
        """The competency's whole line on the track."""
        return ExpectationAddress(self.family_id, self.track.id, self.competency_id, None)

    def edits(self) -> list[Edit]:
        return [
            SetFields(
                self._address(level.code),
                {
                    "proficiency": self.cleaned_data.get(f"{level.code}-proficiency"),
                    "behaviour": self.cleaned_data.get(f"{level.code}-behaviour", ""),
                },
            )
            for level in self.track.levels
        ]

    def target_of(self, name: str) -> tuple[Address, str] | None:
        code, _, model_field = name.rpartition("-")
        if name not in self.fields or name == "revision":
            return None
        return self._address(code), model_field

    def lint_edits(self, name: str) -> list[Edit]:
        target = self.target_of(name)
        if target is None or name not in self.cleaned_data:
            return []
        address, model_field = target
        values: dict[str, Any] = {model_field: self.cleaned_data[name]}
        level_code = name.rpartition("-")[0]
        proficiency = self.cleaned_data.get(f"{level_code}-proficiency")
        if model_field == "behaviour" and proficiency is not None:
            values["proficiency"] = proficiency
        return [SetFields(address, values)]

    def levels(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (level, self[f"{level.code}-proficiency"], self[f"{level.code}-behaviour"])
            for level in self.track.levels
        ]


_REQUIRED_LINE = re.compile(r"^\s*(?P<competency>[^:\s]+)\s*:\s*(?P<minimum>[0-9]+(?:\.[0-9]+)?)\s*$")
_GAP_LINE = re.compile(
    r"^\s*(?P<competency>[^:|\s]+)\s*(?::\s*(?P<target>[0-9]+))?\s*(?:\|\s*(?P<note>.*))?$"
)


class PromotionForm(FieldsForm):
    min_average = forms.FloatField(label="Minimum average rating", required=False)
    floor = forms.FloatField(label="No competency rated below", required=False)
    required = LinesField(
        label="Required competencies",
        help_text='One per line: the competency id, a colon and the minimum rating, e.g. "system_design: 4".',
    )
    time_count = forms.IntegerField(label="Operating at the next level for", required=False, min_value=1)
    time_unit = forms.ChoiceField(label="Unit", choices=_TIME_UNITS, required=False)
    scope_evidence = LinesField(label="Scope evidence", help_text="One per line.")
    outcomes = LinesField(label="Measurable outcomes", help_text="One per line.")
    manager_endorsement = forms.BooleanField(label="Needs the manager's endorsement", required=False)
    calibration = forms.BooleanField(label="Needs calibration", required=False)
    live_lint = frozenset({"scope_evidence", "outcomes"})

    def initial_value(self, name: str) -> Any:
        if name == "required":
            return [f"{r.competency}: {wording.number(r.minimum)}" for r in self.target.required]
        if name in ("time_count", "time_unit"):
            time = self.target.time_at_next_level
            if time is None:
                return None if name == "time_count" else TimeUnit.QUARTERS.value
            return time.count if name == "time_count" else time.unit.value
        return super().initial_value(name)

    def clean_required(self) -> list[RequiredCompetency]:
        required = []
        for number, line in enumerate(self.cleaned_data["required"], start=1):
            match = _REQUIRED_LINE.match(line)
            if match is None:
                raise ValidationError(
                    f'line {number}: write the competency id, a colon and the minimum, e.g. "system_design: 4"'
                )
            required.append(
                RequiredCompetency(competency=match["competency"], minimum=float(match["minimum"]))
            )
        return required

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        count, unit = data.pop("time_count", None), data.pop("time_unit", None)
        data.pop("revision", None)
        data["time_at_next_level"] = (
            TimeAtLevel(count=count, unit=TimeUnit(unit or TimeUnit.QUARTERS.value)) if count else None
        )
        return data

    def target_of(self, name: str) -> tuple[Address, str] | None:
        if name in ("time_count", "time_unit"):
            return self.address, "time_at_next_level"
        return super().target_of(name)


class LateralPathForm(FieldsForm):
    description = _text("Description", required=False, rows=3)
    transferable = LinesField(label="Transferable competencies", help_text="Competency ids, one per line.")
    gaps = LinesField(
        label="Gaps to close",
        help_text='One per line: the competency id, optionally ": target" and "| note", e.g. '
        '"product_discovery: 4 | Frame problems from customer interviews".',
    )
    actions = LinesField(label="Suggested actions", help_text="One per line.")
    structural = frozenset({"transferable", "gaps"})
    live_lint = frozenset({"description"})

    def initial_value(self, name: str) -> Any:
        if name == "gaps":
            return [
                gap.competency
                + (f": {gap.target}" if gap.target is not None else "")
                + (f" | {gap.note}" if gap.note else "")
                for gap in self.target.gaps
            ]
        return super().initial_value(name)

    def clean_gaps(self) -> list[Gap]:
        gaps = []
        for number, line in enumerate(self.cleaned_data["gaps"], start=1):
            match = _GAP_LINE.match(line)
            if match is None:
                raise ValidationError(
                    f'line {number}: write the competency id, then ": target" and "| note" if any'
                )
            gaps.append(
                Gap(
                    competency=match["competency"],
                    target=int(match["target"]) if match["target"] else None,
                    note=(match["note"] or "").strip(),
                )
            )
        return gaps


# --- structure: adding, renaming, moving and removing ------------------------------------------------


def _identifier(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=64, help_text=_IDENTIFIER_HELP)


class FamilyAddForm(AuthoringForm):
    family = _identifier("Id")
    name = _text("Name")

    def edits(self) -> list[Edit]:
        return [FamilyAdd(self.cleaned_data["family"], self.cleaned_data["name"])]


class TrackAddForm(AuthoringForm):
    track = _identifier("Id")
    name = _text("Name")
    kind = forms.ChoiceField(label="Kind", choices=_TRACK_KINDS)

    def __init__(self, *args: Any, family_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family_id = family_id

    def edits(self) -> list[Edit]:
        data = self.cleaned_data
        return [TrackAdd(self.family_id, data["track"], data["name"], TrackKind(data["kind"]))]


class LevelAddForm(AuthoringForm):
    code = forms.CharField(label="Code", max_length=32, help_text='e.g. "IC7"; unique in the family.')
    name = _text("Name")
    title = _text("Title")

    def __init__(self, *args: Any, family_id: str, track_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family_id, self.track_id = family_id, track_id

    def edits(self) -> list[Edit]:
        data = self.cleaned_data
        return [LevelAdd(self.family_id, self.track_id, data["code"], data["name"], data["title"])]


class CompetencyAddForm(AuthoringForm):
    competency = _identifier("Id")
    name = _text("Name")
    tracks = forms.MultipleChoiceField(
        label="Assessed on tracks",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every track of the family.",
    )

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


# --- getting content into the draft ------------------------------------------------------------------


class YamlImportForm(AuthoringForm):
    file = forms.FileField(
        label="Framework YAML file",
        help_text="A framework file as trellis lint reads it, e.g. framework.yaml.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_YAML_BYTES:
            raise ValidationError(f"the file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MB")
        return upload


MERGE = "merge"
REPLACE = "replace"


class MatrixImportForm(AuthoringForm):
    file = forms.FileField(
        label="Spreadsheet (CSV or XLSX)",
        help_text="Competencies down, levels across, a behaviour in every cell.",
    )
    family = _text("Job family name", help_text='e.g. "Engineering"; its id is made from the name.')
    track = _text(
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

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return upload


#: The starter sizes, worded for the form: one for each size the templates know.
_SIZE_CHOICES = [
    ("startup", "Startup: the first track of each family, four levels"),
    ("growth", "Growth: every track, up to IC6 and M3"),
    ("mid-size", "Mid-size: every track and level"),
]
assert {value for value, _ in _SIZE_CHOICES} == set(SIZES)


class StarterForm(AuthoringForm):
    families = forms.MultipleChoiceField(label="Job families", widget=forms.CheckboxSelectMultiple)
    size = forms.ChoiceField(
        label="Company size", widget=forms.RadioSelect, choices=_SIZE_CHOICES, initial="growth"
    )
    name = _text("Framework name", required=False, help_text="Empty: named after the families.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "families").choices = [
            (info.id, f"{info.name} — {info.description}") for info in catalogue()
        ]


# --- the YAML editor and the workflow -----------------------------------------------------------------


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
                {
                    "hx-post": lint_url,
                    "hx-trigger": LIVE_LINT_TRIGGER,
                    "hx-target": "#findings-id_yaml_text",
                    "hx-swap": "innerHTML",
                }
            )


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
