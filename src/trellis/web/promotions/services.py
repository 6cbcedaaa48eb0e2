"""Every write of promotions: requests, nominations, endorsements, committee decisions, committees,
and approved promotions entering the level history. Keyword-only, typed, atomic, permission-checked
(`web/policy.py`), audited.

A nomination's life: an employee may ask for a promotion conversation (``requested``); their
manager turns it into a nomination (``draft``) or declines it with a reason (``withdrawn``), or
nominates without being asked. Submitting keeps the readiness result with the packet, names the
committee that decides for the target family, and records the manager's endorsement (the
nomination itself). The skip-level manager endorses with a note; a committee member approves (with
the date it takes effect) or answers "not yet" with a reason. An approved promotion is applied on
its date by `promotions.tasks.promotions_apply_due`, through `people.services.person_update`.

Refusals a person can cause are ValidationError keyed by the form field; nothing is stored then.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.framework import wording
from trellis.framework.browse import transition_to_next
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.notifications.services import notify_nomination_decided
from trellis.web.people.models import Person
from trellis.web.people.services import check_level_date, person_update
from trellis.web.policy import Action
from trellis.web.promotions.models import (
    PROMOTION_TEXT_MAX_LENGTH,
    Endorsement,
    Nomination,
    PromotionCommittee,
)
from trellis.web.promotions.readiness_services import readiness_recompute
from trellis.web.promotions.selectors import current_readiness

#: The statuses of a case not yet decided (at most one per person and target: a constraint).
OPEN_STATUSES = (Nomination.Status.REQUESTED, Nomination.Status.DRAFT, Nomination.Status.SUBMITTED)


def _actor_person(actor: User) -> Person:
    person = policy.viewer_person(actor)
    if person is None:
        raise ValidationError("Only someone on the people list can do this.")
    return person


def _text(value: str, *, field: str, required: bool) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError({field: "This field is required."})
    if len(cleaned) > PROMOTION_TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                field: (
                    f"At most {wording.count(PROMOTION_TEXT_MAX_LENGTH, 'character')} "
                    f"(this one has {wording.count(len(cleaned), 'character')})."
                )
            }
        )
    return cleaned


def _check_target(actor: User, person: Person, target: tuple[str, str, str]) -> None:
    """ValidationError on ``target`` unless it is a level of the published framework other than
    `person`'s own and not below it (in their family: a higher grade on their track, or at least their
    grade on another track)."""
    published = framework_published_get(viewer=actor)
    family_id, track_id, level_code = target
    family = published.framework.family(family_id) if published is not None else None
    track = family.track(track_id) if family is not None else None
    if track is None or track.level(level_code) is None:
        raise ValidationError({"target": "Choose a level of the published framework."})
    if (family_id, track_id, level_code) == (person.family_id, person.track_id, person.level_code):
        raise ValidationError({"target": f"{person.full_name} is already at {level_code}."})
    own_track = (
        family.track(person.track_id) if family_id == person.family_id and family is not None else None
    )
    current_grade = own_track.grade_of(person.level_code) if own_track is not None else None
    target_grade = track.grade_of(level_code)
    # A promotion goes up: the next grade on one's track, or across at the same grade (a crossover,
    # the way back); a lower grade is a move down, which is not decided here.
    downward = (
        current_grade is not None
        and target_grade is not None
        and (target_grade < current_grade or (track_id == person.track_id and target_grade == current_grade))
    )
    if downward:
        raise ValidationError(
            {
                "target": f"{level_code} is below {person.full_name}'s level ({person.level_code}): a promotion goes up."
            }
        )


def next_level_of(actor: User | AnonymousUser, person: Person) -> tuple[str, str, str] | None:
    """`person`'s next level on their own track in the published framework (None at the top)."""
    published = framework_published_get(viewer=actor)
    if published is None:
        return None
    transition = transition_to_next(published.framework, person.family_id, person.track_id, person.level_code)
    if transition is None or transition.next is None:
        return None
    return (person.family_id, person.track_id, transition.next.code)


