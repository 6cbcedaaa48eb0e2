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
    """The employee's readiness for IC3 as the app computes it (no counted cycle yet)."""
    from trellis.web.promotions.readiness_services import readiness_recompute

    readiness_recompute(person_ids=[company["employee"].person.pk])
    return Readiness.objects.select_related("framework_version").get(
        person=company["employee"].person, is_next_level=True
    )


def worded(readiness: Readiness) -> list[dict[str, Any]]:
    """Each criterion of `readiness` with its words, as a packet keeps them."""
    from trellis.web.frameworks.authoring_selectors import version_framework_get
    from trellis.web.promotions.readiness_services import readiness_worded

    assert readiness.framework_version is not None
    result = readiness_worded(readiness, version_framework_get(version=readiness.framework_version))
    assert result is not None
    return [criterion.to_json() for criterion in result.criteria]


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
