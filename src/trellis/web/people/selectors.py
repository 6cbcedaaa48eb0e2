"""Reading people, always on behalf of a viewer and limited to what the policy lets them see."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import Http404

from trellis.organisation.import_plan import ExistingPerson
from trellis.organisation.person_fields import FIELDS
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.people.models import ImportJob, Person, PersonChange, Team
from trellis.web.policy import Action


def _people_visible(*, viewer: Viewer) -> QuerySet[Person]:
    """Everyone `viewer` may see (HR: everyone; others: themselves and two levels of reports),
    with team and manager loaded."""
    return Person.objects.filter(policy.visible_people(viewer)).select_related("team", "manager")


#: The people list's sort keys → the fields they order by (a key not listed here is never used).
#: Every order ends with name and employee ID, which is unique, so pages never overlap.
PEOPLE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("full_name",),
    "title": ("title",),
    "team": ("team__name",),
    "level": ("level_code", "family_id", "track_id"),
    "manager": ("manager__full_name",),
    # Ascending time in level: the most recent level date first.
    "time_in_level": ("-level_since",),
}
_TIE_BREAK = ("full_name", "employee_id")


def _ordering(sort: str, descending: bool) -> list[OrderBy]:
    fields = [*PEOPLE_SORTS[sort], *(f for f in _TIE_BREAK if f not in PEOPLE_SORTS[sort])]
    order = []
    for position, name in enumerate(fields):
        reverse = name.startswith("-")
        expression = F(name.lstrip("-"))
        # The sort's own fields turn with the direction; the tie-break always reads A to Z. Blanks
        # (no team, no manager) come last either way, on SQLite and PostgreSQL alike.
        if position < len(PEOPLE_SORTS[sort]) and descending:
            reverse = not reverse
        order.append(expression.desc(nulls_last=True) if reverse else expression.asc(nulls_last=True))
    return order


def person_search(
    *,
    viewer: Viewer,
    query: str = "",
    family_id: str = "",
    level_code: str = "",
    include_left: bool = False,
    sort: str = "name",
    descending: bool = False,
) -> QuerySet[Person]:
    """The people `viewer` may list, with team and manager: those whose name, title or team
    contains `query` (ignoring case), in `family_id` and at `level_code` when given, ordered by
    `sort` (a key of `PEOPLE_SORTS`; ValueError for another). People who have left are included
    only when asked for (and only HR sees them at all). A viewer who is not HR lists the people
    they manage: themselves left out."""
    if sort not in PEOPLE_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    people = _people_visible(viewer=viewer)
    own = policy.viewer_person(viewer)
    if own is not None and not policy.can(viewer, Action.ORGANISATION_OVERVIEW):
        people = people.exclude(pk=own.pk)
    if not include_left:
        people = people.filter(is_active=True)
    if query:
        people = people.filter(
            Q(full_name__icontains=query) | Q(title__icontains=query) | Q(team__name__icontains=query)
        )
    if family_id:
        people = people.filter(family_id=family_id)
    if level_code:
        people = people.filter(level_code=level_code)
    return people.order_by(*_ordering(sort, descending))


def person_get(*, viewer: Viewer, person_id: int) -> Person:
    """The person with this id, with team and manager; Http404 when it does not exist or `viewer`
    may not see it (the two are not told apart)."""
    person = Person.objects.select_related("team", "manager").filter(pk=person_id).first()
    if person is None:
        raise Http404("no such person")
    policy.require_visible(viewer, Action.PERSON_VIEW, person)
    return person


def person_find(*, viewer: Viewer, reference: str) -> Person | None:
    """The person `viewer` may see whose employee ID is `reference`, else whose e-mail address it
    is (ignoring case), or None (one query)."""
    reference = reference.strip()
    if not reference:
        return None
    matches = list(
        _people_visible(viewer=viewer).filter(Q(employee_id=reference) | Q(email=reference.lower()))[:2]
    )
    by_id = [p for p in matches if p.employee_id == reference]
    return by_id[0] if by_id else (matches[0] if matches else None)


def team_name_list(*, viewer: Viewer) -> list[str]:
    """The names of every team, for choosing one. PermissionDenied unless `viewer` may edit people."""
    policy.require(viewer, Action.PERSON_UPDATE)
    return list(Team.objects.values_list("name", flat=True))


def person_change_list(*, viewer: Viewer, person: Person) -> list[PersonChange]:
    """`person`'s level and manager changes, newest first; Http404 unless `viewer` may see them."""
    policy.require_visible(viewer, Action.PERSON_VIEW_HISTORY, person)
    return list(PersonChange.objects.filter(person=person).select_related("changed_by"))


def person_report_list(*, viewer: Viewer, person: Person) -> list[Person]:
    """`person`'s active direct reports that `viewer` may see, by name (one query)."""
    policy.require_visible(viewer, Action.PERSON_VIEW, person)
    return list(
        _people_visible(viewer=viewer)
        .filter(manager_id=person.pk, is_active=True)
        .order_by("full_name", "employee_id")
    )


def person_names_get(*, viewer: Viewer, employee_ids: set[str]) -> dict[str, str]:
    """Full names of the people with these employee IDs (for history, which records managers by
    employee ID), in one query and none when there are no IDs. Names are not confidential: the
    history they label is checked by the caller."""
    if not employee_ids or not viewer.is_authenticated:
        return {}
    return dict(
        Person.objects.filter(employee_id__in=employee_ids).order_by().values_list("employee_id", "full_name")
    )


# ---- Importing people ----------------------------------------------------------------------------


#: How the planner reads each field of a person (`ExistingPerson` has them in this order): the
#: team by name, the manager by primary key.
_IMPORT_COLUMNS = tuple({"team": "team__name", "manager": "manager_id"}.get(f.key, f.key) for f in FIELDS)


def person_list_for_import(*, viewer: Viewer) -> list[ExistingPerson]:
    """Everyone, as the import planner compares rows with them (one query, however many people).
    PermissionDenied unless `viewer` may import people."""
    policy.require(viewer, Action.PEOPLE_IMPORT)
    rows = Person.objects.order_by("pk").values_list("pk", *_IMPORT_COLUMNS)
    return [ExistingPerson(*row) for row in rows]


def team_name_list_for_import(*, viewer: Viewer) -> list[str]:
    """The names of every team. PermissionDenied unless `viewer` may import people."""
    policy.require(viewer, Action.PEOPLE_IMPORT)
    return list(Team.objects.values_list("name", flat=True))


#: The columns that hold the file and the preview: large, and needed by few pages.
_IMPORT_JOB_BULK = ("table", "preview")


def import_job_get(
    *, viewer: Viewer, job_id: int, with_table: bool = False, with_preview: bool = False
) -> ImportJob:
    """The import job with this id; PermissionDenied unless `viewer` may import people, Http404
    when there is no such job. The file and the preview are loaded only when asked for."""
    policy.require(viewer, Action.PEOPLE_IMPORT)
    deferred = [
        name for name, wanted in zip(_IMPORT_JOB_BULK, (with_table, with_preview), strict=True) if not wanted
    ]
    job = (
        ImportJob.objects.select_related("created_by", "started_by")
        .defer(*deferred)
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise Http404("no such import")
    return job


def import_job_list(*, viewer: Viewer, limit: int = 10) -> list[ImportJob]:
    """The latest imports, newest first, without their files and previews."""
    policy.require(viewer, Action.PEOPLE_IMPORT)
    return list(ImportJob.objects.select_related("created_by").defer(*_IMPORT_JOB_BULK)[:limit])
