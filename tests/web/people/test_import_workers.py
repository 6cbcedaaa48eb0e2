"""Imports whose worker died: a job checking or applying whose worker has shown no sign of life for
the timeout is marked failed with a message (by its page and by the next task a worker runs) and
can be started again; a worker killed mid-import (a real process, SIGKILL) leaves every table as
it was, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people import import_writing
from trellis.web.people.import_services import (
    import_job_apply,
    import_job_check,
    import_job_preview,
    import_job_start,
    import_jobs_fail_abandoned,
)
from trellis.web.people.models import ImportJob, Person
from trellis.web.people.tasks import people_import_apply

from ..subprocesses import child_environment
from .test_import_services import GOOD_ROWS, csv_file, people_tables, previewed, queued

APPLYING_ABANDONED = (
    "The worker importing the file stopped without finishing (it may have been restarted or run out "
    "of memory), so nothing was imported. Check the columns and preview again to retry."
)
CHECKING_ABANDONED = (
    "The worker checking the file stopped without finishing (it may have been restarted or run out "
    "of memory). Nothing was changed; check the columns and preview again to retry."
)


@pytest.fixture
def org(personas: dict[str, User], published_framework: FrameworkVersion) -> dict[str, User]:
    return personas


def claimed_by_a_worker_that_died(job: ImportJob, *, seconds_ago: float) -> ImportJob:
    """`job` as a worker leaves it when it dies right after claiming it."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.APPLYING,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )
    job.refresh_from_db()
    return job


