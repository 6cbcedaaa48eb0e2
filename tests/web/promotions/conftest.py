"""What the promotion tests share: tests/evaluation/readiness.yaml published as the framework, with
cycles and ratings made the way the reviews services store them (the readiness tests); and the
personas with version 1 of the framework, a committee for Engineering (the other manager and the
co-author), and the employee's readiness for IC3 (the promotion tests)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.models import Person, PersonChange
from trellis.web.promotions.models import Endorsement, Nomination, PromotionCommittee, Readiness
from trellis.web.reviews.models import Assessment, Rating, ReviewCycle, Source

FRAMEWORK = Path(__file__).resolve().parents[2] / "evaluation" / "readiness.yaml"


@pytest.fixture
def version(hr_admin: User) -> FrameworkVersion:
    """tests/evaluation/readiness.yaml, published (version 1)."""
    framework_draft_save(actor=hr_admin, yaml_text=FRAMEWORK.read_text(), expected_revision=None)
    return framework_publish(actor=hr_admin)


def make_cycle(version: FrameworkVersion, name: str, ends: str, phase: str) -> ReviewCycle:
    ends_on = datetime.date.fromisoformat(ends)
    return ReviewCycle.objects.create(
        name=name,
        framework_version=version,
        phase=phase,
        starts_on=ends_on - datetime.timedelta(days=180),
        ends_on=ends_on,
    )


def rate(
    cycle: ReviewCycle, subject: Person, source: Source, author: Person | None, scores: dict[str, int]
) -> None:
    """One assessment of `subject` by `author` with a rating per competency of `scores`."""
    assessment = Assessment.objects.create(cycle=cycle, subject=subject, source=source, author=author)
    Rating.objects.bulk_create(
        Rating(assessment=assessment, cycle=cycle, subject=subject, source=source, competency_id=c, score=s)
        for c, s in scores.items()
    )


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
