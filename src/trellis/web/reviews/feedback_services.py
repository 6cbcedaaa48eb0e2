"""The writes of peer and upward feedback and of continuous evidence.

Every function is keyword-only, atomic and audited (field names, never the text); the policy is
asked first, and a refusal of the person's own making raises `FeedbackProblem` with a message for
the form, leaving everything as it was.

- `peer_nominate`: the subject or their cycle manager proposes a peer, in the assessment phase.
- `peer_nomination_decide`: the cycle manager (never the subject) approves — the peer's assessment
  is made, one rating per competency of the subject's level, and the peer is notified — or declines.
- `upward_feedback_start`: a report of a manager in a cycle with upward feedback begins their
  assessment of that manager's management competencies (see `feedback_selectors.management_competencies`).
- `feedback_answer_save`: the author's answers (rating optional, comment required to submit),
  through `rating_save`, the conditional UPDATE on each rating's revision.
- `evidence_record`: feedback or a win about anyone, tagged to competencies of their family.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trellis.evaluation.readiness import evidence_key
from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.notifications.services import notify_peer_feedback_requested
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.promotions.readiness_services import readiness_inputs_changed
from trellis.web.reviews.assessment_services import RatingConflict, rating_write_if_revision
from trellis.web.reviews.feedback_selectors import (
    assessment_competency_ids,
    evidence_competencies,
    evidence_scope_items,
    upward_competency_ids,
)
from trellis.web.reviews.models import (
    EVIDENCE_TEXT_MAX_LENGTH,
    RATING_COMMENT_MAX_LENGTH,
    Assessment,
    CycleParticipant,
    EvidenceItem,
    PeerNomination,
    Rating,
    ReviewCycle,
    Source,
)


class FeedbackProblem(Exception):
    """A write refused for a reason the person can fix or should know: `message` says it, `field`
    names the form field it concerns (empty for the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RevisionConflict(FeedbackProblem):
    """Someone (the author, in another tab) saved one of these ratings since the form was read:
    nothing was saved. `current` is that rating as stored now; the message is the assessment
    form's (`assessment_services.RatingConflict`), naming who saved it and when."""

    def __init__(self, current: Rating) -> None:
        super().__init__(str(RatingConflict(current)), f"score_{current.competency_id}")
        self.current = current


def _actor_person(actor: User) -> Person:
    person = policy.viewer_person(actor)
    if person is None:
        raise FeedbackProblem("Only a person in the company can do this; your account has no person.")
    return person


def _in_assessment_phase(cycle: ReviewCycle) -> None:
    if cycle.phase != ReviewCycle.Phase.ASSESSMENT:
        raise FeedbackProblem(
            f"{cycle.name} is past its assessment phase ({cycle.get_phase_display()}): feedback is closed."
        )


# --- peer nominations ---------------------------------------------------------------------------


def peer_nominate(*, actor: User, participant: CycleParticipant, peer_email: str) -> PeerNomination:
    """Propose the active person with `peer_email` as a peer of `participant` (by the subject or
    their cycle manager). FeedbackProblem (field ``peer_email``) for nobody by that address, the
    subject themselves, or a peer nominated already."""
    policy.require(actor, Action.PEER_NOMINATE, participant)
    nominator = _actor_person(actor)
    _in_assessment_phase(participant.cycle)
    address = peer_email.strip()
    peer = Person.objects.filter(email__iexact=address, is_active=True).first() if address else None
    if peer is None:
        raise FeedbackProblem(
            f"Nobody active in the company has the e-mail address {address!r}.", "peer_email"
        )
    if peer.pk == participant.person_id:
        raise FeedbackProblem("A peer cannot be the person the feedback is about.", "peer_email")
    try:
        with transaction.atomic():
            nomination = PeerNomination.objects.create(
                cycle=participant.cycle, subject_id=participant.person_id, peer=peer, nominated_by=nominator
            )
            audit_record(actor=actor, action=AuditAction.PEER_NOMINATED, target=nomination, fields=["peer"])
    except IntegrityError:
        raise FeedbackProblem(f"{peer.full_name} is nominated already.", "peer_email") from None
    return nomination


def _competency_ids_or_problem(participant: CycleParticipant) -> list[str]:
    ids = assessment_competency_ids(participant)
    if not ids:
        raise FeedbackProblem(
            f"The framework version of {participant.cycle.name} assesses no competency at "
            f"{participant.level_code}: there is nothing to ask a peer."
        )
    return ids


def _assessment_create(
    *,
    cycle: ReviewCycle,
    subject: Person | int,
    author: Person,
    source: Source,
    competency_ids: Sequence[str],
) -> Assessment:
    subject_id = subject if isinstance(subject, int) else subject.pk
    assessment = Assessment.objects.create(cycle=cycle, subject_id=subject_id, source=source, author=author)
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment,
            cycle=cycle,
            subject_id=subject_id,
            source=source,
            competency_id=competency_id,
        )
        for competency_id in competency_ids
    )
    return assessment


