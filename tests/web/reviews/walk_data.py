"""The review data the authorization walk requests pages about, added to its persona company.

One cycle in its assessment phase, pinned to version 1, reviewing the employee, their teammate the
peer, the manager (under the skip-level manager) and the outsider (under the other manager); the
employee's self-assessment and their manager's assessment, each with one rating; the peer asked
and approved to give feedback on the employee, with their answer begun; a piece of evidence about
the employee; an open calibration group of the two managers. Each app's pages add what they need
below (append only), and name their objects in the returned dict for the walk's PARAMETERS.
"""

from __future__ import annotations

import datetime
from typing import Any

from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.reviews.models import (
    Assessment,
    CalibrationGroup,
    CycleParticipant,
    EvidenceItem,
    PeerNomination,
    Rating,
    ReviewCycle,
    Source,
)


def _assessment(
    cycle: ReviewCycle, subject: Any, source: Source, author: Any, score: int | None
) -> Assessment:
    assessment = Assessment.objects.create(cycle=cycle, subject=subject, source=source, author=author)
    Rating.objects.create(
        assessment=assessment,
        cycle=cycle,
        subject=subject,
        source=source,
        competency_id="communication",
        score=score,
        comment="Explains designs clearly in reviews.",
    )
    return assessment


def review_scenario(company: dict[str, Any]) -> dict[str, Any]:
    """Create the walk's review data for `company` (the walk's fixture) and return it by name."""
    employee = company["employee"].person
    manager = company["manager"].person
    peer = company["peer"].person
    cycle = ReviewCycle.objects.create(
        name="Second half 2026",
        framework_version=FrameworkVersion.objects.get(number=1),
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        self_due=datetime.date(2026, 12, 10),
        manager_due=datetime.date(2026, 12, 17),
    )
    for person in (employee, peer, manager, company["outsider"].person):
        CycleParticipant.objects.create(
            cycle=cycle,
            person=person,
            family_id=person.family_id,
            track_id=person.track_id,
            level_code=person.level_code,
            manager=person.manager,
        )
    self_assessment = _assessment(cycle, employee, Source.SELF, employee, 3)
    manager_assessment = _assessment(cycle, employee, Source.MANAGER, manager, 4)
    PeerNomination.objects.create(
        cycle=cycle,
        subject=employee,
        peer=peer,
        nominated_by=employee,
        status=PeerNomination.Status.APPROVED,
        decided_by=manager,
    )
    peer_assessment = _assessment(cycle, employee, Source.PEER, peer, None)
    evidence = EvidenceItem.objects.create(
        subject=employee,
        author=peer,
        kind=EvidenceItem.Kind.WIN,
        text="Ran the incident review for the payments outage.",
        competency_ids=["communication"],
    )
    group = CalibrationGroup.objects.create(cycle=cycle, name="Engineering managers")
    group.members.set([manager, company["other_manager"].person])
    return {
        "cycle": cycle,
        "self_assessment": self_assessment,
        "manager_assessment": manager_assessment,
        "peer_assessment": peer_assessment,
        "evidence": evidence,
        "calibration_group": group,
    }
