"""Objectives and key results as a small tree (company → team → personal), with progress rolling up.
Pure Python (no Django); development-plan goals may hang from any objective.

**A key result's progress** (:func:`key_result_progress`) is how far its current value has come from
its start toward its target, between 0 and 1 (a target below the start — "cut response time from 40
to 10 hours" — counts down the same way); a key result with no current value has no progress yet.

**An objective's progress** (:func:`roll_up`) is the weighted mean of its children's progress — its
own key results and the objectives under it — over the children that have one; an objective none of
whose children has progress has none (shown as "not started", never as 0 %). Weights default to 1
and must be positive.

A tree that is not one (a parent that does not exist, a loop) is refused with the ids involved.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["OkrError", "OkrNode", "key_result_progress", "roll_up"]


class OkrError(ValueError):
    """The nodes do not form a tree; the message names the ids."""


@dataclass(frozen=True, slots=True)
class OkrNode:
    """An objective (`progress` None: computed from its children) or a key result (`progress` its
    own, from :func:`key_result_progress`, None before it is measured)."""

    id: str
    parent: str | None
    weight: float = 1.0
    is_key_result: bool = False
    progress: float | None = None


def key_result_progress(*, start: float, target: float, current: float | None) -> float | None:
    """The share of the way from `start` to `target` that `current` has come, within 0 and 1."""
    if current is None:
        return None
    if math.isclose(target, start):
        return 1.0 if (current >= target if target >= start else current <= target) else 0.0
    share = (current - start) / (target - start)
    return min(1.0, max(0.0, share))


def roll_up(nodes: Sequence[OkrNode]) -> dict[str, float | None]:
    """Every node's progress, by id (the module's rules)."""
    by_id: dict[str, OkrNode] = {}
    for node in nodes:
        if node.id in by_id:
            raise OkrError(f"{node.id!r} appears twice")
        if not node.weight > 0:
            raise OkrError(f"{node.id!r} has weight {node.weight}; weights must be above 0")
        by_id[node.id] = node
    children: dict[str, list[OkrNode]] = defaultdict(list)
    for node in nodes:
        if node.parent is not None:
            if node.parent not in by_id:
                raise OkrError(f"{node.id!r} hangs from {node.parent!r}, which does not exist")
            if by_id[node.parent].is_key_result:
                raise OkrError(
                    f"{node.id!r} hangs from the key result {node.parent!r}; only objectives have children"
                )
            children[node.parent].append(node)
    progress: dict[str, float | None] = {}
    visiting: list[str] = []

    def visit(node: OkrNode) -> float | None:
        if node.id in progress:
            return progress[node.id]
        if node.id in visiting:
            loop = [*visiting[visiting.index(node.id) :], node.id]
            raise OkrError("a loop: " + " → ".join(loop))
        visiting.append(node.id)
        if node.is_key_result:
            value = node.progress
        else:
            measured = [(child.weight, visit(child)) for child in children[node.id]]
            known = [(weight, share) for weight, share in measured if share is not None]
            total = sum(weight for weight, _ in known)
            value = sum(weight * share for weight, share in known) / total if known else None
        visiting.pop()
        progress[node.id] = value
        return value

    for node in nodes:
        visit(node)
    # A loop has no root, so its nodes are visited from one of themselves: caught above.
    return progress
