"""The demo company's reviews: two past cycles of realistic ratings, one open cycle, and feedback.

Called by `trellis.web.people.demo.load_demo` once the people exist (and by its upgrade of an older
demo that has no cycles). Everything comes from a fixed seed, so the same company gets the same
reviews; dates are relative to today, in half years: the open cycle is the current half, the two
past cycles the two halves before it.

How the ratings are made, so that the demo shows what the pages are for:

- each person has an *ability* relative to their level (most near 0; about one in ten operate at
  the level above, +1, and are the ones ready for promotion; a few more are almost there, +0.7);
- each manager has a *leniency* (most near 0; two clearly lenient, two clearly severe), which the
  manager's ratings carry and calibration takes mostly out;
- a rating is the level's expected proficiency plus the ability, the rater's leniency and some
  noise, rounded to the scale; self-ratings run a little high;
- people are rated at the level they held when the cycle ended (their previous level, for those
  promoted since), and people hired after a cycle ended are not in it.

Past cycles are closed: calibrated, confirmed, signed off and shared, with an adjustment (and its
reason) wherever calibration moved a manager's rating. In the open cycle some self-assessments and
manager assessments are done and the rest are left to do — none by the employee persona or of the
manager persona's reports, which are theirs to try. Evidence (feedback and wins from teammates) is
spread over the last nine months.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from trellis.framework.model import Framework, Track
from trellis.web.accounts.models import User
from trellis.web.frameworks.authoring_selectors import version_framework_get
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person, PersonChange
from trellis.web.reviews.models import (
    Assessment,
    CalibrationAdjustment,
    CalibrationGroup,
    CycleParticipant,
    EvidenceItem,
    PeerNomination,
    Rating,
    ReviewCycle,
    Source,
)

SEED = 89
_BATCH_SIZE = 2_000
#: Who is rated how: the share of people operating at the next level (ready) and almost there.
_READY_SHARE = 0.10
_ALMOST_SHARE = 0.08

_SELF_COMMENTS = (
    "I took this on without being asked and saw it through.",
    "Better than last half, though I still lean on others for the hardest cases.",
    "This is where I grew most this half.",
    "I want to get more deliberate practice here.",
)
_MANAGER_COMMENTS = (
    "Consistently at the expected scope; the team relies on it.",
    "Clear progress since the last cycle, with one project as the proof.",
    "Shows it on familiar work; less so under pressure.",
    "Ahead of the level: this is already how the next level works.",
)
_EVIDENCE = (
    ("win", "Shipped the migration a week early and wrote the runbook others now use."),
    ("feedback", "Your write-up of the trade-offs made the decision easy for the whole group."),
    ("win", "Closed the quarter's largest renewal after untangling the billing dispute."),
    ("feedback", "Thanks for pairing on the flaky tests — I learned how you narrow a problem down."),
    ("win", "Ran the onboarding week for three new starters; all said it was the best they had."),
    ("feedback", "In the incident call you kept everyone calm and the timeline straight."),
)
_ADJUSTMENT_REASONS = {
    1: "Raised: the group read the evidence as meeting the level; the first rating was severe.",
    -1: "Lowered: the examples show the expected scope, not beyond it, against the group's reading.",
}


@dataclass(frozen=True, slots=True)
class DemoReviewsSummary:
    cycles: int
    ratings: int
    evidence: int


def _half_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if day.month <= 6:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30)
    return datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31)


def _half_name(starts_on: datetime.date) -> str:
    return f"{'First' if starts_on.month == 1 else 'Second'} half {starts_on.year}"


def _previous_half(starts_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    return _half_of(starts_on - datetime.timedelta(days=1))


def _track(framework: Framework, family_id: str, track_id: str) -> Track | None:
    for family in framework.families:
        if family.id == family_id:
            for track in family.tracks:
                if track.id == track_id:
                    return track
    return None


def _level_then(person: Person, ends_on: datetime.date, previous_levels: dict[int, str]) -> str | None:
    """The level `person` held when a cycle ended on `ends_on`, or None if they were not here then."""
    if person.hired_on is not None and person.hired_on > ends_on:
        return None
    if person.level_since <= ends_on:
        return person.level_code
    return previous_levels.get(person.pk)


class _Rater:
    def __init__(self, framework: Framework, rng: random.Random) -> None:
        points = [point.value for point in framework.scale.points]
        self.lowest, self.highest = min(points), max(points)
        self.rng = rng

    def score(self, expected: int, shift: float) -> int:
        value = round(expected + shift + self.rng.gauss(0, 0.35))
        return max(self.lowest, min(self.highest, value))


def load_demo_reviews(*, hr: User, today: datetime.date | None = None) -> DemoReviewsSummary:
    """Write the demo's cycles, ratings and evidence (see the module's docstring). The caller holds
    the transaction; the demo company's people and published framework must exist."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    version = FrameworkVersion.objects.get(is_current=True)
    framework = version_framework_get(version=version)
    rater = _Rater(framework, rng)
    people = list(Person.objects.filter(is_active=True).select_related("user").order_by("pk"))
    persona_emails = {"employee@northwind.example"}
    persona_manager = next((p for p in people if p.email == "manager@northwind.example"), None)
    hands_off = {p.pk for p in people if p.email in persona_emails}
    if persona_manager is not None:
        hands_off |= {p.pk for p in people if p.manager_id == persona_manager.pk}

    previous_levels: dict[int, str] = {}
    for person_id, old_value in (
        PersonChange.objects.filter(kind=PersonChange.Kind.LEVEL)
        .order_by("changed_at")
        .values_list("person_id", "old_value")
    ):
        previous_levels.setdefault(person_id, old_value.rsplit("/", 1)[-1])

    ability: dict[int, float] = {}
    for person in people:
        draw = rng.random()
        if draw < _READY_SHARE:
            ability[person.pk] = 1.0
        elif draw < _READY_SHARE + _ALMOST_SHARE:
            ability[person.pk] = 0.7
        else:
            ability[person.pk] = rng.gauss(0, 0.3)
    managers = sorted({p.manager_id for p in people if p.manager_id is not None})
    leniency = {manager_id: rng.gauss(0, 0.15) for manager_id in managers}
    for position, manager_id in enumerate(rng.sample(managers, k=min(4, len(managers)))):
        leniency[manager_id] = 0.8 if position < 2 else -0.7

    open_start, open_end = _half_of(today)
    last_start, last_end = _previous_half(open_start)
    first_start, first_end = _previous_half(last_start)
    ratings = 0
    for starts_on, ends_on in ((first_start, first_end), (last_start, last_end)):
        ratings += _past_cycle(
            version, framework, rater, people, previous_levels, ability, leniency, hr, starts_on, ends_on
        )
    ratings += _open_cycle(
        version, framework, rater, people, ability, leniency, hands_off, hr, open_start, open_end, today
    )
    evidence = _evidence(framework, people, rng, today)
    return DemoReviewsSummary(cycles=3, ratings=ratings, evidence=evidence)


