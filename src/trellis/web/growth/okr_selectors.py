"""Reads of the OKR tree, scoped by the policy: company objectives, the teams' objectives under
them and the personal ones under those, with their key results and their progress rolled up by
`trellis.evaluation.okr`.

Company and team objectives are not confidential: every signed-in person reads them. A personal
objective is read by its owner, their manager chain (manager and skip-level) and HR
(`Action.OBJECTIVE_VIEW`); progress rolls up over the objectives the viewer may read, so that no
figure on the page is made of objectives they cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from trellis.evaluation.okr import OkrNode, key_result_progress, roll_up
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.growth.models import KeyResult, Objective
from trellis.web.policy import Action

__all__ = ["ObjectiveNode", "key_result_get", "objective_get", "objective_tree_get", "parent_choices"]


@dataclass(slots=True)
class ObjectiveNode:
    objective: Objective
    progress: float | None
    #: Each key result with its progress.
    key_results: list[tuple[KeyResult, float | None]] = field(default_factory=list)
    children: list[ObjectiveNode] = field(default_factory=list)
    #: Whether the viewer may add key results and record their values.
    editable: bool = False


def _readable(viewer: Viewer) -> list[Objective]:
    objectives = Objective.objects.select_related("owner", "owner__manager").prefetch_related("key_results")
    return [o for o in objectives if policy.can(viewer, Action.OBJECTIVE_VIEW, o)]


def objective_tree_get(*, viewer: Viewer) -> list[ObjectiveNode]:
    """The company's objectives, each with the readable objectives under it, and every readable
    objective whose parent the viewer may not read (or that has none) as a root of its own.
    PermissionDenied unless `viewer` may read the tree. Three queries, then the policy per
    personal objective."""
    policy.require(viewer, Action.OKR_VIEW)
    objectives = _readable(viewer)
    readable = {objective.pk for objective in objectives}
    nodes: list[OkrNode] = []
    for objective in objectives:
        parent = objective.parent_id if objective.parent_id in readable else None
        nodes.append(OkrNode(f"o{objective.pk}", f"o{parent}" if parent else None, objective.weight))
        for key_result in objective.key_results.all():
            share = key_result_progress(
                start=key_result.start_value, target=key_result.target_value, current=key_result.current_value
            )
            nodes.append(OkrNode(f"k{key_result.pk}", f"o{objective.pk}", key_result.weight, True, share))
    progress = roll_up(nodes)
    by_id = {
        objective.pk: ObjectiveNode(
            objective=objective,
            progress=progress[f"o{objective.pk}"],
            key_results=[(kr, progress[f"k{kr.pk}"]) for kr in objective.key_results.all()],
            editable=policy.can(viewer, Action.OBJECTIVE_EDIT, objective),
        )
        for objective in objectives
    }
    roots = []
    for objective in objectives:
        node = by_id[objective.pk]
        if objective.parent_id in by_id:
            by_id[objective.parent_id].children.append(node)
        else:
            roots.append(node)
    order = {Objective.Level.COMPANY: 0, Objective.Level.TEAM: 1, Objective.Level.PERSONAL: 2}
    roots.sort(key=lambda node: (order[Objective.Level(node.objective.level)], node.objective.title))
    return roots


def parent_choices(*, viewer: Viewer, level: str) -> list[tuple[str, str]]:
    """The objectives a new objective of `level` may hang from, as (id, title): company ones under
    a team objective, team ones under a personal objective; none for a company objective."""
    parent_level = {"team": Objective.Level.COMPANY, "personal": Objective.Level.TEAM}.get(level)
    if parent_level is None:
        return []
    return [
        (str(objective.pk), objective.title)
        for objective in Objective.objects.filter(level=parent_level).select_related("owner")
        if policy.can(viewer, Action.OBJECTIVE_VIEW, objective)
    ]


def objective_get(*, viewer: Viewer, objective_id: int) -> Objective:
    """The objective with this id; Http404 when it does not exist or `viewer` may not read it."""
    objective = Objective.objects.select_related("owner", "owner__manager").filter(pk=objective_id).first()
    if objective is None:
        raise Http404("no such objective")
    policy.require_visible(viewer, Action.OBJECTIVE_VIEW, objective)
    return objective


def key_result_get(*, viewer: Viewer, key_result_id: int) -> KeyResult:
    """The key result with this id and its objective; Http404 as `objective_get`."""
    key_result = (
        KeyResult.objects.select_related("objective", "objective__owner", "objective__owner__manager")
        .filter(pk=key_result_id)
        .first()
    )
    if key_result is None:
        raise Http404("no such key result")
    policy.require_visible(viewer, Action.OBJECTIVE_VIEW, key_result.objective)
    return key_result
