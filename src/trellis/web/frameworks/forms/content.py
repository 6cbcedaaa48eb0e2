"""The forms that edit the content of one thing of the framework: the framework's settings, a
family, a track and its crossover, a level, a competency, the behaviours of a competency along a
track, a promotion and a lateral path. Each turns its input into `SetFields` edits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from trellis.framework import wording
from trellis.framework.editing import Address, Edit, ExpectationAddress, SetFields
from trellis.framework.model import (
    BEHAVIOUR_MAX_LENGTH,
    CompensationBand,
    Framework,
    Gap,
    RequiredCompetency,
    TimeAtLevel,
    TimeUnit,
    Track,
)
from trellis.web.form_fields import choice_field
from trellis.web.frameworks.forms.fields import (
    TRACK_KINDS,
    AuthoringForm,
    FieldsForm,
    LinesField,
    live_lint_attributes,
    text_field,
    tracks_field,
)

_TIME_UNITS = [(unit.value, unit.value.capitalize()) for unit in TimeUnit]


class FrameworkSettingsForm(FieldsForm):
    name = text_field("Name")
    description = text_field("Description", required=False, rows=3)
    version = text_field("Version label", required=False, help_text="Optional: the label your company uses.")
    live_lint = frozenset({"description"})


class FamilyForm(FieldsForm):
    name = text_field("Name")
    description = text_field(
        "Description", required=False, rows=3, help_text="The kind of work the family does."
    )
    live_lint = frozenset({"description"})


class TrackForm(FieldsForm):
    name = text_field("Name")
    kind = forms.ChoiceField(label="Kind", choices=TRACK_KINDS)
    description = text_field("Description", required=False, rows=3)
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
    name = text_field("Name")
    title = text_field("Title", help_text="The one external title of the level.")
    title_variants = LinesField(label="Title variants", help_text="Other titles in use, one per line.")
    summary = text_field(
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
    band_currency = text_field("Band currency", required=False)
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
    name = text_field("Name")
    category = text_field("Category", required=False)
    description = text_field(
        "Description", required=False, rows=3, help_text="In one sentence, what the competency covers."
    )
    tracks = tracks_field()
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
                behaviour.widget.attrs.update(live_lint_attributes(lint_url, self[name].auto_id, name))

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


def _matched_lines(lines: list[str], pattern: re.Pattern[str], expected: str) -> list[re.Match[str]]:
    """Each line matched by `pattern`, or a form error naming the first line that is not and what
    it should say (`expected`)."""
    matches = []
    for number, line in enumerate(lines, start=1):
        match = pattern.match(line)
        if match is None:
            raise ValidationError(f"line {number}: {expected}")
        matches.append(match)
    return matches


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
        lines = _matched_lines(
            self.cleaned_data["required"],
            _REQUIRED_LINE,
            'write the competency id, a colon and the minimum, e.g. "system_design: 4"',
        )
        return [
            RequiredCompetency(competency=match["competency"], minimum=float(match["minimum"]))
            for match in lines
        ]

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
    description = text_field("Description", required=False, rows=3)
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
        lines = _matched_lines(
            self.cleaned_data["gaps"],
            _GAP_LINE,
            'write the competency id, then ": target" and "| note" if any',
        )
        return [
            Gap(
                competency=match["competency"],
                target=int(match["target"]) if match["target"] else None,
                note=(match["note"] or "").strip(),
            )
            for match in lines
        ]
