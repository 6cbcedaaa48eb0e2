"""Reads of calibration, scoped by the policy: a cycle's groups, a session's board, one person in it.

The board is computed by `trellis.evaluation.calibration` and drawn by `trellis.evaluation.charts`
from a fixed number of queries whatever the size of the group: participants with their people and
managers, the cycle's manager and calibrated ratings of those people, their earlier cycles' ratings
(for the change since the last cycle), and the notes the viewer may read.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.http import Http404

from trellis.evaluation import calibration, charts
from trellis.framework.wording import decimal, number, percent
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.reviews.calibration_scale import competency_names, cycle_framework, cycle_scale_points
from trellis.web.reviews.calibration_services import phase_refusal
from trellis.web.reviews.models import (
    CalibrationAdjustment,
    CalibrationGroup,
    CalibrationNote,
    CycleParticipant,
    Rating,
    ReviewCycle,
    Source,
)


@dataclass(frozen=True)
class CycleCalibration:
    cycle: ReviewCycle
    groups: list[CalibrationGroup]
    managers: list[Person]
    points: tuple[int, ...]
    ungrouped: int


def calibration_cycle_get(*, viewer: Viewer, cycle_id: int) -> CycleCalibration:
    """A cycle's calibration groups: all of them for HR, the viewer's own for a member; 404 for
    anyone who is in none (and is not HR)."""
    cycle = ReviewCycle.objects.select_related("framework_version").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("no such cycle")
    groups = list(CalibrationGroup.objects.filter(cycle=cycle).prefetch_related("members").order_by("name"))
    manages = policy.can(viewer, Action.CALIBRATION_MANAGE, cycle)
    if not manages:
        groups = [group for group in groups if policy.can(viewer, Action.CALIBRATION_VIEW, group)]
        if not groups:
            raise Http404("no such cycle")
    managers = (
        list(Person.objects.filter(pk__in=CycleParticipant.objects.filter(cycle=cycle).values("manager_id")))
        if manages
        else []
    )
    ungrouped = CycleParticipant.objects.filter(cycle=cycle, calibration_group__isnull=True).count()
    return CycleCalibration(cycle, groups, managers, cycle_scale_points(cycle), ungrouped)


def calibration_group_get(*, viewer: Viewer, group_id: int) -> CalibrationGroup:
    """The group, if the viewer may see its session (404 otherwise: its existence is private)."""
    group = CalibrationGroup.objects.select_related("cycle__framework_version").filter(pk=group_id).first()
    if group is None:
        raise Http404("no such calibration group")
    policy.require_visible(viewer, Action.CALIBRATION_VIEW, group)
    return group


def calibration_participant_get(
    *, viewer: Viewer, group: CalibrationGroup, participant_id: int
) -> CycleParticipant:
    """A participant of the group the viewer sees (404 for anyone else's or another group's)."""
    policy.require_visible(viewer, Action.CALIBRATION_VIEW, group)
    participant = (
        CycleParticipant.objects.select_related(
            "person", "manager", "cycle__framework_version", "calibration_group"
        )
        .filter(pk=participant_id, calibration_group=group)
        .first()
    )
    if participant is None:
        raise Http404("no such person in this session")
    return participant


@dataclass
class CompetencyRow:
    competency_id: str
    name: str
    manager_score: int | None
    calibrated_score: int | None
    revision: int

    @property
    def effective(self) -> int | None:
        return self.calibrated_score if self.calibrated_score is not None else self.manager_score

    @property
    def adjusted(self) -> bool:
        return self.calibrated_score is not None and self.calibrated_score != self.manager_score


@dataclass
class PersonRow:
    participant: CycleParticipant
    competencies: list[CompetencyRow]
    previous: float | None
    notes: list[CalibrationNote] = field(default_factory=list)

    @functools.cached_property
    def score(self) -> float | None:
        scores = [row.effective for row in self.competencies if row.effective is not None]
        return math.fsum(scores) / len(scores) if scores else None

    @functools.cached_property
    def adjusted(self) -> list[str]:
        """Each adjusted competency as "Delivery 3 → 4"."""
        return [
            f"{row.name} {_score_text(row.manager_score)} → {_score_text(row.calibrated_score)}"
            for row in self.competencies
            if row.adjusted
        ]

    @property
    def score_text(self) -> str:
        return decimal(self.score, 2) if self.score is not None else "no rating"

    @property
    def change_text(self) -> str:
        score = self.score
        if score is None or self.previous is None:
            return "first cycle" if self.previous is None else "no rating now"
        change = score - self.previous
        sign = "+" if change > 0.005 else ""
        return f"{sign}{decimal(change, 2)} (from {decimal(self.previous, 2)})"


def _score_text(score: int | None) -> str:
    return "missing" if score is None else str(score)


@dataclass(frozen=True)
class LevelGroup:
    level: str
    people: list[PersonRow]


@dataclass(frozen=True)
class Breakdown:
    """Distributions side by side: (name, counts per point, mean as text) per row."""

    title: str
    heading: str
    points: tuple[int, ...]
    rows: list[tuple[str, tuple[int, ...], str]]


def _breakdown(
    title: str, heading: str, points: tuple[int, ...], distributions: dict[str, calibration.Distribution]
) -> Breakdown:
    return Breakdown(
        title,
        heading,
        points,
        [
            (name, found.counts, decimal(found.mean, 2) if found.mean is not None else "")
            for name, found in distributions.items()
        ],
    )


@dataclass(frozen=True)
class Board:
    group: CalibrationGroup
    levels: list[LevelGroup]
    distribution: charts.Chart
    leniency: charts.Chart
    leniency_rows: list[calibration.Leniency]
    #: (person, outlier, the level's median as text)
    outliers: list[tuple[PersonRow, calibration.Outlier, str]]
    breakdowns: list[Breakdown]
    target: list[calibration.TargetRow] | None
    points: tuple[int, ...]
    can_manage: bool

    @property
    def people(self) -> list[PersonRow]:
        return [person for level in self.levels for person in level.people]


def _people_rows(
    viewer: Viewer, group: CalibrationGroup, participants: list[CycleParticipant], names: dict[str, str]
) -> list[PersonRow]:
    cycle = group.cycle
    person_ids = [participant.person_id for participant in participants]
    manager_of = {participant.person_id: participant.manager_id for participant in participants}
    by_person: dict[int, dict[str, CompetencyRow]] = defaultdict(dict)
    ratings = Rating.objects.filter(
        cycle=cycle, subject_id__in=person_ids, source__in=[Source.MANAGER, Source.CALIBRATED]
    ).values_list("subject_id", "source", "competency_id", "score", "revision", "assessment__author_id")
    # The manager who assesses the person in this cycle comes first; another manager's rating
    # stands only where theirs is missing.
    for subject_id, source, competency_id, score, revision, _author in sorted(
        ratings, key=lambda row: row[1] != Source.MANAGER or row[5] != manager_of.get(row[0])
    ):
        row = by_person[subject_id].get(competency_id)
        if row is None:
            row = CompetencyRow(competency_id, names.get(competency_id, competency_id), None, None, 0)
            by_person[subject_id][competency_id] = row
        if source == Source.CALIBRATED:
            row.calibrated_score, row.revision = score, revision
        elif row.manager_score is None:
            row.manager_score = score
    previous = _previous_scores(cycle, person_ids)
    notes: dict[int, list[CalibrationNote]] = defaultdict(list)
    for note in CalibrationNote.objects.filter(group=group).select_related("author"):
        notes[note.subject_id].append(note)
    rows = []
    for participant in participants:
        competencies = sorted(by_person[participant.person_id].values(), key=lambda row: row.name)
        visible_notes = (
            notes[participant.person_id] if policy.can(viewer, Action.CALIBRATION_NOTES, participant) else []
        )
        rows.append(PersonRow(participant, competencies, previous.get(participant.person_id), visible_notes))
    return rows


def _previous_scores(cycle: ReviewCycle, person_ids: Iterable[int]) -> dict[int, float]:
    """Each person's score in their latest earlier cycle: the mean of its calibrated ratings, or of
    its manager ratings where it has no calibrated one."""
    # Summed per person, cycle and source in SQL: a row per (person, cycle, source), not per rating.
    rows = (
        Rating.objects.filter(
            subject_id__in=list(person_ids),
            cycle__ends_on__lt=cycle.ends_on,
            source__in=[Source.MANAGER, Source.CALIBRATED],
            score__isnull=False,
        )
        .order_by()
        .values_list("subject_id", "cycle__ends_on", "cycle_id", "source")
        .annotate(total=Sum("score"), count=Count("score"))
    )
    latest: dict[int, tuple[datetime.date, int, bool, float]] = {}
    for subject_id, ends_on, cycle_id, source, total, count in rows:
        candidate = (ends_on, cycle_id, source == Source.CALIBRATED, total / count)
        current = latest.get(subject_id)
        if current is None or candidate[:3] > current[:3]:
            latest[subject_id] = candidate
    return {subject_id: value[3] for subject_id, value in latest.items()}


def calibration_board_get(*, viewer: Viewer, group: CalibrationGroup) -> Board:
    """Everything the session's page shows."""
    policy.require_visible(viewer, Action.CALIBRATION_VIEW, group)
    cycle = group.cycle
    framework = cycle_framework(cycle)
    points = cycle_scale_points(cycle)
    names = competency_names(framework)
    # Only what the board shows: 300 people are rendered on one page.
    participants = list(
        CycleParticipant.objects.filter(calibration_group=group)
        .select_related("person__team", "manager")
        .only(
            "pk", "person_id", "manager_id", "level_code", "calibration_group_id", "calibration_confirmed_at",
            "person__full_name", "person__team__name", "manager__full_name",
        )
        .order_by("level_code", "person__full_name", "pk")
    )  # fmt: skip
    rows = _people_rows(viewer, group, participants, names)
    scored = [
        calibration.PersonScore(
            str(row.participant.pk),
            row.participant.manager.full_name if row.participant.manager is not None else "No manager",
            row.participant.person.team.name if row.participant.person.team is not None else "No team",
            row.participant.level_code,
            score,
        )
        for row in rows
        if (score := row.score) is not None
    ]
    overall = calibration.distribution([person.score for person in scored], points)
    target_shares = {float(point): float(share) for point, share in (cycle.target_distribution or {}).items()}
    target = None
    if target_shares:
        try:
            target = calibration.target_comparison(overall, target_shares)
        except ValueError:
            target = None
    labels = {point.value: point.label for point in framework.scale.points}
    bars = [
        charts.DistributionBar(
            f"{number(point)} · {labels[int(point)]}" if labels.get(int(point)) else number(point),
            count,
            target[index].target_count if target is not None else None,
        )
        for index, (point, count) in enumerate(zip(overall.points, overall.counts, strict=True))
    ]
    distribution_chart = charts.distribution_chart(
        bars, title=f"People by overall rating ({len(scored)} rated)", category="Overall rating"
    )
    leniency = calibration.manager_leniency(scored)
    leniency_chart = charts.interval_chart(
        [
            charts.IntervalRow(
                entry.manager,
                entry.effect,
                entry.low,
                entry.high,
                entry.lean.value if entry.flagged else "",
                f"{entry.reports} · mean {decimal(entry.mean, 2)}"
                + (f" · shrunk {decimal(entry.shrunk, 2)}" if entry.shrunk is not None else ""),
            )
            for entry in leniency
        ],
        title="Each manager's reports against everyone else's",
        label_heading="Manager",
        estimate_heading="Mean rating minus the others' mean",
        detail_heading="Reports · mean · shrunk effect",
    )
    by_id = {str(row.participant.pk): row for row in rows}
    outliers = [
        (by_id[outlier.person], outlier, decimal(outlier.level_median, 2))
        for outlier in calibration.level_outliers(scored)
    ]
    competency_scores = [
        (competency.name, float(competency.effective))
        for row in rows
        for competency in row.competencies
        if competency.effective is not None
    ]

    def by(key: Callable[[calibration.PersonScore], str]) -> dict[str, calibration.Distribution]:
        return calibration.distributions_by(scored, key, lambda person: person.score, points)

    breakdowns = [
        _breakdown("By manager", "Manager", points, by(lambda person: person.manager)),
        _breakdown("By team", "Team", points, by(lambda person: person.team)),
        _breakdown("By level", "Level", points, by(lambda person: person.level)),
        _breakdown(
            "By competency (every rating)",
            "Competency",
            points,
            calibration.distributions_by(
                competency_scores, lambda item: item[0], lambda item: item[1], points
            ),
        ),
    ]
    levels: dict[str, list[PersonRow]] = defaultdict(list)
    for row in rows:
        levels[row.participant.level_code].append(row)
    return Board(
        group=group,
        levels=[LevelGroup(level, people) for level, people in levels.items()],
        distribution=distribution_chart,
        leniency=leniency_chart,
        leniency_rows=leniency,
        outliers=outliers,
        breakdowns=breakdowns,
        target=target,
        points=points,
        can_manage=policy.can(viewer, Action.CALIBRATION_MANAGE, cycle),
    )


