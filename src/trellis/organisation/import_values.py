"""The values of an import's cells: dates, yes/no, e-mail addresses, lengths. Pure Python.

Each function returns the value or raises `InvalidValue`, whose message says why without the row
and column (the planner adds those).
"""

from __future__ import annotations

import datetime
import re

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


def parse_date(text: str) -> datetime.date:
    """A date written as YYYY-MM-DD (a time after it is ignored) or with the month's name.

    Dates such as 03/04/2024 are refused rather than guessed: day and month order differ between
    countries.
    """
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", text)
    if iso is not None:
        try:
            return datetime.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise InvalidValue(f'"{text}" is not a date of the calendar') from None
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise InvalidValue(f'"{text}" is not a date Trellis can read: write it as YYYY-MM-DD, such as 2024-03-01')


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
