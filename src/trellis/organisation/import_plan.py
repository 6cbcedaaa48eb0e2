"""An import's plan as data: the people it compares rows with, and what each row does. Pure.

`trellis.organisation.import_planning` makes an `ImportPlan`; the web app's import services show
it as a preview and write its accepted rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from trellis.organisation.import_reading import Row, Table
from trellis.organisation.person_fields import VALUES


@dataclass(frozen=True, slots=True)
class ExistingPerson:
    """A person already stored, as the planner compares rows with them: the fields of
    `person_fields.FIELDS` in their order, the team by name and the manager by primary key."""

    pk: int
    employee_id: str
    email: str
    full_name: str
    title: str
    team: str | None
    family_id: str
    track_id: str
    level_code: str
    level_since: datetime.date
    manager_pk: int | None
    hired_on: datetime.date | None
    is_active: bool

    def values(self) -> dict[str, Any]:
        """The person's value of each field an import writes (`VALUES`), team by name."""
        return {key: getattr(self, key) for key in VALUES}


class Outcome(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row is rejected: `column` is the column index, or None for the row as a whole."""

    column: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Change:
    """One field an update changes, with the old and new values as people read them."""

    field: str
    old: str
    new: str


#: A node of the reporting graph: an existing person ("person", pk) or a new one ("row", row number).
Node = tuple[str, int]


@dataclass(slots=True)
class RowPlan:
    """What importing one row does.

    `values` holds what to write: every field for a new person, only the changed ones for an
    update (`team` as a team name or None). `manager` is the node of the manager the person will
    have (None: nobody) and `manager_changed` whether that differs from today.
    """

    number: int
    outcome: Outcome
    employee_id: str
    full_name: str
    person_pk: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    manager: Node | None = None
    manager_changed: bool = False
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def node(self) -> Node:
        return ("person", self.person_pk) if self.person_pk is not None else ("row", self.number)

    def to_json(self, table: Table) -> dict[str, Any]:
        """The row as the preview shows it (values as text; columns named)."""
        return {
            "number": self.number,
            "outcome": str(self.outcome),
            "employee_id": self.employee_id,
            "full_name": self.full_name,
            "changes": [[c.field, c.old, c.new] for c in self.changes],
            "problems": [
                [table.column_name(p.column) if p.column is not None else "", p.message]
                for p in self.problems
            ],
        }


@dataclass(slots=True)
class ImportPlan:
    """Every row's outcome, the order to apply the accepted ones in, and the teams to create."""

    rows: list[RowPlan]
    #: Indices into `rows` of the rows to write, managers before their reports.
    order: list[int]
    new_teams: list[str]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((str(o) for o in Outcome), 0)
        for row in self.rows:
            counts[str(row.outcome)] += 1
        return counts

    @property
    def rejected(self) -> int:
        return sum(1 for row in self.rows if row.outcome is Outcome.REJECT)

    def fingerprint(self) -> list[tuple[int, str, tuple[str, ...]]]:
        """What a person approving the preview saw: each row's outcome and changed fields."""
        return [(r.number, str(r.outcome), tuple(c.field for c in r.changes)) for r in self.rows]


@dataclass(slots=True)
class RowDraft:
    """One row while it is being planned."""

    row: Row
    existing: ExistingPerson | None
    final: dict[str, Any]
    #: The manager cell: None when the file has no manager column, "" for no manager.
    manager_text: str | None
    problems: list[Problem] = field(default_factory=list)
    manager: Node | None = None

    @property
    def node(self) -> Node:
        return ("person", self.existing.pk) if self.existing is not None else ("row", self.row.number)

    def identity(self) -> str:
        return self.final.get("employee_id") or self.final.get("email") or f"row {self.row.number}"


def person_label(full_name: str, employee_id: str) -> str:
    """How messages and the preview name a person: ``Emi Employee (E003)``."""
    return f"{full_name} ({employee_id})" if full_name else employee_id
