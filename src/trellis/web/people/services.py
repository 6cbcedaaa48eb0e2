"""Every write to people: keyword-only, typed, atomic, permission-checked, audited, with history.

Levels are checked against the current published framework (when there is one), so an unknown
family, track or level is a form error on that field rather than a person nobody can place.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
from collections.abc import Callable
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.models import User, normalize_email
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import current_framework
from trellis.web.people.import_planning import ImportPlan, Node, Outcome, RowPlan, plan_import
from trellis.web.people.importing import (
    ColumnMapping,
    Table,
    UnreadableFile,
    guess_mapping,
    mapping_problems,
    read_table,
)
from trellis.web.people.models import ImportJob, Person, PersonChange, Team, level_key
from trellis.web.people.selectors import people_for_import, team_names_for_import
from trellis.web.policy import Action

logger = logging.getLogger(__name__)


class _Unset:
    """The value of an argument that was not given (None is a value: "no team")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

# Any constant works; it names the one PostgreSQL advisory lock that serialises manager changes.
_REPORTING_LINES_LOCK: Final = 7_418_263_001

_LEVEL_FIELDS = ("family_id", "track_id", "level_code")


def level_problems(
    framework: Framework | None, *, family_id: str, track_id: str, level_code: str
) -> dict[str, str]:
    """Field name → message for a place that `framework` does not have; empty when it has it.

    Without a published framework there is nothing to check against and every place is accepted.
    """
    if framework is None:
        return {}
    family = framework.family(family_id)
    if family is None:
        known = ", ".join(f.id for f in framework.families)
        return {"family_id": f'"{family_id}" is not a job family of the framework (families: {known})'}
    track = family.track(track_id)
    if track is None:
        known = ", ".join(t.id for t in family.tracks)
        return {"track_id": f'"{track_id}" is not a track of {family.name} (tracks: {known})'}
    if track.level(level_code) is None:
        known = ", ".join(level.code for level in track.levels)
        return {
            "level_code": f'"{level_code}" is not a level of {family.name} {track.name} (levels: {known})'
        }
    return {}


def _check_level(*, family_id: str, track_id: str, level_code: str) -> None:
    problems = level_problems(
        current_framework(), family_id=family_id, track_id=track_id, level_code=level_code
    )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def team_get_or_create(*, actor: User, name: str) -> Team:
    """The team called `name` (surrounding spaces ignored), created and audited if it is new."""
    policy.require(actor, Action.PERSON_UPDATE)
    cleaned = " ".join(name.split())
    existing = Team.objects.filter(name=cleaned).first()
    if existing is not None:
        return existing
    team = Team(name=cleaned)
    team.full_clean()
    team.save()
    audit_record(actor=actor, action="team.created", target=team, fields=["name"])
    return team


@transaction.atomic
def person_create(
    *,
    actor: User,
    employee_id: str,
    email: str,
    full_name: str,
    family_id: str,
    track_id: str,
    level_code: str,
    level_since: datetime.date,
    title: str = "",
    team: Team | None = None,
    manager: Person | None = None,
    hired_on: datetime.date | None = None,
    user: User | None = None,
    is_active: bool = True,
) -> Person:
    """Add an employee. HR only (PermissionDenied otherwise).

    Raises ValidationError naming the field: a duplicate employee ID or e-mail, a level the current
    framework does not have, a level date before the hire date, an inactive manager.
    """
    policy.require(actor, Action.PERSON_CREATE)
    if manager is not None and not manager.is_active:
        raise ValidationError({"manager": f"{manager.full_name} is no longer active"})
    person = Person(
        employee_id=employee_id.strip(),
        email=normalize_email(email),
        full_name=full_name.strip(),
        title=title,
        team=team,
        family_id=family_id,
        track_id=track_id,
        level_code=level_code,
        level_since=level_since,
        manager=manager,
        hired_on=hired_on,
        user=user,
        is_active=is_active,
    )
    person.full_clean()
    _check_level(family_id=person.family_id, track_id=person.track_id, level_code=person.level_code)
    person.save()
    audit_record(
        actor=actor,
        action="person.created",
        target=person,
        fields=[name for name in _CREATED_FIELDS if getattr(person, name) not in (None, "")],
    )
    return person


