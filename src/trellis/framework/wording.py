"""How Trellis words things: numbers, amounts, compensation bands, durations, counts, ratings and
the labels of levels, tracks and competency kinds.

Every page, export, search result and lint message words these through this module, so a band or
a duration reads the same wherever a person meets it. Each function returns plain text; callers
escape it for their own format. Pure: no Django, no I/O.

The rules, pinned in ``tests/framework/test_wording.py``:

- a number is written as people write it: ``3``, ``3.5``, never ``3.0`` or ``3.50``;
- an amount has thousands separators and keeps every decimal it has, with at least two once it has
  any (money): ``120,000``, ``120,000.50``, ``0.125``;
- a band is the currency, then the range: ``EUR 90,000–120,000.50``;
- a duration in months is whole years and the months left over: ``5 months``, ``1 year``,
  ``2 years``, ``1 year, 6 months``;
- time since a date is the same duration, then weeks or days under a month: ``3 weeks``, ``today``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from trellis.framework.model import (
    CompensationBand,
    CompetencyKind,
    Level,
    RatingScale,
    TimeAtLevel,
    TimeUnit,
    Track,
    TrackKind,
)

__all__ = [
    "TRACK_KIND_LABELS",
    "amount",
    "band",
    "competency_kind_label",
    "count",
    "crossover_arrival",
    "crossover_departure",
    "crossover_direction",
    "crossover_way_back",
    "level_label",
    "months",
    "number",
    "rating_label",
    "rating_text",
    "time_at_level",
    "time_since",
    "track_kind_label",
    "track_kind_note",
]

TRACK_KIND_LABELS: dict[TrackKind, str] = {
    TrackKind.IC: "Individual contributor",
    TrackKind.MANAGEMENT: "Management",
    TrackKind.NAMED: "Named track",
}

_COMPETENCY_KIND_LABELS: dict[CompetencyKind, str] = {
    CompetencyKind.CORE: "Core",
    CompetencyKind.FUNCTIONAL: "Functional",
}


def _decimal(value: float) -> Decimal:
    # repr gives the shortest text that reads back as the same float: 0.1 stays 0.1, not
    # 0.1000000000000000055…, and no exponent survives the "f" formatting below.
    return Decimal(repr(float(value)))


def number(value: float) -> str:
    """A threshold, rating or count as people write it: 3.0 → "3", 3.5 → "3.5", 3.25 → "3.25"."""
    if float(value).is_integer():
        return str(int(value))
    return format(_decimal(value).normalize(), "f")


def amount(value: float) -> str:
    """A sum of money with thousands separators, never losing a decimal that is there:
    120000 → "120,000", 120000.5 → "120,000.50", 0.125 → "0.125"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    decimals = len(number(value).partition(".")[2])
    return f"{value:,.{max(2, decimals)}f}"


def band(value: CompensationBand) -> str:
    """A compensation band: "EUR 90,000–120,000.50"."""
    return f"{value.currency} {amount(value.minimum)}–{amount(value.maximum)}"


def count(how_many: int, singular: str, plural: str | None = None) -> str:
    """ "1 quarter", "2 quarters", "3 people" (`plural` for the irregular ones)."""
    word = singular if how_many == 1 else (plural if plural is not None else f"{singular}s")
    return f"{how_many} {word}"


