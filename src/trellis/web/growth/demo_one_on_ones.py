"""The demo company's 1:1s: two past meetings of the demo manager with the demo employee (their
report), each with an agenda both added to and a shared note, and one private note by the manager.
Deterministic (dates counted back from `today`), a handful of rows; nothing when the pair is not
manager and report, or when they already have a 1:1."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from trellis.web.growth.models import AgendaItem, OneOnOne, PrivateNote, SharedNote
from trellis.web.people.demo_accounts import EMPLOYEE_EMAIL, MANAGER_EMAIL
from trellis.web.people.models import Person

#: (days ago, agenda as (by the report?, text, done), the shared note by the manager)
DEMO_MEETINGS = (
    (
        28,
        (
            (True, "How the on-call rotation is going", True),
            (False, "Your goals for this quarter", True),
        ),
        "Agreed to pair with a senior engineer on the next design review; revisit in two weeks.",
    ),
    (
        14,
        (
            (False, "The design review: how it went", True),
            (True, "Taking on the release checklist", False),
        ),
        "The design review went well; next step is writing the follow-up proposal together.",
    ),
)
DEMO_PRIVATE_NOTE = "Ready for more ownership soon: think about a stretch assignment next quarter."


def load_demo_one_on_ones(*, today: datetime.date | None = None) -> list[OneOnOne]:
    """Create the demo pair's past 1:1s (see the module's docstring); the meetings made are returned."""
    manager = Person.objects.filter(email=MANAGER_EMAIL, is_active=True).first()
    employee = Person.objects.filter(email=EMPLOYEE_EMAIL, is_active=True).first()
    if manager is None or employee is None or employee.manager_id != manager.pk:
        return []
    if OneOnOne.objects.filter(manager=manager, report=employee).exists():
        return []
    day = today or timezone.localdate()
    meetings: list[OneOnOne] = []
    with transaction.atomic():
        for days_ago, agenda, shared in DEMO_MEETINGS:
            held = day - datetime.timedelta(days=days_ago)
            at = datetime.datetime.combine(held, datetime.time(10), tzinfo=datetime.UTC)
            meeting = OneOnOne.objects.create(
                manager=manager, report=employee, happens_on=held, created_at=at
            )
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    meeting=meeting,
                    author=employee if by_report else manager,
                    text=text,
                    done=done,
                    created_at=at - datetime.timedelta(days=1, minutes=index),
                )
                for index, (by_report, text, done) in enumerate(agenda)
            )
            SharedNote.objects.create(meeting=meeting, author=manager, text=shared, created_at=at)
            meetings.append(meeting)
        PrivateNote.objects.create(
            meeting=meetings[-1], author=manager, text=DEMO_PRIVATE_NOTE, created_at=meetings[-1].created_at
        )
    return meetings
