"""Reminders of assessments due soon or overdue, found by date.

`assessment_reminders_send(today=…)` looks at every unsubmitted self, manager, peer and upward
assessment of the cycles in their assessment phase, against the cycle's due date for its source
(self: ``self_due``, manager: ``manager_due``, peer and upward: ``peer_due``), and notifies its
author once per kind and assessment: "due" from `DUE_SOON_DAYS` days before the date, "overdue"
after it. Running it again (the worker's daily task, `tasks.assessment_reminders_queued`) sends
nothing twice. A fixed number of queries whatever the number of assessments.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from trellis.framework import wording
from trellis.web.notifications.models import Notification
from trellis.web.notifications.services import Message, Outgoing, notifications_write
from trellis.web.reviews.models import Assessment, ReviewCycle, Source

#: How many days before its due date an assessment's author is reminded.
DUE_SOON_DAYS = 3

_DUE_FIELD = {
    Source.SELF: "self_due",
    Source.MANAGER: "manager_due",
    Source.PEER: "peer_due",
    Source.UPWARD: "peer_due",
}


def _what(assessment: Assessment) -> str:
    if assessment.source == Source.SELF:
        return "Your self-assessment"
    if assessment.source == Source.UPWARD:
        return "Your feedback on your manager"
    if assessment.source == Source.PEER:
        return f"Your feedback on {assessment.subject.full_name}"
    return f"Your assessment of {assessment.subject.full_name}"


def _link(assessment: Assessment) -> str:
    if assessment.source in (Source.PEER, Source.UPWARD):
        return reverse("feedback:answer", kwargs={"assessment_id": assessment.pk})
    # "My reviews" lists the viewer's own and their reports' open forms.
    return reverse("reviews:mine")


def assessment_reminders_send(*, today: datetime.date) -> list[Notification]:
    """Notify the author of each open assessment due within `DUE_SOON_DAYS` days or overdue as of
    `today`, once per kind and assessment; the notifications written."""
    open_assessments = (
        Assessment.objects.filter(
            cycle__phase=ReviewCycle.Phase.ASSESSMENT,
            submitted_at__isnull=True,
            author__isnull=False,
            author__is_active=True,
            source__in=list(_DUE_FIELD),
        )
        .select_related("cycle", "subject", "author")
        .order_by("pk")
    )
    items = []
    for assessment in open_assessments:
        due: datetime.date | None = getattr(assessment.cycle, _DUE_FIELD[Source(assessment.source)])
        if due is None or today < due - datetime.timedelta(days=DUE_SOON_DAYS):
            continue
        assert assessment.author is not None
        when = wording.calendar_date(due)
        if today > due:
            kind = Notification.Kind.ASSESSMENT_OVERDUE
            message = Message(
                f"{_what(assessment)} is overdue", f"It was due on {when} in {assessment.cycle}."
            )
        else:
            kind = Notification.Kind.ASSESSMENT_DUE
            message = Message(f"{_what(assessment)} is due on {when}", f"In {assessment.cycle}.")
        items.append(Outgoing(assessment.author, kind, Message(message.title, message.body, _link(assessment)),
                              about=f"assessment:{assessment.pk}"))  # fmt: skip
    return notifications_write(items=items)