@dataclass(frozen=True)
class ParticipantPage:
    group: CalibrationGroup
    person: PersonRow
    adjustments: list[CalibrationAdjustment]
    points: tuple[int, ...]
    may_adjust: bool
    may_confirm: bool
    may_note: bool
    #: Why nothing may be changed in the cycle's phase (`calibration_services.PHASE_MESSAGE`), else "".
    phase_refusal: str = ""


def calibration_participant_page_get(
    *, viewer: Viewer, group: CalibrationGroup, participant: CycleParticipant
) -> ParticipantPage:
    """One person in the session: ratings, adjustments, notes (if the viewer may read them)."""
    names = competency_names(cycle_framework(group.cycle))
    (row,) = _people_rows(viewer, group, [participant], names)
    adjustments = list(
        CalibrationAdjustment.objects.filter(group=group, rating__subject_id=participant.person_id)
        .select_related("rating", "adjusted_by")
        .order_by("-adjusted_at", "-pk")
    )
    refusal = phase_refusal(group.cycle.phase)
    is_open = group.status == CalibrationGroup.Status.OPEN and not refusal
    return ParticipantPage(
        group=group,
        person=row,
        adjustments=adjustments,
        points=cycle_scale_points(group.cycle),
        may_adjust=is_open and policy.can(viewer, Action.CALIBRATION_ADJUST, participant),
        may_confirm=is_open
        and participant.calibration_confirmed_at is None
        and policy.can(viewer, Action.CALIBRATION_CONFIRM, participant),
        may_note=is_open and policy.can(viewer, Action.CALIBRATION_NOTES, participant),
        phase_refusal=refusal.removesuffix(" Nothing was changed."),
    )


def share_text(share: float) -> str:
    """A share as the target form and table show it: "25%", "12.5%"."""
    return percent(share, 0 if float(share * 100).is_integer() else 1)


__all__ = [
    "Board",
    "CycleCalibration",
    "ParticipantPage",
    "calibration_board_get",
    "calibration_cycle_get",
    "calibration_group_get",
    "calibration_participant_get",
    "calibration_participant_page_get",
    "share_text",
]
