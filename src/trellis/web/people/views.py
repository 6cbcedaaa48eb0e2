"""The people list and a person's profile. Views stay thin: the policy decides, selectors read.

HR sees everyone; a manager their reports and their reports' reports; anyone else may not list
people (403) and sees only their own profile (404 for everyone else's).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.invitation_selectors import sign_in_statuses
from trellis.web.accounts.sign_in_status import SignInStatus
from trellis.web.accounts.viewer import viewer
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.forms import PeopleFilterForm
from trellis.web.people.leaving import leaving_context
from trellis.web.people.models import Person, PersonChange
from trellis.web.people.placement import Place, place_of
from trellis.web.people.selectors import (
    person_change_list,
    person_get,
    person_names_get,
    person_report_list,
    person_search,
)
from trellis.web.policy import Action

PEOPLE_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class PersonRow:
    person: Person
    place: Place | None
    #: Shown to those who may invite people (else None).
    sign_in: SignInStatus | None = None


def _rows(
    people: list[Person], framework: Framework | None, statuses: dict[int, SignInStatus] | None = None
) -> list[PersonRow]:
    return [
        PersonRow(
            person=p,
            place=place_of(framework, family_id=p.family_id, track_id=p.track_id, level_code=p.level_code),
            sign_in=statuses.get(p.pk) if statuses is not None else None,
        )
        for p in people
    ]


@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    """The people the viewer may see, by name, 50 a page: searched by name, title or team and
    filtered by job family and level. With htmx, only the results are sent back."""
    user = viewer(request)
    policy.require(user, Action.PEOPLE_LIST)
    published = framework_published_get(viewer=user)
    framework = published.framework if published is not None else None
    form = PeopleFilterForm(
        request.GET,
        framework=framework,
        may_include_left=policy.can(user, Action.ORGANISATION_OVERVIEW),
    )
    form.is_valid()
    filters = form.filters()
    people = person_search(viewer=user, **filters)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    parameters = request.GET.copy()
    parameters.pop("page", None)
    shown = list(page.object_list)
    may_invite = policy.can(user, Action.USER_INVITE)
    statuses = sign_in_statuses(viewer=user, person_ids=[p.pk for p in shown]) if may_invite else None
    context = {
        "form": form,
        "page": page,
        "rows": _rows(shown, framework, statuses),
        "show_sign_in": may_invite,
        "filtered": any(filters.values()),
        "page_query": parameters.urlencode(),
        "can_import": policy.can(user, Action.PEOPLE_IMPORT),
    }
    template = "people/person_list.html"
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "people-results":
        template += "#results"
    return render(request, template, context)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    changed_at: datetime.datetime
    kind: str
    old: str
    new: str
    changed_by: str


def _level_label(key: str, framework: Framework | None) -> str:
    """``engineering/ic/IC4`` as people read it: ``IC4 Senior · Engineering, Individual contributor``."""
    parts = key.split("/")
    if len(parts) != 3:
        return key
    place = place_of(framework, family_id=parts[0], track_id=parts[1], level_code=parts[2])
    if place is None:
        return parts[2]
    return f"{parts[2]} {place.level.name} · {place.family_name}, {place.track_name}"


def _history(
    changes: list[PersonChange], framework: Framework | None, names: dict[str, str]
) -> list[HistoryEntry]:
    def manager_label(employee_id: str) -> str:
        if not employee_id:
            return ""
        name = names.get(employee_id)
        return f"{name} ({employee_id})" if name else employee_id

    entries = []
    for change in changes:
        if change.kind == PersonChange.Kind.LEVEL:
            old, new = _level_label(change.old_value, framework), _level_label(change.new_value, framework)
        else:
            old, new = manager_label(change.old_value), manager_label(change.new_value)
        by = change.changed_by
        changed_by = (by.full_name or by.email) if by is not None else ""
        entries.append(
            HistoryEntry(
                changed_at=change.changed_at,
                kind=change.get_kind_display(),
                old=old,
                new=new,
                changed_by=changed_by,
            )
        )
    return entries


@require_safe
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person's profile: level, track, time in level, manager, team, reports and history; 404
    for people the viewer may not see."""
    user = viewer(request)
    person = person_get(viewer=user, person_id=person_id)
    changes = person_change_list(viewer=user, person=person)
    published = framework_published_get(viewer=user)
    framework = published.framework if published is not None else None
    place = place_of(
        framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
    )
    manager_ids = {
        value
        for c in changes
        if c.kind == PersonChange.Kind.MANAGER
        for value in (c.old_value, c.new_value)
        if value
    }
    names = person_names_get(viewer=user, employee_ids=manager_ids)
    today = timezone.localdate()
    minimum_months = place.level.min_months_in_level if place is not None else None
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "place": place,
            "time_in_level": wording.time_since(person.level_since, today),
            "minimum_months": minimum_months,
            "history": _history(changes, framework, names),
            "reports": person_report_list(viewer=user, person=person),
            "manager_visible": person.manager is not None
            and policy.can(user, Action.PERSON_VIEW, person.manager),
            **leaving_context(viewer=user, person=person),
        },
    )
