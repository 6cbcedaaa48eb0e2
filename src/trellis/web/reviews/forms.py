"""Forms of the review pages: opening a cycle, and one competency's rating on an assessment form.

The assessment form is one `RatingForm` per competency, prefixed with the competency's id, so that
a whole form can be submitted at once without JavaScript and one competency saved alone (htmx)."""

from __future__ import annotations

from typing import Any

from django import forms

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.web.form_fields import choice_field
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Team
from trellis.web.reviews.cycle_services import Selection
from trellis.web.reviews.models import DEFAULT_PEER_MINIMUM, RATING_COMMENT_MAX_LENGTH, ReviewCycle

_DATE = forms.DateInput(attrs={"type": "date"})
#: The value of "Not rated" among a rating's choices: no score, shown as missing.
NOT_RATED_VALUE = ""


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=_DATE)


class CycleOpenForm(forms.Form):
    """HR's form to open a cycle. The participants are chosen by family, team, level or everyone."""

    name = forms.CharField(label="Name", max_length=200, help_text="For example “2027 mid-year review”.")
    framework_version = forms.TypedChoiceField(
        label="Framework version",
        coerce=int,
        help_text="The rubric of every assessment in the cycle; later versions do not change it.",
    )
    starts_on = _date("Starts on", required=True)
    ends_on = _date("Ends on", required=True)
    self_due = _date(str(ReviewCycle._meta.get_field("self_due").verbose_name).capitalize())
    manager_due = _date(str(ReviewCycle._meta.get_field("manager_due").verbose_name).capitalize())
    peer_due = _date(str(ReviewCycle._meta.get_field("peer_due").verbose_name).capitalize())
    calibration_due = _date(str(ReviewCycle._meta.get_field("calibration_due").verbose_name).capitalize())
    sign_off_due = _date(str(ReviewCycle._meta.get_field("sign_off_due").verbose_name).capitalize())
    share_on = _date(str(ReviewCycle._meta.get_field("share_on").verbose_name).capitalize())
    peer_minimum = forms.IntegerField(
        label="Fewest peer answers shown",
        min_value=1,
        max_value=50,
        initial=DEFAULT_PEER_MINIMUM,
        help_text="Below this many answers, peer input is hidden from the subject entirely.",
    )
    show_peer_names_to_manager = forms.BooleanField(label="Managers see who answered", required=False)
    upward_feedback = forms.BooleanField(label="Reports give upward feedback", required=False)
    everyone = forms.BooleanField(label="Everyone (every active person)", required=False)
    families = forms.MultipleChoiceField(
        label="Job families", required=False, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.TypedMultipleChoiceField(
        label="Teams", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    levels = forms.MultipleChoiceField(
        label="Levels", required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(
        self,
        *args: Any,
        versions: list[FrameworkVersion],
        framework: Framework | None,
        teams: list[Team],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "framework_version").choices = [
            (version.pk, f"Version {version.number}{' (current)' if version.is_current else ''}")
            for version in versions
        ]
        current = next((version for version in versions if version.is_current), None)
        if current is not None:
            self.fields["framework_version"].initial = current.pk
        families = framework.families if framework is not None else []
        choice_field(self, "families").choices = [(family.id, family.name) for family in families]
        choice_field(self, "teams").choices = [(team.pk, team.name) for team in teams]
        choice_field(self, "levels").choices = [
            (
                f"{family.id}/{track.id}/{level.code}",
                f"{family.name} · {track.name} · {wording.level_label(level)}",
            )
            for family in families
            for track in family.tracks
            for level in track.levels
        ]
        self.fields[
            "everyone"
        ].help_text = "Or choose families, teams or levels: anyone in any of them takes part."

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(
            everyone=bool(data["everyone"]),
            families=tuple(data["families"]),
            team_ids=tuple(data["teams"]),
            levels=tuple(data["levels"]),
        )


class RatingForm(forms.Form):
    """One competency's rating: a point of the scale or "Not rated", a comment, the evidence, and
    the revision the writer read."""

    score = forms.ChoiceField(label="Rating", required=False, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=RATING_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=RATING_COMMENT_MAX_LENGTH,
        help_text="A link, a project, a piece of feedback.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "score").choices = [(NOT_RATED_VALUE, wording.NOT_RATED)] + [
            (str(point.value), wording.rating_text(framework.scale, point.value))
            for point in framework.scale.points
        ]

    def score_value(self) -> int | None:
        text = self.cleaned_data["score"]
        return None if text == NOT_RATED_VALUE else int(text)
