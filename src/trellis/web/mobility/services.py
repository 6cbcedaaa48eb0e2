"""Every write of internal mobility: keyword-only, atomic, permission-checked, audited.

An opportunity is written as a draft (`opportunity_save`), opened, and filled or closed
(`opportunity_status_set`). An applicant saves, expresses interest, applies or withdraws
(`application_act`) and may keep their application hidden from their management chain until an
interview (`REVEALED_FROM_STAGE`); the hiring side moves candidates through the stages
(`application_move`). Every stage an application takes is kept (`ApplicationStageChange`, with who).

Accepting a **role** fills it and moves the person into it through the people services — their
family, track and level (`person_update`) and their manager, the hiring manager
(`person_set_manager`), each written to their history. Those services are HR's: when the hiring
manager accepts, the move is made as an HR admin's account (`people_moving_actor`), as an approved
promotion is applied. Accepting for a gig or a project changes nothing about the person; it is
filled when its accepted applications reach its capacity.

Refusals (ValidationError naming the field, PermissionDenied, Http404) change nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.framework import wording
from trellis.framework.model import Framework
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.mobility.models import (
    OPPORTUNITY_TEXT_MAX_LENGTH,
    OPPORTUNITY_TITLE_MAX_LENGTH,
    Application,
    ApplicationStageChange,
    Opportunity,
    OpportunityRequirement,
)
from trellis.web.mobility.selectors import competency_choices
from trellis.web.notifications.models import Notification
from trellis.web.notifications.services import Message, notify
from trellis.web.people.models import Person, Team
from trellis.web.people.services import person_set_manager, person_update
from trellis.web.policy import Action

Stage = Application.Stage
Status = Opportunity.Status

#: The stages the hiring side moves a candidate to, from each stage (the applicant's own moves —
#: saved, interested, applied, withdrawn — are `application_act`'s).
HIRING_MOVES: dict[str, tuple[str, ...]] = {
    Stage.INTERESTED: (Stage.TALKING, Stage.DECLINED),
    Stage.APPLIED: (Stage.TALKING, Stage.DECLINED),
    Stage.TALKING: (Stage.OFFERED, Stage.DECLINED),
    Stage.OFFERED: (Stage.ACCEPTED, Stage.DECLINED),
}
#: What an applicant may do, and the stage it leads to.
APPLICANT_ACTIONS: dict[str, str] = {
    "save": Stage.SAVED,
    "interest": Stage.INTERESTED,
    "apply": Stage.APPLIED,
    "withdraw": Stage.WITHDRAWN,
}
#: The stages from which an applicant's action may move their application (a decision is final;
#: an offer is answered by the hiring side recording it).
_APPLICANT_FROM: dict[str, tuple[str, ...]] = {
    Stage.SAVED: (Stage.WITHDRAWN,),
    Stage.INTERESTED: (Stage.SAVED, Stage.WITHDRAWN),
    Stage.APPLIED: (Stage.SAVED, Stage.INTERESTED, Stage.WITHDRAWN),
    Stage.WITHDRAWN: (Stage.SAVED, Stage.INTERESTED, Stage.APPLIED, Stage.TALKING, Stage.OFFERED),
}


def applicant_actions(application: Application | None) -> list[str]:
    """The moves `application_act` allows the applicant from where their application stands."""
    if application is None:
        return ["apply", "interest", "save"]
    return [
        action
        for action in ("apply", "interest", "save", "withdraw")
        if application.stage in _APPLICANT_FROM.get(APPLICANT_ACTIONS[action], ())
    ]


@dataclass(frozen=True, slots=True)
class RequirementInput:
    competency_id: str
    minimum: float


def _required_text(value: str, *, field: str, maximum: int, required: bool) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError({field: "This field is required."})
    if len(cleaned) > maximum:
        raise ValidationError({field: f"At most {maximum} characters (this has {len(cleaned)})."})
    return cleaned


def _check_requirements(framework: Framework | None, requirements: Sequence[RequirementInput]) -> None:
    known = dict(competency_choices(framework))
    seen: set[str] = set()
    scale = framework.scale if framework is not None else None
    for requirement in requirements:
        if requirement.competency_id not in known:
            raise ValidationError(
                {
                    "requirements": f"“{requirement.competency_id}” is not a competency of the published framework."
                }
            )
        name = known[requirement.competency_id]
        if requirement.competency_id in seen:
            raise ValidationError({"requirements": f"{name} is required twice: keep one minimum."})
        seen.add(requirement.competency_id)
        if scale is not None and not scale.minimum <= requirement.minimum <= scale.maximum:
            raise ValidationError(
                {
                    "requirements": (
                        f"The minimum for {name} must be between {scale.minimum} and {scale.maximum}, "
                        f"not {requirement.minimum:g}."
                    )
                }
            )


@transaction.atomic
def opportunity_save(
    *,
    actor: User,
    opportunity: Opportunity | None,
    kind: str,
    title: str,
    description: str = "",
    team: Team | None = None,
    level: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    time_share: int = 100,
    capacity: int = 1,
    requirements: Sequence[RequirementInput] = (),
) -> Opportunity:
    """Post a new opportunity as a draft (`opportunity` None; hiring managers and HR), or change a
    draft or open one (its hiring manager and HR). The hiring manager is the actor's person.

    A role names its `level` ("family/track/level" of the published framework), takes one person
    full time; a gig or project has dates, a share of the week and a capacity. Raises
    ValidationError naming the field (``requirements`` for the requirements) and changes nothing.
    """
    if opportunity is None:
        policy.require(actor, Action.OPPORTUNITY_POST)
        hiring_manager = policy.viewer_person(actor)
        if hiring_manager is None:
            raise PermissionDenied("only a person of the company posts an opportunity")
        stored = Opportunity(hiring_manager=hiring_manager)
    else:
        stored = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        policy.require(actor, Action.OPPORTUNITY_MANAGE, stored)
        if stored.status not in (Status.DRAFT, Status.OPEN):
            raise ValidationError(
                {
                    "status": f"This opportunity is {stored.get_status_display().lower()}: it is kept as it was."
                }
            )
    if kind not in Opportunity.Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of opportunity (role, project or gig)."})
    published = framework_published_get(viewer=actor)
    framework = published.framework if published is not None else None
    stored.kind = kind
    stored.title = _required_text(title, field="title", maximum=OPPORTUNITY_TITLE_MAX_LENGTH, required=True)
    stored.description = _required_text(
        description, field="description", maximum=OPPORTUNITY_TEXT_MAX_LENGTH, required=False
    )
    stored.team = team
    if kind == Opportunity.Kind.ROLE:
        known = {
            f"{family.id}/{track.id}/{item.code}"
            for family in (framework.families if framework is not None else [])
            for track in family.tracks
            for item in track.levels
        }
        if level not in known:
            raise ValidationError({"level": "Choose the role's level from the published framework."})
        stored.family_id, stored.track_id, stored.level_code = level.split("/")
        stored.time_share, stored.capacity = 100, 1
        stored.starts_on, stored.ends_on = starts_on, None
    else:
        stored.family_id = stored.track_id = stored.level_code = ""
        if not 1 <= time_share <= 100:
            raise ValidationError({"time_share": "The share of the week is between 1 and 100 percent."})
        if capacity < 1:
            raise ValidationError({"capacity": "It takes at least one person."})
        if starts_on is not None and ends_on is not None and ends_on < starts_on:
            raise ValidationError({"ends_on": "The end date is before the start date."})
        stored.time_share, stored.capacity = time_share, capacity
        stored.starts_on, stored.ends_on = starts_on, ends_on
    _check_requirements(framework, requirements)
    created = stored.pk is None
    stored.save()
    stored.requirements.all().delete()
    OpportunityRequirement.objects.bulk_create(
        [
            OpportunityRequirement(opportunity=stored, competency_id=item.competency_id, minimum=item.minimum)
            for item in requirements
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.OPPORTUNITY_CREATED if created else AuditAction.OPPORTUNITY_UPDATED,
        target=stored,
        fields=["kind", "title", "requirements"],
    )
    return stored


#: The statuses an opportunity may be set to by hand, from each status.
_STATUS_MOVES: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.OPEN, Status.CLOSED),
    Status.OPEN: (Status.CLOSED,),
}


@transaction.atomic
def opportunity_status_set(*, actor: User, opportunity: Opportunity, status: str) -> Opportunity:
    """Open a draft or close a draft or open opportunity (it is filled by acceptances, never by
    hand). Its hiring manager and HR. ValidationError on ``status`` otherwise, nothing changed."""
    stored = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    policy.require(actor, Action.OPPORTUNITY_MANAGE, stored)
    if status not in _STATUS_MOVES.get(stored.status, ()):
        raise ValidationError(
            {
                "status": f"This opportunity is {stored.get_status_display().lower()}: it cannot be set to “{status}”."
            }
        )
    stored.status = status
    fields = ["status"]
    if status == Status.OPEN:
        stored.opened_at = timezone.now()
        fields.append("opened_at")
    stored.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.OPPORTUNITY_STATUS_CHANGED, target=stored, fields=fields)
    return stored


def _move(application: Application, to_stage: str, actor: User) -> Application:
    now = timezone.now()
    from_stage = application.stage if application.pk is not None else ""
    application.stage = to_stage
    application.stage_changed_at = now
    application.revision += 1 if application.pk is not None else 0
    application.save()
    ApplicationStageChange.objects.create(
        application=application, from_stage=from_stage, to_stage=to_stage, changed_by=actor, changed_at=now
    )
    audit_record(
        actor=actor, action=AuditAction.APPLICATION_STAGE_CHANGED, target=application, fields=["stage"]
    )
    return application


@transaction.atomic
def application_act(
    *,
    actor: User,
    opportunity: Opportunity,
    action: str,
    note: str | None = None,
    hidden_from_manager: bool | None = None,
) -> Application:
    """The applicant's own move on `opportunity`: ``save`` (a bookmark), ``interest``, ``apply``
    (with `note`) or ``withdraw``; or, with `action` ``settings``, only the note and the "hidden
    from my manager" setting. `hidden_from_manager` None keeps the setting. Raises
    ValidationError naming the field (``action`` for a move the stage does not allow, and for an
    opportunity that is not open) and changes nothing then."""
    stored_opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    policy.require(actor, Action.OPPORTUNITY_APPLY, stored_opportunity)
    person = policy.viewer_person(actor)
    if person is None:
        raise PermissionDenied("only a person of the company applies")
    if stored_opportunity.hiring_manager_id == person.pk:  # HR passes the policy: not for their own
        raise PermissionDenied("the hiring manager does not apply to their own opportunity")
    application = (
        Application.objects.select_for_update().filter(opportunity=stored_opportunity, person=person).first()
    )
    if action != "settings" and action not in APPLICANT_ACTIONS:
        raise ValidationError({"action": "Choose save, express interest, apply or withdraw."})
    if stored_opportunity.status != Status.OPEN and action != "withdraw":
        raise ValidationError({"action": "This opportunity is not open: it takes no new applications."})
    cleaned_note = (
        _required_text(note, field="note", maximum=OPPORTUNITY_TEXT_MAX_LENGTH, required=False)
        if note is not None
        else None
    )
    if application is None:
        if action in ("withdraw", "settings"):
            raise ValidationError({"action": "There is no application to change."})
        application = Application(
            opportunity=stored_opportunity, person=person, stage=APPLICANT_ACTIONS[action]
        )
        if cleaned_note is not None:
            application.note = cleaned_note
        if hidden_from_manager is not None:
            application.hidden_from_manager = hidden_from_manager
        return _move(application, APPLICANT_ACTIONS[action], actor)
    changed = []
    if cleaned_note is not None and cleaned_note != application.note:
        application.note = cleaned_note
        changed.append("note")
    if hidden_from_manager is not None and hidden_from_manager != application.hidden_from_manager:
        application.hidden_from_manager = hidden_from_manager
        changed.append("hidden_from_manager")
    if action == "settings":
        if changed:
            application.revision += 1
            application.save(update_fields=[*changed, "revision"])
            audit_record(
                actor=actor, action=AuditAction.APPLICATION_UPDATED, target=application, fields=changed
            )
        return application
    to_stage = APPLICANT_ACTIONS[action]
    if application.stage not in _APPLICANT_FROM.get(to_stage, ()):
        raise ValidationError(
            {
                "action": f"Your application is {application.get_stage_display().lower()}: it cannot be moved to {to_stage}."
            }
        )
    if changed:
        audit_record(actor=actor, action=AuditAction.APPLICATION_UPDATED, target=application, fields=changed)
    return _move(application, to_stage, actor)


def people_moving_actor(actor: User, person: Person) -> User:
    """The account a role's move is made as: `actor` when they may change people (HR), else the
    first active HR admin who is not `person` (the people services are HR's). ValidationError on
    ``stage`` when there is none."""
    if policy.can(actor, Action.PERSON_UPDATE, person) and policy.can(
        actor, Action.PERSON_SET_MANAGER, person
    ):
        return actor
    hr = (
        User.objects.filter(is_active=True, is_hr_admin=True)
        .exclude(person__pk=person.pk)
        .order_by("pk")
        .first()
    )
    if hr is None:
        raise ValidationError({"stage": "No HR admin can record the move: ask HR to accept the offer."})
    return hr


@transaction.atomic
def application_move(
    *, actor: User, application: Application, stage: str, revision: int | None = None
) -> Application:
    """Move a candidate (read through `application_for_hiring_side`) to `stage`, as `HIRING_MOVES`
    allows; its opportunity's hiring manager and HR. Accepting fills a role — and moves the person
    into it with history — or counts toward a gig's capacity. The applicant is told. Raises
    ValidationError on ``stage`` (a move the stage does not allow, a changed application when
    `revision` is stale, a filled opportunity) and changes nothing then."""
    stored = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    opportunity = Opportunity.objects.select_for_update().get(pk=stored.opportunity_id)
    policy.require(actor, Action.OPPORTUNITY_MANAGE, opportunity)
    if revision is not None and revision != stored.revision:
        raise ValidationError({"stage": "This application changed since the page was loaded: reload it."})
    if stage not in HIRING_MOVES.get(stored.stage, ()):
        raise ValidationError(
            {
                "stage": f"{stored.person.full_name}'s application is {stored.get_stage_display().lower()}: it cannot move to {stage}."
            }
        )
    if stage == Stage.ACCEPTED and opportunity.status != Status.OPEN:
        raise ValidationError({"stage": f"This opportunity is {opportunity.get_status_display().lower()}."})
    _move(stored, stage, actor)
    if stage == Stage.ACCEPTED:
        _accepted(actor, opportunity, stored)
    _notify_applicant(actor, stored, opportunity)
    application.stage = stored.stage
    application.revision = stored.revision
    return stored


def _accepted(actor: User, opportunity: Opportunity, application: Application) -> None:
    accepted = Application.objects.filter(opportunity=opportunity, stage=Stage.ACCEPTED).count()
    if opportunity.kind == Opportunity.Kind.ROLE:
        mover = people_moving_actor(actor, application.person)
        person = Person.objects.get(pk=application.person_id)
        person_update(
            actor=mover,
            person=person,
            family_id=opportunity.family_id,
            track_id=opportunity.track_id,
            level_code=opportunity.level_code,
        )
        person_set_manager(actor=mover, person=person, manager=opportunity.hiring_manager)
        if opportunity.team_id is not None and person.team_id != opportunity.team_id:
            person_update(actor=mover, person=person, team=opportunity.team)
    if accepted >= opportunity.capacity:
        opportunity.status = Status.FILLED
        opportunity.filled_at = timezone.now()
        opportunity.save(update_fields=["status", "filled_at"])
        audit_record(
            actor=actor,
            action=AuditAction.OPPORTUNITY_STATUS_CHANGED,
            target=opportunity,
            fields=["status", "filled_at"],
        )


def _notify_applicant(actor: User, application: Application, opportunity: Opportunity) -> None:
    """Tell the applicant (only them: a notification to anyone else could reveal a hidden
    application) where their application now stands."""
    notify(
        recipients=[application.person],
        kind=Notification.Kind.APPLICATION_MOVED,
        message=Message(
            wording.application_moved(opportunity.title, application.get_stage_display().lower()),
            "",
            reverse("mobility:mine"),
        ),
        actor=actor,
    )