_CREATED_FIELDS = (
    "employee_id",
    "email",
    "full_name",
    "title",
    "team",
    "family_id",
    "track_id",
    "level_code",
    "level_since",
    "manager",
    "hired_on",
    "user",
)


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    email: str | _Unset = UNSET,
    full_name: str | _Unset = UNSET,
    title: str | _Unset = UNSET,
    team: Team | _Unset | None = UNSET,
    family_id: str | _Unset = UNSET,
    track_id: str | _Unset = UNSET,
    level_code: str | _Unset = UNSET,
    level_since: datetime.date | _Unset = UNSET,
    hired_on: datetime.date | _Unset | None = UNSET,
    is_active: bool | _Unset = UNSET,
) -> Person:
    """Change the given fields of `person` (arguments left out stay as they are). HR only.

    A change of family, track or level is written to the person's history; when `level_since` is
    not given with it, the person is at the new level from today. Nothing is written (no audit, no
    history) when nothing changes. Raises ValidationError naming the field on a bad value, and
    changes nothing then. `person` is updated in place and returned.
    """
    policy.require(actor, Action.PERSON_UPDATE, person)
    stored = Person.objects.select_for_update().get(pk=person.pk)
    requested: dict[str, Any] = {
        "email": normalize_email(email) if isinstance(email, str) else email,
        "full_name": full_name,
        "title": title,
        "team": team,
        "family_id": family_id,
        "track_id": track_id,
        "level_code": level_code,
        "level_since": level_since,
        "hired_on": hired_on,
        "is_active": is_active,
    }
    changed = [
        name for name, value in requested.items() if value is not UNSET and getattr(stored, name) != value
    ]
    level_changed = any(name in _LEVEL_FIELDS for name in changed)
    if level_changed and "level_since" not in changed and level_since is UNSET:
        requested["level_since"] = timezone.localdate()
        if stored.level_since != requested["level_since"]:
            changed.append("level_since")
    if not changed:
        return stored
    old_level = level_key(stored.family_id, stored.track_id, stored.level_code)
    for name in changed:
        setattr(stored, name, requested[name])
    stored.full_clean()
    if level_changed:
        _check_level(family_id=stored.family_id, track_id=stored.track_id, level_code=stored.level_code)
    stored.save(update_fields=changed)
    new_level = level_key(stored.family_id, stored.track_id, stored.level_code)
    if new_level != old_level:
        PersonChange.objects.create(
            person=stored,
            kind=PersonChange.Kind.LEVEL,
            old_value=old_level,
            new_value=new_level,
            changed_at=timezone.now(),
            changed_by=actor,
        )
    audit_record(actor=actor, action="person.updated", target=stored, fields=changed)
    _copy_fields(stored, into=person)
    return person


def _copy_fields(source: Person, *, into: Person) -> None:
    for field in Person._meta.concrete_fields:
        setattr(into, field.attname, getattr(source, field.attname))


