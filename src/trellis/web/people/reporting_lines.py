"""Reading reporting lines: the managers above people, nearest first, in one query whatever the
depth of the organisation and the number of people asked about.

The policy asks it whether a viewer manages someone at any distance (a committee member does not
decide on their own reports). One recursive query (``WITH RECURSIVE``, on SQLite and PostgreSQL)
reads every ``(person, manager)`` link above the people asked about; the chains are then followed
in Python. The query's ``UNION`` (not ``UNION ALL``) drops a link it has already read, so a loop in
the reporting lines ends the query, and following a chain stops at a person already in it — the
loop that `people.services.person_set_manager` refuses to create, but that an older import or a
direct database edit could have left.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from trellis.web.people.models import Person


def _links_above(subject_ids: list[int]) -> dict[int, int | None]:
    """``{person id: manager id}`` for `subject_ids` and everyone above them: one query."""
    quote = connection.ops.quote_name
    table = quote(Person._meta.db_table)
    key = quote(Person._meta.pk.column)
    manager = quote(Person._meta.get_field("manager").column)
    placeholders = ", ".join(["%s"] * len(subject_ids))
    sql = (
        f"WITH RECURSIVE line(person_id, manager_id) AS ("
        f" SELECT {key}, {manager} FROM {table} WHERE {key} IN ({placeholders})"
        f" UNION"
        f" SELECT above.{key}, above.{manager} FROM {table} above"
        f" JOIN line ON above.{key} = line.manager_id"
        f") SELECT person_id, manager_id FROM line"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, subject_ids)
        return {int(person_id): manager_id for person_id, manager_id in cursor.fetchall()}


def _chain(subject_id: int, links: dict[int, int | None]) -> list[int]:
    chain: list[int] = []
    current = links.get(subject_id)
    while current is not None and current not in chain and current != subject_id:
        chain.append(current)
        current = links.get(current)
    return chain


def manager_chains(subject_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each person id in `subject_ids`, the ids of the managers above them, nearest first (an
    empty list for someone without a manager or who does not exist). One query for all of them (none
    when there are none); a loop in the reporting lines ends a chain before it repeats anyone."""
    wanted = sorted(set(subject_ids))
    if not wanted:
        return {}
    links = _links_above(wanted)
    return {subject_id: _chain(subject_id, links) for subject_id in wanted}


def reports_below_sql(manager_id: int) -> tuple[str, list[int]]:
    """A query selecting the ids of everyone under `manager_id` at any depth (active or not; the
    caller filters), and its parameters: one recursive query, to use as a subquery (``id IN (…)``)
    so that a team of any size is never a list of ids in Python. ``UNION`` ends a loop."""
    quote = connection.ops.quote_name
    table = quote(Person._meta.db_table)
    key = quote(Person._meta.pk.column)
    manager = quote(Person._meta.get_field("manager").column)
    sql = (
        f"WITH RECURSIVE below(person_id) AS ("
        f" SELECT {key} FROM {table} WHERE {manager} = %s"
        f" UNION"
        f" SELECT under.{key} FROM {table} under JOIN below ON under.{manager} = below.person_id"
        f") SELECT person_id FROM below"
    )
    return sql, [manager_id]
