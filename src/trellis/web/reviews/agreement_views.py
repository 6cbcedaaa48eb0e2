"""HR's overview of rater agreement: every behavioural description, competency and level of the
published framework with its alpha, interval and size, the descriptions below the threshold first."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from trellis.evaluation.agreement import ALPHA_TENTATIVE
from trellis.evaluation.agreement_groups import AGREEMENT_MIN_UNITS, GroupFigure
from trellis.framework import wording
from trellis.framework.addresses import competency_name, family_name, track_name
from trellis.framework.model import Framework
from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.reviews.agreement_selectors import agreement_overview_get

#: Decimals of alpha and its bounds in the overview's tables.
_PLACES = 3


@dataclass(frozen=True, slots=True)
class Row:
    """One group as the overview's tables show it."""

    label: str
    alpha: str
    interval: str
    units: int
    people: int
    flagged: bool
    link: tuple[str, str, str] | None = None

    @property
    def measured(self) -> bool:
        return self.alpha != wording.AGREEMENT_NOT_ENOUGH


def _row(label: str, figure: GroupFigure, link: tuple[str, str, str] | None = None) -> Row:
    result = figure.agreement
    if not figure.enough:
        return Row(label, wording.AGREEMENT_NOT_ENOUGH, "", result.units, figure.people, False, link)
    interval = result.interval
    assert result.alpha is not None
    return Row(
        label,
        wording.decimal(result.alpha, _PLACES),
        wording.value_range(interval.low, interval.high, _PLACES) if interval is not None else "",
        result.units,
        figure.people,
        figure.flagged,
        link,
    )


def _level_label(framework: Framework | None, family: str, track: str, level: str) -> str:
    if framework is None:
        return f"{family} · {track} · {level}"
    return f"{family_name(framework, family)} · {track_name(framework, family, track)} · {level}"


@require_safe
def agreement_overview(request: HttpRequest) -> HttpResponse:
    """403 for anyone but HR."""
    user = viewer(request)
    overview = agreement_overview_get(viewer=user)
    published = framework_published_get(viewer=user)
    framework = published.framework if published is not None else None
    figures = overview.figures

    def named(family: str | None, competency: str) -> str:
        return competency_name(framework, family, competency) if framework is not None else competency

    descriptions = [
        _row(
            f"{_level_label(framework, family, track, level)} · {named(family, competency)}",
            figure,
            (family, track, competency),
        )
        for (family, track, level, competency), figure in figures.descriptions.items()
    ]
    # The flagged first, then the others measured, each in the order of their keys; those without
    # enough ratings apart (collapsed on the page).
    measured = sorted((row for row in descriptions if row.measured), key=lambda row: not row.flagged)
    waiting = [row for row in descriptions if not row.measured]
    return render(
        request,
        "reviews/agreement_overview.html",
        {
            "cycles": overview.cycles,
            "threshold": wording.decimal(ALPHA_TENTATIVE, 3),
            "minimum_units": AGREEMENT_MIN_UNITS,
            "flagged": len(figures.flagged_descriptions),
            "descriptions": measured,
            "descriptions_waiting": waiting,
            "competencies": [_row(named(None, c), f) for c, f in figures.competencies.items()],
            "levels": [_row(_level_label(framework, *key), f) for key, f in figures.levels.items()],
        },
    )