def _new_case(person: Person, target: tuple[str, str, str], **fields: Any) -> Nomination:
    """A new case for `person` and `target`; ValidationError on ``target`` when one is open."""
    family_id, track_id, level_code = target
    where = {"target_family_id": family_id, "target_track_id": track_id, "target_level_code": level_code}
    refusal = ValidationError({"target": f"There is already an open promotion case for {level_code}."})
    if Nomination.objects.filter(person=person, status__in=OPEN_STATUSES, **where).exists():
        raise refusal
    try:
        with transaction.atomic():
            return Nomination.objects.create(person=person, **where, **fields)
    except IntegrityError:
        # Another request opened the same case since the check (the constraint allows one).
        raise refusal from None


def _locked(nomination: Nomination) -> Nomination:
    """The stored nomination, locked for the rest of the transaction (PostgreSQL; SQLite writes one
    transaction at a time), with its person."""
    return Nomination.objects.select_for_update(of=("self",)).select_related("person").get(pk=nomination.pk)


def _require_status(nomination: Nomination, *statuses: str) -> None:
    if nomination.status not in statuses:
        raise ValidationError(
            f"Not possible now: the nomination's status is “{nomination.get_status_display()}”."
        )


@transaction.atomic
def promotion_request(*, actor: User, target: tuple[str, str, str] | None = None) -> Nomination:
    """The actor asks their manager for a promotion conversation about `target` (default: their next
    level). ValidationError when they have no manager, no next level, or an open case for it."""
    policy.require(actor, Action.PROMOTION_REQUEST)
    person = _actor_person(actor)
    if person.manager_id is None:
        raise ValidationError("You have no manager on record to ask; HR can set one.")
    chosen = target if target is not None else next_level_of(actor, person)
    if chosen is None:
        raise ValidationError({"target": "You are at the top of your track: choose a target level."})
    _check_target(actor, person, chosen)
    nomination = _new_case(person, chosen, status=Nomination.Status.REQUESTED, requested_by=person)
    audit_record(actor=actor, action=AuditAction.PROMOTION_REQUESTED, target=nomination, fields=["status"])
    return nomination


@transaction.atomic
def nomination_create(
    *, actor: User, person: Person, target: tuple[str, str, str], case: str, submit: bool = False
) -> Nomination:
    """The manager nominates `person` for `target` with their `case`: a draft, or submitted at once
    when `submit`. PermissionDenied unless the actor is `person`'s direct manager (HR: anyone but
    themselves). ValidationError for a level the framework lacks or an open case for it (an open
    request is turned into the nomination instead, see `nomination_save`)."""
    policy.require(actor, Action.PROMOTION_NOMINATE, person)
    nominator = _actor_person(actor)
    _check_target(actor, person, target)
    cleaned = _text(case, field="case", required=submit)
    nomination = _new_case(
        person, target, status=Nomination.Status.DRAFT, nominated_by=nominator, case=cleaned
    )
    audit_record(
        actor=actor, action=AuditAction.NOMINATION_CREATED, target=nomination, fields=["case", "status"]
    )
    if submit:
        return nomination_submit(actor=actor, nomination=nomination)
    return nomination


@transaction.atomic
def nomination_save(*, actor: User, nomination: Nomination, case: str, submit: bool = False) -> Nomination:
    """Write the manager's case on a request or draft (a request becomes the manager's draft), and
    submit it when `submit`. PermissionDenied unless the actor may nominate the person."""
    stored = _locked(nomination)
    policy.require(actor, Action.PROMOTION_NOMINATE, stored.person)
    _require_status(stored, Nomination.Status.REQUESTED, Nomination.Status.DRAFT)
    nominator = _actor_person(actor)
    cleaned = _text(case, field="case", required=submit)
    changed = []
    if stored.case != cleaned:
        stored.case = cleaned
        changed.append("case")
    if stored.status == Nomination.Status.REQUESTED or stored.nominated_by_id is None:
        stored.status = Nomination.Status.DRAFT
        stored.nominated_by = nominator
        changed += ["status", "nominated_by"]
    if changed:
        stored.save(update_fields=changed)
        audit_record(actor=actor, action=AuditAction.NOMINATION_SAVED, target=stored, fields=changed)
    if submit:
        stored = nomination_submit(actor=actor, nomination=stored)
    _copy(stored, into=nomination)
    return nomination


