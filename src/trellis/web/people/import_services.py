"""The import job's state machine: upload (read at once, or by a worker) → columns → preview (checked at once, or by a worker) →
started → applied, failed or discarded. Every step is keyword-only, permission-checked and audited;
the job's status moves only by conditional updates, so two clicks cannot apply a file twice.

Reading the file and planning its rows are the pure `trellis.organisation`'s; the accepted rows are
written in bulk by `people.import_writing`. A job whose worker died (see `import_worker_timeout`)
is found by `import_jobs_fail_abandoned` and marked failed; it may be previewed and started again.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from trellis.framework.model import Framework
from trellis.organisation.import_mapping import (
    ColumnMapping,
    column_date_formats,
    guess_mapping,
    mapping_problems,
)
from trellis.organisation.import_plan import ExistingPerson, ImportPlan, Outcome, changes_since_preview
from trellis.organisation.import_planning import plan_import
from trellis.organisation.import_reading import Table, UnreadableFile, read_table
from trellis.organisation.import_values import DateFormat
from trellis.tabular.limits import MIB
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people import import_writing
from trellis.web.people.models import ImportJob, ImportUpload
from trellis.web.people.selectors import person_list_for_import, team_name_list_for_import
from trellis.web.people.services import lock_reporting_lines
from trellis.web.policy import Action
from trellis.web.uploads import ResourceLimitExceeded, parse_bounded, refusal

logger = logging.getLogger(__name__)

#: Files with more rows than this are applied by a background worker (see settings).
DEFAULT_BACKGROUND_ROWS: Final = 200
#: Uploads larger than this are read by a background worker (see settings).
DEFAULT_BACKGROUND_BYTES: Final = 1 * MIB
#: Any constant works; it names the PostgreSQL advisory lock that lets one import apply at a time.
_IMPORT_LOCK: Final = 7_418_263_002
_OPEN_FOR_PREVIEW = (ImportJob.Status.MAPPING, ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)


#: How long a running job may go without a sign of life from its worker before it is taken for
#: abandoned (``PEOPLE_IMPORT_WORKER_TIMEOUT``, seconds). A worker reading a file shows one as it
#: starts, and its parse is bounded by ``UPLOAD_PARSE_LIMITS`` (60 s), well within. A worker checking a file or applying it
#: on PostgreSQL shows one with every hundredth of the rows; on SQLite the apply's transaction holds
#: the only write lock, so its last sign is given just before it starts writing: the timeout must
#: exceed the longest apply (100,000 rows take well under a minute).
DEFAULT_WORKER_TIMEOUT: Final = 300


def import_worker_timeout() -> datetime.timedelta:
    """How long a running job may go without a sign of life (``PEOPLE_IMPORT_WORKER_TIMEOUT``)."""
    return datetime.timedelta(
        seconds=int(getattr(settings, "PEOPLE_IMPORT_WORKER_TIMEOUT", DEFAULT_WORKER_TIMEOUT))
    )


def import_background_rows() -> int:
    """Files with more rows than this are applied in the background (``PEOPLE_IMPORT_BACKGROUND_ROWS``)."""
    return int(getattr(settings, "PEOPLE_IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def import_background_bytes() -> int:
    """Uploads larger than this are read in the background (``PEOPLE_IMPORT_BACKGROUND_BYTES``)."""
    return int(getattr(settings, "PEOPLE_IMPORT_BACKGROUND_BYTES", DEFAULT_BACKGROUND_BYTES))


def import_job_create(*, actor: User, file_name: str, data: bytes) -> ImportJob:
    """Read an uploaded HRIS export (CSV or XLSX) into a new import job with a guessed column
    mapping. HR only (PermissionDenied otherwise).

    The file is read in a child process under ``UPLOAD_PARSE_LIMITS`` (`trellis.web.uploads`),
    before any transaction opens. Raises ValidationError on the ``file`` field, listing every
    problem with its location, when the file cannot be read (another encoding than UTF-8, a damaged
    workbook, no header, one of the reader's limits or the parse's memory or time limit crossed:
    the message names the limit) or when no framework is published yet; nothing is stored then.

    A file larger than ``PEOPLE_IMPORT_BACKGROUND_BYTES`` is not read here, so that it never holds
    the request for the parse's time limit: the job is returned ``reading``, its bytes kept in an
    `ImportUpload`, and `import_job_read` (a worker, enqueued when the job is committed) reads them
    the same way, moving the job to ``mapping`` or to ``failed`` with the same refusal.
    """
    policy.require(actor, Action.PEOPLE_IMPORT)
    if framework_published_get(viewer=actor) is None:
        raise ValidationError({"file": "publish a framework first: people are placed on its levels"})
    # Browsers send the bare name, but a client may send a path; only the name is kept.
    name = os.path.basename(file_name.replace("\\", "/")).strip()[:255] or "upload"
    if len(data) > import_background_bytes():
        return _import_job_store_for_reading(actor=actor, file_name=name, data=data)
    try:
        table = _read_file(name, data)
    except _Unreadable as unreadable:
        raise ValidationError({"file": unreadable.messages}) from None
    return _import_job_store(actor=actor, file_name=name, table=table)


class _Unreadable(Exception):
    """The upload was refused: `messages` say why, each located where it can be, naming the limit
    crossed if one was."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _read_file(file_name: str, data: bytes) -> Table:
    """The file as a table, parsed by `parse_bounded`; raises _Unreadable."""
    try:
        return parse_bounded(read_table, data, file_name)
    except UnreadableFile as unreadable:
        raise _Unreadable(unreadable.messages) from None
    except ResourceLimitExceeded as exceeded:
        raise _Unreadable([refusal(file_name, exceeded)]) from None


