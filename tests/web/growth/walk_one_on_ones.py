"""The 1:1s the authorization walk requests pages about, added to its persona company: one of the
employee with their manager (an agenda item, a shared note and a private note by each), and
one of the manager with the skip-level manager."""

from __future__ import annotations

import datetime
from typing import Any

from trellis.web.growth.models import AgendaItem, OneOnOne, PrivateNote, SharedNote

#: The private notes of the employee's 1:1, each a string found nowhere else (the privacy tests
#: look for them on every page): the manager's, and the employee's own.
MANAGER_PRIVATE_MARKER = "zq-manager-private-7f3a9c"
EMPLOYEE_PRIVATE_MARKER = "zq-employee-private-2b8e41"
#: A second word of each note, to search for: a page that echoes the query shows the word, and only
#: a page that shows the note shows its marker.
MANAGER_PRIVATE_WORD = "zqwordmanager91d2"
EMPLOYEE_PRIVATE_WORD = "zqwordemployee5c07"


def one_on_one_scenario(company: dict[str, Any]) -> dict[str, Any]:
    """Create the walk's 1:1s for `company` (the walk's fixture) and return them by name."""
    employee = company["employee"].person
    manager = company["manager"].person
    skip_level = company["skip_level"].person
    with_employee = OneOnOne.objects.create(
        manager=manager, report=employee, happens_on=datetime.date(2026, 11, 2)
    )
    AgendaItem.objects.create(meeting=with_employee, author=employee, text="The payments design review")
    SharedNote.objects.create(meeting=with_employee, author=manager, text="Agreed to lead the next review.")
    PrivateNote.objects.create(
        meeting=with_employee,
        author=manager,
        text=f"Seems tired {MANAGER_PRIVATE_WORD} {MANAGER_PRIVATE_MARKER}",
    )
    PrivateNote.objects.create(
        meeting=with_employee,
        author=employee,
        text=f"Ask for a raise {EMPLOYEE_PRIVATE_WORD} {EMPLOYEE_PRIVATE_MARKER}",
    )
    with_manager = OneOnOne.objects.create(
        manager=skip_level, report=manager, happens_on=datetime.date(2026, 11, 3)
    )
    return {"one_on_one_employee": with_employee, "one_on_one_manager": with_manager}
