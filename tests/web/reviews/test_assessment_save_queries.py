"""The assessment form's autosave (one competency, htmx) is the request an author's typing makes
every few seconds: its queries are pinned, statement by statement, and do not grow with the
company. Its speed is measured by `bench/review_cycles.py` (printed, never asserted here)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import HIRED_ON, LEVEL_SINCE
from tests.web.reviews.test_cycles import (
    cycle_fixture,  # noqa: F401 (the `cycle` fixture)
    open_cycle,
    participant_of,
)
from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person
from trellis.web.reviews.models import CycleParticipant, Rating, ReviewCycle

pytestmark = pytest.mark.django_db

#: What a save after the first costs: the session and its account (with the person), the
#: participant (with cycle, version and people), then inside the save's transaction the rating with
#: its assessment, the conditional update, the assessment's time and the audit event. The header's
#: navigation is not read: the answer is a fragment.
AUTOSAVE = [
    "SELECT accounts_accountsession",
    "SELECT accounts_user",
    "SELECT reviews_cycleparticipant",
    "SAVEPOINT",
    "SELECT reviews_rating",
    "UPDATE reviews_rating",
    "UPDATE reviews_assessment",
    "INSERT audit_auditevent",
    "RELEASE",
]


def statements(queries: CaptureQueriesContext) -> list[str]:
    """Each query as its verb and the first table it names (``SELECT reviews_rating``)."""
    named = []
    for query in queries.captured_queries:
        sql = query["sql"]
        verb = sql.split()[0].upper()
        # A SELECT's table is its first column's (Django qualifies them); a subquery may come first.
        table = re.match(r'(?:SELECT\s+|UPDATE\s+|INSERT\s+INTO\s+)"(\w+)"', sql)
        named.append(f"{verb} {table.group(1)}" if table and verb != "SAVEPOINT" else verb)
    return named


def autosave(client: Any, participant: CycleParticipant, source: str, revision: int) -> CaptureQueriesContext:
    data = {
        "communication-score": str(revision % 5 + 1),
        "communication-comment": f"Save {revision}",
        "communication-evidence": "",
        "communication-revision": str(revision),
    }
    url = f"/reviews/participants/{participant.pk}/{source}/communication/"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert re.sub(r"\s+", " ", response.content.decode()).startswith("Saved <time")
    return queries


def grow_the_company(manager: Person, people: int) -> None:
    Person.objects.bulk_create(
        Person(
            employee_id=f"G{number:05d}",
            email=f"g{number}@example.com",
            full_name=f"Grown {number}",
            family_id="engineering",
            track_id="ic",
            level_code="IC2",
            level_since=LEVEL_SINCE,
            hired_on=HIRED_ON,
            manager=manager,
        )
        for number in range(people)
    )


@pytest.mark.parametrize(("author", "source"), [("employee", "self"), ("manager", "manager")])
def test_an_autosave_costs_the_same_few_queries_whatever_the_size_of_the_company(
    cycle: ReviewCycle,
    personas: dict[str, User],
    published_framework: FrameworkVersion,
    login: Any,
    author: str,
    source: str,
) -> None:
    client = login(personas[author])
    small = participant_of(cycle, personas["employee"])
    autosave(client, small, source, 0)  # the first save creates the assessment and the rating
    assert statements(autosave(client, small, source, 1)) == AUTOSAVE

    grow_the_company(personas["manager"].person, 2_000)
    larger = open_cycle(personas["hr_admin"], published_framework, name="Larger").cycle
    assert larger.participants.count() == 2_006
    participant = participant_of(larger, personas["employee"])
    autosave(client, participant, source, 0)
    for revision in (1, 2):
        assert statements(autosave(client, participant, source, revision)) == AUTOSAVE
    stored = Rating.objects.get(assessment__cycle=larger, source=source)
    assert (stored.revision, stored.comment) == (3, "Save 2")
