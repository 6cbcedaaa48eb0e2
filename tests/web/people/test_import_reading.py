"""Uploads too large to read within the request, through the real upload page and the real worker:
the job waits as "Reading the file" (its page polled with htmx), the worker reads the stored bytes
under the same limits and the job reaches its columns with the table the request would have read;
a bomb ends failed naming its limit, with nothing stored and the bytes deleted; a job whose reader
died is marked failed. Small files are still read within the request."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.import_services import (
    DEFAULT_BACKGROUND_BYTES,
    import_background_bytes,
    import_jobs_fail_abandoned,
)
from trellis.web.people.models import ImportJob, ImportUpload
from trellis.web.people.tasks import people_import_read

from .test_import_bombs import BOMBS
from .test_import_pages import html_of, upload
from .test_import_services import GOOD_ROWS, all_tables, csv_file, run_as_the_worker

pytestmark = pytest.mark.django_db

#: The tables a refused upload leaves as they were: people, teams, history and every audit event.
PEOPLE_TABLES = ("people", "teams", "history", "audit")
READING_ABANDONED = (
    "The worker reading the file stopped without finishing (it may have been restarted or run out of "
    "memory). Nothing was stored; upload the file again."
)


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    """People are placed on a published framework's levels: without one, nothing is read."""


@pytest.fixture
def hr(personas: dict[str, User]) -> User:
    return personas["hr_admin"]


def large_file() -> bytes:
    """A good export just over the documented threshold (1 MiB)."""
    rows = [
        f"N{n:05},p{n}@example.com,Pat {n},Engineer,Data,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes"
        for n in range(11_000)
    ]
    data = csv_file(*GOOD_ROWS, *rows)
    assert len(data) > 1024 * 1024
    return data


def upload_for_the_worker(
    client: Client, data: bytes, name: str, capture: Any
) -> tuple[ImportJob, DBTaskResult, Any]:
    """Upload `data`, the task enqueued as the request's transaction commits; the job, its
    queued task and the response."""
    with capture(execute=True):
        response = upload(client, data, name)
    job = ImportJob.objects.get(file_name=name)
    return job, DBTaskResult.objects.get(), response


def test_the_threshold_is_documented_at_one_mebibyte(settings: Any) -> None:
    assert settings.PEOPLE_IMPORT_BACKGROUND_BYTES == DEFAULT_BACKGROUND_BYTES == 1024 * 1024
    assert import_background_bytes() == 1024 * 1024


