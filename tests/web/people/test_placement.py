"""The names of a person's place in the framework (time in level is worded by
`trellis.framework.wording`, tested in tests/framework/test_wording.py)."""

from __future__ import annotations

from trellis.framework.templates import starter
from trellis.web.people.placement import place_of


def test_place_of_names_family_track_and_level() -> None:
    framework = starter(["engineering"], "growth")
    place = place_of(framework, family_id="engineering", track_id="management", level_code="M1")
    assert place is not None
    assert (place.family_name, place.track_name, place.track_kind, place.level.title) == (
        "Engineering",
        "Engineering management",
        "management",
        "Engineering Manager",
    )
    assert place_of(framework, family_id="engineering", track_id="ic", level_code="M1") is None
    assert place_of(None, family_id="engineering", track_id="ic", level_code="IC1") is None
