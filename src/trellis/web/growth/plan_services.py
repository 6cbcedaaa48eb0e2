"""Writes of development plans: a plan drafted from a person's gaps toward a target level, goals,
actions, progress updates and check-ins, and the evidence a finished action produces.

Every write is keyword-only, checks `Action.PLAN_EDIT` on the plan's person (the person and their
direct manager; HR), runs in one transaction with its audit event and bumps the plan's revision.
A refusal the person can fix raises ``ValidationError`` naming the form field; nothing is stored
then.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from trellis.evaluation.gaps import GapTargetError, skill_gaps, suggested_goals
from trellis.framework import wording
from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.growth.models import (
    GROWTH_TEXT_MAX_LENGTH,
    GROWTH_TITLE_MAX_LENGTH,
    CheckIn,
    DevelopmentPlan,
    Goal,
    KeyResult,
    ProgressUpdate,
)
from trellis.web.growth.models import Action as PlanAction
from trellis.web.growth.plan_selectors import competency_names, key_result_choices
from trellis.web.growth.selectors import demonstrated_get
from trellis.web.people.models import Person
from trellis.web.policy import Action
from trellis.web.reviews.models import EVIDENCE_TEXT_MAX_LENGTH, EvidenceItem

__all__ = [
    "DraftResult",
    "action_add",
    "action_status_set",
    "check_in_add",
    "goal_add",
    "goal_status_set",
    "plan_draft_from_gaps",
    "progress_add",
]


def _author(actor: User) -> Person:
    person = policy.viewer_person(actor)
    if person is None:
        raise ValidationError("Only someone on the people list can write in a plan.")
    return person


def _text(value: str, *, field: str, limit: int, missing: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError({field: missing})
    if len(cleaned) > limit:
        raise ValidationError({field: f"Keep it to {limit} characters (this is {len(cleaned)})."})
    return cleaned


def _touch(plan: DevelopmentPlan) -> None:
    """Bump the plan's revision (every write does)."""
    DevelopmentPlan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1)
    plan.refresh_from_db(fields=["revision"])


def _editable(actor: User, plan: DevelopmentPlan) -> None:
    policy.require(actor, Action.PLAN_EDIT, plan.person)
    if plan.status != DevelopmentPlan.Status.ACTIVE:
        raise ValidationError("This plan is no longer active: it is kept as it was.")


@dataclass(frozen=True, slots=True)
class DraftResult:
    plan: DevelopmentPlan
    #: Whether the plan was made now (False: the active plan was updated).
    created: bool
    added: list[Goal]
    #: Suggested goals the plan had already (same competency), not added again.
    kept: list[str]
    #: The active plan toward another target, archived because this draft starts a new one.
    archived: DevelopmentPlan | None = None


def plan_draft_from_gaps(*, actor: User, person: Person, target: str) -> DraftResult:
    """Draft `person`'s plan toward `target` ("family/track/level" of the published framework):
    create their active plan — archiving the active plan they have toward another target, which
    keeps its goals, actions and evidence — or extend the one they have toward it, with a goal for each of
    `trellis.evaluation.gaps.suggested_goals` (largest gaps first, then the competencies not rated
    yet) that the plan does not have already for the same competency — so that submitting twice adds
    nothing twice. ValidationError on ``target`` for a level the framework lacks, or when every
    competency the level expects is met (nothing to plan toward); PermissionDenied unless `actor`
    may edit the plan."""
    policy.require(actor, Action.PLAN_EDIT, person)
    if not person.is_active:
        raise ValidationError({"target": f"{person.full_name} has left the company."})
    published = framework_published_get(viewer=actor)
    if published is None:
        raise ValidationError({"target": "No framework is published yet: there is nothing to plan toward."})
    parts = target.split("/")
    if len(parts) != 3 or not all(parts):
        raise ValidationError({"target": "Choose a level of the published framework."})
    family_id, track_id, level_code = parts
    try:
        report = skill_gaps(
            published.framework,
            family=family_id,
            track=track_id,
            level=level_code,
            demonstrated=demonstrated_get(person=person),
        )
    except GapTargetError as error:
        raise ValidationError({"target": f"{str(error)[0].upper()}{str(error)[1:]}."}) from None
    suggestions = suggested_goals(report)
    if not suggestions:
        raise ValidationError(
            {"target": f"Every competency {level_code} expects is met already: there is no gap to plan for."}
        )
    with transaction.atomic():
        plan = (
            DevelopmentPlan.objects.select_for_update()
            .filter(person=person, status=DevelopmentPlan.Status.ACTIVE)
            .first()
        )
        archived = None
        if plan is not None and (plan.target_family_id, plan.target_track_id, plan.target_level_code) != (
            family_id,
            track_id,
            level_code,
        ):
            # A new target starts a new plan: the goals toward the old one (their actions, progress
            # and evidence) stay with the old plan, archived and still shown on the plan page.
            plan.status = DevelopmentPlan.Status.ARCHIVED
            plan.save(update_fields=["status"])
            _touch(plan)
            archived, plan = plan, None
        created = plan is None
        if plan is None:
            plan = DevelopmentPlan.objects.create(
                person=person,
                target_family_id=family_id,
                target_track_id=track_id,
                target_level_code=level_code,
            )
        existing = set(plan.goals.exclude(status=Goal.Status.DROPPED).values_list("competency_id", flat=True))
        position = plan.goals.count()
        added: list[Goal] = []
        kept: list[str] = []
        for suggestion in suggestions:
            if suggestion.competency in existing:
                kept.append(suggestion.name)
                continue
            added.append(
                Goal(
                    plan=plan,
                    title=wording.goal_title(suggestion.name, level_code)[:GROWTH_TITLE_MAX_LENGTH],
                    competency_id=suggestion.competency,
                    from_score=suggestion.current,
                    target_proficiency=suggestion.target,
                    position=position + len(added),
                )
            )
        Goal.objects.bulk_create(added)
        if not created:
            _touch(plan)
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_DRAFTED,
            target=plan,
            fields=["target"] + (["goals"] if added else []),
        )
    return DraftResult(plan=plan, created=created, added=added, kept=kept, archived=archived)


