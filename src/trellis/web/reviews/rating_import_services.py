"""Importing past cycles' ratings from a spreadsheet: upload and dry run, then all or nothing.

The dry run is `trellis.evaluation.rating_import.plan_rating_import`, parsed in a child process
under the upload limits (`web/uploads.parse_bounded`) before any transaction opens. Importing plans
the stored file again against the people as they are now — a person who left or changed level since
the dry run is caught then — and writes only when no row has a problem: the cycles (closed, marked
imported, pinned to the current framework version), each person's participation at the level they
held when the cycle ended, one assessment per person, source and rater, and the ratings, in one
transaction and a fixed number of queries per thousand ratings. Readiness is then recomputed for
the people the file rated, after commit, through the task queue.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.evaluation.rating_import import KnownPerson, RatingImportPlan, plan_rating_import
from trellis.web import policy
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.authoring_selectors import version_framework_get
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person, PersonChange
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import readiness_inputs_changed
from trellis.web.reviews.cycle_results import cycle_results_build
from trellis.web.reviews.models import Assessment, CycleParticipant, Rating, ReviewCycle
from trellis.web.reviews.rating_import_models import RatingImport
from trellis.web.uploads import ResourceLimitExceeded, parse_bounded, refusal

if TYPE_CHECKING:
    from trellis.web.accounts.models import User

_BATCH_SIZE = 2_000
#: A cycle imported without its start is taken to have lasted half a year.
IMPORTED_CYCLE_DAYS = 182


class RatingImportRefused(Exception):
    """The file cannot be imported now; `messages` say why (each located where it can be)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def _people() -> dict[str, KnownPerson]:
    """Every active person, by case-folded e-mail address and by case-folded employee ID."""
    previous: dict[int, str] = {}
    for person_id, old_value in (
        PersonChange.objects.filter(kind=PersonChange.Kind.LEVEL, person__is_active=True)
        .order_by("-changed_at", "-id")
        .values_list("person_id", "old_value")
    ):
        previous.setdefault(person_id, old_value.rsplit("/", 1)[-1])
    people: dict[str, KnownPerson] = {}
    for row in Person.objects.filter(is_active=True).values(
        "pk", "full_name", "email", "employee_id", "family_id", "track_id", "level_code", "level_since",
        "hired_on", "manager_id",
    ):  # fmt: skip
        known = KnownPerson(
            id=row["pk"],
            full_name=row["full_name"],
            family_id=row["family_id"],
            track_id=row["track_id"],
            level_code=row["level_code"],
            level_since=row["level_since"],
            previous_level=previous.get(row["pk"]),
            hired_on=row["hired_on"],
            manager_id=row["manager_id"],
        )
        people[row["email"].casefold()] = known
        people[row["employee_id"].casefold()] = known
    return people


def _plan(file_name: str, data: bytes) -> tuple[FrameworkVersion, RatingImportPlan]:
    version = FrameworkVersion.objects.filter(is_current=True).first()
    if version is None:
        raise RatingImportRefused(["publish the framework first: ratings are read against its competencies"])
    framework = version_framework_get(version=version)
    existing = set(ReviewCycle.objects.values_list("name", flat=True))
    try:
        plan = parse_bounded(plan_rating_import, framework, data, file_name, _people(), existing)
    except ResourceLimitExceeded as exceeded:
        raise RatingImportRefused([refusal(file_name, exceeded)]) from None
    return version, plan


def _summary(plan: RatingImportPlan) -> dict[str, object]:
    return {
        "cycles": [
            {"name": c.name, "ends_on": c.ends_on.isoformat(), "people": c.people, "ratings": c.ratings}
            for c in plan.cycles
        ],
        "ratings": len(plan.ratings),
        "people": plan.people,
    }


def rating_import_upload(*, actor: User, file_name: str, data: bytes) -> RatingImport:
    """Check the file (the dry run) and keep it with its result, to be imported or discarded.

    Raises RatingImportRefused, storing nothing, when no rating of the file can be read (an unknown
    column, a limit crossed, every row wrong); otherwise the rows' problems are the dry run's
    result, stored with the job."""
    policy.require(actor, Action.RATINGS_IMPORT)
    _, plan = _plan(file_name, data)
    if not plan.ratings:
        raise RatingImportRefused([str(problem) for problem in plan.problems] or [f"{file_name}: no ratings"])
    with transaction.atomic():
        job = RatingImport.objects.create(
            file_name=file_name,
            data=data,
            uploaded_by=actor,
            summary=_summary(plan),
            problems=[str(problem) for problem in plan.problems],
        )
        audit_record(actor=actor, action=AuditAction.RATING_IMPORT_UPLOADED, target=job, fields=["file"])
    return job