def _participants(
    cycle: ReviewCycle, people: list[Person], level_of: dict[int, str]
) -> list[CycleParticipant]:
    rows = [
        CycleParticipant(
            cycle=cycle,
            person=person,
            family_id=person.family_id,
            track_id=person.track_id,
            level_code=level_of[person.pk],
            manager_id=person.manager_id,
        )
        for person in people
        if person.pk in level_of
    ]
    return CycleParticipant.objects.bulk_create(rows, batch_size=_BATCH_SIZE)


def _expectations(framework: Framework, participant: CycleParticipant) -> dict[str, int]:
    track = _track(framework, participant.family_id, participant.track_id)
    if track is None:
        return {}
    return {
        competency_id: by_level[participant.level_code].proficiency
        for competency_id, by_level in track.expectations.items()
        if participant.level_code in by_level
    }


def _write(assessments: list[tuple[Assessment, list[Rating]]]) -> int:
    Assessment.objects.bulk_create([assessment for assessment, _ in assessments], batch_size=_BATCH_SIZE)
    rows: list[Rating] = []
    for assessment, ratings in assessments:
        for rating in ratings:
            rating.assessment = assessment
            rows.append(rating)
    Rating.objects.bulk_create(rows, batch_size=_BATCH_SIZE)
    return len(rows)


