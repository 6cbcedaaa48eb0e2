"""Every write of calibration: keyword-only, typed, atomic, permission-checked, audited.

HR makes a cycle's calibration groups (members are managers; the participants they manage join the
group) and sets the cycle's target distribution (guidance only). In an open session its members and
HR adjust calibrated ratings — each adjustment with a required reason, kept as before, after, who,
when and why — write notes and confirm people. Closing the session (HR) writes the calibrated
result of every rating nobody adjusted (the manager's score) and locks them all.

A session works in its cycle's calibration phase only: adjustments, notes and confirmations are
refused before it (the managers' ratings are still being written, and no calibrated result exists
yet) and after it (in sign-off the managers sign off what calibration settled, and once shared the
results are the employee's: changing them then would change what was signed off or shown). The
refusal (`PHASE_MESSAGE`) changes nothing. HR may still make groups and set the target before the
phase, and close a session left open after it.

Nobody calibrates, confirms or writes notes about themselves (`policy.NOT_ON_ONESELF`). A refusal
that a person can fix is a ValidationError naming the field; nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from trellis.evaluation.calibration import check_target
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import readiness_inputs_changed
from trellis.web.reviews.calibration_scale import cycle_scale_points
from trellis.web.reviews.cycle_results import cycle_results_refresh
from trellis.web.reviews.models import (
    CALIBRATION_TEXT_MAX_LENGTH,
    Assessment,
    CalibrationAdjustment,
    CalibrationGroup,
    CalibrationNote,
    CycleParticipant,
    Rating,
    ReviewCycle,
    Source,
)

CLOSED_MESSAGE = "This calibration session is closed: its calibrated ratings are locked."
PHASE_MESSAGE = (
    "Calibration happens while the cycle is in its calibration phase; this cycle is in {phase}. "
    "Nothing was changed."
)
CONFLICT_MESSAGE = (
    "Someone adjusted this rating after you opened the page (it is now {now}). "
    "Nothing was changed: look at the new rating and adjust it again if you still mean to."
)


def _text(value: str, field: str, missing: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError({field: missing})
    if len(cleaned) > CALIBRATION_TEXT_MAX_LENGTH:
        raise ValidationError({field: f"Keep it under {CALIBRATION_TEXT_MAX_LENGTH:,} characters."})
    return cleaned


def phase_refusal(phase: str) -> str:
    """Why a session may not be worked on in a cycle in `phase` ("" in the calibration phase)."""
    if phase == ReviewCycle.Phase.CALIBRATION:
        return ""
    return PHASE_MESSAGE.format(phase=ReviewCycle.Phase(phase).label)


def _open_group(participant: CycleParticipant) -> CalibrationGroup:
    """The participant's session, open, in a cycle in its calibration phase (both read again
    under the transaction); ValidationError saying why not otherwise."""
    phase = ReviewCycle.objects.filter(pk=participant.cycle_id).values_list("phase", flat=True).get()
    refusal = phase_refusal(phase)
    if refusal:
        raise ValidationError({NON_FIELD_ERRORS: refusal})
    group = participant.calibration_group
    if group is None:
        raise ValidationError({NON_FIELD_ERRORS: "This person is in no calibration session."})
    # Read again under the transaction: a session closed since the page was opened stays closed.
    if CalibrationGroup.objects.filter(pk=group.pk, status=CalibrationGroup.Status.OPEN).count() == 0:
        raise ValidationError({NON_FIELD_ERRORS: CLOSED_MESSAGE})
    return group


@transaction.atomic
def calibration_group_create(
    *, actor: User, cycle: ReviewCycle, name: str, members: Sequence[Person]
) -> CalibrationGroup:
    """A calibration group of `cycle` with `members` (managers of people in the cycle); the people
    they manage in the cycle who are in no group yet join it."""
    policy.require(actor, Action.CALIBRATION_MANAGE, cycle)
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError({"name": "Name the group."})
    if len(cleaned) > CalibrationGroup._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": "Keep the name under 200 characters."})
    if CalibrationGroup.objects.filter(cycle=cycle, name=cleaned).exists():
        raise ValidationError({"name": f'This cycle already has a group called "{cleaned}".'})
    if not members:
        raise ValidationError({"members": "Choose the managers who calibrate together."})
    member_ids = {member.pk for member in members}
    managing = set(
        CycleParticipant.objects.filter(cycle=cycle, manager_id__in=member_ids).values_list(
            "manager_id", flat=True
        )
    )
    outside = sorted(member.full_name for member in members if member.pk not in managing)
    if outside:
        raise ValidationError({"members": f"Not a manager of anyone in this cycle: {', '.join(outside)}."})
    group = CalibrationGroup.objects.create(cycle=cycle, name=cleaned)
    group.members.set(members)
    CycleParticipant.objects.filter(
        cycle=cycle, manager_id__in=member_ids, calibration_group__isnull=True
    ).update(calibration_group=group)
    audit_record(
        actor=actor, action=AuditAction.CALIBRATION_GROUP_CREATED, target=group, fields=["name", "members"]
    )
    return group


@transaction.atomic
def calibration_target_set(*, actor: User, cycle: ReviewCycle, shares: Mapping[int, float] | None) -> None:
    """Set (or, with None, clear) the cycle's target distribution: scale point → share of people."""
    policy.require(actor, Action.CALIBRATION_MANAGE, cycle)
    if shares is not None:
        try:
            check_target(
                cycle_scale_points(cycle), {point: share for point, share in shares.items() if share}
            )
        except ValueError as error:
            raise ValidationError({NON_FIELD_ERRORS: f"{str(error).capitalize()}."}) from None
    cycle.target_distribution = (
        None if shares is None else {str(point): share for point, share in sorted(shares.items())}
    )
    cycle.save(update_fields=["target_distribution"])
    audit_record(
        actor=actor, action=AuditAction.CALIBRATION_TARGET_SET, target=cycle, fields=["target_distribution"]
    )


