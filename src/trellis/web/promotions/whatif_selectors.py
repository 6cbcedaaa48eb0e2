"""The what-if of the draft's promotion criteria, for HR before publishing: per level, the share of
its current population (the active people placed there) that meets the next level's criteria under
the published version and under the draft, and the people whose status would change.

Both sides are evaluated by the one readiness path (`readiness_services._evaluate`), once each over
the whole company, from the same inputs — only the framework whose criteria are read differs — so
the page costs a fixed number of queries whatever the number of people; the comparison itself is
`trellis.evaluation.whatif`'s. Nothing is stored.

Policy: `readiness.what_if`, HR's alone (shares and names). Promotion criteria are structure, which
only HR edits, and a small level's share is its people's status, so co-authors see none of it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from trellis.evaluation.whatif import LevelWhatIf, Outcome, what_if
from trellis.framework.addresses import family_name, track_name
from trellis.framework.model import Framework
from trellis.framework.wording import readiness_move
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.authoring_selectors import draft_state_get
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import _evaluate, _Evaluated

__all__ = ["WHAT_IF_NAMES_SHOWN", "ChangedPerson", "LevelRow", "ReadinessWhatIf", "readiness_what_if"]

#: People named per level and direction; beyond it the page gives the number left.
WHAT_IF_NAMES_SHOWN = 50


@dataclass(frozen=True, slots=True)
class ChangedPerson:
    person_id: int
    name: str


@dataclass(frozen=True, slots=True)
class LevelRow:
    """One level as the page shows it: its place and move in words, the comparison, and the people
    named (at most `WHAT_IF_NAMES_SHOWN` each way; `*_more` counts the rest)."""

    comparison: LevelWhatIf
    family: str
    track: str
    move: str
    became_ready: tuple[ChangedPerson, ...]
    became_ready_more: int
    no_longer_ready: tuple[ChangedPerson, ...]
    no_longer_ready_more: int


@dataclass(frozen=True, slots=True)
class ReadinessWhatIf:
    """The what-if, or why there is none: `draft_readable` False when the draft's text cannot be
    read as a framework (`draft_errors` findings), `published_number` None before any publication."""

    draft_revision: int
    draft_readable: bool
    draft_errors: int
    published_number: int | None
    levels: tuple[LevelRow, ...]
    as_of: datetime.date

    @property
    def changed_levels(self) -> tuple[LevelRow, ...]:
        return tuple(row for row in self.levels if row.comparison.criteria_changed)

    @property
    def unchanged_levels(self) -> tuple[LevelRow, ...]:
        return tuple(row for row in self.levels if not row.comparison.criteria_changed)

    @property
    def people_changing(self) -> int:
        return sum(row.comparison.changes for row in self.levels)


def _outcomes(evaluated: list[_Evaluated], placement: dict[int, tuple[str, str, str]]) -> list[Outcome]:
    return [
        Outcome(person=item.person_id, level=placement[item.person_id], plan=item.plan, ready=item.ready)
        for item in evaluated
    ]


def _move(level: LevelWhatIf, draft: Framework, published: Framework) -> str:
    """ "IC2 → IC3" as the draft has it (else the published version), the target's track named
    when the move changes track."""
    family_id, track_id, code = level.level
    for framework in (draft, published):
        family = framework.family(family_id)
        track = family.track(track_id) if family is not None else None
        found = track.level(code) if track is not None else None
        if track is not None and found is not None:
            position = track.levels.index(found)
            if position + 1 < len(track.levels):
                return readiness_move(code, track.levels[position + 1].code)
    return code


def readiness_what_if(*, viewer: Viewer, as_of: datetime.date | None = None) -> ReadinessWhatIf:
    """The what-if of the working draft's criteria against the current version's, as of `as_of`
    (today). PermissionDenied unless `viewer` is HR. A draft that cannot be read is said so (no
    levels). Queries: the draft, and one readiness evaluation per framework (a fixed number each),
    then one for the names shown — whatever the size of the company."""
    policy.require(viewer, Action.READINESS_WHAT_IF)
    day = as_of or timezone.localdate()
    state = draft_state_get(viewer=viewer)
    if state.framework is None:
        return ReadinessWhatIf(state.revision, False, len(state.errors), None, (), day)
    published, before = _evaluate(person_ids=None, as_of=day)
    if published is None:
        return ReadinessWhatIf(state.revision, True, len(state.errors), None, (), day)
    _, after = _evaluate(person_ids=None, as_of=day, framework=state.framework)
    placement = {
        item.person_id: (item.plan.family, item.plan.track, item.plan.level) for item in (*before, *after)
    }
    levels = what_if(_outcomes(before, placement), _outcomes(after, placement))
    shown = {
        person
        for level in levels
        for person in (
            *level.became_ready[:WHAT_IF_NAMES_SHOWN],
            *level.no_longer_ready[:WHAT_IF_NAMES_SHOWN],
        )
    }
    names = dict(Person.objects.filter(pk__in=sorted(shown)).values_list("pk", "full_name")) if shown else {}

    def named(people: tuple[int, ...]) -> tuple[ChangedPerson, ...]:
        return tuple(ChangedPerson(p, names.get(p, "")) for p in people[:WHAT_IF_NAMES_SHOWN])

    draft, current = state.framework, published.framework
    rows = tuple(
        LevelRow(
            comparison=level,
            family=family_name(draft, level.level[0]),
            track=track_name(draft, level.level[0], level.level[1]),
            move=_move(level, draft, current),
            became_ready=named(level.became_ready),
            became_ready_more=max(0, len(level.became_ready) - WHAT_IF_NAMES_SHOWN),
            no_longer_ready=named(level.no_longer_ready),
            no_longer_ready_more=max(0, len(level.no_longer_ready) - WHAT_IF_NAMES_SHOWN),
        )
        for level in levels
    )
    return ReadinessWhatIf(state.revision, True, len(state.errors), published.number, rows, day)
