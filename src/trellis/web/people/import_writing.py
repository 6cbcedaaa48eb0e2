"""Writing the accepted rows of an import plan in bulk: the checks, the history and the audit of
the people services (`person_create`, `person_update`, `person_set_manager`, `team_get_or_create`),
in a constant number of queries per chunk of rows instead of about thirty per row.

The caller holds the transaction (all or nothing) and the import locks, and has made sure the
plan was made from the people as they are inside that transaction. What the services check with
queries — unique employee IDs and e-mail addresses, a manager who exists, is active and closes
no circle — the plan has already decided on the state after the import; the database's own
constraints stay the last word. Everything the services check in Python — each field's value, the
place in the framework, the permissions — is checked here row by row, so a refused row is named.

Rows, history and audit events come out as the services write them, in the same order: for each
row in `ImportPlan.order`, the team it is first to use, then the person created, or updated and
given a new manager.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils import timezone

from trellis.framework.model import Framework
from trellis.organisation.import_plan import ExistingPerson, ImportPlan, Node, Outcome, RowPlan
from trellis.organisation.levels import level_problems
from trellis.organisation.person_fields import COMPARED, LEVEL_FIELDS, VALUES
from trellis.web import policy
from trellis.web.accounts.leaving import AccountRefused
from trellis.web.accounts.models import User, normalize_email
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import AuditEntry, audit_record_many
from trellis.web.people.leaving import people_activity_changed
from trellis.web.people.models import EmploymentChange, Person, PersonChange, Team, level_key
from trellis.web.people.services import person_created_fields
from trellis.web.policy import Action

#: The most rows written per chunk; smaller files are written in about a hundred chunks, so that
#: progress is reported about every hundredth of the rows.
MAX_CHUNK_ROWS: Final = 1000
#: Related records are not validated by a query per row: the plan found them.
_NOT_VALIDATED: Final = ["team", "manager", "user"]


class RowRefused(Exception):
    """Writing a row failed: `number` is its row in the file, `message` why (None: unexpected)."""

    def __init__(self, number: int, message: str | None) -> None:
        super().__init__(message or f"row {number}")
        self.number = number
        self.message = message


class PeopleChanged(Exception):
    """A person to update is not as the plan saw them: someone changed people meanwhile."""


def chunk_size(rows: int) -> int:
    """Rows per chunk for a plan writing `rows` rows: about a hundredth, at most `MAX_CHUNK_ROWS`."""
    return max(1, min(MAX_CHUNK_ROWS, rows // 100))


@dataclass(slots=True)
class Writing:
    """What a write has done so far, handed from chunk to chunk."""

    actor: User
    framework: Framework | None
    #: The people the plan was made from, by primary key.
    people: dict[int, ExistingPerson]
    today: datetime.date
    teams: dict[str, Team] = field(default_factory=dict)
    teams_created: int = 0
    #: The new people written so far, by their node in the plan.
    created: dict[Node, Person] = field(default_factory=dict)
    #: The employee ID of each node the plan's rows name as a manager, and whether it is active
    #: after the import.
    employee_ids: dict[Node, str] = field(default_factory=dict)
    active: dict[Node, bool] = field(default_factory=dict)


def write_plan(
    *,
    actor: User,
    plan: ImportPlan,
    framework: Framework | None,
    people: Sequence[ExistingPerson],
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Create and update the people of `plan`'s accepted rows, managers before their reports, in
    chunks; `progress(rows written)` is called after each chunk. Returns the counts the job keeps.

    Raises RowRefused with the row's number when a check refuses it (with no message for any
    other error, named by the first row of its chunk), and PeopleChanged when a person to update
    differs from `people` (the state the plan was made from); the caller's transaction then
    rolls every chunk back.
    """
    state = Writing(
        actor=actor,
        framework=framework,
        people={person.pk: person for person in people},
        today=timezone.localdate(),
    )
    for person in people:
        state.employee_ids["person", person.pk] = person.employee_id
        state.active["person", person.pk] = person.is_active
    rows = [plan.rows[index] for index in plan.order]
    for row in rows:
        if row.outcome is Outcome.CREATE:
            state.employee_ids[row.node] = row.values["employee_id"]
        if "is_active" in row.values:
            state.active[row.node] = row.values["is_active"]
    size = chunk_size(len(rows))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        try:
            write_chunk(state, chunk)
            if progress is not None:
                progress(min(start + size, len(rows)))
        except (RowRefused, PeopleChanged):
            raise
        except Exception as error:
            # Named by the chunk's first row: with a row per chunk (small files) it is the row.
            raise RowRefused(chunk[0].number, None) from error
    counts = plan.counts()
    return {
        "created": counts[Outcome.CREATE],
        "updated": counts[Outcome.UPDATE],
        "unchanged": counts[Outcome.UNCHANGED],
        "rejected": counts[Outcome.REJECT],
        "teams_created": state.teams_created,
    }


