"""Shared fixtures of the promotion tests: the personas, version 1 of the framework, a committee
for Engineering (the other manager and the co-author), and the employee's readiness for IC3."""

from __future__ import annotations

from typing import Any

import pytest

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person, PersonChange
from trellis.web.promotions.models import Endorsement, Nomination, PromotionCommittee, Readiness

IC3 = ("engineering", "ic", "IC3")
CRITERIA = [
    {"kind": "minimum_average", "met": True, "explanation": "Average 3.6 — the minimum is 3.5"},
    {"kind": "floor", "met": False, "explanation": "Communication 2.8 — the floor is 3", "actual": 2.8},
]


@pytest.fixture
def company(published_framework: FrameworkVersion, personas: dict[str, User]) -> dict[str, User]:
    return personas


@pytest.fixture
def committee(company: dict[str, User]) -> PromotionCommittee:
    committee = PromotionCommittee.objects.create(name="Engineering promotions", family_ids=["engineering"])
    committee.members.set([company["other_manager"].person, company["coauthor"].person])
    return committee


@pytest.fixture
def readiness(company: dict[str, User]) -> Readiness:
    return Readiness.objects.create(
        person=company["employee"].person,
        target_family_id="engineering",
        target_track_id="ic",
        target_level_code="IC3",
        ready=False,
        met_count=1,
        criteria_count=2,
        criteria=CRITERIA,
    )


def stored() -> list[Any]:
    """Everything a promotion write may touch, to compare before and after a refusal."""
    return [
        list(Nomination.objects.order_by("pk").values_list()),
        list(Endorsement.objects.order_by("pk").values_list()),
        list(PromotionCommittee.objects.order_by("pk").values_list()),
        list(PromotionCommittee.members.through.objects.order_by("pk").values_list()),
        list(Person.objects.order_by("pk").values_list()),
        list(PersonChange.objects.order_by("pk").values_list()),
        AuditEvent.objects.count(),
    ]
