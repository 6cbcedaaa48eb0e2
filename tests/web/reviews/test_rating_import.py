"""Importing past cycles' ratings: the dry run row by row, all or nothing, nothing on a refusal,
and readiness recomputed for the people rated."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person, PersonChange
from trellis.web.promotions.models import Readiness
from trellis.web.reviews.models import Assessment, CycleParticipant, Rating, RatingImport, ReviewCycle
from trellis.web.reviews.rating_import_services import (
    RatingImportRefused,
    rating_import_apply,
    rating_import_upload,
)

from ..task_worker import run_queued_tasks

pytestmark = pytest.mark.django_db

HEADER = "person,cycle,cycle end date,source,competency,score,rater"


def ratings_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join((header, *rows)) + "\r\n").encode()


#: The employee (IC2 since 2024-03-01, IC1 before: see the fixture) rated in two past cycles.
GOOD = ratings_file(
    "employee@example.com,Second half 2023,2023-12-31,self,communication,2,",
    "E003,Second half 2023,2023-12-31,manager,communication,1,",
    "employee@example.com,Second half 2023,2023-12-31,calibrated,communication,2,",
    "employee@example.com,First half 2024,2024-06-30,manager,communication,3,",
    "employee@example.com,First half 2024,2024-06-30,manager,software_craft,3,",
    "employee@example.com,First half 2024,2024-06-30,peer,communication,4,outsider@example.com",
    "MANAGER@example.com,First half 2024,2024-06-30,manager,communication,4,skip@example.com",
)


@pytest.fixture
def company(personas: dict[str, User], published_framework: FrameworkVersion) -> dict[str, User]:
    employee = personas["employee"].person
    assert employee is not None
    PersonChange.objects.create(
        person=employee,
        kind=PersonChange.Kind.LEVEL,
        old_value="engineering/ic/IC1",
        new_value="engineering/ic/IC2",
        changed_at=datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC),
    )
    return personas


def upload(client: Client, data: bytes, name: str = "ratings.csv") -> Any:
    return client.post("/reviews/import/", {"file": SimpleUploadedFile(name, data)})


def stored() -> tuple[int, int, int, int]:
    return (
        ReviewCycle.objects.count(),
        CycleParticipant.objects.count(),
        Assessment.objects.count(),
        Rating.objects.count(),
    )


def test_hr_checks_and_imports_two_past_cycles(
    company: dict[str, User], login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(company["hr_admin"])
    response = upload(client, GOOD)
    job = RatingImport.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/reviews/import/{job.pk}/")
    assert stored() == (0, 0, 0, 0)
    page = client.get(response["Location"]).content.decode()
    assert '<tr><th scope="row">Second half 2023</th><td>2023-12-31</td><td>1</td><td>3</td></tr>' in page
    assert '<tr><th scope="row">First half 2024</th><td>2024-06-30</td><td>2</td><td>4</td></tr>' in page
    assert "Import 7 ratings" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reviews/import/{job.pk}/")
    assert response.status_code == 302
    employee, manager = company["employee"].person, company["manager"].person
    assert employee is not None and manager is not None
    cycles = {c.name: c for c in ReviewCycle.objects.all()}
    assert sorted(cycles) == ["First half 2024", "Second half 2023"]
    assert all(c.is_imported and c.phase == "closed" for c in cycles.values())
    assert cycles["Second half 2023"].starts_on == datetime.date(2023, 7, 2)
    # Rated at the level held when each cycle ended: IC1 before the promotion of 2024-03-01.
    assert sorted(
        CycleParticipant.objects.values_list("cycle__name", "person__employee_id", "level_code")
    ) == [
        ("First half 2024", "E002", "M1"),
        ("First half 2024", "E003", "IC2"),
        ("Second half 2023", "E003", "IC1"),
    ]
    authors = sorted(
        Assessment.objects.values_list("cycle__name", "subject__employee_id", "source", "author__employee_id")
    )
    assert authors == [
        ("First half 2024", "E002", "manager", "E001"),
        ("First half 2024", "E003", "manager", "E002"),
        ("First half 2024", "E003", "peer", "E005"),
        ("Second half 2023", "E003", "calibrated", None),
        ("Second half 2023", "E003", "manager", "E002"),
        ("Second half 2023", "E003", "self", "E003"),
    ]
    assert Rating.objects.count() == 7
    assert sorted(
        Rating.objects.filter(cycle=cycles["First half 2024"], subject=employee).values_list(
            "source", "competency_id", "score"
        )
    ) == [("manager", "communication", 3), ("manager", "software_craft", 3), ("peer", "communication", 4)]
    job.refresh_from_db()
    assert (job.status, job.data, job.problems) == ("applied", b"", [])
    assert AuditEvent.objects.filter(action="rating_import.applied").count() == 1
    # Readiness of the people rated is recomputed by the worker.
    run_queued_tasks()
    assert set(Readiness.objects.values_list("person_id", flat=True)) >= {employee.pk, manager.pk}

    # A second click imports nothing more.
    response = client.post(f"/reviews/import/{job.pk}/")
    assert response.status_code == 409
    assert "imported or discarded already" in response.content.decode()
    assert Rating.objects.count() == 7


def test_every_problem_is_located_and_nothing_is_imported(company: dict[str, User], login: Any) -> None:
    ReviewCycle.objects.create(
        name="First half 2025",
        framework_version=FrameworkVersion.objects.get(),
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
    )
    data = ratings_file(
        "employee@example.com,Second half 2024,2024-12-31,manager,communication,3,",
        "nobody@example.com,Second half 2024,2024-12-31,manager,communication,3,",
        "employee@example.com,First half 2025,2025-06-30,manager,communication,3,",
        "employee@example.com,Second half 2021,2021-12-31,manager,communication,3,",
        "employee@example.com,Second half 2024,2024-12-31,manager,people_development,3,",
        "employee@example.com,Second half 2024,2024-12-31,self,software_craft,3.5,",
        "employee@example.com,Second half 2024,2024-12-31,peer,delivery,3,",
        "employee@example.com,Second half 2024,2024-12-31,self,ownership,3,manager@example.com",
        "employee@example.com,Second half 2024,2024-12-31,calibrated,ownership,3,manager@example.com",
        "skip@example.com,Second half 2024,2024-12-31,manager,communication,3,",
        "employee@example.com,Second half 2024,2025-01-31,self,delivery,9,",
    )
    client = login(company["hr_admin"])
    upload(client, data)
    job = RatingImport.objects.get()
    assert job.problems == [
        'ratings.csv, row 3, column A ("person"): nobody@example.com is not a person of the company: name them by e-mail address or employee ID',
        'ratings.csv, row 4, column B ("cycle"): a cycle named First half 2025 exists already: importing it again would double its ratings (rename the cycle in the file if it is another one)',
        'ratings.csv, row 5, column C ("cycle end date"): Emi Employee joined on 2022-09-01, after the cycle ended',
        'ratings.csv, row 6, column E ("competency"): people_development is not a competency of engineering IC2, the level Emi Employee held then',
        'ratings.csv, row 7, column F ("score"): 3.5 is not a whole point of the rating scale',
        'ratings.csv, row 8, column G ("rater"): a peer rating needs its rater: name them by e-mail address or employee ID',
        'ratings.csv, row 9, column G ("rater"): a self rating\'s rater is the person rated: leave the rater empty',
        'ratings.csv, row 10, column G ("rater"): a calibrated rating has no rater: leave the rater empty',
        'ratings.csv, row 11, column G ("rater"): Sara Skip has no manager: name the rater',
        'ratings.csv, row 12, column C ("cycle end date"): cycle Second half 2024 ends 2024-12-31 on row 2, not 2025-01-31',
        'ratings.csv, row 12, column F ("score"): 9 is outside the rating scale (1 to 5)',
    ]  # fmt: skip
    page = client.get(f"/reviews/import/{job.pk}/").content.decode()
    assert "11 problems to fix first" in page and "Import 1 ratings" not in page
    before = stored()
    response = client.post(f"/reviews/import/{job.pk}/")
    assert response.status_code == 409
    assert stored() == before
    assert RatingImport.objects.get().status == "previewed"


def test_a_person_who_changed_since_the_check_stops_the_whole_import(company: dict[str, User]) -> None:
    hr = company["hr_admin"]
    job = rating_import_upload(actor=hr, file_name="ratings.csv", data=GOOD)
    assert job.problems == []
    Person.objects.filter(email="outsider@example.com").update(is_active=False)
    with pytest.raises(RatingImportRefused) as refused:
        rating_import_apply(actor=hr, job=RatingImport.objects.get(pk=job.pk))
    assert refused.value.messages == [
        'ratings.csv, row 7, column G ("rater"): outsider@example.com is not a person of the company: '
        "name them by e-mail address or employee ID"
    ]
    assert stored() == (0, 0, 0, 0)
    job.refresh_from_db()
    assert (job.status, job.problems) == ("previewed", refused.value.messages)


def test_a_file_nothing_of_which_reads_is_refused_and_nothing_is_stored(
    company: dict[str, User], login: Any
) -> None:
    client = login(company["hr_admin"])
    events = AuditEvent.objects.count()
    response = upload(client, ratings_file("a,b,c", header="person,cycle,grade"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ratings.csv, row 1, column C: unknown column &quot;grade&quot;" in page
    assert (RatingImport.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_discarding_deletes_the_file_and_imports_nothing(company: dict[str, User], login: Any) -> None:
    client = login(company["hr_admin"])
    upload(client, GOOD)
    job = RatingImport.objects.get()
    response = client.post(f"/reviews/import/{job.pk}/discard/")
    assert (response.status_code, response["Location"]) == (302, "/reviews/import/")
    job.refresh_from_db()
    assert (job.status, bytes(job.data)) == ("discarded", b"")
    assert client.post(f"/reviews/import/{job.pk}/").status_code == 409
    assert stored() == (0, 0, 0, 0)
