"""What the mobility tests share: tests/evaluation/readiness.yaml published (the promotions tests'
`version`), people rated over a closed cycle, and an open gig of the other manager's.

The gig requires Communication 3, Delivery 3 and Software craft 4. Against it the employee meets all
three; the co-author is one short (Communication 2); the outsider is three short (1, 1, 1: short by
2, 2 and 3); a newcomer (the manager's report, no account) has no rating at all: unknown.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.mobility.models import (
    Application,
    ApplicationStageChange,
    Opportunity,
    OpportunityRequirement,
)
from trellis.web.people.models import Person
from trellis.web.reviews.models import ReviewCycle, Source

from ..conftest import make_person
from ..promotions.conftest import make_cycle, rate, version  # noqa: F401  (the framework fixture)

GIG_REQUIREMENTS = {"communication": 3.0, "delivery": 3.0, "craft": 4.0}


@pytest.fixture
def rated(version: FrameworkVersion, personas: dict[str, User]) -> dict[str, Any]:  # noqa: F811
    cycle = make_cycle(version, "2025 H2", "2025-12-31", ReviewCycle.Phase.CLOSED)
    manager = personas["manager"].person
    rate(
        cycle,
        personas["employee"].person,
        Source.MANAGER,
        manager,
        {"communication": 3, "delivery": 3, "craft": 4},
    )
    rate(
        cycle,
        personas["coauthor"].person,
        Source.CALIBRATED,
        None,
        {"communication": 2, "delivery": 3, "craft": 4},
    )
    rate(
        cycle,
        personas["outsider"].person,
        Source.CALIBRATED,
        None,
        {"communication": 1, "delivery": 1, "craft": 1},
    )
    newcomer = make_person(
        None,
        employee_id="E100",
        full_name="Nia Newcomer",
        level_code="IC1",
        manager=manager,
        team=manager.team,
    )
    return {**personas, "newcomer": newcomer}


def open_gig(hiring_manager: Person, **fields: Any) -> Opportunity:
    values: dict[str, Any] = {
        "kind": Opportunity.Kind.GIG,
        "title": "Checkout reliability gig",
        "hiring_manager": hiring_manager,
        "time_share": 20,
        "capacity": 2,
        "status": Opportunity.Status.OPEN,
        "opened_at": timezone.now() - datetime.timedelta(days=10),
    }
    values.update(fields)
    gig = Opportunity.objects.create(**values)
    OpportunityRequirement.objects.bulk_create(
        OpportunityRequirement(opportunity=gig, competency_id=competency, minimum=minimum)
        for competency, minimum in GIG_REQUIREMENTS.items()
    )
    return gig


@pytest.fixture
def gig(rated: dict[str, Any]) -> Opportunity:
    return open_gig(rated["other_manager"].person)


def application(opportunity: Opportunity, person: Person, *stages: str, hidden: bool = False) -> Application:
    """`person`'s application to `opportunity`, taken through `stages` in order (each recorded)."""
    made = Application.objects.create(
        opportunity=opportunity, person=person, stage=stages[-1], hidden_from_manager=hidden
    )
    previous = ""
    for stage in stages:
        ApplicationStageChange.objects.create(application=made, from_stage=previous, to_stage=stage)
        previous = stage
    return made