def goal_add(
    *,
    actor: User,
    plan: DevelopmentPlan,
    title: str,
    competency_id: str,
    target_proficiency: int | None,
    key_result_id: int | None,
) -> Goal:
    """A goal of the plan's own choosing: a competency of the published framework (or none) raised
    to `target_proficiency`, optionally serving a key result the plan's person may serve.
    ValidationError naming ``title``, ``competency_id``, ``target_proficiency`` or ``key_result``."""
    _editable(actor, plan)
    title = _text(title, field="title", limit=GROWTH_TITLE_MAX_LENGTH, missing="Name the goal.")
    published = framework_published_get(viewer=actor)
    framework = published.framework if published is not None else None
    if competency_id and competency_id not in competency_names(framework, plan.person.family_id):
        raise ValidationError(
            {"competency_id": f"{competency_id!r} is not a competency of the published framework."}
        )
    if target_proficiency is not None:
        top = framework.scale.maximum if framework is not None else 5
        if not 1 <= target_proficiency <= top:
            raise ValidationError({"target_proficiency": f"Choose a proficiency from 1 to {top}."})
    key_result: KeyResult | None = None
    if key_result_id is not None:
        allowed = {int(value) for value, _ in key_result_choices(viewer=actor, person=plan.person)}
        if key_result_id not in allowed:
            raise ValidationError({"key_result": "Choose one of the key results listed."})
        key_result = KeyResult.objects.get(pk=key_result_id)
    with transaction.atomic():
        goal = Goal.objects.create(
            plan=plan,
            title=title,
            competency_id=competency_id,
            target_proficiency=target_proficiency,
            key_result=key_result,
            position=plan.goals.count(),
        )
        _touch(plan)
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_GOAL_ADDED,
            target=goal,
            fields=["title"]
            + (["competency_id"] if competency_id else [])
            + (["target_proficiency"] if target_proficiency is not None else [])
            + (["key_result"] if key_result is not None else []),
        )
    return goal


def goal_status_set(*, actor: User, goal: Goal, status: str) -> Goal:
    """Mark a goal open, done or dropped. ValidationError on ``status`` for anything else."""
    _editable(actor, goal.plan)
    if status not in Goal.Status.values:
        raise ValidationError({"status": "Choose open, done or dropped."})
    if status == goal.status:
        return goal
    with transaction.atomic():
        goal.status = status
        goal.completed_at = timezone.now() if status == Goal.Status.DONE else None
        goal.save(update_fields=["status", "completed_at"])
        _touch(goal.plan)
        audit_record(actor=actor, action=AuditAction.PLAN_GOAL_UPDATED, target=goal, fields=["status"])
    return goal


