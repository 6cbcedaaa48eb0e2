"""The mobility tables' own rules, held by the database on either engine."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from trellis.web.accounts.models import User
from trellis.web.mobility.models import Application, Opportunity, OpportunityRequirement


def refused(create: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()  # type: ignore[operator]


def gig(manager: User, **fields: object) -> Opportunity:
    values: dict[str, object] = {
        "kind": "gig",
        "title": "Data platform gig",
        "hiring_manager": manager.person,
        "time_share": 20,
    }
    values.update(fields)
    return Opportunity.objects.create(**values)


def test_an_opportunity_keeps_its_shape(manager: User) -> None:
    refused(lambda: gig(manager, kind="role"))  # a role names its level
    Opportunity.objects.create(
        kind="role",
        title="Senior engineer",
        hiring_manager=manager.person,
        family_id="engineering",
        track_id="ic",
        level_code="IC3",
    )
    refused(lambda: gig(manager, capacity=0))
    refused(lambda: gig(manager, time_share=0))
    refused(lambda: gig(manager, time_share=101))
    refused(lambda: gig(manager, starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2027, 1, 1)))


def test_one_requirement_per_competency_and_one_application_per_person(manager: User, employee: User) -> None:
    opportunity = gig(manager)
    OpportunityRequirement.objects.create(opportunity=opportunity, competency_id="delivery", minimum=3)
    refused(
        lambda: OpportunityRequirement.objects.create(
            opportunity=opportunity, competency_id="delivery", minimum=4
        )
    )
    Application.objects.create(opportunity=opportunity, person=employee.person, hidden_from_manager=True)
    refused(lambda: Application.objects.create(opportunity=opportunity, person=employee.person))
