"""Importing people through the services, on SQLite and PostgreSQL: bad files store nothing, "only
the valid rows" imports exactly those, updates write history, a fault mid-import leaves every table
as it was, the background path reports progress, and only HR may import."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people import import_writing, services
from trellis.web.people.import_services import (
    import_job_apply,
    import_job_check,
    import_job_create,
    import_job_discard,
    import_job_preview,
    import_job_start,
)
from trellis.web.people.models import ImportJob, Person, PersonChange, Team
from trellis.web.people.tasks import people_import_apply, people_import_check

pytestmark = pytest.mark.django_db

HEADER = "Employee ID,E-mail,Full name,Job title,Team,Job family,Track,Level,At this level since,Manager,Hired on,Active"

#: One row for each reason the issue names (the encoding is a file's, tested on its own).
BAD_ROWS = [
    "N010,ulla@example.com,Ulla Unknown,Engineer,Data,engineering,ic,IC2,2025-01-06,E999,2024-05-01,yes",
    "N011,cyd@example.com,Cyd Circle,Engineer,Data,engineering,ic,IC2,2025-01-06,N012,2024-05-01,yes",
    "N012,cyra@example.com,Cyra Circle,Engineer,Data,engineering,ic,IC2,2025-01-06,N011,2024-05-01,yes",
    "N013,dee@example.com,Dee Duplicate,Engineer,Data,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes",
    "N013,dan@example.com,Dan Duplicate,Engineer,Data,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes",
    "N014,lev@example.com,Lev Level,Engineer,Data,engineering,ic,IC9,2025-01-06,E002,2024-05-01,yes",
    'N015,fay@example.com,Fay Formula,"=HYPERLINK(""http://x"")",Data,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes',
]
#: The reasons, row by row, exactly as the preview shows them.
BAD_ROW_PROBLEMS = {
    2: [['column J ("Manager")', 'the manager "E999" is neither in the file nor among the people in Trellis']],
    3: [['column J ("Manager")', "the reporting line would go round in a circle: Cyd Circle (N011) → Cyra Circle (N012) → Cyd Circle (N011)"]],
    4: [['column J ("Manager")', "the reporting line would go round in a circle: Cyd Circle (N011) → Cyra Circle (N012) → Cyd Circle (N011)"]],
    5: [['column A ("Employee ID")', "the employee ID N013 is also on row 6; each person may appear once"]],
    6: [['column A ("Employee ID")', "the employee ID N013 is also on row 5; each person may appear once"]],
    7: [['column H ("Level")', '"IC9" is not a level of Engineering · Individual contributor (levels: IC1, IC2, IC3, IC4, IC5, IC6); did you mean "IC6"?']],
    8: [['column D ("Job title")', 'starts with "=", which spreadsheets run as a formula; such text is never imported (remove the leading "=")']],
}  # fmt: skip
#: Valid rows: a new person, an update of Emi (level and manager), and a report of a rejected row.
GOOD_ROWS = [
    "N020,nia@example.com,Nia New,Engineer,Data,engineering,ic,IC3,2025-01-06,E002,2024-05-01,yes",
    "E003,employee@example.com,Emi Employee,IC3 engineer,Platform,engineering,ic,IC3,2025-06-01,E004,2022-09-01,yes",
]
DEPENDENT_ROW = (
    "N021,rob@example.com,Rob Report,Engineer,Data,engineering,ic,IC1,2025-01-06,N014,2024-05-01,yes"
)


def csv_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def people_tables() -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import writes to, except the import's own job and its events."""
    return {
        "people": list(Person.objects.order_by("pk").values_list()),
        "teams": list(Team.objects.order_by("pk").values_list()),
        "history": list(PersonChange.objects.order_by("pk").values_list()),
        "audit": list(
            AuditEvent.objects.exclude(action__startswith="people_import.").order_by("pk").values_list()
        ),
    }


