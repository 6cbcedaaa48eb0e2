"""The review data the authorization walk requests pages about, added to its persona company.

One cycle in its assessment phase, pinned to version 1, reviewing the employee, their teammate the
peer, the manager (under the skip-level manager) and the outsider (under the other manager); the
employee's self-assessment and their manager's assessment, each with one rating; the peer asked
and approved to give feedback on the employee, with their answer begun; a piece of evidence about
the employee; an open calibration group of the two managers; a file of past ratings HR checked. Each app's pages add what they need
below (append only), and name their objects in the returned dict for the walk's PARAMETERS.
"""

from __future__ import annotations

import datetime
from typing import Any

from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.promotions.models import ReadinessSnapshot
from trellis.web.promotions.readiness_services import readiness_recompute
from trellis.web.reviews.models import (
    Assessment,
    CalibrationGroup,
    CycleParticipant,
    EvidenceItem,
    PeerNomination,
    Rating,
    RatingImport,
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
    # A file of past ratings HR has checked and not imported yet.
    rating_import = RatingImport.objects.create(
        file_name="ratings.csv",
        data=b"person,cycle,cycle end date,source,competency,score\r\n"
        b"employee@example.com,First half 2026,2026-06-30,manager,communication,3\r\n",
        uploaded_by=company["hr_admin"],
        summary={"cycles": [], "ratings": 1, "people": 1},
    )
    # Readiness (promotions): the current result of the employee, the manager and the outsider, and
    # one cycle of the employee's history, so that the readiness pages show both.
    readiness_recompute(person_ids=[employee.pk, manager.pk, company["outsider"].person.pk])
    ReadinessSnapshot.objects.create(
        person=employee,
        cycle=cycle,
        as_of=cycle.ends_on,
        target_family_id="engineering",
        target_track_id="ic",
        target_level_code="IC3",
        met_count=2,
        criteria_count=7,
    )
    # Calibration: everyone in the cycle is in the managers' group — the manager too, so that the
    # walk sees a member refused their own ratings — with the manager's ratings of them.
    CycleParticipant.objects.filter(cycle=cycle).update(calibration_group=group)
    _assessment(cycle, manager, Source.MANAGER, company["skip_level"].person, 3)
    return {
        **_cycle_pages(cycle),
        "cycle": cycle,
        "self_assessment": self_assessment,
        "manager_assessment": manager_assessment,
        "peer_assessment": peer_assessment,
        "evidence": evidence,
        "calibration_group": group,
        "rating_import": rating_import,
    }


# --- the cycle pages (helper "cycles") --------------------------------------------------------------


def _cycle_pages(cycle: ReviewCycle) -> dict[str, Any]:
    """The participants whose pages the walk requests: the employee's and the manager's."""
    by_person = {
        participant.person_id: participant for participant in cycle.participants.select_related("person")
    }
    employee = next(p for p in by_person.values() if p.person.employee_id == "E003")
    manager = next(p for p in by_person.values() if p.person.employee_id == "E002")
    return {"employee_participant": employee, "manager_participant": manager}


# --- feedback (peer nominations, answers, evidence, notifications) --------------------------------

_review_scenario_before_feedback = review_scenario


def review_scenario(company: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-redef]  # extends the one above
    """The scenario above, and: a peer the employee proposed that the manager has not decided on
    (the co-author), and a notification sent to the employee."""
    from trellis.web.notifications.models import Notification

    scenario = _review_scenario_before_feedback(company)
    employee = company["employee"].person
    proposed = PeerNomination.objects.create(
        cycle=scenario["cycle"], subject=employee, peer=company["coauthor"].person, nominated_by=employee
    )
    notification = Notification.objects.create(
        recipient=employee,
        kind=Notification.Kind.CYCLE_OPENED,
        title="Second half 2026 has opened",
        link="/",
    )
    return {**scenario, "proposed_nomination": proposed, "notification": notification}
