"""The skills heatmaps of large scopes, stored (`HeatmapSnapshot`) and kept honest.

Reading a company's figures costs seconds at 100,000 people (every stored cycle result into
Python, then numpy), so the company's, each family's and a large team's aggregates — what the page
and the exports show, never a row per person — are stored per scope (``company``,
``family:<id>``, ``team:<person id>``) with the fingerprint of their inputs (:func:`heatmap_inputs_key`).

**Reading** (:func:`heatmap_read`): a snapshot whose key is the current one is shown as it is. A
stale or missing one is computed at once and stored when the scope has at most
``settings.HEATMAP_SYNC_LIMIT`` people (so a small company and the tests are always exact);
above it a refresh task is queued (once per inputs key) and the page shows the stale snapshot
*with its date and a notice*, or says the heatmap is being prepared. A team of at most
`heatmap_selectors.PERSON_ROWS_LIMIT` people, listed one by one as the viewer may see them, is never stored.

**The inputs key** is one query of indexed maxima (a few index steps, whatever the company's size):

- the current framework version (id and publication time);
- the counted cycles (how many, which, and the last whole build of their results), and the newest
  stored result id — every build of results, whole or for a few people, deletes and inserts, and
  ids only grow;
- the newest audit event of a person (``max(AuditEvent.id)`` of ``people.person``, one index step):
  every write to a person — their team, level, manager, active status, by the people services,
  the import's bulk writer, leaving and rejoining, promotions and mobility through the services —
  is audited (a change of name or e-mail too: a refresh more, never a figure less), and the
  newest ``PersonChange``;
- the people: the largest id (a person added), and the teams' (a team's name is fixed once made).
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from trellis.evaluation.heatmap import GroupCells, Pattern
from trellis.framework.model import Framework
from trellis.web.accounts.viewer import Viewer
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.growth import heatmap_selectors
from trellis.web.growth.heatmap_selectors import (
    Aggregate,
    Grouping,
    Heatmap,
    HeatmapScope,
    ScopeKind,
    counted_cycles,
    heatmap_of,
    largest_groups,
    matrix_read,
    scope_size,
)
from trellis.web.growth.models import HeatmapSnapshot
from trellis.web.people.models import Person, PersonChange, Team
from trellis.web.reviews.cycle_results import COUNTED_PHASES
from trellis.web.reviews.models import CycleResult, CycleResultBuild, ReviewCycle

__all__ = [
    "HeatmapRead",
    "heatmap_inputs_key",
    "heatmap_read",
    "scope_key",
    "scope_of",
    "snapshot_compute",
]

_CELL_FIELDS = ("people", "expected", "rated", "counted", "mean_figure", "mean_gap", "meeting", "gap_sum")


def sync_limit() -> int:
    """The largest scope computed at once when its snapshot is stale (`settings.HEATMAP_SYNC_LIMIT`)."""
    return int(settings.HEATMAP_SYNC_LIMIT)


def scope_key(scope: HeatmapScope) -> str:
    if scope.kind == ScopeKind.FAMILY:
        return f"family:{scope.family_id}"
    if scope.kind == ScopeKind.TEAM:
        assert scope.manager is not None
        return f"team:{scope.manager.pk}"
    return "company"


def heatmap_inputs_key() -> str:
    """The fingerprint of every input of every heatmap (the module's list): one query."""

    def table(model: Any) -> str:
        return str(connection.ops.quote_name(model._meta.db_table))

    counted = ", ".join(["%s"] * len(COUNTED_PHASES))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            f"(SELECT MAX(id) FROM {table(FrameworkVersion)} WHERE is_current), "
            f"(SELECT MAX(published_at) FROM {table(FrameworkVersion)} WHERE is_current), "
            f"(SELECT COUNT(*) FROM {table(ReviewCycle)} WHERE phase IN ({counted})), "
            f"(SELECT SUM(id) FROM {table(ReviewCycle)} WHERE phase IN ({counted})), "
            f"(SELECT MAX(built_at) FROM {table(CycleResultBuild)}), "
            f"(SELECT MAX(id) FROM {table(CycleResult)}), "
            f"(SELECT MAX(id) FROM {table(PersonChange)}), "
            f"(SELECT MAX(id) FROM {table(AuditEvent)} WHERE target_type = %s), "
            f"(SELECT MAX(id) FROM {table(Person)}), "
            f"(SELECT MAX(id) FROM {table(Team)})",
            [*COUNTED_PHASES, *COUNTED_PHASES, Person._meta.label_lower],
        )
        row = cursor.fetchone()
    return "|".join("" if value is None else str(value) for value in row)


