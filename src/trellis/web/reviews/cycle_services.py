"""Every write to a review cycle: opening it with its participants, moving its phase on, signing
off a participant and sharing the results. Keyword-only, typed, atomic, permission-checked, audited.

Opening a cycle writes its participants in one INSERT … SELECT from the people table (and their
"cycle opened" notifications in one more, mailed after commit), and starting calibration writes
every calibrated result (and the copy of the manager's ratings it starts from) in two more: a
constant number of queries whatever the size of the company. Sharing tells each person whose
results are shared (`notifications.services.notify_results_shared`), in bulk as well.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.notifications.services import notify_cycle_opened, notify_results_shared
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import readiness_inputs_changed
from trellis.web.promotions.tasks import readiness_snapshot
from trellis.web.reviews.cycle_results import cycle_results_build
from trellis.web.reviews.models import (
    DEFAULT_PEER_MINIMUM,
    Assessment,
    CycleParticipant,
    Rating,
    ReviewCycle,
    Source,
)
from trellis.web.reviews.selectors import version_framework

Phase = ReviewCycle.Phase

#: The phases in order; HR moves a cycle to the next one.
PHASE_ORDER: tuple[Phase, ...] = (
    Phase.ASSESSMENT,
    Phase.CALIBRATION,
    Phase.SIGN_OFF,
    Phase.SHARED,
    Phase.CLOSED,
)
#: Phases in which a participant's results may be signed off.
SIGN_OFF_PHASES = (Phase.SIGN_OFF, Phase.SHARED)


def next_phase(phase: str) -> Phase | None:
    """The phase after `phase`; None after the last."""
    position = PHASE_ORDER.index(Phase(phase))
    return PHASE_ORDER[position + 1] if position + 1 < len(PHASE_ORDER) else None


@dataclass(frozen=True, slots=True)
class Selection:
    """Who takes part: everyone active, or the active people in any of the families, teams or
    levels ("family/track/level") chosen."""

    everyone: bool = False
    families: Sequence[str] = ()
    team_ids: Sequence[int] = ()
    levels: Sequence[str] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everyone or self.families or self.team_ids or self.levels)

    def as_record(self) -> dict[str, object]:
        return {
            "everyone": self.everyone,
            "families": sorted(self.families),
            "teams": sorted(self.team_ids),
            "levels": sorted(self.levels),
        }

    def people_filter(self) -> Q:
        if self.everyone:
            return Q()
        chosen = Q(pk__in=[])
        if self.families:
            chosen |= Q(family_id__in=list(self.families))
        if self.team_ids:
            chosen |= Q(team_id__in=list(self.team_ids))
        for level in self.levels:
            family_id, _, rest = level.partition("/")
            track_id, _, code = rest.partition("/")
            chosen |= Q(family_id=family_id, track_id=track_id, level_code=code)
        return chosen


def placeable(framework: Framework) -> Q:
    """A filter on `Person` keeping the people whose level `framework` has."""
    found = Q(pk__in=[])
    for family in framework.families:
        for track in family.tracks:
            found |= Q(
                family_id=family.id, track_id=track.id, level_code__in=[level.code for level in track.levels]
            )
    return found


@dataclass(frozen=True, slots=True)
class OpenedCycle:
    cycle: ReviewCycle
    participants: int
    #: People the selection named whose level the pinned version does not have (not taken in).
    left_out: int


def _insert_participants(cycle: ReviewCycle, people: Q) -> int:
    """One INSERT … SELECT of the people matching `people` as participants of `cycle`, each with
    their level and their (active) manager now."""
    chosen = (
        Person.objects.filter(people)
        .order_by()
        .annotate(
            cycle_value=Cast(Value(cycle.pk), BigIntegerField()),
            kept_manager=Case(
                When(manager__is_active=True, then=F("manager_id")),
                default=Value(None),
                output_field=BigIntegerField(),
            ),
        )
        .values_list("cycle_value", "id", "family_id", "track_id", "level_code", "kept_manager")
    )
    select_sql, params = chosen.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(name) for name in ("cycle_id", "person_id", "family_id", "track_id", "level_code", "manager_id")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(CycleParticipant._meta.db_table)} ({columns}) {select_sql}", params
        )
        return int(cursor.rowcount)


@transaction.atomic
def cycle_open(
    *,
    actor: User,
    name: str,
    framework_version: FrameworkVersion,
    starts_on: datetime.date,
    ends_on: datetime.date,
    selection: Selection,
    self_due: datetime.date | None = None,
    manager_due: datetime.date | None = None,
    peer_due: datetime.date | None = None,
    calibration_due: datetime.date | None = None,
    sign_off_due: datetime.date | None = None,
    share_on: datetime.date | None = None,
    peer_minimum: int = DEFAULT_PEER_MINIMUM,
    show_peer_names_to_manager: bool = False,
    upward_feedback: bool = False,
) -> OpenedCycle:
    """Open a cycle pinned to `framework_version` for the active people `selection` names, each
    taken in at their level and under their manager now, each told it opened (mailed once this
    commits). HR only (PermissionDenied).

    ValidationError naming the field: a name in use, an end before the start, a peer minimum
    below 1, a selection that is empty or names nobody the version can place. Nothing is stored then.
    """
    policy.require(actor, Action.CYCLE_MANAGE)
    cleaned_name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not cleaned_name:
        errors["name"] = "Give the cycle a name."
    elif ReviewCycle.objects.filter(name=cleaned_name).exists():
        errors["name"] = f"A cycle called “{cleaned_name}” exists already."
    if ends_on < starts_on:
        errors["ends_on"] = "The cycle cannot end before it starts."
    if peer_minimum < 1:
        errors["peer_minimum"] = "At least one peer answer is needed before any is shown."
    if selection.is_empty:
        errors["everyone"] = "Choose who takes part: everyone, or at least one family, team or level."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    cycle = ReviewCycle.objects.create(
        name=cleaned_name,
        framework_version=framework_version,
        starts_on=starts_on,
        ends_on=ends_on,
        self_due=self_due,
        manager_due=manager_due,
        peer_due=peer_due,
        calibration_due=calibration_due,
        sign_off_due=sign_off_due,
        share_on=share_on,
        peer_minimum=peer_minimum,
        show_peer_names_to_manager=show_peer_names_to_manager,
        upward_feedback=upward_feedback,
        selection=selection.as_record(),
        opened_by=actor,
        opened_at=now,
        phase_changed_at=now,
    )
    framework = version_framework(framework_version)
    chosen = Q(is_active=True) & selection.people_filter()
    taken = _insert_participants(cycle, chosen & placeable(framework))
    if taken == 0:
        raise ValidationError(
            {"everyone": "Nobody active matches this selection at a level of the chosen framework version."}
        )
    left_out = Person.objects.filter(chosen).exclude(placeable(framework)).count()
    audit_record(
        actor=actor,
        action=AuditAction.CYCLE_OPENED,
        target=cycle,
        fields=["name", "framework_version", "starts_on", "ends_on", "selection", "participants"],
    )
    notify_cycle_opened(cycle, actor=actor)
    return OpenedCycle(cycle=cycle, participants=taken, left_out=left_out)


def _create_calibrated_results(cycle: ReviewCycle, now: datetime.datetime) -> None:
    """Each participant's calibrated result, starting from a copy of their manager's scores."""
    quote = connection.ops.quote_name
    assessment_table = quote(Assessment._meta.db_table)
    participant_table = quote(CycleParticipant._meta.db_table)
    rating_table = quote(Rating._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {assessment_table} (cycle_id, subject_id, source, author_id, created_at, updated_at) "
            f"SELECT cycle_id, person_id, %s, NULL, %s, %s FROM {participant_table} p WHERE p.cycle_id = %s "
            f"AND NOT EXISTS (SELECT 1 FROM {assessment_table} a WHERE a.cycle_id = p.cycle_id "
            f"AND a.subject_id = p.person_id AND a.source = %s)",
            [Source.CALIBRATED.value, now, now, cycle.pk, Source.CALIBRATED.value],
        )
        cursor.execute(
            f"INSERT INTO {rating_table} (assessment_id, cycle_id, subject_id, source, competency_id, score, "
            f"comment, evidence, revision, updated_at, updated_by_id) "
            f"SELECT c.id, r.cycle_id, r.subject_id, %s, r.competency_id, r.score, '', '', 1, %s, NULL "
            f"FROM {rating_table} r JOIN {assessment_table} c ON c.cycle_id = r.cycle_id "
            f"AND c.subject_id = r.subject_id AND c.source = %s "
            f"WHERE r.cycle_id = %s AND r.source = %s AND r.score IS NOT NULL",
            [Source.CALIBRATED.value, now, Source.CALIBRATED.value, cycle.pk, Source.MANAGER.value],
        )


@transaction.atomic
def cycle_advance(*, actor: User, cycle: ReviewCycle, expected_phase: str) -> ReviewCycle:
    """Move `cycle` from `expected_phase` to the next phase. HR only.

    Starting calibration creates each participant's calibrated result from their manager's scores
    (the assessment forms are read-only from then on); sharing shows each signed-off participant
    their results and tells them so. ValidationError when the cycle is no longer in `expected_phase` (another HR
    admin moved it) or is closed; nothing changes then.
    """
    policy.require(actor, Action.CYCLE_MANAGE)
    following = next_phase(expected_phase)
    if following is None:
        raise ValidationError("The cycle is closed: there is no phase after it.")
    now = timezone.now()
    moved = ReviewCycle.objects.filter(pk=cycle.pk, phase=expected_phase).update(
        phase=following, phase_changed_at=now
    )
    if not moved:
        current = ReviewCycle.objects.filter(pk=cycle.pk).values_list("phase", flat=True).first()
        label = Phase(current).label if current is not None else "deleted"
        raise ValidationError(f"The cycle moved on meanwhile: it is in {label} now. Nothing was changed.")
    fields = ["phase"]
    if following == Phase.CALIBRATION:
        _create_calibrated_results(cycle, now)
        fields.append("calibrated_results")
    cycle.phase = following
    cycle.phase_changed_at = now
    audit_record(actor=actor, action=AuditAction.CYCLE_PHASE_CHANGED, target=cycle, fields=fields)
    if following == Phase.SHARED:
        CycleParticipant.objects.filter(
            cycle=cycle, signed_off_at__isnull=False, shared_at__isnull=True
        ).update(shared_at=now)
        audit_record(actor=actor, action=AuditAction.CYCLE_SHARED, target=cycle, fields=["shared_at"])
        notify_results_shared(cycle, actor=actor)
    if following in (Phase.SHARED, Phase.CLOSED):
        # The cycle's results count from now on: each person's result, read from the ratings as
        # they stand (locked from here), then their readiness and its history entry.
        cycle_results_build(cycle_ids=[cycle.pk])
        readiness_inputs_changed(
            CycleParticipant.objects.filter(cycle=cycle).values_list("person_id", flat=True)
        )
        transaction.on_commit(lambda: readiness_snapshot.enqueue(cycle_id=cycle.pk))
    return cycle


@transaction.atomic
def participant_sign_off(*, actor: User, participant: CycleParticipant) -> CycleParticipant:
    """Sign off `participant`'s results: their manager in the cycle, or HR — never oneself
    (PermissionDenied). In the sign-off phase, or later while shared (then shared at once, and the
    person told).
    ValidationError in another phase, or when already signed off; nothing changes then."""
    policy.require(actor, Action.CYCLE_SIGN_OFF, participant)
    cycle = ReviewCycle.objects.get(pk=participant.cycle_id)
    if cycle.phase not in SIGN_OFF_PHASES:
        raise ValidationError(
            f"Results are signed off in the sign-off phase; this cycle is in {cycle.get_phase_display()}."
        )
    now = timezone.now()
    values: dict[str, object] = {"signed_off_at": now, "signed_off_by": actor}
    if cycle.phase == Phase.SHARED:
        values["shared_at"] = now
    signed = CycleParticipant.objects.filter(pk=participant.pk, signed_off_at__isnull=True).update(**values)
    if not signed:
        raise ValidationError("These results are signed off already.")
    participant.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.CYCLE_PARTICIPANT_SIGNED_OFF,
        target=participant,
        fields=sorted(values),
    )
    if cycle.phase == Phase.SHARED:
        readiness_inputs_changed([participant.person_id])
        notify_results_shared(cycle, participant_ids=[participant.pk], actor=actor)
    return participant
