"""What-if of changed promotion criteria: per level, the share of its current population that meets
the next level's criteria under the published framework and under the draft, and who would change
status. Pure: the outcomes come in evaluated (one readiness evaluation per framework), this module
only compares them.

A level is keyed by its placement, (family, track, level code). Each framework's outcomes say, for
every person it evaluated, the plan of their move (None when that framework has nothing to evaluate
for them: the top of a track, or a level it does not have) and whether they are ready. A level's
population is everyone placed there that either framework evaluated; its share under a framework is
ready / population, or None when that framework evaluates nobody there.

A level's criteria are *unchanged* when both plans hold the same move and requirements (the names of
things may differ: renaming a competency does not change who is ready); its people's statuses can
still differ only if the inputs differ, which they do not within one comparison, so an unchanged
level has no status changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from trellis.evaluation.readiness import ReadinessPlan

__all__ = ["LevelKey", "LevelWhatIf", "Outcome", "criteria_equal", "what_if"]

#: (family id, track id, level code): where a person is placed.
LevelKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One person's next-level readiness under one framework: their placement, the plan of their
    move under that framework (None: nothing to evaluate) and whether they meet it."""

    person: int
    level: LevelKey
    plan: ReadinessPlan | None
    ready: bool


@dataclass(frozen=True, slots=True)
class LevelWhatIf:
    """One level's comparison. `ready_published`/`ready_draft` are None when that framework
    evaluates nobody at the level; `became_ready` and `no_longer_ready` are person ids, sorted."""

    level: LevelKey
    population: int
    ready_published: int | None
    ready_draft: int | None
    criteria_changed: bool
    became_ready: tuple[int, ...] = field(default=())
    no_longer_ready: tuple[int, ...] = field(default=())

    @property
    def share_published(self) -> float | None:
        return _share(self.ready_published, self.population)

    @property
    def share_draft(self) -> float | None:
        return _share(self.ready_draft, self.population)

    @property
    def changes(self) -> int:
        return len(self.became_ready) + len(self.no_longer_ready)


def _share(ready: int | None, population: int) -> float | None:
    if ready is None or population == 0:
        return None
    return ready / population


def criteria_equal(first: ReadinessPlan | None, second: ReadinessPlan | None) -> bool:
    """Whether two plans ask the same of a person: the same target, basis, competencies with their
    expected proficiencies, and requirements (names and wording aside)."""
    if first is None or second is None:
        return first is second
    return (
        first.target_track == second.target_track
        and first.target_level == second.target_level
        and first.basis == second.basis
        and first.competencies == second.competencies
        and first.expected == second.expected
        and first.columns == second.columns
        and first.requirements == second.requirements
        and first.evidence_items == second.evidence_items
    )


def _by_level(outcomes: Iterable[Outcome]) -> dict[LevelKey, dict[int, Outcome]]:
    grouped: dict[LevelKey, dict[int, Outcome]] = {}
    for outcome in outcomes:
        grouped.setdefault(outcome.level, {})[outcome.person] = outcome
    return grouped


def what_if(published: Sequence[Outcome], draft: Sequence[Outcome]) -> list[LevelWhatIf]:
    """Each level's shares under `published` and `draft` and the people whose status differs, in the
    order of the levels' keys. A level neither framework evaluates anyone at is left out."""
    before, after = _by_level(published), _by_level(draft)
    levels: list[LevelWhatIf] = []
    for key in sorted(before.keys() | after.keys()):
        old: Mapping[int, Outcome] = before.get(key, {})
        new: Mapping[int, Outcome] = after.get(key, {})
        old_evaluated = {person: o for person, o in old.items() if o.plan is not None}
        new_evaluated = {person: o for person, o in new.items() if o.plan is not None}
        population = len(old.keys() | new.keys())
        if not old_evaluated and not new_evaluated:
            continue
        old_plan = next((o.plan for o in old_evaluated.values()), None)
        new_plan = next((o.plan for o in new_evaluated.values()), None)
        both = old_evaluated.keys() & new_evaluated.keys()
        levels.append(
            LevelWhatIf(
                level=key,
                population=population,
                ready_published=sum(o.ready for o in old_evaluated.values()) if old_evaluated else None,
                ready_draft=sum(o.ready for o in new_evaluated.values()) if new_evaluated else None,
                criteria_changed=not criteria_equal(old_plan, new_plan),
                became_ready=tuple(
                    sorted(p for p in both if new_evaluated[p].ready and not old_evaluated[p].ready)
                ),
                no_longer_ready=tuple(
                    sorted(p for p in both if old_evaluated[p].ready and not new_evaluated[p].ready)
                ),
            )
        )
    return levels
