"""The people list, its CSV and XLSX exports, and a person's profile. Views stay thin: the policy
decides, selectors read.

HR sees everyone; a manager their reports and their reports' reports ("Your team", without
themselves); anyone else may not list people (403) and sees only their own profile (404 for
everyone else's).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
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
from trellis.web.people.exports import csv_chunks, export_rows, xlsx_file
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


@dataclass(frozen=True, slots=True)
class SortColumn:
    """A column header of the people list: its link sorts by it (or turns the direction)."""

    label: str
    url: str
    #: The header's aria-sort: "ascending", "descending" or "" for a column the list is not sorted by.
    aria_sort: str


#: The list's columns, left to right: (sort key, header).
_COLUMNS = (
    ("name", "Name"),
    ("title", "Title"),
    ("level", "Level"),
    ("time_in_level", "Time in level"),
    ("team", "Team"),
    ("manager", "Manager"),
)


def _sort_columns(request: HttpRequest, sort: str, descending: bool) -> list[SortColumn]:
    columns = []
    for key, label in _COLUMNS:
        parameters = request.GET.copy()
        parameters.pop("page", None)
        current = key == sort
        parameters["sort"] = key
        parameters["dir"] = "desc" if current and not descending else "asc"
        aria_sort = ("descending" if descending else "ascending") if current else ""
        columns.append(SortColumn(label=label, url="?" + parameters.urlencode(), aria_sort=aria_sort))
    return columns


def _listed(request: HttpRequest) -> tuple[Any, PeopleFilterForm, QuerySet[Person], Framework | None]:
    """The viewer, the list's form and the people it lists, in its order (PermissionDenied for
    viewers who may not list people)."""
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
    sort, descending = form.ordering()
    people = person_search(viewer=user, **form.filters(), sort=sort, descending=descending)
    return user, form, people, framework


@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    """The people the viewer may see, 50 a page, sorted by any column (by name first): searched
    by name, title or team and filtered by job family and level. HR lists everyone; a manager
    "Your team", without themselves. With htmx, only the results are sent back."""
    user, form, people, framework = _listed(request)
    sort, descending = form.ordering()
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    parameters = request.GET.copy()
    parameters.pop("page", None)
    shown = list(page.object_list)
    may_invite = policy.can(user, Action.USER_INVITE)
    statuses = sign_in_statuses(viewer=user, person_ids=[p.pk for p in shown]) if may_invite else None
    everyone = policy.can(user, Action.ORGANISATION_OVERVIEW)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(shown, framework, statuses),
        "show_sign_in": may_invite,
        "filtered": any(form.filters().values()),
        "page_query": parameters.urlencode(),
        "export_query": parameters.urlencode(),
        "columns": _sort_columns(request, sort, descending),
        "heading": "People" if everyone else "Your team",
        "can_import": policy.can(user, Action.PEOPLE_IMPORT),
    }
    template = "people/person_list.html"
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "people-results":
        template += "#results"
    return render(request, template, context)


def _export_name(user: Any, suffix: str) -> str:
    everyone = policy.can(user, Action.ORGANISATION_OVERVIEW)
    return f"{'people' if everyone else 'team'}-{timezone.localdate().isoformat()}.{suffix}"


@require_safe
def person_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The people list as CSV: the same people, filters and order, streamed."""
    user, _form, people, framework = _listed(request)
    rows = export_rows(people, framework, timezone.localdate())
    response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(user, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def person_list_xlsx(request: HttpRequest) -> FileResponse:
    """The people list as an XLSX workbook: the same people, filters and order."""
    user, _form, people, framework = _listed(request)
    file = xlsx_file(export_rows(people, framework, timezone.localdate()))
    response = FileResponse(
        file,
        as_attachment=True,
        filename=_export_name(user, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
            "can_edit": policy.can(user, Action.PERSON_UPDATE, person),
            "can_nominate": person.is_active and policy.can(user, Action.PROMOTION_NOMINATE, person),
            "can_one_on_one": policy.can(user, Action.ONE_ON_ONE_GUIDE, person),
            "manager_visible": person.manager is not None
            and policy.can(user, Action.PERSON_VIEW, person.manager),
            **leaving_context(viewer=user, person=person),
        },
    )