def write_chunk(state: Writing, rows: Sequence[RowPlan]) -> None:
    """Write one chunk of rows (in apply order) in a bounded number of queries, whatever its
    size: the teams it is first to use, its new people, its updated people (a query per field
    that changes), their history and the audit events.

    Called through the module, so that a test can replace it to fail after some chunks.
    """
    now = timezone.now()
    history: list[PersonChange] = []
    new_teams = {team.name: team for team in _teams_first_used(state, rows)}
    stored = _people_to_update(state, rows)

    created: list[tuple[RowPlan, Person]] = []
    #: The updated people by field changed: each field is written to those people only, so that
    #: the query does not grow with fields that stay as they are (at most one query per field).
    updated: dict[str, list[Person]] = defaultdict(list)
    new_managers: list[tuple[RowPlan, Person]] = []
    # Events are listed per row as the services record them; the people they name get their
    # primary keys from the insert below, so the events are made afterwards, in this order.
    pending: list[tuple[AuditAction, Team | Person, list[str]]] = []
    for row in rows:
        team = new_teams.pop(_team_name(row.values.get("team")) or "", None)
        if team is not None:
            pending.append((AuditAction.TEAM_CREATED, team, ["name"]))
        if row.outcome is Outcome.CREATE:
            person = _new_person(state, row)
            created.append((row, person))
            pending.append((AuditAction.PERSON_CREATED, person, []))
            continue
        assert row.person_pk is not None, "a row that is not a creation names the person it updates"
        person = stored[row.person_pk]
        changed = _update_person(state, row, person, history, now)
        for name in changed:
            updated[name].append(person)
        if changed:
            pending.append((AuditAction.PERSON_UPDATED, person, changed))
        if row.manager_changed:
            _change_manager(state, row, person, history, now)
            new_managers.append((row, person))
            updated["manager"].append(person)
            pending.append((AuditAction.PERSON_MANAGER_CHANGED, person, ["manager"]))

    _insert_people(state, created)
    for row, person in new_managers:
        person.manager_id = _manager_pk(state, row.manager)
    for name, people in sorted(updated.items()):
        Person.objects.bulk_update(people, [name])
    if history:
        PersonChange.objects.bulk_create(history)
    _people_left_or_rejoined(state, rows, updated.get("is_active", []))
    # A new person's event names the fields given a value, known once the chunk's managers are set.
    audit_record_many(
        actor=state.actor,
        entries=[
            AuditEntry(
                action,
                target,
                person_created_fields(target)
                if isinstance(target, Person) and action is AuditAction.PERSON_CREATED
                else fields,
            )
            for action, target, fields in pending
        ],
    )