def peer_nomination_decide(*, actor: User, nomination: PeerNomination, approve: bool) -> PeerNomination:
    """Approve or decline a proposed nomination, as the subject's cycle manager (HR too, but
    never the subject). Approving makes the peer's assessment (one empty rating per competency of
    the subject's level in the cycle's version) and notifies the peer when it commits.
    FeedbackProblem when it was decided already or the cycle is past its assessment phase."""
    participant = CycleParticipant.objects.select_related("cycle").get(
        cycle_id=nomination.cycle_id, person_id=nomination.subject_id
    )
    policy.require(actor, Action.PEER_NOMINATION_DECIDE, participant)
    decider = _actor_person(actor)
    _in_assessment_phase(participant.cycle)
    status = PeerNomination.Status.APPROVED if approve else PeerNomination.Status.DECLINED
    competency_ids = _competency_ids_or_problem(participant) if approve else []
    with transaction.atomic():
        changed = PeerNomination.objects.filter(
            pk=nomination.pk, status=PeerNomination.Status.PROPOSED
        ).update(status=status, decided_by=decider, decided_at=timezone.now())
        if not changed:
            raise FeedbackProblem("This nomination was decided already.")
        nomination.refresh_from_db()
        action = AuditAction.PEER_NOMINATION_APPROVED if approve else AuditAction.PEER_NOMINATION_DECLINED
        audit_record(
            actor=actor, action=action, target=nomination, fields=["status", "decided_by", "decided_at"]
        )
        if approve:
            assessment = _assessment_create(
                cycle=participant.cycle,
                subject=nomination.subject_id,
                author=nomination.peer,
                source=Source.PEER,
                competency_ids=competency_ids,
            )
            notify_peer_feedback_requested(
                peer=nomination.peer,
                subject=nomination.subject,
                cycle=participant.cycle,
                link=reverse("feedback:answer", kwargs={"assessment_id": assessment.pk}),
                actor=actor,
            )
    return nomination


def peer_feedback_start(*, actor: User, nomination: PeerNomination) -> Assessment:
    """The actor's peer assessment for an approved nomination of them, made (one empty rating per
    competency of the subject's track) if the approval did not make it — nominations approved
    elsewhere, such as the demo's or an import's. FeedbackProblem unless the actor is the
    nominated peer, the nomination is approved, and the cycle in its assessment phase."""
    policy.require(actor, Action.FEEDBACK_ANSWER)
    peer = _actor_person(actor)
    if nomination.peer_id != peer.pk or nomination.status != PeerNomination.Status.APPROVED:
        raise FeedbackProblem("Only the peer of an approved nomination gives this feedback.")
    participant = CycleParticipant.objects.select_related("cycle__framework_version").get(
        cycle_id=nomination.cycle_id, person_id=nomination.subject_id
    )
    _in_assessment_phase(participant.cycle)
    existing = Assessment.objects.filter(
        cycle_id=nomination.cycle_id, subject_id=nomination.subject_id, source=Source.PEER, author=peer
    ).first()
    if existing is not None:
        return existing
    competency_ids = _competency_ids_or_problem(participant)
    with transaction.atomic():
        assessment = _assessment_create(
            cycle=participant.cycle,
            subject=nomination.subject_id,
            author=peer,
            source=Source.PEER,
            competency_ids=competency_ids,
        )
        audit_record(
            actor=actor, action=AuditAction.PEER_FEEDBACK_STARTED, target=assessment, fields=["ratings"]
        )
    return assessment


# --- upward feedback ----------------------------------------------------------------------------


