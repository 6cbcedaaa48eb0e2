"""Writing an assessment: one competency's rating at a time, and submitting it.

An assessment is written by its author alone — the participant for the self-assessment, their
manager in the cycle for the manager's — and only in the assessment phase, until it is submitted.
The peer and upward forms reuse `rating_save` with their own `FormRules`.

No lost updates, on SQLite as on PostgreSQL: each save states the revision of the rating it read
(0 when none was saved yet). The first save inserts the rating (the database's one-per-competency
constraint refuses a second insert); every later one is ``UPDATE … WHERE id = ? AND revision = ?``.
A save that finds a newer revision is refused with `RatingConflict`, naming who saved the newer
value and when, and stores nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.policy import Action
from trellis.web.reviews.models import (
    RATING_COMMENT_MAX_LENGTH,
    Assessment,
    CycleParticipant,
    Rating,
    ReviewCycle,
    Source,
)
from trellis.web.reviews.selectors import cycle_framework, participant_rubric


@dataclass(frozen=True, slots=True)
class FormRules:
    """What an assessment form of one source asks: whether a score or a comment is required to
    submit. Self and manager: scores may be missing at submission (they are listed); the peer form
    asks for a comment and leaves the score optional."""

    comment_required: bool = False


RULES: dict[Source, FormRules] = {Source.SELF: FormRules(), Source.MANAGER: FormRules()}


class RatingConflict(Exception):
    """Someone saved this rating after the writer read it: `current` is what is stored now."""

    def __init__(self, current: Rating) -> None:
        self.current = current
        who = current.updated_by.full_name if current.updated_by is not None else "Someone"
        moment = wording.moment(timezone.localtime(current.updated_at))
        super().__init__(
            f"Not saved: {who} saved a newer value on {moment}. It is shown here; your version was kept "
            "beside it for you to apply again."
        )


def expected_author_id(participant: CycleParticipant, source: Source) -> int | None:
    """Who writes `participant`'s assessment of `source`: themselves, or their manager in the cycle."""
    if source == Source.SELF:
        return participant.person_id
    if source == Source.MANAGER:
        return participant.manager_id
    return None


def author_check(actor: User, participant: CycleParticipant, source: Source) -> int:
    """The author's person id; PermissionDenied unless `actor` is the author of this assessment."""
    if source not in RULES:
        raise PermissionDenied(f"the {source} form is not written here")
    author_id = expected_author_id(participant, source)
    target = Assessment(
        cycle_id=participant.cycle_id, subject_id=participant.person_id, source=source, author_id=author_id
    )
    policy.require(
        actor, Action.ASSESSMENT_WRITE_SELF if source == Source.SELF else Action.ASSESSMENT_RATE, target
    )
    person = policy.viewer_person(actor)
    # HR admins may do everything the policy names, but an assessment is its author's own words.
    if author_id is None or person is None or person.pk != author_id:
        raise PermissionDenied("only its author writes an assessment")
    return author_id


def _writable(participant: CycleParticipant, assessment: Assessment | None) -> None:
    # The cycle as the request read it: HR moving the phase on while a save is under way is the
    # same as the save arriving a moment earlier.
    if participant.cycle.phase != ReviewCycle.Phase.ASSESSMENT:
        raise ValidationError("The assessment phase of this cycle is over: the form is read-only.")
    if assessment is not None and assessment.submitted_at is not None:
        raise ValidationError("This assessment is submitted: it is read-only.")


def _assessment_keys(participant: CycleParticipant, source: Source, author_id: int) -> dict[str, Any]:
    return {
        "cycle_id": participant.cycle_id,
        "subject_id": participant.person_id,
        "source": source,
        "author_id": author_id,
    }


def _assessment_for(actor: User, participant: CycleParticipant, source: Source, author_id: int) -> Assessment:
    """The author's assessment, created on its first save (two first saves at once make one)."""
    keys = _assessment_keys(participant, source, author_id)
    found = Assessment.objects.filter(**keys).order_by().first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created = Assessment.objects.create(**keys)
    except IntegrityError:
        return Assessment.objects.get(**keys)
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_STARTED, target=created, fields=["source"])
    return created


def _check_values(
    participant: CycleParticipant, competency_id: str, score: int | None, comment: str, evidence: str
) -> None:
    framework = cycle_framework(participant.cycle)
    rubric = participant_rubric(participant)
    if rubric is None or competency_id not in {row.competency.id for row in rubric.rows}:
        raise ValidationError({"competency": f"{competency_id} is not assessed at {participant.level_code}."})
    errors = {}
    points = [point.value for point in framework.scale.points]
    if score is not None and score not in points:
        errors["score"] = f"Choose a point of the scale ({points[0]}–{points[-1]}) or Not rated."
    for name, text in (("comment", comment), ("evidence", evidence)):
        if len(text) > RATING_COMMENT_MAX_LENGTH:
            errors[name] = f"At most {RATING_COMMENT_MAX_LENGTH} characters (this has {len(text)})."
    if errors:
        raise ValidationError(errors)


# Single-row reads clear the models' default ordering (`.order_by()`): ordered by their cycle and
# person, each would join two tables for nothing, and an autosave makes them every few seconds.


def _current(assessment: Assessment, competency_id: str) -> Rating | None:
    return (
        Rating.objects.select_related("updated_by")
        .filter(assessment=assessment, competency_id=competency_id)
        .order_by()
        .first()
    )