# --- the payload ----------------------------------------------------------------------------------


def _array(values: np.ndarray) -> dict[str, Any]:
    kind = "i8" if values.dtype.kind in "iu" else "f8"
    data = np.ascontiguousarray(values, dtype=np.int64 if kind == "i8" else np.float64)
    return {
        "dtype": kind,
        "shape": list(data.shape),
        "data": base64.b64encode(data.tobytes()).decode("ascii"),
    }


def _unarray(stored: dict[str, Any]) -> np.ndarray:
    dtype = np.int64 if stored["dtype"] == "i8" else np.float64
    return np.frombuffer(base64.b64decode(stored["data"]), dtype=dtype).reshape(stored["shape"])


def _aggregate_payload(aggregate: Aggregate, limit: int | None = None) -> dict[str, Any]:
    """`aggregate` as JSON: all its groups, or the `limit` a chart draws (`largest_groups`)."""
    chosen = largest_groups(aggregate, limit)
    rows = np.array(chosen, dtype=np.int64)
    return {
        "grouping": str(aggregate.grouping),
        "groups": [aggregate.groups[group] for group in chosen],
        "left_out": aggregate.left_out + len(aggregate.groups) - len(chosen),
        "cells": {name: _array(getattr(aggregate.cells, name)[rows]) for name in _CELL_FIELDS},
    }


def _aggregate_of(stored: dict[str, Any]) -> Aggregate:
    cells = GroupCells(**{name: _unarray(stored["cells"][name]) for name in _CELL_FIELDS})
    return Aggregate(Grouping(stored["grouping"]), list(stored["groups"]), cells, int(stored["left_out"]))


def payload_of(heatmap: Heatmap, limit: int | None = None) -> dict[str, Any]:
    """What the exports (every group) or, with the charts' `limit`, the page needs of `heatmap`
    (never its per-person rows), as JSON."""
    return {
        "competency_ids": heatmap.competency_ids,
        "competencies": heatmap.competencies,
        "people": heatmap.people,
        "cycles": heatmap.cycles,
        "too_many_people": heatmap.too_many_people,
        "everyone": _aggregate_payload(heatmap.everyone),
        "aggregates": [_aggregate_payload(each, limit) for each in heatmap.aggregates],
        "team_patterns": [
            [each.group, each.competency, each.strong, each.mean_gap, each.others_mean_gap, each.people]
            for each in heatmap.team_patterns
        ],
    }


def heatmap_from(scope: HeatmapScope, payload: dict[str, Any]) -> Heatmap:
    return Heatmap(
        scope=scope,
        competency_ids=list(payload["competency_ids"]),
        competencies=list(payload["competencies"]),
        people=int(payload["people"]),
        cycles=int(payload["cycles"]),
        everyone=_aggregate_of(payload["everyone"]),
        aggregates=[_aggregate_of(each) for each in payload["aggregates"]],
        team_patterns=[Pattern(*each) for each in payload["team_patterns"]],
        person_rows=None,
        too_many_people=bool(payload["too_many_people"]),
    )


# --- computing and reading ------------------------------------------------------------------------


