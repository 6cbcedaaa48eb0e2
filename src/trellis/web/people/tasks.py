"""Background work of the people app (django-tasks; `trellis worker` runs the queue).

Tasks are enqueued when the transaction that asked for them commits (see
`people.import_services.import_job_create` and `import_job_start`), never from signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django_tasks import task

from trellis.web.people.import_services import (
    import_job_apply,
    import_job_check,
    import_job_read,
    import_jobs_fail_abandoned,
)
from trellis.web.people.models import ImportJob


@task()
def people_import_read(*, job_id: int) -> str:
    """Read the upload of a people import too large to read within the request (in a child
    process under ``UPLOAD_PARSE_LIMITS``); returns the job's status afterwards: ``mapping``, or
    ``failed`` with the refusal."""
    import_jobs_fail_abandoned()
    return str(import_job_read(job_id=job_id).status)


@task()
def people_import_check(*, job_id: int) -> str:
    """Make the dry-run preview of a large people import; returns the job's status afterwards.

    No write transaction is open while the rows are checked, so the count of rows checked is
    stored on the job as it grows, on SQLite as on PostgreSQL.
    """

    import_jobs_fail_abandoned()

    def report(checked: int) -> None:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).update(
            processed_rows=checked, heartbeat_at=timezone.now()
        )

    return str(import_job_check(job_id=job_id, progress=report).status)


@task()
def people_import_apply(*, job_id: int) -> str:
    """Apply a started people import (a large file); returns the job's status afterwards.

    Each task first marks failed the imports whose worker died (the sweep of
    `import_jobs_fail_abandoned`), so a worker restarted after a crash reports them.
    """
    import_jobs_fail_abandoned()
    with progress_outside_transaction(job_id) as progress:
        job = import_job_apply(job_id=job_id, progress=progress)
    return str(job.status)


@contextmanager
def progress_outside_transaction(job_id: int) -> Iterator[Callable[[int], None] | None]:
    """A function that stores on the job how many rows are written, visible at once to the page
    that polls it, although the import's own transaction stays open until the last row.

    It writes through a second connection of its own, committing each update, with the worker's
    heartbeat (see `ImportJob.heartbeat_at`). PostgreSQL lets
    that connection write beside the import; SQLite holds one writer at a time, and the import's
    transaction is that writer, so there the count is only stored when the import ends (the page
    shows the work as under way meanwhile) and None is given.
    """
    if connection.vendor != "postgresql":
        yield None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = ImportJob._meta.db_table
    processed_column = ImportJob._meta.get_field("processed_rows").column
    heartbeat_column = ImportJob._meta.get_field("heartbeat_at").column

    def report(processed: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET "{processed_column}" = %s, "{heartbeat_column}" = %s '
                "WHERE id = %s AND status = %s",
                [processed, timezone.now(), job_id, ImportJob.Status.APPLYING],
            )

    try:
        yield report
    finally:
        side.close()