def _lock_reporting_lines() -> None:
    """Serialise manager changes for the rest of the transaction.

    Two concurrent changes could each pass the cycle check and together close a loop (A under B
    while B goes under A). SQLite already runs one writing transaction at a time (IMMEDIATE mode);
    PostgreSQL needs this lock, which it releases at commit or rollback.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REPORTING_LINES_LOCK])


def _chain_to(person: Person, manager: Person) -> list[Person] | None:
    """The line from `manager` up to `person` if `manager` already reports to `person`, else None."""
    chain = [manager]
    seen = {manager.pk}
    current_manager_id = manager.manager_id
    while current_manager_id is not None:
        if current_manager_id == person.pk:
            return chain
        if current_manager_id in seen:  # a loop that predates this check; stop rather than spin
            return None
        seen.add(current_manager_id)
        above = Person.objects.only("pk", "full_name", "manager_id").get(pk=current_manager_id)
        chain.append(above)
        current_manager_id = above.manager_id
    return None


@transaction.atomic
def person_set_manager(*, actor: User, person: Person, manager: Person | None) -> Person:
    """Make `manager` the manager of `person` (None: nobody). HR only.

    Reporting lines stay acyclic: raises ValidationError on the ``manager`` field when `manager` is
    `person` or already reports to them, directly or not, and when `manager` is inactive; nothing
    changes then. The change is written to `person`'s history by employee ID.
    """
    policy.require(actor, Action.PERSON_SET_MANAGER, person)
    _lock_reporting_lines()
    stored = Person.objects.select_for_update(of=("self",)).select_related("manager").get(pk=person.pk)
    if manager is not None:
        manager = Person.objects.get(pk=manager.pk)
        if manager.pk == stored.pk:
            raise ValidationError({"manager": f"{stored.full_name} cannot be their own manager"})
        if not manager.is_active:
            raise ValidationError({"manager": f"{manager.full_name} is no longer active"})
        chain = _chain_to(stored, manager)
        if chain is not None:
            line = " → ".join(p.full_name for p in chain)
            raise ValidationError(
                {
                    "manager": (
                        f"{manager.full_name} already reports to {stored.full_name} ({line} → "
                        f"{stored.full_name}); the reporting line would go round in a circle"
                    )
                }
            )
    if stored.manager_id == (manager.pk if manager is not None else None):
        return stored
    old_manager = stored.manager
    stored.manager = manager
    stored.save(update_fields=["manager"])
    PersonChange.objects.create(
        person=stored,
        kind=PersonChange.Kind.MANAGER,
        old_value=old_manager.employee_id if old_manager is not None else "",
        new_value=manager.employee_id if manager is not None else "",
        changed_at=timezone.now(),
        changed_by=actor,
    )
    audit_record(actor=actor, action="person.manager_changed", target=stored, fields=["manager"])
    person.manager = manager
    return person


# ---- Importing people from an HRIS export ------------------------------------------------------

#: Files with more rows than this are applied by a background worker (see settings).
DEFAULT_BACKGROUND_ROWS: Final = 200
#: Any constant works; it names the PostgreSQL advisory lock that lets one import apply at a time.
_IMPORT_LOCK: Final = 7_418_263_002
_OPEN_FOR_PREVIEW = (ImportJob.Status.MAPPING, ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)


def import_background_rows() -> int:
    """Files with more rows than this are applied in the background (``PEOPLE_IMPORT_BACKGROUND_ROWS``)."""
    return int(getattr(settings, "PEOPLE_IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


@transaction.atomic
def import_job_create(*, actor: User, file_name: str, data: bytes) -> ImportJob:
    """Read an uploaded HRIS export (CSV or XLSX) into a new import job with a guessed column
    mapping. HR only (PermissionDenied otherwise).

    Raises ValidationError on the ``file`` field, listing every problem with its row and column,
    when the file cannot be read (another encoding than UTF-8, a damaged workbook, no header) or
    when no framework is published yet; nothing is stored then.
    """
    policy.require(actor, Action.PEOPLE_IMPORT)
    if current_framework() is None:
        raise ValidationError({"file": "publish a framework first: people are placed on its levels"})
    try:
        table = read_table(data, file_name)
    except UnreadableFile as unreadable:
        raise ValidationError({"file": unreadable.problems}) from None
    job = ImportJob(
        created_by=actor,
        # Browsers send the bare name, but a client may send a path; only the name is kept.
        file_name=os.path.basename(file_name.replace("\\", "/")).strip()[:255] or "upload",
        table=table.to_json(),
        row_count=len(table.rows),
        mapping=guess_mapping(table.headers),
    )
    job.full_clean()
    job.save()
    audit_record(actor=actor, action="people_import.uploaded", target=job, fields=["file_name", "table"])
    return job


def _plan(
    *, actor: User, job: ImportJob, mapping: ColumnMapping, progress: Callable[[int], None] | None = None
) -> tuple[Table, ImportPlan]:
    framework = current_framework()
    if framework is None:
        raise ValidationError("publish a framework first: people are placed on its levels")
    table = Table.from_json(job.table)
    plan = plan_import(
        table,
        mapping,
        framework=framework,
        people=people_for_import(viewer=actor),
        teams=team_names_for_import(viewer=actor),
        today=timezone.localdate(),
        progress=progress,
    )
    return table, plan


def _preview_fields(table: Table, plan: ImportPlan) -> dict[str, Any]:
    return {
        "preview": [row.to_json(table) for row in plan.rows],
        "summary": {**plan.counts(), "new_teams": plan.new_teams},
        "rows_to_apply": len(plan.order),
    }


@transaction.atomic
def import_job_preview(*, actor: User, job: ImportJob, mapping: ColumnMapping) -> ImportJob:
    """Plan the import with `mapping` (field → column index or None) and keep the dry-run preview
    on `job`. Nothing but the job is written. HR only.

    A file with more rows than ``PEOPLE_IMPORT_BACKGROUND_ROWS`` is checked by a background worker
    (enqueued when this transaction commits; the job is ``checking`` until its preview is ready).
    Raises ValidationError naming the field when the mapping is unusable (a column chosen for two
    fields; neither the employee ID nor the e-mail has a column), and a ValidationError when the
    job is running or finished. `job` is refreshed and returned.
    """
    policy.require(actor, Action.PEOPLE_IMPORT)
    table = Table.from_json(job.table)
    problems = mapping_problems(mapping, len(table.headers))
    if problems:
        raise ValidationError({key or NON_FIELD_ERRORS: message for key, message in problems.items()})
    background = job.row_count > import_background_rows()
    if background:
        fields: dict[str, Any] = {"status": ImportJob.Status.CHECKING, "preview": [], "summary": {}}
    else:
        table, plan = _plan(actor=actor, job=job, mapping=mapping)
        fields = {"status": ImportJob.Status.PREVIEWED, **_preview_fields(table, plan)}
    updated = ImportJob.objects.filter(pk=job.pk, status__in=_OPEN_FOR_PREVIEW).update(
        mapping=mapping, checked_by=actor, error="", processed_rows=0, **fields
    )
    if updated != 1:
        raise ValidationError("this import is running or finished; upload the file again to start over")
    audit_record(actor=actor, action="people_import.previewed", target=job, fields=["mapping"])
    if background:
        transaction.on_commit(functools.partial(_enqueue, "people_import_check", job.pk))
    job.refresh_from_db()
    return job


def import_job_check(*, job_id: int, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Make the preview of a large file, on behalf of whoever asked for it (the background task).

    A job that is not ``checking`` is returned untouched. Nothing but the job is written, row
    counts as they are checked included (`progress(rows checked)` is called about every
    hundredth of the rows). A failure (the asker may no longer import, an unexpected error) is
    recorded on the job, which may then be previewed again.
    """
    job = ImportJob.objects.select_related("checked_by").get(pk=job_id)
    if job.status != ImportJob.Status.CHECKING:
        return job
    try:
        if job.checked_by is None:
            raise PermissionDenied("the account that asked for the preview no longer exists")
        table, plan = _plan(actor=job.checked_by, job=job, mapping=job.mapping, progress=progress)
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).update(
            status=ImportJob.Status.PREVIEWED, processed_rows=len(table.rows), **_preview_fields(table, plan)
        )
    except PermissionDenied:
        _mark_failed(job_id, "The account that asked for the preview may no longer import people.")
    except Exception:
        logger.exception("people import %s could not be checked", job_id)
        _mark_failed(
            job_id,
            "An unexpected error stopped the check of the file. It has been logged; try again, or ask "
            "IT to look at the server log.",
        )
    job.refresh_from_db()
    return job


