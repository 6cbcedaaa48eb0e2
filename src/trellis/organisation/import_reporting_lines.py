"""The reporting lines after an import: each row's manager, rows rejected for their manager, and
the order that writes managers before their reports. Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections import defaultdict

from trellis.organisation.import_mapping import ColumnMapping
from trellis.organisation.import_plan import (
    ExistingPerson,
    Node,
    Outcome,
    Problem,
    RowDraft,
    RowPlan,
    person_label,
)


def resolve_reporting_lines(
    drafts: list[RowDraft], people_by_pk: dict[int, ExistingPerson], mapping: ColumnMapping
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
            names[node] = person_label(person.full_name, person.employee_id)
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
            names[node] = person_label(draft.final.get("full_name", ""), draft.final["employee_id"])
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
        reports: dict[Node, list[RowDraft]] = defaultdict(list)
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
    draft: RowDraft,
    by_employee_id: dict[str, Node],
    by_email: dict[str, Node],
    active: dict[Node, bool],
    names: dict[Node, str],
    draft_by_node: dict[Node, RowDraft],
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
    accepted: list[RowDraft],
    manager_of: dict[Node, Node | None],
    names: dict[Node, str],
    draft_by_node: dict[Node, RowDraft],
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


def _changes_manager(draft: RowDraft) -> bool:
    if draft.existing is None:
        return draft.manager is not None
    current = ("person", draft.existing.manager_pk) if draft.existing.manager_pk is not None else None
    return draft.manager != current


def apply_order(rows: list[RowPlan]) -> list[int]:
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
