"""Reads of the skills heatmaps, scoped by the policy: the skills matrix (people × competencies) of
a team (everyone under a manager, at any depth), a job family or the company, and its aggregates by
family, level, team and competency with the patterns HR looks for (`trellis.evaluation.heatmap`).

**Each person's figure** on a competency is the demonstrated one of `trellis.evaluation.gaps`, read
in bulk from the stored cycle results (`reviews.cycle_results`: per person and counted cycle, the
calibrated score else the manager's, packed in one row): the latest counted cycle with a result on
the competency wins (of two ending the same day, the later name, as the gaps page). A self-rating
alone is no figure here — it is not in the stored results, and an organisation's picture is what
managers and calibration assessed — so such a cell counts as unknown. Each person is compared
with what their *own* level expects (`gaps.level_expectations`); a level the framework does not
have expects nothing.

**Cost.** Whatever the scope: one query for the people (a team through one recursive subquery),
one for their results, then numpy — no query and no Python step per person or per rating, so the
company page reads 100,000 people as it reads 50.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.http import Http404

from trellis.evaluation.cycle_results import unpack
from trellis.evaluation.gaps import GapTargetError, level_expectations
from trellis.evaluation.heatmap import GroupCells, Pattern, SkillsMatrix, aggregate, patterns
from trellis.framework.model import Framework
from trellis.framework.shaping import competencies_by_id
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.people.models import Person, Team
from trellis.web.people.reporting_lines import reports_below_sql
from trellis.web.policy import Action
from trellis.web.reviews.cycle_results import COUNTED_PHASES, cycle_results_ensure
from trellis.web.reviews.models import CompetencyCode, CycleResult, ReviewCycle

__all__ = [
    "CHART_ROWS_LIMIT",
    "NO_TEAM",
    "PERSON_ROWS_LIMIT",
    "Grouping",
    "Heatmap",
    "HeatmapScope",
    "ScopeKind",
    "ScopeMatrix",
    "counted_cycles",
    "heatmap_get",
    "heatmap_of",
    "heatmap_scope_get",
    "largest_groups",
    "matrix_read",
    "scope_size",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The group of the people on no team.
NO_TEAM = "No team"
#: A team scope lists its people one by one (the per-person matrix) up to this many.
PERSON_ROWS_LIMIT = 60
#: Groups drawn in one chart at most (the largest first); the export has them all.
CHART_ROWS_LIMIT = 25


class ScopeKind(StrEnum):
    COMPANY = "company"
    FAMILY = "family"
    TEAM = "team"


@dataclass(frozen=True, slots=True)
class HeatmapScope:
    """Whose heatmap: the company, one job family (`family_id`) or everyone under `manager`."""

    kind: ScopeKind
    family_id: str = ""
    family_name: str = ""
    manager: Person | None = None

    @property
    def title(self) -> str:
        if self.kind == ScopeKind.FAMILY:
            return self.family_name
        if self.kind == ScopeKind.TEAM:
            assert self.manager is not None
            return f"{self.manager.full_name}’s team"
        return "The company"

    @property
    def file_stem(self) -> str:
        """The name of the exported files, without extension (identifiers only)."""
        if self.kind == ScopeKind.FAMILY:
            return f"skills-heatmap-{self.family_id}"
        if self.kind == ScopeKind.TEAM:
            assert self.manager is not None
            return f"skills-heatmap-team-{self.manager.employee_id}"
        return "skills-heatmap-company"


def heatmap_scope_get(
    *,
    viewer: Viewer,
    framework: Framework | None,
    family_id: str | None = None,
    manager_id: int | None = None,
) -> HeatmapScope:
    """The scope asked for, if `viewer` may see it: a team (everyone under the person `manager_id`)
    — Http404 unless the viewer is that manager or above them at any distance (or HR); the company
    or a family — PermissionDenied unless HR; a family the framework does not have — Http404.
    Choosing a scope never widens what the policy allows."""
    if manager_id is not None:
        manager = Person.objects.filter(pk=manager_id).first()
        if manager is None:
            raise Http404("no such person")
        policy.require_visible(viewer, Action.HEATMAP_TEAM, manager)
        return HeatmapScope(ScopeKind.TEAM, manager=manager)
    policy.require(viewer, Action.HEATMAP_ORGANISATION)
    if family_id is None:
        return HeatmapScope(ScopeKind.COMPANY)
    family = framework.family(family_id) if framework is not None else None
    if family is None:
        raise Http404("no such family")
    return HeatmapScope(ScopeKind.FAMILY, family_id=family.id, family_name=family.name)


class Grouping(StrEnum):
    """How the people of a heatmap are grouped, in the order the page and the exports show them."""

    COMPETENCY = "competency"
    FAMILY = "family"
    LEVEL = "level"
    TEAM = "team"
    PERSON = "person"


GROUPING_LABELS = {
    Grouping.COMPETENCY: "Everyone",
    Grouping.FAMILY: "Family",
    Grouping.LEVEL: "Level",
    Grouping.TEAM: "Team",
    Grouping.PERSON: "Person",
}


@dataclass(frozen=True, slots=True)
class Aggregate:
    """The cells of one grouping: `groups` named, `cells` G × C (`trellis.evaluation.heatmap`);
    `left_out` more groups not held (a stored page's aggregate holds the `CHART_ROWS_LIMIT` drawn)."""

    grouping: Grouping
    groups: list[str]
    cells: GroupCells
    left_out: int = 0


def largest_groups(aggregate: Aggregate, limit: int | None) -> list[int]:
    """The positions of the `limit` groups of `aggregate` with the most people counted, in their own
    order (all of them with no limit)."""
    chosen = list(range(len(aggregate.groups)))
    if limit is None or len(chosen) <= limit:
        return chosen
    people = aggregate.cells.counted.sum(axis=1)
    return sorted(sorted(chosen, key=lambda group: -int(people[group]))[:limit])


@dataclass(frozen=True, slots=True)
class Heatmap:
    """The matrix of a scope and what is read from it: the competencies (ids and names, in the
    framework's order: core, then each family's own), the people counted, the aggregates per
    grouping (`everyone` is the whole scope as one group), the patterns by team and the people
    listed one by one (a team scope within `PERSON_ROWS_LIMIT`, only those the viewer may see)."""

    scope: HeatmapScope
    competency_ids: list[str]
    competencies: list[str]
    people: int
    cycles: int
    everyone: Aggregate
    aggregates: list[Aggregate]
    team_patterns: list[Pattern]
    person_rows: Aggregate | None
    #: A team scope too large to list its people one by one.
    too_many_people: bool


# --- the people and their results ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _People:
    ids: IntArray
    family: list[str]
    track: list[str]
    level: list[str]
    team: list[str | None]
    name: list[str]


def _scope_where(scope: HeatmapScope) -> tuple[str, list[Any]]:
    """The WHERE clause on the people table (alias ``p``) selecting the active people of `scope`."""
    where = "p.is_active = %s"
    parameters: list[Any] = [True]
    if scope.kind == ScopeKind.FAMILY:
        where += " AND p.family_id = %s"
        parameters.append(scope.family_id)
    elif scope.kind == ScopeKind.TEAM:
        assert scope.manager is not None
        below, below_parameters = reports_below_sql(scope.manager.pk)
        where += f" AND p.id IN ({below})"
        parameters.extend(below_parameters)
    return where, parameters


def _people_read(scope: HeatmapScope) -> _People:
    people = connection.ops.quote_name(Person._meta.db_table)
    teams = connection.ops.quote_name(Team._meta.db_table)
    where, parameters = _scope_where(scope)
    # Names only where people are listed one by one.
    name = "p.full_name" if scope.kind == ScopeKind.TEAM else "''"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.family_id, p.track_id, p.level_code, t.name, {name} FROM {people} p "
            f"LEFT JOIN {teams} t ON t.id = p.team_id WHERE {where} ORDER BY p.id",
            parameters,
        )
        fetched = cursor.fetchall()
    if not fetched:
        return _People(np.zeros(0, dtype=np.int64), [], [], [], [], [])
    ids, families, tracks, levels, team_names, names = zip(*fetched, strict=True)
    return _People(
        np.array(ids, dtype=np.int64),
        list(families),
        list(tracks),
        list(levels),
        list(team_names),
        list(names),
    )