def committee_for(family_id: str) -> PromotionCommittee | None:
    """The committee that decides for `family_id`: the one naming the family, else one for every
    family (by name, when several)."""
    committees = list(PromotionCommittee.objects.order_by("name"))
    named = [c for c in committees if family_id in (c.family_ids or [])]
    if named:
        return named[0]
    return next((c for c in committees if not c.family_ids), None)


@transaction.atomic
def nomination_submit(*, actor: User, nomination: Nomination) -> Nomination:
    """Submit a draft to the committee deciding for the target family: the readiness result is kept
    with the packet and the manager's endorsement recorded. ValidationError without a case or
    without a committee for the family."""
    stored = _locked(nomination)
    policy.require(actor, Action.PROMOTION_NOMINATE, stored.person)
    _require_status(stored, Nomination.Status.DRAFT)
    _text(stored.case, field="case", required=True)
    committee = committee_for(stored.target_family_id)
    if committee is None:
        raise ValidationError(
            f"No promotion committee decides for {stored.target_family_id}; HR configures committees."
        )
    stored.status = Nomination.Status.SUBMITTED
    stored.submitted_at = timezone.now()
    stored.committee = committee
    stored.save(update_fields=["status", "submitted_at", "committee"])
    endorser = _actor_person(actor)
    Endorsement.objects.create(nomination=stored, endorser=endorser, role=Endorsement.Role.MANAGER)
    # The manager's endorsement is one of the criteria: the packet keeps the readiness with it
    # (one person's recomputation, a few milliseconds), not the one from before it.
    readiness_recompute(person_ids=[stored.person_id])
    stored.readiness_at_submission = current_readiness(stored)
    stored.save(update_fields=["readiness_at_submission"])
    audit_record(
        actor=actor,
        action=AuditAction.NOMINATION_SUBMITTED,
        target=stored,
        fields=["status", "submitted_at", "committee", "readiness_at_submission", "endorsement"],
    )
    _copy(stored, into=nomination)
    return nomination


@transaction.atomic
def nomination_decline_request(*, actor: User, nomination: Nomination, reason: str) -> Nomination:
    """The manager declines an employee's request for a promotion conversation, saying why (the
    employee sees the reason)."""
    stored = _locked(nomination)
    policy.require(actor, Action.PROMOTION_NOMINATE, stored.person)
    _require_status(stored, Nomination.Status.REQUESTED)
    cleaned = _text(reason, field="reason", required=True)
    stored.status = Nomination.Status.WITHDRAWN
    stored.decision_reason = cleaned
    stored.decided_by = policy.viewer_person(actor)
    stored.decided_at = timezone.now()
    stored.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.NOMINATION_REQUEST_DECLINED,
        target=stored,
        fields=["status", "decision_reason"],
    )
    _copy(stored, into=nomination)
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor: User, nomination: Nomination, reason: str) -> Nomination:
    """The manager withdraws their draft or submitted nomination before it is decided, saying why
    (kept with it; an employee who asked for the conversation sees the reason)."""
    stored = _locked(nomination)
    policy.require(actor, Action.PROMOTION_NOMINATE, stored.person)
    _require_status(stored, Nomination.Status.DRAFT, Nomination.Status.SUBMITTED)
    cleaned = _text(reason, field="reason", required=True)
    stored.status = Nomination.Status.WITHDRAWN
    stored.decision_reason = cleaned
    stored.decided_by = policy.viewer_person(actor)
    stored.decided_at = timezone.now()
    stored.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.NOMINATION_WITHDRAWN,
        target=stored,
        fields=["status", "decision_reason"],
    )
    _copy(stored, into=nomination)
    return nomination


