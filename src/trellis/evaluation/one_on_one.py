"""The 1:1 conversation guide a manager gets for a report: questions to ask, the behaviours to
discuss and what the next level needs, built from the report's gaps, readiness, plan progress,
recent feedback and the open applications the manager may see. Pure Python (no Django); the words
are :mod:`trellis.framework.wording`'s.

**What the guide says, in this order** (at most :data:`MAX_QUESTIONS` questions, the first reasons
first, since a 1:1 is half an hour):

1. ready for the next level: every criterion met — the promotion conversation;
2. each plan action past its due date, as one question;
3. each plan goal that has not moved (no progress recorded);
4. the largest gaps toward the next level, one question each, with the behaviour that would close it;
5. competencies the next level expects that nobody has rated yet: what evidence could show them;
6. feedback received since the last 1:1;
7. open applications to internal opportunities — only those the caller has already filtered to the
   ones the manager may see (an application hidden from the current manager never reaches here).

`behaviours` lists every gap toward the next level with its behaviour, largest first; `next_level`
the unmet readiness criteria in their own words. A guide for someone with no gaps report (the top of
their track) simply has no gap questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trellis.evaluation.gaps import GapReport, GapStatus
from trellis.framework import wording

__all__ = ["MAX_QUESTIONS", "Guide", "GuideInputs", "PlanGoalProgress", "guide"]

#: Questions a guide offers at most.
MAX_QUESTIONS = 6


@dataclass(frozen=True, slots=True)
class PlanGoalProgress:
    """One goal of the person's development plan: its title, progress (None: nothing recorded) and
    how many of its actions are past their due date."""

    title: str
    progress: float | None
    overdue_actions: int = 0


@dataclass(frozen=True, slots=True)
class GuideInputs:
    gaps: GapReport | None
    #: Readiness for the next level: None when not evaluated; else whether ready, and the unmet
    #: criteria's explanations.
    ready: bool | None
    unmet_criteria: Sequence[str]
    goals: Sequence[PlanGoalProgress]
    feedback_since_last: int
    #: Titles of the open applications the manager may see.
    applications: Sequence[str]


@dataclass(frozen=True, slots=True)
class Guide:
    questions: tuple[str, ...]
    #: (competency name, the behaviour the next level expects), largest gap first.
    behaviours: tuple[tuple[str, str], ...]
    next_level: tuple[str, ...]


def guide(inputs: GuideInputs) -> Guide:
    """The guide for one report (the module's rules)."""
    questions: list[str] = []
    level = inputs.gaps.level.code if inputs.gaps is not None else ""
    if inputs.ready and level:
        questions.append(wording.guide_ready(level))
    questions.extend(
        wording.guide_overdue(goal.title, goal.overdue_actions)
        for goal in inputs.goals
        if goal.overdue_actions
    )
    questions.extend(wording.guide_stalled(goal.title) for goal in inputs.goals if goal.progress is None)
    behaviours: list[tuple[str, str]] = []
    if inputs.gaps is not None:
        for gap in inputs.gaps.largest:
            questions.append(wording.guide_gap(gap.name, level))
            behaviours.append((gap.name, gap.behaviour))
        questions.extend(
            wording.guide_unrated(gap.name, level) for gap in inputs.gaps.by_status(GapStatus.UNKNOWN)
        )
    if inputs.feedback_since_last:
        questions.append(wording.guide_feedback(inputs.feedback_since_last))
    questions.extend(wording.guide_application(title) for title in inputs.applications)
    return Guide(
        questions=tuple(questions[:MAX_QUESTIONS]),
        behaviours=tuple(behaviours),
        next_level=tuple(inputs.unmet_criteria),
    )
