"""Reads of internal mobility, scoped by who is asking.

The one rule both the hiring side and the applicant's own management chain read: an application is
the applicant's to show. A *saved* opportunity is a bookmark, seen by the applicant alone; an
application marked `hidden_from_manager` is kept from the applicant's management chain until it has
once reached `REVEALED_FROM_STAGE` (an interview: *talking*), and stays shown afterwards, whatever
stage it moves to next.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from trellis.web.mobility.models import REVEALED_FROM_STAGE, Application, ApplicationStageChange
from trellis.web.people.models import Person

__all__ = ["REVEALED_STAGES", "applications_shown_to_chain", "shown_to_chain"]

#: The stages at or beyond an interview: reaching one of them reveals a hidden application.
REVEALED_STAGES = (REVEALED_FROM_STAGE, Application.Stage.OFFERED, Application.Stage.ACCEPTED)


def shown_to_chain() -> Q:
    """Applications the applicant's management chain may see (see the module's docstring)."""
    reached_interview = Exists(
        ApplicationStageChange.objects.filter(application=OuterRef("pk"), to_stage__in=REVEALED_STAGES)
    )
    return ~Q(stage=Application.Stage.SAVED) & (
        Q(hidden_from_manager=False) | Q(stage__in=REVEALED_STAGES) | Q(reached_interview)
    )


def applications_shown_to_chain(person: Person) -> QuerySet[Application]:
    """`person`'s applications that their manager (and anyone above) may see."""
    return Application.objects.filter(person=person).filter(shown_to_chain())
