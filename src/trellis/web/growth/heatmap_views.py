"""The skills heatmaps: the company's and each job family's (HR), and a manager's team (everyone
under them). Each page draws its matrix as a server-rendered SVG heatmap with the numbers as a
table, the gaps by competency, family, level and team, and the patterns in plain words; the same
aggregates export as CSV and XLSX (`heatmap_exports`)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from trellis.evaluation.charts import Chart
from trellis.evaluation.heatmap import Pattern
from trellis.evaluation.heatmap_chart import HeatmapCell, gap_text, heatmap_chart
from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth import heatmap_exports, heatmap_selectors
from trellis.web.growth.heatmap_selectors import (
    GROUPING_LABELS,
    PERSON_ROWS_LIMIT,
    Aggregate,
    Heatmap,
    HeatmapScope,
    ScopeKind,
    heatmap_scope_get,
    largest_groups,
)
from trellis.web.growth.heatmap_snapshots import heatmap_read
from trellis.web.policy import Action

#: Patterns written on the page at most (the export has them all).
PATTERNS_SHOWN = 12


def chart_of(
    aggregate: Aggregate, competencies: list[str], *, title: str, limit: int | None = None
) -> tuple[Chart, int]:
    """The heatmap of `aggregate`'s groups (the `limit` with the most people counted, in their own
    order), and how many groups were left out."""
    cells = aggregate.cells
    chosen = largest_groups(aggregate, limit)
    left_out = aggregate.left_out + len(aggregate.groups) - len(chosen)
    rows = [
        [
            HeatmapCell(
                gap=float(cells.mean_gap[group, column]),
                counted=int(cells.counted[group, column]),
                short=1.0 - float(cells.meeting[group, column]) if cells.counted[group, column] else math.nan,
                expected=bool(cells.expected[group, column]),
            )
            for column in range(len(competencies))
        ]
        for group in chosen
    ]
    chart = heatmap_chart(
        [aggregate.groups[group] for group in chosen],
        competencies,
        rows,
        title=title,
        row_heading=GROUPING_LABELS[aggregate.grouping],
        prefix=f"heatmap-{aggregate.grouping}",
    )
    return chart, left_out


def table_rows(chart: Chart) -> SafeString:
    """The rows of `chart`'s table alternative as HTML, each cell escaped (a group's name heads its
    row): thousands of cells, written at once rather than through a template loop per cell."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (row[0], format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])))
            for row in chart.table.rows
        ),
    )


@dataclass(frozen=True, slots=True)
class CompetencyRow:
    name: str
    expected: int
    counted: int
    unknown: int
    mean_gap: str
    short: str


def competency_rows(heatmap: Heatmap) -> list[CompetencyRow]:
    cells = heatmap.everyone.cells
    rows = []
    for column, name in enumerate(heatmap.competencies):
        counted = int(cells.counted[0, column]) if heatmap.people else 0
        expected = int(cells.expected[0, column]) if heatmap.people else 0
        rows.append(
            CompetencyRow(
                name=name,
                expected=expected,
                counted=counted,
                unknown=expected - counted,
                mean_gap=gap_text(float(cells.mean_gap[0, column])) if counted else "?",
                short=wording.percent(1.0 - float(cells.meeting[0, column])) if counted else "—",
            )
        )
    return rows


def pattern_sentences(found: list[Pattern]) -> list[str]:
    """Each group's patterns in one sentence ("Marketing is strong in A and weak in B"), groups in
    the order found."""
    strong: dict[str, list[str]] = defaultdict(list)
    weak: dict[str, list[str]] = defaultdict(list)
    for pattern in found:
        (strong if pattern.strong else weak)[pattern.group].append(pattern.competency)
    groups = list(dict.fromkeys(pattern.group for pattern in found))
    return [wording.skills_pattern(group, strong[group], weak[group]) for group in groups]


