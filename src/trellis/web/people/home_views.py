"""The home page of each persona: their level; their team (managers); the company (HR)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trellis.web import policy
from trellis.web.frameworks.selectors import current_published_framework
from trellis.web.people.placement import place_of
from trellis.web.people.selectors import organisation_counts, reports_of
from trellis.web.people.views import _rows
from trellis.web.policy import Action


def home(request: HttpRequest) -> HttpResponse:
    """What each persona comes for first: their level; their team (managers); the company (HR)."""
    viewer = request.user
    policy.require(viewer, Action.HOME_VIEW)
    published = current_published_framework()
    framework = published.framework if published is not None else None
    person = policy.viewer_person(viewer)
    context: dict[str, object] = {"published": published, "person": person}
    if person is not None:
        context["place"] = place_of(
            framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
        )
    if policy.is_manager(viewer):
        reports = reports_of(viewer=viewer)  # type: ignore[arg-type]
        context["direct_reports"] = _rows(reports.direct, framework)
        context["indirect_reports"] = _rows(reports.indirect, framework)
    if policy.can(viewer, Action.ORGANISATION_OVERVIEW):
        context["counts"] = organisation_counts(viewer=viewer)  # type: ignore[arg-type]
    context["can_admin"] = policy.can(viewer, Action.ADMIN_VIEW)
    context["can_list_people"] = policy.can(viewer, Action.PEOPLE_LIST)
    return render(request, "people/home.html", context)