def _manager_ratings(participant: CycleParticipant) -> dict[str, Rating]:
    """The participant's manager ratings of the cycle by competency: those of the manager who
    assesses them in this cycle, else any manager's."""
    ratings = Rating.objects.filter(
        cycle_id=participant.cycle_id, subject_id=participant.person_id, source=Source.MANAGER
    ).select_related("assessment")
    found: dict[str, Rating] = {}
    for rating in sorted(ratings, key=lambda rating: rating.assessment.author_id != participant.manager_id):
        found.setdefault(rating.competency_id, rating)
    return found


@transaction.atomic
def calibration_rating_adjust(
    *,
    actor: User,
    participant: CycleParticipant,
    competency_id: str,
    score: int,
    reason: str,
    revision: int,
) -> CalibrationAdjustment:
    """Set the calibrated rating of one competency of `participant` to `score`, with `reason`.

    `revision` is the calibrated rating's revision the actor saw (0: there was none yet, the
    manager's score stood); a rating written since is refused with the conflict message.
    """
    policy.require(actor, Action.CALIBRATION_ADJUST, participant)
    group = _open_group(participant)
    cleaned_reason = _text(reason, "reason", "Say why the rating changes: the reason is kept with it.")
    if score not in cycle_scale_points(participant.cycle):
        raise ValidationError({"score": "Choose a point of the rating scale."})
    manager_ratings = _manager_ratings(participant)
    calibrated = Rating.objects.filter(
        cycle_id=participant.cycle_id,
        subject_id=participant.person_id,
        source=Source.CALIBRATED,
        competency_id=competency_id,
    ).first()
    if calibrated is None and competency_id not in manager_ratings:
        raise ValidationError({"competency_id": "This competency has no rating to calibrate."})
    now = timezone.now()
    if calibrated is not None:
        if calibrated.revision != revision:
            raise ValidationError(
                {NON_FIELD_ERRORS: CONFLICT_MESSAGE.format(now=_score_text(calibrated.score))}
            )
        before = calibrated.score
        if before == score:
            raise ValidationError({"score": "That is the calibrated rating already."})
        updated = Rating.objects.filter(pk=calibrated.pk, revision=revision).update(
            score=score, revision=F("revision") + 1, updated_at=now, updated_by=actor
        )
        if updated == 0:
            calibrated.refresh_from_db()
            raise ValidationError(
                {NON_FIELD_ERRORS: CONFLICT_MESSAGE.format(now=_score_text(calibrated.score))}
            )
        calibrated.refresh_from_db()
        rating = calibrated
    else:
        if revision != 0:
            raise ValidationError({NON_FIELD_ERRORS: CONFLICT_MESSAGE.format(now="removed")})
        before = manager_ratings[competency_id].score
        if before == score:
            raise ValidationError({"score": "That is the manager's rating already: nothing to adjust."})
        assessment, _ = Assessment.objects.get_or_create(
            cycle_id=participant.cycle_id, subject_id=participant.person_id, source=Source.CALIBRATED
        )
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    assessment=assessment,
                    cycle_id=participant.cycle_id,
                    subject_id=participant.person_id,
                    source=Source.CALIBRATED,
                    competency_id=competency_id,
                    score=score,
                    updated_at=now,
                    updated_by=actor,
                )
        except IntegrityError:
            # Another adjustment created it between our read and this insert.
            raise ValidationError({NON_FIELD_ERRORS: CONFLICT_MESSAGE.format(now="adjusted")}) from None
    adjustment = CalibrationAdjustment.objects.create(
        group=group,
        rating=rating,
        before=before,
        after=score,
        reason=cleaned_reason,
        adjusted_by=actor,
        adjusted_at=now,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CALIBRATION_RATING_ADJUSTED,
        target=adjustment,
        fields=["score", "reason"],
    )
    _counted_ratings_changed(participant.cycle_id, [participant.person_id])
    return adjustment