def rating_import_discard(*, actor: User, job: RatingImport) -> RatingImport:
    """Forget a checked file (its bytes are deleted); an imported one stays as the record."""
    policy.require(actor, Action.RATINGS_IMPORT)
    with transaction.atomic():
        if not RatingImport.objects.filter(pk=job.pk, status=RatingImport.Status.PREVIEWED).update(
            status=RatingImport.Status.DISCARDED, data=b""
        ):
            raise ValidationError("This file was imported or discarded already.")
        audit_record(actor=actor, action=AuditAction.RATING_IMPORT_DISCARDED, target=job, fields=["status"])
    job.refresh_from_db()
    return job


def rating_import_apply(*, actor: User, job: RatingImport) -> RatingImport:
    """Import a checked file: all of it, or — when a row has a problem now — nothing.

    The file is planned again against the people as they are now; any problem is stored as the
    job's new dry run and raised (RatingImportRefused), and nothing else is written. A job that was
    imported or discarded already (a second click) raises ValidationError and writes nothing."""
    policy.require(actor, Action.RATINGS_IMPORT)
    if job.status != RatingImport.Status.PREVIEWED:
        raise ValidationError("This file was imported or discarded already.")
    version, plan = _plan(job.file_name, bytes(job.data))
    if plan.problems:
        RatingImport.objects.filter(pk=job.pk, status=RatingImport.Status.PREVIEWED).update(
            summary=_summary(plan), problems=[str(problem) for problem in plan.problems]
        )
        raise RatingImportRefused([str(problem) for problem in plan.problems])
    with transaction.atomic():
        # The status moves first, conditionally: a second click finds the job taken and writes nothing.
        now = timezone.now()
        if not RatingImport.objects.filter(pk=job.pk, status=RatingImport.Status.PREVIEWED).update(
            status=RatingImport.Status.APPLIED, applied_at=now, data=b"", summary=_summary(plan), problems=[]
        ):
            raise ValidationError("This file was imported or discarded already.")
        # A cycle created meanwhile under one of the file's names is caught by the unique name.
        if ReviewCycle.objects.filter(name__in=[cycle.name for cycle in plan.cycles]).exists():
            raise ValidationError("A cycle of the same name was created meanwhile: check the file again.")
        cycle_ids = _write(actor, version, plan, now)
        # The imported cycles are closed: their results count at once.
        cycle_results_build(cycle_ids=cycle_ids)
        audit_record(
            actor=actor, action=AuditAction.RATING_IMPORT_APPLIED, target=job, fields=["cycles", "ratings"]
        )
        people = sorted({rating.person_id for rating in plan.ratings})
        readiness_inputs_changed(people)
    job.refresh_from_db()
    return job


def _write(
    actor: User, version: FrameworkVersion, plan: RatingImportPlan, now: datetime.datetime
) -> list[int]:
    """Create the plan's cycles, participants, assessments and ratings; the new cycles' ids."""
    cycles: dict[str, ReviewCycle] = {}
    for planned in plan.cycles:
        cycles[planned.name] = ReviewCycle.objects.create(
            name=planned.name,
            framework_version=version,
            phase=ReviewCycle.Phase.CLOSED,
            starts_on=planned.ends_on - datetime.timedelta(days=IMPORTED_CYCLE_DAYS),
            ends_on=planned.ends_on,
            selection={"imported": True},
            is_imported=True,
            opened_by=actor,
            opened_at=now,
            phase_changed_at=now,
        )
    placed: Mapping[int, tuple[str, str, int | None]] = {
        pk: (family_id, track_id, manager_id)
        for pk, family_id, track_id, manager_id in Person.objects.filter(
            pk__in={person for _, person in plan.levels}
        ).values_list("pk", "family_id", "track_id", "manager_id")
    }
    CycleParticipant.objects.bulk_create(
        [
            CycleParticipant(
                cycle=cycles[cycle],
                person_id=person,
                family_id=placed[person][0],
                track_id=placed[person][1],
                level_code=level,
                manager_id=placed[person][2],
                shared_at=now,
            )
            for (cycle, person), level in plan.levels.items()
        ],
        batch_size=_BATCH_SIZE,
    )
    assessments: dict[tuple[str, int, str, int | None], Assessment] = {}
    for rating in plan.ratings:
        key = (rating.cycle, rating.person_id, rating.source.value, rating.author_id)
        if key not in assessments:
            assessments[key] = Assessment(
                cycle=cycles[rating.cycle],
                subject_id=rating.person_id,
                source=rating.source.value,
                author_id=rating.author_id,
                created_at=now,
                updated_at=now,
                submitted_at=now,
            )
    Assessment.objects.bulk_create(list(assessments.values()), batch_size=_BATCH_SIZE)
    Rating.objects.bulk_create(
        [
            Rating(
                assessment=assessments[
                    (rating.cycle, rating.person_id, rating.source.value, rating.author_id)
                ],
                cycle=cycles[rating.cycle],
                subject_id=rating.person_id,
                source=rating.source.value,
                competency_id=rating.competency,
                score=rating.score,
                updated_at=now,
                updated_by=actor,
            )
            for rating in plan.ratings
        ],
        batch_size=_BATCH_SIZE,
    )
    return [cycle.pk for cycle in cycles.values()]