@transaction.atomic
def import_job_discard(*, actor: User, job: ImportJob) -> ImportJob:
    """Abandon an import that has not been applied; its copy of the file is deleted. HR only.

    Raises ValidationError when the job is running or finished.
    """
    policy.require(actor, Action.PEOPLE_IMPORT)
    updated = ImportJob.objects.filter(pk=job.pk, status__in=_OPEN_FOR_PREVIEW).update(
        status=ImportJob.Status.DISCARDED, table={}, finished_at=timezone.now()
    )
    if updated != 1:
        raise ValidationError("this import is running or finished and cannot be discarded")
    audit_record(actor=actor, action="people_import.discarded", target=job, fields=["status"])
    job.refresh_from_db()
    return job


def import_job_start(*, actor: User, job: ImportJob, only_valid_rows: bool = False) -> ImportJob:
    """Apply a previewed import: at once when it is small, by a background worker when the file
    has more rows than ``PEOPLE_IMPORT_BACKGROUND_ROWS`` (enqueued when this transaction commits).
    HR only.

    A file with any rejected row changes nothing unless `only_valid_rows` is chosen: raises
    ValidationError then, and when the job was already started (two clicks apply a file once).
    `job` is refreshed and returned; read its status for the outcome.
    """
    policy.require(actor, Action.PEOPLE_IMPORT)
    rejected = int(job.summary.get(str(Outcome.REJECT), 0))
    if rejected and not only_valid_rows:
        raise ValidationError(
            f"{rejected} row{'s' * (rejected != 1)} of the file {'are' if rejected != 1 else 'is'} rejected, "
            "so nothing is imported; fix the file and upload it again, or choose to import only the valid rows"
        )
    background = job.row_count > import_background_rows()
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
            status=ImportJob.Status.QUEUED,
            only_valid_rows=only_valid_rows,
            started_by=actor,
            started_at=timezone.now(),
            processed_rows=0,
            error="",
        )
        if updated != 1:
            raise ValidationError("this import has already been started")
        audit_record(actor=actor, action="people_import.started", target=job, fields=["only_valid_rows"])
        if background:
            transaction.on_commit(functools.partial(_enqueue, "people_import_apply", job.pk))
    if not background:
        import_job_apply(job_id=job.pk)
    job.refresh_from_db()
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    """Queue a task of `people.tasks` for the job and note its id on the job."""
    from trellis.web.people import tasks

    result = getattr(tasks, task_name).enqueue(job_id=job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


class _PlanChanged(Exception):
    def __init__(self, table: Table, plan: ImportPlan) -> None:
        self.table = table
        self.plan = plan


class _RowFailed(Exception):
    """Writing one row failed; `message` is for the importer (None: an unexpected error)."""

    def __init__(self, number: int, message: str | None) -> None:
        self.number = number
        self.message = message


def _preview_fingerprint(preview: list[dict[str, Any]]) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(row["number"], row["outcome"], tuple(change[0] for change in row["changes"])) for row in preview]


