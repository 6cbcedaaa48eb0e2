"""The demo company's OKR tree and development plans (growth/demo_growth.py), loaded with the demo."""

from __future__ import annotations

import time

import pytest

from trellis.web.growth.demo_growth import DEMO_PLANS, load_demo_growth
from trellis.web.growth.models import Action, CheckIn, DevelopmentPlan, Goal, KeyResult, Objective
from trellis.web.growth.okr_selectors import objective_tree_get
from trellis.web.people.demo import load_demo
from trellis.web.people.demo_accounts import EMPLOYEE_EMAIL, MANAGER_EMAIL
from trellis.web.people.models import Person
from trellis.web.reviews.models import EvidenceItem

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_okr_tree_and_plans_and_loads_them_once() -> None:
    started = time.perf_counter()
    load_demo()
    print(f"\ndemo (with growth) loaded in {time.perf_counter() - started:.2f} s")
    levels = list(Objective.objects.values_list("level", flat=True))
    assert levels.count("company") == 2 and levels.count("team") == 3 and levels.count("personal") >= 2
    assert not KeyResult.objects.filter(current_value__isnull=True).exists()
    employee = Person.objects.get(email=EMPLOYEE_EMAIL)
    plan = DevelopmentPlan.objects.get(person=employee)
    assert plan.status == "active" and plan.goals.exists()
    done = Action.objects.get(goal__plan=plan, status="done")
    assert done.evidence is not None and done.evidence.competency_ids == [done.goal.competency_id]
    assert CheckIn.objects.filter(plan=plan).count() == 2
    assert Objective.objects.filter(
        level="personal", owner=employee, parent__owner__email=MANAGER_EMAIL
    ).exists()
    assert 1 < DevelopmentPlan.objects.count() <= DEMO_PLANS + 1
    manager = Person.objects.get(email=MANAGER_EMAIL)
    assert DevelopmentPlan.objects.filter(person__manager=manager).count() >= 2
    tree = objective_tree_get(viewer=employee.user)
    assert [node.objective.title for node in tree] == ["Grow our people from within", "Win the mid-market"]
    assert all(node.progress is not None for node in tree)
    counts = (
        Objective.objects.count(),
        DevelopmentPlan.objects.count(),
        Goal.objects.count(),
        EvidenceItem.objects.count(),
    )
    assert load_demo_growth() == (0, 0)
    load_demo()
    assert (
        Objective.objects.count(),
        DevelopmentPlan.objects.count(),
        Goal.objects.count(),
        EvidenceItem.objects.count(),
    ) == counts