@transaction.atomic
def nomination_endorse(*, actor: User, nomination: Nomination, note: str) -> Endorsement:
    """The skip-level manager endorses a submitted nomination, with a note (required)."""
    stored = _locked(nomination)
    policy.require(actor, Action.PROMOTION_ENDORSE, stored)
    _require_status(stored, Nomination.Status.SUBMITTED)
    cleaned = _text(note, field="note", required=True)
    if stored.endorsements.filter(role=Endorsement.Role.SKIP_LEVEL).exists():
        raise ValidationError("The skip-level endorsement is already recorded.")
    endorsement = Endorsement.objects.create(
        nomination=stored, endorser=_actor_person(actor), role=Endorsement.Role.SKIP_LEVEL, note=cleaned
    )
    audit_record(actor=actor, action=AuditAction.NOMINATION_ENDORSED, target=stored, fields=["endorsement"])
    return endorsement


@transaction.atomic
def nomination_decide(
    *,
    actor: User,
    nomination: Nomination,
    approved: bool,
    reason: str,
    effective_on: datetime.date | None = None,
) -> Nomination:
    """A committee member decides a submitted nomination: approved, taking effect on `effective_on`
    (at most `people.services.LEVEL_DATE_MAX_DAYS_AHEAD` days ahead, not before the person's current
    level date: `people.services.check_level_date`), or "not yet". A reason is required either way. An approval is applied
    through the task queue on its date (`promotions.tasks`), enqueued when this commits.

    The nominee and the manager who nominated are told (mailed after commit): the nominee the
    outcome, as their Promotions page shows it; the manager, while they may still read the packet,
    the outcome with a link to it (`notifications.services.notify_nomination_decided`)."""
    stored = _locked(nomination)
    policy.require(actor, Action.PROMOTION_DECIDE, stored)
    _require_status(stored, Nomination.Status.SUBMITTED)
    cleaned = _text(reason, field="reason", required=True)
    fields = ["status", "decision_reason", "decided_by", "decided_at"]
    if approved:
        if effective_on is None:
            raise ValidationError({"effective_on": "An approval needs the date it takes effect."})
        _check_effective_date(stored.person, effective_on)
        stored.status = Nomination.Status.APPROVED
        stored.effective_on = effective_on
        fields.append("effective_on")
    else:
        stored.status = Nomination.Status.NOT_YET
    stored.decision_reason = cleaned
    stored.decided_by = policy.viewer_person(actor)
    stored.decided_at = timezone.now()
    stored.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.NOMINATION_DECIDED, target=stored, fields=fields)
    notify_nomination_decided(stored, nominator=_packet_reader(stored.nominated_by, stored), actor=actor)
    if approved and effective_on is not None:
        from trellis.web.promotions.tasks import enqueue_apply

        on = effective_on
        transaction.on_commit(lambda: enqueue_apply(on))
    _copy(stored, into=nomination)
    return nomination


def _packet_reader(person: Person | None, nomination: Nomination) -> Person | None:
    """`person` when they are active and may still read `nomination`'s packet, else None."""
    if person is None or not person.is_active or person.user is None:
        return None
    return person if policy.can(person.user, Action.PROMOTION_VIEW, nomination) else None


def _check_effective_date(person: Person, effective_on: datetime.date) -> None:
    """The people services' rule for a new level's date, said of the ``effective_on`` field."""
    try:
        check_level_date(person, effective_on, level_changed=True)
    except ValidationError as refused:
        raise ValidationError({"effective_on": refused.message_dict["level_since"]}) from None


@transaction.atomic
def promotion_apply(*, actor: User, nomination: Nomination, today: datetime.date | None = None) -> bool:
    """Apply an approved promotion whose date has come: the person moves to the target level from
    `effective_on` (their history records it) and the nomination is marked applied. Idempotent:
    False, and nothing written, when it was applied already, its date is still to come, or the
    person has left (it is applied if they rejoin)."""
    stored = _locked(nomination)
    policy.require(actor, Action.PROMOTION_APPLY, stored)
    on = today if today is not None else timezone.localdate()
    if (
        stored.status != Nomination.Status.APPROVED
        or not stored.person.is_active
        or stored.applied_at is not None
        or stored.effective_on is None
        or stored.effective_on > on
    ):
        return False
    person_update(
        actor=actor,
        person=stored.person,
        family_id=stored.target_family_id,
        track_id=stored.target_track_id,
        level_code=stored.target_level_code,
        level_since=stored.effective_on,
    )
    stored.applied_at = timezone.now()
    stored.save(update_fields=["applied_at"])
    audit_record(actor=actor, action=AuditAction.PROMOTION_APPLIED, target=stored, fields=["applied_at"])
    return True