def import_job_apply(*, job_id: int, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Write the accepted rows of a started import through the people services, all or nothing.

    Called by `import_job_start` for a small file and by the background task for a large one; a
    job that is not waiting to be applied is returned untouched (a task delivered twice applies
    once). The plan is made again inside the transaction from the people as they are now. When it
    differs from the preview the importer approved (someone changed people meanwhile), nothing is
    written and the job goes back to its preview, made anew. Any error (a service refusing a row,
    a fault) rolls every row back; the job records it, with the row, as failed. `progress(rows
    written)` is called about every hundredth of the rows. The people services write the history
    of level and manager changes and audit every change.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.APPLYING
    )
    job = ImportJob.objects.select_related("started_by").get(pk=job_id)
    if claimed != 1:
        return job
    actor = job.started_by
    try:
        if actor is None:
            raise _RowFailed(0, "the account that started the import no longer exists")
        with transaction.atomic():
            _lock_imports()
            table, plan = _plan(actor=actor, job=job, mapping=job.mapping)
            if plan.fingerprint() != _preview_fingerprint(job.preview):
                raise _PlanChanged(table, plan)
            if plan.rejected and not job.only_valid_rows:  # the preview said otherwise: see above
                raise _PlanChanged(table, plan)
            result = _write_plan(actor=actor, plan=plan, progress=progress)
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.APPLIED,
                result=result,
                processed_rows=len(plan.order),
                finished_at=timezone.now(),
                table={},
            )
            audit_record(
                actor=actor,
                action="people_import.applied",
                target=job,
                fields=sorted(key for key, column in job.mapping.items() if column is not None),
            )
    except _PlanChanged as changed:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.PREVIEWED,
            error=(
                "People changed since this preview was made, so nothing was imported. Here is the "
                "preview made anew: check it and import again."
            ),
            processed_rows=0,
            **_preview_fields(changed.table, changed.plan),
        )
    except _RowFailed as failure:
        if failure.message is None:
            logger.exception("people import %s stopped at row %s", job_id, failure.number)
            message = (
                f"An unexpected error stopped the import at row {failure.number}, so nothing was "
                "imported. It has been logged; try again, or ask IT to look at the server log."
            )
        elif failure.number:
            message = f"Row {failure.number}: {failure.message}. Nothing was imported."
        else:
            message = f"{failure.message[0].upper()}{failure.message[1:]}. Nothing was imported."
        _mark_failed(job_id, message)
    except Exception:
        logger.exception("people import %s failed", job_id)
        _mark_failed(
            job_id,
            "An unexpected error stopped the import, so nothing was imported. It has been logged; "
            "try again, or ask IT to look at the server log.",
        )
    job.refresh_from_db()
    return job


