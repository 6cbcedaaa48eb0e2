"""The 1:1s the authorization walk requests pages about, added to its persona company: one of the
employee with their manager (an agenda item, a shared note and a private note by the manager), and
one of the manager with the skip-level manager."""

from __future__ import annotations

import datetime
from typing import Any

from trellis.web.growth.models import AgendaItem, OneOnOne, PrivateNote, SharedNote


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
    PrivateNote.objects.create(meeting=with_employee, author=manager, text="Seems tired; ask about workload.")
    with_manager = OneOnOne.objects.create(
        manager=skip_level, report=manager, happens_on=datetime.date(2026, 11, 3)
    )
    return {"one_on_one_employee": with_employee, "one_on_one_manager": with_manager}
