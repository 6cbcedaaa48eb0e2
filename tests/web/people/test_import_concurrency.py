"""Two HR sessions importing changes to the same person (issue 7, hardening 4), on SQLite and
PostgreSQL: the import applied second is sent back to its preview, made anew with the values
stored now, and writes nothing; once it is checked again, it applies. The values each change was
based on are compared, not only which fields change."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import make_user
from tests.web.people.test_import_services import (
    people_tables,
    previewed,
    run_as_the_worker,
)
from trellis.organisation.import_plan import MAX_DIFFERENCES_NAMED, changes_since_preview
from trellis.web.accounts.models import User
from trellis.web.people import import_services, services
from trellis.web.people.import_services import import_job_apply, import_job_start
from trellis.web.people.models import ImportJob, Person
from trellis.web.people.tasks import people_import_apply

pytestmark = pytest.mark.django_db

REFUSED = (
    "People changed since this preview was made, so nothing was imported: "
    "Emi Employee (E003)'s job title is now T1. "
    "Here is the preview made anew: check it and import again."
)


def title_file(title: str) -> bytes:
    return b"Employee ID,Job title\nE003," + title.encode() + b"\n"


@pytest.fixture
def hr_sessions(personas: dict[str, User], published_framework: Any) -> tuple[User, User]:
    """Two HR admins, each with their own session's import."""
    return personas["hr_admin"], make_user("hr.two@example.com", "Hugo HR", is_hr_admin=True)


def emi() -> Person:
    return Person.objects.get(employee_id="E003")


def preview_changes(job: ImportJob) -> list[list[str]]:
    return job.preview[0]["changes"]


