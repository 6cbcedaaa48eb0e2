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
    "HEATMAP_BEING_REFRESHED",
    "NOT_RATED",
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
    "moment",
    "months",
    "number",
    "rating_label",
    "rating_or_missing",
    "rating_text",
    "time_at_level",
    "time_since",
    "track_kind_label",
    "track_kind_note",
    "whole_months",
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


def moment(when: datetime.datetime) -> str:
    """A date and time to the second, as the pages show one: "2 Dec 2026, 14:05:09"."""
    return f"{when.day} {when:%b %Y, %H:%M:%S}"


def time_since(since: datetime.date, today: datetime.date) -> str:
    """How long ago `since` was, as of `today`: "2 years, 3 months", "5 months", "3 weeks",
    "2 days", "today" (or "not yet" for a date to come).

    Months are calendar months: from 31 January to 28 February is not yet a month.
    """
    if since >= today:
        return "today" if since == today else "not yet"
    whole = whole_months(since, today)
    if whole:
        return months(whole)
    days = (today - since).days
    if days >= 7:
        return count(days // 7, "week")
    return count(days, "day")


def whole_months(since: datetime.date, today: datetime.date) -> int:
    """The calendar months completed from `since` to `today` (0 when `today` is not later):
    from 15 January to 15 March is 2, to 14 March 1; from 31 January to 28 February is 0."""
    if today <= since:
        return 0
    whole = (today.year - since.year) * 12 + (today.month - since.month)
    return whole - 1 if today.day < since.day else whole


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


#: A rating nobody has given: shown as missing, never as a default score.
NOT_RATED = "Not rated"


def rating_or_missing(scale: RatingScale, value: float | None) -> str:
    """`rating_text` of a score, or "Not rated" when there is none."""
    return NOT_RATED if value is None else rating_text(scale, value)


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


# --- promotion readiness (trellis.evaluation.readiness) ---------------------------------------------
# One sentence per criterion result. An unmet one says what stands and what is asked ("Communication
# 2.8 — the floor is 3"); a met one says the same with "meets"; a missing rating is "not rated".


def score(value: float) -> str:
    """A result or an average as shown beside a threshold: at most two decimals, "3.42", "3"."""
    return number(round(float(value), 2))


def _scored(name: str, value: float | None) -> str:
    return f"{name} {score(value)}" if value is not None else f"{name} not rated"


def readiness_threshold(name: str, value: float | None, threshold: str, required: float, met: bool) -> str:
    """A score against a threshold called `threshold` ("floor", "minimum"): "Communication 2.8 — the
    floor is 3", "System design 4 — meets the minimum of 4", "Delivery not rated — the minimum is 3"."""
    if met:
        return f"{_scored(name, value)} — meets the {threshold} of {number(required)}"
    return f"{_scored(name, value)} — the {threshold} is {number(required)}"


def readiness_floor(
    below: Sequence[tuple[str, float | None]], lowest: tuple[str, float] | None, floor: float
) -> str:
    """The floor over every competency: the ones below it or not rated ("Communication 2.8 and
    Delivery not rated — the floor is 3"), or the lowest when none is ("Lowest: Delivery 3.2 — meets
    the floor of 3")."""
    if below:
        return f"{listing([_scored(name, value) for name, value in below])} — the floor is {number(floor)}"
    lowest_text = f"Lowest: {_scored(*lowest)}" if lowest is not None else "No competency to rate"
    return f"{lowest_text} — meets the floor of {number(floor)}"


def readiness_average(average: float | None, minimum: float, not_rated: Sequence[str], met: bool) -> str:
    """The average against its minimum: "Average 3.2 — the minimum is 3.5", "Average 3.6 — meets the
    minimum of 3.5"; with ratings missing, "Average 3.6 of the rated competencies — the minimum is
    3.5; Delivery not rated" (a missing rating is never counted as met)."""
    if average is None:
        head = "No competency rated"
    elif not_rated:
        head = f"Average {score(average)} of the rated competencies"
    else:
        head = f"Average {score(average)}"
    tail = f"; {listing(list(not_rated))} not rated" if not_rated and average is not None else ""
    if met:
        return f"{head} — meets the minimum of {number(minimum)}"
    return f"{head} — the minimum is {number(minimum)}{tail}"


def readiness_expectation(name: str, value: float | None, level: str, expected: float, met: bool) -> str:
    """One competency against the target level: "System design 3 — IC5 expects 4", "System design 4
    — meets the 4 IC5 expects", "People development not rated — M1 expects 3"."""
    if met:
        return f"{_scored(name, value)} — meets the {number(expected)} {level} expects"
    return f"{_scored(name, value)} — {level} expects {number(expected)}"


def _more(how_many: int, unit: TimeUnit) -> str:
    if unit is TimeUnit.MONTHS:
        return f"{months(how_many)} more"
    noun = unit.value.removesuffix("s")
    return f"one more {noun}" if how_many == 1 else f"{how_many} more {unit.value}"


def readiness_time(actual: int, required: TimeAtLevel, level: str) -> str:
    """Time operating at a level against what is asked: "one more cycle at IC5 needed", "2 more
    quarters at IC5 needed", "4 months more at IC4 needed"; once met, "3 quarters at IC5 (2 quarters
    asked)"."""
    if actual >= required.count:
        done = time_at_level(TimeAtLevel(count=actual, unit=required.unit)) if actual else "no time"
        return f"{done} at {level} ({time_at_level(required)} asked)"
    return f"{_more(required.count - actual, required.unit)} at {level} needed"


def readiness_months_in_level(actual: int, minimum: int, level: str) -> str:
    """Time in the current level against its minimum: "4 months more at IC4 needed", or "1 year, 2
    months at IC4 (1 year asked)"; `minimum` is at least 1."""
    return readiness_time(actual, TimeAtLevel(count=minimum, unit=TimeUnit.MONTHS), level)


def readiness_evidence(item: str, met: bool) -> str:
    """A scope evidence item or entry criterion: "Evidenced: …" or "Not yet evidenced: …"."""
    return f"Evidenced: {item}" if met else f"Not yet evidenced: {item}"


def readiness_endorsement(met: bool) -> str:
    return "Endorsed by the manager" if met else "Not yet endorsed by the manager"


def readiness_calibration(met: bool) -> str:
    return "Confirmed in calibration" if met else "Not yet confirmed in calibration"


def readiness_summary(ready: bool, met: int, total: int) -> str:
    """ "ready: 8 of 8 criteria met", "not ready: 3 of 8 criteria met"."""
    state = "ready" if ready else "not ready"
    return f"{state}: {met} of {count(total, 'criterion', 'criteria')} met"


def readiness_move(level: str, target_level: str, target_track: str | None = None) -> str:
    """ "IC1 → IC2", or "IC3 → M1 (Engineering management)" when the move changes track."""
    track = f" ({target_track})" if target_track else ""
    return f"{level} → {target_level}{track}"


#: How a page names each kind of readiness criterion (`trellis.evaluation.readiness.CriterionKind`).
READINESS_KIND_LABELS: dict[str, str] = {
    "min_average": "Minimum average",
    "floor": "Floor",
    "required": "Required competency",
    "expectation": "Expected at the target level",
    "time_at_next_level": "Operating at the next level",
    "min_months_in_level": "Time in level",
    "scope_evidence": "Scope evidence",
    "entry_criterion": "Entry criterion",
    "manager_endorsement": "Manager endorsement",
    "calibration": "Calibration",
}


def readiness_kind_label(kind: str) -> str:
    """ "Minimum average", "Operating at the next level", … (an unknown kind as given)."""
    return READINESS_KIND_LABELS.get(str(kind), str(kind))


def decimal(value: float, places: int) -> str:
    """A statistic to a fixed number of decimals, as tables align them: 0.81538 → "0.815" (3),
    never "-0.000" for a value that rounds to zero."""
    text = f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def value_range(low: float, high: float, places: int) -> str:
    """An interval of a statistic: "0.453 to 1.000", "-0.167 to 0.857" (words, not a dash, which
    would read as a minus beside a negative bound)."""
    return f"{decimal(low, places)} to {decimal(high, places)}"


def percent(share: float, places: int = 0) -> str:
    """A share as a percentage: 0.95 → "95%", 0.125 with one place → "12.5%"."""
    return f"{decimal(share * 100, places)}%"


def calendar_date(day: datetime.date) -> str:
    """A date as pages and mails write it: "5 March 2026" (the templates' ``date:"j F Y"``)."""
    return f"{day.day} {day:%B} {day.year}"


# --- career paths and skill gaps (trellis.evaluation.paths, gaps) -----------------------------------


def move_fit(transferring: int, total: int, gaps: Sequence[tuple[str, float]], unknown: Sequence[str]) -> str:
    """How well a move fits: "7 of 9 competencies transfer; gaps: Pipeline management −2,
    Forecasting −1; not rated yet: Negotiation" (`gaps` largest first, each with its shortfall)."""
    parts = [f"{transferring} of {count(total, 'competency', 'competencies')} transfer"]
    if gaps:
        parts.append("gaps: " + ", ".join(f"{name} −{score(short)}" for name, short in gaps))
    if unknown:
        parts.append("not rated yet: " + ", ".join(unknown))
    return "; ".join(parts)


#: A large skills heatmap's file asked for while its figures are being computed again.
HEATMAP_BEING_REFRESHED = (
    "This skills heatmap is being refreshed: ratings, people or the framework have changed since it was "
    "computed. Try the download again in a minute."
)


def skills_pattern(group: str, strong: Sequence[str], weak: Sequence[str]) -> str:
    """A group's strengths and weaknesses against everyone else: "Marketing is strong in Creative
    strategy and weak in Data analysis"; "" when it has neither."""
    parts = []
    if strong:
        parts.append(f"strong in {listing(strong)}")
    if weak:
        parts.append(f"weak in {listing(weak)}")
    return f"{group} is {' and '.join(parts)}" if parts else ""


# --- internal opportunities (trellis.evaluation.matching) --------------------------------------------


def match_score(fit: float | None) -> str:
    """A match's score: "75% match"; "Unknown" when no requirement has a figure."""
    return "Unknown" if fit is None else f"{percent(fit)} match"


def match_summary(met: int, total: int, unknown_class: bool) -> str:
    """ "Meets 3 of 4 requirements"; for a person with no figure on any: never a match."""
    if unknown_class:
        return "Unknown: not rated yet on any requirement, so not a match"
    if total == 0:
        return "No competency is required"
    return f"Meets {met} of {count(total, 'requirement')}"


def requirement_met(name: str, figure: float, minimum: float) -> str:
    return f"{name}: {score(figure)}, meets {score(minimum)}"


def requirement_short(name: str, figure: float, minimum: float, short: float) -> str:
    return f"{name}: {score(figure)}, short by {score(short)} of {score(minimum)}"


def requirement_unknown(name: str, minimum: float) -> str:
    return f"{name}: not rated yet (needs {score(minimum)})"


def application_moved(opportunity: str, stage: str) -> str:
    return f"Your application to “{opportunity}” is now {stage}"


def time_to_fill(days: int) -> str:
    """How long a role took to fill: "23 days"; "the same day"."""
    return "the same day" if days == 0 else count(days, "day")


# --- the 1:1 guide (trellis.evaluation.one_on_one) --------------------------------------------------


def guide_ready(level: str) -> str:
    return f"Every criterion for {level} is met: shall we talk about a promotion?"


def guide_overdue(goal: str, actions: int) -> str:
    return f"“{goal}” has {count(actions, 'action')} past its due date: what is in the way?"


def guide_stalled(goal: str) -> str:
    return f"“{goal}” has no progress recorded yet: is it still the right goal?"


def guide_gap(competency: str, level: str) -> str:
    return f"Where could you practise {competency} at the level {level} expects in the coming weeks?"


def guide_unrated(competency: str, level: str) -> str:
    return f"{competency} has not been rated yet: what work could show it at {level}?"


def guide_feedback(items: int) -> str:
    return f"{count(items, 'piece', 'pieces')} of feedback arrived since your last 1:1: what did you take from it?"


def guide_application(opportunity: str) -> str:
    return f"You applied to “{opportunity}”: how can I support you?"


_PROVENANCE = {"calibrated": "calibrated", "manager": "manager's rating", "self": "self-assessed"}


def provenance(source: str, cycle: str) -> str:
    """Where a demonstrated figure came from: "calibrated, 2026 H1", "self-assessed, 2026 H1"."""
    return f"{_PROVENANCE.get(source, source)}, {cycle}"


def gap_summary(met: int, short: int, unknown: int) -> str:
    """ "2 met · 1 short · 1 not rated yet" (the parts that are there; "nothing expected")."""
    parts = [f"{met} met"] if met else []
    if short:
        parts.append(f"{short} short")
    if unknown:
        parts.append(f"{unknown} not rated yet")
    return " · ".join(parts) if parts else "nothing expected"


# --- development plans and objectives (growth) -----------------------------------------------------


def plan_archived(target: str) -> str:
    """Said when a draft toward a new target archives the plan toward `target`."""
    return f"Your plan toward {target} is archived: its goals, actions and evidence are kept under Earlier plans."


def plan_completion(goals_done: int, goals: int, actions_done: int, actions: int) -> str:
    """ "1 of 3 goals done · 2 of 5 actions done"; "no goals yet"."""
    if not goals:
        return "no goals yet"
    text = f"{goals_done} of {count(goals, 'goal')} done"
    if actions:
        text += f" · {actions_done} of {count(actions, 'action')} done"
    return text


def okr_progress(share: float | None) -> str:
    """An objective's or key result's progress: "45%"; "not started" before anything is measured
    (never 0%)."""
    return "not started" if share is None else percent(share)


def goal_title(competency: str, level: str) -> str:
    """A goal suggested from a gap: "Communication at the level IC3 expects"."""
    return f"{competency} at the level {level} expects"


# --- measuring the framework: the what-if of draft criteria, rater agreement ----------------------


def share_of(ready: int | None, population: int) -> str:
    """A level's share ready under one framework: "40% (2 of 5)"; "not evaluated" when that
    framework evaluates nobody there (the top of a track, or a level it lacks)."""
    if ready is None or population == 0:
        return "not evaluated"
    return f"{percent(ready / population)} ({ready} of {population})"


def what_if_changes(became_ready: int, no_longer_ready: int) -> str:
    """ "2 would become ready, 1 would no longer be", "no change of status"."""
    parts = []
    if became_ready:
        parts.append(f"{became_ready} would become ready")
    if no_longer_ready:
        parts.append(f"{no_longer_ready} would no longer be ready")
    return ", ".join(parts) if parts else "no change of status"


#: What an agreement figure says when there are too few people rated by two or more raters.
AGREEMENT_NOT_ENOUGH = "not enough ratings yet"


def agreement_figure(
    alpha: float | None, low: float | None, high: float | None, people: int, threshold: float
) -> str:
    """ "agreement 0.58 (0.41 to 0.70), 214 people — below 0.667"; "agreement 0.81 (0.74 to 0.88),
    214 people"; without an interval, the alpha and count alone; without alpha, "not enough ratings
    yet". The interval in words, not a dash, which would read as a minus beside a negative bound."""
    if alpha is None:
        return AGREEMENT_NOT_ENOUGH
    interval = f" ({value_range(low, high, 2)})" if low is not None and high is not None else ""
    below = f" — below {decimal(threshold, 3)}" if alpha < threshold else ""
    return f"agreement {decimal(alpha, 2)}{interval}, {count(people, 'person', 'people')}{below}"