def scope_size(scope: HeatmapScope) -> int:
    """How many active people `scope` has: one query."""
    people = connection.ops.quote_name(Person._meta.db_table)
    where, parameters = _scope_where(scope)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {people} p WHERE {where}", parameters)
        return int(cursor.fetchone()[0])


def counted_cycles() -> list[int]:
    """The ids of the counted cycles, weakest first: the earlier end, then the earlier name."""
    cycles = list(
        ReviewCycle.objects.filter(phase__in=COUNTED_PHASES)
        .order_by("ends_on", "name", "pk")
        .values_list("pk", flat=True)
    )
    cycle_results_ensure(cycles)
    return cycles


def _results_read(scope: HeatmapScope, cycles: Sequence[int]) -> tuple[IntArray, IntArray, list[str]]:
    """(person id, cycle id, packed scores) of every result of the people of `scope` in `cycles`: one
    query, the scope's filter joined in SQL (never a list of person ids)."""
    empty = np.zeros(0, dtype=np.int64)
    if not cycles:
        return empty, empty, []
    results = connection.ops.quote_name(CycleResult._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    where, parameters = _scope_where(scope)
    placeholders = ", ".join(["%s"] * len(cycles))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.person_id, r.cycle_id, r.scores FROM {results} r JOIN {people} p ON p.id = r.person_id "
            f"WHERE r.cycle_id IN ({placeholders}) AND {where}",
            [*cycles, *parameters],
        )
        fetched = cursor.fetchall()
    if not fetched:
        return empty, empty, []
    person, cycle, texts = zip(*fetched, strict=True)
    return np.array(person, dtype=np.int64), np.array(cycle, dtype=np.int64), list(texts)


