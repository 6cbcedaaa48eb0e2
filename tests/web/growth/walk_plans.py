"""The development plan and OKR data the authorization walk requests pages about, added to its
persona company.

The employee's active plan toward IC3 with one goal (communication) and one planned action; an OKR
tree: a company objective, the manager's team objective under it and the employee's personal
objective under that, each with one key result.
"""

from __future__ import annotations

import datetime
from typing import Any

from trellis.web.growth.models import Action, DevelopmentPlan, Goal, KeyResult, Objective

JAN, DEC = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def plan_scenario(company: dict[str, Any]) -> dict[str, Any]:
    """Create the walk's plan and OKR data for `company` (the walk's fixture) and return it by name."""
    employee = company["employee"].person
    plan = DevelopmentPlan.objects.create(
        person=employee, target_family_id="engineering", target_track_id="ic", target_level_code="IC3"
    )
    goal = Goal.objects.create(
        plan=plan, title="Communication at IC3", competency_id="communication", target_proficiency=3
    )
    action = Action.objects.create(goal=goal, kind=Action.Kind.COURSE, title="Writing course")
    objectives = {}
    for level, owner, parent in (
        ("company", None, None),
        ("team", company["manager"].person, "company"),
        ("personal", employee, "team"),
    ):
        objective = Objective.objects.create(
            title=f"The {level} objective",
            level=level,
            owner=owner,
            parent=objectives.get(parent),
            starts_on=JAN,
            ends_on=DEC,
        )
        objectives[level] = objective
        KeyResult.objects.create(objective=objective, title=f"The {level} key result", target_value=10)
    return {
        "plan": plan,
        "plan_goal": goal,
        "plan_action": action,
        **{f"objective_{level}": objective for level, objective in objectives.items()},
        **{f"key_result_{level}": objective.key_results.get() for level, objective in objectives.items()},
    }
