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
from trellis.organisation.person_fields import FIELDS_BY_KEY, VALUES


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
    #: What the importer should look at without it stopping the row (a level left before its
    #: minimum time), located like problems.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def node(self) -> Node:
        return ("person", self.person_pk) if self.person_pk is not None else ("row", self.number)

    def to_json(self, table: Table) -> dict[str, Any]:
        """The row as the preview shows it (values as text; columns named). Warnings are not
        compared by `changes_since_preview`: they follow from the changes, which are."""
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
            "warnings": [
                [table.column_name(p.column) if p.column is not None else "", p.message]
                for p in self.warnings
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

    def preview(self, table: Table) -> list[dict[str, Any]]:
        """Every row as the preview shows it (see `RowPlan.to_json`)."""
        return [row.to_json(table) for row in self.rows]


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


#: The most differences `changes_since_preview` names; the rest are counted.
MAX_DIFFERENCES_NAMED = 5


def changes_since_preview(approved: list[dict[str, Any]], current: list[dict[str, Any]]) -> list[str]:
    """How `current` (a preview made now) differs from `approved` (the preview the importer saw),
    one sentence per difference, in row order: empty when they are the same.

    The values count, not only which fields change: a preview of "title T0 → T2" is not approved
    by one of "title T1 → T2", since the person's title was changed meanwhile and applying would
    overwrite that change unseen. A field whose old value moved is named with its value now ("Emi
    Employee (E003)'s job title is now T1"); any other difference names the row.
    """
    before = {row["number"]: row for row in approved}
    sentences: list[str] = []
    for row in current:
        seen = before.pop(row["number"], None)
        if seen is not None and _compared(seen) == _compared(row):
            continue
        who = person_label(row["full_name"], row["employee_id"])
        # Between "unchanged" and "update" the fields tell what moved; other outcomes name the row.
        unchanged = str(Outcome.UNCHANGED)
        if seen is None or (
            seen["outcome"] != row["outcome"] and unchanged not in (seen["outcome"], row["outcome"])
        ):
            was = (
                f"was to {_OUTCOME_VERBS[seen['outcome']]}" if seen is not None else "was not in the preview"
            )
            sentences.append(
                f"row {row['number']} ({who}) {was} and would now {_OUTCOME_VERBS[row['outcome']]}"
            )
            continue
        # Never empty for a row that differs: an empty list approves the plan.
        sentences.extend(
            _field_differences(who, seen["changes"], row["changes"])
            or [f"row {row['number']} ({who}) would now change differently than the preview showed"]
        )
    for number in sorted(before):
        sentences.append(f"row {number} is no longer in the preview")
    if len(sentences) > MAX_DIFFERENCES_NAMED:
        more = len(sentences) - MAX_DIFFERENCES_NAMED
        sentences = [*sentences[:MAX_DIFFERENCES_NAMED], f"{more} more difference{'s' * (more != 1)}"]
    return sentences


_OUTCOME_VERBS = {
    str(Outcome.CREATE): "create a person",
    str(Outcome.UPDATE): "update the person",
    str(Outcome.UNCHANGED): "leave the person unchanged",
    str(Outcome.REJECT): "be rejected",
}


def _field_differences(who: str, seen: list[list[str]], now: list[list[str]]) -> list[str]:
    """The changes of one person's row that differ between the preview and now, as sentences; an
    old value that moved is the value stored now."""
    shown = {name: (old, new) for name, old, new in seen}
    sentences = []
    for name, old, new in now:
        label = _label(name)
        if name not in shown or shown[name][0] != old:
            sentences.append(f"{who}'s {label} is now {old or 'blank'}")
        elif shown[name][1] != new:
            sentences.append(
                f"{who}'s {label} would now become {new or 'blank'}, not {shown[name][1] or 'blank'}"
            )
    changing = {change[0] for change in now}
    sentences.extend(
        f"{who}'s {_label(name)} is now {new or 'blank'}" for name, _old, new in seen if name not in changing
    )
    return sentences


def _label(name: str) -> str:
    return FIELDS_BY_KEY[name].label.lower() if name in FIELDS_BY_KEY else name


def _compared(row: dict[str, Any]) -> tuple[str, list[list[str]]]:
    """What must not differ between a preview's row and the same row planned again: its outcome
    and every change with its old and new value (the problems of a rejected row may word
    themselves differently without changing what is written)."""
    return row["outcome"], [list(change) for change in row["changes"]]
