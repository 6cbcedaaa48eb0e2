"""The values of an import's cells: dates (and the date format of a column), yes/no, e-mail
addresses, lengths. Pure Python.

Each function returns the value or raises `InvalidValue`, whose message says why without the row
and column (the planner adds those).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from enum import StrEnum

from trellis.organisation.person_fields import MAX_LENGTHS

_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_TRUE = frozenset({"yes", "y", "true", "1", "active", "employed", "current"})
_FALSE = frozenset({"no", "n", "false", "0", "inactive", "terminated", "left", "leaver", "former"})
_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%B %d %Y",
    "%b %d %Y",
    "%B %d, %Y",
    "%b %d, %Y",
)


class InvalidValue(ValueError):
    """A cell's value is unusable; the message says why, without the row and column."""


class DateFormat(StrEnum):
    """How the numeric dates of a file (03/04/2024) are read; chosen in the column mapping."""

    DETECT = "detect"
    ISO = "iso"
    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


#: The choices of the mapping step, as the importer reads them.
DATE_FORMAT_LABELS: dict[DateFormat, str] = {
    DateFormat.DETECT: "Detect from each column (refused when a column reads either way)",
    DateFormat.ISO: "ISO only: 2025-12-31",
    DateFormat.DAY_FIRST: "Day first: 31/12/2025, 31.12.2025, 31-12-2025",
    DateFormat.MONTH_FIRST: "Month first: 12/31/2025",
}

# Day, month and year as digits with one separator: 31/12/2025, 31.12.2025, 12-31-2025.
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")


def parse_date(text: str, date_format: DateFormat = DateFormat.ISO) -> datetime.date:
    """A date written as YYYY-MM-DD (a time after it is ignored), with the month's name, or — as
    `date_format` says — day first (31/12/2025, 31.12.2025) or month first (12/31/2025).

    With `DateFormat.ISO` (and `DETECT`, which `resolve_date_format` turns into one of the others
    first) dates such as 03/04/2024 are refused rather than guessed: day and month order differ
    between countries.
    """
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", text)
    if iso is not None:
        return _calendar_date(text, int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    numeric = _NUMERIC.match(text)
    if numeric is not None and date_format in (DateFormat.DAY_FIRST, DateFormat.MONTH_FIRST):
        first, second, year = int(numeric.group(1)), int(numeric.group(3)), int(numeric.group(4))
        day, month = (first, second) if date_format is DateFormat.DAY_FIRST else (second, first)
        return _calendar_date(text, year, month, day)
    for named_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, named_format).date()
        except ValueError:
            continue
    if numeric is not None:
        raise InvalidValue(
            f'"{text}" could be day first or month first: choose the date format in the column mapping'
        )
    raise InvalidValue(f'"{text}" is not a date Trellis can read: write it as YYYY-MM-DD, such as 2024-03-01')


def _calendar_date(text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise InvalidValue(f'"{text}" is not a date of the calendar') from None


class AmbiguousDates(ValueError):
    """A column's numeric dates read either way (or each way on different rows)."""


def resolve_date_format(values: Iterable[str], chosen: DateFormat) -> DateFormat:
    """The format to read a column's `values` with: `chosen`, unless it is `DETECT`.

    Detecting looks at the numeric dates (31/12/2025): a first number above 12 means day first, a
    second number above 12 month first. A column without numeric dates is read as ISO. Raises
    `AmbiguousDates` when numeric dates never tell (only 03/04/2024-like dates) or tell both ways.
    """
    if chosen is not DateFormat.DETECT:
        return chosen
    day_first = month_first = undecided = None
    for text in values:
        numeric = _NUMERIC.match(text)
        if numeric is None:
            continue
        first, second = int(numeric.group(1)), int(numeric.group(3))
        if first > 12 >= second:
            day_first = day_first or text
        elif second > 12 >= first:
            month_first = month_first or text
        else:
            undecided = undecided or text
    if day_first and month_first:
        raise AmbiguousDates(
            f'it has day-first dates ("{day_first}") and month-first dates ("{month_first}")'
        )
    if day_first:
        return DateFormat.DAY_FIRST
    if month_first:
        return DateFormat.MONTH_FIRST
    if undecided:
        raise AmbiguousDates(f'its dates, such as "{undecided}", read either day first or month first')
    return DateFormat.ISO


def parse_active(text: str) -> bool:
    lowered = text.casefold()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidValue(f'"{text}" is neither yes nor no (also accepted: true/false, active/inactive)')


def check_email(text: str) -> str:
    email = text.lower()
    if len(email) > MAX_LENGTHS["email"] or _EMAIL.match(email) is None:
        raise InvalidValue(f'"{text}" is not an e-mail address')
    return email


def check_length(key: str, text: str) -> str:
    limit = MAX_LENGTHS[key]
    if len(text) > limit:
        raise InvalidValue(f"is {len(text)} characters long; at most {limit} fit")
    return text