def promotions_due(today: datetime.date) -> list[Nomination]:
    """Approved promotions whose date has come and that are not applied yet, oldest date first."""
    return list(
        Nomination.objects.filter(
            status=Nomination.Status.APPROVED, applied_at__isnull=True, effective_on__lte=today
        )
        .select_related("person")
        .order_by("effective_on", "pk")
    )


def applying_actor(nomination: Nomination) -> User | None:
    """The HR admin account a promotion is applied as: the first active HR admin (by account id)
    who is not the person promoted — nobody promotes themselves. None when there is none."""
    return (
        User.objects.filter(is_active=True, is_hr_admin=True)
        .exclude(person__pk=nomination.person_id)
        .order_by("pk")
        .first()
    )


def _committee_fields(
    actor: User, *, name: str, family_ids: list[str], members: list[Person]
) -> tuple[str, list[str], list[Person]]:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError({"name": "This field is required."})
    published = framework_published_get(viewer=actor)
    known = {family.id for family in published.framework.families} if published is not None else set()
    unknown = [family_id for family_id in family_ids if family_id not in known]
    if unknown:
        raise ValidationError(
            {"family_ids": f"Not a family of the published framework: {wording.listing(unknown)}."}
        )
    if not members:
        raise ValidationError({"members": "A committee needs at least one member."})
    inactive = [member.full_name for member in members if not member.is_active]
    if inactive:
        raise ValidationError({"members": f"No longer active: {wording.listing(inactive)}."})
    return cleaned, sorted(set(family_ids)), members


@transaction.atomic
def committee_create(
    *, actor: User, name: str, family_ids: list[str], members: list[Person]
) -> PromotionCommittee:
    """HR configures a promotion committee: a unique name, the families it decides for (none: every
    family) and its members."""
    policy.require(actor, Action.PROMOTION_COMMITTEE_MANAGE)
    cleaned, families, people = _committee_fields(actor, name=name, family_ids=family_ids, members=members)
    if PromotionCommittee.objects.filter(name=cleaned).exists():
        raise ValidationError({"name": f"There is already a committee called {cleaned}."})
    committee = PromotionCommittee.objects.create(name=cleaned, family_ids=families)
    committee.members.set(people)
    audit_record(
        actor=actor,
        action=AuditAction.PROMOTION_COMMITTEE_CREATED,
        target=committee,
        fields=["name", "family_ids", "members"],
    )
    return committee


@transaction.atomic
def committee_update(
    *, actor: User, committee: PromotionCommittee, name: str, family_ids: list[str], members: list[Person]
) -> PromotionCommittee:
    """HR changes a committee's name, families or members (the decisions it made stay its own)."""
    policy.require(actor, Action.PROMOTION_COMMITTEE_MANAGE)
    stored = PromotionCommittee.objects.select_for_update().get(pk=committee.pk)
    cleaned, families, people = _committee_fields(actor, name=name, family_ids=family_ids, members=members)
    if PromotionCommittee.objects.filter(name=cleaned).exclude(pk=stored.pk).exists():
        raise ValidationError({"name": f"There is already a committee called {cleaned}."})
    changed = []
    if stored.name != cleaned:
        stored.name = cleaned
        changed.append("name")
    if list(stored.family_ids) != families:
        stored.family_ids = families
        changed.append("family_ids")
    if changed:
        stored.save(update_fields=changed)
    if {m.pk for m in stored.members.all()} != {p.pk for p in people}:
        stored.members.set(people)
        changed.append("members")
    if changed:
        audit_record(
            actor=actor, action=AuditAction.PROMOTION_COMMITTEE_UPDATED, target=stored, fields=changed
        )
    committee.name, committee.family_ids = stored.name, stored.family_ids
    return committee


def _copy(source: Nomination, *, into: Nomination) -> None:
    if source is into:
        return
    for field in Nomination._meta.concrete_fields:
        setattr(into, field.attname, getattr(source, field.attname))
