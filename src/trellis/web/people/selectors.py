"""Reading people, always on behalf of a viewer and limited to what the policy lets them see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.people.models import Person, PersonChange, Team
from trellis.web.policy import Action


def people_visible(*, viewer: User) -> QuerySet[Person]:
    """Everyone `viewer` may see (HR: everyone; others: themselves and two levels of reports),
    with team and manager loaded."""
    return Person.objects.filter(policy.visible_people(viewer)).select_related("team", "manager")


def person_get(*, viewer: User, person_id: int) -> Person:
    """The person with this id, with team and manager; Http404 when it does not exist or `viewer`
    may not see it (the two are not told apart)."""
    person = Person.objects.select_related("team", "manager").filter(pk=person_id).first()
    if person is None:
        raise Http404("no such person")
    policy.require_visible(viewer, Action.PERSON_VIEW, person)
    return person


def person_history(*, viewer: User, person: Person) -> list[PersonChange]:
    """`person`'s level and manager changes, newest first; Http404 unless `viewer` may see them."""
    policy.require_visible(viewer, Action.PERSON_VIEW_HISTORY, person)
    return list(PersonChange.objects.filter(person=person).select_related("changed_by"))


@dataclass(frozen=True, slots=True)
class Reports:
    """The people under a manager, two levels down."""

    direct: list[Person]
    indirect: list[Person]


def reports_of(*, viewer: User) -> Reports:
    """`viewer`'s active direct reports and their active reports (one query), by name."""
    person = policy.viewer_person(viewer)
    if person is None:
        return Reports(direct=[], indirect=[])
    people = list(
        Person.objects.filter(
            Q(manager_id=person.pk, is_active=True)
            | Q(manager__manager_id=person.pk, manager__is_active=True, is_active=True)
        )
        .select_related("team", "manager")
        .order_by("full_name", "employee_id")
    )
    return Reports(
        direct=[p for p in people if p.manager_id == person.pk],
        indirect=[p for p in people if p.manager_id != person.pk],
    )


@dataclass(frozen=True, slots=True)
class OrganisationCounts:
    people: int
    active_people: int
    managers: int
    teams: int
    accounts: int


def organisation_counts(*, viewer: User) -> OrganisationCounts:
    """Company-wide head counts for the HR home page (four queries). PermissionDenied unless
    `viewer` may see the organisation as a whole."""
    policy.require(viewer, Action.ORGANISATION_OVERVIEW)
    totals = Person.objects.aggregate(people=Count("pk"), active_people=Count("pk", filter=Q(is_active=True)))
    # A manager is someone with an active report, as the policy derives it.
    managers = (
        Person.objects.filter(is_active=True, manager__isnull=False, manager__is_active=True)
        .values("manager_id")
        .distinct()
        .count()
    )
    return OrganisationCounts(
        people=totals["people"],
        active_people=totals["active_people"],
        managers=managers,
        teams=Team.objects.count(),
        accounts=User.objects.filter(is_active=True).count(),
    )