def all_tables() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table an import touches, its audit events included."""
    return {
        **people_tables(),
        "audit": list(AuditEvent.objects.order_by("pk").values_list()),
        "tasks": list(DBTaskResult.objects.order_by("pk").values_list("id", "status")),
    }


def previewed(actor: User, data: bytes, name: str = "people.csv") -> ImportJob:
    job = import_job_create(actor=actor, file_name=name, data=data)
    return import_job_preview(actor=actor, job=job, mapping=job.mapping)


def queued(actor: User, data: bytes, settings: Any) -> ImportJob:
    """A job previewed at once, then started as a large file is: queued for a worker (the commit
    that would enqueue it never comes inside a test's transaction)."""
    job = previewed(actor, data)
    settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
    job = import_job_start(actor=actor, job=job)
    assert job.status == ImportJob.Status.QUEUED
    return job


@pytest.fixture
def org(personas: dict[str, User], published_framework: FrameworkVersion) -> dict[str, User]:
    return personas


class TestBadFiles:
    def test_bad_rows_are_reported_row_by_row_and_nothing_is_stored(self, org: dict[str, User]) -> None:
        hr = org["hr_admin"]
        before = people_tables()
        job = previewed(hr, csv_file(*BAD_ROWS))
        assert {entry["number"]: entry["problems"] for entry in job.preview} == BAD_ROW_PROBLEMS
        assert {entry["outcome"] for entry in job.preview} == {"reject"}
        assert job.summary == {"create": 0, "update": 0, "unchanged": 0, "reject": 7, "new_teams": []}
        with pytest.raises(ValidationError) as refused:
            import_job_start(actor=hr, job=job)
        assert refused.value.messages == [
            "7 rows of the file are rejected, so nothing is imported; fix the file and upload it again, or "
            "choose to import only the valid rows"
        ]
        job.refresh_from_db()
        assert job.status == ImportJob.Status.PREVIEWED
        assert people_tables() == before
        assert "HYPERLINK" not in str(ImportJob.objects.values_list("table", "preview").get())

    def test_a_file_in_another_encoding_is_refused_whole_and_nothing_is_stored(
        self, org: dict[str, User]
    ) -> None:
        before = all_tables()
        data = csv_file(*GOOD_ROWS).replace(b"Nia New", "Nía Nuñez".encode("cp1252"))
        with pytest.raises(ValidationError) as refused:
            import_job_create(actor=org["hr_admin"], file_name="people.csv", data=data)
        assert refused.value.message_dict == {
            "file": [
                'the file is not UTF-8 text, and Trellis does not guess an encoding: save it as "CSV UTF-8" '
                "(or export UTF-8 from the HR system) and upload it again",
                'people.csv, row 2, column C ("Full name"): byte 0xED in "N\ufffda Nu\ufffdez" is not UTF-8',
            ]
        }
        assert all_tables() == before
        assert ImportJob.objects.count() == 0

    def test_no_import_before_a_framework_is_published(self, personas: dict[str, User]) -> None:
        with pytest.raises(ValidationError) as refused:
            import_job_create(actor=personas["hr_admin"], file_name="p.csv", data=csv_file(*GOOD_ROWS))
        assert refused.value.message_dict == {
            "file": ["publish a framework first: people are placed on its levels"]
        }
        assert ImportJob.objects.count() == 0


class TestApply:
    def test_an_excel_export(self, org: dict[str, User]) -> None:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(
            [
                "Worker ID",
                "Legal Name",
                "Work Email",
                "Job Family",
                "Job Level",
                "Hire Date",
                "Manager ID",
                "Title",
            ]
        )
        sheet.append(
            [
                7001,
                "Xia Xu",
                "xia@example.com",
                "Engineering",
                "IC2",
                datetime.datetime(2024, 5, 1),
                "E002",
                "Engineer",
            ]
        )
        sheet.append(
            [
                7002,
                "Yan Yu",
                "yan@example.com",
                "Engineering",
                "IC2",
                datetime.datetime(2024, 5, 1),
                "E002",
                "=A3",
            ]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        hr = org["hr_admin"]
        job = previewed(hr, buffer.getvalue(), name="export.xlsx")
        assert [(e["number"], e["outcome"], e["problems"]) for e in job.preview] == [
            (2, "create", []),
            (3, "reject", [['column H ("Title")', "holds a spreadsheet formula; Trellis imports values only (paste the values instead)"]]),
        ]  # fmt: skip
        job = import_job_start(actor=hr, job=job, only_valid_rows=True)
        xia = Person.objects.select_related("manager").get(employee_id="7001")
        assert (xia.full_name, xia.level_code, xia.level_since, xia.hired_on, xia.manager.employee_id) == (  # type: ignore[union-attr]
            "Xia Xu", "IC2", datetime.date(2024, 5, 1), datetime.date(2024, 5, 1), "E002",
        )  # fmt: skip
        assert not Person.objects.filter(employee_id="7002").exists()

    def test_everything_valid_is_imported_with_history_and_audit(self, org: dict[str, User]) -> None:
        hr = org["hr_admin"]
        job = previewed(hr, csv_file(*GOOD_ROWS))
        assert [(e["number"], e["outcome"]) for e in job.preview] == [(2, "create"), (3, "update")]
        assert job.preview[1]["changes"] == [
            ["title", "IC2 engineer", "IC3 engineer"],
            ["level_code", "IC2", "IC3"],
            ["level_since", "2024-03-01", "2025-06-01"],
            ["manager", "Mo Manager (E002)", "Otto Other (E004)"],
        ]
        job = import_job_start(actor=hr, job=job)
        assert job.status == ImportJob.Status.APPLIED
        assert job.result == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 0, "teams_created": 1}
        assert job.table == {}
        nia = Person.objects.select_related("team", "manager").get(employee_id="N020")
        assert (nia.email, nia.full_name, nia.title, nia.team.name, nia.manager.employee_id) == (  # type: ignore[union-attr]
            "nia@example.com", "Nia New", "Engineer", "Data", "E002",
        )  # fmt: skip
        assert (nia.family_id, nia.track_id, nia.level_code) == ("engineering", "ic", "IC3")
        assert (nia.level_since, nia.hired_on, nia.is_active) == (
            datetime.date(2025, 1, 6),
            datetime.date(2024, 5, 1),
            True,
        )
        emi = Person.objects.select_related("manager").get(employee_id="E003")
        assert (emi.title, emi.level_code, emi.level_since, emi.manager.employee_id) == (  # type: ignore[union-attr]
            "IC3 engineer", "IC3", datetime.date(2025, 6, 1), "E004",
        )  # fmt: skip
        assert list(PersonChange.objects.order_by("kind").values_list("person__employee_id", "kind", "old_value", "new_value", "changed_by")) == [
            ("E003", "level", "engineering/ic/IC2", "engineering/ic/IC3", hr.pk),
            ("E003", "manager", "E002", "E004", hr.pk),
        ]  # fmt: skip
        events = list(
            AuditEvent.objects.exclude(action__startswith="framework.")
            .order_by("pk")
            .values_list("action", "fields", "actor")
        )
        assert events == [
            ("people_import.uploaded", ["file_name", "table"], hr.pk),
            ("people_import.previewed", ["date_format", "mapping"], hr.pk),
            ("people_import.started", ["only_valid_rows"], hr.pk),
            ("team.created", ["name"], hr.pk),
            ("person.created", ["email", "employee_id", "family_id", "full_name", "hired_on", "level_code", "level_since", "manager", "team", "title", "track_id"], hr.pk),
            ("person.updated", ["level_code", "level_since", "title"], hr.pk),
            ("person.manager_changed", ["manager"], hr.pk),
            ("people_import.applied", ["email", "employee_id", "family_id", "full_name", "hired_on", "is_active", "level_code", "level_since", "manager", "team", "title", "track_id"], hr.pk),
        ]  # fmt: skip

    def test_only_the_valid_rows_imports_exactly_those(self, org: dict[str, User]) -> None:
        hr = org["hr_admin"]
        people_before = set(Person.objects.values_list("employee_id", flat=True))
        job = previewed(hr, csv_file(*BAD_ROWS, *GOOD_ROWS, DEPENDENT_ROW))
        assert job.preview[-1]["problems"] == [
            ['column J ("Manager")', "the manager N014 is on row 7, which is rejected"]
        ]
        assert job.summary == {"create": 1, "update": 1, "unchanged": 0, "reject": 8, "new_teams": ["Data"]}
        job = import_job_start(actor=hr, job=job, only_valid_rows=True)
        assert job.status == ImportJob.Status.APPLIED
        assert job.result == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 8, "teams_created": 1}
        assert set(Person.objects.values_list("employee_id", flat=True)) == people_before | {"N020"}
        assert Person.objects.get(employee_id="E003").level_code == "IC3"
        assert "HYPERLINK" not in str(list(Person.objects.values_list()))

    def test_an_unchanged_file_writes_nothing(self, org: dict[str, User]) -> None:
        hr = org["hr_admin"]
        job = previewed(hr, b"Employee ID,Full name\nE003,Emi Employee\nE002,Mo Manager\n")
        assert job.summary["unchanged"] == 2
        before = people_tables()
        job = import_job_start(actor=hr, job=job)
        assert job.status == ImportJob.Status.APPLIED
        assert people_tables() == before

    def test_a_file_is_applied_once(self, org: dict[str, User]) -> None:
        hr = org["hr_admin"]
        job = previewed(hr, csv_file(GOOD_ROWS[0]))
        stale = ImportJob.objects.get(pk=job.pk)
        import_job_start(actor=hr, job=job)
        with pytest.raises(ValidationError, match="this import has already been started"):
            import_job_start(actor=hr, job=stale)
        assert Person.objects.filter(employee_id="N020").count() == 1

    def test_people_changed_since_the_preview(self, org: dict[str, User]) -> None:
        hr = org["hr_admin"]
        job = previewed(hr, csv_file(GOOD_ROWS[1]))
        services.person_update(actor=hr, person=Person.objects.get(employee_id="E003"), title="IC3 engineer")
        before = people_tables()
        job = import_job_start(actor=hr, job=job)
        assert job.status == ImportJob.Status.PREVIEWED
        assert job.error == (
            "People changed since this preview was made, so nothing was imported: Emi Employee (E003)'s "
            "job title is now IC3 engineer. Here is the preview made anew: check it and import again."
        )
        assert [change[0] for change in job.preview[0]["changes"]] == ["level_code", "level_since", "manager"]
        assert people_tables() == before

    def test_discard(self, org: dict[str, User]) -> None:
        hr = org["hr_admin"]
        job = import_job_discard(actor=hr, job=previewed(hr, csv_file(*GOOD_ROWS)))
        assert (job.status, job.table) == (ImportJob.Status.DISCARDED, {})
        with pytest.raises(ValidationError):
            import_job_start(actor=hr, job=job)