def _stored(
    participant: CycleParticipant, source: Source, author_id: int, competency_id: str
) -> tuple[Assessment | None, Rating | None]:
    """The author's assessment and its rating of `competency_id` as stored: one query when the
    rating exists (every save after the first), two when it does not. Who saved the rating last is
    read only when a conflict names them."""
    rating = (
        Rating.objects.select_related("assessment")
        .filter(
            **{
                f"assessment__{name}": value
                for name, value in _assessment_keys(participant, source, author_id).items()
            },
            competency_id=competency_id,
        )
        .order_by()
        .first()
    )
    if rating is not None:
        return rating.assessment, rating
    assessment = (
        Assessment.objects.filter(**_assessment_keys(participant, source, author_id)).order_by().first()
    )
    return assessment, None


def rating_write_if_revision(
    *, rating_id: int, revision: int, actor: User, now: datetime.datetime, values: Mapping[str, Any]
) -> bool:
    """Write `values` to the rating only if its revision is still `revision`, moving it on by one:
    one conditional UPDATE, so no update is lost on SQLite or PostgreSQL. Whether it was written.
    The one write of a rating's revision, for the assessment form and the feedback answers."""
    return bool(
        Rating.objects.filter(pk=rating_id, revision=revision).update(
            revision=F("revision") + 1, updated_at=now, updated_by=actor, **values
        )
    )


@transaction.atomic
def rating_save(
    *,
    actor: User,
    participant: CycleParticipant,
    source: Source,
    competency_id: str,
    score: int | None,
    comment: str,
    evidence: str,
    revision: int,
) -> Rating | None:
    """Save one competency's rating of `participant`'s `source` assessment, written by `actor`,
    who read it at `revision` (0: nothing saved yet). Returns the rating stored (unchanged, with no
    new revision, when the values are those stored), or None when nothing was ever saved and
    nothing is given (a blank competency stays missing, without a row).

    PermissionDenied unless `actor` is the assessment's author (nobody rates themselves as a
    manager); ValidationError outside the assessment phase, once submitted, or for a competency
    the level does not assess, a score off the scale, a text too long; `RatingConflict` when
    someone saved a newer revision. Nothing is stored in any of these cases.
    """
    author_id = author_check(actor, participant, source)
    comment, evidence = comment.strip(), evidence.strip()
    existing, current = _stored(participant, source, author_id, competency_id)
    _writable(participant, existing)
    _check_values(participant, competency_id, score, comment, evidence)
    assessment = existing or _assessment_for(actor, participant, source, author_id)
    values = {"score": score, "comment": comment, "evidence": evidence}
    if current is not None and all(getattr(current, name) == value for name, value in values.items()):
        return current
    if current is None and score is None and not comment and not evidence:
        return None
    now = timezone.now()
    if current is None:
        if revision != 0:
            raise ValidationError({"revision": "This rating was never saved: reload the form."})
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    assessment=assessment,
                    cycle_id=participant.cycle_id,
                    subject_id=participant.person_id,
                    source=source,
                    competency_id=competency_id,
                    updated_at=now,
                    updated_by=actor,
                    **values,
                )
        except IntegrityError:
            # Another save of the same competency inserted it first.
            stored = _current(assessment, competency_id)
            assert stored is not None
            raise RatingConflict(stored) from None
        changed = [name for name, value in values.items() if value not in (None, "")]
    else:
        if revision != current.revision:
            raise RatingConflict(current)
        if not rating_write_if_revision(
            rating_id=current.pk, revision=revision, actor=actor, now=now, values=values
        ):
            stored = _current(assessment, competency_id)
            assert stored is not None
            raise RatingConflict(stored)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        # What the UPDATE stored, without reading it back.
        rating = current
        rating.revision, rating.updated_at, rating.updated_by = revision + 1, now, actor
        for name, value in values.items():
            setattr(rating, name, value)
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=now)
    audit_record(actor=actor, action=AuditAction.RATING_SAVED, target=rating, fields=changed)
    return rating


@transaction.atomic
def assessment_submit(*, actor: User, participant: CycleParticipant, source: Source) -> Assessment:
    """Submit `actor`'s `source` assessment of `participant`: it becomes read-only, and the
    manager chain may read a submitted self-assessment. Missing scores are allowed (the form lists
    them before submitting). PermissionDenied / ValidationError as `rating_save`."""
    author_id = author_check(actor, participant, source)
    existing = (
        Assessment.objects.filter(**_assessment_keys(participant, source, author_id)).order_by().first()
    )
    _writable(participant, existing)
    assessment = existing or _assessment_for(actor, participant, source, author_id)
    if RULES[source].comment_required:
        uncommented = list(
            Rating.objects.filter(assessment=assessment, comment="").values_list("competency_id", flat=True)
        )
        if uncommented:
            raise ValidationError(
                f"A comment is needed on every competency answered: {', '.join(uncommented)}."
            )
    now = timezone.now()
    if not Assessment.objects.filter(pk=assessment.pk, submitted_at__isnull=True).update(
        submitted_at=now, updated_at=now
    ):
        raise ValidationError("This assessment is submitted: it is read-only.")
    assessment.refresh_from_db()
    audit_record(
        actor=actor, action=AuditAction.ASSESSMENT_SUBMITTED, target=assessment, fields=["submitted_at"]
    )
    return assessment