@pytest.mark.django_db
class TestAbandonedJobs:
    def test_the_job_page_marks_an_abandoned_import_failed_and_it_can_be_retried(
        self, org: dict[str, User], settings: Any, login: Any
    ) -> None:
        hr = org["hr_admin"]
        settings.PEOPLE_IMPORT_WORKER_TIMEOUT = 60
        job = claimed_by_a_worker_that_died(queued(hr, csv_file(*GOOD_ROWS), settings), seconds_ago=61)
        before = people_tables()
        page = login(hr).get(f"/people/import/{job.pk}/")
        assert page.status_code == 200
        assert "Stopped: nothing was imported" in page.content.decode()
        job.refresh_from_db()
        assert (job.status, job.error) == (ImportJob.Status.FAILED, APPLYING_ABANDONED)
        assert people_tables() == before
        # Retried as any failed import is: preview again, then start.
        job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
        job = import_job_check(job_id=job.pk)
        job = import_job_start(actor=hr, job=job)
        assert import_job_apply(job_id=job.pk).status == ImportJob.Status.APPLIED
        assert Person.objects.get(employee_id="N020").full_name == "Nia New"

    def test_a_worker_within_the_timeout_is_left_alone(self, org: dict[str, User], settings: Any) -> None:
        settings.PEOPLE_IMPORT_WORKER_TIMEOUT = 60
        job = claimed_by_a_worker_that_died(
            queued(org["hr_admin"], csv_file(*GOOD_ROWS), settings), seconds_ago=59
        )
        assert import_jobs_fail_abandoned() == 0
        job.refresh_from_db()
        assert (job.status, job.error) == (ImportJob.Status.APPLYING, "")

    def test_a_check_whose_worker_died(self, org: dict[str, User], settings: Any) -> None:
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
        settings.PEOPLE_IMPORT_WORKER_TIMEOUT = 60
        hr = org["hr_admin"]
        job = previewed(hr, csv_file(*GOOD_ROWS))
        assert (job.status, job.heartbeat_at is not None) == (ImportJob.Status.CHECKING, True)
        ImportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        assert import_jobs_fail_abandoned(job_id=job.pk) == 1
        job.refresh_from_db()
        assert (job.status, job.error, job.preview) == (ImportJob.Status.FAILED, CHECKING_ABANDONED, [])

    def test_the_next_task_a_worker_runs_sweeps_abandoned_imports(
        self, org: dict[str, User], settings: Any
    ) -> None:
        hr = org["hr_admin"]
        settings.PEOPLE_IMPORT_WORKER_TIMEOUT = 60
        dead = claimed_by_a_worker_that_died(queued(hr, csv_file(*GOOD_ROWS), settings), seconds_ago=600)
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 200
        live_rows = [
            f"N07{n},t{n}@example.com,Tam {n},,,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes"
            for n in range(2)
        ]
        job = queued(hr, csv_file(*live_rows), settings)
        assert people_import_apply.call(job_id=job.pk) == "applied"
        dead.refresh_from_db()
        assert (dead.status, dead.error) == (ImportJob.Status.FAILED, APPLYING_ABANDONED)
        assert not Person.objects.filter(employee_id="N020").exists()
        assert Person.objects.filter(employee_id__startswith="N07").count() == 2

    def test_a_worker_that_comes_back_after_its_job_was_taken_writes_nothing(
        self, org: dict[str, User], settings: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        hr = org["hr_admin"]
        job = queued(hr, csv_file(*GOOD_ROWS), settings)
        original = import_writing.write_chunk

        def stalled_then_restarted(state: Any, rows: Any) -> None:
            original(state, rows)
            # Meanwhile the job was taken for abandoned and started again by the importer.
            ImportJob.objects.filter(pk=job.pk).update(
                started_at=timezone.now() + datetime.timedelta(hours=1)
            )

        monkeypatch.setattr(import_writing, "write_chunk", stalled_then_restarted)
        before = people_tables()
        job = import_job_apply(job_id=job.pk)
        assert people_tables() == before
        assert job.status == ImportJob.Status.APPLYING  # as the rolled-back transaction left it


# ---- A worker process killed mid-import ----------------------------------------------------------

_SETUP = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import connection
if connection.vendor == "sqlite":
    call_command("migrate", verbosity=0)
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps
from trellis.web.accounts.models import User
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.import_services import import_job_create, import_job_preview, import_job_start
hr = User.objects.create_user("hr@example.com", "a long password", full_name="Hana HR", is_hr_admin=True)
framework_draft_save(actor=hr, yaml_text=dumps(starter(["engineering"], "growth")), expected_revision=None)
framework_publish(actor=hr)
settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 10**6
for data in (sys.argv[1], sys.argv[2]):
    job = import_job_create(actor=hr, file_name="people.csv", data=data.encode())
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
    if data == sys.argv[2]:
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
    job = import_job_start(actor=hr, job=job)
print(json.dumps({"job": job.pk, "status": job.status}))
"""

_KILLED = r"""
import sys, time
from pathlib import Path
import django
django.setup()
from trellis.web.people import import_writing
from trellis.web.people.import_services import import_job_apply
original, chunks = import_writing.write_chunk, []
def write_then_hang(state, rows):
    original(state, rows)
    chunks.append(len(rows))
    if len(chunks) == 3:
        Path(sys.argv[2]).write_text(str(sum(chunks)))
        time.sleep(600)  # killed here, in the middle of the write transaction
import_writing.write_chunk = write_then_hang
import_job_apply(job_id=int(sys.argv[1]))
"""

_TABLES = r"""
import json
import django
django.setup()
from trellis.web.audit.models import AuditEvent
from trellis.web.people.models import ImportJob, Person, PersonChange, Team
print(json.dumps({
    "people": list(Person.objects.order_by("pk").values_list()),
    "teams": list(Team.objects.order_by("pk").values_list()),
    "history": list(PersonChange.objects.order_by("pk").values_list()),
    "audit": list(AuditEvent.objects.exclude(action__startswith="people_import.").order_by("pk").values_list()),
    "jobs": list(ImportJob.objects.order_by("pk").values_list("status", "error")),
}, default=str))
"""

_RECOVER = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from trellis.web.people.import_services import import_job_apply, import_job_preview, import_job_start, import_jobs_fail_abandoned
from trellis.web.people.models import ImportJob
settings.PEOPLE_IMPORT_WORKER_TIMEOUT = 0
marked = import_jobs_fail_abandoned()
job = ImportJob.objects.select_related("started_by").get(pk=int(sys.argv[1]))
failed = [job.status, job.error]
settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 10**6
job = import_job_preview(actor=job.started_by, job=job, mapping=job.mapping)
job = import_job_start(actor=job.started_by, job=job)
print(json.dumps({"marked": marked, "failed": failed, "retried": [job.status, job.result]}))
"""

EXISTING = [
    f"K{n:03d},k{n}@example.com,Kim {n},Engineer,Team {n % 3},engineering,ic,IC2,2024-01-01,{'' if n == 0 else 'K000'},2023-01-01,yes"
    for n in range(20)
]
#: 20 updates (a level and a manager each) and 280 new people: chunks of three rows.
KILLED_IMPORT = [
    f"K{n:03d},k{n}@example.com,Kim {n},Engineer,Team {n % 3},engineering,ic,IC3,2025-01-01,{'' if n == 0 else 'K001' if n > 1 else 'K000'},2023-01-01,yes"
    for n in range(20)
] + [
    f"N{n:03d},n{n}@example.com,Noa {n},Engineer,New team {n % 7},engineering,ic,IC1,2025-01-01,K{n % 20:03d},2024-06-01,yes"
    for n in range(280)
]


def _database_url() -> str:
    """The test database, as a child process names it (PostgreSQL only)."""
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def _environment(tmp_path: Path) -> dict[str, str]:
    if connection.vendor == "postgresql":
        return child_environment(tmp_path, DATABASE_URL=_database_url())
    return child_environment(tmp_path)


def _python(environment: dict[str, str], code: str, *arguments: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_every_table_as_it_was(tmp_path: Path) -> None:
    environment = _environment(tmp_path)
    header = "Employee ID,E-mail,Full name,Job title,Team,Job family,Track,Level,At this level since,Manager,Hired on,Active"
    existing = "\n".join([header, *EXISTING]) + "\n"
    killed_file = "\n".join([header, *KILLED_IMPORT]) + "\n"
    job = _python(environment, _SETUP, existing, killed_file)
    assert job["status"] == "queued"
    before = _python(environment, _TABLES)

    marker = tmp_path / "three-chunks-written"
    worker = subprocess.Popen(
        [sys.executable, "-c", _KILLED, str(job["job"]), str(marker)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (marker.exists() and marker.read_text()):  # written, not only created
            assert worker.poll() is None, worker.communicate()[1]
            assert time.monotonic() < deadline, "the worker never wrote its third chunk"
            time.sleep(0.05)
        assert marker.read_text() == "9"  # 300 rows in chunks of three: three chunks are written
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    after = _python(environment, _TABLES)
    assert after["jobs"][-1] == ["applying", ""]
    assert {key: value for key, value in after.items() if key != "jobs"} == {
        key: value for key, value in before.items() if key != "jobs"
    }

    recovered = _python(environment, _RECOVER, str(job["job"]))
    assert recovered["marked"] == 1
    assert recovered["failed"] == ["failed", APPLYING_ABANDONED]
    assert recovered["retried"] == [
        "applied",
        {"created": 280, "updated": 20, "unchanged": 0, "rejected": 0, "teams_created": 7},
    ]


def test_the_killed_import_is_written_in_chunks_of_three() -> None:
    assert import_writing.chunk_size(len(KILLED_IMPORT)) == 3
