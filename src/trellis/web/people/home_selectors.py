"""Reads for the persona home pages: a manager's team with their places in the framework, the
organisation in numbers for HR (people per family and level, and how long they have been there),
and what waits for HR (people to invite, imports, the draft in review, recent publications).

Each read is a fixed number of queries whatever the size of the company.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Window

from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.people.models import ImportJob, Person, Team
from trellis.web.people.placement import Place, place_of
from trellis.web.policy import Action

if TYPE_CHECKING:
    from trellis.web.promotions.models import Readiness


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One report on a manager's home: the person and, when the framework has it, their level."""

    person: Person
    place: Place | None
    #: Their readiness for the next level, when the viewer may see it (the home adds it).
    readiness: Readiness | None = None

    @property
    def minimum_months(self) -> int | None:
        return self.place.level.min_months_in_level if self.place is not None else None


@dataclass(frozen=True, slots=True)
class ManagerTeam:
    direct: list[TeamRow]
    indirect: list[TeamRow]


def _row(person: Person, framework: Framework | None) -> TeamRow:
    return TeamRow(
        person=person,
        place=place_of(
            framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
        ),
    )


def manager_team_get(*, viewer: Viewer, framework: Framework | None) -> ManagerTeam:
    """`viewer`'s active direct reports and the active reports of their active direct reports, by
    name, with team, manager and level (one query). Empty for someone without reports."""
    person = policy.viewer_person(viewer)
    if person is None:
        return ManagerTeam(direct=[], indirect=[])
    # Two index lookups joined by UNION ALL rather than one OR across a join: with the OR, PostgreSQL
    # scans the whole table (about 15 ms at 10,000 people); this way it reads only the team.
    active = Person.objects.filter(is_active=True).select_related("team", "manager").order_by()
    direct = active.filter(manager_id=person.pk)
    indirect = active.filter(manager__manager_id=person.pk, manager__is_active=True)
    people = list(direct.union(indirect, all=True).order_by("full_name", "employee_id"))
    return ManagerTeam(
        direct=[_row(p, framework) for p in people if p.manager_id == person.pk],
        indirect=[_row(p, framework) for p in people if p.manager_id != person.pk],
    )


# --- the organisation in numbers ------------------------------------------------------------------

