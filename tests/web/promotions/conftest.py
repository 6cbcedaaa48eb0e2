"""What the readiness tests share: tests/evaluation/readiness.yaml published as the framework, and
cycles and ratings made the way the reviews services store them."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.people.models import Person
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