def _counted_ratings_changed(cycle_id: int, person_ids: Sequence[int]) -> None:
    """Ratings of `person_ids` changed in a session: if the cycle's results count already (shared
    or closed while the session stayed open), their results and readiness follow."""
    if person_ids and cycle_results_refresh(cycle_id=cycle_id, person_ids=person_ids):
        readiness_inputs_changed(person_ids)


def _score_text(score: int | None) -> str:
    return "missing" if score is None else str(score)


@transaction.atomic
def calibration_note_add(*, actor: User, participant: CycleParticipant, text: str) -> CalibrationNote:
    """A note about `participant` in their session, seen by its members and HR only."""
    policy.require(actor, Action.CALIBRATION_NOTES, participant)
    group = _open_group(participant)
    note = CalibrationNote.objects.create(
        group=group,
        subject_id=participant.person_id,
        author=actor,
        text=_text(text, "text", "Write the note."),
    )
    audit_record(actor=actor, action=AuditAction.CALIBRATION_NOTE_ADDED, target=note, fields=["text"])
    return note


@transaction.atomic
def calibration_confirm(*, actor: User, participant: CycleParticipant) -> None:
    """Record that the session confirmed `participant`'s results (a promotion criterion)."""
    policy.require(actor, Action.CALIBRATION_CONFIRM, participant)
    _open_group(participant)
    if participant.calibration_confirmed_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: "Already confirmed in this session."})
    participant.calibration_confirmed_at = timezone.now()
    participant.calibration_confirmed_by = actor
    participant.save(update_fields=["calibration_confirmed_at", "calibration_confirmed_by"])
    audit_record(
        actor=actor,
        action=AuditAction.CALIBRATION_CONFIRMED,
        target=participant,
        fields=["calibration_confirmed_at"],
    )


@transaction.atomic
def calibration_group_close(*, actor: User, group: CalibrationGroup) -> int:
    """Close the session: every manager rating of its people without a calibrated one gets one
    (the same score), and all of them are locked. Returns how many calibrated ratings were written."""
    policy.require(actor, Action.CALIBRATION_MANAGE, group.cycle)
    closed = CalibrationGroup.objects.filter(pk=group.pk, status=CalibrationGroup.Status.OPEN).update(
        status=CalibrationGroup.Status.CLOSED, closed_at=timezone.now(), closed_by=actor
    )
    if closed == 0:
        raise ValidationError({NON_FIELD_ERRORS: "This session is closed already."})
    group.refresh_from_db()
    participants = list(CycleParticipant.objects.filter(calibration_group=group))
    manager_of = {participant.person_id: participant.manager_id for participant in participants}
    # Each person's manager ratings by competency, their cycle manager's first (in a fixed number
    # of queries, whatever the size of the session).
    manager_scores: dict[int, dict[str, int | None]] = {}
    rows = Rating.objects.filter(
        cycle_id=group.cycle_id, subject_id__in=list(manager_of), source=Source.MANAGER
    ).values_list("subject_id", "competency_id", "score", "assessment__author_id")
    for subject_id, competency_id, score, _author in sorted(
        rows, key=lambda row: (row[3] != manager_of[row[0]], row[0], row[1])
    ):
        manager_scores.setdefault(subject_id, {}).setdefault(competency_id, score)
    existing = {
        assessment.subject_id: assessment
        for assessment in Assessment.objects.filter(
            cycle_id=group.cycle_id, subject_id__in=list(manager_scores), source=Source.CALIBRATED
        )
    }
    Assessment.objects.bulk_create(
        Assessment(cycle_id=group.cycle_id, subject_id=subject_id, source=Source.CALIBRATED)
        for subject_id in sorted(set(manager_scores) - set(existing))
    )
    assessments = {
        assessment.subject_id: assessment
        for assessment in Assessment.objects.filter(
            cycle_id=group.cycle_id, subject_id__in=list(manager_scores), source=Source.CALIBRATED
        )
    }
    present = set(
        Rating.objects.filter(assessment__in=list(assessments.values())).values_list(
            "subject_id", "competency_id"
        )
    )
    missing = [
        Rating(
            assessment=assessments[subject_id],
            cycle_id=group.cycle_id,
            subject_id=subject_id,
            source=Source.CALIBRATED,
            competency_id=competency_id,
            score=score,
            updated_by=actor,
        )
        for subject_id, scores in sorted(manager_scores.items())
        for competency_id, score in sorted(scores.items())
        if (subject_id, competency_id) not in present
    ]
    Rating.objects.bulk_create(missing)
    written = len(missing)
    _counted_ratings_changed(group.cycle_id, sorted({rating.subject_id for rating in missing}))
    audit_record(actor=actor, action=AuditAction.CALIBRATION_CLOSED, target=group, fields=["status"])
    return written