def _past_cycle(
    version: FrameworkVersion,
    framework: Framework,
    rater: _Rater,
    people: list[Person],
    previous_levels: dict[int, str],
    ability: dict[int, float],
    leniency: dict[int, float],
    hr: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> int:
    closed_at = datetime.datetime.combine(
        ends_on + datetime.timedelta(days=45), datetime.time(12), tzinfo=datetime.UTC
    )
    cycle = ReviewCycle.objects.create(
        name=_half_name(starts_on),
        framework_version=version,
        phase=ReviewCycle.Phase.CLOSED,
        starts_on=starts_on,
        ends_on=ends_on,
        self_due=ends_on - datetime.timedelta(days=14),
        manager_due=ends_on,
        calibration_due=ends_on + datetime.timedelta(days=21),
        sign_off_due=ends_on + datetime.timedelta(days=35),
        share_on=ends_on + datetime.timedelta(days=42),
        selection={"everyone": True},
        opened_by=hr,
        opened_at=closed_at - datetime.timedelta(days=90),
        phase_changed_at=closed_at,
    )
    level_of = {
        person.pk: level
        for person in people
        if person.manager_id is not None
        and (level := _level_then(person, ends_on, previous_levels)) is not None
    }
    participants = _participants(cycle, people, level_of)
    group = CalibrationGroup.objects.create(
        cycle=cycle, name="Company", status=CalibrationGroup.Status.CLOSED, closed_at=closed_at, closed_by=hr
    )
    group.members.set(sorted({p.manager_id for p in participants if p.manager_id is not None}))
    CycleParticipant.objects.filter(cycle=cycle).update(
        calibration_group=group,
        calibration_confirmed_at=closed_at,
        calibration_confirmed_by=hr,
        signed_off_at=closed_at,
        signed_off_by=hr,
        shared_at=closed_at + datetime.timedelta(days=3),
    )
    submitted = closed_at - datetime.timedelta(days=50)
    written: list[tuple[Assessment, list[Rating]]] = []
    # (index of the calibrated assessment in `written`, position of the competency, before, after)
    adjustments: list[tuple[int, int, int, int]] = []
    for participant in participants:
        expected = _expectations(framework, participant)
        person_ability = ability[participant.person_id]
        bias = leniency.get(participant.manager_id or 0, 0.0)
        by_source: dict[str, dict[str, int]] = {Source.SELF: {}, Source.MANAGER: {}, Source.CALIBRATED: {}}
        for competency_id, proficiency in expected.items():
            by_source[Source.SELF][competency_id] = rater.score(proficiency, person_ability + 0.3)
            manager_score = rater.score(proficiency, person_ability + bias)
            by_source[Source.MANAGER][competency_id] = manager_score
            # Calibration takes most of the manager's leniency out.
            calibrated = max(rater.lowest, min(rater.highest, round(manager_score - 0.75 * bias)))
            by_source[Source.CALIBRATED][competency_id] = calibrated
        for source, author_id in (
            (Source.SELF, participant.person_id),
            (Source.MANAGER, participant.manager_id),
            (Source.CALIBRATED, None),
        ):
            assessment = Assessment(
                cycle=cycle,
                subject_id=participant.person_id,
                source=source,
                author_id=author_id,
                created_at=submitted,
                updated_at=submitted,
                submitted_at=submitted,
            )
            comments = _SELF_COMMENTS if source == Source.SELF else _MANAGER_COMMENTS
            rows = [
                Rating(
                    cycle=cycle,
                    subject_id=participant.person_id,
                    source=source,
                    competency_id=competency_id,
                    score=score,
                    comment="" if source == Source.CALIBRATED else comments[position % len(comments)],
                    updated_at=submitted,
                )
                for position, (competency_id, score) in enumerate(by_source[source].items())
            ]
            written.append((assessment, rows))
        for position, competency_id in enumerate(expected):
            before = by_source[Source.MANAGER][competency_id]
            after = by_source[Source.CALIBRATED][competency_id]
            if before != after:
                adjustments.append((len(written) - 1, position, before, after))
    count = _write(written)
    CalibrationAdjustment.objects.bulk_create(
        [
            CalibrationAdjustment(
                group=group,
                rating=written[index][1][position],
                before=before,
                after=after,
                reason=_ADJUSTMENT_REASONS[1 if after > before else -1],
                adjusted_by=hr,
                adjusted_at=closed_at - datetime.timedelta(days=2),
            )
            for index, position, before, after in adjustments
        ],
        batch_size=_BATCH_SIZE,
    )
    return count


def _open_cycle(
    version: FrameworkVersion,
    framework: Framework,
    rater: _Rater,
    people: list[Person],
    ability: dict[int, float],
    leniency: dict[int, float],
    hands_off: set[int],
    hr: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    today: datetime.date,
) -> int:
    opened = datetime.datetime.combine(
        max(starts_on, today - datetime.timedelta(days=20)), datetime.time(9), tzinfo=datetime.UTC
    )
    cycle = ReviewCycle.objects.create(
        name=_half_name(starts_on),
        framework_version=version,
        phase=ReviewCycle.Phase.ASSESSMENT,
        starts_on=starts_on,
        ends_on=ends_on,
        self_due=today + datetime.timedelta(days=10),
        manager_due=today + datetime.timedelta(days=20),
        peer_due=today + datetime.timedelta(days=20),
        calibration_due=today + datetime.timedelta(days=35),
        sign_off_due=today + datetime.timedelta(days=45),
        share_on=today + datetime.timedelta(days=50),
        selection={"everyone": True},
        upward_feedback=True,
        opened_by=hr,
        opened_at=opened,
        phase_changed_at=opened,
    )
    level_of = {
        person.pk: person.level_code
        for person in people
        if person.manager_id is not None and (person.hired_on is None or person.hired_on <= starts_on)
    }
    participants = _participants(cycle, people, level_of)
    written: list[tuple[Assessment, list[Rating]]] = []
    for position, participant in enumerate(participants):
        if participant.person_id in hands_off:
            continue
        expected = _expectations(framework, participant)
        person_ability = ability[participant.person_id]
        done = [(Source.SELF, participant.person_id, person_ability + 0.3)] if position % 5 < 2 else []
        if position % 10 < 3 and participant.manager_id is not None:
            done.append(
                (
                    Source.MANAGER,
                    participant.manager_id,
                    person_ability + leniency.get(participant.manager_id, 0.0),
                )
            )
        for source, author_id, shift in done:
            assessment = Assessment(
                cycle=cycle,
                subject_id=participant.person_id,
                source=source,
                author_id=author_id,
                submitted_at=opened,
            )
            rows = [
                Rating(
                    cycle=cycle,
                    subject_id=participant.person_id,
                    source=source,
                    competency_id=competency_id,
                    score=rater.score(proficiency, shift),
                )
                for competency_id, proficiency in expected.items()
            ]
            written.append((assessment, rows))
    count = _write(written)
    # Peers asked for a few people (teammates: the same manager), approved by the manager.
    teammates: dict[int, list[int]] = {}
    for participant in participants:
        if participant.manager_id is not None:
            teammates.setdefault(participant.manager_id, []).append(participant.person_id)
    nominations = []
    for participant in participants[::6]:
        if participant.manager_id is None:
            continue
        for peer_id in [p for p in teammates[participant.manager_id] if p != participant.person_id][:3]:
            nominations.append(
                PeerNomination(
                    cycle=cycle,
                    subject_id=participant.person_id,
                    peer_id=peer_id,
                    nominated_by_id=participant.person_id,
                    status=PeerNomination.Status.APPROVED,
                    decided_by_id=participant.manager_id,
                    decided_at=opened,
                )
            )
    PeerNomination.objects.bulk_create(nominations, batch_size=_BATCH_SIZE)
    return count


def _evidence(framework: Framework, people: list[Person], rng: random.Random, today: datetime.date) -> int:
    by_manager: dict[int, list[Person]] = {}
    for person in people:
        if person.manager_id is not None:
            by_manager.setdefault(person.manager_id, []).append(person)
    items = []
    for person in people:
        colleagues = [p for p in by_manager.get(person.manager_id or 0, []) if p.pk != person.pk]
        track = _track(framework, person.family_id, person.track_id)
        if not colleagues or track is None:
            continue
        competencies = [c for c, by_level in track.expectations.items() if person.level_code in by_level]
        for _ in range(rng.choice((0, 1, 1, 2))):
            kind, text = rng.choice(_EVIDENCE)
            items.append(
                EvidenceItem(
                    subject=person,
                    author=rng.choice(colleagues),
                    kind=kind,
                    text=text,
                    competency_ids=sorted(rng.sample(competencies, k=min(2, len(competencies)))),
                    occurred_on=today - datetime.timedelta(days=rng.randint(3, 270)),
                )
            )
    EvidenceItem.objects.bulk_create(items, batch_size=_BATCH_SIZE)
    return len(items)


def demo_readiness(*, hr: User) -> None:
    """Everyone's readiness from the demo's cycles, and its history at the end of each past one."""
    from trellis.web.promotions.readiness_services import readiness_recompute_all, readiness_snapshot_cycle

    for cycle_id in (
        ReviewCycle.objects.filter(phase=ReviewCycle.Phase.CLOSED)
        .order_by("ends_on")
        .values_list("pk", flat=True)
    ):
        readiness_snapshot_cycle(cycle_id=cycle_id)
    readiness_recompute_all(actor=hr)


def holds_demo_reviews() -> bool:
    """Whether the demo's review cycles are there already (an older demo had none)."""
    return ReviewCycle.objects.filter(~Q(is_imported=True)).exists()