def _mark_failed(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, error=message, processed_rows=0, finished_at=timezone.now()
    )


def _lock_imports() -> None:
    """Let one import apply at a time, and no manager change run beside it (PostgreSQL; SQLite
    runs one writing transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])
    _lock_reporting_lines()


def _write_plan(*, actor: User, plan: ImportPlan, progress: Callable[[int], None] | None) -> dict[str, int]:
    """Create and update the people of `plan`'s accepted rows, managers before their reports.

    Raises _RowFailed with the row's number when a service refuses it or anything else fails.
    """
    rows = [plan.rows[index] for index in plan.order]
    people = Person.objects.in_bulk(
        {row.person_pk for row in rows if row.person_pk is not None}
        | {row.manager[1] for row in rows if row.manager is not None and row.manager[0] == "person"}
    )
    created: dict[Node, Person] = {}
    teams: dict[str, Team] = {}
    teams_before = Team.objects.count()
    every = max(1, len(rows) // 100)

    def person_at(node: Node | None) -> Person | None:
        if node is None:
            return None
        return people[node[1]] if node[0] == "person" else created[node]

    def team_named(name: str | None) -> Team | None:
        if name is None:
            return None
        if name not in teams:
            teams[name] = team_get_or_create(actor=actor, name=name)
        return teams[name]

    for position, row in enumerate(rows, start=1):
        try:
            if row.outcome is Outcome.CREATE:
                created[row.node] = _create_from_row(
                    actor=actor, row=row, team=team_named(row.values["team"]), manager=person_at(row.manager)
                )
            else:
                _update_from_row(
                    actor=actor,
                    row=row,
                    person=people[row.person_pk],  # type: ignore[index]
                    team=team_named(row.values["team"]) if "team" in row.values else UNSET,
                    manager=person_at(row.manager),
                )
        except ValidationError as refused:
            raise _RowFailed(row.number, "; ".join(_messages(refused))) from refused
        except Exception as error:
            raise _RowFailed(row.number, None) from error
        if progress is not None and (position % every == 0 or position == len(rows)):
            progress(position)
    counts = plan.counts()
    return {
        "created": counts[Outcome.CREATE],
        "updated": counts[Outcome.UPDATE],
        "unchanged": counts[Outcome.UNCHANGED],
        "rejected": counts[Outcome.REJECT],
        "teams_created": Team.objects.count() - teams_before,
    }


def _create_from_row(*, actor: User, row: RowPlan, team: Team | None, manager: Person | None) -> Person:
    values = row.values
    return person_create(
        actor=actor,
        employee_id=values["employee_id"],
        email=values["email"],
        full_name=values["full_name"],
        family_id=values["family_id"],
        track_id=values["track_id"],
        level_code=values["level_code"],
        level_since=values["level_since"],
        title=values["title"],
        team=team,
        manager=manager,
        hired_on=values["hired_on"],
        is_active=values["is_active"],
    )


_UPDATABLE = (
    "email",
    "full_name",
    "title",
    "family_id",
    "track_id",
    "level_code",
    "level_since",
    "hired_on",
    "is_active",
)


def _update_from_row(
    *, actor: User, row: RowPlan, person: Person, team: Team | _Unset | None, manager: Person | None
) -> None:
    changes: dict[str, Any] = {key: row.values[key] for key in _UPDATABLE if key in row.values}
    if not isinstance(team, _Unset):
        changes["team"] = team
    if changes:
        person_update(actor=actor, person=person, **changes)
    if row.manager_changed:
        person_set_manager(actor=actor, person=person, manager=manager)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return list(error.messages)
