"""The people list and a person's profile. Views stay thin: the policy
decides, selectors read."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.frameworks.selectors import current_published_framework
from trellis.web.people.models import Person
from trellis.web.people.placement import Place, place_of
from trellis.web.people.selectors import (
    people_visible,
    person_get,
    person_history,
)
from trellis.web.policy import Action

PEOPLE_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class PersonRow:
    person: Person
    place: Place | None


def _rows(people: list[Person], framework: Framework | None) -> list[PersonRow]:
    return [
        PersonRow(
            person=p,
            place=place_of(framework, family_id=p.family_id, track_id=p.track_id, level_code=p.level_code),
        )
        for p in people
    ]


def person_list(request: HttpRequest) -> HttpResponse:
    """The people the viewer may see, by name, 50 a page, optionally filtered by name or title."""
    policy.require(request.user, Action.PEOPLE_LIST)
    people = people_visible(viewer=request.user)  # type: ignore[arg-type]
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(title__icontains=query))
    page = Paginator(people.order_by("full_name", "employee_id"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    published = current_published_framework()
    rows = _rows(list(page.object_list), published.framework if published is not None else None)
    return render(request, "people/person_list.html", {"page": page, "rows": rows, "query": query})


def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person's profile and history; 404 for people the viewer may not see."""
    person = person_get(viewer=request.user, person_id=person_id)  # type: ignore[arg-type]
    history = person_history(viewer=request.user, person=person)  # type: ignore[arg-type]
    published = current_published_framework()
    framework = published.framework if published is not None else None
    place = place_of(
        framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
    )
    return render(
        request, "people/person_detail.html", {"person": person, "place": place, "history": history}
    )
