"""The demo company's reviews: two past cycles of realistic ratings, an open cycle, and evidence."""

from __future__ import annotations

import datetime
import itertools
import statistics
from collections import defaultdict

import pytest
from django.utils import timezone

from trellis.web.frameworks.authoring_selectors import version_framework_get
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people import demo
from trellis.web.people.demo import load_demo
from trellis.web.people.demo_accounts import MANAGER_EMAIL
from trellis.web.people.models import Person, PersonChange
from trellis.web.promotions.demo_promotions import DEMO_ALMOST, DEMO_READY
from trellis.web.promotions.models import Endorsement, Nomination, Readiness
from trellis.web.reviews.models import (
    Assessment,
    CalibrationAdjustment,
    CycleParticipant,
    EvidenceItem,
    PeerNomination,
    Rating,
    ReviewCycle,
    Source,
)

pytestmark = pytest.mark.django_db


def _expected(level: tuple[str, str, str]) -> dict[str, int]:
    framework = version_framework_get(version=FrameworkVersion.objects.get(is_current=True))
    family = next(f for f in framework.families if f.id == level[0])
    track = next(t for t in family.tracks if t.id == level[1])
    return {c: by[level[2]].proficiency for c, by in track.expectations.items() if level[2] in by}


@pytest.fixture
def company() -> None:
    load_demo()


def test_two_closed_half_years_before_the_open_one(company: None) -> None:
    today = timezone.localdate()
    cycles = list(ReviewCycle.objects.order_by("ends_on"))
    assert [c.phase for c in cycles] == ["closed", "closed", "assessment"]
    assert cycles[2].starts_on <= today <= cycles[2].ends_on
    for earlier, later in itertools.pairwise(cycles):
        assert later.starts_on == earlier.ends_on + datetime.timedelta(days=1)
        assert (later.ends_on - later.starts_on).days in (180, 181, 183)
    assert [c.name.split(" half ")[0] for c in cycles] in (
        ["First", "Second", "First"],
        ["Second", "First", "Second"],
    )


def test_past_cycles_rate_each_person_at_the_level_they_held_then_by_self_manager_and_calibration(
    company: None,
) -> None:
    previous = {
        person_id: old.rsplit("/", 1)[-1]
        for person_id, old in PersonChange.objects.filter(kind="level").values_list("person_id", "old_value")
    }
    checked = promoted_since = 0
    for cycle in ReviewCycle.objects.filter(phase="closed"):
        for participant in CycleParticipant.objects.filter(cycle=cycle).select_related("person"):
            person = participant.person
            assert person.hired_on is None or person.hired_on <= cycle.ends_on
            if person.level_since > cycle.ends_on:
                assert participant.level_code == previous[person.pk]
                promoted_since += 1
            else:
                assert participant.level_code == person.level_code
            assert participant.manager_id == person.manager_id
            assert participant.calibration_confirmed_at is not None and participant.shared_at is not None
            competencies = set(
                _expected((participant.family_id, participant.track_id, participant.level_code))
            )
            assessments = Assessment.objects.filter(cycle=cycle, subject=person)
            assert sorted(a.source for a in assessments) == ["calibrated", "manager", "self"]
            for assessment in assessments:
                ratings = Rating.objects.filter(assessment=assessment)
                assert {r.competency_id for r in ratings} == competencies
                assert all(r.score is not None and 1 <= r.score <= 5 for r in ratings)
                assert all(
                    (r.cycle_id, r.subject_id, r.source) == (cycle.pk, person.pk, assessment.source)
                    for r in ratings
                )
            checked += 1
    first = ReviewCycle.objects.filter(phase="closed").order_by("ends_on")[0]
    hired_later = set(Person.objects.filter(hired_on__gt=first.ends_on).values_list("pk", flat=True))
    assert hired_later and not hired_later & set(first.participants.values_list("person_id", flat=True))
    assert checked > 60 and promoted_since > 0


def test_every_calibration_change_is_an_adjustment_with_its_reason(company: None) -> None:
    manager = {
        (r.cycle_id, r.subject_id, r.competency_id): r.score
        for r in Rating.objects.filter(source="manager", cycle__phase="closed")
    }
    adjusted = {a.rating_id: a for a in CalibrationAdjustment.objects.all()}
    changed = 0
    for rating in Rating.objects.filter(source="calibrated"):
        before = manager[(rating.cycle_id, rating.subject_id, rating.competency_id)]
        if before == rating.score:
            assert rating.pk not in adjusted
            continue
        adjustment = adjusted.pop(rating.pk)
        assert (adjustment.before, adjustment.after) == (before, rating.score)
        assert adjustment.reason.startswith("Raised" if rating.score > before else "Lowered")  # type: ignore[operator]
        changed += 1
    assert adjusted == {} and changed > 20