@transaction.atomic
def _import_job_store(*, actor: User, file_name: str, table: Table) -> ImportJob:
    job = ImportJob(
        created_by=actor,
        file_name=file_name,
        table=table.to_json(),
        row_count=len(table.rows),
        mapping=guess_mapping(table.headers),
    )
    job.full_clean()
    job.save()
    audit_record(
        actor=actor, action=AuditAction.PEOPLE_IMPORT_UPLOADED, target=job, fields=["file_name", "table"]
    )
    return job


@transaction.atomic
def _import_job_store_for_reading(*, actor: User, file_name: str, data: bytes) -> ImportJob:
    # The upload is audited once it is read (`import_job_read`): a file refused stores nothing.
    job = ImportJob(
        created_by=actor, file_name=file_name, status=ImportJob.Status.READING, heartbeat_at=timezone.now()
    )
    job.full_clean()
    job.save()
    ImportUpload.objects.create(job=job, data=data)
    transaction.on_commit(functools.partial(_enqueue, "people_import_read", job.pk))
    return job


def import_job_read(*, job_id: int) -> ImportJob:
    """Read the stored upload of a ``reading`` job (the background task), as `import_job_create`
    reads a small file within the request: through `parse_bounded`, under the same limits.

    The job moves to ``mapping`` with its table and guessed mapping, audited as uploaded on behalf
    of whoever uploaded it; or, when the file is refused (the same messages as the upload form
    gives, naming the limit crossed), when that account may no longer import or on an unexpected
    error, to ``failed`` with the message, storing nothing else. Either way the upload's bytes are
    deleted. A job that is not ``reading`` (a task delivered twice, a job taken for abandoned) is
    returned untouched.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.READING).update(
        heartbeat_at=timezone.now()
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if claimed != 1:
        return job
    try:
        actor = job.created_by
        if actor is None:
            raise PermissionDenied("the account that uploaded the file no longer exists")
        policy.require(actor, Action.PEOPLE_IMPORT)
        data = ImportUpload.objects.filter(job_id=job_id).values_list("data", flat=True).first()
        if data is None:
            raise _Unreadable(["the uploaded file is no longer stored; upload it again"])
        table = _read_file(job.file_name, bytes(data))
        with transaction.atomic():
            read = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.READING).update(
                status=ImportJob.Status.MAPPING,
                table=table.to_json(),
                row_count=len(table.rows),
                mapping=guess_mapping(table.headers),
            )
            if read == 1:
                audit_record(
                    actor=actor,
                    action=AuditAction.PEOPLE_IMPORT_UPLOADED,
                    target=job,
                    fields=["file_name", "table"],
                )
            ImportUpload.objects.filter(job_id=job_id).delete()
    except _Unreadable as refused:
        _fail_reading(job_id, "\n".join(refused.messages))
    except PermissionDenied:
        _fail_reading(job_id, "The account that uploaded the file may no longer import people.")
    except Exception:
        logger.exception("people import %s could not be read", job_id)
        _fail_reading(
            job_id,
            "An unexpected error stopped the reading of the file. It has been logged; upload it again, "
            "or ask IT to look at the server log.",
        )
    job.refresh_from_db()
    return job


@transaction.atomic
def _fail_reading(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.READING).update(
        status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )
    ImportUpload.objects.filter(job_id=job_id).delete()


@dataclass(frozen=True, slots=True)
class _PlanInputs:
    """What a plan is made from besides the file: the framework and the people as stored."""

    framework: Framework
    people: list[ExistingPerson]
    teams: list[str]

    def same_as(self, other: _PlanInputs) -> bool:
        return (
            (self.framework is other.framework or self.framework == other.framework)
            and self.people == other.people
            and sorted(self.teams) == sorted(other.teams)
        )


def _plan_inputs(actor: User) -> _PlanInputs:
    published = framework_published_get(viewer=actor)
    framework = published.framework if published is not None else None
    if framework is None:
        raise ValidationError("publish a framework first: people are placed on its levels")
    return _PlanInputs(
        framework=framework,
        people=person_list_for_import(viewer=actor),
        teams=team_name_list_for_import(viewer=actor),
    )


def _plan(
    *,
    actor: User,
    job: ImportJob,
    mapping: ColumnMapping,
    inputs: _PlanInputs | None = None,
    progress: Callable[[int], None] | None = None,
    date_format: DateFormat | None = None,
) -> tuple[Table, ImportPlan]:
    inputs = inputs or _plan_inputs(actor)
    table = Table.from_json(job.table)
    plan = plan_import(
        table,
        mapping,
        framework=inputs.framework,
        people=inputs.people,
        teams=inputs.teams,
        today=timezone.localdate(),
        progress=progress,
        date_format=date_format if date_format is not None else DateFormat(job.date_format),
    )
    return table, plan


def _preview_fields(table: Table, plan: ImportPlan) -> dict[str, Any]:
    return {
        "preview": plan.preview(table),
        "summary": {**plan.counts(), "new_teams": plan.new_teams},
        "rows_to_apply": len(plan.order),
    }


@transaction.atomic
def import_job_preview(
    *, actor: User, job: ImportJob, mapping: ColumnMapping, date_format: DateFormat = DateFormat.DETECT
) -> ImportJob:
    """Plan the import with `mapping` (field → column index or None) and keep the dry-run preview
    on `job`. Nothing but the job is written. HR only.

    A file with more rows than ``PEOPLE_IMPORT_BACKGROUND_ROWS`` is checked by a background worker
    (enqueued when this transaction commits; the job is ``checking`` until its preview is ready).
    Raises ValidationError naming the field when the mapping is unusable (a column chosen for two
    fields; neither the employee ID nor the e-mail has a column; with `DateFormat.DETECT`, a date
    column that reads either way, on ``date_format``), and a ValidationError when the job is
    running or finished. Numeric dates are read in `date_format`, kept on the job for the apply. `job` is refreshed and returned.
    """
    policy.require(actor, Action.PEOPLE_IMPORT)
    if not job.is_read:
        raise ValidationError("the file of this import could not be read; upload it again")
    table = Table.from_json(job.table)
    problems = mapping_problems(mapping, len(table.headers))
    if not problems:
        problems.update(column_date_formats(table, mapping, date_format)[1])
    if problems:
        raise ValidationError({key or NON_FIELD_ERRORS: message for key, message in problems.items()})
    background = job.row_count > import_background_rows()
    if background:
        fields: dict[str, Any] = {
            "status": ImportJob.Status.CHECKING,
            "preview": [],
            "summary": {},
            "heartbeat_at": timezone.now(),
        }
    else:
        table, plan = _plan(actor=actor, job=job, mapping=mapping, date_format=date_format)
        fields = {"status": ImportJob.Status.PREVIEWED, **_preview_fields(table, plan)}
    updated = ImportJob.objects.filter(pk=job.pk, status__in=_OPEN_FOR_PREVIEW).update(
        mapping=mapping, date_format=date_format, checked_by=actor, error="", processed_rows=0, **fields
    )
    if updated != 1:
        raise ValidationError("this import is running or finished; upload the file again to start over")
    audit_record(
        actor=actor, action=AuditAction.PEOPLE_IMPORT_PREVIEWED, target=job, fields=["mapping", "date_format"]
    )
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
    audit_record(actor=actor, action=AuditAction.PEOPLE_IMPORT_DISCARDED, target=job, fields=["status"])
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
        audit_record(
            actor=actor, action=AuditAction.PEOPLE_IMPORT_STARTED, target=job, fields=["only_valid_rows"]
        )
        if background:
            transaction.on_commit(functools.partial(_enqueue, "people_import_apply", job.pk))
    if background:
        job.refresh_from_db()
        return job
    applied = import_job_apply(job_id=job.pk)  # refreshed already: the preview is large
    for model_field in ImportJob._meta.concrete_fields:
        setattr(job, model_field.attname, getattr(applied, model_field.attname))
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    """Queue a task of `people.tasks` for the job and note its id on the job."""
    from trellis.web.people import tasks

    result = getattr(tasks, task_name).enqueue(job_id=job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


class _PlanChanged(Exception):
    """The file planned again does not do what the importer approved: `differences` say how."""

    def __init__(self, table: Table, plan: ImportPlan, differences: list[str]) -> None:
        self.table = table
        self.plan = plan
        self.differences = differences


def _changed_message(differences: list[str]) -> str:
    """What the importer reads on a job sent back to its preview."""
    named = f": {'; '.join(differences)}" if differences else ""
    return (
        f"People changed since this preview was made, so nothing was imported{named}. Here is the "
        "preview made anew: check it and import again."
    )


class _Abandoned(Exception):
    """The job was taken for abandoned (and may have been started again) while this worker ran."""


def import_job_apply(*, job_id: int, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Write the accepted rows of a started import in bulk, all or nothing.

    Called by `import_job_start` for a small file and by the background task for a large one; a
    job that is not waiting to be applied is returned untouched (a task delivered twice applies
    once). The file is planned again from the people as they are now, before the write
    transaction opens (on SQLite the write lock is held only while rows are written); inside it,
    under the import locks, the people are read once more and the plan made again only if they
    changed meanwhile. When the plan differs from the preview the importer approved, nothing is
    written and the job goes back to its preview, made anew. Any error (a row refused, a fault)
    rolls every row back; the job records it, with the row, as failed. `progress(rows written)`
    is called about every hundredth of the rows. The writer keeps the history of level and
    manager changes and audits every change, as the people services do.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.APPLYING, heartbeat_at=timezone.now()
    )
    job = ImportJob.objects.select_related("started_by").get(pk=job_id)
    if claimed != 1:
        return job
    actor = job.started_by
    try:
        if actor is None:
            raise import_writing.RowRefused(0, "the account that started the import no longer exists")
        inputs = _plan_inputs(actor)
        table, plan = _plan(actor=actor, job=job, mapping=job.mapping, inputs=inputs)
        _check_still_approved(job, table, plan)
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.APPLYING).update(
            heartbeat_at=timezone.now()
        )
        with transaction.atomic():
            _lock_imports()
            current = _plan_inputs(actor)
            if not current.same_as(inputs):
                inputs = current
                table, plan = _plan(actor=actor, job=job, mapping=job.mapping, inputs=inputs)
                _check_still_approved(job, table, plan)
            result = import_writing.write_plan(
                actor=actor, plan=plan, framework=inputs.framework, people=inputs.people, progress=progress
            )
            finished = ImportJob.objects.filter(
                pk=job_id, status=ImportJob.Status.APPLYING, started_at=job.started_at
            ).update(
                status=ImportJob.Status.APPLIED,
                result=result,
                processed_rows=len(plan.order),
                finished_at=timezone.now(),
                table={},
            )
            if finished != 1:
                raise _Abandoned
            audit_record(
                actor=actor,
                action=AuditAction.PEOPLE_IMPORT_APPLIED,
                target=job,
                fields=sorted(key for key, column in job.mapping.items() if column is not None),
            )
    except _Abandoned:
        logger.warning("people import %s was taken for abandoned while it ran; nothing was written", job_id)
    except (_PlanChanged, import_writing.PeopleChanged) as changed:
        if isinstance(changed, import_writing.PeopleChanged):
            assert actor is not None, "people are written only once the actor is known"
            table, plan = _plan(actor=actor, job=job, mapping=job.mapping)
            differences = changes_since_preview(job.preview, plan.preview(table))
        else:
            table, plan, differences = changed.table, changed.plan, changed.differences
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.PREVIEWED,
            error=_changed_message(differences),
            processed_rows=0,
            **_preview_fields(table, plan),
        )
    except import_writing.RowRefused as failure:
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


def _check_still_approved(job: ImportJob, table: Table, plan: ImportPlan) -> None:
    """Raise _PlanChanged unless `plan` does what the importer approved in the preview: the same
    outcome for every row and the same changes, old values included, so that a person changed
    meanwhile (by another import or by hand) is never overwritten unseen."""
    differences = changes_since_preview(job.preview, plan.preview(table))
    if differences:
        raise _PlanChanged(table, plan, differences)
    if plan.rejected and not job.only_valid_rows:  # the preview said otherwise: see above
        raise _PlanChanged(table, plan, [])


#: What the importer reads on a job whose worker died, by the status it died in.
_ABANDONED_MESSAGES = {
    ImportJob.Status.READING: (
        "The worker reading the file stopped without finishing (it may have been restarted or run "
        "out of memory). Nothing was stored; upload the file again."
    ),
    ImportJob.Status.CHECKING: (
        "The worker checking the file stopped without finishing (it may have been restarted or run "
        "out of memory). Nothing was changed; check the columns and preview again to retry."
    ),
    ImportJob.Status.APPLYING: (
        "The worker importing the file stopped without finishing (it may have been restarted or run "
        "out of memory), so nothing was imported. Check the columns and preview again to retry."
    ),
}


def import_jobs_fail_abandoned(*, job_id: int | None = None) -> int:
    """Mark failed, with a message, every job (or only `job_id`) that is being read, checked or
    applied but whose worker has shown no sign of life for `import_worker_timeout()`; how many were.
    The upload of a job abandoned while it was read is deleted.

    A worker that died wrote nothing: its transaction rolled back with it. The job may be
    previewed and started again (one abandoned while its file was read needs a new upload). Should the worker only have stalled and come back, it finds the
    job taken from it and rolls back (see `import_job_apply`). Nothing is locked unless a job is
    found abandoned, so a page that calls this while an import runs does not wait for it.
    """
    cutoff = timezone.now() - import_worker_timeout()
    stale = ImportJob.objects.filter(status__in=list(_ABANDONED_MESSAGES), heartbeat_at__lt=cutoff)
    if job_id is not None:
        stale = stale.filter(pk=job_id)
    marked = 0
    for key, status in list(stale.values_list("pk", "status")):
        with transaction.atomic():
            failed = ImportJob.objects.filter(pk=key, status=status, heartbeat_at__lt=cutoff).update(
                status=ImportJob.Status.FAILED,
                error=_ABANDONED_MESSAGES[ImportJob.Status(status)],
                processed_rows=0,
                finished_at=timezone.now(),
            )
            if failed and status == ImportJob.Status.READING:
                ImportUpload.objects.filter(job_id=key).delete()
        marked += failed
        logger.warning("people import %s was abandoned by its worker while %s", key, status)
    return marked


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
    lock_reporting_lines()