class TestFaultMidImport:
    """A fault on the third row rolls back the first two: every table is exactly as it was before
    the worker started (the job itself records the failure)."""

    ROWS = tuple(
        f"N03{n},p{n}@example.com,Pat {n},Engineer,Team {n},engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes"
        for n in range(5)
    )

    @pytest.fixture
    def job(self, org: dict[str, User], settings: Any) -> ImportJob:
        return queued(org["hr_admin"], csv_file(*self.ROWS), settings)

    def test_an_unexpected_error(
        self, job: ImportJob, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        original = import_writing.write_chunk
        calls = []

        def failing_on_the_third(state: Any, rows: Any) -> None:
            calls.append([row.employee_id for row in rows])
            original(state, rows)
            if len(calls) == 3:
                raise RuntimeError("the disk is full")

        monkeypatch.setattr(import_writing, "write_chunk", failing_on_the_third)
        before = all_tables()
        job = import_job_apply(job_id=job.pk)
        # Five rows are written a row per chunk; the third chunk was written, then the fault.
        assert calls == [["N030"], ["N031"], ["N032"]]
        assert all_tables() == before
        assert job.status == ImportJob.Status.FAILED
        assert job.error == (
            "An unexpected error stopped the import at row 4, so nothing was imported. It has been "
            "logged; try again, or ask IT to look at the server log."
        )
        assert [record.getMessage() for record in caplog.records] == [
            f"people import {job.pk} stopped at row 4"
        ]

    def test_a_check_refusing_a_row(self, job: ImportJob, monkeypatch: pytest.MonkeyPatch) -> None:
        original = import_writing.level_problems
        calls = []

        def refusing_the_third(framework: Any, **place: str) -> dict[str, str]:
            calls.append(place)
            if len(calls) == 3:
                return {"level_code": "this level was withdrawn"}
            return original(framework, **place)

        monkeypatch.setattr(import_writing, "level_problems", refusing_the_third)
        before = all_tables()
        job = import_job_apply(job_id=job.pk)
        assert all_tables() == before
        assert (job.status, job.error) == (
            ImportJob.Status.FAILED,
            "Row 4: level_code: this level was withdrawn. Nothing was imported.",
        )
        # The importer may preview again and retry.
        hr = job.started_by
        assert hr is not None
        job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
        job = import_job_check(job_id=job.pk)  # as large files are, by a worker
        monkeypatch.setattr(import_writing, "level_problems", original)
        job = import_job_start(actor=hr, job=job)
        assert import_job_apply(job_id=job.pk).status == ImportJob.Status.APPLIED
        assert Person.objects.filter(employee_id__startswith="N03").count() == 5


class TestBackground:
    def test_a_large_file_is_enqueued_on_commit_and_run_by_the_worker(
        self, org: dict[str, User], settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        hr = org["hr_admin"]
        job = previewed(hr, csv_file(*GOOD_ROWS))
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            job = import_job_start(actor=hr, job=job)
            assert DBTaskResult.objects.count() == 0  # not before the commit
        assert len(callbacks) == 1
        job.refresh_from_db()
        assert (job.status, job.rows_to_apply, job.processed_rows) == (ImportJob.Status.QUEUED, 2, 0)
        queued_apply = DBTaskResult.objects.get()
        assert (queued_apply.task_path, queued_apply.args_kwargs) == (
            "trellis.web.people.tasks.people_import_apply",
            {"args": [], "kwargs": {"job_id": job.pk}},
        )
        assert job.task_id == str(queued_apply.id)
        assert not Person.objects.filter(employee_id="N020").exists()

        run_as_the_worker(queued_apply)

        assert (queued_apply.status, queued_apply.return_value) == ("SUCCESSFUL", "applied")
        job.refresh_from_db()
        assert (job.status, job.processed_rows, job.percent_done) == (ImportJob.Status.APPLIED, 2, 100)
        assert job.result == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 0, "teams_created": 1}
        assert Person.objects.get(employee_id="N020").full_name == "Nia New"

    def test_progress_is_reported_as_rows_are_written(self, org: dict[str, User], settings: Any) -> None:
        rows = [
            f"N04{n},q{n}@example.com,Quinn {n},,,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes"
            for n in range(5)
        ]
        job = queued(org["hr_admin"], csv_file(*rows), settings)
        reported: list[int] = []
        job = import_job_apply(job_id=job.pk, progress=reported.append)
        assert reported == [1, 2, 3, 4, 5]
        assert (job.status, job.processed_rows) == (ImportJob.Status.APPLIED, 5)

    def test_a_job_is_applied_once_even_if_the_task_comes_twice(
        self, org: dict[str, User], settings: Any
    ) -> None:
        job = queued(org["hr_admin"], csv_file(*GOOD_ROWS), settings)
        assert people_import_apply.call(job_id=job.pk) == "applied"
        before = all_tables()
        assert people_import_apply.call(job_id=job.pk) == "applied"
        assert all_tables() == before


def run_as_the_worker(queued_task: DBTaskResult) -> None:
    queued_task.claim("test-worker")
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=1, worker_id="test-worker", excluded_queue_names=[],
    ).run_task(queued_task)  # fmt: skip
    queued_task.refresh_from_db()