def figures_of(
    person_ids: IntArray,
    result_person: IntArray,
    result_slot: IntArray,
    texts: Sequence[str],
    code_column: IntArray,
    columns: int,
) -> FloatArray:
    """(P, C) figures of `person_ids` (sorted) from their results — each with its person, its cycle's
    slot (larger: stronger) and packed scores — with `code_column` mapping a competency code to its
    column (-1: not a column): on each cell, the score of the strongest result holding one."""
    figures = np.full((len(person_ids), columns), np.nan)
    if not texts:
        return figures
    # The results weakest first: then each slot's items are one run, written in turn.
    order = np.argsort(result_slot, kind="stable")
    ordered_slots = result_slot[order]
    counts, codes, scores = unpack([texts[index] for index in order.tolist()])
    base = np.searchsorted(person_ids, result_person[order]) * columns
    lookup = np.full(max(int(codes.max(initial=0)) + 1, len(code_column)), -1, dtype=np.int64)
    lookup[: len(code_column)] = code_column
    column = lookup[codes]
    cell = np.repeat(base, counts) + column
    ends = np.cumsum(counts)
    flat = figures.ravel()
    # A result holds each competency once and a person has one result per cycle, so within one slot
    # no cell repeats: writing the slots weakest first leaves the strongest in each cell.
    start = 0
    for each in np.unique(ordered_slots).tolist():
        last = int(np.searchsorted(ordered_slots, each, side="right"))
        stop = int(ends[last - 1]) if last else 0
        run = slice(start, stop)
        wanted = column[run] >= 0
        flat[cell[run][wanted]] = scores[run][wanted]
        start = stop
    return figures


# --- the framework's side -----------------------------------------------------------------------


def _competency_columns(
    framework: Framework, scope: HeatmapScope, keys: Sequence[tuple[str, str, str]]
) -> tuple[list[str], list[str], dict[tuple[str, str, str], dict[str, int]]]:
    """The competencies some level of the scope expects (ids and names, core first, then each
    family's own in the framework's order), and what each (family, track, level) expects."""
    expected: dict[tuple[str, str, str], dict[str, int]] = {}
    for key in set(keys):
        try:
            _, _, _, wanted = level_expectations(framework, *key)
        except GapTargetError:
            wanted = []
        expected[key] = {competency: proficiency for competency, _, proficiency, _ in wanted}
    assessed = {competency for by_competency in expected.values() for competency in by_competency}
    family = framework.family(scope.family_id) if scope.kind == ScopeKind.FAMILY else None
    names = {competency.id: competency.name for competency in framework.core_competencies}
    if family is not None:
        names.update({key: value.name for key, value in competencies_by_id(framework, family).items()})
    order = [competency.id for competency in framework.core_competencies]
    for each in framework.families:
        for competency in each.competencies:
            names.setdefault(competency.id, competency.name)
            order.append(competency.id)
    ids = [competency for competency in dict.fromkeys(order) if competency in assessed]
    ids += sorted(assessed - set(ids))
    return ids, [names.get(competency, competency) for competency in ids], expected


def _level_order(framework: Framework) -> dict[str, int]:
    order: dict[str, int] = {}
    for family in framework.families:
        for track in family.tracks:
            for level in track.levels:
                order.setdefault(level.code, len(order))
    return order


def _codes(labels: Sequence[str], order: Sequence[str] | None = None) -> tuple[IntArray, list[str]]:
    """Group codes of `labels` and the groups named, in `order` first (the rest sorted)."""
    named = list(dict.fromkeys(order or ())) if order is not None else []
    present = set(labels)
    groups = [label for label in named if label in present] + sorted(present - set(named))
    index = {group: position for position, group in enumerate(groups)}
    return np.array([index[label] for label in labels], dtype=np.int64), groups


# --- the heatmap --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScopeMatrix:
    """The people of a scope (by id ascending) with their figures and expectations, (P, C) each,
    over the competencies named, and the number of counted cycles read."""

    people: _People
    figures: FloatArray
    expected: FloatArray
    competency_ids: list[str]
    competency_names: list[str]
    cycles: int


def heatmap_get(*, viewer: Viewer, scope: HeatmapScope, framework: Framework) -> Heatmap:
    """The heatmap of `scope` (from `heatmap_scope_get`, which checked the policy): the module's rules."""
    return heatmap_of(viewer=viewer, scope=scope, framework=framework, matrix=matrix_read(scope, framework))


