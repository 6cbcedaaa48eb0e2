"""Data the feedback, evidence and notification tests share: a cycle in its assessment phase
reviewing the personas' team, and colleagues to ask for feedback.

The team: the manager (M1, under the skip-level manager) manages the employee and three more
engineers (peers one to three), all in the cycle; the outsider, under the other manager, too.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person
from trellis.web.reviews.models import Assessment, CycleParticipant, Rating, ReviewCycle, Source

from ..conftest import make_person, make_user

IC2_COMPETENCIES = [
    "communication",
    "ownership",
    "collaboration",
    "delivery",
    "technology_ai_fluency",
    "software_craft",
    "system_design",
    "operational_excellence",
    "technical_leadership",
]
MANAGEMENT_COMPETENCIES = [
    "communication",
    "ownership",
    "collaboration",
    "delivery",
    "technology_ai_fluency",
    "people_development",
    "hiring_and_team_building",
    "engineering_strategy",
]


def participate(cycle: ReviewCycle, *people: Person) -> list[CycleParticipant]:
    return CycleParticipant.objects.bulk_create(
        CycleParticipant(
            cycle=cycle,
            person=person,
            family_id=person.family_id,
            track_id=person.track_id,
            level_code=person.level_code,
            manager=person.manager,
        )
        for person in people
    )


def answered(
    cycle: ReviewCycle,
    subject: Person,
    author: Person,
    answers: dict[str, tuple[int | None, str]],
    *,
    source: Source = Source.PEER,
) -> Assessment:
    """A submitted peer (or upward) assessment with these answers, made directly."""
    assessment = Assessment.objects.create(
        cycle=cycle, subject=subject, source=source, author=author, submitted_at=timezone.now()
    )
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment,
            cycle=cycle,
            subject=subject,
            source=source,
            competency_id=competency_id,
            score=score,
            comment=comment,
        )
        for competency_id, (score, comment) in answers.items()
    )
    return assessment


@pytest.fixture
def feedback_team(personas: dict[str, User], published_framework: FrameworkVersion) -> dict[str, Any]:
    """The personas, three peers of the employee (with accounts), and the cycle reviewing them."""
    manager = personas["manager"].person
    peers = []
    for number in (1, 2, 3):
        user = make_user(f"peer{number}@example.com", f"Peer {number}")
        make_person(
            user, employee_id=f"P00{number}", full_name=f"Peer {number}", level_code="IC2", manager=manager
        )
        peers.append(user)
    cycle = ReviewCycle.objects.create(
        name="Second half 2026",
        framework_version=published_framework,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        peer_due=datetime.date(2026, 12, 20),
    )
    people = [personas[name].person for name in ("employee", "manager", "outsider")] + [
        p.person for p in peers
    ]
    participants = participate(cycle, *people)
    return {
        **personas,
        "peers": peers,
        "cycle": cycle,
        "participant": participants[0],
        "manager_participant": participants[1],
    }