def snapshot_compute(scope: HeatmapScope, framework: Framework) -> tuple[HeatmapSnapshot, Heatmap]:
    """Compute the aggregates of `scope` from the stored results and store them with the inputs key
    read *before* them (a change while computing leaves the snapshot stale, never wrong)."""
    counted_cycles()  # builds a counted cycle never built first: then the key is the one read
    key = heatmap_inputs_key()
    heatmap = heatmap_of(viewer=None, scope=scope, framework=framework, matrix=matrix_read(scope, framework))
    snapshot, _ = HeatmapSnapshot.objects.update_or_create(
        scope_key=scope_key(scope),
        defaults={
            "inputs_key": key,
            "computed_at": timezone.now(),
            "people": heatmap.people,
            "summary": payload_of(heatmap, heatmap_selectors.CHART_ROWS_LIMIT),
            "payload": payload_of(heatmap),
            "refreshing_key": "",
        },
    )
    return snapshot, heatmap


@dataclass(frozen=True, slots=True)
class HeatmapRead:
    """The heatmap to show (None: none computed yet, being prepared); `as_of` is when a stored one
    was computed; `stale`: its inputs have changed since (a refresh is queued)."""

    heatmap: Heatmap | None
    as_of: datetime.datetime | None = None
    stale: bool = False


def _refresh_queue(key: str, inputs_key: str) -> None:
    """Queue a refresh of the scope `key` for `inputs_key`, unless one is already queued for it."""
    HeatmapSnapshot.objects.get_or_create(scope_key=key)
    asked = (
        HeatmapSnapshot.objects.filter(scope_key=key)
        .exclude(refreshing_key=inputs_key)
        .update(refreshing_key=inputs_key)
    )
    if asked:
        from trellis.web.growth.tasks import heatmap_snapshot_refresh  # the task runs this module

        transaction.on_commit(lambda: heatmap_snapshot_refresh.enqueue(scope_key=key))


def heatmap_read(
    *, viewer: Viewer, scope: HeatmapScope, framework: Framework, whole: bool = False
) -> HeatmapRead:
    """The heatmap of `scope` (checked by `heatmap_scope_get`) as the module's rules read it: every
    group when `whole` (the files), else the groups the page's charts draw (`heatmap_selectors.CHART_ROWS_LIMIT` per
    grouping, the others counted in `Aggregate.left_out`)."""
    key = scope_key(scope)
    held = "payload" if whole else "summary"
    snapshot = (
        HeatmapSnapshot.objects.filter(scope_key=key)
        .only("inputs_key", "computed_at", "people", held)
        .first()
    )
    payload = getattr(snapshot, held) if snapshot is not None else None
    if scope.kind == ScopeKind.TEAM:
        size = snapshot.people if snapshot is not None and payload is not None else scope_size(scope)
        if size <= heatmap_selectors.PERSON_ROWS_LIMIT:
            # Listed one by one, as this viewer may see them: always live.
            return HeatmapRead(
                heatmap_of(
                    viewer=viewer, scope=scope, framework=framework, matrix=matrix_read(scope, framework)
                )
            )
    inputs_key = heatmap_inputs_key()
    if snapshot is not None and payload is not None and snapshot.inputs_key == inputs_key:
        return HeatmapRead(heatmap_from(scope, payload), as_of=snapshot.computed_at)
    size = snapshot.people if snapshot is not None and payload is not None else scope_size(scope)
    if size <= sync_limit():
        computed, heatmap = snapshot_compute(scope, framework)
        return HeatmapRead(heatmap, as_of=computed.computed_at)
    _refresh_queue(key, inputs_key)
    if snapshot is None or payload is None:
        return HeatmapRead(None, stale=True)
    return HeatmapRead(heatmap_from(scope, payload), as_of=snapshot.computed_at, stale=True)


def scope_of(key: str, framework: Framework) -> HeatmapScope | None:
    kind, _, rest = key.partition(":")
    if kind == ScopeKind.COMPANY:
        return HeatmapScope(ScopeKind.COMPANY)
    if kind == ScopeKind.FAMILY:
        family = framework.family(rest)
        return None if family is None else HeatmapScope(ScopeKind.FAMILY, family.id, family.name)
    if kind == ScopeKind.TEAM:
        manager = Person.objects.filter(pk=int(rest)).first() if rest.isdigit() else None
        return None if manager is None else HeatmapScope(ScopeKind.TEAM, manager=manager)
    return None
