"""The downloadable import template: the header row Trellis reads without any mapping, and one
example row. Pure Python.

The example row is marked, not merely described: its employee ID is `EXAMPLE_EMPLOYEE_ID`, and
the planner rejects a row with that ID, saying it is the template's example to delete. So a file
filled in below the example and uploaded as it is cannot create the example person; the preview
names the row, and the importer deletes it (or imports only the valid rows). A note in the row's
name says the same to whoever opens the file.
"""

from __future__ import annotations

from trellis.framework.model import Framework
from trellis.organisation.person_fields import FIELDS

#: The employee ID of the template's example row; a row with it is never imported.
EXAMPLE_EMPLOYEE_ID = "EXAMPLE-DELETE-THIS-ROW"

#: Why the planner rejects the example row.
EXAMPLE_ROW_PROBLEM = "this is the template's example row; delete it from the file before importing"


def template_rows(framework: Framework | None) -> list[list[str]]:
    """The header row (every field's label) and the example row, placed on the first level of
    `framework`'s first track when there is one."""
    family_id, track_id, level_code = "engineering", "ic", "IC3"
    if framework is not None and framework.families and framework.families[0].tracks:
        family = framework.families[0]
        track = family.tracks[0]
        family_id, track_id = family.id, track.id
        level_code = track.levels[0].code if track.levels else level_code
    example = {
        "employee_id": EXAMPLE_EMPLOYEE_ID,
        "email": "ana.example@example.com",
        "full_name": "Ana Example (example: delete this row)",
        "title": "Software engineer",
        "team": "Platform",
        "family_id": family_id,
        "track_id": track_id,
        "level_code": level_code,
        "level_since": "2024-03-01",
        "manager": "",
        "hired_on": "2022-09-01",
        "is_active": "yes",
    }
    return [[f.label for f in FIELDS], [example.get(f.key, "") for f in FIELDS]]
