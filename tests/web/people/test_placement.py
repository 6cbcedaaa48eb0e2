"""Time in level as people say it, and the names of a person's place in the framework."""

from __future__ import annotations

import datetime

import pytest

from trellis.framework.templates import starter
from trellis.web.people.placement import describe_duration, place_of

TODAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (datetime.date(2026, 11, 22), "today"),
        (datetime.date(2026, 11, 23), "not yet"),
        (datetime.date(2026, 11, 21), "1 day"),
        (datetime.date(2026, 11, 1), "3 weeks"),
        (datetime.date(2026, 10, 22), "1 month"),
        (datetime.date(2026, 10, 23), "4 weeks"),
        (datetime.date(2025, 11, 22), "1 year"),
        (datetime.date(2024, 8, 1), "2 years, 3 months"),
        (datetime.date(2025, 1, 31), "1 year, 9 months"),
    ],
)
def test_describe_duration(since: datetime.date, expected: str) -> None:
    assert describe_duration(since, TODAY) == expected


def test_from_the_end_of_a_long_month_a_month_is_not_yet_over() -> None:
    assert describe_duration(datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)) == "4 weeks"


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
