"""The demo company's promotion committee, so that a nomination can be submitted and decided as
soon as the demo starts. Called by `trellis.web.people.demo.load_demo` once the accounts exist."""

from __future__ import annotations

from trellis.web.people.demo_accounts import COAUTHOR_EMAIL, HR_EMAIL
from trellis.web.people.models import Person
from trellis.web.promotions.models import PromotionCommittee

DEMO_COMMITTEE_NAME = "Promotion committee"


def load_demo_promotions() -> PromotionCommittee:
    """One committee for every family: the Head of People and the co-author persona (a senior
    product manager without reports, so never about their own reports). Kept as it is when the
    demo already has it."""
    committee, created = PromotionCommittee.objects.get_or_create(
        name=DEMO_COMMITTEE_NAME, defaults={"family_ids": []}
    )
    if created:
        committee.members.set(Person.objects.filter(email__in=[HR_EMAIL, COAUTHOR_EMAIL], is_active=True))
    return committee
