"""Reads of development plans, scoped by the policy: a person's plan page (their active plan, else
their latest, with its goals, actions, progress updates and check-ins), the completion figures shown
on home pages, and the short read-only summary the review cycle's assessment forms show.

Plans are confidential (`Action.PLAN_VIEW`): every read here takes the viewer, and a viewer who may
not see the plan's person is answered 404 (or, for the summaries, nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from trellis.framework import shaping, wording
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.growth.models import Action as PlanAction
from trellis.web.growth.models import CheckIn, DevelopmentPlan, Goal, KeyResult, Objective, ProgressUpdate
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.selectors import target_label

__all__ = [
    "CHECK_INS_IN_REVIEW",
    "Completion",
    "PlanPage",
    "action_get",
    "completion_by_person",
    "goal_get",
    "key_result_choices",
    "plan_current",
    "plan_page_get",
    "plan_review_summary_get",
]

#: Check-ins a review form shows (the newest).
CHECK_INS_IN_REVIEW = 3


@dataclass(frozen=True, slots=True)
class Completion:
    """How far a plan has come: goals done of those not dropped, and the same of their actions."""

    plan_id: int
    goals_done: int
    goals: int
    actions_done: int
    actions: int

    @property
    def text(self) -> str:
        return wording.plan_completion(self.goals_done, self.goals, self.actions_done, self.actions)

    @property
    def share(self) -> float:
        """Goals done over goals, 0 for a plan without goals."""
        return self.goals_done / self.goals if self.goals else 0.0


def _counted(goals: Iterable[Goal]) -> tuple[int, int, int, int]:
    live = [goal for goal in goals if goal.status != Goal.Status.DROPPED]
    actions = [
        action for goal in live for action in goal.actions.all() if action.status != PlanAction.Status.DROPPED
    ]
    return (
        sum(1 for goal in live if goal.status == Goal.Status.DONE),
        len(live),
        sum(1 for action in actions if action.status == PlanAction.Status.DONE),
        len(actions),
    )


def plan_current(*, person: Person) -> DevelopmentPlan | None:
    """`person`'s active plan, else their latest one, else None. Callers check the policy."""
    plans = DevelopmentPlan.objects.filter(person=person)
    active = plans.filter(status=DevelopmentPlan.Status.ACTIVE).first()
    return active or plans.order_by("-created_at", "-id").first()


@dataclass(frozen=True, slots=True)
class GoalView:
    goal: Goal
    #: The competency's name in the person's family's words (its id when the framework lacks it).
    competency: str
    actions: list[PlanAction]
    updates: list[ProgressUpdate]
    #: The latest progress update's percent, None before any.
    percent: int | None


@dataclass(frozen=True, slots=True)
class PlanPage:
    person: Person
    plan: DevelopmentPlan | None
    #: The plan's target level in words.
    target: str
    goals: list[GoalView]
    check_ins: list[CheckIn]
    completion: Completion | None
    #: The person's other plans (archived or completed), newest first: (plan, its target in words).
    earlier: list[tuple[DevelopmentPlan, str]] = field(default_factory=list)


def competency_names(framework: Framework | None, family_id: str) -> dict[str, str]:
    """Every competency a goal may name, by id: those of `family_id` in its words, then every other
    family's (a plan toward a lateral move develops the other family's competencies)."""
    if framework is None:
        return {}
    names: dict[str, str] = {}
    own = framework.family(family_id)
    for family in [own, *framework.families]:
        for competency_id, competency in shaping.competencies_by_id(framework, family).items():
            names.setdefault(competency_id, competency.name)
    return names


def plan_page_get(*, viewer: Viewer, person: Person, framework: Framework | None) -> PlanPage:
    """`person`'s plan page; Http404 unless `viewer` may see their plan. A handful of queries
    whatever the plan's size."""
    policy.require_visible(viewer, Action.PLAN_VIEW, person)
    plan = plan_current(person=person)
    if plan is None:
        return PlanPage(person=person, plan=None, target="", goals=[], check_ins=[], completion=None)
    goals = list(
        plan.goals.select_related("key_result", "key_result__objective").prefetch_related(
            Prefetch(
                "actions", queryset=PlanAction.objects.select_related("evidence").order_by("due_on", "id")
            ),
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
        )
    )
    names = competency_names(framework, person.family_id)
    views = []
    for goal in goals:
        updates = list(goal.updates.all())
        views.append(
            GoalView(
                goal=goal,
                competency=names.get(goal.competency_id, goal.competency_id),
                actions=list(goal.actions.all()),
                updates=updates,
                percent=updates[0].percent if updates else None,
            )
        )
    goals_done, goals_total, actions_done, actions_total = _counted(goals)
    earlier = [
        (
            other,
            target_label(framework, other.target_family_id, other.target_track_id, other.target_level_code),
        )
        for other in DevelopmentPlan.objects.filter(person=person)
        .exclude(pk=plan.pk)
        .prefetch_related("goals")
        .order_by("-created_at", "-id")
    ]
    return PlanPage(
        person=person,
        plan=plan,
        target=target_label(framework, plan.target_family_id, plan.target_track_id, plan.target_level_code),
        goals=views,
        check_ins=list(plan.check_ins.select_related("author")),
        completion=Completion(plan.pk, goals_done, goals_total, actions_done, actions_total),
        earlier=earlier,
    )


