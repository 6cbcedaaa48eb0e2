"""The promotion data the authorization walk requests pages about, added to its persona company.

A committee for Engineering whose members are the other manager (who decides) and the skip-level
manager (who sits on it but may not decide about their own reports); the employee's nomination
for IC3, submitted by their manager with the readiness kept and the manager's endorsement; and the
peer's request for a promotion conversation, not yet answered by their manager.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from trellis.web.promotions.models import Endorsement, Nomination, PromotionCommittee, Readiness

CRITERIA = [
    {"kind": "minimum_average", "met": True, "explanation": "Average 3.6 — the minimum is 3.5"},
    {"kind": "floor", "met": False, "explanation": "Communication 2.8 — the floor is 3"},
]


def promotion_scenario(company: dict[str, Any]) -> dict[str, Any]:
    """Create the walk's promotion data for `company` (the walk's fixture) and return it by name."""
    employee = company["employee"].person
    manager = company["manager"].person
    peer = company["peer"].person
    committee = PromotionCommittee.objects.create(name="Engineering promotions", family_ids=["engineering"])
    committee.members.set([company["other_manager"].person, company["skip_level"].person])
    # The employee's readiness for IC3, as the readiness scenario computed it.
    readiness = Readiness.objects.get(person=employee, is_next_level=True)
    submitted = Nomination.objects.create(
        person=employee,
        target_family_id="engineering",
        target_track_id="ic",
        target_level_code="IC3",
        status=Nomination.Status.SUBMITTED,
        nominated_by=manager,
        case="Leads the payments service's design reviews.",
        readiness_at_submission={
            "ready": readiness.ready,
            "met_count": readiness.met_count,
            "criteria_count": readiness.criteria_count,
            "criteria": CRITERIA,
        },
        submitted_at=timezone.now(),
        committee=committee,
    )
    Endorsement.objects.create(nomination=submitted, endorser=manager, role=Endorsement.Role.MANAGER)
    requested = Nomination.objects.create(
        person=peer,
        target_family_id="engineering",
        target_track_id="ic",
        target_level_code="IC3",
        status=Nomination.Status.REQUESTED,
        requested_by=peer,
    )
    return {
        "promotion_committee": committee,
        "nomination_submitted": submitted,
        "nomination_requested": requested,
    }