def _people_left_or_rejoined(state: Writing, rows: Sequence[RowPlan], people: Sequence[Person]) -> None:
    """The chunk's people whose "active" changed, handed over together to `people.leaving` (their
    accounts deactivated or restored in a fixed number of queries); a refusal names its row."""
    if not people:
        return
    try:
        people_activity_changed(
            actor=state.actor,
            left=[person for person in people if not person.is_active],
            rejoined=[person for person in people if person.is_active],
            on=state.today,
            source=EmploymentChange.Source.IMPORT,
        )
    except AccountRefused as refused:
        person_pk = next(person.pk for person in people if person.user_id == refused.user_pk)
        number = next(row.number for row in rows if row.person_pk == person_pk)
        raise RowRefused(number, f"active: {refused.message_text}") from refused


def _team_name(name: str | None) -> str | None:
    """A team's name as `team_get_or_create` writes it: runs of spaces made one."""
    return " ".join(name.split()) if name is not None else None


def _teams_first_used(state: Writing, rows: Sequence[RowPlan]) -> list[Team]:
    """The teams these rows name, found or created (a query each way); returns those created, in
    the order the rows first use them."""
    names: list[str] = []
    for row in rows:
        name = _team_name(row.values.get("team"))
        if name is not None and name not in state.teams and name not in names:
            names.append(name)
    if not names:
        return []
    policy.require(state.actor, Action.PERSON_UPDATE)
    found = {team.name: team for team in Team.objects.filter(name__in=names)}
    state.teams.update(found)
    new = [Team(name=name) for name in names if name not in found]
    for team in new:
        number = next(row.number for row in rows if _team_name(row.values.get("team")) == team.name)
        _check(team.clean_fields, number=number)
    if new:
        Team.objects.bulk_create(new)
        state.teams.update((team.name, team) for team in new)
        state.teams_created += len(new)
    return new


def _people_to_update(state: Writing, rows: Sequence[RowPlan]) -> dict[int, Person]:
    """The stored people these rows update, locked for the transaction (one query), each checked
    against the state the plan was made from."""
    keys = [row.person_pk for row in rows if row.outcome is Outcome.UPDATE and row.person_pk is not None]
    if not keys:
        return {}
    stored = {
        person.pk: person
        for person in Person.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(pk__in=keys)
    }
    for key in keys:
        person = stored.get(key)
        if person is None or _as_planned(person) != state.people[key]:
            raise PeopleChanged(key)
    return stored


def _as_planned(person: Person) -> ExistingPerson:
    """`person` as `person_list_for_import` reads it for the planner."""
    values = {key: getattr(person, key) for key in VALUES if key != "team"}
    team = person.team.name if person.team is not None else None
    return ExistingPerson(pk=person.pk, **values, team=team, manager_pk=person.manager_id)


def _team(state: Writing, name: str | None) -> Team | None:
    cleaned = _team_name(name)
    return state.teams[cleaned] if cleaned is not None else None


def _manager_pk(state: Writing, node: Node | None) -> int | None:
    """The primary key of the manager at `node`; None for nobody or a person not inserted yet."""
    if node is None:
        return None
    if node[0] == "person":
        return node[1]
    person = state.created.get(node)
    return person.pk if person is not None else None


def _check(validate: Callable[[], Any], *, number: int) -> None:
    try:
        validate()
    except ValidationError as refused:
        raise RowRefused(number, "; ".join(_messages(refused))) from refused


def _check_person(person: Person, *, number: int) -> None:
    """Refuse row `number` if `person` is invalid, checked as the services' `full_clean` does but for
    the fields checked across the whole file."""

    def validate() -> None:
        person.clean_fields(exclude=_NOT_VALIDATED)
        person.clean()

    _check(validate, number=number)


def _check_level(state: Writing, person: Person, number: int) -> None:
    """Refuse a place the framework does not have, as the services do."""
    problems = level_problems(
        state.framework, family_id=person.family_id, track_id=person.track_id, level_code=person.level_code
    )
    if problems:
        raise RowRefused(number, "; ".join(f"{name}: {message}" for name, message in problems.items()))