def completion_by_person(*, viewer: Viewer, people: Iterable[Person]) -> dict[int, Completion]:
    """The completion of each active plan of `people` whose plan `viewer` may see, by person id
    (people without an active plan are absent). Two queries whatever the number of people (one
    when none has a plan)."""
    visible = [person.pk for person in people if policy.can(viewer, Action.PLAN_VIEW, person)]
    if not visible:
        return {}
    live_goal = ~Q(goals__status=Goal.Status.DROPPED)
    plans = (
        DevelopmentPlan.objects.filter(person_id__in=visible, status=DevelopmentPlan.Status.ACTIVE)
        .order_by()
        .annotate(
            goals_total=Count("goals", filter=live_goal, distinct=True),
            goals_done=Count("goals", filter=Q(goals__status=Goal.Status.DONE), distinct=True),
        )
        .values_list("pk", "person_id", "goals_total", "goals_done")
    )
    if not plans:
        return {}
    actions = dict(
        (plan_id, (total, done))
        for plan_id, total, done in PlanAction.objects.filter(
            goal__plan__person_id__in=visible, goal__plan__status=DevelopmentPlan.Status.ACTIVE
        )
        .exclude(goal__status=Goal.Status.DROPPED)
        .exclude(status=PlanAction.Status.DROPPED)
        .order_by()
        .values("goal__plan_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=PlanAction.Status.DONE)))
        .values_list("goal__plan_id", "total", "done")
    )
    result = {}
    for plan_id, person_id, goals_total, goals_done in plans:
        actions_total, actions_done = actions.get(plan_id, (0, 0))
        result[person_id] = Completion(plan_id, goals_done, goals_total, actions_done, actions_total)
    return result


@dataclass(frozen=True, slots=True)
class PlanReviewSummary:
    """What a review form shows of the subject's plan: its goals' status and the newest check-ins."""

    person: Person
    target: str
    goals: list[tuple[Goal, str]]
    check_ins: list[CheckIn]
    completion: Completion


def plan_review_summary_get(
    *, viewer: Viewer, person: Person, framework: Framework | None
) -> PlanReviewSummary | None:
    """The summary of `person`'s active plan for an assessment form; None when they have none or
    `viewer` may not see it (a peer answering feedback sees nothing of it)."""
    if not policy.can(viewer, Action.PLAN_VIEW, person):
        return None
    plan = DevelopmentPlan.objects.filter(person=person, status=DevelopmentPlan.Status.ACTIVE).first()
    if plan is None:
        return None
    goals = list(plan.goals.prefetch_related("actions"))
    names = competency_names(framework, person.family_id)
    goals_done, goals_total, actions_done, actions_total = _counted(goals)
    return PlanReviewSummary(
        person=person,
        target=target_label(framework, plan.target_family_id, plan.target_track_id, plan.target_level_code),
        goals=[(goal, names.get(goal.competency_id, goal.competency_id)) for goal in goals],
        check_ins=list(plan.check_ins.select_related("author")[:CHECK_INS_IN_REVIEW]),
        completion=Completion(plan.pk, goals_done, goals_total, actions_done, actions_total),
    )


def goal_get(*, viewer: Viewer, goal_id: int) -> Goal:
    """The goal with this id, with its plan and person; Http404 when it does not exist or `viewer`
    may not see its plan (the two are not told apart)."""
    goal = (
        Goal.objects.select_related("plan", "plan__person", "plan__person__manager")
        .filter(pk=goal_id)
        .first()
    )
    if goal is None:
        raise Http404("no such goal")
    policy.require_visible(viewer, Action.PLAN_VIEW, goal.plan.person)
    return goal


def action_get(*, viewer: Viewer, action_id: int) -> PlanAction:
    """The action with this id, with its goal, plan and person; Http404 as `goal_get`."""
    action = (
        PlanAction.objects.select_related(
            "goal", "goal__plan", "goal__plan__person", "goal__plan__person__manager"
        )
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404("no such action")
    policy.require_visible(viewer, Action.PLAN_VIEW, action.goal.plan.person)
    return action


def key_result_choices(*, viewer: Viewer, person: Person) -> list[tuple[str, str]]:
    """The key results a goal of `person`'s plan may serve, as (id, "objective — key result"): those
    of the company's and teams' objectives and of `person`'s own personal ones, as `viewer` may
    read them."""
    rows = (
        KeyResult.objects.filter(
            Q(objective__level__in=[Objective.Level.COMPANY, Objective.Level.TEAM])
            | Q(objective__level=Objective.Level.PERSONAL, objective__owner=person)
        )
        .select_related("objective", "objective__owner")
        .order_by("objective__level", "objective__title", "id")
    )
    return [
        (str(row.pk), f"{row.objective.title} — {row.title}")
        for row in rows
        if policy.can(viewer, Action.OBJECTIVE_VIEW, row.objective)
    ]