#: Time-in-level brackets, in whole months since reaching the level: (label, from, to) — `to` None
#: for "and longer".
TIME_IN_LEVEL_BRACKETS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 6 months", 0, 6),
    ("6–12 months", 6, 12),
    ("1–2 years", 12, 24),
    ("2 years or more", 24, None),
)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` calendar months before `day` (the last day of a shorter
    month when it has no such day)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


@dataclass(frozen=True, slots=True)
class LevelCount:
    """Active people at one level of one track, and how many are in each time-in-level bracket."""

    family_id: str
    track_id: str
    level_code: str
    place: Place | None
    people: int
    brackets: tuple[int, ...]


@dataclass(slots=True)
class FamilyCount:
    """Active people in one family, and per level."""

    family_id: str
    name: str
    people: int = 0
    levels: list[LevelCount] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OrganisationOverview:
    """The HR home's numbers. `families` follow the framework's order (people at families or
    levels the framework does not have come last, under their stored identifiers)."""

    people: int
    active_people: int
    managers: int
    teams: int
    accounts: int
    families: list[FamilyCount]
    #: Active people per time-in-level bracket, company-wide (`TIME_IN_LEVEL_BRACKETS` order).
    brackets: tuple[int, ...]
    bracket_labels: tuple[str, ...]

    @property
    def bracket_pairs(self) -> list[tuple[str, int]]:
        """(label, active people) per time-in-level bracket, for display."""
        return list(zip(self.bracket_labels, self.brackets, strict=True))


def organisation_overview_get(
    *, viewer: Viewer, framework: Framework | None, today: datetime.date
) -> OrganisationOverview:
    """Company-wide counts for the HR home page, in four queries: people per family, track and level
    with time-in-level brackets (one grouped query), managers, teams and active accounts.

    PermissionDenied unless `viewer` may see the organisation as a whole.
    """
    policy.require(viewer, Action.ORGANISATION_OVERVIEW)
    bounds = [
        (_months_before(today, low), _months_before(today, high) if high is not None else None)
        for _, low, high in TIME_IN_LEVEL_BRACKETS
    ]
    aggregates = {"total": Count("pk"), "active": Count("pk", filter=Q(is_active=True))}
    for index, (newest, oldest) in enumerate(bounds):
        # Reached the level on or before `newest` (at least `low` months ago) and after `oldest`.
        condition = Q(is_active=True, level_since__lte=newest)
        if oldest is not None:
            condition &= Q(level_since__gt=oldest)
        aggregates[f"bracket_{index}"] = Count("pk", filter=condition)
    rows = list(
        Person.objects.order_by().values("family_id", "track_id", "level_code").annotate(**aggregates)
    )
    # A manager is an active person with an active report, as the policy derives it. A semi-join
    # costs about two thirds of a DISTINCT over the join, on both engines.
    managers = Person.objects.filter(
        is_active=True, pk__in=Person.objects.filter(is_active=True).values("manager_id")
    ).count()
    teams = Team.objects.count()
    accounts = User.objects.filter(is_active=True).count()

    families = _families_in_framework_order(rows, framework, len(bounds))
    return OrganisationOverview(
        people=sum(row["total"] for row in rows),
        active_people=sum(row["active"] for row in rows),
        managers=managers,
        teams=teams,
        accounts=accounts,
        families=families,
        brackets=tuple(sum(row[f"bracket_{index}"] for row in rows) for index in range(len(bounds))),
        bracket_labels=tuple(label for label, _, _ in TIME_IN_LEVEL_BRACKETS),
    )


def _families_in_framework_order(
    rows: list[dict[str, Any]], framework: Framework | None, brackets: int
) -> list[FamilyCount]:
    order: dict[tuple[str, str, str], tuple[int, int, int]] = {}
    family_names: dict[str, str] = {}
    if framework is not None:
        for family_position, family in enumerate(framework.families):
            family_names[family.id] = family.name
            for track_position, track in enumerate(family.tracks):
                for level_position, level in enumerate(track.levels):
                    order[(family.id, track.id, level.code)] = (
                        family_position,
                        track_position,
                        level_position,
                    )
    unknown = (len(family_names), 0, 0)
    counts: dict[str, FamilyCount] = {}
    for row in sorted(
        (row for row in rows if row["active"]),
        key=lambda row: (
            order.get((str(row["family_id"]), str(row["track_id"]), str(row["level_code"])), unknown),
            str(row["family_id"]),
            str(row["track_id"]),
            str(row["level_code"]),
        ),
    ):
        family_id, track_id, level_code = str(row["family_id"]), str(row["track_id"]), str(row["level_code"])
        family_count = counts.get(family_id)
        if family_count is None:
            family_count = counts[family_id] = FamilyCount(
                family_id=family_id, name=family_names.get(family_id, family_id)
            )
        active = int(row["active"])
        family_count.levels.append(
            LevelCount(
                family_id=family_id,
                track_id=track_id,
                level_code=level_code,
                place=place_of(framework, family_id=family_id, track_id=track_id, level_code=level_code),
                people=active,
                brackets=tuple(int(row[f"bracket_{index}"]) for index in range(brackets)),
            )
        )
        family_count.people += active
    return list(counts.values())


# --- HR's work ------------------------------------------------------------------------------------

#: How many of the latest publications HR's home lists.
RECENT_PUBLICATIONS = 3
#: How many open imports HR's home lists (the count covers them all).
OPEN_IMPORTS_LISTED = 5


@dataclass(frozen=True, slots=True)
class HrWork:
    """What waits for HR, for the top of their home: active people without a sign-in (to invite),
    people imports not yet applied (being read or checked, awaiting columns, or with a preview to
    apply), the draft when it awaits review, and the latest publications. Each part is None (or
    empty) when `viewer` may not do that work."""

    without_sign_in: int | None
    open_imports: int
    imports: list[ImportJob]
    draft_in_review: FrameworkDraft | None
    publications: list[FrameworkVersion]


#: Import statuses that wait for HR or a worker: the job is neither applied, discarded nor failed.
OPEN_IMPORT_STATUSES = (
    ImportJob.Status.READING,
    ImportJob.Status.MAPPING,
    ImportJob.Status.CHECKING,
    ImportJob.Status.PREVIEWED,
    ImportJob.Status.QUEUED,
    ImportJob.Status.APPLYING,
)


def hr_work_get(*, viewer: Viewer) -> HrWork:
    """HR's work in at most four queries whatever the size of the company: the people without a
    sign-in (a count), the open imports (the latest few, with the count of all in the same query),
    the draft if in review, the latest publications with their publisher.

    PermissionDenied unless `viewer` may see the organisation as a whole.
    """
    policy.require(viewer, Action.ORGANISATION_OVERVIEW)
    without_sign_in = (
        Person.objects.filter(is_active=True, user__isnull=True).count()
        if policy.can(viewer, Action.USER_MANAGE)
        else None
    )
    imports: list[ImportJob] = []
    open_imports = 0
    if policy.can(viewer, Action.PEOPLE_IMPORT):
        imports = list(
            ImportJob.objects.filter(status__in=OPEN_IMPORT_STATUSES)
            .annotate(open_total=Window(Count("pk")))
            .only("pk", "file_name", "status", "created_at", "row_count")
            .order_by("-created_at", "-pk")[:OPEN_IMPORTS_LISTED]
        )
        open_imports = int(getattr(imports[0], "open_total", 0)) if imports else 0
    draft_in_review = None
    if policy.can(viewer, Action.FRAMEWORK_PUBLISH):
        draft_in_review = (
            FrameworkDraft.objects.filter(status=FrameworkDraft.Status.IN_REVIEW)
            .select_related("updated_by")
            .only("pk", "status", "revision", "updated_at", "updated_by__full_name", "updated_by__email")
            .first()
        )
    publications = list(
        FrameworkVersion.objects.select_related("published_by")
        .only("number", "published_at", "change_summary", "published_by__full_name", "published_by__email")
        .order_by("-number")[:RECENT_PUBLICATIONS]
    )
    return HrWork(
        without_sign_in=without_sign_in,
        open_imports=open_imports,
        imports=imports,
        draft_in_review=draft_in_review,
        publications=publications,
    )