def _new_person(state: Writing, row: RowPlan) -> Person:
    """The person `row` creates, checked as `person_create` checks it (not saved yet)."""
    policy.require(state.actor, Action.PERSON_CREATE)
    values = row.values
    if row.manager is not None and not state.active.get(row.manager, True):
        raise RowRefused(row.number, f"manager: {state.employee_ids[row.manager]} is no longer active")
    person = Person(
        employee_id=values["employee_id"].strip(),
        email=normalize_email(values["email"]),
        full_name=values["full_name"].strip(),
        title=values["title"],
        team=_team(state, values["team"]),
        family_id=values["family_id"],
        track_id=values["track_id"],
        level_code=values["level_code"],
        level_since=values["level_since"],
        manager_id=_manager_pk(state, row.manager),
        hired_on=values["hired_on"],
        is_active=values["is_active"],
    )
    _check_person(person, number=row.number)
    _check_level(state, person, row.number)
    state.created[row.node] = person
    return person


def _insert_people(state: Writing, created: list[tuple[RowPlan, Person]]) -> None:
    """Insert the chunk's new people (their primary keys come back), then give a manager to those
    whose manager is new in this same chunk (one more query)."""
    if not created:
        return
    Person.objects.bulk_create([person for _, person in created])
    later = []
    for row, person in created:
        if row.manager is not None and person.manager_id is None:
            person.manager_id = _manager_pk(state, row.manager)
            later.append(person)
    if later:
        Person.objects.bulk_update(later, ["manager"])


def _update_person(
    state: Writing, row: RowPlan, person: Person, history: list[PersonChange], now: datetime.datetime
) -> list[str]:
    """Apply `row`'s changed fields to `person` as `person_update` does; the fields that change."""
    policy.require(state.actor, Action.PERSON_UPDATE, person)
    requested: dict[str, Any] = {key: row.values[key] for key in COMPARED if key in row.values}
    if "email" in requested:
        requested["email"] = normalize_email(requested["email"])
    if "team" in requested:
        requested["team"] = _team(state, requested["team"])
    changed = [name for name, value in requested.items() if getattr(person, name) != value]
    level_changed = any(name in LEVEL_FIELDS for name in changed)
    if level_changed and "level_since" not in changed and "level_since" not in requested:
        requested["level_since"] = state.today
        if person.level_since != state.today:
            changed.append("level_since")
    if not changed:
        return []
    old_level = level_key(person.family_id, person.track_id, person.level_code)
    for name in changed:
        setattr(person, name, requested[name])
    _check_person(person, number=row.number)
    if level_changed:
        _check_level(state, person, row.number)
    new_level = level_key(person.family_id, person.track_id, person.level_code)
    if new_level != old_level:
        history.append(
            PersonChange(
                person=person,
                kind=PersonChange.Kind.LEVEL,
                old_value=old_level,
                new_value=new_level,
                changed_at=now,
                changed_by=state.actor,
            )
        )
    return changed


def _change_manager(
    state: Writing, row: RowPlan, person: Person, history: list[PersonChange], now: datetime.datetime
) -> None:
    """Check and record `person`'s new manager as `person_set_manager` does (history by employee
    ID); the manager's key is set once the chunk's new people are inserted."""
    policy.require(state.actor, Action.PERSON_SET_MANAGER, person)
    if row.manager is not None:
        if row.manager == row.node:
            raise RowRefused(row.number, f"manager: {person.full_name} cannot be their own manager")
        if not state.active.get(row.manager, True):
            raise RowRefused(row.number, f"manager: {state.employee_ids[row.manager]} is no longer active")
    old_pk = person.manager_id
    history.append(
        PersonChange(
            person=person,
            kind=PersonChange.Kind.MANAGER,
            old_value=state.employee_ids["person", old_pk] if old_pk is not None else "",
            new_value=state.employee_ids[row.manager] if row.manager is not None else "",
            changed_at=now,
            changed_by=state.actor,
        )
    )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return list(error.messages)
