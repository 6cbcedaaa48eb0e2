"""Writes of the OKR tree: objectives (the company's, a team's under a company objective, a
person's under a team objective), their key results, and a key result's current value.

Keyword-only, checked against the policy (`Action.OBJECTIVE_CREATE` by level, `Action.OBJECTIVE_EDIT`
on the objective), atomic and audited. A refusal the person can fix raises ``ValidationError``
naming the form field; nothing is stored then.
"""

from __future__ import annotations

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.web import policy
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.growth.models import GROWTH_TITLE_MAX_LENGTH, KeyResult, Objective
from trellis.web.policy import Action

__all__ = ["key_result_create", "key_result_measure", "objective_create"]

#: The level an objective's parent has, by the objective's level (company objectives have none).
PARENT_LEVEL = {Objective.Level.TEAM: Objective.Level.COMPANY, Objective.Level.PERSONAL: Objective.Level.TEAM}


def _title(value: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError({"title": "Name it."})
    if len(cleaned) > GROWTH_TITLE_MAX_LENGTH:
        raise ValidationError({"title": f"Keep it to {GROWTH_TITLE_MAX_LENGTH} characters."})
    return cleaned


def _weight(value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise ValidationError({"weight": "A weight is a number above 0."})
    return value


def _finite(value: float, field: str) -> float:
    if not math.isfinite(value):
        raise ValidationError({field: "Write a number."})
    return value


def objective_create(
    *,
    actor: User,
    level: str,
    title: str,
    parent: Objective | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
    weight: float = 1.0,
) -> Objective:
    """An objective of `level`: the company's (HR; no parent), the actor's team's (a manager; under
    a company objective) or the actor's own (under a team objective). ValidationError naming
    ``level``, ``title``, ``parent``, ``ends_on`` or ``weight``; PermissionDenied unless the actor
    may create objectives of that level."""
    if level not in Objective.Level.values:
        raise ValidationError({"level": "Choose company, team or personal."})
    policy.require(actor, Action.OBJECTIVE_CREATE, level)
    title = _title(title)
    owner = None
    if level != Objective.Level.COMPANY:
        owner = policy.viewer_person(actor)
        if owner is None:
            raise ValidationError(
                {"level": "Only someone on the people list owns a team or personal objective."}
            )
    expected_parent = PARENT_LEVEL.get(Objective.Level(level))
    if expected_parent is None and parent is not None:
        raise ValidationError({"parent": "A company objective hangs from nothing."})
    if expected_parent is not None and (
        parent is None
        or parent.level != expected_parent
        or not policy.can(actor, Action.OBJECTIVE_VIEW, parent)
    ):
        raise ValidationError(
            {
                "parent": f"A {Objective.Level(level).label.lower()} objective hangs from a {expected_parent.label.lower()} objective: choose one."
            }
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The end comes before the start."})
    weight = _weight(weight)
    with transaction.atomic():
        objective = Objective.objects.create(
            title=title,
            level=level,
            parent=parent,
            owner=owner,
            starts_on=starts_on,
            ends_on=ends_on,
            weight=weight,
        )
        audit_record(
            actor=actor,
            action=AuditAction.OBJECTIVE_CREATED,
            target=objective,
            fields=["title", "level", "starts_on", "ends_on", "weight"] + (["parent"] if parent else []),
        )
    return objective


def key_result_create(
    *,
    actor: User,
    objective: Objective,
    title: str,
    start_value: float,
    target_value: float,
    unit: str = "",
    weight: float = 1.0,
) -> KeyResult:
    """A key result measuring `objective` from `start_value` toward `target_value` (a target below
    the start counts down). ValidationError naming ``title``, ``target_value``, ``unit`` or
    ``weight``."""
    policy.require(actor, Action.OBJECTIVE_EDIT, objective)
    title = _title(title)
    start_value = _finite(start_value, "start_value")
    target_value = _finite(target_value, "target_value")
    unit = unit.strip()
    if len(unit) > 32:
        raise ValidationError({"unit": "Keep the unit to 32 characters."})
    weight = _weight(weight)
    with transaction.atomic():
        key_result = KeyResult.objects.create(
            objective=objective,
            title=title,
            start_value=start_value,
            target_value=target_value,
            unit=unit,
            weight=weight,
        )
        audit_record(
            actor=actor,
            action=AuditAction.KEY_RESULT_CREATED,
            target=key_result,
            fields=["title", "start_value", "target_value", "weight"] + (["unit"] if unit else []),
        )
    return key_result


def key_result_measure(*, actor: User, key_result: KeyResult, current_value: float) -> KeyResult:
    """Record where `key_result` stands now. ValidationError on ``current_value`` for a value that
    is not a finite number."""
    policy.require(actor, Action.OBJECTIVE_EDIT, key_result.objective)
    current_value = _finite(current_value, "current_value")
    with transaction.atomic():
        key_result.current_value = current_value
        key_result.updated_at = timezone.now()
        key_result.save(update_fields=["current_value", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.KEY_RESULT_MEASURED, target=key_result, fields=["current_value"]
        )
    return key_result