class TestBackgroundCheck:
    def test_a_large_file_is_checked_by_the_worker(
        self, org: dict[str, User], settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
        hr = org["hr_admin"]
        job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(*BAD_ROWS, *GOOD_ROWS))
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
            assert DBTaskResult.objects.count() == 0  # not before the commit
        assert (job.status, job.preview, job.checked_by) == (ImportJob.Status.CHECKING, [], hr)
        queued_check = DBTaskResult.objects.get()
        assert (queued_check.task_path, queued_check.args_kwargs) == (
            "trellis.web.people.tasks.people_import_check",
            {"args": [], "kwargs": {"job_id": job.pk}},
        )
        job.refresh_from_db()
        assert job.task_id == str(queued_check.id)

        run_as_the_worker(queued_check)

        assert (queued_check.status, queued_check.return_value) == ("SUCCESSFUL", "previewed")
        job.refresh_from_db()
        assert (job.status, job.processed_rows, job.rows_to_apply) == (ImportJob.Status.PREVIEWED, 9, 2)
        assert {e["number"]: e["problems"] for e in job.preview if e["problems"]} == BAD_ROW_PROBLEMS
        assert job.summary == {"create": 1, "update": 1, "unchanged": 0, "reject": 7, "new_teams": ["Data"]}

    def test_rows_checked_are_counted_as_the_check_goes(self, org: dict[str, User], settings: Any) -> None:
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
        hr = org["hr_admin"]
        rows = [
            f"N06{n},s{n}@example.com,Sam {n},,,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes"
            for n in range(4)
        ]
        job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(*rows))
        job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
        stored: list[int] = []

        def report(checked: int) -> None:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=checked)
            stored.append(ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job.pk))

        job = import_job_check(job_id=job.pk, progress=report)
        assert stored == [1, 2, 3, 4]
        assert (job.status, job.processed_rows, job.percent_done) == (ImportJob.Status.PREVIEWED, 4, 100)

    def test_a_check_for_someone_who_may_no_longer_import(self, org: dict[str, User], settings: Any) -> None:
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
        hr = org["hr_admin"]
        job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(*GOOD_ROWS))
        job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
        User.objects.filter(pk=hr.pk).update(is_hr_admin=False)
        assert people_import_check.call(job_id=job.pk) == "failed"
        job.refresh_from_db()
        assert (job.error, job.preview) == (
            "The account that asked for the preview may no longer import people.",
            [],
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite holds one writer at a time: progress is stored at the end",
)
def test_progress_is_visible_to_other_connections_while_the_import_runs(
    personas: dict[str, User],
    published_framework: FrameworkVersion,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [
        f"N05{n},r{n}@example.com,Remy {n},,,engineering,ic,IC2,2025-01-06,E002,2024-05-01,yes"
        for n in range(4)
    ]
    job = queued(personas["hr_admin"], csv_file(*rows), settings)
    original = import_writing.write_chunk
    seen: list[tuple[str, int]] = []

    def looking_from_outside(state: Any, rows: Any) -> None:
        if rows[0].employee_id == "N053":
            reader = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with reader.cursor() as cursor:
                    cursor.execute(
                        "SELECT status, processed_rows FROM people_importjob WHERE id = %s", [job.pk]
                    )
                    seen.append(cursor.fetchone())
                    cursor.execute("SELECT count(*) FROM people_person WHERE employee_id LIKE 'N05%%'")
                    seen.append(("people", cursor.fetchone()[0]))
            finally:
                reader.close()
        original(state, rows)

    monkeypatch.setattr(import_writing, "write_chunk", looking_from_outside)
    assert people_import_apply.call(job_id=job.pk) == "applied"
    # Three rows written and reported, none of them visible yet: the import is one transaction.
    assert seen == [("applying", 3), ("people", 0)]
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportJob.Status.APPLIED, 4)