def _page(request: HttpRequest, scope: HeatmapScope) -> HttpResponse:
    user = viewer(request)
    published = framework_published_get(viewer=user)
    context: dict[str, object] = {"scope": scope, "published": published}
    export_kwargs: dict[str, object] = {}
    if scope.kind == ScopeKind.TEAM:
        assert scope.manager is not None
        export_name, export_kwargs = "growth:heatmap_team_export", {"person_id": scope.manager.pk}
    elif scope.kind == ScopeKind.FAMILY:
        export_name, export_kwargs = "growth:heatmap_family_export", {"family_id": scope.family_id}
    else:
        export_name = "growth:heatmap_export"
    context["export_urls"] = [
        (file_format.upper(), reverse(export_name, kwargs={**export_kwargs, "file_format": file_format}))
        for file_format in heatmap_exports.FORMATS
    ]
    if published is None:
        return render(request, "growth/heatmap.html", context)
    framework = published.framework
    read = heatmap_read(viewer=user, scope=scope, framework=framework)
    context.update({"heatmap": read.heatmap, "as_of": read.as_of, "stale": read.stale})
    heatmap = read.heatmap
    if heatmap is None:
        return render(request, "growth/heatmap.html", context)
    charts = []
    if heatmap.person_rows is not None:
        chart, left_out = chart_of(
            heatmap.person_rows, heatmap.competencies, title=f"{scope.title}: each person"
        )
        charts.append(
            {
                "id": "heatmap-people",
                "heading": "Each person",
                "chart": chart,
                "rows": table_rows(chart),
                "left_out": left_out,
            }
        )
    for each in heatmap.aggregates:
        heading = f"By {GROUPING_LABELS[each.grouping].lower()}"
        chart, left_out = chart_of(
            each,
            heatmap.competencies,
            title=f"{scope.title}: {heading.lower()}",
            limit=heatmap_selectors.CHART_ROWS_LIMIT,
        )
        charts.append(
            {
                "id": f"heatmap-{each.grouping}",
                "heading": heading,
                "chart": chart,
                "rows": table_rows(chart),
                "left_out": left_out,
            }
        )
    sentences = pattern_sentences(heatmap.team_patterns)
    context.update(
        {
            "heatmap": heatmap,
            "charts": charts,
            "competency_rows": competency_rows(heatmap),
            "patterns": sentences[:PATTERNS_SHOWN],
            "more_patterns": max(0, len(sentences) - PATTERNS_SHOWN),
            "families": [(family.id, family.name) for family in framework.families],
            "may_see_organisation": policy.can(user, Action.HEATMAP_ORGANISATION),
            "person_rows_limit": PERSON_ROWS_LIMIT,
        }
    )
    return render(request, "growth/heatmap.html", context)


@require_safe
def company(request: HttpRequest) -> HttpResponse:
    """HR's: 403 for anyone else. ``?family=`` (the page's chooser) goes to that family's page."""
    user = viewer(request)
    published = framework_published_get(viewer=user)
    framework = published.framework if published is not None else None
    scope = heatmap_scope_get(viewer=user, framework=framework)
    chosen = request.GET.get("family")
    if chosen:
        heatmap_scope_get(viewer=user, framework=framework, family_id=chosen)
        return HttpResponseRedirect(reverse("growth:heatmap_family", kwargs={"family_id": chosen}))
    return _page(request, scope)


@require_safe
def family(request: HttpRequest, family_id: str) -> HttpResponse:
    """HR's: 403 for anyone else; 404 for a family the framework does not have."""
    user = viewer(request)
    published = framework_published_get(viewer=user)
    scope = heatmap_scope_get(
        viewer=user, framework=published.framework if published is not None else None, family_id=family_id
    )
    return _page(request, scope)


@require_safe
def team(request: HttpRequest, person_id: int) -> HttpResponse:
    """Everyone under the manager `person_id`: 404 unless the viewer is them, above them, or HR."""
    user = viewer(request)
    scope = heatmap_scope_get(viewer=user, framework=None, manager_id=person_id)
    return _page(request, scope)


def _export(request: HttpRequest, scope: HeatmapScope, file_format: str) -> HttpResponse:
    if file_format not in heatmap_exports.FORMATS:
        raise Http404("no such format")
    user = viewer(request)
    published = framework_published_get(viewer=user)
    if published is None:
        raise Http404("no framework is published")
    read = heatmap_read(viewer=user, scope=scope, framework=published.framework, whole=True)
    if read.heatmap is None or read.stale:
        # A file carries no notice: never a stale figure in one.
        response = HttpResponse(
            wording.HEATMAP_BEING_REFRESHED, status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = "60"
        return response
    return heatmap_exports.response(read.heatmap, file_format)


@require_safe
def company_export(request: HttpRequest, file_format: str) -> HttpResponse:
    user = viewer(request)
    published = framework_published_get(viewer=user)
    scope = heatmap_scope_get(viewer=user, framework=published.framework if published is not None else None)
    return _export(request, scope, file_format)


@require_safe
def family_export(request: HttpRequest, family_id: str, file_format: str) -> HttpResponse:
    user = viewer(request)
    published = framework_published_get(viewer=user)
    scope = heatmap_scope_get(
        viewer=user, framework=published.framework if published is not None else None, family_id=family_id
    )
    return _export(request, scope, file_format)


@require_safe
def team_export(request: HttpRequest, person_id: int, file_format: str) -> HttpResponse:
    user = viewer(request)
    scope = heatmap_scope_get(viewer=user, framework=None, manager_id=person_id)
    return _export(request, scope, file_format)


__all__ = [
    "company",
    "company_export",
    "family",
    "family_export",
    "team",
    "team_export",
]
