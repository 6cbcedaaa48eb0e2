"""Reporting lines read in one query: the managers above people, nearest first; a loop left in the
reporting lines (by a direct database edit: the services refuse one) ends the walk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import make_person
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.people.models import Person
from trellis.web.people.reporting_lines import manager_chains

pytestmark = pytest.mark.django_db


def line_of(depth: int) -> list[Person]:
    """`depth` people, each managing the next: the first has no manager."""
    people: list[Person] = []
    for number in range(depth):
        people.append(
            make_person(
                None,
                employee_id=f"L{number:03d}",
                full_name=f"Line {number}",
                level_code="IC2",
                manager=people[-1] if people else None,
            )
        )
    return people


def test_the_chain_is_every_manager_above_nearest_first_in_one_query() -> None:
    people = line_of(12)
    ids = [person.pk for person in people]
    with CaptureQueriesContext(connection) as queries:
        chains = manager_chains([ids[-1], ids[5], ids[0]])
    assert len(queries) == 1
    assert chains == {ids[-1]: ids[-2::-1], ids[5]: ids[4::-1], ids[0]: []}


def test_nobody_asked_costs_no_query_and_an_unknown_person_has_no_chain() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert manager_chains([]) == {}
    assert len(queries) == 0
    assert manager_chains([987654]) == {987654: []}


def test_a_loop_in_the_reporting_lines_ends_the_walk() -> None:
    """A → B → C → A (C under B under A, then A put under C behind the services' back)."""
    a, b, c = line_of(3)
    Person.objects.filter(pk=a.pk).update(manager=c.pk)
    below = make_person(None, employee_id="L900", full_name="Below", level_code="IC1", manager=c)
    chains = manager_chains([a.pk, c.pk, below.pk])
    assert chains == {a.pk: [c.pk, b.pk], c.pk: [b.pk, a.pk], below.pk: [c.pk, b.pk, a.pk]}
    assert policy.manager_chain_ids(below.pk) == [c.pk, b.pk, a.pk]


def test_the_policy_walks_one_line_once_per_request(personas: dict[str, User]) -> None:
    """Two checks about the same person on one viewer (one request) read the line once."""
    employee = personas["employee"].person
    skip_level = personas["skip_level_manager"]
    assert policy.manager_chain_ids(employee.pk) == [
        personas["manager"].person.pk,
        skip_level.person.pk,
    ]
    viewer = User.objects.get(pk=skip_level.pk)
    policy.viewer_person(viewer)
    with CaptureQueriesContext(connection) as first:
        assert policy._manages_at_any_distance(viewer, employee)
    with CaptureQueriesContext(connection) as second:
        assert policy._manages_at_any_distance(viewer, employee)
    assert (len(first), len(second)) == (1, 0)