class TestTwoImportsOfTheSamePerson:
    def test_the_second_apply_is_sent_back_to_its_preview(self, hr_sessions: tuple[User, User]) -> None:
        first, second = hr_sessions
        old = emi().title
        job_a = previewed(first, title_file("T1"))
        job_b = previewed(second, title_file("T2"))
        # The same field changes in both: only the values tell them apart.
        assert preview_changes(job_a) == [["title", old, "T1"]]
        assert preview_changes(job_b) == [["title", old, "T2"]]

        assert import_job_start(actor=first, job=job_a).status == ImportJob.Status.APPLIED
        assert emi().title == "T1"
        before = people_tables()

        job_b = import_job_start(actor=second, job=job_b)

        assert (job_b.status, job_b.error) == (ImportJob.Status.PREVIEWED, REFUSED)
        assert people_tables() == before
        assert emi().title == "T1"
        assert preview_changes(job_b) == [["title", "T1", "T2"]]
        assert job_b.summary == {"create": 0, "update": 1, "unchanged": 0, "reject": 0, "new_teams": []}

        # Checked again (the preview made anew shows T1 → T2), it applies.
        job_b = import_job_start(actor=second, job=job_b)
        assert (job_b.status, job_b.error) == (ImportJob.Status.APPLIED, "")
        assert emi().title == "T2"

    def test_a_preview_made_before_the_other_apply_is_refused_too(
        self, hr_sessions: tuple[User, User]
    ) -> None:
        """B previews first; A previews, applies; B's preview still shows the old title."""
        first, second = hr_sessions
        job_b = previewed(second, title_file("T2"))
        import_job_start(actor=first, job=previewed(first, title_file("T1")))
        before = people_tables()
        job_b = import_job_start(actor=second, job=job_b)
        assert (job_b.status, job_b.error) == (ImportJob.Status.PREVIEWED, REFUSED)
        assert people_tables() == before

    def test_a_file_that_sets_the_value_now_stored_is_refused(self, hr_sessions: tuple[User, User]) -> None:
        """B's file would now change nothing for Emi: B is told, not left to believe B wrote it."""
        first, second = hr_sessions
        job_b = previewed(second, title_file("T1"))
        import_job_start(actor=first, job=previewed(first, title_file("T1")))
        before = people_tables()
        job_b = import_job_start(actor=second, job=job_b)
        assert job_b.status == ImportJob.Status.PREVIEWED
        assert "Emi Employee (E003)'s job title is now T1" in job_b.error
        assert job_b.summary["unchanged"] == 1
        assert people_tables() == before

    def test_a_change_made_by_hand_is_not_overwritten(self, hr_sessions: tuple[User, User]) -> None:
        first, _ = hr_sessions
        job = previewed(first, title_file("T2"))
        services.person_update(actor=first, person=emi(), title="T1")
        before = people_tables()
        job = import_job_start(actor=first, job=job)
        assert (job.status, job.error) == (ImportJob.Status.PREVIEWED, REFUSED)
        assert people_tables() == before

    def test_a_change_made_while_waiting_for_the_import_lock(
        self, hr_sessions: tuple[User, User], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The other import commits after this one planned but before it took the locks: the
        people read again under the locks are planned again and compared with the preview. (In
        a test the other import runs inside this one's transaction, so this one's rollback takes
        it back too: what counts is that this one is refused on seeing T1 and wrote no T2.)"""
        first, second = hr_sessions
        job_b = previewed(second, title_file("T2"))
        other = previewed(first, title_file("T1"))
        lock = import_services._lock_imports

        def other_import_commits_first() -> None:
            # The other import takes the same locks: it finds the original in place.
            monkeypatch.setattr(import_services, "_lock_imports", lock)
            assert import_job_start(actor=first, job=other).status == ImportJob.Status.APPLIED
            lock()

        monkeypatch.setattr(import_services, "_lock_imports", other_import_commits_first)
        job_b = import_job_start(actor=second, job=job_b)
        monkeypatch.undo()
        assert (job_b.status, job_b.error) == (ImportJob.Status.PREVIEWED, REFUSED)
        assert emi().title != "T2"

    def test_another_field_changed_meanwhile_is_kept(self, hr_sessions: tuple[User, User]) -> None:
        """A changed Emi's team, B her title: B's preview is still true, and B writes only the title."""
        first, second = hr_sessions
        job_b = previewed(second, title_file("T2"))
        import_job_start(actor=first, job=previewed(first, b"Employee ID,Team\nE003,Research\n"))
        job_b = import_job_start(actor=second, job=job_b)
        assert job_b.status == ImportJob.Status.APPLIED
        assert (emi().title, emi().team.name if emi().team else None) == ("T2", "Research")


def queued(actor: User, data: bytes, settings: Any) -> ImportJob:
    """A one-row job previewed at once, then started as a large file is: queued for a worker."""
    job = previewed(actor, data)
    settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 0
    job = import_job_start(actor=actor, job=job)
    assert job.status == ImportJob.Status.QUEUED
    return job


class TestInTheBackground:
    def test_the_worker_sends_the_second_apply_back(
        self, hr_sessions: tuple[User, User], settings: Any
    ) -> None:
        first, second = hr_sessions
        job_b = queued(second, title_file("T2"), settings)
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 200
        import_job_start(actor=first, job=previewed(first, title_file("T1")))
        before = people_tables()

        assert people_import_apply.call(job_id=job_b.pk) == "previewed"

        job_b.refresh_from_db()
        assert (job_b.status, job_b.error, job_b.processed_rows) == (ImportJob.Status.PREVIEWED, REFUSED, 0)
        assert preview_changes(job_b) == [["title", "T1", "T2"]]
        assert people_tables() == before
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 0
        job_b = import_job_start(actor=second, job=job_b)
        assert job_b.status == ImportJob.Status.QUEUED
        assert import_job_apply(job_id=job_b.pk).status == ImportJob.Status.APPLIED
        assert emi().title == "T2"

    def test_through_the_task_worker(self, hr_sessions: tuple[User, User], settings: Any) -> None:
        from django_tasks_db.models import DBTaskResult

        first, second = hr_sessions
        job_b = queued(second, title_file("T2"), settings)
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 200
        import_services._enqueue("people_import_apply", job_b.pk)
        settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 200
        import_job_start(actor=first, job=previewed(first, title_file("T1")))
        before = people_tables()
        run_as_the_worker(DBTaskResult.objects.get())
        job_b.refresh_from_db()
        assert (job_b.status, job_b.error) == (ImportJob.Status.PREVIEWED, REFUSED)
        assert people_tables() == before


class TestChangesSincePreview:
    """The sentences are pure: previews as the job stores them."""

    @staticmethod
    def row(number: int, outcome: str, *changes: list[str]) -> dict[str, Any]:
        return {
            "number": number,
            "outcome": outcome,
            "employee_id": f"E{number:03}",
            "full_name": f"P {number}",
            "changes": list(changes),
            "problems": [],
        }

    def test_the_same_preview_has_no_differences(self) -> None:
        preview = [
            self.row(2, "update", ["title", "T0", "T2"]),
            self.row(3, "create", ["email", "", "a@b.c"]),
        ]
        assert changes_since_preview(preview, preview) == []

    def test_each_kind_of_difference(self) -> None:
        approved = [
            self.row(2, "update", ["title", "T0", "T2"]),
            self.row(3, "update", ["team", "A", "B"]),
            self.row(4, "create", ["email", "", "d@e.f"]),
            self.row(5, "update", ["level_since", "2026-01-01", "2026-12-01"]),
            self.row(6, "unchanged"),
        ]
        current = [
            self.row(2, "update", ["title", "T1", "T2"]),
            self.row(3, "unchanged"),
            self.row(4, "update", ["title", "x", ""]),
            self.row(5, "update", ["level_since", "2026-01-01", "2026-12-02"]),
            self.row(6, "update", ["manager", "", "P 2 (E002)"]),
        ]
        assert changes_since_preview(approved, current) == [
            "P 2 (E002)'s job title is now T1",
            "P 3 (E003)'s team is now B",
            "row 4 (P 4 (E004)) was to create a person and would now update the person",
            "P 5 (E005)'s at this level since would now become 2026-12-02, not 2026-12-01",
            "P 6 (E006)'s manager is now blank",
        ]

    def test_many_differences_are_counted(self) -> None:
        approved = [self.row(n, "update", ["title", "T0", "T2"]) for n in range(2, 10)]
        current = [self.row(n, "update", ["title", "T1", "T2"]) for n in range(2, 10)]
        sentences = changes_since_preview(approved, current)
        assert len(sentences) == MAX_DIFFERENCES_NAMED + 1
        assert sentences[-1] == "3 more differences"
