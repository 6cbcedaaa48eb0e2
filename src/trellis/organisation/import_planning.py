"""Planning an import of people: what each row of an HRIS export would do. Pure Python: no
Django, no database.

`plan_import` compares the rows of a `Table` (see `trellis.organisation.import_reading`) with the people
already stored and decides, row by row: create, update (with the fields that change), leave
unchanged, or reject (with every reason, located by column). Rows are matched to people by
employee ID or e-mail address, never by database id. Rows that depend on a rejected row (their
manager is rejected) are rejected too, so the accepted rows of a plan can always be applied on
their own, in `ImportPlan.order`: managers before their reports, which keeps every intermediate
state of the reporting lines acyclic.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.organisation.import_mapping import ColumnMapping, column_date_formats
from trellis.organisation.import_plan import (
    Change,
    ExistingPerson,
    ImportPlan,
    Node,
    Outcome,
    Problem,
    RowDraft,
    RowPlan,
    person_label,
)
from trellis.organisation.import_reading import FLAG_CONTROL, FLAG_ERROR, FLAG_FORMULA, Row, Table
from trellis.organisation.import_reporting_lines import apply_order, resolve_reporting_lines
from trellis.organisation.import_template import EXAMPLE_EMPLOYEE_ID, EXAMPLE_ROW_PROBLEM
from trellis.organisation.import_values import (
    DateFormat,
    InvalidValue,
    check_email,
    check_length,
    parse_active,
    parse_date,
)
from trellis.organisation.levels import place
from trellis.organisation.person_fields import (
    COMPARED,
    FIELDS_BY_KEY,
    LEVEL_FIELDS,
    MAX_LENGTHS,
    REQUIRED_TO_CREATE,
    SHOWN_ON_CREATE,
    VALUES,
)


def plan_import(
    table: Table,
    mapping: ColumnMapping,
    *,
    framework: Framework,
    people: Iterable[ExistingPerson],
    teams: Iterable[str],
    today: datetime.date,
    progress: Callable[[int], None] | None = None,
    date_format: DateFormat = DateFormat.DETECT,
) -> ImportPlan:
    """Decide what importing `table` (its columns read as `mapping` says) does to `people`.

    Nothing is written: the plan lists each row's outcome with its changes or its problems. A
    blank cell keeps a required field as it is (employee ID, e-mail, name, family, level, level
    date, active) and clears an optional one (title, team, manager, hire date); a column that is
    not mapped keeps the field as it is. `today` is the level date of a level change that gives no
    date. `teams` are the names of the existing teams (matched ignoring case). `progress(rows
    checked)` is called about every hundredth of the rows. Numeric dates are read in
    `date_format`, detected per column when it is `DETECT` (a column that reads either way is the
    mapping's problem, `import_mapping.column_date_formats`; here its numeric dates are rejected).
    """
    everyone = list(people)
    by_employee_id = {p.employee_id: p for p in everyone}
    by_email = {p.email: p for p in everyone}
    team_names = {name.casefold(): name for name in teams}
    new_teams: dict[str, str] = {}
    every = max(1, len(table.rows) // 100)
    formats, _unclear = column_date_formats(table, mapping, date_format)
    drafts = []
    for position, row in enumerate(table.rows, start=1):
        drafts.append(
            _draft(row, mapping, framework, by_employee_id, by_email, team_names, new_teams, today, formats)
        )
        if progress is not None and position % every == 0:
            progress(position)
    _reject_duplicates(drafts, mapping)
    people_by_pk = {p.pk: p for p in everyone}
    resolve_reporting_lines(drafts, people_by_pk, mapping)
    names: dict[Node, str] = {("person", p.pk): person_label(p.full_name, p.employee_id) for p in everyone}
    for draft in drafts:
        if not draft.problems:
            names[draft.node] = person_label(draft.final.get("full_name", ""), draft.final["employee_id"])
    rows = [_row_plan(d, names) for d in drafts]
    for draft, row_plan in zip(drafts, rows, strict=True):
        if row_plan.outcome is Outcome.UPDATE:
            row_plan.warnings.extend(_level_time_warnings(draft, framework, mapping))
    order = apply_order(rows)
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
    date_formats: Mapping[str, DateFormat],
) -> RowDraft:
    """One row read into the state it asks for (`RowDraft.final`), with the problems it has on its
    own; those that involve other rows (duplicates, managers, circles) are found afterwards."""
    problems: list[Problem] = []
    columns = {key: column for key, column in mapping.items() if column is not None}
    for column in columns.values():
        why = row.withheld.get(column)
        if why is not None:
            problems.append(Problem(column, _withheld_message(why)))
    if row.extra_cells:
        extra = wording.count(row.extra_cells, "more non-blank cell")
        problems.append(
            Problem(
                None,
                f"the row has {extra} than the header row has columns; "
                "is a delimiter inside a value without quotes?",
            )
        )
    withheld_keys = {key for key, column in columns.items() if column in row.withheld}
    raw = {key: row.cells[column] for key, column in columns.items() if key not in withheld_keys}

    def fail(key: str, message: str) -> None:
        problems.append(Problem(columns.get(key), message))

    employee_id = raw.get("employee_id", "")
    if employee_id == EXAMPLE_EMPLOYEE_ID:
        # Only this problem: the row is to be deleted, not fixed.
        return RowDraft(
            row=row,
            existing=None,
            final={"employee_id": employee_id, "full_name": raw.get("full_name", "")},
            manager_text=None,
            problems=[Problem(columns.get("employee_id"), EXAMPLE_ROW_PROBLEM)],
        )
    email = ""
    if raw.get("email"):
        try:
            email = check_email(raw["email"])
        except InvalidValue as invalid:
            fail("email", str(invalid))
    existing = _match(employee_id, email, raw, by_employee_id, by_email, fail)

    final: dict[str, Any] = (
        existing.values()
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
                    final[key] = parse_date(raw[key], date_formats.get(key, DateFormat.ISO))
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
            label, noun = FIELDS_BY_KEY[key].label, FIELDS_BY_KEY[key].needed_to_create
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

    level_given = any(raw.get(key) for key in LEVEL_FIELDS)
    if (existing is None and raw.get("level_code") and raw.get("family_id")) or (
        existing is not None and level_given
    ):
        place(final, raw, framework, fail, has_person=existing is not None)
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
    return RowDraft(
        row=row,
        existing=existing,
        final=final,
        manager_text=manager_text,
        problems=problems,
    )


def _level_time_warnings(draft: RowDraft, framework: Framework, mapping: ColumnMapping) -> list[Problem]:
    """A warning when the row moves a person off a level earlier than the framework's minimum
    time at it (`Level.min_months_in_level`), counted from their current level date."""
    existing, final = draft.existing, draft.final
    assert existing is not None
    old = (existing.family_id, existing.track_id, existing.level_code)
    if (final["family_id"], final["track_id"], final["level_code"]) == old:
        return []
    family = framework.family(existing.family_id)
    track = family.track(existing.track_id) if family is not None else None
    level = track.level(existing.level_code) if track is not None else None
    minimum = level.min_months_in_level if level is not None else None
    if not minimum:
        return []
    effective: datetime.date = final["level_since"]
    earliest = _months_after(existing.level_since, minimum)
    if effective >= earliest:
        return []
    column = (
        mapping.get("level_since") if mapping.get("level_since") is not None else mapping.get("level_code")
    )
    return [
        Problem(
            column,
            f"{existing.level_code} to {final['level_code']} on {effective.isoformat()} is after "
            f"{wording.time_since(existing.level_since, effective)} at {existing.level_code} (since "
            f"{existing.level_since.isoformat()}); the framework's minimum time at {existing.level_code} "
            f"is {wording.months(minimum)}, reached on {earliest.isoformat()}",
        )
    ]


def _months_after(start: datetime.date, months: int) -> datetime.date:
    """The day `months` calendar months after `start` (the month's last day when it is shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return min(
        start.replace(year=year, month=month, day=1) + datetime.timedelta(days=start.day - 1),
        next_month - datetime.timedelta(days=1),
    )


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


_DUPLICATE_KINDS = ("employee_id", "email", "person")


def _reject_duplicates(drafts: list[RowDraft], mapping: ColumnMapping) -> None:
    """Rows that name the same employee ID, e-mail address or stored person are all rejected:
    which of them is right cannot be known. Each set of rows is reported once, by the first of
    employee ID, e-mail address and person that they share."""
    groups: dict[tuple[str, str], list[RowDraft]] = defaultdict(list)
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
                message = f"{where} also {verb} {person_label(person.full_name, person.employee_id)}; each person may appear once"
                column = None
            else:
                noun = "employee ID" if kind == "employee_id" else "e-mail address"
                message = f"the {noun} {value} is also on {where}; each person may appear once"
                column = mapping.get(kind)
            member.problems.append(Problem(column, message))


def _row_plan(draft: RowDraft, names: dict[Node, str]) -> RowPlan:
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
        values = {key: final.get(key) for key in VALUES}
        changes = [Change(key, "", _shown(values[key])) for key in SHOWN_ON_CREATE if values[key]]
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
    current = existing.values()
    values = {key: final[key] for key in COMPARED if final[key] != current[key]}
    changes = [Change(key, _shown(current[key]), _shown(values[key])) for key in values]
    if any(key in values for key in LEVEL_FIELDS):
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