def test_some_managers_are_lenient_some_severe_and_calibration_takes_most_of_it_out(company: None) -> None:
    expected_of: dict[tuple[int, int], dict[str, int]] = {}
    for participant in CycleParticipant.objects.filter(cycle__phase="closed"):
        expected_of[(participant.cycle_id, participant.person_id)] = _expected(
            (participant.family_id, participant.track_id, participant.level_code)
        )
    manager_of = dict(
        CycleParticipant.objects.filter(cycle__phase="closed").values_list("person_id", "manager_id")
    )
    deviation: dict[str, dict[int, list[int]]] = {
        "manager": defaultdict(list),
        "calibrated": defaultdict(list),
    }
    for rating in Rating.objects.filter(source__in=["manager", "calibrated"], cycle__phase="closed"):
        expected = expected_of[(rating.cycle_id, rating.subject_id)][rating.competency_id]
        deviation[rating.source][manager_of[rating.subject_id]].append(rating.score - expected)  # type: ignore[operator]
    means = {
        source: [statistics.mean(v) for v in by.values() if len(v) >= 15] for source, by in deviation.items()
    }
    assert max(means["manager"]) > 0.6 and min(means["manager"]) < -0.5
    assert statistics.pstdev(means["calibrated"]) < statistics.pstdev(means["manager"])
    # Where a manager rated high or low against the level, calibration moved their people's ratings
    # back (the rest of the deviation is their people's ability, which calibration keeps).
    for manager_id, deviations in deviation["manager"].items():
        if len(deviations) < 15:
            continue
        leaning = statistics.mean(deviations)
        moved = leaning - statistics.mean(deviation["calibrated"][manager_id])
        if leaning > 0.6:
            assert moved > 0.3
        if leaning < -0.5:
            assert moved < -0.3


def test_the_open_cycle_leaves_the_personas_work_to_them(company: None) -> None:
    cycle = ReviewCycle.objects.get(phase="assessment")
    employee = Person.objects.get(email=demo.EMPLOYEE_EMAIL)
    manager = Person.objects.get(email=demo.MANAGER_EMAIL)
    assert CycleParticipant.objects.filter(cycle=cycle, person=employee).exists()
    assert not Assessment.objects.filter(cycle=cycle, subject=employee).exists()
    assert not Assessment.objects.filter(cycle=cycle, author=manager).exists()
    assert Assessment.objects.filter(cycle=cycle, source="self").count() > 10
    assert Assessment.objects.filter(cycle=cycle, source="manager").exists()
    assert cycle.self_due is not None and cycle.self_due > timezone.localdate()
    for nomination in PeerNomination.objects.filter(cycle=cycle):
        assert nomination.status == "approved" and nomination.peer_id != nomination.subject_id
        subject_manager = Person.objects.get(pk=nomination.subject_id).manager_id
        assert (
            Person.objects.get(pk=nomination.peer_id).manager_id
            == nomination.decided_by_id
            == subject_manager
        )


def test_evidence_comes_from_teammates_and_names_the_subjects_competencies(company: None) -> None:
    # (The scope wins of the people made ready are their manager's: the next test. The evidence a
    # finished action of a demo development plan produced is its person's own: growth's demo test.)
    from trellis.web.growth.models import Action as PlanAction

    from_plans = PlanAction.objects.filter(evidence__isnull=False).values("evidence_id")
    items = list(
        EvidenceItem.objects.filter(scope="").exclude(pk__in=from_plans).select_related("subject", "author")
    )
    assert len(items) > 20
    today = timezone.localdate()
    for item in items:
        assert item.author.manager_id == item.subject.manager_id and item.author_id != item.subject_id
        competencies = _expected((item.subject.family_id, item.subject.track_id, item.subject.level_code))
        assert item.competency_ids and set(item.competency_ids) <= set(competencies)
        assert today - datetime.timedelta(days=270) <= item.occurred_on < today


def test_loading_again_adds_no_cycles_and_an_older_demo_gets_them(company: None) -> None:
    ratings = Rating.objects.count()
    assert load_demo().review_cycles == 0
    assert Rating.objects.count() == ratings
    CalibrationAdjustment.objects.all().delete()
    Rating.objects.all().delete()
    Assessment.objects.all().delete()
    PeerNomination.objects.all().delete()
    ReviewCycle.objects.all().delete()
    summary = load_demo()
    assert (summary.upgraded, summary.review_cycles, summary.ratings) == (True, 3, ratings)
    assert Source.CALIBRATED in set(Rating.objects.values_list("source", flat=True))


def test_a_few_are_ready_with_nominations_waiting_and_a_few_almost(company: None) -> None:
    ready = list(Readiness.objects.filter(is_next_level=True, ready=True).select_related("person"))
    assert len(ready) == DEMO_READY
    nominations = Nomination.objects.filter(status=Nomination.Status.SUBMITTED)
    assert sorted(n.person_id for n in nominations) == sorted(r.person_id for r in ready)
    for nomination in nominations.select_related("person"):
        endorsement = Endorsement.objects.get(nomination=nomination, role=Endorsement.Role.MANAGER)
        assert endorsement.endorser_id == nomination.person.manager_id
        assert nomination.committee_id is not None and nomination.readiness_at_submission
        # Their scope is evidenced by their manager, as readiness matches it.
        assert EvidenceItem.objects.filter(
            subject=nomination.person, author=nomination.person.manager
        ).exclude(scope="")
    # Almost: every criterion met but the manager's endorsement.
    almost = [
        row
        for row in Readiness.objects.filter(is_next_level=True, ready=False)
        if row.criteria_count - row.met_count == 1
        and EvidenceItem.objects.filter(subject_id=row.person_id).exclude(scope="").exists()
    ]
    assert len(almost) == DEMO_ALMOST
    # The walkthroughs' people are left to them.
    assert not Nomination.objects.filter(person__manager__email=MANAGER_EMAIL).exists()