class TestOnlyHr:
    @pytest.mark.parametrize(
        "persona",
        ["employee", "manager", "skip_level_manager", "other_manager", "coauthor", "it_admin", "outsider"],
    )
    def test_nobody_else_may_import(self, org: dict[str, User], persona: str) -> None:
        hr, actor = org["hr_admin"], org[persona]
        job = previewed(hr, csv_file(*GOOD_ROWS))
        before = all_tables()
        jobs_before = list(ImportJob.objects.values_list())
        for attempt in (
            lambda: import_job_create(actor=actor, file_name="p.csv", data=csv_file(*GOOD_ROWS)),
            lambda: import_job_preview(actor=actor, job=job, mapping=job.mapping),
            lambda: import_job_start(actor=actor, job=job),
            lambda: import_job_start(actor=actor, job=job, only_valid_rows=True),
            lambda: import_job_discard(actor=actor, job=job),
        ):
            with pytest.raises(PermissionDenied):
                attempt()
        assert all_tables() == before
        assert list(ImportJob.objects.values_list()) == jobs_before

    def test_an_importer_who_lost_the_right_before_the_worker_ran(
        self, org: dict[str, User], settings: Any
    ) -> None:
        hr = org["hr_admin"]
        job = queued(hr, csv_file(*GOOD_ROWS), settings)
        User.objects.filter(pk=hr.pk).update(is_hr_admin=False)
        before = people_tables()
        assert people_import_apply.call(job_id=job.pk) == "failed"
        assert people_tables() == before
