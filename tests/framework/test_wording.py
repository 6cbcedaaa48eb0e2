"""Each wording Trellis uses, pinned once with its exact text: every page, export, search result
and lint message takes its words from `trellis.framework.wording`."""

from __future__ import annotations

import datetime

import pytest

from trellis.framework import wording
from trellis.framework.model import (
    CompensationBand,
    CompetencyKind,
    Level,
    RatingPoint,
    RatingScale,
    TimeAtLevel,
    Track,
    TrackKind,
)

TODAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, "3"),
        (3.0, "3"),
        (3.5, "3.5"),
        (3.25, "3.25"),
        (0.1, "0.1"),
        (1e-7, "0.0000001"),
        (1e16, "10000000000000000"),
    ],
)
def test_number(value: float, expected: str) -> None:
    assert wording.number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (240000, "240,000"),
        (240000.0, "240,000"),
        (120000.5, "120,000.50"),
        (1500.25, "1,500.25"),
        (0.125, "0.125"),
        (1234567.891, "1,234,567.891"),
    ],
)
def test_amount_keeps_every_decimal_it_has(value: float, expected: str) -> None:
    assert wording.amount(value) == expected


def test_band() -> None:
    assert wording.band(CompensationBand(minimum=90000, maximum=120000.5, currency="EUR")) == (
        "EUR 90,000–120,000.50"
    )
    assert wording.band(CompensationBand(minimum=90000, maximum=120000)) == "USD 90,000–120,000"


def test_count() -> None:
    assert wording.count(1, "level") == "1 level"
    assert wording.count(0, "level") == "0 levels"
    assert wording.count(2, "job family", "job families") == "2 job families"
    assert wording.count(1, "job family", "job families") == "1 job family"


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (0, "0 months"),
        (1, "1 month"),
        (5, "5 months"),
        (12, "1 year"),
        (18, "1 year, 6 months"),
        (24, "2 years"),
        (25, "2 years, 1 month"),
    ],
)
def test_months(months: int, expected: str) -> None:
    assert wording.months(months) == expected


def test_time_at_level() -> None:
    assert wording.time_at_level(TimeAtLevel(count=1, unit="quarters")) == "1 quarter"
    assert wording.time_at_level(TimeAtLevel(count=3, unit="quarters")) == "3 quarters"
    assert wording.time_at_level(TimeAtLevel(count=2, unit="cycles")) == "2 cycles"
    # Months are a duration like any other.
    assert wording.time_at_level(TimeAtLevel(count=6, unit="months")) == "6 months"
    assert wording.time_at_level(TimeAtLevel(count=24, unit="months")) == "2 years"


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (datetime.date(2026, 11, 22), "today"),
        (datetime.date(2026, 11, 23), "not yet"),
        (datetime.date(2026, 11, 21), "1 day"),
        (datetime.date(2026, 11, 16), "6 days"),
        (datetime.date(2026, 11, 1), "3 weeks"),
        (datetime.date(2026, 10, 22), "1 month"),
        (datetime.date(2026, 10, 23), "4 weeks"),
        (datetime.date(2025, 11, 22), "1 year"),
        (datetime.date(2024, 11, 22), "2 years"),
        (datetime.date(2024, 8, 1), "2 years, 3 months"),
        (datetime.date(2025, 1, 31), "1 year, 9 months"),
    ],
)
def test_time_since(since: datetime.date, expected: str) -> None:
    assert wording.time_since(since, TODAY) == expected


def test_from_the_end_of_a_long_month_a_month_is_not_yet_over() -> None:
    assert wording.time_since(datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)) == "4 weeks"


def test_time_since_and_months_agree() -> None:
    assert wording.time_since(datetime.date(2024, 11, 22), TODAY) == wording.months(24)


SCALE = RatingScale(
    points=[
        RatingPoint(value=1, label="Learning"),
        RatingPoint(value=3, label="Proficient"),
        RatingPoint(value=4, label="4"),
    ]
)


def test_ratings() -> None:
    assert wording.rating_text(SCALE, 3) == "3 · Proficient"
    assert wording.rating_text(SCALE, 3.0) == "3 · Proficient"
    assert wording.rating_text(SCALE, 3.5) == "3.5"
    assert wording.rating_text(SCALE, 4) == "4"  # a label that only repeats the number
    assert wording.rating_text(SCALE, 2) == "2"  # no such point
    assert wording.rating_label(SCALE, 1) == "Learning"
    assert wording.rating_label(SCALE, 1.5) == ""
    assert wording.rating_label(SCALE, 2) == ""


def test_labels() -> None:
    level = Level(code="IC3", name="Senior", title="Senior Engineer")
    assert wording.level_label(level) == "IC3 Senior Engineer"
    assert wording.track_kind_label(TrackKind.IC) == "Individual contributor"
    assert wording.track_kind_label("management") == "Management"
    assert wording.track_kind_label("named") == "Named track"
    assert wording.track_kind_label("other") == "other"
    assert wording.track_kind_note(Track(id="ic", name="Individual contributor", kind="ic")) == ""
    assert wording.track_kind_note(Track(id="m", name="Management", kind="management")) == ""
    assert wording.track_kind_note(Track(id="m", name="Engineering management", kind="management")) == (
        "Management"
    )
    assert wording.track_kind_note(Track(id="r", name="Relationship", kind="named")) == "Named track"
    assert wording.competency_kind_label(CompetencyKind.CORE) == "Core"
    assert wording.competency_kind_label("functional", "Engineering") == "Functional · Engineering"
    assert wording.competency_kind_label(None, "Engineering") == "Engineering"
    assert wording.crossover_departure("M1", "Management") == "Crossover to M1 (Management)"
    assert wording.crossover_arrival("IC3", "Individual contributor") == (
        "Entry from IC3 (Individual contributor)"
    )
    assert wording.crossover_direction(True) == "Two-way"
    assert wording.crossover_direction(False) == "One-way"
    assert wording.crossover_way_back(True, "IC3", "Individual contributor") == (
        "People may move back to IC3 (Individual contributor) without penalty."
    )
    assert wording.crossover_way_back(False, "IC3", "Individual contributor") == (
        "Moving back is a new decision, not a return."
    )


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ([], ""),
        (["Design"], "Design"),
        (["Design", "Data"], "Design and Data"),
        (["A", "B", "C"], "A, B and C"),
    ],
)
def test_a_listing_joins_the_last_with_and(items: list[str], text: str) -> None:
    assert wording.listing(items) == text


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (0.81538, 3, "0.815"),
        (1.0, 3, "1.000"),
        (-0.1789, 3, "-0.179"),
        (-0.0001, 3, "0.000"),
        (2.5, 1, "2.5"),
    ],
)
def test_a_statistic_has_fixed_decimals_and_no_negative_zero(value: float, places: int, text: str) -> None:
    assert wording.decimal(value, places) == text


def test_an_interval_and_a_percentage() -> None:
    assert wording.value_range(-0.1789, 1.0, 3) == "-0.179 to 1.000"
    assert wording.percent(0.95) == "95%"
    assert wording.percent(0.125, 1) == "12.5%"
    assert wording.percent(0.0) == "0%"