def upward_feedback_start(*, actor: User, participant: CycleParticipant) -> Assessment:
    """The actor's upward assessment of their cycle manager in `participant`'s cycle (the actor's
    own participation), made with one empty rating per management competency if it does not
    exist yet. FeedbackProblem when the cycle asks no upward feedback, the actor is not the
    participant, they have no cycle manager, or the manager has no management competencies."""
    policy.require(actor, Action.FEEDBACK_ANSWER)
    author = _actor_person(actor)
    cycle = participant.cycle
    if participant.person_id != author.pk or participant.manager is None:
        raise FeedbackProblem("Upward feedback is given by a manager's reports in the cycle.")
    if not cycle.upward_feedback:
        raise FeedbackProblem(f"{cycle.name} does not ask for upward feedback.")
    _in_assessment_phase(cycle)
    manager = participant.manager
    existing = Assessment.objects.filter(
        cycle=cycle, subject=manager, source=Source.UPWARD, author=author
    ).first()
    if existing is not None:
        return existing
    competency_ids = upward_competency_ids(cycle=cycle, manager=manager)
    if not competency_ids:
        raise FeedbackProblem(
            "Your manager's family has no management competencies in this cycle's framework."
        )
    with transaction.atomic():
        assessment = _assessment_create(
            cycle=cycle, subject=manager, author=author, source=Source.UPWARD, competency_ids=competency_ids
        )
        # The cycle, not the assessment, is the target: the log does not pair author and answers.
        audit_record(actor=actor, action=AuditAction.UPWARD_FEEDBACK_STARTED, target=cycle, fields=["upward"])
    return assessment


# --- answers ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingInput:
    """One competency's answer as the form sent it, with the revision the form was read at."""

    competency_id: str
    score: int | None
    comment: str
    revision: int


def feedback_answer_save(
    *, actor: User, assessment: Assessment, answers: Mapping[str, RatingInput], submit: bool
) -> Assessment:
    """Save the author's answers on a peer or upward assessment; with `submit`, also submit it
    (every competency needs a comment). All or nothing: a rating someone saved since the form was
    read raises RevisionConflict and nothing is written. FeedbackProblem for a score off the
    version's scale, a comment too long, a comment missing on submit, a submitted assessment,
    or a cycle past its assessment phase."""
    policy.require(actor, Action.FEEDBACK_ANSWER)
    author = _actor_person(actor)
    if assessment.author_id != author.pk or assessment.source not in (Source.PEER, Source.UPWARD):
        raise FeedbackProblem("Only the author answers this feedback.")
    if assessment.submitted_at is not None:
        raise FeedbackProblem("This feedback is submitted already and can no longer change.")
    _in_assessment_phase(assessment.cycle)
    ratings = {rating.competency_id: rating for rating in assessment.ratings.all()}
    scale = _scale_values(assessment.cycle)
    for competency_id, answer in answers.items():
        if competency_id not in ratings:
            raise FeedbackProblem(f"{competency_id!r} is not a competency of this feedback.")
        if answer.score is not None and answer.score not in scale:
            raise FeedbackProblem(
                f"{answer.score} is not a point of the rating scale ({wording.listing([str(v) for v in sorted(scale)])}).",
                f"score_{competency_id}",
            )
        if len(answer.comment) > RATING_COMMENT_MAX_LENGTH:
            raise FeedbackProblem(
                f"Keep the comment to {RATING_COMMENT_MAX_LENGTH} characters.", f"comment_{competency_id}"
            )
    if submit:
        for competency_id, rating in ratings.items():
            given = answers.get(competency_id)
            comment = given.comment if given is not None else rating.comment
            if not comment.strip():
                raise FeedbackProblem(
                    "A comment is required on every competency to submit.", f"comment_{competency_id}"
                )
    with transaction.atomic():
        changed = []
        for competency_id, answer in answers.items():
            rating = ratings[competency_id]
            if (answer.score, answer.comment) == (rating.score, rating.comment):
                # Nothing to write, so nothing to lose, whatever revision the form was read at: the
                # whole form posted just after its competencies saved themselves as one typed.
                continue
            if not rating_write_if_revision(
                rating_id=rating.pk,
                revision=answer.revision,
                actor=actor,
                now=timezone.now(),
                values={"score": answer.score, "comment": answer.comment},
            ):
                stored = Rating.objects.select_related("updated_by").get(pk=rating.pk)
                transaction.set_rollback(True)
                raise RevisionConflict(stored)
            changed.append(competency_id)
        now = timezone.now()
        fields = sorted({f"{cid}.{part}" for cid in changed for part in ("score", "comment")})
        if submit:
            Assessment.objects.filter(pk=assessment.pk).update(submitted_at=now, updated_at=now)
            fields.append("submitted_at")
        elif changed:
            Assessment.objects.filter(pk=assessment.pk).update(updated_at=now)
        if fields:
            # Upward answers are audited against the cycle, so the log never pairs an author with them.
            target = assessment.cycle if assessment.source == Source.UPWARD else assessment
            audit_record(
                actor=actor,
                action=AuditAction.FEEDBACK_SUBMITTED if submit else AuditAction.FEEDBACK_SAVED,
                target=target,
                fields=fields,
            )
    assessment.refresh_from_db()
    return assessment


