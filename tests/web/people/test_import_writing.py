"""The bulk writer of an import writes what the people services write, row by row: the same
people, teams, history and audit events, in the same order, whatever the chunk size; and a fault
after some chunks leaves every table as it was."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from trellis.organisation.import_plan import ImportPlan, Node, Outcome
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people import import_services, import_writing
from trellis.web.people.import_services import (
    import_job_apply,
    import_job_create,
    import_job_preview,
    import_job_start,
)
from trellis.web.people.models import ImportJob, Person, PersonChange, Team
from trellis.web.people.services import (
    UNSET,
    person_create,
    person_set_manager,
    person_update,
    team_get_or_create,
)

from .test_import_services import all_tables, csv_file, queued

pytestmark = pytest.mark.django_db

#: Creates (a new manager, their report and the report's report, a new leaver), updates (title,
#: level, team, name), manager changes (to a new person and to an existing one) and a leaver.
MIXED_ROWS = [
    "N100,nora@example.com,Nora New,Head of growth,Growth,engineering,management,M1,2025-01-06,E001,2024-05-01,yes",
    "N101,ned@example.com,Ned New,Engineer,Growth,engineering,ic,IC3,2025-01-06,N100,2024-05-01,yes",
    "N102,nell@example.com,Nell New,Engineer,Growth  Squad,engineering,ic,IC1,2025-01-06,N101,2024-05-01,yes",
    "N103,neil@example.com,Neil Left,Engineer,,engineering,ic,IC2,2024-06-01,,2024-05-01,no",
    "E003,employee@example.com,Emi Employee,IC3 engineer,Platform,engineering,ic,IC3,2025-06-01,N100,2022-09-01,yes",
    "E004,other.manager@example.com,Otto Other,M1 engineer,Growth,engineering,management,M1,2024-03-01,E001,2022-09-01,yes",
    "E005,outsider@example.com,Ola Outsider,IC3 engineer,,engineering,ic,IC3,2024-03-01,E004,2022-09-01,no",
    "E006,coauthor@example.com,Cai Co-author,IC5 engineer,,engineering,ic,IC6,2025-02-01,,2022-09-01,yes",
    "E002,manager@example.com,Mo Manager,M1 engineer,Platform,engineering,management,M1,2024-03-01,E001,2022-09-01,yes",
]


def written() -> dict[str, list[Any]]:
    """What an import wrote, by stable keys (employee IDs, team names) instead of primary keys and
    without timestamps, in the order it was written."""
    employee_ids = dict(Person.objects.values_list("pk", "employee_id"))
    team_names = dict(Team.objects.values_list("pk", "name"))
    targets = {"people.person": employee_ids, "people.team": team_names}
    return {
        "people": [
            (
                person.employee_id,
                person.email,
                person.full_name,
                person.title,
                team_names.get(person.team_id),
                person.family_id,
                person.track_id,
                person.level_code,
                person.level_since,
                employee_ids.get(person.manager_id),
                person.hired_on,
                person.is_active,
                person.user_id,
            )
            for person in Person.objects.order_by("pk")
        ],
        "teams": list(Team.objects.order_by("pk").values_list("name", flat=True)),
        "history": [
            (
                employee_ids[change.person_id],
                change.kind,
                change.old_value,
                change.new_value,
                change.changed_by_id,
            )
            for change in PersonChange.objects.order_by("pk")
        ],
        "audit": [
            (
                event.action,
                event.target_type,
                targets[event.target_type][int(event.target_id)],
                event.fields,
                event.actor_id,
                event.ip,
            )
            for event in AuditEvent.objects.order_by("pk")
            if event.target_type in targets
        ],
    }


def apply_through_the_services(actor: User, plan: ImportPlan) -> None:
    """The reference: each accepted row through the people services, as imports were once written."""
    rows = [plan.rows[index] for index in plan.order]
    people = Person.objects.in_bulk(
        {row.person_pk for row in rows if row.person_pk is not None}
        | {row.manager[1] for row in rows if row.manager is not None and row.manager[0] == "person"}
    )
    created: dict[Node, Person] = {}

    def person_at(node: Node | None) -> Person | None:
        if node is None:
            return None
        return people[node[1]] if node[0] == "person" else created[node]

    def team(name: str | None) -> Team | None:
        return team_get_or_create(actor=actor, name=name) if name is not None else None

    for row in rows:
        values = row.values
        if row.outcome is Outcome.CREATE:
            created[row.node] = person_create(
                actor=actor, employee_id=values["employee_id"], email=values["email"],
                full_name=values["full_name"], family_id=values["family_id"], track_id=values["track_id"],
                level_code=values["level_code"], level_since=values["level_since"], title=values["title"],
                team=team(values["team"]), manager=person_at(row.manager), hired_on=values["hired_on"],
                is_active=values["is_active"],
            )  # fmt: skip
            continue
        person = people[row.person_pk]  # type: ignore[index]
        changes: dict[str, Any] = {key: value for key, value in values.items() if key != "team"}
        changes["team"] = team(values["team"]) if "team" in values else UNSET
        if changes["team"] is UNSET:
            del changes["team"]
        if changes:
            person_update(actor=actor, person=person, **changes)
        if row.manager_changed:
            person_set_manager(actor=actor, person=person, manager=person_at(row.manager))


@pytest.fixture
def org(personas: dict[str, User], published_framework: FrameworkVersion) -> dict[str, User]:
    return personas


@pytest.mark.parametrize("rows_per_chunk", [1, 3, 1000])
def test_the_bulk_writer_writes_what_the_services_write(
    org: dict[str, User], monkeypatch: pytest.MonkeyPatch, rows_per_chunk: int
) -> None:
    hr = org["hr_admin"]
    job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(*MIXED_ROWS))
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
    assert job.summary == {
        "create": 4,
        "update": 4,
        "unchanged": 1,
        "reject": 0,
        "new_teams": ["Growth", "Growth Squad"],
    }
    with transaction.atomic():
        _, plan = import_services._plan(actor=hr, job=job, mapping=job.mapping)
        apply_through_the_services(hr, plan)
        expected = written()
        transaction.set_rollback(True)
    before = written()
    assert expected != before

    monkeypatch.setattr(import_writing, "chunk_size", lambda rows: rows_per_chunk)
    job = import_job_start(actor=hr, job=job)
    assert (job.status, job.error) == (ImportJob.Status.APPLIED, "")
    assert job.result == {"created": 4, "updated": 4, "unchanged": 1, "rejected": 0, "teams_created": 2}
    assert written() == expected
    # What the mixed file does, spelled out once.
    history = written()["history"][len(before["history"]) :]
    assert history == [
        ("E003", "level", "engineering/ic/IC2", "engineering/ic/IC3", hr.pk),
        ("E003", "manager", "E002", "N100", hr.pk),
        ("E004", "manager", "", "E001", hr.pk),
        ("E006", "level", "engineering/ic/IC5", "engineering/ic/IC6", hr.pk),
    ]
    nell = Person.objects.select_related("team", "manager").get(employee_id="N102")
    assert (nell.team.name, nell.manager.employee_id) == ("Growth Squad", "N101")  # type: ignore[union-attr]
    assert not Person.objects.get(employee_id="E005").is_active
    assert Person.objects.get(employee_id="E005").level_since == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("failing_chunk", [1, 2, 4])
def test_a_fault_after_some_chunks_leaves_every_table_as_it_was(
    org: dict[str, User], settings: Any, monkeypatch: pytest.MonkeyPatch, failing_chunk: int
) -> None:
    hr = org["hr_admin"]
    job = import_job_create(actor=hr, file_name="people.csv", data=csv_file(*MIXED_ROWS))
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
    settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
    job = import_job_start(actor=hr, job=job)
    monkeypatch.setattr(import_writing, "chunk_size", lambda rows: 2)
    original = import_writing.write_chunk
    chunks: list[list[int]] = []

    def failing(state: Any, rows: Any) -> None:
        chunks.append([row.number for row in rows])
        original(state, rows)
        if len(chunks) == failing_chunk:
            raise OSError("the connection to the database was lost")

    monkeypatch.setattr(import_writing, "write_chunk", failing)
    before = all_tables()
    job = import_job_apply(job_id=job.pk)
    assert len(chunks) == failing_chunk
    assert all_tables() == before
    assert job.status == ImportJob.Status.FAILED
    assert job.error == (
        f"An unexpected error stopped the import at row {chunks[-1][0]}, so nothing was imported. It has "
        "been logged; try again, or ask IT to look at the server log."
    )


@pytest.mark.django_db(transaction=True)
def test_the_file_is_planned_before_the_write_transaction_opens(
    personas: dict[str, User],
    published_framework: FrameworkVersion,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On SQLite a transaction holds the one write lock from its start: only the writing is in it."""
    job = queued(personas["hr_admin"], csv_file(*MIXED_ROWS), settings)
    in_transaction: list[tuple[str, bool]] = []
    plan, write = import_services.plan_import, import_writing.write_chunk

    def planning(*arguments: Any, **keywords: Any) -> ImportPlan:
        in_transaction.append(("plan", connection.in_atomic_block))
        return plan(*arguments, **keywords)

    def writing(state: Any, rows: Any) -> None:
        in_transaction.append(("write", connection.in_atomic_block))
        write(state, rows)

    monkeypatch.setattr(import_services, "plan_import", planning)
    monkeypatch.setattr(import_writing, "write_chunk", writing)
    assert import_job_apply(job_id=job.pk).status == ImportJob.Status.APPLIED
    assert in_transaction == [("plan", False)] + [("write", True)] * 8  # eight rows written, a row per chunk


