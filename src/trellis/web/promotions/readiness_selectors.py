"""Reads of readiness, scoped by the policy (`Action.READINESS_VIEW`: the person, their manager
chain and HR): one person's current result with its words, a team's results in one query, and a
person's history across cycles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trellis.evaluation.readiness import Readiness as ReadinessResult
from trellis.evaluation.readiness_chart import HistoryPoint
from trellis.framework.model import Level
from trellis.framework.wording import level_label
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.selectors import PublishedFramework
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.models import Readiness, ReadinessSnapshot
from trellis.web.promotions.readiness_services import readiness_worded


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a person stands for their next level: the stored row, and `result` with the words of
    every criterion (None while it is being recomputed for a newer framework version)."""

    row: Readiness
    result: ReadinessResult | None
    target: Level | None

    @property
    def target_label(self) -> str:
        return level_label(self.target) if self.target is not None else self.row.target_level_code


def readiness_standing_get(
    *, viewer: Viewer, person: Person, published: PublishedFramework | None
) -> Standing | None:
    """`person`'s readiness for their next level, worded; None when there is none (no published
    framework, the top of a track, not computed yet). Http404 unless `viewer` may see it. One query."""
    policy.require_visible(viewer, Action.READINESS_VIEW, person)
    if published is None:
        return None
    row = Readiness.objects.filter(person=person, is_next_level=True).first()
    if row is None:
        return None
    row.person = person
    framework = published.framework
    family = framework.family(row.target_family_id)
    track = family.track(row.target_track_id) if family is not None else None
    target = track.level(row.target_level_code) if track is not None else None
    current = row.framework_version_id == published.version_id
    result = readiness_worded(row, framework) if current else None
    return Standing(row=row, result=result, target=target)


def team_readiness_get(*, viewer: Viewer, people: Sequence[Person]) -> dict[int, Readiness]:
    """The next-level readiness of each of `people` that `viewer` may see, by person id (one query)."""
    visible = [person.pk for person in people if policy.can(viewer, Action.READINESS_VIEW, person)]
    if not visible:
        return {}
    rows = Readiness.objects.filter(person_id__in=visible, is_next_level=True).only(
        "person_id", "ready", "met_count", "criteria_count", "target_level_code"
    )
    return {row.person_id: row for row in rows}


def readiness_history_get(*, viewer: Viewer, person: Person) -> list[HistoryPoint]:
    """`person`'s readiness at the end of each cycle, oldest first, as chart points (one query).
    Http404 unless `viewer` may see it."""
    policy.require_visible(viewer, Action.READINESS_VIEW, person)
    snapshots = (
        ReadinessSnapshot.objects.filter(person=person)
        .order_by("as_of", "pk")
        .values_list("as_of", "cycle__name", "target_level_code", "met_count", "criteria_count", "ready")
    )
    return [
        HistoryPoint(label=name or as_of.isoformat(), met=met, total=total, ready=ready)
        for as_of, name, _, met, total, ready in snapshots
    ]


__all__ = ["Standing", "readiness_history_get", "readiness_standing_get", "team_readiness_get"]