def test_a_large_upload_is_read_by_the_worker_into_the_table_the_request_would_read(
    login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(hr)
    data = large_file()
    before = stored()
    job, task, response = upload_for_the_worker(client, data, "big.csv", django_capture_on_commit_callbacks)
    assert response["Location"] == f"/people/import/{job.pk}/"
    assert (job.status, job.table, job.row_count, job.mapping) == (ImportJob.Status.READING, {}, 0, {})
    assert job.heartbeat_at is not None
    assert bytes(ImportUpload.objects.get(job=job).data) == data
    assert (task.task_path, task.args_kwargs) == (
        "trellis.web.people.tasks.people_import_read",
        {"args": [], "kwargs": {"job_id": job.pk}},
    )
    assert job.task_id == str(task.id)
    # Nothing is audited until the file is read: a refused file leaves no trace but its job.
    assert stored() == before

    page = html_of(client.get(f"/people/import/{job.pk}/"))
    assert "<h2>Reading the file</h2>" in page
    assert (
        f'<div id="import-status" class="card import-status" hx-get="/people/import/{job.pk}/" '
        'hx-trigger="every 1s" hx-swap="outerHTML">'
    ) in page
    assert '<li aria-current="step"><span class="steps__number">1</span> Upload</li>' in page
    partial = html_of(client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"}))
    assert partial.strip().startswith('<div id="import-status"')
    assert "<h2>Reading the file</h2>" in partial
    # Its columns wait for the worker.
    assert client.get(f"/people/import/{job.pk}/columns/")["Location"] == f"/people/import/{job.pk}/"

    run_as_the_worker(task)

    assert (task.status, task.return_value) == ("SUCCESSFUL", "mapping")
    job.refresh_from_db()
    assert ImportUpload.objects.count() == 0
    # The same file read within the request gives the same job.
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = len(data)
    upload(client, data, "big.csv")
    in_request = ImportJob.objects.exclude(pk=job.pk).get()
    assert in_request.status == ImportJob.Status.MAPPING
    assert (job.status, job.table, job.row_count, job.mapping, job.error) == (
        ImportJob.Status.MAPPING,
        in_request.table,
        11_002,
        in_request.mapping,
        "",
    )
    assert list(
        AuditEvent.objects.filter(action__startswith="people_import.", target_id=str(job.pk)).values_list(
            "actor", "action", "fields"
        )
    ) == [(hr.pk, AuditAction.PEOPLE_IMPORT_UPLOADED, ["file_name", "table"])]
    polled = client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"})
    assert (polled.status_code, polled["HX-Redirect"]) == (200, f"/people/import/{job.pk}/columns/")
    assert "big.csv" in html_of(client.get(f"/people/import/{job.pk}/columns/"))


def test_a_file_at_the_threshold_is_still_read_within_the_request(
    login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_file(*GOOD_ROWS)
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = len(data)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(login(hr), data)
    job = ImportJob.objects.get()
    assert response["Location"] == f"/people/import/{job.pk}/columns/"
    assert (job.status, job.row_count, callbacks, DBTaskResult.objects.count()) == (
        ImportJob.Status.MAPPING,
        2,
        [],
        0,
    )
    assert ImportUpload.objects.count() == 0


def stored() -> dict[str, list[tuple[object, ...]]]:
    """The rows of every table a refused upload leaves as it was."""
    tables = all_tables()
    return {key: tables[key] for key in PEOPLE_TABLES}


def assert_refused_and_nothing_stored(job: ImportJob, refusal: str, before: dict[str, Any]) -> None:
    job.refresh_from_db()
    assert (job.status, job.error, job.table, job.row_count, job.mapping, job.preview) == (
        ImportJob.Status.FAILED,
        refusal,
        {},
        0,
        {},
        [],
    )
    assert ImportUpload.objects.count() == 0
    assert stored() == before


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_each_bomb_read_by_the_worker_fails_naming_its_limit_and_stores_nothing(
    login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any, bomb: str
) -> None:
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = 0
    file_name, build, refusal = BOMBS[bomb]
    client = login(hr)
    before = stored()
    job, task, _ = upload_for_the_worker(client, build(), file_name, django_capture_on_commit_callbacks)
    run_as_the_worker(task)
    assert (task.status, task.return_value) == ("SUCCESSFUL", "failed")
    assert "(limit: " in refusal
    assert_refused_and_nothing_stored(job, refusal, before)
    page = html_of(client.get(f"/people/import/{job.pk}/"))
    assert "<h2>Stopped: the file could not be read</h2>" in page
    assert f'<p class="form-errors">{escape(refusal)}</p>' in page
    assert "hx-trigger" not in page
    assert '<a class="button" href="/people/import/">Upload a file</a>' in page
    # A file never read has no columns to check.
    assert client.get(f"/people/import/{job.pk}/columns/")["Location"] == f"/people/import/{job.pk}/"


@pytest.mark.parametrize(
    ("limits", "refusal"),
    [
        (
            {"memory_bytes": 1024 * 1024},
            "big.csv: reading the file needed more than 1 MB of memory (limit: memory)",
        ),
        ({"seconds": 0}, "big.csv: reading the file took longer than 0 seconds (limit: time)"),
    ],
)
def test_the_parse_memory_and_time_limits_hold_in_the_worker(
    login: Any,
    hr: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    limits: dict[str, float],
    refusal: str,
) -> None:
    settings.UPLOAD_PARSE_LIMITS = limits
    before = stored()
    job, task, _ = upload_for_the_worker(
        login(hr), large_file(), "big.csv", django_capture_on_commit_callbacks
    )
    run_as_the_worker(task)
    assert_refused_and_nothing_stored(job, refusal, before)


def test_an_unreadable_file_lists_every_problem_in_the_words_of_the_form(
    login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = 0
    before = stored()
    data = "Employee ID,E-mail\nNí1,a@example.com\nNñ2,b@example.com\n".encode("cp1252")
    client = login(hr)
    job, task, _ = upload_for_the_worker(client, data, "latin.csv", django_capture_on_commit_callbacks)
    run_as_the_worker(task)
    problems = [
        'the file is not UTF-8 text, and Trellis does not guess an encoding: save it as "CSV UTF-8" '
        "(or export UTF-8 from the HR system) and upload it again",
        'latin.csv, row 2, column A ("Employee ID"): byte 0xED in "N\ufffd1" is not UTF-8',
        'latin.csv, row 3, column A ("Employee ID"): byte 0xF1 in "N\ufffd2" is not UTF-8',
    ]
    assert_refused_and_nothing_stored(job, "\n".join(problems), before)
    assert "<br>".join(escape(problem) for problem in problems) in html_of(
        client.get(f"/people/import/{job.pk}/")
    )
    # The upload form refuses the same file in the same words.
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = len(data)
    assert upload(client, data, "latin.csv").context["form"].errors["file"] == problems
    assert ImportJob.objects.count() == 1


def test_a_task_delivered_twice_reads_once(
    login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = 0
    job, task, _ = upload_for_the_worker(
        login(hr), csv_file(*GOOD_ROWS), "people.csv", django_capture_on_commit_callbacks
    )
    run_as_the_worker(task)
    before = all_tables()
    jobs_before = list(ImportJob.objects.values_list())
    assert people_import_read.call(job_id=job.pk) == "mapping"
    assert all_tables() == before
    assert list(ImportJob.objects.values_list()) == jobs_before


def test_an_uploader_who_no_longer_exists_stores_nothing(
    login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = 0
    before = stored()
    job, task, _ = upload_for_the_worker(
        login(hr), csv_file(*GOOD_ROWS), "people.csv", django_capture_on_commit_callbacks
    )
    ImportJob.objects.filter(pk=job.pk).update(created_by=None)
    run_as_the_worker(task)
    assert_refused_and_nothing_stored(
        job, "The account that uploaded the file may no longer import people.", before
    )


class TestAbandonedReading:
    def test_the_job_page_marks_an_abandoned_reading_failed_and_deletes_the_upload(
        self, login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        settings.PEOPLE_IMPORT_BACKGROUND_BYTES = 0
        settings.PEOPLE_IMPORT_WORKER_TIMEOUT = 60
        client = login(hr)
        before = stored()
        job, task, _ = upload_for_the_worker(
            client, csv_file(*GOOD_ROWS), "people.csv", django_capture_on_commit_callbacks
        )
        ImportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - datetime.timedelta(seconds=61)
        )
        page = html_of(client.get(f"/people/import/{job.pk}/"))
        assert "<h2>Stopped: the file could not be read</h2>" in page
        assert_refused_and_nothing_stored(job, READING_ABANDONED, before)
        # Should its worker come back, it finds the job taken and reads nothing.
        run_as_the_worker(task)
        assert task.return_value == "failed"
        assert_refused_and_nothing_stored(job, READING_ABANDONED, before)
        # The import is discarded as any failed one.
        client.post(f"/people/import/{job.pk}/discard/")
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DISCARDED

    def test_a_reading_within_the_timeout_is_left_alone(
        self, login: Any, hr: User, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        settings.PEOPLE_IMPORT_BACKGROUND_BYTES = 0
        settings.PEOPLE_IMPORT_WORKER_TIMEOUT = 60
        job, _, _ = upload_for_the_worker(
            login(hr), csv_file(*GOOD_ROWS), "people.csv", django_capture_on_commit_callbacks
        )
        ImportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - datetime.timedelta(seconds=59)
        )
        assert import_jobs_fail_abandoned() == 0
        job.refresh_from_db()
        assert (job.status, ImportUpload.objects.count()) == (ImportJob.Status.READING, 1)