@pytest.mark.parametrize("rows", [10, 40])
def test_a_chunk_costs_the_same_queries_whatever_its_rows(
    org: dict[str, User], settings: Any, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """New people (one a manager of the others, on a new team each) and updates (a level, a
    manager, a team) of the people there: one chunk, the same queries for 10 rows as for 40."""
    new = [
        f"Q{n:03d},q{n}@example.com,Quinn {n},Engineer,Squad {n},engineering,ic,IC2,2025-01-06,{'E001' if n == 0 else 'Q000'},2024-05-01,yes"
        for n in range(rows - 2)
    ]
    updates = [
        "E003,employee@example.com,Emi Employee,IC3 engineer,Squad 1,engineering,ic,IC3,2025-06-01,Q000,2022-09-01,yes",
        "E005,outsider@example.com,Ola Outsider,IC3 engineer,,engineering,ic,IC3,2024-03-01,E002,2022-09-01,yes",
    ]
    job = queued(org["hr_admin"], csv_file(*new, *updates), settings)
    monkeypatch.setattr(import_writing, "chunk_size", lambda rows: rows)
    with CaptureQueriesContext(connection) as queries:
        job = import_job_apply(job_id=job.pk)
    assert job.result == {
        "created": rows - 2,
        "updated": 2,
        "unchanged": 0,
        "rejected": 0,
        "teams_created": rows - 2,
    }
    writes = [query["sql"].split()[0] for query in queries.captured_queries]
    assert len(writes) == (28 if connection.vendor == "postgresql" else 26), writes
