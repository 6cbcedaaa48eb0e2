"""Planning an import of people: what each row of an HRIS export would do. Pure Python: no
Django, no database.

`plan_import` compares the rows of a `Table` (see `trellis.web.people.importing`) with the people
already stored and decides, row by row: create, update (with the fields that change), leave
unchanged, or reject (with every reason, located by column). Rows are matched to people by
employee ID or e-mail address, never by database id. Rows that depend on a rejected row (their
manager is rejected) are rejected too, so the accepted rows of a plan can always be applied on
their own, in `ImportPlan.order`: managers before their reports, which keeps every intermediate
state of the reporting lines acyclic.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from trellis.framework.model import Family, Framework, Track
from trellis.web.people.importing import (
    FIELDS_BY_KEY,
    FLAG_CONTROL,
    FLAG_ERROR,
    FLAG_FORMULA,
    MAX_LENGTHS,
    REQUIRED_TO_CREATE,
    ColumnMapping,
    InvalidValue,
    Row,
    Table,
    check_email,
    check_length,
    parse_active,
    parse_date,
)


@dataclass(frozen=True, slots=True)
class ExistingPerson:
    """A person already stored, as the planner compares rows with them (team by name)."""

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

#: The fields an update compares, in the order changes are listed (the manager comes last).
_COMPARED = (
    "email",
    "full_name",
    "title",
    "team",
    "family_id",
    "track_id",
    "level_code",
    "level_since",
    "hired_on",
    "is_active",
)
_LEVEL_FIELDS = ("family_id", "track_id", "level_code")


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
class _Draft:
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


def plan_import(
    table: Table,
    mapping: ColumnMapping,
    *,
    framework: Framework,
    people: Iterable[ExistingPerson],
    teams: Iterable[str],
    today: datetime.date,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Decide what importing `table` (its columns read as `mapping` says) does to `people`.

    Nothing is written: the plan lists each row's outcome with its changes or its problems. A
    blank cell keeps a required field as it is (employee ID, e-mail, name, family, level, level
    date, active) and clears an optional one (title, team, manager, hire date); a column that is
    not mapped keeps the field as it is. `today` is the level date of a level change that gives no
    date. `teams` are the names of the existing teams (matched ignoring case). `progress(rows
    checked)` is called about every hundredth of the rows.
    """
    everyone = list(people)
    by_employee_id = {p.employee_id: p for p in everyone}
    by_email = {p.email: p for p in everyone}
    team_names = {name.casefold(): name for name in teams}
    new_teams: dict[str, str] = {}
    every = max(1, len(table.rows) // 100)
    drafts = []
    for position, row in enumerate(table.rows, start=1):
        drafts.append(_draft(row, mapping, framework, by_employee_id, by_email, team_names, new_teams, today))
        if progress is not None and position % every == 0:
            progress(position)
    _reject_duplicates(drafts, mapping)
    people_by_pk = {p.pk: p for p in everyone}
    _resolve_reporting_lines(drafts, people_by_pk, mapping)
    names: dict[Node, str] = {("person", p.pk): _label(p.full_name, p.employee_id) for p in everyone}
    for draft in drafts:
        if not draft.problems:
            names[draft.node] = _label(draft.final.get("full_name", ""), draft.final["employee_id"])
    rows = [_row_plan(d, names) for d in drafts]
    order = _apply_order(rows)
    used_teams = {
        row.values["team"] for row in rows if row.outcome is not Outcome.REJECT and row.values.get("team")
    }
    return ImportPlan(
        rows=rows,
        order=order,
        new_teams=[name for name in new_teams.values() if name in used_teams],
    )


def _draft(
    row: Row,
    mapping: ColumnMapping,
    framework: Framework,
    by_employee_id: dict[str, ExistingPerson],
    by_email: dict[str, ExistingPerson],
    team_names: dict[str, str],
    new_teams: dict[str, str],
    today: datetime.date,
) -> _Draft:
    """One row read into the state it asks for (`_Draft.final`), with the problems it has on its
    own; those that involve other rows (duplicates, managers, circles) are found afterwards."""
    problems: list[Problem] = []
    columns = {key: column for key, column in mapping.items() if column is not None}
    for column in columns.values():
        why = row.withheld.get(column)
        if why is not None:
            problems.append(Problem(column, _withheld_message(why)))
    if row.extra_cells:
        problems.append(
            Problem(
                None,
                f"the row has {row.extra_cells} more non-blank cell{'s' * (row.extra_cells != 1)} than the "
                "header row has columns; is a delimiter inside a value without quotes?",
            )
        )
    withheld_keys = {key for key, column in columns.items() if column in row.withheld}
    raw = {key: row.cells[column] for key, column in columns.items() if key not in withheld_keys}

    def fail(key: str, message: str) -> None:
        problems.append(Problem(columns.get(key), message))

    employee_id = raw.get("employee_id", "")
    email = ""
    if raw.get("email"):
        try:
            email = check_email(raw["email"])
        except InvalidValue as invalid:
            fail("email", str(invalid))
    existing = _match(employee_id, email, raw, by_employee_id, by_email, fail)

    final: dict[str, Any] = (
        {
            "employee_id": existing.employee_id,
            "email": existing.email,
            "full_name": existing.full_name,
            "title": existing.title,
            "team": existing.team,
            "family_id": existing.family_id,
            "track_id": existing.track_id,
            "level_code": existing.level_code,
            "level_since": existing.level_since,
            "hired_on": existing.hired_on,
            "is_active": existing.is_active,
        }
        if existing is not None
        else {
            "employee_id": employee_id,
            "email": email,
            "title": "",
            "team": None,
            "hired_on": None,
            "is_active": True,
        }
    )
    if email:
        final["email"] = email
    if employee_id:
        try:
            final["employee_id"] = check_length("employee_id", employee_id)
        except InvalidValue as invalid:
            fail("employee_id", f"the employee ID {invalid}")
    for key in ("full_name", "title"):
        if key in raw and (raw[key] or key == "title"):
            try:
                final[key] = check_length(key, raw[key])
            except InvalidValue as invalid:
                fail(key, f"the {FIELDS_BY_KEY[key].label.lower()} {invalid}")
    if "team" in raw:
        final["team"] = _team_name(raw["team"], team_names, new_teams, lambda message: fail("team", message))
    for key in ("level_since", "hired_on"):
        if key in raw:
            if raw[key]:
                try:
                    final[key] = parse_date(raw[key])
                except InvalidValue as invalid:
                    fail(key, str(invalid))
            elif key == "hired_on":
                final[key] = None
    if raw.get("is_active"):
        try:
            final["is_active"] = parse_active(raw["is_active"])
        except InvalidValue as invalid:
            fail("is_active", str(invalid))

    # Without an employee ID (already reported) there is nobody to create: listing what else a new
    # person would need only buries the one problem that matters.
    if existing is None and employee_id:
        for key in REQUIRED_TO_CREATE:
            if key in withheld_keys or final.get(key) or raw.get(key):
                continue
            label, noun = FIELDS_BY_KEY[key].label, _NEEDS[key]
            if columns.get(key) is None:
                fail(key, f"a new person needs {noun}, and the file has no {label} column")
            else:
                fail(key, f"a new person needs {noun}; the cell is blank")
        if "level_since" not in final and "level_since" not in withheld_keys:
            if final.get("hired_on") is not None:
                final["level_since"] = final["hired_on"]
            elif "hired_on" not in withheld_keys:
                fail(
                    "level_since",
                    "a new person needs the date they reached their level, or a hire date to use instead",
                )

    level_given = any(raw.get(key) for key in _LEVEL_FIELDS)
    if (existing is None and raw.get("level_code") and raw.get("family_id")) or (
        existing is not None and level_given
    ):
        _place(final, raw, existing, framework, fail)
    moved = existing is not None and (final["family_id"], final["track_id"], final["level_code"]) != (
        existing.family_id,
        existing.track_id,
        existing.level_code,
    )
    if moved and not raw.get("level_since"):
        final["level_since"] = today
    level_since, hired_on = final.get("level_since"), final.get("hired_on")
    if (
        isinstance(level_since, datetime.date)
        and isinstance(hired_on, datetime.date)
        and level_since < hired_on
    ):
        key = "level_since" if raw.get("level_since") or "hired_on" not in raw else "hired_on"
        fail(key, f"the level date {level_since.isoformat()} is before the hire date {hired_on.isoformat()}")

    manager_text: str | None = None
    if "manager" in raw:
        manager_text = raw["manager"]
    elif "manager" in withheld_keys:
        manager_text = ""
    return _Draft(
        row=row,
        existing=existing,
        final=final,
        manager_text=manager_text,
        problems=problems,
    )


#: What a new person lacks, as a sentence names it.
_NEEDS = {
    "employee_id": "an employee ID",
    "email": "an e-mail address",
    "full_name": "a full name",
    "family_id": "a job family",
    "level_code": "a level",
}


def _withheld_message(why: str) -> str:
    if why == FLAG_FORMULA:
        return "holds a spreadsheet formula; Trellis imports values only (paste the values instead)"
    if why == FLAG_ERROR:
        return "holds a spreadsheet error value instead of text"
    if why == FLAG_CONTROL:
        return "holds a control character"
    return (
        f'starts with "{why}", which spreadsheets run as a formula; such text is never imported '
        f'(remove the leading "{why}")'
    )


def _match(
    employee_id: str,
    email: str,
    raw: Mapping[str, str],
    by_employee_id: dict[str, ExistingPerson],
    by_email: dict[str, ExistingPerson],
    fail: Any,
) -> ExistingPerson | None:
    """The stored person a row describes: by employee ID, else by e-mail; None for a new person."""
    by_id = by_employee_id.get(employee_id) if employee_id else None
    by_address = by_email.get(email) if email else None
    if by_id is not None:
        if by_address is not None and by_address.pk != by_id.pk:
            fail(
                "email",
                f"the e-mail address {email} belongs to {by_address.full_name} ({by_address.employee_id}), "
                f"not to {employee_id}",
            )
        return by_id
    if by_address is not None:
        if employee_id:
            fail(
                "employee_id",
                f"the e-mail address {email} belongs to {by_address.full_name}, whose employee ID is "
                f"{by_address.employee_id}, not {employee_id}; an import does not change employee IDs",
            )
        return by_address
    if not employee_id and not raw.get("email"):
        fail("employee_id", "the row has neither an employee ID nor an e-mail address")
    elif not employee_id and email:
        fail("employee_id", f"nobody has the e-mail address {email}; a new person needs an employee ID")
    return None


def _team_name(text: str, team_names: dict[str, str], new_teams: dict[str, str], fail: Any) -> str | None:
    if not text:
        return None
    if len(text) > MAX_LENGTHS["team"]:
        fail(f"the team name is {len(text)} characters long; at most {MAX_LENGTHS['team']} fit")
        return None
    key = text.casefold()
    if key in team_names:
        return team_names[key]
    return new_teams.setdefault(key, text)


def _place(
    final: dict[str, Any],
    raw: Mapping[str, str],
    existing: ExistingPerson | None,
    framework: Framework,
    fail: Any,
) -> None:
    """Resolve family, track and level against `framework` into `final`, or report the problem.

    Ids and names are matched ignoring case (an export says "Engineering" where the framework's id
    is "engineering"). A missing track is the one track of the family with the level; a mistyped
    value is reported with the closest one the framework has.
    """
    family_text = raw.get("family_id") or final.get("family_id", "")
    family = _find(framework.families, family_text)
    if family is None:
        known = [f.id for f in framework.families]
        fail(
            "family_id" if raw.get("family_id") else "level_code",
            f'"{family_text}" is not a job family of the published framework'
            + _suggest(
                family_text,
                {**{f.id: f.id for f in framework.families}, **{f.name: f.id for f in framework.families}},
                known,
            ),
        )
        return
    level_text = raw.get("level_code") or final.get("level_code", "")
    track_text = raw.get("track_id", "")
    track: Track | None
    if track_text:
        track = _find(family.tracks, track_text)
        if track is None:
            fail(
                "track_id",
                f'"{track_text}" is not a track of {family.name}'
                + _suggest(
                    track_text,
                    {**{t.id: t.id for t in family.tracks}, **{t.name: t.id for t in family.tracks}},
                    [t.id for t in family.tracks],
                ),
            )
            return
    else:
        track = _track_of_level(
            family, level_text, current=final.get("track_id") if existing is not None else None
        )
        if track is None:
            holders = [t.id for t in family.tracks if _level_code(t, level_text) is not None]
            if len(holders) > 1:
                fail(
                    "track_id" if "track_id" in raw else "level_code",
                    f"level {level_text} is on several tracks of {family.name} ({', '.join(holders)}); "
                    "give the track in a Track column",
                )
                return
    if track is None:
        codes = [level.code for t in family.tracks for level in t.levels]
        fail(
            "level_code",
            f'"{level_text}" is not a level of {family.name} (levels: {", ".join(dict.fromkeys(codes))})'
            + _suggest_level(level_text, list(dict.fromkeys(codes))),
        )
        return
    code = _level_code(track, level_text)
    if code is None:
        codes = [level.code for level in track.levels]
        elsewhere = [t for t in family.tracks if t is not track and _level_code(t, level_text) is not None]
        hint = (
            f"; it is a level of the {elsewhere[0].name} track ({elsewhere[0].id})"
            if elsewhere
            else _suggest_level(level_text, codes)
        )
        fail(
            "level_code",
            f'"{level_text}" is not a level of {family.name} · {track.name} (levels: {", ".join(codes)}){hint}',
        )
        return
    final["family_id"], final["track_id"], final["level_code"] = family.id, track.id, code


def _find(items: Sequence[Any], text: str) -> Any:
    for item in items:
        if item.id == text:
            return item
    folded = text.casefold()
    for item in items:
        if item.id.casefold() == folded or item.name.casefold() == folded:
            return item
    return None


def _level_code(track: Track, text: str) -> str | None:
    folded = text.casefold()
    for level in track.levels:
        if level.code == text or level.code.casefold() == folded:
            return level.code
    return None


def _track_of_level(family: Family, level_text: str, *, current: str | None) -> Track | None:
    """The track holding `level_text`: the person's current track if it does, else the only one."""
    if current is not None:
        track = family.track(current)
        if track is not None and _level_code(track, level_text) is not None:
            return track
    holders = [t for t in family.tracks if _level_code(t, level_text) is not None]
    return holders[0] if len(holders) == 1 else None


def _suggest(text: str, names_to_ids: Mapping[str, str], known: Sequence[str]) -> str:
    folded = {name.casefold(): identifier for name, identifier in names_to_ids.items()}
    close = difflib.get_close_matches(text.casefold(), list(folded), n=1, cutoff=0.6)
    if close:
        return f'; did you mean "{folded[close[0]]}"?'
    return f" (known: {', '.join(known)})"


def _suggest_level(text: str, codes: Sequence[str]) -> str:
    """The closest level code: the same prefix with the nearest number, else the closest spelling."""
    parsed = re.match(r"^([A-Za-z]+)(\d+)$", text)
    if parsed is not None:
        prefix, number = parsed.group(1).casefold(), int(parsed.group(2))
        same_prefix = []
        for code in codes:
            other = re.match(r"^([A-Za-z]+)(\d+)$", code)
            if other is not None and other.group(1).casefold() == prefix:
                same_prefix.append((abs(int(other.group(2)) - number), code))
        if same_prefix:
            return f'; did you mean "{min(same_prefix)[1]}"?'
    close = difflib.get_close_matches(text, list(codes), n=1, cutoff=0.5)
    return f'; did you mean "{close[0]}"?' if close else ""


_DUPLICATE_KINDS = ("employee_id", "email", "person")


def _reject_duplicates(drafts: list[_Draft], mapping: ColumnMapping) -> None:
    """Rows that name the same employee ID, e-mail address or stored person are all rejected:
    which of them is right cannot be known. Each set of rows is reported once, by the first of
    employee ID, e-mail address and person that they share."""
    groups: dict[tuple[str, str], list[_Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.final.get("employee_id"):
            groups["employee_id", draft.final["employee_id"]].append(draft)
        if draft.final.get("email"):
            groups["email", draft.final["email"]].append(draft)
        if draft.existing is not None:
            groups["person", str(draft.existing.pk)].append(draft)
    reported: set[frozenset[int]] = set()
    for (kind, value), members in sorted(groups.items(), key=lambda item: _DUPLICATE_KINDS.index(item[0][0])):
        if len(members) < 2:
            continue
        numbers = frozenset(m.row.number for m in members)
        if numbers in reported:
            continue
        reported.add(numbers)
        for member in members:
            others = [n for n in sorted(numbers) if n != member.row.number]
            where = f"row {others[0]}" if len(others) == 1 else "rows " + ", ".join(str(n) for n in others)
            if kind == "person":
                person = member.existing
                assert person is not None
                verb = "describes" if len(others) == 1 else "describe"
                message = f"{where} also {verb} {_label(person.full_name, person.employee_id)}; each person may appear once"
                column = None
            else:
                noun = "employee ID" if kind == "employee_id" else "e-mail address"
                message = f"the {noun} {value} is also on {where}; each person may appear once"
                column = mapping.get(kind)
            member.problems.append(Problem(column, message))


def _label(full_name: str, employee_id: str) -> str:
    return f"{full_name} ({employee_id})" if full_name else employee_id


def _resolve_reporting_lines(
    drafts: list[_Draft], people_by_pk: dict[int, ExistingPerson], mapping: ColumnMapping
) -> None:
    """Find every row's manager in the state after the import, and reject rows whose manager is
    unknown, inactive, rejected, themselves, or closes a circle in the reporting lines.

    Rejecting a row can make others fail (its reports have no manager any more; a person it would
    have moved keeps their old manager, which may close a circle), so this repeats until a round
    rejects nothing. Reports of a rejected row are rejected in the same round, down the line.
    """
    manager_column = mapping.get("manager")
    draft_by_node = {d.node: d for d in drafts}
    # A manager found nowhere is the row's own mistake: reported on every row, rejected or not.
    known = {p.employee_id for p in people_by_pk.values()} | {p.email for p in people_by_pk.values()}
    for draft in drafts:
        known.update(value for value in (draft.final.get("employee_id"), draft.final.get("email")) if value)
    for draft in drafts:
        reference = draft.manager_text
        if reference and (reference.lower() if "@" in reference else reference) not in known:
            draft.problems.append(Problem(manager_column, _unknown_manager(reference)))
    while True:
        accepted = [d for d in drafts if not d.problems]
        accepted_nodes = {d.node for d in accepted}
        by_employee_id: dict[str, Node] = {}
        by_email: dict[str, Node] = {}
        active: dict[Node, bool] = {}
        names: dict[Node, str] = {}
        manager_of: dict[Node, Node | None] = {}
        for person in people_by_pk.values():
            node: Node = ("person", person.pk)
            names[node] = _label(person.full_name, person.employee_id)
            if node in accepted_nodes:
                continue
            by_employee_id[person.employee_id] = node
            by_email[person.email] = node
            active[node] = person.is_active
            manager_of[node] = ("person", person.manager_pk) if person.manager_pk is not None else None
        for draft in accepted:
            node = draft.node
            by_employee_id[draft.final["employee_id"]] = node
            by_email[draft.final["email"]] = node
            active[node] = draft.final["is_active"]
            names[node] = _label(draft.final.get("full_name", ""), draft.final["employee_id"])
        rejected_identities: dict[str, int] = {}
        for draft in drafts:
            if draft.problems:
                for key in ("employee_id", "email"):
                    if draft.final.get(key):
                        rejected_identities.setdefault(draft.final[key], draft.row.number)

        changed = False
        for draft in accepted:
            problem = _find_manager(
                draft, by_employee_id, by_email, active, names, draft_by_node, rejected_identities
            )
            if problem is not None:
                draft.problems.append(Problem(manager_column, problem))
                changed = True
            else:
                manager_of[draft.node] = draft.manager

        # Reports of a rejected new person are rejected too, down the line, in this round.
        reports: dict[Node, list[_Draft]] = defaultdict(list)
        for draft in accepted:
            if not draft.problems and draft.manager is not None:
                reports[draft.manager].append(draft)
        queue = [d for d in drafts if d.problems and d.existing is None]
        while queue:
            gone = queue.pop()
            for report in reports.get(gone.node, []):
                if report.problems:
                    continue
                report.problems.append(
                    Problem(
                        manager_column,
                        f"the manager {gone.identity()} is on row {gone.row.number}, which is rejected",
                    )
                )
                changed = True
                if report.existing is None:
                    queue.append(report)
        if changed:
            continue
        if not _reject_circles(accepted, manager_of, names, draft_by_node, manager_column):
            return


def _unknown_manager(reference: str) -> str:
    return f'the manager "{reference}" is neither in the file nor among the people in Trellis'


def _find_manager(
    draft: _Draft,
    by_employee_id: dict[str, Node],
    by_email: dict[str, Node],
    active: dict[Node, bool],
    names: dict[Node, str],
    draft_by_node: dict[Node, _Draft],
    rejected_identities: dict[str, int],
) -> str | None:
    """Set `draft.manager` from its manager cell (or keep the stored one); the problem, if any."""
    reference = draft.manager_text
    if reference is None:
        existing = draft.existing
        draft.manager = (
            ("person", existing.manager_pk) if existing and existing.manager_pk is not None else None
        )
        return None
    if reference == "":
        draft.manager = None
        return None
    key = reference.lower() if "@" in reference else reference
    target = by_email.get(key) if "@" in reference else by_employee_id.get(key)
    if target is None:
        row_number = rejected_identities.get(key)
        if row_number is not None:
            return f"the manager {reference} is on row {row_number}, which is rejected"
        return _unknown_manager(reference)
    if target == draft.node:
        return "a person cannot be their own manager"
    if not active[target]:
        holder = draft_by_node.get(target)
        if holder is not None and holder.problems:
            return (
                f"the manager {names[target]} is not active, and row {holder.row.number}, which would "
                "change that, is rejected"
            )
        return f"the manager {names[target]} is not active"
    draft.manager = target
    return None


def _reject_circles(
    accepted: list[_Draft],
    manager_of: dict[Node, Node | None],
    names: dict[Node, str],
    draft_by_node: dict[Node, _Draft],
    manager_column: int | None,
) -> bool:
    """Reject the rows whose new manager closes a circle; whether any row was rejected.

    Every walk goes up from a row's person; meeting a person already on the same walk closes a
    circle. Only rows that change a manager are blamed: the others merely sit on the circle.
    """
    state: dict[Node, int] = {}  # 1: on the current walk; 2: known to reach the top or a circle
    rejected_any = False
    for draft in accepted:
        walk: list[Node] = []
        node: Node | None = draft.node
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = manager_of.get(node)
        if node is not None and state[node] == 1:
            circle = walk[walk.index(node) :]
            line = " → ".join(names.get(n, str(n)) for n in [*circle, circle[0]])
            for member_node in circle:
                member = draft_by_node.get(member_node)
                if member is not None and not member.problems and _changes_manager(member):
                    member.problems.append(
                        Problem(manager_column, f"the reporting line would go round in a circle: {line}")
                    )
                    rejected_any = True
        for walked in walk:
            state[walked] = 2
    return rejected_any


def _changes_manager(draft: _Draft) -> bool:
    if draft.existing is None:
        return draft.manager is not None
    current = ("person", draft.existing.manager_pk) if draft.existing.manager_pk is not None else None
    return draft.manager != current


#: What a new person's preview lists, in this order (the name and employee ID head the row).
_SHOWN_ON_CREATE = (
    "email",
    "title",
    "team",
    "family_id",
    "track_id",
    "level_code",
    "level_since",
    "hired_on",
)


def _row_plan(draft: _Draft, names: dict[Node, str]) -> RowPlan:
    existing = draft.existing
    final = draft.final
    employee_id = final.get("employee_id") or ""
    full_name = final.get("full_name") or ""
    if draft.problems:
        return RowPlan(
            number=draft.row.number,
            outcome=Outcome.REJECT,
            employee_id=employee_id,
            full_name=full_name,
            person_pk=existing.pk if existing is not None else None,
            # Left to right, as the person reads the row; problems of the whole row first.
            problems=sorted(draft.problems, key=lambda p: -1 if p.column is None else p.column),
        )
    if existing is None:
        values = {key: final.get(key) for key in ("employee_id", "email", "full_name", *_COMPARED[2:])}
        changes = [Change(key, "", _shown(values[key])) for key in _SHOWN_ON_CREATE if values[key]]
        if not values["is_active"]:
            changes.append(Change("is_active", "", "no"))
        if draft.manager is not None:
            changes.append(Change("manager", "", names[draft.manager]))
        return RowPlan(
            number=draft.row.number,
            outcome=Outcome.CREATE,
            employee_id=employee_id,
            full_name=full_name,
            values=values,
            manager=draft.manager,
            manager_changed=draft.manager is not None,
            changes=changes,
        )
    current = {
        "email": existing.email,
        "full_name": existing.full_name,
        "title": existing.title,
        "team": existing.team,
        "family_id": existing.family_id,
        "track_id": existing.track_id,
        "level_code": existing.level_code,
        "level_since": existing.level_since,
        "hired_on": existing.hired_on,
        "is_active": existing.is_active,
    }
    values = {key: final[key] for key in _COMPARED if final[key] != current[key]}
    changes = [Change(key, _shown(current[key]), _shown(values[key])) for key in values]
    if any(key in values for key in _LEVEL_FIELDS):
        # Written with the level even when it is the same date: the file says so, and without it
        # the service would date a level change today.
        values["level_since"] = final["level_since"]
    old_manager: Node | None = ("person", existing.manager_pk) if existing.manager_pk is not None else None
    manager_changed = draft.manager != old_manager
    if manager_changed:
        changes.append(
            Change(
                "manager",
                names[old_manager] if old_manager is not None else "",
                names[draft.manager] if draft.manager is not None else "",
            )
        )
    return RowPlan(
        number=draft.row.number,
        outcome=Outcome.UPDATE if changes else Outcome.UNCHANGED,
        employee_id=employee_id,
        full_name=full_name,
        person_pk=existing.pk,
        values=values,
        manager=draft.manager,
        manager_changed=manager_changed,
        changes=changes,
    )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _apply_order(rows: list[RowPlan]) -> list[int]:
    """Indices of the rows to write, each row after the row of its manager."""
    index_by_node = {
        row.node: i for i, row in enumerate(rows) if row.outcome in (Outcome.CREATE, Outcome.UPDATE)
    }
    order: list[int] = []
    placed: set[int] = set()
    for start in index_by_node.values():
        chain: list[int] = []
        on_chain: set[int] = set()
        index: int | None = start
        while index is not None and index not in placed and index not in on_chain:
            chain.append(index)
            on_chain.add(index)
            manager = rows[index].manager
            index = index_by_node.get(manager) if manager is not None else None
        for item in reversed(chain):
            placed.add(item)
            order.append(item)
    return order