def matrix_read(scope: HeatmapScope, framework: Framework) -> ScopeMatrix:
    """The matrix of `scope`: two queries (the people, their results) and one for the codes."""
    people = _people_read(scope)
    keys = list(zip(people.family, people.track, people.level, strict=True))
    competency_ids, competency_names, expected_by_key = _competency_columns(framework, scope, keys)
    columns = len(competency_ids)
    column_of = {competency: index for index, competency in enumerate(competency_ids)}
    distinct = sorted(set(keys))
    key_row = {key: index for index, key in enumerate(distinct)}
    table = np.full((max(len(distinct), 1), columns), np.nan)
    for key, by_competency in expected_by_key.items():
        for competency, proficiency in by_competency.items():
            table[key_row[key], column_of[competency]] = proficiency
    expected = (
        table[np.array([key_row[key] for key in keys], dtype=np.int64)] if keys else np.zeros((0, columns))
    )

    cycles = counted_cycles()
    result_person, result_cycle, texts = _results_read(scope, cycles)
    slot_of = np.zeros(max(cycles, default=0) + 1, dtype=np.int64)
    slot_of[cycles] = np.arange(len(cycles))
    codes = CompetencyCode.objects.values_list("pk", "competency_id")
    code_column = np.full(max((pk for pk, _ in codes), default=0) + 1, -1, dtype=np.int64)
    for pk, competency in codes:
        code_column[pk] = column_of.get(competency, -1)
    figures = figures_of(people.ids, result_person, slot_of[result_cycle], texts, code_column, columns)
    return ScopeMatrix(people, figures, expected, competency_ids, competency_names, len(cycles))


def heatmap_of(
    *, viewer: Viewer | None, scope: HeatmapScope, framework: Framework, matrix: ScopeMatrix
) -> Heatmap:
    """The aggregates, patterns and (for a small team, with a `viewer`: only the people they may
    see) person rows of `matrix`; no `viewer` (a stored snapshot): no person rows."""
    people, figures, expected = matrix.people, matrix.figures, matrix.expected
    competency_ids, competency_names = matrix.competency_ids, matrix.competency_names
    matrices: dict[Grouping, SkillsMatrix] = {}

    def grouped(grouping: Grouping, labels: Sequence[str], order: Sequence[str] | None = None) -> Aggregate:
        codes_of, groups = _codes(labels, order)
        matrices[grouping] = SkillsMatrix(figures, expected, codes_of, groups, competency_names)
        return Aggregate(grouping, groups, aggregate(matrices[grouping]))

    size = len(people.ids)
    everyone = Aggregate(
        Grouping.COMPETENCY,
        ["Everyone"],
        aggregate(
            SkillsMatrix(figures, expected, np.zeros(size, dtype=np.int64), ["Everyone"], competency_names)
        ),
    )
    family_names = {family.id: family.name for family in framework.families}
    team_labels = [team or NO_TEAM for team in people.team]
    aggregates = []
    if scope.kind != ScopeKind.FAMILY:
        aggregates.append(
            grouped(
                Grouping.FAMILY,
                [family_names.get(family, family) for family in people.family],
                [family.name for family in framework.families],
            )
        )
    level_order = _level_order(framework)
    aggregates.append(grouped(Grouping.LEVEL, people.level, sorted(level_order, key=level_order.__getitem__)))
    by_team = grouped(Grouping.TEAM, team_labels)
    aggregates.append(by_team)
    team_patterns = patterns(matrices[Grouping.TEAM], by_team.cells)

    person_rows = None
    too_many = False
    if scope.kind == ScopeKind.TEAM:
        too_many = size > PERSON_ROWS_LIMIT
        if not too_many and size and viewer is not None:
            visible = set(
                Person.objects.filter(policy.visible_people(viewer), pk__in=people.ids.tolist()).values_list(
                    "pk", flat=True
                )
            )
            rows = np.array(
                [index for index, pk in enumerate(people.ids.tolist()) if pk in visible], dtype=np.int64
            )
            if rows.size:
                listed = SkillsMatrix(
                    figures[rows],
                    expected[rows],
                    np.arange(rows.size, dtype=np.int64),
                    [people.name[index] for index in rows.tolist()],
                    competency_names,
                )
                person_rows = Aggregate(Grouping.PERSON, list(listed.groups), aggregate(listed))
    return Heatmap(
        scope=scope,
        competency_ids=competency_ids,
        competencies=competency_names,
        people=size,
        cycles=matrix.cycles,
        everyone=everyone,
        aggregates=aggregates,
        team_patterns=team_patterns,
        person_rows=person_rows,
        too_many_people=too_many,
    )
