"""The demo company's development plans and OKR tree, added once by `people.demo.load_demo`.

The OKR tree: two company objectives (HR's), a team objective under each for the demo manager and
two other line managers, and personal objectives under them for the demo employee and one
colleague on each of those teams, each with key results part-way measured. Development plans,
drafted through the services from each person's gaps toward their next level: the demo employee's
(with a course done, its evidence recorded, a stretch assignment under way and a check-in) and
those of `DEMO_PLANS` other people — a teammate of the employee among them, so the demo manager's
home shows their team's completion.

Everything follows the company's order (people by id, objectives as listed here), so the same
company gives the same plans; dates are relative to `today`. Writes go through the services with
each person's own account (their manager's for the manager's parts), audited as any other.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from trellis.framework.browse import transition_to_next
from trellis.framework.model import Framework
from trellis.web.accounts.models import User
from trellis.web.frameworks.selectors import framework_published_for_work
from trellis.web.growth import okr_services, plan_services
from trellis.web.growth.models import Action as PlanAction
from trellis.web.growth.models import DevelopmentPlan, Goal, Objective
from trellis.web.people.demo_accounts import EMPLOYEE_EMAIL, HR_EMAIL, MANAGER_EMAIL
from trellis.web.people.models import Person

__all__ = ["DEMO_PLANS", "load_demo_growth"]

#: People other than the demo employee who get a plan.
DEMO_PLANS = 5

#: A key result as (title, start, target, current value, unit).
_KeyResult = tuple[str, float, float, float, str]
#: (company objective, its key results).
_COMPANY: tuple[tuple[str, tuple[_KeyResult, ...]], ...] = (
    (
        "Win the mid-market",
        (("Annual recurring revenue", 12.0, 20.0, 15.2, "M€"), ("Logo churn", 9.0, 5.0, 7.5, "%")),
    ),
    (
        "Grow our people from within",
        (
            ("Roles filled internally", 20.0, 40.0, 27.0, "%"),
            ("People with an active plan", 0.0, 80.0, 35.0, "%"),
        ),
    ),
)
#: Team objective titles, by the company objective they serve, for the first managers.
_TEAM: tuple[tuple[str, tuple[_KeyResult, ...]], ...] = (
    ("Ship usage-based billing", (("Customers on usage billing", 0.0, 50.0, 18.0, ""),)),
    ("Every engineer with a growth plan", (("Engineers with a plan", 0.0, 10.0, 4.0, ""),)),
    ("Halve the onboarding time", (("Days to first value", 30.0, 15.0, 24.0, "days"),)),
)


def _user(person: Person) -> User | None:
    account: User | None = person.user
    return account if account is not None and account.is_active else None


def _next_level(framework: Framework, person: Person) -> str | None:
    transition = transition_to_next(framework, person.family_id, person.track_id, person.level_code)
    if transition is None or transition.next is None:
        return None
    return f"{person.family_id}/{person.track_id}/{transition.next.code}"


def _objectives(hr: User, managers: list[Person], personal: list[Person], today: datetime.date) -> int:
    """The OKR tree; the number of objectives made."""
    starts_on = today.replace(month=1, day=1)
    ends_on = today.replace(month=12, day=31)
    companies = []
    for title, key_results in _COMPANY:
        objective = okr_services.objective_create(
            actor=hr, level="company", title=title, parent=None, starts_on=starts_on, ends_on=ends_on
        )
        _measured(hr, objective, key_results)
        companies.append(objective)
    made = len(companies)
    for index, manager in enumerate(managers[: len(_TEAM)]):
        account = _user(manager)
        if account is None:
            continue
        title, key_results = _TEAM[index]
        team = okr_services.objective_create(
            actor=account,
            level="team",
            title=title,
            parent=companies[index % len(companies)],
            starts_on=starts_on,
            ends_on=ends_on,
        )
        _measured(account, team, key_results)
        made += 1
        for person in personal:
            owner = _user(person)
            if owner is None or person.manager_id != manager.pk:
                continue
            mine = okr_services.objective_create(
                actor=owner,
                level="personal",
                title=f"Deliver my part of “{title}”",
                parent=team,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            _measured(owner, mine, (("Milestones delivered", 0.0, 4.0, 1.0 + person.pk % 3, ""),))
            made += 1
    return made


def _measured(actor: User, objective: Objective, key_results: tuple[_KeyResult, ...]) -> None:
    for title, start, target, current, unit in key_results:
        key_result = okr_services.key_result_create(
            actor=actor, objective=objective, title=title, start_value=start, target_value=target, unit=unit
        )
        okr_services.key_result_measure(actor=actor, key_result=key_result, current_value=current)


def _plan(
    person: Person, framework: Framework, today: datetime.date, *, rich: bool
) -> DevelopmentPlan | None:
    """Draft `person`'s plan toward their next level, with an action per goal; `rich`: also a course
    done with its evidence, a check-in by the person and one by their manager."""
    account = _user(person)
    target = _next_level(framework, person)
    if account is None or target is None:
        return None
    try:
        plan = plan_services.plan_draft_from_gaps(actor=account, person=person, target=target).plan
    except ValidationError:  # nothing to plan toward (every gap met): the demo leaves them be
        return None
    goals = list(plan.goals.order_by("position"))
    kinds = [PlanAction.Kind.COURSE, PlanAction.Kind.STRETCH, PlanAction.Kind.MENTORING]
    for index, goal in enumerate(goals):
        action = plan_services.action_add(
            actor=account,
            goal=goal,
            kind=kinds[index % len(kinds)],
            title=_ACTION_TITLES[kinds[index % len(kinds)]].format(
                competency=goal.title.split(" at the level")[0]
            ),
            due_on=today + datetime.timedelta(days=30 * (index + 1)),
        )
        if rich and index == 0:
            plan_services.action_status_set(
                actor=account,
                action=action,
                status=PlanAction.Status.DONE,
                evidence="Finished the course and used it at once: the next design review went half as long.",
            )
        elif index == 1:
            plan_services.action_status_set(
                actor=account, action=action, status=PlanAction.Status.IN_PROGRESS
            )
    if rich and goals:
        plan_services.progress_add(
            actor=account, goal=goals[0], text="Course done; practising on real work.", percent=60
        )
        plan_services.check_in_add(
            actor=account,
            plan=plan,
            happened_on=today - datetime.timedelta(days=21),
            summary="Course finished; picking a stretch assignment with my manager next.",
        )
        manager = _user(person.manager) if person.manager is not None else None
        if manager is not None:
            plan_services.check_in_add(
                actor=manager,
                plan=plan,
                happened_on=today - datetime.timedelta(days=7),
                summary="Good progress on the first goal; the stretch assignment starts this sprint.",
            )
    elif len(goals) > 2:
        plan_services.goal_status_set(actor=account, goal=goals[-1], status=Goal.Status.DONE)
    return plan


_ACTION_TITLES = {
    PlanAction.Kind.COURSE: "A course in {competency}",
    PlanAction.Kind.STRETCH: "Lead a piece of work that needs {competency}",
    PlanAction.Kind.MENTORING: "Pair with a mentor strong in {competency}",
}


def load_demo_growth(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Add the demo's OKR tree and plans (see the module's docstring) unless objectives or plans
    exist already; (objectives, plans) made."""
    published = framework_published_for_work()
    if published is None or Objective.objects.exists() or DevelopmentPlan.objects.exists():
        return 0, 0
    day = today or timezone.localdate()
    hr = User.objects.filter(email=HR_EMAIL).first()
    employee = Person.objects.select_related("manager", "user").filter(email=EMPLOYEE_EMAIL).first()
    if hr is None or employee is None:
        return 0, 0
    line_managers = list(
        Person.objects.select_related("user")
        .filter(is_active=True, reports__is_active=True, reports__reports__isnull=True)
        .exclude(email=HR_EMAIL)
        .distinct()
        .order_by("id")
    )
    # The demo manager first: their team objective is the one the employee's personal one serves.
    line_managers.sort(key=lambda person: (person.email != MANAGER_EMAIL, person.pk))
    others = list(
        Person.objects.select_related("manager", "manager__user", "user")
        .filter(is_active=True, manager__in=line_managers[: len(_TEAM)])
        .exclude(pk=employee.pk)
        .order_by("manager_id", "id")
    )
    # The demo manager's reports first: their home shows their team's plans.
    others.sort(
        key=lambda person: (person.manager_id != employee.manager_id, person.manager_id or 0, person.pk)
    )
    colleagues = []
    for manager in line_managers[: len(_TEAM)]:
        colleagues.extend([person for person in others if person.manager_id == manager.pk][:1])
    objectives = _objectives(hr, line_managers, [employee, *colleagues], day)
    plans = 1 if _plan(employee, published.framework, day, rich=True) is not None else 0
    for person in others:
        if plans > DEMO_PLANS:
            break
        if _plan(person, published.framework, day, rich=False) is not None:
            plans += 1
    return objectives, plans