def action_add(
    *, actor: User, goal: Goal, kind: str, title: str, due_on: datetime.date | None, link: str = ""
) -> PlanAction:
    """An action toward `goal`: a course, a stretch assignment, mentoring, a cross-functional project
    or other, with an optional due date and link. ValidationError naming ``kind``, ``title`` or
    ``link``."""
    _editable(actor, goal.plan)
    if kind not in PlanAction.Kind.values:
        raise ValidationError({"kind": "Choose one of the kinds listed."})
    title = _text(title, field="title", limit=GROWTH_TITLE_MAX_LENGTH, missing="Say what the action is.")
    link = link.strip()
    if link and not link.lower().startswith(("http://", "https://")):
        raise ValidationError({"link": "A link starts with http:// or https://."})
    with transaction.atomic():
        action = PlanAction.objects.create(goal=goal, kind=kind, title=title, due_on=due_on, link=link)
        _touch(goal.plan)
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_ACTION_ADDED,
            target=action,
            fields=["kind", "title"] + (["due_on"] if due_on else []) + (["link"] if link else []),
        )
    return action


def action_status_set(*, actor: User, action: PlanAction, status: str, evidence: str = "") -> PlanAction:
    """Move an action to planned, in progress, done or dropped. Marking it done with `evidence` (what
    it produced, in a sentence or two) also records a win about the plan's person for the goal's
    competency (`EvidenceItem`, seen where evidence is: the gaps page, the next cycle's forms),
    linked from the action. ValidationError on ``status``, or on ``evidence`` when it is too long,
    given for another status, or the goal names no competency."""
    goal = action.goal
    _editable(actor, goal.plan)
    if status not in PlanAction.Status.values:
        raise ValidationError({"status": "Choose planned, in progress, done or dropped."})
    evidence = evidence.strip()
    if evidence:
        if status != PlanAction.Status.DONE:
            raise ValidationError({"evidence": "Evidence is recorded when the action is done."})
        if not goal.competency_id:
            raise ValidationError({"evidence": "This goal names no competency to record evidence for."})
        if action.evidence_id is not None:
            raise ValidationError({"evidence": "This action's evidence is recorded already."})
        evidence = _text(evidence, field="evidence", limit=EVIDENCE_TEXT_MAX_LENGTH, missing="")
    author = _author(actor) if evidence else None
    fields = ["status"]
    with transaction.atomic():
        if evidence and author is not None:
            item = EvidenceItem.objects.create(
                subject=goal.plan.person,
                author=author,
                kind=EvidenceItem.Kind.WIN,
                text=evidence,
                link=action.link,
                competency_ids=[goal.competency_id],
                occurred_on=timezone.localdate(),
            )
            audit_record(
                actor=actor,
                action=AuditAction.EVIDENCE_RECORDED,
                target=item,
                fields=["kind", "text", "competency_ids", "occurred_on"] + (["link"] if action.link else []),
            )
            action.evidence = item
            fields.append("evidence")
        action.status = status
        action.completed_at = timezone.now() if status == PlanAction.Status.DONE else None
        action.save(update_fields=["status", "completed_at", "evidence"])
        _touch(goal.plan)
        audit_record(actor=actor, action=AuditAction.PLAN_ACTION_UPDATED, target=action, fields=fields)
    return action


def progress_add(*, actor: User, goal: Goal, text: str, percent: int) -> ProgressUpdate:
    """A note on how `goal` is going, with how far along it is (0–100). ValidationError naming
    ``text`` or ``percent``."""
    _editable(actor, goal.plan)
    author = _author(actor)
    text = _text(text, field="text", limit=GROWTH_TEXT_MAX_LENGTH, missing="Write how it is going.")
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": "Say how far along it is, from 0 to 100."})
    with transaction.atomic():
        update = ProgressUpdate.objects.create(goal=goal, author=author, text=text, percent=percent)
        _touch(goal.plan)
        audit_record(
            actor=actor, action=AuditAction.PLAN_PROGRESS_RECORDED, target=update, fields=["text", "percent"]
        )
    return update


def check_in_add(*, actor: User, plan: DevelopmentPlan, happened_on: datetime.date, summary: str) -> CheckIn:
    """A dated look at the whole plan, by its person or their manager (shown in the 1:1 guide and in
    the next review cycle's forms). ValidationError naming ``summary`` or ``happened_on`` (a day to
    come)."""
    _editable(actor, plan)
    author = _author(actor)
    summary = _text(
        summary, field="summary", limit=GROWTH_TEXT_MAX_LENGTH, missing="Write what you looked at."
    )
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": "The day is still to come: record a check-in that happened."})
    with transaction.atomic():
        check_in = CheckIn.objects.create(plan=plan, author=author, happened_on=happened_on, summary=summary)
        _touch(plan)
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_CHECKED_IN,
            target=check_in,
            fields=["happened_on", "summary"],
        )
    return check_in