def _scale_values(cycle: ReviewCycle) -> set[int]:
    from trellis.web.reviews.feedback_selectors import framework_of_version

    framework = framework_of_version(cycle.framework_version)
    return {point.value for point in framework.scale.points}


# --- evidence -----------------------------------------------------------------------------------


def evidence_record(
    *,
    actor: User,
    subject: Person,
    kind: str,
    text: str,
    link: str,
    competency_ids: Sequence[str],
    occurred_on: datetime.date,
    scope: str = "",
) -> EvidenceItem:
    """Record feedback or a win about `subject` (a colleague or oneself), tagged to competencies
    of the subject's family in the published framework, and optionally naming the `scope`
    evidence item of their next level's promotion criteria it demonstrates (stored in the
    framework's words; the subject's readiness is recomputed after commit, as it counts).
    FeedbackProblem naming the field for an empty or too long text, a link that is not http(s), a
    date to come, a competency the subject's family does not have, or a scope item their next
    level does not ask for."""
    policy.require(actor, Action.EVIDENCE_RECORD, subject)
    author = _actor_person(actor)
    if not subject.is_active:
        raise FeedbackProblem(f"{subject.full_name} has left the company.", "subject_email")
    text = text.strip()
    if not text:
        raise FeedbackProblem("Write what happened.", "text")
    if len(text) > EVIDENCE_TEXT_MAX_LENGTH:
        raise FeedbackProblem(f"Keep it to {EVIDENCE_TEXT_MAX_LENGTH} characters.", "text")
    if kind not in EvidenceItem.Kind.values:
        raise FeedbackProblem(f"{kind!r} is neither feedback nor a win.", "kind")
    link = link.strip()
    if link and not link.lower().startswith(("http://", "https://")):
        raise FeedbackProblem("A link starts with http:// or https://.", "link")
    if occurred_on > timezone.localdate():
        raise FeedbackProblem("The date is still to come: record what has happened.", "occurred_on")
    allowed = evidence_competencies(viewer=actor, subject=subject)
    unknown = [cid for cid in competency_ids if cid not in allowed]
    if unknown:
        raise FeedbackProblem(
            f"{wording.listing([repr(c) for c in unknown])}: not a competency of {subject.full_name}'s family "
            "in the published framework.",
            "competencies",
        )
    scope_item = _scope_item(actor, subject, scope)
    with transaction.atomic():
        item = EvidenceItem.objects.create(
            subject=subject,
            author=author,
            kind=kind,
            text=text,
            link=link,
            competency_ids=list(dict.fromkeys(competency_ids)),
            scope=scope_item,
            occurred_on=occurred_on,
        )
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_RECORDED,
            target=item,
            fields=["kind", "text", "competency_ids", "occurred_on"]
            + (["link"] if link else [])
            + (["scope"] if scope_item else []),
        )
        if scope_item:
            # Scope evidence is a readiness criterion; tags to competencies are not.
            readiness_inputs_changed([subject.pk])
    return item


def _scope_item(actor: User, subject: Person, scope: str) -> str:
    """The scope evidence item `scope` names, in the framework's words ("" for none);
    FeedbackProblem on ``scope`` when the subject's next level does not ask for it."""
    if not scope.strip():
        return ""
    items = evidence_scope_items(viewer=actor, subject=subject)
    found = next((item for item in items if evidence_key(item) == evidence_key(scope)), None)
    if found is not None:
        return found
    if not items:
        raise FeedbackProblem(
            f"{subject.full_name}'s next level asks for no scope evidence: leave this empty.", "scope"
        )
    raise FeedbackProblem(
        f"Not a scope evidence item of {subject.full_name}'s next level: choose one of the list.", "scope"
    )
