"""The growth tables' own rules, held by the database on either engine: one active plan per person,
an objective owned as its level says, weights above zero, a 1:1 of two people, percentages to 100."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from trellis.web.accounts.models import User
from trellis.web.growth.models import DevelopmentPlan, Goal, KeyResult, Objective, OneOnOne, ProgressUpdate

DAY = datetime.date(2027, 1, 1)
LATER = datetime.date(2027, 6, 30)


def refused(create: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()  # type: ignore[operator]


def plan(user: User, **fields: object) -> DevelopmentPlan:
    values = {
        "person": user.person,
        "target_family_id": "engineering",
        "target_track_id": "ic",
        "target_level_code": "IC3",
    }
    values.update(fields)
    return DevelopmentPlan.objects.create(**values)


def test_one_active_plan_per_person_and_any_number_of_old_ones(employee: User) -> None:
    first = plan(employee)
    refused(lambda: plan(employee))
    first.status = DevelopmentPlan.Status.COMPLETED
    first.save()
    plan(employee)
    plan(employee, status=DevelopmentPlan.Status.ARCHIVED)
    assert DevelopmentPlan.objects.filter(person=employee.person, status="active").count() == 1


def test_an_objective_is_owned_as_its_level_says(employee: User, manager: User) -> None:
    company = Objective.objects.create(title="Grow inside", level="company", starts_on=DAY, ends_on=LATER)
    Objective.objects.create(
        title="Team", level="team", owner=manager.person, parent=company, starts_on=DAY, ends_on=LATER
    )
    refused(
        lambda: Objective.objects.create(
            title="Owned", level="company", owner=manager.person, starts_on=DAY, ends_on=LATER
        )
    )
    refused(
        lambda: Objective.objects.create(title="Nobody's", level="personal", starts_on=DAY, ends_on=LATER)
    )
    refused(
        lambda: Objective.objects.create(title="Backwards", level="company", starts_on=LATER, ends_on=DAY)
    )
    refused(
        lambda: Objective.objects.create(
            title="Weightless", level="company", weight=0, starts_on=DAY, ends_on=LATER
        )
    )
    refused(lambda: KeyResult.objects.create(objective=company, title="KR", target_value=10, weight=-1))


def test_a_one_on_one_is_of_two_people_and_progress_stops_at_100(employee: User, manager: User) -> None:
    refused(lambda: OneOnOne.objects.create(manager=manager.person, report=manager.person, happens_on=DAY))
    goal = Goal.objects.create(plan=plan(employee), title="Lead a release", competency_id="delivery")
    ProgressUpdate.objects.create(goal=goal, author=employee.person, text="Half way", percent=100)
    refused(
        lambda: ProgressUpdate.objects.create(goal=goal, author=employee.person, text="Too far", percent=101)
    )
