"""The home page of each persona: their level and what the next one asks (everyone with a place in
the company); their team (managers); HR's work, the company in numbers and the admin tasks (HR)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from trellis.framework.browse import transition_to_next
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth.plan_selectors import completion_by_person
from trellis.web.people.home_selectors import hr_work_get, manager_team_get, organisation_overview_get
from trellis.web.people.placement import place_of
from trellis.web.policy import Action
from trellis.web.promotions.readiness_selectors import readiness_standing_get, team_readiness_get


@dataclass(frozen=True, slots=True)
class AdminTask:
    label: str
    url: str
    description: str


#: HR's tasks, linked from their home: (label, URL name, what it is for, the action it needs).
_ADMIN_TASKS = (
    ("People", "people:list", "Everyone, their levels, teams and managers.", Action.PEOPLE_LIST),
    ("Import people", "imports:start", "Create and update people from an HRIS export.", Action.PEOPLE_IMPORT),
    (
        "Author the framework",
        "authoring:overview",
        "Edit the draft, review it and publish a new version.",
        Action.FRAMEWORK_EDIT_STRUCTURE,
    ),
    ("Framework", "frameworks:index", "The published version everyone reads.", Action.FRAMEWORK_VIEW),
    ("Accounts", "accounts:users", "Activate and deactivate sign-ins.", Action.USER_MANAGE),
    ("Audit log", "audit:log", "Who changed what, and when.", Action.AUDIT_VIEW),
)


def _admin_tasks(viewer: User | AnonymousUser) -> list[AdminTask]:
    """The tasks of `_ADMIN_TASKS` that `viewer` may do, with their URLs."""
    return [
        AdminTask(label=label, url=reverse(name), description=description)
        for label, name, description, action in _ADMIN_TASKS
        if policy.can(viewer, action)
    ]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What each persona comes for first: their level and what the next one asks; their team
    (managers). HR's home leads with HR's work (people to invite, imports, the draft in review,
    recent publications) and the company in numbers; their own level follows."""
    user = viewer(request)
    policy.require(user, Action.HOME_VIEW)
    published = framework_published_get(viewer=user)
    framework = published.framework if published is not None else None
    person = policy.viewer_person(user)
    context: dict[str, object] = {"published": published, "person": person}
    if person is not None:
        context["place"] = place_of(
            framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
        )
        if framework is not None:
            context["transition"] = transition_to_next(
                framework, person.family_id, person.track_id, person.level_code
            )
        context["standing"] = readiness_standing_get(viewer=user, person=person, published=published)
        context["own_plan"] = completion_by_person(viewer=user, people=[person]).get(person.pk)
    if policy.is_manager(user):
        team = manager_team_get(viewer=user, framework=framework)
        readiness = team_readiness_get(
            viewer=user, people=[row.person for row in team.direct + team.indirect]
        )
        context["direct_reports"] = [
            replace(row, readiness=readiness.get(row.person.pk)) for row in team.direct
        ]
        context["indirect_reports"] = [
            replace(row, readiness=readiness.get(row.person.pk)) for row in team.indirect
        ]
        plans = completion_by_person(viewer=user, people=[row.person for row in team.direct])
        context["team_plans"] = [(row.person, plans.get(row.person.pk)) for row in team.direct]
    if policy.can(user, Action.ORGANISATION_OVERVIEW):
        context["counts"] = organisation_overview_get(
            viewer=user,
            framework=framework,
            today=timezone.localdate(),
        )
        context["hr_work"] = hr_work_get(viewer=user)
        context["admin_tasks"] = _admin_tasks(user)
    context["can_admin"] = policy.can(user, Action.ADMIN_VIEW)
    context["can_list_people"] = policy.can(user, Action.PEOPLE_LIST)
    return render(request, "people/home.html", context)