def listing(items: Sequence[str]) -> str:
    """ "Design", "Design and Data", "Sales, Design and Data"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def months(how_many: int) -> str:
    """A duration given in months: "5 months", "1 year", "2 years", "1 year, 6 months"."""
    years, rest = divmod(how_many, 12)
    parts = []
    if years:
        parts.append(count(years, "year"))
    if rest or not years:
        parts.append(count(rest, "month"))
    return ", ".join(parts)


def time_at_level(time: TimeAtLevel) -> str:
    """ "2 quarters", "1 cycle"; a time in months is a duration ("1 year, 6 months")."""
    if time.unit is TimeUnit.MONTHS:
        return months(time.count)
    # The unit's value is the plural noun ("quarters"); its singular drops the "s".
    return count(time.count, time.unit.value.removesuffix("s"), time.unit.value)


def time_since(since: datetime.date, today: datetime.date) -> str:
    """How long ago `since` was, as of `today`: "2 years, 3 months", "5 months", "3 weeks",
    "2 days", "today" (or "not yet" for a date to come).

    Months are calendar months: from 31 January to 28 February is not yet a month.
    """
    if since >= today:
        return "today" if since == today else "not yet"
    whole_months = (today.year - since.year) * 12 + (today.month - since.month)
    if today.day < since.day:
        whole_months -= 1
    if whole_months:
        return months(whole_months)
    days = (today - since).days
    if days >= 7:
        return count(days // 7, "week")
    return count(days, "day")


def rating_label(scale: RatingScale, value: float) -> str:
    """The scale's label of `value` when it is one of the scale's points, else ""."""
    if not float(value).is_integer():
        return ""
    return next((point.label for point in scale.points if point.value == int(value)), "")


def rating_text(scale: RatingScale, value: float) -> str:
    """A point of the scale with its label ("3 · Proficient"); a value between points, or a
    point without a label of its own, stays a number ("3.5")."""
    text = number(value)
    label = rating_label(scale, value)
    return f"{text} · {label}" if label and label != text else text


def level_label(level: Level) -> str:
    """ "IC3 Senior Engineer": the code people use inside the company and the title outside."""
    return f"{level.code} {level.title}"


def track_kind_label(kind: TrackKind | str) -> str:
    """ "Individual contributor", "Management" or "Named track" (an unknown kind as given)."""
    try:
        return TRACK_KIND_LABELS[TrackKind(kind)]
    except ValueError:
        return str(kind)


def track_kind_note(track: Track) -> str:
    """The kind of `track` where its name does not already say it ("" for a track named
    "Management" or "Individual contributor")."""
    label = track_kind_label(track.kind)
    return "" if label.lower().startswith(track.name.lower()) else label


def competency_kind_label(kind: CompetencyKind | str | None, category: str = "") -> str:
    """ "Core" or "Functional", followed by the category when there is one ("Core · Delivery")."""
    parts = [_COMPETENCY_KIND_LABELS[CompetencyKind(kind)]] if kind else []
    if category:
        parts.append(category)
    return " · ".join(parts)


def crossover_departure(to_level: str, to_track: str) -> str:
    """The mark on the level a crossover leaves from: "Crossover to M1 (Management)"."""
    return f"Crossover to {to_level} ({to_track})"


def crossover_arrival(from_level: str, from_track: str) -> str:
    """The mark on the level a crossover arrives at: "Entry from IC3 (Individual contributor)"."""
    return f"Entry from {from_level} ({from_track})"


def crossover_direction(two_way: bool) -> str:
    """ "Two-way" or "One-way"."""
    return "Two-way" if two_way else "One-way"


def crossover_way_back(two_way: bool, from_level: str, from_track: str) -> str:
    """What a crossover means for moving back to the level it started from."""
    if two_way:
        return f"People may move back to {from_level} ({from_track}) without penalty."
    return "Moving back is a new decision, not a return."


def way_back(to_level: str, to_track: str) -> str:
    """The way back of a two-way crossover from a level of the track it leads to: "People may move
    back to IC5 (Individual contributor), the level of the same grade, without penalty."."""
    return f"People may move back to {to_level} ({to_track}), the level of the same grade, without penalty."


def way_back_gap(competency: str, target: str, current: str | None, current_level: str) -> str:
    """One competency the level a way back leads to expects more of: "Software craft: 5 · Expert
    (4 · Advanced at M2)", or "(not assessed at M2)" when the current track does not assess it."""
    now = f"{current} at {current_level}" if current is not None else f"not assessed at {current_level}"
    return f"{competency}: {target} ({now})"


def calendar_date(day: datetime.date) -> str:
    """A date as pages and mails write it: "5 March 2026" (the templates' ``date:"j F Y"``)."""
    return f"{day.day} {day:%B} {day.year}"
