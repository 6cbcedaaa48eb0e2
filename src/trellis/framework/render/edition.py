"""Which edition of a framework an export shows: a published version with its date, or the draft
at a revision.

Every export names its edition, so a printed PDF or a spreadsheet passed around by e-mail says
which rubric it is. The edition also carries the moment the export's content came into being (the
publication time of a version, the save time of a draft): formats with a creation date in their
properties (XLSX, PDF) use it, so the same edition of the same framework gives the same bytes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

#: English month names, independent of the process locale (strftime's %B is not).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class Edition:
    """`label` names the edition ("Version 3", "Draft"); `published` is when a version was
    published, `revision` the draft's revision and `saved` when the draft was last saved."""

    label: str
    published: datetime.datetime | None = None
    revision: int | None = None
    saved: datetime.datetime | None = None

    @classmethod
    def version(cls, *, number: int | str, published: datetime.datetime | None) -> Edition:
        return cls(label=f"Version {number}", published=published)

    @classmethod
    def draft(cls, *, revision: int | None = None, saved: datetime.datetime | None = None) -> Edition:
        return cls(label="Draft", revision=revision, saved=saved)

    @property
    def is_draft(self) -> bool:
        return self.label == "Draft"

    @property
    def created(self) -> datetime.datetime | None:
        """When the content of this edition came into being, in UTC (None when unknown)."""
        moment = self.published if self.published is not None else self.saved
        if moment is None:
            return None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=datetime.UTC)
        return moment.astimezone(datetime.UTC)

    def describe(self) -> str:
        """ "Version 3, published 2 December 2026", "Draft, revision 7" or the bare label."""
        if self.revision is not None:
            return f"{self.label}, revision {self.revision}"
        if self.published is not None:
            return f"{self.label}, published {describe_date(self.published)}"
        return self.label


def describe_date(moment: datetime.date) -> str:
    """ "2 December 2026": day, month name, year (the calendar date where `moment` was taken)."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
