"""The mobility data the authorization walk requests pages about, added to its persona company.

An open gig posted by the other manager (who manages someone else), requiring communication; a
draft role posted by the manager; and the employee's application to the gig, applied and hidden
from their manager until an interview.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from trellis.web.mobility.models import (
    Application,
    ApplicationStageChange,
    Opportunity,
    OpportunityRequirement,
)


def mobility_scenario(company: dict[str, Any]) -> dict[str, Any]:
    """Create the walk's mobility data for `company` (the walk's fixture) and return it by name."""
    gig = Opportunity.objects.create(
        kind=Opportunity.Kind.GIG,
        title="Payments incident review gig",
        hiring_manager=company["other_manager"].person,
        time_share=20,
        capacity=2,
        status=Opportunity.Status.OPEN,
        opened_at=timezone.now(),
    )
    OpportunityRequirement.objects.create(opportunity=gig, competency_id="communication", minimum=3)
    role = Opportunity.objects.create(
        kind=Opportunity.Kind.ROLE,
        title="Senior engineer, platform",
        hiring_manager=company["manager"].person,
        family_id="engineering",
        track_id="ic",
        level_code="IC3",
    )
    application = Application.objects.create(
        opportunity=gig,
        person=company["employee"].person,
        stage=Application.Stage.APPLIED,
        hidden_from_manager=True,
    )
    ApplicationStageChange.objects.create(
        application=application,
        from_stage="",
        to_stage=Application.Stage.APPLIED,
        changed_by=company["employee"],
    )
    return {"opportunity_open": gig, "opportunity_draft": role, "application_hidden": application}
